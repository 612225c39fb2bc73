package metrics

import (
	"errors"

	"steward"
)

// Fork returns a new, empty Accumulator with a's settings, as a
// steward.Sink that another goroutine may feed while a is fed: ingest reads
// the parts of a large file into a and forks. The fork adds its
// donors straight to a's (each shard of donors has a lock), so that Join
// has no donors to merge and the donors are held once; after KeepForksApart
// a fork has donors of its own, hashed with a's seed, which Join merges
// shard by shard. Join the fork back into a, or Drop it.
func (a *Accumulator) Fork() steward.Sink {
	if a.apart {
		d := newDonorStore(a.donors.seed)
		if a.donors.sh[0].t.chunks.bigInput {
			d.startBig()
		}
		return newAccumulator(a.s, d)
	}
	return newAccumulator(a.s, a.donors)
}

// Join merges s, an Accumulator returned by Fork, into a (see Merge): its
// records count as if they had come after a's own.
func (a *Accumulator) Join(s steward.Sink) { a.Merge(s.(*Accumulator)) }

// Drop discards s, an Accumulator returned by Fork that is not joined. A
// fork that shared a's donors may already have changed them: a is then
// spoiled, and Report returns ErrSpoiled.
func (a *Accumulator) Drop(s steward.Sink) {
	if f := s.(*Accumulator); f.donors == a.donors && f.changed {
		a.spoiled = true
	}
}

// KeepForksApart makes a's forks keep donors of their own, so that
// dropping one never spoils a: for reading again after ErrSpoiled.
func (a *Accumulator) KeepForksApart() { a.apart = true }

// ErrSpoiled is Report's error when a fork that had added to the
// Accumulator's donors was dropped (a reading that turned out wrong, say a
// file split inside a quoted field): the donors then hold records that
// must not count. Read everything again into a new Accumulator after
// KeepForksApart.
var ErrSpoiled = errors.New("metrics: a dropped fork had changed the donors; read the inputs again with KeepForksApart")

var _ steward.Forker = (*Accumulator)(nil)
