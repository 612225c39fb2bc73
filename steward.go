// Package steward holds the domain types that every other Steward package
// speaks: gifts, people, engagement events, dates, money and the accounting
// of source files. It imports nothing of ours and no outside library.
//
// The flow is: ingest reads exports and emits these types into a Sink;
// metrics folds them into figures; site and render turn figures into pages.
package steward

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Date is a calendar date with no time of day and no zone, counted in days so
// that 0001-01-01 is 1. The zero Date means "no date".
type Date int32

// NoDate is the zero Date: the value is missing.
const NoDate Date = 0

// daysBeforeUnix is the Date of 1969-12-31, so Date(daysBeforeUnix+1) is
// 1970-01-01.
const daysBeforeUnix = 719162

// NewDate returns the Date of year y, month m, day d. Out-of-range months and
// days are normalised the way time.Date does; callers validate first.
func NewDate(y int, m time.Month, d int) Date {
	if y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && (d <= 28 || d <= DaysIn(y, m)) {
		// The ingest hot path: days before the year, then before the
		// month, with divisions by constants of unsigned numbers.
		py := uint(y - 1)
		n := 365*py + py/4 - py/100 + py/400 + uint(daysBeforeMonth[m]) + uint(d)
		if m > 2 && isLeap(y) {
			n++
		}
		return Date(n)
	}
	// Howard Hinnant's days_from_civil, exact for the proleptic Gregorian
	// calendar, after time.Date's normalisation.
	if m < 1 || m > 12 || d < 1 || d > 28 && d > DaysIn(y, m) {
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		y, m, d = t.Date()
	}
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := yy / 400
	if yy < 0 && yy%400 != 0 {
		era--
	}
	yoe := yy - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	unixDays := era*146097 + doe - 719468
	return Date(unixDays + daysBeforeUnix + 1)
}

// DaysIn returns the number of days in month m (1 to 12) of year y.
func DaysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysBeforeMonth[m] is the number of days before month m in a common year.
var daysBeforeMonth = [13]uint16{0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// Civil returns the year, month and day of d. It is undefined for NoDate.
func (d Date) Civil() (year int, month time.Month, day int) {
	z := int64(d) - daysBeforeUnix - 1 + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd := doy - (153*mp+2)/5 + 1
	mm := mp + 3
	if mm > 12 {
		mm -= 12
	}
	if mm <= 2 {
		y++
	}
	return int(y), time.Month(mm), int(dd)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 0001-01-01 (Date 1) was a Monday.
	return time.Weekday((int64(d) % 7))
}

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time {
	y, m, dd := d.Civil()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

// IsZero reports whether d is NoDate.
func (d Date) IsZero() bool { return d == NoDate }

// String formats d as YYYY-MM-DD, or "" for NoDate.
func (d Date) String() string {
	if d == NoDate {
		return ""
	}
	y, m, dd := d.Civil()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// Plausible reports whether d, not NoDate, can be a real date of a gift, a
// thank-you or an event: from 1901 to 2099. Databases write stand-ins for
// "no date" outside it (0001-01-01, 1899-12-30, 1900-01-01, 9999-12-31),
// and a typed year such as 2205 falls outside it too. Such a date would
// add every fiscal year between it and the real ones to the report, and
// move the as-of date by centuries.
func (d Date) Plausible() bool { return d >= firstPlausible && d <= lastPlausible }

var (
	firstPlausible = NewDate(1901, time.January, 1)
	lastPlausible  = NewDate(2099, time.December, 31)
)

// AddDays returns the date n days after d.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// ParseDate parses an ISO date, YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return NoDate, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// MarshalText writes the date as YYYY-MM-DD (empty for NoDate).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; an empty text is NoDate.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = NoDate
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Cents is an exact amount of money in minor units (cents). Sums of money
// are always sums of Cents, never of floats.
type Cents int64

// Major returns the amount in major units (12345.67) for output only.
func (c Cents) Major() float64 { return float64(c) / 100 }

// String formats c as a plain decimal with two places: "-1234.50".
func (c Cents) String() string {
	neg := c < 0
	u := uint64(c)
	if neg {
		u = uint64(-c)
	}
	s := strconv.FormatUint(u/100, 10) + "." + fmt.Sprintf("%02d", u%100)
	if neg {
		return "-" + s
	}
	return s
}

// Status is what a gift row's status means for counting, after each CRM's
// vocabulary has been mapped (metrics.md section 0).
type Status uint8

// Gift statuses. Only StatusQualifying rows count as gifts.
const (
	StatusQualifying Status = iota // Completed, Closed Won, Posted, Paid, empty...
	StatusPledge                   // a commitment, not cash
	StatusPending                  // pending, in progress, open pipeline
	StatusFailed                   // failed, declined, closed lost
	StatusCancelled                // cancelled, deleted, voided
	StatusRefunded                 // the original row of a refunded gift
	StatusTest                     // test-mode transactions
)

var statusNames = [...]string{"qualifying", "pledge", "pending", "failed", "cancelled", "refunded", "test"}

// String returns the lower-case name of s.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// AckStatus is a gift's acknowledgment status as exported.
type AckStatus uint8

// Acknowledgment statuses. AckUnknown means the export says nothing.
const (
	AckUnknown          AckStatus = iota
	AckAcknowledged               // Acknowledged, Yes, TRUE
	AckToBeAcknowledged           // To Be Acknowledged, Needs Acknowledgement, No
	AckDoNotAcknowledge           // Do Not Acknowledge, Don't Send: not eligible
)

// Gift is one used row of a gift export: a qualifying gift or a refund that
// nets against its donor's period total. Rows that do not count (pledges,
// pending, failed, ...) never become Gifts; ingest counts them as excluded.
type Gift struct {
	Account  string // household / account id, "" when the export has none
	Contact  string // contact / constituent id, "" when the export has none
	Date     Date   // gift date (close date, received date)
	Amount   Cents  // signed: refunds are negative
	Currency string // ISO 4217 code, "" when the export does not say
	Refund   bool   // a refund row: nets against the donor's period total

	AckDate   Date      // thank-you (acknowledgment) date, NoDate when none
	AckStatus AckStatus // acknowledgment status, AckUnknown when none

	Campaign string // campaign / appeal / fund
	Channel  string // payment method or channel
	Type     string // gift type as exported

	Source int // index of the source file in the run
	Row    int // 1-based physical row (CSV line / sheet row) of the record
}

// Person is one row of a people / contacts export: who belongs to which
// household. Stage dates from such a file arrive as Events.
type Person struct {
	ID        string // contact / constituent id
	Household string // household / account id, "" when none
	Created   Date   // record created date, NoDate when none
	Source    int
	Row       int
}

// Event is one dated engagement fact: a person reached a stage or took part
// in an event (signed up, attended, volunteered). Stage date columns of a
// people export become one Event per filled cell, named by the column.
type Event struct {
	Person string // contact id (or household id when that is all there is)
	Name   string // event, stage or column name
	Date   Date
	Source int
	Row    int
}

// Kind is what a source file holds.
type Kind string

// Kinds of source file.
const (
	KindGifts  Kind = "gifts"
	KindPeople Kind = "people"
	KindEvents Kind = "events"
)

// Sink receives the records that ingest reads, one at a time. The pointers
// and the strings in the records are only valid during the call (ingest's
// fast CSV path hands out strings that view its read buffer, which the next
// rows overwrite): a Sink copies what it keeps, strings with strings.Clone.
type Sink interface {
	Gift(*Gift)
	Person(*Person)
	Event(*Event)
}

// Forker is a Sink that can be split so that one file is read on several
// goroutines. Fork returns a new, empty Sink of the same kind that another
// goroutine may feed while the Forker is fed; Join adds everything such a
// forked Sink received to the Forker, as if those records had come after the
// Forker's own. A forked Sink is joined or dropped once (after its
// goroutine is done with it), never used after. Drop tells the Forker that
// the fork's records must not count, which a Forker whose forks share its
// state may no longer be able to undo (see metrics.ErrSpoiled).
type Forker interface {
	Sink
	Fork() Sink
	Join(Sink)
	Drop(Sink)
}

// Column says which export column a field came from.
type Column struct {
	Field  string `json:"field"`            // steward field: donor_id, gift_date, amount, ...
	Header string `json:"column"`           // header text in the export
	Format string `json:"format,omitempty"` // detected value format, e.g. "M/D/YYYY"
}

// Reject is a row that could not be read, with where and why.
type Reject struct {
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

// Source is the accounting of one input file: what it was, how it was read
// and what became of every data row. Rows = Used + sum(Excluded) + Rejected.
type Source struct {
	File      string         `json:"file"`
	SHA256    string         `json:"sha256"`
	Bytes     int64          `json:"bytes"`
	Format    string         `json:"format"` // csv, xlsx
	Encoding  string         `json:"encoding,omitempty"`
	Delimiter string         `json:"delimiter,omitempty"`
	Sheet     string         `json:"sheet,omitempty"`
	HeaderRow int            `json:"header_row"`
	Profile   string         `json:"profile"`
	Kind      Kind           `json:"kind"`
	Columns   []Column       `json:"columns"`
	Rows      int            `json:"rows"`
	Used      int            `json:"used"`
	Excluded  map[string]int `json:"excluded"`
	Rejected  int            `json:"rejected"`
	// DuplicateRows counts used gift rows identical in every field read to
	// an earlier used row of the file; `steward compare` counts them (a
	// double import shows up there, not as a change in giving).
	DuplicateRows int `json:"duplicate_rows,omitempty"`
	// RejectReasons counts rejected rows by reason (no values: those may be
	// personal); Rejects lists the first rejected rows for `steward check`.
	RejectReasons map[string]int `json:"reject_reasons"`
	Rejects       []Reject       `json:"-"`
	Warnings      []string       `json:"warnings"`
}

// Exclude counts one row as excluded by the named rule.
func (s *Source) Exclude(rule string) {
	if s.Excluded == nil {
		s.Excluded = map[string]int{}
	}
	s.Excluded[rule]++
}

// ExcludedRows returns the number of rows excluded by any rule.
func (s *Source) ExcludedRows() int {
	n := 0
	for _, v := range s.Excluded {
		n += v
	}
	return n
}

// MaxRejectsListed bounds Source.Rejects; the counts stay exact.
const MaxRejectsListed = 1000

// Reject counts one row as rejected and lists it while the list is short.
func (s *Source) Reject(r Reject) {
	s.Rejected++
	if s.RejectReasons == nil {
		s.RejectReasons = map[string]int{}
	}
	s.RejectReasons[r.Reason]++
	if len(s.Rejects) < MaxRejectsListed {
		s.Rejects = append(s.Rejects, r)
	}
}

// Shown is a value read from a file as a message or a rule name shows it:
// as it is when every character is printable (spaces included) and none is
// a backquote or double quote, else quoted with Go escapes, so that a cell
// holding a line break or a control character still gives a one-line
// message.
func Shown(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !unicode.IsPrint(r) || r == '`' || r == '"' || r == unicode.ReplacementChar
	}) < 0 {
		return s
	}
	return strconv.Quote(s)
}
