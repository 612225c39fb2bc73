package metrics

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"
	"time"

	"steward"
)

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
	asOf := s.AsOf
	if asOf == steward.NoDate {
		for _, g := range gs {
			if g.Amount > 0 && !g.Refund && g.Date > asOf {
				asOf = g.Date
			}
		}
	}
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
