package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"steward"
	"steward/metrics"
	"steward/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var testOpts = Options{Organisation: "Riverside Food Bank", Accent: "#1f6f8b", Version: "v0.1.0"}

func build(t *testing.T, r *metrics.Report, opt Options) map[string][]byte {
	t.Helper()
	files, err := Build(r, opt)
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

// TestGolden compares every page and metrics.json with testdata/*.golden;
// run with -update to rewrite them after a reviewed change.
func TestGolden(t *testing.T) {
	got := build(t, fixture(), testOpts)
	// metrics.json is not a golden file: the metrics engineer adds fields
	// to Report; TestMetricsJSON checks its form instead.
	names := []string{"tables/retention.csv"}
	for _, p := range pages {
		names = append(names, p.File)
	}
	for _, n := range names {
		data, ok := got[n]
		if !ok {
			t.Errorf("missing %s", n)
			continue
		}
		golden := filepath.Join("testdata", strings.ReplaceAll(n, "/", "_")+".golden")
		if *update {
			if err := os.WriteFile(golden, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./site/ -update)", err)
		}
		if !bytes.Equal(data, want) {
			t.Errorf("%s differs from %s (run go test ./site/ -update and review the diff)", n, golden)
		}
	}
}

func TestMetricsJSON(t *testing.T) {
	r := fixture()
	got := build(t, r, testOpts)["metrics.json"]
	want, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, append(want, '\n')) {
		t.Error("metrics.json is not the report indented by two spaces with a final newline")
	}
	if !bytes.HasPrefix(got, []byte("{\n  \"schema\": ")) {
		t.Errorf("metrics.json starts %.40q", got)
	}
}

func TestFileList(t *testing.T) {
	got := build(t, fixture(), testOpts)
	for _, n := range []string{"index.html", "funnel.html", "retention.html", "thank-you.html", "quarterly.html", "data-quality.html", "methodology.html",
		"assets/echarts.min.js", "assets/steward.css", "assets/steward.js", "metrics.json", "metrics.xlsx", "tables/retention.csv"} {
		if _, ok := got[n]; !ok {
			t.Errorf("missing %s", n)
		}
	}
	if !bytes.HasSuffix(got["metrics.json"], []byte("}\n")) {
		t.Error("metrics.json does not end with a newline")
	}
	sum := sha256.Sum256(got["assets/echarts.min.js"])
	if h := base64.StdEncoding.EncodeToString(sum[:]); h == "" || render.EChartsSHA256 == "" {
		t.Error("no echarts hash")
	}
	single := build(t, fixture(), Options{Organisation: "Riverside", SingleFile: true})
	if len(single) != 2 || single["index.html"] == nil || single["metrics.json"] == nil {
		t.Errorf("single file: got %d files, want index.html and metrics.json", len(single))
	}
	html := string(single["index.html"])
	for _, p := range pages {
		if !strings.Contains(html, `<main data-page="`+p.Slug+`" id="`+p.Slug+`">`) {
			t.Errorf("single file: no <main> for %s", p.Slug)
		}
		if !strings.Contains(html, `href="#`+p.Slug+`"`) {
			t.Errorf("single file: no anchor link to %s", p.Slug)
		}
	}
	if strings.Contains(html, `src="assets/`) || strings.Contains(html, `href="assets/`) {
		t.Error("single file refers to assets/")
	}
	if !strings.Contains(html, "echarts") || len(html) < len(render.ECharts()) {
		t.Error("single file does not inline echarts")
	}
}

func TestDeterministic(t *testing.T) {
	for _, single := range []bool{false, true} {
		o := testOpts
		o.SingleFile = single
		a, b := build(t, fixture(), o), build(t, fixture(), o)
		if len(a) != len(b) {
			t.Fatalf("file counts differ: %d and %d", len(a), len(b))
		}
		for n := range a {
			if !bytes.Equal(a[n], b[n]) {
				t.Errorf("%s differs between two builds (single=%v)", n, single)
			}
		}
	}
}

var (
	scriptTag   = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
	cspMeta     = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	stewardCall = regexp.MustCompile(`^stewardChart\("[A-Za-z][A-Za-z0-9_]*",\{.*\}\)$`)
)

// checkPage asserts the safety properties of one built HTML page.
func checkPage(t *testing.T, name string, html []byte, single bool) {
	t.Helper()
	m := cspMeta.FindSubmatch(html)
	if m == nil {
		t.Fatalf("%s: no Content-Security-Policy meta tag", name)
	}
	csp := string(m[1])
	if !strings.HasPrefix(csp, "default-src 'none'; script-src 'self'") || !strings.Contains(csp, "img-src 'self' data:") {
		t.Errorf("%s: CSP %q", name, csp)
	}
	if strings.Contains(csp, "unsafe-inline';") && strings.Contains(strings.Split(csp, ";")[1], "unsafe") {
		t.Errorf("%s: script-src allows unsafe code: %q", name, csp)
	}
	for _, s := range scriptTag.FindAllSubmatch(html, -1) {
		attrs, body := string(s[1]), s[2]
		if attrs != "" {
			if attrs != ` src="assets/echarts.min.js"` && attrs != ` src="assets/steward.js"` {
				t.Errorf("%s: unexpected script tag attributes %q", name, attrs)
			}
			continue
		}
		sum := sha256.Sum256(body)
		h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if !strings.Contains(csp, h) {
			t.Errorf("%s: inline script %.60q has no hash in the CSP", name, body)
		}
		if single && (bytes.Equal(body, render.ECharts()) || string(body) == render.ChartBoot) {
			continue
		}
		if !stewardCall.Match(body) {
			t.Errorf("%s: inline script is not a single stewardChart call: %.200q", name, body)
		}
		if bytes.Contains(body, []byte("__f__")) || bytes.Contains(body, []byte("</")) || bytes.Contains(body, []byte("<script")) {
			t.Errorf("%s: live marker in inline script: %.200q", name, body)
		}
	}
	lower := bytes.ToLower(html)
	for _, bad := range []string{"<script>alert", "<img src=x", "<svg onload"} {
		if bytes.Contains(lower, []byte(bad)) {
			t.Errorf("%s: contains %q", name, bad)
		}
	}
}

const (
	xssScript = `</script><script>alert(1)</script>`
	xssFunc   = `__f__function(){alert(1)}__f__`
	xssAttr   = `"><img src=x onerror=alert(1)>`
	xssCSS    = `"}</style><script>alert(1)</script>`
)

// hostile sets every text field of the fixture to an XSS payload.
func hostile() *metrics.Report {
	r := fixture()
	payloads := []string{xssScript, xssFunc, xssAttr, xssCSS, "=HYPERLINK(\"http://x\")"}
	p := func(i int) string { return payloads[i%len(payloads)] }
	n := 0
	next := func() string { n++; return p(n) }
	for i := range r.Sources {
		s := &r.Sources[i]
		s.File, s.Profile, s.Encoding, s.Sheet, s.Format, s.SHA256 = next(), next(), next(), next(), next(), next()
		s.Kind = steward.Kind(next())
		s.Warnings = []string{xssScript, xssFunc}
		s.Excluded = map[string]int{xssScript: 1, xssAttr: 2}
		s.RejectReasons = map[string]int{xssFunc: 3}
		for j := range s.Columns {
			s.Columns[j].Field, s.Columns[j].Header, s.Columns[j].Format = next(), next(), next()
		}
	}
	for i := range r.Retention {
		r.Retention[i].Period = next()
	}
	for i := range r.Cohorts {
		r.Cohorts[i].Cohort = next()
	}
	for i := range r.Quarters {
		r.Quarters[i].Period = next()
	}
	for i := range r.QuarterCohorts {
		r.QuarterCohorts[i].Cohort = next()
	}
	ty := &r.ThankYou
	ty.Days = next()
	for _, list := range [][]metrics.ThankYouStats{ty.Periods, ty.ByTier, ty.ByChannel, ty.ByCamp, ty.Quarters} {
		for i := range list {
			list[i].Period = next()
		}
	}
	for i := range ty.Histogram {
		ty.Histogram[i].Label = next()
	}
	for i := range ty.Backlog {
		ty.Backlog[i].Label = next()
	}
	for i := range ty.Negative {
		ty.Negative[i].File = next()
	}
	for i := range r.Funnels {
		r.Funnels[i].Name = next()
		for j := range r.Funnels[i].Stages {
			r.Funnels[i].Stages[j].Name = next()
		}
		for j := range r.Funnels[i].Cohorts {
			r.Funnels[i].Cohorts[j].Cohort = next()
		}
	}
	for i := range r.Goals {
		g := &r.Goals[i]
		g.ID, g.Label, g.Metric, g.Period, g.Reason, g.Comparison = next(), next(), next(), next(), next(), next()
		for j := range g.Trend {
			g.Trend[j].Period = next()
		}
	}
	r.Currency, r.DonorKey = next(), next()
	return r
}

func TestHostileStrings(t *testing.T) {
	for _, single := range []bool{false, true} {
		o := Options{Organisation: xssCSS + xssScript, Version: xssAttr, SingleFile: single}
		files := build(t, hostile(), o)
		seenPayload := false
		for name, data := range files {
			if !strings.HasSuffix(name, ".html") {
				continue
			}
			checkPage(t, name, data, single)
			if bytes.Contains(data, []byte("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;")) {
				seenPayload = true
			}
			// The <style> blocks must not be broken out of.
			for _, st := range regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllSubmatch(data, -1) {
				if bytes.Contains(bytes.ToLower(st[1]), []byte("<script")) || bytes.Contains(st[1], []byte(`</`)) || bytes.Contains(st[1], []byte(`"}<`)) {
					t.Errorf("%s: style block broken: %.200q", name, st[1])
				}
			}
		}
		if !seenPayload {
			t.Error("the payload was not shown escaped anywhere: was it dropped?")
		}
	}
}

func TestFixturePagesSafe(t *testing.T) {
	for name, data := range build(t, fixture(), testOpts) {
		if strings.HasSuffix(name, ".html") {
			checkPage(t, name, data, false)
		}
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []Options{
		{Accent: "red;}</style><script>alert(1)</script>"},
		{Accent: "#12345"},
		{Accent: "url(x)"},
		{Logo: []byte("<svg/>"), LogoType: "text/html"},
		{Logo: []byte("x"), LogoType: ""},
	} {
		if _, err := Build(fixture(), o); !errors.Is(err, ErrOptions) {
			t.Errorf("Build with %+v: err = %v, want ErrOptions", o, err)
		}
	}
	files := build(t, fixture(), Options{Logo: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), LogoType: "image/svg+xml", Accent: "#abc"})
	if !bytes.Contains(files["index.html"], []byte(`<img class="logo" src="data:image/svg&#43;xml;base64,`)) {
		t.Error("logo not embedded as a data URI")
	}
	if !bytes.Contains(files["index.html"], []byte(`--accent:#abc`)) {
		t.Error("accent not applied")
	}
}

var remoteRef = regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//|@import`)

func TestNoRemoteReferences(t *testing.T) {
	for _, single := range []bool{false, true} {
		o := testOpts
		o.SingleFile = single
		for name, data := range build(t, fixture(), o) {
			if name == "assets/echarts.min.js" {
				continue // the library's own text mentions URLs; it loads nothing
			}
			if !strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, ".css") && !strings.HasSuffix(name, ".js") {
				continue
			}
			text := data
			if single {
				text = bytes.Replace(data, render.ECharts(), nil, 1)
			}
			if loc := remoteRef.FindIndex(text); loc != nil {
				t.Errorf("%s: remote reference %q", name, text[loc[0]:min(loc[1]+40, len(text))])
			}
		}
	}
}

var zeroPct = regexp.MustCompile(`(^|[^0-9.])0(\.0)?%`)

func TestThankYouNotRecorded(t *testing.T) {
	files := build(t, notRecorded(), testOpts)
	ty := string(files["thank-you.html"])
	if !strings.Contains(ty, render.NotRecorded) {
		t.Errorf("thank-you page does not say %q", render.NotRecorded)
	}
	for _, n := range []string{"thank-you.html", "index.html", "quarterly.html"} {
		if loc := zeroPct.FindStringIndex(string(files[n])); loc != nil {
			t.Errorf("%s shows a 0%%: %q", n, files[n][max(0, loc[0]-80):loc[1]])
		}
	}
	if strings.Contains(ty, `class="chart"`) {
		t.Error("thank-you page draws a chart without data")
	}
	for n := range files {
		if strings.HasPrefix(n, "tables/thank_you") {
			t.Errorf("%s written although nothing is recorded", n)
		}
	}
	if !strings.Contains(string(files["index.html"]), "not recorded") {
		t.Error("overview does not say thank-yous are not recorded")
	}
}

func TestChartContainers(t *testing.T) {
	files := build(t, fixture(), testOpts)
	want := map[string][]string{
		"index.html":        {"goal_1_trend", "goal_2_trend"},
		"retention.html":    {"retention_trend", "gain_loss", "cohort_heatmap", "lybunt_sybunt"},
		"thank-you.html":    {"thankyou_on_time", "thankyou_latency", "thankyou_backlog", "thankyou_by_tier", "thankyou_by_channel", "thankyou_by_campaign"},
		"funnel.html":       {"funnel_1", "funnel_1_cohorts", "funnel_2", "funnel_2_cohorts"},
		"quarterly.html":    {"quarterly_dollars", "quarterly_donors"},
		"data-quality.html": {"dq_rows"},
	}
	for page, ids := range want {
		for _, id := range ids {
			if !bytes.Contains(files[page], []byte(`id="`+id+`"`)) || !bytes.Contains(files[page], []byte(`class="chart`)) {
				t.Errorf("%s: no chart container %s", page, id)
			}
		}
	}
	for _, p := range pages {
		if !bytes.Contains(files[p.File], []byte(`<main data-page="`+p.Slug+`"`)) {
			t.Errorf("%s: no <main data-page=%q>", p.File, p.Slug)
		}
	}
}

func TestTablesNeutralised(t *testing.T) {
	r := fixture()
	r.ThankYou.ByCamp[0].Period = "=SUM(A1:A9)"
	r.ThankYou.ByCamp[1].Period = "-2+3"
	files := build(t, r, testOpts)
	csv := string(files["tables/thank_you_by_campaign.csv"])
	if !strings.Contains(csv, "'=SUM(A1:A9)") || !strings.Contains(csv, "'-2+3") {
		t.Errorf("campaign names not neutralised:\n%s", csv)
	}
	gl := string(files["tables/gain_loss.csv"])
	if !strings.Contains(gl, ",-31000.00,") || strings.Contains(gl, "'-") {
		t.Errorf("negative numbers must stay numbers:\n%s", gl)
	}
	x, err := excelize.OpenReader(bytes.NewReader(files["metrics.xlsx"]))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	v, err := x.GetCellValue("thank_you_by_campaign", "A2")
	if err != nil || v != "'=SUM(A1:A9)" {
		t.Errorf("xlsx campaign cell = %q, %v", v, err)
	}
	if f, _ := x.GetCellFormula("thank_you_by_campaign", "A2"); f != "" {
		t.Errorf("xlsx cell has a formula %q", f)
	}
}

func TestEmptyReport(t *testing.T) {
	for _, single := range []bool{false, true} {
		files := build(t, &metrics.Report{}, Options{SingleFile: single})
		for name, data := range files {
			if strings.HasSuffix(name, ".html") {
				checkPage(t, name, data, single)
			}
		}
	}
}
