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
	maxField int
	names    *[]string // header names once known, for messages
}

func newCSVRows(r io.Reader, delim rune, maxField int, names *[]string) *csvRows {
	cr := csv.NewReader(r)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return &csvRows{cr: cr, maxField: maxField, names: names}
}

func (c *csvRows) next() ([]string, int, error) {
	rec, err := c.cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.StartLine, &Error{Row: pe.StartLine, Err: pe.Err}
		}
		return nil, 0, err
	}
	line, _ := c.cr.FieldPos(0)
	for i, f := range rec {
		if len(f) > c.maxField {
			return nil, line, &Error{Row: line, Column: columnName(*c.names, i),
				Err: errorf("%w: %d bytes, the limit is %d (an unclosed quote?)", ErrFieldTooLong, len(f), c.maxField)}
		}
	}
	return rec, line, nil
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

// xlsxRows reads one worksheet with excelize's streaming iterator and raw
// cell values: numbers (and so dates) as stored, formulas as their cached
// values.
type xlsxRows struct {
	rows *excelize.Rows
	n    int
}

func (x *xlsxRows) next() ([]string, int, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, 0, err
		}
		return nil, 0, io.EOF
	}
	x.n++
	rec, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, x.n, &Error{Row: x.n, Err: err}
	}
	return rec, x.n, nil
}

func (x *xlsxRows) close() { x.rows.Close() }
