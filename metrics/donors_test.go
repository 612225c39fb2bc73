package metrics

import (
	"hash/maphash"
	"maps"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"steward"
)

// TestDonorTable checks the hash table against a map, with keys kept in the
// record, in the key chunks, and one longer than a chunk.
func TestDonorTable(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	tab := newDonorTable()
	want := map[string]int32{}
	var keys []string
	for i := 0; i < 20_000; i++ {
		k := strconv.Itoa(rng.Intn(30_000))
		switch i % 7 {
		case 1:
			k = strings.Repeat("x", maxInline-len(k)) + k // inline
		case 2:
			k = strings.Repeat("y", maxInline+1-len(k)) + k // long
		case 3:
			k = strings.Repeat("z", 200) + k
		}
		keys = append(keys, k)
	}
	keys = append(keys, strings.Repeat("w", 3<<20)) // longer than a key chunk
	keys = append(keys, "after the outsized key")
	check := func(i int, k string, id int32) {
		t.Helper()
		if w, ok := want[k]; ok && w != id {
			t.Fatalf("key %d: id %d, first given %d", i, id, w)
		} else if !ok {
			if int(id) != len(want) {
				t.Fatalf("key %d: new id %d, want %d", i, id, len(want))
			}
			want[k] = id
		}
	}
	for i, k := range keys {
		check(i, k, tab.idHash(k, maphash.String(tab.seed, k)))
	}
	// idsBatch, in batches of random sizes (a key may come twice in one),
	// gives the same ids on a table of its own; also when hashes collide
	// all the time (only their top 8 bits kept: 256 tags and first slots),
	// so that keys are told apart by their bytes.
	for _, mask := range []uint64{^uint64(0), 0xff << 56} {
		bat, ids := newDonorTable(), make([]int32, 600)
		for i := 0; i < len(keys); {
			n := min(len(keys)-i, 1+rng.Intn(600))
			hs := make([]uint64, n)
			for j, k := range keys[i : i+n] {
				hs[j] = maphash.String(bat.seed, k) & mask
			}
			bat.idsBatch(keys[i:i+n], hs, ids[:n])
			for j, id := range ids[:n] {
				if w := want[keys[i+j]]; id != w {
					t.Fatalf("idsBatch, hash mask %x: key %d: id %d, want %d", mask, i+j, id, w)
				}
			}
			i += n
		}
	}
	if size := unsafe.Sizeof(donor{}); size != 64 {
		t.Errorf("a donor record takes %d bytes, want 64 (a cache line)", size)
	}
	if tab.n != len(want) {
		t.Fatalf("%d donors, want %d", tab.n, len(want))
	}
	for k, id := range want {
		if got, _ := tab.lookupHash(k, maphash.String(tab.seed, k)); got != id {
			t.Fatalf("lookup(%.30q) = %d, want %d", k, got, id)
		}
		if got := string(tab.key(tab.rec(id))); got != k {
			t.Fatalf("key(%d) = %.30q, want %.30q", id, got, k)
		}
	}
	if id, _ := tab.lookupHash("not there", maphash.String(tab.seed, "not there")); id != -1 {
		t.Errorf("lookup of a missing key = %d", id)
	}
}

// quarterSums is what a donorTable's quarter entries should hold: each
// donor's sum and first day by quarter, worked out with maps.
type quarterSums map[int32]map[uint16]qsum

type qsum struct {
	cents int64
	day   uint16
}

// add adds a gift to tab and to the expected sums.
func (w quarterSums) add(tab *donorTable, key string, q, day uint16, cents int64) {
	id := tab.idHash(key, maphash.String(tab.seed, key))
	tab.addQuarter(id, q, day, cents)
	if w[id] == nil {
		w[id] = map[uint16]qsum{}
	}
	x, ok := w[id][q]
	if !ok || day < x.day {
		x.day = day
	}
	x.cents += cents
	w[id][q] = x
}

// check compares tab's entries with the expected sums, and returns how
// many entries there are.
func (w quarterSums) check(t *testing.T, tab *donorTable) (used int) {
	t.Helper()
	for id, qs := range w {
		d := tab.rec(id)
		var buf [inlineEnts]qent
		es := tab.entries(d, &buf)
		used += len(es)
		if len(es) != len(qs) {
			t.Fatalf("donor %d: %d entries, want %d", id, len(es), len(qs))
		}
		if tab.first(d) != es[0] {
			t.Fatalf("donor %d: first %x, entries start %x", id, tab.first(d), es[0])
		}
		for i, e := range es {
			if i > 0 && es[i-1].q() >= e.q() {
				t.Fatalf("donor %d: entries not sorted", id)
			}
			if x := qs[e.q()]; tab.cents(id, e) != x.cents || e.day() != x.day {
				t.Fatalf("donor %d quarter %d: %d cents day %d, want %+v", id, e.q(), tab.cents(id, e), e.day(), x)
			}
		}
	}
	return used
}

// TestEntryPool: quarters added in any order come out sorted with exact
// sums and first days, and blocks given back are reused.
func TestEntryPool(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	tab := newDonorTable()
	want := quarterSums{}
	for i := 0; i < 50_000; i++ {
		k := strconv.Itoa(rng.Intn(500))
		want.add(&tab, k, uint16(8000+rng.Intn(60)), uint16(rng.Intn(92)), int64(1+rng.Intn(1000)))
	}
	used := want.check(t, &tab)
	// Donors growing in step (as regular donors do in a date-ordered
	// export) leave free blocks no larger in all than their own; the
	// blocks round up to a power of two.
	taken := 0
	for _, c := range tab.ents.chunks {
		taken += len(c)
	}
	if taken > 4*used {
		t.Errorf("%d entries take %d places: blocks are not reused", used, taken)
	}
}

// TestRecycledChunks: a table readied for a big input (startBig) hands the
// huge-page blocks of the hash slots it outgrows to its next chunks of
// records and quarter entries, which start cleared: every donor keeps
// their id, key and exact entries, and the slots never share memory with
// a chunk in use.
func TestRecycledChunks(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	tab := newDonorTable()
	tab.startBig()
	if len(tab.slots) != 1<<bigSlotBits || !tab.chunks.bigInput {
		t.Fatalf("startBig: %d slots, bigInput %v", len(tab.slots), tab.chunks.bigInput)
	}
	var outgrown []memSpan // the slots' memory before each grow
	slotsAt := func() memSpan {
		p := uintptr(unsafe.Pointer(&tab.slots[0]))
		return memSpan{p, p + uintptr(len(tab.slots))*8}
	}
	cur := slotsAt()
	want := quarterSums{}
	const donors = 460_000 // past 3/4 of 1<<19 slots: two grows, 3 blocks of 2 MiB, and two more record chunks after the second
	for i := 0; i < donors; i++ {
		k := "donor-" + strconv.Itoa(i)
		// Every 50th donor gives in 8 quarters, so that the entry pool
		// takes chunks too.
		quarters := 1
		if i%50 == 0 {
			quarters = 8
		}
		for j := 0; j < quarters; j++ {
			want.add(&tab, k, uint16(8000+j), uint16(rng.Intn(92)), int64(1+rng.Intn(100_000)))
		}
		if s := slotsAt(); s != cur {
			outgrown, cur = append(outgrown, cur), s
		}
	}
	if len(outgrown) != 2 {
		t.Fatalf("the slots grew %d times, want 2", len(outgrown))
	}
	reused := 0
	for _, c := range append(chunkSpans(tab.recs), chunkSpans(tab.ents.chunks)...) {
		if c.lo < cur.hi && cur.lo < c.hi {
			t.Fatalf("a chunk at %#x-%#x overlaps the slots in use", c.lo, c.hi)
		}
		for _, o := range outgrown {
			if o.lo <= c.lo && c.hi <= o.hi {
				reused++
			}
		}
	}
	if reused != 3 || len(tab.chunks.spare) != 0 {
		t.Errorf("%d chunks in outgrown slots, %d blocks left spare; want 3 and 0", reused, len(tab.chunks.spare))
	}
	if tab.n != donors {
		t.Fatalf("%d donors, want %d", tab.n, donors)
	}
	want.check(t, &tab)
	for i := 0; i < donors; i += 997 {
		k := "donor-" + strconv.Itoa(i)
		if id, _ := tab.lookupHash(k, maphash.String(tab.seed, k)); id != int32(i) || string(tab.key(tab.rec(id))) != k {
			t.Fatalf("lookup(%q) = %d", k, id)
		}
	}
}

// memSpan is a range of memory addresses, lo included, hi not.
type memSpan struct{ lo, hi uintptr }

// chunkSpans returns the memory each chunk spans, by its capacity.
func chunkSpans[T any](cs [][]T) []memSpan {
	var out []memSpan
	for _, c := range cs {
		p := uintptr(unsafe.Pointer(unsafe.SliceData(c)))
		out = append(out, memSpan{p, p + uintptr(cap(c))*unsafe.Sizeof(*new(T))})
	}
	return out
}

// TestInlineEntries: entries kept in the record (up to inlineEnts quarters)
// and moved to the pool by one more quarter keep exact sums and first days,
// also for sums beyond what a record's packed entry holds (inlineBig) and
// beyond what a qent holds (bigCents).
func TestInlineEntries(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	tab := newDonorTable()
	want := quarterSums{}
	for i := 0; i < 60_000; i++ {
		// 8,000 donors giving in up to 12 quarters: some stay in their
		// record, some move to the pool part way.
		k := strconv.Itoa(rng.Intn(8_000))
		q, day := uint16(8000+rng.Intn(12)), uint16(rng.Intn(92))
		c := int64(1 + rng.Intn(100_000))
		switch rng.Intn(40) {
		case 0: // the sum at exactly the packed limit
			id, _ := tab.lookupHash(k, maphash.String(tab.seed, k))
			c = max(1, inlineBig-want[id][q].cents)
		case 1:
			c = inlineBig + int64(rng.Intn(1_000_000))
		case 2:
			c = bigCents + int64(rng.Intn(1_000))
		}
		want.add(&tab, k, q, day, c)
	}
	want.check(t, &tab)
	inline, pooled := 0, 0
	for id := range want {
		if tab.rec(id).n <= inlineEnts {
			inline++
		} else {
			pooled++
		}
	}
	if inline < 1000 || pooled < 1000 {
		t.Errorf("%d donors with entries in the record, %d in the pool: want many of both", inline, pooled)
	}
}

// TestHugeSums: a donor-quarter sum beyond what a packed entry holds stays
// exact, fed directly and through Merge.
func TestHugeSums(t *testing.T) {
	big := steward.Cents(1<<centsBits - 10)
	gifts := []steward.Gift{
		{Account: "A", Date: d("2023-02-01"), Amount: 5},
		{Account: "A", Date: d("2023-02-02"), Amount: big},
		{Account: "A", Date: d("2023-03-01"), Amount: 20},
		{Account: "A", Date: d("2024-01-01"), Amount: big + 100},
		{Account: "B", Date: d("2024-01-01"), Amount: 7},
	}
	s := DefaultSettings()
	r, err := Compute(s, gifts, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	y23, y24 := r.Retention[0], r.Retention[1]
	if y23.Dollars != major(int64(big)+25) || y24.Dollars != major(int64(big)+107) || y24.UpgradeDollars != major(75) {
		t.Errorf("dollars %v %v upgrade %v", y23.Dollars, y24.Dollars, y24.UpgradeDollars)
	}
	a, b := NewAccumulator(s), NewAccumulator(s)
	for i := range gifts {
		if i%2 == 0 {
			a.Gift(&gifts[i])
		} else {
			b.Gift(&gifts[i])
		}
	}
	a.Merge(b)
	two, err := a.Report(nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, two); diff != "" {
		t.Errorf("merged (-one +merged):\n%s", diff)
	}
}

// TestDatesOutOfRange: dates outside the years 1-9999 are ignored.
func TestDatesOutOfRange(t *testing.T) {
	gifts := []steward.Gift{
		{Account: "A", Date: d("2023-02-01"), Amount: 500},
		{Account: "A", Date: steward.NewDate(10000, 1, 1), Amount: 500},
		{Account: "A", Date: -5, Amount: 500},
	}
	r, err := Compute(DefaultSettings(), gifts, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals.Gifts != 1 || r.Totals.Dollars != 5 {
		t.Errorf("totals %+v", r.Totals)
	}
}

// TestMergeLongKeys is TestMergeEqualsSequential with keys too long to be
// kept in the donor record.
func TestMergeLongKeys(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	gifts := randomGifts(rng, 600, 80)
	for i := range gifts {
		if g := &gifts[i]; g.Account != "" {
			g.Account = "household-with-a-long-id-" + g.Account
		}
	}
	s := DefaultSettings()
	s.MinCell = 3
	sameMerged(t, s, gifts, 3, "merged")
}

// TestDateCounts: dates added in any order (rising, falling, random, far
// apart) are counted exactly, and the slice spans at most about twice the
// dates seen.
func TestDateCounts(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	base := steward.NewDate(2020, 1, 1)
	orders := map[string]func(i int) steward.Date{
		"rising":  func(i int) steward.Date { return base + steward.Date(i) },
		"falling": func(i int) steward.Date { return base - steward.Date(i) },
		"random":  func(int) steward.Date { return base + steward.Date(rng.Intn(2000)) - 1000 },
	}
	for name, date := range orders {
		var dc dateCounts
		want := map[steward.Date]cnt{}
		lo, hi := steward.Date(1<<30), steward.Date(0)
		for i := 0; i < 3000; i++ {
			d := date(i)
			c := int64(1 + rng.Intn(500))
			dc.add(d, 1, c)
			w := want[d]
			want[d] = cnt{w.n + 1, w.cents + c}
			lo, hi = min(lo, d), max(hi, d)
		}
		got := map[steward.Date]cnt{}
		dc.each(func(d steward.Date, c cnt) { got[d] = c })
		if !maps.Equal(want, got) {
			t.Fatalf("%s: counts differ: got %d dates, want %d", name, len(got), len(want))
		}
		if span := int(hi-lo) + 1; len(dc.c) > 2*span+8 {
			t.Errorf("%s: %d days kept for %d seen", name, len(dc.c), span)
		}
	}
}

// TestSecondFromOtherQuarters: a gift before a donor's first one makes that
// first gift their second, dated from its quarter whether or not the
// Accumulator that adds the new gift has seen that quarter (a fork sharing
// its parent's donors has not).
func TestSecondFromOtherQuarters(t *testing.T) {
	s := DefaultSettings()
	for _, fork := range []bool{false, true} {
		a := NewAccumulator(s)
		b := a
		if fork {
			b = a.Fork().(*Accumulator)
		}
		first := steward.NewDate(2020, 2, 10)
		a.Gift(&steward.Gift{Contact: "C1", Date: first, Amount: 1000})
		a.flush()
		b.Gift(&steward.Gift{Contact: "C1", Date: steward.NewDate(2019, 5, 3), Amount: 500})
		b.flush()
		h := maphash.String(a.donors.seed, "C1")
		tab := &a.donors.sh[shardOf(h)].t
		id, _ := tab.lookupHash("C1", h)
		if id < 0 {
			t.Fatalf("fork %v: donor C1 not found", fork)
		}
		if got := tab.rec(id).second; got != first {
			t.Errorf("fork %v: second gift %v, want %v", fork, got, first)
		}
	}
}
