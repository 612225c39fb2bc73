package metrics

import (
	"math"
	"math/rand"
	"sort"
	"testing"
	"testing/quick"
	"time"

	"github.com/google/go-cmp/cmp"

	"steward"
)

func TestQuarterCohortsHand(t *testing.T) {
	r := handReport(t, handSettings())
	// FY2021-Q1 cohort: A (2021-03-10) and H (2021-02-01). Quarters after it
	// through FY2024-Q4 (15, all complete): A gives in 2022-Q1 (k=4), 2023-Q1
	// (k=8), 2024-Q1 (k=12); H in 2022-Q2 (5), 2022-Q3 (6), 2023-Q1 (8: 30
	// less the 5 refund), 2024-Q1 (12).
	c := r.QuarterCohorts[0]
	want := Cohort{Cohort: "FY2021-Q1", Start: d("2021-01-01"), Size: 2,
		Gave: []int{0, 0, 0, 1, 1, 1, 0, 2, 0, 0, 0, 2, 0, 0, 0}}
	want.Rates = make([]float64, len(want.Gave))
	for i, g := range want.Gave {
		want.Rates[i] = float64(g) / 2
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Every donor with a positive quarter is in exactly one quarter cohort.
	n := 0
	for _, c := range r.QuarterCohorts {
		n += c.Size
	}
	if n != 10 {
		t.Errorf("quarter cohorts hold %d donors, want 10", n)
	}
}

func TestDonorKey(t *testing.T) {
	gifts := buildGifts([]gb{
		{acct: "HH1", contact: "c1", date: "2023-01-01", dollars: 10},
		{acct: "HH1", contact: "c2", date: "2024-01-01", dollars: 10},
	})
	s := DefaultSettings()
	r, _ := Compute(s, gifts, nil, nil, nil)
	if y := r.Retention[1]; y.Retained != 1 || r.Totals.Donors != 1 {
		t.Errorf("account: %+v", y)
	}
	s.DonorKey = "contact"
	r, _ = Compute(s, gifts, nil, nil, nil)
	if y := r.Retention[1]; y.Retained != 0 || y.New != 1 || y.Lapsed != 1 || r.Totals.Donors != 2 || r.DonorKey != "contact" {
		t.Errorf("contact: %+v", y)
	}
}

func TestThankYouEdges(t *testing.T) {
	s := DefaultSettings()
	s.ThankYouDays = 10
	s.BusinessDays = true
	s.AsOf = d("2024-12-31") // a Tuesday
	gifts := buildGifts([]gb{
		// Friday 2024-12-06 thanked Monday 12-09: 1 business day (3 calendar).
		{acct: "A", date: "2024-12-06", dollars: 10, ack: "2024-12-09"},
		// Marked acknowledged, no date: neither on time nor overdue.
		{acct: "B", date: "2024-12-02", dollars: 10, status: steward.AckAcknowledged},
		// Unacknowledged since 2024-12-02: 21 business days by 12-31 > 10.
		{acct: "C", date: "2024-12-02", dollars: 10},
		// Unacknowledged since 12-23: 6 business days: pending.
		{acct: "D", date: "2024-12-23", dollars: 10},
	})
	r, err := Compute(s, gifts, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := r.ThankYou.Overall
	want := ThankYouStats{Period: "overall", Eligible: 4, Acknowledged: 1, OnTime: 1, Overdue: 1, Pending: 1, AckNoDate: 1,
		OnTimeRate: f(0.5), OnTimeCI95: ci(1, 2), MedianDays: f(1), P90Days: f(1)}
	if diff := cmp.Diff(want, o, approx); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if r.ThankYou.Days != "business" {
		t.Error(r.ThankYou.Days)
	}
	// With T = 10 the first backlog bucket would be 11-7: dropped; the next
	// starts at 11.
	var labels []string
	for _, b := range r.ThankYou.Backlog {
		labels = append(labels, b.Label)
	}
	if diff := cmp.Diff([]string{"11-30 days", "31-90 days", "over 90 days"}, labels); diff != "" {
		t.Error(diff)
	}
	if r.ThankYou.Backlog[0].Count != 1 || r.ThankYou.Backlog[0].Dollars != 10 {
		t.Errorf("%+v", r.ThankYou.Backlog)
	}
}

// TestThankYouProperties: on random data the counts add up, and per-period
// medians equal PERCENTILE.INC over the listed latencies.
func TestThankYouProperties(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewSource(seed))
		gifts := randomGifts(rng, 300, 40)
		s := DefaultSettings()
		r, err := Compute(s, gifts, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		lat := map[string][]float64{}
		for _, g := range gifts {
			if g.Amount > 0 && !g.Refund && g.AckStatus != steward.AckDoNotAcknowledge && g.AckDate >= g.Date {
				lat[yearLabel(FiscalYear(g.Date, s.FYStartMonth))] = append(lat[yearLabel(FiscalYear(g.Date, s.FYStartMonth))], float64(g.AckDate-g.Date))
			}
		}
		sum := 0
		for _, st := range r.ThankYou.Periods {
			if st.Eligible != st.Acknowledged+st.Negative+st.AckNoDate+st.Overdue+st.Pending {
				t.Errorf("seed %d %s: counts %+v", seed, st.Period, st)
			}
			sum += st.Eligible
			x := lat[st.Period]
			sort.Float64s(x)
			if len(x) != st.Acknowledged {
				t.Errorf("seed %d %s: %d latencies, acknowledged %d", seed, st.Period, len(x), st.Acknowledged)
			}
			if len(x) > 0 && (math.Abs(*st.MedianDays-PercentileInc(x, 0.5)) > 1e-9 || math.Abs(*st.P90Days-PercentileInc(x, 0.9)) > 1e-9) {
				t.Errorf("seed %d %s: median %v p90 %v", seed, st.Period, *st.MedianDays, *st.P90Days)
			}
		}
		if sum != r.ThankYou.Overall.Eligible {
			t.Errorf("seed %d: periods %d, overall %d", seed, sum, r.ThankYou.Overall.Eligible)
		}
	}
}

func TestPeriodBoundsQuick(t *testing.T) {
	check := func(day uint32, month uint8) bool {
		dt := d("1990-01-01") + steward.Date(day%20000)
		m := time.Month(month%12 + 1)
		fy, q := FiscalQuarter(dt, m)
		qs, qe := quarterBounds(quarterIndex(dt, m), m)
		ys, ye := yearBounds(fy, m)
		ey, _, _ := ye.Civil()
		return FiscalYear(dt, m) == fy && q >= 1 && q <= 4 && qs <= dt && dt <= qe &&
			ys <= dt && dt <= ye && ey == fy && ye-ys >= 364 && ye-ys <= 365 && qe-qs >= 88 && qe-qs <= 91
	}
	if err := quick.Check(check, &quick.Config{Rand: rand.New(rand.NewSource(1)), MaxCount: 5000}); err != nil {
		t.Error(err)
	}
}

func TestFunnelProperties(t *testing.T) {
	names := []string{"Opt-In", "Workshop", "Volunteer"}
	for seed := int64(1); seed <= 15; seed++ {
		rng := rand.New(rand.NewSource(seed))
		gifts := randomGifts(rng, 300, 40)
		var events []steward.Event
		for i := 0; i < 200; i++ {
			id := rng.Intn(60)
			events = append(events, steward.Event{Person: "c" + string(rune('A'+id%26)) + string(rune('a'+id/26%26)),
				Name: names[rng.Intn(3)], Date: d("2018-01-01") + steward.Date(rng.Intn(2600))})
		}
		for _, w := range []int{0, 90} {
			s := DefaultSettings()
			s.Funnels = []FunnelSpec{{Name: "F", WindowDays: w, Stages: []StageSpec{
				{Name: "a", Events: []string{"opt-in"}}, {Name: "b", Events: []string{"WORKSHOP"}},
				{Name: "c", Gift: "first"}, {Name: "d", Events: []string{"volunteer"}}, {Name: "e", FiscalYears: 2}}}}
			r, err := Compute(s, gifts, nil, events, nil)
			if err != nil {
				t.Fatal(err)
			}
			st := r.Funnel.Stages
			for k := 0; k+1 < len(st); k++ {
				if st[k].Reached < st[k+1].Reached || st[k].Denominator+st[k].StillInWindow != st[k].Reached ||
					st[k].Converted > st[k].Denominator || st[k].Converted > st[k+1].Reached {
					t.Errorf("seed %d w %d stage %d: %+v / %+v", seed, w, k, st[k], st[k+1])
				}
				if w == 0 && st[k].Converted != st[k+1].Reached {
					t.Errorf("seed %d stage %d: converted %d, next reached %d", seed, k, st[k].Converted, st[k+1].Reached)
				}
			}
			tot := make([]int, len(st))
			for _, c := range r.Funnel.Cohorts {
				for k, n := range c.Reached {
					tot[k] += n
				}
			}
			for k := range st {
				if tot[k] != st[k].Reached {
					t.Errorf("seed %d: cohorts sum %v", seed, tot)
				}
			}
		}
	}
}

// TestReportTwice: Report does not change the Accumulator.
func TestReportTwice(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	gifts := randomGifts(rng, 400, 50)
	s := DefaultSettings()
	s.MinCell = 2
	a := NewAccumulator(s)
	for i := range gifts {
		a.Gift(&gifts[i])
	}
	r1, _ := a.Report(nil)
	r2, _ := a.Report(nil)
	if diff := cmp.Diff(r1, r2); diff != "" {
		t.Error(diff)
	}
}

// TestDayQuarters: the window of day -> quarter answers what was set for
// every day it holds, and nil for days never set, whatever the order of
// the days (up and down, far outliers beyond its cap), checked against a
// map.
func TestDayQuarters(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var w dayQuarters
	want := map[steward.Date]*quarterAcc{}
	qs := make([]quarterAcc, 50)
	base := steward.NewDate(2020, 1, 1)
	for i := range 20000 {
		var d steward.Date
		switch r := rng.Intn(100); {
		case r == 0:
			d = firstDate + steward.Date(rng.Intn(10))
		case r == 1:
			d = lastDate - steward.Date(rng.Intn(10))
		case r < 10:
			d = base - steward.Date(rng.Intn(40000))
		default:
			d = base + steward.Date(rng.Intn(4000)-2000)
		}
		if q := w.get(d); q != want[d] && q != nil {
			t.Fatalf("step %d: day %d: got %p, want %p", i, d, q, want[d])
		}
		q := &qs[rng.Intn(len(qs))]
		if want[d] != nil {
			q = want[d]
		}
		w.set(d, q)
		want[d] = q
		if len(w.qs) > maxQuarterDays {
			t.Fatalf("window of %d days", len(w.qs))
		}
	}
	held := 0
	for d, q := range want {
		got := w.get(d)
		if got != nil {
			held++
		}
		if got != q && got != nil {
			t.Fatalf("day %d: got %p, want %p", d, got, q)
		}
		if got == nil && d >= w.base && d < w.base+steward.Date(len(w.qs)) {
			t.Fatalf("day %d is in the window but not held", d)
		}
	}
	for d := w.base; d < w.base+steward.Date(len(w.qs)); d++ {
		if w.get(d) != nil && want[d] == nil {
			t.Fatalf("day %d was never set", d)
		}
	}
	if held < len(want)*9/10 {
		t.Fatalf("the window holds %d of %d days", held, len(want))
	}
}

// TestBuildFiscalYear: build.fiscalYear agrees with FiscalYear on every
// day from well before to well after the years it has bounds for, for
// every fiscal year start.
func TestBuildFiscalYear(t *testing.T) {
	for m := time.January; m <= time.December; m++ {
		s := DefaultSettings()
		s.FYStartMonth = m
		b := &build{a: NewAccumulator(s), minFY: 2013, nY: 11}
		for i := range b.nY + 1 {
			start, _ := yearBounds(b.minFY+i, m)
			b.fyStart = append(b.fyStart, start)
		}
		for d := steward.NewDate(2009, 1, 1); d < steward.NewDate(2028, 1, 1); d++ {
			if got, want := b.fiscalYear(d), FiscalYear(d, m); got != want {
				t.Fatalf("FY start %v, %v: %d, want %d", m, d, got, want)
			}
		}
	}
}
