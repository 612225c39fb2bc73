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
	remap := make([]int32, o.donors.n)
	for id := int32(0); id < int32(o.donors.n); id++ {
		od := o.donors.rec(id)
		nid := a.donorID(string(o.donors.key(od)))
		remap[id] = nid
		ad := a.donors.rec(nid)
		first, second := firstTwo(a.firstGift(ad), ad.second, o.firstGift(od))
		_, ad.second = firstTwo(first, second, od.second)
		if a.needRecurring && o.needRecurring {
			if r := o.recurring[id]; r != steward.NoDate && (a.recurring[nid] == steward.NoDate || r < a.recurring[nid]) {
				a.recurring[nid] = r
			}
		}
		for _, e := range o.donors.entries(od) {
			a.donors.addQuarter(nid, e.q(), e.day(), o.donors.cents(id, e))
		}
		if a.needDays && o.needDays {
			for _, x := range o.days[id] {
				a.days[nid] = addDay(a.days[nid], x.date, x.cents)
			}
		}
	}
	rm := func(id int32) int32 {
		if id < 0 {
			return id
		}
		return remap[id]
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
