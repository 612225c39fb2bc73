package metrics

import (
	"fmt"
	"strings"
)

// Goal statuses.
const (
	StatusMet      = "met"
	StatusMissed   = "missed"
	StatusTooClose = "too close to call"
	StatusNoData   = "no data"
)

// smallNumbersUnder: rates with a smaller denominator are flagged.
const smallNumbersUnder = 30

// value is one period's value of a goal metric.
type value struct {
	v      *float64
	ci     []float64
	den    int
	reason string
}

// goals scores Settings.Goals (metrics.md section 4). Metrics: the
// Retention rates (retention_rate, new_donor_retention_rate,
// repeat_donor_retention_rate, dollar_retention_rate, acquisition_rate,
// growth_in_giving), donors and dollars of a fiscal year (dollars: net
// giving of all donors and anonymous gifts, in major units), on_time_rate
// and median_days (thank-you, by fiscal year of the gift; lower is better
// for median_days, which has no interval), and funnel_conversion (Funnel and
// Stage; over all data, since funnels are not split by period).
//
// Period "" or "latest" is the latest complete fiscal year. A goal on an
// incomplete or unknown period is "no data" with the reason. Otherwise the
// status is met or missed by the point estimate, or "too close to call" when
// the rate's 95% Wilson interval contains the target. SmallNumbers is set
// when the denominator is under 30. Trend holds the metric over up to the
// last five complete fiscal years ending at the goal's period.
func (b *build) goals(r *Report) {
	var complete []string // complete fiscal years, ascending
	for _, y := range r.Retention {
		if y.Complete {
			complete = append(complete, y.Period)
		}
	}
	for _, gs := range b.a.s.Goals {
		g := Goal{ID: gs.ID, Label: gs.Label, Metric: gs.Metric, Comparison: gs.Comparison, Target: gs.Target, Trend: []GoalPoint{}}
		if g.Comparison == "" {
			g.Comparison = ">="
			if gs.Metric == "median_days" {
				g.Comparison = "<="
			}
		}
		period := strings.TrimSpace(gs.Period)
		if strings.EqualFold(period, "latest") {
			period = ""
		}
		if gs.Metric == "funnel_conversion" {
			g.Period = "all"
			b.scoreGoal(&g, b.funnelValue(r, gs))
			r.Goals = append(r.Goals, g)
			continue
		}
		if period == "" {
			if len(complete) == 0 {
				g.Status, g.Reason = StatusNoData, "no complete fiscal year yet"
				r.Goals = append(r.Goals, g)
				continue
			}
			period = complete[len(complete)-1]
		}
		period = strings.ToUpper(period)
		g.Period = period
		idx := -1
		for i, p := range complete {
			if p == period {
				idx = i
			}
		}
		if idx < 0 {
			reason := fmt.Sprintf("%s has no gifts", period)
			for _, y := range r.Retention {
				if y.Period == period {
					reason = fmt.Sprintf("%s is not complete (as of %s)", period, r.AsOf)
				}
			}
			g.Status, g.Reason = StatusNoData, reason
			r.Goals = append(r.Goals, g)
			continue
		}
		b.scoreGoal(&g, b.periodValue(r, gs.Metric, period))
		for i := max(0, idx-4); i <= idx; i++ {
			v := b.periodValue(r, gs.Metric, complete[i])
			g.Trend = append(g.Trend, GoalPoint{Period: complete[i], Value: v.v})
		}
		r.Goals = append(r.Goals, g)
	}
}

func (b *build) scoreGoal(g *Goal, v value) {
	g.Actual, g.CI95, g.Denominator = v.v, v.ci, v.den
	if v.v == nil {
		g.Status, g.Reason = StatusNoData, v.reason
		return
	}
	g.SmallNumbers = v.den < smallNumbersUnder
	var ok bool
	switch g.Comparison {
	case ">":
		ok = *v.v > g.Target
	case "<=":
		ok = *v.v <= g.Target
	case "<":
		ok = *v.v < g.Target
	case ">=":
		ok = *v.v >= g.Target
	default:
		g.Status, g.Reason = StatusNoData, fmt.Sprintf("unknown comparison %q", g.Comparison)
		return
	}
	switch {
	case len(v.ci) == 2 && v.ci[0] <= g.Target && g.Target <= v.ci[1]:
		g.Status = StatusTooClose
	case ok:
		g.Status = StatusMet
	default:
		g.Status = StatusMissed
	}
}

func (b *build) periodValue(r *Report, metric, period string) value {
	var y *Retention
	for i := range r.Retention {
		if r.Retention[i].Period == period {
			y = &r.Retention[i]
		}
	}
	if y == nil {
		return value{reason: period + " has no gifts"}
	}
	noPrior := "no donors in the year before " + period
	switch metric {
	case "retention_rate":
		return value{y.RetentionRate, y.RetentionRateCI95, y.PriorDonors, noPrior}
	case "new_donor_retention_rate":
		return value{y.NewDonorRetentionRate, y.NewDonorRetentionCI95, y.PriorNew, "no new donors in the year before " + period}
	case "repeat_donor_retention_rate":
		return value{y.RepeatDonorRetentionRate, y.RepeatDonorRetentionCI95, y.PriorRepeat, "no repeat donors in the year before " + period}
	case "dollar_retention_rate":
		return value{y.DollarRetentionRate, nil, y.PriorDonors, noPrior}
	case "acquisition_rate":
		return value{y.AcquisitionRate, nil, y.PriorDonors, noPrior}
	case "growth_in_giving":
		return value{y.GrowthInGiving, nil, y.PriorDonors, noPrior}
	case "donors":
		return value{v: ptr(float64(y.Donors)), den: y.Donors}
	case "dollars":
		var d float64
		for _, q := range r.Quarters {
			if q.Start >= y.Start && q.End <= y.End {
				d += q.Dollars
			}
		}
		return value{v: ptr(d), den: y.Donors}
	case "on_time_rate", "median_days":
		if !r.ThankYou.Recorded {
			return value{reason: "acknowledgment dates are not recorded"}
		}
		for _, st := range r.ThankYou.Periods {
			if st.Period != period {
				continue
			}
			if metric == "median_days" {
				return value{v: st.MedianDays, den: st.Acknowledged, reason: "no acknowledged gifts in " + period}
			}
			return value{st.OnTimeRate, st.OnTimeCI95, st.Acknowledged + st.Overdue, "no acknowledged or overdue gifts in " + period}
		}
		return value{reason: "no eligible gifts in " + period}
	}
	return value{reason: fmt.Sprintf("unknown metric %q", metric)}
}

func (b *build) funnelValue(r *Report, gs GoalSpec) value {
	for _, f := range r.Funnels {
		if gs.Funnel != "" && !strings.EqualFold(f.Name, gs.Funnel) {
			continue
		}
		for _, st := range f.Stages {
			if strings.EqualFold(st.Name, gs.Stage) {
				return value{st.ConversionRate, st.ConversionCI95, st.Denominator, fmt.Sprintf("no one has left the window of stage %q yet", st.Name)}
			}
		}
		return value{reason: fmt.Sprintf("funnel %q has no stage %q", f.Name, gs.Stage)}
	}
	return value{reason: fmt.Sprintf("no funnel %q", gs.Funnel)}
}
