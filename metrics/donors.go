package metrics

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"unsafe"

	"steward"
	"steward/internal/prefault"
)

// donorTable holds every donor of an Accumulator in flat arrays with no
// pointers, so that a donor costs about 80 to 150 bytes and the garbage
// collector has nothing to scan. Feeding a gift touches two or three
// places: a hash slot, the donor's record (which holds the key and, for a
// donor who gave in at most 6 quarters, their quarter entries) and, for
// the others, their quarter entries in the pool.
//
//   - recs: one 64-byte donor record per donor (one cache line), indexed
//     by donor id, in chunks of 32Ki records, 2 MiB (no copying as the
//     table grows; see newChunk). Ids are dense, in order of first
//     appearance. A key of up to 21 bytes (an 18-character Salesforce id,
//     a CRM's number) is kept in the record; a longer one in keys.
//   - keys: long keys, each a uvarint length and the bytes, packed into
//     chunks of 1 MiB (an outsized key gets a chunk of its own).
//   - slots: an open-addressing hash table (linear probing, a power of two
//     long, at most 3/4 full). A slot is the high 32 bits of the key's hash
//     and id+1 (0: empty), so a probe reads a record only when the hash
//     bits match, and a lookup hashes the Gift's key once without copying
//     it. A key's first slot is given by the top bits of its hash, which
//     the slot holds, so growing the table reads no keys.
//   - ents: each donor's positive giving by fiscal quarter, sorted by
//     quarter: packed 6 bytes each in the record for up to inlineEnts
//     quarters, else one 8-byte qent per quarter in one block of an
//     entPool (8, 16, 32... entries). Most donors give in few quarters: in
//     gen_gifts.py's 10M-row file, 15% of the gifts are from donors who
//     gave in more than 6 quarters, 48% from donors who gave in more
//     than 4.
//
// A donor who gave in up to 6 quarters thus costs 64 (record) + 11 to 21
// (slot) bytes; one who gave in 7 or 8, 64 more for their block, plus a
// share of free blocks.
type donorTable struct {
	seed   maphash.Seed
	slots  []uint64
	shift  uint8     // 64 - log2(len(slots))
	n      int       // donors
	recs   [][]donor // chunks of 1<<recChunkBits
	backed int       // records of the last chunk backed so far (prefault.Ahead)
	keys   [][]byte  // keys longer than maxInline
	ents   entPool
	chunks chunks           // where recs and ents get their chunks
	big    map[uint64]int64 // cents of entries too large for a qent, by id<<16 | quarter
	addrs  []uintptr        // idsBatch's prefetches
	hint   []int32          // idsBatch's slots found in its stage 2
}

// donor is the record of one donor. The first qualifying gift date is the
// first day of the earliest entry, so it is not stored.
type donor struct {
	key    [1 + maxInline]byte // length, then the key; or longKey, then its position in keys
	n      uint16              // number of entries (quarters with a gift)
	second steward.Date        // date of the second qualifying gift
	// The entries packed in 6 bytes each (see inline), when n <=
	// inlineEnts; else the position of the entries in the entPool, in
	// the first 4 bytes.
	ents [inlineEnts * inlineEntBytes]byte
}

const (
	inlineEnts     = 6
	inlineEntBytes = 6
	minSlotBits    = 10
	maxInline      = 21
	longKey        = 0xff
	recChunkBits   = 15
	keyChunkBits   = 20
	keyChunk       = 1 << keyChunkBits
)

// qent is a donor's positive giving in one fiscal quarter, packed in 64
// bits: the quarter index (fy*4 + q-1, 16 bits), the day of the quarter of
// the first gift in it (0 = the quarter's first day, 7 bits) and the cents
// (41 bits, below $21,990,232,555.51). Larger sums are kept exactly in
// donorTable.big and the cents bits are then all ones.
type qent uint64

const (
	centsBits = 41
	bigCents  = 1<<centsBits - 1
)

func newQent(q, day uint16, cents int64) qent {
	return qent(uint64(q)<<48 | uint64(day)<<centsBits | uint64(min(cents, bigCents)))
}

func (e qent) q() uint16   { return uint16(e >> 48) }
func (e qent) day() uint16 { return uint16(e>>centsBits) & 0x7f }

// An entry in a record is a qent packed in 48 bits: the cents in the low
// inlineCentsBits (below $335,544.31), the day of the quarter in the next
// 7 bits and the quarter index in the top 16. A larger sum is kept exactly
// in donorTable.big, as for a qent, and the cents bits are then all ones.
const (
	inlineCentsBits = 25
	inlineBig       = 1<<inlineCentsBits - 1
)

// inline returns entry i of a record that holds its entries, as a qent.
func (d *donor) inline(i int) qent {
	b := d.ents[i*inlineEntBytes : (i+1)*inlineEntBytes]
	v := uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint16(b[4:]))<<32
	c := v & inlineBig
	if c == inlineBig {
		c = bigCents
	}
	return qent(v>>32<<48 | (v>>inlineCentsBits&0x7f)<<centsBits | c)
}

// setInline packs e into entry i of a record that holds its entries. Cents
// of inlineBig or more are kept as all ones: the caller has put the sum in
// big.
func (d *donor) setInline(i int, e qent) {
	c := min(uint64(e)&bigCents, inlineBig)
	v := uint64(e.q())<<32 | uint64(e.day())<<inlineCentsBits | c
	b := d.ents[i*inlineEntBytes : (i+1)*inlineEntBytes]
	binary.LittleEndian.PutUint32(b, uint32(v))
	binary.LittleEndian.PutUint16(b[4:], uint16(v>>32))
}

// pos returns the position in the entPool of the entries of a donor with
// more than inlineEnts of them.
func (d *donor) pos() uint32 { return binary.LittleEndian.Uint32(d.ents[:]) }

func (d *donor) setPos(pos uint32) { binary.LittleEndian.PutUint32(d.ents[:], pos) }

func newDonorTable() donorTable {
	return donorTable{seed: maphash.MakeSeed(), slots: make([]uint64, 1<<minSlotBits), shift: 64 - minSlotBits}
}

// rec returns the record of donor id.
func (t *donorTable) rec(id int32) *donor {
	return &t.recs[id>>recChunkBits][id&(1<<recChunkBits-1)]
}

// key returns the key bytes of donor d.
func (t *donorTable) key(d *donor) []byte {
	if d.key[0] != longKey {
		return d.key[1 : 1+d.key[0]]
	}
	pos := binary.LittleEndian.Uint32(d.key[1:])
	c := t.keys[pos>>keyChunkBits][pos&(keyChunk-1):]
	n, w := binary.Uvarint(c)
	return c[w : w+int(n)]
}

// slotIndex returns the first slot to probe for a key whose hash is h: the
// top bits of h, so that growing the table needs no key (see grow).
func (t *donorTable) slotIndex(h uint64) int { return int(h >> t.shift) }

// lookupHash returns the id of key, whose hash is h, or -1 when it is not
// in the table, and the slot where it is or would go.
func (t *donorTable) lookupHash(key string, h uint64) (id int32, slot int) {
	tag := h >> 32
	mask := len(t.slots) - 1
	for i := t.slotIndex(h); ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1, i
		}
		if s>>32 == tag {
			if id := int32(uint32(s) - 1); string(t.key(t.rec(id))) == key {
				return id, i
			}
		}
	}
}

// idHash returns the id of key, whose hash is h, adding a donor with no
// gifts when it is new. The key is copied.
func (t *donorTable) idHash(key string, h uint64) int32 {
	id, slot := t.lookupHash(key, h)
	if id < 0 {
		id = t.insert(key, h, slot)
	}
	return id
}

// insert adds key, whose hash is h and which is not in the table, at slot
// (from lookupHash), and returns its new id.
func (t *donorTable) insert(key string, h uint64, slot int) int32 {
	id := int32(t.n)
	if t.n&(1<<recChunkBits-1) == 0 {
		var c []donor
		c, t.backed = newChunk[donor](&t.chunks, len(t.recs) == 0, 1<<recChunkBits, 1<<recChunkBits)
		t.recs = append(t.recs, c)
	}
	t.n++
	prefault.Ahead(t.recs[len(t.recs)-1], &t.backed, int(id&(1<<recChunkBits-1))+1)
	d := t.rec(id)
	if len(key) <= maxInline {
		d.key[0] = byte(len(key))
		copy(d.key[1:], key)
	} else {
		d.key[0] = longKey
		binary.LittleEndian.PutUint32(d.key[1:], t.storeKey(key))
	}
	t.slots[slot] = h>>32<<32 | uint64(id+1)
	if t.n > len(t.slots)/4*3 {
		t.grow()
	}
	return id
}

// idsBatch sets ids[i] to the id of keys[i], whose hash is hs[i], adding
// donors that are new in order, as id would one key after another. When
// the table is much larger than the processor's caches, each key's slot,
// record and quarter entries are apart in memory, and reading them one key
// after another waits for main memory three times per key. idsBatch takes
// them stage by stage over the whole batch instead, prefetching the lines
// of one stage (prefetchAll), which do not depend on each other, so that
// the processor has many of them in flight at once and the later stages
// find them in cache. (Plain loads did the same, but each load that
// misses holds up the instructions after it; a batch of them filled the
// processor's window. 1M gifts, 200k donors: BenchmarkAccumulator
// 197 -> 184 ns a gift.)
func (t *donorTable) idsBatch(keys []string, hs []uint64, ids []int32) {
	// Stage 1: the first slot of every key, and the records that new
	// donors will take (within the last chunk).
	addrs := t.addrs[:0]
	for _, h := range hs {
		addrs = append(addrs, uintptr(unsafe.Pointer(&t.slots[t.slotIndex(h)])))
	}
	if next := t.n & (1<<recChunkBits - 1); next != 0 { // 0: the next chunk is not made yet
		c := t.recs[len(t.recs)-1]
		prefault.Ahead(c, &t.backed, min(next+newRecTouch, len(c)))
		for i := next; i < min(next+newRecTouch, len(c)); i++ {
			addrs = append(addrs, uintptr(unsafe.Pointer(&c[i])))
		}
	}
	prefetchAll(addrs)
	// Stage 2: the record of the first slot whose tag matches, most likely
	// the key's (the probes read lines now in cache). hint[k] is that
	// slot, or -1.
	addrs = addrs[:0]
	hint := t.hint[:0]
	mask := len(t.slots) - 1
	for _, h := range hs {
		at := int32(-1)
		for i := t.slotIndex(h); ; i = (i + 1) & mask {
			s := t.slots[i]
			if s == 0 {
				break
			}
			if s>>32 == h>>32 {
				addrs = append(addrs, uintptr(unsafe.Pointer(t.rec(int32(uint32(s)-1)))))
				at = int32(i)
				break
			}
		}
		hint = append(hint, at)
	}
	prefetchAll(addrs)
	// Stage 3: the lookups proper (on lines now in cache), inserting new
	// donors. A key found in its hinted slot needs no probing again. (A
	// hint taken before an insert grew the table may point anywhere, but
	// a slot holding the key holds its id wherever it is.)
	for i, h := range hs {
		if at := hint[i]; at >= 0 {
			if s := t.slots[at]; s>>32 == h>>32 && s != 0 {
				if id := int32(uint32(s) - 1); string(t.key(t.rec(id))) == keys[i] {
					ids[i] = id
					continue
				}
			}
		}
		id, slot := t.lookupHash(keys[i], h)
		if id < 0 {
			id = t.insert(keys[i], h, slot)
		}
		ids[i] = id
	}
	t.hint = hint
	// Stage 4: every line of the quarter entries of each donor whose
	// entries are in the pool, for the caller (a gift's quarter may be
	// any of them).
	addrs = addrs[:0]
	for _, id := range ids {
		if d := t.rec(id); d.n > inlineEnts {
			addrs = t.ents.appendLines(addrs, d.pos(), int(d.n))
		}
	}
	prefetchAll(addrs)
	t.addrs = addrs
}

// chunks is where a donorTable's chunks of records and of quarter entries
// come from (newChunk): fresh memory, or the blocks its hash slots left
// behind when they grew. On the virtual machine the benchmarks run on,
// memory new to a process costs about 1.5 ms a MiB to back in huge pages
// and several times that in small ones (see prefault), so a big table
// reuses what it has before it asks for more.
type chunks struct {
	// bigInput: the input is large (Accumulator.Expect), so the first
	// chunk is backed whole in huge pages like the next ones.
	bigInput bool
	// spare: blocks of prefault.Huge bytes, on a Huge boundary and backed,
	// that the hash slots no longer use (recycle).
	spare []unsafe.Pointer
}

// newChunk returns a chunk of c elements, n of them in use, for a table
// that grows chunk by chunk, and how many of them are backed. A chunk of
// prefault.Huge bytes is a spare block when there is one. Otherwise the
// first chunk of a table is backed as it fills (prefault.Ahead), so that a
// small table stays small, unless the input is big; the next ones are
// backed whole, in huge pages (prefault.MakeHuge).
func newChunk[T any](src *chunks, first bool, n, c int) ([]T, int) {
	if k := len(src.spare) - 1; k >= 0 && uintptr(c)*unsafe.Sizeof(*new(T)) == prefault.Huge {
		s := unsafe.Slice((*T)(src.spare[k]), c)
		src.spare[k] = nil
		src.spare = src.spare[:k]
		clear(s)
		return s[:n], c
	}
	if first && !src.bigInput {
		return make([]T, n, c), 0
	}
	return prefault.MakeHuge[T](n, c), c
}

// recycle keeps the whole Huge blocks of the hash slots that grow has
// replaced, when they are on a Huge boundary (prefault.MakeHuge's), for the
// next chunks. The spare pointers, and the chunks made from them, point
// into the old slots' allocation, so the garbage collector keeps it while
// any of its blocks is spare or in use.
func (src *chunks) recycle(old []uint64) {
	p := unsafe.Pointer(unsafe.SliceData(old))
	if uintptr(p)%prefault.Huge != 0 {
		return
	}
	for off := uintptr(0); off+prefault.Huge <= uintptr(len(old))*8; off += prefault.Huge {
		src.spare = append(src.spare, unsafe.Add(p, off))
	}
}

// newRecTouch is how many records past the last idsBatch brings into
// cache for new donors: a new record is fresh memory, whose first write
// would otherwise wait for it.
const newRecTouch = 32

// storeKey copies a long key into the key chunks and returns its position.
func (t *donorTable) storeKey(key string) uint32 {
	need := binary.MaxVarintLen64 + len(key)
	last := len(t.keys) - 1
	if last < 0 || cap(t.keys[last])-len(t.keys[last]) < need {
		t.keys = append(t.keys, make([]byte, 0, max(keyChunk, need)))
		last++
	}
	c := t.keys[last]
	pos := uint32(last)<<keyChunkBits | uint32(len(c))
	c = binary.AppendUvarint(c, uint64(len(key)))
	c = append(c, key...)
	if len(c) > keyChunk { // an outsized key: its chunk is full
		c = c[:cap(c)]
	}
	t.keys[last] = c
	return pos
}

// grow doubles the hash table. A key's first slot is the top bits of its
// hash, which the slot keeps (with the id), so no key is read or hashed
// again; and taking the old slots in order writes the new ones nearly in
// order.
func (t *donorTable) grow() {
	old := t.slots
	t.slots = prefault.MakeHuge[uint64](2*len(old), 2*len(old))
	t.shift--
	mask := len(t.slots) - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := t.slotIndex(s)
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
	t.chunks.recycle(old)
}

// bigSlotBits is log2 of the slots a table starts with for a big input
// (startBig): 2 MiB, the smallest table in huge pages.
const bigSlotBits = 18

// startBig readies an empty table for a big input: its hash slots start
// at 1<<bigSlotBits, in huge pages, rather than growing there through
// tables in small pages, and its first chunks are huge pages too.
func (t *donorTable) startBig() {
	t.chunks.bigInput = true
	if t.n == 0 && len(t.slots) < 1<<bigSlotBits {
		t.slots = prefault.MakeHuge[uint64](1<<bigSlotBits, 1<<bigSlotBits)
		t.shift = 64 - bigSlotBits
	}
}

// entries returns the quarter entries of donor d, sorted by quarter: in
// buf when the record holds them, else in the entPool, so the slice must
// not be kept across an addQuarter to the donor.
func (t *donorTable) entries(d *donor, buf *[inlineEnts]qent) []qent {
	if d.n <= inlineEnts {
		for i := range int(d.n) {
			buf[i] = d.inline(i)
		}
		return buf[:d.n:d.n]
	}
	return t.ents.get(d.pos(), int(d.n))
}

// first returns the first quarter entry of donor d, who has one.
func (t *donorTable) first(d *donor) qent {
	if d.n <= inlineEnts {
		return d.inline(0)
	}
	return t.ents.get(d.pos(), 1)[0]
}

// cents returns the cents of entry e of donor id.
func (t *donorTable) cents(id int32, e qent) int64 {
	if c := int64(e & bigCents); c != bigCents {
		return c
	}
	return t.big[uint64(id)<<16|uint64(e.q())]
}

// addQuarter adds positive giving of cents to donor id in quarter q, whose
// first gift there so far was on the given day of the quarter.
func (t *donorTable) addQuarter(id int32, q, day uint16, cents int64) {
	d := t.rec(id)
	n := int(d.n)
	inline := n <= inlineEnts
	limit := int64(bigCents) // the largest sum an entry holds, all ones
	if inline {
		limit = inlineBig
	}
	var buf [inlineEnts]qent
	es := t.entries(d, &buf) // a copy when the record holds them
	// Quarters are distinct and sorted, so entry j is at least j quarters
	// after the first: q's entry, or where it goes, is at most q-first.
	// Search back from there (few quarters per donor, mostly the last).
	i := n
	if n > 0 {
		i = min(n, max(int(q)-int(es[0].q()), 0))
	}
	for i > 0 && es[i-1].q() >= q {
		i--
	}
	if i < n && es[i].q() == q {
		sum := t.cents(id, es[i]) + cents
		if sum >= limit {
			t.setBig(id, q, sum)
		}
		if e := newQent(q, min(es[i].day(), day), sum); inline {
			d.setInline(i, e)
		} else {
			es[i] = e
		}
		return
	}
	if n < inlineEnts {
		if cents >= limit {
			t.setBig(id, q, cents)
		}
		copy(d.ents[(i+1)*inlineEntBytes:], d.ents[i*inlineEntBytes:n*inlineEntBytes])
		d.setInline(i, newQent(q, day, cents))
		d.n++
		return
	}
	if cents >= bigCents {
		t.setBig(id, q, cents)
	}
	// To the pool from a full record, or to a block twice as long.
	if k := blockClass(n + 1); inline || k != blockClass(n) {
		pos := t.ents.alloc(k, &t.chunks)
		ns := t.ents.get(pos, n+1)
		copy(ns, es)
		if !inline {
			t.ents.release(d.pos(), blockClass(n))
		}
		d.setPos(pos)
		es = ns
	} else {
		es = t.ents.get(d.pos(), n+1)
	}
	copy(es[i+1:], es[i:n])
	es[i] = newQent(q, day, cents)
	d.n++
}

func (t *donorTable) setBig(id int32, q uint16, cents int64) {
	if t.big == nil {
		t.big = map[uint64]int64{}
	}
	t.big[uint64(id)<<16|uint64(q)] = cents
}

// entPool stores blocks of 1, 2, 4, ... 256Ki qents in chunks of 256Ki
// entries, 2 MiB (see newChunk); a block never spans two chunks. A donor
// with n entries has a block of the next power of two. A released block
// goes on the free list of its size (chained through its first entry);
// when a size has no free block, a larger free block is split in halves,
// so space given back by donors who grow is reused by new donors,
// whatever the order of the gifts. Free space is thus at most about what
// the blocks in use hold.
type entPool struct {
	chunks [][]qent
	backed int                      // entries of the last chunk backed so far (prefault.Ahead)
	free   [entChunkBits + 1]uint32 // free[k]: position+1 of a free block of 1<<k entries, 0: none
}

const entChunkBits = 18

// blockClass returns k such that a donor with n >= 1 entries has a block
// of 1<<k entries.
func blockClass(n int) int { return bits.Len(uint(n - 1)) }

// get returns n entries from pos.
func (p *entPool) get(pos uint32, n int) []qent {
	if n == 0 {
		return nil
	}
	i := int(pos & (1<<entChunkBits - 1))
	return p.chunks[pos>>entChunkBits][i : i+n : i+n]
}

// appendLines appends to addrs the address of each cache line of the n
// entries at pos (of every eighth entry, and of the last), for
// prefetchAll.
func (p *entPool) appendLines(addrs []uintptr, pos uint32, n int) []uintptr {
	es := p.get(pos, n)
	for j := 0; j < len(es); j += 8 {
		addrs = append(addrs, uintptr(unsafe.Pointer(&es[j])))
	}
	return append(addrs, uintptr(unsafe.Pointer(&es[len(es)-1])))
}

// alloc returns the position of a free block of 1<<k entries, taking a
// new chunk from src when it needs one.
func (p *entPool) alloc(k int, src *chunks) uint32 {
	for j := k; j <= entChunkBits; j++ {
		if p.free[j] == 0 {
			continue
		}
		pos := p.free[j] - 1
		p.free[j] = uint32(p.get(pos, 1)[0])
		for j > k { // split: keep the first half, free the second
			j--
			p.release(pos+1<<j, j)
		}
		return pos
	}
	size := 1 << k
	last := len(p.chunks) - 1
	if last < 0 || cap(p.chunks[last])-len(p.chunks[last]) < size {
		if last >= 0 { // free the chunk's tail in blocks
			c := p.chunks[last]
			pos, tail := len(c), cap(c)-len(c)
			p.chunks[last] = c[:cap(c)]
			for tail > 0 {
				j := bits.Len(uint(tail)) - 1
				p.release(uint32(last)<<entChunkBits|uint32(pos), j)
				pos, tail = pos+1<<j, tail-1<<j
			}
		}
		var c []qent
		c, p.backed = newChunk[qent](src, last < 0, 0, 1<<entChunkBits)
		p.chunks = append(p.chunks, c)
		last++
	}
	c := p.chunks[last]
	pos := uint32(last)<<entChunkBits | uint32(len(c))
	p.chunks[last] = c[:len(c)+size]
	prefault.Ahead(c, &p.backed, len(c)+size)
	return pos
}

// release puts the block of 1<<k entries at pos on its free list.
func (p *entPool) release(pos uint32, k int) {
	p.get(pos, 1)[0] = qent(p.free[k])
	p.free[k] = pos + 1
}
