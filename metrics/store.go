package metrics

import (
	"hash/maphash"
	"sync"

	"steward"
)

// donorStore holds the donors of an Accumulator, split into nShards
// donorTables by the low bits of their key's hash (the tables' slots use the
// top bits); an Accumulator queues the donor work of its gifts by shard (see
// pending) and applies it a batch at a time, holding the shard's lock. An
// Accumulator made by Fork shares its parent's store, so that the two
// goroutines reading the parts of a file add to the same donors (a shard
// at a time: when the other goroutine holds a shard, a batch waits, see
// deferGift), and Join has no donors to merge. Dropping such a fork after
// it changed the store spoils the parent (see ErrSpoiled). After
// KeepForksApart, a fork has a store of its own with the same hash seed, so
// that a donor is in the same shard of both and Merge adds the shards on
// several goroutines.
//
// Ids: while gifts are fed, a donor's id is their id in their shard's table
// shifted left by shardBits, or'ed with the shard. Refunds and thank-you
// groups keep these ids. Report numbers the donors densely instead, shard
// by shard (see index): a donor's dense id is off[shard] plus their id in
// the shard's table. No figure depends on the ids, which depend on the
// order in which the goroutines took the shards (TestMergeEqualsSequential
// and TestForkConcurrent compare reports bit for bit).
type donorStore struct {
	seed maphash.Seed
	sh   [nShards]donorShard
	off  [nShards + 1]int32 // dense id of each shard's first donor; off[nShards]: donors (index)
}

type donorShard struct {
	mu        sync.Mutex // held while a shared store's shard is changed
	t         donorTable
	days      [][]dayAmt     // per donor, only when a funnel needs days
	recurring []steward.Date // per donor: first recurring gift, only when a funnel needs it
	_         [64]byte       // Merge's goroutines write shards side by side
}

const (
	shardBits = 2
	nShards   = 1 << shardBits
)

func newDonorStore(seed maphash.Seed) *donorStore {
	s := &donorStore{seed: seed}
	for i := range s.sh {
		s.sh[i].t = newDonorTable()
		s.sh[i].t.seed = s.seed
	}
	return s
}

// startBig readies the empty tables of every shard for a big input (see
// Accumulator.Expect).
func (s *donorStore) startBig() {
	for i := range s.sh {
		s.sh[i].t.startBig()
	}
}

// shardOf returns the shard of a key whose hash is h.
func shardOf(h uint64) int { return int(h & (nShards - 1)) }

// stored returns the stored id of donor id of shard s.
func stored(s int, id int32) int32 { return id<<shardBits | int32(s) }

// size gives days and recurring (when needed) an element for every donor
// of the shard.
func (sh *donorShard) size(needDays, needRecurring bool) {
	for needDays && len(sh.days) < sh.t.n {
		sh.days = append(sh.days, nil)
	}
	for needRecurring && len(sh.recurring) < sh.t.n {
		sh.recurring = append(sh.recurring, steward.NoDate)
	}
}

// index numbers the donors densely for Report: no gift may be added while
// the dense ids are used.
func (s *donorStore) index() {
	for i := range s.sh {
		s.off[i+1] = s.off[i] + int32(s.sh[i].t.n)
	}
}

// n returns the number of donors (after index).
func (s *donorStore) n() int { return int(s.off[nShards]) }

// shard returns the shard of dense id.
func (s *donorStore) shard(id int32) int {
	i := 0
	for id >= s.off[i+1] {
		i++
	}
	return i
}

// locate returns the shard and the table id of dense id.
func (s *donorStore) locate(id int32) (*donorShard, int32) {
	i := s.shard(id)
	return &s.sh[i], id - s.off[i]
}

// dense returns the dense id of stored id (after index); -1 stays -1.
func (s *donorStore) dense(id int32) int32 {
	if id < 0 {
		return id
	}
	return s.off[id&(nShards-1)] + id>>shardBits
}

// days returns the gifts by day of dense id (when a funnel needs them).
func (s *donorStore) days(id int32) []dayAmt {
	sh, l := s.locate(id)
	return sh.days[l]
}

// recurring returns the first recurring gift of dense id (when a funnel
// needs it).
func (s *donorStore) recurring(id int32) steward.Date {
	sh, l := s.locate(id)
	return sh.recurring[l]
}

// lookup returns the dense id of key, -1 when it is not a donor.
func (s *donorStore) lookup(key string) int32 {
	h := maphash.String(s.seed, key)
	i := shardOf(h)
	id, _ := s.sh[i].t.lookupHash(key, h)
	if id < 0 {
		return -1
	}
	return s.off[i] + id
}
