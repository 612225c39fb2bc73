// Package compare sets two metrics reports side by side and says what
// changed, what did not, and what is only noise (metrics.md section 5).
//
// There are two forms. Compare takes two reports, each from its own data
// (say a CiviCRM export at cut-over and a Salesforce NPSP export two years
// later), and compares one fiscal year of each: by default the latest
// complete fiscal year of each side, at each side's own as-of date.
// Cutover takes one report and compares the 12 months before a cut-over date
// with the 12 months from it: the report must have been computed with the
// fiscal year starting in the cut-over month, so the two windows are the
// fiscal year that starts on the cut-over and the one before it. When the
// after window is not complete at the as-of date it is compared anyway, as
// "year to date", with a warning; its counts and dollars are marked
// incomplete.
//
// Rates are proportions of people or gifts and carry a 95% Newcombe hybrid
// score interval for the difference after - before (metrics.Newcombe):
//
//   - retention_rate = retained / donors in the year before;
//   - new_donor_retention_rate and repeat_donor_retention_rate, the same
//     for donors new, or not new, in the year before;
//   - on_time_rate = on time / (acknowledged + overdue) among the gifts of
//     the period, left out with a note when either side has no thank-you
//     dates recorded;
//   - "funnel:NAME:STAGE" for each funnel stage present on both sides: among
//     the people whose first stage fell in the period (the funnel's entry
//     cohort) and who reached STAGE, the share who reached the next stage by
//     the as-of date. Conversions need time: a cohort measured longer after
//     its period has had longer to convert.
//
// For all of them higher is better. The verdict is "improved" when the
// interval lies wholly above 0, "worsened" when wholly below, "no clear
// change" when it contains 0, and "not comparable" (with a reason) when a
// side's denominator is 0. Acquisition rate, dollar retention and growth in
// giving are not proportions of a count (new donors can outnumber last
// year's), so they are listed with counts and dollars as figures: before,
// after and change, no interval.
//
// Compare and Cutover are pure: no I/O, no clock.
package compare

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"steward"
	"steward/metrics"
)

// Schema is the value of Comparison.Schema: the comparison.json contract.
const Schema = "steward/comparison/v1"

// Verdicts of a rate (metrics.md section 5).
const (
	Improved      = "improved"
	Worsened      = "worsened"
	NoClearChange = "no clear change"
	NotComparable = "not comparable"
)

// Forms of comparison.
const (
	FormTwoDatasets = "two datasets"
	FormCutover     = "cutover"
)

// ErrPeriod is wrapped by errors about a period that cannot be compared:
// missing from the data, not complete, or no complete period at all.
var ErrPeriod = errors.New("period cannot be compared")

// ErrCutover is wrapped by errors about a cut-over date that cannot be used.
var ErrCutover = errors.New("cutover cannot be used")

// Comparison is everything comparison.json holds.
type Comparison struct {
	Schema       string       `json:"schema"`
	Form         string       `json:"form"`              // FormTwoDatasets or FormCutover
	Cutover      steward.Date `json:"cutover,omitempty"` // the cut-over date (cutover form)
	BeforePeriod string       `json:"before_period"`     // "FY2022"
	AfterPeriod  string       `json:"after_period"`
	BeforeStart  steward.Date `json:"before_start"`
	BeforeEnd    steward.Date `json:"before_end"`
	AfterStart   steward.Date `json:"after_start"`
	AfterEnd     steward.Date `json:"after_end"`
	BeforeAsOf   steward.Date `json:"before_as_of"`
	AfterAsOf    steward.Date `json:"after_as_of"`
	// AfterComplete is false when the after window is year to date (the
	// cutover form only; Compare refuses incomplete periods).
	AfterComplete bool              `json:"after_complete"`
	Metrics       map[string]Rate   `json:"metrics"`
	Figures       map[string]Figure `json:"figures"`
	DataQuality   DataQuality       `json:"data_quality"`
	Warnings      []string          `json:"warnings"` // definitions, settings or windows differ
	Notes         []string          `json:"notes"`    // what was left out and why

	funnelOrder []string // funnel rate names in funnel and stage order
}

// Rate is one proportion before and after: BeforeN/BeforeD and
// AfterN/AfterD. Before and After are nil when their denominator is 0;
// Difference and CI95 are nil when the rate is not comparable. Difference
// is After - Before as one exact fraction rounded once to a float64, not
// rounded further.
type Rate struct {
	Before       *float64  `json:"before"`
	After        *float64  `json:"after"`
	Difference   *float64  `json:"difference"`
	CI95         []float64 `json:"ci95"`
	Verdict      string    `json:"verdict"`
	Reason       string    `json:"reason,omitempty"` // why not comparable
	To           string    `json:"to,omitempty"`     // funnel conversions: the next stage
	BeforeN      int       `json:"before_n"`
	BeforeD      int       `json:"before_d"`
	AfterN       int       `json:"after_n"`
	AfterD       int       `json:"after_d"`
	SmallNumbers bool      `json:"small_numbers"` // a denominator under 30
}

// Figure is a count, an amount of money (major units), a ratio that is not
// a proportion, or a number of days, before and after. Change is After -
// Before: exact for counts, to the cent for money, the exact difference of
// the two fractions for ratios, to 6 decimals for days; nil when either
// side is nil.
type Figure struct {
	Unit       string   `json:"unit"` // "count", "dollars", "ratio" or "days"
	Before     *float64 `json:"before"`
	After      *float64 `json:"after"`
	Change     *float64 `json:"change"`
	Incomplete bool     `json:"incomplete,omitempty"` // the after window is year to date
}

// DataQuality sets the two sides' data side by side.
type DataQuality struct {
	Before Quality `json:"before"`
	After  Quality `json:"after"`
}

// Quality is one side's data: the files (all rows, not just the period's)
// and the period's acknowledgment data. In the cutover form both sides read
// the same files, so the file figures are the same on both sides.
type Quality struct {
	Files         int            `json:"files"`
	Sources       []string       `json:"sources"`  // file names as given
	Profiles      []string       `json:"profiles"` // export profiles detected, sorted
	Rows          int            `json:"rows"`
	Used          int            `json:"used"`
	Excluded      int            `json:"excluded"`
	ExcludedBy    map[string]int `json:"excluded_by"`
	Rejected      int            `json:"rejected"`
	RejectReasons map[string]int `json:"reject_reasons"`
	DuplicateRows int            `json:"duplicate_rows"`  // gift rows identical to an earlier one
	AnonymousGift int            `json:"anonymous_gifts"` // whole dataset
	AfterAsOf     int            `json:"after_as_of"`     // used rows dated after the as-of date
	// AckDateColumn says whether a gift file has a thank-you date column.
	// AckDateFillRate is the share of the period's eligible gifts with a
	// thank-you date: (acknowledged + negative) / eligible; 0 when the
	// column is there but empty everywhere; nil without the column.
	AckDateColumn   bool     `json:"ack_date_column"`
	AckDateFillRate *float64 `json:"ack_date_fill_rate"`
	Eligible        int      `json:"eligible_gifts"`       // in the period
	AckNoDate       int      `json:"acknowledged_no_date"` // in the period
	NegativeLatency int      `json:"negative_latency"`     // in the period: thanked before the gift
}

// side is one report and the period of it being compared.
type side struct {
	name string // "before" or "after"
	rep  *metrics.Report
	ret  metrics.Retention
}

// Compare compares fiscal year beforePeriod of before with afterPeriod of
// after. An empty period is the latest complete fiscal year of that side.
// A named period must be in the side's retention table and complete at its
// as-of date; otherwise the error wraps ErrPeriod. Warnings list the
// settings that differ between the sides.
func Compare(before, after *metrics.Report, beforePeriod, afterPeriod string) (*Comparison, error) {
	if before == nil || after == nil {
		return nil, errors.New("compare: a report is missing")
	}
	b, err := pick("before", before, beforePeriod)
	if err != nil {
		return nil, err
	}
	a, err := pick("after", after, afterPeriod)
	if err != nil {
		return nil, err
	}
	c := build(FormTwoDatasets, b, a)
	c.Warnings = append(settingWarnings(before, after), c.Warnings...)
	return c, nil
}

// Cutover compares the 12 months before cutover with the 12 months from it
// in one report. cutover must be the first day of a month, and rep must have
// been computed with the fiscal year starting in that month, so the windows
// are fiscal years. The after window must have begun by the as-of date; if
// it has not ended, it is compared as year to date with a warning. Errors
// wrap ErrCutover or ErrPeriod.
func Cutover(rep *metrics.Report, cutover steward.Date) (*Comparison, error) {
	if rep == nil {
		return nil, errors.New("compare: the report is missing")
	}
	if cutover == steward.NoDate {
		return nil, fmt.Errorf("%w: no cutover date", ErrCutover)
	}
	y, m, d := cutover.Civil()
	if d != 1 {
		return nil, fmt.Errorf("%w: %s is not the first day of a month; the windows are whole months (try %s)",
			ErrCutover, cutover, steward.NewDate(y, m, 1))
	}
	if time.Month(rep.FiscalYearStartMonth) != m {
		return nil, fmt.Errorf("%w: the report's fiscal year starts in month %d, not in the cutover month %d",
			ErrCutover, rep.FiscalYearStartMonth, int(m))
	}
	if rep.AsOf < cutover {
		return nil, fmt.Errorf("%w: the data ends on %s, before the cutover %s: there is nothing after it",
			ErrCutover, rep.AsOf, cutover)
	}
	afterLabel := fmt.Sprintf("FY%d", metrics.FiscalYear(cutover, m))
	beforeLabel := fmt.Sprintf("FY%d", metrics.FiscalYear(cutover-1, m))
	bret, ok := find(rep, beforeLabel)
	if !ok {
		return nil, fmt.Errorf("%w: no qualifying gifts in the 12 months before the cutover (%s to %s)",
			ErrPeriod, steward.NewDate(y-1, m, 1), cutover-1)
	}
	aret, ok := find(rep, afterLabel)
	if !ok {
		return nil, fmt.Errorf("%w: no qualifying gifts from the cutover %s to the as-of date %s",
			ErrPeriod, cutover, rep.AsOf)
	}
	c := build(FormCutover, side{"before", rep, bret}, side{"after", rep, aret})
	c.Cutover = cutover
	if !aret.Complete {
		c.Warnings = append(c.Warnings, fmt.Sprintf(
			"the after window (%s to %s) is not complete at the as-of date %s: it is compared as year to date; its counts and dollars are incomplete",
			aret.Start, aret.End, rep.AsOf))
	}
	if hasFunnelRates(c) {
		c.Warnings = append(c.Warnings,
			"funnel conversions are counted up to the as-of date, so the before window's people have had 12 more months to move to the next stage")
	}
	return c, nil
}

// pick finds the period of one side: the named one, or the latest complete.
func pick(name string, rep *metrics.Report, period string) (side, error) {
	var complete []string
	for _, r := range rep.Retention {
		if r.Complete {
			complete = append(complete, r.Period)
		}
	}
	if period == "" {
		if len(complete) == 0 {
			return side{}, fmt.Errorf("%w: the %s data has no complete fiscal year at its as-of date %s",
				ErrPeriod, name, rep.AsOf)
		}
		r, _ := find(rep, complete[len(complete)-1])
		return side{name, rep, r}, nil
	}
	label := strings.ToUpper(strings.TrimSpace(period))
	if _, err := strconv.Atoi(label); err == nil {
		label = "FY" + label
	}
	r, ok := find(rep, label)
	if !ok {
		return side{}, fmt.Errorf("%w: %s period %s is not in the %s data (%s)",
			ErrPeriod, name, period, name, listPeriods(complete))
	}
	if !r.Complete {
		return side{}, fmt.Errorf("%w: %s period %s is not complete at the as-of date %s (it ends %s); %s",
			ErrPeriod, name, label, rep.AsOf, r.End, listPeriods(complete))
	}
	return side{name, rep, r}, nil
}

func listPeriods(complete []string) string {
	switch len(complete) {
	case 0:
		return "it has no complete fiscal year"
	case 1:
		return "complete: " + complete[0]
	}
	return "complete: " + complete[0] + " to " + complete[len(complete)-1]
}

func find(rep *metrics.Report, label string) (metrics.Retention, bool) {
	for _, r := range rep.Retention {
		if r.Period == label {
			return r, true
		}
	}
	return metrics.Retention{}, false
}

// build fills a Comparison from the two sides.
func build(form string, b, a side) *Comparison {
	c := &Comparison{
		Schema:        Schema,
		Form:          form,
		BeforePeriod:  b.ret.Period,
		AfterPeriod:   a.ret.Period,
		BeforeStart:   b.ret.Start,
		BeforeEnd:     b.ret.End,
		AfterStart:    a.ret.Start,
		AfterEnd:      a.ret.End,
		BeforeAsOf:    b.rep.AsOf,
		AfterAsOf:     a.rep.AsOf,
		AfterComplete: a.ret.Complete,
		Metrics:       map[string]Rate{},
		Figures:       map[string]Figure{},
		Warnings:      []string{},
		Notes:         []string{},
	}
	c.retentionRates(b.ret, a.ret)
	c.thankYou(b, a)
	c.funnels(b, a)
	c.figures(b, a)
	c.DataQuality = DataQuality{Before: quality(b), After: quality(a)}
	for _, s := range []side{b, a} {
		y, m, d := s.ret.Start.Civil()
		if first := s.rep.Totals.FirstGift; first != steward.NoDate && first > steward.NewDate(y-1, m, d) {
			// The year before the period is not fully covered: donors who
			// gave only before the data starts look new.
			c.Warnings = append(c.Warnings, fmt.Sprintf(
				"the %s data starts on %s, less than a year before %s begins (%s): some returning donors may be counted as new",
				s.name, first, s.ret.Period, s.ret.Start))
		}
	}
	return c
}

// NewRate compares before = bn/bd with after = an/ad: the difference
// after - before, its 95% Newcombe hybrid score interval and the verdict for
// a rate where higher is better. what says what a zero denominator means,
// for the reason of a "not comparable" verdict.
func NewRate(bn, bd, an, ad int, what string) Rate {
	r := Rate{BeforeN: bn, BeforeD: bd, AfterN: an, AfterD: ad,
		SmallNumbers: (bd > 0 && bd < 30) || (ad > 0 && ad < 30)}
	if bd > 0 {
		r.Before = ptr(float64(bn) / float64(bd))
	}
	if ad > 0 {
		r.After = ptr(float64(an) / float64(ad))
	}
	switch {
	case bd <= 0 && ad <= 0:
		r.Verdict, r.Reason = NotComparable, "denominator is 0 on both sides: no "+what
		return r
	case bd <= 0:
		r.Verdict, r.Reason = NotComparable, "denominator is 0 before: no "+what
		return r
	case ad <= 0:
		r.Verdict, r.Reason = NotComparable, "denominator is 0 after: no "+what
		return r
	}
	// (an/ad - bn/bd) as one exact fraction, rounded once: 0.8 - 0.5 is 0.3.
	r.Difference = ptr(float64(int64(an)*int64(bd)-int64(bn)*int64(ad)) / float64(int64(ad)*int64(bd)))
	lo, hi := metrics.Newcombe(bn, bd, an, ad) // p2 - p1 = after - before
	r.CI95 = []float64{lo, hi}
	r.Verdict = Verdict(lo, hi)
	return r
}

// Verdict says what a 95% interval [lo, hi] for after - before of a rate
// where higher is better means: improved when it lies wholly above 0,
// worsened when wholly below, else no clear change.
func Verdict(lo, hi float64) string {
	switch {
	case lo > 0:
		return Improved
	case hi < 0:
		return Worsened
	}
	return NoClearChange
}

func (c *Comparison) retentionRates(b, a metrics.Retention) {
	c.Metrics["retention_rate"] = NewRate(b.Retained, b.PriorDonors, a.Retained, a.PriorDonors,
		"donors in the year before")
	c.Metrics["new_donor_retention_rate"] = NewRate(b.PriorNew-b.LapsedNew, b.PriorNew, a.PriorNew-a.LapsedNew, a.PriorNew,
		"new donors in the year before")
	c.Metrics["repeat_donor_retention_rate"] = NewRate(b.PriorRepeat-b.LapsedRepeat, b.PriorRepeat, a.PriorRepeat-a.LapsedRepeat, a.PriorRepeat,
		"repeat donors in the year before")
}

func tyPeriod(rep *metrics.Report, label string) metrics.ThankYouStats {
	for _, p := range rep.ThankYou.Periods {
		if p.Period == label {
			return p
		}
	}
	return metrics.ThankYouStats{Period: label}
}

func (c *Comparison) thankYou(b, a side) {
	var missing []string
	for _, s := range []side{b, a} {
		if !s.rep.ThankYou.Recorded {
			missing = append(missing, s.name)
		}
	}
	if len(missing) > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf(
			"on_time_rate is left out: thank-you dates are not recorded in the %s data", strings.Join(missing, " and ")))
		return
	}
	bt, at := tyPeriod(b.rep, b.ret.Period), tyPeriod(a.rep, a.ret.Period)
	c.Metrics["on_time_rate"] = NewRate(bt.OnTime, bt.Acknowledged+bt.Overdue, at.OnTime, at.Acknowledged+at.Overdue,
		"acknowledged or overdue gifts")
	c.Figures["thank_you_median_days"] = figure("days", bt.MedianDays, at.MedianDays)
	c.Figures["thank_you_p90_days"] = figure("days", bt.P90Days, at.P90Days)
	c.Figures["thank_you_overdue_gifts"] = countFigure(bt.Overdue, at.Overdue)
}

// funnels compares the entry-cohort conversions of each stage whose funnel,
// stage and next stage are named the same on both sides.
func (c *Comparison) funnels(b, a side) {
	for _, bf := range b.rep.Funnels {
		var af *metrics.Funnel
		for i := range a.rep.Funnels {
			if a.rep.Funnels[i].Name == bf.Name {
				af = &a.rep.Funnels[i]
				break
			}
		}
		if af == nil {
			c.Notes = append(c.Notes, fmt.Sprintf("funnel %q is only in the before data", bf.Name))
			continue
		}
		bc, ac := cohortOf(bf, b.ret.Period), cohortOf(*af, a.ret.Period)
		for k := 0; k+1 < len(bf.Stages) && k+1 < len(af.Stages); k++ {
			if bf.Stages[k].Name != af.Stages[k].Name || bf.Stages[k+1].Name != af.Stages[k+1].Name {
				c.Notes = append(c.Notes, fmt.Sprintf("funnel %q: stages differ from %q on; not compared", bf.Name, bf.Stages[k].Name))
				break
			}
			key := "funnel:" + bf.Name + ":" + bf.Stages[k].Name
			c.funnelOrder = append(c.funnelOrder, key)
			r := NewRate(at(bc, k+1), at(bc, k), at(ac, k+1), at(ac, k),
				"people of the period's entry cohort at this stage")
			r.To = bf.Stages[k+1].Name
			c.Metrics[key] = r
		}
	}
	for _, af := range a.rep.Funnels {
		found := false
		for _, bf := range b.rep.Funnels {
			found = found || bf.Name == af.Name
		}
		if !found {
			c.Notes = append(c.Notes, fmt.Sprintf("funnel %q is only in the after data", af.Name))
		}
	}
}

func cohortOf(f metrics.Funnel, label string) []int {
	for _, c := range f.Cohorts {
		if c.Cohort == label {
			return c.Reached
		}
	}
	return nil
}

func at(v []int, i int) int {
	if i < len(v) {
		return v[i]
	}
	return 0
}

func hasFunnelRates(c *Comparison) bool {
	for k := range c.Metrics {
		if strings.HasPrefix(k, "funnel:") {
			return true
		}
	}
	return false
}

func (c *Comparison) figures(b, a side) {
	br, ar := b.ret, a.ret
	counts := []struct {
		name   string
		bv, av int
	}{
		{"donors", br.Donors, ar.Donors},
		{"prior_donors", br.PriorDonors, ar.PriorDonors},
		{"new_donors", br.New, ar.New},
		{"recaptured_donors", br.Recaptured, ar.Recaptured},
		{"retained_donors", br.Retained, ar.Retained},
		{"upgraded_donors", br.Upgraded, ar.Upgraded},
		{"downgraded_donors", br.Downgraded, ar.Downgraded},
		{"lapsed_donors", br.Lapsed, ar.Lapsed},
		{"gifts", gifts(b), gifts(a)},
	}
	for _, f := range counts {
		c.Figures[f.name] = countFigure(f.bv, f.av)
	}
	money := []struct {
		name   string
		bv, av float64
	}{
		{"dollars", br.Dollars, ar.Dollars},
		{"new_dollars", br.NewDollars, ar.NewDollars},
		{"retained_dollars", br.RetainedDollars, ar.RetainedDollars},
		{"lapsed_dollars", br.LapsedDollars, ar.LapsedDollars},
		{"gains", br.Gains, ar.Gains},
		{"losses", br.Losses, ar.Losses},
	}
	for _, f := range money {
		bc, ac := math.Round(f.bv*100), math.Round(f.av*100)
		c.Figures[f.name] = Figure{Unit: "dollars", Before: ptr(f.bv), After: ptr(f.av), Change: ptr((ac - bc) / 100)}
	}
	c.Figures["acquisition_rate"] = ratioFigure(br.AcquisitionRate, ar.AcquisitionRate,
		float64(br.New), float64(br.PriorDonors), float64(ar.New), float64(ar.PriorDonors))
	c.Figures["dollar_retention_rate"] = ratioFigure(br.DollarRetentionRate, ar.DollarRetentionRate,
		br.RetainedDollars, br.PriorDollars, ar.RetainedDollars, ar.PriorDollars)
	c.Figures["growth_in_giving"] = ratioFigure(br.GrowthInGiving, ar.GrowthInGiving,
		br.Gains-br.Losses, br.PriorDollars, ar.Gains-ar.Losses, ar.PriorDollars)
	if !ar.Complete {
		for k, f := range c.Figures {
			f.Incomplete = true
			c.Figures[k] = f
		}
	}
}

// gifts counts the qualifying gifts of the side's period from its quarters.
func gifts(s side) int {
	n := 0
	for _, q := range s.rep.Quarters {
		if strings.HasPrefix(q.Period, s.ret.Period+"-Q") {
			n += q.Gifts
		}
	}
	return n
}

func countFigure(b, a int) Figure {
	return Figure{Unit: "count", Before: ptr(float64(b)), After: ptr(float64(a)), Change: ptr(float64(a - b))}
}

// figure is a figure in days: the change is rounded to 6 decimals, so that
// 6.8 - 1.6 reads 5.2.
func figure(unit string, b, a *float64) Figure {
	f := Figure{Unit: unit, Before: b, After: a}
	if b != nil && a != nil {
		f.Change = ptr(math.Round((*a-*b)*1e6) / 1e6)
	}
	return f
}

// ratioFigure is a ratio of counts or of dollars (to the cent), before =
// bn/bd and after = an/ad; the change is their exact difference, rounded
// once.
func ratioFigure(b, a *float64, bn, bd, an, ad float64) Figure {
	f := Figure{Unit: "ratio", Before: b, After: a}
	if b == nil || a == nil || bd == 0 || ad == 0 {
		return f
	}
	cents := func(v float64) *big.Rat { return new(big.Rat).SetInt64(int64(math.Round(v * 100))) }
	before := new(big.Rat).Quo(cents(bn), cents(bd))
	after := new(big.Rat).Quo(cents(an), cents(ad))
	d, _ := new(big.Rat).Sub(after, before).Float64()
	f.Change = ptr(d)
	return f
}

func quality(s side) Quality {
	q := Quality{Files: len(s.rep.Sources), Sources: []string{}, Profiles: []string{}, ExcludedBy: map[string]int{}, RejectReasons: map[string]int{}}
	seen := map[string]bool{}
	for _, src := range s.rep.Sources {
		q.Sources = append(q.Sources, src.File)
		if src.Profile != "" && !seen[src.Profile] {
			seen[src.Profile] = true
			q.Profiles = append(q.Profiles, src.Profile)
		}
		q.Rows += src.Rows
		q.Used += src.Used
		q.Rejected += src.Rejected
		q.DuplicateRows += src.DuplicateRows
		for k, n := range src.Excluded {
			q.Excluded += n
			q.ExcludedBy[k] += n
		}
		for k, n := range src.RejectReasons {
			q.RejectReasons[k] += n
		}
		if src.Kind == steward.KindGifts || src.Kind == "" {
			for _, col := range src.Columns {
				q.AckDateColumn = q.AckDateColumn || col.Field == "ack_date"
			}
		}
	}
	sort.Strings(q.Profiles)
	q.AnonymousGift = s.rep.Totals.AnonymousGifts
	q.AfterAsOf = s.rep.Totals.AfterAsOf
	if s.rep.ThankYou.Recorded {
		t := tyPeriod(s.rep, s.ret.Period)
		q.Eligible, q.AckNoDate, q.NegativeLatency = t.Eligible, t.AckNoDate, t.Negative
		if t.Eligible > 0 {
			q.AckDateFillRate = ptr(float64(t.Acknowledged+t.Negative) / float64(t.Eligible))
		}
	} else if q.AckDateColumn {
		q.AckDateFillRate = ptr(0)
	}
	return q
}

// settingWarnings lists the definitions and settings that differ.
func settingWarnings(b, a *metrics.Report) []string {
	var w []string
	diff := func(what string, bv, av any) {
		if fmt.Sprint(bv) != fmt.Sprint(av) {
			w = append(w, fmt.Sprintf("%s differs: %v before, %v after", what, bv, av))
		}
	}
	diff("fiscal_year_start_month", b.FiscalYearStartMonth, a.FiscalYearStartMonth)
	diff("thank_you_target_days", b.ThankYouTargetDays, a.ThankYouTargetDays)
	diff("donor_key", b.DonorKey, a.DonorKey)
	if b.ThankYou.Recorded && a.ThankYou.Recorded {
		diff("thank-you days", b.ThankYou.Days, a.ThankYou.Days)
	}
	if b.Currency != "" && a.Currency != "" {
		diff("currency", b.Currency, a.Currency)
	}
	return w
}

func ptr(f float64) *float64 { return &f }

// RateNames returns the names of c's rates in reading order: retention,
// new and repeat donor retention, on-time rate, then funnel conversions in
// funnel and stage order (sorted by name for a Comparison read from JSON).
func (c *Comparison) RateNames() []string {
	var names, funnels []string
	for _, n := range []string{"retention_rate", "new_donor_retention_rate", "repeat_donor_retention_rate", "on_time_rate"} {
		if _, ok := c.Metrics[n]; ok {
			names = append(names, n)
		}
	}
	if len(c.funnelOrder) > 0 {
		return append(names, c.funnelOrder...)
	}
	for n := range c.Metrics {
		if strings.HasPrefix(n, "funnel:") {
			funnels = append(funnels, n)
		}
	}
	sort.Strings(funnels)
	return append(names, funnels...)
}

// FigureNames returns the names of c's figures, sorted.
func (c *Comparison) FigureNames() []string {
	return slices.Sorted(maps.Keys(c.Figures))
}
