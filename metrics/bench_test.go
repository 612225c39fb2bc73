package metrics

import (
	"fmt"
	"math/rand"
	"testing"

	"steward"
)

// benchGifts makes n gifts among nd donors with realistic ids and acks.
func benchGifts(n, nd int) []steward.Gift {
	rng := rand.New(rand.NewSource(1))
	ids := make([]string, nd)
	for i := range ids {
		ids[i] = fmt.Sprintf("001Dn00000%08d", i)
	}
	start := d("2015-01-01")
	gs := make([]steward.Gift, n)
	for i := range gs {
		g := &gs[i]
		g.Account = ids[rng.Intn(nd)]
		g.Date = start + steward.Date(rng.Intn(3650))
		g.Amount = steward.Cents(100 + rng.Intn(50000))
		g.Currency = "USD"
		g.Channel = []string{"Online", "Check", "Cash"}[rng.Intn(3)]
		g.Campaign = []string{"Spring", "Year End", ""}[rng.Intn(3)]
		if rng.Intn(2) == 0 {
			g.AckDate = g.Date + steward.Date(rng.Intn(20))
		}
		g.Row = i + 2
	}
	return gs
}

func BenchmarkAccumulator(b *testing.B) {
	gs := benchGifts(200_000, 20_000)
	s := DefaultSettings()
	s.MinCell = 5
	a := NewAccumulator(s)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.Gift(&gs[i%len(gs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "gifts/s")
}

func BenchmarkReport(b *testing.B) {
	gs := benchGifts(200_000, 20_000)
	a := NewAccumulator(DefaultSettings())
	for i := range gs {
		a.Gift(&gs[i])
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.Report(nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAllocsPerGift: once donors, quarters and dates have been seen, adding
// a gift allocates nothing.
func TestAllocsPerGift(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	gs := benchGifts(20_000, 2_000)
	s := DefaultSettings()
	s.MinCell = 5
	a := NewAccumulator(s)
	for i := range gs {
		a.Gift(&gs[i])
	}
	i := 0
	allocs := testing.AllocsPerRun(10_000, func() {
		a.Gift(&gs[i%len(gs)])
		i++
	})
	if allocs > 0.01 {
		t.Errorf("%.3f allocations per gift after warm-up", allocs)
	}
}
