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
	asOf := s.AsOf
	if asOf == steward.NoDate {
		for _, g := range gs {
			if g.Amount > 0 && !g.Refund && g.Date > asOf {
				asOf = g.Date
			}
		}
	}
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
