// Command gengifts writes a synthetic NPSP-style gift export CSV, the same
// format as ../shared/bench/gen_gifts.py, but with the number of donors
// chosen apart from the number of gifts. gen_gifts.py ties them (N/5
// donors); with a fixed donor count, 1M, 10M and 20M gifts from the same
// 100,000 donors show whether Steward's memory grows with the donors or
// with the gifts.
//
// Usage:
//
//	go build -o /tmp/bench-data/gengifts ./bench/gengifts
//	/tmp/bench-data/gengifts -n 10000000 -donors 100000 -o gifts_10000000_d100000.csv
//	bench/run --donors 100000 1000000 10000000 20000000
//
// Flags: -n gifts (required), -donors (default n/5, at least 1, as in
// gen_gifts.py), -seed (default 7), -o output file (default stdout).
//
// Columns, header, value formats and distributions are gen_gifts.py's:
// Opportunity ID 006+15 digits (row number), Account and Primary Contact ID
// 001/003+15 digits (donor number, uniform over the donors), Close Date
// M/D/YYYY between 2015-01-01 and 2025-12-31 (donor d's first day is
// (d*2654435761) mod span, later gifts at first + int(u²*(span-first))),
// Amount lognormal (mu 4.0, sigma 1.1) with 2 decimals, Stage 97% Closed
// Won and 1% each Closed Lost, Refunded and Pledged, 85% acknowledged an
// exponential number of days later (mean 6; Acknowledged, else To Be
// Acknowledged with no date), Campaign Name and Payment Method cycling
// with the row number ("Gala, 2024" quoted). The random numbers come from
// math/rand/v2's PCG seeded with -seed, drawn in the same order as the
// Python, so the output is deterministic for a seed but not byte-identical
// to gen_gifts.py's (a different generator). 20M rows take seconds: rows
// are built with strconv.Append* into one buffer, dates come from a table.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"time"
)

const header = "Opportunity ID,Account ID,Primary Contact ID,Close Date,Amount,Stage,Acknowledgment Date,Acknowledgment Status,Campaign Name,Payment Method\n"

var (
	firstDay = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	// span is gen_gifts.py's span: days from the first day to the last.
	span = int(lastDay.Sub(firstDay).Hours() / 24)

	campaigns = []string{"Spring Appeal,", "Year-End Appeal,", `"Gala, 2024",`, "Online,"}
	payments  = []string{"Check\n", "Credit Card\n", "ACH\n"}
)

func main() {
	var (
		n      = flag.Int("n", -1, "number of gifts (`rows`; required)")
		donors = flag.Int("donors", 0, "number of donors (default n/5, at least 1, as gen_gifts.py)")
		seed   = flag.Uint64("seed", 7, "random seed")
		out    = flag.String("o", "", "write the CSV to `FILE` (default stdout)")
	)
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gengifts -n GIFTS [-donors D] [-seed S] [-o OUT.csv]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 || *n < 0 || *donors < 0 {
		flag.Usage()
		os.Exit(2)
	}
	d := *donors
	if d == 0 {
		d = max(1, *n/5)
	}
	if err := run(*out, *n, d, *seed); err != nil {
		fmt.Fprintf(os.Stderr, "gengifts: %v\n", err)
		os.Exit(1)
	}
}

func run(out string, n, donors int, seed uint64) error {
	if out == "" {
		return generate(os.Stdout, n, donors, seed)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	err = generate(f, n, donors, seed)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// dates formats days after 2015-01-01 as M/D/YYYY; the table covers the
// gift dates and acknowledgments up to a year after the last one.
type dates [][]byte

func newDates() dates {
	t := make(dates, span+367)
	for i := range t {
		day := firstDay.AddDate(0, 0, i)
		t[i] = appendDate(nil, day)
	}
	return t
}

func appendDate(b []byte, t time.Time) []byte {
	b = strconv.AppendInt(b, int64(t.Month()), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(t.Day()), 10)
	b = append(b, '/')
	return strconv.AppendInt(b, int64(t.Year()), 10)
}

func (t dates) append(b []byte, off int) []byte {
	if off < len(t) {
		return append(b, t[off]...)
	}
	return appendDate(b, firstDay.AddDate(0, 0, off))
}

// appendID appends prefix and v zero-padded to 15 digits ({v:015d}).
func appendID(b []byte, prefix string, v int) []byte {
	b = append(b, prefix...)
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], int64(v), 10)
	for range 15 - len(d) {
		b = append(b, '0')
	}
	return append(b, d...)
}

// generate writes the header and n gifts from donors donors to w.
func generate(w io.Writer, n, donors int, seed uint64) error {
	if n < 0 || donors < 1 {
		return errors.New("need n >= 0 and donors >= 1")
	}
	rnd := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	table := newDates()
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := bw.WriteString(header); err != nil {
		return err
	}
	row := make([]byte, 0, 256)
	for i := range n {
		d := rnd.IntN(donors)
		// Donors have a first day; later gifts cluster after it. d mod
		// span first keeps the product small; the result is the same.
		first := int(uint64(d%span) * 2654435761 % uint64(span))
		u := rnd.Float64()
		day := first + int(u*u*float64(span-first))
		amt := math.Exp(4.0 + 1.1*rnd.NormFloat64())
		stage := "Closed Won,"
		switch rnd.IntN(100) {
		case 97:
			stage = "Closed Lost,"
		case 98:
			stage = "Refunded,"
		case 99:
			stage = "Pledged,"
		}

		row = appendID(row[:0], "006", i)
		row = appendID(append(row, ','), "001", d)
		row = appendID(append(row, ','), "003", d)
		row = table.append(append(row, ','), day)
		row = append(row, ',')
		row = strconv.AppendFloat(row, amt, 'f', 2, 64)
		row = append(row, ',')
		row = append(row, stage...)
		if rnd.Float64() < 0.85 {
			lag := int(rnd.ExpFloat64() * 6)
			row = table.append(row, day+lag)
			row = append(row, ",Acknowledged,"...)
		} else {
			row = append(row, ",To Be Acknowledged,"...)
		}
		row = append(row, campaigns[i%4]...)
		row = append(row, payments[i%3]...)
		if _, err := bw.Write(row); err != nil {
			return err
		}
	}
	return bw.Flush()
}
