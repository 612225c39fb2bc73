package metrics

import (
	"hash/maphash"
	"unsafe"

	"steward"
)

// pending is the donor work of gifts that Gift has seen but not yet applied
// to the donorTable: Gift copies the donor's key and hashes it, and every
// pendBatch gifts flush looks up the whole batch at once (see
// donorTable.idsBatch) and applies it, in the order of the gifts. The rest
// of a gift (its quarter, its thank-you state) is applied at once.
type pending struct {
	keys  []byte // the keys of items, one after another
	items []pendItem
	strs  []string // views of keys, made by flush
	hs    []uint64
	ids   []int32
}

type pendItem struct {
	koff, klen uint32
	refund     bool // a refund row, else a positive gift
	recurring  bool // the gift is part of a recurring series
	qi, day    uint16
	date       steward.Date
	cents      int64
}

// pendBatch is the number of gifts flush handles at once: enough for the
// processor to overlap many loads from memory, few enough that the lines
// they bring in stay in cache for the next stage.
const pendBatch = 256

// deferGift queues the donor work of a gift of donor key.
func (a *Accumulator) deferGift(key string, it pendItem) {
	p := &a.pend
	it.koff, it.klen = uint32(len(p.keys)), uint32(len(key))
	p.keys = append(p.keys, key...)
	p.items = append(p.items, it)
	p.hs = append(p.hs, maphash.String(a.donors.seed, key))
	if len(p.items) == pendBatch {
		a.flush()
	}
}

// flush applies the queued donor work.
func (a *Accumulator) flush() {
	p := &a.pend
	if len(p.items) == 0 {
		return
	}
	p.strs = p.strs[:0]
	for _, it := range p.items {
		// The views live until the end of flush, and p.keys is not
		// changed until then; the table copies the keys it keeps.
		p.strs = append(p.strs, unsafe.String(&p.keys[it.koff], int(it.klen)))
	}
	p.ids = append(p.ids[:0], make([]int32, len(p.items))...)
	a.donors.idsBatch(p.strs, p.hs, p.ids)
	a.sizeDonorSlices()
	for i := range p.items {
		it, id := &p.items[i], p.ids[i]
		if it.refund {
			a.refunds = append(a.refunds, refund{donor: id, date: it.date, cents: it.cents})
			continue
		}
		a.addGift(id, it.qi, it.day, it.date, it.cents)
		if it.recurring && (a.recurring[id] == steward.NoDate || it.date < a.recurring[id]) {
			a.recurring[id] = it.date
		}
		if a.needDays {
			a.days[id] = addDay(a.days[id], it.date, it.cents)
		}
	}
	clear(p.strs)
	p.keys, p.items, p.strs, p.hs = p.keys[:0], p.items[:0], p.strs[:0], p.hs[:0]
}
