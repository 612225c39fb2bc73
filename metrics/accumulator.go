package metrics

import (
	"hash/maphash"
	"math"
	"sort"
	"strings"

	"steward"
)

// Accumulator folds used gift rows, people and events into per-donor and
// per-period state from which Report computes every figure. It implements
// steward.Sink.
//
// Memory grows with donors, not gifts. Donors live in a donorTable (see
// its comment for the layout): a 64-byte record holding the key and up to
// 6 quarter entries, a slot of an open-addressing hash table, and, for a
// donor who gave in more fiscal quarters, 8 bytes for each of them (in
// blocks of 8, 16... entries), all in flat arrays with no pointers: about
// 80 bytes for a donor who gave in up to 6 quarters, so 2M donors take
// about 200 MB, and feeding a gift reads two or three places (slot,
// record, quarters) and allocates nothing. Periods are few: a quarterAcc
// per fiscal quarter with gifts, in a dense slice by quarter index, and a
// window of days (dayQuarters) gives the quarter of a date with one
// lookup, in any date order. Thank-you state is kept per quarter and,
// per fiscal year, per gift-size tier, channel and campaign, as histograms
// of latency days and counts of unacknowledged gifts per gift date (dense,
// by day; a gift already in the backlog's last bucket is only counted);
// the breakdowns are kept only for the years the report may show (see
// tyFloor). Channel, campaign and type labels are interned once per
// distinct string (a small cache answers repeats without hashing), so the
// groups of a year are slices indexed by label id. The exceptions are
// refund rows, kept one by one (16 bytes each) so that a refund dated after
// the as-of date can be left out, events that a configured funnel uses (one
// per person and name), and, only when a configured funnel needs them, one
// entry per donor-day with a gift (Cumulative or SingleYear stages) and the
// date of each donor's first recurring gift ("recurring" stages).
//
// Gifts dated after Settings.AsOf (when it is set) are ignored for every
// figure. When AsOf is not set, the as-of date is the latest qualifying gift
// date, and refund rows dated after it are ignored. Rows with no date, or a
// date outside the years 1 to 9999, are ignored (ingest rejects them).
//
// Donors are kept in a donorStore, in shards by key hash; Gift queues a
// gift's donor work by shard and applies it a batch at a time (pending), so
// that the loads from memory of a batch overlap.
//
// An Accumulator is not safe for concurrent use; feed one per goroutine and
// combine them with Merge. Accumulators made by Fork hash donors as the
// original does, so that Join merges their donors shard by shard on
// several goroutines.
type Accumulator struct {
	s     Settings
	tiers []steward.Cents
	dc    dayCounter

	donors *donorStore      // in shards by key hash; a fork shares its parent's (see Fork)
	pend   [nShards]pending // gifts whose donor work is not yet applied, by shard

	changed bool // donors were added to or changed (a fork's are its parent's)
	apart   bool // forks get donors of their own (KeepForksApart)
	spoiled bool // a fork that changed the donors was dropped (Drop)

	refunds []refund
	qs      []*quarterAcc // by quarter index - qbase; nil: no gifts
	qbase   int32
	days    dayQuarters // the quarter of each day with gifts
	years   map[int32]*tyYear
	labels  [3]labelTable // channel, campaign and type labels

	// tyFloor: the report shows the thank-you breakdowns (by tier,
	// channel and campaign) of one fiscal year, the latest complete one
	// with eligible gifts, else the latest (build.breakdownYear). A year
	// that is complete and has eligible gifts stays so as more gifts
	// come, since the as-of date only moves later; so the year shown is
	// that year or a later one. tyFloor is the latest such year so far
	// (math.MinInt32: none), and the gifts of earlier years skip the
	// breakdowns: in a history of ten years, most gifts.
	tyFloor int32

	negative []rowPos // negative-latency rows (first MaxRejectsListed)
	anyAck   bool

	currencies    []currencySeen
	otherCurrency int
	late          int          // gifts after Settings.AsOf
	minDate       steward.Date // first qualifying (positive) gift
	maxDate       steward.Date // latest qualifying gift
	maxEvent      steward.Date // latest used event

	needDays      bool                      // a funnel has a Cumulative or SingleYear stage
	needRecurring bool                      // a funnel has a "recurring" gift stage
	eventNames    map[string]bool           // lower-cased event names some funnel uses
	events        map[eventKey]steward.Date // first date per person and event name
	household     map[string]string         // contact id -> household id
}

// qtot is a donor's net giving in one fiscal quarter and the date of their
// first gift in it (NoDate when the entry is made only of refunds). Report
// expands a donor's qents and refunds into qtots.
type qtot struct {
	q     int32
	first steward.Date
	cents int64
}

type dayAmt struct {
	date  steward.Date
	cents int64
}

type refund struct {
	donor int32 // -1: anonymous
	date  steward.Date
	cents int64 // negative
}

// quarterAcc is the state of one fiscal quarter: its gifts and their
// thank-you state. year is the thank-you breakdown state of its fiscal year.
type quarterAcc struct {
	qi               int32
	start, end       steward.Date
	gifts, anonGifts int64
	cents, anonCents int64 // positive gifts only; refunds are applied at Report
	ty               tyAcc
	year             *tyYear
}

// tyYear is the thank-you state of one fiscal year by breakdown: by tier
// index and by label id of each labelled kind. A group with eligible == 0
// has seen no gift. The breakdowns of a year before Accumulator.tyFloor
// are left incomplete: the report does not show them.
type tyYear struct {
	tiers  []tyAcc
	labels [2][]tyAcc // byChannel-1, byCampaign-1
	fy     int32
	end    steward.Date // the year's last day
	seen   bool         // the year has an eligible gift
}

type rowPos struct{ source, row int }

type currencySeen struct {
	code        string
	source, row int
	n           int64
}

type eventKey struct{ person, name string }

// breakdown kinds, and the labelTable of each labelled kind.
const (
	byTier uint8 = iota
	byChannel
	byCampaign
	labelChannel  = 0
	labelCampaign = 1
	labelType     = 2
)

// tyAcc is thank-you state of one group of eligible gifts.
type tyAcc struct {
	eligible, negative, noDate int64
	lat                        hist
	unacked                    dateCounts // by gift date
	donors                     []int32    // distinct donors, at most MinCell

	// overdue counts the unacknowledged gifts of a breakdown group that
	// were overdue already when they were added, and so are at the as-of
	// date (see tyGift.overdue): a breakdown needs no more of them, and
	// most gifts of a long history are long overdue.
	overdue int64
	// late and lateCents count the unacknowledged gifts of a dated group
	// that were in the backlog's last bucket already when they were added
	// (tyGift.late), and so are at the as-of date: their dates are not
	// needed.
	late, lateCents int64
}

type cnt struct{ n, cents int64 }

// dateCounts counts gifts by date in a dense slice: c[i] is the count of
// date start+i. It grows at either end as dates arrive, by half its length
// again beyond the new date, so that dates arriving in any order cost
// amortised constant time (and it spans at most about twice the dates it
// has seen).
type dateCounts struct {
	start steward.Date
	c     []cnt
}

func (dc *dateCounts) add(d steward.Date, n, cents int64) {
	if len(dc.c) == 0 {
		dc.start, dc.c = d, make([]cnt, 1, 8)
	}
	if i := int(d - dc.start); i < 0 || i >= len(dc.c) {
		dc.grow(d)
	}
	i := int(d - dc.start)
	dc.c[i].n += n
	dc.c[i].cents += cents
}

// grow extends c to cover d, which it does not.
func (dc *dateCounts) grow(d steward.Date) {
	n := len(dc.c)
	if i := int(d - dc.start); i >= n && i < cap(dc.c) {
		dc.c = dc.c[:i+1]
		return
	}
	start, end := min(d, dc.start), max(d, dc.start+steward.Date(n-1))
	slack := steward.Date(int(end-start+1) / 2)
	if d < dc.start {
		start -= slack
	} else {
		end += slack
	}
	nc := make([]cnt, int(end-start+1))
	copy(nc[dc.start-start:], dc.c)
	dc.start, dc.c = start, nc
}

// each calls f for each date with a count.
func (dc *dateCounts) each(f func(d steward.Date, c cnt)) {
	for i, c := range dc.c {
		if c.n != 0 {
			f(dc.start+steward.Date(i), c)
		}
	}
}

// labelTable interns label strings (channels, campaigns, types): each
// distinct string gets a dense id. Labels repeat a lot, so a small cache
// indexed by the label's length and end bytes answers most lookups with one
// string comparison and no hashing.
type labelTable struct {
	names     []string
	recurring []bool // the label mentions "recurr" or "sustain"
	ids       map[string]int32
	cache     [64]int32 // id+1, 0: empty
}

func (t *labelTable) id(s string) int32 {
	h := 0
	if n := len(s); n > 0 {
		h = (n*31 + int(s[0])*7 + int(s[n-1])) & 63
	}
	if c := t.cache[h]; c > 0 && t.names[c-1] == s {
		return c - 1
	}
	id, ok := t.ids[s]
	if !ok {
		if t.ids == nil {
			t.ids = map[string]int32{}
		}
		id = int32(len(t.names))
		s = strings.Clone(s)
		t.names = append(t.names, s)
		t.recurring = append(t.recurring, containsFold(s, "recurr") || containsFold(s, "sustain"))
		t.ids[s] = id
	}
	t.cache[h] = id + 1
	return id
}

// NewAccumulator returns an empty Accumulator for the settings s. Zero
// fields of s that have a default (FYStartMonth, DonorKey) take it.
func NewAccumulator(s Settings) *Accumulator { return newAccumulator(s, nil) }

// BigInput is the size of input, in bytes, from which Expect starts the
// donor tables large: about 500,000 CSV rows.
const BigInput = 64 << 20

// Expect tells a, before it is fed, that its inputs hold about n bytes in
// all. From BigInput up, the donor tables start in huge pages at a size
// that suits many donors, rather than growing there through small
// tables: on a virtual machine, fresh small pages are costly (see
// prefault). It costs at most a few MiB per shard when the donors turn out
// to be few. Figures do not depend on it.
func (a *Accumulator) Expect(n int64) {
	if n >= BigInput {
		a.donors.startBig()
	}
}

// newAccumulator returns an empty Accumulator for the settings s, adding to
// donors, or to new donors when donors is nil.
func newAccumulator(s Settings, donors *donorStore) *Accumulator {
	if donors == nil {
		donors = newDonorStore(maphash.MakeSeed())
	}
	if s.FYStartMonth < 1 || s.FYStartMonth > 12 {
		s.FYStartMonth = 1
	}
	if s.DonorKey == "" {
		s.DonorKey = "account"
	}
	a := &Accumulator{
		s:         s,
		dc:        newDayCounter(s),
		donors:    donors,
		years:     map[int32]*tyYear{},
		tyFloor:   math.MinInt32,
		events:    map[eventKey]steward.Date{},
		household: map[string]string{},
	}
	for _, t := range s.GiftTiers {
		if len(a.tiers) == 0 || t > a.tiers[len(a.tiers)-1] {
			a.tiers = append(a.tiers, t)
		}
	}
	for _, f := range s.Funnels {
		for _, st := range f.Stages {
			if st.Cumulative > 0 || st.SingleYear > 0 {
				a.needDays = true
			}
			if st.Gift == "recurring" {
				a.needRecurring = true
			}
			for _, e := range st.Events {
				if a.eventNames == nil {
					a.eventNames = map[string]bool{}
				}
				a.eventNames[strings.ToLower(strings.TrimSpace(e))] = true
			}
		}
	}
	return a
}

// donorKey returns the donor id of g under the settings, "" for anonymous.
// With donor_key contact a gift with no contact id falls back to its account
// id, and with donor_key account a gift with no account id falls back to its
// contact id.
func (a *Accumulator) donorKey(g *steward.Gift) string {
	if a.s.DonorKey == "contact" {
		if g.Contact != "" {
			return g.Contact
		}
		return g.Account
	}
	if g.Account != "" {
		return g.Account
	}
	return g.Contact
}

// donorID returns the stored id of the donor with key (see donorStore), -1
// for "" (anonymous), adding a donor with no gifts when it is new.
func (a *Accumulator) donorID(key string) int32 {
	if key == "" {
		return -1
	}
	h := maphash.String(a.donors.seed, key)
	s := shardOf(h)
	sh := &a.donors.sh[s]
	sh.mu.Lock()
	a.changed = true
	id := sh.t.idHash(key, h)
	sh.size(a.needDays, a.needRecurring)
	sh.mu.Unlock()
	return stored(s, id)
}

// donorCount returns the number of donor keys seen, with or without a
// qualifying gift.
func (a *Accumulator) donorCount() int {
	a.flush()
	a.donors.index()
	return a.donors.n()
}

// Dates the Accumulator handles: the years 1 to 9999, so that a quarter
// index fits in 16 bits.
var (
	firstDate = steward.NewDate(1, 1, 1)
	lastDate  = steward.NewDate(9999, 12, 31)
)

// Gift folds one used gift row into the state. It copies what it keeps.
// Rows with a zero amount, no date, a date after Settings.AsOf or (when
// Settings.Currency is set) another non-empty currency are ignored. A row
// with Refund set or a negative amount is a refund of |Amount|.
func (a *Accumulator) Gift(g *steward.Gift) {
	if g.Date < firstDate || g.Date > lastDate || g.Amount == 0 {
		return
	}
	if a.s.AsOf != steward.NoDate && g.Date > a.s.AsOf {
		a.late++
		return
	}
	if g.Currency != "" {
		if a.s.Currency != "" {
			if !strings.EqualFold(g.Currency, a.s.Currency) {
				a.otherCurrency++
				return
			}
		} else {
			a.seeCurrency(g)
		}
	}
	if g.AckDate != steward.NoDate {
		a.anyAck = true
	}
	key := a.donorKey(g)
	amt := int64(g.Amount)
	if g.Refund || amt < 0 {
		if amt > 0 {
			amt = -amt
		}
		if key == "" {
			a.refunds = append(a.refunds, refund{donor: -1, date: g.Date, cents: amt})
		} else {
			a.deferGift(key, pendItem{refund: true, date: g.Date, cents: amt})
		}
		return
	}
	q := a.days.get(g.Date)
	if q == nil {
		q = a.quarter(quarterIndex(g.Date, a.s.FYStartMonth))
		a.days.set(g.Date, q)
	}
	if a.minDate == steward.NoDate || g.Date < a.minDate {
		a.minDate = g.Date
	}
	if g.Date > a.maxDate {
		a.maxDate = g.Date
		if a.s.AsOf == steward.NoDate {
			a.raiseFloors()
		}
	}
	q.gifts++
	q.cents += amt
	if key == "" {
		q.anonGifts++
		q.anonCents += amt
	}
	if key != "" {
		a.deferGift(key, pendItem{
			recurring: a.needRecurring &&
				(a.labels[labelChannel].isRecurring(g.Channel) || a.labels[labelType].isRecurring(g.Type)),
			qi: uint16(q.qi), day: uint16(g.Date - q.start), date: g.Date, cents: amt,
		})
	}
	a.thankYou(g, key, q)
}

// dayQuarters maps the days of a window to the state of their quarter, so
// that a gift's quarter costs no calendar arithmetic (gifts come in any
// date order). The window grows to take new days, up to maxQuarterDays.
type dayQuarters struct {
	base steward.Date  // the window's first day
	qs   []*quarterAcc // by day - base; nil: not yet known
}

// maxQuarterDays bounds the window: about 179 years (512 KiB). The
// quarters of days outside it are worked out each time.
const maxQuarterDays = 1 << 16

// get returns the quarter of day d, or nil when it is not known yet.
func (w *dayQuarters) get(d steward.Date) *quarterAcc {
	if i := uint(d - w.base); i < uint(len(w.qs)) {
		return w.qs[i]
	}
	return nil
}

// set records that day d is in quarter q, growing the window by half
// again or more to take d when it can.
func (w *dayQuarters) set(d steward.Date, q *quarterAcc) {
	if len(w.qs) == 0 {
		w.base, w.qs = d-255, make([]*quarterAcc, 512)
	}
	lo, hi := min(w.base, d), max(w.base+steward.Date(len(w.qs)), d+1)
	if n := int(hi - lo); lo != w.base || n > len(w.qs) {
		if n > maxQuarterDays {
			return
		}
		grow := min(max(n, len(w.qs)*3/2), maxQuarterDays) - n
		if lo < w.base {
			lo -= steward.Date(grow) // growing down: leave room below
		}
		qs := make([]*quarterAcc, n+grow)
		copy(qs[w.base-lo:], w.qs)
		w.base, w.qs = lo, qs
	}
	w.qs[d-w.base] = q
}

// quarter returns the state of quarter qi, making it when it is new.
func (a *Accumulator) quarter(qi int32) *quarterAcc {
	if len(a.qs) == 0 {
		a.qbase = qi
	}
	if qi < a.qbase {
		a.qs = append(make([]*quarterAcc, a.qbase-qi), a.qs...)
		a.qbase = qi
	}
	i := int(qi - a.qbase)
	for i >= len(a.qs) {
		a.qs = append(a.qs, nil)
	}
	if q := a.qs[i]; q != nil {
		return q
	}
	q := &quarterAcc{qi: qi}
	q.start, q.end = quarterBounds(qi, a.s.FYStartMonth)
	fy := int32(fyOf(qi))
	q.year = a.years[fy]
	if q.year == nil {
		q.year = &tyYear{tiers: make([]tyAcc, len(a.tiers)), fy: fy}
		_, q.year.end = yearBounds(int(fy), a.s.FYStartMonth)
		a.years[fy] = q.year
	}
	a.qs[i] = q
	return q
}

// addGift adds a positive gift of amt on date (day day of quarter qi) to
// donor id of table t, keeping the date of their second qualifying gift
// (firstTwo, with their first gift the first day of their first entry).
// A fork's entries may be in quarters this Accumulator has no state for, so
// the date of a first entry is worked out from its quarter index.
func (a *Accumulator) addGift(t *donorTable, id int32, qi, day uint16, date steward.Date, amt int64) {
	d := t.rec(id)
	if d.n > 0 {
		e := t.first(d)
		if qi < e.q() || (qi == e.q() && day < e.day()) { // a new first gift
			d.second = a.firstDate(t, d)
		} else if d.second == steward.NoDate || date < d.second {
			d.second = date
		}
	}
	t.addQuarter(id, qi, day, amt)
}

// firstTwo returns the two earliest of the dates first <= second and d,
// where NoDate is missing.
func firstTwo(first, second, d steward.Date) (steward.Date, steward.Date) {
	switch {
	case d == steward.NoDate:
	case first == steward.NoDate || d < first:
		first, second = d, first
	case second == steward.NoDate || d < second:
		second = d
	}
	return first, second
}

func (a *Accumulator) seeCurrency(g *steward.Gift) {
	for i := range a.currencies {
		c := &a.currencies[i]
		if c.code == g.Currency || strings.EqualFold(c.code, g.Currency) {
			c.n++
			return
		}
	}
	// ToUpper returns its input when it is already upper case, and that
	// views the ingest buffer (steward.Sink): clone it.
	code := strings.Clone(strings.ToUpper(g.Currency))
	a.currencies = append(a.currencies, currencySeen{code: code, source: g.Source, row: g.Row, n: 1})
}

// isRecurring reports whether label s mentions "recurr" or "sustain" (any
// case): a gift is part of a recurring series when its Type or Channel does.
func (t *labelTable) isRecurring(s string) bool {
	return s != "" && t.recurring[t.id(s)]
}

// containsFold reports whether s contains the lower-case ASCII word sub,
// ignoring ASCII case, without allocating.
func containsFold(s, sub string) bool {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

func addDay(ds []dayAmt, date steward.Date, amt int64) []dayAmt {
	n := len(ds)
	if n > 0 && ds[n-1].date == date {
		ds[n-1].cents += amt
		return ds
	}
	i := sort.Search(n, func(k int) bool { return ds[k].date >= date })
	if i < n && ds[i].date == date {
		ds[i].cents += amt
		return ds
	}
	ds = append(ds, dayAmt{})
	copy(ds[i+1:], ds[i:])
	ds[i] = dayAmt{date, amt}
	return ds
}

// tierOf returns the index of the gift-size tier of amt, -1 when there are
// no tiers or amt is below the first bound.
func (a *Accumulator) tierOf(amt int64) int {
	t := -1
	for i, b := range a.tiers {
		if amt >= int64(b) {
			t = i
		}
	}
	return t
}

// labelGroup returns the group of label id in y's breakdown of kind k.
func (y *tyYear) labelGroup(k uint8, id int32) *tyAcc {
	gs := &y.labels[k-byChannel]
	for int(id) >= len(*gs) {
		*gs = append(*gs, tyAcc{})
	}
	return &(*gs)[id]
}

// tyGift is what thank-you state needs of one eligible gift. Its donor's
// id is looked up only when a group still counts its distinct donors.
type tyGift struct {
	kind  uint8 // tyLatency, tyNegative, tyNoDate or tyUnacked
	lat   int32
	date  steward.Date
	cents int64
	key   string // the donor's key, "" for anonymous
	donor int32  // the donor's id, -1 until looked up
	// overdue: unacknowledged, and waiting more than ThankYouDays at the
	// latest gift date seen so far. The as-of date is that date or later
	// (later gifts are not counted), and a wait only grows with the as-of
	// date, so the gift is overdue in the report.
	overdue bool
	// late: likewise, waiting longer than the backlog's last bound
	// (backlogWait, or ThankYouDays when it is longer).
	late bool
}

const (
	tyLatency uint8 = iota
	tyNegative
	tyNoDate
	tyUnacked
)

// thankYou adds an eligible gift to the thank-you state of its quarter and
// of its fiscal year's tier, channel and campaign.
func (a *Accumulator) thankYou(g *steward.Gift, key string, q *quarterAcc) {
	if g.AckStatus == steward.AckDoNotAcknowledge {
		return
	}
	// Field by field: a composite literal is built aside and copied, and
	// the copy's 16-byte loads of its narrower stores stall.
	var x tyGift
	x.date, x.cents, x.key, x.donor = g.Date, int64(g.Amount), key, -1
	switch {
	case g.AckDate != steward.NoDate && g.AckDate < g.Date:
		x.kind = tyNegative
		if len(a.negative) < steward.MaxRejectsListed {
			a.negative = append(a.negative, rowPos{g.Source, g.Row})
		}
	case g.AckDate != steward.NoDate:
		x.kind, x.lat = tyLatency, int32(a.dc.days(g.Date, g.AckDate))
	case g.AckStatus == steward.AckAcknowledged:
		x.kind = tyNoDate
	default:
		x.kind = tyUnacked
		w := a.dc.days(g.Date, a.maxDate)
		x.overdue = w > a.s.ThankYouDays
		x.late = w > max(backlogWait, a.s.ThankYouDays)
	}
	// The quarter's group keeps the unacknowledged gifts by date, for the
	// backlog's buckets, but counts those in its last bucket already; the
	// breakdowns count the overdue ones.
	a.tyAdd(&q.ty, &x, true)
	y := q.year
	if !y.seen {
		y.seen = true
		a.raiseFloor(y)
	}
	if y.fy < a.tyFloor {
		return
	}
	if tier := a.tierOf(int64(g.Amount)); tier >= 0 {
		a.tyAdd(&y.tiers[tier], &x, false)
	}
	a.tyAdd(y.labelGroup(byChannel, a.labels[labelChannel].id(g.Channel)), &x, false)
	a.tyAdd(y.labelGroup(byCampaign, a.labels[labelCampaign].id(g.Campaign)), &x, false)
}

// raiseFloor raises tyFloor to year y when y has an eligible gift and is
// complete at the as-of date as far as it is known (Settings.AsOf, else the
// latest gift so far).
func (a *Accumulator) raiseFloor(y *tyYear) {
	if everyBreakdown {
		return
	}
	asOf := a.s.AsOf
	if asOf == steward.NoDate {
		asOf = a.maxDate
	}
	if y.seen && y.end <= asOf && y.fy > a.tyFloor {
		a.tyFloor = y.fy
	}
}

// everyBreakdown keeps the breakdowns of every year (no tyFloor), for tests.
var everyBreakdown = false

// raiseFloors is raiseFloor for every year, when the as-of date moved.
func (a *Accumulator) raiseFloors() {
	for _, y := range a.years {
		a.raiseFloor(y)
	}
}

// tyAdd adds gift x to group t; an unacknowledged gift that is overdue
// already is only counted unless the group is dated.
func (a *Accumulator) tyAdd(t *tyAcc, x *tyGift, dated bool) {
	t.eligible++
	switch x.kind {
	case tyNegative:
		t.negative++
	case tyLatency:
		t.lat.add(x.lat, 1)
	case tyNoDate:
		t.noDate++
	case tyUnacked:
		switch {
		case x.overdue && !dated:
			t.overdue++
		case x.late:
			t.late++
			t.lateCents += x.cents
		default:
			t.unacked.add(x.date, 1, x.cents)
		}
	}
	if x.key != "" && len(t.donors) < a.s.MinCell {
		if x.donor < 0 {
			x.donor = a.donorID(x.key)
		}
		for _, d := range t.donors {
			if d == x.donor {
				return
			}
		}
		t.donors = append(t.donors, x.donor)
	}
}

// Person records a person's household, used to map event people to donors
// when DonorKey is "account".
func (a *Accumulator) Person(p *steward.Person) {
	if p.ID == "" || p.Household == "" || a.s.DonorKey == "contact" {
		return
	}
	if _, ok := a.household[p.ID]; !ok {
		a.household[strings.Clone(p.ID)] = strings.Clone(p.Household)
	}
}

// Event records the first date of each event a configured funnel uses.
// Events dated after Settings.AsOf, undated, or unused are ignored.
func (a *Accumulator) Event(e *steward.Event) {
	if e.Person == "" || e.Date == steward.NoDate || a.eventNames == nil {
		return
	}
	if a.s.AsOf != steward.NoDate && e.Date > a.s.AsOf {
		return
	}
	name := strings.ToLower(strings.TrimSpace(e.Name))
	if !a.eventNames[name] {
		return
	}
	if e.Date > a.maxEvent {
		a.maxEvent = e.Date
	}
	k := eventKey{e.Person, name}
	if d, ok := a.events[k]; !ok || e.Date < d {
		// ToLower and TrimSpace may return views of e.Name, and assigning
		// to a map with string keys stores the key again even when present.
		k.person, k.name = strings.Clone(k.person), strings.Clone(k.name)
		a.events[k] = e.Date
	}
}
