package site

import (
	"steward"
	"steward/metrics"
)

func f(v float64) *float64 { return &v }

func d(s string) steward.Date {
	v, err := steward.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// fixture is a hand-built report: four fiscal years (FY2022-FY2024 complete,
// FY2025 year to date), two goals, one funnel, thank-you dates recorded.
func fixture() *metrics.Report {
	r := &metrics.Report{
		Schema:               metrics.Schema,
		AsOf:                 d("2025-03-15"),
		FiscalYearStartMonth: 7,
		Currency:             "USD",
		DonorKey:             "account",
		ThankYouTargetDays:   2,
		Sources: []steward.Source{{
			File: "gifts-2025.csv", SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Bytes: 482113,
			Format: "csv", Encoding: "utf-8", Delimiter: ",", HeaderRow: 1, Profile: "npsp", Kind: steward.KindGifts,
			Columns: []steward.Column{
				{Field: "donor_id", Header: "Account ID"},
				{Field: "gift_date", Header: "Close Date", Format: "M/D/YYYY"},
				{Field: "amount", Header: "Amount"},
				{Field: "ack_date", Header: "Acknowledgment Date", Format: "M/D/YYYY"},
				{Field: "campaign", Header: "Campaign Name"},
			},
			Rows: 5230, Used: 5101, Excluded: map[string]int{"pledge": 80, "failed": 31, "zero amount": 6},
			Rejected: 12, RejectReasons: map[string]int{"amount is not a number": 9, "no gift date": 3},
			Warnings: []string{"12 rows could not be read; see the reasons below."},
		}, {
			File: "contacts.xlsx", SHA256: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", Bytes: 90211,
			Format: "xlsx", Sheet: "Contacts", HeaderRow: 2, Profile: "npsp", Kind: steward.KindPeople,
			Columns: []steward.Column{{Field: "contact_id", Header: "Contact ID"}, {Field: "household_id", Header: "Account ID"}},
			Rows:    1900, Used: 1900, Excluded: map[string]int{}, RejectReasons: map[string]int{},
			Warnings: nil,
		}},
		Totals: metrics.Totals{Gifts: 5020, Refunds: 81, Donors: 1710, Dollars: 1204518.5, AnonymousGifts: 44, AnonymousDollars: 3120, FirstGift: d("2021-07-02"), LastGift: d("2025-03-15")},
	}
	r.Retention = []metrics.Retention{
		{Period: "FY2022", Start: d("2021-07-01"), End: d("2022-06-30"), Complete: true, Donors: 610, New: 610, Dollars: 250000},
		{Period: "FY2023", Start: d("2022-07-01"), End: d("2023-06-30"), Complete: true, Donors: 690, PriorDonors: 610,
			New: 380, Recaptured: 0, Retained: 310, Upgraded: 120, Same: 40, Downgraded: 150, Lapsed: 300, LapsedNew: 300, PriorNew: 610,
			RetentionRate: f(0.5082), RetentionRateCI95: []float64{0.4686, 0.5477}, NewDonorRetentionRate: f(0.5082),
			Dollars: 291000, PriorDollars: 250000, RetainedDollars: 160000, DollarRetentionRate: f(0.64), AcquisitionRate: f(0.623),
			NewDollars: 131000, UpgradeDollars: 30000, DowngradeDollars: 25000, LapsedDollars: 95000, Gains: 161000, Losses: 120000, GrowthInGiving: f(0.164),
			LYBUNT: 300, LYBUNTDollars: 95000},
		{Period: "FY2024", Start: d("2023-07-01"), End: d("2024-06-30"), Complete: true, Donors: 720, PriorDonors: 690,
			New: 350, Recaptured: 80, Retained: 290, Upgraded: 110, Same: 30, Downgraded: 150, Lapsed: 400, LapsedNew: 260, LapsedRepeat: 140, PriorNew: 380, PriorRepeat: 310,
			RetentionRate: f(0.4203), RetentionRateCI95: []float64{0.3838, 0.4576}, NewDonorRetentionRate: f(0.3158), NewDonorRetentionCI95: []float64{0.2712, 0.3641},
			RepeatDonorRetentionRate: f(0.5484), RepeatDonorRetentionCI95: []float64{0.4928, 0.6028},
			Dollars: 305000, PriorDollars: 291000, RetainedDollars: 170000, DollarRetentionRate: f(0.5842), AcquisitionRate: f(0.5072),
			NewDollars: 110000, RecapturedDollars: 21000, UpgradeDollars: 26000, DowngradeDollars: 31000, LapsedDollars: 112000, Gains: 157000, Losses: 143000, GrowthInGiving: f(0.0481),
			LYBUNT: 400, LYBUNTDollars: 112000, SYBUNT: 220, SYBUNTDollars: 61000},
		{Period: "FY2025", Start: d("2024-07-01"), End: d("2025-06-30"), Complete: false, Donors: 505, PriorDonors: 720,
			New: 240, Recaptured: 60, Retained: 205, Lapsed: 515, RetentionRate: f(0.2847),
			Dollars: 190000, PriorDollars: 305000, LYBUNT: 515, LYBUNTDollars: 140000, SYBUNT: 380, SYBUNTDollars: 98000},
	}
	r.Cohorts = []metrics.Cohort{
		{Cohort: "FY2022", Start: d("2021-07-01"), Size: 610, Gave: []int{310, 205}, Rates: []float64{0.5082, 0.3361}},
		{Cohort: "FY2023", Start: d("2022-07-01"), Size: 380, Gave: []int{120}, Rates: []float64{0.3158}},
		{Cohort: "FY2024", Start: d("2023-07-01"), Size: 350},
	}
	qs := []struct {
		p          string
		start, end string
		complete   bool
		gifts, don int
		nw         int
		dollars    float64
		ot         float64
	}{
		{"FY2024-Q1", "2023-07-01", "2023-09-30", true, 260, 210, 80, 61000, 0.6923},
		{"FY2024-Q2", "2023-10-01", "2023-12-31", true, 540, 400, 150, 120000, 0.6296},
		{"FY2024-Q3", "2024-01-01", "2024-03-31", true, 230, 190, 60, 58000, 0.7739},
		{"FY2024-Q4", "2024-04-01", "2024-06-30", true, 250, 200, 60, 66000, 0.792},
		{"FY2025-Q1", "2024-07-01", "2024-09-30", true, 280, 220, 90, 64000, 0.8273},
		{"FY2025-Q2", "2024-10-01", "2024-12-31", true, 520, 390, 130, 104000, 0.7324},
		{"FY2025-Q3", "2025-01-01", "2025-03-31", false, 110, 95, 20, 22000, 0.8736},
	}
	for i, q := range qs {
		x := metrics.Quarter{Period: q.p, Start: d(q.start), End: d(q.end), Complete: q.complete, Gifts: q.gifts, Donors: q.don, NewDonors: q.nw, Dollars: q.dollars, OnTimeRate: f(q.ot), MedianDays: f(1.5)}
		if i >= 4 {
			x.SameQuarterA = qs[i-4].p
		}
		r.Quarters = append(r.Quarters, x)
	}
	// The quarters' on-time rates above are those of ThankYou.Quarters below.
	st := func(p string, el, ack, on, over, pend int, med, p90 float64) metrics.ThankYouStats {
		return metrics.ThankYouStats{Period: p, Eligible: el, Acknowledged: ack, OnTime: on, Overdue: over, Pending: pend,
			OnTimeRate: f(float64(on) / float64(ack+over)), MedianDays: f(med), P90Days: f(p90)}
	}
	r.ThankYou = metrics.ThankYou{
		Recorded: true, TargetDays: 2, Days: "calendar",
		Periods:   []metrics.ThankYouStats{st("FY2023", 1500, 1480, 950, 20, 0, 2, 9), st("FY2024", 1600, 1590, 1150, 10, 0, 1.5, 6), st("FY2025", 900, 860, 700, 30, 10, 1, 4)},
		ByTier:    []metrics.ThankYouStats{st("Under $100", 500, 495, 400, 5, 0, 1, 3), st("$100 to $999", 900, 890, 650, 5, 0, 1.5, 5), st("$1,000 and over", 200, 205, 100, 0, 0, 3, 12)},
		ByChannel: []metrics.ThankYouStats{st("Online", 900, 900, 850, 0, 0, 0, 1), st("Cheque", 700, 690, 300, 10, 0, 4, 14)},
		ByCamp:    []metrics.ThankYouStats{st("Spring Appeal 2024", 600, 595, 500, 5, 0, 1, 3), st("Year-End 2023", 1000, 995, 650, 5, 0, 2, 8), {Period: "Gala", Eligible: 4, Suppressed: true}},
		Overall:   st("All", 4000, 3930, 2800, 60, 10, 1.5, 7),
		Histogram: []metrics.LatencyBin{{Label: "0", Count: 900}, {Label: "1", Count: 1200}, {Label: "2", Count: 700}, {Label: "3-7", Count: 800}, {Label: "8-30", Count: 280}, {Label: "31+", Count: 50}},
		Backlog:   []metrics.Backlog{{Label: "3-7 days", Count: 12, Dollars: 2400}, {Label: "8-30 days", Count: 30, Dollars: 5100}, {Label: "31-90 days", Count: 15, Dollars: 1900}, {Label: "over 90 days", Count: 3, Dollars: 250}},
		Negative:  []metrics.RowRef{{File: "gifts-2025.csv", Row: 118}, {File: "gifts-2025.csv", Row: 2044}},
		Quarters: []metrics.ThankYouStats{st("FY2024-Q1", 260, 255, 180, 5, 0, 1.5, 5), st("FY2024-Q2", 540, 530, 340, 10, 0, 2, 7),
			st("FY2024-Q3", 230, 228, 178, 2, 0, 1, 4), st("FY2024-Q4", 250, 248, 198, 2, 0, 1, 4), st("FY2025-Q1", 280, 275, 230, 3, 2, 1, 3),
			st("FY2025-Q2", 520, 500, 375, 12, 5, 1, 4), st("FY2025-Q3", 110, 85, 76, 2, 3, 1, 2)},
	}
	r.QuarterCohorts = []metrics.Cohort{
		{Cohort: "FY2024-Q1", Start: d("2023-07-01"), Size: 80, Gave: []int{12, 20, 9, 30, 10}, Rates: []float64{0.15, 0.25, 0.1125, 0.375, 0.125}},
		{Cohort: "FY2024-Q2", Start: d("2023-10-01"), Size: 150, Gave: []int{15, 12, 40, 20}, Rates: []float64{0.1, 0.08, 0.2667, 0.1333}},
		{Cohort: "FY2024-Q3", Start: d("2024-01-01"), Size: 60, Gave: []int{6, 8, 5}, Rates: []float64{0.1, 0.1333, 0.0833}},
		{Cohort: "FY2024-Q4", Start: d("2024-04-01"), Size: 60, Gave: []int{9, 14}, Rates: []float64{0.15, 0.2333}},
		{Cohort: "FY2025-Q1", Start: d("2024-07-01"), Size: 90, Gave: []int{11}, Rates: []float64{0.1222}},
		{Cohort: "FY2025-Q2", Start: d("2024-10-01"), Size: 130},
		{Cohort: "FY2025-Q3", Start: d("2025-01-01"), Size: 20},
	}
	fun := metrics.Funnel{Name: "Donor ladder", Stages: []metrics.Stage{
		{Name: "First gift", Reached: 1710, Converted: 820, Denominator: 1710, ConversionRate: f(0.4795), ConversionCI95: []float64{0.456, 0.503}, MedianDaysToNext: f(210)},
		{Name: "Second gift", Reached: 820, Converted: 260, Denominator: 820, ConversionRate: f(0.3171), MedianDaysToNext: f(400)},
		{Name: "Gave in 3+ fiscal years", Reached: 260},
	}, Cohorts: []metrics.FunnelCohort{
		{Cohort: "FY2022", Reached: []int{610, 400, 200}},
		{Cohort: "FY2023", Reached: []int{380, 180, 60}},
		{Cohort: "FY2024", Reached: []int{350, 120, 0}},
		{Cohort: "FY2025", Reached: []int{370, 120, 0}},
	}}
	vol := metrics.Funnel{Name: "Volunteer to donor", WindowDays: 365, Stages: []metrics.Stage{
		{Name: "Signed up", Reached: 240, Converted: 90, Denominator: 200, StillInWindow: 40, ConversionRate: f(0.45), MedianDaysToNext: f(35)},
		{Name: "Volunteered", Reached: 110, Implied: 60, Converted: 21, Denominator: 95, StillInWindow: 15, ConversionRate: f(0.2211), MedianDaysToNext: f(120)},
		{Name: "First gift", Reached: 25},
	}, Cohorts: []metrics.FunnelCohort{{Cohort: "FY2024", Reached: []int{130, 70, 18}}, {Cohort: "FY2025", Reached: []int{110, 40, 7}}}}
	r.Funnels = []metrics.Funnel{fun, vol}
	r.Funnel = &r.Funnels[0]
	r.Goals = []metrics.Goal{
		{ID: "retention", Label: "Keep more of our donors", Metric: "retention_rate", Period: "FY2024", Comparison: ">=", Target: 0.45,
			Actual: f(0.4203), CI95: []float64{0.3838, 0.4576}, Denominator: 690, Status: "too close to call",
			Trend: []metrics.GoalPoint{{Period: "FY2023", Value: f(0.5082)}, {Period: "FY2024", Value: f(0.4203)}}},
		{ID: "thanks", Label: "Thank donors within 48 hours", Metric: "on_time_rate", Period: "FY2024", Comparison: ">=", Target: 0.7,
			Actual: f(0.7188), CI95: []float64{0.6963, 0.7403}, Denominator: 1600, Status: "met",
			Trend: []metrics.GoalPoint{{Period: "FY2023", Value: f(0.6333)}, {Period: "FY2024", Value: f(0.7188)}}},
		{ID: "ladder", Label: "Volunteers who give", Metric: "funnel_conversion", Period: "all", Comparison: ">=", Target: 0.2,
			Actual: f(0.2211), CI95: []float64{0.149, 0.315}, Denominator: 95, Status: "too close to call"},
	}
	return r
}

// notRecorded is the fixture with no thank-you dates in the exports.
func notRecorded() *metrics.Report {
	r := fixture()
	r.ThankYou = metrics.ThankYou{Recorded: false, TargetDays: 2, Days: "calendar"}
	for i := range r.Quarters {
		r.Quarters[i].OnTimeRate = nil
		r.Quarters[i].MedianDays = nil
	}
	r.Goals[1] = metrics.Goal{ID: "thanks", Label: "Thank donors within 48 hours", Metric: "on_time_rate", Period: "FY2024", Comparison: ">=", Target: 0.7,
		Status: "no data", Reason: "thank-you dates are not recorded in these exports"}
	return r
}
