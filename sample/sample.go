// Package sample generates the Northwind Literacy Project, a fictional
// mid-sized literacy charity, as the exports its three donor databases would
// produce: a Salesforce NPSP opportunity report, a CiviCRM contribution export
// and a Raiser's Edge NXT gift report, plus NPSP contacts and engagement
// activities. The data exercises every Steward metric (retention, thank-you
// latency, funnels, goals) and carries the quirks of real exports on purpose.
//
// Output is a pure function of Options: the same Options give the same bytes
// on any machine and any day. Rows are generated one donor at a time from a
// per-donor random stream, so memory stays bounded by one fiscal year of
// gifts however many donors are asked for.
package sample

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"time"

	"steward"
)

// Options say what to generate. Zero fields take the defaults.
type Options struct {
	Donors       int          // NPSP donor households (default 2500); CiviCRM and RE populations scale with it
	Years        int          // fiscal years of history, the last one year-to-date (default 7)
	Seed         int64        // random seed (default 1)
	End          steward.Date // last day of data (default 2026-09-30)
	FYStartMonth time.Month   // first month of the fiscal year (default July)
}

// Defaults returns opt with every zero field set to its default.
func (opt Options) Defaults() Options {
	if opt.Donors <= 0 {
		opt.Donors = 2500
	}
	if opt.Years <= 0 {
		opt.Years = 7
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.End == steward.NoDate {
		opt.End = steward.NewDate(2026, time.September, 30)
	}
	if opt.FYStartMonth < time.January || opt.FYStartMonth > time.December {
		opt.FYStartMonth = time.July
	}
	return opt
}

// Organisation is the name of the fictional organisation.
const Organisation = "Northwind Literacy Project"

// Format names accepted by Write and FileName.
const (
	FormatCiviCRM    = "civicrm"     // CiviCRM contribution export (CSV, BOM)
	FormatNPSP       = "npsp"        // NPSP opportunities via Data Loader (API names)
	FormatNPSPReport = "npsp-report" // NPSP opportunity report export (labels, footer)
	FormatREXLSX     = "re-xlsx"     // Raiser's Edge NXT gift detail report (XLSX)
	FormatPeople     = "people"      // NPSP contacts report with stage dates
	FormatEngagement = "engagement"  // campaign members / activities
	FormatConfig     = "config"      // steward.yaml for the bundled files
	FormatAll        = "all"         // every file of Bundle(); not a single file
)

var fileNames = []struct{ format, name string }{
	{FormatCiviCRM, "civicrm-contributions.csv"},
	{FormatNPSP, "npsp-opportunities-dataloader.csv"},
	{FormatNPSPReport, "npsp-opportunities.csv"},
	{FormatREXLSX, "raisers-edge-gifts.xlsx"},
	{FormatPeople, "people.csv"},
	{FormatEngagement, "engagement.csv"},
	{FormatConfig, "steward.yaml"},
}

// Formats returns the names Write accepts, one file each, in a fixed order.
// FormatAll is not among them: it stands for the files of Bundle.
func Formats() []string {
	out := make([]string, len(fileNames))
	for i, f := range fileNames {
		out[i] = f.format
	}
	return out
}

// Bundle returns the formats of the bundled sample ("all"): the gift, people
// and engagement files in the order the config reads them, then the config.
func Bundle() []string {
	return []string{FormatNPSPReport, FormatCiviCRM, FormatREXLSX, FormatPeople, FormatEngagement, FormatConfig}
}

// FileName returns the file name for format, e.g. "civicrm-contributions.csv",
// or "" for an unknown format.
func FileName(format string) string {
	for _, f := range fileNames {
		if f.format == format {
			return f.name
		}
	}
	return ""
}

// ErrFormat is returned by Write for a format it does not know.
var ErrFormat = errors.New("unknown sample format")

// Write writes one file of the sample organisation in the given format to w.
// The same format and Options always give the same bytes. Format "all" is
// several files: write each format of Bundle to its FileName instead.
func Write(w io.Writer, format string, opt Options) error {
	opt = opt.Defaults()
	m := newModel(opt)
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch format {
	case FormatCiviCRM:
		err = m.writeCiviCRM(bw)
	case FormatNPSP:
		err = m.writeNPSPDataLoader(bw)
	case FormatNPSPReport:
		err = m.writeNPSPReport(bw)
	case FormatREXLSX:
		err = m.writeREXLSX(bw)
	case FormatPeople:
		err = m.writePeople(bw)
	case FormatEngagement:
		err = m.writeEngagement(bw)
	case FormatConfig:
		err = m.writeConfig(bw)
	case FormatAll:
		return fmt.Errorf("sample: format %q is several files; write each format of Bundle() to its FileName", format)
	default:
		return fmt.Errorf("sample: %w %q (known: civicrm, npsp, npsp-report, re-xlsx, people, engagement, config, all)", ErrFormat, format)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}
