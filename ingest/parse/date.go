package parse

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"steward"
)

// order is the day/month order of numeric dates with the year last.
type order uint8

const (
	orderNone order = iota // unknown: only dates that read the same both ways
	orderMDY               // 1/31/2024
	orderDMY               // 31/01/2024
	orderYMD               // set as YYYY-MM-DD: year-last dates are refused
)

// DateFormat is the decided format of one date column: the day/month order
// of numeric dates and whether Excel serial numbers are dates. Whatever the
// order, a DateFormat also reads ISO dates (2024-01-31, with or without a
// time and zone) and dates with month names (Sep 8, 2021); times and zones
// are dropped, never applied, so the calendar date is the one written.
//
// The zero DateFormat reads only dates whose meaning does not depend on the
// day/month order.
type DateFormat struct {
	// Serial makes plain numbers (45322, 45322.5) Excel serial dates, as
	// XLSX cells hold them.
	Serial bool
	// Date1904 selects the 1904 date system for serial numbers.
	Date1904 bool

	order order
	name  string
}

// String returns the human form of the format, such as "YYYY-MM-DD",
// "M/D/YYYY", "D.M.YYYY", "Mon D, YYYY" or "Excel serial".
func (f DateFormat) String() string {
	if f.name != "" {
		return f.name
	}
	switch f.order {
	case orderMDY:
		return "M/D/YYYY"
	case orderDMY:
		return "D/M/YYYY"
	}
	if f.Serial {
		return "Excel serial"
	}
	return "YYYY-MM-DD"
}

// Order returns the day/month order the format settled: "MDY", "DMY", "YMD"
// (set as YYYY-MM-DD: year-last dates refused) or "" (not settled: only
// dates that read the same either way).
func (f DateFormat) Order() string {
	switch f.order {
	case orderMDY:
		return "MDY"
	case orderDMY:
		return "DMY"
	case orderYMD:
		return "YMD"
	}
	return ""
}

// ParseDateFormat returns the DateFormat named by a date_format setting:
// "YYYY-MM-DD", "MM/DD/YYYY", "M/D/YYYY", "DD/MM/YYYY", "D/M/YYYY",
// "DD.MM.YYYY", "DMY", "MDY" or "YMD", in any case. Only the day/month
// order matters: a DD/MM/YYYY column also reads 31.01.2024 and 31-01-2024.
func ParseDateFormat(name string) (DateFormat, error) {
	n := strings.ToUpper(strings.TrimSpace(name))
	var o order
	switch n {
	case "YYYY-MM-DD", "YYYY/MM/DD", "YYYY.MM.DD", "YMD", "ISO":
		o = orderYMD
	case "MM/DD/YYYY", "M/D/YYYY", "MM-DD-YYYY", "M-D-YYYY", "MM.DD.YYYY",
		"MM/DD/YY", "M/D/YY", "MDY":
		o = orderMDY
	case "DD/MM/YYYY", "D/M/YYYY", "DD.MM.YYYY", "D.M.YYYY", "DD-MM-YYYY",
		"D-M-YYYY", "DD/MM/YY", "D/M/YY", "DD.MM.YY", "DMY":
		o = orderDMY
	default:
		return DateFormat{}, fmt.Errorf("unknown date format %q: use YYYY-MM-DD, MM/DD/YYYY or DD/MM/YYYY (or YMD, MDY, DMY)", name)
	}
	switch n {
	case "YMD", "ISO":
		n = "YYYY-MM-DD"
	case "MDY":
		n = "M/D/YYYY"
	case "DMY":
		n = "D/M/YYYY"
	}
	return DateFormat{order: o, name: n}, nil
}

// Parse returns the date in s. An empty s (or the zero date 0000-00-00) is
// NoDate with no error. A value that is not a date, an impossible date such
// as 2/30/2024, or a date whose day/month order the format does not settle
// gives a *ValueError.
func (f DateFormat) Parse(s string) (steward.Date, error) {
	sc, why := scanDate(s, f.Serial)
	if why != "" {
		return steward.NoDate, &ValueError{Value: s, Err: ErrNotDate, Detail: why}
	}
	switch sc.kind {
	case kEmpty, kZero:
		return steward.NoDate, nil
	case kSerial:
		d, err := ExcelSerial(sc.serial, f.Date1904)
		if err != nil {
			return steward.NoDate, &ValueError{Value: s, Err: ErrNotDate, Detail: err.Error()}
		}
		return d, nil
	case kFixed:
		if why := checkDate(sc.y, sc.p1, sc.p2); why != "" {
			return steward.NoDate, &ValueError{Value: s, Err: ErrNotDate, Detail: why}
		}
		return steward.NewDate(sc.y, time.Month(sc.p1), sc.p2), nil
	}
	// kNum: year last, order decides.
	m, d := sc.p1, sc.p2
	switch f.order {
	case orderDMY:
		m, d = d, m
	case orderYMD:
		return steward.NoDate, &ValueError{Value: s, Err: ErrNotDate, Detail: "not in the form YYYY-MM-DD"}
	case orderNone:
		if m != d {
			return steward.NoDate, &ValueError{Value: s, Err: ErrAmbiguousDate,
				Detail: "day and month order unknown; set date_format: DD/MM/YYYY or MM/DD/YYYY"}
		}
	}
	if why := checkDate(sc.y, m, d); why != "" {
		return steward.NoDate, &ValueError{Value: s, Err: ErrNotDate, Detail: why}
	}
	return steward.NewDate(sc.y, time.Month(m), d), nil
}

// checkDate says why y-m-d is not a date, or "".
func checkDate(y, m, d int) string {
	switch {
	case y < 1 || y > 9999:
		return "year out of range"
	case m < 1 || m > 12:
		return "no such month"
	case d < 1 || d > daysIn(y, m):
		return "no such day in that month"
	}
	return ""
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// ExcelSerial returns the date of an Excel serial number; the fraction (the
// time of day) is dropped. In the 1900 system serial 1 is 1900-01-01 and
// serial 60 is the 1900-02-29 that Lotus 1-2-3 invented and Excel kept: it
// is an error, as is anything below 1. In the 1904 system serial 0 is
// 1904-01-01.
func ExcelSerial(v float64, date1904 bool) (steward.Date, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return steward.NoDate, fmt.Errorf("serial number %v is not a date", v)
	}
	// Excel keeps times to the millisecond; round away float noise such
	// as 45322.99999999999 before dropping the time of day.
	v = math.Round(v*86400000) / 86400000
	n := math.Floor(v)
	var base steward.Date
	if date1904 {
		base = steward.NewDate(1904, time.January, 1)
		if n < 0 {
			return steward.NoDate, fmt.Errorf("serial number %v is before 1904-01-01", v)
		}
	} else {
		switch {
		case n < 1:
			return steward.NoDate, fmt.Errorf("serial number %v is before 1900-01-01", v)
		case n == 60:
			return steward.NoDate, fmt.Errorf("serial number 60 is 1900-02-29, a day that does not exist")
		case n < 60:
			base = steward.NewDate(1899, time.December, 31)
		default:
			base = steward.NewDate(1899, time.December, 30)
		}
	}
	const maxDate = 3652059 // 9999-12-31
	if n > float64(maxDate) {
		return steward.NoDate, fmt.Errorf("serial number %v is after 9999-12-31", v)
	}
	d := base + steward.Date(n)
	if d > maxDate {
		return steward.NoDate, fmt.Errorf("serial number %v is after 9999-12-31", v)
	}
	return d, nil
}

// kind is what scanDate found.
type kind uint8

const (
	kEmpty  kind = iota // empty cell
	kZero               // 0000-00-00, the database "no date"
	kFixed              // y, p1 = month, p2 = day: year first or month name
	kNum                // year last, p1 and p2 are month/day in either order
	kSerial             // Excel serial number
)

// Layout families, for naming a column's format.
const (
	famYMD   uint8 = iota // 2024-01-31
	famNum                // 1/31/2024 or 31/01/2024
	famMonDY              // Sep 8, 2021
	famDMonY              // 8 Sep 2021, 08-Sep-2021
	famYMonD              // 2021-Sep-08
	famSerial
)

// Clock shapes.
const (
	clockNone uint8 = iota
	clockHM
	clockHMS
	clockHMAmPm
	clockHMSAmPm
	clockZoneOnly
)

// layout is the written shape of one value.
type layout struct {
	family uint8
	sep    byte // between date parts
	yy     bool // two-digit year
	clock  uint8
	tsep   byte // 'T' or ' ' between date and time
}

type scanned struct {
	kind   kind
	y      int
	p1, p2 int
	serial float64
	lay    layout
}

// scanDate reads the shape of s without deciding the day/month order. It
// returns a non-empty reason when s cannot be a date.
func scanDate(s string, serial bool) (sc scanned, why string) {
	s = trimSpace(s)
	if s == "" {
		return sc, ""
	}
	if !isDigit(s[0]) {
		if isLetter(s[0]) {
			return scanNamed(s)
		}
		if serial && (s[0] == '-' || s[0] == '.') {
			return scanSerial(s)
		}
		return sc, "unrecognised form"
	}
	i, v1, n1 := number(s, 0)
	if i == len(s) || (s[i] == '.' && allDigits(s[i+1:]) && i+1 < len(s)) {
		if serial {
			return scanSerial(s)
		}
		return sc, "a number, not a date"
	}
	sep := s[i]
	switch sep {
	case '-', '/', '.':
	case ' ':
		return scanNamed(s)
	default:
		return sc, "unrecognised form"
	}
	if i+1 < len(s) && isLetter(s[i+1]) {
		return scanNamed(s)
	}
	j, v2, n2 := number(s, i+1)
	if n2 < 1 || n2 > 2 || j >= len(s) || s[j] != sep {
		return sc, "unrecognised form"
	}
	k, v3, n3 := number(s, j+1)
	switch {
	case n1 == 4 && n3 >= 1 && n3 <= 2:
		sc.kind, sc.y, sc.p1, sc.p2 = kFixed, v1, v2, v3
		sc.lay.family = famYMD
		if v1 == 0 && v2 == 0 && v3 == 0 {
			sc.kind = kZero
		}
	case n1 >= 1 && n1 <= 2 && (n3 == 4 || n3 == 2):
		sc.kind, sc.y, sc.p1, sc.p2 = kNum, v3, v1, v2
		sc.lay.family = famNum
		if n3 == 2 {
			sc.y = pivot(v3)
			sc.lay.yy = true
		}
	default:
		return sc, "unrecognised form"
	}
	sc.lay.sep = sep
	sc.lay.clock, sc.lay.tsep, why = scanClock(s[k:])
	return sc, why
}

// pivot maps a two-digit year: 00-69 is 20xx, 70-99 is 19xx.
func pivot(yy int) int {
	if yy < 70 {
		return 2000 + yy
	}
	return 1900 + yy
}

// number reads up to 9 decimal digits from s[i:]; it returns the index after
// all the digits, their value and how many there were.
func number(s string, i int) (next, v, n int) {
	for i < len(s) && isDigit(s[i]) {
		if n < 9 {
			v = v*10 + int(s[i]-'0')
		}
		n++
		i++
	}
	return i, v, n
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func scanSerial(s string) (sc scanned, why string) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return sc, "unrecognised form"
	}
	sc.kind, sc.serial = kSerial, v
	sc.lay.family = famSerial
	return sc, ""
}

var monthNames = [...]struct {
	name string
	m    int
}{
	{"jan", 1}, {"january", 1}, {"feb", 2}, {"february", 2}, {"mar", 3}, {"march", 3},
	{"apr", 4}, {"april", 4}, {"may", 5}, {"jun", 6}, {"june", 6}, {"jul", 7}, {"july", 7},
	{"aug", 8}, {"august", 8}, {"sep", 9}, {"sept", 9}, {"september", 9},
	{"oct", 10}, {"october", 10}, {"nov", 11}, {"november", 11}, {"dec", 12}, {"december", 12},
}

var weekdayNames = [...]string{
	"mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur",
	"thurs", "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday",
}

func monthOf(w string) int {
	for _, m := range monthNames {
		if strings.EqualFold(w, m.name) {
			return m.m
		}
	}
	return 0
}

func isWeekday(w string) bool {
	for _, n := range weekdayNames {
		if strings.EqualFold(w, n) {
			return true
		}
	}
	return false
}

// scanNamed reads dates with an English month name: "Sep 8, 2021",
// "September 8, 2021", "8 Sep 2021", "08-Sep-2021", "8-Sep-21",
// "2021-Sep-08", optionally after a weekday ("Wed, Sep 8, 2021").
func scanNamed(s string) (sc scanned, why string) {
	var (
		month    int
		nums     [2]int
		digits   [2]int
		nn       int
		tokens   int
		monFirst bool
		sep      byte
	)
	i := 0
	for i < len(s) && (month == 0 || nn < 2) {
		// separators
		start := i
		for i < len(s) {
			c := s[i]
			if c == ',' || c == '-' || c == '.' || c == '/' {
				if sep == 0 && tokens == 1 {
					sep = c
				}
				i++
				continue
			}
			if n := spaceLen(s[i:]); n > 0 {
				if sep == 0 && tokens == 1 {
					sep = ' '
				}
				i += n
				continue
			}
			break
		}
		if i == len(s) {
			break
		}
		if tokens > 0 && i == start {
			return sc, "unrecognised form"
		}
		switch c := s[i]; {
		case isDigit(c):
			if nn == 2 {
				return sc, "unrecognised form"
			}
			j, v, n := number(s, i)
			if n > 4 || (j < len(s) && s[j] == ':') {
				return sc, "unrecognised form"
			}
			nums[nn], digits[nn] = v, n
			nn++
			i = j
		case isLetter(c):
			j := i
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			w := s[i:j]
			if m := monthOf(w); m != 0 && month == 0 {
				month = m
				monFirst = nn == 0
			} else if tokens == 0 && isWeekday(w) {
				i = j // a leading weekday is not a date part
				continue
			} else {
				return sc, "unrecognised form"
			}
			i = j
		default:
			return sc, "unrecognised form"
		}
		tokens++
	}
	if month == 0 || nn < 2 {
		return sc, "unrecognised form"
	}
	sc.kind = kFixed
	sc.p1 = month
	sc.lay.sep = sep
	var day, year, yd int
	switch {
	case monFirst:
		sc.lay.family = famMonDY
		day, year, yd = nums[0], nums[1], digits[1]
		if digits[0] > 2 {
			return sc, "unrecognised form"
		}
	case digits[0] == 4:
		sc.lay.family = famYMonD
		year, yd, day = nums[0], 4, nums[1]
		if digits[1] > 2 {
			return sc, "unrecognised form"
		}
	default:
		sc.lay.family = famDMonY
		day, year, yd = nums[0], nums[1], digits[1]
		if digits[0] > 2 {
			return sc, "unrecognised form"
		}
	}
	switch yd {
	case 4:
	case 2:
		year = pivot(year)
		sc.lay.yy = true
	default:
		return sc, "unrecognised form"
	}
	sc.y, sc.p2 = year, day
	sc.lay.clock, sc.lay.tsep, why = scanClock(s[i:])
	return sc, why
}

// scanClock checks what follows a date: nothing, or a time of day with
// optional seconds, fraction, AM/PM and zone (Z, +02:00, -0500, UTC, EST),
// or a zone alone. The time is checked, then dropped.
func scanClock(r string) (clock uint8, tsep byte, why string) {
	if r == "" {
		return clockNone, 0, ""
	}
	const bad = "unrecognised time of day"
	i := 0
	switch {
	case r[0] == 'T' || r[0] == 't':
		tsep = 'T'
		i = 1
	case r[0] == 'Z' || r[0] == '+' || r[0] == '-':
		if zoneOK(r) {
			return clockZoneOnly, 0, ""
		}
		return 0, 0, bad
	default:
		if r[0] == ',' {
			i++
		}
		for i < len(r) {
			n := spaceLen(r[i:])
			if n == 0 {
				break
			}
			i += n
		}
		if i == 0 {
			return 0, 0, bad
		}
		tsep = ' '
	}
	if i == len(r) {
		return 0, 0, bad
	}
	if !isDigit(r[i]) {
		if tsep == ' ' && zoneOK(r[i:]) {
			return clockZoneOnly, 0, ""
		}
		return 0, 0, bad
	}
	j, h, nh := number(r, i)
	if nh < 1 || nh > 2 || j >= len(r) || r[j] != ':' {
		return 0, 0, bad
	}
	j, m, nm := number(r, j+1)
	if nm != 2 || h > 24 || m > 59 {
		return 0, 0, bad
	}
	clock = clockHM
	if j < len(r) && r[j] == ':' {
		var sec, ns int
		j, sec, ns = number(r, j+1)
		if ns != 2 || sec > 60 {
			return 0, 0, bad
		}
		clock = clockHMS
		if j < len(r) && (r[j] == '.' || r[j] == ',') {
			var nf int
			j, _, nf = number(r, j+1)
			if nf == 0 {
				return 0, 0, bad
			}
		}
	}
	k := j
	for k < len(r) {
		n := spaceLen(r[k:])
		if n == 0 {
			break
		}
		k += n
	}
	if ap := ampmLen(r[k:]); ap > 0 {
		if h < 1 || h > 12 {
			return 0, 0, bad
		}
		clock += clockHMAmPm - clockHM
		j = k + ap
		k = j
		for k < len(r) {
			n := spaceLen(r[k:])
			if n == 0 {
				break
			}
			k += n
		}
	}
	if k == len(r) {
		return clock, tsep, ""
	}
	if k == j && r[k] != 'Z' && r[k] != '+' && r[k] != '-' {
		return 0, 0, bad
	}
	if !zoneOK(r[k:]) {
		return 0, 0, bad
	}
	return clock, tsep, ""
}

// ampmLen returns the length of an AM/PM marker at the start of r.
func ampmLen(r string) int {
	if len(r) >= 4 && (r[0]|0x20 == 'a' || r[0]|0x20 == 'p') && r[1] == '.' && r[2]|0x20 == 'm' && r[3] == '.' {
		return 4
	}
	if len(r) >= 2 && (r[0]|0x20 == 'a' || r[0]|0x20 == 'p') && r[1]|0x20 == 'm' && (len(r) == 2 || !isLetter(r[2])) {
		return 2
	}
	return 0
}

// zoneOK reports whether r is a whole zone: Z, an offset (+02, +02:00,
// -0500) or 2 to 5 capital letters (UTC, EST, CEST), optionally followed by an
// offset (UTC+2, GMT-05:00).
func zoneOK(r string) bool {
	if r == "Z" || r == "z" {
		return true
	}
	i := 0
	for i < len(r) && r[i] >= 'A' && r[i] <= 'Z' {
		i++
	}
	if i == 1 || i > 5 {
		return false
	}
	if i == len(r) {
		return i > 0
	}
	if r[i] != '+' && r[i] != '-' {
		return false
	}
	j, _, n := number(r, i+1)
	switch {
	case n == 1 || n == 2:
		if j == len(r) {
			return true
		}
		if r[j] != ':' {
			return false
		}
		k, _, n2 := number(r, j+1)
		return n2 == 2 && k == len(r)
	case n == 4:
		return j == len(r)
	}
	return false
}

// DateInferrer decides the format of a date column from its values. Feed it
// every value (or every value until Decided), then ask for the Format. The
// zero value is ready to use.
type DateInferrer struct {
	// AllowSerial makes plain numbers Excel serial dates (XLSX cells).
	AllowSerial bool
	// Date1904 selects the 1904 date system for serial numbers.
	Date1904 bool

	n         int // values seen (non-empty)
	fixed     int // order-free dates
	same      int // year-last dates that read the same both ways (5/5/2023)
	mdy, dmy  int // dates that read only one way
	ambiguous int // dates that read two different ways
	invalid   int // not dates at all
	layouts   map[layout]int
	exMDY     []string
	exDMY     []string
	exAmb     []string
	exBad     []string
}

// DecideAfter is the number of order-free values (ISO dates, month names,
// serials) after which a DateInferrer that has seen nothing else counts as
// decided.
const DecideAfter = 1000

// Add observes one raw value; empty values are ignored.
func (d *DateInferrer) Add(s string) {
	sc, why := scanDate(s, d.AllowSerial)
	if why == "" && sc.kind == kEmpty {
		return
	}
	d.n++
	if why != "" {
		d.bad(s)
		return
	}
	switch sc.kind {
	case kZero:
		return
	case kSerial:
		if _, err := ExcelSerial(sc.serial, d.Date1904); err != nil {
			d.bad(s)
			return
		}
		d.fixed++
	case kFixed:
		if checkDate(sc.y, sc.p1, sc.p2) != "" {
			d.bad(s)
			return
		}
		d.fixed++
	case kNum:
		okMDY := checkDate(sc.y, sc.p1, sc.p2) == ""
		okDMY := checkDate(sc.y, sc.p2, sc.p1) == ""
		switch {
		case okMDY && okDMY && sc.p1 == sc.p2:
			d.same++
		case okMDY && okDMY:
			d.ambiguous++
			d.exAmb = example(d.exAmb, s)
		case okMDY:
			d.mdy++
			d.exMDY = example(d.exMDY, s)
		case okDMY:
			d.dmy++
			d.exDMY = example(d.exDMY, s)
		default:
			d.bad(s)
			return
		}
	}
	if d.layouts == nil {
		d.layouts = make(map[layout]int, 4)
	}
	d.layouts[sc.lay]++
}

func (d *DateInferrer) bad(s string) {
	d.invalid++
	d.exBad = example(d.exBad, s)
}

// example adds s to the examples of a message, at most three and each
// once.
func example(ex []string, s string) []string {
	if len(ex) >= 3 {
		return ex
	}
	s = trimSpace(s)
	for _, e := range ex {
		if e == s {
			return ex
		}
	}
	return append(ex, strings.Clone(s))
}

// Decided reports whether more values cannot change the format: a value
// has settled the day/month order (or contradicted it), or DecideAfter
// values have been seen whose meaning does not depend on the order and no
// value that does.
func (d *DateInferrer) Decided() bool {
	if d.mdy > 0 || d.dmy > 0 {
		return true
	}
	return d.ambiguous == 0 && d.same == 0 && d.fixed >= DecideAfter
}

// Format returns the format of the values seen. Its error wraps ErrNotDates
// when most values are not dates or when some read only as month/day and
// others only as day/month, and ErrAmbiguousDate when the day/month order
// was never settled by a value such as 31/01/2024 and some value reads two
// ways. A column with no values gives the zero DateFormat.
func (d *DateInferrer) Format() (DateFormat, error) {
	f := DateFormat{Serial: d.AllowSerial, Date1904: d.Date1904}
	valid := d.fixed + d.same + d.mdy + d.dmy + d.ambiguous
	switch {
	case d.mdy > 0 && d.dmy > 0:
		return f, fmt.Errorf("%w: %q reads only as day/month but %q only as month/day",
			ErrNotDates, d.exDMY[0], d.exMDY[0])
	case d.invalid > valid:
		return f, fmt.Errorf("%w: %s", ErrNotDates, quoteList(d.exBad, "or"))
	case d.mdy > 0:
		f.order = orderMDY
	case d.dmy > 0:
		f.order = orderDMY
	case d.ambiguous > 0:
		return f, fmt.Errorf("%w: %s could be day/month or month/day; set date_format: DD/MM/YYYY or MM/DD/YYYY",
			ErrAmbiguousDate, quoteList(d.exAmb, "and"))
	}
	f.name = d.name(f.order)
	return f, nil
}

func quoteList(ex []string, conj string) string {
	var b strings.Builder
	for i, s := range ex {
		switch {
		case i == 0:
		case i == len(ex)-1:
			b.WriteString(" " + conj + " ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(s))
	}
	return b.String()
}

// name describes the layouts seen, the commonest first.
func (d *DateInferrer) name(o order) string {
	if len(d.layouts) == 0 {
		return ""
	}
	type lc struct {
		name string
		n    int
	}
	counts := map[string]int{}
	for l, n := range d.layouts {
		counts[layoutName(l, o)] += n
	}
	list := make([]lc, 0, len(counts))
	for name, n := range counts {
		list = append(list, lc{name, n})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].n != list[j].n {
			return list[i].n > list[j].n
		}
		return list[i].name < list[j].name
	})
	if len(list) > 3 {
		list = list[:3]
	}
	names := make([]string, len(list))
	for i, x := range list {
		names[i] = x.name
	}
	return strings.Join(names, " + ")
}

func layoutName(l layout, o order) string {
	year := "YYYY"
	if l.yy {
		year = "YY"
	}
	sep := string(l.sep)
	var s string
	switch l.family {
	case famSerial:
		return "Excel serial"
	case famYMD:
		s = "YYYY" + sep + "MM" + sep + "DD"
	case famNum:
		if o == orderDMY || (o != orderMDY && l.sep == '.') {
			s = "D" + sep + "M" + sep + year
		} else {
			s = "M" + sep + "D" + sep + year
		}
	case famMonDY:
		s = "Mon D, " + year
	case famDMonY:
		if l.sep == ' ' || l.sep == 0 {
			s = "D Mon " + year
		} else {
			s = "D" + sep + "Mon" + sep + year
		}
	case famYMonD:
		s = "YYYY" + sep + "Mon" + sep + "DD"
	}
	t := string(l.tsep)
	switch l.clock {
	case clockHM:
		s += t + "HH:MM"
	case clockHMS:
		s += t + "HH:MM:SS"
	case clockHMAmPm:
		s += t + "h:MM AM"
	case clockHMSAmPm:
		s += t + "h:MM:SS AM"
	case clockZoneOnly:
		s += " zone"
	}
	return s
}

// Quick reads the commonest shapes of a date value without the general
// scanner: one or two digits, a separator ('/', '-' or '.'), one or two
// digits, the same separator and four digits (M/D/YYYY or D/M/YYYY, by the
// format's order), or YYYY-MM-DD with one- or two-digit month and day, and
// nothing else. ok is false for any other value and for a value of those
// shapes that is not a date, or whose order the format does not settle:
// Parse then gives the date or the error. When ok, d is what Parse gives.
func (f DateFormat) Quick(s string) (d steward.Date, ok bool) {
	n := len(s)
	if n < 8 || n > 10 || !isDigit(s[0]) {
		return steward.NoDate, false
	}
	var y, m, day int
	if isDigit(s[1]) && isDigit(s[2]) {
		// Three leading digits or more: YYYY-MM-DD only.
		if !isDigit(s[3]) {
			return steward.NoDate, false
		}
		i, v1, n1 := number(s, 0)
		if n1 != 4 {
			return steward.NoDate, false
		}
		sep := s[i]
		if sep != '/' && sep != '-' && sep != '.' {
			return steward.NoDate, false
		}
		j, v2, n2 := number(s, i+1)
		if n2 < 1 || n2 > 2 || j >= n || s[j] != sep {
			return steward.NoDate, false
		}
		k, v3, n3 := number(s, j+1)
		if k != n || n3 < 1 || n3 > 2 {
			return steward.NoDate, false
		}
		y, m, day = v1, v2, v3
	} else {
		// One or two digits, the separator, one or two digits, the
		// separator, four digits. Whether each of the first two fields
		// has one digit or two varies from row to row: they are read
		// without branches, from where the separators must be.
		if f.order != orderMDY && f.order != orderDMY {
			return steward.NoDate, false
		}
		two1 := 0 // the first field has two digits
		if isDigit(s[1]) {
			two1 = 1
		}
		sep := s[1+two1]
		i2 := 2 + two1     // the second field's start
		two2 := n - 6 - i2 // the second field's length - 1: 0 or 1
		if uint(two2) > 1 || (sep != '/' && sep != '-' && sep != '.') || s[n-5] != sep {
			return steward.NoDate, false
		}
		a, b := int(s[0]-'0'), int(s[1]-'0')
		c, e := int(s[i2]-'0'), int(s[i2+1]-'0')
		y0, y1, y2, y3 := s[n-4]-'0', s[n-3]-'0', s[n-2]-'0', s[n-1]-'0'
		if c > 9 || (two2 == 1 && e > 9) || y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 {
			return steward.NoDate, false
		}
		v1 := a + two1*(a*9+b) // a, or 10a+b
		v2 := c + two2*(c*9+e)
		y = int(y0)*1000 + int(y1)*100 + int(y2)*10 + int(y3)
		if f.order == orderMDY {
			m, day = v1, v2
		} else {
			m, day = v2, v1
		}
	}
	if uint(y-quickFirstYear) < uint(len(quickYears)) && uint(m-1) < 12 && day >= 1 {
		// The years of almost every export: a table, not arithmetic.
		yr := &quickYears[y-quickFirstYear]
		if day > int(monthDays[yr.leap][m]) {
			return steward.NoDate, false
		}
		return yr.start + steward.Date(daysBefore[yr.leap][m]) + steward.Date(day), true
	}
	if checkDate(y, m, day) != "" {
		return steward.NoDate, false
	}
	return steward.NewDate(y, time.Month(m), day), true
}

// Quick's tables, for the years quickFirstYear to quickFirstYear+299:
// quickYears[i] is the Date of the day before 1 January of year
// quickFirstYear+i and whether that year is a leap year; monthDays[leap][m]
// is the length of month m and daysBefore[leap][m] the days of the year
// before it. All are worked out from daysIn and steward.NewDate.
var (
	quickYears [300]struct {
		start steward.Date
		leap  uint8
	}
	monthDays  [2][13]uint8
	daysBefore [2][13]uint16
)

const quickFirstYear = 1900

func init() {
	for leap, y := range [2]int{2001, 2000} { // a common year, a leap year
		for m := 1; m <= 12; m++ {
			monthDays[leap][m] = uint8(daysIn(y, m))
			if m < 12 {
				daysBefore[leap][m+1] = daysBefore[leap][m] + uint16(monthDays[leap][m])
			}
		}
	}
	for i := range quickYears {
		y := quickFirstYear + i
		quickYears[i].start = steward.NewDate(y, time.January, 1) - 1
		if daysIn(y, 2) == 29 {
			quickYears[i].leap = 1
		}
	}
}
