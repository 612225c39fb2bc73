package metrics

import (
	"hash/maphash"
	"unsafe"

	"steward"
)

// pending is the donor work of gifts of one shard that Gift has seen but
// not yet applied: Gift copies the donor's key and hashes it, and every
// pendBatch gifts of a shard, apply looks the whole batch up at once (see
// donorTable.idsBatch) and applies it in the order of the gifts. The rest
// of a gift (its quarter, its thank-you state) is applied at once.
type pending struct {
	keys  []byte // the keys of items, one after another
	items []pendItem
	strs  []string // views of keys, made by apply
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

// pendBatch is the number of gifts apply handles at once: enough for the
// processor to overlap many loads from memory, few enough that the lines
// they bring in stay in cache for the next stage.
const pendBatch = 256

// maxPend is the most gifts a shard queues while another goroutine holds it.
const maxPend = 16 * pendBatch

// deferGift queues the donor work of a gift of donor key.
func (a *Accumulator) deferGift(key string, it pendItem) {
	h := maphash.String(a.donors.seed, key)
	s := shardOf(h)
	p := &a.pend[s]
	it.koff, it.klen = uint32(len(p.keys)), uint32(len(key))
	p.keys = append(p.keys, key...)
	p.items = append(p.items, it)
	p.hs = append(p.hs, h)
	if len(p.items) >= pendBatch {
		// A fork shares the shard with its parent: when the other goroutine
		// holds it, queue on, up to a point.
		sh := &a.donors.sh[s]
		if !sh.mu.TryLock() {
			if len(p.items) < maxPend {
				return
			}
			sh.mu.Lock()
		}
		a.apply(s)
		sh.mu.Unlock()
	}
}

// flush applies all queued donor work.
func (a *Accumulator) flush() {
	for s := range a.pend {
		if len(a.pend[s].items) > 0 {
			a.donors.sh[s].mu.Lock()
			a.apply(s)
			a.donors.sh[s].mu.Unlock()
		}
	}
}

// apply applies the queued donor work of shard s, whose lock the caller
// holds.
func (a *Accumulator) apply(s int) {
	a.changed = true
	p, sh := &a.pend[s], &a.donors.sh[s]
	p.strs = p.strs[:0]
	for _, it := range p.items {
		// The views live until the end of apply, and p.keys is not
		// changed until then; the table copies the keys it keeps.
		p.strs = append(p.strs, unsafe.String(unsafe.SliceData(p.keys[it.koff:]), int(it.klen)))
	}
	p.ids = append(p.ids[:0], make([]int32, len(p.items))...)
	sh.t.idsBatch(p.strs, p.hs, p.ids)
	sh.size(a.needDays, a.needRecurring)
	for i := range p.items {
		it, id := &p.items[i], p.ids[i]
		if it.refund {
			a.refunds = append(a.refunds, refund{donor: stored(s, id), date: it.date, cents: it.cents})
			continue
		}
		a.addGift(&sh.t, id, it.qi, it.day, it.date, it.cents)
		if it.recurring && (sh.recurring[id] == steward.NoDate || it.date < sh.recurring[id]) {
			sh.recurring[id] = it.date
		}
		if a.needDays {
			sh.days[id] = addDay(sh.days[id], it.date, it.cents)
		}
	}
	clear(p.strs)
	p.keys, p.items, p.strs, p.hs = p.keys[:0], p.items[:0], p.strs[:0], p.hs[:0]
}
