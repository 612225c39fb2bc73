package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"steward"
)

// countSink counts records and keeps nothing: check reads without a report.
type countSink struct{ gifts, people, events int }

func (s *countSink) Gift(*steward.Gift)     { s.gifts++ }
func (s *countSink) Person(*steward.Person) { s.people++ }
func (s *countSink) Event(*steward.Event)   { s.events++ }

// readSources reads every input of r without keeping a record and returns
// their accounting, handing each to each (if not nil) as soon as it is read.
func (r *run) readSources(each func(steward.Source)) ([]steward.Source, error) {
	var sources []steward.Source
	for _, in := range r.inputs {
		var sink countSink
		src, err := readInput(in, len(sources), &sink, r.progress)
		if err != nil {
			return nil, err
		}
		sources = append(sources, src)
		if each != nil {
			each(src)
		}
	}
	return sources, nil
}

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "show how Steward reads each file, without writing a report",
		ArgsUsage: "[FILE...]",
		Description: `For each FILE (or each file of --config): the format, encoding and delimiter,
the system profile recognised, the column each field came from, the date and
amount formats found, and what became of every row: used, excluded by a named
rule, or rejected with a reason. --rejects writes the rejected rows (file, row,
column, value, reason) as CSV for staff to fix in the CRM.

Examples:
   steward check gifts.csv
   steward check --config steward.yaml --rejects rejects.csv`,
		Flags: append(settingFlags(),
			&cli.StringFlag{Name: "rejects", Usage: "write rejected rows to `FILE` (CSV)"},
		),
		OnUsageError: func(_ *cli.Context, err error, _ bool) error { return usageError{err} },
		Action: func(c *cli.Context) error {
			run, err := loadRun(c)
			if err != nil {
				return err
			}
			sources, err := run.readSources(func(src steward.Source) { printSource(c.App.Writer, src) })
			if err != nil {
				return err
			}
			if p := c.String("rejects"); p != "" {
				return writeRejects(p, sources)
			}
			return nil
		},
	}
}

// printSource prints what check found in one file.
func printSource(w io.Writer, s steward.Source) {
	fmt.Fprintf(w, "%s\n", s.File)
	fmt.Fprintf(w, "  format:    %s", s.Format)
	if s.Encoding != "" {
		fmt.Fprintf(w, ", %s", s.Encoding)
	}
	if s.Delimiter != "" {
		fmt.Fprintf(w, ", delimiter %s", delimiterName(s.Delimiter))
	}
	if s.Sheet != "" {
		fmt.Fprintf(w, ", sheet %q", s.Sheet)
	}
	fmt.Fprintf(w, ", header on row %d\n", s.HeaderRow)
	if s.Kind == "" {
		profile := s.Profile
		if profile == "" {
			profile = "none"
		}
		fmt.Fprintf(w, "  profile:   %s (nothing in this file can be counted)\n", profile)
	} else {
		fmt.Fprintf(w, "  profile:   %s (%s)\n", s.Profile, s.Kind)
	}
	fmt.Fprintf(w, "  columns:\n")
	for _, col := range s.Columns {
		fmt.Fprintf(w, "    %-15s <- %q", col.Field, col.Header)
		if col.Format != "" {
			fmt.Fprintf(w, " (%s)", col.Format)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  rows:      %d = %d used + %d excluded + %d rejected\n", s.Rows, s.Used, s.ExcludedRows(), s.Rejected)
	for _, k := range slices.Sorted(maps.Keys(s.Excluded)) {
		fmt.Fprintf(w, "    excluded %6d  %s\n", s.Excluded[k], k)
	}
	for _, k := range slices.Sorted(maps.Keys(s.RejectReasons)) {
		fmt.Fprintf(w, "    rejected %6d  %s\n", s.RejectReasons[k], k)
	}
	for _, warn := range s.Warnings {
		fmt.Fprintf(w, "  warning:   %s\n", warn)
	}
}

func delimiterName(d string) string {
	switch d {
	case "\t":
		return "tab"
	case ",":
		return "comma"
	case ";":
		return "semicolon"
	case "|":
		return "pipe"
	}
	return strconv.Quote(d)
}

// writeRejects writes every listed rejected row as CSV, formula-safe.
func writeRejects(p string, sources []steward.Source) error {
	f, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("--rejects %s: %v", p, pathErr(err))
	}
	w := csv.NewWriter(f)
	w.Write([]string{"file", "row", "column", "value", "reason"})
	for _, s := range sources {
		for _, r := range s.Rejects {
			w.Write([]string{safeCell(s.File), strconv.Itoa(r.Row), safeCell(r.Column), safeCell(r.Value), safeCell(r.Reason)})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("--rejects %s: %v", p, err)
	}
	return f.Close()
}

// safeCell stops a spreadsheet from reading a cell as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
