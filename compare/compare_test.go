package compare

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"steward"
	"steward/metrics"
)

func day(s string) steward.Date {
	d, err := steward.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 5e-5 {
		t.Errorf("%s = %.6f, want %.4f", what, got, want)
	}
}

// TestNewRatePublished checks the interval against the worked examples of
// Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10
// (score, no continuity correction), which gives 56/70 - 48/80: 0.0524 to
// 0.3339 and 9/10 - 3/10: 0.1705 to 0.8090. Here "before" is the second
// proportion of the paper and "after" the first, so the difference is the
// paper's.
//
// By hand for 48/80 -> 56/70, z = 1.96, z^2 = 3.8415:
//
//	Wilson 48/80: centre (0.6 + 3.8415/160) / (1 + 3.8415/80) = 0.59542,
//	  half 1.96 sqrt(0.24/80 + 3.8415/25600) / 1.04802 = 0.10496
//	  -> 0.49046 to 0.70038
//	Wilson 56/70: centre 0.82744 / 1.05488 = 0.78440,
//	  half 1.96 sqrt(0.16/70 + 3.8415/19600) / 1.05488 = 0.09256
//	  -> 0.69184 to 0.87696
//	lo = 0.2 - sqrt((0.8 - 0.69184)^2 + (0.70038 - 0.6)^2) = 0.2 - 0.14756 = 0.05244
//	hi = 0.2 + sqrt((0.87696 - 0.8)^2 + (0.6 - 0.49046)^2) = 0.2 + 0.13387 = 0.33387
func TestNewRatePublished(t *testing.T) {
	tests := []struct {
		bn, bd, an, ad int
		diff, lo, hi   float64
		verdict        string
	}{
		{48, 80, 56, 70, 0.2, 0.0524, 0.3339, Improved},
		{3, 10, 9, 10, 0.6, 0.1705, 0.8090, Improved},
		// The same pairs the other way round: the interval mirrors.
		{56, 70, 48, 80, -0.2, -0.3339, -0.0524, Worsened},
		{9, 10, 3, 10, -0.6, -0.8090, -0.1705, Worsened},
		// Newcombe's (c) 6/7 - 2/7 and (d) 5/56 - 0/29.
		{2, 7, 6, 7, 4.0 / 7, 0.0582, 0.8062, Improved},
		{0, 29, 5, 56, 5.0 / 56, -0.0381, 0.1926, NoClearChange},
		// (f) 0/10 - 0/10 and (h) 10/10 - 0/10: bounds at the extremes.
		{0, 10, 0, 10, 0, -0.2775, 0.2775, NoClearChange},
		{0, 10, 10, 10, 1, 0.6075, 1, Improved},
	}
	for _, tc := range tests {
		r := NewRate(tc.bn, tc.bd, tc.an, tc.ad, "x")
		name := strings.Join([]string{itoa(tc.bn), itoa(tc.bd), itoa(tc.an), itoa(tc.ad)}, "/")
		if r.Difference == nil || r.CI95 == nil {
			t.Fatalf("%s: no difference or interval: %+v", name, r)
		}
		near(t, name+" difference", *r.Difference, tc.diff)
		near(t, name+" lo", r.CI95[0], tc.lo)
		near(t, name+" hi", r.CI95[1], tc.hi)
		if r.Verdict != tc.verdict {
			t.Errorf("%s: verdict %q, want %q", name, r.Verdict, tc.verdict)
		}
		if r.BeforeN != tc.bn || r.BeforeD != tc.bd || r.AfterN != tc.an || r.AfterD != tc.ad {
			t.Errorf("%s: counts %+v", name, r)
		}
		if !r.SmallNumbers != (tc.bd >= 30 && tc.ad >= 30) {
			t.Errorf("%s: small numbers %v", name, r.SmallNumbers)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestVerdict(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   string
	}{
		{0.01, 0.2, Improved},
		{-0.2, -0.01, Worsened},
		{-0.1, 0.1, NoClearChange},
		{0, 0.1, NoClearChange}, // touching 0 is not excluding it
		{-0.1, 0, NoClearChange},
	}
	for _, tc := range tests {
		if got := Verdict(tc.lo, tc.hi); got != tc.want {
			t.Errorf("Verdict(%v, %v) = %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestNewRateZeroDenominator(t *testing.T) {
	r := NewRate(0, 0, 3, 4, "donors in the year before")
	if r.Verdict != NotComparable || r.Reason != "denominator is 0 before: no donors in the year before" {
		t.Errorf("got %q %q", r.Verdict, r.Reason)
	}
	if r.Before != nil || r.After == nil || *r.After != 0.75 || r.Difference != nil || r.CI95 != nil {
		t.Errorf("values: %+v", r)
	}
	r = NewRate(1, 2, 0, 0, "x")
	if r.Verdict != NotComparable || r.Reason != "denominator is 0 after: no x" {
		t.Errorf("got %q %q", r.Verdict, r.Reason)
	}
	r = NewRate(0, 0, 0, 0, "x")
	if r.Reason != "denominator is 0 on both sides: no x" {
		t.Errorf("got %q", r.Reason)
	}
}

type g struct {
	donor, date string
	cents       steward.Cents
	ack         string
}

func report(t *testing.T, s metrics.Settings, gs []g) *metrics.Report {
	t.Helper()
	var gifts []steward.Gift
	for _, x := range gs {
		gf := steward.Gift{Account: x.donor, Date: day(x.date), Amount: x.cents}
		if x.ack != "" {
			gf.AckDate = day(x.ack)
		}
		gifts = append(gifts, gf)
	}
	src := []steward.Source{{File: "gifts.csv", Profile: "civicrm", Kind: steward.KindGifts, Rows: len(gs) + 2, Used: len(gs),
		Excluded: map[string]int{"status Pending": 2},
		Columns:  []steward.Column{{Field: "ack_date", Header: "Thank-you Date"}}}}
	r, err := metrics.Compute(s, gifts, nil, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// beforeGifts, calendar fiscal years, target 2 days:
//
//	FY2021: A $100, B $50, C $20, D $10, all new.
//	FY2022: A $150 (thanked same day), B $50 (thanked after 7 days),
//	        E $25 new (never thanked: overdue at the as-of date).
//	FY2023: A $10 on 2023-01-15, the as-of date: FY2022 is the latest
//	        complete year.
//
// FY2022: donors 3, prior 4 (all new in FY2021), retained 2 (A up, B same),
// lapsed 2 (C, D: lapsed new). retention 2/4, new-donor retention 2/4,
// repeat retention 0/0. Dollars 225, prior 180, new 25, retained 200, lapsed
// 30; gains 25 + 50 = 75, losses 30, growth 45/180 = 0.25; acquisition 1/4.
// Thank-you: eligible 3, acknowledged 2 (0 and 7 days), on time 1, overdue
// 1: on-time 1/3, median 3.5 days, fill rate 2/3.
var beforeGifts = []g{
	{"A", "2021-02-01", 100_00, "2021-02-02"},
	{"B", "2021-03-01", 50_00, "2021-03-01"},
	{"C", "2021-04-01", 20_00, ""},
	{"D", "2021-05-01", 10_00, "2021-05-10"},
	{"A", "2022-02-01", 150_00, "2022-02-01"},
	{"B", "2022-03-01", 50_00, "2022-03-08"},
	{"E", "2022-06-01", 25_00, ""},
	{"A", "2023-01-15", 10_00, ""},
}

// afterGifts:
//
//	FY2023: P, Q, R, S, T $100 each, new, thanked the next day.
//	FY2024: P, Q, R, S $100 again (same), thanked the same day; U $40 new,
//	        thanked after 3 days (late); T lapsed.
//	FY2025: V $5 on 2025-01-05, the as-of date.
//
// FY2024: donors 5, prior 5, retained 4, new 1, lapsed 1 (new in FY2023).
// retention 4/5, new-donor retention 4/5. Dollars 440, prior 500, new 40,
// retained 400, lapsed 100, gains 40, losses 100, growth -60/500 = -0.12,
// acquisition 1/5. On time 4/5, median 0 days.
var afterGifts = []g{
	{"P", "2023-01-10", 100_00, "2023-01-11"},
	{"Q", "2023-02-10", 100_00, "2023-02-11"},
	{"R", "2023-03-10", 100_00, "2023-03-11"},
	{"S", "2023-04-10", 100_00, "2023-04-11"},
	{"T", "2023-05-10", 100_00, "2023-05-11"},
	{"P", "2024-01-10", 100_00, "2024-01-10"},
	{"Q", "2024-02-10", 100_00, "2024-02-10"},
	{"R", "2024-03-10", 100_00, "2024-03-10"},
	{"S", "2024-04-10", 100_00, "2024-04-10"},
	{"U", "2024-03-01", 40_00, "2024-03-04"},
	{"V", "2025-01-05", 5_00, ""},
}

func TestCompareLatestComplete(t *testing.T) {
	s := metrics.DefaultSettings()
	c, err := Compare(report(t, s, beforeGifts), report(t, s, afterGifts), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Schema != Schema || c.Form != FormTwoDatasets || c.BeforePeriod != "FY2022" || c.AfterPeriod != "FY2024" ||
		c.BeforeAsOf != day("2023-01-15") || c.AfterAsOf != day("2025-01-05") || !c.AfterComplete {
		t.Fatalf("header: %+v", c)
	}
	// retention 2/4 -> 4/5: difference 0.3. Wilson 2/4 = 0.15004..0.84996,
	// Wilson 4/5 = 0.37553..0.96378 (by hand as in TestNewRatePublished):
	// lo = 0.3 - sqrt(0.42447^2 + 0.34996^2) = 0.3 - 0.55014 = -0.2501,
	// hi = 0.3 + sqrt(0.16378^2 + 0.34996^2) = 0.3 + 0.38639 = 0.6864.
	r := c.Metrics["retention_rate"]
	if r.BeforeN != 2 || r.BeforeD != 4 || r.AfterN != 4 || r.AfterD != 5 || *r.Before != 0.5 || *r.After != 0.8 {
		t.Fatalf("retention_rate: %+v", r)
	}
	near(t, "retention difference", *r.Difference, 0.3)
	near(t, "retention lo", r.CI95[0], -0.2501)
	near(t, "retention hi", r.CI95[1], 0.6864)
	if r.Verdict != NoClearChange || !r.SmallNumbers {
		t.Errorf("retention verdict %q small %v", r.Verdict, r.SmallNumbers)
	}
	if r := c.Metrics["new_donor_retention_rate"]; r.BeforeN != 2 || r.BeforeD != 4 || r.AfterN != 4 || r.AfterD != 5 {
		t.Errorf("new_donor_retention_rate: %+v", r)
	}
	if r := c.Metrics["repeat_donor_retention_rate"]; r.Verdict != NotComparable ||
		r.Reason != "denominator is 0 on both sides: no repeat donors in the year before" {
		t.Errorf("repeat_donor_retention_rate: %+v", r)
	}
	// on time 1/3 -> 4/5: Wilson 1/3 = 0.06149..0.79234;
	// lo = 0.46667 - sqrt(0.42447^2 + 0.45901^2) = -0.1585,
	// hi = 0.46667 + sqrt(0.16378^2 + 0.27184^2) = 0.7840.
	r = c.Metrics["on_time_rate"]
	if r.BeforeN != 1 || r.BeforeD != 3 || r.AfterN != 4 || r.AfterD != 5 {
		t.Fatalf("on_time_rate: %+v", r)
	}
	near(t, "on time lo", r.CI95[0], -0.1585)
	near(t, "on time hi", r.CI95[1], 0.7840)
	// The default funnel's FY2022 entry cohort is E, FY2024's is U: neither
	// gave a second gift (0/1 -> 0/1); nobody reached the second stage.
	if r := c.Metrics["funnel:Donor ladder:First gift"]; r.BeforeN != 0 || r.BeforeD != 1 || r.AfterN != 0 || r.AfterD != 1 || r.Verdict != NoClearChange {
		t.Errorf("funnel first gift: %+v", r)
	}
	if r := c.Metrics["funnel:Donor ladder:Second gift"]; r.Verdict != NotComparable {
		t.Errorf("funnel second gift: %+v", r)
	}
	if _, ok := c.Metrics["acquisition_rate"]; ok {
		t.Error("acquisition_rate is a figure, not a rate")
	}
	figs := map[string][3]float64{
		"donors":                  {3, 5, 2},
		"prior_donors":            {4, 5, 1},
		"new_donors":              {1, 1, 0},
		"retained_donors":         {2, 4, 2},
		"lapsed_donors":           {2, 1, -1},
		"gifts":                   {3, 5, 2},
		"dollars":                 {225, 440, 215},
		"new_dollars":             {25, 40, 15},
		"retained_dollars":        {200, 400, 200},
		"lapsed_dollars":          {30, 100, 70},
		"gains":                   {75, 40, -35},
		"losses":                  {30, 100, 70},
		"acquisition_rate":        {0.25, 0.2, -0.05},
		"growth_in_giving":        {0.25, -0.12, -0.37},
		"thank_you_median_days":   {3.5, 0, -3.5},
		"thank_you_overdue_gifts": {1, 0, -1},
	}
	for name, want := range figs {
		f, ok := c.Figures[name]
		if !ok || f.Before == nil || f.After == nil || f.Change == nil {
			t.Errorf("figure %s missing: %+v", name, f)
			continue
		}
		near(t, name+" before", *f.Before, want[0])
		near(t, name+" after", *f.After, want[1])
		near(t, name+" change", *f.Change, want[2])
		if f.Incomplete {
			t.Errorf("figure %s incomplete", name)
		}
	}
	if f := c.Figures["dollars"]; f.Unit != "dollars" || *f.Change != 215 {
		t.Errorf("dollars: %+v", f)
	}
	q := c.DataQuality.Before
	if q.Files != 1 || q.Rows != 10 || q.Used != 8 || q.Excluded != 2 || q.ExcludedBy["status Pending"] != 2 ||
		!q.AckDateColumn || q.Eligible != 3 || q.AckDateFillRate == nil || *q.AckDateFillRate != 2.0/3 ||
		len(q.Profiles) != 1 || q.Profiles[0] != "civicrm" {
		t.Errorf("before quality: %+v", q)
	}
	if q := c.DataQuality.After; q.Eligible != 5 || *q.AckDateFillRate != 1 {
		t.Errorf("after quality: %+v", q)
	}
	// Both data sets start less than a year before the year before the
	// period: FY2021 (before) starts 2021-01-01, first gift 2021-02-01.
	want := []string{
		"the before data starts on 2021-02-01, less than a year before FY2022 begins (2022-01-01): some returning donors may be counted as new",
		"the after data starts on 2023-01-10, less than a year before FY2024 begins (2024-01-01): some returning donors may be counted as new",
	}
	if strings.Join(c.Warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s", strings.Join(c.Warnings, "\n"))
	}
}

func TestComparePeriods(t *testing.T) {
	s := metrics.DefaultSettings()
	b, a := report(t, s, beforeGifts), report(t, s, afterGifts)
	c, err := Compare(b, a, "fy2021", "2023")
	if err != nil {
		t.Fatal(err)
	}
	if c.BeforePeriod != "FY2021" || c.AfterPeriod != "FY2023" {
		t.Errorf("periods %s %s", c.BeforePeriod, c.AfterPeriod)
	}
	// FY2021 and FY2023 are the first years: nobody the year before.
	if r := c.Metrics["retention_rate"]; r.Verdict != NotComparable || r.Reason != "denominator is 0 on both sides: no donors in the year before" {
		t.Errorf("retention: %+v", r)
	}
	for _, tc := range []struct{ bp, ap, want string }{
		{"FY2019", "", "before period FY2019 is not in the before data (complete: FY2021 to FY2022)"},
		{"FY2023", "", "before period FY2023 is not complete at the as-of date 2023-01-15 (it ends 2023-12-31); complete: FY2021 to FY2022"},
		{"", "FY2025", "after period FY2025 is not complete at the as-of date 2025-01-05 (it ends 2025-12-31); complete: FY2023 to FY2024"},
	} {
		_, err := Compare(b, a, tc.bp, tc.ap)
		if !errors.Is(err, ErrPeriod) || !strings.HasSuffix(err.Error(), ": "+tc.want) {
			t.Errorf("Compare(%q, %q): %v\nwant %s", tc.bp, tc.ap, err, tc.want)
		}
	}
	// One year only, not complete: no complete fiscal year.
	short := report(t, s, []g{{"A", "2024-03-01", 10_00, ""}})
	_, err = Compare(short, a, "", "")
	if !errors.Is(err, ErrPeriod) || !strings.Contains(err.Error(), "the before data has no complete fiscal year at its as-of date 2024-03-01") {
		t.Errorf("short: %v", err)
	}
}

func TestCompareSettingWarnings(t *testing.T) {
	s := metrics.DefaultSettings()
	b := report(t, s, beforeGifts)
	s2 := s
	s2.ThankYouDays = 3
	s2.DonorKey = "contact"
	s2.BusinessDays = true
	a := report(t, s2, afterGifts)
	c, err := Compare(b, a, "", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"thank_you_target_days differs: 2 before, 3 after",
		"donor_key differs: account before, contact after",
		"thank-you days differs: calendar before, business after",
	}
	if got := strings.Join(c.Warnings[:3], "\n"); got != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s", got)
	}
}

func TestCompareThankYouNotRecorded(t *testing.T) {
	s := metrics.DefaultSettings()
	var noAck []g
	for _, x := range afterGifts {
		x.ack = ""
		noAck = append(noAck, x)
	}
	c, err := Compare(report(t, s, beforeGifts), report(t, s, noAck), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Metrics["on_time_rate"]; ok {
		t.Error("on_time_rate compared with no thank-you dates after")
	}
	if len(c.Notes) != 1 || c.Notes[0] != "on_time_rate is left out: thank-you dates are not recorded in the after data" {
		t.Errorf("notes: %q", c.Notes)
	}
	if q := c.DataQuality.After; !q.AckDateColumn || q.AckDateFillRate == nil || *q.AckDateFillRate != 0 {
		t.Errorf("after quality: %+v", q)
	}
}

// cutoverGifts, one dataset, cutover 2024-07-01 (fiscal year from July):
//
//	before window FY2024 = 2023-07-01..2024-06-30, after FY2025 =
//	2024-07-01..2025-06-30, as-of 2025-01-31 (year to date).
//	FY2023 (2022-07..2023-06): A, B, C, D.
//	FY2024: A, B (retained), E new; C, D lapsed: retention 2/4.
//	FY2025: A, B, E (retained) by 2025-01-31: retention 3/3.
var cutoverGifts = []g{
	{"A", "2022-08-01", 10_00, ""},
	{"B", "2022-09-01", 10_00, ""},
	{"C", "2022-10-01", 10_00, ""},
	{"D", "2022-11-01", 10_00, ""},
	{"A", "2023-08-01", 10_00, ""},
	{"B", "2023-09-01", 10_00, ""},
	{"E", "2024-06-30", 10_00, ""},
	{"A", "2024-07-01", 20_00, ""},
	{"B", "2024-12-01", 20_00, ""},
	{"E", "2025-01-31", 20_00, ""},
}

func TestCutover(t *testing.T) {
	s := metrics.DefaultSettings()
	s.FYStartMonth = time.July
	rep := report(t, s, cutoverGifts)
	c, err := Cutover(rep, day("2024-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Form != FormCutover || c.Cutover != day("2024-07-01") || c.BeforePeriod != "FY2024" || c.AfterPeriod != "FY2025" ||
		c.BeforeStart != day("2023-07-01") || c.BeforeEnd != day("2024-06-30") ||
		c.AfterStart != day("2024-07-01") || c.AfterEnd != day("2025-06-30") || c.AfterComplete {
		t.Fatalf("header: %+v", c)
	}
	// retention 2/4 -> 3/3: Wilson 3/3 = 0.43850..1;
	// lo = 0.5 - sqrt((1 - 0.43850)^2 + (0.84996 - 0.5)^2) = 0.5 - 0.66160 = -0.1616,
	// hi = 0.5 + sqrt(0 + 0.34996^2) = 0.8500.
	r := c.Metrics["retention_rate"]
	if r.BeforeN != 2 || r.BeforeD != 4 || r.AfterN != 3 || r.AfterD != 3 {
		t.Fatalf("retention: %+v", r)
	}
	near(t, "lo", r.CI95[0], -0.1616)
	near(t, "hi", r.CI95[1], 0.8500)
	if r.Verdict != NoClearChange {
		t.Errorf("verdict %q", r.Verdict)
	}
	if f := c.Figures["dollars"]; !f.Incomplete || *f.Before != 30 || *f.After != 60 || *f.Change != 30 {
		t.Errorf("dollars: %+v", f)
	}
	want := "the after window (2024-07-01 to 2025-06-30) is not complete at the as-of date 2025-01-31: it is compared as year to date; its counts and dollars are incomplete"
	if len(c.Warnings) < 1 || c.Warnings[len(c.Warnings)-2] != want ||
		!strings.HasPrefix(c.Warnings[len(c.Warnings)-1], "funnel conversions are counted up to the as-of date") {
		t.Errorf("warnings: %q", c.Warnings)
	}
	if _, ok := c.Metrics["on_time_rate"]; ok {
		t.Error("on_time_rate without thank-you dates")
	}
}

func TestCutoverErrors(t *testing.T) {
	s := metrics.DefaultSettings()
	s.FYStartMonth = time.July
	rep := report(t, s, cutoverGifts)
	for _, tc := range []struct {
		date string
		want error
		msg  string
	}{
		{"2024-07-15", ErrCutover, "2024-07-15 is not the first day of a month; the windows are whole months (try 2024-07-01)"},
		{"2024-08-01", ErrCutover, "the report's fiscal year starts in month 7, not in the cutover month 8"},
		{"2025-07-01", ErrCutover, "the data ends on 2025-01-31, before the cutover 2025-07-01: there is nothing after it"},
		{"2022-07-01", ErrPeriod, "no qualifying gifts in the 12 months before the cutover (2021-07-01 to 2022-06-30)"},
	} {
		_, err := Cutover(rep, day(tc.date))
		if !errors.Is(err, tc.want) || !strings.HasSuffix(err.Error(), ": "+tc.msg) {
			t.Errorf("Cutover(%s): %v\nwant %s", tc.date, err, tc.msg)
		}
	}
}

// TestJSON checks the comparison.json shape: keys sorted, nulls for what is
// not comparable.
func TestJSON(t *testing.T) {
	s := metrics.DefaultSettings()
	c, err := Compare(report(t, s, beforeGifts), report(t, s, afterGifts), "", "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, want := range []string{
		`"schema": "steward/comparison/v1"`,
		`"before_period": "FY2022"`,
		`"after_as_of": "2025-01-05"`,
		"\"repeat_donor_retention_rate\": {\n      \"before\": null,\n      \"after\": null,\n      \"difference\": null,\n      \"ci95\": null,\n      \"verdict\": \"not comparable\"",
		"\"retention_rate\": {\n      \"before\": 0.5,\n      \"after\": 0.8,",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("comparison.json lacks %s", want)
		}
	}
	if strings.Index(out, `"new_donor_retention_rate"`) > strings.Index(out, `"retention_rate"`) {
		t.Error("metrics keys are not sorted")
	}
}
