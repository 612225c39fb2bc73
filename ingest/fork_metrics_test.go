package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"steward"
	"steward/metrics"
)

// dropCounter is a metrics.Accumulator that counts the forks ingest drops.
type dropCounter struct {
	*metrics.Accumulator
	drops *int
}

func (d dropCounter) Drop(s steward.Sink) { *d.drops++; d.Accumulator.Drop(s) }

// readReport reads data into a new metrics.Accumulator (with forks apart,
// or sharing its donors) and returns its report, or Report's error.
func readReport(t *testing.T, data []byte, fast, apart bool, drops *int) (*metrics.Report, error) {
	t.Helper()
	fastCSV = fast
	s := metrics.DefaultSettings()
	s.DonorKey = "contact"
	a := metrics.NewAccumulator(s)
	if apart {
		a.KeepForksApart()
	}
	src, err := Read(bytes.NewReader(data), int64(len(data)), Options{Name: "g.csv"}, dropCounter{a, drops})
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Report(nil)
	if err != nil {
		return nil, err
	}
	if r.Totals.Gifts != src.Used {
		t.Fatalf("fast=%v: the report has %d gifts, the source used %d rows", fast, r.Totals.Gifts, src.Used)
	}
	return r, nil
}

// TestForkedAccumulatorDropped: when the second half's reading is dropped
// (a split inside a multi-line quoted field, an odd quote, a footer) and
// read again by the first goroutine, a metrics.Accumulator sink counts
// every gift once: the report equals the one from encoding/csv alone, with
// forks that keep their donors apart, and with forks that share their
// parent's donors, where Report says ErrSpoiled when a dropped fork had
// changed them and reading again with forks apart gives the right report.
// (Before ErrSpoiled, forks sharing donors counted some gifts twice.)
func TestForkedAccumulatorDropped(t *testing.T) {
	defer func(b, k int, m int64, f bool) { maxBuffer, scanBlock, parallelMin, fastCSV = b, k, m, f }(maxBuffer, scanBlock, parallelMin, fastCSV)
	drops, spoiled := 0, 0
	for seed := int64(0); seed < 40; seed++ {
		data := genGifts(seed, 3000, seed%2 == 0)
		maxBuffer, scanBlock, parallelMin = 3, 1<<10, 0
		if seed == 30 { // from here on, the second goroutine takes parts of the first's
			defer setSteal(2 << 10)()
		}
		want, err := readReport(t, data, false, false, &drops)
		if err != nil {
			t.Fatal(err)
		}
		apart, err := readReport(t, data, true, true, &drops)
		if err != nil {
			t.Fatalf("seed %d, forks apart: %v", seed, err)
		}
		if d := cmp.Diff(want, apart); d != "" {
			t.Fatalf("seed %d (-csv +fast, forks apart):\n%s", seed, d)
		}
		shared, err := readReport(t, data, true, false, &drops)
		if errors.Is(err, metrics.ErrSpoiled) {
			spoiled++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, shared); d != "" {
			t.Fatalf("seed %d (-csv +fast, shared donors):\n%s", seed, d)
		}
	}
	if drops == 0 {
		t.Fatal("no fork was dropped: the test reads no file that needs it")
	}
	t.Logf("%d forks dropped, %d shared readings spoiled", drops, spoiled)
}

// TestForkSpoiled: a grand total row in the first half (a footer from
// there on) drops the second half's fork after it has added gifts to the
// donors it shares: Report says ErrSpoiled, and reading again with forks
// apart gives the report of encoding/csv.
func TestForkSpoiled(t *testing.T) {
	defer func(b, k int, m int64, f bool) { maxBuffer, scanBlock, parallelMin, fastCSV = b, k, m, f }(maxBuffer, scanBlock, parallelMin, fastCSV)
	maxBuffer, scanBlock, parallelMin = 3, 1<<10, 0
	var b bytes.Buffer
	b.WriteString("Opportunity ID,Account ID,Primary Contact ID,Close Date,Amount,Stage\n")
	for i := range 20000 {
		if i == 500 {
			b.WriteString(",Grand Total,,,123456.00,\n")
		}
		fmt.Fprintf(&b, "006%05d,001%04d,003%04d,%d/%d/20%02d,%d.50,Closed Won\n", i, i%300, i%300, i%12+1, 13+i%15, 15+i%10, 10+i%90)
	}
	data := b.Bytes()
	drops := 0
	want, err := readReport(t, data, false, false, &drops)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readReport(t, data, true, false, &drops); !errors.Is(err, metrics.ErrSpoiled) {
		t.Fatalf("shared donors: got %v, want ErrSpoiled (%d drops)", err, drops)
	}
	if drops != 1+maxSteals {
		t.Fatalf("%d forks dropped, want all %d", drops, 1+maxSteals)
	}
	got, err := readReport(t, data, true, true, &drops)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("(-csv +fast, forks apart):\n%s", d)
	}
	if want.Totals.Gifts != 20000 {
		t.Fatalf("%d gifts, want 20000", want.Totals.Gifts)
	}
}

// countingReader counts the bytes read through ReadAt, and offers the
// reader it wraps for look-ahead reads (Uncounted), as a progress bar does.
type countingReader struct {
	r *bytes.Reader
	n atomic.Int64
}

func (c *countingReader) ReadAt(b []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(b, off)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingReader) Uncounted() io.ReaderAt { return c.r }

// TestReadCountsTextOnce: reading a file in parts (with parts taken from
// the first goroutine's range), the reads counted for a progress bar add
// up to about the file's size, though the second goroutine counts lines
// and quotes ahead: those reads go through Uncounted.
func TestReadCountsTextOnce(t *testing.T) {
	defer func(b, k int, m int64) { maxBuffer, scanBlock, parallelMin = b, k, m }(maxBuffer, scanBlock, parallelMin)
	defer setSteal(8 << 10)()
	maxBuffer, scanBlock, parallelMin = 3, 4<<10, 0
	data := genGifts(5, 20000, false)
	c := &countingReader{r: bytes.NewReader(data)}
	fc := &forkCollect{}
	src, err := Read(c, int64(len(data)), Options{Name: "g.csv"}, fc)
	if err != nil {
		t.Fatal(err)
	}
	if fc.joins < 3 || src.Rows < 15000 {
		t.Fatalf("%d parts joined, %d rows: the file is not read in parts", fc.joins, src.Rows)
	}
	// Some bytes are read twice: the head (sniffed, then read with
	// encoding/csv up to the fast path) and, at each part's end, the rest
	// of the scanner's last block. Counting the lines ahead of the second
	// half alone would add over half the file.
	if n, size := c.n.Load(), int64(len(data)); n < size || n > size+128<<10 {
		t.Fatalf("%d bytes counted for a file of %d", n, size)
	}
}
