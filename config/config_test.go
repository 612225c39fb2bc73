package config

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	src := `# a comment
organisation:
  name: Northwind Literacy Project
  accent: "#1f6f8b"
fiscal_year_start: July
as_of: 2025-06-30
donor_key: contact
thank_you:
  target_days: 3
  business_days: true
  holidays: [2024-12-25]
  tiers: [0, 250]
files:
  - path: "*.csv"
    kind: gifts
    delimiter: tab
    statuses: {"Posted": qualifying}
funnels:
  - name: Ladder
    stages:
      - {name: Signed up, events: ["Email Opt-In Date"]}
      - {name: First gift, gift: first}
goals:
  - {metric: retention_rate, target: 0.45}
`
	c, err := Parse("steward.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.Organisation.Name != "Northwind Literacy Project" || c.FiscalYearStart != Month(time.July) ||
		c.AsOf != "2025-06-30" || c.DonorKey != "contact" || *c.ThankYou.TargetDays != 3 ||
		!*c.ThankYou.BusinessDays || len(c.ThankYou.Tiers) != 2 || c.ThankYou.Tiers[1] != 250 {
		t.Errorf("settings parsed wrong: %+v", c)
	}
	if got := c.Files[0].DelimiterRune(); got != '\t' {
		t.Errorf("delimiter = %q, want tab", got)
	}
	if c.Files[0].Statuses["Posted"] != "qualifying" {
		t.Errorf("statuses = %v", c.Files[0].Statuses)
	}
	if len(c.Funnels) != 1 || len(c.Funnels[0].Stages) != 2 || c.Funnels[0].Stages[1].Gift != "first" {
		t.Errorf("funnels = %+v", c.Funnels)
	}
	// Defaults filled for goals: id from the metric, comparison >=.
	if g := c.Goals[0]; g.ID != "retention_rate" || g.Comparison != ">=" || g.Target != 0.45 {
		t.Errorf("goal = %+v", g)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown key has its line", "organisation:\n  name: x\nfiscal_yaer_start: 7\n", `steward.yaml: line 3: unknown key fiscal_yaer_start`},
		{"month out of range", "fiscal_year_start: 13\n", `"13" is not a month (1-12)`},
		{"month name", "fiscal_year_start: Julember\n", `"Julember" is not a month (1-12 or a month name)`},
		{"bad as_of", "as_of: 30/06/2025\n", `steward.yaml: as_of: "30/06/2025" is not a date in the form YYYY-MM-DD`},
		{"donor key", "donor_key: person\n", `steward.yaml: donor_key: "person" is not account or contact`},
		{"accent cannot break CSS", "organisation: {accent: \"red;}</style>\"}\n", `organisation.accent: "red;}</style>" is not a colour like "#1f6f8b"`},
		{"status word", "files: [{path: a.csv, statuses: {Posted: done}}]\n", `files[0].statuses: "Posted": "done" is not one of qualifying`},
		{"stage rule", "funnels: [{name: F, stages: [{name: A}, {name: B, gift: first}]}]\n", `funnels[0].stages[0]: a stage needs a name and exactly one of`},
		{"unknown metric", "goals: [{metric: happiness, target: 1}]\n", `goals[0].metric: "happiness" is not a known metric`},
		{"funnel goal needs stage", "goals: [{metric: funnel_conversion, funnel: F, target: 0.2}]\n", `goals[0]: funnel_conversion needs funnel and stage`},
		{"kind", "files: [{path: a.csv, kind: donations}]\n", `files[0].kind: "donations" is not gifts, people or events`},
		{"unknown keys counted", "a: 1\nb: 2\nc: 3\n", `steward.yaml: line 1: unknown key a; check its spelling and indentation (steward init writes a commented config) (and 2 more problems)`},
		{"syntax", "organisation: [\n", `steward.yaml: line 2: did not find expected node content; check the YAML syntax there (indentation, quotes, brackets)`},
		{"list for a value", "currency: [USD, EUR]\n", `steward.yaml: line 1: found a list where a single value belongs; check the value and its indentation`},
		{"not a mapping", "just text\n", `steward.yaml: line 1: this is not a YAML mapping of settings (key: value lines); check that this is your steward.yaml`},
		{"binary", "\x00\xff\xfe", `steward.yaml: this is not a YAML text file; check that this is your steward.yaml (steward init writes one)`},
		{"too large", "# " + strings.Repeat("x", 1<<20) + "\n", `steward.yaml: 1048579 bytes is too large for a config file (the limit is 1 MiB); check that this is your steward.yaml`},
		{"billion laughs", billionLaughs, `steward.yaml: line 4: found a list where a single value belongs; check the value and its indentation (and `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("steward.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q\nwant it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestParseMonth(t *testing.T) {
	for in, want := range map[string]time.Month{"1": time.January, "07": time.July, "jul": time.July, "December": time.December} {
		got, err := ParseMonth(in)
		if err != nil || got != want {
			t.Errorf("ParseMonth(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// billionLaughs nests aliases nine deep (9^9 strings if expanded).
const billionLaughs = `funnels:
  - name: x
    stages:
      - {name: a, events: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]}
      - {name: b, events: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]}
      - {name: c, events: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]}
      - {name: d, events: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]}
      - {name: e, events: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]}
      - {name: f, events: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]}
      - {name: g, events: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]}
      - {name: h, events: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]}
      - {name: i, events: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]}
`
