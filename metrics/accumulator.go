package metrics

import (
	"sort"
	"strings"

	"steward"
)

// Accumulator folds used gift rows, people and events into per-donor and
// per-period state from which Report computes every figure. It implements
// steward.Sink. Memory grows with donors, not gifts: a donor costs about 100
// bytes (map entry, key and record) plus 16 to 24 bytes for each fiscal
// quarter in which they gave, so 2M donors who each gave in 5 quarters take
// about 400 MB. Thank-you state is kept per quarter and breakdown as
// histograms of latency days and counts of unacknowledged gifts per gift
// date. The exceptions are refund rows, kept one by one (16 bytes each) so
// that a refund dated after the as-of date can be left out, events that a
// configured funnel uses (one per person and name), and, only when a
// configured funnel has a Cumulative or SingleYear stage, one entry per
// donor-day with a gift.
//
// Gifts dated after Settings.AsOf (when it is set) are ignored for every
// figure. When AsOf is not set, the as-of date is the latest qualifying gift
// date, and refund rows dated after it are ignored. Rows with no date are
// ignored (ingest rejects them).
//
// An Accumulator is not safe for concurrent use; feed one per goroutine and
// combine them with Merge.
type Accumulator struct {
	s     Settings
	tiers []steward.Cents
	dc    dayCounter

	ids    map[string]int32
	donors []donor
	days   [][]dayAmt // per donor, only when needDays

	refunds  []refund
	quarters map[int32]*quarterAcc

	ty        map[int32]*tyAcc // thank-you state by quarter index
	breakdown map[bkey]*tyAcc  // thank-you state by fiscal year and breakdown
	negative  []rowPos         // negative-latency rows (first MaxRejectsListed)
	anyAck    bool

	currencies    []currencySeen
	otherCurrency int
	late          int          // gifts after Settings.AsOf
	minDate       steward.Date // first qualifying (positive) gift
	maxDate       steward.Date // latest qualifying gift
	maxEvent      steward.Date // latest used event

	needDays   bool
	eventNames map[string]bool           // lower-cased event names some funnel uses
	events     map[eventKey]steward.Date // first date per person and event name
	household  map[string]string         // contact id -> household id
}

type donor struct {
	first, second steward.Date // dates of the first two qualifying gifts
	recurring     steward.Date // first recurring gift
	qs            []qtot       // qualifying (positive) giving by quarter, sorted
}

// qtot is a donor's positive giving in one fiscal quarter and the date of
// their first gift in it.
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

type quarterAcc struct {
	gifts, anonGifts int64
	cents, anonCents int64 // positive gifts only; refunds are applied at Report
}

type rowPos struct{ source, row int }

type currencySeen struct {
	code        string
	source, row int
	n           int64
}

type eventKey struct{ person, name string }

// breakdown kinds
const (
	byTier uint8 = iota
	byChannel
	byCampaign
)

type bkey struct {
	fy    int32
	kind  uint8
	tier  int16
	label string
}

// tyAcc is thank-you state of one group of eligible gifts.
type tyAcc struct {
	eligible, negative, noDate int64
	lat                        hist
	unacked                    map[steward.Date]cnt // by gift date
	donors                     []int32              // distinct donors, at most MinCell
}

type cnt struct{ n, cents int64 }

// NewAccumulator returns an empty Accumulator for the settings s. Zero
// fields of s that have a default (FYStartMonth, DonorKey) take it.
func NewAccumulator(s Settings) *Accumulator {
	if s.FYStartMonth < 1 || s.FYStartMonth > 12 {
		s.FYStartMonth = 1
	}
	if s.DonorKey == "" {
		s.DonorKey = "account"
	}
	a := &Accumulator{
		s:         s,
		dc:        newDayCounter(s),
		ids:       map[string]int32{},
		quarters:  map[int32]*quarterAcc{},
		ty:        map[int32]*tyAcc{},
		breakdown: map[bkey]*tyAcc{},
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

func (a *Accumulator) donorID(key string) int32 {
	if key == "" {
		return -1
	}
	if id, ok := a.ids[key]; ok {
		return id
	}
	key = strings.Clone(key)
	id := int32(len(a.donors))
	a.ids[key] = id
	a.donors = append(a.donors, donor{})
	if a.needDays {
		a.days = append(a.days, nil)
	}
	return id
}

// Gift folds one used gift row into the state. It copies what it keeps.
// Rows with a zero amount, no date, a date after Settings.AsOf or (when
// Settings.Currency is set) another non-empty currency are ignored. A row
// with Refund set or a negative amount is a refund of |Amount|.
func (a *Accumulator) Gift(g *steward.Gift) {
	if g.Date == steward.NoDate || g.Amount == 0 {
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
	id := a.donorID(a.donorKey(g))
	amt := int64(g.Amount)
	if g.Refund || amt < 0 {
		if amt > 0 {
			amt = -amt
		}
		a.refunds = append(a.refunds, refund{donor: id, date: g.Date, cents: amt})
		return
	}
	qi := quarterIndex(g.Date, a.s.FYStartMonth)
	if a.minDate == steward.NoDate || g.Date < a.minDate {
		a.minDate = g.Date
	}
	if g.Date > a.maxDate {
		a.maxDate = g.Date
	}
	qa := a.quarters[qi]
	if qa == nil {
		qa = &quarterAcc{}
		a.quarters[qi] = qa
	}
	qa.gifts++
	qa.cents += amt
	if id < 0 {
		qa.anonGifts++
		qa.anonCents += amt
	} else {
		d := &a.donors[id]
		d.add(qi, g.Date, amt)
		if isRecurring(g) && (d.recurring == steward.NoDate || g.Date < d.recurring) {
			d.recurring = g.Date
		}
		if a.needDays {
			a.days[id] = addDay(a.days[id], g.Date, amt)
		}
	}
	a.thankYou(g, id, qi)
}

func (a *Accumulator) seeCurrency(g *steward.Gift) {
	for i := range a.currencies {
		c := &a.currencies[i]
		if c.code == g.Currency || strings.EqualFold(c.code, g.Currency) {
			c.n++
			return
		}
	}
	a.currencies = append(a.currencies, currencySeen{code: strings.ToUpper(g.Currency), source: g.Source, row: g.Row, n: 1})
}

// isRecurring reports whether a gift is part of a recurring series: its Type
// or Channel mentions "recurr" or "sustain" (any case).
func isRecurring(g *steward.Gift) bool {
	return containsFold(g.Type, "recurr") || containsFold(g.Type, "sustain") ||
		containsFold(g.Channel, "recurr") || containsFold(g.Channel, "sustain")
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

func (d *donor) add(qi int32, date steward.Date, amt int64) {
	if d.first == steward.NoDate || date < d.first {
		d.second = d.first
		d.first = date
	} else if d.second == steward.NoDate || date < d.second {
		d.second = date
	}
	n := len(d.qs)
	if n > 0 && d.qs[n-1].q == qi {
		d.qs[n-1].add(date, amt)
		return
	}
	i := n
	for i > 0 && d.qs[i-1].q >= qi { // few quarters per donor: scan back
		i--
	}
	if i < n && d.qs[i].q == qi {
		d.qs[i].add(date, amt)
		return
	}
	if n == cap(d.qs) { // grow by half: most donors give in few quarters
		ns := make([]qtot, n, n+n/2+1)
		copy(ns, d.qs)
		d.qs = ns
	}
	d.qs = append(d.qs, qtot{})
	copy(d.qs[i+1:], d.qs[i:])
	d.qs[i] = qtot{q: qi, first: date, cents: amt}
}

func (t *qtot) add(date steward.Date, amt int64) {
	t.cents += amt
	if t.first == steward.NoDate || date < t.first {
		t.first = date
	}
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

func (a *Accumulator) thankYou(g *steward.Gift, id int32, qi int32) {
	if g.AckStatus == steward.AckDoNotAcknowledge {
		return
	}
	t := a.ty[qi]
	if t == nil {
		t = &tyAcc{}
		a.ty[qi] = t
	}
	a.tyAdd(t, g, id)
	fy := int32(fyOf(qi))
	if tier := a.tierOf(int64(g.Amount)); tier >= 0 {
		a.tyAdd(a.group(bkey{fy: fy, kind: byTier, tier: int16(tier)}), g, id)
	}
	a.tyAdd(a.group(bkey{fy: fy, kind: byChannel, label: g.Channel}), g, id)
	a.tyAdd(a.group(bkey{fy: fy, kind: byCampaign, label: g.Campaign}), g, id)
	if g.AckDate != steward.NoDate && g.AckDate < g.Date && len(a.negative) < steward.MaxRejectsListed {
		a.negative = append(a.negative, rowPos{g.Source, g.Row})
	}
}

func (a *Accumulator) group(k bkey) *tyAcc {
	t := a.breakdown[k]
	if t == nil {
		t = &tyAcc{}
		k.label = strings.Clone(k.label)
		a.breakdown[k] = t
	}
	return t
}

func (a *Accumulator) tyAdd(t *tyAcc, g *steward.Gift, id int32) {
	t.eligible++
	switch {
	case g.AckDate != steward.NoDate && g.AckDate < g.Date:
		t.negative++
	case g.AckDate != steward.NoDate:
		t.lat.add(int32(a.dc.days(g.Date, g.AckDate)), 1)
	case g.AckStatus == steward.AckAcknowledged:
		t.noDate++
	default:
		if t.unacked == nil {
			t.unacked = map[steward.Date]cnt{}
		}
		c := t.unacked[g.Date]
		c.n++
		c.cents += int64(g.Amount)
		t.unacked[g.Date] = c
	}
	if id >= 0 && len(t.donors) < a.s.MinCell {
		for _, d := range t.donors {
			if d == id {
				return
			}
		}
		t.donors = append(t.donors, id)
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
		k.person = strings.Clone(k.person)
		a.events[k] = e.Date
	}
}
