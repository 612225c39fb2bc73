package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Palette is the Okabe-Ito colour-blind-safe palette, in the order series
// use it.
var Palette = []string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"}

// Status colours (Okabe-Ito), always shown with words.
const (
	ColorGood    = "#009E73"
	ColorBad     = "#D55E00"
	ColorUnsure  = "#E69F00"
	ColorNeutral = "#6b7280"
	ColorGoal    = "#000000"
	ColorBench   = "#6b7280"
	ColorPartial = "#b9c4cc" // incomplete ("to date") bars
)

// Chart is one figure: a title, a one-sentence takeaway computed from the
// data, the ECharts option and the table of its data.
type Chart struct {
	ID       string // element id: letters, digits and '_' only
	Title    string
	Takeaway string
	Note     string // optional: a caveat under the chart
	Height   int    // pixels; 0: 320
	Empty    string // when set, no chart is drawn and this is said instead
	Table    *Table
	option   map[string]interface{}
	compact  bool // a sparkline: no figure, the takeaway lists the data
}

var chartID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// optJSON marshals an ECharts option with HTML escaping on and every "__"
// escaped, so no "__f__" function marker can appear in the page.
type optJSON struct{ v interface{} }

// MarshalJSON implements json.Marshaler.
func (o optJSON) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(o.v)
	if err != nil {
		return nil, err
	}
	return bytes.ReplaceAll(b, []byte("__"), []byte(`\u005f\u005f`)), nil
}

// OptionJSON returns the chart's ECharts option as JSON, escaped as in the
// page (for tests and debugging).
func (c *Chart) OptionJSON() ([]byte, error) { return optJSON{c.option}.MarshalJSON() }

var sparkTmpl = template.Must(template.New("spark").Parse(
	`<div class="chart spark" id="{{.ID}}" style="height:{{.Height}}px" role="img" aria-label="{{.Title}}: {{.Takeaway}}"></div>
<script>stewardChart({{.ID}},{{.Opt}})</script>
<p class="spark-data">{{.Takeaway}}</p>
`))

var chartTmpl = template.Must(template.New("chart").Parse(
	`<figure class="card chart-card" aria-labelledby="{{.ID}}_title">
<h3 id="{{.ID}}_title">{{.Title}}</h3>
{{with .Takeaway}}<p class="takeaway">{{.}}</p>
{{end}}{{if .Empty}}<p class="empty" id="{{.ID}}">{{.Empty}}</p>
{{else}}<div class="chart" id="{{.ID}}" style="height:{{.Height}}px" role="img" aria-label="{{.Title}}. {{.Takeaway}}"></div>
<script>stewardChart({{.ID}},{{.Opt}})</script>
{{end}}{{with .Note}}<p class="note">{{.}}</p>
{{end}}{{with .Table}}<details class="chart-data" open><summary>Data for this chart</summary>
{{.}}</details>
{{end}}</figure>
`))

// ChartBoot is the inline-free JavaScript that draws a chart: the page loads
// it once (before any chart) from assets/steward.js or inlined.
const ChartBoot = `function stewardChart(id,opt){var el=document.getElementById(id);if(!el||!window.echarts){return}var c=echarts.init(el,null,{renderer:"svg"});c.setOption(opt)}
function stewardResize(){var els=document.querySelectorAll(".chart");for(var i=0;i<els.length;i++){var c=window.echarts&&echarts.getInstanceByDom(els[i]);if(c){c.resize()}}}
window.addEventListener("resize",stewardResize);window.addEventListener("beforeprint",stewardResize);window.addEventListener("afterprint",stewardResize);
`

// HTML returns the chart's figure: title, takeaway, the chart container
// <div class="chart" id="ID">, its drawing script and its data table.
func (c *Chart) HTML() (template.HTML, error) {
	if !chartID.MatchString(c.ID) {
		return "", fmt.Errorf("render: chart id %q: want letters, digits and '_'", c.ID)
	}
	h := c.Height
	if h == 0 {
		h = 320
	}
	var tbl template.HTML
	if c.Table != nil {
		var err error
		if tbl, err = c.Table.HTML(); err != nil {
			return "", err
		}
	}
	tmpl := chartTmpl
	if c.compact {
		tmpl = sparkTmpl
	}
	var b bytes.Buffer
	err := tmpl.Execute(&b, struct {
		ID, Title, Takeaway, Note, Empty string
		Height                           int
		Opt                              optJSON
		Table                            template.HTML
	}{c.ID, c.Title, c.Takeaway, c.Note, c.Empty, h, optJSON{c.option}, tbl})
	if err != nil {
		return "", fmt.Errorf("render chart %s: %w", c.ID, err)
	}
	return template.HTML(b.String()), nil
}

// validator is what every go-echarts chart type offers.
type validator interface {
	Validate()
	JSON() map[string]interface{}
}

// finish validates a go-echarts chart and keeps its option.
func (c *Chart) finish(ch validator) *Chart {
	ch.Validate()
	c.option = ch.JSON()
	return c
}

// base returns the global options every chart shares; grid replaces the
// default grid when given (go-echarts appends grids, so it is set once).
func base(id string, grid ...opts.Grid) []charts.GlobalOpts {
	if len(grid) == 0 {
		grid = []opts.Grid{{Left: "3%", Right: "4%", Top: "24", Bottom: "40", ContainLabel: opts.Bool(true)}}
	}
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Theme: "white"}),
		charts.WithAnimation(false),
		charts.WithColorsOpts(opts.Colors(Palette)),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithGridOpts(grid...),
	}
}

// categoryAxis is an x axis of n period labels, all shown, slanted when
// there are many.
func categoryAxis(n int) opts.XAxis {
	a := opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{Interval: "0", HideOverlap: opts.Bool(false)}}
	if n > 5 {
		a.AxisLabel.Rotate = 30
	}
	if n > 12 {
		// Many periods (quarters): let ECharts skip labels that would
		// overlap, so a phone shows every other or every fourth one.
		a.AxisLabel.Interval = "auto"
	}
	return a
}

// percentAxis is a y axis for rates drawn as 0-100 percentages.
func percentAxis(max interface{}) opts.YAxis {
	return opts.YAxis{Type: "value", Min: 0, Max: max, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}
}

// pct100 turns a rate into a percentage with one decimal for plotting; nil
// stays nil so the line has a gap.
func pct100(v *float64) interface{} {
	if v == nil {
		return nil
	}
	return round(*v*100, 1)
}
