package render

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"steward/metrics"
)

// quarterLabel labels an incomplete quarter "to date".
func quarterLabel(q metrics.Quarter) string {
	if q.Complete {
		return q.Period
	}
	return q.Period + " (to date)"
}

// QuarterlyTable lists every fiscal quarter.
func QuarterlyTable(r *metrics.Report) *Table {
	t := &Table{Name: "quarters", Caption: "Fiscal quarters", Currency: r.Currency,
		Columns: []string{"Quarter", "Gifts", "Donors", "New donors", "Amount", "On-time thank-yous", "Median days to thank"}}
	for _, q := range r.Quarters {
		row := []Cell{T(quarterLabel(q)), I(q.Gifts), I(q.Donors), I(q.NewDonors), M(q.Dollars)}
		if r.ThankYou.Recorded {
			row = append(row, R(q.OnTimeRate), N(q.MedianDays))
		} else {
			nr := Cell{Kind: Text, Show: "not recorded"}
			row = append(row, nr, nr)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// QuarterlyDollars charts giving per fiscal quarter; the quarter in progress
// is pale and labelled "to date".
func QuarterlyDollars(r *metrics.Report) *Chart {
	c := &Chart{ID: "quarterly_dollars", Title: "Giving by fiscal quarter", Table: QuarterlyTable(r)}
	if len(r.Quarters) == 0 {
		c.Empty = "No quarters yet."
		return c
	}
	var x []string
	var data []opts.BarData
	for _, q := range r.Quarters {
		x = append(x, quarterLabel(q))
		d := opts.BarData{Value: round(q.Dollars, 2)}
		if !q.Complete {
			d.ItemStyle = &opts.ItemStyle{Color: ColorPartial}
		}
		data = append(data, d)
	}
	if cur, prev, ok := LatestQuarterPair(r); ok {
		c.Takeaway = fmt.Sprintf("%s raised %s, against %s in %s.", cur.Period, Money(cur.Dollars, r.Currency), Money(prev.Dollars, r.Currency), prev.Period)
	}
	c.Note = "Pale bar: the quarter in progress (to date), not comparable with full quarters."
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(c.ID),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(categoryAxis(len(x))),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: currencyName(r.Currency)}))...)
	bar.SetXAxis(x).AddSeries("Amount", data)
	return c.finish(bar)
}

// QuarterlyDonors charts donors and new donors per fiscal quarter.
func QuarterlyDonors(r *metrics.Report) *Chart {
	c := &Chart{ID: "quarterly_donors", Title: "Donors by fiscal quarter"}
	if len(r.Quarters) == 0 {
		c.Empty = "No quarters yet."
		return c
	}
	var x []string
	var all, nw []opts.BarData
	for _, q := range r.Quarters {
		x = append(x, quarterLabel(q))
		a, n := opts.BarData{Value: q.Donors}, opts.BarData{Value: q.NewDonors}
		if !q.Complete {
			a.ItemStyle = &opts.ItemStyle{Color: ColorPartial}
			n.ItemStyle = &opts.ItemStyle{Color: "#f3d9a4"}
		}
		all, nw = append(all, a), append(nw, n)
	}
	if cur, prev, ok := LatestQuarterPair(r); ok {
		c.Takeaway = fmt.Sprintf("%s had %s, %s new; %s had %s, %s new.", cur.Period, plural(cur.Donors, "donor", "donors"), Int(cur.NewDonors), prev.Period, plural(prev.Donors, "donor", "donors"), Int(prev.NewDonors))
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(c.ID), charts.WithXAxisOpts(categoryAxis(len(x))), charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "donors", MinInterval: 1}))...)
	bar.SetXAxis(x).AddSeries("Donors", all).AddSeries("New donors", nw)
	return c.finish(bar)
}

// LatestQuarterPair returns the latest complete quarter and the same quarter a
// year earlier, when both are in the report.
func LatestQuarterPair(r *metrics.Report) (cur, prev metrics.Quarter, ok bool) {
	for i := len(r.Quarters) - 1; i >= 0; i-- {
		q := r.Quarters[i]
		if !q.Complete {
			continue
		}
		for _, p := range r.Quarters {
			if q.SameQuarterA != "" && p.Period == q.SameQuarterA {
				return q, p, true
			}
		}
		return q, metrics.Quarter{}, false
	}
	return metrics.Quarter{}, metrics.Quarter{}, false
}

// QuarterComparison compares the latest complete quarter with the same
// quarter a year earlier. Nil when there is no such pair.
func QuarterComparison(r *metrics.Report) *Table {
	cur, prev, ok := LatestQuarterPair(r)
	if !ok {
		return nil
	}
	t := &Table{Name: "quarter_vs_last_year", Caption: fmt.Sprintf("%s against %s", cur.Period, prev.Period), Currency: r.Currency,
		Columns: []string{"Measure", cur.Period, prev.Period, "Change"}}
	ch := func(a, b float64) Cell {
		if b == 0 {
			return Cell{Kind: Rate, Null: true}
		}
		v := (a - b) / b
		c := Cell{Kind: Rate, N: v}
		c.Show = signedPct(v)
		return c
	}
	t.Rows = [][]Cell{
		{T("Gifts"), I(cur.Gifts), I(prev.Gifts), ch(float64(cur.Gifts), float64(prev.Gifts))},
		{T("Donors"), I(cur.Donors), I(prev.Donors), ch(float64(cur.Donors), float64(prev.Donors))},
		{T("New donors"), I(cur.NewDonors), I(prev.NewDonors), ch(float64(cur.NewDonors), float64(prev.NewDonors))},
		{T("Amount"), M(cur.Dollars), M(prev.Dollars), ch(cur.Dollars, prev.Dollars)},
	}
	if r.ThankYou.Recorded {
		var d Cell
		if cur.OnTimeRate != nil && prev.OnTimeRate != nil {
			v := *cur.OnTimeRate - *prev.OnTimeRate
			d = Cell{Kind: Number, N: round(v*100, 1), Show: fmt.Sprintf("%+.1f points", round(v*100, 1))}
		} else {
			d = Cell{Kind: Number, Null: true}
		}
		t.Rows = append(t.Rows, []Cell{T("On-time thank-yous"), R(cur.OnTimeRate), R(prev.OnTimeRate), d})
	}
	return t
}

// QuarterOnTime charts the on-time thank-you rate per fiscal quarter of the
// gift, with any on-time goal as a line; the quarter in progress is pale
// and labelled "to date". Nil when thank-you dates are not recorded.
func QuarterOnTime(r *metrics.Report) *Chart {
	ty := r.ThankYou
	if !ty.Recorded {
		return nil
	}
	within := plural(ty.TargetDays, dayWord(ty.Days), dayWord(ty.Days)+"s")
	c := &Chart{ID: "quarterly_on_time", Title: "Gifts thanked within " + within + ", by quarter"}
	c.Table = thankYouTable("thank_you_by_quarter", "Thank-you timeliness by fiscal quarter", "Quarter", ty.Quarters, r)
	x, data, last := onTimeBars(r, ty.Quarters, func(p string) string { return p + " (to date)" })
	if len(data) == 0 {
		c.Empty = "No thanked or overdue gifts to measure yet."
		return c
	}
	if last != nil {
		c.Takeaway = fmt.Sprintf("In %s, the latest full quarter, %s of gifts were thanked within %s.", last.Period, PctOf(*last.OnTimeRate), within)
		q, ok := quarterByPeriod(r, last.Period)
		for _, s := range ty.Quarters {
			if ok && s.Period == q.SameQuarterA && s.OnTimeRate != nil && !s.Suppressed {
				c.Takeaway = fmt.Sprintf("In %s, the latest full quarter, %s of gifts were thanked within %s, against %s in %s.",
					last.Period, PctOf(*last.OnTimeRate), within, PctOf(*s.OnTimeRate), s.Period)
			}
		}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(c.ID), charts.WithXAxisOpts(categoryAxis(len(x))), charts.WithYAxisOpts(percentAxis(100)), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))...)
	bar.SetXAxis(x).AddSeries("On-time rate", data, rateLines(r, "on_time_rate", "", 0)...)
	c.Note = "On time = thanked within the target; rate = on time / (thanked + overdue). Pale bar: the quarter in progress (to date). Black line: the yearly goal."
	return c.finish(bar)
}

func quarterByPeriod(r *metrics.Report, p string) (metrics.Quarter, bool) {
	for _, q := range r.Quarters {
		if q.Period == p {
			return q, true
		}
	}
	return metrics.Quarter{}, false
}

// QuarterCard is the latest full quarter side by side with the same quarter
// a year earlier.
type QuarterCard struct {
	Cur, Prev string // "FY2026-Q4", "FY2025-Q4"
	Sentence  string
	Items     []QuarterItem
}

// QuarterItem is one measure of a QuarterCard; Trend is "up", "down" or
// "flat" (for the arrow and colour, with words).
type QuarterItem struct {
	Label, Cur, Prev, Change, Trend string
}

// QuarterPair returns the card comparing the latest full quarter with the
// same quarter a year earlier; nil when there is no such pair.
func QuarterPair(r *metrics.Report) *QuarterCard {
	cur, prev, ok := LatestQuarterPair(r)
	if !ok {
		return nil
	}
	card := &QuarterCard{Cur: cur.Period, Prev: prev.Period}
	trend := func(d float64) string {
		switch {
		case d > 0:
			return "up"
		case d < 0:
			return "down"
		}
		return "flat"
	}
	rel := func(label string, a, b float64, show func(float64) string) {
		it := QuarterItem{Label: label, Cur: show(a), Prev: show(b), Trend: trend(a - b), Change: "no change"}
		switch {
		case b == 0 && a != 0:
			it.Change = "new this year"
		case a != b:
			it.Change = signedPct((a - b) / b)
		}
		card.Items = append(card.Items, it)
	}
	money := func(v float64) string { return Money(v, r.Currency) }
	count := func(v float64) string { return Int(int(v)) }
	rel("Amount raised", cur.Dollars, prev.Dollars, money)
	rel("Donors", float64(cur.Donors), float64(prev.Donors), count)
	rel("New donors", float64(cur.NewDonors), float64(prev.NewDonors), count)
	rel("Gifts", float64(cur.Gifts), float64(prev.Gifts), count)
	if r.ThankYou.Recorded {
		it := QuarterItem{Label: "Thanked on time", Cur: Pct(cur.OnTimeRate), Prev: Pct(prev.OnTimeRate), Change: "n/a", Trend: "flat"}
		if cur.OnTimeRate != nil && prev.OnTimeRate != nil {
			d := round((*cur.OnTimeRate-*prev.OnTimeRate)*100, 1)
			it.Change, it.Trend = fmt.Sprintf("%+.1f points", d), trend(d)
			if d == 0 {
				it.Change = "no change"
			}
		}
		card.Items = append(card.Items, it)
	}
	word := "more"
	if cur.Dollars < prev.Dollars {
		word = "less"
	}
	card.Sentence = fmt.Sprintf("%s raised %s from %s, %s than the %s raised from %s in %s.",
		cur.Period, Money(cur.Dollars, r.Currency), plural(cur.Donors, "donor", "donors"), word,
		Money(prev.Dollars, r.Currency), plural(prev.Donors, "donor", "donors"), prev.Period)
	if cur.Dollars == prev.Dollars {
		card.Sentence = fmt.Sprintf("%s raised %s from %s, the same as %s (%s).", cur.Period, Money(cur.Dollars, r.Currency), plural(cur.Donors, "donor", "donors"), prev.Period, plural(prev.Donors, "donor", "donors"))
	}
	return card
}
