// Package site assembles Steward's static report: it lays out the pages of
// a metrics.Report drawn by package render (Overview, Funnels, Retention,
// Thank-you, Quarterly, Data quality, Methodology), embeds the assets and
// returns every file as bytes. It never opens files: the caller writes them.
//
// The pages work offline from a folder or an e-mail attachment: no request
// leaves the report folder, every inline script is allowed by its SHA-256 in
// a Content-Security-Policy, and every string from the data goes through
// html/template.
package site

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"steward/metrics"
	"steward/render"
)

// Options are the organisation's choices for the report's look.
type Options struct {
	Organisation string // shown in every header; "" for none
	Logo         []byte // optional logo image
	LogoType     string // "image/svg+xml", "image/png" or "image/jpeg"
	Accent       string // accent colour "#1f6f8b" (#rgb or #rrggbb); "" for the default
	SingleFile   bool   // one index.html with everything inlined, plus metrics.json
	Version      string // Steward's version, shown in the footer
}

// File is one file of the report, named by its path inside the report
// folder ("index.html", "assets/steward.css", "tables/retention.csv").
type File struct {
	Name string
	Data []byte
}

// DefaultAccent is the accent colour when Options.Accent is empty.
const DefaultAccent = "#1f6f8b"

// ErrOptions is wrapped by errors about invalid Options.
var ErrOptions = errors.New("invalid report options")

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets/steward.css
var css []byte

var accentRE = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

var logoTypes = map[string]bool{"image/svg+xml": true, "image/png": true, "image/jpeg": true}

// page is one page of the report.
type page struct {
	Slug  string // data-page value and anchor
	File  string
	Title string
}

// pages are the report's pages in navigation order.
var pages = []page{
	{"overview", "index.html", "Overview"},
	{"retention", "retention.html", "Retention"},
	{"thank-you", "thank-you.html", "Thank-you"},
	{"funnel", "funnel.html", "Funnels"},
	{"quarterly", "quarterly.html", "Quarterly"},
	{"data-quality", "data-quality.html", "Data quality"},
	{"methodology", "methodology.html", "Methodology"},
}

// Build lays out the report and returns its files sorted by name. Without
// SingleFile: one HTML file per page, assets/echarts.min.js (with its
// LICENSE and NOTICE), assets/steward.css, assets/steward.js, metrics.json,
// metrics.xlsx and one CSV per table under tables/. With SingleFile:
// index.html holding every page with scripts and styles inlined, and
// metrics.json. The same Report and Options always give the same bytes.
func Build(r *metrics.Report, opt Options) ([]File, error) {
	if r == nil {
		return nil, fmt.Errorf("site: no report")
	}
	lay, err := newLayout(r, opt)
	if err != nil {
		return nil, err
	}
	// The pages' bodies on every core, each with a builder of its own;
	// their tables are then added in page order, as one builder would.
	bodies := make([]template.HTML, len(pages))
	bs := make([]*builder, len(pages))
	errs := make([]error, len(pages))
	var wg sync.WaitGroup
	next := make(chan int, len(pages))
	for i := range pages {
		bs[i] = &builder{r: r, seen: map[string]bool{}}
		next <- i
	}
	close(next)
	for range min(runtime.GOMAXPROCS(0), len(pages)) {
		wg.Go(func() {
			for i := range next {
				bodies[i], errs[i] = bs[i].body(pages[i])
			}
		})
	}
	wg.Wait()
	b := &builder{r: r, seen: map[string]bool{}}
	for i, p := range pages {
		if errs[i] != nil {
			return nil, fmt.Errorf("site: page %s: %w", p.File, errs[i])
		}
		for _, t := range bs[i].tables {
			if err := b.addTable(t); err != nil {
				return nil, fmt.Errorf("site: page %s: %w", p.File, err)
			}
		}
	}
	// The workbook, the slowest file, meanwhile on another core.
	type result struct {
		data []byte
		err  error
	}
	workbook := make(chan result, 1)
	if !opt.SingleFile {
		go func() {
			x, err := render.XLSX(b.tables)
			workbook <- result{x, err}
		}()
	}
	mj, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("site: metrics.json: %w", err)
	}
	files := []File{{"metrics.json", append(mj, '\n')}}
	if opt.SingleFile {
		lay.ECharts = template.JS(render.ECharts())
		lay.Boot = template.JS(render.ChartBoot)
		for i, p := range pages {
			lay.Nav = append(lay.Nav, navItem{Href: "#" + p.Slug, Title: p.Title})
			lay.Mains = append(lay.Mains, mainPart{Slug: p.Slug, Title: p.Title, Body: bodies[i]})
		}
		lay.Title = "Donor report"
		html, err := lay.render()
		if err != nil {
			return nil, err
		}
		files = append(files, File{"index.html", html})
	} else {
		for i, p := range pages {
			l := *lay
			l.Title = p.Title
			l.Nav = nil
			for _, q := range pages {
				l.Nav = append(l.Nav, navItem{Href: q.File, Title: q.Title, Current: q.Slug == p.Slug})
			}
			l.Mains = []mainPart{{Slug: p.Slug, Title: p.Title, Body: bodies[i]}}
			html, err := l.render()
			if err != nil {
				return nil, fmt.Errorf("site: page %s: %w", p.File, err)
			}
			files = append(files, File{p.File, html})
		}
		lic, notice := render.EChartsLicense()
		files = append(files,
			File{"assets/echarts.min.js", render.ECharts()},
			File{"assets/ECHARTS-LICENSE.txt", lic},
			File{"assets/ECHARTS-NOTICE.txt", notice},
			File{"assets/steward.css", css},
			File{"assets/steward.js", []byte(render.ChartBoot)},
		)
		for _, t := range b.tables {
			data, err := t.CSV()
			if err != nil {
				return nil, err
			}
			files = append(files, File{"tables/" + t.Name + ".csv", data})
		}
		x := <-workbook
		if x.err != nil {
			return nil, fmt.Errorf("site: metrics.xlsx: %w", x.err)
		}
		files = append(files, File{"metrics.xlsx", x.data})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// navItem is one navigation link.
type navItem struct {
	Href    string
	Title   string
	Current bool
}

// mainPart is one page's <main>.
type mainPart struct {
	Slug  string
	Title string
	Body  template.HTML
}

// layout is what the page frame shows.
type layout struct {
	Org     string
	Title   string
	Period  string
	AsOf    string
	Version string
	Logo    template.URL
	Accent  template.CSS
	Single  bool
	CSS     template.CSS
	ECharts template.JS
	Boot    template.JS
	CSP     string
	Nav     []navItem
	Mains   []mainPart
	Echarts string // ECharts version
	// NoScript leaves out every script: the page draws nothing with
	// JavaScript and its policy allows none.
	NoScript bool
}

const cspPlaceholder = "STEWARD-CONTENT-SECURITY-POLICY"

// newLayout returns the frame of the report's pages: newFrame with the
// report's period and as-of date.
func newLayout(r *metrics.Report, opt Options) (*layout, error) {
	l, err := newFrame(opt)
	if err != nil {
		return nil, err
	}
	l.Period = periodText(r)
	l.AsOf = render.LongDate(r.AsOf)
	return l, nil
}

// newFrame checks opt and returns the page frame it asks for: organisation,
// version, accent colour, logo, and the styles inlined with SingleFile.
func newFrame(opt Options) (*layout, error) {
	accent := opt.Accent
	if accent == "" {
		accent = DefaultAccent
	}
	if !accentRE.MatchString(accent) {
		return nil, fmt.Errorf("%w: accent colour %q is not a hex colour like #1f6f8b", ErrOptions, opt.Accent)
	}
	l := &layout{Org: opt.Organisation, Version: opt.Version, Accent: template.CSS(accent), CSP: cspPlaceholder, Echarts: render.EChartsVersion}
	if len(opt.Logo) > 0 {
		if !logoTypes[opt.LogoType] {
			return nil, fmt.Errorf("%w: logo type %q: want image/svg+xml, image/png or image/jpeg", ErrOptions, opt.LogoType)
		}
		l.Logo = template.URL("data:" + opt.LogoType + ";base64," + base64.StdEncoding.EncodeToString(opt.Logo))
	}
	if opt.SingleFile {
		l.Single, l.CSS = true, template.CSS(css)
	}
	return l, nil
}

// periodText says which fiscal years the report covers.
func periodText(r *metrics.Report) string {
	if n := len(r.Retention); n > 0 {
		first, last := r.Retention[0], r.Retention[n-1]
		end := last.Period
		if !last.Complete {
			end = render.YTD(end)
		}
		if n == 1 {
			return end
		}
		return first.Period + " to " + end
	}
	if !r.Totals.FirstGift.IsZero() {
		return render.LongDate(r.Totals.FirstGift) + " to " + render.LongDate(r.Totals.LastGift)
	}
	return ""
}

var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// render executes the frame, then computes the Content-Security-Policy from
// the SHA-256 of every inline script and puts it in the placeholder.
func (l *layout) render() ([]byte, error) {
	var b bytes.Buffer
	if err := frame.ExecuteTemplate(&b, "frame", l); err != nil {
		return nil, err
	}
	out := b.Bytes()
	var hashes []string
	seen := map[string]bool{}
	for _, m := range inlineScript.FindAllSubmatch(out, -1) {
		sum := sha256.Sum256(m[1])
		h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if !seen[h] {
			seen[h] = true
			hashes = append(hashes, h)
		}
	}
	csp := "default-src 'none'; script-src 'self'"
	if l.NoScript {
		if len(hashes) > 0 {
			return nil, fmt.Errorf("site: script in a page without scripts")
		}
		csp = "default-src 'none'; script-src 'none'"
	} else if len(hashes) > 0 {
		csp += " " + strings.Join(hashes, " ")
	}
	csp += "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
	if bytes.Count(out, []byte(cspPlaceholder)) != 1 {
		return nil, fmt.Errorf("site: content security policy placeholder not found once")
	}
	return bytes.Replace(out, []byte(cspPlaceholder), []byte(csp), 1), nil
}
