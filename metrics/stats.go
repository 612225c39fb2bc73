package metrics

import (
	"math"
	"sort"
)

// z95 is the two-sided 95% normal quantile.
const z95 = 1.959963984540054

// Wilson returns the 95% Wilson score interval (Wilson 1927) for a
// proportion of successes out of n. With n <= 0 it returns 0, 1 (no
// information); successes is clamped to 0..n.
func Wilson(successes, n int) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	if successes < 0 {
		successes = 0
	}
	if successes > n {
		successes = n
	}
	nf := float64(n)
	p := float64(successes) / nf
	z2 := z95 * z95
	den := 1 + z2/nf
	mid := (p + z2/(2*nf)) / den
	half := z95 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / den
	lo, hi = mid-half, mid+half
	// Exact bounds at the extremes, without rounding noise.
	if successes == 0 {
		lo = 0
	}
	if successes == n {
		hi = 1
	}
	return math.Max(0, lo), math.Min(1, hi)
}

// Newcombe returns the 95% hybrid score interval (Newcombe 1998, method 10)
// for the difference of proportions p2 - p1, where p1 = x1/n1 and p2 =
// x2/n2. It combines the Wilson intervals of p1 and p2:
//
//	lo = (p2-p1) - sqrt((p2-l2)^2 + (u1-p1)^2)
//	hi = (p2-p1) + sqrt((u2-p2)^2 + (p1-l1)^2)
//
// With n1 or n2 <= 0 the difference is undefined and it returns -1, 1.
func Newcombe(x1, n1, x2, n2 int) (lo, hi float64) {
	if n1 <= 0 || n2 <= 0 {
		return -1, 1
	}
	p1 := float64(x1) / float64(n1)
	p2 := float64(x2) / float64(n2)
	l1, u1 := Wilson(x1, n1)
	l2, u2 := Wilson(x2, n2)
	d := p2 - p1
	lo = d - math.Sqrt((p2-l2)*(p2-l2)+(u1-p1)*(u1-p1))
	hi = d + math.Sqrt((u2-p2)*(u2-p2)+(p1-l1)*(p1-l1))
	return lo, hi
}

// PercentileInc returns the p-th percentile (0 <= p <= 1) of sorted
// (ascending) values by linear interpolation between closest ranks: the
// method of Excel's PERCENTILE.INC, R's type 7 and numpy's default. With
// h = (n-1)p, it is x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
// An empty slice gives NaN; p is clamped to 0..1.
func PercentileInc(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	i, num := rank(int64(n), p)
	if i >= int64(n-1) || num == 0 {
		return sorted[i]
	}
	return sorted[i] + (sorted[i+1]-sorted[i])*float64(num)/rankDen
}

// rankDen is the denominator of the fractional rank: p is taken to six
// decimal places, so the rank h = (n-1)p is exact and 0.9 of the way from
// 3 to 4 is 3.6, as a spreadsheet shows it, not 3.6000000000000014.
const rankDen = 1e6

// rank splits PERCENTILE.INC's rank h = (n-1)p into its whole part i and the
// fraction's numerator num over rankDen, in exact integer arithmetic.
func rank(n int64, p float64) (i, num int64) {
	pp := int64(math.Round(math.Max(0, math.Min(1, p)) * rankDen))
	h := (n - 1) * pp
	return h / rankDen, h % rankDen
}

// hist is a histogram of whole-day values: counts by value. PERCENTILE.INC
// over a histogram equals PERCENTILE.INC over the expanded sorted values.
type hist struct {
	small []int64         // counts of values 0..len(small)-1
	big   map[int32]int64 // counts of larger values
}

const histSmall = 4096

func (h *hist) add(v int32, n int64) {
	if v >= 0 && v < histSmall {
		if int(v) >= len(h.small) {
			if cap(h.small) > int(v) {
				h.small = h.small[:v+1]
			} else {
				ns := make([]int64, v+1, max(int(v)+1, 2*cap(h.small), 16))
				copy(ns, h.small)
				h.small = ns
			}
		}
		h.small[v] += n
		return
	}
	if h.big == nil {
		h.big = map[int32]int64{}
	}
	h.big[v] += n
}

func (h *hist) merge(o *hist) {
	for v, n := range o.small {
		if n != 0 {
			h.add(int32(v), n)
		}
	}
	for v, n := range o.big {
		h.add(v, n)
	}
}

// values returns the distinct values ascending with their counts.
func (h *hist) values() (vals []int32, counts []int64) {
	var big []int32
	for v := range h.big {
		big = append(big, v)
	}
	sort.Slice(big, func(i, j int) bool { return big[i] < big[j] })
	k := 0
	for ; k < len(big) && big[k] < 0; k++ { // negative values first
		vals, counts = append(vals, big[k]), append(counts, h.big[big[k]])
	}
	for v, n := range h.small {
		if n != 0 {
			vals, counts = append(vals, int32(v)), append(counts, n)
		}
	}
	for ; k < len(big); k++ { // then values >= histSmall
		vals, counts = append(vals, big[k]), append(counts, h.big[big[k]])
	}
	return vals, counts
}

// percentile is PercentileInc over the histogram's values; NaN when empty.
func (h *hist) percentile(p float64) float64 {
	vals, counts := h.values()
	var n int64
	for _, c := range counts {
		n += c
	}
	if n == 0 {
		return math.NaN()
	}
	i, num := rank(n, p)
	at := func(rank int64) float64 { // value at 0-based rank
		for k, c := range counts {
			if rank < c {
				return float64(vals[k])
			}
			rank -= c
		}
		return float64(vals[len(vals)-1])
	}
	lo := at(i)
	if i >= n-1 || num == 0 {
		return lo
	}
	return lo + (at(i+1)-lo)*float64(num)/rankDen
}

func ptr(f float64) *float64 { return &f }

// rate returns num/den, or nil when den is 0.
func rate(num, den int64) *float64 {
	if den == 0 {
		return nil
	}
	return ptr(float64(num) / float64(den))
}

// ci returns the Wilson interval as a two-element slice, nil when den is 0.
func ci(num, den int) []float64 {
	if den <= 0 {
		return nil
	}
	lo, hi := Wilson(num, den)
	return []float64{lo, hi}
}

func major(c int64) float64 { return float64(c) / 100 }
