package metrics

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"steward"
)

func TestDefaultFunnelHand(t *testing.T) {
	r := handReport(t, handSettings())
	if r.Funnel == nil || r.Funnel != &r.Funnels[0] || r.Funnel.Name != "Donor ladder" {
		t.Fatalf("funnel %+v", r.Funnel)
	}
	// First gift: A-J (10). Second gift: A B C D E H I (7); D's refunded
	// first gift still counts as a qualifying gift. 3+ fiscal years (net > 0):
	// A (2023-03-10), B (2024-10-10), H (2023-01-15).
	// Days first -> second: A 370, B 924, C 736, D 480, E 366, H 424, I 365;
	// sorted 365 366 370 424 480 736 924: median 424.
	// Second -> third: A 2022-03-15..2023-03-10 = 360, B 2023-11-11..2024-10-10
	// = 334, H 2022-04-01..2023-01-15 = 289: median 334.
	want := Funnel{Name: "Donor ladder", Stages: []Stage{
		{Name: "First gift", Reached: 10, Converted: 7, Denominator: 10, ConversionRate: f(0.7), ConversionCI95: ci(7, 10), MedianDaysToNext: f(424)},
		{Name: "Second gift", Reached: 7, Converted: 3, Denominator: 7, ConversionRate: f(3.0 / 7), ConversionCI95: ci(3, 7), MedianDaysToNext: f(334)},
		{Name: "Gave in 3+ fiscal years", Reached: 3},
	}, Cohorts: []FunnelCohort{
		{Cohort: "FY2021", Reached: []int{5, 4, 3}}, // A B F H I; A B H I; A B H
		{Cohort: "FY2022", Reached: []int{2, 2, 0}}, // C D
		{Cohort: "FY2023", Reached: []int{1, 1, 0}}, // E
		{Cohort: "FY2024", Reached: []int{2, 0, 0}}, // G J
	}}
	if diff := cmp.Diff(want, *r.Funnel, approx); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestConfiguredFunnel(t *testing.T) {
	s := DefaultSettings()
	s.AsOf = d("2024-12-31")
	s.Funnels = []FunnelSpec{{Name: "Engagement", WindowDays: 30, Stages: []StageSpec{
		{Name: "Signed up", Events: []string{"Email Opt-In Date"}},
		{Name: "Attended", Events: []string{"workshop", "Webinar"}},
		{Name: "Donated", Gift: "first"},
	}}}
	gifts := buildGifts([]gb{
		{acct: "H1", date: "2024-02-10", dollars: 50},
		{acct: "H2", date: "2024-05-31", dollars: 20},
	})
	people := []steward.Person{{ID: "p1", Household: "H1"}, {ID: "p2", Household: "H2"}, {ID: "p3"}, {ID: "p4", Household: "H4"}}
	ev := func(p, name, date string) steward.Event { return steward.Event{Person: p, Name: name, Date: d(date)} }
	events := []steward.Event{
		ev("p1", "Email Opt-In Date", "2024-01-01"),
		ev("p1", "email opt-in date", "2024-02-01"), // later: first date kept
		ev("p1", "WORKSHOP", "2024-01-20"),
		ev("p1", "Gala", "2023-01-01"),    // not in any stage
		ev("p2", "Webinar", "2024-05-01"), // no sign-up: implied
		ev("p3", "Email Opt-In Date", "2024-12-15"),
		ev("p4", "Email Opt-In Date", "2024-02-01"),
		ev("p4", "Workshop", "2024-04-01"), // 60 days: outside the window
		ev("p5", "Email Opt-In Date", "2023-05-01"),
		ev("p5", "Workshop", "2025-02-01"), // after as-of: ignored
	}
	r, err := Compute(s, gifts, people, events, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Units: H1 (p1), H2 (p2), p3, H4 (p4), p5.
	// Signed up: H1 01-01, H2 implied 05-01, p3 12-15, H4 02-01, p5 2023-05-01.
	//   p3 is 16 days before as-of: still in window. Denominator 4.
	//   Converted within 30 days: H1 (19), H2 (0); H4 took 60. Median 9.5.
	// Attended: H1 01-20, H2 05-01, H4 04-01. Donated within 30 days:
	//   H1 01-20 -> 02-10 = 21, H2 05-01 -> 05-31 = 30. Median 25.5.
	want := Funnel{Name: "Engagement", WindowDays: 30, Stages: []Stage{
		{Name: "Signed up", Reached: 5, Implied: 1, Converted: 2, Denominator: 4, StillInWindow: 1,
			ConversionRate: f(0.5), ConversionCI95: ci(2, 4), MedianDaysToNext: f(9.5)},
		{Name: "Attended", Reached: 3, Converted: 2, Denominator: 3,
			ConversionRate: f(2.0 / 3), ConversionCI95: ci(2, 3), MedianDaysToNext: f(25.5)},
		{Name: "Donated", Reached: 2},
	}, Cohorts: []FunnelCohort{
		{Cohort: "FY2023", Reached: []int{1, 0, 0}},
		{Cohort: "FY2024", Reached: []int{4, 3, 2}},
	}}
	if diff := cmp.Diff([]Funnel{want}, r.Funnels, approx); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestGiftStages(t *testing.T) {
	s := DefaultSettings()
	s.Funnels = []FunnelSpec{{Name: "Gifts", Stages: []StageSpec{
		{Name: "cum", Cumulative: 100_00},
		{Name: "year", SingleYear: 100_00},
		{Name: "monthly", Gift: "recurring"},
	}}}
	gifts := buildGifts([]gb{
		// K: 60 (2023-11-01) + 50 (2024-01-05) = 110 cumulative on 2024-01-05,
		// but no single year reaches 100 until 2024-03-01 (50 + 60).
		{acct: "K", date: "2023-11-01", dollars: 60},
		{acct: "K", date: "2024-01-05", dollars: 50},
		{acct: "K", date: "2024-03-01", dollars: 60},
		// L: 120 then refund 30 the same day: 90, never 100.
		{acct: "L", date: "2024-02-01", dollars: 120},
		{acct: "L", date: "2024-02-01", dollars: -30},
	})
	gifts[2].Type = "Recurring donation"
	r, err := Compute(s, gifts, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := r.Funnel.Stages
	// K reaches all three: cum 2024-01-05, year 2024-03-01, recurring 2024-03-01.
	if st[0].Reached != 1 || st[1].Reached != 1 || st[2].Reached != 1 || st[1].Implied != 0 ||
		*st[0].MedianDaysToNext != 56 || *st[1].MedianDaysToNext != 0 {
		t.Errorf("%+v", st)
	}
}

func goalByID(r *Report, id string) Goal {
	for _, g := range r.Goals {
		if g.ID == id {
			return g
		}
	}
	return Goal{}
}

func TestGoals(t *testing.T) {
	s := handSettings()
	s.Goals = []GoalSpec{
		{ID: "ret", Metric: "retention_rate", Target: 0.5},
		{ID: "newret", Metric: "new_donor_retention_rate", Target: 0.1, Period: "FY2022"},
		{ID: "growth", Metric: "growth_in_giving", Comparison: ">", Target: 0},
		{ID: "dollars", Metric: "dollars", Target: 2000},
		{ID: "median", Metric: "median_days", Target: 3},
		{ID: "ontime", Metric: "on_time_rate", Target: 0.9, Period: "latest"},
		{ID: "funnel", Metric: "funnel_conversion", Funnel: "Donor ladder", Stage: "First gift", Target: 0.9},
		{ID: "old", Metric: "donors", Period: "FY2019", Target: 1},
		{ID: "future", Metric: "retention_rate", Period: "FY2025", Target: 1},
	}
	r := handReport(t, s)
	want := []Goal{
		// FY2024: 4/5 = 0.8; Wilson [0.3755, 0.9638] contains 0.5.
		{ID: "ret", Metric: "retention_rate", Period: "FY2024", Comparison: ">=", Target: 0.5, Actual: f(0.8),
			CI95: ci(4, 5), Denominator: 5, Status: "too close to call", SmallNumbers: true,
			Trend: []GoalPoint{{"FY2021", nil}, {"FY2022", f(0.6)}, {"FY2023", f(0.5)}, {"FY2024", f(0.8)}}},
		// FY2022: 3/5; Wilson [0.2307, 0.8824] is above 0.1.
		{ID: "newret", Metric: "new_donor_retention_rate", Period: "FY2022", Comparison: ">=", Target: 0.1, Actual: f(0.6),
			CI95: ci(3, 5), Denominator: 5, Status: "met", SmallNumbers: true,
			Trend: []GoalPoint{{"FY2021", nil}, {"FY2022", f(0.6)}}},
		{ID: "growth", Metric: "growth_in_giving", Period: "FY2024", Comparison: ">", Actual: f(315.0 / 805),
			Denominator: 5, Status: "met", SmallNumbers: true,
			Trend: []GoalPoint{{"FY2021", nil}, {"FY2022", f(-840.0 / 1235)}, {"FY2023", f(410.0 / 395)}, {"FY2024", f(315.0 / 805)}}},
		// FY2024 net of all gifts: 1195 - 60 = 1135.
		{ID: "dollars", Metric: "dollars", Period: "FY2024", Comparison: ">=", Target: 2000, Actual: f(1135),
			Denominator: 6, Status: "missed", SmallNumbers: true,
			Trend: []GoalPoint{{"FY2021", f(1235)}, {"FY2022", f(395)}, {"FY2023", f(845)}, {"FY2024", f(1135)}}},
		{ID: "median", Metric: "median_days", Period: "FY2024", Comparison: "<=", Target: 3, Actual: f(1),
			Denominator: 3, Status: "met", SmallNumbers: true,
			Trend: []GoalPoint{{"FY2021", nil}, {"FY2022", nil}, {"FY2023", f(3)}, {"FY2024", f(1)}}},
		// 2/5 = 0.4, Wilson [0.1176, 0.7693] is below 0.9.
		{ID: "ontime", Metric: "on_time_rate", Period: "FY2024", Comparison: ">=", Target: 0.9, Actual: f(0.4),
			CI95: ci(2, 5), Denominator: 5, Status: "missed", SmallNumbers: true,
			Trend: []GoalPoint{{"FY2021", f(0)}, {"FY2022", f(0)}, {"FY2023", f(1.0 / 6)}, {"FY2024", f(0.4)}}},
		// 7/10, Wilson [0.3968, 0.8922] is below 0.9.
		{ID: "funnel", Metric: "funnel_conversion", Period: "all", Comparison: ">=", Target: 0.9, Actual: f(0.7),
			CI95: ci(7, 10), Denominator: 10, Status: "missed", SmallNumbers: true, Trend: []GoalPoint{}},
		{ID: "old", Metric: "donors", Period: "FY2019", Comparison: ">=", Target: 1, Status: "no data",
			Reason: "FY2019 has no gifts", Trend: []GoalPoint{}},
		{ID: "future", Metric: "retention_rate", Period: "FY2025", Comparison: ">=", Target: 1, Status: "no data",
			Reason: "FY2025 has no gifts", Trend: []GoalPoint{}},
	}
	if diff := cmp.Diff(want, r.Goals, approx); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if lo, hi := Wilson(4, 5); !(lo < 0.5 && hi > 0.5) || lo < 0.3754 || lo > 0.3756 {
		t.Errorf("Wilson(4,5) = %v %v", lo, hi)
	}
}

func TestGoalsIncompleteAndNotRecorded(t *testing.T) {
	s := DefaultSettings()
	s.AsOf = d("2024-06-30")
	s.Goals = []GoalSpec{
		{ID: "inc", Metric: "retention_rate", Period: "FY2024", Target: 0.5},
		{ID: "latest", Metric: "donors", Target: 1},
		{ID: "ack", Metric: "on_time_rate", Target: 0.5},
	}
	r, err := Compute(s, buildGifts([]gb{
		{acct: "A", date: "2023-03-01", dollars: 10},
		{acct: "A", date: "2024-03-01", dollars: 10},
	}), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g := goalByID(r, "inc"); g.Status != "no data" || g.Reason != "FY2024 is not complete (as of 2024-06-30)" {
		t.Errorf("incomplete: %+v", g)
	}
	if g := goalByID(r, "latest"); g.Period != "FY2023" || g.Status != "met" || *g.Actual != 1 {
		t.Errorf("latest: %+v", g)
	}
	if g := goalByID(r, "ack"); g.Status != "no data" || g.Reason != "acknowledgment dates are not recorded" {
		t.Errorf("ack: %+v", g)
	}
	// With no complete year at all.
	s.AsOf = d("2023-06-30")
	r, _ = Compute(s, buildGifts([]gb{{acct: "A", date: "2023-03-01", dollars: 10}}), nil, nil, nil)
	if g := goalByID(r, "latest"); g.Status != "no data" || g.Reason != "no complete fiscal year yet" {
		t.Errorf("none complete: %+v", g)
	}
}

func TestCurrencyError(t *testing.T) {
	gifts := buildGifts([]gb{{acct: "A", date: "2024-01-01", dollars: 1}, {acct: "B", date: "2024-01-02", dollars: 2}, {acct: "C", date: "2024-01-03", dollars: 3}})
	gifts[1].Currency = "EUR"
	gifts[2].Source = 1
	sources := []steward.Source{{File: "gifts.csv"}, {File: "more.csv"}}
	_, err := Compute(DefaultSettings(), gifts, nil, nil, sources)
	want := "gifts.csv: row 3: more than one currency (USD, EUR): set currency: USD in the config"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	// A code holding a line break is quoted: the message stays one line.
	gifts[1].Currency = "E\nUR"
	_, err = Compute(DefaultSettings(), gifts, nil, nil, sources)
	want = `gifts.csv: row 3: more than one currency (USD, "E\nUR"): set currency: USD in the config`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	gifts[1].Currency = "EUR"
	s := DefaultSettings()
	s.Currency = "usd"
	r, err := Compute(s, gifts, nil, nil, sources)
	if err != nil || r.Totals.OtherCurrency != 1 || r.Totals.Gifts != 2 || r.Currency != "USD" {
		t.Errorf("with currency set: %v %+v", err, r.Totals)
	}
}

func TestEmpty(t *testing.T) {
	r, err := Compute(DefaultSettings(), nil, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Retention) != 0 || r.ThankYou.Recorded || r.Funnel == nil || r.Funnel.Stages[0].Reached != 0 ||
		r.Funnel.Stages[0].ConversionRate != nil || r.AsOf != steward.NoDate {
		t.Errorf("%+v", r)
	}
	// One donor, one gift: FY entry with no prior year, rates nil.
	r, _ = Compute(DefaultSettings(), buildGifts([]gb{{acct: "A", date: "2024-05-01", dollars: 10}}), nil, nil, nil)
	y := r.Retention[0]
	if y.Donors != 1 || y.New != 1 || y.RetentionRate != nil || y.GrowthInGiving != nil || y.Complete {
		t.Errorf("%+v", y)
	}
}

// TestFiscalYearsStage: a "gave in N fiscal years" stage is reached on the
// first gift of the Nth fiscal year with positive net giving: a year whose
// gifts are refunded does not count, a refund in a year with no gifts at
// all (before the report's first year) does not either, and the year's
// first gift is its earliest, whichever order the rows come in.
func TestFiscalYearsStage(t *testing.T) {
	s := handSettings()
	s.Funnels = []FunnelSpec{{Name: "Years", Stages: []StageSpec{
		{Name: "First gift", Gift: "first"}, {Name: "Two years", FiscalYears: 2}}}}
	gifts := buildGifts([]gb{
		{acct: "X", date: "2020-02-10", dollars: 50},
		{acct: "X", date: "2021-01-05", dollars: 30},
		{acct: "X", date: "2021-02-01", dollars: -30}, // 2021 nets 0
		{acct: "X", date: "2022-08-20", dollars: 10},
		{acct: "X", date: "2022-04-02", dollars: 10}, // 2022's first gift
		{acct: "Y", date: "2018-03-01", dollars: -5}, // no gift in 2018 at all
		{acct: "Y", date: "2020-03-01", dollars: 20},
		{acct: "Y", date: "2021-03-01", dollars: 20},
		{acct: "Z", date: "2020-06-01", dollars: 20}, // one year only
	})
	r, err := Compute(s, gifts, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// X: 2020-02-10 -> 2022-04-02 = 782 days; Y: 2020-03-01 -> 2021-03-01
	// = 365 days. Median 573.5.
	want := []Stage{
		{Name: "First gift", Reached: 3, Converted: 2, Denominator: 3, ConversionRate: f(2.0 / 3),
			ConversionCI95: ci(2, 3), MedianDaysToNext: f(573.5)},
		{Name: "Two years", Reached: 2},
	}
	if diff := cmp.Diff(want, r.Funnels[0].Stages, approx); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
