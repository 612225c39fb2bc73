package render

import (
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"steward/metrics"
)

// metricNames are plain names of the metrics a goal can name.
var metricNames = map[string]string{
	"retention_rate":              "Donor retention",
	"new_donor_retention_rate":    "New-donor retention",
	"repeat_donor_retention_rate": "Repeat-donor retention",
	"dollar_retention_rate":       "Dollar retention",
	"acquisition_rate":            "Donor acquisition",
	"growth_in_giving":            "Growth in giving",
	"on_time_rate":                "On-time thank-yous",
	"median_days":                 "Median days to thank",
	"p90_days":                    "Days to thank 90% of gifts",
	"conversion_rate":             "Conversion",
	"funnel_conversion":           "Funnel conversion",
	"donors":                      "Donors",
	"new_donors":                  "New donors",
	"dollars":                     "Giving",
	"gifts":                       "Gifts",
}

// MetricName returns the plain name of a metric ("Donor retention").
func MetricName(metric string) string {
	if n, ok := metricNames[metric]; ok {
		return n
	}
	return capFirst(strings.ReplaceAll(metric, "_", " "))
}

// metricKind says how a goal's values are written.
func metricKind(metric string) Kind {
	switch {
	case strings.HasSuffix(metric, "_rate") || metric == "growth_in_giving" || strings.HasSuffix(metric, "conversion"):
		return Rate
	case strings.Contains(metric, "days"):
		return Number
	case strings.Contains(metric, "dollars") || strings.Contains(metric, "amount"):
		return Amount
	}
	return Count
}

// FormatMetric writes a value of metric as people read it: 43%, 2.5 days,
// $12,000, 1,204.
func FormatMetric(metric string, v float64, currency string) string {
	switch metricKind(metric) {
	case Rate:
		return PctOf(v)
	case Number:
		return Days(&v)
	case Amount:
		return Money(v, currency)
	}
	return Int(int(v))
}

// plotValue is the value drawn for metric (rates as percentages).
func plotValue(metric string, v float64) float64 {
	if metricKind(metric) == Rate {
		return round(v*100, 1)
	}
	return round(v, 2)
}

var comparisonWords = map[string]string{">=": "at least", ">": "more than", "<=": "at most", "<": "less than"}

// GoalView is one goal as the scorecard shows it.
type GoalView struct {
	Label       string // the organisation's label, or the metric's name
	Metric      string // plain metric name
	Period      string // "in FY2024", "across all the data"
	Actual      string // "43%", or "no data"
	Target      string // "at least 45%"
	Status      string // met, missed, too close to call, no data
	StatusClass string // met, missed, close, nodata (CSS class)
	Interval    string // "95% range: 40%-47%", or ""
	Small       bool   // small numbers flag
	Sentence    string // one plain sentence written from the data
	Spark       *Chart // the metric over recent complete periods, or nil
}

// Goals returns the scorecard of every goal in the report, in order.
func Goals(r *metrics.Report) []GoalView {
	out := make([]GoalView, 0, len(r.Goals))
	for i, g := range r.Goals {
		v := GoalView{Label: g.Label, Metric: MetricName(g.Metric), Period: inPeriod(g.Period), Status: g.Status, Small: g.SmallNumbers}
		if v.Label == "" {
			v.Label = v.Metric
		}
		v.Target = strings.TrimSpace(comparisonWords[g.Comparison] + " " + FormatMetric(g.Metric, g.Target, r.Currency))
		switch g.Status {
		case "met":
			v.StatusClass = "met"
		case "missed":
			v.StatusClass = "missed"
		case "too close to call":
			v.StatusClass = "close"
		default:
			v.StatusClass, v.Status = "nodata", "no data"
		}
		if g.Actual != nil {
			v.Actual = FormatMetric(g.Metric, *g.Actual, r.Currency)
		} else {
			v.Actual = "no data"
		}
		if len(g.CI95) == 2 && metricKind(g.Metric) == Rate {
			v.Interval = fmt.Sprintf("95%% range: %s to %s", FormatMetric(g.Metric, g.CI95[0], r.Currency), FormatMetric(g.Metric, g.CI95[1], r.Currency))
		}
		v.Sentence = goalSentence(g, r.Currency)
		if g.Metric == "funnel_conversion" {
			v.Sentence += impliedWarning(r, g)
		}
		v.Spark = goalSpark(g, i, r.Currency)
		out = append(out, v)
	}
	return out
}

// impliedWarning says, for a funnel conversion goal, how many of the people
// at the goal's stage are implied, when they are at least a fifth: their
// move on is automatic, so the rate reads high. The goal is matched to its
// stage by its value and denominator.
func impliedWarning(r *metrics.Report, g metrics.Goal) string {
	if g.Actual == nil {
		return ""
	}
	for _, f := range r.Funnels {
		for k, s := range f.Stages {
			if s.ConversionRate == nil || *s.ConversionRate != *g.Actual || s.Denominator != g.Denominator || k+1 >= len(f.Stages) {
				continue
			}
			if s.Reached == 0 || s.Implied*5 < s.Reached {
				return ""
			}
			return fmt.Sprintf(" Read with care: %s of the %s counted at %s (%s) have no record of it and count as reaching it when they reached %s or later, so this rate reads high (see Funnels).",
				Int(s.Implied), Int(s.Reached), s.Name, PctOf(float64(s.Implied)/float64(s.Reached)), f.Stages[k+1].Name)
		}
	}
	return ""
}

func goalSentence(g metrics.Goal, cur string) string {
	name := MetricName(g.Metric)
	if g.Actual == nil || g.Status == "no data" || g.Status == "" {
		s := fmt.Sprintf("%s cannot be measured %s", name, inPeriod(g.Period))
		if g.Reason != "" {
			return s + ": " + strings.TrimSuffix(g.Reason, ".") + "."
		}
		return s + "."
	}
	f := func(v float64) string { return FormatMetric(g.Metric, v, cur) }
	var pts []metrics.GoalPoint
	for _, p := range g.Trend {
		if p.Value != nil {
			pts = append(pts, p)
		}
	}
	var s string
	now := f(*g.Actual)
	if n := len(pts); n >= 2 && pts[n-1].Period == g.Period {
		prev := f(*pts[n-2].Value)
		switch {
		case prev == now:
			s = fmt.Sprintf("%s held at %s %s", name, now, inPeriod(g.Period))
		case *pts[n-2].Value < *g.Actual:
			s = fmt.Sprintf("%s rose from %s to %s %s", name, prev, now, inPeriod(g.Period))
		default:
			s = fmt.Sprintf("%s fell from %s to %s %s", name, prev, now, inPeriod(g.Period))
		}
	} else {
		s = fmt.Sprintf("%s was %s %s", name, now, inPeriod(g.Period))
	}
	target := f(g.Target)
	switch g.Status {
	case "met":
		s += fmt.Sprintf("; the goal of %s %s was met.", comparisonWords[g.Comparison], target)
	case "missed":
		s += fmt.Sprintf("; the goal of %s %s was missed.", comparisonWords[g.Comparison], target)
	case "too close to call":
		s += fmt.Sprintf("; the %s goal is within the margin of error, so it is too close to call.", target)
	default:
		s += "."
	}
	if g.SmallNumbers {
		if g.Denominator > 0 {
			s += fmt.Sprintf(" Based on only %s: read with care.", plural(g.Denominator, "donor or gift", "donors or gifts"))
		} else {
			s += " Based on small numbers: read with care."
		}
	}
	return s
}

// inPeriod says when a goal is measured: "in FY2024", "across all the
// data" (period "all"), "in the latest complete year" ("").
func inPeriod(p string) string {
	switch strings.ToLower(p) {
	case "":
		return "in the latest complete year"
	case "all":
		return "across all the data"
	}
	return "in " + p
}

// goalSpark draws a goal's trend as a small line with the target; nil with
// fewer than two values.
func goalSpark(g metrics.Goal, i int, cur string) *Chart {
	var x []string
	var data []opts.LineData
	var parts []string
	n := 0
	for _, p := range g.Trend {
		x = append(x, p.Period)
		if p.Value == nil {
			data = append(data, opts.LineData{Value: nil})
			parts = append(parts, p.Period+": n/a")
			continue
		}
		n++
		data = append(data, opts.LineData{Value: plotValue(g.Metric, *p.Value)})
		parts = append(parts, p.Period+": "+FormatMetric(g.Metric, *p.Value, cur))
	}
	if n < 2 {
		return nil
	}
	// The axis spans the values and the target, so the goal line shows.
	lo, hi := plotValue(g.Metric, g.Target), plotValue(g.Metric, g.Target)
	for _, p := range g.Trend {
		if p.Value != nil {
			v := plotValue(g.Metric, *p.Value)
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	pad := (hi - lo) * 0.15
	if pad == 0 {
		pad = 1
	}
	c := &Chart{ID: fmt.Sprintf("goal_%d_trend", i+1), Title: MetricName(g.Metric) + " trend", Height: 90, compact: true,
		Takeaway: strings.Join(parts, " · ") + " (dashed line: goal)"}
	line := charts.NewLine()
	line.SetGlobalOptions(append(base(c.ID, opts.Grid{Left: "4", Right: "4", Top: "8", Bottom: "4", ContainLabel: opts.Bool(false)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Show: opts.Bool(false), Min: round(lo-pad, 2), Max: round(hi+pad, 2)}))...)
	line.SetXAxis(x).AddSeries(MetricName(g.Metric), data,
		charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 6}),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 2}),
		charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: "Goal", YAxis: plotValue(g.Metric, g.Target)}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(false)},
			LineStyle: &opts.LineStyle{Type: "dashed", Color: ColorGoal, Width: 1}}))
	return c.finish(line)
}

// Headline is one headline figure with its context.
type Headline struct {
	Label   string
	Value   string
	Context string // benchmark or period
	Words   bool   // Value is words ("not recorded"), not a figure
}

// Headlines returns the headline figures: donors, giving, retention (all,
// new, repeat, with the FEP benchmarks) and the on-time thank-you rate.
func Headlines(r *metrics.Report) []Headline {
	var h []Headline
	ys := comparable(r)
	var last *metrics.Retention
	if len(ys) > 0 {
		last = &ys[len(ys)-1]
	}
	if last != nil {
		h = append(h, Headline{Label: "Donors", Value: Int(last.Donors), Context: "in " + last.Period})
		h = append(h, Headline{Label: "Giving from donors", Value: Money(last.Dollars, r.Currency), Context: "in " + last.Period})
	} else {
		h = append(h, Headline{Label: "Donors", Value: Int(r.Totals.Donors), Context: "in all the data"})
		h = append(h, Headline{Label: "Giving", Value: Money(r.Totals.Dollars, r.Currency), Context: "in all the data"})
	}
	rate := func(label string, v *float64, bench float64) {
		if last == nil {
			h = append(h, Headline{Label: label, Value: "not yet", Context: "needs a complete year after a year with donors", Words: true})
			return
		}
		b := strings.Replace(PctOf(bench), ".0%", "%", 1)
		ctx := fmt.Sprintf("in %s; FEP benchmark %s", last.Period, b)
		if v != nil {
			switch {
			case round(*v, 3) > bench:
				ctx = fmt.Sprintf("in %s: above the FEP benchmark (%s)", last.Period, b)
			case round(*v, 3) < bench:
				ctx = fmt.Sprintf("in %s: below the FEP benchmark (%s)", last.Period, b)
			default:
				ctx = fmt.Sprintf("in %s: level with the FEP benchmark (%s)", last.Period, b)
			}
		}
		h = append(h, Headline{Label: label, Value: Pct(v), Context: ctx, Words: v == nil})
	}
	if last != nil {
		rate("Donor retention", last.RetentionRate, BenchRetention)
		rate("New-donor retention", last.NewDonorRetentionRate, BenchNewRetention)
		rate("Repeat-donor retention", last.RepeatDonorRetentionRate, BenchRepeatRetention)
	} else {
		rate("Donor retention", nil, BenchRetention)
	}
	ty := r.ThankYou
	if !ty.Recorded {
		h = append(h, Headline{Label: "Thanked on time", Value: "not recorded", Context: "thank-you dates are not in these exports", Words: true})
	} else {
		st, when := LatestThankYou(r)
		h = append(h, Headline{Label: "Thanked on time", Value: Pct(st.OnTimeRate), Context: fmt.Sprintf("within %s, %s", plural(ty.TargetDays, dayWord(ty.Days), dayWord(ty.Days)+"s"), when), Words: st.OnTimeRate == nil})
	}
	return h
}

// LatestThankYou returns the thank-you figures of the latest complete fiscal
// year that has them, and "in FY2025"; without one, the figures of all the
// gifts and "all gifts in the data". The goal scorecard scores the latest
// complete year, so the headline figure matches it.
func LatestThankYou(r *metrics.Report) (metrics.ThankYouStats, string) {
	ps := r.ThankYou.Periods
	for i := len(ps) - 1; i >= 0; i-- {
		p := ps[i]
		if complete(r, p.Period) && !p.Suppressed && p.OnTimeRate != nil {
			return p, "in " + p.Period
		}
	}
	return r.ThankYou.Overall, "all gifts in the data"
}
