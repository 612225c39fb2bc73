package ingest

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"testing"
)

// idleFeed returns a hashFeed of data whose goroutine hashed nothing.
func idleFeed(t *testing.T, data []byte) (*hashFeed, func() []byte) {
	t.Helper()
	defer func(h bool) { hashIdle = h }(hashIdle)
	hashIdle = true
	w := sha256.New()
	h := newHashFeed(w, bytes.NewReader(data), int64(len(data)))
	h.take()
	return h, func() []byte { return w.Sum(nil) }
}

func TestCountLinesFeedsHash(t *testing.T) {
	data := genGifts(3, 2000, true)
	off, end := int64(len(data)/5), int64(len(data)*3/5)
	h, sum := idleFeed(t, data)
	lines, quotes, err := countLines(bytes.NewReader(data), off, end, make([]byte, 1000), h)
	if err != nil {
		t.Fatal(err)
	}
	if want := bytes.Count(data[off:end], nlByte); lines != want {
		t.Errorf("lines %d, want %d", lines, want)
	}
	if want := bytes.Count(data[off:end], quoteByte); quotes != want {
		t.Errorf("quotes %d, want %d", quotes, want)
	}
	// The bytes before off were hashed too, read once with the rest.
	if h.pos != end {
		t.Errorf("hashed to %d, want %d", h.pos, end)
	}
	if err := h.complete(); err != nil {
		t.Fatal(err)
	}
	if want := sha256.Sum256(data); !bytes.Equal(sum(), want[:]) {
		t.Errorf("SHA-256 %x, want %x", sum(), want)
	}
}

func TestScannerFeedsHash(t *testing.T) {
	data := genGifts(4, 3000, false)
	split := int64(bytes.IndexByte(data[len(data)/2:], '\n') + len(data)/2 + 1)
	h, sum := idleFeed(t, data)
	h.feed(data[:split], 0)
	sc := newScanner(bytes.NewReader(data), split, int64(len(data)), 1, ',', 1<<20, 1<<20, make([]byte, 512))
	sc.hash = h
	for {
		_, _, res := sc.next()
		if res != scanRecord {
			if res != scanEnd {
				t.Fatalf("scanner result %d", res)
			}
			break
		}
	}
	// The scanner hashed every byte it read, so nothing is left to read
	// again.
	if h.pos != int64(len(data)) {
		t.Errorf("hashed to %d, want %d", h.pos, len(data))
	}
	if err := h.complete(); err != nil {
		t.Fatal(err)
	}
	if want := sha256.Sum256(data); !bytes.Equal(sum(), want[:]) {
		t.Errorf("SHA-256 %x, want %x", sum(), want)
	}
}

// TestHashFeedGaps: bytes fed past what is hashed are skipped, bytes fed
// twice are hashed once, and complete reads the rest.
func TestHashFeedGaps(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef\n"), 5000)
	h, sum := idleFeed(t, data)
	h.feed(data[:100], 0)
	h.feed(data[50:300], 50)   // overlaps
	h.feed(data[500:900], 500) // a gap: left to complete
	if h.pos != 300 {
		t.Errorf("hashed to %d, want 300", h.pos)
	}
	if err := h.complete(); err != nil {
		t.Fatal(err)
	}
	if want := sha256.Sum256(data); !bytes.Equal(sum(), want[:]) {
		t.Errorf("SHA-256 %x, want %x", sum(), want)
	}
}

// eofReaderAt says io.EOF along with the last bytes, as io.ReaderAt allows.
type eofReaderAt struct{ *bytes.Reader }

func (r eofReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := r.Reader.ReadAt(p, off)
	if err == nil && off+int64(n) == r.Size() {
		err = io.EOF
	}
	return n, err
}

// TestHashFeedEOF: io.EOF with the last bytes is no error; a file shorter
// than its size is.
func TestHashFeedEOF(t *testing.T) {
	data := bytes.Repeat([]byte("x,y\n"), 1<<18) // 1 MiB: the last block ends at the end
	w := sha256.New()
	h := newHashFeed(w, eofReaderAt{bytes.NewReader(data)}, int64(len(data)))
	if err := h.complete(); err != nil {
		t.Fatalf("complete: %v", err)
	}
	if want := sha256.Sum256(data); !bytes.Equal(w.Sum(nil), want[:]) {
		t.Errorf("SHA-256 %x, want %x", w.Sum(nil), want)
	}
	h = newHashFeed(sha256.New(), bytes.NewReader(data[:1000]), int64(len(data)))
	if err := h.complete(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short file: %v, want io.ErrUnexpectedEOF", err)
	}
}
