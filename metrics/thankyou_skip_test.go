package metrics

// Thank-you work that the Accumulator skips because the report does not
// need it: the breakdowns of years before the one shown (tyFloor), and the
// dates of gifts already in the backlog's last bucket (tyAcc.late). The
// reports must not change.

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"
	"time"

	"steward"
)

// TestBreakdownFloor: the gifts of years before Accumulator.tyFloor skip
// the thank-you breakdowns, and the report is the same as when every year
// keeps them: whatever the order of the gifts (as made, by date, by date
// backwards), the fiscal year, the as-of date, and with the gifts split
// between two Accumulators and merged. The floor ends at the year that
// the breakdowns show (worked out here from the gifts), or stays unset
// when no year is complete.
func TestBreakdownFloor(t *testing.T) {
	for seed := int64(1); seed <= 24; seed++ {
		rng := rand.New(rand.NewSource(seed))
		s := DefaultSettings()
		s.FYStartMonth = time.Month(1 + rng.Intn(12))
		s.MinCell = 3
		s.GiftTiers = []steward.Cents{0, 1000, 10000}
		switch seed % 3 {
		case 1:
			s.AsOf = d("2022-03-15")
		case 2:
			s.AsOf = d("2030-01-01")
		}
		gs := randomGifts(rng, 800, 90)
		if seed%4 == 0 {
			// Eleven months of one calendar year as the fiscal year: no
			// year is complete unless the as-of date says so, and the
			// breakdowns are the latest year's (seeds 12 and 24).
			s.FYStartMonth = time.January
			gs = slices.DeleteFunc(gs, func(g steward.Gift) bool { return g.Date < d("2024-01-01") || g.Date > d("2024-11-30") })
		}
		for i := range gs {
			gs[i].Campaign = []string{"", "Spring", "Gala", "Year-End"}[rng.Intn(4)]
		}
		switch seed % 5 {
		case 1:
			slices.SortStableFunc(gs, func(x, y steward.Gift) int { return int(x.Date) - int(y.Date) })
		case 2:
			slices.SortStableFunc(gs, func(x, y steward.Gift) int { return int(y.Date) - int(x.Date) })
		}
		what := fmt.Sprintf("seed %d (FY from month %d, as of %v, %d gifts)", seed, s.FYStartMonth, s.AsOf, len(gs))

		everyBreakdown = true
		want, err := feed(s, gs).Report(nil)
		everyBreakdown = false
		if err != nil {
			t.Fatal(err)
		}
		a := feed(s, gs)
		if f := breakdownFloor(s, gs); a.tyFloor != f {
			t.Errorf("%s: floor %d, want %d", what, a.tyFloor, f)
		}
		sameReport(t, want, a, what)
		half := len(gs) / 3
		m := feed(s, gs[:half])
		m.Merge(feed(s, gs[half:]))
		if f := breakdownFloor(s, gs); m.tyFloor != f {
			t.Errorf("%s, merged: floor %d, want %d", what, m.tyFloor, f)
		}
		sameReport(t, want, m, what+", merged")
	}
}

// breakdownFloor works out from the gifts the latest fiscal year that is
// complete at the as-of date (Settings.AsOf, else the latest positive
// gift) and has a gift that counts for thank-you latency, or
// math.MinInt32 when there is none.
func breakdownFloor(s Settings, gs []steward.Gift) int32 {
	asOf := refAsOf(s, gs)
	floor := int32(math.MinInt32)
	for _, g := range gs {
		if g.Amount <= 0 || g.Refund || g.AckStatus == steward.AckDoNotAcknowledge || g.Date > asOf {
			continue
		}
		fy, _ := FiscalQuarter(g.Date, s.FYStartMonth)
		// The year ends the day before the same month's first a year
		// after it starts: fiscal year fy starts in calendar year fy-1
		// unless it starts in January.
		y := fy
		if s.FYStartMonth > time.January {
			y = fy - 1
		}
		end := steward.NewDate(y+1, s.FYStartMonth, 1) - 1
		if end <= asOf && int32(fy) > floor {
			floor = int32(fy)
		}
	}
	return floor
}

// TestUnackedReference: each quarter's overdue and pending gifts and the
// backlog's buckets equal a plain count over the gifts (calendar days from
// each unacknowledged gift to the as-of date): for targets below and above
// the backlog's bounds, gifts in random order (most of them already in the
// last bucket when they are added) and in date order (few), with and
// without an as-of date, in one Accumulator and in two merged.
func TestUnackedReference(t *testing.T) {
	for seed := int64(1); seed <= 16; seed++ {
		rng := rand.New(rand.NewSource(seed))
		s := DefaultSettings()
		s.FYStartMonth = time.Month(1 + rng.Intn(12))
		s.ThankYouDays = []int{2, 7, 45, 120}[seed%4]
		if seed%3 == 0 {
			s.AsOf = d("2023-09-30")
		}
		gs := randomGifts(rng, 900, 90)
		if seed%2 == 1 {
			slices.SortStableFunc(gs, func(x, y steward.Gift) int { return int(x.Date) - int(y.Date) })
		}
		what := fmt.Sprintf("seed %d (target %d days, as of %v)", seed, s.ThankYouDays, s.AsOf)
		wantQ, wantB := refUnacked(s, gs)

		m := feed(s, gs[:len(gs)/2])
		m.Merge(feed(s, gs[len(gs)/2:]))
		for name, a := range map[string]*Accumulator{"one": feed(s, gs), "merged": m} {
			r, err := a.Report(nil)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][2]int{}
			for _, q := range r.ThankYou.Quarters {
				if q.Overdue+q.Pending > 0 {
					got[q.Period] = [2]int{q.Overdue, q.Pending}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(wantQ) {
				t.Errorf("%s, %s: quarters' overdue and pending\n got %v\nwant %v", what, name, got, wantQ)
			}
			if fmt.Sprint(r.ThankYou.Backlog) != fmt.Sprint(wantB) {
				t.Errorf("%s, %s: backlog\n got %v\nwant %v", what, name, r.ThankYou.Backlog, wantB)
			}
		}
	}
}

// refUnacked counts the unacknowledged gifts (positive, not refunds, not
// "do not acknowledge", no acknowledgment date or status) up to the as-of
// date, by quarter: overdue (waiting more than the target) and pending;
// and buckets the overdue ones by wait: target+1 to 7 days, 8-30, 31-90,
// over 90, the bounds raised to the target+1 when it is longer.
func refUnacked(s Settings, gs []steward.Gift) (map[string][2]int, []Backlog) {
	asOf := refAsOf(s, gs)
	T := s.ThankYouDays
	type bucket struct {
		lo, hi int
		count  int
		cents  int64
	}
	var bs []bucket
	for lo, his := T+1, []int{7, 30, 90, math.MaxInt}; len(his) > 0; his = his[1:] {
		if lo <= his[0] {
			bs = append(bs, bucket{lo: lo, hi: his[0]})
			lo = his[0] + 1
		}
	}
	qs := map[string][2]int{}
	for _, g := range gs {
		if g.Amount <= 0 || g.Refund || g.Date > asOf || g.AckDate != steward.NoDate ||
			g.AckStatus == steward.AckDoNotAcknowledge || g.AckStatus == steward.AckAcknowledged {
			continue
		}
		fy, q := FiscalQuarter(g.Date, s.FYStartMonth)
		label := fmt.Sprintf("FY%d-Q%d", fy, q)
		c := qs[label]
		w := int(asOf - g.Date)
		if w > T {
			c[0]++
			for i := range bs {
				if w >= bs[i].lo && w <= bs[i].hi {
					bs[i].count++
					bs[i].cents += int64(g.Amount)
				}
			}
		} else {
			c[1]++
		}
		qs[label] = c
	}
	var out []Backlog
	for _, b := range bs {
		label := fmt.Sprintf("%d-%d days", b.lo, b.hi)
		if b.hi == math.MaxInt {
			label = fmt.Sprintf("over %d days", b.lo-1)
		}
		out = append(out, Backlog{Label: label, Count: b.count, Dollars: float64(b.cents) / 100})
	}
	return qs, out
}
