package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"steward"
	"steward/config"
	"steward/ingest"
	"steward/metrics"
	sampledata "steward/sample-data"
	"steward/site"
)

// input is one file to read: where it comes from and how to read it.
type input struct {
	name string         // as the user knows it: the path given, or the sample file name
	fsys fs.FS          // the bundled sample, or nil for the real file system
	path string         // path in fsys or on disk
	opts ingest.Options // how to read it
}

// run is everything one build needs, resolved from flags, config and defaults.
type run struct {
	progress        io.Writer // for progress bars, drawn only on a terminal: stderr, nil with --quiet
	countDuplicates bool      // count duplicate gift rows (compare)
	inputs          []input
	settings        metrics.Settings
	site            site.Options
}

// loadRun resolves the command line and config into a run.
func loadRun(c *cli.Context) (*run, error) {
	var (
		cfg     = &config.Config{}
		cfgDir  = "."
		cfgFS   fs.FS
		cfgName = c.String("config")
	)
	args := c.Args().Slice()
	switch {
	case cfgName != "":
		var err error
		if cfg, cfgDir, err = readConfig(cfgName); err != nil {
			return nil, err
		}
	case len(args) == 0:
		// No files and no config: the bundled sample organisation.
		cfgFS = sampledata.FS()
		b, err := fs.ReadFile(cfgFS, sampledata.Config)
		if err != nil {
			return nil, fmt.Errorf("bundled sample: %v", err)
		}
		if cfg, err = config.Parse(sampledata.Config, b); err != nil {
			return nil, err
		}
	}

	r := &run{settings: metrics.DefaultSettings(), progress: c.App.ErrWriter}
	if c.Bool("quiet") {
		r.progress = nil // "print nothing but errors"
	}
	if err := r.applySettings(c, cfg); err != nil {
		return nil, err
	}
	if err := r.applySite(cfg, cfgDir, cfgFS); err != nil {
		return nil, err
	}
	var err error
	if len(args) > 0 {
		r.inputs, err = argInputs(args, cfg, cfgDir)
	} else {
		r.inputs, err = configInputs(cfg, cfgDir, cfgFS)
	}
	if err != nil {
		return nil, err
	}
	r.applyCurrency(c, cfg)
	if len(r.inputs) == 0 {
		return nil, usagef("no input files: name them (steward build gifts.csv) or list them under files: in the config")
	}
	return r, nil
}

// readConfig reads and checks the config file name and returns it with its
// folder; with no name, an empty config and ".".
func readConfig(name string) (*config.Config, string, error) {
	if name == "" {
		return &config.Config{}, ".", nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, "", usagef("config: %v", unwrapPathError(err))
	}
	cfg, err := config.Parse(name, b)
	if err != nil {
		return nil, "", usageError{err}
	}
	return cfg, filepath.Dir(name), nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return fmt.Errorf("%s: %v", pe.Path, pe.Err)
	}
	return err
}

// applyCurrency keeps only the gifts of one currency, when the flag or the
// config names one, in the metrics and in every file that does not name its
// own.
func (r *run) applyCurrency(c *cli.Context, cfg *config.Config) {
	currency := c.String("currency")
	if currency == "" {
		currency = cfg.Currency
	}
	currency = strings.ToUpper(currency)
	r.settings.Currency = currency
	for i := range r.inputs {
		if r.inputs[i].opts.Currency == "" {
			r.inputs[i].opts.Currency = currency
		}
	}
}

// applySettings fills the metric settings: flags over config over defaults.
func (r *run) applySettings(c *cli.Context, cfg *config.Config) error {
	s := &r.settings
	if cfg.FiscalYearStart != 0 {
		s.FYStartMonth = time.Month(cfg.FiscalYearStart)
	}
	if v := c.String("fy-start"); v != "" {
		m, err := config.ParseMonth(v)
		if err != nil {
			return usagef("--fy-start: %v", err)
		}
		s.FYStartMonth = m
	}
	asOf := cfg.AsOf
	if v := c.String("as-of"); v != "" {
		asOf = v
	}
	if asOf != "" {
		d, err := steward.ParseDate(asOf)
		if err != nil {
			return usagef("--as-of: %v", err)
		}
		s.AsOf = d
	}
	if cfg.ThankYou.TargetDays != nil {
		s.ThankYouDays = *cfg.ThankYou.TargetDays
	}
	if v := c.Int("thank-you-days"); v >= 0 {
		if v > 365 {
			return usagef("--thank-you-days: %d is more than a year", v)
		}
		s.ThankYouDays = v
	}
	if cfg.ThankYou.BusinessDays != nil {
		s.BusinessDays = *cfg.ThankYou.BusinessDays
	}
	if c.Bool("business-days") {
		s.BusinessDays = true
	}
	for _, h := range cfg.ThankYou.Holidays {
		d, _ := steward.ParseDate(h) // validated by config.Parse
		s.Holidays = append(s.Holidays, d)
	}
	if cfg.DonorKey != "" {
		s.DonorKey = cfg.DonorKey
	}
	if v := c.String("donor-key"); v != "" {
		if v != "account" && v != "contact" {
			return usagef("--donor-key: %q is not account or contact", v)
		}
		s.DonorKey = v
	}
	if len(cfg.ThankYou.Tiers) > 0 {
		s.GiftTiers = nil
		for _, t := range cfg.ThankYou.Tiers {
			s.GiftTiers = append(s.GiftTiers, steward.Cents(math.Round(t*100)))
		}
	}
	s.MinCell = cfg.Privacy.MinCell
	for _, f := range cfg.Funnels {
		spec := metrics.FunnelSpec{Name: f.Name, WindowDays: f.WindowDays}
		for _, st := range f.Stages {
			spec.Stages = append(spec.Stages, metrics.StageSpec{
				Name: st.Name, Events: st.Events, Gift: st.Gift, FiscalYears: st.FiscalYears,
				Cumulative: steward.Cents(math.Round(st.Cumulative * 100)),
				SingleYear: steward.Cents(math.Round(st.SingleYear * 100)),
			})
		}
		s.Funnels = append(s.Funnels, spec)
	}
	for _, g := range cfg.Goals {
		s.Goals = append(s.Goals, metrics.GoalSpec{
			ID: g.ID, Label: g.Label, Metric: g.Metric, Comparison: g.Comparison,
			Target: g.Target, Period: g.Period, Funnel: g.Funnel, Stage: g.Stage,
		})
	}
	return nil
}

// applySite fills the report's presentation options from the config.
func (r *run) applySite(cfg *config.Config, dir string, fsys fs.FS) error {
	r.site.Organisation = cfg.Organisation.Name
	r.site.Accent = cfg.Organisation.Accent
	if cfg.Organisation.Logo == "" {
		return nil
	}
	var (
		b   []byte
		err error
	)
	if fsys != nil {
		b, err = fs.ReadFile(fsys, cfg.Organisation.Logo)
	} else {
		b, err = os.ReadFile(filepath.Join(dir, cfg.Organisation.Logo))
	}
	if err != nil {
		return usagef("config: organisation.logo: %v", unwrapPathError(err))
	}
	switch strings.ToLower(path.Ext(cfg.Organisation.Logo)) {
	case ".svg":
		r.site.LogoType = "image/svg+xml"
	case ".png":
		r.site.LogoType = "image/png"
	default:
		return usagef("config: organisation.logo: %q is not an .svg or .png file", cfg.Organisation.Logo)
	}
	r.site.Logo = b
	return nil
}

// fileOptions turns a config file entry into ingest options.
func fileOptions(f config.File, ackField string) ingest.Options {
	o := ingest.Options{
		Kind: steward.Kind(f.Kind), Format: f.Format, Encoding: f.Encoding,
		Delimiter: f.DelimiterRune(), Sheet: f.Sheet, HeaderRow: f.HeaderRow, Profile: f.Profile,
		Columns: f.Columns, StageColumns: f.StageColumns, DateFormat: f.DateFormat,
		DecimalComma: f.DecimalComma, Statuses: f.Statuses, Currency: strings.ToUpper(f.Currency),
		AckField: ackField,
	}
	for _, flt := range f.Filters {
		o.Filters = append(o.Filters, ingest.Filter{Column: flt.Column, Values: flt.Values})
	}
	return o
}

// configInputs lists the files the config names, globs expanded, in order.
func configInputs(cfg *config.Config, dir string, fsys fs.FS) ([]input, error) {
	var ins []input
	for i, f := range cfg.Files {
		var matches []string
		var err error
		if fsys != nil {
			matches, err = fs.Glob(fsys, f.Path)
		} else {
			matches, err = filepath.Glob(filepath.Join(dir, f.Path))
		}
		if err != nil {
			return nil, usagef("config: files[%d].path: %v", i, err)
		}
		if len(matches) == 0 {
			return nil, usagef("config: files[%d].path: no file matches %q", i, f.Path)
		}
		sort.Strings(matches)
		for _, m := range matches {
			o := fileOptions(f, cfg.ThankYou.AckField)
			ins = append(ins, input{name: displayName(m, fsys), fsys: fsys, path: m, opts: o})
		}
	}
	return ins, nil
}

// argInputs lists the files named on the command line, each with the options
// of the config entry whose path or glob matches it, if any. A folder stands
// for the exports in it (.csv, .tsv, .txt, .xlsx), in name order, so a
// folder of yearly exports is read in one run.
func argInputs(args []string, cfg *config.Config, dir string) ([]input, error) {
	var ins []input
	for _, a := range args {
		files := []string{a}
		if st, err := os.Stat(a); err == nil && st.IsDir() {
			var err error
			if files, err = exportsIn(a); err != nil {
				return nil, err
			}
		}
		for _, f := range files {
			o := ingest.Options{AckField: cfg.ThankYou.AckField}
			for _, cf := range cfg.Files {
				if matchPath(cf.Path, f, dir) {
					o = fileOptions(cf, cfg.ThankYou.AckField)
					break
				}
			}
			ins = append(ins, input{name: filepath.ToSlash(f), path: f, opts: o})
		}
	}
	return ins, nil
}

// exportsIn lists the export files directly in folder d, sorted by name.
func exportsIn(d string) ([]string, error) {
	entries, err := os.ReadDir(d)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", d, pathErr(err))
	}
	var files []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".csv", ".tsv", ".txt", ".xlsx":
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
				files = append(files, filepath.Join(d, e.Name()))
			}
		}
	}
	if len(files) == 0 {
		return nil, usagef("%s is a folder with no .csv, .tsv, .txt or .xlsx files in it; name the export files to read", d)
	}
	return files, nil // os.ReadDir sorts by name
}

func matchPath(pattern, file, dir string) bool {
	for _, p := range []string{pattern, filepath.Join(dir, pattern)} {
		if ok, _ := filepath.Match(p, file); ok {
			return true
		}
		if ok, _ := filepath.Match(p, filepath.Base(file)); ok {
			return true
		}
	}
	return false
}

func displayName(p string, fsys fs.FS) string {
	if fsys != nil {
		return p
	}
	return filepath.ToSlash(p)
}

// readerAt is what ingest needs of a file.
type readerAt interface {
	io.ReaderAt
	io.Closer
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// open opens one input for random access and tells its size.
func (in input) open() (readerAt, int64, error) {
	if in.fsys != nil {
		b, err := fs.ReadFile(in.fsys, in.path)
		if err != nil {
			return nil, 0, err
		}
		return nopCloser{bytes.NewReader(b)}, int64(len(b)), nil
	}
	if st, err := os.Stat(in.path); err == nil && !st.IsDir() && !st.Mode().IsRegular() {
		// Opening a named pipe would wait for a writer; a device has no size.
		return nil, 0, usagef("%s is not a regular file (a device or a pipe); name an export file", in.name)
	}
	f, err := os.Open(in.path)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, 0, fmt.Errorf("%s: no such file; check the name and the folder", in.name)
		case errors.Is(err, fs.ErrPermission):
			return nil, 0, fmt.Errorf("%s: permission denied; make the file readable (or copy it) and run again", in.name)
		}
		return nil, 0, fmt.Errorf("%s: %v", in.name, pathErr(err))
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("%s: %v", in.name, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, 0, usagef("%s is a folder; name the export files in it", in.name)
	}
	return f, st.Size(), nil
}

// compute reads every input into one accumulator and computes the report.
// In the rare case that a part of a large file had to be read again after
// it had added to the donors (metrics.ErrSpoiled), it reads every input
// again with the parts' donors kept apart.
func (r *run) compute() (*metrics.Report, []steward.Source, error) {
	rep, sources, err := r.computeOnce(false)
	if errors.Is(err, metrics.ErrSpoiled) {
		rep, sources, err = r.computeOnce(true)
	}
	return rep, sources, err
}

func (r *run) computeOnce(apart bool) (*metrics.Report, []steward.Source, error) {
	acc := metrics.NewAccumulator(r.settings)
	if apart {
		acc.KeepForksApart()
	}
	acc.Expect(r.inputBytes())
	var sources []steward.Source
	for _, in := range r.inputs {
		var sink steward.Sink = acc
		var dups *dupSink
		if r.countDuplicates {
			dups = &dupSink{Sink: acc, seen: map[[sha256.Size]byte]struct{}{}}
			sink = dups
		}
		src, err := readInput(in, len(sources), sink, r.progress)
		if err != nil {
			return nil, nil, err
		}
		if dups != nil {
			src.DuplicateRows = dups.n
		}
		sources = append(sources, src)
	}
	rep, err := acc.Report(sources)
	if err != nil {
		return nil, nil, err
	}
	return rep, sources, nil
}

// inputBytes returns the size of the inputs on disk, as far as they can be
// found now (a missing file is reported when it is read).
func (r *run) inputBytes() int64 {
	var n int64
	for _, in := range r.inputs {
		if in.fsys != nil {
			continue // the bundled sample: small
		}
		if st, err := os.Stat(in.path); err == nil && st.Mode().IsRegular() {
			n += st.Size()
		}
	}
	return n
}

// readInput reads one file into sink, with its SHA-256 and size. A progress
// bar for big files goes to progress when it is a terminal.
func readInput(in input, index int, sink steward.Sink, progress io.Writer) (steward.Source, error) {
	f, size, err := in.open()
	if err != nil {
		return steward.Source{}, err
	}
	defer f.Close()
	r, done := withProgress(progress, in.name, size, f)
	defer done()
	// ingest hashes the file while it reads it (Options.Hash).
	h := sha256.New()
	opts := in.opts
	opts.Name = in.name
	opts.Hash = h
	src, err := ingest.Read(r, size, opts, withIndex(sink, index))
	if err != nil {
		return steward.Source{}, err
	}
	src.File = in.name
	src.SHA256 = hex.EncodeToString(h.Sum(nil))
	src.Bytes = size
	return src, nil
}

// dupSink counts gifts identical in every field to an earlier gift of the
// same file. It keeps a digest per distinct gift, so compare uses it and
// build does not.
type dupSink struct {
	steward.Sink
	seen map[[sha256.Size]byte]struct{}
	n    int
	buf  []byte
}

func (d *dupSink) Gift(g *steward.Gift) {
	b := d.buf[:0]
	for _, s := range []string{g.Account, g.Contact, g.Currency, g.Campaign, g.Channel, g.Type} {
		b = append(b, s...)
		b = append(b, 0)
	}
	b = fmt.Appendf(b, "%d|%d|%t|%d|%d", g.Date, g.Amount, g.Refund, g.AckDate, g.AckStatus)
	d.buf = b
	k := sha256.Sum256(b)
	if _, ok := d.seen[k]; ok {
		d.n++
	} else {
		d.seen[k] = struct{}{}
	}
	d.Sink.Gift(g)
}

// indexSink stamps each record with the index of its source file.
type indexSink struct {
	steward.Sink
	index int
}

// withIndex returns sink stamping records with index: an indexSink, or a
// forkIndexSink when sink is a steward.Forker, so that ingest may read a
// large file on two goroutines.
func withIndex(sink steward.Sink, index int) steward.Sink {
	if f, ok := sink.(steward.Forker); ok {
		return forkIndexSink{indexSink{sink, index}, f}
	}
	return indexSink{sink, index}
}

// forkIndexSink is an indexSink over a steward.Forker.
type forkIndexSink struct {
	indexSink
	f steward.Forker
}

func (s forkIndexSink) Fork() steward.Sink { return withIndex(s.f.Fork(), s.index) }

func (s forkIndexSink) Join(o steward.Sink) { s.f.Join(unindexed(o)) }
func (s forkIndexSink) Drop(o steward.Sink) { s.f.Drop(unindexed(o)) }

var _ steward.Forker = forkIndexSink{}

// unindexed returns the sink that withIndex wrapped.
func unindexed(o steward.Sink) steward.Sink {
	switch x := o.(type) {
	case forkIndexSink:
		return x.Sink
	case indexSink:
		return x.Sink
	}
	return o
}

func (s indexSink) Gift(g *steward.Gift)     { g.Source = s.index; s.Sink.Gift(g) }
func (s indexSink) Person(p *steward.Person) { p.Source = s.index; s.Sink.Person(p) }
func (s indexSink) Event(e *steward.Event)   { e.Source = s.index; s.Sink.Event(e) }
