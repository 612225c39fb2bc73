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
