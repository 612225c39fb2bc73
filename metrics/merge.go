package metrics

import (
	"steward"
)

// Merge adds everything o has accumulated into a, so that gifts, people and
// events may be fed to several Accumulators in parallel (one per file or
// shard) and combined. Both must have been made with the same Settings. o
// must not be used afterwards. The result equals feeding a then o's records
// to one Accumulator, except that the listed negative-latency rows keep a's
// first, then o's, up to the same limit.
func (a *Accumulator) Merge(o *Accumulator) {
	a.flush()
	o.flush()
	// Quarters first: a donor's entries need their quarter in a.
	for _, oq := range o.qs {
		if oq == nil {
			continue
		}
		aq := a.quarter(oq.qi)
		aq.gifts += oq.gifts
		aq.anonGifts += oq.anonGifts
		aq.cents += oq.cents
		aq.anonCents += oq.anonCents
	}
	rm := func(id int32) int32 { return id }
	if o.donors != a.donors { // not a fork of a: add o's donors to a's
		remap := a.mergeDonors(o)
		rm = func(id int32) int32 {
			if id < 0 {
				return id
			}
			return remap[id&(nShards-1)][id>>shardBits]
		}
	}
	for _, rf := range o.refunds {
		rf.donor = rm(rf.donor)
		a.refunds = append(a.refunds, rf)
	}
	for _, oq := range o.qs {
		if oq != nil {
			mergeTy(&a.quarter(oq.qi).ty, &oq.ty, a.s.MinCell, rm)
		}
	}
	for fy, oy := range o.years { // a has every year of o: see above
		ay := a.years[fy]
		for i := range oy.tiers {
			mergeTy(&ay.tiers[i], &oy.tiers[i], a.s.MinCell, rm)
		}
		for k, gs := range oy.labels {
			for oid := range gs {
				if gs[oid].eligible > 0 {
					id := a.labels[k].id(o.labels[k].names[oid])
					mergeTy(ay.labelGroup(byChannel+uint8(k), id), &gs[oid], a.s.MinCell, rm)
				}
			}
		}
	}
	for _, p := range o.negative {
		if len(a.negative) < steward.MaxRejectsListed {
			a.negative = append(a.negative, p)
		}
	}
	a.anyAck = a.anyAck || o.anyAck
	for _, c := range o.currencies {
		found := false
		for i := range a.currencies {
			if a.currencies[i].code == c.code {
				ac := &a.currencies[i]
				ac.n += c.n
				if c.source < ac.source || (c.source == ac.source && c.row < ac.row) {
					ac.source, ac.row = c.source, c.row
				}
				found = true
			}
		}
		if !found {
			a.currencies = append(a.currencies, c)
		}
	}
	a.otherCurrency += o.otherCurrency
	a.late += o.late
	if o.minDate != steward.NoDate && (a.minDate == steward.NoDate || o.minDate < a.minDate) {
		a.minDate = o.minDate
	}
	if o.maxEvent > a.maxEvent {
		a.maxEvent = o.maxEvent
	}
	if o.maxDate > a.maxDate {
		a.maxDate = o.maxDate
	}
	for k, dt := range o.events {
		if old, ok := a.events[k]; !ok || dt < old {
			a.events[k] = dt
		}
	}
	for k, h := range o.household {
		if _, ok := a.household[k]; !ok {
			a.household[k] = h
		}
	}
}

// mergeDonors adds the donors of o, which has a donorStore of its own, to
// a's, and returns the stored id in a of each donor of o, by o's shard and
// table id.
func (a *Accumulator) mergeDonors(o *Accumulator) [nShards][]int32 {
	var remap [nShards][]int32
	for s := range o.donors.sh {
		osh := &o.donors.sh[s]
		remap[s] = make([]int32, osh.t.n)
		for id := int32(0); id < int32(osh.t.n); id++ {
			nid := a.donorID(string(osh.t.key(osh.t.rec(id))))
			remap[s][id] = nid
			ash, aid := &a.donors.sh[nid&(nShards-1)], nid>>shardBits
			od, ad := osh.t.rec(id), ash.t.rec(aid)
			first, second := firstTwo(a.firstDate(&ash.t, ad), ad.second, o.firstDate(&osh.t, od))
			_, ad.second = firstTwo(first, second, od.second)
			if a.needRecurring && o.needRecurring {
				if r := osh.recurring[id]; r != steward.NoDate && (ash.recurring[aid] == steward.NoDate || r < ash.recurring[aid]) {
					ash.recurring[aid] = r
				}
			}
			for _, e := range osh.t.entries(od) {
				ash.t.addQuarter(aid, e.q(), e.day(), osh.t.cents(id, e))
			}
			if a.needDays && o.needDays {
				for _, x := range osh.days[id] {
					ash.days[aid] = addDay(ash.days[aid], x.date, x.cents)
				}
			}
		}
	}
	return remap
}

// firstDate returns the date of the first qualifying gift of donor d of
// table t, NoDate if none.
func (a *Accumulator) firstDate(t *donorTable, d *donor) steward.Date {
	if d.n == 0 {
		return steward.NoDate
	}
	e := t.entries(d)[0]
	start, _ := quarterBounds(int32(e.q()), a.s.FYStartMonth)
	return start + steward.Date(e.day())
}
