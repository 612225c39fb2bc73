// Package ingest reads donor-database exports (CSV and XLSX, as they come out
// of the CRM) and emits steward Gifts, People and Events into a Sink, one
// record at a time, with an exact accounting of every data row.
package ingest

import (
	"errors"
	"io"
	"strings"

	"steward"
)

// Options say how to read one file. The zero value detects everything.
type Options struct {
	Name      string       // file name used in messages and in Source.File
	Kind      steward.Kind // "" detects gifts / people / events from the headers
	Format    string       // "csv" or "xlsx"; "" detects from the content
	Encoding  string       // "", "utf-8", "utf-16le", "utf-16be", "windows-1252"
	Delimiter rune         // 0 sniffs comma, semicolon, tab, pipe
	Sheet     string       // XLSX sheet; "" picks the sheet with the data
	HeaderRow int          // 1-based header row; 0 finds it below title rows
	Profile   string       // force a built-in profile by name; "" detects

	// Columns maps steward field names (donor_id, contact_id, gift_date,
	// amount, currency, status, gift_type, ack_date, ack_status, campaign,
	// payment_method, refund, person_id, household_id, created_date,
	// event, event_date, stage, stage_date; also donor_email, hashed into
	// an opaque donor key when there is no id, to_email, the donor of a
	// refund row when there is no id (PayPal), receipt_date, refunded (a
	// flag on the original row), refunded_amount and test) to header text.
	// They override the profile's mapping; matching ignores case, spaces
	// and punctuation.
	Columns map[string]string
	// StageColumns are date columns of a people file that each become an
	// Event named by the column header (e.g. "Email Opt-In Date").
	StageColumns []string

	DateFormat   string            // "" infers per column; e.g. "DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "DD.MM.YYYY"
	DecimalComma *bool             // nil infers from the amount column
	Statuses     map[string]string // raw status -> qualifying|pledge|pending|failed|cancelled|refunded|test
	Filters      []Filter          // rows must pass every filter, else excluded by the filter's rule
	Currency     string            // keep only gifts in this currency; others excluded
	AckField     string            // "thankyou" (default) or "receipt": use the receipt date as the thank-you

	MaxFieldBytes int // 0: 1 MiB; a longer field is an error

	// TmpDir is the temporary folder handed to excelize; "" is the
	// system's. Nothing is unpacked to disk: worksheets and shared
	// strings are streamed from the zip, and excelize is given only the
	// workbook's other parts up to 16 MiB, which it holds in memory.
	TmpDir string

	SourceIndex int // stored in the Source field of every emitted record

	// Hash, when set, is written every byte of the file, in order, by the
	// time Read returns with no error (steward build's SHA-256): on a
	// goroutine of its own, or on the goroutine that reads the second part
	// of a big CSV file (see hashFeed).
	Hash io.Writer
}

// Filter keeps only rows whose Column holds one of Values (case-insensitive).
type Filter struct {
	Column string
	Values []string
}

// Error is a data error that stops reading a file, with the spot a person can
// find: file, row (1-based, 0 when none) and column ("" when none).
type Error struct {
	File   string
	Row    int
	Column string
	Err    error
}

func (e *Error) Error() string {
	s := e.File
	if e.Row > 0 {
		s += ": row " + itoa(e.Row)
	}
	if e.Column != "" {
		if e.Row > 0 {
			s += ", column " + quote(e.Column)
		} else {
			s += ": column " + quote(e.Column)
		}
	}
	// The messages quote the values they take from the file (steward.Shown);
	// a line break that still comes through, from a library's message,
	// is shown escaped, so that the error stays one line.
	return s + ": " + lineBreaks.Replace(e.Err.Error())
}

var lineBreaks = strings.NewReplacer("\r\n", `\r\n`, "\n", `\n`, "\r", `\r`)

// Unwrap returns the underlying error, for errors.Is.
func (e *Error) Unwrap() error { return e.Err }

// Sentinel errors, tested with errors.Is.
var (
	ErrEmpty         = errors.New("the file is empty")
	ErrNoHeader      = errors.New("no header row with known columns was found")
	ErrLegacyXLS     = errors.New("this is a legacy Excel 97-2003 .xls workbook; open it in Excel or LibreOffice and save it as .xlsx or .csv")
	ErrEncrypted     = errors.New("this workbook is password-protected; open it, remove the password (File > Info > Protect Workbook) and save it again")
	ErrAmbiguous     = errors.New("the date column is ambiguous")
	ErrNoGiftDate    = errors.New("no gift date column was found")
	ErrNoAmount      = errors.New("no amount column was found")
	ErrMixedCurrency = errors.New("more than one currency")
	ErrFieldTooLong  = errors.New("a field is too long")
	ErrRecordTooLong = errors.New("a row is too long")
	ErrBinary        = errors.New("this is not a CSV or XLSX file (it holds binary data)")
	ErrBadWorkbook   = errors.New("the workbook is damaged or incomplete")
	ErrTooLarge      = errors.New("the workbook is too large")
	ErrNotWorkbook   = errors.New("this zip file is not an XLSX workbook")
)

// errEmptyFile is ErrEmpty with what to do about it.
var errEmptyFile = errorf("%w; export the data again from the CRM", ErrEmpty)
