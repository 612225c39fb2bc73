package metrics

import (
	"hash/maphash"
	"sync"
	"unsafe"

	"steward"
)

// Merge adds everything o has accumulated into a, so that gifts, people and
// events may be fed to several Accumulators in parallel (one per file or
// shard) and combined. Both must have been made with the same Settings. o
// must not be used afterwards; it may be a fork of a that shares a's
// donors (see Fork), whose donors are then there already. The result
// equals feeding a then o's records to one Accumulator, except that the
// listed negative-latency rows keep a's first, then o's, up to the same
// limit.
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
	var rm func(int32) int32 // nil: o's donor ids are a's (a fork sharing a's donors)
	if o.donors != a.donors {
		remap := a.mergeDonors(o)
		rm = func(id int32) int32 {
			if id < 0 {
				return id
			}
			return remap[id&(nShards-1)][id>>shardBits]
		}
	}
	for _, rf := range o.refunds {
		if rm != nil {
			rf.donor = rm(rf.donor)
		}
		a.refunds = append(a.refunds, rf)
	}
	for _, oq := range o.qs {
		if oq != nil {
			mergeTy(&a.quarter(oq.qi).ty, &oq.ty, a.s.MinCell, rm)
		}
	}
	for fy, oy := range o.years { // a has every year of o: see above
		ay := a.years[fy]
		ay.seen = ay.seen || oy.seen
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
	a.spoiled = a.spoiled || o.spoiled
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
	// a's breakdowns are complete from a's floor on, o's from o's: the
	// years of both and the later as-of date give a floor at least as
	// high as either.
	a.raiseFloors()
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

// mergeDonors adds the donors of o to a's, and returns the stored id in a
// of each donor of o, by o's shard and table id. When both hash with the
// same seed (o is a fork of a), shard s of o goes into shard s of a, each
// shard on a goroutine of its own, a batch of keys at a time; else one
// donor after another.
func (a *Accumulator) mergeDonors(o *Accumulator) [nShards][]int32 {
	var remap [nShards][]int32
	if a.donors.seed != o.donors.seed {
		for s := range o.donors.sh {
			osh := &o.donors.sh[s]
			remap[s] = make([]int32, osh.t.n)
			for id := int32(0); id < int32(osh.t.n); id++ {
				nid := a.donorID(string(osh.t.key(osh.t.rec(id))))
				remap[s][id] = nid
				a.mergeDonor(&a.donors.sh[nid&(nShards-1)], nid>>shardBits, o, osh, id)
			}
		}
		return remap
	}
	var wg sync.WaitGroup
	for s := range o.donors.sh {
		wg.Go(func() { remap[s] = a.mergeShard(o, s) })
	}
	wg.Wait()
	return remap
}

// mergeShard adds the donors of shard s of o, which hashes with a's seed,
// to shard s of a, and returns their stored ids in a.
func (a *Accumulator) mergeShard(o *Accumulator, s int) []int32 {
	osh, ash := &o.donors.sh[s], &a.donors.sh[s]
	remap := make([]int32, osh.t.n)
	keys := make([]string, 0, pendBatch)
	hs := make([]uint64, 0, pendBatch)
	ids := make([]int32, pendBatch)
	for lo := 0; lo < osh.t.n; lo += pendBatch {
		hi := min(lo+pendBatch, osh.t.n)
		keys, hs = keys[:0], hs[:0]
		for id := lo; id < hi; id++ {
			// A view of the key in o's table, which nothing changes now;
			// a's table copies the keys it keeps.
			k := osh.t.key(osh.t.rec(int32(id)))
			keys = append(keys, unsafe.String(unsafe.SliceData(k), len(k)))
			hs = append(hs, maphash.String(a.donors.seed, keys[len(keys)-1]))
		}
		ash.t.idsBatch(keys, hs, ids[:hi-lo])
		ash.size(a.needDays, a.needRecurring)
		for i, aid := range ids[:hi-lo] {
			id := int32(lo + i)
			remap[id] = stored(s, aid)
			a.mergeDonor(ash, aid, o, osh, id)
		}
	}
	return remap
}

// mergeDonor adds donor oid of shard osh of o to donor aid of shard ash.
func (a *Accumulator) mergeDonor(ash *donorShard, aid int32, o *Accumulator, osh *donorShard, oid int32) {
	od, ad := osh.t.rec(oid), ash.t.rec(aid)
	first, second := firstTwo(a.firstDate(&ash.t, ad), ad.second, o.firstDate(&osh.t, od))
	_, ad.second = firstTwo(first, second, od.second)
	if a.needRecurring && o.needRecurring {
		if r := osh.recurring[oid]; r != steward.NoDate && (ash.recurring[aid] == steward.NoDate || r < ash.recurring[aid]) {
			ash.recurring[aid] = r
		}
	}
	var buf [inlineEnts]qent
	for _, e := range osh.t.entries(od, &buf) {
		ash.t.addQuarter(aid, e.q(), e.day(), osh.t.cents(oid, e))
	}
	if a.needDays && o.needDays {
		for _, x := range osh.days[oid] {
			ash.days[aid] = addDay(ash.days[aid], x.date, x.cents)
		}
	}
}

// firstDate returns the date of the first qualifying gift of donor d of
// table t, NoDate if none.
func (a *Accumulator) firstDate(t *donorTable, d *donor) steward.Date {
	if d.n == 0 {
		return steward.NoDate
	}
	e := t.first(d)
	qi := int32(e.q())
	// The quarter's state has its first day, unless the entry is from
	// another Accumulator (a fork's entries, or its parent's).
	if i := int(qi - a.qbase); i >= 0 && i < len(a.qs) && a.qs[i] != nil {
		return a.qs[i].start + steward.Date(e.day())
	}
	start, _ := quarterBounds(qi, a.s.FYStartMonth)
	return start + steward.Date(e.day())
}
