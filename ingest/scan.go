package ingest

import (
	"bytes"
	bin "encoding/binary"
	"io"
	"math/bits"
	"slices"
	"unicode/utf8"
	"unsafe"
)

// scanner splits plain UTF-8 CSV text, read through an io.ReaderAt in
// large blocks, into records without encoding/csv and without allocating:
// the fields are strings that view the block (or, for quoted fields with
// "" escapes or CRLF line breaks, a scratch buffer), valid only until the
// next call. It reads exactly what encoding/csv reads with LazyQuotes and
// FieldsPerRecord -1: empty lines are skipped, CRLF line ends count as LF,
// a quote opens a quoted field only at its start, a CR right before the end
// of the file is dropped, and a record's row is the physical line (1-based)
// where it starts.
//
// Anything it cannot read exactly that way stops it with scanOdd, so that
// the caller reads on with encoding/csv: a quote inside a quoted field that
// is neither doubled nor followed by the delimiter or the line end, a
// quoted field open at the end of the text, a field over the size limit, a
// record with too many fields or spanning more than maxSpan bytes.
//
// Where the processor has AVX2 (see haveLineScan), a line is first looked
// through 32 bytes at a time for its end, its delimiters and its quotes
// (lineScanAVX2), or 64 bytes at a time with AVX-512 (lineScanAVX512); a
// line with no quote, or with quotes only around whole fields, is then cut
// at the delimiters found. Other lines, and every line elsewhere, are read
// a field at a time.
type scanner struct {
	r        io.ReaderAt
	end      int64 // end of the text in r
	delim    byte
	maxField int
	maxSpan  int   // longest record read here, in bytes
	stop     int64 // no record starting at or after stop is read; -1: none

	buf  []byte // the block: buf[:n] holds the text from off
	off  int64
	n    int
	pos  int  // where the next record (or empty line) starts in buf
	line int  // line of buf[pos]
	eof  bool // buf[:n] runs to end
	utf8 bool // buf[:n] is valid UTF-8

	rec     []string
	scratch []byte
	dpos    [maxDelims + 16]uint32 // where a line's delimiters are (lineScanAVX2, lineScanAVX512)
	err     error                  // a read error

	hash *hashFeed // fed the text as it is read, or nil
}

// Results of scanner.next.
const (
	scanRecord = iota // a record
	scanEnd           // the end of the text, or the stop offset
	scanOdd           // something to leave to encoding/csv, at row
	scanErr           // a read error, in scanner.err
)

// maxDelims is the most delimiters a line may have to be cut at the places
// the line scan finds.
const maxDelims = 256

// scanBlock is the size of a scanner's block.
var scanBlock = 4 << 20

// newScanner returns a scanner of r from offset off (the start of a line,
// line number line) to end.
func newScanner(r io.ReaderAt, off, end int64, line int, delim byte, maxField, maxSpan int, buf []byte) *scanner {
	if cap(buf) < scanBlock {
		buf = make([]byte, scanBlock)
	}
	buf = buf[:cap(buf)]
	return &scanner{r: r, off: off, end: end, line: line, delim: delim, maxField: maxField,
		maxSpan: min(maxSpan, len(buf)/2), stop: -1, buf: buf, eof: off >= end,
		rec: make([]string, 0, 64)}
}

// at returns the file offset of buf[i].
func (s *scanner) at(i int) int64 { return s.off + int64(i) }

// fill keeps buf[from:n] (moved to the start of buf) and reads on after it.
// It returns false (with s.err set) on a read error.
func (s *scanner) fill(from int) bool {
	keep := copy(s.buf, s.buf[from:s.n])
	s.off += int64(from)
	s.pos -= from
	s.n = keep
	want := min(int64(len(s.buf)-keep), s.end-(s.off+int64(keep)))
	// With a hash to feed, the block is read a piece at a time, each
	// hashed while it is in the processor's cache.
	piece := int(want)
	if s.hash != nil {
		piece = hashPiece
	}
	for at := keep; at < keep+int(want); {
		b := s.buf[at:min(at+piece, keep+int(want))]
		m, err := s.r.ReadAt(b, s.off+int64(at))
		if m < len(b) {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			s.err = err
			return false
		}
		s.hash.feed(b, s.off+int64(at))
		at += m
	}
	if want > 0 {
		s.n += int(want)
	}
	s.eof = s.off+int64(s.n) >= s.end
	// Checked a block at a time (fast for ASCII), so that the pipe need
	// not check each label; a character cut at the end of the block just
	// leaves the checks to it.
	s.utf8 = utf8.Valid(s.buf[:s.n])
	return true
}

// view returns b as a string sharing its bytes.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// next returns the next record and the row where it starts. With scanOdd,
// row is the row of the record left unread; the scanner must not be used
// again.
func (s *scanner) next() (rec []string, row int, res int) {
	for {
		rec, row, res, more := s.parse()
		if !more {
			return rec, row, res
		}
		// The record runs past the block: keep its start and read on.
		if s.n-s.pos >= s.maxSpan {
			return nil, s.line, scanOdd
		}
		if !s.fill(s.pos) {
			return nil, s.line, scanErr
		}
	}
}

// parse reads one record from buf[pos:n]. more is true when the block ends
// before the record does (and is not the end of the text).
func (s *scanner) parse() (rec []string, row int, res int, more bool) {
	b := s.buf[:s.n]
	i := s.pos
	// Empty lines.
	for {
		if s.stop >= 0 && s.at(i) >= s.stop {
			s.pos = i
			return nil, s.line, scanEnd, false
		}
		if i >= len(b) {
			s.pos = i
			if s.eof {
				return nil, s.line, scanEnd, false
			}
			return nil, 0, 0, true
		}
		switch {
		case b[i] == '\n':
			i++
			s.line++
			continue
		case b[i] == '\r':
			if i+1 >= len(b) {
				if !s.eof {
					s.pos = i
					return nil, 0, 0, true
				}
				// A CR before the end of the text is dropped.
				s.pos = len(b)
				return nil, s.line, scanEnd, false
			}
			if b[i+1] == '\n' {
				i += 2
				s.line++
				continue
			}
		}
		break
	}
	s.pos = i
	start, lines := i, 0
	delim := s.delim
	fields := s.rec[:0]
	s.scratch = s.scratch[:0]
	// Most lines hold no quote, or quotes only around whole fields: split
	// them at the delimiters that the line scan found.
	if haveLineScan {
		var k, nd, nq int
		var found bool
		if haveLineScan512 {
			k, nd, nq, found = lineScanAVX512(&b[i], len(b)-i, delim, &s.dpos[0], maxDelims)
		} else {
			k, nd, nq, found = lineScanAVX2(&b[i], len(b)-i, delim, &s.dpos[0], maxDelims)
		}
		if found && nd < maxDelims {
			line := b[i : i+k]
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1] // CRLF
			}
			var ok bool
			if nq == 0 {
				fields, ok = splitAtDelims(fields, line, s.dpos[:nd], s.maxField)
				if !ok || k+1 > s.maxSpan {
					return nil, s.line, scanOdd, false
				}
			} else {
				// Anything else is read the long way, below.
				fields, ok = splitQuoted(fields, line, s.dpos[:nd], delim, s.maxField)
				ok = ok && k+1 <= s.maxSpan
			}
			if ok {
				row = s.line
				s.line++
				s.pos = i + k + 1
				s.rec = fields
				return fields, row, scanRecord, false
			}
			fields = fields[:0]
		}
	}
	if k := bytes.IndexByte(b[i:], '\n'); k >= 0 || s.eof {
		end, next := len(b), len(b)
		if k >= 0 {
			end, next = i+k, i+k+1
		}
		if line := b[i:end]; bytes.IndexByte(line, '"') < 0 {
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1] // CRLF, or a CR before the end
			}
			fields, ok := splitLine(fields, line, delim, s.maxField)
			if !ok || next-start > s.maxSpan {
				return nil, s.line, scanOdd, false
			}
			row = s.line
			s.line++
			s.pos = next
			s.rec = fields
			return fields, row, scanRecord, false
		}
	}
	for {
		if i < len(b) && b[i] == '"' {
			// Quoted field.
			j := i + 1
			fs := j
			esc := false // holds "" or CRLF: copy it unescaped
			for {
				k := bytes.IndexByte(b[j:], '"')
				if k < 0 {
					if s.eof {
						return nil, s.line, scanOdd, false // open at the end
					}
					return nil, 0, 0, true
				}
				j += k
				if j+1 >= len(b) && !s.eof {
					return nil, 0, 0, true
				}
				var c byte // what follows the quote; 0 at the end
				if j+1 < len(b) {
					c = b[j+1]
				}
				if c == '"' {
					esc = true
					j += 2
					continue
				}
				f := b[fs:j]
				if nl := bytes.Count(f, nlByte); nl > 0 {
					lines += nl
					if bytes.Contains(f, crlf) {
						esc = true
					}
				}
				if len(f) > s.maxField {
					return nil, s.line, scanOdd, false
				}
				if esc {
					fields = append(fields, s.unescape(f))
				} else {
					fields = append(fields, view(f))
				}
				switch {
				case c == delim:
					i = j + 2
				case c == '\n':
					i = j + 2
					goto done
				case j+1 >= len(b): // the end of the text
					i = j + 1
					goto done
				case c == '\r':
					if j+2 >= len(b) {
						if !s.eof {
							return nil, 0, 0, true
						}
						i = j + 2 // CR before the end: dropped
						goto done
					}
					if b[j+2] != '\n' {
						return nil, s.line, scanOdd, false
					}
					i = j + 3
					goto done
				default:
					return nil, s.line, scanOdd, false // a lazy bare quote
				}
				break
			}
		} else {
			// Plain field.
			j := fieldEnd(b, i, delim)
			if j >= len(b) {
				if !s.eof {
					return nil, 0, 0, true
				}
				f := b[i:j]
				if len(f) > 0 && f[len(f)-1] == '\r' {
					f = f[:len(f)-1] // CR before the end: dropped
				}
				if len(f) > s.maxField {
					return nil, s.line, scanOdd, false
				}
				fields = append(fields, view(f))
				i = j
				goto done
			}
			f := b[i:j]
			if b[j] == '\n' && len(f) > 0 && f[len(f)-1] == '\r' {
				f = f[:len(f)-1]
			}
			if len(f) > s.maxField {
				return nil, s.line, scanOdd, false
			}
			fields = append(fields, view(f))
			i = j + 1
			if b[j] == '\n' {
				goto done
			}
		}
		if len(fields) >= maxFields {
			return nil, s.line, scanOdd, false
		}
	}
done:
	if len(fields) > maxFields || i-start > s.maxSpan {
		return nil, s.line, scanOdd, false
	}
	row = s.line
	s.line += lines + 1
	s.pos = i
	s.rec = fields
	return fields, row, scanRecord, false
}

// splitLine appends the fields of line, which holds no quote, to fields.
// It looks for the delimiter eight bytes at a time. ok is false when a
// field is longer than maxField or there are more than maxFields.
func splitLine(fields []string, line []byte, delim byte, maxField int) (_ []string, ok bool) {
	const ones, low7 = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f
	d := uint64(delim) * ones
	start, k := 0, 0
	for ; k+8 <= len(line); k += 8 {
		x := bin.LittleEndian.Uint64(line[k:]) ^ d
		// The high bit of each byte of m is set where x has a zero byte
		// (exactly: no carry crosses bytes).
		m := ^(((x & low7) + low7) | x | low7)
		for m != 0 {
			at := k + bits.TrailingZeros64(m)>>3
			if at-start > maxField || len(fields) >= maxFields {
				return fields, false
			}
			fields = append(fields, view(line[start:at]))
			start = at + 1
			m &= m - 1
		}
	}
	for ; k < len(line); k++ {
		if line[k] == delim {
			if k-start > maxField || len(fields) >= maxFields {
				return fields, false
			}
			fields = append(fields, view(line[start:k]))
			start = k + 1
		}
	}
	if len(line)-start > maxField || len(fields) >= maxFields {
		return fields, false
	}
	return append(fields, view(line[start:])), true
}

// splitAtDelims appends the fields of line, split at the delimiters at, to
// fields. ok is false when a field is longer than maxField.
func splitAtDelims(fields []string, line []byte, at []uint32, maxField int) (_ []string, ok bool) {
	fields = slices.Grow(fields[:0], len(at)+1)[:len(at)+1]
	start := 0
	for j, a := range at {
		if int(a)-start > maxField || int(a) > len(line) {
			return fields[:0], false
		}
		fields[j] = view(line[start:a])
		start = int(a) + 1
	}
	if len(line)-start > maxField {
		return fields[:0], false
	}
	fields[len(at)] = view(line[start:])
	return fields, true
}

// splitQuoted is splitAtDelims for a line holding quotes: at holds every
// delimiter of the line, also those inside quotes. A field that starts
// with a quote ends at the next quote, which must end the line or come
// before a delimiter; a quote elsewhere is text (encoding/csv's
// LazyQuotes). ok is false for a quoted field holding "" or followed by
// anything else, and for a field longer than maxField: the caller reads
// such a line the long way.
func splitQuoted(fields []string, line []byte, at []uint32, delim byte, maxField int) (_ []string, ok bool) {
	fields = fields[:0]
	start := 0
	for {
		if start < len(line) && line[start] == '"' {
			q := bytes.IndexByte(line[start+1:], '"')
			if q < 0 || q > maxField {
				return fields, false
			}
			q += start + 1 // the closing quote
			fields = append(fields, view(line[start+1:q]))
			if q+1 == len(line) {
				break
			}
			if line[q+1] != delim { // "" or a lazy quote
				return fields, false
			}
			start = q + 2
			for len(at) > 0 && int(at[0]) < start { // the delimiters quoted, and the one after
				at = at[1:]
			}
			continue
		}
		if len(at) == 0 {
			if len(line)-start > maxField {
				return fields, false
			}
			fields = append(fields, view(line[start:]))
			break
		}
		a := int(at[0])
		if a-start > maxField {
			return fields, false
		}
		fields = append(fields, view(line[start:a]))
		start, at = a+1, at[1:]
	}
	return fields, true
}

// fieldEnd returns the index of the first delim or line feed in b from i,
// or len(b). Like splitLine, it looks eight bytes at a time.
func fieldEnd(b []byte, i int, delim byte) int {
	const ones, low7 = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f
	d, nl := uint64(delim)*ones, uint64('\n')*ones
	for ; i+8 <= len(b); i += 8 {
		w := bin.LittleEndian.Uint64(b[i:])
		x, y := w^d, w^nl
		// The high bit of each byte is set where x or y has a zero byte.
		m := ^(((x & low7) + low7) | x | low7) | ^(((y & low7) + low7) | y | low7)
		if m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for i < len(b) && b[i] != delim && b[i] != '\n' {
		i++
	}
	return i
}

var (
	nlByte = []byte{'\n'}
	crlf   = []byte("\r\n")
)

// unescape copies a quoted field's text into the scratch buffer with ""
// read as " and CRLF as LF, and returns a view of the copy.
func (s *scanner) unescape(f []byte) string {
	from := len(s.scratch)
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c == '"' && i+1 < len(f) && f[i+1] == '"':
			i++
		case c == '\r' && i+1 < len(f) && f[i+1] == '\n':
			continue
		}
		s.scratch = append(s.scratch, c)
	}
	return view(s.scratch[from:])
}
