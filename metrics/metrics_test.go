package metrics

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"steward"
)

func d(s string) steward.Date {
	v, err := steward.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func f(v float64) *float64 { return &v }

var approx = cmpopts.EquateApprox(0, 1e-9)

// gift builds a gift row; acct "" and contact "" make it anonymous.
type gb struct {
	acct, contact, date string
	dollars             float64
	ack                 string
	status              steward.AckStatus
	channel             string
}

func buildGifts(rows []gb) []steward.Gift {
	out := make([]steward.Gift, len(rows))
	for i, r := range rows {
		g := steward.Gift{Account: r.acct, Contact: r.contact, Date: d(r.date),
			Amount: steward.Cents(math.Round(r.dollars * 100)), Currency: "USD",
			AckStatus: r.status, Channel: r.channel, Source: 0, Row: i + 2}
		if r.ack != "" {
			g.AckDate = d(r.ack)
		}
		if g.Amount < 0 {
			g.Refund = true
		}
		out[i] = g
	}
	return out
}

// handRows is the hand-built dataset (calendar fiscal years, as-of
// 2024-12-31). Per donor and fiscal year, the net A(d,Y) is:
//
//	A: 21:100 22:100 23:150 24:150   (same amount in 2024)
//	B: 21:50          23:50  24:20    (recaptured 2023, downgraded 2024)
//	C:        22:200         24:300   (new 2022, lapsed 2023, recaptured 2024)
//	D:        22:0    23:80           (2022 gift refunded: nets 0, so new in 2023)
//	E:                23:500 24:600   (new 2023, upgraded 2024)
//	F: 21:1000                        (lapsed new 2022, SYBUNT 2023 and 2024)
//	G:                       24:25    (contact id only; new 2024)
//	H: 21:10  22:20   23:25  24:25    (2023: 30 less a 5 refund)
//	I: 21:75  22:75                   (lapsed repeat 2023, SYBUNT 2024)
//	J:                       24:0     (refunded in full: never "gave")
//	anonymous: 2023 $40, 2024 $15. One row dated 2025 is after as-of.
var handRows = []gb{
	{acct: "A", date: "2021-03-10", dollars: 100},                                       // row 2
	{acct: "B", date: "2021-05-01", dollars: 50},                                        // 3
	{acct: "F", date: "2021-12-20", dollars: 1000},                                      // 4
	{acct: "H", date: "2021-02-01", dollars: 10},                                        // 5
	{acct: "I", date: "2021-07-04", dollars: 75},                                        // 6
	{acct: "A", date: "2022-03-15", dollars: 100},                                       // 7
	{acct: "C", date: "2022-06-01", dollars: 200},                                       // 8
	{acct: "D", date: "2022-01-10", dollars: 100},                                       // 9
	{acct: "D", date: "2022-02-10", dollars: -100},                                      // 10 refund
	{acct: "H", date: "2022-04-01", dollars: 10},                                        // 11
	{acct: "H", date: "2022-09-01", dollars: 10},                                        // 12
	{acct: "I", date: "2022-07-04", dollars: 75},                                        // 13
	{acct: "A", date: "2023-03-10", dollars: 150, ack: "2023-03-13"},                    // 14 latency 3
	{acct: "B", date: "2023-11-11", dollars: 50},                                        // 15
	{acct: "D", date: "2023-05-05", dollars: 80, ack: "2023-05-25"},                     // 16 latency 20
	{acct: "E", date: "2023-08-08", dollars: 500, ack: "2023-08-08"},                    // 17 latency 0
	{acct: "H", date: "2023-01-15", dollars: 30},                                        // 18
	{acct: "H", date: "2023-02-15", dollars: -5},                                        // 19 refund
	{date: "2023-12-01", dollars: 40},                                                   // 20 anonymous
	{acct: "A", date: "2024-03-10", dollars: 150, ack: "2024-03-11", channel: "Online"}, // 21 latency 1
	{acct: "B", date: "2024-10-10", dollars: 20, ack: "2024-10-17", channel: "Check"},   // 22 latency 7
	{acct: "C", date: "2024-06-06", dollars: 300, ack: "2024-06-06", channel: "Online"}, // 23 latency 0
	{acct: "E", date: "2024-08-08", dollars: 600, status: steward.AckDoNotAcknowledge},  // 24 not eligible
	{contact: "G", date: "2024-12-31", dollars: 25},                                     // 25 pending
	{acct: "H", date: "2024-01-15", dollars: 25, ack: "2024-01-10"},                     // 26 negative
	{acct: "J", date: "2024-06-15", dollars: 60},                                        // 27 overdue 199 days
	{acct: "J", date: "2024-07-01", dollars: -60},                                       // 28 refund
	{date: "2024-12-27", dollars: 15},                                                   // 29 anonymous, overdue 4 days
	{acct: "A", date: "2025-01-05", dollars: 999},                                       // 30 after as-of
}

var handSources = []steward.Source{{File: "gifts.csv"}}

func handSettings() Settings {
	s := DefaultSettings()
	s.AsOf = d("2024-12-31")
	return s
}

func handReport(t *testing.T, s Settings) *Report {
	t.Helper()
	r, err := Compute(s, buildGifts(handRows), nil, nil, handSources)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRetentionHand(t *testing.T) {
	r := handReport(t, handSettings())
	y := func(s string) steward.Date { return d(s) }
	want := []Retention{
		{
			// FY2021: A B F H I all new; no prior year.
			Period: "FY2021", Start: y("2021-01-01"), End: y("2021-12-31"), Complete: true,
			Donors: 5, New: 5, Dollars: 1235, NewDollars: 1235, Gains: 1235,
			SmallNumbers: true,
		},
		{
			// FY2022: gave A(100) C(200) H(20) I(75); D nets 0 so did not give.
			// prior A B F H I, all new in 2021. New C. Retained A(same) H(+10) I(same).
			// Lapsed B(50) F(1000), both lapsed new.
			// Dollars 395, prior 1235, retained 100+20+75 = 195.
			// Gains 200+10 = 210, losses 1050: 210-1050 = -840 = 395-1235.
			Period: "FY2022", Start: y("2022-01-01"), End: y("2022-12-31"), Complete: true,
			Donors: 4, PriorDonors: 5, New: 1, Retained: 3, Upgraded: 1, Same: 2,
			Lapsed: 2, LapsedNew: 2, PriorNew: 5,
			RetentionRate: f(3.0 / 5), RetentionRateCI95: ci(3, 5),
			NewDonorRetentionRate: f(3.0 / 5), NewDonorRetentionCI95: ci(3, 5),
			Dollars: 395, PriorDollars: 1235, RetainedDollars: 195,
			DollarRetentionRate: f(195.0 / 1235), AcquisitionRate: f(1.0 / 5),
			NewDollars: 200, UpgradeDollars: 10, LapsedDollars: 1050,
			Gains: 210, Losses: 1050, GrowthInGiving: f(-840.0 / 1235),
			LYBUNT: 2, LYBUNTDollars: 1050, SmallNumbers: true,
		},
		{
			// FY2023: gave A(150) B(50) D(80) E(500) H(25); anonymous $40 left out.
			// prior A C H I; C new in 2022 (PriorNew 1), A H I repeat (3).
			// New D E (580); recaptured B (50); retained A(+50) H(+5), both upgraded.
			// Lapsed C(200, new) I(75, repeat). SYBUNT: F (1000), gave 2021 only.
			// Dollars 805, prior 395, retained 175. Gains 580+50+55 = 685,
			// losses 275: 410 = 805-395.
			Period: "FY2023", Start: y("2023-01-01"), End: y("2023-12-31"), Complete: true,
			Donors: 5, PriorDonors: 4, New: 2, Recaptured: 1, Retained: 2, Upgraded: 2,
			Lapsed: 2, LapsedNew: 1, LapsedRepeat: 1, PriorNew: 1, PriorRepeat: 3,
			RetentionRate: f(2.0 / 4), RetentionRateCI95: ci(2, 4),
			NewDonorRetentionRate: f(0), NewDonorRetentionCI95: ci(0, 1),
			RepeatDonorRetentionRate: f(2.0 / 3), RepeatDonorRetentionCI95: ci(2, 3),
			Dollars: 805, PriorDollars: 395, RetainedDollars: 175,
			DollarRetentionRate: f(175.0 / 395), AcquisitionRate: f(2.0 / 4),
			NewDollars: 580, RecapturedDollars: 50, UpgradeDollars: 55, LapsedDollars: 275,
			Gains: 685, Losses: 275, GrowthInGiving: f(410.0 / 395),
			LYBUNT: 2, LYBUNTDollars: 275, SYBUNT: 1, SYBUNTDollars: 1000, SmallNumbers: true,
		},
		{
			// FY2024: gave A(150) B(20) C(300) E(600) G(25) H(25); J nets 0.
			// prior A B D E H; D E new in 2023 (2), A B H repeat (3).
			// New G (25); recaptured C (300); retained A(same) B(-30) E(+100) H(same).
			// Lapsed D (80, new). SYBUNT: F (1000) and I (150).
			// Dollars 1120, prior 805, retained 150+20+600+25 = 795.
			// Gains 25+300+100 = 425, losses 30+80 = 110: 315 = 1120-805.
			Period: "FY2024", Start: y("2024-01-01"), End: y("2024-12-31"), Complete: true,
			Donors: 6, PriorDonors: 5, New: 1, Recaptured: 1, Retained: 4, Upgraded: 1,
			Same: 2, Downgraded: 1, Lapsed: 1, LapsedNew: 1, PriorNew: 2, PriorRepeat: 3,
			RetentionRate: f(4.0 / 5), RetentionRateCI95: ci(4, 5),
			NewDonorRetentionRate: f(1.0 / 2), NewDonorRetentionCI95: ci(1, 2),
			RepeatDonorRetentionRate: f(1), RepeatDonorRetentionCI95: ci(3, 3),
			Dollars: 1120, PriorDollars: 805, RetainedDollars: 795,
			DollarRetentionRate: f(795.0 / 805), AcquisitionRate: f(1.0 / 5),
			NewDollars: 25, RecapturedDollars: 300, UpgradeDollars: 100, DowngradeDollars: 30,
			LapsedDollars: 80, Gains: 425, Losses: 110, GrowthInGiving: f(315.0 / 805),
			LYBUNT: 1, LYBUNTDollars: 80, SYBUNT: 2, SYBUNTDollars: 1150, SmallNumbers: true,
		},
	}
	if diff := cmp.Diff(want, r.Retention, approx); diff != "" {
		t.Errorf("retention (-want +got):\n%s", diff)
	}
	// 25 positive rows (row 30 is after as-of), 3 refunds; donors A-J.
	// Net: 1235 + 495 + 850 + 1195 - 165 = 3610. Anonymous 40 + 15.
	wantT := Totals{Gifts: 25, Refunds: 3, Donors: 10, Dollars: 3610, AnonymousGifts: 2,
		AnonymousDollars: 55, FirstGift: d("2021-02-01"), LastGift: d("2024-12-31"), AfterAsOf: 1}
	if diff := cmp.Diff(wantT, r.Totals, approx); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
	if r.Currency != "USD" || r.AsOf != d("2024-12-31") || r.Schema != Schema {
		t.Errorf("header: %q %v %q", r.Currency, r.AsOf, r.Schema)
	}
}

func TestCohortsHand(t *testing.T) {
	r := handReport(t, handSettings())
	// 2021: A B F H I; gave 2022 A H I, 2023 A B H, 2024 A B H.
	// 2022: C; 2023 no, 2024 yes. 2023: D E; 2024 E. 2024: G.
	want := []Cohort{
		{Cohort: "FY2021", Start: d("2021-01-01"), Size: 5, Gave: []int{3, 3, 3}, Rates: []float64{0.6, 0.6, 0.6}},
		{Cohort: "FY2022", Start: d("2022-01-01"), Size: 1, Gave: []int{0, 1}, Rates: []float64{0, 1}},
		{Cohort: "FY2023", Start: d("2023-01-01"), Size: 2, Gave: []int{1}, Rates: []float64{0.5}},
		{Cohort: "FY2024", Start: d("2024-01-01"), Size: 1, Gave: []int{}, Rates: []float64{}},
	}
	if diff := cmp.Diff(want, r.Cohorts, approx); diff != "" {
		t.Errorf("cohorts (-want +got):\n%s", diff)
	}
	// R[c][1] equals new-donor retention of c+1.
	for i, c := range r.Cohorts {
		if i+1 < len(r.Retention) && len(c.Rates) > 0 {
			if got := r.Retention[i+1].NewDonorRetentionRate; got == nil || *got != c.Rates[0] {
				t.Errorf("%s: R[c][1] = %v, new-donor retention of next year %v", c.Cohort, c.Rates[0], got)
			}
		}
	}
}

func TestQuartersHand(t *testing.T) {
	r := handReport(t, handSettings())
	got := map[string]Quarter{}
	for _, q := range r.Quarters {
		got[q.Period] = q
	}
	// FY2024-Q2 (Apr-Jun): C 300, J 60; J's first positive quarter -> 1 new.
	// Q3: E 600 and J's -60 refund; Q4: B 20, G 25 (new), anonymous 15.
	want := []Quarter{
		{Period: "FY2024-Q2", Start: d("2024-04-01"), End: d("2024-06-30"), Complete: true, Gifts: 2, Donors: 2, NewDonors: 1, Dollars: 360,
			OnTimeRate: f(1), MedianDays: f(0), SameQuarterA: "FY2023-Q2"},
		{Period: "FY2024-Q3", Start: d("2024-07-01"), End: d("2024-09-30"), Complete: true, Gifts: 1, Donors: 1, Dollars: 540,
			SameQuarterA: "FY2023-Q3"},
		{Period: "FY2024-Q4", Start: d("2024-10-01"), End: d("2024-12-31"), Complete: true, Gifts: 3, Donors: 2, NewDonors: 1, Dollars: 60,
			OnTimeRate: f(0), MedianDays: f(7), SameQuarterA: "FY2023-Q4"},
	}
	var gotL []Quarter
	for _, w := range want {
		gotL = append(gotL, got[w.Period])
	}
	// Q2: C on time (0), J overdue -> 1/2. Fix the expectation accordingly.
	want[0].OnTimeRate = f(0.5)
	if diff := cmp.Diff(want, gotL, approx); diff != "" {
		t.Errorf("quarters (-want +got):\n%s", diff)
	}
	if len(r.Quarters) != 15 { // FY2021 Q1-Q4, FY2022 Q1-Q3, FY2023 Q1-Q4, FY2024 Q1-Q4
		t.Errorf("%d quarters", len(r.Quarters))
	}
}

func TestJulyFiscalYear(t *testing.T) {
	jul := time.July
	for _, c := range []struct {
		date   string
		fy, q  int
		yStart string
	}{
		{"2024-07-01", 2025, 1, "2024-07-01"},
		{"2024-09-30", 2025, 1, "2024-07-01"},
		{"2024-10-01", 2025, 2, "2024-07-01"},
		{"2025-01-15", 2025, 3, "2024-07-01"},
		{"2025-06-30", 2025, 4, "2024-07-01"},
		{"2024-06-30", 2024, 4, "2023-07-01"},
	} {
		fy, q := FiscalQuarter(d(c.date), jul)
		if fy != c.fy || q != c.q || FiscalYear(d(c.date), jul) != c.fy {
			t.Errorf("%s: FY%d-Q%d, want FY%d-Q%d", c.date, fy, q, c.fy, c.q)
		}
		if s, _ := yearBounds(fy, jul); s != d(c.yStart) {
			t.Errorf("%s: year starts %v", c.date, s)
		}
	}
	if s, e := quarterBounds(2025*4+2, jul); s != d("2025-01-01") || e != d("2025-03-31") {
		t.Errorf("FY2025-Q3 = %v..%v", s, e)
	}
	// Retention with a July start: X gives on 2024-06-30 (FY2024) and
	// 2024-07-01 (FY2025): retained, upgraded 10 -> 20. Y gives only on
	// 2024-05-01 (FY2024): lapsed new. Z gives 2025-06-30 (FY2025): new.
	// As-of 2025-06-30 is the last day of FY2025, so it is complete.
	s := DefaultSettings()
	s.FYStartMonth = jul
	r, err := Compute(s, buildGifts([]gb{
		{acct: "X", date: "2024-06-30", dollars: 10},
		{acct: "X", date: "2024-07-01", dollars: 20},
		{acct: "Y", date: "2024-05-01", dollars: 5},
		{acct: "Z", date: "2025-06-30", dollars: 7},
	}), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	y := r.Retention[1]
	if y.Period != "FY2025" || !y.Complete || y.Start != d("2024-07-01") || y.End != d("2025-06-30") ||
		y.Retained != 1 || y.Upgraded != 1 || y.UpgradeDollars != 10 || y.Lapsed != 1 || y.LapsedNew != 1 ||
		y.New != 1 || y.Donors != 2 || y.PriorDonors != 2 || y.Dollars != 27 || y.PriorDollars != 15 {
		t.Errorf("FY2025: %+v", y)
	}
	if r.Retention[0].Complete != true || r.Quarters[0].Period != "FY2024-Q4" {
		t.Errorf("FY2024: %+v, %+v", r.Retention[0], r.Quarters[0])
	}
}
