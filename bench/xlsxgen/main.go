// Command xlsxgen converts a gift export CSV made by gen_gifts.py into an
// XLSX workbook with the same rows, for the XLSX benchmark of bench/run.
//
// Usage:
//
//	go run ./bench/xlsxgen [-sst] IN.csv OUT.xlsx
//
// Dates (M/D/YYYY) become date cells (serial numbers with the m/d/yyyy
// number format) and amounts become numbers, as a CRM's XLSX export holds
// them; every other column stays text. Text cells are inline strings, as
// excelize's StreamWriter (and Steward's own sample) writes them, or with
// -sst entries of a shared-strings table, as Excel writes them when it
// saves a workbook. One worksheet holds at most 1,048,576 rows, so IN.csv
// may have at most 1,048,575 data rows.
package main

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

const maxRows = 1 << 20 // rows in one worksheet, header included

func main() {
	sst := flag.Bool("sst", false, "write text into a shared-strings table, as Excel does")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: xlsxgen [-sst] IN.csv OUT.xlsx")
		os.Exit(2)
	}
	convert := convertInline
	if *sst {
		convert = convertSST
	}
	if err := convert(flag.Arg(0), flag.Arg(1)); err != nil {
		fmt.Fprintf(os.Stderr, "xlsxgen: %v\n", err)
		os.Exit(1)
	}
}

// openCSV opens the CSV and reads its header; kinds says per column
// whether it holds dates ('d'), numbers ('n') or text ('s').
func openCSV(in string) (f *os.File, r *csv.Reader, header []string, kinds []byte, err error) {
	f, err = os.Open(in)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	r = csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = true
	rec, err := r.Read()
	if err != nil {
		f.Close()
		return nil, nil, nil, nil, fmt.Errorf("%s: %v", in, err)
	}
	header = append([]string(nil), rec...)
	kinds = make([]byte, len(header))
	for i, h := range header {
		switch {
		case strings.HasSuffix(h, "Date"):
			kinds[i] = 'd'
		case h == "Amount":
			kinds[i] = 'n'
		default:
			kinds[i] = 's'
		}
	}
	return f, r, header, kinds, nil
}

// convertInline writes the workbook with excelize's StreamWriter.
func convertInline(in, out string) error {
	f, r, header, kinds, err := openCSV(in)
	if err != nil {
		return err
	}
	defer f.Close()

	x := excelize.NewFile()
	defer x.Close()
	const sheet = "Sheet1"
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	dateStyle, err := x.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yyyy
	if err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	row := 1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %v", in, err)
		}
		row++
		if row > maxRows {
			return fmt.Errorf("%s: more than %d data rows do not fit one worksheet", in, maxRows-1)
		}
		for i, v := range rec {
			cells[i] = cellValue(kinds[i], v, dateStyle)
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return x.SaveAs(out)
}

// excelEpoch is day 0 of the 1900 date system (Excel's 1900 leap-year bug
// makes serials from March 1900 on count from 1899-12-30).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

func cellValue(kind byte, v string, dateStyle int) any {
	if v == "" {
		return nil
	}
	switch kind {
	case 'd':
		t, err := time.Parse("1/2/2006", v)
		if err != nil {
			return v
		}
		return excelize.Cell{StyleID: dateStyle, Value: int(t.Sub(excelEpoch).Hours() / 24)}
	case 'n':
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	}
	return v
}

// serial returns the Excel serial day of an M/D/YYYY date.
func serial(v string) (int, bool) {
	t, err := time.Parse("1/2/2006", v)
	if err != nil {
		return 0, false
	}
	return int(t.Sub(excelEpoch).Hours() / 24), true
}

// Package parts of the shared-strings workbook.
const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`
	rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`
	workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
	styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`
)

// convertSST writes the workbook by hand with a shared-strings table: the
// sheet first (numbering each distinct text as it comes), then the table.
func convertSST(in, out string) error {
	f, r, header, kinds, err := openCSV(in)
	if err != nil {
		return err
	}
	defer f.Close()
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	defer o.Close()
	z := zip.NewWriter(o)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes}, {"_rels/.rels", rootRels},
		{"xl/workbook.xml", workbook}, {"xl/_rels/workbook.xml.rels", workbookRels},
		{"xl/styles.xml", styles},
	} {
		w, err := z.Create(part.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, part.body); err != nil {
			return err
		}
	}

	ids := map[string]int{}
	var table []string
	refs := 0
	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	row := 0
	writeRow := func(rec []string, header bool) {
		row++
		fmt.Fprintf(bw, `<row r="%d">`, row)
		for i, v := range rec {
			if v == "" {
				continue
			}
			col, _ := excelize.ColumnNumberToName(i + 1)
			ref := col + strconv.Itoa(row)
			if !header && kinds[i] == 'd' {
				if d, ok := serial(v); ok {
					fmt.Fprintf(bw, `<c r="%s" s="1"><v>%d</v></c>`, ref, d)
					continue
				}
			}
			if !header && kinds[i] == 'n' {
				if _, err := strconv.ParseFloat(v, 64); err == nil {
					fmt.Fprintf(bw, `<c r="%s"><v>%s</v></c>`, ref, v)
					continue
				}
			}
			id, ok := ids[v]
			if !ok {
				id = len(table)
				ids[v] = id
				table = append(table, v)
			}
			refs++
			fmt.Fprintf(bw, `<c r="%s" t="s"><v>%d</v></c>`, ref, id)
		}
		bw.WriteString(`</row>`)
	}
	writeRow(header, true)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %v", in, err)
		}
		if row >= maxRows {
			return fmt.Errorf("%s: more than %d data rows do not fit one worksheet", in, maxRows-1)
		}
		writeRow(rec, false)
	}
	bw.WriteString(`</sheetData></worksheet>`)
	if err := bw.Flush(); err != nil {
		return err
	}

	w, err = z.Create("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	bw = bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, refs, len(table))
	for _, s := range table {
		bw.WriteString(`<si><t>`)
		xml.EscapeText(bw, []byte(s))
		bw.WriteString(`</t></si>`)
	}
	bw.WriteString(`</sst>`)
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := z.Close(); err != nil {
		return err
	}
	return o.Close()
}
