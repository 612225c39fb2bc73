package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
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

// maxBufferBytes bounds the text of the rows held while the formats are
// inferred, whatever their number. A variable for tests.
var maxBufferBytes = 64 << 20

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
// by row: rows are held (at most 50,000 rows and 64 MiB) until every format
// is settled. A column whose held values need a day/month order they do not
// settle is read in a first pass over the whole file; one whose held values
// needed none (say an empty thank-you column) is read ahead from the first
// value that does. A column that stays ambiguous stops the read with an *Error
// wrapping ErrAmbiguous, unless another date column of the file settled
// the order.
//
// Below the held rows, a UTF-8 CSV file is read by a byte-level scanner in
// 4 MiB blocks, with no allocation per row; when sink is a steward.Forker
// and more than 8 MiB remain, on two goroutines in parts (parallel.go),
// all but the first into forks of sink, joined in file order. The records,
// accounting and errors are those of a sequential encoding/csv read. The
// strings in the records view the read buffer: a Sink clones what it keeps.
//
// Every data row is used, excluded by a named rule (status, gift type,
// test, refunded, zero amount, currency, filter, totals or footer row) or
// rejected with its row, column and reason; names, e-mails and other
// personal columns are never read into records. A file that names people
// and events, or ids and names (a lookup table), but has no date column
// is no error when Options.Kind is "": no figure can use it, so every data
// row is excluded as "no date column: nothing to count", with a warning
// that says what to add.
//
// Nothing is held without bound: a field longer than Options.MaxFieldBytes,
// a CSV record over 16 MiB or a row over 10,000 fields, a workbook over 256
// MiB, or one that unpacks to over 1 GiB or at a zip bomb's ratio stops the
// read with an *Error that says what to do (ErrFieldTooLong,
// ErrRecordTooLong, ErrTooLarge). Binary data is refused (ErrBinary).
func Read(r io.ReaderAt, size int64, opt Options, sink steward.Sink) (_ steward.Source, err error) {
	src := steward.Source{File: opt.Name}
	defer func() {
		// A bug must not print a stack trace at a user: say where it
		// happened and what to do.
		if v := recover(); v != nil {
			err = &Error{File: opt.Name, Err: errorf("internal error while reading (%v); please report it with the file's first lines, names removed", v)}
		}
	}()
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
		return fail(errEmptyFile)
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
	if opt.Hash != nil {
		p.hash = newHashFeed(opt.Hash, r, size)
		defer p.hash.take() // on an error, the goroutine reads no further
	}
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
	if p.hash != nil {
		if err := p.hash.complete(); err != nil {
			return fail(err)
		}
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
	text := head[bom:]
	switch enc {
	case encUTF16LE, encUTF16BE, "utf-16":
		d, _ := decoder(enc, bytes.NewReader(head))
		text, _ = io.ReadAll(d)
	default:
		if binary(text) {
			return errorf("%w; export the data from the CRM as CSV or XLSX", ErrBinary)
		}
		if enc != encUTF8 && enc != encUTF8BOM {
			d, _ := decoder(enc, bytes.NewReader(head))
			text, _ = io.ReadAll(d)
		}
	}
	delim := p.opt.Delimiter
	if delim == 0 && len(bytes.TrimSpace(text)) == 0 && int64(len(head)) == size {
		return errEmptyFile
	}
	// Lines that end in a lone CR (old Mac files) are read as LF lines.
	lonecr := bytes.IndexByte(text, '\r') >= 0 && bytes.IndexByte(text, '\n') < 0
	if lonecr {
		text = bytes.ReplaceAll(text, []byte{'\r'}, []byte{'\n'})
	}
	p.sniffed = rune(sniffDelimiter(text))
	if delim == 0 {
		delim = p.sniffed
	}
	p.src.Delimiter = string(delim)
	p.plain = plainCSV(r, bom, size, enc, lonecr, delim)
	open := func() (rowReader, error) {
		var in io.Reader = io.NewSectionReader(r, int64(bom), size-int64(bom))
		if enc != encUTF8 && enc != encUTF8BOM {
			in, _ = decoder(enc, in)
		}
		if lonecr {
			in = crReader{in}
		}
		return newCSVRows(in, delim, p.opt.MaxFieldBytes, &p.names), nil
	}
	p.reopen = open
	rr, _ := open()
	defer rr.close()
	if err := p.findHeader(rr); err != nil {
		return err
	}
	if p.unusable != "" {
		return p.skipUnusable(rr)
	}
	return p.run(rr)
}

// readXLSX reads one worksheet of a workbook. A panic inside excelize on
// a malformed workbook is turned into an error.
func (p *pipe) readXLSX(r io.ReaderAt, size int64) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = errorf("%w (%v); open it in Excel or LibreOffice and save it again, or export it again", ErrBadWorkbook, v)
		}
	}()
	if err := checkZip(r, size); err != nil {
		return err
	}
	// excelize opens the workbook without its worksheets and shared
	// strings (sheet list, date system); the chosen sheet is streamed.
	book, view, err := openXLSX(r, size)
	if err != nil {
		return err
	}
	tmp := p.opt.TmpDir
	if tmp == "" {
		tmp = os.TempDir()
	}
	f, err := excelize.OpenReader(bytes.NewReader(view), excelize.Options{
		UnzipSizeLimit:    maxUnzipped,
		UnzipXMLSizeLimit: maxXMLInMemory,
		TmpDir:            tmp,
	})
	if err != nil {
		if f != nil {
			f.Close()
		}
		if errors.Is(err, excelize.ErrWorkbookFileFormat) {
			return ErrEncrypted
		}
		return errorf("%w (%v); open it in Excel or LibreOffice and save it again, or export it again", ErrBadWorkbook, err)
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
	unusable := "" // the first sheet with nothing to count, if no other is read
	for _, sheet := range sheets {
		open := func() (rowReader, error) {
			return book.open(sheet, p.opt.MaxFieldBytes, &p.names)
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
		if p.unusable != "" {
			// Another sheet may hold the data.
			rr.close()
			p.unusable = ""
			if unusable == "" {
				unusable = sheet
			}
			continue
		}
		p.src.Sheet = sheet
		p.reopen = open
		err = p.run(rr)
		rr.close()
		return err
	}
	if unusable != "" {
		rr, err := book.open(unusable, p.opt.MaxFieldBytes, &p.names)
		if err != nil {
			return err
		}
		defer rr.close()
		p.nearMiss = nil
		if err := p.findHeader(rr); err != nil {
			return err
		}
		p.src.Sheet = unusable
		return p.skipUnusable(rr)
	}
	if first == nil {
		first = errEmptyFile
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

// Limits of the XLSX reader: a workbook is a zip file read in place
// through its io.ReaderAt. The chosen worksheet is streamed from the zip
// and the shared strings are indexed in memory (xlsxstream.go); excelize is
// given only the other parts up to maxXMLInMemory (the sheet list, the date
// system), in memory. Nothing is unpacked to disk.
const (
	// maxXLSXBytes bounds the workbook file. Nothing reads it whole (the
	// zip is read in place); the limit is a guard that sends a workbook
	// this big to CSV, which has none.
	maxXLSXBytes = 256 << 20
	// maxUnzipped bounds what the parts of a workbook unpack to.
	maxUnzipped = 1 << 30
	// maxXMLInMemory bounds the parts excelize is given (larger ones are
	// left out of its view), and is its UnzipXMLSizeLimit.
	maxXMLInMemory = 16 << 20
	// maxSharedStrings bounds the shared strings part, which the
	// streaming reader indexes in memory.
	maxSharedStrings = 128 << 20
	// maxRatio is the largest compression ratio a part over 1 MiB may
	// have: real worksheets and shared strings compress about 10:1, and
	// excelize's parts (up to maxXMLInMemory) and the shared strings
	// index are held in memory.
	maxRatio = 200
	// maxParts bounds the number of files in the zip.
	maxParts = 10000
)

// checkZip refuses, from the zip directory alone and before anything is
// unpacked, a workbook that is too large or that unpacks to far
// more than it holds (a zip bomb). archive/zip never unpacks more than an
// entry declares.
func checkZip(r io.ReaderAt, size int64) error {
	const what = "; save the sheet as CSV (File > Save As > CSV UTF-8) and read that"
	if size > maxXLSXBytes {
		return errorf("%w: %d MiB, the limit is %d MiB%s", ErrTooLarge, size>>20, maxXLSXBytes>>20, what)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return errorf("%w (%v); open it in Excel or LibreOffice and save it again, or export it again", ErrBadWorkbook, err)
	}
	if len(zr.File) > maxParts {
		return errorf("%w: it holds %d parts, the limit is %d%s", ErrTooLarge, len(zr.File), maxParts, what)
	}
	office := false
	var total uint64
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, "[Content_Types].xml") {
			office = true
		}
		u := f.UncompressedSize64
		total += u
		switch {
		case u > maxUnzipped || total > maxUnzipped:
			return errorf("%w: it unpacks to more than %d MiB (a zip bomb?)%s", ErrTooLarge, maxUnzipped>>20, what)
		case u > 1<<20 && u/max(f.CompressedSize64, 1) > maxRatio:
			return errorf("%w: %s unpacks to %d MiB from %d KiB (a zip bomb?)%s", ErrTooLarge, steward.Shown(f.Name), u>>20, f.CompressedSize64>>10, what)
		case strings.EqualFold(f.Name, "xl/sharedStrings.xml") && u > maxSharedStrings:
			return errorf("%w: its shared strings unpack to %d MiB, the limit is %d MiB%s", ErrTooLarge, u>>20, maxSharedStrings>>20, what)
		}
	}
	if !office {
		return errorf("%w; unzip it and read the CSV or XLSX files inside", ErrNotWorkbook)
	}
	return nil
}

// binary reports whether the start of a file in an 8-bit encoding is
// binary data rather than text: more than 1 in 100 bytes are control
// characters other than tab, line feed, form feed and carriage return.
func binary(b []byte) bool {
	n := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f {
			n++
		}
	}
	return n > 0 && n*100 > len(b)
}
