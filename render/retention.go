package render

import (
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"steward/metrics"
)

// FEP benchmarks (calendar 2024) shown for context (docs/metrics.md).
const (
	BenchRetention       = 0.429
	BenchNewRetention    = 0.19
	BenchRepeatRetention = 0.69
)

// YTD labels an incomplete period.
func YTD(period string) string { return period + " (year to date)" }

// comparable returns the retention years that can be charted: complete and
// with donors in the year before.
func comparable(r *metrics.Report) []metrics.Retention {
	var out []metrics.Retention
	for _, y := range r.Retention {
		if y.Complete && y.PriorDonors > 0 {
			out = append(out, y)
		}
	}
	return out
}

// goalFor returns the goals on metric, in report order.
func goalFor(r *metrics.Report, metric string) []metrics.Goal {
	var out []metrics.Goal
	for _, g := range r.Goals {
		if g.Metric == metric {
			out = append(out, g)
		}
	}
	return out
}

// goalLine is a markLine item with its own label and line style, so a goal
// (solid, labelled at the start) reads apart from a benchmark (dashed,
// labelled at the end).
type goalLine struct {
	Name      string          `json:"name"`
	YAxis     float64         `json:"yAxis"`
	Label     *opts.Label     `json:"label,omitempty"`
	LineStyle *opts.LineStyle `json:"lineStyle,omitempty"`
}

// rateLines returns markLine series options with a benchmark (when
// benchName is set) and the goals on metric.
func rateLines(r *metrics.Report, metric, benchName string, bench float64) []charts.SeriesOpts {
	var out []charts.SeriesOpts
	if benchName != "" {
		out = append(out, charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: benchName + " " + PctOf(bench), YAxis: round(bench*100, 1)}))
	}
	for _, g := range goalFor(r, metric) {
		item := goalLine{Name: "Goal " + PctOf(g.Target), YAxis: round(g.Target*100, 1),
			Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "insideStartTop", Color: ColorGoal, FontWeight: "bold"},
			LineStyle: &opts.LineStyle{Type: "solid", Color: ColorGoal, Width: 1.5}}
		out = append(out, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			if s.MarkLines == nil {
				s.MarkLines = &opts.MarkLines{}
			}
			s.MarkLines.Data = append(s.MarkLines.Data, item)
		}))
	}
	if len(out) == 0 {
		return nil
	}
	return append(out, charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
		Symbol:    []string{"none", "none"},
		Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "insideEndTop"},
		LineStyle: &opts.LineStyle{Type: "dashed", Width: 1.5},
	}))
}

// RetentionTrend charts overall, new-donor and repeat-donor retention over
// complete fiscal years, with the FEP benchmarks and any goals as lines. The
// year in progress is listed in the table as "year to date", never charted.
func RetentionTrend(r *metrics.Report) *Chart {
	c := &Chart{ID: "retention_trend", Title: "Donor retention by fiscal year", Height: 340}
	ys := comparable(r)
	t := &Table{Name: "retention", Caption: "Retention by fiscal year", Currency: r.Currency,
		Columns: []string{"Fiscal year", "Donors", "Donors the year before", "Retained", "Retention", "New-donor retention", "Repeat-donor retention", "Dollar retention"}}
	for _, y := range r.Retention {
		p := T(y.Period)
		rates := []Cell{R(y.RetentionRate), R(y.NewDonorRetentionRate), R(y.RepeatDonorRetentionRate), R(y.DollarRetentionRate)}
		if !y.Complete {
			p = T(YTD(y.Period))
			for i := range rates {
				rates[i].Show = "year not over"
			}
		}
		t.Rows = append(t.Rows, append([]Cell{p, I(y.Donors), I(y.PriorDonors), I(y.Retained)}, rates...))
	}
	t.Note = fmt.Sprintf("FEP benchmarks (2024): all donors %s, new donors about %s, repeat donors about %s.", PctOf(BenchRetention), PctOf(BenchNewRetention), PctOf(BenchRepeatRetention))
	c.Table = t
	if len(ys) == 0 {
		c.Empty = "Retention needs at least one complete fiscal year with donors in the year before it."
		c.Takeaway = "There is not yet a complete year to compare with the one before."
		return c
	}
	x := make([]string, len(ys))
	all, nw, rep := make([]opts.LineData, len(ys)), make([]opts.LineData, len(ys)), make([]opts.LineData, len(ys))
	for i, y := range ys {
		x[i] = y.Period
		all[i] = opts.LineData{Value: pct100(y.RetentionRate)}
		nw[i] = opts.LineData{Value: pct100(y.NewDonorRetentionRate)}
		rep[i] = opts.LineData{Value: pct100(y.RepeatDonorRetentionRate)}
	}
	line := charts.NewLine()
	line.SetGlobalOptions(append(base(c.ID),
		charts.WithYAxisOpts(percentAxis(100)),
		charts.WithXAxisOpts(categoryAxis(len(x))))...)
	line.SetXAxis(x).
		AddSeries("All donors", all, append([]charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 8})}, rateLines(r, "retention_rate", "FEP", BenchRetention)...)...).
		AddSeries("New donors", nw, append([]charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{Symbol: "triangle", SymbolSize: 9})}, rateLines(r, "new_donor_retention_rate", "FEP new", BenchNewRetention)...)...).
		AddSeries("Repeat donors", rep, append([]charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{Symbol: "rect", SymbolSize: 8})}, rateLines(r, "repeat_donor_retention_rate", "FEP repeat", BenchRepeatRetention)...)...)
	c.Takeaway = retentionSentence(ys)
	c.Note = "Retention = donors who gave in the year before and gave again, divided by all donors of the year before. Dashed lines: FEP benchmarks; solid black line: goal."
	if l := ys[len(ys)-1]; l.SmallNumbers || l.PriorDonors < 30 {
		c.Note += fmt.Sprintf(" Small numbers: %s had only %s, so the rates can swing a lot.", l.Period, plural(l.PriorDonors, "donor the year before", "donors the year before"))
	}
	if last := r.Retention[len(r.Retention)-1]; !last.Complete {
		c.Note += " " + YTD(last.Period) + " is not shown: the year is not over."
	}
	return c.finish(line)
}

func retentionSentence(ys []metrics.Retention) string {
	last := ys[len(ys)-1]
	if last.RetentionRate == nil {
		return ""
	}
	now := *last.RetentionRate
	var s string
	if len(ys) >= 2 && ys[len(ys)-2].RetentionRate != nil {
		prev := ys[len(ys)-2]
		s = fmt.Sprintf("Donor retention %s in %s", change(*prev.RetentionRate, now, prev.Period), last.Period)
	} else {
		s = fmt.Sprintf("Donor retention was %s in %s", PctOf(now), last.Period)
	}
	switch {
	case round(now, 3) > BenchRetention:
		s += fmt.Sprintf(", above the FEP benchmark of %s.", PctOf(BenchRetention))
	case round(now, 3) < BenchRetention:
		s += fmt.Sprintf(", below the FEP benchmark of %s.", PctOf(BenchRetention))
	default:
		s += fmt.Sprintf(", level with the FEP benchmark of %s.", PctOf(BenchRetention))
	}
	return s
}

// change describes a move between two rates: "rose from 38% in FY2023 to 43%".
func change(from, to float64, fromPeriod string) string {
	a, b := PctOf(from), PctOf(to)
	switch {
	case a == b:
		return fmt.Sprintf("held at %s (as in %s)", b, fromPeriod)
	case to > from:
		return fmt.Sprintf("rose from %s in %s to %s", a, fromPeriod, b)
	default:
		return fmt.Sprintf("fell from %s in %s to %s", a, fromPeriod, b)
	}
}

// CohortHeatmap charts, for each cohort of first-time donors, the share who
// gave again 1, 2, 3... fiscal years later (complete years only).
func CohortHeatmap(r *metrics.Report) *Chart {
	c := cohortHeatmap(cohortSpec{id: "cohort_heatmap", title: "Do first-time donors come back?", table: "cohorts",
		caption: "Share of each first-year cohort who gave again", one: "year", many: "years", next: "the next year"}, r.Cohorts)
	if c.Empty != "" {
		c.Empty = "No cohort has a complete later year yet."
		return c
	}
	c.Note = "Each row is the donors whose first gift in the data fell in that fiscal year; each cell, the share of them who gave in the year that many years later. Only complete years are shown."
	if len(r.Cohorts) > 0 {
		c.Note += fmt.Sprintf(" The first row (%s) holds everyone who gave in the first year of the exports, so it may include long-standing donors whose earlier gifts are not in them.", r.Cohorts[0].Cohort)
	}
	return c
}

// QuarterCohortHeatmap charts, for the latest 12 quarterly cohorts of
// first-time donors that have a complete later quarter, the share who gave
// again 1 to 8 quarters later. The table has the same rows and columns.
func QuarterCohortHeatmap(r *metrics.Report) *Chart {
	var cos []metrics.Cohort
	for _, co := range r.QuarterCohorts {
		if len(co.Rates) > 0 {
			cos = append(cos, co)
		}
	}
	if len(cos) > 12 {
		cos = cos[len(cos)-12:]
	}
	c := cohortHeatmap(cohortSpec{id: "quarter_cohort_heatmap", title: "Do first-time donors give again in the next quarters?", table: "quarter_cohorts",
		caption: "Share of each first-quarter cohort who gave again", one: "quarter", many: "quarters", next: "the next quarter", maxK: 8}, cos)
	if c.Empty != "" {
		c.Empty = "No quarterly cohort has a complete later quarter yet."
	} else {
		c.Note = "Each row is the donors whose first gift fell in that quarter; each cell, the share of them who gave in the quarter that many quarters later. Only complete quarters are shown; the latest 12 cohorts and their first 8 quarters (all of them are in metrics.json)."
	}
	return c
}

// cohortSpec names a cohort heatmap and its periods.
type cohortSpec struct {
	id, title, table, caption string
	one, many, next           string // "year", "years", "the next year"
	maxK                      int    // most periods later shown; 0: all
}

func cohortHeatmap(sp cohortSpec, cohorts []metrics.Cohort) *Chart {
	c := &Chart{ID: sp.id, Title: sp.title}
	maxK := 0
	for _, co := range cohorts {
		if len(co.Rates) > maxK {
			maxK = len(co.Rates)
		}
	}
	if sp.maxK > 0 && maxK > sp.maxK {
		maxK = sp.maxK
	}
	cols := []string{"First gave in", "Donors"}
	x := make([]string, maxK)
	for k := 1; k <= maxK; k++ {
		x[k-1] = fmt.Sprintf("%d %s later", k, sp.many)
		if k == 1 {
			x[k-1] = fmt.Sprintf("1 %s later", sp.one)
		}
		cols = append(cols, x[k-1])
	}
	t := &Table{Name: sp.table, Caption: sp.caption, Columns: cols}
	var data []opts.HeatMapData
	y := make([]string, 0, len(cohorts))
	for _, co := range cohorts {
		// The chart leaves out cohorts with no complete later period yet
		// (the table keeps them, "not yet").
		i := len(y)
		if len(co.Rates) > 0 {
			y = append(y, co.Cohort)
		}
		row := []Cell{T(co.Cohort), I(co.Size)}
		for k := 0; k < maxK; k++ {
			if k < len(co.Rates) {
				v := co.Rates[k]
				row = append(row, R(&v))
				data = append(data, opts.HeatMapData{Value: [3]interface{}{k, i, round(v*100, 1)}})
			} else {
				row = append(row, Cell{Kind: Rate, Null: true, Show: "not yet"})
			}
		}
		t.Rows = append(t.Rows, row)
	}
	c.Table = t
	if len(data) == 0 {
		c.Empty = "none"
		return c
	}
	c.Height = 80 + 36*len(y)
	if c.Height < 240 {
		c.Height = 240
	}
	// Latest cohort with a period-1 figure.
	for i := len(cohorts) - 1; i >= 0; i-- {
		if co := cohorts[i]; len(co.Rates) > 0 {
			c.Takeaway = fmt.Sprintf("Of the %s donors who first gave in %s, %s gave again %s.", Int(co.Size), co.Cohort, PctOf(co.Rates[0]), sp.next)
			break
		}
	}
	xa := opts.XAxis{Type: "category", Data: x, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}
	if maxK > 5 {
		xa.AxisLabel = &opts.AxisLabel{Interval: "0", Rotate: 30}
	}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(append(base(c.ID, opts.Grid{Left: "3%", Right: "4%", Top: "10", Bottom: "60", ContainLabel: opts.Bool(true)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(xa),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: y, Inverse: opts.Bool(true), SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "continuous", Calculable: opts.Bool(false), Min: 0, Max: 100,
			Orient: "horizontal", Left: "center", Bottom: "0", Text: []string{"all gave again", "none"},
			InRange: &opts.VisualMapInRange{Color: []string{"#f2f7fb", "#56B4E9", "#0072B2"}}}),
	)...)
	lbl := opts.Label{Show: opts.Bool(true), Formatter: "{@[2]}%"}
	if maxK > 5 {
		lbl.FontSize = 10
	}
	hm.AddSeries("Gave again (%)", data, charts.WithLabelOpts(lbl))
	return c.finish(hm)
}

// GainLossBridge charts the FEP gain/loss bridge per complete fiscal year:
// gains (new, recaptured, upgrades) above zero, losses (downgrades, lapsed)
// below, in dollars.
func GainLossBridge(r *metrics.Report) *Chart {
	c := &Chart{ID: "gain_loss", Title: "Where giving was gained and lost", Height: 340}
	ys := comparable(r)
	t := &Table{Name: "gain_loss", Caption: "Gain/loss bridge (FEP), in " + currencyName(r.Currency), Currency: r.Currency,
		Columns: []string{"Fiscal year", "New donors", "Recaptured donors", "Upgrades", "Downgrades", "Lapsed donors", "Net change", "Growth in giving"}}
	for _, y := range ys {
		t.Rows = append(t.Rows, []Cell{T(y.Period), M(y.NewDollars), M(y.RecapturedDollars), M(y.UpgradeDollars), M(-y.DowngradeDollars), M(-y.LapsedDollars), M(y.Gains - y.Losses), R(y.GrowthInGiving)})
	}
	c.Table = t
	if len(ys) == 0 {
		c.Empty = "The bridge needs a complete fiscal year with giving in the year before it."
		return c
	}
	x := make([]string, len(ys))
	ser := [5][]opts.BarData{}
	for i, y := range ys {
		x[i] = y.Period
		for j, v := range []float64{y.NewDollars, y.RecapturedDollars, y.UpgradeDollars, -y.DowngradeDollars, -y.LapsedDollars} {
			ser[j] = append(ser[j], opts.BarData{Value: round(v, 2)})
		}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(c.ID),
		charts.WithXAxisOpts(categoryAxis(len(x))),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: currencyName(r.Currency)}),
	)...)
	bar.SetXAxis(x)
	names := []string{"New donors", "Recaptured donors", "Upgrades", "Downgrades", "Lapsed donors"}
	colors := []string{"#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00"}
	for j, n := range names {
		bar.AddSeries(n, ser[j], charts.WithBarChartOpts(opts.BarChart{Stack: "bridge"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colors[j]}))
	}
	last := ys[len(ys)-1]
	verb := "grew"
	if last.Gains < last.Losses {
		verb = "shrank"
	}
	c.Takeaway = fmt.Sprintf("In %s, gains of %s (new, recaptured and upgraded donors) against losses of %s (downgraded and lapsed donors): giving from donors %s by %s.",
		last.Period, Money(last.Gains, r.Currency), Money(last.Losses, r.Currency), verb, Money(abs(last.Gains-last.Losses), r.Currency))
	if last.GrowthInGiving != nil {
		c.Takeaway = strings.TrimSuffix(c.Takeaway, ".") + fmt.Sprintf(" (%s growth in giving).", signedPct(*last.GrowthInGiving))
	}
	return c.finish(bar)
}

// LYBUNTChart charts LYBUNT and SYBUNT donor counts per fiscal year, the year
// in progress included (that is where they matter most).
func LYBUNTChart(r *metrics.Report) *Chart {
	c := &Chart{ID: "lybunt_sybunt", Title: "Donors who have not given again (LYBUNT and SYBUNT)"}
	t := &Table{Name: "lybunt_sybunt", Caption: "LYBUNT and SYBUNT donors (counts and dollars only)", Currency: r.Currency,
		Columns: []string{"Fiscal year", "Gave last year, not this (LYBUNT)", "Their giving last year", "Gave in earlier years, not since (SYBUNT)", "Their giving before last year"}}
	var x []string
	var ly, sy []opts.BarData
	for _, y := range r.Retention {
		if y.PriorDonors == 0 && y.LYBUNT == 0 && y.SYBUNT == 0 {
			continue
		}
		p := y.Period
		if !y.Complete {
			p = YTD(p)
		}
		x = append(x, p)
		ly = append(ly, opts.BarData{Value: y.LYBUNT})
		sy = append(sy, opts.BarData{Value: y.SYBUNT})
		t.Rows = append(t.Rows, []Cell{T(p), I(y.LYBUNT), M(y.LYBUNTDollars), I(y.SYBUNT), M(y.SYBUNTDollars)})
	}
	c.Table = t
	c.Note = "LYBUNT: gave Last Year But Unfortunately Not This year. SYBUNT: gave Some Year But Unfortunately Not This year, counted in the exclusive form: gave before last year, but neither last year nor this year, so no donor is in both groups."
	if len(x) == 0 {
		c.Empty = "No year has donors from an earlier year yet."
		return c
	}
	last := r.Retention[len(r.Retention)-1]
	prev := "the year before"
	if len(r.Retention) >= 2 {
		prev = r.Retention[len(r.Retention)-2].Period
	}
	if !last.Complete {
		c.Takeaway = fmt.Sprintf("%s who gave in %s have not given yet in %s (year to date); last year they gave %s.", capFirst(plural(last.LYBUNT, "donor", "donors")), prev, last.Period, Money(last.LYBUNTDollars, r.Currency))
	} else {
		c.Takeaway = fmt.Sprintf("%s who gave in %s did not give in %s; they had given %s.", capFirst(plural(last.LYBUNT, "donor", "donors")), prev, last.Period, Money(last.LYBUNTDollars, r.Currency))
	}
	if last.SYBUNT > 0 {
		c.Takeaway += fmt.Sprintf(" Another %s gave in earlier years but not in %s or since.", plural(last.SYBUNT, "donor", "donors"), prev)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(c.ID), charts.WithXAxisOpts(categoryAxis(len(x))), charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "donors", MinInterval: 1}))...)
	bar.SetXAxis(x).
		AddSeries("Last year, not this (LYBUNT)", ly, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#E69F00"})).
		AddSeries("Earlier, not since (SYBUNT)", sy, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#CC79A7"}))
	return c.finish(bar)
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// signedPct formats a fraction with a sign: "+4.2%", "-3.0%".
func signedPct(v float64) string {
	if v > 0 {
		return "+" + PctOf(v)
	}
	return PctOf(v)
}

func capFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func currencyName(code string) string {
	if code == "" {
		return "dollars"
	}
	return code
}
