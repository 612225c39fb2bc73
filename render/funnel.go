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
	cols := []string{"Stage", "Reached it", "of whom implied", "Went on to the next stage"}
	if f.WindowDays > 0 {
		cols = append(cols, "Counted", "Still in the window")
	}
	cols = append(cols, "Conversion to next stage", "Median days to next stage")
	t := &Table{Name: fmt.Sprintf("funnel_%d", i+1), Caption: "Stages of " + f.Name, Columns: cols}
	var names []string
	var recorded, impliedData []opts.BarData
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
		names = append(names, s.Name+" ("+Int(s.Reached)+")")
		recorded = append(recorded, opts.BarData{Value: s.Reached - s.Implied})
		impliedData = append(impliedData, opts.BarData{Value: s.Implied})
		implied += s.Implied
	}
	if f.WindowDays > 0 {
		t.Note = fmt.Sprintf("Conversion counts a move to the next stage only within %s. Counted: people who reached the stage at least %s before the as-of date; the others are still in the window and are not counted as dropped off.", plural(f.WindowDays, "day", "days"), plural(f.WindowDays, "day", "days"))
	}
	if implied > 0 {
		c.Note = "Pale: implied. People with no record of a stage who reached a later one count as having reached it on the later date. Their move to the next stage is automatic, so a stage with many implied people shows a higher conversion than the people recorded at it achieved."
	}
	c.Table = t
	if len(f.Stages) == 0 || f.Stages[0].Reached == 0 {
		c.Empty = "Nobody has reached the first stage yet."
		return c
	}
	c.Takeaway = funnelSentence(f)
	c.Height = 90 + 44*len(f.Stages)
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(c.ID, opts.Grid{Left: "2%", Right: "6%", Top: "8", Bottom: "36", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", MinInterval: 1, SplitNumber: 3, AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Inverse: opts.Bool(true)}))...)
	bar.SetXAxis(names).
		AddSeries("Recorded", recorded, charts.WithBarChartOpts(opts.BarChart{Stack: "reached"})).
		AddSeries("Implied", impliedData, charts.WithBarChartOpts(opts.BarChart{Stack: "reached"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: ColorUnsure, Opacity: opts.Float(0.55)}))
	return c.finish(bar)
}

func funnelSentence(f metrics.Funnel) string {
	st := f.Stages
	if len(st) < 2 || st[0].ConversionRate == nil {
		return fmt.Sprintf("%s reached %s.", capFirst(plural(st[0].Reached, "person", "people")), st[0].Name)
	}
	who := plural(st[0].Denominator, "person", "people")
	if f.WindowDays > 0 {
		who += fmt.Sprintf(" who reached %s at least %s ago", st[0].Name, plural(f.WindowDays, "day", "days"))
	} else {
		who += " who reached " + st[0].Name
	}
	s := fmt.Sprintf("Of the %s, %s went on to %s", who, PctOf(*st[0].ConversionRate), st[1].Name)
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
		s += fmt.Sprintf("; the biggest drop is from %s to %s (%s move on)", st[worst].Name, st[worst+1].Name, PctOf(*st[worst].ConversionRate))
	}
	return s + "."
}

// FunnelImplied returns, for each stage of f where at least a fifth of the
// people are implied, a sentence saying so and what it does to the
// conversion from that stage.
func FunnelImplied(f metrics.Funnel) []string {
	var out []string
	for k, s := range f.Stages {
		if s.Reached == 0 || s.Implied*5 < s.Reached {
			continue
		}
		w := fmt.Sprintf("%s of the %s counted at %s (%s) have no record of it: they count as reaching it when they reached a later stage",
			Int(s.Implied), Int(s.Reached), s.Name, PctOf(float64(s.Implied)/float64(s.Reached)))
		if k+1 < len(f.Stages) && s.ConversionRate != nil {
			w += fmt.Sprintf(", so the %s conversion from %s to %s is higher than among the people recorded at %s", PctOf(*s.ConversionRate), s.Name, f.Stages[k+1].Name, s.Name)
		}
		out = append(out, w+".")
	}
	return out
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
	for _, s := range f.Stages {
		if s.Implied > 0 {
			c.Note += " Shares include implied stages (people with no record of a stage who reached a later one), so a cohort can show 100% at a stage nobody recorded."
			break
		}
	}
	first, last := f.Cohorts[0], f.Cohorts[len(f.Cohorts)-1]
	if len(first.Reached) > 1 && len(last.Reached) > 1 && first.Reached[0] > 0 && last.Reached[0] > 0 {
		c.Takeaway = fmt.Sprintf("%s of people who entered in %s reached %s, against %s of those who entered in %s.",
			PctOf(float64(first.Reached[1])/float64(first.Reached[0])), first.Cohort, f.Stages[1].Name,
			PctOf(float64(last.Reached[1])/float64(last.Reached[0])), last.Cohort)
	}
	line := charts.NewLine()
	line.SetGlobalOptions(append(base(c.ID), charts.WithXAxisOpts(categoryAxis(len(x))), charts.WithYAxisOpts(percentAxis(100)))...)
	line.SetXAxis(x)
	for k := 1; k < len(f.Stages); k++ {
		line.AddSeries("Reached "+f.Stages[k].Name, series[k], charts.WithLineChartOpts(opts.LineChart{Symbol: []string{"circle", "triangle", "rect", "diamond"}[(k-1)%4], SymbolSize: 8}))
	}
	return c.finish(line)
}
