package render

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"
)

// XLSX returns a workbook with one sheet per table, written with excelize's
// StreamWriter. Numbers are numbers (rates with a 0.0% format, money with
// #,##0.00), dates are real dates with a yyyy-mm-dd number format, and text
// cells are neutralised like the CSV files. The document properties are fixed
// so the same tables give byte-identical files.
func XLSX(tables []*Table) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:  "Steward",
		Title:    "Steward metrics",
		Created:  "2000-01-01T00:00:00Z",
		Modified: "2000-01-01T00:00:00Z",
	}); err != nil {
		return nil, err
	}
	dateFmt, rateFmt, moneyFmt, countFmt, numFmt := "yyyy-mm-dd", "0.0%", "#,##0.00", "#,##0", "0.0"
	style := func(fmtCode string, bold bool) (int, error) {
		s := &excelize.Style{}
		if fmtCode != "" {
			s.CustomNumFmt = &fmtCode
		}
		if bold {
			s.Font = &excelize.Font{Bold: true}
		}
		return f.NewStyle(s)
	}
	var ids [6]int
	var head int
	var err error
	// Styles are created in a fixed order so style ids are stable.
	for i, code := range []string{"", countFmt, rateFmt, moneyFmt, numFmt, dateFmt} {
		if ids[i], err = style(code, false); err != nil {
			return nil, err
		}
	}
	if head, err = style("", true); err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for i, t := range tables {
		name := sheetName(t.Name, used)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return nil, err
		}
		if len(t.Columns) > 0 {
			if err := sw.SetColWidth(1, 1, 28); err != nil {
				return nil, err
			}
			if len(t.Columns) > 1 {
				if err := sw.SetColWidth(2, len(t.Columns), 16); err != nil {
					return nil, err
				}
			}
		}
		hrow := make([]interface{}, len(t.Columns))
		for j, c := range t.Columns {
			hrow[j] = excelize.Cell{StyleID: head, Value: Neutralise(c)}
		}
		if err := sw.SetRow("A1", hrow); err != nil {
			return nil, err
		}
		for r, row := range t.Rows {
			vals := make([]interface{}, len(row))
			for j, c := range row {
				cell := excelize.Cell{StyleID: ids[c.Kind]}
				switch {
				case c.Null:
					cell.Value = nil
				case c.Kind == Text:
					cell.Value = Neutralise(c.S)
				case c.Kind == Count:
					cell.Value = int64(c.N)
				case c.Kind == DateK:
					cell.Value = c.D.Time()
				default:
					cell.Value = c.N
				}
				vals[j] = cell
			}
			ref, err := excelize.CoordinatesToCellName(1, r+2)
			if err != nil {
				return nil, err
			}
			if err := sw.SetRow(ref, vals); err != nil {
				return nil, err
			}
		}
		if err := sw.Flush(); err != nil {
			return nil, fmt.Errorf("xlsx sheet %s: %w", name, err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return canonicalZip(buf.Bytes())
}

// canonicalZip rewrites a zip archive with its entries in a fixed order
// ("[Content_Types].xml" first, then by name) and no timestamps: excelize
// writes streamed sheets in map order, so its archives differ run to run.
func canonicalZip(b []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i].Name, files[j].Name
		if (a == "[Content_Types].xml") != (b == "[Content_Types].xml") {
			return a == "[Content_Types].xml"
		}
		return a < b
	})
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range files {
		// The compressed bytes are copied as they are (the same content
		// compresses to the same bytes), with a header of the name,
		// method, checksum and sizes only.
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: f.Method, CRC32: f.CRC32,
			CompressedSize64: f.CompressedSize64, UncompressedSize64: f.UncompressedSize64})
		if err != nil {
			return nil, err
		}
		r, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(w, r); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// sheetName makes a valid, unique sheet name (at most 31 characters, none of
// []:*?/\) from a table name.
func sheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) {
			return '_'
		}
		return r
	}, s)
	if s == "" {
		s = "table"
	}
	if len(s) > 31 {
		s = s[:31]
	}
	base, n := s, 2
	for used[strings.ToLower(s)] {
		suf := fmt.Sprintf("_%d", n)
		if len(base)+len(suf) > 31 {
			s = base[:31-len(suf)] + suf
		} else {
			s = base + suf
		}
		n++
	}
	used[strings.ToLower(s)] = true
	return s
}
