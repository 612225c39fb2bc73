package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"steward"
	"steward/ingest/parse"
)

// pipe is the reading of one table: header, inference, row rules.
type pipe struct {
	opt      Options
	src      *steward.Source
	sink     steward.Sink
	xlsx     bool
	date1904 bool
	reopen   func() (rowReader, error)
	plain    *plainText // the CSV text, when the fast path can read it (fast.go)
	hash     *hashFeed  // feeds Options.Hash, or nil (hash.go)
	utf8Rows bool       // the rows now read are known to be valid UTF-8 (fast.go)
	quick    bool       // gift rows may go through the quick lane (quick.go)
	flagCols []int      // the quick lane's flag and currency columns, where present

	names     []string // header names as shown in messages (deduplicated)
	col       [nFields]int
	kind      steward.Kind
	profile   *profile
	headerRow int
	nearMiss  error // why the likeliest header row was not taken
	// unusable: the header is that of a people/events-like file or a
	// lookup table with no date column, read with no kind set; nothing in
	// it can be counted (unusable.go).
	unusable string // "" or what the file looks like, for the warning
	sniffed  rune   // the delimiter the sniffer picked, for messages

	dateFormat *parse.DateFormat // Options.DateFormat, parsed
	// fixText: the encoding was guessed as UTF-8 from the first 64 KiB;
	// labels that turn out not to be UTF-8 are read as Windows-1252.
	fixText  bool
	fixCount int

	dates    []*dateCol // date columns to parse, stage columns included
	byField  [nFields]*dateCol
	amount   amountCol
	filters  []filterCol
	idCols   []int
	footer   bool // a footer line was seen: later one-cell rows are footer too
	currency string
	curRow   int // row of the first currency, for messages

	statuses map[string]*statusInfo
	types    map[string]*typeInfo
	acks     map[string]steward.AckStatus
	// The last value looked up in each: a column's values mostly repeat
	// row after row, and a map lookup hashes the value.
	lastStatus lastOf[*statusInfo]
	lastType   lastOf[*typeInfo]
	lastAck    lastOf[steward.AckStatus]
	userStat   map[string]steward.Status

	g  steward.Gift
	pe steward.Person
	ev steward.Event
}

type dateCol struct {
	idx       int
	field     field // nFields for a stage column
	name      string
	inf       *parse.DateInferrer
	format    parse.DateFormat
	candidate bool // a stage column guessed from its values
	bad       int  // unreadable values not counted as rejects
	standIn   int  // stand-ins for no date read as empty (steward.Date.Plausible)
	seen      int  // filled values fed to the inferrer
	err       error
	// lazy: the buffer ended with the order unsettled but no value that
	// needed it; the first value that does triggers a look-ahead.
	lazy  bool
	cache *dateCache // dates already parsed, once the format is final (fast.go)
}

type amountCol struct {
	inf    parse.AmountInferrer
	format parse.AmountFormat
	set    bool
	lazy   bool // as dateCol.lazy
}

type filterCol struct {
	idx    int
	values []string
	rule   string // "filter <header>"
}

type statusInfo struct {
	status steward.Status
	rule   string // "" for qualifying
}

type typeInfo struct {
	kind parse.GiftKind
	rule string // "" unless excluded
}

// findHeader reads rows until the header and sets the mapping.
func (p *pipe) findHeader(rr rowReader) error {
	var cands []*profile
	if p.opt.Profile != "" {
		cands = []*profile{profileByName(p.opt.Profile)}
	} else {
		cands = profiles
	}
	seen := false
	for {
		rec, row, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if blank(rec) {
			if p.opt.HeaderRow == 0 && row > headerScanRows {
				break
			}
			continue
		}
		seen = true
		if p.opt.HeaderRow > 0 && row < p.opt.HeaderRow {
			continue
		}
		ok, err := p.tryHeader(rec, row, cands)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if p.lookupHeader(rec) {
			p.unusable, p.headerRow = "a lookup table (ids and names)", row
			p.setNames(rec)
			return nil
		}
		if p.opt.HeaderRow > 0 || row >= headerScanRows {
			break
		}
	}
	if !seen {
		return errEmptyFile
	}
	if p.nearMiss != nil {
		return p.nearMiss
	}
	if d := p.opt.Delimiter; d != 0 && p.sniffed != 0 && d != p.sniffed {
		return &Error{Err: errorf("%w: the file looks %q-separated but the delimiter is set to %q; fix or remove delimiter: in the config file", ErrNoHeader, p.sniffed, d)}
	}
	e := &Error{Err: errorf("%w: looked at the first %d rows; name the columns in the config file under columns: (donor_id, gift_date, amount, ...)", ErrNoHeader, headerScanRows)}
	if p.opt.HeaderRow > 0 {
		e.Row = p.opt.HeaderRow
		e.Err = errorf("%w: header_row is %d but that row does not name the needed columns", ErrNoHeader, p.opt.HeaderRow)
	}
	return e
}

// tryHeader tries rec as the header row.
func (p *pipe) tryHeader(rec []string, row int, cands []*profile) (bool, error) {
	h := newHeaderIndex(rec)
	dateHeader := false
	for k := range h {
		if hasDateWord(k) {
			dateHeader = true
			break
		}
	}
	var undated *profile // the first profile that maps an events-like file with no date
	var undatedCols [nFields]int
	for _, pr := range cands {
		if p.opt.Kind != "" && pr.kind != "" && pr.kind != p.opt.Kind {
			continue
		}
		m, ok := pr.match(h, p.opt.Profile != "")
		if !ok {
			continue
		}
		userOK := true
		for name, header := range p.opt.Columns {
			f, _ := fieldByName(name)
			i, ok := h[normHeader(header)]
			if !ok {
				userOK = false
				if p.opt.HeaderRow > 0 {
					return false, &Error{Row: row, Column: header, Err: errorf("columns: %s: no such column in the header", name)}
				}
				break
			}
			m[f] = i
		}
		if !userOK {
			continue
		}
		want := p.opt.Kind
		if want == "" {
			want = pr.kind
		}
		k := kindOf(&m, want, dateHeader)
		if k == "" {
			if p.nearMiss == nil {
				p.nearMiss = nearMiss(&m, row)
			}
			if undated == nil && p.opt.Kind == "" && undatedEvents(&m) {
				undated, undatedCols = pr, m
			}
			continue
		}
		p.col, p.kind, p.profile, p.headerRow = m, k, pr, row
		p.setNames(rec)
		return true, nil
	}
	if undated != nil {
		// No profile reads the row, but it names people and events: the
		// file is one a user passes with the rest of an export folder
		// (NPSP campaign members), and no figure can use it.
		p.col, p.profile, p.headerRow = undatedCols, undated, row
		p.unusable = "a people/events file"
		p.setNames(rec)
		return true, nil
	}
	return false, nil
}

// nearMiss says which field a row that looks like a header lacks: a donor
// id and an amount or a gift date, or a person id and an event name.
func nearMiss(m *[nFields]int, row int) error {
	has := func(f field) bool { return m[f] >= 0 }
	donor := has(fDonor) || has(fContact) || has(fEmail)
	var err error
	switch {
	case donor && has(fAmount) && !has(fGiftDate):
		err = errorf("%w; name it in the config file under columns: (gift_date: <header>)", ErrNoGiftDate)
	case donor && has(fGiftDate) && !has(fAmount):
		err = errorf("%w; name it in the config file under columns: (amount: <header>)", ErrNoAmount)
	case has(fPerson) && has(fEvent) && !has(fEventDate):
		err = errorf("%w: no event date column was found; name it in the config file under columns: (event_date: <header>)", ErrNoHeader)
	default:
		return nil
	}
	return &Error{Row: row, Err: err}
}

// setNames keeps the header names: trimmed, the BOM removed, blanks named
// by their column and later duplicates suffixed " (2)", " (3)".
func (p *pipe) setNames(rec []string) {
	p.names = make([]string, len(rec))
	count := map[string]int{}
	for i, s := range rec {
		s = strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))
		if p.fixText {
			s = fix1252(s)
		}
		if s == "" {
			s = columnName(nil, i)
		}
		k := normHeader(s)
		count[k]++
		if n := count[k]; n > 1 {
			s += " (" + itoa(n) + ")"
		}
		p.names[i] = s
	}
}

// header returns the header name of field f.
func (p *pipe) header(f field) string {
	if i := p.col[f]; i >= 0 {
		return p.names[i]
	}
	return ""
}

// setup prepares the columns to infer and the per-row tables.
func (p *pipe) setup() error {
	s := p.src
	s.HeaderRow = p.headerRow
	s.Kind = p.kind
	s.Profile = p.profile.name
	if len(p.opt.Columns) > 0 {
		if p.profile.name == "generic" {
			s.Profile = "custom"
		} else {
			s.Profile += "+columns"
		}
	}
	if strings.EqualFold(p.opt.AckField, "receipt") {
		p.col[fAckDate] = p.col[fReceiptDate]
	}
	p.col[fReceiptDate] = -1
	// Fields of other kinds are not read.
	var keep []field
	switch p.kind {
	case steward.KindGifts:
		if p.col[fGiftDate] < 0 {
			return errorf("%w; name it in the config file under columns: (gift_date: <header>)", ErrNoGiftDate)
		}
		if p.col[fAmount] < 0 {
			return errorf("%w; name it in the config file under columns: (amount: <header>)", ErrNoAmount)
		}
		keep = []field{fDonor, fContact, fEmail, fToEmail, fGiftDate, fAmount, fCurrency, fStatus, fGiftType,
			fAckDate, fAckStatus, fCampaign, fPayment, fRefund, fRefunded, fRefundedAmount, fTest, fDeleted}
		p.idCols = []int{p.col[fDonor], p.col[fContact], p.col[fEmail]}
	case steward.KindPeople:
		keep = []field{fPerson, fHousehold, fCreated, fStage, fStageDate}
		p.idCols = []int{p.col[fPerson]}
	case steward.KindEvents:
		keep = []field{fPerson, fEvent, fEventDate}
		p.idCols = []int{p.col[fPerson]}
	}
	var m [nFields]int
	for i := range m {
		m[i] = -1
	}
	for _, f := range keep {
		m[f] = p.col[f]
	}
	p.col = m

	for f := field(0); f < nFields; f++ {
		if p.col[f] < 0 {
			continue
		}
		switch f {
		case fGiftDate, fAckDate, fCreated, fEventDate, fStageDate:
			p.addDate(p.col[f], f, false)
		}
	}
	if p.kind == steward.KindPeople {
		if err := p.stageColumns(); err != nil {
			return err
		}
	}
	if p.opt.DateFormat != "" {
		df, err := parse.ParseDateFormat(p.opt.DateFormat)
		if err != nil {
			return err
		}
		df.Serial, df.Date1904 = p.xlsx, p.date1904
		p.dateFormat = &df
		for _, d := range p.dates {
			if !d.candidate {
				// Guessed stage columns keep their inferrer: it tells
				// whether they hold dates at all.
				d.inf, d.format = nil, df
			}
		}
	}
	if p.opt.DecimalComma != nil {
		p.amount.format = parse.AmountFormat{DecimalComma: *p.opt.DecimalComma}
		p.amount.set = true
	}
	if p.col[fAmount] < 0 {
		p.amount.set = true
	}

	h := newHeaderIndex(p.names)
	for _, fl := range append(p.profile.filters[:len(p.profile.filters):len(p.profile.filters)], p.opt.Filters...) {
		i, ok := h[normHeader(fl.Column)]
		if !ok {
			return &Error{Row: p.headerRow, Column: fl.Column, Err: errorf("filters: no such column in the header")}
		}
		p.filters = append(p.filters, filterCol{idx: i, values: fl.Values, rule: "filter " + p.names[i]})
	}
	p.statuses = map[string]*statusInfo{}
	p.types = map[string]*typeInfo{}
	p.acks = map[string]steward.AckStatus{}
	if len(p.opt.Statuses) > 0 {
		p.userStat = map[string]steward.Status{}
		for raw, name := range p.opt.Statuses {
			st, _ := statusByName(name)
			p.userStat[strings.ToLower(strings.TrimSpace(raw))] = st
		}
	}
	if p.opt.Currency != "" {
		p.currency = strings.ToUpper(strings.TrimSpace(p.opt.Currency))
	}
	p.setQuick()
	return nil
}

func (p *pipe) addDate(idx int, f field, candidate bool) {
	d := &dateCol{idx: idx, field: f, name: p.names[idx], candidate: candidate,
		inf: &parse.DateInferrer{AllowSerial: p.xlsx, Date1904: p.date1904}}
	p.dates = append(p.dates, d)
	if f < nFields {
		p.byField[f] = d
	}
}

// stageColumns adds the stage date columns of a people file: those named in
// Options.StageColumns, or else every column not mapped to a field whose
// values turn out to be dates, except created, modified, updated and birth
// dates.
func (p *pipe) stageColumns() error {
	used := map[int]bool{}
	for _, i := range p.col {
		if i >= 0 {
			used[i] = true
		}
	}
	if len(p.opt.StageColumns) > 0 {
		h := newHeaderIndex(p.names)
		for _, c := range p.opt.StageColumns {
			i, ok := h[normHeader(c)]
			if !ok {
				return &Error{Row: p.headerRow, Column: c, Err: errorf("stage_columns: no such column in the header")}
			}
			p.addDate(i, nFields, false)
		}
		return nil
	}
	for i, name := range p.names {
		k := normHeader(name)
		if used[i] || strings.Contains(k, "modif") || strings.Contains(k, "updated") ||
			strings.Contains(k, "birth") || strings.Contains(k, "created") || strings.Contains(k, "deceased") {
			continue
		}
		if p.xlsx && !hasDateWord(k) {
			// Any number is a serial date in a workbook: only columns
			// named as dates.
			continue
		}
		p.addDate(i, nFields, true)
	}
	return nil
}

// hasDateWord reports whether a normalised header has the word "date".
func hasDateWord(k string) bool {
	return k == "date" || strings.HasPrefix(k, "date ") || strings.HasSuffix(k, " date") || strings.Contains(k, " date ")
}

// decided reports whether every inferred format is settled.
func (p *pipe) decided() bool {
	for _, d := range p.dates {
		if d.inf != nil && !d.inf.Decided() {
			return false
		}
	}
	return p.amount.set || p.amount.inf.Decided()
}

// feed gives one data row's values to the undecided inferrers.
func (p *pipe) feed(rec []string) {
	for _, d := range p.dates {
		if d.inf != nil && d.idx < len(rec) && rec[d.idx] != "" {
			d.inf.Add(rec[d.idx])
			d.seen++
		}
	}
	if !p.amount.set {
		if i := p.col[fAmount]; i < len(rec) {
			if v := rec[i]; !p.xlsx || !plainNumber(v) {
				p.amount.inf.Add(v)
			}
		}
	}
}

// dropCandidates removes guessed stage columns whose values are not dates,
// and when final (the buffer is full or the file read) those with no value
// at all.
func (p *pipe) dropCandidates(final bool) {
	kept := p.dates[:0]
	for _, d := range p.dates {
		if d.candidate && d.inf != nil {
			if _, err := d.inf.Format(); err != nil && errors.Is(err, parse.ErrNotDates) {
				continue
			}
			if final && d.seen == 0 {
				continue
			}
		}
		kept = append(kept, d)
	}
	p.dates = kept
}

// run reads the data rows below the header.
func (p *pipe) run(rr rowReader) error {
	if err := p.setup(); err != nil {
		return err
	}
	// Hold rows until the formats are known.
	type held struct {
		rec []string
		row int
	}
	var buf []held
	heldBytes := 0 // text in buf
	eof := false
	probed := p.kind != steward.KindPeople
	for !p.decided() || !probed {
		rec, row, err := rr.next()
		if err == io.EOF {
			eof = true
			break
		}
		if err != nil {
			return err
		}
		if blank(rec) {
			continue
		}
		buf = append(buf, held{append([]string(nil), rec...), row})
		for _, c := range rec {
			heldBytes += len(c) + 16
		}
		p.feed(rec)
		if !probed && len(buf) >= 1000 {
			p.dropCandidates(false)
			probed = true
		}
		if len(buf) >= maxBuffer || heldBytes >= maxBufferBytes {
			break
		}
	}
	p.dropCandidates(true)
	if !eof && !p.decided() {
		// Columns whose values so far need the order go through a first
		// pass now; the others wait for a value that needs it (an empty
		// thank-you column never does).
		pass := false
		for _, d := range p.dates {
			if d.inf != nil && !d.inf.Decided() {
				if _, err := d.inf.Format(); errors.Is(err, parse.ErrAmbiguousDate) {
					pass = true
				}
				d.lazy = true
			}
		}
		p.amount.lazy = !p.amount.set && !p.amount.inf.Decided()
		if pass {
			if err := p.firstPass(); err != nil {
				return err
			}
			for _, d := range p.dates {
				d.lazy = false
			}
			p.amount.lazy = false
		}
	}
	if err := p.resolve(); err != nil {
		return err
	}
	for i := range buf {
		if err := p.row(buf[i].rec, buf[i].row); err != nil {
			return err
		}
		buf[i].rec = nil
	}
	if !eof {
		done, err := p.fastRest(rr)
		if err != nil {
			return err
		}
		for !done {
			rec, row, err := rr.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			if blank(rec) {
				continue
			}
			if err := p.row(rec, row); err != nil {
				return err
			}
		}
	}
	p.finish()
	p.columns()
	if p.src.Rows == 0 {
		return &Error{Row: p.headerRow, Err: errorf("%w: there are no data rows below the header; check the export's filters and export it again", ErrEmpty)}
	}
	return nil
}

// firstPass feeds the undecided inferrers every value of the file.
func (p *pipe) firstPass() error {
	rr, err := p.reopen()
	if err != nil {
		return err
	}
	defer rr.close()
	for {
		rec, row, err := rr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if row <= p.headerRow || blank(rec) {
			continue
		}
		p.feed(rec)
		if p.decided() {
			return nil
		}
	}
}

// lookAhead settles a lazy column when its first value that needs the
// day/month order (or the decimal separator) turns up at row: the column's
// inferrer sees the values from there to the end of the file (earlier
// values needed no order, so they cannot change the answer).
func (p *pipe) lookAhead(d *dateCol, row int) error {
	idx := p.col[fAmount]
	if d != nil {
		idx = d.idx
	}
	rr, err := p.reopen()
	if err != nil {
		return err
	}
	defer rr.close()
	for {
		rec, r, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if r < row || idx >= len(rec) || rec[idx] == "" {
			continue
		}
		if d != nil {
			d.inf.Add(rec[idx])
			if d.inf.Decided() {
				break
			}
		} else if v := rec[idx]; !p.xlsx || !plainNumber(v) {
			p.amount.inf.Add(v)
			if p.amount.inf.Decided() {
				break
			}
		}
	}
	if d == nil {
		p.amount.format, p.amount.lazy = p.amount.inf.Format(), false
		return nil
	}
	d.lazy = false
	f, err := d.inf.Format()
	if err != nil && errors.Is(err, parse.ErrAmbiguousDate) {
		if o := p.fileOrder(); o != "" {
			f, _ = parse.ParseDateFormat(o)
			f.Serial, f.Date1904 = p.xlsx, p.date1904
		} else {
			return ambiguousError(d, err)
		}
	}
	d.format, d.inf = f, nil
	return nil
}

// fileOrder returns the day/month order that the settled date columns
// agree on, or "".
func (p *pipe) fileOrder() string {
	order := ""
	for _, d := range p.dates {
		if d.inf != nil || d.lazy {
			continue
		}
		if o := dayOrder(d.format); o != "" {
			if order != "" && order != o {
				return ""
			}
			order = o
		}
	}
	return order
}

func ambiguousError(d *dateCol, err error) error {
	msg := strings.TrimPrefix(err.Error(), parse.ErrAmbiguousDate.Error()+": ")
	return &Error{Column: d.name, Err: &multiError{msg: ErrAmbiguous.Error() + ": " + msg, errs: []error{ErrAmbiguous, parse.ErrAmbiguousDate}}}
}

// resolve fixes the formats and fills Source.Columns. A date column whose
// day/month order its own values leave open takes the order that the other
// date columns of the file settled (one export, one locale). Lazy columns
// keep their inferrers for lookAhead.
func (p *pipe) resolve() error {
	var ambiguous []*dateCol
	for _, d := range p.dates {
		if d.inf == nil {
			continue
		}
		if p.dateFormat != nil {
			d.format, d.inf, d.lazy = *p.dateFormat, nil, false
			continue
		}
		f, err := d.inf.Format()
		if err != nil && errors.Is(err, parse.ErrAmbiguousDate) {
			d.err = err
			ambiguous = append(ambiguous, d)
			continue
		}
		if err != nil && !d.candidate {
			// Not dates: every filled value will be refused one by one.
			p.warn("column " + quote(d.name) + ": " + err.Error())
		}
		d.format = f
		if !d.lazy {
			d.inf = nil
		}
	}
	order := p.fileOrder()
	for _, d := range ambiguous {
		if order == "" {
			return ambiguousError(d, d.err)
		}
		f, _ := parse.ParseDateFormat(order)
		f.Serial, f.Date1904 = p.xlsx, p.date1904
		d.format, d.inf = f, nil
	}
	if !p.amount.set {
		p.amount.format = p.amount.inf.Format()
		p.amount.set = true
	}
	p.columns()
	return nil
}

// columns fills Source.Columns with the mapped fields and their formats.
func (p *pipe) columns() {
	p.src.Columns = p.src.Columns[:0]
	for f := field(0); f < nFields; f++ {
		i := p.col[f]
		if i < 0 {
			continue
		}
		c := steward.Column{Field: fieldNames[f], Header: p.names[i]}
		if d := p.byField[f]; d != nil {
			c.Format = d.format.String()
		}
		if f == fAmount || f == fRefundedAmount {
			c.Format = p.amount.format.String()
		}
		p.src.Columns = append(p.src.Columns, c)
	}
	for _, d := range p.dates {
		if d.field == nFields {
			p.src.Columns = append(p.src.Columns, steward.Column{Field: "stage_column", Header: d.name, Format: d.format.String()})
		}
	}
}

// dayOrder tells the day/month order a date format settled, by what it
// makes of 1/2/2003: "MM/DD/YYYY", "DD/MM/YYYY" or "" (none).
func dayOrder(f parse.DateFormat) string {
	d, err := f.Parse("1/2/2003")
	switch {
	case err != nil:
		return ""
	case d == steward.NewDate(2003, 1, 2):
		return "MM/DD/YYYY"
	case d == steward.NewDate(2003, 2, 1):
		return "DD/MM/YYYY"
	}
	return ""
}

// multiError is an error with its own message that wraps several errors.
type multiError struct {
	msg  string
	errs []error
}

func (e *multiError) Error() string   { return e.msg }
func (e *multiError) Unwrap() []error { return e.errs }

// maxRules bounds the distinct exclusion rules, which name raw status,
// type and currency values: a file with a million distinct statuses must
// not make a million rules.
const maxRules = 200

// exclude counts a row as excluded by rule; once there are maxRules rules,
// a new one that names a raw value counts as "<kind> (other values)".
func (p *pipe) exclude(rule string) {
	if _, ok := p.src.Excluded[rule]; !ok && len(p.src.Excluded) >= maxRules {
		for _, k := range []string{"gift type", "type", "status", "currency"} {
			if strings.HasPrefix(rule, k+" ") {
				rule = k + " (other values)"
				break
			}
		}
	}
	p.src.Exclude(rule)
}

// maxCached bounds the caches of distinct status, type and ack values.
const maxCached = 10000

// maxWarnings bounds Source.Warnings.
const maxWarnings = 100

// warn adds a warning while the list is short.
func (p *pipe) warn(w string) {
	if len(p.src.Warnings) < maxWarnings {
		p.src.Warnings = append(p.src.Warnings, w)
	}
}

// reject counts a rejected row; long values are cut.
func (p *pipe) reject(row int, f field, value, reason string) {
	if len(value) > 64 {
		value = strings.ToValidUTF8(value[:64], "") + "..."
	} else {
		value = strings.Clone(value) // rows may view a read buffer
	}
	p.src.Reject(steward.Reject{Row: row, Column: p.header(f), Value: value, Reason: reason})
}

// finish adds the closing warnings.
func (p *pipe) finish() {
	for _, d := range p.dates {
		if d.bad > 0 {
			p.warn("column " + quote(d.name) + ": " + itoa(d.bad) + " values are not dates and were left out")
		}
		if d.standIn > 0 {
			n := itoa(d.standIn) + " dates before 1901 or after 2099 (stand-ins for no date, such as 1/1/1900 or 12/31/9999) were"
			if d.standIn == 1 {
				n = "1 date before 1901 or after 2099 (a stand-in for no date, such as 1/1/1900 or 12/31/9999) was"
			}
			p.warn("column " + quote(d.name) + ": " + n + " read as empty")
		}
	}
}

// val returns the trimmed value of field f in rec, "" when absent.
func (p *pipe) val(rec []string, f field) string {
	// Most fields need no trimming: bare tells without a call to
	// trimSpace.
	v, ok := p.bare(rec, f)
	if ok {
		return v
	}
	return trimSpace(v)
}

// optional is val for a column that exports often lack (test, refund and
// deletion flags, currency): it is inlined, so an absent column costs no
// call.
func (p *pipe) optional(rec []string, f field) string {
	if p.col[f] < 0 {
		return ""
	}
	return p.val(rec, f)
}

// text returns the trimmed value of a label field (campaign, channel,
// type, id, event name), repaired by fix1252 when the sniffed UTF-8 turns
// out wrong.
func (p *pipe) text(rec []string, f field) string {
	v := p.val(rec, f)
	if p.fixText && !p.utf8Rows && !utf8.ValidString(v) {
		if p.fixCount == 0 {
			p.warn("some text further down is not UTF-8 and was read as Windows-1252; if names look wrong, set encoding: windows-1252")
		}
		p.fixCount++
		v = fix1252(v)
	}
	return v
}

// row applies the row rules to one data row and emits its records.
func (p *pipe) row(rec []string, row int) error {
	p.src.Rows++
	if p.quick && p.giftQuick(rec, row) {
		return nil
	}
	if rule := p.footerRule(rec); rule != "" {
		p.src.Exclude(rule)
		return nil
	}
	for i := range p.filters {
		fl := &p.filters[i]
		v := ""
		if fl.idx < len(rec) {
			v = strings.TrimSpace(rec[fl.idx])
		}
		ok := false
		for _, want := range fl.values {
			if strings.EqualFold(v, want) {
				ok = true
				break
			}
		}
		if !ok {
			p.src.Exclude(fl.rule)
			return nil
		}
	}
	switch p.kind {
	case steward.KindGifts:
		return p.gift(rec, row)
	case steward.KindPeople:
		return p.person(rec, row)
	case steward.KindEvents:
		return p.event(rec, row)
	}
	return nil
}

// parseDate parses the date column d of rec: ok is false when a filled
// value is not a date; err is a look-ahead's error.
func (p *pipe) parseDate(d *dateCol, rec []string, row int) (t steward.Date, raw string, ok bool, err error) {
	if d == nil || d.idx >= len(rec) {
		return steward.NoDate, "", true, nil
	}
	v := trimSpace(rec[d.idx])
	if v == "" {
		return steward.NoDate, "", true, nil
	}
	t, perr := d.parse(v)
	if perr != nil && d.lazy && errors.Is(perr, parse.ErrAmbiguousDate) {
		if err := p.lookAhead(d, row); err != nil {
			return steward.NoDate, v, false, err
		}
		t, perr = d.format.Parse(v)
	}
	if perr != nil {
		return steward.NoDate, v, false, nil
	}
	return t, v, true, nil
}

// optionalDate parses column d of a row that is used without it; an
// unreadable value, or a date that is not plausible, counts against the
// column (a warning) and reads as no date.
func (p *pipe) optionalDate(d *dateCol, rec []string, row int) (steward.Date, error) {
	t, _, ok, err := p.parseDate(d, rec, row)
	if err != nil {
		return steward.NoDate, err
	}
	if !ok {
		d.bad++
		return steward.NoDate, nil
	}
	if t != steward.NoDate && !t.Plausible() {
		d.standIn++
		return steward.NoDate, nil
	}
	return t, nil
}

// requiredDate parses field f of a row that cannot be used without it; an
// empty or unreadable value, or a date that is not plausible, rejects the
// row and returns ok false.
func (p *pipe) requiredDate(f field, rec []string, row int) (t steward.Date, ok bool, err error) {
	t, raw, ok, err := p.parseDate(p.byField[f], rec, row)
	switch {
	case err != nil:
		return steward.NoDate, false, err
	case !ok:
		p.reject(row, f, raw, "not a date")
		return steward.NoDate, false, nil
	case t == steward.NoDate:
		p.reject(row, f, "", "no date")
		return steward.NoDate, false, nil
	case !t.Plausible():
		p.reject(row, f, raw, "date before 1901 or after 2099 (a stand-in for no date)")
		return steward.NoDate, false, nil
	}
	return t, true, nil
}

func (p *pipe) gift(rec []string, row int) error {
	s := p.src
	if v := p.optional(rec, fTest); v != "" {
		if b, ok := parse.Bool(v); ok && b {
			s.Exclude("test")
			return nil
		}
	}
	if st := p.status(p.val(rec, fStatus)); st.rule != "" {
		p.exclude(st.rule)
		return nil
	}
	gt := p.giftType(p.val(rec, fGiftType))
	if gt.rule != "" {
		p.exclude(gt.rule)
		return nil
	}
	refund := gt.kind == parse.GiftRefund
	if v := p.optional(rec, fRefund); v != "" {
		if b, ok := parse.Bool(v); ok && b {
			refund = true
		}
	}
	if v := p.optional(rec, fDeleted); v != "" {
		if b, ok := parse.Bool(v); ok && b {
			s.Exclude("deleted")
			return nil
		}
	}
	if v := p.optional(rec, fRefunded); v != "" {
		if b, ok := parse.Bool(v); ok && b {
			s.Exclude("refunded")
			return nil
		}
	}
	cur := p.optional(rec, fCurrency)
	if cur != "" {
		rule, err := p.checkCurrency(&cur, row)
		if err != nil {
			return err
		}
		if rule != "" {
			p.exclude(rule)
			return nil
		}
	}

	date, ok, err := p.requiredDate(fGiftDate, rec, row)
	if !ok || err != nil {
		return err
	}
	raw := p.val(rec, fAmount)
	if raw == "" {
		p.reject(row, fAmount, "", "no amount")
		return nil
	}
	amt, hint, ok := p.parseAmount(raw)
	if !ok && p.amount.lazy {
		if err := p.lookAhead(nil, row); err != nil {
			return err
		}
		amt, hint, ok = p.parseAmount(raw)
	}
	if !ok {
		p.reject(row, fAmount, raw, "not an amount")
		return nil
	}
	if cur == "" && hint != "" && p.col[fCurrency] < 0 {
		// No currency column: the currency written with the amount counts.
		cur = hint
		rule, err := p.checkCurrency(&cur, row)
		if err != nil {
			return err
		}
		if rule != "" {
			p.exclude(rule)
			return nil
		}
	}
	if cur == "" {
		cur = p.currency
	}
	if v := p.optional(rec, fRefundedAmount); v != "" && amt > 0 {
		if ra, _, ok := p.parseAmount(v); ok && ra > 0 {
			if ra >= amt {
				s.Exclude("refunded")
				return nil
			}
			amt -= ra
		}
	}
	if amt == 0 {
		s.Exclude("zero amount")
		return nil
	}
	if amt < 0 {
		if p.profile.name == "paypal" && !refund {
			// Money sent, withdrawals, fees: not gifts.
			p.exclude("gift type " + steward.Shown(p.val(rec, fGiftType)))
			return nil
		}
		refund = true
	} else if refund {
		amt = -amt
	}

	// Cleared, then field by field: a composite literal is built on the
	// stack and copied, and the copy's 16-byte loads of the 8-byte stores
	// just made stall (about 1% of a 10M-row build).
	g := &p.g
	*g = steward.Gift{}
	g.Account, g.Contact = p.text(rec, fDonor), p.text(rec, fContact)
	g.Date, g.Amount, g.Currency, g.Refund = date, amt, cur, refund
	g.Campaign, g.Channel, g.Type = p.text(rec, fCampaign), p.text(rec, fPayment), p.text(rec, fGiftType)
	g.Source, g.Row = p.opt.SourceIndex, row
	if g.Contact == "" && g.Account == "" {
		// A PayPal refund row is sent by the organisation to the donor:
		// its To Email Address is the donor, hashed as the sender of a
		// gift is, so that the refund nets against the same donor.
		e := p.val(rec, fEmail)
		if to := p.val(rec, fToEmail); refund && to != "" {
			e = to
		}
		if e != "" {
			g.Contact = hashEmail(e)
		}
	}
	if d := p.byField[fAckDate]; d != nil {
		t, err := p.optionalDate(d, rec, row)
		if err != nil {
			return err
		}
		g.AckDate = t
	}
	if v := p.val(rec, fAckStatus); v != "" {
		g.AckStatus = p.ack(v)
	}
	s.Used++
	p.sink.Gift(g)
	return nil
}

// parseAmount parses an amount and the currency written with it.
func (p *pipe) parseAmount(raw string) (steward.Cents, string, bool) {
	if p.xlsx {
		if c, ok, number := xlsxNumber(raw); number {
			return c, "", ok
		}
	}
	c, cur, err := p.amount.format.Parse(raw)
	return c, cur, err == nil
}

// xlsxNumber reads the raw value of a numeric XLSX cell, as stored
// ("25.099999999999998", "1E+3"), as cents with the float noise rounded
// off. number is false when raw is not such a number (it is then text, to
// be read by the column's amount format); ok is false when it is a number
// but not a possible amount.
func xlsxNumber(raw string) (c steward.Cents, ok, number bool) {
	if !plainNumber(raw) {
		return 0, false, false
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return 0, false, false
	}
	c, err = parse.CentsFromFloat(f)
	return c, err == nil, true
}

// checkCurrency applies the currency rules to the currency of a row (made
// upper case in place): with Options.Currency other currencies are
// excluded; without, a second currency is an error.
func (p *pipe) checkCurrency(cur *string, row int) (rule string, err error) {
	c := upperASCII(*cur)
	*cur = c
	switch {
	case p.opt.Currency != "":
		if c != p.currency {
			return "currency " + steward.Shown(c), nil
		}
	case p.currency == "":
		p.currency, p.curRow = strings.Clone(c), row
	case c != p.currency:
		col := p.header(fCurrency)
		if col == "" {
			col = p.header(fAmount)
		}
		return "", &Error{Row: row, Column: col, Err: errorf("%w: %s here, %s from row %d on; keep one with the config line `currency: %s` (rows in other currencies are then excluded)",
			ErrMixedCurrency, steward.Shown(c), steward.Shown(p.currency), p.curRow, steward.Shown(p.currency))}
	}
	*cur = p.currency // equal, and not a view of a read buffer
	return "", nil
}

func (p *pipe) person(rec []string, row int) error {
	s := p.src
	id := p.text(rec, fPerson)
	if id == "" {
		p.reject(row, fPerson, "", "no person id")
		return nil
	}
	pe := &p.pe
	*pe = steward.Person{ID: id, Household: p.text(rec, fHousehold), Source: p.opt.SourceIndex, Row: row}
	if d := p.byField[fCreated]; d != nil {
		t, err := p.optionalDate(d, rec, row)
		if err != nil {
			return err
		}
		pe.Created = t
	}
	s.Used++
	p.sink.Person(pe)
	ev := &p.ev
	for _, d := range p.dates {
		if d.field != nFields {
			continue
		}
		t, err := p.optionalDate(d, rec, row)
		if err != nil {
			return err
		}
		if t == steward.NoDate {
			continue
		}
		*ev = steward.Event{Person: id, Name: d.name, Date: t, Source: p.opt.SourceIndex, Row: row}
		p.sink.Event(ev)
	}
	if name := p.text(rec, fStage); name != "" {
		t, err := p.optionalDate(p.byField[fStageDate], rec, row)
		if err != nil {
			return err
		}
		if t != steward.NoDate {
			*ev = steward.Event{Person: id, Name: name, Date: t, Source: p.opt.SourceIndex, Row: row}
			p.sink.Event(ev)
		}
	}
	return nil
}

func (p *pipe) event(rec []string, row int) error {
	s := p.src
	id := p.text(rec, fPerson)
	if id == "" {
		p.reject(row, fPerson, "", "no person id")
		return nil
	}
	name := p.text(rec, fEvent)
	if name == "" {
		p.reject(row, fEvent, "", "no event name")
		return nil
	}
	t, ok, err := p.requiredDate(fEventDate, rec, row)
	if !ok || err != nil {
		return err
	}
	ev := &p.ev
	*ev = steward.Event{Person: id, Name: name, Date: t, Source: p.opt.SourceIndex, Row: row}
	s.Used++
	p.sink.Event(ev)
	return nil
}

// status maps a raw status, caching per distinct value.
func (p *pipe) status(raw string) *statusInfo {
	if si, ok := p.lastStatus.get(raw); ok {
		return si
	}
	if si, ok := p.statuses[raw]; ok {
		p.lastStatus.set(raw, si)
		return si
	}
	si := &statusInfo{}
	st, known := steward.StatusQualifying, true
	shown := raw // as written, for rules and warnings
	if p.fixText {
		shown = fix1252(raw)
	}
	if u, ok := p.userStat[strings.ToLower(raw)]; ok {
		st = u
	} else if raw != "" {
		st, known = parse.Status(raw)
	}
	switch {
	case !known:
		si.rule = "status " + steward.Shown(shown) + " (not recognised)"
		p.warn("column " + quote(p.header(fStatus)) + ": status " + quote(shown) +
			" is not recognised and its rows are excluded; say what it means in the config file under statuses:, e.g. statuses: {" + quote(shown) + ": qualifying}")
	case st != steward.StatusQualifying:
		si.rule = "status " + steward.Shown(shown)
	}
	si.status = st
	if len(p.statuses) < maxCached {
		p.statuses[strings.Clone(raw)] = si
	}
	return si
}

// giftType maps a raw gift type, caching per distinct value.
func (p *pipe) giftType(raw string) *typeInfo {
	if ti, ok := p.lastType.get(raw); ok {
		return ti
	}
	if ti, ok := p.types[raw]; ok {
		p.lastType.set(raw, ti)
		return ti
	}
	ti := &typeInfo{kind: parse.GiftUnknown}
	if k, ok := p.profile.types[normHeader(raw)]; ok && raw != "" {
		ti.kind = k
	} else if raw != "" {
		ti.kind = parse.GiftType(raw)
		if ti.kind == parse.GiftUnknown && (containsFold(raw, "refund") || containsFold(raw, "reversal")) {
			ti.kind = parse.GiftRefund // PayPal "Payment Refund"
		}
	}
	switch {
	case ti.kind == parse.GiftPledge, ti.kind == parse.GiftWriteOff:
		ti.rule = "gift type " + steward.Shown(raw)
	case ti.kind == parse.GiftNotGift:
		ti.rule = "type " + steward.Shown(raw)
	case p.profile.name == "paypal" && ti.kind == parse.GiftUnknown && raw != "" &&
		!containsFold(raw, "payment") && !containsFold(raw, "donation"):
		ti.rule = "gift type " + steward.Shown(raw)
	}
	if len(p.types) < maxCached {
		p.types[strings.Clone(raw)] = ti
	}
	return ti
}

func (p *pipe) ack(raw string) steward.AckStatus {
	if a, ok := p.lastAck.get(raw); ok {
		return a
	}
	if a, ok := p.acks[raw]; ok {
		p.lastAck.set(raw, a)
		return a
	}
	a, ok := parse.AckStatus(raw)
	if !ok {
		a = steward.AckUnknown
		if len(p.acks) < maxCached {
			p.warn("column " + quote(p.header(fAckStatus)) + ": acknowledgment status " + quote(raw) + " is not recognised and is read as unknown")
		}
	}
	if len(p.acks) < maxCached {
		p.acks[strings.Clone(raw)] = a
	}
	return a
}

// footerRule says whether a row is a totals or footer row of a report
// export, and by which rule it is excluded: a row whose id cell says
// Total, Grand Totals, Subtotal, Sum or Count, or whose ids are empty and
// some cell says so, is a totals row; Salesforce's closing lines
// (Confidential Information, Copyright, Generated By, Filtered By) and any
// one-cell row after them or after a grand total are footer rows.
func (p *pipe) footerRule(rec []string) string {
	idEmpty := true
	for _, i := range p.idCols {
		if i >= 0 && i < len(rec) {
			c := rec[i]
			if !trimmed(c) {
				c = trimSpace(c)
			}
			if c == "" {
				continue
			}
			idEmpty = false
			if !markStart(c[0]) { // an id, not a totals label: the common case
				continue
			}
			if m := totalMark(c); m != "" {
				if m == "grand total" {
					p.footer = true
				}
				return "totals row"
			}
		}
	}
	if !idEmpty && !p.footer {
		return ""
	}
	filled, first := 0, ""
	for _, c := range rec {
		if c = strings.TrimSpace(c); c != "" {
			if filled == 0 {
				first = c
			}
			filled++
		}
	}
	for _, m := range footerMarks {
		if hasPrefixFold(first, m) {
			p.footer = true
			return "footer row"
		}
	}
	if idEmpty {
		for _, c := range rec {
			if m := totalMark(strings.TrimSpace(c)); m != "" {
				if m == "grand total" {
					p.footer = true
				}
				return "totals row"
			}
		}
	}
	if p.footer && filled == 1 {
		return "footer row"
	}
	return ""
}

// totalMark returns the total word that c starts with, or "".
func totalMark(c string) string {
	if c == "" {
		return ""
	}
	if !markStart(c[0]) {
		return ""
	}
	for _, m := range totalMarks {
		if hasPrefixFold(c, m) && wordEnd(c[len(m):]) {
			return m
		}
	}
	return ""
}

// markStart reports whether a value starting with c may start one of
// totalMarks.
func markStart(c byte) bool {
	c |= 0x20
	return c == 'g' || c == 's' || c == 't' || c == 'c'
}

var footerMarks = []string{
	"confidential information", "copyright (c)", "copyright ©", "generated by", "filtered by",
}

var totalMarks = []string{"grand total", "subtotal", "sub-total", "total", "sum", "count"}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// wordEnd reports whether rest, what follows a word, ends it: nothing, a
// non-letter, or a plural "s" and then nothing or a non-letter.
func wordEnd(rest string) bool {
	if rest != "" && (rest[0] == 's' || rest[0] == 'S') {
		rest = rest[1:]
	}
	return rest == "" || !isLetter(rest[0])
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), sub)
}

// upperASCII upper-cases a short code without allocating when it is
// already upper case.
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			return strings.ToUpper(s)
		}
	}
	return s
}

// blank reports whether every cell of rec is empty or spaces.
func blank(rec []string) bool {
	for _, c := range rec {
		for i := 0; i < len(c); i++ {
			if c[i] != ' ' && c[i] != '\t' && c[i] != '\r' && c[i] != '\n' {
				return false
			}
		}
	}
	return true
}

// plainNumber reports whether s is a plain decimal number as XLSX stores
// numeric cells: digits with an optional sign, point and exponent.
func plainNumber(s string) bool {
	if s == "" {
		return false
	}
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '-' || c == '+' || c == '.' || c == 'E' || c == 'e':
		default:
			return false
		}
	}
	return digits
}

// hashEmail turns an e-mail address into an opaque donor key: the first 16
// hex digits of the SHA-256 of the lower-cased address. The address itself
// is never kept.
func hashEmail(e string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(e)))
	return "email:" + hex.EncodeToString(sum[:8])
}

// lastOf holds the last two values found in one of a pipe's caches, each
// with a copy of its key (up to 32 bytes), so that a value that repeats,
// or one of two that alternate (an acknowledgment status), costs a
// comparison or two and no hashing.
type lastOf[V any] struct {
	e    [2]lastEntry[V]
	next int // the entry set replaces
}

type lastEntry[V any] struct {
	ok  bool // a value is held
	n   int  // length of the key
	key [32]byte
	val V
}

func (c *lastOf[V]) get(raw string) (v V, ok bool) {
	for i := range c.e {
		if e := &c.e[i]; e.ok && e.n == len(raw) && string(e.key[:e.n]) == raw {
			return e.val, true
		}
	}
	return v, false
}

func (c *lastOf[V]) set(raw string, v V) {
	if len(raw) > len(c.e[0].key) {
		return
	}
	e := &c.e[c.next]
	c.next ^= 1
	e.ok, e.n, e.val = true, copy(e.key[:], raw), v
}
