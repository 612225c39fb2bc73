package parse

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"steward"
)

func d(y int, m time.Month, day int) steward.Date { return steward.NewDate(y, m, day) }

var (
	mdy      = DateFormat{order: orderMDY}
	dmy      = DateFormat{order: orderDMY}
	ymd      = DateFormat{order: orderYMD}
	anyOrder = DateFormat{}
)

func TestDateFormatParse(t *testing.T) {
	jan31 := d(2024, time.January, 31)
	sep8 := d(2021, time.September, 8)
	tests := []struct {
		f    DateFormat
		in   string
		want steward.Date
	}{
		// Empty and the database zero date are no date.
		{anyOrder, "", steward.NoDate},
		{anyOrder, "   ", steward.NoDate},
		{anyOrder, "0000-00-00", steward.NoDate},
		{anyOrder, "0000-00-00 00:00:00", steward.NoDate},
		// ISO, with times, fractions and zones: the date as written.
		{anyOrder, "2024-01-31", jan31},
		{anyOrder, " 2024-01-31 ", jan31},
		{anyOrder, "2024-1-5", d(2024, time.January, 5)},
		{anyOrder, "2024/01/31", jan31},
		{anyOrder, "2024-01-31 14:05:00", jan31},
		{anyOrder, "2024-01-31T14:05:00", jan31},
		{anyOrder, "2024-01-31T14:05", jan31},
		{anyOrder, "2024-01-31T14:05:00.123456", jan31},
		{anyOrder, "2024-01-31 00:00:00.000000", jan31},
		{anyOrder, "2024-01-31T23:59:59Z", jan31},
		{anyOrder, "2024-01-31T23:59:59+02:00", jan31},
		{anyOrder, "2024-01-31T23:59:59-0500", jan31},
		{anyOrder, "2024-01-31 23:59:59 UTC", jan31},
		{anyOrder, "2024-01-31 23:59 EST", jan31},
		{anyOrder, "2024-01-31 23:59:59 GMT-05:00", jan31},
		{anyOrder, "2024-01-31Z", jan31},
		{anyOrder, "2024-01-31 UTC", jan31},
		{anyOrder, "2024-02-29", d(2024, time.February, 29)},
		{anyOrder, "2000-02-29", d(2000, time.February, 29)},
		// US order.
		{mdy, "1/31/2024", jan31},
		{mdy, "01/31/2024", jan31},
		{mdy, "1/31/2024 2:05 PM", jan31},
		{mdy, "1/31/2024 2:05:09 pm", jan31},
		{mdy, "1/31/2024 12:05 a.m.", jan31},
		{mdy, "1/31/2024 14:05", jan31},
		{mdy, "1/31/18", d(2018, time.January, 31)},
		{mdy, "1/31/69", d(2069, time.January, 31)},
		{mdy, "1/31/70", d(1970, time.January, 31)},
		{mdy, "12/1/99", d(1999, time.December, 1)},
		{mdy, "2/3/2024", d(2024, time.February, 3)},
		{mdy, "01-31-2024", jan31},
		// European order.
		{dmy, "31/01/2024", jan31},
		{dmy, "31.01.2024", jan31},
		{dmy, "31-01-2024", jan31},
		{dmy, "31.01.2024 14:05", jan31},
		{dmy, "2/3/2024", d(2024, time.March, 2)},
		{dmy, "31/1/24", jan31},
		// Order-free values read under any order.
		{dmy, "2024-01-31", jan31},
		{mdy, "Sep 8, 2021", sep8},
		{anyOrder, "5/5/2023", d(2023, time.May, 5)},
		// Month names.
		{anyOrder, "Sep 8, 2021", sep8},
		{anyOrder, "Sept 8, 2021", sep8},
		{anyOrder, "Sept. 8, 2021", sep8},
		{anyOrder, "September 8, 2021", sep8},
		{anyOrder, "SEPTEMBER 8 2021", sep8},
		{anyOrder, "Wednesday, September 8, 2021", sep8},
		{anyOrder, "Wed Sep 8, 2021", sep8},
		{anyOrder, "8 Sep 2021", sep8},
		{anyOrder, "8 September 2021", sep8},
		{anyOrder, "08-Sep-2021", sep8},
		{anyOrder, "8-Sep-21", sep8},
		{anyOrder, "8-sep-21", sep8},
		{anyOrder, "2021-Sep-08", sep8},
		{anyOrder, "Sep 8, 2021 2:05 PM", sep8},
		{anyOrder, "Sep 8, 2021, 14:05", sep8},
		{anyOrder, "May 31, 1999", d(1999, time.May, 31)},
		// Serial numbers when allowed.
		{DateFormat{Serial: true}, "45322", jan31},
		{DateFormat{Serial: true}, "45322.5", jan31},
		{DateFormat{Serial: true}, "45322.999", jan31},
		{DateFormat{Serial: true, Date1904: true}, "0", d(1904, time.January, 1)},
		{DateFormat{Serial: true, order: orderMDY}, "1/31/2024", jan31},
		// Configured ISO still reads month names.
		{ymd, "2024-01-31", jan31},
		{ymd, "8 Sep 2021", sep8},
	}
	for _, tt := range tests {
		got, err := tt.f.Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("%v.Parse(%q) = %v, %v; want %v", tt.f.order, tt.in, got, err, tt.want)
		}
	}
}

func TestDateFormatParseErrors(t *testing.T) {
	tests := []struct {
		f        DateFormat
		in       string
		sentinel error
		msg      string
	}{
		{mdy, "2/30/2024", ErrNotDate, `"2/30/2024" is not a date: no such day in that month`},
		{mdy, "2/29/2023", ErrNotDate, `"2/29/2023" is not a date: no such day in that month`},
		{mdy, "13/01/2024", ErrNotDate, `"13/01/2024" is not a date: no such month`},
		{dmy, "1/31/2024", ErrNotDate, `"1/31/2024" is not a date: no such month`},
		{dmy, "31/04/2024", ErrNotDate, `"31/04/2024" is not a date: no such day in that month`},
		{anyOrder, "2024-13-01", ErrNotDate, `"2024-13-01" is not a date: no such month`},
		{anyOrder, "2024-02-30", ErrNotDate, `"2024-02-30" is not a date: no such day in that month`},
		{anyOrder, "1900-02-29", ErrNotDate, `"1900-02-29" is not a date: no such day in that month`},
		{anyOrder, "0000-01-01", ErrNotDate, `"0000-01-01" is not a date: year out of range`},
		{anyOrder, "Feb 30, 2024", ErrNotDate, `"Feb 30, 2024" is not a date: no such day in that month`},
		{anyOrder, "1/2/2024", ErrAmbiguousDate, `"1/2/2024" is an ambiguous date: day and month order unknown; set date_format: DD/MM/YYYY or MM/DD/YYYY`},
		{ymd, "1/31/2024", ErrNotDate, `"1/31/2024" is not a date: not in the form YYYY-MM-DD`},
		{anyOrder, "45322", ErrNotDate, `"45322" is not a date: a number, not a date`},
		{DateFormat{Serial: true}, "60", ErrNotDate, `"60" is not a date: serial number 60 is 1900-02-29, a day that does not exist`},
		{DateFormat{Serial: true}, "0.5", ErrNotDate, `"0.5" is not a date: serial number 0.5 is before 1900-01-01`},
		{anyOrder, "N/A", ErrNotDate, `"N/A" is not a date: unrecognised form`},
		{anyOrder, "yesterday", ErrNotDate, `"yesterday" is not a date: unrecognised form`},
		{anyOrder, "2024-01-31 foo", ErrNotDate, `"2024-01-31 foo" is not a date: unrecognised time of day`},
		{anyOrder, "2024-01-31 25:00", ErrNotDate, `"2024-01-31 25:00" is not a date: unrecognised time of day`},
		{mdy, "1/31/2024 13:05 PM", ErrNotDate, `"1/31/2024 13:05 PM" is not a date: unrecognised time of day`},
		{anyOrder, "2024-01-31T", ErrNotDate, `"2024-01-31T" is not a date: unrecognised time of day`},
		{mdy, "1/31/202", ErrNotDate, `"1/31/202" is not a date: unrecognised form`},
		{mdy, "1/31-2024", ErrNotDate, `"1/31-2024" is not a date: unrecognised form`},
		{anyOrder, "Sep 2021", ErrNotDate, `"Sep 2021" is not a date: unrecognised form`},
		{anyOrder, "Sep Oct 8 2021", ErrNotDate, `"Sep Oct 8 2021" is not a date: unrecognised form`},
		{anyOrder, "Sep 8, 202", ErrNotDate, `"Sep 8, 202" is not a date: unrecognised form`},
	}
	for _, tt := range tests {
		got, err := tt.f.Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want error", tt.in, got)
			continue
		}
		if !errors.Is(err, tt.sentinel) || err.Error() != tt.msg {
			t.Errorf("Parse(%q) error = %q, want %q wrapping %v", tt.in, err, tt.msg, tt.sentinel)
		}
		var ve *ValueError
		if !errors.As(err, &ve) || ve.Value != tt.in {
			t.Errorf("Parse(%q) error %T does not carry the value", tt.in, err)
		}
	}
}

func TestValueErrorReason(t *testing.T) {
	_, err := mdy.Parse("2/30/2024")
	var ve *ValueError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T is not a *ValueError", err)
	}
	if got, want := ve.Reason(), "not a date: no such day in that month"; got != want {
		t.Errorf("Reason() = %q, want %q", got, want)
	}
}

func TestExcelSerial(t *testing.T) {
	tests := []struct {
		v        float64
		date1904 bool
		want     steward.Date
	}{
		{45322, false, d(2024, time.January, 31)},
		{45322.75, false, d(2024, time.January, 31)},
		{45322.99999999999, false, d(2024, time.February, 1)}, // float noise of midnight
		{45292, false, d(2024, time.January, 1)},
		{1, false, d(1900, time.January, 1)},
		{59, false, d(1900, time.February, 28)},
		{61, false, d(1900, time.March, 1)},
		{2958465, false, d(9999, time.December, 31)},
		{0, true, d(1904, time.January, 1)},
		{1, true, d(1904, time.January, 2)},
		{43860, true, d(2024, time.January, 31)}, // 45322 - 1462
	}
	for _, tt := range tests {
		got, err := ExcelSerial(tt.v, tt.date1904)
		if err != nil || got != tt.want {
			t.Errorf("ExcelSerial(%v, %v) = %v, %v; want %v", tt.v, tt.date1904, got, err, tt.want)
		}
	}
	bad := []struct {
		v        float64
		date1904 bool
		msg      string
	}{
		{60, false, "serial number 60 is 1900-02-29, a day that does not exist"},
		{0, false, "serial number 0 is before 1900-01-01"},
		{-1, true, "serial number -1 is before 1904-01-01"},
		{2958466, false, "serial number 2.958466e+06 is after 9999-12-31"},
		{math.NaN(), false, "serial number NaN is not a date"},
		{math.Inf(1), false, "serial number +Inf is not a date"},
	}
	for _, tt := range bad {
		got, err := ExcelSerial(tt.v, tt.date1904)
		if err == nil || err.Error() != tt.msg {
			t.Errorf("ExcelSerial(%v, %v) = %v, %v; want error %q", tt.v, tt.date1904, got, err, tt.msg)
		}
	}
}

func TestParseDateFormat(t *testing.T) {
	tests := []struct {
		name  string
		order order
		str   string
	}{
		{"YYYY-MM-DD", orderYMD, "YYYY-MM-DD"},
		{"ymd", orderYMD, "YYYY-MM-DD"},
		{"MM/DD/YYYY", orderMDY, "MM/DD/YYYY"},
		{"m/d/yyyy", orderMDY, "M/D/YYYY"},
		{"MDY", orderMDY, "M/D/YYYY"},
		{"DD/MM/YYYY", orderDMY, "DD/MM/YYYY"},
		{"D/M/YYYY", orderDMY, "D/M/YYYY"},
		{" dd.mm.yyyy ", orderDMY, "DD.MM.YYYY"},
		{"dmy", orderDMY, "D/M/YYYY"},
	}
	for _, tt := range tests {
		f, err := ParseDateFormat(tt.name)
		if err != nil || f.order != tt.order || f.String() != tt.str || f.Order() != [...]string{"", "MDY", "DMY", "YMD"}[tt.order] {
			t.Errorf("ParseDateFormat(%q) = %v (order %d), %v; want %s (order %d)", tt.name, f, f.order, err, tt.str, tt.order)
		}
	}
	_, err := ParseDateFormat("DD/MM")
	if want := `unknown date format "DD/MM": use YYYY-MM-DD, MM/DD/YYYY or DD/MM/YYYY (or YMD, MDY, DMY)`; err == nil || err.Error() != want {
		t.Errorf("ParseDateFormat(DD/MM) error = %v, want %q", err, want)
	}
	// A configured D/M column reads dotted and dashed values too.
	f, _ := ParseDateFormat("DD/MM/YYYY")
	if got, err := f.Parse("31.01.2024"); err != nil || got != d(2024, time.January, 31) {
		t.Errorf("DD/MM/YYYY Parse(31.01.2024) = %v, %v", got, err)
	}
}

func infer(serial bool, values ...string) (DateFormat, error, bool) {
	inf := DateInferrer{AllowSerial: serial}
	for _, v := range values {
		inf.Add(v)
	}
	f, err := inf.Format()
	return f, err, inf.Decided()
}

func TestDateInferrer(t *testing.T) {
	tests := []struct {
		name    string
		serial  bool
		values  []string
		order   order
		str     string
		decided bool
	}{
		{"iso", false, []string{"2024-01-31", "", "2023-12-01"}, orderNone, "YYYY-MM-DD", false},
		{"civicrm", false, []string{"2024-01-31 14:05:00", "2024-02-01 09:00:00"}, orderNone, "YYYY-MM-DD HH:MM:SS", false},
		{"iso T", false, []string{"2025-02-01T21:02:19"}, orderNone, "YYYY-MM-DDTHH:MM:SS", false},
		{"us settled late", false, []string{"1/2/2024", "3/4/2024", "12/31/2024"}, orderMDY, "M/D/YYYY", true},
		{"eu settled", false, []string{"01/02/2024", "13/02/2024"}, orderDMY, "D/M/YYYY", true},
		{"eu dots", false, []string{"01.02.2024", "31.01.2024"}, orderDMY, "D.M.YYYY", true},
		{"us two-digit", false, []string{"1/31/18", "2/1/18"}, orderMDY, "M/D/YY", true},
		{"us with time", false, []string{"1/31/2024 2:05 PM", "2/1/2024 9:00 AM"}, orderMDY, "M/D/YYYY h:MM AM", true},
		{"same both ways", false, []string{"1/1/2024", "5/5/2023", "12/12/2022"}, orderNone, "M/D/YYYY", false},
		{"month names", false, []string{"Sep 8, 2021", "Oct 10, 2021"}, orderNone, "Mon D, YYYY", false},
		{"dd-mon-yyyy", false, []string{"08-Sep-2021"}, orderNone, "D-Mon-YYYY", false},
		{"serials", true, []string{"45322", "45323.5"}, orderNone, "Excel serial", false},
		{"serials and text", true, []string{"45322", "45323", "1/31/2024"}, orderMDY, "Excel serial + M/D/YYYY", true},
		{"mixed iso and us", false, []string{"2024-01-31", "1/31/2024", "2/1/2024"}, orderMDY, "M/D/YYYY + YYYY-MM-DD", true},
		{"a stray bad value", false, []string{"1/31/2024", "TBD", "2/1/2024"}, orderMDY, "M/D/YYYY", true},
		{"empty column", false, []string{"", " "}, orderNone, "YYYY-MM-DD", false},
	}
	for _, tt := range tests {
		f, err, decided := infer(tt.serial, tt.values...)
		if err != nil {
			t.Errorf("%s: Format() error %v", tt.name, err)
			continue
		}
		if f.order != tt.order || f.String() != tt.str || decided != tt.decided {
			t.Errorf("%s: got order %d %q decided %v; want order %d %q decided %v",
				tt.name, f.order, f.String(), decided, tt.order, tt.str, tt.decided)
		}
		if f.Serial != tt.serial {
			t.Errorf("%s: Serial = %v", tt.name, f.Serial)
		}
	}
}

func TestDateInferrerErrors(t *testing.T) {
	tests := []struct {
		name     string
		values   []string
		sentinel error
		msg      string
	}{
		{"ambiguous", []string{"01/02/2024", "03/04/2024", "05/06/2024", "07/08/2024", "1/1/2024"}, ErrAmbiguousDate,
			`ambiguous dates: "01/02/2024", "03/04/2024" and "05/06/2024" could be day/month or month/day; set date_format: DD/MM/YYYY or MM/DD/YYYY`},
		{"ambiguous examples once each", []string{"03/04/2024", "03/04/2024", " 03/04/2024", "01/02/2024"}, ErrAmbiguousDate,
			`ambiguous dates: "03/04/2024" and "01/02/2024" could be day/month or month/day; set date_format: DD/MM/YYYY or MM/DD/YYYY`},
		{"ambiguous one", []string{"2024-01-05", "3/4/2024"}, ErrAmbiguousDate,
			`ambiguous dates: "3/4/2024" could be day/month or month/day; set date_format: DD/MM/YYYY or MM/DD/YYYY`},
		{"conflict", []string{"1/2/2024", "1/31/2024", "31/1/2024"}, ErrNotDates,
			`the values are not dates: "31/1/2024" reads only as day/month but "1/31/2024" only as month/day`},
		{"not dates", []string{"abc", "12.5", "1/31/2024", "x"}, ErrNotDates,
			`the values are not dates: "abc", "12.5" or "x"`},
		{"numbers without serial", []string{"45322", "45323"}, ErrNotDates,
			`the values are not dates: "45322" or "45323"`},
		{"impossible", []string{"2/30/2024"}, ErrNotDates, `the values are not dates: "2/30/2024"`},
	}
	for _, tt := range tests {
		_, err, _ := infer(false, tt.values...)
		if err == nil || !errors.Is(err, tt.sentinel) || err.Error() != tt.msg {
			t.Errorf("%s: Format() error = %v\nwant %q wrapping %v", tt.name, err, tt.msg, tt.sentinel)
		}
	}
}

func TestDateInferrerDecidedAfterISO(t *testing.T) {
	var inf DateInferrer
	for i := 0; i < DecideAfter; i++ {
		if inf.Decided() {
			t.Fatalf("decided after %d ISO values, want %d", i, DecideAfter)
		}
		inf.Add("2024-01-31")
	}
	if !inf.Decided() {
		t.Errorf("not decided after %d ISO values", DecideAfter)
	}
}

func TestDateParseAllocs(t *testing.T) {
	f := DateFormat{order: orderMDY}
	for _, s := range []string{"2024-01-31", "1/31/2024", "2024-01-31 14:05:00", "Sep 8, 2021"} {
		if n := testing.AllocsPerRun(100, func() { f.Parse(s) }); n != 0 {
			t.Errorf("Parse(%q) allocates %v times", s, n)
		}
	}
	var inf DateInferrer
	inf.Add("1/31/2024")
	if n := testing.AllocsPerRun(100, func() { inf.Add("2/1/2024") }); n != 0 {
		t.Errorf("DateInferrer.Add allocates %v times", n)
	}
}

func BenchmarkDateParse(b *testing.B) {
	f := DateFormat{order: orderMDY}
	for _, s := range []string{"2024-01-31", "1/31/2024", "2024-01-31 14:05:00"} {
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				f.Parse(s)
			}
		})
	}
}

// BenchmarkDateQuick reads 4096 different M/D/YYYY dates in random order,
// as in a real export's date column (gifts in no date order), so that the
// branches are not learnt by heart.
func BenchmarkDateQuick(b *testing.B) {
	f := DateFormat{order: orderMDY}
	vs := make([]string, 4096)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range vs {
		t := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(4000))
		vs[i] = t.Format("1/2/2006")
	}
	i := 0
	for b.Loop() {
		if _, ok := f.Quick(vs[i&4095]); !ok {
			b.Fatal(vs[i&4095])
		}
		i++
	}
}
