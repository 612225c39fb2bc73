package render

import (
	"fmt"
	"maps"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"steward"
	"steward/metrics"
)

// RowsAddUp reports whether a source's rows = used + excluded + rejected.
func RowsAddUp(s steward.Source) bool {
	return s.Rows == s.Used+s.ExcludedRows()+s.Rejected
}

// RowAccounting charts what became of every data row of every source file:
// used, excluded by a rule, or rejected.
func RowAccounting(r *metrics.Report) *Chart {
	c := &Chart{ID: "dq_rows", Title: "What became of every row"}
	t := &Table{Name: "row_accounting", Caption: "Rows per source file", Columns: []string{"File", "Kind", "Rows", "Used", "Excluded", "Rejected", "Adds up"}}
	var y []string
	var used, exc, rej []opts.BarData
	tot := [4]int{}
	for _, s := range r.Sources {
		e := s.ExcludedRows()
		ok := "yes"
		if !RowsAddUp(s) {
			ok = "NO: check the file"
		}
		t.Rows = append(t.Rows, []Cell{T(s.File), T(string(s.Kind)), I(s.Rows), I(s.Used), I(e), I(s.Rejected), T(ok)})
		y = append(y, s.File)
		used = append(used, opts.BarData{Value: s.Used})
		exc = append(exc, opts.BarData{Value: e})
		rej = append(rej, opts.BarData{Value: s.Rejected})
		tot[0] += s.Rows
		tot[1] += s.Used
		tot[2] += e
		tot[3] += s.Rejected
	}
	c.Table = t
	if len(y) == 0 {
		c.Empty = "No source files."
		return c
	}
	c.Takeaway = fmt.Sprintf("Of %s in %s, %s used, %s excluded by a counting rule and %s could not be read.",
		plural(tot[0], "row", "rows"), plural(len(r.Sources), "file", "files"), Int(tot[1])+" were", Int(tot[2])+" were", Int(tot[3]))
	if tot[1] == 1 {
		c.Takeaway = fmt.Sprintf("Of %s in %s, 1 was used, %s excluded by a counting rule and %s could not be read.",
			plural(tot[0], "row", "rows"), plural(len(r.Sources), "file", "files"), Int(tot[2]), Int(tot[3]))
	}
	c.Height = 80 + 40*len(y)
	if c.Height < 180 {
		c.Height = 180
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(c.ID),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", MinInterval: 1}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Width: 160, Overflow: "truncate"}}))...)
	bar.SetXAxis(y).XYReversal().
		AddSeries("Used", used, charts.WithBarChartOpts(opts.BarChart{Stack: "rows"}), charts.WithItemStyleOpts(opts.ItemStyle{Color: ColorGood})).
		AddSeries("Excluded", exc, charts.WithBarChartOpts(opts.BarChart{Stack: "rows"}), charts.WithItemStyleOpts(opts.ItemStyle{Color: ColorUnsure})).
		AddSeries("Rejected", rej, charts.WithBarChartOpts(opts.BarChart{Stack: "rows"}), charts.WithItemStyleOpts(opts.ItemStyle{Color: ColorBad}))
	return c.finish(bar)
}

// SourceTables returns the tables of source file i: how it was read, its
// column mapping, exclusions by rule and rejects by reason.
func SourceTables(r *metrics.Report, i int) (read, columns, excluded, rejected *Table) {
	s := r.Sources[i]
	p := fmt.Sprintf("source_%d_", i+1)
	read = &Table{Name: p + "read", Caption: "How the file was read", Columns: []string{"Property", "Value"}}
	add := func(k, v string) {
		if v != "" {
			read.Rows = append(read.Rows, []Cell{T(k), T(v)})
		}
	}
	add("File", s.File)
	add("Kind of data", string(s.Kind))
	add("Format", s.Format)
	add("Encoding", s.Encoding)
	add("Delimiter", delimiterName(s.Delimiter))
	add("Sheet", s.Sheet)
	if s.HeaderRow > 0 {
		read.Rows = append(read.Rows, []Cell{T("Header row"), I(s.HeaderRow)})
	}
	add("Export profile", s.Profile)
	read.Rows = append(read.Rows, []Cell{T("Size (bytes)"), I(int(s.Bytes))})
	add("SHA-256", s.SHA256)

	columns = &Table{Name: p + "columns", Caption: "Which column was read as what", Columns: []string{"Steward field", "Column in the export", "Value format"}}
	for _, c := range s.Columns {
		columns.Rows = append(columns.Rows, []Cell{T(c.Field), T(c.Header), T(c.Format)})
	}
	excluded = &Table{Name: p + "excluded", Caption: "Rows excluded, by rule", Columns: []string{"Rule", "Rows"}}
	for _, k := range slices.Sorted(maps.Keys(s.Excluded)) {
		excluded.Rows = append(excluded.Rows, []Cell{T(k), I(s.Excluded[k])})
	}
	rejected = &Table{Name: p + "rejected", Caption: "Rows that could not be read, by reason", Columns: []string{"Reason", "Rows"}}
	for _, k := range slices.Sorted(maps.Keys(s.RejectReasons)) {
		rejected.Rows = append(rejected.Rows, []Cell{T(k), I(s.RejectReasons[k])})
	}
	return read, columns, excluded, rejected
}

// SourcesTable lists the source files with their SHA-256, for the
// Methodology page.
func SourcesTable(r *metrics.Report) *Table {
	t := &Table{Name: "sources", Caption: "Source files", Columns: []string{"File", "Kind", "Format", "Bytes", "SHA-256"}}
	for _, s := range r.Sources {
		t.Rows = append(t.Rows, []Cell{T(s.File), T(string(s.Kind)), T(s.Format), I(int(s.Bytes)), T(s.SHA256)})
	}
	return t
}

// NegativeRows lists gifts thanked before their gift date (file and row
// only); nil when there are none.
func NegativeRows(r *metrics.Report) *Table {
	if len(r.ThankYou.Negative) == 0 {
		return nil
	}
	t := &Table{Name: "thank_you_before_gift", Caption: "Gifts with a thank-you date before the gift date (left out of the figures)", Columns: []string{"File", "Row"}}
	for _, n := range r.ThankYou.Negative {
		t.Rows = append(t.Rows, []Cell{T(n.File), I(n.Row)})
	}
	return t
}

func delimiterName(d string) string {
	switch d {
	case ",":
		return "comma (,)"
	case ";":
		return "semicolon (;)"
	case "\t":
		return "tab"
	case "|":
		return "pipe (|)"
	}
	return d
}
