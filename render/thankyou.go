package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"steward/metrics"
)

// NotRecorded is what the report says when no export has thank-you dates.
const NotRecorded = "Thank-you dates are not recorded in these exports."

// complete reports whether the period labelled p is complete, looking it up
// among the report's fiscal years and quarters; unknown labels count as
// complete.
func complete(r *metrics.Report, p string) bool {
	for _, y := range r.Retention {
		if y.Period == p {
			return y.Complete
		}
	}
	for _, q := range r.Quarters {
		if q.Period == p {
			return q.Complete
		}
	}
	return true
}

func thankYouTable(name, caption, first string, rows []metrics.ThankYouStats, r *metrics.Report) *Table {
	t := &Table{Name: name, Caption: caption,
		Columns: []string{first, "Gifts to thank", "Thanked", "On time", "Overdue", "Not yet due", "On-time rate", "Median days", "Days for 90%"}}
	for _, s := range rows {
		label := s.Period
		if first == "Period" && !complete(r, s.Period) {
			label = YTD(s.Period)
		}
		if first == "Quarter" && !complete(r, s.Period) {
			label = s.Period + " (to date)"
		}
		if s.Suppressed {
			sup := Cell{Kind: Text, S: "", Show: "suppressed (small group)"}
			t.Rows = append(t.Rows, []Cell{T(label), sup, sup, sup, sup, sup, sup, sup, sup})
			continue
		}
		t.Rows = append(t.Rows, []Cell{T(label), I(s.Eligible), I(s.Acknowledged), I(s.OnTime), I(s.Overdue), I(s.Pending), R(s.OnTimeRate), N(s.MedianDays), N(s.P90Days)})
	}
	return t
}

// OnTimeTrend charts the on-time thank-you rate per fiscal year with any
// on-time goal as a line; the year in progress is drawn pale and labelled
// "year to date". It returns nil when thank-you dates are not recorded.
func OnTimeTrend(r *metrics.Report) *Chart {
	ty := r.ThankYou
	if !ty.Recorded {
		return nil
	}
	c := &Chart{ID: "thankyou_on_time", Title: fmt.Sprintf("Gifts thanked within %s", plural(ty.TargetDays, dayWord(ty.Days), dayWord(ty.Days)+"s"))}
	c.Table = thankYouTable("thank_you_by_year", "Thank-you timeliness by fiscal year", "Period", ty.Periods, r)
	x, data, lastFull := onTimeBars(r, ty.Periods, YTD)
	if len(data) == 0 {
		c.Empty = "No thanked or overdue gifts to measure yet."
		return c
	}
	if lastFull != nil {
		c.Takeaway = fmt.Sprintf("In %s, %s of gifts were thanked within %s (median %s).", lastFull.Period, PctOf(*lastFull.OnTimeRate), plural(ty.TargetDays, dayWord(ty.Days), dayWord(ty.Days)+"s"), Days(lastFull.MedianDays))
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(c.ID), charts.WithXAxisOpts(categoryAxis(len(x))), charts.WithYAxisOpts(percentAxis(100)), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))...)
	so := []charts.SeriesOpts{charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "{c}%"})}
	so = append(so, rateLines(r, "on_time_rate", "", 0)...)
	bar.SetXAxis(x).AddSeries("On-time rate", data, so...)
	c.Note = "On time = thanked within the target. Rate = on time / (thanked + overdue); gifts still inside the target window are left out. Pale bar: year to date. Black line: goal."
	return c.finish(bar)
}

// onTimeBars returns the bars of the on-time rate of each period of stats
// that has one: the labels, the values (pale for a period in progress,
// labelled by partial) and the last complete period (nil when there is none).
func onTimeBars(r *metrics.Report, stats []metrics.ThankYouStats, partial func(string) string) ([]string, []opts.BarData, *metrics.ThankYouStats) {
	var x []string
	var data []opts.BarData
	var last *metrics.ThankYouStats
	for i, s := range stats {
		if s.Suppressed || s.OnTimeRate == nil {
			continue
		}
		d := opts.BarData{Value: pct100(s.OnTimeRate)}
		label := s.Period
		if !complete(r, s.Period) {
			label = partial(s.Period)
			d.ItemStyle = &opts.ItemStyle{Color: ColorPartial}
		} else {
			last = &stats[i]
		}
		x = append(x, label)
		data = append(data, d)
	}
	return x, data, last
}

func dayWord(days string) string {
	if days == "business" {
		return "business day"
	}
	return "day"
}

// LatencyHistogram charts how many days thank-yous took. Nil when not
// recorded.
func LatencyHistogram(r *metrics.Report) *Chart {
	ty := r.ThankYou
	if !ty.Recorded {
		return nil
	}
	c := &Chart{ID: "thankyou_latency", Title: "How long thank-yous took"}
	t := &Table{Name: "thank_you_latency", Caption: "Thanked gifts by days from gift to thank-you", Columns: []string{"Days", "Gifts"}}
	var x []string
	var data []opts.BarData
	for _, b := range ty.Histogram {
		t.Rows = append(t.Rows, []Cell{T(b.Label), I(b.Count)})
		x = append(x, b.Label)
		data = append(data, opts.BarData{Value: b.Count})
	}
	c.Table = t
	o := ty.Overall
	if o.MedianDays != nil && o.P90Days != nil {
		c.Takeaway = fmt.Sprintf("Across all years, half of the thank-yous went out within %s of the gift, and 90%% within %s.", Days(o.MedianDays), Days(o.P90Days))
	}
	if len(data) == 0 {
		c.Empty = "No thanked gifts yet."
		return c
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(c.ID),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: "days"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "gifts", MinInterval: 1}))...)
	bar.SetXAxis(x).AddSeries("Gifts", data, charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "10%"}))
	return c.finish(bar)
}

// OverdueBacklog charts unthanked gifts past the target by how long they
// have waited. Nil when not recorded.
func OverdueBacklog(r *metrics.Report) *Chart {
	ty := r.ThankYou
	if !ty.Recorded {
		return nil
	}
	c := &Chart{ID: "thankyou_backlog", Title: "Gifts still waiting for a thank-you", Height: 260}
	t := &Table{Name: "thank_you_backlog", Caption: "Overdue gifts by time waited, at the as-of date", Currency: r.Currency, Columns: []string{"Waiting", "Gifts", "Amount"}}
	var x []string
	var data []opts.BarData
	n, dollars := 0, 0.0
	for _, b := range ty.Backlog {
		t.Rows = append(t.Rows, []Cell{T(b.Label), I(b.Count), M(b.Dollars)})
		x = append(x, b.Label)
		data = append(data, opts.BarData{Value: b.Count})
		n += b.Count
		dollars += b.Dollars
	}
	c.Table = t
	if n == 0 {
		c.Takeaway = "No gift is overdue for a thank-you."
		c.Empty = "No overdue gifts."
		return c
	}
	c.Takeaway = fmt.Sprintf("%s worth %s %s past the %s target without a recorded thank-you.", capFirst(plural(n, "gift", "gifts")), Money(dollars, r.Currency), isAre(n), fmt.Sprintf("%d-%s", ty.TargetDays, strings.ReplaceAll(dayWord(ty.Days), " ", "-")))
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(c.ID),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "gifts", MinInterval: 1}))...)
	bar.SetXAxis(x).AddSeries("Overdue gifts", data, charts.WithItemStyleOpts(opts.ItemStyle{Color: ColorBad}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top"}))
	return c.finish(bar)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// maxBars is the most groups a breakdown chart draws.
const maxBars = 15

// ThankYouBreakdown charts the on-time rate by a breakdown (gift size,
// channel, campaign) as horizontal bars. kind is "tier", "channel" or
// "campaign". Nil when not recorded.
func ThankYouBreakdown(r *metrics.Report, kind string) *Chart {
	ty := r.ThankYou
	if !ty.Recorded {
		return nil
	}
	var rows []metrics.ThankYouStats
	var title, first string
	switch kind {
	case "tier":
		rows, title, first = ty.ByTier, "On time by gift size", "Gift size"
	case "channel":
		rows, title, first = ty.ByChannel, "On time by channel", "Channel"
	default:
		kind = "campaign"
		rows, title, first = ty.ByCamp, "On time by campaign", "Campaign"
	}
	c := &Chart{ID: "thankyou_by_" + kind, Title: title}
	c.Table = thankYouTable("thank_you_by_"+kind, title, first, rows, r)
	type lr struct {
		label    string
		v        float64
		eligible int
	}
	var ok []lr
	for _, s := range rows {
		if s.Suppressed || s.OnTimeRate == nil {
			continue
		}
		ok = append(ok, lr{s.Period, *s.OnTimeRate, s.Eligible})
	}
	// Chart at most maxBars groups, the largest by gifts; the table lists all.
	shown := ok
	if len(ok) > maxBars {
		shown = append([]lr(nil), ok...)
		sort.SliceStable(shown, func(i, j int) bool { return shown[i].eligible > shown[j].eligible })
		shown = shown[:maxBars]
		keep := map[string]bool{}
		for _, x := range shown {
			keep[x.label] = true
		}
		shown = shown[:0]
		for _, x := range ok {
			if keep[x.label] && len(shown) < maxBars {
				shown = append(shown, x)
			}
		}
		c.Note = fmt.Sprintf("The chart shows the %d groups with the most gifts; the table lists all %d.", maxBars, len(ok))
	}
	var y []string
	var data []opts.BarData
	for _, x := range shown {
		y = append(y, x.label)
		data = append(data, opts.BarData{Value: round(x.v*100, 1)})
	}
	if len(data) == 0 {
		c.Empty = "Nothing to compare yet."
		return c
	}
	// The sentence compares groups of 30 gifts or more when there are two,
	// so a campaign with one gift does not top the list.
	cand := []lr{}
	for _, x := range ok {
		if x.eligible >= 30 {
			cand = append(cand, x)
		}
	}
	if len(cand) < 2 {
		cand = append(cand[:0], ok...)
	}
	if len(cand) >= 2 {
		sort.SliceStable(cand, func(i, j int) bool { return cand[i].v > cand[j].v })
		b, w := cand[0], cand[len(cand)-1]
		if b.v != w.v {
			c.Takeaway = fmt.Sprintf("Most often on time: %s (%s); least often: %s (%s).", b.label, PctOf(b.v), w.label, PctOf(w.v))
		} else {
			c.Takeaway = fmt.Sprintf("Every group was on time at the same rate (%s).", PctOf(b.v))
		}
	}
	c.Height = 60 + 34*len(y)
	if c.Height < 200 {
		c.Height = 200
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(c.ID, opts.Grid{Left: "3%", Right: "8%", Top: "10", Bottom: "10", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Width: 140, Overflow: "truncate"}}))...)
	bar.SetXAxis(y).XYReversal().AddSeries("On-time rate", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{c}%"}))
	return c.finish(bar)
}
