package ingest

import (
	"io"
	"sync/atomic"

	"steward/internal/prefault"
)

// hashFeed writes the bytes of the file, in order, to Options.Hash (the
// file's SHA-256 for steward build). A goroutine of its own reads them,
// alongside the reading of the records, until a CSV file is read in parts
// (parallel.go): the second goroutine then takes over (take). It hashes
// the text before its split as it counts the lines there, then the text it
// reads itself, so that the bytes are read from the file once for both, and
// hashed while they are in the processor's cache. Whatever is left unhashed
// (a part given up) is hashed by complete.
type hashFeed struct {
	w    io.Writer
	r    io.ReaderAt // the file, without the progress count
	size int64

	pos     int64       // the bytes before pos have been written
	stop    atomic.Bool // asks the goroutine to stop (take)
	stopped chan struct{}
	err     error // a read error
}

// hashBlock is how much the hashing goroutine reads at a time.
const hashBlock = 1 << 20

// hashPiece is how much is read at a time for hashing by the reading
// (scanner.fill, countLines): the bytes are then hashed while they are in
// the processor's cache (L2), not after a 4 MiB block has pushed them out.
const hashPiece = 256 << 10

// hashIdle makes the hashing goroutine hash nothing, so that tests see the
// rest hashed by feed and complete whatever the timing.
var hashIdle = false

// newHashFeed starts hashing r, size bytes long, into w on a goroutine.
func newHashFeed(w io.Writer, r io.ReaderAt, size int64) *hashFeed {
	if u, ok := r.(Uncounted); ok {
		r = u.Uncounted()
	}
	h := &hashFeed{w: w, r: r, size: size, stopped: make(chan struct{})}
	go func() {
		defer close(h.stopped)
		if hashIdle {
			return
		}
		buf := prefault.Make[byte](hashBlock, hashBlock)
		for {
			if h.stop.Load() || h.pos >= h.size || h.err != nil {
				return
			}
			h.read(buf)
		}
	}()
	return h
}

// read hashes the next block from the file.
func (h *hashFeed) read(buf []byte) {
	b := buf[:min(int64(len(buf)), h.size-h.pos)]
	// A ReaderAt may say io.EOF with the last bytes.
	if n, err := h.r.ReadAt(b, h.pos); n < len(b) {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		h.err = err
		return
	}
	h.w.Write(b)
	h.pos += int64(len(b))
}

// take stops the goroutine: the caller hashes from here on (feed), and
// must call complete when it is done.
func (h *hashFeed) take() {
	if h == nil {
		return
	}
	h.stop.Store(true)
	<-h.stopped
}

// feed hashes b, the bytes of the file from at, or the part of them past
// what is hashed. Bytes past a gap are left to complete. h may be nil.
func (h *hashFeed) feed(b []byte, at int64) {
	if h == nil || at > h.pos || at+int64(len(b)) <= h.pos || h.err != nil {
		return
	}
	h.w.Write(b[h.pos-at:])
	h.pos = at + int64(len(b))
}

// complete waits for the goroutine, hashes what is left, and returns a read
// error.
func (h *hashFeed) complete() error {
	<-h.stopped
	var buf []byte
	for h.pos < h.size && h.err == nil {
		if buf == nil {
			buf = prefault.Make[byte](hashBlock, hashBlock)
		}
		h.read(buf)
	}
	return h.err
}
