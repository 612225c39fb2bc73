package ingest

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"steward/metrics"
)

// TestForkedAccumulatorDropped: when the second half's reading is dropped
// (a split inside a multi-line quoted field, an odd quote) and read again
// by the first goroutine, a metrics.Accumulator sink counts every gift
// once: the report equals the one from encoding/csv alone. (It failed while
// forks added to their parent's donors: seed 7 counted some gifts twice.)
func TestForkedAccumulatorDropped(t *testing.T) {
	defer func(b, k int, m int64, f bool) { maxBuffer, scanBlock, parallelMin, fastCSV = b, k, m, f }(maxBuffer, scanBlock, parallelMin, fastCSV)
	read := func(data []byte, fast bool) *metrics.Report {
		fastCSV = fast
		s := metrics.DefaultSettings()
		s.DonorKey = "contact"
		a := metrics.NewAccumulator(s)
		src, err := Read(bytes.NewReader(data), int64(len(data)), Options{Name: "g.csv"}, a)
		if err != nil {
			t.Fatal(err)
		}
		r, err := a.Report(nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Totals.Gifts != src.Used {
			t.Fatalf("fast=%v: the report has %d gifts, the source used %d rows", fast, r.Totals.Gifts, src.Used)
		}
		return r
	}
	for seed := int64(0); seed < 30; seed++ {
		data := genGifts(seed, 3000, seed%2 == 0)
		maxBuffer, scanBlock, parallelMin = 3, 1<<10, 0
		want, got := read(data, false), read(data, true)
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("seed %d (-csv +fast, forked):\n%s", seed, d)
		}
	}
}
