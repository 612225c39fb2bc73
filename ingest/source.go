package ingest

import (
	"encoding/csv"
	"errors"
	"io"

	"github.com/xuri/excelize/v2"
)

// rowReader yields the records of one table, one at a time, with the
// 1-based physical row (CSV line, sheet row) where each record starts. The
// record is only valid until the next call.
type rowReader interface {
	next() (rec []string, row int, err error) // io.EOF at the end
	close()
}

// csvRows reads records with encoding/csv.
type csvRows struct {
	cr       *csv.Reader
	in       *boundedReader
	maxField int
	names    *[]string // header names once known, for messages
	line     int       // line of the last record read, for messages
}

func newCSVRows(r io.Reader, delim rune, maxField int, names *[]string) *csvRows {
	in := &boundedReader{r: r, limit: max(maxRecordBytes, 2*int64(maxField))}
	cr := csv.NewReader(in)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return &csvRows{cr: cr, in: in, maxField: maxField, names: names}
}

func (c *csvRows) next() ([]string, int, error) {
	rec, err := c.cr.Read()
	if err != nil {
		var pe *csv.ParseError
		switch {
		case errors.Is(err, errRecordTooLong):
			where := "the first record"
			if c.line > 0 {
				where = "the record after row " + itoa(c.line)
			}
			return nil, 0, &Error{Err: errorf("%w: %s runs past %d MiB; look for an unclosed quote there, or check that this is a CSV file",
				ErrRecordTooLong, where, c.in.limit>>20)}
		case errors.As(err, &pe):
			return nil, pe.StartLine, &Error{Row: pe.StartLine, Err: pe.Err}
		}
		return nil, 0, err
	}
	c.in.mark = c.cr.InputOffset()
	line, _ := c.cr.FieldPos(0)
	c.line = line
	if len(rec) > maxFields {
		return nil, line, &Error{Row: line, Err: errorf("%w: %d fields, the limit is %d; check the delimiter, or export only the columns Steward needs",
			ErrRecordTooLong, len(rec), maxFields)}
	}
	for i, f := range rec {
		if len(f) > c.maxField {
			return nil, line, &Error{Row: line, Column: columnName(*c.names, i),
				Err: errorf("%w: %d bytes, the limit is %d; look for an unclosed quote there, or shorten the field and export again", ErrFieldTooLong, len(f), c.maxField)}
		}
	}
	return rec, line, nil
}

// Limits of one CSV record.
const (
	// maxRecordBytes is how much text one record may span (more when
	// Options.MaxFieldBytes is larger), so that an unclosed quote or a
	// file without line breaks is never buffered whole.
	maxRecordBytes = 16 << 20
	// maxFields is how many fields one record or XLSX row may have.
	maxFields = 10000
)

// errRecordTooLong is boundedReader's error.
var errRecordTooLong = errors.New("record too long")

// boundedReader feeds encoding/csv and fails once the reader is more than
// limit bytes past mark, the input offset where the current record starts:
// encoding/csv itself buffers a record of any length.
type boundedReader struct {
	r     io.Reader
	read  int64 // bytes handed out
	mark  int64 // start of the current record
	limit int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.read-b.mark > b.limit {
		return 0, errRecordTooLong
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

// crReader turns every CR into LF, for old Mac files whose lines end in a
// lone CR (encoding/csv only knows LF and CRLF).
type crReader struct{ r io.Reader }

func (c crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

func (c *csvRows) close() {}

// columnName names column i (0-based) for messages: its header when known,
// else its spreadsheet letter.
func columnName(names []string, i int) string {
	if i < len(names) {
		return names[i]
	}
	s, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return "column " + itoa(i+1)
	}
	return "column " + s
}
