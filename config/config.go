// Package config loads steward.yaml: everything auto-detection cannot know
// (files and their kinds, column mappings, formats, vocabularies, fiscal year,
// thank-you target, funnels and goals). Unknown keys are errors with their
// line numbers, so a typo never silently changes a figure.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"

	"steward"
)

// Config is the parsed steward.yaml. Zero values mean "not set": the
// command line and the defaults fill them.
type Config struct {
	Organisation    Organisation `yaml:"organisation"`
	FiscalYearStart Month        `yaml:"fiscal_year_start"`
	AsOf            string       `yaml:"as_of"`
	Currency        string       `yaml:"currency"`
	DonorKey        string       `yaml:"donor_key"`
	ThankYou        ThankYou     `yaml:"thank_you"`
	Privacy         Privacy      `yaml:"privacy"`
	Files           []File       `yaml:"files"`
	Funnels         []Funnel     `yaml:"funnels"`
	Goals           []Goal       `yaml:"goals"`
}

// Organisation is how the report presents the organisation.
type Organisation struct {
	Name   string `yaml:"name"`
	Logo   string `yaml:"logo"` // path relative to the config file: .svg or .png
	Accent string `yaml:"accent"`
}

// ThankYou holds the thank-you latency settings.
type ThankYou struct {
	TargetDays   *int      `yaml:"target_days"`
	BusinessDays *bool     `yaml:"business_days"`
	Holidays     []string  `yaml:"holidays"`
	AckField     string    `yaml:"ack_field"` // thankyou | receipt
	Tiers        []float64 `yaml:"tiers"`     // lower bounds in major units
}

// Privacy holds publication settings.
type Privacy struct {
	MinCell int `yaml:"min_cell"`
}

// File says how to read one input file (or every file a glob matches).
type File struct {
	Path         string            `yaml:"path"`
	Kind         string            `yaml:"kind"`
	Profile      string            `yaml:"profile"`
	Format       string            `yaml:"format"`
	Encoding     string            `yaml:"encoding"`
	Delimiter    string            `yaml:"delimiter"`
	Sheet        string            `yaml:"sheet"`
	HeaderRow    int               `yaml:"header_row"`
	Columns      map[string]string `yaml:"columns"`
	StageColumns []string          `yaml:"stage_columns"`
	DateFormat   string            `yaml:"date_format"`
	DecimalComma *bool             `yaml:"decimal_comma"`
	Statuses     map[string]string `yaml:"statuses"`
	Filters      []Filter          `yaml:"filters"`
	Currency     string            `yaml:"currency"`
}

// Filter keeps only rows whose column holds one of the values.
type Filter struct {
	Column string   `yaml:"column"`
	Values []string `yaml:"values"`
}

// Funnel is a configured engagement ladder.
type Funnel struct {
	Name       string  `yaml:"name"`
	WindowDays int     `yaml:"window_days"`
	Stages     []Stage `yaml:"stages"`
}

// Stage is one funnel stage; exactly one rule is set.
type Stage struct {
	Name        string   `yaml:"name"`
	Events      []string `yaml:"events"`
	Gift        string   `yaml:"gift"` // first | second | recurring
	FiscalYears int      `yaml:"fiscal_years"`
	Cumulative  float64  `yaml:"cumulative"`
	SingleYear  float64  `yaml:"single_year"`
}

// Goal is a measurable goal.
type Goal struct {
	ID         string  `yaml:"id"`
	Label      string  `yaml:"label"`
	Metric     string  `yaml:"metric"`
	Comparison string  `yaml:"comparison"`
	Target     float64 `yaml:"target"`
	Period     string  `yaml:"period"`
	Funnel     string  `yaml:"funnel"`
	Stage      string  `yaml:"stage"`
}

// Month is a month number 1-12; YAML may also say "July" or "Jul".
type Month int

// UnmarshalYAML accepts a month number or an English month name.
func (m *Month) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseMonth(n.Value)
	if err != nil {
		return fmt.Errorf("fiscal_year_start: %v", err)
	}
	*m = Month(v)
	return nil
}

// ParseMonth reads a month as a number 1-12 or an English name ("July", "Jul").
func ParseMonth(s string) (time.Month, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > 12 {
			return 0, fmt.Errorf("%q is not a month (1-12)", s)
		}
		return time.Month(n), nil
	}
	for m := time.January; m <= time.December; m++ {
		name := m.String()
		if strings.EqualFold(s, name) || strings.EqualFold(s, name[:3]) {
			return m, nil
		}
	}
	return 0, fmt.Errorf("%q is not a month (1-12 or a month name)", s)
}

var (
	metricNames = map[string]bool{
		"retention_rate": true, "new_donor_retention_rate": true, "repeat_donor_retention_rate": true,
		"dollar_retention_rate": true, "acquisition_rate": true, "growth_in_giving": true,
		"on_time_rate": true, "median_days": true, "donors": true, "dollars": true,
		"funnel_conversion": true,
	}
	kinds       = map[string]bool{"": true, "gifts": true, "people": true, "events": true}
	statusWords = map[string]bool{"qualifying": true, "pledge": true, "pending": true, "failed": true,
		"cancelled": true, "refunded": true, "test": true}
	hexColour = regexp.MustCompile(`^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$`)
)

// maxConfigBytes bounds a config file: a steward.yaml is a few KB.
const maxConfigBytes = 1 << 20

// Parse reads a config from b; name is used in error messages. Every error
// is one line that names the file (and the line, where there is one) and
// says what to do.
func Parse(name string, b []byte) (*Config, error) {
	var c Config
	if len(b) > maxConfigBytes {
		return nil, fmt.Errorf("%s: %d bytes is too large for a config file (the limit is 1 MiB); check that this is your steward.yaml", name, len(b))
	}
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil, fmt.Errorf("%s: this is not a YAML text file; check that this is your steward.yaml (steward init writes one)", name)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return &c, nil
	}
	if err := yaml.Load(b, &c, yaml.WithKnownFields()); err != nil {
		return nil, fmt.Errorf("%s: %s", name, describe(err))
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &c, nil
}

var (
	unknownField = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	lineN        = regexp.MustCompile(`^line \d+: `)
	notMapping   = regexp.MustCompile(`^cannot construct !!\w+ .* into config\.Config$`)
	construct    = regexp.MustCompile(`^cannot (?:construct|unmarshal) !!(\w+)(?: .*)? into (\S+)$`)
)

// yamlKind names a YAML tag or a Go type for a person: "a list", "a
// mapping (key: value lines)" or "a single value".
func yamlKind(s string) string {
	switch {
	case s == "seq" || strings.HasPrefix(s, "[]"):
		return "a list"
	case s == "map" || strings.HasPrefix(s, "map[") || strings.HasPrefix(s, "config."):
		return "a mapping (key: value lines)"
	}
	return "a single value"
}

// describe turns a YAML error into one plain line that says where and what
// to do: "line 3: unknown key x; check its spelling and indentation".
func describe(err error) string {
	var (
		line   int
		msg    string
		more   int
		syntax bool
		les    *yaml.LoadErrors
		le     *yaml.LoadError
	)
	switch {
	case errors.As(err, &les) && len(les.Errors) > 0:
		line, msg, more = les.Errors[0].Mark.Line, les.Errors[0].Message, len(les.Errors)-1
	case errors.As(err, &le):
		line, msg, syntax = le.Mark.Line, le.Message, true
	default:
		return oneLine(err.Error()) + "; check the YAML there"
	}
	msg = oneLine(lineN.ReplaceAllString(oneLine(msg), ""))
	switch {
	case strings.Contains(msg, "excessive aliasing"):
		return "the config uses too many aliases (*name); write the values out instead"
	case unknownField.MatchString(msg):
		msg = unknownField.ReplaceAllString(msg, "unknown key $1") + "; check its spelling and indentation (steward init writes a commented config)"
	case notMapping.MatchString(msg):
		msg = "this is not a YAML mapping of settings (key: value lines); check that this is your steward.yaml"
	case construct.MatchString(msg):
		m := construct.FindStringSubmatch(msg)
		msg = "found " + yamlKind(m[1]) + " where " + yamlKind(m[2]) + " belongs; check the value and its indentation"
	case syntax:
		msg += "; check the YAML syntax there (indentation, quotes, brackets)"
	}
	switch {
	case more == 1:
		msg += " (and 1 more problem)"
	case more > 1:
		msg += fmt.Sprintf(" (and %d more problems)", more)
	}
	if line > 0 {
		return fmt.Sprintf("line %d: %s", line, msg)
	}
	return msg
}

// oneLine makes an error text one plain line.
func oneLine(s string) string {
	s = strings.TrimPrefix(s, "yaml: ")
	for _, p := range []string{"construct errors:", "unmarshal errors:"} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.Join(strings.Fields(s), " ")
}

func (c *Config) validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if c.AsOf != "" {
		if _, err := steward.ParseDate(c.AsOf); err != nil {
			bad("as_of: %v", err)
		}
	}
	switch c.DonorKey {
	case "", "account", "contact":
	default:
		bad("donor_key: %q is not account or contact", c.DonorKey)
	}
	if c.Organisation.Accent != "" && !hexColour.MatchString(c.Organisation.Accent) {
		bad("organisation.accent: %q is not a colour like \"#1f6f8b\"", c.Organisation.Accent)
	}
	if t := c.ThankYou.TargetDays; t != nil && (*t < 0 || *t > 365) {
		bad("thank_you.target_days: %d is not between 0 and 365", *t)
	}
	for _, h := range c.ThankYou.Holidays {
		if _, err := steward.ParseDate(h); err != nil {
			bad("thank_you.holidays: %v", err)
		}
	}
	switch c.ThankYou.AckField {
	case "", "thankyou", "receipt":
	default:
		bad("thank_you.ack_field: %q is not thankyou or receipt", c.ThankYou.AckField)
	}
	for i, f := range c.Files {
		if f.Path == "" {
			bad("files[%d]: path is missing", i)
		}
		if !kinds[f.Kind] {
			bad("files[%d].kind: %q is not gifts, people or events", i, f.Kind)
		}
		if f.Delimiter != "" && len([]rune(unescapeDelimiter(f.Delimiter))) != 1 {
			bad("files[%d].delimiter: %q is not one character", i, f.Delimiter)
		}
		for _, raw := range slices.Sorted(maps.Keys(f.Statuses)) {
			if s := f.Statuses[raw]; !statusWords[s] {
				bad("files[%d].statuses: %q: %q is not one of qualifying, pledge, pending, failed, cancelled, refunded, test", i, raw, s)
			}
		}
	}
	for i, fn := range c.Funnels {
		if fn.Name == "" {
			bad("funnels[%d]: name is missing", i)
		}
		if len(fn.Stages) < 2 {
			bad("funnels[%d] %q: a funnel needs at least two stages", i, fn.Name)
		}
		for j, s := range fn.Stages {
			rules := 0
			if len(s.Events) > 0 {
				rules++
			}
			if s.Gift != "" {
				rules++
				if s.Gift != "first" && s.Gift != "second" && s.Gift != "recurring" {
					bad("funnels[%d].stages[%d].gift: %q is not first, second or recurring", i, j, s.Gift)
				}
			}
			if s.FiscalYears > 0 {
				rules++
			}
			if s.Cumulative > 0 {
				rules++
			}
			if s.SingleYear > 0 {
				rules++
			}
			if s.Name == "" || rules != 1 {
				bad("funnels[%d].stages[%d]: a stage needs a name and exactly one of events, gift, fiscal_years, cumulative, single_year", i, j)
			}
		}
	}
	for i, g := range c.Goals {
		if !metricNames[g.Metric] {
			bad("goals[%d].metric: %q is not a known metric; use one of %s", i, g.Metric, strings.Join(slices.Sorted(maps.Keys(metricNames)), ", "))
		}
		switch g.Comparison {
		case ">=", ">", "<=", "<":
		case "":
			c.Goals[i].Comparison = ">="
		default:
			bad("goals[%d].comparison: %q is not one of >=, >, <=, <", i, g.Comparison)
		}
		if g.Metric == "funnel_conversion" && (g.Funnel == "" || g.Stage == "") {
			bad("goals[%d]: funnel_conversion needs funnel and stage", i)
		}
		if g.ID == "" {
			c.Goals[i].ID = g.Metric
		}
	}
	if len(errs) > 0 {
		return errs[0] // one clear line; the next run reports the next problem
	}
	return nil
}

// unescapeDelimiter turns "\t" and "tab" into a tab.
func unescapeDelimiter(s string) string {
	switch strings.ToLower(s) {
	case `\t`, "tab":
		return "\t"
	}
	return s
}

// DelimiterRune returns the file's delimiter, 0 when it is to be sniffed.
func (f File) DelimiterRune() rune {
	r := []rune(unescapeDelimiter(f.Delimiter))
	if len(r) != 1 {
		return 0
	}
	return r[0]
}
