package metrics

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"steward"
)

func TestThankYouHand(t *testing.T) {
	s := handSettings()
	s.MinCell = 3
	r := handReport(t, s)
	ty := r.ThankYou
	if !ty.Recorded || ty.TargetDays != 2 || ty.Days != "calendar" {
		t.Fatalf("header %+v", ty)
	}
	want := []ThankYouStats{
		// FY2021: 5 gifts, none thanked, all overdue at 2024-12-31.
		{Period: "FY2021", Eligible: 5, Overdue: 5, OnTimeRate: f(0), OnTimeCI95: ci(0, 5)},
		// FY2022: 6 positive gifts, none thanked.
		{Period: "FY2022", Eligible: 6, Overdue: 6, OnTimeRate: f(0), OnTimeCI95: ci(0, 6)},
		// FY2023: latencies A 3, D 20, E 0; B, H, anonymous overdue.
		// on time 1 (E) / (3 + 3). Sorted {0, 3, 20}: median 3;
		// p90: h = 2*0.9 = 1.8 -> 3 + 0.8*(20-3) = 16.6.
		{Period: "FY2023", Eligible: 6, Acknowledged: 3, OnTime: 1, Overdue: 3,
			OnTimeRate: f(1.0 / 6), OnTimeCI95: ci(1, 6), MedianDays: f(3), P90Days: f(16.6)},
		// FY2024: E is Do Not Acknowledge. A 1, B 7, C 0; H thanked before the
		// gift (negative); J (199 days) and anonymous (4 days) overdue; G on
		// the as-of day is pending. On time A, C: 2 / (3 + 2).
		// Sorted {0, 1, 7}: median 1; p90: h = 1.8 -> 1 + 0.8*6 = 5.8.
		{Period: "FY2024", Eligible: 7, Acknowledged: 3, OnTime: 2, Overdue: 2, Pending: 1, Negative: 1,
			OnTimeRate: f(0.4), OnTimeCI95: ci(2, 5), MedianDays: f(1), P90Days: f(5.8)},
	}
	if diff := cmp.Diff(want, ty.Periods, approx); diff != "" {
		t.Errorf("periods (-want +got):\n%s", diff)
	}
	// Overall: latencies {0, 0, 1, 3, 7, 20}; median h = 2.5 -> 1 + 0.5*2 = 2;
	// p90 h = 4.5 -> 7 + 0.5*13 = 13.5. On time 3 / (6 + 16).
	wantAll := ThankYouStats{Period: "overall", Eligible: 24, Acknowledged: 6, OnTime: 3, Overdue: 16,
		Pending: 1, Negative: 1, OnTimeRate: f(3.0 / 22), OnTimeCI95: ci(3, 22), MedianDays: f(2), P90Days: f(13.5)}
	if diff := cmp.Diff(wantAll, ty.Overall, approx); diff != "" {
		t.Errorf("overall (-want +got):\n%s", diff)
	}
	// Breakdowns for FY2024 with MinCell 3.
	// $0–$99: B 20 (7 days), G 25 pending, H 25 negative, J 60 overdue,
	// anonymous 15 overdue: donors B G H J (4). $100–$999: A, C: 2 donors,
	// suppressed.
	wantTier := []ThankYouStats{
		{Period: "$0–$99", Eligible: 5, Acknowledged: 1, Overdue: 2, Pending: 1, Negative: 1,
			OnTimeRate: f(0), OnTimeCI95: ci(0, 3), MedianDays: f(7), P90Days: f(7)},
		{Period: "$100–$999", Suppressed: true},
	}
	if diff := cmp.Diff(wantTier, ty.ByTier, approx); diff != "" {
		t.Errorf("tiers (-want +got):\n%s", diff)
	}
	// Channels: "(none)" = G H J + anonymous (3 donors); Check = B; Online = A C.
	wantCh := []ThankYouStats{
		{Period: "(none)", Eligible: 4, Overdue: 2, Pending: 1, Negative: 1, OnTimeRate: f(0), OnTimeCI95: ci(0, 2)},
		{Period: "Check", Suppressed: true},
		{Period: "Online", Suppressed: true},
	}
	if diff := cmp.Diff(wantCh, ty.ByChannel, approx); diff != "" {
		t.Errorf("channels (-want +got):\n%s", diff)
	}
	if len(ty.ByCamp) != 1 || ty.ByCamp[0].Period != "(none)" || ty.ByCamp[0].Eligible != 7 {
		t.Errorf("campaigns %+v", ty.ByCamp)
	}
	wantHist := map[string]int{"0": 2, "1": 1, "3": 1, "7": 1, "15-30": 1}
	if len(ty.Histogram) != 17 || ty.Histogram[15].Label != "15-30" || ty.Histogram[16].Label != "31+" {
		t.Errorf("histogram labels %+v", ty.Histogram)
	}
	for _, b := range ty.Histogram {
		if b.Count != wantHist[b.Label] {
			t.Errorf("histogram %s = %d, want %d", b.Label, b.Count, wantHist[b.Label])
		}
	}
	// Backlog: anonymous 2024-12-27 waited 4 days ($15); the other 15 overdue
	// gifts waited over 90 days: 1235 + 495 + (50+30+40) + 60 = 1910.
	wantB := []Backlog{{"3-7 days", 1, 15}, {"8-30 days", 0, 0}, {"31-90 days", 0, 0}, {"over 90 days", 15, 1910}}
	if diff := cmp.Diff(wantB, ty.Backlog, approx); diff != "" {
		t.Errorf("backlog (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]RowRef{{File: "gifts.csv", Row: 26}}, ty.Negative); diff != "" {
		t.Errorf("negative rows: %s", diff)
	}
}

func TestThankYouNotRecorded(t *testing.T) {
	r, err := Compute(DefaultSettings(), buildGifts([]gb{{acct: "A", date: "2024-01-01", dollars: 5}}), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ty := r.ThankYou
	if ty.Recorded || len(ty.Periods) != 0 || ty.Overall.OnTimeRate != nil || ty.Overall.Eligible != 0 {
		t.Errorf("not recorded: %+v", ty)
	}
	if r.Quarters[0].OnTimeRate != nil {
		t.Error("quarter on-time rate without ack dates")
	}
}

func TestBusinessDays(t *testing.T) {
	s := DefaultSettings()
	s.BusinessDays = true
	s.Holidays = []steward.Date{d("2024-12-25"), d("2024-12-28") /* a Saturday: no effect */}
	dc := newDayCounter(s)
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"2024-12-02", "2024-12-02", 0}, // same day
		{"2024-12-06", "2024-12-09", 1}, // Friday -> Monday
		{"2024-12-07", "2024-12-09", 1}, // Saturday -> Monday
		{"2024-12-07", "2024-12-08", 0}, // Saturday -> Sunday
		{"2024-12-02", "2024-12-13", 9}, // Mon -> Fri next week
		{"2024-12-24", "2024-12-26", 1}, // across Christmas
		{"2024-12-20", "2025-01-03", 9}, // 10 weekdays less the 25th
	} {
		if got := dc.days(d(c.a), d(c.b)); got != c.want {
			t.Errorf("%s..%s = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	// Cross-check against counting day by day.
	for a := d("2024-11-01"); a < d("2025-02-01"); a += 3 {
		for b := a; b < a+40; b++ {
			n := 0
			for x := a + 1; x <= b; x++ {
				if w := x.Weekday(); w != 0 && w != 6 && x != d("2024-12-25") {
					n++
				}
			}
			if got := dc.days(a, b); got != n {
				t.Fatalf("%v..%v = %d, want %d", a, b, got, n)
			}
		}
	}
}

func TestTierLabels(t *testing.T) {
	a := NewAccumulator(DefaultSettings())
	var got []string
	for i := range a.tiers {
		got = append(got, a.tierLabel(i))
	}
	want := []string{"$0–$99", "$100–$999", "$1,000–$9,999", "$10,000+"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
	if money(123456789) != "$1,234,567.89" {
		t.Error(money(123456789))
	}
}

func TestPercentileInc(t *testing.T) {
	// Excel: PERCENTILE.INC({1,2,3,4}, 0.9) = 3.7; ({1,2,3,4}, 0.5) = 2.5;
	// PERCENTILE.INC({15,20,35,40,50}, 0.4) = 29 (h = 1.6: 20 + 0.6*15).
	for _, c := range []struct {
		x    []float64
		p    float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, 0.9, 3.7},
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		{[]float64{1, 2, 3, 4}, 0, 1},
		{[]float64{1, 2, 3, 4}, 1, 4},
		{[]float64{15, 20, 35, 40, 50}, 0.4, 29},
		{[]float64{7}, 0.9, 7},
	} {
		if got := PercentileInc(c.x, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("PercentileInc(%v, %v) = %v, want %v", c.x, c.p, got, c.want)
		}
		var h hist
		for _, v := range c.x {
			h.add(int32(v), 1)
		}
		if got := h.percentile(c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("hist percentile(%v, %v) = %v, want %v", c.x, c.p, got, c.want)
		}
	}
	if !math.IsNaN(PercentileInc(nil, 0.5)) {
		t.Error("empty should be NaN")
	}
	// Histogram with large values crosses the small/big boundary.
	var h hist
	vals := []float64{0, 3, 399, 400, 401, 5000}
	for _, v := range vals {
		h.add(int32(v), 1)
	}
	if got, want := h.percentile(0.7), PercentileInc(vals, 0.7); got != want {
		t.Errorf("big hist %v want %v", got, want)
	}
}

func TestWilson(t *testing.T) {
	for _, c := range []struct {
		x, n   int
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662}, // Newcombe (1998) Table I
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
		{29, 29, 0.8830, 1},
		{0, 10, 0, 0.2775},
	} {
		lo, hi := Wilson(c.x, c.n)
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("Wilson(%d, %d) = %.4f, %.4f; want %.4f, %.4f", c.x, c.n, lo, hi, c.lo, c.hi)
		}
	}
	if lo, hi := Wilson(0, 0); lo != 0 || hi != 1 {
		t.Errorf("Wilson(0,0) = %v %v", lo, hi)
	}
}

func TestNewcombe(t *testing.T) {
	// Newcombe (1998) Table II, method 10, for p1 - p2 of the published
	// pairs; our argument order gives p2 - p1, so the pairs are swapped.
	for _, c := range []struct {
		x1, n1, x2, n2 int
		lo, hi         float64
	}{
		{48, 80, 56, 70, 0.0524, 0.3339},
		{3, 10, 9, 10, 0.1705, 0.8090},
		{0, 29, 5, 56, -0.0381, 0.1926},
		{0, 20, 0, 10, -0.1611, 0.2775},
		{0, 10, 0, 10, -0.2775, 0.2775},
		{0, 20, 10, 10, 0.6791, 1.0000},
		{0, 10, 10, 10, 0.6075, 1.0000},
	} {
		lo, hi := Newcombe(c.x1, c.n1, c.x2, c.n2)
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("Newcombe(%d/%d, %d/%d) = %.4f, %.4f; want %.4f, %.4f", c.x1, c.n1, c.x2, c.n2, lo, hi, c.lo, c.hi)
		}
	}
}

// TestBreakdownOverdueCountedEarly: a breakdown counts an unacknowledged
// gift as overdue when it is added if it waits more than the target at the
// latest gift date seen so far; the waits are measured again at the as-of
// date for the others. Whatever the order of the rows, a breakdown says
// what its fiscal year says (here every gift is in one tier and channel).
func TestBreakdownOverdueCountedEarly(t *testing.T) {
	rows := []gb{
		{acct: "A", date: "2024-03-01", dollars: 10},                    // wait 0 when added; 9 at the end: overdue
		{acct: "B", date: "2024-03-10", dollars: 10, ack: "2024-03-10"}, // latest gift
		{acct: "C", date: "2024-03-02", dollars: 10},                    // wait 8 when added: overdue
		{acct: "D", date: "2024-03-09", dollars: 10},                    // wait 1: pending
		{acct: "E", date: "2024-03-06", dollars: 10},                    // wait 4: overdue
		{acct: "F", date: "2024-03-08", dollars: 10},                    // wait 2, the target: pending
	}
	for _, c := range []struct {
		name             string
		asOf             string
		business         bool
		overdue, pending int
	}{
		{"latest gift", "", false, 3, 2},
		{"later as-of", "2024-03-20", false, 5, 0},
		// Business days to Monday 11 March: Fri 8 waits 1, Wed 6 waits 3,
		// Sat 9 waits 1, Sun 10 (acknowledged).
		{"business days", "2024-03-11", true, 3, 2},
	} {
		s := DefaultSettings()
		s.MinCell = 0
		s.BusinessDays = c.business
		if c.asOf != "" {
			s.AsOf = d(c.asOf)
		}
		for _, order := range [][]int{{0, 1, 2, 3, 4, 5}, {1, 0, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}} {
			var in []gb
			for _, i := range order {
				in = append(in, rows[i])
			}
			r, err := Compute(s, buildGifts(in), nil, nil, handSources)
			if err != nil {
				t.Fatal(err)
			}
			ty := r.ThankYou
			if len(ty.Periods) != 1 || len(ty.ByTier) != 1 || len(ty.ByChannel) != 1 {
				t.Fatalf("%s %v: periods %d, tiers %d, channels %d", c.name, order, len(ty.Periods), len(ty.ByTier), len(ty.ByChannel))
			}
			for _, st := range []ThankYouStats{ty.Periods[0], ty.ByTier[0], ty.ByChannel[0], ty.ByCamp[0]} {
				if st.Overdue != c.overdue || st.Pending != c.pending || st.Eligible != 6 {
					t.Errorf("%s %v %s: eligible %d, overdue %d, pending %d; want 6, %d, %d",
						c.name, order, st.Period, st.Eligible, st.Overdue, st.Pending, c.overdue, c.pending)
				}
			}
		}
	}
}
