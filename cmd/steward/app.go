package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"
)

// Exit codes: data errors and usage errors are told apart so scripts can.
const (
	exitOK    = 0
	exitData  = 1 // the input or the output folder has a problem
	exitUsage = 2 // the command line or the config is wrong
)

// usageError marks an error as the caller's mistake (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// Main runs steward with the given arguments and streams and returns the exit
// code. Everything the commands touch comes in through here, so tests run the
// real thing without a process.
func Main(args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	err := app.Run(args)
	if err == nil {
		return exitOK
	}
	msg := strings.TrimSpace(err.Error())
	fmt.Fprintln(stderr, "steward: "+strings.ReplaceAll(msg, "\n", " "))
	var ue usageError
	if errors.As(err, &ue) || isCLIUsage(err) {
		return exitUsage
	}
	return exitData
}

// isCLIUsage reports whether urfave/cli rejected the command line itself.
func isCLIUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"flag provided but not defined", "invalid value", "flag needs an argument", "Required flag", "No help topic"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func newApp(stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:  "steward",
		Usage: "reports on donor retention, thank-you latency and engagement funnels from CRM exports",
		Description: `Steward reads the CSV and XLSX exports of a donor database exactly as they come
out of the CRM (CiviCRM, Salesforce NPSP, Raiser's Edge, Bloomerang, DonorPerfect,
Little Green Light, Neon, Givebutter, Stripe, PayPal, or any export whose headers
say what they are) and writes a static HTML report that works offline and prints.

Examples:
   steward build                                  # the bundled sample organisation, into ./report
   steward build --out board-report gifts.csv     # your export
   steward build --config steward.yaml            # files, goals and settings from a config
   steward build --fy-start 7 --as-of 2025-06-30 opportunities.csv contacts.csv
   steward check gifts.xlsx                       # what Steward sees in a file, without a report
   steward init gifts.csv > steward.yaml          # a commented config from what was detected
   steward compare --before civicrm.csv --after npsp.csv   # before/after a CRM change
   steward compare --cutover 2024-01-01 gifts.csv # the year before a date against the year after
   steward sample --donors 5000 --format npsp --out /tmp/demo`,
		Writer:                 stdout,
		ErrWriter:              stderr,
		HideHelpCommand:        true,
		UseShortOptionHandling: true,
		ExitErrHandler:         func(*cli.Context, error) {}, // Main reports errors and picks the code
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError{err}
		},
		Commands: []*cli.Command{
			buildCommand(),
			checkCommand(),
			compareCommand(),
			initCommand(),
			sampleCommand(),
		},
	}
}
