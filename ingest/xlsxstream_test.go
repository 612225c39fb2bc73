package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// sheetRow is one row as a rowReader yields it.
type sheetRow struct {
	Row   int
	Cells []string
}

// excelizeRows reads a sheet with excelize's Rows iterator and raw values,
// numbering rows as the old reader did: the reference for the scanner.
func excelizeRows(t testing.TB, data []byte, sheet string) ([]sheetRow, error) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("excelize: %v", err)
	}
	defer f.Close()
	rows, err := f.Rows(sheet)
	if err != nil {
		t.Fatalf("excelize: %v", err)
	}
	defer rows.Close()
	var out []sheetRow
	for n := 1; rows.Next(); n++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return out, err
		}
		out = append(out, sheetRow{n, cols})
	}
	return out, rows.Error()
}

// streamRows reads a sheet with the scanner.
func streamRows(t testing.TB, data []byte, sheet string) ([]sheetRow, error) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	book, err := openXLSXBook(zr)
	if err != nil {
		return nil, err
	}
	var names []string
	rr, err := book.rows(sheet, defaultMaxField, &names)
	if err != nil {
		return nil, err
	}
	defer rr.close()
	var out []sheetRow
	for {
		rec, row, err := rr.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, sheetRow{row, append([]string(nil), rec...)})
	}
}

// compareRows checks that the scanner reads sheet as excelize does.
func compareRows(t *testing.T, data []byte, sheet string) []sheetRow {
	t.Helper()
	want, werr := excelizeRows(t, data, sheet)
	got, gerr := streamRows(t, data, sheet)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("errors differ: excelize %v, scanner %v", werr, gerr)
	}
	if werr != nil {
		return got
	}
	empty := func(a, b []string) bool { return len(a) == 0 && len(b) == 0 }
	if d := cmp.Diff(want, got, cmp.FilterValues(empty, cmp.Ignore())); d != "" {
		t.Fatalf("rows (-excelize +scanner):\n%s", d)
	}
	return got
}

// rawWorkbook builds a workbook from XML parts: the sheet (named "Data"),
// the shared strings (none when ""), and whether dates count from 1904.
func rawWorkbook(t testing.TB, sheet, sst string, date1904 bool) []byte {
	t.Helper()
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	pr := ""
	if date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook ` + ns + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			pr + `<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<worksheet ` + ns + `><sheetData>` + sheet + `</sheetData></worksheet>`},
	}
	if sst != "" {
		parts = append(parts, struct{ name, body string }{"xl/sharedStrings.xml",
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<sst ` + ns + `>` + sst + `</sst>`})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSXStreamMatchesExcelize(t *testing.T) {
	sst := `<si><t>Donor ID</t></si>` +
		`<si><t xml:space="preserve">  Gift &amp; Date &lt;1&gt; &quot;q&quot; &apos;a&apos; </t></si>` +
		`<si><r><rPr><b/></rPr><t>Rich</t></r><r><t xml:space="preserve"> text</t></r><rPh sb="0" eb="1"><t>phonetic</t></rPh></si>` +
		`<si><t>caf&#233; &#x263A; line&#13;&#10;two` + "\r\n" + `three</t></si>` +
		`<si><t/></si>` +
		`<si></si>` +
		`<si><t>esc _x000D_ _x005F_x0041_ _xD800_ _x0041_</t></si>` +
		`<si><t><![CDATA[<raw> & ]]>cd</t></si>` +
		`<si><t>first</t><r><t>run</t></r></si>` +
		`<si><!-- note --><t>com<?pi x?>mented</t></si>`
	cases := []struct{ name, sheet, sst string }{
		{"shared strings", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>` +
			`<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>5</v></c><c r="D2" t="s"><v>6</v></c></row>` +
			`<row r="3"><c r="A3" t="s"><v>7</v></c><c r="B3" t="s"><v> 8 </v></c><c r="C3" t="s"><v>9</v></c><c r="E3" t="s"><v></v></c><c r="F3" t="s"/></row>`, sst},
		{"inline strings", `<row r="1"><c r="A1" t="inlineStr"><is><t>Donor &amp; ID</t></is></c><c r="B1" t="inlineStr"><is><r><t>a</t></r><r><rPr/><t xml:space="preserve"> b </t></r></is></c>` +
			`<c r="C1" t="inlineStr"><v>fallback</v></c><c r="D1" t="inlineStr"><is/></c><c r="E1" t="inlineStr"><is><t></t></is></c><c r="F1" t="inlineStr"><is><t>_x0009_tab</t></is></c></row>`, ""},
		{"formulas", `<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="C1"><f>A1+B1</f><v>3</v></c><c r="D1" t="str"><f>"x"&amp;"y"</f><v>xy</v></c>` +
			`<c r="E1"><f>NOW()</f></c><c r="F1"><f t="shared" ref="F1:F2" si="0"/><v>0.30000000000000004</v></c><c r="G1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>` +
			`<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="d"><v>2024-01-31T00:00:00Z</v></c><c r="C2"><v>45322.5</v></c><c r="D2"><v>1E+3</v></c><c r="E2" t="n"><v>-0</v></c><c r="F2"><f/></c></row>`, sst},
		{"sparse", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="Z1"><v>26</v></c></row><row r="4"><c r="C4"><v>3</v></c></row>` +
			`<row r="5" spans="1:3"><c r="A5" s="1"/><c r="B5" s="2"></c></row><row r="6"/><row r="10"><c r="$B$10"><v>x</v></c><c r="aa10"><v>y</v></c></row>`, sst},
		{"no references", `<row><c t="s"><v>0</v></c><c/><c><v>3</v></c></row><row><c><v>1</v></c></row><row r="7"><c><v>7</v></c><c r="E7"><v>e</v></c><c><v>f</v></c></row><row><c><v>8</v></c></row>`, sst},
		{"out of order", `<row r="1"><c r="C1"><v>c</v></c><c r="A1"><v>a</v></c></row><row r="3"><c r="A3"><v>1</v></c></row><row r="3"><c r="B3"><v>2</v></c></row><row r="2"><c r="A2"><v>x</v></c></row><row r="9"><c><v>9</v></c></row>`, sst},
		{"markup", `<!-- c --><?pi?><row r="1"><c r="A1" t = 's' ><v>0</v></c><c r="B1"><v><![CDATA[12]]></v></c><c r="C1"><v>1<!-- x -->2</v></c>` + "\n\t" +
			`<c r="D1"><extLst><v>9</v></extLst></c><c r="E1"><v>a</v><v>b</v></c><c r="F1" t="str"><v>a` + "\r\n" + `b` + "\r" + `c</v></c></row>`, sst},
		{"title rows", `<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Date range</t></is></c></row>` +
			`<row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4" t="s"><v>1</v></c></row><row r="5"><c r="A5"><v>1001</v></c><c r="B5"><v>45322</v></c></row>`, sst},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			compareRows(t, rawWorkbook(t, c.sheet, c.sst, false), "Data")
		})
	}
}

// TestXLSXStreamPrefixed reads a sheet written with a namespace prefix, as
// the Open XML SDK writes them.
func TestXLSXStreamPrefixed(t *testing.T) {
	sheet := `<x:row r="1" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="A1" t="inlineStr"><x:is><x:t>Donor ID</x:t></x:is></x:c><x:c r="B1"><x:v>5</x:v></x:c></x:row>`
	got := compareRows(t, rawWorkbook(t, sheet, "", false), "Data")
	want := []sheetRow{{1, []string{"Donor ID", "5"}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestXLSXStreamHugeRow(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<row r="1">`)
	for i := 1; i <= 9000; i++ {
		ref, _ := excelize.CoordinatesToCellName(i, 1)
		if i%3 == 0 {
			fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>cell %d</t></is></c>`, ref, i)
		} else if i%3 == 1 {
			fmt.Fprintf(&b, `<c r="%s"><v>%d.5</v></c>`, ref, i)
		}
	}
	b.WriteString(`</row><row r="2"><c r="A2"><v>1</v></c></row>`)
	got := compareRows(t, rawWorkbook(t, b.String(), "", false), "Data")
	if len(got) != 2 || len(got[0].Cells) != 9000 {
		t.Fatalf("got %d rows", len(got))
	}
}

// TestXLSXStreamExcelizeWorkbooks compares on workbooks that excelize
// writes: shared strings, rich text, merged titles, dates, formulas.
func TestXLSXStreamExcelizeWorkbooks(t *testing.T) {
	compareRows(t, reNXTWorkbook(t), "Gifts")
	compareRows(t, reNXTWorkbook(t), "Summary")

	f := excelize.NewFile()
	defer f.Close()
	rng := rand.New(rand.NewPCG(7, 7))
	words := []string{"Annual Fund", "Gala & Dinner", "<b>", `"quoted"`, "café", "tab\there", "line\nbreak", " padded ", "_x0041_", "", "1e3", "00123"}
	for r := 1; r <= 300; r++ {
		if rng.IntN(10) == 0 {
			continue // an empty row
		}
		for c := 1; c <= 12; c++ {
			cell, _ := excelize.CoordinatesToCellName(c, r)
			switch rng.IntN(8) {
			case 0:
				continue
			case 1:
				f.SetCellValue("Sheet1", cell, rng.Float64()*1e4)
			case 2:
				f.SetCellValue("Sheet1", cell, rng.IntN(100000))
			case 3:
				f.SetCellValue("Sheet1", cell, time.Date(2000+rng.IntN(25), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC))
			case 4:
				f.SetCellRichText("Sheet1", cell, []excelize.RichTextRun{{Text: words[rng.IntN(len(words))]}, {Text: " & more", Font: &excelize.Font{Bold: true}}})
			case 5:
				f.SetCellBool("Sheet1", cell, rng.IntN(2) == 0)
			default:
				f.SetCellValue("Sheet1", cell, words[rng.IntN(len(words))])
			}
		}
	}
	f.MergeCell("Sheet1", "A1", "D1")
	f.SetCellFormula("Sheet1", "M5", "=SUM(A1:A4)")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	compareRows(t, buf.Bytes(), "Sheet1")

	// A stream-written sheet (inline strings), with 1904 dates.
	g := excelize.NewFile()
	defer g.Close()
	g.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: boolPtr(true)})
	sw, err := g.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"Donor ID", "Gift Date", "Amount"})
	for r := 2; r <= 500; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		sw.SetRow(cell, []any{fmt.Sprintf("D%d & co", r%37), 40000 + r, excelize.Cell{Formula: "=1+1", Value: 2}, float64(r) / 3})
	}
	sw.Flush()
	buf.Reset()
	if err := g.Write(&buf); err != nil {
		t.Fatal(err)
	}
	compareRows(t, buf.Bytes(), "Sheet1")
	src, c, err := read(t, "stream.xlsx", buf.Bytes(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Rows != 499 || len(c.gifts) != 499 {
		t.Fatalf("%d rows, %d gifts", src.Rows, len(c.gifts))
	}
	// 40002 days after 1904-01-01.
	if got := c.gifts[0].Date; got != date("2013-07-09") {
		t.Errorf("date1904: first gift on %v", got)
	}
}

// TestXLSXStreamLarge compares on a sheet large enough to be unpacked
// ahead on another goroutine, read twice (as a first pass does).
func TestXLSXStreamLarge(t *testing.T) {
	var sheet, sst strings.Builder
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&sst, `<si><t>Fund %d &amp; co</t></si>`, i)
	}
	for r := 1; r <= 30000; r++ {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d"><v>%d.5</v></c><c r="D%d" t="inlineStr"><is><t>D%d</t></is></c></row>`,
			r, r, r%500, r, r, r, r%97)
	}
	data := rawWorkbook(t, sheet.String(), sst.String(), false)
	compareRows(t, data, "Data")
	// Abandoned early: Close stops the goroutine.
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	book, err := openXLSXBook(zr)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		rr, err := book.open("Data", defaultMaxField, new([]string))
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 10*i; j++ {
			if _, _, err := rr.next(); err != nil {
				t.Fatal(err)
			}
		}
		rr.close()
	}
}

func boolPtr(b bool) *bool { return &b }

// TestXLSXStreamRandom compares on random sheets mixing every feature.
func TestXLSXStreamRandom(t *testing.T) {
	for seed := uint64(1); seed <= 60; seed++ {
		sheet, sst := randomSheet(rand.New(rand.NewPCG(seed, 1)))
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			compareRows(t, rawWorkbook(t, sheet, sst, seed%2 == 0), "Data")
		})
	}
}

func randomSheet(rng *rand.Rand) (sheet, sst string) {
	texts := []string{"a", "Gift &amp; Co", "&lt;x&gt;", "&#233;t&#xE9;", " sp ", "_x000A_", "", "<![CDATA[c&d]]>", "x\r\ny", "1.5"}
	var s strings.Builder
	nsst := 1 + rng.IntN(20)
	for i := 0; i < nsst; i++ {
		switch rng.IntN(4) {
		case 0:
			fmt.Fprintf(&s, `<si><r><t>%s</t></r><r><rPr><i/></rPr><t xml:space="preserve">%s</t></r></si>`, texts[rng.IntN(len(texts))], texts[rng.IntN(len(texts))])
		case 1:
			s.WriteString(`<si><t/></si>`)
		default:
			fmt.Fprintf(&s, `<si><t>%s</t></si>`, texts[rng.IntN(len(texts))])
		}
	}
	sst = s.String()
	var b strings.Builder
	row := 0
	for n := rng.IntN(40); n > 0; n-- {
		row += 1 + rng.IntN(3)
		if rng.IntN(5) == 0 {
			b.WriteString(`<row>`)
			row = row - 1 + 1
		} else {
			fmt.Fprintf(&b, `<row r="%d">`, row)
		}
		col := 0
		for m := rng.IntN(12); m > 0; m-- {
			col += 1 + rng.IntN(3)
			ref := ""
			if rng.IntN(4) != 0 {
				name, _ := excelize.CoordinatesToCellName(col, max(row, 1))
				ref = ` r="` + name + `"`
			}
			switch rng.IntN(9) {
			case 0:
				fmt.Fprintf(&b, `<c%s t="s"><v>%d</v></c>`, ref, rng.IntN(nsst))
			case 1:
				fmt.Fprintf(&b, `<c%s t="inlineStr"><is><t>%s</t></is></c>`, ref, texts[rng.IntN(len(texts))])
			case 2:
				fmt.Fprintf(&b, `<c%s><f>A1</f><v>%d</v></c>`, ref, rng.IntN(100))
			case 3:
				fmt.Fprintf(&b, `<c%s><f>A1</f></c>`, ref)
			case 4:
				fmt.Fprintf(&b, `<c%s s="3"/>`, ref)
			case 5:
				fmt.Fprintf(&b, `<c%s t="str"><v>%s</v></c>`, ref, texts[rng.IntN(len(texts))])
			case 6:
				fmt.Fprintf(&b, `<c%s t="b"><v>%d</v></c>`, ref, rng.IntN(2))
			default:
				fmt.Fprintf(&b, `<c%s><v>%g</v></c>`, ref, rng.Float64()*1e5)
			}
		}
		b.WriteString(`</row>`)
	}
	return b.String(), sst
}

func TestXLSXStreamErrors(t *testing.T) {
	cases := []struct{ name, sheet, want string }{
		{"bad shared string index", `<row r="1"><c r="A1" t="s"><v>7</v></c></row>`, "shared strings"},
		{"bad reference", `<row r="1"><c r="1A"><v>1</v></c></row>`, "invalid cell reference"},
		{"too many rows", `<row r="1048577"><c><v>1</v></c></row>`, "row number exceeds maximum limit"},
		{"mismatched tags", `<row r="1"><c r="A1"><v>1</c></row>`, "malformed XML"},
		{"bad entity", `<row r="1"><c r="A1" t="str"><v>&nbsp;</v></c></row>`, "invalid character entity"},
		{"truncated", `<row r="1"><c r="A1"><v>1</v>`, "malformed XML"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := rawWorkbook(t, c.sheet, `<si><t>x</t></si>`, false)
			if c.name == "truncated" {
				data = rawWorkbookRawSheet(t, `<worksheet><sheetData>`+c.sheet)
			}
			_, err := streamRows(t, data, "Data")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			var e *Error
			if !errors.As(err, &e) || !(errors.Is(err, ErrBadWorkbook) || errors.Is(err, ErrTooLarge)) {
				t.Fatalf("err = %#v, want an *Error wrapping ErrBadWorkbook", err)
			}
		})
	}
}

// rawWorkbookRawSheet is rawWorkbook with the whole sheet part given.
func rawWorkbookRawSheet(t testing.TB, sheet string) []byte {
	t.Helper()
	tmpl := rawWorkbook(t, "", "", false)
	zr, err := zip.NewReader(bytes.NewReader(tmpl), int64(len(tmpl)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			zw.Copy(f)
			continue
		}
		w, _ := zw.Create(f.Name)
		io.WriteString(w, sheet)
	}
	zw.Close()
	return out.Bytes()
}

func TestXLSXStreamLongCell(t *testing.T) {
	long := strings.Repeat("x", maxRecordBytes+10)
	data := rawWorkbook(t, `<row r="1"><c r="A1" t="inlineStr"><is><t>`+long+`</t></is></c></row>`, "", false)
	_, err := streamRows(t, data, "Data")
	if !errors.Is(err, ErrRecordTooLong) {
		t.Fatalf("err = %v, want ErrRecordTooLong", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Row != 1 {
		t.Fatalf("err = %#v, want an *Error at row 1", err)
	}
}

// TestXLSXStreamLimit checks that a part is cut off past its limit.
func TestXLSXStreamLimit(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("big.xml")
	w.Write(bytes.Repeat([]byte("<a/>"), 1000))
	zw.Close()
	zr, _ := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	for _, limit := range []int64{4000, 3999, 100} {
		rc, err := openPart(zr.File[0], limit)
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		if limit >= 4000 && (err != nil || n != 4000) {
			t.Errorf("limit %d: %d bytes, %v", limit, n, err)
		}
		if limit < 4000 && !errors.Is(err, ErrTooLarge) {
			t.Errorf("limit %d: %d bytes, %v; want ErrTooLarge", limit, n, err)
		}
	}
}

// FuzzXLSXSheet checks that any worksheet XML is read without a panic and
// with bounded rows, and, when the XML is well-formed, that the scanner's
// rows are excelize's.
func FuzzXLSXSheet(f *testing.F) {
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><r><t>a&amp;b</t></r></is></c></row><row r="3"><c><f>1</f><v>2</v></c></row></sheetData></worksheet>`))
	f.Add([]byte(`<x:worksheet xmlns:x="s"><x:sheetData><x:row><x:c r="$B$2"><x:v>_x0041_</x:v></x:c></x:row></x:sheetData></x:worksheet>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet><!-- <row> --><sheetData><row r="2"><c t="str"><v><![CDATA[<]]></v></c></row></sheetData></worksheet>`))
	f.Add([]byte(`<worksheet><sheetData><row r="1048576"/><row r="-1"><c r="XFD1"/></row></sheetData></worksheet>`))
	f.Fuzz(func(t *testing.T, sheet []byte) {
		sst := &sstTable{arena: "ab", off: []uint32{0, 1, 2}}
		s := newSheetScanner(bytes.NewReader(sheet), sst, 1<<10)
		rows := 0
		for i := 0; ; i++ {
			rec, row, err := s.next()
			if err != nil {
				break
			}
			rows++
			if row != i+1 {
				t.Fatalf("row %d after %d rows", row, i)
			}
			if s.width <= maxFields && len(rec) != s.width {
				t.Fatalf("%d cells, width %d", len(rec), s.width)
			}
			if i > xlsxMaxRows {
				t.Fatalf("more than %d rows", xlsxMaxRows)
			}
		}
		// The reference only for XML that encoding/xml reads in full, and
		// not too many rows for excelize to number.
		if rows > 10000 || !wellFormed(sheet) || bytes.Contains(sheet, []byte("sharedStrings")) {
			return
		}
		data := rawWorkbookRawSheet(t, string(sheet))
		want, werr := excelizeRows(t, data, "Data")
		got, gerr := streamRows(t, data, "Data")
		if werr != nil || gerr != nil {
			return
		}
		empty := func(a, b []string) bool { return len(a) == 0 && len(b) == 0 }
		if d := cmp.Diff(want, got, cmp.FilterValues(empty, cmp.Ignore())); d != "" {
			t.Fatalf("rows (-excelize +scanner):\n%s", d)
		}
	})
}

// wellFormed reports whether encoding/xml reads b to its end without an
// error, in UTF-8.
func wellFormed(b []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// BenchmarkXLSXStream reads a 20,000-row sheet (10 cells a row, inline
// strings and numbers) and shared strings sheet.
func BenchmarkXLSXStream(b *testing.B) {
	for _, shared := range []bool{false, true} {
		var sheet, sst strings.Builder
		for i := 0; i < 1000; i++ {
			fmt.Fprintf(&sst, `<si><t>Campaign &amp; %d</t></si>`, i)
		}
		for r := 1; r <= 20000; r++ {
			fmt.Fprintf(&sheet, `<row r="%d" spans="1:10">`, r)
			for c := 1; c <= 10; c++ {
				ref, _ := excelize.CoordinatesToCellName(c, r)
				switch {
				case c%2 == 0:
					fmt.Fprintf(&sheet, `<c r="%s" s="1"><v>%d.25</v></c>`, ref, r*c)
				case shared:
					fmt.Fprintf(&sheet, `<c r="%s" t="s"><v>%d</v></c>`, ref, (r*c)%1000)
				default:
					fmt.Fprintf(&sheet, `<c r="%s" t="inlineStr"><is><t>Campaign &amp; %d</t></is></c>`, ref, (r*c)%1000)
				}
			}
			sheet.WriteString(`</row>`)
		}
		data := rawWorkbook(b, sheet.String(), sst.String(), false)
		b.Run(fmt.Sprintf("shared=%v", shared), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rows, err := streamRowsCount(data)
				if err != nil || rows != 20000 {
					b.Fatal(rows, err)
				}
			}
		})
	}
}

func streamRowsCount(data []byte) (int, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return 0, err
	}
	book, err := openXLSXBook(zr)
	if err != nil {
		return 0, err
	}
	var names []string
	rr, err := book.rows("Data", defaultMaxField, &names)
	if err != nil {
		return 0, err
	}
	defer rr.close()
	n := 0
	for {
		_, _, err := rr.next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}
