package config

import (
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that its errors are one
// line that names the file.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "organisation:\n  name: x\nfiscal_year_start: 7\n", "fiscal_yaer_start: 7\n", "fiscal_year_start: July\n",
		"files:\n  - path: gifts.csv\n    delimiter: \"\\t\"\n    columns: {amount: Gross}\n    date_format: DD/MM/YYYY\n",
		"funnels: [{name: F, stages: [{name: A, events: [x]}, {name: B, gift: first}]}]\n",
		"goals: [{metric: retention_rate, target: 0.45, comparison: '>='}]\n",
		"thank_you: {target_days: 2, holidays: [2024-12-25], tiers: [0, 1000]}\n",
		"as_of: 2025-06-30\ncurrency: USD\ndonor_key: contact\nprivacy: {min_cell: 5}\n",
		"organisation: [\n", "a: &a [x]\nb: *a\n", "- 1\n- 2\n", "!!binary AAAA", "%YAML 1.1\n---\nx: 1\n",
		"<<: {x: 1}\n", "organisation: {accent: \"#fff\"}\n", billionLaughs, "\x00", "\t",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse("steward.yaml", b)
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "steward.yaml: ") || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error is not one line naming the file: %q", msg)
			}
			return
		}
		if c == nil {
			t.Fatal("nil config and no error")
		}
		for _, f := range c.Files {
			f.DelimiterRune()
		}
	})
}
