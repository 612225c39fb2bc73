package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"steward"
)

func initCommand() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "write a commented steward.yaml from what Steward detects in your files",
		ArgsUsage: "FILE...",
		Description: `Reads each FILE as build would and prints a config that states what was
detected (kind, profile, columns, date formats), with every other setting
commented out at its default. Edit it, then: steward build --config steward.yaml

Examples:
   steward init gifts.csv contacts.csv > steward.yaml`,
		Flags:        withoutFlag(settingFlags(), "config"), // init writes the config
		OnUsageError: func(_ *cli.Context, err error, _ bool) error { return usageError{err} },
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("init needs the export files to look at: steward init gifts.csv")
			}
			run, err := loadRun(c)
			if err != nil {
				return err
			}
			sources, err := run.readSources(nil)
			if err != nil {
				return err
			}
			writeInitConfig(c.App.Writer, sources)
			return nil
		},
	}
}

// withoutFlag returns flags less the one called name.
func withoutFlag(flags []cli.Flag, name string) []cli.Flag {
	var out []cli.Flag
	for _, f := range flags {
		if f.Names()[0] != name {
			out = append(out, f)
		}
	}
	return out
}

// yamlString quotes s for YAML (a JSON string is valid YAML).
func yamlString(s string) string { return strconv.Quote(s) }

func writeInitConfig(w io.Writer, sources []steward.Source) {
	fmt.Fprint(w, `# steward.yaml, written by steward init. Every key is optional; a key
# Steward does not know is an error, so typos never change a figure silently.

organisation:
  name: "Our organisation"      # shown on every page of the report
  # logo: logo.svg              # .svg or .png, relative to this file
  # accent: "#1f6f8b"           # the report's accent colour

fiscal_year_start: 1            # first month of the fiscal year (7 = July)
# as_of: 2025-06-30             # count gifts up to this date (default: latest gift)
# currency: USD                 # only this currency when files mix currencies
donor_key: account              # account (household) or contact

thank_you:
  target_days: 2                # on time = thanked within 2 days (48 hours)
  business_days: false          # true: count Mon-Fri only
  # holidays: [2025-12-25]      # skipped when business_days is true
  # ack_field: receipt          # use receipt dates as thank-you dates
  tiers: [0, 100, 1000, 10000]  # gift-size bands for the breakdown

privacy:
  min_cell: 0                   # hide breakdown rows with fewer donors than this

files:
`)
	for _, s := range sources {
		if s.Kind == "" {
			fmt.Fprintf(w, "  # %s: nothing in it can be counted (%d rows); left out\n", s.File, s.Rows)
			continue
		}
		fmt.Fprintf(w, "  - path: %s\n", yamlString(s.File))
		fmt.Fprintf(w, "    kind: %s\n", s.Kind)
		fmt.Fprintf(w, "    profile: %s\n", yamlString(s.Profile))
		if s.Encoding != "" && s.Encoding != "utf-8" {
			fmt.Fprintf(w, "    encoding: %s\n", yamlString(s.Encoding))
		}
		if s.Delimiter != "" && s.Delimiter != "," {
			fmt.Fprintf(w, "    delimiter: %s\n", yamlString(s.Delimiter))
		}
		if s.Sheet != "" {
			fmt.Fprintf(w, "    sheet: %s\n", yamlString(s.Sheet))
		}
		if s.HeaderRow > 1 {
			fmt.Fprintf(w, "    header_row: %d\n", s.HeaderRow)
		}
		dateFormat := ""
		fmt.Fprintf(w, "    columns:\n")
		for _, col := range s.Columns {
			fmt.Fprintf(w, "      %s: %s\n", col.Field, yamlString(col.Header))
			if strings.HasSuffix(col.Field, "date") && col.Format != "" && dateFormat == "" && !strings.Contains(col.Format, "serial") {
				dateFormat = col.Format
			}
		}
		if dateFormat != "" {
			fmt.Fprintf(w, "    # date_format: %s\n", yamlString(dateFormat))
		}
		fmt.Fprintf(w, "    # statuses: {\"Posted\": qualifying}\n")
		fmt.Fprintf(w, "    # filters: [{column: \"Financial Type\", values: [Donation]}]\n")
	}
	fmt.Fprint(w, `
# funnels:
#   - name: Engagement ladder
#     window_days: 365
#     stages:
#       - {name: Signed up, events: ["Email Opt-In Date"]}
#       - {name: First gift, gift: first}
#       - {name: Second gift, gift: second}
#       - {name: Gave in 3+ fiscal years, fiscal_years: 3}

goals:
  - {id: retention, label: Donor retention, metric: retention_rate, comparison: ">=", target: 0.45}
  - {id: thanks, label: Thanked within 48 hours, metric: on_time_rate, comparison: ">=", target: 0.80}
`)
}
