package site

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"strings"
	"unicode"

	"steward/compare"
	"steward/render"
)

// BuildComparison lays out a before/after comparison as one page with the
// report's look: index.html (a verdict table, a chart of the differences
// with their 95% intervals, the counts and dollars, data quality side by
// side and the warnings). The page has no script at all: its chart is drawn
// with HTML and CSS, so it works offline, prints, and its policy allows no
// script. With SingleFile the styles are inlined; otherwise they are
// assets/steward.css. The caller adds comparison.json. The same Comparison
// and Options always give the same bytes.
func BuildComparison(c *compare.Comparison, opt Options) ([]File, error) {
	if c == nil {
		return nil, fmt.Errorf("site: no comparison")
	}
	l, err := newFrame(opt)
	if err != nil {
		return nil, err
	}
	l.NoScript = true
	v := comparisonView(c)
	l.Period = c.BeforePeriod + " and " + v.AfterLabel
	l.AsOf = render.LongDate(c.AfterAsOf)
	l.Title = "What changed: " + c.BeforePeriod + " and " + v.AfterLabel
	var body bytes.Buffer
	if err := compareTemplates.ExecuteTemplate(&body, "comparison", v); err != nil {
		return nil, fmt.Errorf("site: comparison: %w", err)
	}
	l.Mains = []mainPart{{Slug: "comparison", Title: l.Title, Body: template.HTML(body.String())}}
	html, err := l.render()
	if err != nil {
		return nil, fmt.Errorf("site: comparison: %w", err)
	}
	files := []File{{"index.html", html}}
	if !l.Single {
		files = append([]File{{"assets/steward.css", css}}, files...)
	}
	return files, nil
}

// cmpView is what the comparison template sees.
type cmpView struct {
	C          *compare.Comparison
	AfterLabel string // "FY2025" or "FY2025 (year to date)"
	Form       string
	Warnings   []string // the comparison's warnings as sentences
	Summary    string
	Rates      []cmpRate
	Plotted    bool // some rate has a difference to draw
	Ticks      []cmpTick
	Figures    []cmpFigure
	Quality    []cmpQuality
}

// cmpRate is one row of the verdict table and of the chart. Positions are
// percentages of the chart tracks' widths.
type cmpRate struct {
	Label, Before, After, Diff, CI, Verdict, Class, Reason, Sentence string
	BeforeN, AfterN                                                  string // "(444 of 1,009)"
	Small, Plot                                                      bool
	BeforeX, AfterX, LoX, HiX, DiffX, ZeroX, RangeL, RangeW, CIW     float64
}

// cmpTick is one label of the difference axis.
type cmpTick struct {
	X     float64
	Label string
}

type cmpFigure struct {
	Label, Before, After, Change string
	Incomplete                   bool
}

type cmpQuality struct {
	Label, Before, After string
	Differs              bool
}

var cmpRateLabels = map[string]string{
	"retention_rate":              "Donor retention",
	"new_donor_retention_rate":    "New-donor retention",
	"repeat_donor_retention_rate": "Repeat-donor retention",
	"on_time_rate":                "Thanked on time",
}

var cmpFigureLabels = map[string]string{
	"acquisition_rate":        "Acquisition rate (new / last year's donors)",
	"dollar_retention_rate":   "Dollar retention",
	"growth_in_giving":        "Growth in giving",
	"dollars":                 "Dollars from donors",
	"donors":                  "Donors",
	"downgraded_donors":       "Downgraded donors",
	"gains":                   "Gains (dollars)",
	"gifts":                   "Gifts",
	"lapsed_dollars":          "Lapsed donors' dollars (the year before)",
	"lapsed_donors":           "Lapsed donors",
	"losses":                  "Losses (dollars)",
	"new_dollars":             "New donors' dollars",
	"new_donors":              "New donors",
	"prior_donors":            "Donors the year before",
	"recaptured_donors":       "Recaptured donors",
	"retained_dollars":        "Retained donors' dollars",
	"retained_donors":         "Retained donors",
	"thank_you_median_days":   "Median days to thank",
	"thank_you_overdue_gifts": "Overdue thank-yous",
	"thank_you_p90_days":      "90th percentile days to thank",
	"upgraded_donors":         "Upgraded donors",
}

func cmpRateLabel(name, to string) string {
	if l, ok := cmpRateLabels[name]; ok {
		return l
	}
	if rest, ok := strings.CutPrefix(name, "funnel:"); ok {
		funnel, stage, _ := strings.Cut(rest, ":")
		return funnel + ": " + stage + " → " + to
	}
	return name
}

// points formats a difference of fractions in percentage points, "+3.0";
// a rounded zero is "0.0".
func points(v float64) string {
	s := fmt.Sprintf("%+.1f", v*100)
	if s == "-0.0" || s == "+0.0" {
		return "0.0"
	}
	return strings.Replace(s, "-", "−", 1)
}

// figureText formats a figure value by its unit; change adds a sign.
func figureText(unit string, v *float64, change bool) string {
	if v == nil {
		return "–"
	}
	sign := ""
	if change && *v > 0 {
		sign = "+"
	}
	switch unit {
	case "dollars":
		return sign + render.Money(*v, "")
	case "ratio":
		if change {
			return points(*v) + " points"
		}
		return render.PctOf(*v)
	case "days":
		return sign + render.Days(v)
	}
	return sign + render.Int(int(math.Round(*v)))
}

func comparisonView(c *compare.Comparison) cmpView {
	v := cmpView{C: c, AfterLabel: c.AfterPeriod}
	for _, w := range c.Warnings {
		v.Warnings = append(v.Warnings, capitalise(w))
	}
	if !c.AfterComplete {
		v.AfterLabel = render.YTD(c.AfterPeriod)
	}
	if c.Form == compare.FormCutover {
		v.Form = "One dataset, before and after the change on " + render.LongDate(c.Cutover) + ": the 12 months before it against the 12 months from it."
	} else {
		v.Form = "Two datasets, each read at its own as-of date, run through the same definitions."
	}
	// The difference axis is symmetric around 0, in whole 5-point steps.
	span := 0.10
	for _, n := range c.RateNames() {
		r := c.Metrics[n]
		if r.Difference != nil && len(r.CI95) == 2 {
			span = math.Max(span, math.Max(math.Abs(r.CI95[0]), math.Abs(r.CI95[1])))
		}
	}
	span = math.Ceil(span*20-1e-9) / 20
	pos := func(d float64) float64 { return round2((d + span) / (2 * span) * 100) }
	step := 0.05
	if span > 0.3 {
		step = 0.25
	} else if span > 0.15 {
		step = 0.1
	}
	for t := -math.Floor(span/step+1e-9) * step; t <= span+1e-9; t += step {
		lbl := strings.Replace(fmt.Sprintf("%+.0f", t*100), "-", "−", 1)
		if math.Abs(t) < 1e-9 {
			lbl = "0"
		}
		v.Ticks = append(v.Ticks, cmpTick{X: pos(t), Label: lbl})
	}
	counts := map[string]int{}
	for _, n := range c.RateNames() {
		r := c.Metrics[n]
		counts[r.Verdict]++
		label := cmpRateLabel(n, r.To)
		cr := cmpRate{Label: label, Verdict: r.Verdict, Reason: r.Reason, Small: r.SmallNumbers,
			Class:   strings.ReplaceAll(r.Verdict, " ", "-"),
			Before:  render.Pct(r.Before),
			After:   render.Pct(r.After),
			BeforeN: fmt.Sprintf("(%s of %s)", render.Int(r.BeforeN), render.Int(r.BeforeD)),
			AfterN:  fmt.Sprintf("(%s of %s)", render.Int(r.AfterN), render.Int(r.AfterD)),
			Diff:    "–", CI: "–", ZeroX: pos(0)}
		if r.Difference != nil && len(r.CI95) == 2 && r.Before != nil && r.After != nil {
			cr.Diff = points(*r.Difference) + " points"
			cr.CI = points(r.CI95[0]) + " to " + points(r.CI95[1])
			cr.Plot = true
			v.Plotted = true
			cr.BeforeX, cr.AfterX = round2(*r.Before*100), round2(*r.After*100)
			cr.RangeL, cr.RangeW = math.Min(cr.BeforeX, cr.AfterX), round2(math.Abs(cr.AfterX-cr.BeforeX))
			cr.LoX, cr.HiX, cr.DiffX = pos(r.CI95[0]), pos(r.CI95[1]), pos(*r.Difference)
			cr.CIW = round2(cr.HiX - cr.LoX)
			switch r.Verdict {
			case compare.Improved, compare.Worsened:
				cr.Sentence = fmt.Sprintf("%s went from %s to %s: %s; the 95%% range (%s points) leaves out 0, so this is unlikely to be chance.",
					label, render.Pct(r.Before), render.Pct(r.After), r.Verdict, cr.CI)
			default:
				cr.Sentence = fmt.Sprintf("%s went from %s to %s, but the 95%% range (%s points) includes no change, so this may be chance.",
					label, render.Pct(r.Before), render.Pct(r.After), cr.CI)
			}
		}
		v.Rates = append(v.Rates, cr)
	}
	var parts []string
	for _, k := range []string{compare.Improved, compare.Worsened, compare.NoClearChange, compare.NotComparable} {
		if n := counts[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	if len(v.Rates) > 0 {
		v.Summary = fmt.Sprintf("Of %d rates compared: %s.", len(v.Rates), joinAnd(parts))
	}
	for _, n := range c.FigureNames() {
		f := c.Figures[n]
		label := n
		if l, ok := cmpFigureLabels[n]; ok {
			label = l
		}
		v.Figures = append(v.Figures, cmpFigure{Label: label, Incomplete: f.Incomplete,
			Before: figureText(f.Unit, f.Before, false), After: figureText(f.Unit, f.After, false),
			Change: figureText(f.Unit, f.Change, true)})
	}
	b, a := c.DataQuality.Before, c.DataQuality.After
	q := func(label string, f func(compare.Quality) string) {
		x, y := f(b), f(a)
		v.Quality = append(v.Quality, cmpQuality{label, x, y, x != y})
	}
	q("Files", func(x compare.Quality) string { return render.Int(x.Files) })
	q("Export profiles", func(x compare.Quality) string { return strings.Join(x.Profiles, ", ") })
	q("Rows", func(x compare.Quality) string { return render.Int(x.Rows) })
	q("Used", func(x compare.Quality) string { return render.Int(x.Used) })
	q("Excluded by a counting rule", func(x compare.Quality) string { return render.Int(x.Excluded) })
	q("Could not be read", func(x compare.Quality) string { return render.Int(x.Rejected) })
	q("Duplicate gift rows", func(x compare.Quality) string { return render.Int(x.DuplicateRows) })
	q("Gifts with no donor record", func(x compare.Quality) string { return render.Int(x.AnonymousGift) })
	q("Has a thank-you date column", func(x compare.Quality) string {
		if x.AckDateColumn {
			return "yes"
		}
		return "no"
	})
	q("Gifts in the period with a thank-you date", func(x compare.Quality) string { return render.Pct(x.AckDateFillRate) })
	q("Marked thanked but no date", func(x compare.Quality) string { return render.Int(x.AckNoDate) })
	q("Thanked before the gift (left out)", func(x compare.Quality) string { return render.Int(x.NegativeLatency) })
	return v
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

var compareTemplates = template.Must(template.New("compare").Funcs(funcs).ParseFS(templateFS, "templates/compare.html"))

// capitalise makes a sentence of s: its first letter upper case and a full
// stop at the end.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	s = string(r)
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
