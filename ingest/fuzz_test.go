package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"steward"
	"steward/ingest/parse"
)

func addSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && len(b) < 4<<10 {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", "\ufeff", "\xff\xfe", "\xfe\xff\x00a",
		"a;b;c\n1;2;3\n", "a\tb\n1\t2\n", "a|b\n1|2\n", `"a,b";c` + "\n1;2\n",
		"Donor ID,Gift Date,Amount\n1,2024-01-01,5\n",
		"Donor ID,Gift Date,Amount\n\"1,2024-01-01,5\n",
		"Title\n\nDonor ID,Gift Date,Amount\n1,1/2/2024,5\n2,13/2/2024,(5.00)\n,Total,10\n",
		"Contact ID,Event,Event Date\nC1,Gala,2024-01-01\n",
		"Contact ID,Household ID,Opt-In Date\nC1,H1,2024-01-01\n",
		"PK\x03\x04garbage", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
		// Hostile shapes: lone CR lines, UTF-16 without a BOM, binary,
		// an unclosed quote, a wrong delimiter, only footer rows.
		"Donor ID,Gift Date,Amount\r1,2024-01-05,5\r",
		"D\x00o\x00n\x00o\x00r\x00 \x00I\x00D\x00,\x00A\x00m\x00o\x00u\x00n\x00t\x00\n\x001\x00,\x002\x00\n\x00",
		"\x00\x01\x02\x03\x04Donor ID,Gift Date,Amount\n",
		"Donor ID,Gift Date,Amount\n\"1,2024-01-05,5\n2,2024-01-06,6\n",
		"Grand Totals (3 records)\nConfidential Information - Do Not Distribute\n",
		"Donor ID,Gift Date,Amount,Status,Type\n1,2024-01-05,5,Completed,General Withdrawal\n2,2024-01-05,5,x,HOST_FEE\n",
		// A second currency holding a line break (found by the fuzzer).
		"Donor ID,Gift Date,Amount,CurrenCY\n1,2024-01-05,5,0\n2,2024-01-05,5,\"00\n000000\"\n",
	} {
		f.Add([]byte(s))
	}
}

// FuzzSniff checks that sniffing never panics and always gives a known
// encoding and delimiter.
func FuzzSniff(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		enc, d := Sniff(b)
		switch enc {
		case encUTF8, encUTF8BOM, encUTF16LE, encUTF16BE, enc1252:
		default:
			t.Fatalf("encoding %q", enc)
		}
		if !bytes.ContainsRune([]byte(",;\t|"), d) {
			t.Fatalf("delimiter %q", d)
		}
		// Windows-1252 decodes anything.
		if enc == enc1252 {
			if _, err := charmap.Windows1252.NewDecoder().Bytes(b); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzRead checks that Read never panics, reports errors as *Error, and
// keeps its accounting exact.
func FuzzRead(f *testing.F) {
	addSeeds(f)
	f.Add(reNXTWorkbook(f))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := &collect{}
		src, err := Read(bytes.NewReader(b), int64(len(b)), Options{Name: "fuzz"}, c)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not an *Error: %v", err, err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error does not name the file on one line: %q", err)
			}
			return
		}
		checkInvariant(t, src)
		if len(c.gifts)+len(c.people) > src.Used {
			t.Fatalf("%d records from %d used rows", len(c.gifts)+len(c.people), src.Used)
		}
	})
}

// FuzzXLSXCell checks the reading of one raw XLSX cell: as a number of
// cents, as a serial date, and inside a generated workbook read end to end
// (the cell goes into the sheet XML as a number and as inline text). Read
// never panics and reports errors as *Error.
func FuzzXLSXCell(f *testing.F) {
	for _, s := range []string{
		"25.099999999999998", "0.30000000000000004", "1E+3", "1e-7", "-50", "45322", "45322.5", "60", "0", "-0",
		"2958465", "2958466", "9e16", "1e308", "NaN", "Inf", "+", "-", ".", "e", "1e", "--1", "$1,000.00", "3/15/2024",
		"", " ", "<v>", "]]>", "&amp;", "\x00", "\uFFFD",
	} {
		f.Add(s)
	}
	tmpl := cellWorkbook(f)
	serial, err := parse.ParseDateFormat("YYYY-MM-DD")
	if err != nil {
		f.Fatal(err)
	}
	serial.Serial = true
	f.Fuzz(func(t *testing.T, s string) {
		c, ok, number := xlsxNumber(s)
		if number && !plainNumber(s) {
			t.Fatalf("xlsxNumber(%q): a number that plainNumber refuses", s)
		}
		if ok {
			v, _ := strconv.ParseFloat(s, 64)
			if d := math.Abs(float64(c)/100 - v); d > 0.005+math.Abs(v)*1e-14 {
				t.Fatalf("xlsxNumber(%q) = %d cents, %v away from %v", s, c, d, v)
			}
		} else if c != 0 {
			t.Fatalf("xlsxNumber(%q) = %d cents and not ok", s, c)
		}
		// A serial number is a day from 1899-12-30 on; a date written as
		// text ("0001/1/1") may be any day of the years 1 to 9999.
		first := 1
		if plainNumber(s) {
			first = 1899
		}
		for _, df := range []bool{false, true} {
			serial.Date1904 = df
			if d, err := serial.Parse(s); err == nil && d != steward.NoDate {
				if y, _, _ := d.Civil(); y < first || y > 9999 {
					t.Fatalf("Parse(%q) = %v", s, d)
				}
			}
		}
		inf := parse.DateInferrer{AllowSerial: true}
		inf.Add(s)
		inf.Format()

		for _, asNumber := range []bool{true, false} {
			b := cellSheet(t, tmpl, s, asNumber)
			src, err := Read(bytes.NewReader(b), int64(len(b)), Options{Name: "fuzz.xlsx"}, &collect{})
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("%T is not an *Error: %v", err, err)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Fatalf("error is not one line: %q", err)
				}
				continue
			}
			checkInvariant(t, src)
		}
	})
}

// cellWorkbook is a gifts workbook whose sheet1.xml cellSheet replaces.
func cellWorkbook(t testing.TB) []byte {
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetRow("Sheet1", "A1", &[]any{"Donor ID", "Gift Date", "Amount"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"D1", 45300, 5})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cellSheet returns the workbook tmpl with a sheet whose data row holds s
// in the date and amount cells, as a number (<v>) or as inline text.
func cellSheet(t testing.TB, tmpl []byte, s string, asNumber bool) []byte {
	var esc bytes.Buffer
	xml.EscapeText(&esc, []byte(s))
	cell := func(ref string) string {
		if asNumber {
			return `<c r="` + ref + `"><v>` + esc.String() + `</v></c>`
		}
		return `<c r="` + ref + `" t="inlineStr"><is><t>` + esc.String() + `</t></is></c>`
	}
	sheet := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>Donor ID</t></is></c><c r="B1" t="inlineStr"><is><t>Gift Date</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>Amount</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>D1</t></is></c>` + cell("B2") + cell("C2") + `</row>` +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>D2</t></is></c><c r="B3"><v>45300</v></c>` + cell("C3") + `</row>` +
		`</sheetData></worksheet>`
	zr, err := zip.NewReader(bytes.NewReader(tmpl), int64(len(tmpl)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, sheet)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
