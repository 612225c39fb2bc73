package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"steward"
	"steward/config"
	"steward/sample"
)

func sampleCommand() *cli.Command {
	return &cli.Command{
		Name:  "sample",
		Usage: "write made-up exports of a fictional charity, for demos, tests and benchmarks",
		Description: `Writes exports shaped like the real thing (CiviCRM, Salesforce NPSP, Raiser's
Edge XLSX, people and engagement files) for a fictional organisation. The same
flags always give the same bytes.

Formats: ` + strings.Join(sample.Formats(), ", ") + `

Examples:
   steward sample --out demo                         # every format
   steward sample --format npsp --donors 200000 --out bench
   steward sample --format re-xlsx --years 10 --seed 7 --out /tmp/x`,
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "donors", Usage: "`N` households in the main file", Value: 2500},
			&cli.IntFlag{Name: "years", Usage: "`N` fiscal years of history, the last one year to date", Value: 7},
			&cli.StringFlag{Name: "fy-start", Usage: "first `MONTH` of the fiscal year", Value: "7"},
			&cli.StringFlag{Name: "format", Usage: "which export to write: `FORMAT` or all", Value: "all"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write into `DIR`", Value: "."},
			&cli.Int64Flag{Name: "seed", Usage: "random `SEED`", Value: 1},
			&cli.StringFlag{Name: "end", Usage: "last day of data, `YYYY-MM-DD`", Value: "2026-09-30"},
		},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error { return usageError{err} },
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("sample takes no arguments; use --out DIR")
			}
			opt := sample.Options{Donors: c.Int("donors"), Years: c.Int("years"), Seed: c.Int64("seed")}
			end, err := steward.ParseDate(c.String("end"))
			if err != nil {
				return usagef("--end: %v", err)
			}
			opt.End = end
			if opt.FYStartMonth, err = config.ParseMonth(c.String("fy-start")); err != nil {
				return usagef("--fy-start: %v", err)
			}
			if opt.Donors < 1 || opt.Years < 1 || opt.Years > 50 {
				return usagef("--donors must be at least 1 and --years between 1 and 50")
			}
			formats := []string{c.String("format")}
			if formats[0] == sample.FormatAll {
				formats = sample.Bundle()
			} else if !slices.Contains(sample.Formats(), formats[0]) {
				return usagef("--format %q is not one of all, %s", formats[0], strings.Join(sample.Formats(), ", "))
			}
			dir := c.String("out")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("--out %s: %v", dir, pathErr(err))
			}
			for _, f := range formats {
				p := filepath.Join(dir, sample.FileName(f))
				if err := writeSample(p, f, opt); err != nil {
					return err
				}
				fmt.Fprintf(c.App.Writer, "steward: wrote %s\n", p)
			}
			return nil
		},
	}
}

func writeSample(p, format string, opt sample.Options) error {
	f, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("%s: %v", p, pathErr(err))
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := sample.Write(w, format, opt); err != nil {
		f.Close()
		return fmt.Errorf("%s: %v", p, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %v", p, err)
	}
	return f.Close()
}
