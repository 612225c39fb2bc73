//go:build unix

package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/csv"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// hostileTimeout is how long one hostile input may take.
const hostileTimeout = 20 * time.Second

// maxHostileHeap bounds how much the heap may grow while Steward reads one
// hostile input (the zip bomb unpacks to 4 GiB).
const maxHostileHeap = 500 << 20

// TestHostileInputs feeds Steward broken and hostile inputs: each must end
// within seconds, with bounded memory, in one line on stderr that names the
// file and says what to do, and the right exit code (1 data, 2 usage); or,
// for hostile text in a good file, in a report where the text is inert.
func TestHostileInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 4 MB zip bomb and a 10 MB field")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(name string, b []byte) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	const header = "Donor ID,Gift Date,Amount\n"
	good := header + "1,2024-01-05,10\n2,2024-02-05,20\n"
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 8192)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	garbage[0], garbage[100], garbage[4000] = 0, 0, 0

	xlsx := goodWorkbook(t)
	write("truncated.xlsx", xlsx[:len(xlsx)/2])
	write("bomb.xlsx", zipBomb(t, xlsx, 4<<30))
	write("bomb512.xlsx", zipBomb(t, xlsx, 512<<20))
	write("strings.xlsx", sharedStringsBomb(t, xlsx))
	write("encrypted.xlsx", encryptedWorkbook(t))
	write("old.xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 1024)...))
	write("notabook.xlsx", zipOf(t, "gifts.csv", good))
	write("empty.csv", nil)
	write("header.csv", []byte(header))
	write("garbage.csv", garbage)
	write("semicolon.csv", []byte(strings.ReplaceAll(good, ",", ";")))
	write("semicolon.yaml", []byte("files:\n  - path: semicolon.csv\n    delimiter: \",\"\n"))
	write("unknown.csv", []byte("Foo,Bar,Baz\n1,2,3\n4,5,6\n"))
	write("bigfield.csv", []byte(header+"1,2024-01-05,\""+strings.Repeat("9", 10<<20)+"\"\n"))
	write("unclosed.csv", []byte(header+"1,2024-01-05,\"10\n"+strings.Repeat("2,2024-01-06,20\n", 1200000)))
	write("widerow.csv", []byte(header+"1,2024-01-05,10"+strings.Repeat(",x", 1000000)+"\n"))
	write("ambiguous.csv", []byte(header+"1,01/02/2024,10\n2,03/04/2024,20\n3,03/04/2024,5\n4,11/12/2023,5\n"))
	write("footer.csv", []byte("Grand Totals (3 records)\n\nConfidential Information - Do Not Distribute\nCopyright (c) 2000-2025 salesforce.com, inc. All rights reserved.\n"))
	write("utf16.csv", utf16LE(good))
	write("lonecr.csv", []byte(strings.ReplaceAll(good, "\n", "\r")))
	if err := os.Mkdir("folder.csv", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo("pipe.csv", 0o644); err != nil {
		t.Fatal(err)
	}
	write("secret.csv", []byte(good))
	if err := os.Chmod("secret.csv", 0); err != nil {
		t.Fatal(err)
	}
	_, errRead := os.ReadFile("secret.csv") // root reads it anyway
	write("typo.yaml", []byte("organisation:\n  nmae: Friends of the Park\n"))
	write("laughs.yaml", []byte(billionLaughs))
	write("gifts.csv", []byte(good))
	write("hostile.csv", []byte(hostileGifts()))
	write("hostile.yaml", []byte("organisation:\n  name: \"</script><script>alert(1)</script>\"\n"))

	tests := []struct {
		name string
		args []string // after "steward build"
		code int
		msg  string // the one line on stderr; "" for none
	}{
		{"zip bomb", []string{"bomb.xlsx"}, exitData,
			`bomb.xlsx: the workbook is too large: it unpacks to more than 1024 MiB (a zip bomb?); save the sheet as CSV (File > Save As > CSV UTF-8) and read that`},
		{"zip bomb under the size limit", []string{"bomb512.xlsx"}, exitData,
			`bomb512.xlsx: the workbook is too large: xl/worksheets/sheet1.xml unpacks to 496 MiB from 494 KiB (a zip bomb?); save the sheet as CSV (File > Save As > CSV UTF-8) and read that`},
		{"shared strings bomb", []string{"strings.xlsx"}, exitData,
			`strings.xlsx: the workbook is too large: xl/sharedStrings.xml unpacks to 16 MiB from 39 KiB (a zip bomb?); save the sheet as CSV (File > Save As > CSV UTF-8) and read that`},
		{"truncated xlsx", []string{"truncated.xlsx"}, exitData,
			`truncated.xlsx: the workbook is damaged or incomplete (zip: not a valid zip file); open it in Excel or LibreOffice and save it again, or export it again`},
		{"encrypted xlsx", []string{"encrypted.xlsx"}, exitData,
			`encrypted.xlsx: this workbook is password-protected; open it, remove the password (File > Info > Protect Workbook) and save it again`},
		{"legacy xls", []string{"old.xls"}, exitData,
			`old.xls: this is a legacy Excel 97-2003 .xls workbook; open it in Excel or LibreOffice and save it as .xlsx or .csv`},
		{"zip that is not a workbook", []string{"notabook.xlsx"}, exitData,
			`notabook.xlsx: this zip file is not an XLSX workbook; unzip it and read the CSV or XLSX files inside`},
		{"empty file", []string{"empty.csv"}, exitData,
			`empty.csv: the file is empty; export the data again from the CRM`},
		{"header only", []string{"header.csv"}, exitData,
			`header.csv: row 1: the file is empty: there are no data rows below the header; check the export's filters and export it again`},
		{"binary garbage", []string{"garbage.csv"}, exitData,
			`garbage.csv: this is not a CSV or XLSX file (it holds binary data); export the data from the CRM as CSV or XLSX`},
		{"wrong delimiter", []string{"--config", "semicolon.yaml"}, exitData,
			`semicolon.csv: no header row with known columns was found: the file looks ';'-separated but the delimiter is set to ','; fix or remove delimiter: in the config file`},
		{"unknown columns", []string{"unknown.csv"}, exitData,
			`unknown.csv: no header row with known columns was found: looked at the first 30 rows; name the columns in the config file under columns: (donor_id, gift_date, amount, ...)`},
		{"10 MB field", []string{"bigfield.csv"}, exitData,
			`bigfield.csv: row 2, column "Amount": a field is too long: 10485760 bytes, the limit is 1048576; look for an unclosed quote there, or shorten the field and export again`},
		{"unclosed quote", []string{"unclosed.csv"}, exitData,
			`unclosed.csv: a row is too long: the record after row 1 runs past 16 MiB; look for an unclosed quote there, or check that this is a CSV file`},
		{"a million fields", []string{"widerow.csv"}, exitData,
			`widerow.csv: row 2: a row is too long: 1000003 fields, the limit is 10000; check the delimiter, or export only the columns Steward needs`},
		{"ambiguous dates", []string{"ambiguous.csv"}, exitData,
			`ambiguous.csv: column "Gift Date": the date column is ambiguous: "01/02/2024", "03/04/2024" and "11/12/2023" could be day/month or month/day; set date_format: DD/MM/YYYY or MM/DD/YYYY`},
		{"footer rows only", []string{"footer.csv"}, exitData,
			`footer.csv: no header row with known columns was found: looked at the first 30 rows; name the columns in the config file under columns: (donor_id, gift_date, amount, ...)`},
		{"utf-16 without BOM", []string{"utf16.csv"}, exitOK, ""},
		{"lone CR line breaks", []string{"lonecr.csv"}, exitOK, ""},
		{"a folder", []string{"folder.csv"}, exitUsage,
			`folder.csv is a folder with no .csv, .tsv, .txt or .xlsx files in it; name the export files to read`},
		{"a device", []string{"/dev/zero"}, exitUsage,
			`/dev/zero is not a regular file (a device or a pipe); name an export file`},
		{"a named pipe", []string{"pipe.csv"}, exitUsage,
			`pipe.csv is not a regular file (a device or a pipe); name an export file`},
		{"no such file", []string{"missing.csv"}, exitData,
			`missing.csv: no such file; check the name and the folder`},
		{"unreadable file", []string{"secret.csv"}, exitData,
			`secret.csv: permission denied; make the file readable (or copy it) and run again`},
		{"config with unknown key", []string{"--config", "typo.yaml", "gifts.csv"}, exitUsage,
			`typo.yaml: line 2: unknown key nmae; check its spelling and indentation (steward init writes a commented config)`},
		{"config YAML bomb", []string{"--config", "laughs.yaml", "gifts.csv"}, exitUsage,
			`laughs.yaml: line 4: found a list where a single value belongs; check the value and its indentation (and 71 more problems)`},
		{"formula and script in campaigns", []string{"hostile.csv"}, exitOK, ""},
		{"script in the organisation name", []string{"--config", "hostile.yaml", "hostile.csv"}, exitOK, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "unreadable file" && errRead == nil {
				t.Skip("this user reads a chmod 000 file anyway (root)")
			}
			out := fmt.Sprintf("out%d", i)
			args := append([]string{"steward", "build", "--quiet", "--out", out}, tt.args...)
			var stdout, stderr bytes.Buffer
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			done := make(chan int, 1)
			go func() { done <- Main(args, &stdout, &stderr) }()
			var code int
			select {
			case code = <-done:
			case <-time.After(hostileTimeout):
				t.Fatalf("steward %s did not finish within %v", strings.Join(tt.args, " "), hostileTimeout)
			}
			runtime.ReadMemStats(&after)
			if grew := int64(after.HeapSys) - int64(before.HeapSys); grew > maxHostileHeap {
				t.Errorf("the heap grew by %d MiB", grew>>20)
			}
			want := ""
			if tt.msg != "" {
				want = "steward: " + tt.msg + "\n"
			}
			if code != tt.code || stderr.String() != want {
				t.Errorf("exit code %d, stderr:\n%s\nwant exit code %d, stderr:\n%s", code, stderr.String(), tt.code, want)
			}
			if tt.code == exitOK && code == exitOK {
				checkInert(t, out)
			}
		})
	}
}

// checkInert checks that no file of a report carries hostile text in a
// live form: HTML escapes it, CSV cells that a spreadsheet would run as a
// formula start with ', and XLSX cells are never formulas.
func checkInert(t *testing.T, dir string) {
	t.Helper()
	seen := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("HYPERLINK")) {
			seen++
		}
		switch filepath.Ext(path) {
		case ".html", ".js", ".json":
			if bytes.Contains(bytes.ToLower(b), []byte("<script>alert")) {
				t.Errorf("%s: a campaign name became a live script", path)
			}
		case ".csv":
			recs, err := csvAll(b)
			if err != nil {
				t.Errorf("%s: %v", path, err)
			}
			for _, rec := range recs {
				for _, c := range rec {
					if c != "" && strings.ContainsRune("=+@\t\r", rune(c[0])) || strings.HasPrefix(c, "-") && !isNumber(c) {
						t.Errorf("%s: cell %q would run as a formula in a spreadsheet", path, c)
					}
				}
			}
		case ".xlsx":
			checkWorkbookInert(t, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen == 0 && filepath.Base(dir) != "" && hostileExpected(dir) {
		t.Errorf("%s: no file shows the hostile campaign names at all; the check proves nothing", dir)
	}
}

// hostileExpected reports whether the report in dir was built from
// hostile.csv (the UTF-16 and lone-CR cases have no campaigns).
func hostileExpected(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "tables", "sources.csv"))
	return err == nil && bytes.Contains(b, []byte("hostile.csv"))
}

func checkWorkbookInert(t *testing.T, path string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Errorf("%s: %s: %v", path, sheet, err)
			continue
		}
		for r, row := range rows {
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
					t.Errorf("%s: %s!%s is a formula: %q", path, sheet, cell, fm)
				}
			}
		}
	}
}

func csvAll(b []byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

func isNumber(s string) bool {
	_, err := fmt.Sscanf(s, "%g", new(float64))
	return err == nil && !strings.ContainsAny(s, "=+@(")
}

// hostileGifts is a gifts file whose campaigns are a spreadsheet formula
// and a script, with thank-you dates so that the campaigns show in the
// thank-you tables.
func hostileGifts() string {
	campaigns := []string{`=HYPERLINK("http://x","y")`, `</script><script>alert(1)</script>`, `+1+2`, `@SUM(A1)`, `-2+3`}
	var b strings.Builder
	b.WriteString("Donor ID,Gift Date,Amount,Campaign,Thank-you Date\n")
	for i := range 400 {
		c := strings.ReplaceAll(campaigns[i%len(campaigns)], `"`, `""`)
		y, m, d := 2022+i%3, 1+i%9, 10+i%9
		fmt.Fprintf(&b, "D%d,%d-%02d-%02d,%d,\"%s\",%d-%02d-%02d\n", i%90, y, m, d, 10+i, c, y, m, d+10)
	}
	return b.String()
}

// billionLaughs nests YAML aliases nine deep (9^9 strings if expanded).
const billionLaughs = `funnels:
  - name: x
    stages:
      - {name: a, events: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]}
      - {name: b, events: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]}
      - {name: c, events: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]}
      - {name: d, events: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]}
      - {name: e, events: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]}
      - {name: f, events: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]}
      - {name: g, events: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]}
      - {name: h, events: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]}
      - {name: i, events: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]}
`

func utf16LE(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s { // ASCII only
		b = append(b, byte(r), 0)
	}
	return b
}

// goodWorkbook is a small valid gifts workbook made with excelize.
func goodWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{{"Donor ID", "Gift Date", "Amount", "Campaign"}}
	for i := range 200 {
		rows = append(rows, []any{fmt.Sprintf("D%d", i), 45300 + i, 10 + i, "Spring appeal"})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encryptedWorkbook is a password-protected workbook (an OLE2 file with
// EncryptionInfo and EncryptedPackage streams).
func encryptedWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetCellValue("Sheet1", "A1", "Donor ID")
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf, excelize.Options{Password: "secret"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xD0\xCF\x11\xE0")) {
		t.Fatal("excelize did not write an encrypted workbook")
	}
	return buf.Bytes()
}

// zipBomb copies the workbook xlsx but makes its sheet1.xml unpack to
// about size bytes: a header row, then spaces. It deflates one chunk of
// spaces once and repeats the compressed bytes, so the test stays fast;
// each chunk ends in a sync flush and refers only to itself, so the
// stream is valid.
func zipBomb(t *testing.T, xlsx []byte, size int64) []byte {
	t.Helper()
	head := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>Donor ID</t></is></c><c r="B1" t="inlineStr"><is><t>Gift Date</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>Amount</t></is></c></row>`)
	return bombPart(t, xlsx, "xl/worksheets/sheet1.xml", head, []byte(" "), []byte(`</sheetData></worksheet>`), size)
}

// sharedStringsBomb makes the workbook's shared strings a million tiny
// strings, which excelize would index in memory.
func sharedStringsBomb(t *testing.T, xlsx []byte) []byte {
	t.Helper()
	head := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	return bombPart(t, xlsx, "xl/sharedStrings.xml", head, []byte(`<si><t>a</t></si>`), []byte(`</sst>`), 16<<20)
}

// bombPart copies the workbook xlsx with its part name replaced by head,
// unit repeated to about size bytes, and tail.
func bombPart(t *testing.T, xlsx []byte, name string, head, unit, tail []byte, size int64) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	deflate := func(b []byte, final bool) []byte {
		var out bytes.Buffer
		w, _ := flate.NewWriter(&out, flate.BestCompression)
		w.Write(b)
		if final {
			w.Close()
		} else {
			w.Flush()
		}
		return out.Bytes()
	}
	chunk := bytes.Repeat(unit, min(16<<20, int(size))/len(unit))
	n := max(1, (size-int64(len(head)+len(tail)))/int64(len(chunk)))

	crc := crc32.NewIEEE()
	crc.Write(head)
	for range n {
		crc.Write(chunk)
	}
	crc.Write(tail)
	var data bytes.Buffer
	data.Write(deflate(head, false))
	dc := deflate(chunk, false)
	for range n {
		data.Write(dc)
	}
	data.Write(deflate(tail, true))

	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		if f.Name != name {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		found = true
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64:   uint64(data.Len()),
			UncompressedSize64: uint64(int64(len(head)+len(tail)) + n*int64(len(chunk))),
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data.Bytes())
	}
	if !found {
		t.Fatalf("the workbook has no %s", name)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	// The bomb is real: its sheet inflates to the header, then spaces.
	zr, err = zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			got := make([]byte, len(head)+len(chunk))
			if _, err := io.ReadFull(rc, got); err != nil {
				t.Fatalf("the zip bomb does not inflate: %v", err)
			}
			rc.Close()
			if !bytes.Equal(got[:len(head)], head) || !bytes.Equal(got[len(head):], chunk) {
				t.Fatal("the zip bomb inflates to the wrong text")
			}
		}
	}
	return out.Bytes()
}

func zipOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, _ := zw.Create(name)
	io.WriteString(w, content)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
