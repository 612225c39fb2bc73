package render

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html/template"
	"strconv"

	"github.com/gocarina/gocsv"

	"steward"
)

// Kind is how a table cell is typed and formatted.
type Kind uint8

// Cell kinds. Text cells are neutralised in CSV and XLSX; the others are
// numbers (or dates) and written as such.
const (
	Text   Kind = iota
	Count       // an integer count
	Rate        // a fraction shown as a percentage
	Amount      // money in major units
	Number      // a plain number (days)
	DateK       // a calendar date
)

// Cell is one table cell. Null cells (a rate with a zero denominator) are
// shown as "n/a" in HTML and left empty in CSV and XLSX.
type Cell struct {
	Kind Kind
	S    string       // Text
	N    float64      // Count, Rate, Amount, Number
	D    steward.Date // DateK
	Null bool
	// Show overrides the HTML text (e.g. "year to date"); CSV and XLSX keep
	// the value.
	Show string
}

// T returns a text cell.
func T(s string) Cell { return Cell{Kind: Text, S: s} }

// I returns a count cell.
func I(n int) Cell { return Cell{Kind: Count, N: float64(n)} }

// R returns a rate cell; nil is null.
func R(v *float64) Cell {
	if v == nil {
		return Cell{Kind: Rate, Null: true}
	}
	return Cell{Kind: Rate, N: *v}
}

// M returns a money cell.
func M(v float64) Cell { return Cell{Kind: Amount, N: v} }

// N returns a plain number cell; nil is null.
func N(v *float64) Cell {
	if v == nil {
		return Cell{Kind: Number, Null: true}
	}
	return Cell{Kind: Number, N: *v}
}

// D returns a date cell.
func D(d steward.Date) Cell {
	if d.IsZero() {
		return Cell{Kind: DateK, Null: true}
	}
	return Cell{Kind: DateK, D: d}
}

// Table is a table of figures: shown under its chart, and written as
// tables/<Name>.csv and as a sheet of metrics.xlsx.
type Table struct {
	Name     string // file and sheet name: letters, digits, '_' and '-'
	Caption  string
	Columns  []string
	Rows     [][]Cell
	Currency string // for Money cells
	Note     string // shown under the table
}

// text returns the cell as people read it.
func (t *Table) text(c Cell) string {
	if c.Show != "" {
		return c.Show
	}
	if c.Null {
		return "n/a"
	}
	switch c.Kind {
	case Count:
		return Int(int(c.N))
	case Rate:
		return PctOf(c.N)
	case Amount:
		return Money(c.N, t.Currency)
	case Number:
		return strconv.FormatFloat(round(c.N, 1), 'f', -1, 64)
	case DateK:
		return c.D.String()
	}
	return c.S
}

// raw returns the cell as written to CSV: numbers unformatted (rates as
// fractions), text neutralised against formula injection.
func raw(c Cell) string {
	if c.Null {
		return ""
	}
	switch c.Kind {
	case Count:
		return strconv.FormatInt(int64(c.N), 10)
	case Rate, Number:
		return strconv.FormatFloat(c.N, 'f', -1, 64)
	case Amount:
		return strconv.FormatFloat(c.N, 'f', 2, 64)
	case DateK:
		return c.D.String()
	}
	return Neutralise(c.S)
}

// Neutralise makes a text safe to open in a spreadsheet: a text starting with
// '=', '+', '-', '@', a tab or a carriage return is prefixed with "'" so it
// cannot be read as a formula. Numbers are never passed here.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

var tableTmpl = template.Must(template.New("table").Parse(
	`<div class="table-wrap"><table class="data" id="table-{{.Name}}">` +
		`{{with .Caption}}<caption>{{.}}</caption>{{end}}` +
		`<thead><tr>{{range .Columns}}<th scope="col"{{if .Num}} class="num"{{end}}>{{.Text}}</th>{{end}}</tr></thead>` +
		`<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}` +
		`{{if eq $i 0}}<th scope="row"{{if $c.Num}} class="num"{{end}}>{{$c.Text}}</th>` +
		`{{else}}<td{{if $c.Num}} class="num"{{end}}>{{$c.Text}}</td>{{end}}{{end}}</tr>
{{end}}</tbody></table></div>{{with .Note}}<p class="table-note">{{.}}</p>{{end}}`))

type htmlCell struct {
	Text string
	Num  bool
}

// HTML returns the table as an accessible HTML table, every text escaped.
func (t *Table) HTML() (template.HTML, error) {
	// A column is numeric (right-aligned) when every filled cell in it is
	// a number.
	cols := make([]htmlCell, len(t.Columns))
	for j, c := range t.Columns {
		cols[j] = htmlCell{Text: c, Num: j > 0 && len(t.Rows) > 0}
		for _, r := range t.Rows {
			if j < len(r) && !r[j].Null && r[j].Show == "" && (r[j].Kind == Text || r[j].Kind == DateK) {
				cols[j].Num = false
			}
		}
	}
	rows := make([][]htmlCell, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = make([]htmlCell, len(r))
		for j, c := range r {
			rows[i][j] = htmlCell{Text: t.text(c), Num: j < len(cols) && cols[j].Num}
		}
	}
	var b bytes.Buffer
	err := tableTmpl.Execute(&b, struct {
		Name, Caption, Note string
		Columns             []htmlCell
		Rows                [][]htmlCell
	}{t.Name, t.Caption, t.Note, cols, rows})
	if err != nil {
		return "", fmt.Errorf("render table %s: %w", t.Name, err)
	}
	return template.HTML(b.String()), nil
}

// CSV returns the table as CSV (RFC 4180, CRLF-free "\n" lines): a header row
// of column names, then one row per table row. Text cells are neutralised
// (see Neutralise); numbers are plain, rates are fractions, money has two
// decimals, dates are YYYY-MM-DD. Written through gocsv's SafeCSVWriter,
// never gocsv's global settings.
func (t *Table) CSV() ([]byte, error) {
	var b bytes.Buffer
	w := gocsv.NewSafeCSVWriter(csv.NewWriter(&b))
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = Neutralise(c)
	}
	if err := w.Write(head); err != nil {
		return nil, err
	}
	rec := make([]string, len(t.Columns))
	for _, r := range t.Rows {
		for i := range rec {
			rec[i] = ""
			if i < len(r) {
				rec[i] = raw(r[i])
			}
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write %s.csv: %w", t.Name, err)
	}
	return b.Bytes(), nil
}
