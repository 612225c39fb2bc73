package ingest

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"steward"
)

// reNXTWorkbook builds a Raiser's Edge NXT style report workbook: a summary
// sheet first, then the gift sheet with a merged title, a subtitle, the
// header on row 4, date cells (serial numbers), an id and an amount stored
// as text, float noise, a date typed as text, a formula with its cached
// value, a blank row and a totals row.
func reNXTWorkbook(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Summary"))
	must(f.SetCellValue("Summary", "A1", "Gift summary"))
	must(f.SetCellValue("Summary", "A2", "Total"))
	must(f.SetCellValue("Summary", "B2", 3134.86))
	const sh = "Gifts"
	if _, err := f.NewSheet(sh); err != nil {
		t.Fatal(err)
	}
	must(f.SetCellValue(sh, "A1", "Gift Detail Report"))
	must(f.MergeCell(sh, "A1", "H1"))
	must(f.SetCellValue(sh, "A2", "Date range: 1/1/2024 - 3/31/2024"))
	must(f.SetSheetRow(sh, "A4", &[]any{"Constituent ID", "Name", "Gift Date", "Gift Amount", "Gift Type",
		"Acknowledgement Date", "Acknowledgement Status", "Fund"}))
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	must(f.SetSheetRow(sh, "A5", &[]any{1001, "Maria Schmidt", day(2024, 1, 31), 1234.56, "Cash", day(2024, 2, 2), "Acknowledged", "Annual Fund"}))
	must(f.SetSheetRow(sh, "A6", &[]any{"1002", "Tom Baker", day(2024, 2, 14), "500.00", "Pledge", nil, "Needs Acknowledgement", "Building"}))
	must(f.SetSheetRow(sh, "A7", &[]any{1003, "Aiko Tanaka", day(2024, 2, 20), 0.1 + 0.2, "Pay-Cash", nil, "Needs Acknowledgement", "Building"}))
	must(f.SetSheetRow(sh, "A8", &[]any{1004, "Ines Duarte", "3/15/2024", "$1,000.00", "Cash", day(2024, 3, 18), "Acknowledged", "Annual Fund"}))
	must(f.SetSheetRow(sh, "A9", &[]any{1005, "Omar Haddad", time.Date(2024, 3, 29, 14, 30, 0, 0, time.UTC), 400, "Cash", nil, nil, "Annual Fund"}))
	must(f.SetCellFormula(sh, "D9", "=200*2"))
	must(f.SetCellValue(sh, "B11", "Total"))
	must(f.SetCellFloat(sh, "D11", 3134.86, 2, 64))
	must(f.SetCellFormula(sh, "D11", "=SUM(D5:D9)"))
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSXRaisersEdge(t *testing.T) {
	src, c, err := read(t, "gifts.xlsx", reNXTWorkbook(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := steward.Source{
		File: "gifts.xlsx", Format: "xlsx", Sheet: "Gifts", HeaderRow: 4,
		Profile: "raisers-edge", Kind: steward.KindGifts,
		Columns: []steward.Column{
			{Field: "contact_id", Header: "Constituent ID"},
			{Field: "gift_date", Header: "Gift Date", Format: "Excel serial + M/D/YYYY"},
			{Field: "amount", Header: "Gift Amount", Format: "1,234.56"},
			{Field: "gift_type", Header: "Gift Type"},
			{Field: "ack_date", Header: "Acknowledgement Date", Format: "Excel serial"},
			{Field: "ack_status", Header: "Acknowledgement Status"},
			{Field: "campaign", Header: "Fund"},
		},
		// Rows 5-9 and the totals row 11; the blank row 10 is not a row.
		Rows: 6, Used: 4,
		Excluded: map[string]int{"gift type Pledge": 1, "totals row": 1},
	}
	if d := cmp.Diff(want, src, ignoreAccounting); d != "" {
		t.Errorf("source (-want +got):\n%s", d)
	}
	wantGifts := []steward.Gift{
		{Contact: "1001", Date: date("2024-01-31"), Amount: 123456, AckDate: date("2024-02-02"),
			AckStatus: steward.AckAcknowledged, Campaign: "Annual Fund", Type: "Cash", Row: 5},
		// 0.1+0.2 is stored as 0.30000000000000004.
		{Contact: "1003", Date: date("2024-02-20"), Amount: 30,
			AckStatus: steward.AckToBeAcknowledged, Campaign: "Building", Type: "Pay-Cash", Row: 7},
		{Contact: "1004", Date: date("2024-03-15"), Amount: 100000, AckDate: date("2024-03-18"),
			AckStatus: steward.AckAcknowledged, Campaign: "Annual Fund", Type: "Cash", Row: 8},
		// The formula's cached value; the time of day is dropped.
		{Contact: "1005", Date: date("2024-03-29"), Amount: 40000, Campaign: "Annual Fund", Type: "Cash", Row: 9},
	}
	if d := cmp.Diff(wantGifts, c.gifts); d != "" {
		t.Errorf("gifts (-want +got):\n%s", d)
	}
}

func TestReadXLSXSheetOption(t *testing.T) {
	_, _, err := read(t, "gifts.xlsx", reNXTWorkbook(t), Options{Sheet: "Nope"})
	const want = `gifts.xlsx: no sheet named "Nope"; the workbook has "Summary", "Gifts"`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	_, _, err = read(t, "gifts.xlsx", reNXTWorkbook(t), Options{Sheet: "summary"})
	if !errorsIs(err, ErrNoHeader) {
		t.Errorf("err = %v, want ErrNoHeader", err)
	}
}

func TestReadXLSXPeople(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"Constituent ID", "Household ID", "Household Size", "Opt-In Date", "Date Added"},
		{"C1", "H1", 3, time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 4, 30, 0, 0, 0, 0, time.UTC)},
		{"C2", "H1", 3, nil, "4/30/2023"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	src, c, err := read(t, "people.xlsx", buf.Bytes(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Household Size holds numbers, which a workbook could read as serial
	// dates: only columns named as dates are stage columns.
	wantCols := []steward.Column{
		{Field: "person_id", Header: "Constituent ID"},
		{Field: "household_id", Header: "Household ID"},
		{Field: "created_date", Header: "Date Added", Format: "Excel serial + M/D/YYYY"},
		{Field: "stage_column", Header: "Opt-In Date", Format: "Excel serial"},
	}
	if d := cmp.Diff(wantCols, src.Columns); d != "" {
		t.Errorf("columns (-want +got):\n%s", d)
	}
	wantPeople := []steward.Person{
		{ID: "C1", Household: "H1", Created: date("2023-04-30"), Row: 2},
		{ID: "C2", Household: "H1", Created: date("2023-04-30"), Row: 3},
	}
	if d := cmp.Diff(wantPeople, c.people); d != "" {
		t.Errorf("people (-want +got):\n%s", d)
	}
	wantEvents := []steward.Event{{Person: "C1", Name: "Opt-In Date", Date: date("2023-05-01"), Row: 2}}
	if d := cmp.Diff(wantEvents, c.events); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

func TestReadEncryptedXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "Donor ID"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, excelize.Options{Password: "secret"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), magicOLE) {
		t.Fatalf("excelize did not write an OLE2 file")
	}
	_, _, err := read(t, "locked.xlsx", buf.Bytes(), Options{})
	if !errorsIs(err, ErrEncrypted) {
		t.Errorf("err = %v, want ErrEncrypted", err)
	}
}

func TestReadXLSXUnusableSheet(t *testing.T) {
	// A lookup sheet before the data: the data sheet is read. Alone, the
	// lookup sheet is read with every row excluded.
	book := func(sheets ...string) []byte {
		f := excelize.NewFile()
		defer f.Close()
		data := map[string][][]any{
			"Campaigns": {{"Id", "Name"}, {"CMP-1", "Gala"}},
			"Gifts":     {{"Donor ID", "Gift Date", "Amount"}, {"D1", "2024-01-02", 5}},
		}
		for i, s := range sheets {
			if i == 0 {
				f.SetSheetName("Sheet1", s)
			} else if _, err := f.NewSheet(s); err != nil {
				t.Fatal(err)
			}
			for j, r := range data[s] {
				cell, _ := excelize.CoordinatesToCellName(1, j+1)
				if err := f.SetSheetRow(s, cell, &r); err != nil {
					t.Fatal(err)
				}
			}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	src, c, err := read(t, "two.xlsx", book("Campaigns", "Gifts"), Options{})
	if err != nil || src.Sheet != "Gifts" || src.Kind != steward.KindGifts || len(c.gifts) != 1 {
		t.Errorf("err %v, got %+v", err, src)
	}
	src, _, err = read(t, "lookup.xlsx", book("Campaigns"), Options{})
	if err != nil || src.Sheet != "Campaigns" || src.Rows != 1 || src.Excluded[ruleNoDate] != 1 || len(src.Warnings) != 1 {
		t.Errorf("err %v, got %+v", err, src)
	}
}
