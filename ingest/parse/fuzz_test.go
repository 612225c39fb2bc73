package parse

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"steward"
)

func FuzzDateParse(f *testing.F) {
	for _, s := range []string{
		"2024-01-31", "2024-01-31 14:05:00", "2024-01-31T14:05:00.5+02:00", "2024-01-31 23:59 EST",
		"1/31/2024", "01/31/2024 2:05 PM", "31/01/2024", "31.01.2024", "31-01-2024", "1/31/18",
		"Sep 8, 2021", "September 8, 2021", "8 Sep 2021", "08-Sep-2021", "8-Sep-21", "Wed, Sep 8, 2021",
		"2024/01/31", "45322", "45322.5", "-1", "60", "0000-00-00", "2/30/2024", "", "N/A",
		"1/31/2024 12:00 a.m. UTC+2", "2021-Sep-08",
	} {
		f.Add(s)
	}
	formats := []DateFormat{
		{order: orderMDY, Serial: true},
		{order: orderDMY},
		{order: orderYMD, Serial: true, Date1904: true},
		{},
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, df := range formats {
			d, err := df.Parse(s)
			if q, ok := df.Quick(s); ok && (err != nil || q != d) {
				t.Fatalf("%v: Quick(%q) = %v, Parse = %v, %v", df, s, q, d, err)
			}
			if err != nil {
				var ve *ValueError
				if !errors.As(err, &ve) || ve.Value != s {
					t.Fatalf("Parse(%q) error %v is not a *ValueError for the value", s, err)
				}
				if !errors.Is(err, ErrNotDate) && !errors.Is(err, ErrAmbiguousDate) {
					t.Fatalf("Parse(%q) error %v wraps no sentinel", s, err)
				}
				continue
			}
			if d == steward.NoDate {
				continue
			}
			iso := d.String()
			back, err := DateFormat{}.Parse(iso)
			if err != nil || back != d {
				t.Fatalf("Parse(%q) = %v; ISO %q reads back as %v, %v", s, d, iso, back, err)
			}
			if std, err := steward.ParseDate(iso); err != nil || std != d {
				t.Fatalf("Parse(%q) = %v, steward.ParseDate(%q) = %v, %v", s, d, iso, std, err)
			}
		}
		// The order, when set, only ever swaps day and month.
		m, errM := DateFormat{order: orderMDY}.Parse(s)
		dm, errD := DateFormat{order: orderDMY}.Parse(s)
		if errM == nil && errD == nil && m != dm {
			y1, m1, d1 := m.Civil()
			y2, m2, d2 := dm.Civil()
			if y1 != y2 || int(m1) != d2 || d1 != int(m2) {
				t.Fatalf("%q: M/D gives %v, D/M gives %v", s, m, dm)
			}
		}
		// The vocabularies take any text.
		Status(s)
		AckStatus(s)
		GiftType(s)
		Bool(s)
		inf := DateInferrer{AllowSerial: true}
		inf.Add(s)
		inf.Add(s)
		inf.Decided()
		if df, err := inf.Format(); err == nil {
			df.Parse(s)
		}
	})
}

var plainDecimal = regexp.MustCompile(`^-?[0-9]{1,15}(\.[0-9]{0,6})?$`)

func FuzzAmountParse(f *testing.F) {
	for _, s := range []string{
		"1234.5", "1234.50", "$1,234.56", "1.234,56", "1 234,56 EUR", "1\u00a0234,56", "1\u202f234,56",
		"€50", "50 €", "(50.00)", "-50", "-$50.00", "$-50.00", "USD 50", "1'234.50", " 50.0 ", ".5",
		"12.500", "12.505", "1,2x", "$ -", "92233720368547758.07", "92233720368547758.08", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, af := range []AmountFormat{{}, {DecimalComma: true}} {
			c, cur, err := af.Parse(s)
			if err != nil {
				if !errors.Is(err, ErrNotAmount) || c != 0 || cur != "" {
					t.Fatalf("%v.Parse(%q) = %d, %q, %v", af, s, c, cur, err)
				}
				continue
			}
			if cur != "" && (len(cur) != 3 || cur != strings.ToUpper(cur)) {
				t.Fatalf("%v.Parse(%q) currency %q", af, s, cur)
			}
			back, bcur, err := AmountFormat{}.Parse(c.String())
			if err != nil || back != c || bcur != "" {
				t.Fatalf("%v.Parse(%q) = %d; %q reads back as %d, %q, %v", af, s, c, c.String(), back, bcur, err)
			}
		}
		// Plain decimals agree with shopspring/decimal.
		if plainDecimal.MatchString(s) {
			want, err := decimal.NewFromString(s)
			if err != nil {
				t.Fatalf("decimal.NewFromString(%q): %v", s, err)
			}
			c, _, err := AmountFormat{}.Parse(s)
			scaled := want.Shift(2)
			switch {
			case !scaled.IsInteger():
				if err == nil {
					t.Fatalf("Parse(%q) = %d, want an error for sub-cent digits", s, c)
				}
			case err != nil || scaled.IntPart() != int64(c):
				t.Fatalf("Parse(%q) = %d, %v; decimal says %s", s, c, err, scaled)
			}
		}
		var a AmountInferrer
		a.Add(s)
		a.Decided()
		a.Format()
	})
}
