package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/encoding/unicode"

	"steward"
)

// collect is a Sink that keeps copies of everything it is given.
type collect struct {
	gifts  []steward.Gift
	people []steward.Person
	events []steward.Event
}

func (c *collect) Gift(g *steward.Gift)     { c.gifts = append(c.gifts, cloneGift(*g)) }
func (c *collect) Person(p *steward.Person) { c.people = append(c.people, clonePerson(*p)) }
func (c *collect) Event(e *steward.Event)   { c.events = append(c.events, cloneEvent(*e)) }

// read reads data as a file called name.
func read(t testing.TB, name string, data []byte, opt Options) (steward.Source, *collect, error) {
	t.Helper()
	opt.Name = name
	c := &collect{}
	src, err := Read(bytes.NewReader(data), int64(len(data)), opt, c)
	if err == nil {
		checkInvariant(t, src)
	}
	return src, c, err
}

func readFile(t testing.TB, name string, opt Options) (steward.Source, *collect, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return read(t, name, data, opt)
}

// checkInvariant checks Rows = Used + sum(Excluded) + Rejected.
func checkInvariant(t testing.TB, s steward.Source) {
	t.Helper()
	n := s.Used + s.Rejected
	for _, k := range s.Excluded {
		n += k
	}
	if n != s.Rows {
		t.Errorf("%s: Rows = %d but Used %d + Excluded %v + Rejected %d = %d", s.File, s.Rows, s.Used, s.Excluded, s.Rejected, n)
	}
}

func date(s string) steward.Date {
	d, err := steward.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func sum(gs []steward.Gift) steward.Cents {
	var c steward.Cents
	for _, g := range gs {
		c += g.Amount
	}
	return c
}

// ignoreAccounting leaves out the fields that tests check separately.
var ignoreAccounting = cmpopts.IgnoreFields(steward.Source{}, "Rejects", "RejectReasons", "Warnings")

func TestReadNPSPDataLoader(t *testing.T) {
	src, c, err := readFile(t, "npsp-opportunities.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := steward.Source{
		File: "npsp-opportunities.csv", Format: "csv", Encoding: "utf-8", Delimiter: ",",
		HeaderRow: 1, Profile: "npsp", Kind: steward.KindGifts,
		Columns: []steward.Column{
			{Field: "donor_id", Header: "AccountId"},
			{Field: "contact_id", Header: "npsp__Primary_Contact__c"},
			{Field: "gift_date", Header: "CloseDate", Format: "YYYY-MM-DD"},
			{Field: "amount", Header: "Amount", Format: "1,234.56"},
			{Field: "status", Header: "StageName"},
			{Field: "campaign", Header: "CampaignId"},
		},
		Rows: 1517, Used: 1516,
		Excluded: map[string]int{"status Pledged": 1},
	}
	if d := cmp.Diff(want, src, ignoreAccounting); d != "" {
		t.Errorf("source (-want +got):\n%s", d)
	}
	// awk -F, 'NR>1 && $6=="\"Closed Won\"" {s+=$5} END {printf "%.2f\n", s}'
	// on the file gives 1739555.00 (Python's csv module agrees).
	if got := sum(c.gifts); got != 173955500 {
		t.Errorf("sum of Closed Won = %v, want 1739555.00", got)
	}
	wantFirst := steward.Gift{Account: "ACC-00002", Contact: "CON-00894", Date: date("2016-11-25"), Amount: 81100, Row: 2}
	if d := cmp.Diff(wantFirst, c.gifts[0]); d != "" {
		t.Errorf("first gift (-want +got):\n%s", d)
	}
	if last := c.gifts[len(c.gifts)-1]; last.Row != 1518 {
		t.Errorf("last gift row = %d, want 1518", last.Row)
	}
	_ = errors.Is
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func TestReadCiviCRM(t *testing.T) {
	src, c, err := readFile(t, "civicrm-contributions.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := steward.Source{
		File: "civicrm-contributions.csv", Format: "csv", Encoding: "utf-8", Delimiter: ",",
		HeaderRow: 1, Profile: "civicrm", Kind: steward.KindGifts,
		Columns: []steward.Column{
			{Field: "contact_id", Header: "Contact ID"},
			{Field: "gift_date", Header: "Contribution Date", Format: "YYYY-MM-DD HH:MM:SS"},
			{Field: "amount", Header: "Total Amount", Format: "1,234.56"},
			{Field: "currency", Header: "Currency"},
			{Field: "status", Header: "Contribution Status"},
			{Field: "gift_type", Header: "Financial Type"},
			{Field: "ack_date", Header: "Thank-you Date", Format: "YYYY-MM-DD HH:MM:SS"},
			{Field: "campaign", Header: "Campaign"},
			{Field: "payment_method", Header: "Payment Method"},
			{Field: "test", Header: "Test"},
		},
		Rows: 10, Used: 3, Rejected: 2,
		Excluded: map[string]int{
			"status Pending": 1, "status Refunded": 1, "test": 1, "zero amount": 1,
			"status Disputed (not recognised)": 1,
		},
		RejectReasons: map[string]int{"not a date": 1, "not an amount": 1},
		Rejects: []steward.Reject{
			{Row: 8, Column: "Contribution Date", Value: "yesterday", Reason: "not a date"},
			{Row: 10, Column: "Total Amount", Value: "12,3x", Reason: "not an amount"},
		},
		Warnings: []string{`column "Contribution Status": status "Disputed" is not recognised and its rows are excluded; ` +
			`say what it means in the config file under statuses:, e.g. statuses: {"Disputed": qualifying}`},
	}
	if d := cmp.Diff(want, src); d != "" {
		t.Errorf("source (-want +got):\n%s", d)
	}
	wantGifts := []steward.Gift{
		{Contact: "101", Date: date("2024-01-15"), Amount: 12500, Currency: "USD", AckDate: date("2024-01-17"),
			Campaign: "Spring Appeal", Channel: "Credit Card", Type: "Donation", Row: 2},
		{Contact: "103", Date: date("2024-02-10"), Amount: 125000, Currency: "USD", Channel: "EFT", Type: "Member Dues", Row: 4},
		{Contact: "107", Date: date("2024-04-01"), Amount: 4000, Currency: "USD", Campaign: "Gala 2024",
			Channel: "Credit Card", Type: "Event Fee", Row: 9},
	}
	if d := cmp.Diff(wantGifts, c.gifts); d != "" {
		t.Errorf("gifts (-want +got):\n%s", d)
	}

	// ack_field: receipt reads the Receipt Date as the thank-you date;
	// statuses: maps the unknown status.
	src, c, err = readFile(t, "civicrm-contributions.csv", Options{AckField: "receipt", Statuses: map[string]string{"disputed": "Failed"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := src.Excluded["status Disputed"], 1; got != want {
		t.Errorf("excluded %v, want status Disputed: 1", src.Excluded)
	}
	var acks []string
	for _, g := range c.gifts {
		acks = append(acks, g.AckDate.String())
	}
	if d := cmp.Diff([]string{"2024-01-15", "2024-02-10", "2024-04-01"}, acks); d != "" {
		t.Errorf("receipt dates (-want +got):\n%s", d)
	}
}

func TestReadNPSPReport(t *testing.T) {
	src, c, err := readFile(t, "npsp-report.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := steward.Source{
		File: "npsp-report.csv", Format: "csv", Encoding: "utf-8", Delimiter: ",",
		HeaderRow: 1, Profile: "npsp-report", Kind: steward.KindGifts,
		Columns: []steward.Column{
			{Field: "donor_id", Header: "Account ID"},
			{Field: "contact_id", Header: "Primary Contact ID"},
			{Field: "gift_date", Header: "Close Date", Format: "M/D/YYYY"},
			{Field: "amount", Header: "Amount", Format: "1,234.56"},
			{Field: "status", Header: "Stage"},
			// 1/8/2024 and 3/12/2024 read both ways: the order comes from
			// the Close Date column of the same export.
			{Field: "ack_date", Header: "Acknowledgment Date", Format: "MM/DD/YYYY"},
			{Field: "ack_status", Header: "Acknowledgment Status"},
			{Field: "campaign", Header: "Campaign Name"},
			{Field: "payment_method", Header: "Payment Method"},
		},
		// 5 opportunities, the Grand Totals row and two footer lines.
		Rows: 8, Used: 3,
		Excluded: map[string]int{"status Closed Lost": 1, "status Pledged": 1, "totals row": 1, "footer row": 2},
	}
	if d := cmp.Diff(want, src, ignoreAccounting); d != "" {
		t.Errorf("source (-want +got):\n%s", d)
	}
	wantGifts := []steward.Gift{
		{Account: "0015e00000AbCdE", Contact: "0035e00000XyZab", Date: date("2024-01-05"), Amount: 125000,
			AckDate: date("2024-01-08"), AckStatus: steward.AckAcknowledged, Campaign: "Year End 2023", Channel: "Check", Row: 2},
		// Row 2's description spans lines 2-4.
		{Account: "0015e00000FgHiJ", Contact: "0035e00000CdEfg", Date: date("2024-01-15"), Amount: 10000,
			AckStatus: steward.AckToBeAcknowledged, Channel: "Credit Card", Row: 4},
		{Account: "0015e00000AbCdE", Contact: "0035e00000XyZab", Date: date("2024-03-12"), Amount: 7550,
			AckDate: date("2024-03-12"), AckStatus: steward.AckDoNotAcknowledge, Campaign: "Spring 2024", Channel: "Credit Card", Row: 9},
	}
	if d := cmp.Diff(wantGifts, c.gifts); d != "" {
		t.Errorf("gifts (-want +got):\n%s", d)
	}
}

func TestReadEuropean1252(t *testing.T) {
	src, c, err := readFile(t, "european-1252.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Encoding != "windows-1252" || src.Delimiter != ";" || src.Profile != "generic" || src.Used != 4 {
		t.Errorf("encoding %q, delimiter %q, profile %q, used %d; want windows-1252, ;, generic, 4",
			src.Encoding, src.Delimiter, src.Profile, src.Used)
	}
	if got := src.Columns[1].Format + " " + src.Columns[2].Format; got != "D.M.YYYY 1.234,56" {
		t.Errorf("formats %q, want D.M.YYYY 1.234,56", got)
	}
	want := []steward.Gift{
		{Contact: "D-001", Date: date("2024-02-03"), Amount: 123456, Currency: "EUR", Campaign: "Frühjahr", Row: 2},
		{Contact: "D-002", Date: date("2024-03-15"), Amount: 5000, Currency: "EUR", Campaign: "Frühjahr", Row: 3},
		{Contact: "D-003", Date: date("2024-04-01"), Amount: 1250, Currency: "EUR", Row: 4},
		{Contact: "D-001", Date: date("2024-12-31"), Amount: -2000, Currency: "EUR", Refund: true, Campaign: "Frühjahr", Row: 5},
	}
	if d := cmp.Diff(want, c.gifts); d != "" {
		t.Errorf("gifts (-want +got):\n%s", d)
	}
}

func TestReadUTF16Tab(t *testing.T) {
	src, c, err := readFile(t, "re-nxt-utf16.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Encoding != "utf-16le" || src.Delimiter != "\t" || src.Profile != "raisers-edge" ||
		src.Rows != 4 || src.Used != 3 || src.Excluded["gift type Pledge"] != 1 {
		t.Errorf("got %+v", src)
	}
	want := []steward.Gift{
		{Contact: "1001", Date: date("2024-01-31"), Amount: 123456, AckDate: date("2024-02-02"), AckStatus: steward.AckAcknowledged,
			Campaign: "Annual Fund", Channel: "Check", Type: "Cash", Row: 2},
		{Contact: "1003", Date: date("2024-02-20"), Amount: 25000, AckStatus: steward.AckToBeAcknowledged,
			Campaign: "Capital", Channel: "Credit Card", Type: "Pay-Cash", Row: 4},
		{Contact: "1001", Date: date("2024-03-03"), Amount: 5000, AckStatus: steward.AckDoNotAcknowledge,
			Campaign: "Annual Fund", Channel: "Direct Debit", Type: "Recurring Gift Pay-Cash", Row: 5},
	}
	if d := cmp.Diff(want, c.gifts); d != "" {
		t.Errorf("gifts (-want +got):\n%s", d)
	}
}

func TestReadUnknownExport(t *testing.T) {
	src, c, err := readFile(t, "unknown-export.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []steward.Column{
		{Field: "contact_id", Header: "Donor No"},
		{Field: "gift_date", Header: "Donation Date", Format: "D/M/YYYY"},
		{Field: "amount", Header: "Amount", Format: "1,234.56"},
		{Field: "ack_date", Header: "Thank-you Letter Date", Format: "D/M/YYYY"},
		{Field: "campaign", Header: "Fund"},
	}
	if d := cmp.Diff(wantCols, src.Columns); d != "" {
		t.Errorf("columns (-want +got):\n%s", d)
	}
	want := []steward.Gift{
		{Contact: "77", Date: date("2024-01-13"), Amount: 2000, AckDate: date("2024-01-15"), Campaign: "General", Row: 2},
		{Contact: "78", Date: date("2024-02-02"), Amount: 3500, Campaign: "General", Row: 3},
		// No donor: anonymous, still used.
		{Date: date("2024-02-05"), Amount: 1000, Campaign: "General", Row: 4},
	}
	if d := cmp.Diff(want, c.gifts); d != "" {
		t.Errorf("gifts (-want +got):\n%s", d)
	}
}

func TestReadPeople(t *testing.T) {
	src, c, err := readFile(t, "people.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Kind != steward.KindPeople || src.Rows != 4 || src.Used != 3 || src.RejectReasons["no person id"] != 1 {
		t.Errorf("got %+v", src)
	}
	wantPeople := []steward.Person{
		{ID: "C1", Household: "H1", Created: date("2023-01-05"), Row: 2},
		{ID: "C2", Household: "H1", Created: date("2023-02-07"), Row: 3},
		{ID: "C3", Created: date("2023-06-01"), Row: 4},
	}
	if d := cmp.Diff(wantPeople, c.people); d != "" {
		t.Errorf("people (-want +got):\n%s", d)
	}
	// Birthdate and Last Modified Date are not stages.
	wantEvents := []steward.Event{
		{Person: "C1", Name: "Email Opt-In Date", Date: date("2023-01-05"), Row: 2},
		{Person: "C1", Name: "First Workshop Date", Date: date("2023-03-10"), Row: 2},
		{Person: "C2", Name: "First Workshop Date", Date: date("2023-03-10"), Row: 3},
		{Person: "C3", Name: "Email Opt-In Date", Date: date("2023-07-15"), Row: 4},
	}
	if d := cmp.Diff(wantEvents, c.events); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}

	// A date_format does not make every column a stage.
	_, c, err = readFile(t, "people.csv", Options{DateFormat: "YYYY-MM-DD"})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(wantEvents, c.events); d != "" {
		t.Errorf("with date_format: events (-want +got):\n%s", d)
	}

	_, c, err = readFile(t, "people.csv", Options{StageColumns: []string{"first workshop date"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.events) != 2 || c.events[0].Name != "First Workshop Date" {
		t.Errorf("with stage_columns: events %+v, want the two First Workshop Date events", c.events)
	}
}

func TestReadEvents(t *testing.T) {
	src, c, err := readFile(t, "events.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Kind != steward.KindEvents || src.Rows != 4 || src.Used != 3 {
		t.Errorf("got %+v", src)
	}
	if d := cmp.Diff([]steward.Reject{{Row: 5, Column: "Shift Date", Reason: "no date"}}, src.Rejects); d != "" {
		t.Errorf("rejects (-want +got):\n%s", d)
	}
	want := []steward.Event{
		{Person: "C1", Name: "Food Bank Sort", Date: date("2024-03-14"), Row: 2},
		{Person: "C2", Name: "Food Bank Sort", Date: date("2024-03-14"), Row: 3},
		{Person: "C1", Name: "Park Cleanup", Date: date("2024-04-20"), Row: 4},
	}
	if d := cmp.Diff(want, c.events); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

func TestReadErrors(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	var encName []byte
	for _, r := range "EncryptionInfo" {
		encName = append(encName, byte(r), 0)
	}
	encrypted := append(append(append([]byte{}, ole...), encName...), make([]byte, 64)...)
	tests := []struct {
		name, file, data string
		opt              Options
		is               error
		msg              string
	}{
		{"empty", "empty.csv", "", Options{}, ErrEmpty, "empty.csv: the file is empty; export the data again from the CRM"},
		{"blank lines", "blank.csv", "\ufeff\r\n \r\n", Options{}, ErrEmpty, "blank.csv: the file is empty; export the data again from the CRM"},
		{"header only", "header.csv", "Donor ID,Gift Date,Amount\r\n", Options{}, ErrEmpty,
			"header.csv: row 1: the file is empty: there are no data rows below the header; check the export's filters and export it again"},
		{"legacy xls", "old.xls", string(ole), Options{}, ErrLegacyXLS,
			"old.xls: this is a legacy Excel 97-2003 .xls workbook; open it in Excel or LibreOffice and save it as .xlsx or .csv"},
		{"encrypted", "secret.xlsx", string(encrypted), Options{}, ErrEncrypted,
			"secret.xlsx: this workbook is password-protected; open it, remove the password (File > Info > Protect Workbook) and save it again"},
		{"no header", "x.csv", "foo,bar\n1,2\n", Options{}, ErrNoHeader,
			"x.csv: no header row with known columns was found: looked at the first 30 rows; name the columns in the config file under columns: (donor_id, gift_date, amount, ...)"},
		{"ambiguous", "amb.csv", "Donor ID,Gift Date,Amount\n1,01/02/2024,5\n2,03/04/2024,6\n", Options{}, ErrAmbiguous,
			`amb.csv: column "Gift Date": the date column is ambiguous: "01/02/2024" and "03/04/2024" could be day/month or month/day; set date_format: DD/MM/YYYY or MM/DD/YYYY`},
		{"mixed currency", "mixed.csv", "Donor ID,Gift Date,Amount,Currency\n1,2024-01-02,5,USD\n\n2,2024-01-03,6,eur\n", Options{}, ErrMixedCurrency,
			"mixed.csv: row 4, column \"Currency\": more than one currency: EUR here, USD from row 2 on; keep one with the config line `currency: USD` (rows in other currencies are then excluded)"},
		{"mixed currency with a line break", "mixed.csv", "Donor ID,Gift Date,Amount,Currency\n1,2024-01-02,5,USD\n2,2024-01-03,6,\"E\nUR\"\n", Options{}, ErrMixedCurrency,
			"mixed.csv: row 3, column \"Currency\": more than one currency: \"E\\nUR\" here, USD from row 2 on; keep one with the config line `currency: USD` (rows in other currencies are then excluded)"},
		{"field too long", "long.csv", "Donor ID,Gift Date,Amount\n1,2024-01-02,\"5" + string(bytes.Repeat([]byte("0"), 40)) + "\n", Options{MaxFieldBytes: 32}, ErrFieldTooLong,
			`long.csv: row 2, column "Amount": a field is too long: 42 bytes, the limit is 32; look for an unclosed quote there, or shorten the field and export again`},
		{"forced gifts without amount", "p.csv", "Contact ID,Gift Date\n1,2024-01-01\n", Options{Kind: steward.KindGifts, Columns: map[string]string{"gift_date": "Gift Date"}}, ErrNoAmount,
			"p.csv: no amount column was found; name it in the config file under columns: (amount: <header>)"},
		{"no date", "d.csv", "Title\nDonor ID,When,Amount\n1,2024-01-01,5\n", Options{}, ErrNoGiftDate,
			"d.csv: row 2: no gift date column was found; name it in the config file under columns: (gift_date: <header>)"},
		{"events without dates", "cm.csv", "Id,ContactId,CampaignId,Status\nCM-1,CON-1,CMP-1,Sent\n", Options{Kind: steward.KindEvents}, ErrNoHeader,
			"cm.csv: row 1: no header row with known columns was found: no event date column was found; name it in the config file under columns: (event_date: <header>)"},
		{"binary", "x.csv", "\x00\x01\x02\x03Donor ID,Gift Date,Amount\n", Options{}, ErrBinary,
			"x.csv: this is not a CSV or XLSX file (it holds binary data); export the data from the CRM as CSV or XLSX"},
		{"zip but not a workbook", "x.xlsx", zipFile("a.csv", "Donor ID,Gift Date,Amount\n"), Options{}, ErrNotWorkbook,
			"x.xlsx: this zip file is not an XLSX workbook; unzip it and read the CSV or XLSX files inside"},
		{"truncated workbook", "x.xlsx", "PK\x03\x04\x14\x00\x00\x00", Options{}, ErrBadWorkbook,
			"x.xlsx: the workbook is damaged or incomplete (zip: not a valid zip file); open it in Excel or LibreOffice and save it again, or export it again"},
		{"too many fields", "wide.csv", "Donor ID,Gift Date,Amount\n1,2024-01-01,5" + strings.Repeat(",", maxFields) + "\n", Options{}, ErrRecordTooLong,
			"wide.csv: row 2: a row is too long: 10003 fields, the limit is 10000; check the delimiter, or export only the columns Steward needs"},
		{"unclosed quote", "q.csv", "Donor ID,Gift Date,Amount\n\"1" + strings.Repeat(",2024-01-01,5\n", 1500000), Options{}, ErrRecordTooLong,
			"q.csv: a row is too long: the record after row 1 runs past 16 MiB; look for an unclosed quote there, or check that this is a CSV file"},
		{"no line breaks", "n.csv", strings.Repeat("Donor ID;Gift Date;Amount;", 700000), Options{}, ErrRecordTooLong,
			"n.csv: a row is too long: the first record runs past 16 MiB; look for an unclosed quote there, or check that this is a CSV file"},
		{"delimiter set wrong", "s.csv", "Donor ID;Gift Date;Amount\n1;2024-01-01;5\n", Options{Delimiter: ','}, ErrNoHeader,
			"s.csv: no header row with known columns was found: the file looks ';'-separated but the delimiter is set to ','; fix or remove delimiter: in the config file"},
		{"unknown profile", "p.csv", "a\n", Options{Profile: "nope"}, nil,
			`p.csv: unknown profile "nope": use one of civicrm, npsp, npsp-report, raisers-edge-7, raisers-edge, lgl, bloomerang, donorperfect, neon, givebutter, stripe, paypal, virtuous, opencollective, npsp-contacts, npsp-campaign-members, generic`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := read(t, tt.file, []byte(tt.data), tt.opt)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("%T is not an *Error", err)
			}
			if err.Error() != tt.msg {
				t.Errorf("message\n got %s\nwant %s", err, tt.msg)
			}
		})
	}
}

// TestRuleNamesOneLine: an exclusion rule that names a value read from the
// file shows it quoted when it holds a line break or a quote, so that
// every rule is one line of `steward check` and of the accounting table.
func TestRuleNamesOneLine(t *testing.T) {
	data := "Donor ID,Gift Date,Amount,Currency,Status,Gift Type\n" +
		"1,2024-01-02,5,USD,Completed,Donation\n" +
		"2,2024-01-03,6,\"E\nUR\",Completed,Donation\n" +
		"3,2024-01-04,7,USD,\"Closed\nLost\",Donation\n" +
		"4,2024-01-05,8,USD,\"Can\"\"celled\",Donation\n" +
		"5,2024-01-06,9,USD,Cancelled,Donation\n"
	src, _, err := read(t, "odd.csv", []byte(data), Options{Currency: "USD"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		`currency "E\nUR"`:                       1,
		`status "Closed\nLost" (not recognised)`: 1,
		`status "Can\"celled" (not recognised)`:  1,
		"status Cancelled":                       1,
	}
	if d := cmp.Diff(want, src.Excluded); d != "" || src.Used != 1 {
		t.Errorf("used %d, excluded (-want +got):\n%s", src.Used, d)
	}
}

func TestReadOptions(t *testing.T) {
	const amb = "Donor ID,Gift Date,Amount,Currency,Campaign\n1,01/02/2024,5,USD,A\n2,03/04/2024,6,EUR,B\n3,05/06/2024,7,usd,C\n"
	src, c, err := read(t, "amb.csv", []byte(amb), Options{DateFormat: "DD/MM/YYYY", Currency: "usd"})
	if err != nil {
		t.Fatal(err)
	}
	if src.Used != 2 || src.Excluded["currency EUR"] != 1 || c.gifts[0].Date != date("2024-02-01") || c.gifts[1].Currency != "USD" {
		t.Errorf("got %+v, %+v", src, c.gifts)
	}
	src, c, err = read(t, "amb.csv", []byte(amb), Options{DateFormat: "MM/DD/YYYY", Currency: "USD",
		Filters: []Filter{{Column: "campaign", Values: []string{"c"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if src.Used != 1 || src.Excluded["filter Campaign"] != 2 || c.gifts[0].Date != date("2024-05-06") {
		t.Errorf("got %+v, %+v", src, c.gifts)
	}

	// Custom columns for headers no profile knows; a title row above.
	const de = "Spendenliste 2024;;\nSpendernummer;Datum;Betrag\n17;31.01.2024;1.000,00\n"
	src, c, err = read(t, "de.csv", []byte(de), Options{Columns: map[string]string{
		"contact_id": "Spendernummer", "gift_date": "Datum", "amount": "Betrag"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []steward.Gift{{Contact: "17", Date: date("2024-01-31"), Amount: 100000, Row: 3}}
	if src.Profile != "custom" || src.HeaderRow != 2 || cmp.Diff(want, c.gifts) != "" {
		t.Errorf("got %+v, %+v", src, c.gifts)
	}

	// A forced profile needs no signature: StageName is missing here.
	const dl = "AccountId,CloseDate,Amount\n001A,2024-02-29,12.5\n"
	if _, _, err := read(t, "dl.csv", []byte(dl), Options{}); !errors.Is(err, ErrNoGiftDate) {
		t.Errorf("without profile: err = %v, want ErrNoGiftDate", err)
	}
	src, c, err = read(t, "dl.csv", []byte(dl), Options{Profile: "npsp"})
	want = []steward.Gift{{Account: "001A", Date: date("2024-02-29"), Amount: 1250, Row: 2}}
	if err != nil || src.Profile != "npsp" || cmp.Diff(want, c.gifts) != "" {
		t.Errorf("profile npsp: %+v, %+v, %v", src, c.gifts, err)
	}

	// header_row skips a row that would otherwise be taken for the header.
	const two = "Donor ID,Gift Date,Amount\nDonor ID,Gift Date,Amount\n9,2024-05-01,3\n"
	src, _, err = read(t, "two.csv", []byte(two), Options{HeaderRow: 2})
	if err != nil || src.HeaderRow != 2 || src.Rows != 1 || src.Used != 1 {
		t.Errorf("header_row 2: %+v, %v", src, err)
	}
}

func TestReadDuplicateAndBlankHeaders(t *testing.T) {
	// GlobalGiving style: two Currency columns, and a blank header.
	const gg = "Donor ID,Donation Date,Amount,Currency,,Currency\n5,\"Sep 8, 2021\",25.00,USD,x,GBP\n"
	src, c, err := read(t, "gg.csv", []byte(gg), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.gifts[0].Currency != "USD" || c.gifts[0].Date != date("2021-09-08") {
		t.Errorf("gift %+v", c.gifts[0])
	}
	for _, col := range src.Columns {
		if col.Field == "currency" && col.Header != "Currency" {
			t.Errorf("currency column %q", col.Header)
		}
	}
}

func TestReadBufferBytes(t *testing.T) {
	// The held rows are bounded in bytes too: the day/month order that
	// a late row settles comes from a first pass.
	defer func(n int) { maxBufferBytes = n }(maxBufferBytes)
	maxBufferBytes = 100
	const data = "Donor ID,Gift Date,Amount\n1,01/02/2024,5\n2,03/04/2024,6\n3,05/06/2024,7\n4,07/08/2024,2\n5,25/12/2024,3\n"
	_, c, err := read(t, "late.csv", []byte(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.gifts) != 5 || c.gifts[0].Date.String() != "2024-02-01" {
		t.Errorf("gifts %+v", c.gifts)
	}
}

func TestReadLoneCR(t *testing.T) {
	const data = "Donor ID,Gift Date,Amount\r1,2024-01-05,5\r2,2024-01-06,6\r"
	src, c, err := read(t, "mac.csv", []byte(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Rows != 2 || len(c.gifts) != 2 || c.gifts[1].Amount != 600 {
		t.Errorf("rows %d, gifts %+v", src.Rows, c.gifts)
	}
}

func TestReadUTF16WithoutBOM(t *testing.T) {
	data := utf16("Donor ID,Gift Date,Amount\r\n1,2024-01-05,5\r\n", unicode.LittleEndian)[2:]
	src, c, err := read(t, "u.csv", []byte(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Encoding != "utf-16le" || len(c.gifts) != 1 {
		t.Errorf("encoding %q, gifts %+v", src.Encoding, c.gifts)
	}
}

func zipFile(name, content string) string {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create(name)
	w.Write([]byte(content))
	zw.Close()
	return b.String()
}

func TestReadFirstPass(t *testing.T) {
	// The row that settles day/month comes after the buffer: the formats
	// come from a first pass over the whole file.
	defer func(n int) { maxBuffer = n }(maxBuffer)
	maxBuffer = 3
	const data = "Donor ID,Gift Date,Amount\n1,01/02/2024,5\n2,03/04/2024,6\n3,05/06/2024,1.000\n4,07/08/2024,2\n5,25/12/2024,\"1.000,50\"\n"
	src, c, err := read(t, "late.csv", []byte(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range c.gifts {
		got = append(got, g.Date.String()+" "+g.Amount.String())
	}
	want := []string{"2024-02-01 5.00", "2024-04-03 6.00", "2024-06-05 1000.00", "2024-08-07 2.00", "2024-12-25 1000.50"}
	if d := cmp.Diff(want, got); d != "" || src.Used != 5 {
		t.Errorf("gifts (-want +got):\n%s", d)
	}
}

func TestReadPaymentProcessors(t *testing.T) {
	// PayPal: no donor id; the e-mail becomes an opaque key and is never
	// emitted. Withdrawals are not gifts; refunds net.
	const paypal = "\ufeff\"Date\",\"Time\",\"TimeZone\",\"Name\",\"Type\",\"Status\",\"Currency\",\"Gross\",\"Fee\",\"Net\",\"From Email Address\",\"Transaction ID\"\n" +
		"\"01/15/2024\",\"10:00:00\",\"PST\",\"Ann Lee\",\"Donation Payment\",\"Completed\",\"USD\",\"1,250.00\",\"-36.55\",\"1,213.45\",\"Ann@Example.org\",\"1AB\"\n" +
		"\"01/16/2024\",\"11:00:00\",\"PST\",\"Bank\",\"General Withdrawal\",\"Completed\",\"USD\",\"-500.00\",\"0.00\",\"-500.00\",\"org@example.org\",\"2CD\"\n" +
		"\"01/20/2024\",\"09:00:00\",\"PST\",\"Ann Lee\",\"Payment Refund\",\"Completed\",\"USD\",\"-25.00\",\"0.00\",\"-25.00\",\"ann@example.org\",\"3EF\"\n" +
		"\"01/21/2024\",\"09:00:00\",\"PST\",\"Bo Ng\",\"Donation Payment\",\"Pending\",\"USD\",\"10.00\",\"0.00\",\"10.00\",\"bo@example.org\",\"4GH\"\n"
	src, c, err := read(t, "paypal.csv", []byte(paypal), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// echo -n ann@example.org | sha256sum: 438c4c7afe600cdf1e45...
	const key = "email:438c4c7afe600cdf"
	want := []steward.Gift{
		{Contact: key, Date: date("2024-01-15"), Amount: 125000, Currency: "USD", Type: "Donation Payment", Row: 2},
		{Contact: key, Date: date("2024-01-20"), Amount: -2500, Currency: "USD", Refund: true, Type: "Payment Refund", Row: 4},
	}
	if d := cmp.Diff(want, c.gifts); d != "" {
		t.Errorf("gifts (-want +got):\n%s", d)
	}
	if src.Profile != "paypal" || src.Excluded["type General Withdrawal"] != 1 || src.Excluded["status Pending"] != 1 {
		t.Errorf("got %+v", src)
	}

	// Stripe: the refunded original is excluded, a partial refund nets.
	const stripe = "id,Description,Created (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,Fee,Status,Customer ID,Customer Email\n" +
		"ch_1,Donation,2024-02-01 10:00:00,50.00,0.00,usd,true,50.00,1.75,Paid,cus_A,a@example.org\n" +
		"ch_2,Donation,2024-02-02 10:00:00,20.00,20.00,usd,true,20.00,0.88,Refunded,cus_B,b@example.org\n" +
		"ch_3,Donation,2024-02-03 10:00:00,100.00,30.00,usd,true,100.00,3.20,Paid,cus_C,c@example.org\n" +
		"ch_4,Donation,2024-02-03 11:00:00,100.00,0.00,usd,false,100.00,0.00,Failed,cus_C,c@example.org\n"
	src, c, err = read(t, "stripe.csv", []byte(stripe), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want = []steward.Gift{
		{Contact: "cus_A", Date: date("2024-02-01"), Amount: 5000, Currency: "USD", Row: 2},
		{Contact: "cus_C", Date: date("2024-02-03"), Amount: 7000, Currency: "USD", Row: 4},
	}
	if d := cmp.Diff(want, c.gifts); d != "" {
		t.Errorf("gifts (-want +got):\n%s", d)
	}
	if src.Profile != "stripe" || src.Excluded["status Refunded"] != 1 || src.Excluded["status Failed"] != 1 {
		t.Errorf("got %+v", src)
	}

	// Givebutter: refunded flag on the original row.
	const gb = "id,contact_id,first_name,email,amount,currency,method,status,campaign_title,transacted_at,refunded,acknowledged\n" +
		"1,900,Ann,a@example.org,25,USD,card,succeeded,Spring,2024-03-01 12:00:00,FALSE,TRUE\n" +
		"2,901,Bo,b@example.org,40,USD,card,succeeded,Spring,2024-03-02 12:00:00,TRUE,FALSE\n"
	src, c, err = read(t, "gb.csv", []byte(gb), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want = []steward.Gift{{Contact: "900", Date: date("2024-03-01"), Amount: 2500, Currency: "USD",
		AckStatus: steward.AckAcknowledged, Campaign: "Spring", Channel: "card", Row: 2}}
	if d := cmp.Diff(want, c.gifts); d != "" || src.Profile != "givebutter" || src.Excluded["refunded"] != 1 {
		t.Errorf("gifts (-want +got):\n%s\n%+v", d, src)
	}
}

func TestProfileDetection(t *testing.T) {
	tests := []struct {
		header, row, profile string
		kind                 steward.Kind
	}{
		{"Gf_CnBio_ID,Gf_Date,Gf_Amount,Gf_Type,Gf_Acknowledge,Gf_Fund", "00123,01/31/2024,\"$1,000.00\",Cash,Acknowledged,General", "raisers-edge-7", steward.KindGifts},
		{"Account Number,Name,Date,Amount,Fund,Acknowledgement Status", "44,Ann,01/31/2024,10.00,General,Yes", "bloomerang", steward.KindGifts},
		{"donor_id,first_name,gift_date,amount,record_type,gl_code,solicit_code", "7,Ann,01/31/2024,10.00,G,UNR,DM24", "donorperfect", steward.KindGifts},
		{"LGL Constituent ID,Name,Gift date,Gift Amount,Gift Type,Gift Category,Campaign,Fund,Appeal,Payment type", "9,Ann,2024-01-31,10,Gift,Donation,Annual,General,Spring,Check", "lgl", steward.KindGifts},
		{"Account ID,Donation Date,Donation Amount,Donation Status,Donation Type,Campaign,Fund,Tender Type", "5,01/31/2024,10.00,Succeed,Donation,Annual,General,Check", "neon", steward.KindGifts},
		{"AccountId,npsp__Primary_Contact__c,CloseDate,Amount,StageName", "A1,C1,2024-01-31,10.0,Posted", "npsp", steward.KindGifts},
		{"Id,FirstName,LastName,Email,AccountId", "CON-1,Ann,Lee,,ACC-1", "npsp-contacts", steward.KindPeople},
		{"ContactId,CampaignId,Status,FirstRespondedDate", "CON-1,CMP-1,Attended,2024-02-01", "npsp-campaign-members", steward.KindEvents},
		{"Donor ID,Gift Date,Amount", "1,2024-01-31,10", "generic", steward.KindGifts},
		{"CONTACT_KEY,GIFT_DATE_UTC,AMOUNT,GIFT_IS_DELETED", "88,2024-01-31T15:00:00Z,10.00,false", "virtuous", steward.KindGifts},
		{"datetime,shortId,type,kind,isRefund,isRefunded,amount,currency,oppositeAccountSlug", "2025-02-01T21:02:19,ab12,CREDIT,CONTRIBUTION,false,false,10,USD,jane-doe", "opencollective", steward.KindGifts},
	}
	for _, tt := range tests {
		src, _, err := read(t, "x.csv", []byte(tt.header+"\n"+tt.row+"\n"), Options{})
		if err != nil {
			t.Errorf("%s: %v", tt.header, err)
			continue
		}
		if src.Profile != tt.profile || src.Kind != tt.kind || src.Used != 1 {
			t.Errorf("%s: profile %q kind %q used %d, want %q %q 1", tt.header, src.Profile, src.Kind, src.Used, tt.profile, tt.kind)
		}
	}
}

func TestReadEncodingAndDelimiterOptions(t *testing.T) {
	// A Windows-1252 file that happens to be valid UTF-8 is read as told.
	data := []byte("Donor ID|Gift Date|Amount|Campaign\n1|2024-01-31|10|Caf\xe9\n")
	_, c, err := read(t, "x.txt", data, Options{Encoding: "windows-1252", Delimiter: '|'})
	if err != nil {
		t.Fatal(err)
	}
	if c.gifts[0].Campaign != "Café" {
		t.Errorf("campaign %q, want Café", c.gifts[0].Campaign)
	}
	_, _, err = read(t, "x.txt", data, Options{Encoding: "ebcdic"})
	if err == nil || err.Error() != `x.txt: unknown encoding "ebcdic": use utf-8, utf-16le, utf-16be or windows-1252` {
		t.Errorf("err = %v", err)
	}
}

func TestReadReportFooters(t *testing.T) {
	const report = `"Opportunity Owner","Account ID","Close Date","Amount","Stage"
"Jo","001A","1/31/2024","10.00","Closed Won"
"Subtotal","","","10.00",""
"Jo","001B","2/13/2024","5.00","Closed Won"
"Count: 2","","","",""
"Grand Totals (2 records)","","","15.00",""
""
"Generated By:  Pat Admin  3/1/2024 9:14 AM"
"Acme Foundation"
"Filtered By:"
"    Stage equals Closed Won"
`
	src, c, err := read(t, "report.csv", []byte(report), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"totals row": 3, "footer row": 4}
	if d := cmp.Diff(want, src.Excluded); d != "" || src.Rows != 9 || len(c.gifts) != 2 || sum(c.gifts) != 1500 {
		t.Errorf("rows %d, gifts %d, excluded (-want +got):\n%s", src.Rows, len(c.gifts), d)
	}
}

func TestReadLookAhead(t *testing.T) {
	// After the buffer, a column whose values so far needed no day/month
	// order (or decimal separator) is settled by a look-ahead from the
	// first value that needs it.
	defer func(n int) { maxBuffer = n }(maxBuffer)
	maxBuffer = 3
	const data = "Donor ID,Gift Date,Amount,Thank-you Date\n" +
		"1,2024-01-10,5,\n2,2024-01-11,6,\n3,2024-01-12,7,\n4,2024-01-13,8,\n" +
		"5,2024-01-14,1.234,13/01/2024\n6,2024-01-15,\"5,50\",02/03/2024\n"
	src, c, err := read(t, "late.csv", []byte(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range c.gifts {
		got = append(got, g.Amount.String()+" "+g.AckDate.String())
	}
	want := []string{"5.00 ", "6.00 ", "7.00 ", "8.00 ", "1234.00 2024-01-13", "5.50 2024-03-02"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("gifts (-want +got):\n%s", d)
	}
	wantCols := []steward.Column{
		{Field: "contact_id", Header: "Donor ID"},
		{Field: "gift_date", Header: "Gift Date", Format: "YYYY-MM-DD"},
		{Field: "amount", Header: "Amount", Format: "1.234,56"},
		{Field: "ack_date", Header: "Thank-you Date", Format: "D/M/YYYY"},
	}
	if d := cmp.Diff(wantCols, src.Columns); d != "" {
		t.Errorf("columns (-want +got):\n%s", d)
	}

	// A look-ahead that finds only values reading both ways stops the read.
	const amb = "Donor ID,Gift Date,Amount,Thank-you Date\n" +
		"1,2024-01-10,5,\n2,2024-01-11,6,\n3,2024-01-12,7,\n4,2024-01-13,8,01/02/2024\n5,2024-01-14,9,03/04/2024\n"
	_, _, err = read(t, "late.csv", []byte(amb), Options{})
	const msg = `late.csv: column "Thank-you Date": the date column is ambiguous: "01/02/2024" and "03/04/2024" could be day/month or month/day; set date_format: DD/MM/YYYY or MM/DD/YYYY`
	if !errors.Is(err, ErrAmbiguous) || err.Error() != msg {
		t.Errorf("err = %v, want %s", err, msg)
	}
}

func TestReadRaisersEdge7(t *testing.T) {
	src, c, err := readFile(t, "re7-export-1252.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := steward.Source{
		File: "re7-export-1252.csv", Format: "csv", Encoding: "windows-1252", Delimiter: ",",
		HeaderRow: 1, Profile: "raisers-edge-7", Kind: steward.KindGifts,
		Columns: []steward.Column{
			{Field: "contact_id", Header: "Gf_CnBio_ID"},
			{Field: "gift_date", Header: "Gf_Date", Format: "M/D/YYYY"},
			{Field: "amount", Header: "Gf_Amount", Format: "1,234.56"},
			{Field: "gift_type", Header: "Gf_Type"},
			{Field: "ack_date", Header: "Gf_Acknowledge_Date", Format: "M/D/YYYY"},
			{Field: "ack_status", Header: "Gf_Acknowledge"},
			{Field: "campaign", Header: "Gf_Campaign"},
			{Field: "payment_method", Header: "Gf_Pay_method"},
		},
		Rows: 5, Used: 3,
		Excluded: map[string]int{"zero amount": 1, "gift type Pledge": 1},
	}
	if d := cmp.Diff(want, src, ignoreAccounting); d != "" {
		t.Errorf("source (-want +got):\n%s", d)
	}
	wantGifts := []steward.Gift{
		{Contact: "00017", Date: date("2023-03-15"), Amount: 150000, AckDate: date("2023-03-20"), AckStatus: steward.AckAcknowledged,
			Campaign: "Annual", Channel: "Check", Type: "Cash", Row: 2},
		{Contact: "00019", Date: date("2023-05-01"), Amount: 50000, AckDate: date("2023-05-02"), AckStatus: steward.AckAcknowledged,
			Campaign: "Capital", Channel: "Credit Card", Type: "Pay-Cash", Row: 5},
		// (25.00) is a negative amount: a refund.
		{Contact: "00020", Date: date("2023-06-30"), Amount: -2500, Refund: true, AckStatus: steward.AckDoNotAcknowledge,
			Campaign: "Annual", Channel: "Cash", Type: "Cash", Row: 6},
	}
	if d := cmp.Diff(wantGifts, c.gifts); d != "" {
		t.Errorf("gifts (-want +got):\n%s", d)
	}
}

func TestReadLate1252(t *testing.T) {
	// The first 64 KiB are ASCII, so the file looks like UTF-8; a
	// Windows-1252 label further down is still read right.
	var b bytes.Buffer
	b.WriteString("Donor ID,Gift Date,Amount,Campaign\n")
	for b.Len() < 70000 {
		b.WriteString("1,2024-01-31,10.00,Spring\n")
	}
	b.WriteString("2,2024-02-01,5.00,Fr\xfchjahr\n")
	src, c, err := read(t, "late.csv", b.Bytes(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.gifts[len(c.gifts)-1].Campaign; got != "Frühjahr" || src.Encoding != "utf-8" || len(src.Warnings) != 1 {
		t.Errorf("campaign %q, encoding %q, warnings %q", got, src.Encoding, src.Warnings)
	}
}

func TestReadNPSPContacts(t *testing.T) {
	src, c, err := readFile(t, "npsp-contacts.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	// python3 csv.DictReader: 1024 contacts, none without an Id.
	if src.Profile != "npsp-contacts" || src.Kind != steward.KindPeople || src.Rows != 1024 || src.Used != 1024 || len(c.events) != 0 {
		t.Errorf("got %+v, %d events", src, len(c.events))
	}
	want := steward.Person{ID: "CON-00001", Household: "ACC-00619", Row: 2}
	if d := cmp.Diff(want, c.people[0]); d != "" {
		t.Errorf("first person (-want +got):\n%s", d)
	}
	households := map[string]bool{}
	for _, p := range c.people {
		households[p.Household] = true
	}
	// len(set(AccountId)) in python3 gives 882.
	if len(households) != 882 {
		t.Errorf("%d households, want 882", len(households))
	}
}

func TestReadOpenCollective(t *testing.T) {
	// Host fees and expenses are left out by the profile's filter; a
	// refunded contribution stays and its refund row nets against it.
	const oc = "datetime,shortId,type,kind,isRefund,isRefunded,amount,currency,oppositeAccountSlug\n" +
		"2025-02-01T21:02:19,a1,CREDIT,CONTRIBUTION,false,false,10,USD,jane-doe\n" +
		"2025-02-01T21:02:19,a2,DEBIT,HOST_FEE,false,false,-1,USD,host\n" +
		"2025-02-03T08:00:00,a3,DEBIT,EXPENSE,false,false,-50,USD,printer-co\n" +
		"2025-02-04T08:00:00,a4,CREDIT,CONTRIBUTION,false,true,25,USD,bo-ng\n" +
		"2025-02-05T08:00:00,a5,DEBIT,CONTRIBUTION,true,false,-25,USD,bo-ng\n"
	src, c, err := read(t, "oc.csv", []byte(oc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []steward.Gift{
		{Contact: "jane-doe", Date: date("2025-02-01"), Amount: 1000, Currency: "USD", Type: "CONTRIBUTION", Row: 2},
		{Contact: "bo-ng", Date: date("2025-02-04"), Amount: 2500, Currency: "USD", Type: "CONTRIBUTION", Row: 5},
		{Contact: "bo-ng", Date: date("2025-02-05"), Amount: -2500, Currency: "USD", Refund: true, Type: "CONTRIBUTION", Row: 6},
	}
	if d := cmp.Diff(want, c.gifts); d != "" || src.Excluded["filter kind"] != 2 || src.Used != 3 {
		t.Errorf("gifts (-want +got):\n%s\n%+v", d, src)
	}
}

func TestReadManyDistinctStatuses(t *testing.T) {
	// Every row with its own unknown status: the rules stay bounded.
	var b strings.Builder
	b.WriteString("Donor ID,Gift Date,Amount,Status\n")
	for i := range 500 {
		fmt.Fprintf(&b, "%d,2024-01-05,5,weird-%d\n", i, i)
	}
	src, _, err := read(t, "s.csv", []byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Excluded) > maxRules+1 || src.Excluded["status (other values)"] != 500-maxRules || len(src.Warnings) > maxWarnings {
		t.Errorf("%d rules, %d other, %d warnings", len(src.Excluded), src.Excluded["status (other values)"], len(src.Warnings))
	}
}

func TestReadPayPalRefundToAddress(t *testing.T) {
	// On a refund the organisation sends the money: the donor is the To
	// Email Address, hashed as the sender of the gift is.
	const paypal = "Date,Time,TimeZone,Type,Status,Currency,Gross,From Email Address,To Email Address\n" +
		"01/15/2024,10:00:00,PST,Donation Payment,Completed,USD,50.00,Ann@Example.org,giving@org.example\n" +
		"01/20/2024,09:00:00,PST,Payment Reversal,Completed,USD,-50.00,giving@org.example,ann@example.org\n"
	src, c, err := read(t, "paypal.csv", []byte(paypal), Options{})
	if err != nil {
		t.Fatal(err)
	}
	const key = "email:438c4c7afe600cdf"
	want := []steward.Gift{
		{Contact: key, Date: date("2024-01-15"), Amount: 5000, Currency: "USD", Type: "Donation Payment", Row: 2},
		{Contact: key, Date: date("2024-01-20"), Amount: -5000, Currency: "USD", Refund: true, Type: "Payment Reversal", Row: 3},
	}
	if d := cmp.Diff(want, c.gifts); d != "" || src.Profile != "paypal" {
		t.Errorf("gifts (-want +got):\n%s\n%+v", d, src)
	}
}

func TestReadUnusable(t *testing.T) {
	// Files of an export folder that no figure can use are read, every
	// row excluded, with a warning; when the kind is set, they are errors.
	for _, tc := range []struct{ name, data, profile string }{
		{"campaign-members.csv", "Id,ContactId,CampaignId,Status\nCM-1,CON-1,CMP-1,Sent\n\nCM-2,CON-2,CMP-1,Responded\n", "npsp-campaign-members"},
		{"campaigns.csv", "Id,Name\nCMP-1,\"Jan Meeting\"\nCMP-2,Gala\n", ""},
	} {
		src, c, err := read(t, tc.name, []byte(tc.data), Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if src.Kind != "" || src.Profile != tc.profile || src.Rows != 2 || src.Used != 0 ||
			src.Excluded[ruleNoDate] != 2 || len(src.Warnings) != 1 || len(c.events)+len(c.people)+len(c.gifts) != 0 {
			t.Errorf("%s: got %+v", tc.name, src)
		}
		if w := src.Warnings[0]; !strings.Contains(w, "columns: (event_date: <header>), or leave this file out") {
			t.Errorf("%s: warning %q", tc.name, w)
		}
		if _, _, err := read(t, tc.name, []byte(tc.data), Options{Kind: steward.KindEvents}); !errors.Is(err, ErrNoHeader) {
			t.Errorf("%s: kind events: got %v, want ErrNoHeader", tc.name, err)
		}
	}
	// A gift file missing its date stays an error.
	if _, _, err := read(t, "g.csv", []byte("Id,Name,Donor ID,Amount\n1,Ann,D1,5\n"), Options{}); err == nil {
		t.Error("gift file without a date: no error")
	}
}

func TestReadBloomerangRecurringDonation(t *testing.T) {
	// In Bloomerang, Recurring Donation is the schedule: a commitment.
	// Elsewhere the type says nothing known and the row counts.
	const bl = "Account Number,Date,Amount,Transaction Type\n" +
		"1,01/25/2024,300.00,Recurring Donation\n1,01/25/2024,25.00,Recurring Donation Payment\n"
	src, c, err := read(t, "bl.csv", []byte(bl), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Profile != "bloomerang" || src.Used != 1 || src.Excluded["gift type Recurring Donation"] != 1 ||
		len(c.gifts) != 1 || c.gifts[0].Amount != 2500 {
		t.Errorf("got %+v %+v", src, c.gifts)
	}
	const other = "Donor ID,Gift Date,Amount,Gift Type\n1,2024-01-05,300.00,Recurring Donation\n"
	src, _, err = read(t, "o.csv", []byte(other), Options{})
	if err != nil || src.Profile != "generic" || src.Used != 1 {
		t.Errorf("err %v, got %+v", err, src)
	}
}

func TestReadUnknownHeadersNotLookup(t *testing.T) {
	// Ids and names beside columns Steward does not know: not a lookup
	// table, but a file whose columns the user must name.
	_, _, err := read(t, "g.csv", []byte("Gift ID,Donor Name,Amt,When\n1,Ann,5,2024-01-02\n"), Options{})
	if !errors.Is(err, ErrNoHeader) {
		t.Errorf("err = %v, want ErrNoHeader", err)
	}
}

// TestReadPlaceholderDates: dates before 1901 or after 2099 are databases'
// stand-ins for "no date" (or typed years such as 2205). A gift with one is
// rejected with its row, column and value; a thank-you date, a stage
// column's date or a current stage's date with one reads as empty, with a
// warning that counts them.
func TestReadPlaceholderDates(t *testing.T) {
	gifts := "Opportunity ID,Account ID,Close Date,Amount,Stage,Acknowledgment Date\n" +
		"O1,A1,1/1/0001,10.00,Closed Won,\n" + // .NET's DateTime.MinValue
		"O2,A1,1/1/1900,10.00,Closed Won,\n" + // SQL Server's and Excel's day 0
		"O3,A2,12/31/1900,10.00,Closed Won,1/2/1901\n" + // the last day before 1901
		"O4,A2,1/1/1901,20.00,Closed Won,1/1/1900\n" + // the first day taken; thanked on a stand-in
		"O5,A3,12/31/2099,30.00,Closed Won,1/1/2100\n" + // the last day taken; thanked after 2099
		"O6,A3,12/31/9999,10.00,Closed Won,\n" + // an open end
		"O7,A4,2/1/2205,10.00,Closed Won,\n" + // a typed year
		"O8,A4,3/4/2024,40.00,Closed Won,3/6/2024\n"
	src, c, err := read(t, "gifts.csv", []byte(gifts), Options{})
	if err != nil {
		t.Fatal(err)
	}
	const reason = "date before 1901 or after 2099 (a stand-in for no date)"
	wantRejects := []steward.Reject{
		{Row: 2, Column: "Close Date", Value: "1/1/0001", Reason: reason},
		{Row: 3, Column: "Close Date", Value: "1/1/1900", Reason: reason},
		{Row: 4, Column: "Close Date", Value: "12/31/1900", Reason: reason},
		{Row: 7, Column: "Close Date", Value: "12/31/9999", Reason: reason},
		{Row: 8, Column: "Close Date", Value: "2/1/2205", Reason: reason},
	}
	if d := cmp.Diff(wantRejects, src.Rejects); d != "" {
		t.Errorf("rejects (-want +got):\n%s", d)
	}
	if src.Rows != 8 || src.Used != 3 || src.Rejected != 5 || src.RejectReasons[reason] != 5 {
		t.Errorf("rows %d, used %d, rejected %d (%v); want 8, 3, 5", src.Rows, src.Used, src.Rejected, src.RejectReasons)
	}
	var got []string
	for _, g := range c.gifts {
		got = append(got, fmt.Sprintf("%s %s %v", g.Date, g.AckDate, g.Amount))
	}
	want := []string{"1901-01-01  20.00", "2099-12-31  30.00", "2024-03-04 2024-03-06 40.00"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("gifts (-want +got):\n%s", d)
	}
	w := `column "Acknowledgment Date": 2 dates before 1901 or after 2099 (stand-ins for no date, such as 1/1/1900 or 12/31/9999) were read as empty`
	if !slices.Contains(src.Warnings, w) {
		t.Errorf("warnings %q, want %q", src.Warnings, w)
	}

	people := "Contact ID,Email Opt-In Date\nC1,1/1/1900\nC2,5/16/2023\n"
	src, c, err = read(t, "people.csv", []byte(people), Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantEvents := []steward.Event{{Person: "C2", Name: "Email Opt-In Date", Date: date("2023-05-16"), Row: 3}}
	if d := cmp.Diff(wantEvents, c.events); d != "" || src.Used != 2 {
		t.Errorf("people: used %d, events (-want +got):\n%s", src.Used, d)
	}
	w = `column "Email Opt-In Date": 1 date before 1901 or after 2099 (a stand-in for no date, such as 1/1/1900 or 12/31/9999) was read as empty`
	if !slices.Contains(src.Warnings, w) {
		t.Errorf("people: warnings %q, want %q", src.Warnings, w)
	}

	// A current stage with its date.
	people = "Contact ID,Engagement Stage,Engagement Stage Date\nC1,Volunteer,1/1/1900\nC2,Donor,5/16/2023\nC3,Donor,12/31/9999\n"
	src, c, err = read(t, "stages.csv", []byte(people), Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantEvents = []steward.Event{{Person: "C2", Name: "Donor", Date: date("2023-05-16"), Row: 3}}
	if d := cmp.Diff(wantEvents, c.events); d != "" || src.Used != 3 {
		t.Errorf("stages: used %d, events (-want +got):\n%s", src.Used, d)
	}
	w = `column "Engagement Stage Date": 2 dates before 1901 or after 2099 (stand-ins for no date, such as 1/1/1900 or 12/31/9999) were read as empty`
	if !slices.Contains(src.Warnings, w) {
		t.Errorf("stages: warnings %q, want %q", src.Warnings, w)
	}
}

// TestErrorOneLine: a line break that reaches an Error's message from a
// wrapped error is shown escaped.
func TestErrorOneLine(t *testing.T) {
	e := &Error{File: "x.xlsx", Row: 3, Err: fmt.Errorf("%w: bad\r\npart\nname\r", ErrBadWorkbook)}
	want := `x.xlsx: row 3: ` + ErrBadWorkbook.Error() + `: bad\r\npart\nname\r`
	if got := e.Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if !errors.Is(e, ErrBadWorkbook) {
		t.Error("errors.Is lost")
	}
}
