package metrics

import "steward"

// Fork returns a new, empty Accumulator with a's settings, as a
// steward.Sink that another goroutine may feed while a is fed: ingest reads
// the two halves of a large file into a and a fork. The fork hashes donor
// keys with a's seed (see donorStore). Join it back into a, or drop it.
func (a *Accumulator) Fork() steward.Sink {
	f := NewAccumulator(a.s)
	f.donors = newDonorStore(a.donors.seed)
	return f
}

// Join merges s, an Accumulator returned by Fork, into a (see Merge): its
// records count as if they had come after a's own.
func (a *Accumulator) Join(s steward.Sink) { a.Merge(s.(*Accumulator)) }

var _ steward.Forker = (*Accumulator)(nil)
