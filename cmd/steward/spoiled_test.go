package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"steward/metrics"
)

// TestComputeReadsAgainWhenSpoiled: a file large enough to be read in two
// halves, with a grand total row early in the first half (a footer from
// there on, which changes how the second half must be read), spoils an
// accumulator whose fork shares its donors; compute then reads the file
// again with the forks' donors apart, and the totals are the file's,
// summed here row by row.
func TestComputeReadsAgainWhenSpoiled(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("Opportunity ID,Account ID,Primary Contact ID,Close Date,Amount,Stage\n")
	const rows = 160_000
	cents := 0
	for i := range rows {
		if i == 1000 {
			b.WriteString(",Grand Total,,,123456.00,\n")
		}
		c := 1000 + i%9000
		cents += c
		fmt.Fprintf(&b, "006%08d,001%06d,003%06d,%d/%d/20%02d,%d.%02d,Closed Won\n",
			i, i%20000, i%20000, i%12+1, 13+i%15, 15+i%10, c/100, c%100)
	}
	if b.Len() < 9<<20 {
		t.Fatalf("%d bytes: too small to be read in two halves", b.Len())
	}
	r := runOf(t, b.Bytes())
	if _, _, err := r.computeOnce(false); !errors.Is(err, metrics.ErrSpoiled) {
		t.Fatalf("shared donors: got %v, want ErrSpoiled", err)
	}
	rep, srcs, err := r.compute()
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Totals; got.Gifts != rows || got.Donors != 20000 || got.Dollars != float64(cents)/100 {
		t.Fatalf("gifts %d, donors %d, dollars %.2f; want %d, 20000, %.2f", got.Gifts, got.Donors, got.Dollars, rows, float64(cents)/100)
	}
	if s := srcs[0]; s.Rows != rows+1 || s.Used != rows || s.Excluded["totals row"] != 1 {
		t.Fatalf("source: %d rows, %d used, excluded %v", s.Rows, s.Used, s.Excluded)
	}
	// The hash is taken while the file is read, partly by the goroutine
	// of the second part, in both reads.
	if got, want := srcs[0].SHA256, fmt.Sprintf("%x", sha256.Sum256(b.Bytes())); got != want {
		t.Errorf("SHA-256 %s, want %s", got, want)
	}
}

// runOf returns a run of data as gifts.csv, with the default settings.
func runOf(t *testing.T, data []byte) *run {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gifts.csv")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return &run{progress: io.Discard, inputs: []input{{name: "gifts.csv", path: path}}, settings: metrics.DefaultSettings()}
}

// TestBuildHashesBigFile: the SHA-256 of a file read in parts, in the
// report.
func TestBuildHashesBigFile(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("Opportunity ID,Account ID,Primary Contact ID,Close Date,Amount,Stage\n")
	for i := range 150_000 {
		fmt.Fprintf(&b, "006%08d,001%06d,003%06d,%d/%d/20%02d,%d.%02d,Closed Won\n",
			i, i%30011, i%30011, i%12+1, 1+i%28, 15+i%10, 10+i%500, i%100)
	}
	if b.Len() < 8<<20 {
		t.Fatalf("%d bytes: too small to be read in parts", b.Len())
	}
	r := runOf(t, b.Bytes())
	_, srcs, err := r.compute()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := srcs[0].SHA256, fmt.Sprintf("%x", sha256.Sum256(b.Bytes())); got != want {
		t.Errorf("SHA-256 %s, want %s", got, want)
	}
}
