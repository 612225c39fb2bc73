package ingest

import (
	"bytes"
	"fmt"
	"math"
	"math/rand"
	"testing"

	"steward"
)

// npspCSV makes n rows like ../shared/bench/gen_gifts.py: a Salesforce NPSP
// report-style gift export of about 126 bytes a row.
func npspCSV(n int) []byte {
	rng := rand.New(rand.NewSource(7))
	var b bytes.Buffer
	b.Grow(n * 130)
	b.WriteString("Opportunity ID,Account ID,Primary Contact ID,Close Date,Amount,Stage,Acknowledgment Date,Acknowledgment Status,Campaign Name,Payment Method\n")
	donors := max(1, n/5)
	start := steward.NewDate(2015, 1, 1)
	span := int(steward.NewDate(2025, 12, 31) - start)
	stages := []string{"Closed Won", "Closed Lost", "Refunded", "Pledged"}
	for i := 0; i < n; i++ {
		d := rng.Intn(donors)
		first := int(uint64(d) * 2654435761 % uint64(span))
		day := start + steward.Date(first+int(math.Pow(rng.Float64(), 2)*float64(span-first)))
		y, m, dd := day.Civil()
		st := stages[0]
		if k := rng.Intn(100); k >= 97 {
			st = stages[k-96]
		}
		ack, ast := "", "To Be Acknowledged"
		if rng.Float64() < 0.85 {
			ay, am, ad := (day + steward.Date(rng.ExpFloat64()*6)).Civil()
			ack, ast = fmt.Sprintf("%d/%d/%d", am, ad, ay), "Acknowledged"
		}
		camp := []string{"Spring Appeal", "Year-End Appeal", `"Gala, 2024"`, "Online"}[i%4]
		fmt.Fprintf(&b, "006%015d,001%015d,003%015d,%d/%d/%d,%.2f,%s,%s,%s,%s,%s\n", i, d, d, m, dd, y,
			math.Exp(4+1.1*rng.NormFloat64()), st, ack, ast, camp, []string{"Check", "Credit Card", "ACH"}[i%3])
	}
	return b.Bytes()
}

// forkDiscard is a discard Sink that forks, so that Read reads in parts
// on two goroutines.
type forkDiscard struct{ discard }

func (forkDiscard) Fork() steward.Sink { return forkDiscard{} }
func (forkDiscard) Join(steward.Sink)  {}
func (forkDiscard) Drop(steward.Sink)  {}

// BenchmarkReadCSVNPSP reads 200,000 NPSP rows: with encoding/csv, with
// the fast path on one goroutine, and in parts on two goroutines.
func BenchmarkReadCSVNPSP(b *testing.B) {
	const rows = 200000
	data := npspCSV(rows)
	for _, bc := range []struct {
		name string
		fast bool
		sink steward.Sink
	}{{"csv", false, discard{}}, {"fast", true, discard{}}, {"parallel", true, forkDiscard{}}} {
		b.Run(bc.name, func(b *testing.B) {
			defer func(f bool) { fastCSV = f }(fastCSV)
			fastCSV = bc.fast
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				src, err := Read(bytes.NewReader(data), int64(len(data)), Options{Name: "npsp.csv"}, bc.sink)
				if err != nil || src.Rows != rows {
					b.Fatal(src.Rows, err)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkScan splits 200,000 NPSP rows into fields, nothing more, with
// each line scan the processor has.
func BenchmarkScan(b *testing.B) {
	const rows = 200000
	data := npspCSV(rows)
	r := bytes.NewReader(data)
	buf := make([]byte, scanBlock)
	for _, bc := range []struct {
		name       string
		scan, wide bool
	}{{"bytes", false, false}, {"avx2", true, false}, {"avx512", true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			if bc.scan && !haveLineScan || bc.wide && !haveLineScan512 {
				b.Skipf("the processor has no %s line scan", bc.name)
			}
			defer func(l, w bool) { haveLineScan, haveLineScan512 = l, w }(haveLineScan, haveLineScan512)
			haveLineScan, haveLineScan512 = bc.scan, bc.wide
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				sc := newScanner(r, 0, int64(len(data)), 1, ',', defaultMaxField, 1<<30, buf)
				n := 0
				for {
					_, _, res := sc.next()
					if res != scanRecord {
						break
					}
					n++
				}
				if n != rows+1 {
					b.Fatal(n)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
