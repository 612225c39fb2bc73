package metrics

import (
	"sort"

	"steward"
)

// Merge adds everything o has accumulated into a, so that gifts, people and
// events may be fed to several Accumulators in parallel (one per file or
// shard) and combined. Both must have been made with the same Settings. o
// must not be used afterwards. The result equals feeding a then o's records
// to one Accumulator, except that the listed negative-latency rows keep a's
// first, then o's, up to the same limit.
func (a *Accumulator) Merge(o *Accumulator) {
	remap := make([]int32, len(o.donors))
	for key, id := range o.ids {
		nid := a.donorID(key)
		remap[id] = nid
		od := &o.donors[id]
		ad := &a.donors[nid]
		for _, dt := range []steward.Date{od.first, od.second} {
			if dt == steward.NoDate {
				continue
			}
			if ad.first == steward.NoDate || dt < ad.first {
				ad.second = ad.first
				ad.first = dt
			} else if ad.second == steward.NoDate || dt < ad.second {
				ad.second = dt
			}
		}
		if od.recurring != steward.NoDate && (ad.recurring == steward.NoDate || od.recurring < ad.recurring) {
			ad.recurring = od.recurring
		}
		for _, t := range od.qs {
			i := sort.Search(len(ad.qs), func(k int) bool { return ad.qs[k].q >= t.q })
			if i < len(ad.qs) && ad.qs[i].q == t.q {
				ad.qs[i].cents += t.cents
				if ad.qs[i].first == steward.NoDate || (t.first != steward.NoDate && t.first < ad.qs[i].first) {
					ad.qs[i].first = t.first
				}
				continue
			}
			ad.qs = append(ad.qs, qtot{})
			copy(ad.qs[i+1:], ad.qs[i:])
			ad.qs[i] = t
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
	for q, oq := range o.quarters {
		aq := a.quarters[q]
		if aq == nil {
			aq = &quarterAcc{}
			a.quarters[q] = aq
		}
		aq.gifts += oq.gifts
		aq.anonGifts += oq.anonGifts
		aq.cents += oq.cents
		aq.anonCents += oq.anonCents
	}
	for q, ot := range o.ty {
		at := a.ty[q]
		if at == nil {
			at = &tyAcc{}
			a.ty[q] = at
		}
		mergeTy(at, ot, a.s.MinCell, rm)
	}
	for k, ot := range o.breakdown {
		mergeTy(a.group(k), ot, a.s.MinCell, rm)
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
