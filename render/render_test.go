package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"steward"
	"steward/metrics"
)

func TestEChartsPinned(t *testing.T) {
	sum := sha256.Sum256(ECharts())
	if got := hex.EncodeToString(sum[:]); got != EChartsSHA256 {
		t.Errorf("echarts.min.js sha256 = %s, want %s (see assets/README.md)", got, EChartsSHA256)
	}
	for _, bad := range []string{"</script", "<!--"} {
		if bytes.Contains(ECharts(), []byte(bad)) {
			t.Errorf("echarts.min.js contains %q: it cannot be inlined in a <script>", bad)
		}
	}
}

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"=1+2": "'=1+2", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"Spring": "Spring", "": "", "a=b": "a=b",
	} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}

func testTable() *Table {
	rate := 0.425
	return &Table{Name: "t", Columns: []string{"Name", "Gifts", "Rate", "Amount", "Date", "Days"}, Currency: "USD",
		Rows: [][]Cell{
			{T("=HYPERLINK(\"http://x\")"), I(3), R(&rate), M(-12.5), D(steward.NewDate(2024, 7, 1)), N(nil)},
			{T("-cash"), I(-4), R(nil), M(1234.5), D(steward.NoDate), Cell{Kind: Number, N: 1.5}},
		}}
}

func TestCSV(t *testing.T) {
	b, err := testTable().CSV()
	if err != nil {
		t.Fatal(err)
	}
	want := "Name,Gifts,Rate,Amount,Date,Days\n" +
		"\"'=HYPERLINK(\"\"http://x\"\")\",3,0.425,-12.50,2024-07-01,\n" +
		"'-cash,-4,,1234.50,,1.5\n"
	if string(b) != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", b, want)
	}
}

func TestXLSX(t *testing.T) {
	tb := testTable()
	a, err := XLSX([]*Table{tb, {Name: "t", Columns: []string{"x"}}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := XLSX([]*Table{tb, {Name: "t", Columns: []string{"x"}}})
	if !bytes.Equal(a, b) {
		t.Error("XLSX differs between two runs")
	}
	f, err := excelize.OpenReader(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "t" || got[1] != "t_2" {
		t.Errorf("sheets = %q", got)
	}
	for cell, want := range map[string]string{"A2": "'=HYPERLINK(\"http://x\")", "A3": "'-cash", "E2": "2024-07-01", "D2": "-12.50", "C2": "42.5%"} {
		if got, _ := f.GetCellValue("t", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	if typ, _ := f.GetCellType("t", "D2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("D2 (money) is text, want a number")
	}
	raw, _ := f.GetCellValue("t", "E2", excelize.Options{RawCellValue: true})
	if raw != "45474" {
		t.Errorf("E2 raw = %q, want the date serial 45474", raw)
	}
}

func TestOptionEscaping(t *testing.T) {
	r := &metrics.Report{ThankYou: metrics.ThankYou{Recorded: true, TargetDays: 2}}
	v := 0.5
	for _, name := range []string{"</script><script>alert(1)</script>", "__f__function(){alert(1)}__f__", "a___f__b"} {
		r.ThankYou.ByCamp = []metrics.ThankYouStats{{Period: name, OnTimeRate: &v}, {Period: "x", OnTimeRate: &v}}
		c := ThankYouBreakdown(r, "campaign")
		h, err := c.HTML()
		if err != nil {
			t.Fatal(err)
		}
		s := string(h)
		i, j := strings.Index(s, "<script>"), strings.Index(s, "</script>")
		script := s[i+len("<script>") : j]
		if strings.Contains(script, "__f__") || strings.Contains(script, "<") {
			t.Errorf("%q: script not neutral: %s", name, script)
		}
		// The JSON still decodes to the same label.
		o, _ := c.OptionJSON()
		var back map[string]interface{}
		if err := json.Unmarshal(o, &back); err != nil {
			t.Fatal(err)
		}
		data := back["yAxis"].([]interface{})[0].(map[string]interface{})["data"].([]interface{})
		if data[0] != name {
			t.Errorf("label round trip = %q, want %q", data[0], name)
		}
	}
}

func TestFormat(t *testing.T) {
	v := 0.4286
	for got, want := range map[string]string{
		Pct(&v): "42.9%", Pct(nil): "n/a", Int(1234567): "1,234,567", Int(-1200): "-1,200",
		Money(1204518.5, "USD"): "$1,204,519", Money(45.5, ""): "$45.50", Money(-12, "EUR"): "-€12", Money(3, "XYZ"): "XYZ 3",
		Days(&v): "0.4 days", LongDate(steward.NewDate(2025, 3, 15)): "15 March 2025",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

// TestEmptyReport checks that every chart copes with a report with nothing
// in it.
func TestEmptyReport(t *testing.T) {
	r := &metrics.Report{}
	for _, c := range []*Chart{RetentionTrend(r), CohortHeatmap(r), GainLossBridge(r), LYBUNTChart(r), QuarterlyDollars(r), QuarterlyDonors(r), RowAccounting(r)} {
		if c.Empty == "" {
			t.Errorf("%s: empty report draws a chart", c.ID)
		}
		if _, err := c.HTML(); err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
	}
	if OnTimeTrend(r) != nil || LatencyHistogram(r) != nil {
		t.Error("thank-you charts drawn although not recorded")
	}
	if len(Headlines(r)) == 0 || len(Goals(r)) != 0 {
		t.Error("headlines / goals of an empty report")
	}
}

func TestBreakdownCap(t *testing.T) {
	r := &metrics.Report{ThankYou: metrics.ThankYou{Recorded: true, TargetDays: 2}}
	for i := 0; i < 40; i++ {
		v := float64(i) / 40
		r.ThankYou.ByCamp = append(r.ThankYou.ByCamp, metrics.ThankYouStats{Period: "C" + strings.Repeat("x", i), Eligible: i + 1, OnTimeRate: &v})
	}
	c := ThankYouBreakdown(r, "campaign")
	if len(c.Table.Rows) != 40 {
		t.Errorf("table rows = %d, want 40", len(c.Table.Rows))
	}
	o, _ := c.OptionJSON()
	var back map[string]interface{}
	if err := json.Unmarshal(o, &back); err != nil {
		t.Fatal(err)
	}
	if n := len(back["yAxis"].([]interface{})[0].(map[string]interface{})["data"].([]interface{})); n != maxBars {
		t.Errorf("chart bars = %d, want %d", n, maxBars)
	}
	if !strings.Contains(c.Takeaway, "Most often on time: C"+strings.Repeat("x", 39)) {
		t.Errorf("takeaway %q", c.Takeaway)
	}
}
