package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"

	"steward"
)

// errorf is fmt.Errorf, kept off the per-row paths.
func errorf(format string, a ...any) error { return fmt.Errorf(format, a...) }

// Limits of the readers.
const (
	// headerScanRows is how many rows at the top of a table are searched
	// for the header below title rows.
	headerScanRows = 30
	// defaultMaxField is the default Options.MaxFieldBytes.
	defaultMaxField = 1 << 20
)

// maxBuffer is how many data rows are held while the date and amount
// formats are inferred; a column still undecided then is inferred from a
// first pass over the whole file. A variable for tests.
var maxBuffer = 50000

// Read reads one export from r (size bytes) and emits its records into sink
// (which must not be nil), one at a time. It returns the file's accounting,
// with SHA256 and Bytes left to the caller. On a data error it returns an
// *Error (and the accounting so far).
//
// The format is detected from the content: XLSX by its zip signature, a
// legacy .xls or an encrypted workbook by the OLE2 signature (both errors),
// anything else as delimited text whose encoding and delimiter are sniffed.
// The header row is the first row, among the top 30, that maps the fields of
// a built-in profile or of Options.Columns; rows below it are data rows.
//
// Date and amount formats are decided per column from its values, never row
// by row: rows are held (at most 50,000) until every format is settled. A
// column whose held values need a day/month order they do not settle is
// read in a first pass over the whole file; one whose held values needed
// none (say an empty thank-you column) is read ahead from the first value
// that does. A column that stays ambiguous stops the read with an *Error
// wrapping ErrAmbiguous, unless another date column of the file settled
// the order.
//
// Every data row is used, excluded by a named rule (status, gift type,
// test, refunded, zero amount, currency, filter, totals or footer row) or
// rejected with its row, column and reason; names, e-mails and other
// personal columns are never read into records.
func Read(r io.ReaderAt, size int64, opt Options, sink steward.Sink) (steward.Source, error) {
	src := steward.Source{File: opt.Name}
	fail := func(err error) (steward.Source, error) {
		var e *Error
		if errors.As(err, &e) {
			if e.File == "" {
				e.File = opt.Name
			}
			return src, e
		}
		return src, &Error{File: opt.Name, Err: err}
	}
	if size <= 0 {
		return fail(ErrEmpty)
	}
	head := make([]byte, min(size, sniffLen))
	n, err := r.ReadAt(head, 0)
	if err != nil && !(err == io.EOF && n > 0) {
		return fail(err)
	}
	head = head[:n]
	if opt.MaxFieldBytes <= 0 {
		opt.MaxFieldBytes = defaultMaxField
	}
	if err := checkOptions(&opt); err != nil {
		return fail(err)
	}

	format := strings.ToLower(opt.Format)
	if bytes.HasPrefix(head, magicOLE[:4]) {
		if encryptedOLE(r, size, head) {
			return fail(ErrEncrypted)
		}
		return fail(ErrLegacyXLS)
	}
	if format == "" {
		format = "csv"
		if bytes.HasPrefix(head, magicZip) {
			format = "xlsx"
		}
	}
	src.Format = format
	p := &pipe{opt: opt, src: &src, sink: sink}
	switch format {
	case "xlsx":
		err = p.readXLSX(r, size)
	case "csv":
		err = p.readCSV(r, size, head)
	default:
		err = errorf("unknown format %q: use csv or xlsx", opt.Format)
	}
	if err != nil {
		return fail(err)
	}
	return src, nil
}

// encryptedOLE reports whether an OLE2 compound file holds an encrypted
// OOXML package (a password-protected .xlsx) rather than a legacy .xls: its
// directory names the EncryptionInfo and EncryptedPackage streams. When
// the directory cannot be read, the first bytes are searched for the names
// (in UTF-16LE, as directories store them).
func encryptedOLE(r io.ReaderAt, size int64, head []byte) (enc bool) {
	defer func() {
		if recover() != nil {
			enc = encryptedNames(head)
		}
	}()
	doc, err := mscfb.New(io.NewSectionReader(r, 0, size))
	if err != nil {
		return encryptedNames(head)
	}
	for i := 0; i < 10000; i++ {
		e, err := doc.Next()
		if err != nil {
			break
		}
		if e.Name == "EncryptionInfo" || e.Name == "EncryptedPackage" {
			return true
		}
	}
	return encryptedNames(head)
}

func encryptedNames(b []byte) bool {
	for _, name := range []string{"EncryptionInfo", "EncryptedPackage"} {
		u := make([]byte, 0, 2*len(name))
		for i := 0; i < len(name); i++ {
			u = append(u, name[i], 0)
		}
		if bytes.Contains(b, u) {
			return true
		}
	}
	return false
}

// checkOptions validates the options that do not depend on the file.
func checkOptions(opt *Options) error {
	for name := range opt.Columns {
		if _, ok := fieldByName(name); !ok {
			return errorf("unknown field %q under columns: use one of %s", name, strings.Join(fieldNames[:], ", "))
		}
	}
	if opt.Profile != "" && profileByName(opt.Profile) == nil {
		return errorf("unknown profile %q: use one of %s", opt.Profile, profileNames())
	}
	switch opt.Kind {
	case "", steward.KindGifts, steward.KindPeople, steward.KindEvents:
	default:
		return errorf("unknown kind %q: use gifts, people or events", opt.Kind)
	}
	switch strings.ToLower(opt.AckField) {
	case "", "thankyou", "thank-you", "receipt":
	default:
		return errorf("unknown ack_field %q: use thankyou or receipt", opt.AckField)
	}
	for raw, name := range opt.Statuses {
		if _, ok := statusByName(name); !ok {
			return errorf("statuses: %q: unknown status %q: use qualifying, pledge, pending, failed, cancelled, refunded or test", raw, name)
		}
	}
	return nil
}

// statusByName parses a status name of the statuses: setting.
func statusByName(name string) (steward.Status, bool) {
	for s := steward.StatusQualifying; s <= steward.StatusTest; s++ {
		if strings.EqualFold(strings.TrimSpace(name), s.String()) {
			return s, true
		}
	}
	return 0, false
}

// readCSV reads delimited text.
func (p *pipe) readCSV(r io.ReaderAt, size int64, head []byte) error {
	enc, bom := sniffEncoding(head)
	if p.opt.Encoding != "" {
		enc = strings.ToLower(p.opt.Encoding)
		if _, ok := decoder(enc, bytes.NewReader(nil)); !ok {
			return errorf("unknown encoding %q: use utf-8, utf-16le, utf-16be or windows-1252", p.opt.Encoding)
		}
		bom = 0
		if enc == encUTF8 && bytes.HasPrefix(head, bomUTF8) {
			bom = 3
		}
	}
	p.src.Encoding = enc
	p.fixText = enc == encUTF8 && p.opt.Encoding == ""
	if enc == encUTF8BOM {
		p.src.Encoding = encUTF8
	}
	delim := p.opt.Delimiter
	if delim == 0 {
		text := head[bom:]
		if enc != encUTF8 && enc != encUTF8BOM {
			d, _ := decoder(enc, bytes.NewReader(head))
			text, _ = io.ReadAll(d)
		}
		if len(bytes.TrimSpace(text)) == 0 && int64(len(head)) == size {
			return ErrEmpty
		}
		delim = rune(sniffDelimiter(text))
	}
	p.src.Delimiter = string(delim)
	open := func() (rowReader, error) {
		var in io.Reader = io.NewSectionReader(r, int64(bom), size-int64(bom))
		if enc != encUTF8 && enc != encUTF8BOM {
			in, _ = decoder(enc, in)
		}
		return newCSVRows(in, delim, p.opt.MaxFieldBytes, &p.names), nil
	}
	p.reopen = open
	rr, _ := open()
	defer rr.close()
	if err := p.findHeader(rr); err != nil {
		return err
	}
	return p.run(rr)
}

// readXLSX reads one worksheet of a workbook. A panic inside excelize on
// a malformed workbook is turned into an error.
func (p *pipe) readXLSX(r io.ReaderAt, size int64) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = errorf("not a readable XLSX workbook: %v", v)
		}
	}()
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit:    1 << 30,
		UnzipXMLSizeLimit: 256 << 20,
	})
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) {
			return ErrEncrypted
		}
		return errorf("not a readable XLSX workbook: %v", err)
	}
	defer f.Close()
	props, err := f.GetWorkbookProps()
	if err == nil && props.Date1904 != nil {
		p.date1904 = *props.Date1904
	}
	p.xlsx = true
	sheets := f.GetSheetList()
	if p.opt.Sheet != "" {
		found := false
		for _, s := range sheets {
			if strings.EqualFold(s, p.opt.Sheet) {
				sheets, found = []string{s}, true
				break
			}
		}
		if !found {
			return errorf("no sheet named %q; the workbook has %s", p.opt.Sheet, quoteAll(sheets))
		}
	}
	var first error
	for _, sheet := range sheets {
		open := func() (rowReader, error) {
			rows, err := f.Rows(sheet)
			if err != nil {
				return nil, err
			}
			return &xlsxRows{rows: rows}, nil
		}
		rr, err := open()
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		err = p.findHeader(rr)
		if err != nil {
			rr.close()
			if first == nil || (errors.Is(first, ErrEmpty) && !errors.Is(err, ErrEmpty)) {
				first = err
			}
			continue
		}
		p.src.Sheet = sheet
		p.reopen = open
		err = p.run(rr)
		rr.close()
		return err
	}
	if first == nil {
		first = ErrEmpty
	}
	return first
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	return strings.Join(q, ", ")
}
