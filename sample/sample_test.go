package sample

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"steward"
)

var small = Options{Donors: 300}

func gen(t *testing.T, format string, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, opt); err != nil {
		t.Fatalf("Write(%q): %v", format, err)
	}
	return b.Bytes()
}

// readCSV parses a generated CSV (BOM stripped), allowing the footer rows'
// single field.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestDeterministic(t *testing.T) {
	for _, f := range Formats() {
		a, b := gen(t, f, small), gen(t, f, small)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs with the same options differ", f)
		}
		if len(a) == 0 {
			t.Errorf("%s: empty output", f)
		}
	}
}

func TestSeedsDiffer(t *testing.T) {
	other := small
	other.Seed = 2
	for _, f := range Formats() {
		if f == FormatConfig {
			continue
		}
		if bytes.Equal(gen(t, f, small), gen(t, f, other)) {
			t.Errorf("%s: seeds 1 and 2 give the same bytes", f)
		}
	}
}

func TestFileNames(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Formats() {
		n := FileName(f)
		if n == "" || seen[n] {
			t.Errorf("FileName(%q) = %q: empty or repeated", f, n)
		}
		seen[n] = true
	}
	for _, f := range Bundle() {
		if FileName(f) == "" {
			t.Errorf("Bundle format %q has no file name", f)
		}
	}
	if FileName("nope") != "" || FileName(FormatAll) != "" {
		t.Error("FileName of an unknown format or of all is not empty")
	}
}

func TestWriteErrors(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "gnucash", small); !errors.Is(err, ErrFormat) {
		t.Errorf("unknown format: err = %v, want ErrFormat", err)
	}
	if err := Write(&b, FormatAll, small); err == nil || !strings.Contains(err.Error(), "Bundle()") {
		t.Errorf("format all: err = %v", err)
	}
}

var (
	mdyRe     = regexp.MustCompile(`^([1-9]|1[0-2])/([1-9]|[12][0-9]|3[01])/20[0-9]{2}$`)
	dollarRe  = regexp.MustCompile(`^-?\$(0|[1-9][0-9]{0,2}(,[0-9]{3})*)\.[0-9]{2}$`)
	sfid15Re  = regexp.MustCompile(`^[0-9A-Za-z]{15}$`)
	isoTimeRe = regexp.MustCompile(`^20[0-9]{2}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]$`)
)

func parseMDY(t *testing.T, s string) steward.Date {
	t.Helper()
	if s == "" {
		return steward.NoDate
	}
	tm, err := time.Parse("1/2/2006", s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return steward.DateOf(tm)
}

func parseDollars(t *testing.T, s string) int64 {
	t.Helper()
	v := strings.NewReplacer("$", "", ",", "", ".", "").Replace(s)
	c, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return c
}

var npspHeader = []string{"Opportunity ID", "Opportunity Name", "Account ID", "Account Name", "Primary Contact ID",
	"Close Date", "Amount", "Stage", "Type", "Acknowledgment Date", "Acknowledgment Status", "Campaign Name", "Payment Method"}

// npspData returns the data rows of an NPSP report after checking its
// header and footer.
func npspData(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs := readCSV(t, b)
	if !equal(recs[0], npspHeader) {
		t.Fatalf("header = %q", recs[0])
	}
	n := len(recs) - 3 // encoding/csv skips the footer's blank lines
	data := recs[1:n]
	want := [][]string{{fmt.Sprintf("Grand Totals (%d records)", len(data))},
		{"Confidential Information - Do Not Distribute"},
		{"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."}}
	for i, f := range recs[n:] {
		if !equal(f, want[i]) {
			t.Fatalf("footer = %q, want %q", recs[n:], want)
		}
	}
	if !bytes.HasSuffix(b, []byte("\r\n\r\n\"Grand Totals ("+strconv.Itoa(len(data))+" records)\"\r\n\r\n\"Confidential Information - Do Not Distribute\"\r\n\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\r\n")) {
		t.Fatalf("footer bytes: %q", b[len(b)-200:])
	}
	return data
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNPSPReportShape(t *testing.T) {
	b := gen(t, FormatNPSPReport, small)
	data := npspData(t, b)
	stages := map[string]bool{"Closed Won": true, "Posted": true, "Pledged": true, "Closed Lost": true, "Prospecting": true}
	acks := map[string]bool{"Acknowledged": true, "To Be Acknowledged": true, "Do Not Acknowledge": true, "": true}
	breaks, anon := 0, 0
	for i, r := range data {
		if len(r) != len(npspHeader) {
			t.Fatalf("row %d has %d fields", i+2, len(r))
		}
		if !sfid15Re.MatchString(r[0]) || !strings.HasPrefix(r[0], "006") {
			t.Errorf("row %d: opportunity id %q", i+2, r[0])
		}
		if r[2] == "" {
			anon++
		} else if !sfid15Re.MatchString(r[2]) || !strings.HasPrefix(r[4], "003") {
			t.Errorf("row %d: ids %q %q", i+2, r[2], r[4])
		}
		if !mdyRe.MatchString(r[5]) || (r[9] != "" && !mdyRe.MatchString(r[9])) {
			t.Errorf("row %d: dates %q %q", i+2, r[5], r[9])
		}
		if !dollarRe.MatchString(r[6]) {
			t.Errorf("row %d: amount %q", i+2, r[6])
		}
		if !stages[r[7]] || !acks[r[10]] {
			t.Errorf("row %d: stage %q ack %q", i+2, r[7], r[10])
		}
		if strings.Contains(r[1], "\n") {
			breaks++
		}
	}
	if breaks == 0 {
		t.Error("no line break inside a quoted field")
	}
	if anon == 0 {
		t.Error("no anonymous gifts")
	}
	// Every value is quoted.
	line := strings.SplitN(string(b), "\r\n", 3)[1]
	if !strings.HasPrefix(line, `"006`) || !strings.Contains(line, `","`) {
		t.Errorf("values are not all quoted: %q", line)
	}
}

func TestDataLoaderMatchesReport(t *testing.T) {
	rep := npspData(t, gen(t, FormatNPSPReport, small))
	dl := readCSV(t, gen(t, FormatNPSP, small))
	want := []string{"Id", "AccountId", "npsp__Primary_Contact__c", "Name", "Amount", "StageName", "CloseDate", "Type",
		"CampaignId", "npe01__Payment_Method__c", "npsp__Acknowledgment_Date__c", "npsp__Acknowledgment_Status__c"}
	if !equal(dl[0], want) {
		t.Fatalf("header = %q", dl[0])
	}
	dl = dl[1:]
	if len(dl) != len(rep) {
		t.Fatalf("%d Data Loader rows, %d report rows", len(dl), len(rep))
	}
	for i := range dl {
		if len(dl[i][0]) != 18 || dl[i][0][:15] != rep[i][0] || (rep[i][2] != "" && dl[i][1][:15] != rep[i][2]) {
			t.Fatalf("row %d: ids %q vs %q", i, dl[i][:3], rep[i][:3])
		}
		if d := parseMDY(t, rep[i][5]).String(); d != dl[i][6] {
			t.Fatalf("row %d: close date %q vs %q", i, dl[i][6], rep[i][5])
		}
	}
	if got := sfid18("0015e000000CdH0"); len(got) != 18 || got[:15] != "0015e000000CdH0" {
		t.Errorf("sfid18 = %q", got)
	}
	// Salesforce's published example: 001A0000006Vm9r -> 001A0000006Vm9rIAC.
	if got := sfid18("001A0000006Vm9r"); got != "001A0000006Vm9rIAC" {
		t.Errorf("sfid18(001A0000006Vm9r) = %q, want 001A0000006Vm9rIAC", got)
	}
}

func TestCiviCRMShape(t *testing.T) {
	b := gen(t, FormatCiviCRM, small)
	if !bytes.HasPrefix(b, []byte("\ufeff\"Contact ID\",")) {
		t.Fatalf("no BOM / header: %q", b[:40])
	}
	recs := readCSV(t, b)
	h := recs[0]
	col := map[string]int{}
	for i, c := range h {
		col[c] = i
	}
	for _, c := range []string{"Contact ID", "Financial Type", "Total Amount", "Currency", "Contribution Date", "Thank-you Date",
		"Receipt Date", "Contribution Status", "Payment Method", "Campaign", "Contribution Source", "Test", "Display Name", "Email"} {
		if _, ok := col[c]; !ok {
			t.Errorf("missing column %q", c)
		}
	}
	statuses := map[string]int{}
	tests, zero := 0, 0
	amountRe := regexp.MustCompile(`^[0-9]+\.[0-9]{2}$`)
	for i, r := range recs[1:] {
		if len(r) != len(h) {
			t.Fatalf("row %d: %d fields", i+2, len(r))
		}
		statuses[r[col["Contribution Status"]]]++
		if !amountRe.MatchString(r[col["Total Amount"]]) || !isoTimeRe.MatchString(r[col["Contribution Date"]]) {
			t.Errorf("row %d: %q %q", i+2, r[col["Total Amount"]], r[col["Contribution Date"]])
		}
		if r[col["Test"]] == "1" {
			tests++
		}
		if r[col["Total Amount"]] == "0.00" {
			zero++
		}
		if id, _ := strconv.Atoi(r[col["Contact ID"]]); id >= 800000 {
			t.Errorf("row %d: CiviCRM contact id %d in the Raiser's Edge range", i+2, id)
		}
	}
	if tests != 3 {
		t.Errorf("%d test rows, want 3", tests)
	}
	for _, s := range []string{"Completed", "Pending", "Failed", "Cancelled", "Refunded"} {
		if statuses[s] == 0 {
			t.Errorf("no %s rows (statuses %v)", s, statuses)
		}
	}
	if zero == 0 {
		t.Error("no zero-amount rows")
	}
}

func TestREXLSX(t *testing.T) {
	b := gen(t, FormatREXLSX, small)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "Gift Detail Report"
	if got := f.GetSheetList(); !equal(got, []string{sheet, "Report Parameters"}) {
		t.Fatalf("sheets = %q", got)
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != Organisation || rows[1][0] != "Gift Detail Report" || rows[2][0] != "Gift dates 07/01/2020 - 09/30/2026" || len(rows[3]) != 0 {
		t.Fatalf("title rows = %q", rows[:4])
	}
	want := []string{"Constituent ID", "Name", "Gift Date", "Gift Amount", "Gift Type", "Gift subtype", "Campaign",
		"Fund", "Appeal", "Payment Method", "Acknowledgement Status", "Acknowledgement Date"}
	if !equal(rows[4], want) {
		t.Fatalf("header = %q", rows[4])
	}
	mc, _ := f.GetMergeCells(sheet)
	if len(mc) != 3 {
		t.Errorf("%d merged ranges, want 3", len(mc))
	}
	last := len(rows)
	if rows[last-1][0] != "Total" {
		t.Fatalf("last row = %q", rows[last-1])
	}
	types := map[string]bool{}
	var sum int64
	lo, hi := float64(excelSerial(steward.NewDate(2020, 7, 1))), float64(excelSerial(steward.NewDate(2026, 9, 30)))
	for i, r := range rows[5 : last-1] {
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil || v < lo || v > hi || v != float64(int(v)) {
			t.Fatalf("row %d: gift date %q is not a serial date in range", i+6, r[2])
		}
		a, err := strconv.ParseFloat(r[3], 64)
		if err != nil {
			t.Fatalf("row %d: amount %q", i+6, r[3])
		}
		sum += int64(a*100 + 0.5)
		types[r[4]] = true
	}
	for _, ty := range []string{"Cash", "Pay-Cash", "Pledge", "Recurring Gift", "Recurring Gift Pay-Cash", "Stock/Property", "Gift-in-Kind"} {
		if !types[ty] {
			t.Errorf("no %q gifts", ty)
		}
	}
	// Date cells carry a date number format; the total is a formula with a
	// cached value.
	st, _ := f.GetCellStyle(sheet, "C6")
	style, _ := f.GetStyle(st)
	if style == nil || style.CustomNumFmt == nil || *style.CustomNumFmt != "mm/dd/yyyy" {
		t.Errorf("C6 style = %+v", style)
	}
	cell := "D" + strconv.Itoa(last)
	if fm, _ := f.GetCellFormula(sheet, cell); fm != "SUM(D6:D"+strconv.Itoa(last-1)+")" {
		t.Errorf("total formula = %q", fm)
	}
	total, _ := strconv.ParseFloat(rows[last-1][3], 64)
	if int64(total*100+0.5) != sum {
		t.Errorf("cached total %v, sum of rows %d cents", total, sum)
	}
	dp, _ := f.GetDocProps()
	if dp.Created != "2026-10-01T08:15:00Z" {
		t.Errorf("created = %q", dp.Created)
	}
}

func TestPeopleAndEngagementConsistent(t *testing.T) {
	rep := npspData(t, gen(t, FormatNPSPReport, small))
	ppl := readCSV(t, gen(t, FormatPeople, small))
	want := []string{"Contact ID", "Account ID", "First Name", "Last Name", "Email", "Created Date", "Email Opt-In Date", "First Event Date", "Volunteer Start Date"}
	if !equal(ppl[0], want) {
		t.Fatalf("people header = %q", ppl[0])
	}
	if ppl[len(ppl)-3][0] != fmt.Sprintf("Grand Totals (%d records)", len(ppl)-4) {
		t.Fatalf("people footer = %q", ppl[len(ppl)-3:])
	}
	acct := map[string]string{}
	for _, r := range ppl[1 : len(ppl)-3] {
		if _, dup := acct[r[0]]; dup {
			t.Fatalf("contact %s twice", r[0])
		}
		acct[r[0]] = r[1]
		for _, d := range r[5:] {
			if d != "" && !mdyRe.MatchString(d) {
				t.Fatalf("people date %q", d)
			}
		}
	}
	donors := map[string]bool{}
	for _, r := range rep {
		if r[4] == "" {
			continue
		}
		a, ok := acct[r[4]]
		if !ok || a != r[2] {
			t.Fatalf("gift contact %s account %s: people has %q", r[4], r[2], a)
		}
		donors[r[4]] = true
	}
	if never := len(acct) - len(donors); never < len(donors) {
		t.Errorf("%d people never gave, %d did: want many sign-ups who never gave", never, len(donors))
	}
	eng := readCSV(t, gen(t, FormatEngagement, small))
	if !equal(eng[0], []string{"Contact ID", "Activity", "Activity Date"}) {
		t.Fatalf("engagement header = %q", eng[0])
	}
	kinds := map[string]int{}
	for _, r := range eng[1:] {
		if _, ok := acct[r[0]]; !ok {
			t.Fatalf("engagement contact %s not in people", r[0])
		}
		if !mdyRe.MatchString(r[2]) {
			t.Fatalf("engagement date %q", r[2])
		}
		kinds[r[1]]++
	}
	if len(kinds) != 4 || kinds["Newsletter sign-up"] == 0 || kinds["Event attended"] == 0 || kinds["Volunteer shift"] == 0 || kinds["Webinar"] == 0 {
		t.Errorf("activities = %v", kinds)
	}
}

func TestOddOptions(t *testing.T) {
	for _, opt := range []Options{
		{Donors: 1, Years: 1},
		{Donors: 40, Years: 3, FYStartMonth: time.January, End: steward.NewDate(2019, time.December, 31)},
		{Donors: 60, Years: 10, FYStartMonth: time.April, Seed: -7, End: steward.NewDate(2024, time.March, 31)},
	} {
		for _, f := range Formats() {
			b := gen(t, f, opt)
			if f == FormatREXLSX || f == FormatConfig {
				continue
			}
			recs := readCSV(t, b)
			if len(recs) < 1 {
				t.Errorf("%+v %s: no header", opt, f)
			}
		}
		civi := readCSV(t, gen(t, FormatCiviCRM, opt))
		end := opt.Defaults().End
		for _, r := range civi[1:] {
			if d, _ := steward.ParseDate(r[7][:10]); d > end {
				t.Errorf("%+v: CiviCRM row dated %s after End", opt, r[7])
			}
		}
	}
}

func TestIDSpacesDoNotCollide(t *testing.T) {
	for _, donors := range []int{10, 2500, 200000, 5_000_000} {
		m := newModel(Options{Donors: donors}.Defaults())
		if civiID(m.civi) >= m.reBase {
			t.Errorf("donors %d: CiviCRM ids reach %d, Raiser's Edge starts at %d", donors, civiID(m.civi), m.reBase)
		}
	}
}

// TestBehaviour checks the story the default sample tells, computed here
// independently from the NPSP report: FEP-like retention, year-end
// seasonality and a thank-you policy that improved.
func TestBehaviour(t *testing.T) {
	if testing.Short() {
		t.Skip("default-size sample")
	}
	data := npspData(t, gen(t, FormatNPSPReport, Options{}))
	fy := func(d steward.Date) int {
		y, m, _ := d.Civil()
		if m >= time.July {
			return y + 1
		}
		return y
	}
	give := map[string]map[int]int64{}
	months := map[time.Month]int{}
	type ack struct{ onTime, acked, overdue, neg, never int }
	acks := map[int]*ack{}
	asOf := steward.NewDate(2026, 9, 30)
	for _, r := range data {
		if r[7] != "Closed Won" && r[7] != "Posted" {
			continue
		}
		d, c := parseMDY(t, r[5]), parseDollars(t, r[6])
		if r[2] != "" {
			if give[r[2]] == nil {
				give[r[2]] = map[int]int64{}
			}
			give[r[2]][fy(d)] += c
		}
		if c <= 0 || r[10] == "Do Not Acknowledge" {
			continue
		}
		_, mo, _ := d.Civil()
		months[mo]++
		y := fy(d)
		if acks[y] == nil {
			acks[y] = &ack{}
		}
		a := acks[y]
		switch ad := parseMDY(t, r[9]); {
		case ad == steward.NoDate && asOf-d > 2:
			a.overdue++
		case ad == steward.NoDate:
		case ad < d:
			a.neg++
		default:
			a.acked++
			if ad-d <= 2 {
				a.onTime++
			}
		}
	}
	keys := make([]string, 0, len(give))
	for k := range give {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) < 2400 || len(keys) > 2500 {
		t.Errorf("%d donor households, want about 2500", len(keys))
	}
	for y := 2023; y <= 2026; y++ {
		prev, kept, newPrev, newKept := 0, 0, 0, 0
		for _, k := range keys {
			g := give[k]
			if g[y-1] <= 0 {
				continue
			}
			prev++
			isNew := true
			for z := 2000; z < y-1; z++ {
				if g[z] > 0 {
					isNew = false
				}
			}
			if isNew {
				newPrev++
			}
			if g[y] > 0 {
				kept++
				if isNew {
					newKept++
				}
			}
		}
		ret, nret := float64(kept)/float64(prev), float64(newKept)/float64(newPrev)
		if ret < 0.35 || ret > 0.55 {
			t.Errorf("FY%d retention %.2f, want 0.35-0.55", y, ret)
		}
		if nret < 0.12 || nret > 0.35 {
			t.Errorf("FY%d new-donor retention %.2f, want 0.12-0.35", y, nret)
		}
	}
	rate := func(y int) float64 { a := acks[y]; return float64(a.onTime) / float64(a.acked+a.overdue) }
	for _, y := range []int{2022, 2023, 2024} {
		if r := rate(y); r > 0.4 {
			t.Errorf("FY%d on-time %.2f: the old policy should be slow", y, r)
		}
	}
	for _, y := range []int{2025, 2026} {
		if r := rate(y); r < 0.65 || r > 0.9 {
			t.Errorf("FY%d on-time %.2f, want 0.65-0.90 under the new policy", y, r)
		}
	}
	neg, overdue, all := 0, 0, 0
	for _, a := range acks {
		neg += a.neg
		overdue += a.overdue
		all += a.acked + a.overdue + a.neg
	}
	if neg < 5 || neg > 60 {
		t.Errorf("%d thank-yous before the gift, want a handful", neg)
	}
	if f := float64(overdue) / float64(all); f < 0.05 || f > 0.15 {
		t.Errorf("%.2f never acknowledged, want about 0.10", f)
	}
	avg := 0
	for _, n := range months {
		avg += n
	}
	avg /= 12
	if months[time.December] < 2*avg {
		t.Errorf("December has %d gifts, average month %d: no year-end spike", months[time.December], avg)
	}
}

func TestBigIsStreamedAndFast(t *testing.T) {
	if testing.Short() {
		t.Skip("large sample")
	}
	start := time.Now()
	var n countWriter
	if err := Write(&n, FormatNPSPReport, Options{Donors: 20000}); err != nil {
		t.Fatal(err)
	}
	if n < 10<<20 {
		t.Errorf("20,000 households wrote only %d bytes", n)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("20,000 households took %v", d)
	}
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

func ExampleFileName() {
	for _, f := range Bundle() {
		fmt.Println(f, FileName(f))
	}
	// Output:
	// npsp-report npsp-opportunities.csv
	// civicrm civicrm-contributions.csv
	// re-xlsx raisers-edge-gifts.xlsx
	// people people.csv
	// engagement engagement.csv
	// config steward.yaml
}

func ExampleWrite() {
	var b bytes.Buffer
	if err := Write(&b, FormatEngagement, Options{Donors: 50}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.SplitN(b.String(), "\n", 2)[0])
	// Output:
	// Contact ID,Activity,Activity Date
}
