package steward

import (
	"testing"
	"time"
)

// TestDateMatchesTime checks the day arithmetic against the time package,
// an independent implementation, over four centuries around today.
func TestDateMatchesTime(t *testing.T) {
	start := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	prev := NewDate(1799, 12, 31)
	for d := start; d.Year() < 2200; d = d.AddDate(0, 0, 1) {
		got := NewDate(d.Year(), d.Month(), d.Day())
		if got != prev+1 {
			t.Fatalf("NewDate(%s) = %d, want %d (the day after)", d.Format("2006-01-02"), got, prev+1)
		}
		prev = got
		y, m, dd := got.Civil()
		if y != d.Year() || m != d.Month() || dd != d.Day() {
			t.Fatalf("Civil(%d) = %d-%d-%d, want %s", got, y, m, dd, d.Format("2006-01-02"))
		}
		if got.Weekday() != d.Weekday() {
			t.Fatalf("%s: Weekday = %v, want %v", d.Format("2006-01-02"), got.Weekday(), d.Weekday())
		}
	}
}

func TestDateKnownValues(t *testing.T) {
	if got := NewDate(1, 1, 1); got != 1 {
		t.Errorf("0001-01-01 = %d, want 1", got)
	}
	if got := NewDate(1970, 1, 1); got != 719163 {
		t.Errorf("1970-01-01 = %d, want 719163", got)
	}
	// 2024 is a leap year: Feb 28 + 2 days = Mar 1.
	if got := NewDate(2024, 2, 28).AddDays(2).String(); got != "2024-03-01" {
		t.Errorf("2024-02-28 + 2 = %s, want 2024-03-01", got)
	}
	// Out-of-range days normalise like time.Date: Jan 32 = Feb 1.
	if got := NewDate(2023, 1, 32).String(); got != "2023-02-01" {
		t.Errorf("2023-01-32 = %s, want 2023-02-01", got)
	}
	if NoDate.String() != "" {
		t.Errorf("NoDate.String() = %q, want empty", NoDate.String())
	}
	d, err := ParseDate("2025-06-30")
	if err != nil || d != NewDate(2025, 6, 30) {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
	if _, err := ParseDate("30/06/2025"); err == nil {
		t.Error("ParseDate(30/06/2025) succeeded")
	}
}

func TestCentsString(t *testing.T) {
	for c, want := range map[Cents]string{0: "0.00", 5: "0.05", -5: "-0.05", 123456: "1234.56", -100: "-1.00"} {
		if got := c.String(); got != want {
			t.Errorf("Cents(%d).String() = %q, want %q", int64(c), got, want)
		}
	}
}

func TestSourceAccounting(t *testing.T) {
	var s Source
	if n := s.ExcludedRows(); n != 0 {
		t.Errorf("ExcludedRows() of an empty source = %d, want 0", n)
	}
	s.Exclude("status Pending")
	s.Exclude("status Pending")
	s.Exclude("pledge")
	if n := s.ExcludedRows(); n != 3 {
		t.Errorf("ExcludedRows() = %d, want 3", n)
	}
	for i := 0; i < MaxRejectsListed+5; i++ {
		s.Reject(Reject{Row: i + 2, Column: "Amount", Value: "x", Reason: "not an amount"})
	}
	if s.Excluded["status Pending"] != 2 || s.Rejected != MaxRejectsListed+5 ||
		len(s.Rejects) != MaxRejectsListed || s.RejectReasons["not an amount"] != MaxRejectsListed+5 {
		t.Errorf("accounting = excluded %v, rejected %d, listed %d", s.Excluded, s.Rejected, len(s.Rejects))
	}
}

// TestNewDateEveryYear: the direct formula of NewDate agrees with
// time.Date on the first and last days of every month of years 1 to 9999,
// and on days time.Date normalises (month 13, day 0, February 30).
func TestNewDateEveryYear(t *testing.T) {
	want := func(y int, m time.Month, d int) Date { // midnights: exact days
		return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400 + daysBeforeUnix + 1)
	}
	for y := 1; y <= 9999; y++ {
		for m := time.January; m <= time.December; m++ {
			for _, d := range []int{1, 28, DaysIn(y, m)} {
				if got := NewDate(y, m, d); got != want(y, m, d) {
					t.Fatalf("NewDate(%d, %d, %d) = %d, want %d", y, m, d, got, want(y, m, d))
				}
			}
		}
	}
	for _, c := range [][3]int{{2023, 13, 1}, {2024, 3, 0}, {2023, 2, 30}, {2024, 0, 15}, {10000, 1, 1}} {
		if got, w := NewDate(c[0], time.Month(c[1]), c[2]), want(c[0], time.Month(c[1]), c[2]); got != w {
			t.Errorf("NewDate(%v) = %d, want %d", c, got, w)
		}
	}
}

func TestDatePlausible(t *testing.T) {
	for _, c := range []struct {
		d    Date
		want bool
	}{
		{NoDate, false},
		{NewDate(1, time.January, 1), false},
		{NewDate(1899, time.December, 30), false}, // Excel's serial 0
		{NewDate(1900, time.December, 31), false},
		{NewDate(1901, time.January, 1), true},
		{NewDate(2024, time.February, 29), true},
		{NewDate(2099, time.December, 31), true},
		{NewDate(2100, time.January, 1), false},
		{NewDate(9999, time.December, 31), false},
	} {
		if got := c.d.Plausible(); got != c.want {
			t.Errorf("%s.Plausible() = %v, want %v", c.d, got, c.want)
		}
	}
}

func TestShown(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"USD", "USD"},
		{"US Dollar", "US Dollar"},
		{"€", "€"},
		{"", `""`},
		{"E\nUR", `"E\nUR"`},
		{"E\rUR", `"E\rUR"`},
		{"a\tb", `"a\tb"`},
		{"a`b", "\"a`b\""},
		{`a"b`, `"a\"b"`},
		{"\x00", `"\x00"`},
		{"\xff", `"\xff"`},
		{"\u2028", `"\u2028"`},
	} {
		if got := Shown(c.in); got != c.want {
			t.Errorf("Shown(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}
