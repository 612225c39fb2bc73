package site

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"steward"
	"steward/compare"
)

func f64(v float64) *float64 { return &v }

// cmpFixture is a comparison with every verdict, a funnel conversion, small
// numbers, every figure unit, a warning and a note.
func cmpFixture() *compare.Comparison {
	fill := 0.94
	return &compare.Comparison{
		Schema: "steward.comparison/1", Form: compare.FormCutover, Cutover: steward.NewDate(2024, 7, 1),
		BeforePeriod: "FY2024", AfterPeriod: "FY2025",
		BeforeStart: steward.NewDate(2023, 7, 1), BeforeEnd: steward.NewDate(2024, 6, 30),
		AfterStart: steward.NewDate(2024, 7, 1), AfterEnd: steward.NewDate(2025, 6, 30),
		BeforeAsOf: steward.NewDate(2025, 1, 31), AfterAsOf: steward.NewDate(2025, 1, 31),
		AfterComplete: false,
		Metrics: map[string]compare.Rate{
			"retention_rate":              compare.NewRate(444, 1009, 404, 999, "donors in the year before"),
			"new_donor_retention_rate":    compare.NewRate(9, 20, 12, 25, "new donors in the year before"),
			"repeat_donor_retention_rate": compare.NewRate(300, 500, 240, 500, "repeat donors in the year before"),
			"on_time_rate":                compare.NewRate(48, 80, 56, 70, "acknowledged or overdue gifts"),
			"funnel:Ladder:First gift":    withTo(compare.NewRate(0, 0, 5, 10, "people at this stage"), "Second gift"),
		},
		Figures: map[string]compare.Figure{
			"donors":                {Unit: "count", Before: f64(1009), After: f64(999), Change: f64(-10), Incomplete: true},
			"dollars":               {Unit: "dollars", Before: f64(30), After: f64(1260.5), Change: f64(1230.5), Incomplete: true},
			"growth_in_giving":      {Unit: "ratio", Before: f64(0.081), After: f64(0.013), Change: f64(-0.068)},
			"thank_you_median_days": {Unit: "days", Before: f64(4), After: f64(1), Change: f64(-3)},
			"gifts":                 {Unit: "count", Before: f64(1200), After: nil},
		},
		DataQuality: compare.DataQuality{
			Before: compare.Quality{Files: 1, Sources: []string{"civicrm.csv"}, Profiles: []string{"CiviCRM"}, Rows: 2000, Used: 1900, Excluded: 90, Rejected: 10, AckDateColumn: true, AckDateFillRate: &fill},
			After:  compare.Quality{Files: 2, Sources: []string{"npsp.csv", "people.csv"}, Profiles: []string{"NPSP"}, Rows: 2100, Used: 2000, Excluded: 100, Rejected: 0},
		},
		Warnings: []string{"the after window has not ended: it is compared as year to date"},
		Notes:    []string{"Funnel conversions count people who entered in each window."},
	}
}

func withTo(r compare.Rate, to string) compare.Rate { r.To = to; return r }

func buildComparison(t *testing.T, c *compare.Comparison, opt Options) map[string][]byte {
	t.Helper()
	files, err := BuildComparison(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for i, f := range files {
		if i > 0 && files[i-1].Name >= f.Name {
			t.Errorf("files not sorted: %q before %q", files[i-1].Name, f.Name)
		}
		m[f.Name] = f.Data
	}
	return m
}

// TestComparisonGolden compares the comparison page with
// testdata/comparison.html.golden; run with -update to rewrite it after a
// reviewed change.
func TestComparisonGolden(t *testing.T) {
	got := buildComparison(t, cmpFixture(), Options{Organisation: "Riverside Food Bank", SingleFile: true, Version: "v0.1.0"})
	if len(got) != 1 {
		t.Errorf("single file: got %d files, want index.html only", len(got))
	}
	html := got["index.html"]
	golden := filepath.Join("testdata", "comparison.html.golden")
	if *update {
		if err := os.WriteFile(golden, html, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./site/ -update)", err)
	}
	if !bytes.Equal(html, want) {
		t.Errorf("comparison page differs from %s (run go test ./site/ -update and review the diff)", golden)
	}
	again := buildComparison(t, cmpFixture(), Options{Organisation: "Riverside Food Bank", SingleFile: true, Version: "v0.1.0"})
	if !bytes.Equal(html, again["index.html"]) {
		t.Error("two builds differ")
	}
}

// TestComparisonContent checks what a reader must find on the page.
func TestComparisonContent(t *testing.T) {
	html := string(buildComparison(t, cmpFixture(), Options{SingleFile: true})["index.html"])
	for _, want := range []string{
		`<h1>What changed: FY2024 and FY2025 (year to date)</h1>`,
		`<td class="improved">improved</td>`,
		`<td class="worsened">worsened</td>`,
		`<td class="no-clear-change">no clear change</td>`,
		`<td class="not-comparable">not comparable <small>(denominator is 0 before: no people at this stage)</small></td>`,
		`Of 5 rates compared: 1 improved, 1 worsened, 2 no clear change and 1 not comparable.`,
		`Ladder: First gift → Second gift`,
		`<td class="num" data-label="Before">60.0% <span class="small-note">(48 of 80)</span></td>`,
		`<td class="num" data-label="Difference">&#43;20.0 points</td><td class="num" data-label="95% interval">&#43;5.2 to &#43;33.4</td>`,
		`(small numbers: under 30)`,
		`<li>The after window has not ended: it is compared as year to date.</li>`,
		`Funnel conversions count people who entered in each window.`,
		`<td class="num">$1,261</td>`, // money of 1,000 or more has no cents, as in the report
		`<td class="num">−6.8 points</td>`,
		`<td class="num">-3 days</td>`,
		`<td class="num">–</td>`, // a missing value
		`<td class="num">CiviCRM</td><td class="num">NPSP</td><td><strong>differs</strong></td>`,
		`Files before: civicrm.csv. Files after: npsp.csv, people.csv.`,
		`content="default-src 'none'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "<link", "<nav"} {
		if strings.Contains(html, bad) {
			t.Errorf("page has %q", bad)
		}
	}
	// The chart: one row per comparable rate, with positions in 0-100%.
	if n := strings.Count(html, `<div class="cmp-row" role="img"`); n != 4 {
		t.Errorf("chart rows: got %d, want 4 (the not comparable rate has none)", n)
	}
	for _, m := range regexp.MustCompile(`(?:left|width):(-?[0-9.]+)%`).FindAllStringSubmatch(html, -1) {
		if strings.HasPrefix(m[1], "-") || len(m[1]) > 6 {
			t.Errorf("chart position %s%% out of the track", m[1])
		}
	}
}

// TestComparisonFolder checks the many-file form: the page links the
// report's style sheet, which is written next to it.
func TestComparisonFolder(t *testing.T) {
	got := buildComparison(t, cmpFixture(), Options{})
	if !bytes.Equal(got["assets/steward.css"], css) {
		t.Error("assets/steward.css missing or not the report's")
	}
	if !bytes.Contains(got["index.html"], []byte(`<link rel="stylesheet" href="assets/steward.css">`)) {
		t.Error("index.html does not link assets/steward.css")
	}
}

func TestComparisonHostileStrings(t *testing.T) {
	c := cmpFixture()
	payloads := []string{xssScript, xssFunc, xssAttr, xssCSS}
	c.BeforePeriod, c.AfterPeriod = xssScript, xssAttr
	c.Warnings = payloads
	c.Notes = payloads
	c.Metrics["funnel:"+xssScript+":"+xssAttr] = withTo(compare.NewRate(1, 2, 1, 2, xssCSS), xssFunc)
	c.Metrics["funnel:Ladder:First gift"] = withTo(compare.NewRate(0, 0, 5, 10, xssScript), xssCSS)
	c.Figures[xssScript] = compare.Figure{Unit: xssAttr, Before: f64(1)}
	c.DataQuality.Before.Sources = payloads
	c.DataQuality.After.Profiles = payloads
	for _, single := range []bool{false, true} {
		o := Options{Organisation: xssCSS + xssScript, Version: xssAttr, SingleFile: single}
		html := buildComparison(t, c, o)["index.html"]
		lower := bytes.ToLower(html)
		for _, bad := range []string{"<script", "<img src=x", "<svg onload"} {
			if bytes.Contains(lower, []byte(bad)) {
				t.Errorf("single=%v: page contains %q", single, bad)
			}
		}
		if !bytes.Contains(html, []byte("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;")) {
			t.Error("the payload was not shown escaped anywhere: was it dropped?")
		}
		for _, st := range regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllSubmatch(html, -1) {
			if bytes.Contains(st[1], []byte(`</`)) || bytes.Contains(st[1], []byte(`"}<`)) {
				t.Errorf("style block broken: %.200q", st[1])
			}
		}
		if m := cspMeta.FindSubmatch(html); m == nil || !strings.Contains(string(m[1]), "script-src 'none'") {
			t.Errorf("CSP does not forbid scripts: %q", m)
		}
	}
}

func TestComparisonBadInput(t *testing.T) {
	if _, err := BuildComparison(nil, Options{}); err == nil {
		t.Error("nil comparison: no error")
	}
	if _, err := BuildComparison(cmpFixture(), Options{Accent: "red"}); err == nil {
		t.Error("bad accent: no error")
	}
	if _, err := BuildComparison(cmpFixture(), Options{Logo: []byte("x"), LogoType: "text/html"}); err == nil {
		t.Error("bad logo type: no error")
	}
	// An empty comparison still makes a page.
	html := string(buildComparison(t, &compare.Comparison{BeforePeriod: "FY2024", AfterPeriod: "FY2025", AfterComplete: true}, Options{SingleFile: true})["index.html"])
	if !strings.Contains(html, "No rate could be computed on both sides.") {
		t.Error("empty comparison: no message")
	}
}
