package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"steward"
	"steward/compare"
	"steward/config"
	"steward/metrics"
	"steward/site"
)

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "say what changed between two exports, or before and after a cutover date",
		ArgsUsage: "--before FILE... --after FILE... | --cutover YYYY-MM-DD FILE...",
		Description: `Runs two sets of exports (or two windows of one) through the same definitions
and says what changed, what did not, and what is only noise.

Two datasets: --before FILE... --after FILE... (the sides may come from
different CRMs). Each side is one fiscal year of its own data, at its own
as-of date: by default its latest complete fiscal year; --before-period and
--after-period name others (FY2022). A named period must be complete.

One dataset and a cutover: --cutover YYYY-MM-DD FILE... compares the 12
months before the date with the 12 months from it. The date must be the first
day of a month; the windows are fiscal years starting in that month, whatever
--fy-start says. If the after window has not ended at the as-of date it is
compared as year to date, with a warning, and its counts and dollars are
marked incomplete. --as-of goes with this form only. With no FILE, the files
of --config are read.

For each rate (retention, new and repeat donor retention, thank-you on-time
rate, funnel conversions of the period's entry cohort): before, after, the
difference with its 95% Newcombe hybrid score interval, and a verdict:
"improved" or "worsened" only when the interval excludes 0, else "no clear
change" ("not comparable" when a side has nobody to count). Counts, dollars,
acquisition rate and growth in giving: before, after and change. Data quality
side by side, and a warning when settings differ between the sides.

Writes --out/index.html (one self-contained page, no scripts, printable) and
--out/comparison.json, and prints one line per rate.

Examples:
   steward compare --before civicrm-2022.csv --after npsp-2024.csv
   steward compare --before a.csv b.csv --after c.xlsx --before-period FY2022 --after-period FY2024
   steward compare --cutover 2024-07-01 --out cutover gifts.csv`,
		Flags: append(settingFlags(),
			&cli.StringSliceFlag{Name: "before", Usage: "the before export `FILE`s (repeat the flag, or list several files after it)"},
			&cli.StringSliceFlag{Name: "after", Usage: "the after export `FILE`s"},
			&cli.StringFlag{Name: "cutover", Usage: "compare the 12 months before and from `YYYY-MM-DD` (the first of a month) in one dataset"},
			&cli.StringFlag{Name: "before-period", Usage: "the before fiscal year, e.g. `FY2022` (default: the latest complete)"},
			&cli.StringFlag{Name: "after-period", Usage: "the after fiscal year, e.g. `FY2024` (default: the latest complete)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the comparison into `DIR`", Value: "comparison"},
			&cli.BoolFlag{Name: "single-file", Usage: "one self-contained index.html (the comparison page always is)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		),
		OnUsageError: func(_ *cli.Context, err error, _ bool) error { return usageError{err} },
		Action:       compareAction,
	}
}

// compareAction runs the compare command. Files listed after --before or
// --after without repeating the flag are given to that side: the command
// line is rearranged and parsed again, so that flags after file names count
// too.
func compareAction(c *cli.Context) error {
	if c.NArg() > 0 {
		if lin := c.Lineage(); len(lin) > 1 && lin[1] != nil && c.Command != nil {
			parent := lin[1]
			raw := parent.Args().Slice()
			if len(raw) > 0 {
				fixed := spreadFiles(raw[1:], valueFlags(c.Command.Flags))
				if strings.Join(fixed, "\x00") != strings.Join(raw[1:], "\x00") {
					// Parse again under a parent whose arguments are the
					// rearranged ones; spreadFiles of those changes nothing.
					set := flag.NewFlagSet(parent.App.Name, flag.ContinueOnError)
					if err := set.Parse(append([]string{"--", raw[0]}, fixed...)); err != nil {
						return err
					}
					np := cli.NewContext(c.App, set, parent)
					nc := cli.NewContext(c.App, nil, np)
					nc.Command = c.Command
					return c.Command.Run(nc, append([]string{raw[0]}, fixed...)...)
				}
			}
		}
	}
	cmp, err := runCompare(c)
	if err != nil {
		return err
	}
	js, err := json.MarshalIndent(cmp, "", "  ")
	if err != nil {
		return err
	}
	opt, err := compareSiteOptions(c)
	if err != nil {
		return err
	}
	// The comparison page is always one self-contained file.
	opt.SingleFile = true
	files, err := site.BuildComparison(cmp, opt)
	if err != nil {
		return err
	}
	out := c.String("out")
	files = append(files, site.File{Name: "comparison.json", Data: append(js, '\n')})
	if err := writeReport(out, files); err != nil {
		return err
	}
	if !c.Bool("quiet") {
		printComparison(c.App.Writer, cmp, filepath.Join(out, "index.html"))
		for _, w := range cmp.Warnings {
			fmt.Fprintf(c.App.ErrWriter, "steward: warning: %s\n", w)
		}
	}
	return nil
}

// valueFlags returns the names of the flags that take a value.
func valueFlags(flags []cli.Flag) map[string]bool {
	m := map[string]bool{}
	for _, f := range flags {
		if _, ok := f.(*cli.BoolFlag); ok {
			continue
		}
		for _, n := range f.Names() {
			m[n] = true
		}
	}
	return m
}

// spreadFiles rewrites a command line so that every file named after
// --before or --after (until the next flag) carries its own flag, and the
// remaining file names come after all flags and a "--":
// "--before a b --out x c" becomes "--before a --before b --out x -- c".
// Its result is its own fixed point.
func spreadFiles(args []string, takesValue map[string]bool) []string {
	var flags, files []string
	side := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			files = append(files, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			flags = append(flags, a)
			side = ""
			if name == "before" || name == "after" {
				side = name
			}
			if !hasValue && takesValue[name] && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		if side != "" {
			flags = append(flags, "--"+side, a)
			continue
		}
		files = append(files, a)
	}
	if len(files) == 0 {
		return flags
	}
	return append(append(flags, "--"), files...)
}

// runCompare reads the inputs of both sides and compares them.
func runCompare(c *cli.Context) (*compare.Comparison, error) {
	before, after := c.StringSlice("before"), c.StringSlice("after")
	cutover := c.String("cutover")
	args := c.Args().Slice()
	switch {
	case cutover != "" && (len(before) > 0 || len(after) > 0):
		return nil, usagef("use either --before and --after (two datasets) or --cutover (one dataset), not both")
	case cutover == "" && len(before) == 0 && len(after) == 0:
		return nil, usagef("name the exports to compare: --before FILE... --after FILE..., or --cutover YYYY-MM-DD FILE...")
	case cutover == "" && len(after) == 0:
		return nil, usagef("--after is missing: name the after export(s) with --after FILE")
	case cutover == "" && len(before) == 0:
		return nil, usagef("--before is missing: name the before export(s) with --before FILE")
	case cutover == "" && len(args) > 0:
		return nil, usagef("%s: say which side it is on: --before %s or --after %s", args[0], args[0], args[0])
	case cutover != "" && (c.String("before-period") != "" || c.String("after-period") != ""):
		return nil, usagef("--before-period and --after-period go with --before and --after; with --cutover the date sets the windows")
	case cutover == "" && c.String("as-of") != "":
		return nil, usagef("--as-of goes with --cutover; with --before and --after each side is as of its own latest gift")
	}
	cfg, cfgDir, err := readConfig(c.String("config"))
	if err != nil {
		return nil, err
	}
	if cutover != "" {
		return runCutover(c, cfg, cfgDir, cutover, args)
	}
	var reps [2]*metrics.Report
	for i, files := range [][]string{before, after} {
		r, err := compareSide(c, cfg, cfgDir, files)
		if err != nil {
			return nil, err
		}
		r.settings.AsOf = steward.NoDate // each side is as of its own latest gift
		if reps[i], _, err = r.compute(); err != nil {
			return nil, err
		}
	}
	bp, ap := c.String("before-period"), c.String("after-period")
	cmp, err := compare.Compare(reps[0], reps[1], bp, ap)
	if errors.Is(err, compare.ErrPeriod) && (bp != "" || ap != "") {
		return nil, usageError{err}
	}
	if err == nil && cfg.AsOf != "" {
		cmp.Warnings = append([]string{"the config's as_of is not used: each side is as of its own latest gift"}, cmp.Warnings...)
	}
	return cmp, err
}

// runCutover computes one dataset with the fiscal year starting in the
// cutover month and compares the year from the cutover with the one before.
func runCutover(c *cli.Context, cfg *config.Config, cfgDir, cutover string, files []string) (*compare.Comparison, error) {
	d, err := steward.ParseDate(cutover)
	if err != nil {
		return nil, usagef("--cutover: %v", err)
	}
	y, m, dd := d.Civil()
	if dd != 1 {
		return nil, usagef("--cutover: %s is not the first day of a month; the windows are whole months (try %s)",
			d, steward.NewDate(y, m, 1))
	}
	r, err := compareSide(c, cfg, cfgDir, files)
	if err != nil {
		return nil, err
	}
	var warn string
	if (c.IsSet("fy-start") || cfg.FiscalYearStart != 0) && r.settings.FYStartMonth != m {
		warn = fmt.Sprintf("the fiscal year start (%s) is not used: the windows are the 12 months from %s, the cutover month",
			r.settings.FYStartMonth, m)
	}
	r.settings.FYStartMonth = m
	rep, _, err := r.compute()
	if err != nil {
		return nil, err
	}
	cmp, err := compare.Cutover(rep, d)
	if err != nil {
		return nil, err
	}
	if warn != "" {
		cmp.Warnings = append([]string{warn}, cmp.Warnings...)
	}
	return cmp, nil
}

// compareSide resolves one side into a run: the settings of the flags and
// config, and the files named (or, with none, the config's files).
func compareSide(c *cli.Context, cfg *config.Config, cfgDir string, files []string) (*run, error) {
	r := &run{settings: metrics.DefaultSettings(), countDuplicates: true}
	if err := r.applySettings(c, cfg); err != nil {
		return nil, err
	}
	var err error
	if len(files) > 0 {
		r.inputs, err = argInputs(files, cfg, cfgDir)
	} else {
		r.inputs, err = configInputs(cfg, cfgDir, nil)
	}
	if err != nil {
		return nil, err
	}
	if len(r.inputs) == 0 {
		return nil, usagef("no input files: name them (steward compare --cutover 2024-07-01 gifts.csv) or list them under files: in the config")
	}
	r.applyCurrency(c, cfg)
	return r, nil
}

// printComparison writes the plain-text summary: one line per rate.
func printComparison(w io.Writer, cmp *compare.Comparison, page string) {
	ytd := ""
	if !cmp.AfterComplete {
		ytd = "year to date "
	}
	fmt.Fprintf(w, "steward: compared %s (%s to %s, as of %s) with %s (%s to %s, %sas of %s); wrote %s\n",
		cmp.BeforePeriod, cmp.BeforeStart, cmp.BeforeEnd, cmp.BeforeAsOf,
		cmp.AfterPeriod, cmp.AfterStart, cmp.AfterEnd, ytd, cmp.AfterAsOf, page)
	for _, n := range cmp.RateNames() {
		r := cmp.Metrics[n]
		if r.Verdict == compare.NotComparable {
			fmt.Fprintf(w, "%s: %s -> %s: not comparable (%s)\n", n, pctOf(r.Before), pctOf(r.After), r.Reason)
			continue
		}
		fmt.Fprintf(w, "%s: %s -> %s, %s points (95%% CI %s to %s): %s\n", n, pctOf(r.Before), pctOf(r.After),
			signed(*r.Difference), signed(r.CI95[0]), signed(r.CI95[1]), r.Verdict)
	}
	for _, n := range cmp.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

func pctOf(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}

// signed formats a difference of fractions in percentage points, "+30.0".
func signed(v float64) string {
	s := fmt.Sprintf("%+.1f", v*100)
	if s == "-0.0" || s == "+0.0" {
		return "0.0"
	}
	return s
}

// compareSiteOptions returns the page's look from --config: the
// organisation's name, accent colour and logo.
func compareSiteOptions(c *cli.Context) (site.Options, error) {
	cfg, dir, err := readConfig(c.String("config"))
	if err != nil {
		return site.Options{}, err
	}
	r := &run{}
	if err := r.applySite(cfg, dir, nil); err != nil {
		return site.Options{}, err
	}
	return r.site, nil
}
