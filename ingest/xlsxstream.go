package ingest

// The XLSX cell reader: excelize opens the workbook (without its worksheets
// and shared strings) for the sheet list and the date system; the chosen
// worksheet is streamed straight from the zip with a purpose-built scanner
// that yields excelize's raw cell values (Rows, Columns with RawCellValue)
// without decoding the shared strings into structs or allocating per cell.

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"steward"
)

// Limits of the XLSX scanner.
const (
	// maxXMLTag bounds one XML tag (its name and attributes).
	maxXMLTag = 1 << 20
	// maxSmallPart bounds the workbook and relationship parts, read whole.
	maxSmallPart = maxXMLInMemory
	// xlsxMaxRows and xlsxMaxColumns are Excel's (and excelize's) limits.
	xlsxMaxRows    = 1048576
	xlsxMaxColumns = 16384
)

// errXML is the scanner's error for XML that is not well-formed.
var errXML = errors.New("malformed XML")

// xlsxBook is an opened workbook: its parts, the worksheet part of each
// sheet, and the shared strings, loaded once for every pass.
type xlsxBook struct {
	parts  map[string]*zip.File // by name, backslashes as slashes
	sheets map[string]string    // sheet name -> worksheet part
	sst    *sstTable
	sstErr error
	loaded bool
}

// openXLSX opens the workbook r for streaming. It returns the book and
// the bytes for excelize to open: the workbook without its worksheets and
// shared strings, which the scanner reads from r instead.
func openXLSX(r io.ReaderAt, size int64) (*xlsxBook, []byte, error) {
	bad := func(err error) error {
		if errors.Is(err, ErrTooLarge) {
			return err
		}
		return errorf("%w (%v); open it in Excel or LibreOffice and save it again, or export it again", ErrBadWorkbook, err)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, nil, bad(err)
	}
	book, err := openXLSXBook(zr)
	if err != nil {
		return nil, nil, bad(err)
	}
	view, err := book.excelizeView(zr)
	if err != nil {
		return nil, nil, bad(err)
	}
	return book, view, nil
}

// open returns the rowReader of sheet.
func (b *xlsxBook) open(sheet string, maxField int, names *[]string) (rowReader, error) {
	rows, err := b.rows(sheet, maxField, names)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		return nil, errorf("%w: sheet %q: %v; open it in Excel or LibreOffice and save it again", ErrBadWorkbook, sheet, err)
	}
	return rows, nil
}

// openXLSXBook indexes the zip and resolves the worksheet part of every
// sheet through the workbook's relationships.
func openXLSXBook(zr *zip.Reader) (*xlsxBook, error) {
	b := &xlsxBook{parts: make(map[string]*zip.File, len(zr.File)), sheets: map[string]string{}}
	for _, f := range zr.File {
		b.parts[strings.ReplaceAll(f.Name, "\\", "/")] = f
	}
	var rels xlsxRelsXML
	if err := b.readSmall("_rels/.rels", &rels); err != nil {
		return nil, err
	}
	wbPath := ""
	for _, r := range rels.Rels {
		if r.Type == "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" ||
			r.Type == "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" {
			wbPath = strings.TrimPrefix(r.Target, "/")
			break
		}
	}
	if wbPath == "" {
		wbPath = "xl/workbook.xml"
	}
	var wb xlsxWorkbookXML
	if err := b.readSmall(wbPath, &wb); err != nil {
		return nil, err
	}
	dir := path.Dir(wbPath)
	relsPath := strings.TrimPrefix(dir+"/_rels/"+path.Base(wbPath)+".rels", "/")
	if dir == "." {
		relsPath = "_rels/" + path.Base(wbPath) + ".rels"
	}
	var wbRels xlsxRelsXML
	if err := b.readSmall(relsPath, &wbRels); err != nil {
		return nil, err
	}
	for _, s := range wb.Sheets {
		for _, r := range wbRels.Rels {
			if r.ID != s.ID {
				continue
			}
			t := strings.ReplaceAll(r.Target, "\\", "/")
			p := strings.TrimPrefix(path.Clean(dir+"/"+t), "/")
			if strings.HasPrefix(t, "/") {
				p = strings.TrimPrefix(path.Clean(t), "/")
			}
			if _, ok := b.parts[p]; ok {
				b.sheets[s.Name] = p
			}
		}
	}
	return b, nil
}

type xlsxRelsXML struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xlsxWorkbookXML struct {
	Sheets []struct {
		Name string `xml:"name,attr"`
		ID   string `xml:"id,attr"`
	} `xml:"sheets>sheet"`
}

// readSmall decodes a small part; a missing part leaves v empty.
func (b *xlsxBook) readSmall(name string, v any) error {
	f, ok := b.parts[name]
	if !ok {
		return nil
	}
	rc, err := openPart(f, maxSmallPart)
	if err != nil {
		return err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(data, v); err != nil && err != io.EOF {
		return errorf("%s: %v", steward.Shown(name), err)
	}
	return nil
}

// excelizeView returns the workbook without its worksheets and shared
// strings (the parts copied compressed, as they are), for excelize to open
// and read the sheet list and workbook properties from.
func (b *xlsxBook) excelizeView(zr *zip.Reader) ([]byte, error) {
	skip := map[string]bool{}
	for _, p := range b.sheets {
		skip[p] = true
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, "\\", "/")
		if skip[name] || strings.EqualFold(name, "xl/sharedStrings.xml") ||
			strings.HasPrefix(strings.ToLower(name), "xl/worksheets/") || f.UncompressedSize64 > maxXMLInMemory {
			continue
		}
		if err := zw.Copy(f); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sharedStrings loads the shared strings part once.
func (b *xlsxBook) sharedStrings() (*sstTable, error) {
	if b.loaded {
		return b.sst, b.sstErr
	}
	b.loaded = true
	b.sst = &sstTable{}
	for name, f := range b.parts {
		if strings.EqualFold(name, "xl/sharedStrings.xml") {
			rc, err := openPart(f, maxSharedStrings)
			if err != nil {
				b.sstErr = err
				return nil, err
			}
			b.sst, b.sstErr = loadSharedStrings(rc, int(min(f.UncompressedSize64, maxSharedStrings)))
			rc.Close()
			break
		}
	}
	return b.sst, b.sstErr
}

// rows opens the worksheet part of sheet for reading.
func (b *xlsxBook) rows(sheet string, maxField int, names *[]string) (*xlsxStream, error) {
	p, ok := b.sheets[sheet]
	for name, part := range b.sheets {
		if !ok && strings.EqualFold(name, sheet) {
			p, ok = part, true
		}
	}
	if !ok {
		return nil, errorf("sheet %s does not exist", steward.Shown(sheet))
	}
	sst, err := b.sharedStrings()
	if err != nil {
		return nil, err
	}
	rc, err := openPart(b.parts[p], maxUnzipped)
	if err != nil {
		return nil, err
	}
	return newXLSXStream(newSheetScanner(rc, sst, maxField), rc, maxField, names), nil
}

// openPart opens a part of the zip that may unpack to at most limit bytes:
// past that the reader fails with ErrTooLarge, whatever the part declares.
func openPart(f *zip.File, limit int64) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	lp := &limitedPart{rc: rc, name: f.Name, left: limit, limit: limit}
	if f.UncompressedSize64 < 1<<20 {
		return lp, nil
	}
	return newReadAhead(lp), nil
}

// readAhead unpacks a large part on another goroutine (the second core),
// a few blocks ahead of the scanner.
type readAhead struct {
	src  io.ReadCloser
	full chan []byte
	free chan []byte
	stop chan struct{}
	done chan struct{}
	cur  []byte
	last []byte // the block cur is in, to hand back
	err  error  // the source's error, once full is closed
}

func newReadAhead(src io.ReadCloser) *readAhead {
	const blocks, size = 4, 256 << 10
	r := &readAhead{src: src, full: make(chan []byte, blocks), free: make(chan []byte, blocks),
		stop: make(chan struct{}), done: make(chan struct{})}
	for i := 0; i < blocks; i++ {
		r.free <- make([]byte, size)
	}
	go r.fill()
	return r
}

func (r *readAhead) fill() {
	defer close(r.done)
	defer close(r.full)
	for {
		var b []byte
		select {
		case b = <-r.free:
		case <-r.stop:
			return
		}
		n, err := io.ReadFull(r.src, b[:cap(b)])
		if n > 0 {
			select {
			case r.full <- b[:n]:
			case <-r.stop:
				return
			}
		}
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			r.err = err
			return
		}
	}
}

func (r *readAhead) Read(p []byte) (int, error) {
	if len(r.cur) == 0 {
		if r.last != nil {
			r.free <- r.last
			r.last = nil
		}
		b, ok := <-r.full
		if !ok {
			return 0, r.err // set before full was closed
		}
		r.cur, r.last = b, b
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// Close stops the goroutine and closes the source.
func (r *readAhead) Close() error {
	select {
	case <-r.stop:
		return nil
	default:
	}
	close(r.stop)
	<-r.done
	return r.src.Close()
}

type limitedPart struct {
	rc          io.ReadCloser
	name        string
	left, limit int64
}

func (l *limitedPart) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errorf("%w: %s unpacks to more than %d MiB (a zip bomb?); save the sheet as CSV (File > Save As > CSV UTF-8) and read that",
			ErrTooLarge, steward.Shown(l.name), l.limit>>20)
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.rc.Read(p)
	l.left -= int64(n)
	if l.left <= 0 && err == nil {
		// Past the limit only if there is more.
		var one [1]byte
		if m, _ := l.rc.Read(one[:]); m > 0 {
			l.left = 0
			return n, nil
		}
		l.left = 1
		return n, io.EOF
	}
	return n, err
}

func (l *limitedPart) Close() error { return l.rc.Close() }

// xlsxStream is the rowReader over one worksheet. A goroutine scans the
// rows ahead, in batches, while the caller works on earlier ones.
type xlsxStream struct {
	sc       *sheetScanner
	rc       io.Closer
	names    *[]string
	maxField int

	full, free chan *rowBatch
	stop, done chan struct{}
	cur        *rowBatch
	i          int
}

// rowBatch is a run of scanned rows, then possibly the scan's error.
type rowBatch struct {
	cells  []string // the rows' cells, one row after another
	ends   []int    // where each row's cells end
	rows   []int    // row numbers
	widths []int    // cells in each row, counted past the limit
	err    error    // after the rows: io.EOF or the error
	errRow int
}

func newXLSXStream(sc *sheetScanner, rc io.Closer, maxField int, names *[]string) *xlsxStream {
	const batches = 4
	x := &xlsxStream{sc: sc, rc: rc, names: names, maxField: maxField,
		full: make(chan *rowBatch, batches), free: make(chan *rowBatch, batches),
		stop: make(chan struct{}), done: make(chan struct{})}
	for i := 0; i < batches; i++ {
		x.free <- &rowBatch{}
	}
	go x.scan()
	return x
}

// scan fills batches until the end of the sheet, an error or close.
func (x *xlsxStream) scan() {
	defer close(x.done)
	for {
		var b *rowBatch
		select {
		case b = <-x.free:
		case <-x.stop:
			return
		}
		b.cells, b.ends, b.rows, b.widths, b.err = b.cells[:0], b.ends[:0], b.rows[:0], b.widths[:0], nil
		x.fillBatch(b)
		select {
		case x.full <- b:
		case <-x.stop:
			return
		}
		if b.err != nil {
			return
		}
	}
}

func (x *xlsxStream) fillBatch(b *rowBatch) {
	defer func() {
		// A bug must not take the process down from this goroutine.
		if v := recover(); v != nil {
			b.err = errorf("internal error while reading (%v); please report it", v)
		}
	}()
	for len(b.rows) < 256 && len(b.cells) < 16384 {
		rec, row, err := x.sc.next()
		if err != nil {
			b.err, b.errRow = err, row
			return
		}
		b.cells = append(b.cells, rec...)
		b.ends = append(b.ends, len(b.cells))
		b.rows = append(b.rows, row)
		b.widths = append(b.widths, x.sc.width)
	}
}

func (x *xlsxStream) next() ([]string, int, error) {
	for x.cur == nil || x.i == len(x.cur.rows) {
		if x.cur != nil {
			if x.cur.err != nil {
				return nil, x.cur.errRow, x.scanError(x.cur.err, x.cur.errRow)
			}
			x.free <- x.cur
		}
		x.cur, x.i = <-x.full, 0
	}
	b, i := x.cur, x.i
	x.i++
	start := 0
	if i > 0 {
		start = b.ends[i-1]
	}
	rec, row := b.cells[start:b.ends[i]:b.ends[i]], b.rows[i]
	if b.widths[i] > maxFields {
		return nil, row, &Error{Row: row, Err: errorf("%w: %d cells, the limit is %d; export only the columns Steward needs",
			ErrRecordTooLong, b.widths[i], maxFields)}
	}
	for i, f := range rec {
		if len(f) > x.maxField {
			return nil, row, &Error{Row: row, Column: columnName(*x.names, i),
				Err: errorf("%w: %d bytes, the limit is %d; shorten the cell and save again", ErrFieldTooLong, len(f), x.maxField)}
		}
	}
	return rec, row, nil
}

func (x *xlsxStream) scanError(err error, row int) error {
	if err == io.EOF {
		return io.EOF
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrRecordTooLong) {
		return &Error{Row: row, Err: err}
	}
	return &Error{Row: row, Err: errorf("%w: %v; open it in Excel or LibreOffice and save it again", ErrBadWorkbook, err)}
}

// close stops the scan and closes the part.
func (x *xlsxStream) close() {
	select {
	case <-x.stop:
		return
	default:
	}
	close(x.stop)
	<-x.done
	x.rc.Close()
}

// sstTable is the shared strings table: every string in one arena.
type sstTable struct {
	arena string
	off   []uint32 // string i is arena[off[i]:off[i+1]]
}

func (t *sstTable) len() int {
	if len(t.off) == 0 {
		return 0
	}
	return len(t.off) - 1
}

func (t *sstTable) get(i int) string { return t.arena[t.off[i]:t.off[i+1]] }

// loadSharedStrings reads a shared strings part: each <si> is its <t>
// followed by the <t> of its rich-text runs <r> (phonetic runs left out),
// entities decoded and _xHHHH_ escapes resolved, as excelize does.
func loadSharedStrings(r io.Reader, sizeHint int) (*sstTable, error) {
	// The text is about half the XML (<si><t>...</t></si>).
	var arena strings.Builder
	arena.Grow(sizeHint / 8 * 5)
	t := &sstTable{off: []uint32{0}}
	x := newXMLScan(r)
	x.capLimit = maxSharedStrings
	var rt richText
	for {
		switch x.next() {
		case tokEOF:
			if x.err != nil {
				return nil, x.err
			}
			t.arena = arena.String()
			return t, nil
		case tokStart:
			if x.level == 1 {
				for i := range x.attrs {
					// Each <si></si> takes at least 9 bytes.
					if a := &x.attrs[i]; x.attrLocal(a) == "uniqueCount" {
						if n, ok := atoiBytes(x.attrValue(a)); ok && n > 0 {
							t.off = make([]uint32, 1, min(n, sizeHint/9)+1)
						}
					}
				}
			}
			if x.level != 2 || string(x.local) != "si" {
				continue
			}
			if !x.self {
				if err := rt.read(x); err != nil {
					return nil, err
				}
			} else {
				rt.reset()
			}
			arena.Write(rt.out)
			if arena.Len() > maxSharedStrings {
				return nil, errorf("%w: its shared strings unpack to more than %d MiB; save the sheet as CSV (File > Save As > CSV UTF-8) and read that",
					ErrTooLarge, maxSharedStrings>>20)
			}
			t.off = append(t.off, uint32(arena.Len()))
		}
	}
}

// richText assembles the text of an <si> or <is> element as excelize's
// xlsxSI.String does: the last direct <t>, then the last <t> of each <r>.
type richText struct {
	t, runs, run, out []byte
}

func (rt *richText) reset() {
	rt.t, rt.runs, rt.run, rt.out = rt.t[:0], rt.runs[:0], rt.run[:0], rt.out[:0]
}

// read reads the content of the element just started (not self-closing)
// up to its end, leaving the text in rt.out.
func (rt *richText) read(x *xmlScan) error {
	rt.reset()
	base := x.level
	inRun := false
	for {
		switch x.next() {
		case tokEOF:
			if x.err != nil {
				return x.err
			}
			return io.ErrUnexpectedEOF
		case tokStart:
			switch {
			case x.level == base+1 && string(x.local) == "t":
				rt.t = rt.t[:0]
				if !x.self {
					x.captureInto(&rt.t)
				}
			case x.level == base+1 && string(x.local) == "r":
				inRun = !x.self
				rt.run = rt.run[:0]
			case inRun && x.level == base+2 && string(x.local) == "t":
				rt.run = rt.run[:0]
				if !x.self {
					x.captureInto(&rt.run)
				}
			}
		case tokEnd:
			switch {
			case x.level == base:
				rt.out = append(append(rt.out, rt.t...), rt.runs...)
				rt.out = bstrUnescape(rt.out)
				return nil
			case inRun && x.level == base+1:
				rt.runs = append(rt.runs, rt.run...)
				inRun = false
			}
		}
	}
}

// bstrUnescape resolves the _xHHHH_ escapes of OOXML strings in place, as
// excelize's bstrUnmarshal: _x005F_ is "_", an escape of a surrogate is
// dropped.
func bstrUnescape(b []byte) []byte {
	i := bytes.Index(b, []byte("_x"))
	if i < 0 {
		return b
	}
	w := i
	for i < len(b) {
		if b[i] == '_' && i+6 < len(b) && b[i+1] == 'x' && isHex(b[i+2]) && isHex(b[i+3]) && isHex(b[i+4]) && isHex(b[i+5]) && b[i+6] == '_' {
			r := rune(unhex(b[i+2])<<12 | unhex(b[i+3])<<8 | unhex(b[i+4])<<4 | unhex(b[i+5]))
			if r == '_' {
				b[w] = '_'
				w++
			} else if utf8.ValidRune(r) {
				w += utf8.EncodeRune(b[w:], r)
			}
			i += 7
			continue
		}
		b[w] = b[i]
		w++
		i++
	}
	return b[:w]
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) int {
	switch {
	case c <= '9':
		return int(c - '0')
	case c <= 'F':
		return int(c - 'A' + 10)
	}
	return int(c - 'a' + 10)
}

// Cell types, from the t attribute.
const (
	cellNumber = iota // n, b, d, e, str, anything else: the value as stored
	cellShared        // s: an index into the shared strings
	cellInline        // inlineStr: the text of <is>, else the value
)

// cellVal is where a cell's value is: bytes of the row text, or a shared
// string.
type cellVal struct {
	col        int // 1-based column
	start, end int // in text; -1 start: shared string str
	str        string
}

// sheetScanner reads a worksheet's rows as excelize's Rows iterator does:
// one row per physical row number up to the last row (rows missing from
// the XML are empty), each with the raw values of its cells up to the last
// non-empty one (or formula), gaps filled with "".
type sheetScanner struct {
	x        *xmlScan
	sst      *sstTable
	maxField int

	curRow, seekRow int
	done            bool

	text  []byte // the row's values that are not shared strings
	vals  []cellVal
	cells []string // the record handed out
	width int      // cells in the row, counted past the limit
	rt    richText
}

func newSheetScanner(r io.Reader, sst *sstTable, maxField int) *sheetScanner {
	x := newXMLScan(r)
	x.capLimit = max(maxRecordBytes, 8*maxField)
	return &sheetScanner{x: x, sst: sst, maxField: maxField}
}

// next returns the next row and its number; the record is valid until the
// next call (its strings stay valid).
func (s *sheetScanner) next() ([]string, int, error) {
	s.seekRow++
	s.cells = s.cells[:0]
	s.width = 0
	if s.curRow < s.seekRow {
		if s.done {
			return nil, s.seekRow, io.EOF
		}
		found, err := s.findRow()
		if err != nil {
			return nil, s.seekRow, err
		}
		if !found {
			s.done = true
			return nil, s.seekRow, io.EOF
		}
	}
	if s.curRow > s.seekRow {
		return s.cells, s.seekRow, nil
	}
	if err := s.readRow(); err != nil {
		return nil, s.seekRow, err
	}
	return s.cells, s.seekRow, nil
}

// findRow reads up to the next <row> and sets curRow.
func (s *sheetScanner) findRow() (bool, error) {
	x := s.x
	for {
		switch x.next() {
		case tokEOF:
			return false, x.err
		case tokStart:
			if string(x.local) == "row" {
				return true, s.startRow()
			}
		case tokEnd:
			if string(x.local) == "sheetData" {
				return false, nil
			}
		}
	}
}

// startRow numbers the row whose start tag was just read.
func (s *sheetScanner) startRow() error {
	n := 0
	x := s.x
	for i := range x.attrs {
		a := &x.attrs[i]
		if x.attrLocal(a) == "r" {
			v, ok := atoiBytes(x.attrValue(a))
			if !ok {
				return errorf("invalid row number %q", x.attrValue(a))
			}
			n = v
		}
	}
	switch {
	case n > xlsxMaxRows:
		return errorf("row number exceeds maximum limit")
	case n != 0:
		s.curRow = n
	default:
		s.curRow++
	}
	return nil
}

// readRow reads the cells of the current row, up to the start of the next
// row (whose number is then set) or the end of the sheet data.
func (s *sheetScanner) readRow() error {
	x := s.x
	s.text = s.text[:0]
	s.vals = s.vals[:0]
	col := 0
	for {
		switch x.next() {
		case tokEOF:
			if x.err != nil {
				return x.err
			}
			s.done = true
			return s.finishRow()
		case tokStart:
			switch string(x.local) {
			case "c":
				var err error
				if col, err = s.cell(col); err != nil {
					return err
				}
			case "row":
				if err := s.startRow(); err != nil {
					return err
				}
				if s.curRow > s.seekRow {
					return s.finishRow()
				}
			}
		case tokEnd:
			if string(x.local) == "sheetData" {
				s.done = true
				return s.finishRow()
			}
		}
	}
}

// cell reads one <c> element; col is the column of the previous cell.
func (s *sheetScanner) cell(col int) (int, error) {
	x := s.x
	col++
	typ := cellNumber
	for i := range x.attrs {
		a := &x.attrs[i]
		switch x.attrLocal(a) {
		case "r":
			v := x.attrValue(a)
			if len(v) == 0 {
				continue
			}
			c, err := cellColumn(v)
			if err != nil {
				return col, err
			}
			col = c
		case "t":
			switch string(x.attrValue(a)) {
			case "s":
				typ = cellShared
			case "inlineStr":
				typ = cellInline
			default:
				typ = cellNumber
			}
		}
	}
	vStart, vEnd := -1, -1
	formula, inline := false, false
	if !x.self {
		base := x.level
		for done := false; !done; {
			switch x.next() {
			case tokEOF:
				if x.err != nil {
					return col, x.err
				}
				done = true
			case tokStart:
				switch string(x.local) {
				case "v":
					vStart = len(s.text)
					if !x.self {
						x.captureInto(&s.text)
						if err := x.skipTo(x.level); err != nil {
							return col, err
						}
					}
					vEnd = len(s.text)
				case "f":
					formula = true
					if !x.self {
						if err := x.skipTo(x.level); err != nil {
							return col, err
						}
					}
				case "is":
					inline = true
					s.rt.reset()
					if !x.self {
						if err := s.rt.read(x); err != nil {
							return col, err
						}
					}
				}
			case tokEnd:
				if x.level == base {
					done = true
				}
			}
		}
	}
	val := cellVal{col: col, start: vStart, end: vEnd}
	empty := vStart == vEnd
	switch typ {
	case cellShared:
		if !empty {
			i := sstIndex(s.text[vStart:vEnd])
			if i < 0 || i >= s.sst.len() {
				return col, errorf("index %d out of range in the shared strings table", i)
			}
			val.start, val.str = -1, s.sst.get(i)
			empty = val.str == ""
		}
	case cellInline:
		if inline {
			val.start = len(s.text)
			s.text = append(s.text, s.rt.out...)
			val.end = len(s.text)
			empty = val.start == val.end
		}
	}
	if len(s.text) > s.x.capLimit {
		return col, errorf("%w: the row holds more than %d MiB; export only the columns Steward needs", ErrRecordTooLong, s.x.capLimit>>20)
	}
	if empty && !formula {
		return col, nil
	}
	if col > s.width {
		s.width = col
	} else {
		s.width++
	}
	if s.width <= maxFields+1 {
		s.vals = append(s.vals, val)
	}
	return col, nil
}

// finishRow turns the row's values into strings: one allocation for the
// row's text, shared strings as they are.
func (s *sheetScanner) finishRow() error {
	text := string(s.text)
	w := 0
	for _, v := range s.vals {
		if v.col > w+1 {
			for ; w < v.col-1 && w <= maxFields; w++ {
				s.cells = append(s.cells, "")
			}
		}
		w++
		if w > maxFields+1 {
			break
		}
		switch {
		case v.start < 0 && v.str != "":
			s.cells = append(s.cells, v.str)
		case v.start < 0:
			s.cells = append(s.cells, "")
		default:
			s.cells = append(s.cells, text[v.start:v.end])
		}
	}
	return nil
}

// atoiBytes is strconv.Atoi for bytes, without allocating for plain
// digits.
func atoiBytes(b []byte) (int, bool) {
	if len(b) > 0 && len(b) <= 18 {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				goto slow
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
slow:
	n, err := strconv.Atoi(string(b))
	return n, err == nil
}

// sstIndex parses a shared string index as excelize does
// (strconv.Atoi(strings.TrimSpace(v)), 0 when that fails).
func sstIndex(b []byte) int {
	n := 0
	if len(b) > 0 && len(b) < 10 {
		for _, c := range b {
			if c < '0' || c > '9' {
				n = -1
				break
			}
			n = n*10 + int(c-'0')
		}
		if n >= 0 {
			return n
		}
	}
	i, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return i
		}
		return 0
	}
	return i
}

// cellColumn returns the column of a cell reference such as "B7" or
// "$AA$12", as excelize's CellNameToCoordinates.
func cellColumn(ref []byte) (int, error) {
	alpha := func(c byte) bool { return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '$' }
	bad := func() (int, error) { return 0, errorf("invalid cell reference %q", ref) }
	if len(ref) == 0 || !alpha(ref[0]) {
		return bad()
	}
	last := -1
	for i, c := range ref {
		if alpha(c) {
			last = i
		}
	}
	if last >= len(ref)-1 {
		return bad()
	}
	row, ok := atoiBytes(ref[last+1:])
	if !ok || row <= 0 {
		return bad()
	}
	if row > xlsxMaxRows {
		return 0, errorf("row number exceeds maximum limit")
	}
	col, n := 0, 0
	for _, c := range ref[:last+1] {
		if c == '$' {
			continue
		}
		n++
		switch {
		case 'A' <= c && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case 'a' <= c && c <= 'z':
			col = col*26 + int(c-'a'+1)
		default:
			return 0, errorf("invalid column name %q", ref[:last+1])
		}
		if col > xlsxMaxColumns {
			return 0, errorf("the column number must be greater than or equal to 1 and less than or equal to %d", xlsxMaxColumns)
		}
	}
	if n == 0 {
		return bad()
	}
	return col, nil
}

// Tokens of xmlScan.
const (
	tokEOF = iota // the end, or an error in xmlScan.err
	tokStart
	tokEnd
)

// xmlScan is a minimal streaming XML tokenizer for the parts of a
// workbook: start and end tags with their local names and attributes,
// text captured (entities decoded, line ends normalized as encoding/xml
// does) only inside the element that asks for it. Comments, processing
// instructions, directives and other text are skipped. It checks that tags
// nest and that attributes are quoted, not every rule of XML.
type xmlScan struct {
	r      io.Reader
	buf    []byte
	pos    int // next byte to scan
	end    int // bytes in buf
	eof    bool
	rerr   error
	err    error
	offset int64 // input offset of buf[0], for messages

	// The current token.
	name  []byte // qualified name
	local []byte // local name
	self  bool   // a self-closing start tag
	level int    // nesting level of the token's element, 1 for the root
	attrs []attrSpan
	tag   []byte // the start tag's text after the name

	depth int    // open elements
	stack []byte // names of the open elements
	ends  []int

	capture  *[]byte // where the text of element capLevel goes
	capLevel int
	capLimit int
	scratch  []byte
}

// attrSpan locates one attribute in xmlScan.tag.
type attrSpan struct{ name, local, colon, val, valEnd int }

func newXMLScan(r io.Reader) *xmlScan {
	return &xmlScan{r: r, buf: make([]byte, 256<<10), capLimit: maxRecordBytes}
}

func (x *xmlScan) fail(format string, a ...any) int {
	if x.err == nil {
		x.err = errorf("%w at byte %d: %w", errXML, x.offset+int64(x.pos), errorf(format, a...))
	}
	return tokEOF
}

// tooLong stops the scan at a value longer than capLimit.
func (x *xmlScan) tooLong() int {
	if x.err == nil {
		x.err = errorf("%w: a cell holds more than %d MiB; shorten it and save again", ErrRecordTooLong, x.capLimit>>20)
	}
	return tokEOF
}

// fill reads more input, keeping buf[keep:end]; it reports false at the
// end of the input or on an error (x.rerr).
func (x *xmlScan) fill(keep int) bool {
	if x.eof {
		return false
	}
	if keep > 0 {
		n := copy(x.buf, x.buf[keep:x.end])
		x.offset += int64(keep)
		x.pos -= keep
		x.end = n
	}
	if x.end == len(x.buf) {
		if len(x.buf) >= 2*maxXMLTag {
			x.rerr = errorf("%w: a tag longer than %d KiB", errXML, maxXMLTag>>10)
			x.eof = true
			return false
		}
		nb := make([]byte, 2*len(x.buf))
		copy(nb, x.buf[:x.end])
		x.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := x.r.Read(x.buf[x.end:])
		x.end += n
		if err != nil {
			x.eof = true
			if err != io.EOF {
				x.rerr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	x.eof, x.rerr = true, io.ErrNoProgress
	return false
}

// captureInto sends the text of the element just started to buf.
func (x *xmlScan) captureInto(buf *[]byte) {
	x.capture, x.capLevel = buf, x.level
}

// skipTo reads up to the end of the element at level.
func (x *xmlScan) skipTo(level int) error {
	for {
		switch x.next() {
		case tokEOF:
			if x.err != nil {
				return x.err
			}
			return io.ErrUnexpectedEOF
		case tokEnd:
			if x.level == level {
				return nil
			}
		}
	}
}

// atEOF ends the scan: an error unless every element was closed.
func (x *xmlScan) atEOF() int {
	if x.rerr != nil {
		if x.err == nil {
			x.err = x.rerr
		}
		return tokEOF
	}
	if x.depth > 0 {
		return x.fail("unexpected end of the part inside <%s>", x.stack[x.ends[len(x.ends)-1]:])
	}
	return tokEOF
}

// next reads the next start or end tag.
func (x *xmlScan) next() int {
	if x.err != nil {
		return tokEOF
	}
	for {
		// Text up to the next '<'.
		capturing := x.capture != nil && x.depth == x.capLevel
		start := 0
		if capturing {
			start = len(*x.capture)
		}
		for {
			i := bytes.IndexByte(x.buf[x.pos:x.end], '<')
			if i >= 0 {
				if capturing {
					*x.capture = append(*x.capture, x.buf[x.pos:x.pos+i]...)
				}
				x.pos += i + 1
				break
			}
			if capturing {
				*x.capture = append(*x.capture, x.buf[x.pos:x.end]...)
				if len(*x.capture)-start > x.capLimit {
					return x.tooLong()
				}
			}
			x.pos = x.end
			if !x.fill(x.end) {
				return x.atEOF()
			}
		}
		if capturing {
			b, err := decodeText((*x.capture)[start:])
			if err != nil {
				return x.fail("%v", err)
			}
			*x.capture = (*x.capture)[:start+len(b)]
			if len(b) > x.capLimit {
				return x.tooLong()
			}
		}
		// The markup after '<'.
		if x.pos == x.end && !x.fill(x.pos) {
			return x.fail("unexpected end of the part after '<'")
		}
		switch x.buf[x.pos] {
		case '/':
			x.pos++
			return x.endTag()
		case '?':
			if !x.skipPast("?>", nil) {
				return x.atEOFIn("a processing instruction")
			}
		case '!':
			for x.end-x.pos < 9 && x.fill(x.pos) {
			}
			rest := x.buf[x.pos:x.end]
			switch {
			case bytes.HasPrefix(rest, []byte("!--")):
				x.pos += 3
				if !x.skipPast("-->", nil) {
					return x.atEOFIn("a comment")
				}
			case bytes.HasPrefix(rest, []byte("![CDATA[")):
				x.pos += 8
				var dst *[]byte
				if x.capture != nil && x.depth == x.capLevel {
					dst = x.capture
				}
				n := 0
				if dst != nil {
					n = len(*dst)
				}
				if !x.skipPast("]]>", dst) {
					return x.atEOFIn("CDATA")
				}
				if dst != nil {
					*dst = (*dst)[:n+len(normalizeCR((*dst)[n:]))]
					if len(*dst)-n > x.capLimit {
						return x.tooLong()
					}
				}
			default:
				if !x.skipDirective() {
					return x.atEOFIn("a directive")
				}
			}
		default:
			return x.startTag()
		}
	}
}

func (x *xmlScan) atEOFIn(what string) int {
	if x.rerr != nil {
		return x.atEOF()
	}
	return x.fail("unexpected end of the part inside %s", what)
}

// skipPast skips (or, with dst, copies) the input up to and past the
// terminator term.
func (x *xmlScan) skipPast(term string, dst *[]byte) bool {
	for {
		i := bytes.Index(x.buf[x.pos:x.end], []byte(term))
		if i >= 0 {
			if dst != nil {
				*dst = append(*dst, x.buf[x.pos:x.pos+i]...)
			}
			x.pos += i + len(term)
			return true
		}
		// Keep what could be the start of term.
		keep := max(x.pos, x.end-len(term)+1)
		if dst != nil {
			*dst = append(*dst, x.buf[x.pos:keep]...)
			if len(*dst) > 2*x.capLimit {
				x.rerr = errorf("%w: a cell holds more than %d MiB; shorten it and save again", ErrRecordTooLong, x.capLimit>>20)
				return false
			}
		}
		x.pos = keep
		if !x.fill(x.pos) {
			return false
		}
	}
}

// skipDirective skips a <!...> declaration, nested brackets and quotes
// included.
func (x *xmlScan) skipDirective() bool {
	depth, q := 0, byte(0)
	for {
		for ; x.pos < x.end; x.pos++ {
			c := x.buf[x.pos]
			switch {
			case q != 0:
				if c == q {
					q = 0
				}
			case c == '"' || c == '\'':
				q = c
			case c == '<':
				depth++
			case c == '>':
				if depth == 0 {
					x.pos++
					return true
				}
				depth--
			}
		}
		if !x.fill(x.pos) {
			return false
		}
	}
}

// endTag reads "name>" after "</".
func (x *xmlScan) endTag() int {
	start := x.pos
	for {
		i := bytes.IndexByte(x.buf[x.pos:x.end], '>')
		if i >= 0 {
			x.pos += i + 1
			break
		}
		x.pos = x.end
		if x.end-start > maxXMLTag {
			return x.fail("an end tag longer than %d KiB", maxXMLTag>>10)
		}
		if !x.fill(start) {
			return x.atEOFIn("an end tag")
		}
		start = 0
	}
	name := x.buf[start : x.pos-1]
	for len(name) > 0 && isSpace(name[len(name)-1]) {
		name = name[:len(name)-1]
	}
	if x.depth == 0 {
		return x.fail("unexpected </%s>", name)
	}
	open := x.stack[x.ends[len(x.ends)-1]:]
	if !bytes.Equal(name, open) {
		return x.fail("</%s> closes <%s>", name, open)
	}
	x.name, x.local = name, localName(name)
	x.level = x.depth
	x.self = false
	x.attrs = x.attrs[:0]
	x.depth--
	x.stack = x.stack[:x.ends[len(x.ends)-1]]
	x.ends = x.ends[:len(x.ends)-1]
	if x.capture != nil && x.level <= x.capLevel {
		x.capture = nil
	}
	return tokEnd
}

func localName(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// startTag reads "name attr="v" ...>" or "/>" after "<".
func (x *xmlScan) startTag() int {
	start := x.pos
	i, q := x.pos, byte(0)
	for {
		for ; i < x.end; i++ {
			c := x.buf[i]
			if q != 0 {
				if c == q {
					q = 0
				}
				continue
			}
			if c == '>' {
				break
			}
			if c == '"' || c == '\'' {
				q = c
			}
		}
		if i < x.end {
			break
		}
		if i-start > maxXMLTag {
			return x.fail("a tag longer than %d KiB", maxXMLTag>>10)
		}
		old := x.pos
		x.pos = start
		if !x.fill(start) {
			return x.atEOFIn("a tag")
		}
		i -= old - x.pos
		start = x.pos
	}
	tag := x.buf[start:i]
	x.pos = i + 1
	x.self = len(tag) > 0 && tag[len(tag)-1] == '/'
	if x.self {
		tag = tag[:len(tag)-1]
	}
	n := 0
	for n < len(tag) && !isSpace(tag[n]) {
		n++
	}
	if n == 0 {
		return x.fail("a tag without a name")
	}
	x.name, x.local = tag[:n], localName(tag[:n])
	x.tag = tag
	x.attrs = x.attrs[:0]
	for j := n; ; {
		for j < len(tag) && isSpace(tag[j]) {
			j++
		}
		if j == len(tag) {
			break
		}
		if j == n {
			return x.fail("no space before an attribute in <%s>", x.name)
		}
		a := attrSpan{name: j, colon: -1}
		for j < len(tag) && tag[j] != '=' && !isSpace(tag[j]) {
			if tag[j] == ':' && a.colon < 0 {
				a.colon = j
			}
			j++
		}
		a.local = j
		for j < len(tag) && isSpace(tag[j]) {
			j++
		}
		if j == len(tag) || tag[j] != '=' || a.local == a.name {
			return x.fail("an attribute without a value in <%s>", x.name)
		}
		j++
		for j < len(tag) && isSpace(tag[j]) {
			j++
		}
		if j == len(tag) || tag[j] != '"' && tag[j] != '\'' {
			return x.fail("an unquoted attribute in <%s>", x.name)
		}
		qc := tag[j]
		j++
		a.val = j
		k := bytes.IndexByte(tag[j:], qc)
		if k < 0 {
			return x.fail("an unclosed attribute in <%s>", x.name)
		}
		a.valEnd = j + k
		j += k + 1
		x.attrs = append(x.attrs, a)
		n = -1
	}
	if x.self {
		x.level = x.depth + 1
	} else {
		x.depth++
		x.level = x.depth
		x.ends = append(x.ends, len(x.stack))
		x.stack = append(x.stack, x.name...)
	}
	return tokStart
}

// attrLocal returns the local name of attribute a, for comparisons (it
// is inlined, and the short string does not escape: no allocation).
func (x *xmlScan) attrLocal(a *attrSpan) string {
	if a.colon >= 0 {
		return string(x.tag[a.colon+1 : a.local])
	}
	return string(x.tag[a.name:a.local])
}

// attrValue returns the value of attribute a, entities decoded; it is valid
// until the next call.
func (x *xmlScan) attrValue(a *attrSpan) []byte {
	v := x.tag[a.val:a.valEnd]
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\r') < 0 {
		return v
	}
	x.scratch = append(x.scratch[:0], v...)
	b, err := decodeText(x.scratch)
	if err != nil {
		return v
	}
	return b
}

// normalizeCR turns CR LF and lone CR into LF in place.
func normalizeCR(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	w := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		}
		b[w] = c
		w++
	}
	return b[:w]
}

// decodeText decodes the entities of XML text in place, after turning
// CR LF and lone CR into LF, as encoding/xml does.
func decodeText(b []byte) ([]byte, error) {
	b = normalizeCR(b)
	i := bytes.IndexByte(b, '&')
	if i < 0 {
		return b, nil
	}
	w := i
	for i < len(b) {
		c := b[i]
		if c != '&' {
			b[w] = c
			w++
			i++
			continue
		}
		semi := bytes.IndexByte(b[i:], ';')
		if semi < 0 {
			return nil, errorf("%w: an entity without ';'", errXML)
		}
		ent := b[i+1 : i+semi]
		var r rune = -1
		switch string(ent) {
		case "lt":
			r = '<'
		case "gt":
			r = '>'
		case "amp":
			r = '&'
		case "apos":
			r = '\''
		case "quot":
			r = '"'
		default:
			if len(ent) > 1 && ent[0] == '#' {
				base, digits := 10, ent[1:]
				if digits[0] == 'x' {
					base, digits = 16, digits[1:]
				}
				n := uint64(0)
				ok := len(digits) > 0
				for _, d := range digits {
					var v uint64
					switch {
					case '0' <= d && d <= '9':
						v = uint64(d - '0')
					case base == 16 && isHex(d):
						v = uint64(unhex(d))
					default:
						ok = false
					}
					n = n*uint64(base) + v
					if n > utf8.MaxRune {
						ok = false
					}
					if !ok {
						break
					}
				}
				if ok {
					r = rune(n)
					if !utf8.ValidRune(r) {
						r = utf8.RuneError
					}
				}
			}
		}
		if r < 0 {
			return nil, errorf("%w: invalid character entity &%s;", errXML, ent)
		}
		w += utf8.EncodeRune(b[w:], r)
		i += semi + 1
	}
	return b[:w], nil
}
