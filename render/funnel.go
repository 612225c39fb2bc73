package render

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"steward/metrics"
)

// FunnelChart draws funnel i of the report (0-based): people who reached
// each stage, with the stage-to-stage table.
func FunnelChart(r *metrics.Report, i int) *Chart {
	f := r.Funnels[i]
	c := &Chart{ID: fmt.Sprintf("funnel_%d", i+1), Title: "How many people reached each stage", Height: 300}
	cols := []string{"Stage", "People who reached it", "of whom implied", "Went on to the next stage"}
	if f.WindowDays > 0 {
		cols = append(cols, "Counted (reached it before the window closed)", "Still in the window")
	}
	cols = append(cols, "Conversion to next stage", "Median days to next stage")
	t := &Table{Name: fmt.Sprintf("funnel_%d", i+1), Caption: "Stages of " + f.Name, Columns: cols}
	var data []opts.FunnelData
	implied := 0
	for k, s := range f.Stages {
		row := []Cell{T(s.Name), I(s.Reached), I(s.Implied)}
		if k == len(f.Stages)-1 {
			for len(row) < len(cols) {
				row = append(row, Cell{Kind: Text, Show: "last stage"})
			}
		} else {
			row = append(row, I(s.Converted))
			if f.WindowDays > 0 {
				row = append(row, I(s.Denominator), I(s.StillInWindow))
			}
			row = append(row, R(s.ConversionRate), N(s.MedianDaysToNext))
		}
		t.Rows = append(t.Rows, row)
		data = append(data, opts.FunnelData{Name: s.Name, Value: s.Reached})
		implied += s.Implied
	}
	if f.WindowDays > 0 {
		t.Note = fmt.Sprintf("Conversion counts a move to the next stage only within %s; people who reached a stage less than %s before the as-of date are still in the window and are not counted as dropped off.", plural(f.WindowDays, "day", "days"), plural(f.WindowDays, "day", "days"))
	}
	if implied > 0 {
		c.Note = fmt.Sprintf("%s reached a later stage with no recorded date for an earlier one; they count as having reached it on the later date (implied).", capFirst(plural(implied, "stage record was", "stage records were")))
	}
	c.Table = t
	if len(f.Stages) == 0 || f.Stages[0].Reached == 0 {
		c.Empty = "Nobody has reached the first stage yet."
		return c
	}
	c.Takeaway = funnelSentence(f)
	fn := charts.NewFunnel()
	fn.SetGlobalOptions(append(base(c.ID),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: "{b}: {c}"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))...)
	fn.AddSeries(f.Name, data,
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Left, s.Right, s.Top, s.Bottom, s.Sort = "2%", "40%", "8", "8", "none" }),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{b}: {c}", Color: "#1b2430"}))
	return c.finish(fn)
}

func funnelSentence(f metrics.Funnel) string {
	st := f.Stages
	if len(st) < 2 || st[0].ConversionRate == nil {
		return fmt.Sprintf("%s reached %s.", capFirst(plural(st[0].Reached, "person", "people")), st[0].Name)
	}
	s := fmt.Sprintf("Of %s who reached %s, %s went on to %s", plural(st[0].Denominator, "person", "people"), st[0].Name, PctShort(*st[0].ConversionRate), st[1].Name)
	worst := -1
	for k := 0; k < len(st)-1; k++ {
		if st[k].ConversionRate == nil {
			continue
		}
		if worst < 0 || *st[k].ConversionRate < *st[worst].ConversionRate {
			worst = k
		}
	}
	if worst > 0 {
		s += fmt.Sprintf("; the biggest drop is from %s to %s (%s move on)", st[worst].Name, st[worst+1].Name, PctShort(*st[worst].ConversionRate))
	}
	return s + "."
}

// FunnelCohorts charts, for funnel i, the share of each entry cohort who
// reached each later stage.
func FunnelCohorts(r *metrics.Report, i int) *Chart {
	f := r.Funnels[i]
	c := &Chart{ID: fmt.Sprintf("funnel_%d_cohorts", i+1), Title: "By the year people entered"}
	cols := []string{"Entered in"}
	for _, s := range f.Stages {
		cols = append(cols, s.Name)
	}
	t := &Table{Name: fmt.Sprintf("funnel_%d_cohorts", i+1), Caption: "People who reached each stage, by year they reached the first", Columns: cols}
	var x []string
	series := make([][]opts.LineData, len(f.Stages))
	for _, co := range f.Cohorts {
		row := []Cell{T(co.Cohort)}
		for k := range f.Stages {
			n := 0
			if k < len(co.Reached) {
				n = co.Reached[k]
			}
			row = append(row, I(n))
			if k > 0 {
				var v interface{}
				if len(co.Reached) > 0 && co.Reached[0] > 0 {
					v = round(float64(n)/float64(co.Reached[0])*100, 1)
				}
				series[k] = append(series[k], opts.LineData{Value: v})
			}
		}
		t.Rows = append(t.Rows, row)
		x = append(x, co.Cohort)
	}
	c.Table = t
	if len(f.Cohorts) < 2 || len(f.Stages) < 2 {
		c.Empty = "Cohort trends need at least two entry years and two stages."
		return c
	}
	c.Note = "Recent cohorts have had less time to move on, so their shares are expected to be lower."
	first, last := f.Cohorts[0], f.Cohorts[len(f.Cohorts)-1]
	if len(first.Reached) > 1 && len(last.Reached) > 1 && first.Reached[0] > 0 && last.Reached[0] > 0 {
		c.Takeaway = fmt.Sprintf("%s of people who entered in %s reached %s, against %s of those who entered in %s.",
			PctShort(float64(first.Reached[1])/float64(first.Reached[0])), first.Cohort, f.Stages[1].Name,
			PctShort(float64(last.Reached[1])/float64(last.Reached[0])), last.Cohort)
	}
	line := charts.NewLine()
	line.SetGlobalOptions(append(base(c.ID), charts.WithYAxisOpts(percentAxis(100)))...)
	line.SetXAxis(x)
	for k := 1; k < len(f.Stages); k++ {
		line.AddSeries("Reached "+f.Stages[k].Name, series[k], charts.WithLineChartOpts(opts.LineChart{Symbol: []string{"circle", "triangle", "rect", "diamond"}[(k-1)%4], SymbolSize: 8}))
	}
	return c.finish(line)
}
