package metrics

import (
	"math"
	"math/rand"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"steward"
)

// benchGifts makes n gifts among nd donors the way a real export looks to
// the Accumulator (and like ../shared/bench/gen_gifts.py): 18-character
// Salesforce-style account ids, gift dates over 11 years (2015-2025), each
// donor starting in some year and giving more often later, rows in roughly
// date order, lognormal amounts, 1% refunds, 85% acknowledged a few days
// later (exponential, mean 6 days), four campaigns and three channels. As
// with encoding/csv, each row's text is one fresh string that its fields
// slice, so no two rows share a string pointer.
func benchGifts(n, nd int) []steward.Gift {
	rng := rand.New(rand.NewSource(1))
	start := d("2015-01-01")
	span := int(d("2025-12-31") - start)
	campaigns := []string{"Spring Appeal", "Year-End Appeal", "Gala, 2024", "Online"}
	channels := []string{"Check", "Credit Card", "ACH"}
	gs := make([]steward.Gift, n)
	donor := make([]int32, n)
	for i := range gs {
		g := &gs[i]
		dn := rng.Intn(nd)
		donor[i] = int32(dn)
		first := int(uint64(dn) * 2654435761 % uint64(span))
		g.Date = start + steward.Date(first+int(math.Pow(rng.Float64(), 2)*float64(span-first)))
		g.Amount = steward.Cents(math.Exp(4+1.1*rng.NormFloat64())*100) + 1
		if rng.Intn(100) == 0 {
			g.Refund, g.Amount = true, -g.Amount
		}
		g.Currency = "USD"
		if rng.Float64() < 0.85 {
			g.AckDate = g.Date + steward.Date(rng.ExpFloat64()*6)
			g.AckStatus = steward.AckAcknowledged
		} else {
			g.AckStatus = steward.AckToBeAcknowledged
		}
		g.Row = i // the generation order, for the text below
	}
	// Roughly date order: by week, in random order within a week.
	weeks := make([]int, span/7+2)
	for i := range gs {
		weeks[int(gs[i].Date-start)/7+1]++
	}
	for w := 1; w < len(weeks); w++ {
		weeks[w] += weeks[w-1]
	}
	sorted := make([]steward.Gift, n)
	for i := range gs {
		w := int(gs[i].Date-start) / 7
		sorted[weeks[w]] = gs[i]
		weeks[w]++
	}
	gs = sorted
	var line []byte
	for i := range gs {
		g := &gs[i]
		dn, c := donor[g.Row], g.Row%4
		line = strconv.AppendInt(append(line[:0], "001"...), 1e15+int64(dn), 10)
		line = append(line[:3], line[4:]...) // "001" + 15 digits
		line = append(line, campaigns[c]...)
		line = append(line, channels[g.Row%3]...)
		s := string(line)
		g.Account, g.Campaign, g.Channel = s[:18], s[18:18+len(campaigns[c])], s[18+len(campaigns[c]):]
		g.Row = i + 2
	}
	return gs
}

func TestBenchGifts(t *testing.T) {
	gs := benchGifts(1000, 200)
	for _, g := range gs[:10] {
		if len(g.Account) != 18 || !strings.HasPrefix(g.Account, "001") || g.Date < d("2015-01-01") || g.Date > d("2025-12-31") {
			t.Fatalf("bad bench gift %+v", g)
		}
	}
}

// feed gives gs to a fresh Accumulator.
func feed(s Settings, gs []steward.Gift) *Accumulator {
	a := NewAccumulator(s)
	for i := range gs {
		a.Gift(&gs[i])
	}
	return a
}

func benchSettings() Settings {
	s := DefaultSettings()
	s.MinCell = 5
	return s
}

// cpuTime returns the CPU time (user and system) of the process so far. On
// a shared machine it is steadier than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAccumulator feeds 1M gifts of 200k donors (the shape of a 1M-row
// export) to a fresh Accumulator per op. It reports wall and CPU ns and
// allocations per gift, and the live heap per donor after the feed
// (runtime.ReadMemStats after a GC, outside the timed part).
func BenchmarkAccumulator(b *testing.B) {
	const n, nd = 1_000_000, 200_000
	gs := benchGifts(n, nd)
	s := benchSettings()
	b.ReportAllocs()
	runtime.GC()
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		feed(s, gs)
	}
	cpu = cpuTime() - cpu
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/gift")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/n, "cpu-ns/gift")
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	a := feed(s, gs)
	runtime.GC()
	runtime.ReadMemStats(&m1)
	donors := a.donorCount()
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/n, "allocs/gift")
	b.ReportMetric(float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc))/float64(donors), "B/donor")
	runtime.KeepAlive(a)
	runtime.KeepAlive(gs)
}

// BenchmarkReport computes the Report of 200k donors (1M gifts).
func BenchmarkReport(b *testing.B) {
	a := feed(benchSettings(), benchGifts(1_000_000, 200_000))
	b.ReportAllocs()
	runtime.GC()
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := a.Report(nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// TestAllocsPerGift: once donors, quarters and dates have been seen, adding
// a gift allocates nothing.
func TestAllocsPerGift(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	gs := benchGifts(20_000, 2_000)
	a := feed(benchSettings(), gs)
	i := 0
	allocs := testing.AllocsPerRun(10_000, func() {
		a.Gift(&gs[i%len(gs)])
		i++
	})
	if allocs > 0.01 {
		t.Errorf("%.3f allocations per gift after warm-up", allocs)
	}
}

// BenchmarkMerge joins a fork (Fork, so its shards are merged on several
// goroutines) that holds 200k donors into an Accumulator
// that holds 200k donors (1M gifts each side, the two halves of a 2M-gift
// export of 200k donors), as ingest's two-core split does. Only Merge is
// timed; it reports its CPU ms per op.
func BenchmarkMerge(b *testing.B) {
	const n, nd = 2_000_000, 200_000
	gs := benchGifts(n, nd)
	s := benchSettings()
	b.ReportAllocs()
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a := feed(s, gs[:n/2])
		a.KeepForksApart() // a fork sharing a's donors has none to merge
		o := a.Fork().(*Accumulator)
		for i := range gs[n/2:] {
			o.Gift(&gs[n/2+i])
		}
		runtime.GC()
		b.StartTimer()
		c := cpuTime()
		a.Merge(o)
		cpu += cpuTime() - c
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
