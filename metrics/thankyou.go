package metrics

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"steward"
)

// mergeTy adds src into dst; the donor sets stay capped at capN.
func mergeTy(dst, src *tyAcc, capN int, remap func(int32) int32) {
	dst.eligible += src.eligible
	dst.negative += src.negative
	dst.noDate += src.noDate
	dst.overdue += src.overdue
	dst.late += src.late
	dst.lateCents += src.lateCents
	dst.lat.merge(&src.lat)
	src.unacked.each(func(d steward.Date, c cnt) { dst.unacked.add(d, c.n, c.cents) })
outer:
	for _, id := range src.donors {
		if len(dst.donors) >= capN {
			break
		}
		if remap != nil {
			id = remap(id)
		}
		for _, e := range dst.donors {
			if e == id {
				continue outer
			}
		}
		dst.donors = append(dst.donors, id)
	}
}

// tyStats computes the figures of the union of groups at the as-of date.
// Eligible = Acknowledged + Negative + AckNoDate + Overdue + Pending.
// Acknowledged counts gifts with an ack date on or after the gift date;
// their latencies give the median and p90 (PERCENTILE.INC). Waits of
// unacknowledged gifts are measured from the gift date to the as-of date in
// the same kind of days as latencies.
func (b *build) tyStats(label string, groups ...*tyAcc) ThankYouStats {
	T := b.a.s.ThankYouDays
	st := ThankYouStats{Period: label}
	lat := &groups[0].lat
	if len(groups) > 1 {
		lat = &hist{}
	}
	for _, t := range groups {
		st.Eligible += int(t.eligible)
		st.Negative += int(t.negative)
		st.AckNoDate += int(t.noDate)
		st.Overdue += int(t.overdue + t.late)
		if len(groups) > 1 {
			lat.merge(&t.lat)
		}
		t.unacked.each(func(d steward.Date, c cnt) {
			if b.a.dc.days(d, b.asOf) > T {
				st.Overdue += int(c.n)
			} else {
				st.Pending += int(c.n)
			}
		})
	}
	vals, counts := lat.values()
	for i, v := range vals {
		st.Acknowledged += int(counts[i])
		if int(v) <= T {
			st.OnTime += int(counts[i])
		}
	}
	den := st.Acknowledged + st.Overdue
	st.OnTimeRate = rate(int64(st.OnTime), int64(den))
	st.OnTimeCI95 = ci(st.OnTime, den)
	if st.Acknowledged > 0 {
		st.MedianDays = ptr(lat.percentile(0.5))
		st.P90Days = ptr(lat.percentile(0.9))
	}
	return st
}

// suppress zeroes a breakdown row with fewer distinct donors than MinCell.
func (b *build) suppress(st ThankYouStats, t *tyAcc) ThankYouStats {
	if b.a.s.MinCell > 0 && len(t.donors) < b.a.s.MinCell {
		return ThankYouStats{Period: st.Period, Suppressed: true}
	}
	return st
}

// thankYou fills Report.ThankYou (metrics.md section 2) and the quarters'
// on-time rate and median. When no used gift row has an acknowledgment
// date, Recorded is false and nothing else is filled: the report says "not
// recorded", never "0% on time".
func (b *build) thankYou(r *Report, sources []steward.Source) {
	a := b.a
	ty := &r.ThankYou
	ty.TargetDays = a.s.ThankYouDays
	ty.Days = "calendar"
	if a.s.BusinessDays {
		ty.Days = "business"
	}
	ty.Periods, ty.Quarters = []ThankYouStats{}, []ThankYouStats{}
	ty.ByTier, ty.ByChannel, ty.ByCamp = []ThankYouStats{}, []ThankYouStats{}, []ThankYouStats{}
	ty.Histogram, ty.Backlog, ty.Negative = []LatencyBin{}, []Backlog{}, []RowRef{}
	if !a.anyAck {
		return
	}
	ty.Recorded = true
	var all []*tyAcc // every quarter's group
	var fys []int
	years := map[int][]*tyAcc{}
	qstats := map[string]ThankYouStats{}
	for _, q := range a.qs {
		if q == nil || q.ty.eligible == 0 {
			continue
		}
		st := b.tyStats(quarterLabel(q.qi), &q.ty)
		ty.Quarters = append(ty.Quarters, st)
		qstats[st.Period] = st
		all = append(all, &q.ty)
		fy := fyOf(q.qi)
		if years[fy] == nil {
			fys = append(fys, fy)
		}
		years[fy] = append(years[fy], &q.ty)
	}
	for _, fy := range fys {
		ty.Periods = append(ty.Periods, b.tyStats(yearLabel(fy), years[fy]...))
	}
	allLat := &hist{}
	if len(all) > 0 {
		ty.Overall = b.tyStats("overall", all...)
		for _, t := range all {
			allLat.merge(&t.lat)
		}
	} else {
		ty.Overall = b.tyStats("overall", &tyAcc{})
	}
	for i := range r.Quarters {
		if st, ok := qstats[r.Quarters[i].Period]; ok {
			r.Quarters[i].OnTimeRate = st.OnTimeRate
			r.Quarters[i].MedianDays = st.MedianDays
		}
	}

	// Breakdowns for the latest complete fiscal year, or the latest.
	if fy, ok := b.breakdownYear(fys); ok {
		y := a.years[int32(fy)]
		for i := range y.tiers {
			if t := &y.tiers[i]; t.eligible > 0 {
				ty.ByTier = append(ty.ByTier, b.suppress(b.tyStats(a.tierLabel(i), t), t))
			}
		}
		ty.ByChannel = b.byLabel(y.labels[0], &a.labels[labelChannel])
		ty.ByCamp = b.byLabel(y.labels[1], &a.labels[labelCampaign])
	}

	// Histogram of latencies, all periods.
	bins := make([]LatencyBin, 17)
	for i := 0; i <= 14; i++ {
		bins[i].Label = strconv.Itoa(i)
	}
	bins[15].Label, bins[16].Label = "15-30", "31+"
	vals, counts := allLat.values()
	for i, v := range vals {
		switch {
		case v <= 14:
			bins[v].Count += int(counts[i])
		case v <= 30:
			bins[15].Count += int(counts[i])
		default:
			bins[16].Count += int(counts[i])
		}
	}
	ty.Histogram = bins
	ty.Backlog = b.backlog(all)

	neg := append([]rowPos(nil), a.negative...)
	sort.Slice(neg, func(i, j int) bool {
		if neg[i].source != neg[j].source {
			return neg[i].source < neg[j].source
		}
		return neg[i].row < neg[j].row
	})
	for _, p := range neg {
		f := ""
		if p.source >= 0 && p.source < len(sources) {
			f = sources[p.source].File
		}
		ty.Negative = append(ty.Negative, RowRef{File: f, Row: p.row})
	}
}

// byLabel returns the stats of the groups with gifts, indexed by label id,
// sorted by label ("(none)" for a blank one).
func (b *build) byLabel(groups []tyAcc, labels *labelTable) []ThankYouStats {
	var ids []int
	for id := range groups {
		if groups[id].eligible > 0 {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(i, j int) int {
		x, y := labels.names[i], labels.names[j]
		if c := cmp.Compare(noneLabel(x), noneLabel(y)); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	out := []ThankYouStats{}
	for _, id := range ids {
		t := &groups[id]
		out = append(out, b.suppress(b.tyStats(noneLabel(labels.names[id]), t), t))
	}
	return out
}

// breakdownYear picks the latest complete fiscal year among fys (sorted),
// else the latest one.
func (b *build) breakdownYear(fys []int) (int, bool) {
	if len(fys) == 0 {
		return 0, false
	}
	for i := len(fys) - 1; i >= 0; i-- {
		if _, end := yearBounds(fys[i], b.a.s.FYStartMonth); end <= b.asOf {
			return fys[i], true
		}
	}
	return fys[len(fys)-1], true
}

// backlogWait is the lower bound of the backlog's last bucket, in days
// (unless the target is longer): see backlog.
const backlogWait = 90

// backlog buckets overdue gifts by their wait at the as-of date: from T+1
// to 7 days, 8-30, 31-90, and over 90 days (bounds raised to T+1 when the
// target is longer; empty buckets are kept, impossible ones dropped). The
// gifts a group counts as late are in the last bucket.
func (b *build) backlog(all []*tyAcc) []Backlog {
	T := b.a.s.ThankYouDays
	type bucket struct{ lo, hi int }
	var bs []bucket
	lo := T + 1
	for _, hi := range []int{7, 30, backlogWait, math.MaxInt} {
		if lo <= hi {
			bs = append(bs, bucket{lo, hi})
			lo = hi + 1
		}
	}
	out := make([]Backlog, len(bs))
	cents := make([]int64, len(bs))
	for i, bk := range bs {
		if bk.hi == math.MaxInt {
			out[i].Label = fmt.Sprintf("over %d days", bk.lo-1)
		} else {
			out[i].Label = fmt.Sprintf("%d-%d days", bk.lo, bk.hi)
		}
	}
	last := len(bs) - 1 // over max(backlogWait, T) days
	for _, t := range all {
		out[last].Count += int(t.late)
		cents[last] += t.lateCents
		t.unacked.each(func(d steward.Date, c cnt) {
			w := b.a.dc.days(d, b.asOf)
			for i, bk := range bs {
				if w >= bk.lo && w <= bk.hi {
					out[i].Count += int(c.n)
					cents[i] += c.cents
				}
			}
		})
	}
	for i := range out {
		out[i].Dollars = major(cents[i])
	}
	return out
}

func noneLabel(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none)"
	}
	return s
}

// tierLabel names tier i by its bounds: "$100–$999", "$10,000+".
func (a *Accumulator) tierLabel(i int) string {
	lo := a.tiers[i]
	if i == len(a.tiers)-1 {
		return money(int64(lo)) + "+"
	}
	hi := int64(a.tiers[i+1])
	if hi%100 == 0 && lo%100 == 0 {
		hi -= 100
	} else {
		hi--
	}
	return money(int64(lo)) + "–" + money(hi)
}

// money formats cents as "$1,234" (whole dollars) or "$1,234.50".
func money(c int64) string {
	neg := c < 0
	if neg {
		c = -c
	}
	s := strconv.FormatInt(c/100, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if c%100 != 0 {
		s += fmt.Sprintf(".%02d", c%100)
	}
	if neg {
		return "-$" + s
	}
	return "$" + s
}
