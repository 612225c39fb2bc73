package metrics

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"steward"
)

// Compute folds gifts, people and events into a fresh Accumulator and
// returns its Report. It is the convenience form for tests and examples.
func Compute(s Settings, gifts []steward.Gift, people []steward.Person, events []steward.Event, sources []steward.Source) (*Report, error) {
	a := NewAccumulator(s)
	for i := range people {
		a.Person(&people[i])
	}
	for i := range events {
		a.Event(&events[i])
	}
	for i := range gifts {
		a.Gift(&gifts[i])
	}
	return a.Report(sources)
}

// build is the state of one Report call.
type build struct {
	a       *Accumulator
	asOf    steward.Date
	refunds []refund // dated on or before asOf, sorted by donor then date
	minFY   int      // span of fiscal years with qualifying gifts
	nY      int
	fyStart []steward.Date // first day of fiscal years minFY..minFY+nY (see fiscalYear)
	qstart  []steward.Date // first day of the Accumulator's quarters, from qbase on
	qmin    int32          // span of quarters with qualifying gifts
	nQ      int
	fun     funnelState
}

// Report computes every figure from the state so far. It does not change
// the Accumulator, so more records may be added and Report called again.
// sources names files in messages and is copied into Report.Sources.
//
// The as-of date is Settings.AsOf, or else the latest qualifying gift date
// (with no gifts at all, the latest event used by a funnel).
// With no qualifying gifts the report is empty but valid: no periods, no
// rates, Recorded false. The only error is impossible input: gifts in more
// than one currency when Settings.Currency is empty.
func (a *Accumulator) Report(sources []steward.Source) (*Report, error) {
	if a.spoiled {
		return nil, ErrSpoiled
	}
	a.flush()
	a.donors.index()
	if err := a.currencyError(sources); err != nil {
		return nil, err
	}
	b := &build{a: a, asOf: a.s.AsOf}
	if b.asOf == steward.NoDate {
		b.asOf = a.maxDate
	}
	if b.asOf == steward.NoDate {
		b.asOf = a.maxEvent // no gifts at all: the latest event
	}
	if sources == nil {
		sources = []steward.Source{}
	}
	r := &Report{
		Schema:               Schema,
		AsOf:                 b.asOf,
		FiscalYearStartMonth: int(a.s.FYStartMonth),
		DonorKey:             a.s.DonorKey,
		ThankYouTargetDays:   a.s.ThankYouDays,
		Sources:              sources,
		Retention:            []Retention{},
		Cohorts:              []Cohort{},
		QuarterCohorts:       []Cohort{},
		Quarters:             []Quarter{},
		Funnels:              []Funnel{},
		Goals:                []Goal{},
	}
	r.Currency = strings.ToUpper(a.s.Currency)
	if r.Currency == "" && len(a.currencies) == 1 {
		r.Currency = a.currencies[0].code
	}
	for _, rf := range a.refunds {
		if rf.date <= b.asOf {
			rf.donor = a.donors.dense(rf.donor)
			b.refunds = append(b.refunds, rf)
		} else {
			r.Totals.AfterAsOf++
		}
	}
	slices.SortFunc(b.refunds, func(x, y refund) int {
		if x.donor != y.donor {
			return cmp.Compare(x.donor, y.donor)
		}
		return cmp.Compare(x.date, y.date)
	})
	var qs []int32
	for _, q := range a.qs {
		if q != nil && q.gifts > 0 {
			qs = append(qs, q.qi)
		}
	}
	if len(qs) > 0 {
		b.qmin = qs[0]
		b.nQ = int(qs[len(qs)-1]-qs[0]) + 1
		b.minFY = fyOf(qs[0])
		b.nY = fyOf(qs[len(qs)-1]) - b.minFY + 1
		for i := range b.nY + 1 {
			start, _ := yearBounds(b.minFY+i, a.s.FYStartMonth)
			b.fyStart = append(b.fyStart, start)
		}
	}
	b.qstart = make([]steward.Date, len(a.qs))
	for i, q := range a.qs {
		if q != nil {
			b.qstart[i] = q.start
		} else {
			b.qstart[i], _ = quarterBounds(a.qbase+int32(i), a.s.FYStartMonth)
		}
	}
	b.totals(r)
	b.startFunnels()
	b.donorFigures(r, qs)
	b.thankYou(r, sources)
	b.endFunnels(r)
	b.goals(r)
	return r, nil
}

// fiscalYear returns FiscalYear(d, Settings.FYStartMonth), looked up among
// the fiscal years with gifts when d is in one: the funnels ask it of every
// donor.
func (b *build) fiscalYear(d steward.Date) int {
	s := b.fyStart
	if len(s) < 2 || d < s[0] || d >= s[len(s)-1] {
		return FiscalYear(d, b.a.s.FYStartMonth)
	}
	i := min(int(d-s[0])/366, len(s)-2) // at or before d's year: no year is longer
	for s[i+1] <= d {
		i++
	}
	return b.minFY + i
}

func (a *Accumulator) currencyError(sources []steward.Source) error {
	if len(a.currencies) < 2 {
		return nil
	}
	cs := append([]currencySeen(nil), a.currencies...)
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].source != cs[j].source {
			return cs[i].source < cs[j].source
		}
		return cs[i].row < cs[j].row
	})
	names := make([]string, len(cs))
	most := 0
	for i, c := range cs {
		names[i] = steward.Shown(c.code)
		if c.n > cs[most].n {
			most = i
		}
	}
	file := "gifts"
	if cs[1].source >= 0 && cs[1].source < len(sources) && sources[cs[1].source].File != "" {
		file = sources[cs[1].source].File
	}
	return fmt.Errorf("%s: row %d: more than one currency (%s): set currency: %s in the config",
		file, cs[1].row, strings.Join(names, ", "), names[most])
}

// giftFacts fills g with what funnel stages need of donor id, whose net
// giving by quarter, refunds and second qualifying gift are qs, refunds
// and second, and returns it; nil when the donor has no qualifying gift
// (gave false).
func (b *build) giftFacts(g *giftFacts, id int32, qs []qtot, refunds []refund, second steward.Date, gave bool) *giftFacts {
	a := b.a
	if !gave {
		return nil
	}
	*g = giftFacts{} // cleared, then filled: a literal copied in stalls
	g.second, g.qs, g.refunds = second, qs, refunds
	for _, t := range qs { // the first entry with a gift
		if t.first != steward.NoDate {
			g.first = t.first
			break
		}
	}
	if a.needRecurring {
		g.recurring = a.donors.recurring(id)
	}
	if a.needDays {
		g.days = a.donors.days(id)
	}
	return g
}

// donorWalk expands donors' entries and refunds into net giving by
// quarter, visiting donors in ascending id order so that their refunds
// (sorted by donor) are found with one moving cursor. Entry blocks lie
// anywhere in the pool, so it expands those of the next walkBatch donors
// (of one shard) in one tight loop whose independent loads overlap their
// cache misses.
type donorWalk struct {
	b    *build
	next int    // first refund not yet passed
	buf  []qtot // net giving of a donor with refunds

	hi     int32          // the end of the range walked
	lo     int32          // first donor of the batch
	qt     []qtot         // the batch's entries
	off    []int32        // donor lo+i has qt[off[i]:off[i+1]]
	second []steward.Date // donor lo+i's second qualifying gift
	addrs  []uintptr      // the batch's prefetches
}

const walkBatch = 256

// batch expands the entries of the donors from id on: up to walkBatch of
// them, all in id's shard and below hi.
func (w *donorWalk) batch(id int32) {
	b := w.b
	s := b.a.donors
	i := s.shard(id)
	t := &s.sh[i].t
	l, end := id-s.off[i], min(id+walkBatch, s.off[i+1], w.hi)-s.off[i]
	w.lo, w.qt, w.off, w.second = id, w.qt[:0], append(w.off[:0], 0), w.second[:0]
	qstart, qbase := b.qstart, b.a.qbase
	// The blocks of the donors whose entries are in the pool lie anywhere
	// in it: ask for all of their lines first, so that their misses overlap.
	addrs := w.addrs[:0]
	for k := l; k < end; k++ {
		if d := t.rec(k); d.n > inlineEnts {
			addrs = t.ents.appendLines(addrs, d.pos(), int(d.n))
		}
	}
	prefetchAll(addrs)
	w.addrs = addrs
	for ; l < end; l++ {
		d := t.rec(l)
		if n := int(d.n); n <= inlineEnts {
			for k := range n {
				w.qt = append(w.qt, t.qtot(l, d.inline(k), qstart, qbase))
			}
		} else {
			for _, e := range t.ents.get(d.pos(), n) {
				w.qt = append(w.qt, t.qtot(l, e, qstart, qbase))
			}
		}
		w.off = append(w.off, int32(len(w.qt)))
		w.second = append(w.second, d.second)
	}
}

// qtot returns entry e of donor id as a qtot, its first date taken from
// qstart, the first days of the quarters from qbase on.
func (t *donorTable) qtot(id int32, e qent, qstart []steward.Date, qbase int32) qtot {
	q := int32(e.q())
	return qtot{q: q, first: qstart[q-qbase] + steward.Date(e.day()), cents: t.cents(id, e)}
}

// net returns donor id's net giving by quarter (refunds applied), sorted,
// their refunds (within as-of), by date, and the date of their second
// qualifying gift. Entries made only of refunds have first = NoDate. gave
// is false when the donor has no qualifying gift. The slices are reused
// by later calls; ids must not decrease from call to call.
func (w *donorWalk) net(id int32) (qs []qtot, own []refund, second steward.Date, gave bool) {
	if len(w.off) == 0 || id >= w.lo+int32(len(w.off)-1) {
		w.batch(id)
	}
	i := id - w.lo
	qs = w.qt[w.off[i]:w.off[i+1]:w.off[i+1]]
	second, gave = w.second[i], len(qs) > 0
	rs := w.b.refunds
	for w.next < len(rs) && rs[w.next].donor < id {
		w.next++
	}
	lo := w.next
	for w.next < len(rs) && rs[w.next].donor == id {
		w.next++
	}
	own = rs[lo:w.next]
	if len(own) == 0 {
		return qs, own, second, gave
	}
	m := w.b.a.s.FYStartMonth
	buf := append(w.buf[:0], qs...)
	for _, rf := range own {
		q := quarterIndex(rf.date, m)
		i := len(buf)
		for i > 0 && buf[i-1].q >= q {
			i--
		}
		if i < len(buf) && buf[i].q == q {
			buf[i].cents += rf.cents
			continue
		}
		buf = append(buf, qtot{})
		copy(buf[i+1:], buf[i:])
		buf[i] = qtot{q: q, cents: rf.cents}
	}
	w.buf = buf
	return buf, own, second, gave
}

// totals fills Report.Totals but Donors, which the pass over the donors
// counts (donorFigures): the records are read once, there.
func (b *build) totals(r *Report) {
	a := b.a
	t := &r.Totals
	var cents, anon int64
	for _, qa := range a.qs {
		if qa == nil {
			continue
		}
		t.Gifts += int(qa.gifts)
		t.AnonymousGifts += int(qa.anonGifts)
		cents += qa.cents
		anon += qa.anonCents
	}
	for _, rf := range b.refunds {
		t.Refunds++
		cents += rf.cents
		if rf.donor < 0 {
			anon += rf.cents
		}
	}
	t.Dollars = major(cents)
	t.AnonymousDollars = major(anon)
	t.FirstGift, t.LastGift = a.minDate, a.maxDate
	t.AfterAsOf += a.late
	t.OtherCurrency = a.otherCurrency
}

// yearAcc accumulates one Retention entry in counts and cents.
type yearAcc struct {
	donors, prior, newD, recap, retained, up, same, down int
	lapsed, lapsedNew, priorNew, newRetained, sybunt     int
	dollars, priorDollars, retainedDollars, newDollars   int64
	recapDollars, upDollars, downDollars, lapsedDollars  int64
	sybuntDollars                                        int64
}

// donorFigures fills Retention, Cohorts, QuarterCohorts and Quarters in one
// pass over the donors, which also adds each donor to the funnels. A donor's year total is the net of their qualifying
// gifts and refunds in that fiscal year; they gave in the year when it is
// above 0. Dollars of a year are the sum of the totals of the donors who
// gave in it, so a refund that leaves a donor's year at or below 0 takes
// them out of both counts and dollars, and gains - losses equals
// dollars(Y) - dollars(Y-1) exactly.
func (b *build) donorFigures(r *Report, qs []int32) {
	a := b.a
	m := a.s.FYStartMonth
	nY := b.nY
	// The last complete year and quarter, as indexes from the first: they
	// may lie past the last gift when --as-of is later, and cohort cells of
	// those complete periods are shown (as 0), never dropped.
	lastY := -1
	for i := 0; ; i++ {
		if _, end := yearBounds(b.minFY+i, m); end > b.asOf {
			break
		}
		lastY = i
	}
	lastQ := -1
	for i := 0; ; i++ {
		if _, end := quarterBounds(b.qmin+int32(i), m); end > b.asOf {
			break
		}
		lastQ = i
	}
	// The donors in chunks of donorChunk, taken in turn by one goroutine
	// per core for a big report, each into its own counts and funnels,
	// added up at the end: sums, whichever goroutine took which chunk.
	n := a.donors.n()
	parts := 1
	if n >= parallelDonors {
		parts = min(runtime.GOMAXPROCS(0), (n+donorChunk-1)/donorChunk)
	}
	ps := make([]*donorPass, parts)
	var next atomic.Int64
	var wg sync.WaitGroup
	for i := range ps {
		fs := b.fun.fs
		if i > 0 {
			fs = b.newFunnelAccs()
		}
		ps[i] = b.newDonorPass(lastY, lastQ, fs)
		wg.Go(func() {
			for {
				lo := int(next.Add(int64(donorChunk))) - donorChunk
				if lo >= n {
					return
				}
				b.donorRange(ps[i], int32(lo), int32(min(lo+donorChunk, n)))
			}
		})
	}
	wg.Wait()
	p := ps[0]
	for _, o := range ps[1:] {
		p.add(o)
	}
	r.Totals.Donors = p.donors
	ra, cSize, cGave, qDonors, qSize, qGave := p.ra, p.cSize, p.cGave, p.qDonors, p.qSize, p.qGave
	hasYear := make([]bool, nY)
	for _, q := range qs {
		hasYear[fyOf(q)-b.minFY] = true
	}
	for i := 0; i < nY; i++ {
		if !hasYear[i] {
			continue
		}
		r.Retention = append(r.Retention, b.retention(b.minFY+i, &ra[i]))
		if cSize[i] > 0 {
			start, _ := yearBounds(b.minFY+i, m)
			r.Cohorts = append(r.Cohorts, cohort(yearLabel(b.minFY+i), start, cSize[i], cGave[i]))
		}
	}
	// Quarters
	qRefunds := map[int32]int64{}
	for _, rf := range b.refunds {
		qRefunds[quarterIndex(rf.date, m)] += rf.cents
	}
	present := map[int32]bool{}
	for _, q := range qs {
		present[q] = true
	}
	for _, q := range qs {
		i := int(q - b.qmin)
		start, end := quarterBounds(q, m)
		qa := a.qs[q-a.qbase]
		qr := Quarter{
			Period:    quarterLabel(q),
			Start:     start,
			End:       end,
			Complete:  end <= b.asOf,
			Gifts:     int(qa.gifts),
			Donors:    qDonors[i],
			NewDonors: qSize[i],
			Dollars:   major(qa.cents + qRefunds[q]),
		}
		if present[q-4] {
			qr.SameQuarterA = quarterLabel(q - 4)
		}
		r.Quarters = append(r.Quarters, qr)
		if qSize[i] > 0 {
			r.QuarterCohorts = append(r.QuarterCohorts, cohort(quarterLabel(q), start, qSize[i], qGave[i]))
		}
	}
}

func cohort(label string, start steward.Date, size int, gave []int) Cohort {
	c := Cohort{Cohort: label, Start: start, Size: size, Gave: gave, Rates: make([]float64, len(gave))}
	for k, g := range gave {
		c.Rates[k] = float64(g) / float64(size)
	}
	return c
}

func (b *build) retention(fy int, y *yearAcc) Retention {
	start, end := yearBounds(fy, b.a.s.FYStartMonth)
	priorRepeat := y.prior - y.priorNew
	repeatRetained := y.retained - y.newRetained
	gains := y.newDollars + y.recapDollars + y.upDollars
	losses := y.downDollars + y.lapsedDollars
	r := Retention{
		Period:       yearLabel(fy),
		Start:        start,
		End:          end,
		Complete:     end <= b.asOf,
		Donors:       y.donors,
		PriorDonors:  y.prior,
		New:          y.newD,
		Recaptured:   y.recap,
		Retained:     y.retained,
		Upgraded:     y.up,
		Same:         y.same,
		Downgraded:   y.down,
		Lapsed:       y.lapsed,
		LapsedNew:    y.lapsedNew,
		LapsedRepeat: y.lapsed - y.lapsedNew,
		PriorNew:     y.priorNew,
		PriorRepeat:  priorRepeat,

		RetentionRate:            rate(int64(y.retained), int64(y.prior)),
		RetentionRateCI95:        ci(y.retained, y.prior),
		NewDonorRetentionRate:    rate(int64(y.newRetained), int64(y.priorNew)),
		NewDonorRetentionCI95:    ci(y.newRetained, y.priorNew),
		RepeatDonorRetentionRate: rate(int64(repeatRetained), int64(priorRepeat)),
		RepeatDonorRetentionCI95: ci(repeatRetained, priorRepeat),

		Dollars:             major(y.dollars),
		PriorDollars:        major(y.priorDollars),
		RetainedDollars:     major(y.retainedDollars),
		DollarRetentionRate: rate(y.retainedDollars, y.priorDollars),
		AcquisitionRate:     rate(int64(y.newD), int64(y.prior)),

		NewDollars:        major(y.newDollars),
		RecapturedDollars: major(y.recapDollars),
		UpgradeDollars:    major(y.upDollars),
		DowngradeDollars:  major(y.downDollars),
		LapsedDollars:     major(y.lapsedDollars),
		Gains:             major(gains),
		Losses:            major(losses),
		GrowthInGiving:    rate(gains-losses, y.priorDollars),

		LYBUNT:        y.lapsed,
		LYBUNTDollars: major(y.lapsedDollars),
		SYBUNT:        y.sybunt,
		SYBUNTDollars: major(y.sybuntDollars),

		SmallNumbers: y.prior < 30,
	}
	return r
}

// parallelDonors is the number of donors from which Report's pass over the
// donors runs on one goroutine per core, in chunks of donorChunk donors
// (the goroutines take the next chunk when done, so that none waits for
// another long; donors who appear early in a file give more often).
// Variables for tests.
var (
	parallelDonors = 100_000
	donorChunk     = 16 << 10
)

// donorPass is what the pass over a range of donors counts: Retention
// entries, cohorts, quarters and funnels (see donorFigures).
type donorPass struct {
	donors                int // with a qualifying gift
	lastY, lastQ          int
	ra                    []yearAcc
	cSize, qDonors, qSize []int
	cGave, qGave          [][]int
	fs                    []*funnelAcc
	walk                  donorWalk
}

func (b *build) newDonorPass(lastY, lastQ int, fs []*funnelAcc) *donorPass {
	p := &donorPass{lastY: lastY, lastQ: lastQ, ra: make([]yearAcc, b.nY), cSize: make([]int, b.nY),
		cGave: make([][]int, b.nY), qDonors: make([]int, b.nQ), qSize: make([]int, b.nQ),
		qGave: make([][]int, b.nQ), fs: fs}
	for c := range p.cGave {
		p.cGave[c] = make([]int, max(0, lastY-c))
	}
	for c := range p.qGave {
		p.qGave[c] = make([]int, max(0, lastQ-c))
	}
	return p
}

// add adds the counts of o to p.
func (p *donorPass) add(o *donorPass) {
	p.donors += o.donors
	for i := range p.ra {
		p.ra[i].add(&o.ra[i])
	}
	addInts(p.cSize, o.cSize)
	addInts(p.qDonors, o.qDonors)
	addInts(p.qSize, o.qSize)
	for i := range p.cGave {
		addInts(p.cGave[i], o.cGave[i])
	}
	for i := range p.qGave {
		addInts(p.qGave[i], o.qGave[i])
	}
	for i, f := range p.fs {
		f.add(o.fs[i])
	}
}

func addInts(dst, src []int) {
	for i, v := range src {
		dst[i] += v
	}
}

func (y *yearAcc) add(o *yearAcc) {
	y.donors += o.donors
	y.prior += o.prior
	y.newD += o.newD
	y.recap += o.recap
	y.retained += o.retained
	y.up += o.up
	y.same += o.same
	y.down += o.down
	y.lapsed += o.lapsed
	y.lapsedNew += o.lapsedNew
	y.priorNew += o.priorNew
	y.newRetained += o.newRetained
	y.sybunt += o.sybunt
	y.dollars += o.dollars
	y.priorDollars += o.priorDollars
	y.retainedDollars += o.retainedDollars
	y.newDollars += o.newDollars
	y.recapDollars += o.recapDollars
	y.upDollars += o.upDollars
	y.downDollars += o.downDollars
	y.lapsedDollars += o.lapsedDollars
	y.sybuntDollars += o.sybuntDollars
}

// donorRange counts donors lo to hi-1 into p.
func (b *build) donorRange(p *donorPass, lo, hi int32) {
	nY, nQ := b.nY, b.nQ
	lastY, lastQ := p.lastY, p.lastQ
	ra, cSize, cGave, qDonors, qSize, qGave := p.ra, p.cSize, p.cGave, p.qDonors, p.qSize, p.qGave
	ya := make([]int64, nY)
	// The pass's walk, its buffers kept from chunk to chunk.
	w := &p.walk
	w.b, w.hi, w.off = b, hi, w.off[:0]
	w.next = sort.Search(len(b.refunds), func(i int) bool { return b.refunds[i].donor >= lo })
	var g giftFacts
	for id := lo; id < hi; id++ {
		buf, refunds, second, gave := w.net(id)
		if gave {
			p.donors++
		}
		b.funnelUnit(p.fs, id, b.giftFacts(&g, id, buf, refunds, second, gave))
		clear(ya)
		firstQ := -1
		for _, t := range buf {
			if i := fyOf(t.q) - b.minFY; i >= 0 && i < nY {
				ya[i] += t.cents
			}
			if t.cents <= 0 {
				continue
			}
			i := int(t.q - b.qmin)
			if i < 0 || i >= nQ {
				continue
			}
			qDonors[i]++
			if firstQ < 0 {
				firstQ = i
				qSize[i]++
			} else if i <= lastQ {
				qGave[firstQ][i-firstQ-1]++
			}
		}
		firstG := -1
		var before int64 // giving in years with G before Y-1
		// Nothing counts a donor before the first year they gave in (none:
		// no year at all).
		start := 0
		for start < nY && ya[start] <= 0 {
			start++
		}
		for i := start; i < nY; i++ {
			if i >= 2 && ya[i-2] > 0 {
				before += ya[i-2]
			}
			cur, prev := ya[i] > 0, i > 0 && ya[i-1] > 0
			isNew := cur && firstG < 0
			prevNew := prev && firstG == i-1
			y := &ra[i]
			if cur {
				y.donors++
				y.dollars += ya[i]
				switch {
				case isNew:
					y.newD++
					y.newDollars += ya[i]
				case !prev:
					y.recap++
					y.recapDollars += ya[i]
				default:
					y.retained++
					y.retainedDollars += ya[i]
					switch d := ya[i] - ya[i-1]; {
					case d > 0:
						y.up++
						y.upDollars += d
					case d < 0:
						y.down++
						y.downDollars -= d
					default:
						y.same++
					}
				}
			}
			if prev {
				y.prior++
				y.priorDollars += ya[i-1]
				if prevNew {
					y.priorNew++
				}
				if cur {
					if prevNew {
						y.newRetained++
					}
				} else {
					y.lapsed++
					y.lapsedDollars += ya[i-1]
					if prevNew {
						y.lapsedNew++
					}
				}
			}
			if !cur && !prev && before > 0 {
				y.sybunt++
				y.sybuntDollars += before
			}
			if isNew {
				firstG = i
				cSize[i]++
			} else if cur && i <= lastY {
				cGave[firstG][i-firstG-1]++
			}
		}
	}
}
