package ingest

import (
	"bytes"
	bin "encoding/binary"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"steward"
	"steward/internal/prefault"
)

// The fast path. Once the header is found and the held rows have settled
// every format, the rest of a UTF-8 CSV file is read by a scanner (scan.go)
// straight from the file in large blocks, with no per-row allocation; when
// the sink is a steward.Forker and enough text is left, on two goroutines
// in parts, each into its own pipe and fork of the sink, joined in file
// order (parallel.go). The results are those of the encoding/csv path: the
// same rows, row numbers, accounting, warnings and records in the same
// order. Whatever the scanner cannot read exactly like encoding/csv is read
// with encoding/csv, and whatever a part read that the state left by the
// text before it would have changed (a footer, the first currency) is read
// again.

// fastCSV turns the fast path on; tests turn it off to compare.
var fastCSV = true

// parallelMin is how much text must be left after the held rows for it to
// be read on two goroutines. A variable for tests.
var parallelMin int64 = 8 << 20

// plainText is a CSV file that the scanner can read: UTF-8 (no
// transcoding), LF or CRLF line ends, a one-byte delimiter.
type plainText struct {
	r     io.ReaderAt
	ahead io.ReaderAt // r, or what it wraps (see Uncounted): for look-ahead reads
	base  int64       // where the text starts (after a BOM)
	size  int64
	delim byte
}

// plainCSV returns the file as plainText, or nil when the fast path cannot
// read it.
func plainCSV(r io.ReaderAt, bom int, size int64, enc string, lonecr bool, delim rune) *plainText {
	if !fastCSV || lonecr || (enc != encUTF8 && enc != encUTF8BOM) ||
		delim <= 0 || delim >= utf8.RuneSelf || delim == '"' || delim == '\r' || delim == '\n' {
		return nil
	}
	ahead := r
	if u, ok := r.(Uncounted); ok {
		ahead = u.Uncounted()
	}
	return &plainText{r: r, ahead: ahead, base: int64(bom), size: size, delim: byte(delim)}
}

// Uncounted is implemented by an io.ReaderAt given to Read that counts what
// is read (for a progress bar), to return the reader it wraps: Read uses
// that one for the reads that look ahead (counting the lines before a part
// of the file, finding a line start), so that the count is about the text
// read once, as the rows are read.
type Uncounted interface {
	Uncounted() io.ReaderAt
}

// fastRest reads the data rows left after the held rows with the scanner
// when it can (done is true), else leaves them to the caller.
func (p *pipe) fastRest(rr rowReader) (done bool, err error) {
	pt := p.plain
	c, ok := rr.(*csvRows)
	if pt == nil || !ok {
		return false, nil
	}
	defer func() { p.utf8Rows = false }()
	p.cacheDates()
	off := pt.base + c.cr.InputOffset()
	buf := prefault.MakeHuge[byte](scanBlock, scanBlock) // filled by the first read
	nl, _, err := countLines(pt.ahead, 0, off, buf, nil)
	if err != nil {
		return true, err
	}
	// A record encoding/csv might refuse as too long is left to it.
	maxSpan := int(min(c.in.limit-64<<10, 1<<30))
	if fk, ok := p.sink.(steward.Forker); ok && pt.size-off >= parallelMin && p.forkable() {
		return true, p.parallel(pt, fk, off, 1+nl, maxSpan, buf)
	}
	sc := newScanner(pt.r, off, pt.size, 1+nl, pt.delim, p.opt.MaxFieldBytes, maxSpan, buf)
	return true, p.scanRest(sc)
}

// countLines counts the line feeds and the double quotes in r from off to
// end. With h (which may be nil), it also feeds h the bytes to end from
// where h is, when that is before off.
func countLines(r io.ReaderAt, off, end int64, buf []byte, h *hashFeed) (lines, quotes int, err error) {
	at := off
	if h != nil && h.pos < off {
		at = h.pos
	}
	if h != nil {
		buf = buf[:min(len(buf), hashPiece)]
	}
	for at < end {
		b := buf[:min(int64(len(buf)), end-at)]
		m, err := r.ReadAt(b, at)
		if m < len(b) {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return lines, quotes, err
		}
		h.feed(b, at)
		if c := b[max(0, min(off-at, int64(len(b)))):]; len(c) > 0 {
			lines += bytes.Count(c, nlByte)
			quotes += bytes.Count(c, quoteByte)
		}
		at += int64(m)
	}
	return lines, quotes, nil
}

var quoteByte = []byte{'"'}

// scanRest reads the records of sc into the pipe, and what sc cannot read
// with encoding/csv.
func (p *pipe) scanRest(sc *scanner) error {
	for {
		rec, row, res := sc.next()
		switch res {
		case scanEnd:
			return nil
		case scanErr:
			return sc.err
		case scanOdd:
			return p.slowFrom(row)
		}
		if blank(rec) {
			continue
		}
		p.utf8Rows = sc.utf8
		if err := p.row(rec, row); err != nil {
			return err
		}
	}
}

// slowFrom reads the data rows from row on with encoding/csv, from the
// start of the file so that its rows and messages are its own.
func (p *pipe) slowFrom(from int) error {
	p.utf8Rows = false
	rr, err := p.reopen()
	if err != nil {
		return err
	}
	defer rr.close()
	for {
		rec, row, err := rr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if row < from || blank(rec) {
			continue
		}
		if err := p.row(rec, row); err != nil {
			return err
		}
	}
}

// forkable reports whether the rows may be read in parts: no format
// is left to a look-ahead and the value caches have room.
func (p *pipe) forkable() bool {
	for _, d := range p.dates {
		if d.inf != nil || d.lazy {
			return false
		}
	}
	return !p.amount.lazy && p.cachesRoom()
}

func (p *pipe) cachesRoom() bool {
	return len(p.statuses) < maxCached && len(p.types) < maxCached && len(p.acks) < maxCached
}

// fork returns a copy of the pipe that reads into sink with an accounting
// of its own.
func (p *pipe) fork(sink steward.Sink) *pipe {
	q := new(pipe)
	*q = *p
	q.src = &steward.Source{}
	q.sink = sink
	q.dates = make([]*dateCol, len(p.dates))
	copies := map[*dateCol]*dateCol{}
	for i, d := range p.dates {
		c := *d
		c.bad, c.standIn, c.cache = 0, 0, nil
		q.dates[i], copies[d] = &c, &c
	}
	for f, d := range p.byField {
		if d != nil {
			if copies[d] == nil {
				c := *d
				c.bad, c.standIn, c.cache = 0, 0, nil
				copies[d] = &c
			}
			q.byField[f] = copies[d]
		}
	}
	q.cacheDates()
	q.statuses = maps.Clone(p.statuses)
	q.types = maps.Clone(p.types)
	q.acks = maps.Clone(p.acks)
	return q
}

// join adds the accounting of q, a fork that read the rows after p's, to p.
func (p *pipe) join(q *pipe) {
	s, o := p.src, q.src
	s.Rows += o.Rows
	s.Used += o.Used
	for k, n := range o.Excluded {
		if s.Excluded == nil {
			s.Excluded = map[string]int{}
		}
		s.Excluded[k] += n
	}
	s.Rejected += o.Rejected
	for k, n := range o.RejectReasons {
		if s.RejectReasons == nil {
			s.RejectReasons = map[string]int{}
		}
		s.RejectReasons[k] += n
	}
	for _, r := range o.Rejects {
		if len(s.Rejects) < steward.MaxRejectsListed {
			s.Rejects = append(s.Rejects, r)
		}
	}
	// The fork warns again about what p warned about after the fork.
	for _, w := range o.Warnings {
		if !slices.Contains(s.Warnings, w) {
			p.warn(w)
		}
	}
	p.fixCount += q.fixCount
	for i, d := range p.dates {
		d.bad += q.dates[i].bad
		d.standIn += q.dates[i].standIn
	}
	for f, d := range p.byField {
		if d != nil && !slices.Contains(p.dates, d) {
			d.bad += q.byField[f].bad
			d.standIn += q.byField[f].standIn
		}
	}
	if p.currency == "" {
		p.currency, p.curRow = q.currency, q.curRow
	}
	p.footer = q.footer
}

// lineAfter returns the offset just after the first line feed at or after
// off, or -1 when there is none before the last byte.
func lineAfter(r io.ReaderAt, off, end int64, buf []byte) (int64, error) {
	for off < end {
		b := buf[:min(int64(len(buf)), end-off, 64<<10)]
		m, err := r.ReadAt(b, off)
		if m < len(b) {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return -1, err
		}
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			if off+int64(i)+1 >= end {
				return -1, nil
			}
			return off + int64(i) + 1, nil
		}
		off += int64(m)
	}
	return -1, nil
}

// cacheDates gives each date column whose format is final a dateCache.
func (p *pipe) cacheDates() {
	for _, d := range p.dates {
		if d.inf == nil && !d.lazy && d.cache == nil {
			d.cache = new(dateCache)
		}
	}
	for _, d := range p.byField {
		if d != nil && d.inf == nil && !d.lazy && d.cache == nil {
			d.cache = new(dateCache)
		}
	}
}

// dateCache remembers the dates of recent short values of a date column:
// an export has a few thousand distinct dates in a million rows. It is a
// direct-mapped table holding the values' bytes, so that neither a lookup
// nor an insert allocates.
type dateCache [1 << 13]struct { // as many entries as cacheSlot has values
	n    uint8 // length of the value; 0: empty
	b    [15]byte
	date steward.Date
}

// parse parses a date value of column d: the commonest shapes directly
// (DateFormat.Quick), others through its cache when it has one. Only
// successes are cached, so errors are those of d.format.Parse.
func (d *dateCol) parse(v string) (steward.Date, error) {
	if t, ok := d.format.Quick(v); ok {
		return t, nil
	}
	c := d.cache
	if c == nil || len(v) > 15 || len(v) == 0 {
		return d.format.Parse(v)
	}
	// Two ways: a value may sit in its slot or the one beside it.
	i := cacheSlot(v) & (len(c) - 1)
	e, f := &c[i], &c[i^1]
	if int(e.n) == len(v) && string(e.b[:e.n]) == v {
		return e.date, nil
	}
	if int(f.n) == len(v) && string(f.b[:f.n]) == v {
		return f.date, nil
	}
	t, err := d.format.Parse(v)
	if err == nil {
		if e.n != 0 {
			e = f
		}
		e.n = uint8(copy(e.b[:], v))
		e.date = t
	}
	return t, err
}

// cacheSlot hashes a value of 1 to 15 bytes.
func cacheSlot(v string) int {
	var a, b uint64
	n := len(v)
	if n >= 8 {
		a = bin.LittleEndian.Uint64([]byte(v[:8]))
		b = bin.LittleEndian.Uint64([]byte(v[n-8:]))
	} else {
		for i := 0; i < n; i++ {
			a = a<<8 | uint64(v[i])
		}
	}
	h := (a*0x9E3779B97F4A7C15 ^ b*0xC2B2AE3D27D4EB4F ^ uint64(n)) * 0x165667B19E3779F9
	return int(h >> (64 - 13)) // the top bits depend on every byte
}

// trimSpace is strings.TrimSpace, quicker for the usual value that starts
// and ends with a printable ASCII character.
func trimSpace(s string) string {
	if trimmed(s) {
		return s
	}
	return strings.TrimSpace(s)
}

// trimmed reports whether s starts and ends with a printable ASCII
// character, and so has no space to trim (small enough to be inlined).
func trimmed(s string) bool {
	n := len(s)
	return n > 0 && s[0]-'!' < 0x7f-'!' && s[n-1]-'!' < 0x7f-'!'
}
