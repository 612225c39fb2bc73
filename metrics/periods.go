package metrics

import (
	"fmt"
	"sort"
	"time"

	"steward"
)

// FiscalYear returns the fiscal year of d, labelled by the calendar year in
// which it ends (metrics.md section 0): with a July start, 2024-07-01 and
// 2025-06-30 are both in FY2025. A startMonth outside 1..12 is treated as
// January. FiscalYear is undefined for NoDate.
func FiscalYear(d steward.Date, startMonth time.Month) int {
	y, m, _ := d.Civil()
	if startMonth > time.January && startMonth <= time.December && m >= startMonth {
		return y + 1
	}
	return y
}

// FiscalQuarter returns the fiscal year of d and its quarter 1..4, where Q1
// is the first three months of the fiscal year.
func FiscalQuarter(d steward.Date, startMonth time.Month) (fy, q int) {
	if startMonth < time.January || startMonth > time.December {
		startMonth = time.January
	}
	y, m, _ := d.Civil()
	fy = y
	if startMonth > time.January && m >= startMonth {
		fy = y + 1
	}
	q = (int(m)-int(startMonth)+12)%12/3 + 1
	return fy, q
}

// quarterIndex numbers fiscal quarters consecutively: fy*4 + q-1.
func quarterIndex(d steward.Date, startMonth time.Month) int32 {
	fy, q := FiscalQuarter(d, startMonth)
	return int32(fy*4 + q - 1)
}

// fyOf returns the fiscal year of a quarter index.
func fyOf(qi int32) int { return int(qi) >> 2 }

// yearBounds returns the first and last day of fiscal year fy.
func yearBounds(fy int, startMonth time.Month) (start, end steward.Date) {
	if startMonth < time.January || startMonth > time.December {
		startMonth = time.January
	}
	sy := fy
	if startMonth > time.January {
		sy = fy - 1
	}
	start = steward.NewDate(sy, startMonth, 1)
	end = steward.NewDate(sy+1, startMonth, 1) - 1
	return start, end
}

// quarterBounds returns the first and last day of the quarter with index qi.
func quarterBounds(qi int32, startMonth time.Month) (start, end steward.Date) {
	if startMonth < time.January || startMonth > time.December {
		startMonth = time.January
	}
	fy, q := fyOf(qi), int(qi)&3
	sy := fy
	if startMonth > time.January {
		sy = fy - 1
	}
	start = steward.NewDate(sy, startMonth+time.Month(3*q), 1)
	end = steward.NewDate(sy, startMonth+time.Month(3*q+3), 1) - 1
	return start, end
}

func yearLabel(fy int) string      { return fmt.Sprintf("FY%d", fy) }
func quarterLabel(qi int32) string { return fmt.Sprintf("FY%d-Q%d", fyOf(qi), int(qi)&3+1) }

// dayCounter measures waits and latencies in calendar days, or in business
// days (Monday to Friday, skipping holidays).
type dayCounter struct {
	business bool
	holidays []steward.Date // sorted, distinct, weekdays only
}

func newDayCounter(s Settings) dayCounter {
	dc := dayCounter{business: s.BusinessDays}
	if !s.BusinessDays {
		return dc
	}
	for _, h := range s.Holidays {
		if h != steward.NoDate && h.Weekday() != time.Saturday && h.Weekday() != time.Sunday {
			dc.holidays = append(dc.holidays, h)
		}
	}
	sort.Slice(dc.holidays, func(i, j int) bool { return dc.holidays[i] < dc.holidays[j] })
	out := dc.holidays[:0]
	for i, h := range dc.holidays {
		if i == 0 || h != dc.holidays[i-1] {
			out = append(out, h)
		}
	}
	dc.holidays = out
	return dc
}

// days returns the days from a to b (b >= a). Calendar: b - a. Business:
// the number of business days d with a < d <= b, so a gift thanked the same
// day has latency 0, and a gift made on Friday and thanked the next Monday
// has latency 1.
func (dc dayCounter) days(a, b steward.Date) int {
	if !dc.business {
		return int(b - a)
	}
	if b <= a {
		return 0
	}
	n := weekdaysThrough(b) - weekdaysThrough(a)
	lo := sort.Search(len(dc.holidays), func(i int) bool { return dc.holidays[i] > a })
	hi := sort.Search(len(dc.holidays), func(i int) bool { return dc.holidays[i] > b })
	return n - (hi - lo)
}

// weekdaysThrough counts Mondays to Fridays among Dates 1..d.
func weekdaysThrough(d steward.Date) int {
	// Date 1 (0001-01-01) was a Monday: each full week of 7 days from Date 1
	// has 5 weekdays; the first 5 days of a partial week are weekdays.
	n := int(d)
	w, r := n/7, n%7
	if r > 5 {
		r = 5
	}
	return w*5 + r
}
