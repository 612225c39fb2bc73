package site

import (
	"bytes"
	"fmt"
	"html/template"

	"steward"
	"steward/metrics"
	"steward/render"
)

// builder renders page bodies and collects every table shown, for the CSV
// files and the workbook.
type builder struct {
	r      *metrics.Report
	tables []*render.Table
	seen   map[string]bool
}

func (b *builder) addTable(t *render.Table) error {
	if b.seen[t.Name] {
		return fmt.Errorf("two tables named %q", t.Name)
	}
	b.seen[t.Name] = true
	b.tables = append(b.tables, t)
	return nil
}

func (b *builder) chart(c *render.Chart) (template.HTML, error) {
	if c == nil {
		return "", nil
	}
	if c.Table != nil {
		if err := b.addTable(c.Table); err != nil {
			return "", err
		}
	}
	return c.HTML()
}

func (b *builder) table(t *render.Table) (template.HTML, error) {
	if t == nil {
		return "", nil
	}
	if err := b.addTable(t); err != nil {
		return "", err
	}
	return t.HTML()
}

// pageData is what a page template sees.
type pageData struct {
	R *metrics.Report
}

// body renders the content of one page.
func (b *builder) body(p page) (template.HTML, error) {
	t, err := pageTemplates.Clone()
	if err != nil {
		return "", err
	}
	t.Funcs(template.FuncMap{"chart": b.chart, "table": b.table})
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, p.Slug, pageData{R: b.r}); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// funcs are the helpers page templates use. "chart" and "table" are bound to
// a builder for each Build.
var funcs = template.FuncMap{
	"chart":            func(*render.Chart) (template.HTML, error) { return "", nil },
	"table":            func(*render.Table) (template.HTML, error) { return "", nil },
	"retentionTrend":   render.RetentionTrend,
	"cohortHeatmap":    render.CohortHeatmap,
	"gainLoss":         render.GainLossBridge,
	"lybunt":           render.LYBUNTChart,
	"onTime":           render.OnTimeTrend,
	"latency":          render.LatencyHistogram,
	"backlog":          render.OverdueBacklog,
	"breakdown":        render.ThankYouBreakdown,
	"funnelChart":      render.FunnelChart,
	"funnelCohorts":    render.FunnelCohorts,
	"funnelImplied":    render.FunnelImplied,
	"quarterlyDollars": render.QuarterlyDollars,
	"quarterlyDonors":  render.QuarterlyDonors,
	"quarterCompare":   render.QuarterComparison,
	"quarterPair":      render.QuarterPair,
	"quarterOnTime":    render.QuarterOnTime,
	"quarterCohorts":   render.QuarterCohortHeatmap,
	"rowAccounting":    render.RowAccounting,
	"sourceTables": func(r *metrics.Report, i int) []*render.Table {
		a, b, c, d := render.SourceTables(r, i)
		return []*render.Table{a, b, c, d}
	},
	"rowsAddUp":    render.RowsAddUp,
	"negativeRows": render.NegativeRows,
	"sourcesTable": render.SourcesTable,
	"settings":     settingsTable,
	"goals":        render.Goals,
	"headlines":    render.Headlines,
	"pct":          render.Pct,
	"money":        render.Money,
	"int":          render.Int,
	"days":         render.Days,
	"longDate":     render.LongDate,
	"monthName":    render.MonthName,
	"notRecorded":  func() string { return render.NotRecorded },
	"ytd":          render.YTD,
	"latestPair":   latestPair,
	"latestThankYou": func(r *metrics.Report) struct {
		Stats metrics.ThankYouStats
		When  string
	} {
		s, w := render.LatestThankYou(r)
		return struct {
			Stats metrics.ThankYouStats
			When  string
		}{s, w}
	},
	"periodText": periodText,
	"add":        func(a, b int) int { return a + b },
	"excluded":   func(s steward.Source) int { return s.ExcludedRows() },
	"ytdYear": func(r *metrics.Report) string {
		if n := len(r.Retention); n > 0 && !r.Retention[n-1].Complete {
			return r.Retention[n-1].Period
		}
		return ""
	},
}

// latestPair returns "FY2025-Q2 against FY2024-Q2" or "".
func latestPair(r *metrics.Report) string {
	cur, prev, ok := render.LatestQuarterPair(r)
	if !ok {
		return ""
	}
	return cur.Period + " against " + prev.Period
}

// settingsTable lists the definitions' settings used for this report.
func settingsTable(r *metrics.Report) *render.Table {
	days := "calendar days"
	if r.ThankYou.Days == "business" {
		days = "business days (Monday to Friday, holidays skipped)"
	}
	key := "household / account (contact id when the export has no account)"
	if r.DonorKey == "contact" {
		key = "contact / constituent"
	}
	cur := r.Currency
	if cur == "" {
		cur = "not stated in the exports"
	}
	t := &render.Table{Name: "settings", Caption: "Settings used for this report", Columns: []string{"Setting", "Value"}}
	t.Rows = [][]render.Cell{
		{render.T("Fiscal year starts in"), render.T(render.MonthName(r.FiscalYearStartMonth))},
		{render.T("As-of date"), render.D(r.AsOf)},
		{render.T("Thank-you target"), render.T(fmt.Sprintf("%d %s", r.ThankYouTargetDays, days))},
		{render.T("A donor is a"), render.T(key)},
		{render.T("Currency"), render.T(cur)},
	}
	return t
}

var pageTemplates = template.Must(template.New("pages").Funcs(funcs).ParseFS(templateFS, "templates/pages.html"))

var frame = template.Must(template.New("frame").Funcs(funcs).ParseFS(templateFS, "templates/frame.html"))
