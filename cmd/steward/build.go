package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"steward/site"
)

// settingFlags are the flags that build, check and compare share.
func settingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "read files, goals and settings from `FILE` (steward.yaml)"},
		&cli.StringFlag{Name: "as-of", Usage: "count gifts up to `YYYY-MM-DD` (default: the latest qualifying gift)"},
		&cli.StringFlag{Name: "fy-start", Usage: "first `MONTH` of the fiscal year, 1-12 or a name (default 1, January)"},
		&cli.IntFlag{Name: "thank-you-days", Usage: "thank gifts within `N` days to be on time (2 = 48 hours)", Value: -1, DefaultText: "2"},
		&cli.BoolFlag{Name: "business-days", Usage: "count thank-you latency in business days (Mon-Fri)"},
		&cli.StringFlag{Name: "donor-key", Usage: "who a donor is: `account` (household, default) or contact"},
		&cli.StringFlag{Name: "currency", Usage: "report only gifts in this `CODE` when a file mixes currencies"},
	}
}

func buildCommand() *cli.Command {
	return &cli.Command{
		Name:      "build",
		Usage:     "read exports and write the report",
		ArgsUsage: "[FILE...]",
		Description: `Reads each FILE (CSV or XLSX; gifts, people or engagement events, detected from
the headers) and writes the report into --out: index.html and its pages,
metrics.json, metrics.xlsx and one CSV per table. With no FILE and no --config,
it reads the bundled sample organisation.

The report folder is replaced only when the build succeeds, and only if Steward
made it (it holds a .steward-report marker); other folders are never touched.

Examples:
   steward build
   steward build --out report gifts.csv people.csv
   steward build --config steward.yaml --as-of 2025-06-30
   steward build --fy-start July --thank-you-days 3 --single-file --out board npsp.csv`,
		Flags: append(settingFlags(),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the report into `DIR`", Value: "report"},
			&cli.BoolFlag{Name: "single-file", Usage: "write the whole report as one self-contained index.html"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		),
		OnUsageError: func(_ *cli.Context, err error, _ bool) error { return usageError{err} },
		Action: func(c *cli.Context) error {
			run, err := loadRun(c)
			if err != nil {
				return err
			}
			run.site.SingleFile = c.Bool("single-file")
			rep, sources, err := run.compute()
			if err != nil {
				return err
			}
			files, err := site.Build(rep, run.site)
			if err != nil {
				return err
			}
			out := c.String("out")
			if err := writeReport(out, files); err != nil {
				return err
			}
			if !c.Bool("quiet") {
				used, rows := 0, 0
				for _, s := range sources {
					used += s.Used
					rows += s.Rows
				}
				fmt.Fprintf(c.App.Writer, "steward: read %d rows from %d files (%d used); wrote %s\n",
					rows, len(sources), used, filepath.Join(out, "index.html"))
				for _, s := range sources {
					for _, w := range s.Warnings {
						fmt.Fprintf(c.App.ErrWriter, "steward: warning: %s: %s\n", s.File, strings.TrimSpace(w))
					}
				}
			}
			return nil
		},
	}
}
