// Package parse turns the raw text of export cells into Steward values:
// dates, exact amounts in cents, statuses, acknowledgment statuses, gift
// types and booleans.
//
// Everything here is a pure function or a small value type; nothing does I/O.
// Day/month order and the decimal separator are never guessed row by row:
// a DateInferrer or AmountInferrer sees the values of a whole column first
// and decides one DateFormat or AmountFormat for it, which then parses every
// cell. The parsers do not allocate on the common paths.
package parse

import (
	"errors"
	"strconv"
)

// Sentinel errors, tested with errors.Is.
var (
	// ErrAmbiguousDate means day and month cannot be told apart: every
	// value such as 01/02/2024 reads both ways. The fix is a date_format.
	ErrAmbiguousDate = errors.New("ambiguous dates")
	// ErrNotDates means the values of a column are not dates, or read as
	// dates only under contradicting day/month orders.
	ErrNotDates = errors.New("the values are not dates")
	// ErrNotDate means one value is not a date (or not a possible one).
	ErrNotDate = errors.New("not a date")
	// ErrNotAmount means one value is not an amount of money.
	ErrNotAmount = errors.New("not an amount")
)

// ValueError reports one raw value that could not be parsed. Its message
// names the value, for example `"1,2x" is not an amount`; Reason gives the
// same without the value, for counting rejected rows without personal data.
type ValueError struct {
	Value  string // the raw cell text
	Err    error  // ErrNotDate, ErrAmbiguousDate or ErrNotAmount
	Detail string // why, without the value; may be empty
}

// Error returns the value and why it was refused.
func (e *ValueError) Error() string {
	return strconv.Quote(e.Value) + " is " + e.Reason()
}

// Reason returns why the value was refused, without the value itself:
// "not an amount: more than 2 decimal places".
func (e *ValueError) Reason() string {
	s := "not valid"
	switch e.Err {
	case ErrNotDate:
		s = "not a date"
	case ErrAmbiguousDate:
		s = "an ambiguous date"
	case ErrNotAmount:
		s = "not an amount"
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the sentinel error, for errors.Is.
func (e *ValueError) Unwrap() error { return e.Err }

// spaceLen returns the byte length of the space character at the start of
// s (ASCII space or tab, NBSP, narrow NBSP, thin space), or 0.
func spaceLen(s string) int {
	if s == "" {
		return 0
	}
	switch s[0] {
	case ' ', '\t':
		return 1
	case 0xC2:
		if len(s) >= 2 && s[1] == 0xA0 { // U+00A0 NO-BREAK SPACE
			return 2
		}
	case 0xE2:
		if len(s) >= 3 && s[1] == 0x80 && (s[2] == 0xAF || s[2] == 0x89 || s[2] == 0x8A) {
			// U+202F NARROW NO-BREAK SPACE, U+2009 THIN SPACE, U+200A HAIR SPACE
			return 3
		}
	}
	return 0
}

// lastSpaceLen returns the byte length of the space character at the end of
// s, or 0.
func lastSpaceLen(s string) int {
	n := len(s)
	if n == 0 {
		return 0
	}
	switch s[n-1] {
	case ' ', '\t', '\r', '\n':
		return 1
	case 0xA0:
		if n >= 2 && s[n-2] == 0xC2 {
			return 2
		}
	case 0xAF, 0x89, 0x8A:
		if n >= 3 && s[n-3] == 0xE2 && s[n-2] == 0x80 {
			return 3
		}
	}
	return 0
}

// trimSpace removes leading and trailing spaces (see spaceLen) and line
// breaks without allocating.
func trimSpace(s string) string {
	for s != "" {
		if s[0] == '\r' || s[0] == '\n' {
			s = s[1:]
			continue
		}
		n := spaceLen(s)
		if n == 0 {
			break
		}
		s = s[n:]
	}
	for {
		n := lastSpaceLen(s)
		if n == 0 {
			return s
		}
		s = s[:len(s)-n]
	}
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
