package parse

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"steward"
)

var (
	point = AmountFormat{}
	comma = AmountFormat{DecimalComma: true}
)

func TestAmountFormatParse(t *testing.T) {
	tests := []struct {
		f    AmountFormat
		in   string
		want steward.Cents
		cur  string
	}{
		{point, "1234.5", 123450, ""},
		{point, "1234.50", 123450, ""},
		{point, "125.00", 12500, ""},
		{point, "50.0", 5000, ""},
		{point, "50", 5000, ""},
		{point, "0", 0, ""},
		{point, ".5", 50, ""},
		{point, "0.05", 5, ""},
		{point, "12.500", 1250, ""},
		{point, "12.5000000", 1250, ""},
		{point, "  1234.50  ", 123450, ""},
		{point, "$1,234.56", 123456, ""},
		{point, `$0.00`, 0, ""},
		{point, "1,234,567.89", 123456789, ""},
		{point, "1,234", 123400, ""},
		{point, "1'234.50", 123450, ""},
		{point, "1’234.50", 123450, ""},
		{point, "1 234.50", 123450, ""},
		{point, "(50.00)", -5000, ""},
		{point, "($50.00)", -5000, ""},
		{point, "$(50.00)", -5000, ""},
		{point, "-50", -5000, ""},
		{point, "+50", 5000, ""},
		{point, "50-", -5000, ""},
		{point, "\u221250", -5000, ""},
		{point, "-$50.00", -5000, ""},
		{point, "$-50.00", -5000, ""},
		{point, "-0.00", 0, ""},
		{point, "USD 50", 5000, "USD"},
		{point, "usd 50", 5000, "USD"},
		{point, "50 USD", 5000, "USD"},
		{point, "$10.00 USD", 1000, "USD"},
		{point, "US$10", 1000, "USD"},
		{point, "€50", 5000, "EUR"},
		{point, "£1,000.00", 100000, "GBP"},
		{point, "CHF 1'234.50", 123450, "CHF"},
		{point, "$ -", 0, ""},
		{point, "-", 0, ""},
		{point, "92233720368547758.07", math.MaxInt64, ""},
		{point, "-92233720368547758.07", -math.MaxInt64, ""},
		{comma, "1.234,56", 123456, ""},
		{comma, "1 234,56 EUR", 123456, "EUR"},
		{comma, "1\u00a0234,56\u00a0€", 123456, "EUR"},
		{comma, "1\u202f234,56", 123456, ""},
		{comma, "50 €", 5000, "EUR"},
		{comma, "12,5", 1250, ""},
		{comma, "0,50", 50, ""},
		{comma, ",5", 50, ""},
		{comma, "1.234", 123400, ""},
		{comma, "1.234.567,00", 123456700, ""},
		{comma, "-1.234,56 €", -123456, "EUR"},
		{comma, "50", 5000, ""},
		{point, "50.-", 5000, ""},
		{point, "CHF 1'234.-", 123400, "CHF"},
		{comma, "50,– €", 5000, "EUR"},
		{comma, "-50,-", -5000, ""},
	}
	for _, tt := range tests {
		got, cur, err := tt.f.Parse(tt.in)
		if err != nil || got != tt.want || cur != tt.cur {
			t.Errorf("%v.Parse(%q) = %d, %q, %v; want %d, %q", tt.f, tt.in, got, cur, err, tt.want, tt.cur)
		}
	}
}

func TestAmountFormatParseErrors(t *testing.T) {
	tests := []struct {
		f   AmountFormat
		in  string
		msg string
	}{
		{point, "", `"" is not an amount: empty`},
		{point, "1,2x", `"1,2x" is not an amount`},
		{point, "abc", `"abc" is not an amount`},
		{point, "12.505", `"12.505" is not an amount: more than 2 decimal places`},
		{point, "1.234", `"1.234" is not an amount: more than 2 decimal places`},
		{point, "12,5", `"12,5" is not an amount: digits not grouped by three`},
		{point, "1,2345", `"1,2345" is not an amount: digits not grouped by three`},
		{point, "1234,567", `"1234,567" is not an amount: digits not grouped by three`},
		{point, ",123", `",123" is not an amount: digits not grouped by three`},
		{point, "1.2.3", `"1.2.3" is not an amount: two decimal separators`},
		{point, "1.234,56", `"1.234,56" is not an amount: digits grouped after the decimal separator`},
		{point, "1,234 567", `"1,234 567" is not an amount: mixed group separators`},
		{point, "--5", `"--5" is not an amount: two signs`},
		{point, "-(5)", `"-(5)" is not an amount: two signs`},
		{point, "(5", `"(5" is not an amount: unbalanced parenthesis`},
		{point, "5)", `"5)" is not an amount`},
		{point, "€5 USD", `"€5 USD" is not an amount: two different currencies`},
		{point, "5 XYZ", `"5 XYZ" is not an amount`},
		{point, "$", `"$" is not an amount: no digits`},
		{point, ".", `"." is not an amount: no digits`},
		{point, "1e5", `"1e5" is not an amount`},
		{point, "92233720368547758.08", `"92233720368547758.08" is not an amount: too large`},
		{point, "99999999999999999999999", `"99999999999999999999999" is not an amount: too large`},
		{comma, "1,234", `"1,234" is not an amount: more than 2 decimal places`},
		{comma, "1.234.56", `"1.234.56" is not an amount: digits not grouped by three`},
		{comma, "12.5", `"12.5" is not an amount: digits not grouped by three`},
		{point, "50,-", `"50,-" is not an amount: digits not grouped by three`},
		{comma, "50.-", `"50.-" is not an amount: digits not grouped by three`},
		{point, "50.--", `"50.--" is not an amount: two signs`},
	}
	for _, tt := range tests {
		got, cur, err := tt.f.Parse(tt.in)
		if err == nil || err.Error() != tt.msg || !errors.Is(err, ErrNotAmount) {
			t.Errorf("%v.Parse(%q) = %d, %q, %v; want error %q", tt.f, tt.in, got, cur, err, tt.msg)
		}
	}
}

func TestAmountInferrer(t *testing.T) {
	tests := []struct {
		values  []string
		comma   bool
		decided bool
	}{
		{[]string{"1234.5"}, false, true},
		{[]string{"1,234.56"}, false, true},
		{[]string{"0.50"}, false, true},
		{[]string{"$1,234,567"}, false, true},
		{[]string{"1.234,56"}, true, true},
		{[]string{"12,5"}, true, true},
		{[]string{"0,50"}, true, true},
		{[]string{"0,500"}, true, true},
		{[]string{"1.234.567"}, true, true},
		{[]string{"1 234,56 EUR"}, true, true},
		{[]string{"1,234"}, false, false},
		{[]string{"1.234,56 kr."}, true, true},
		{[]string{"Fr. 1'234.50"}, false, true},
		{[]string{"Fr. 50"}, false, false},
		{[]string{"1.234"}, false, false},
		{[]string{"50", "100"}, false, false},
		{[]string{"1.234", "5,50"}, true, true},
		{[]string{"1,234", "5.50"}, false, true},
		{[]string{"12,5", "1.5", "2.5"}, false, true}, // majority
		{nil, false, false},
	}
	for _, tt := range tests {
		var a AmountInferrer
		for _, v := range tt.values {
			a.Add(v)
		}
		if got := a.Format().DecimalComma; got != tt.comma || a.Decided() != tt.decided {
			t.Errorf("%q: DecimalComma %v decided %v; want %v, %v", tt.values, got, a.Decided(), tt.comma, tt.decided)
		}
	}
}

func TestCentsFromFloat(t *testing.T) {
	tests := []struct {
		v    float64
		want steward.Cents
	}{
		{25.099999999999998, 2510},
		{25.1, 2510},
		{0.1 + 0.2, 30},
		{1.005, 101},
		{-1.005, -101},
		{0.004, 0},
		{0.005, 1},
		{-25.099999999999998, -2510},
		{1234.5, 123450},
		{1e-300, 0},
		{0, 0},
		{1e15, 100000000000000000},
		{8.9e16, 8900000000000000000},
	}
	for _, tt := range tests {
		got, err := CentsFromFloat(tt.v)
		if err != nil || got != tt.want {
			t.Errorf("CentsFromFloat(%v) = %d, %v; want %d", tt.v, got, err, tt.want)
		}
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 9.3e16, -1e19} {
		if got, err := CentsFromFloat(v); err == nil {
			t.Errorf("CentsFromFloat(%v) = %d, want error", v, got)
		}
	}
}

func TestCentsFromNumber(t *testing.T) {
	tests := []struct {
		in   string
		want steward.Cents
	}{
		{"25.099999999999998", 2510},
		{"1.5E+3", 150000},
		{"-0.1", -10},
		{" 125 ", 12500},
	}
	for _, tt := range tests {
		got, err := CentsFromNumber(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("CentsFromNumber(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for in, msg := range map[string]string{
		"abc":  `"abc" is not an amount`,
		"1e20": `"1e20" is not an amount: too large`,
		"NaN":  `"NaN" is not an amount`,
		"Inf":  `"Inf" is not an amount`,
	} {
		_, err := CentsFromNumber(in)
		if err == nil || err.Error() != msg || !errors.Is(err, ErrNotAmount) {
			t.Errorf("CentsFromNumber(%q) error = %v, want %q", in, err, msg)
		}
	}
}

func TestAmountParseAllocs(t *testing.T) {
	for _, s := range []string{"1234.50", "$1,234.56", "(50.00)", "50 USD", "€50"} {
		if n := testing.AllocsPerRun(100, func() { point.Parse(s) }); n != 0 {
			t.Errorf("Parse(%q) allocates %v times", s, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { CentsFromFloat(25.099999999999998) }); n != 0 {
		t.Errorf("CentsFromFloat allocates %v times", n)
	}
}

func BenchmarkAmountParse(b *testing.B) {
	for _, s := range []string{"125.00", "$1,234.56", "1 234,56 EUR"} {
		f := point
		if s == "1 234,56 EUR" {
			f = comma
		}
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				f.Parse(s)
			}
		})
	}
}

// TestQuickAmountMatchesParse: whatever AmountFormat.quick reads, the
// general scan (quick turned off) reads the same, on every string of up to
// 4 characters from digits, separators, signs and spaces, on long digit
// runs around the 15-digit limit, and on random amounts, in both formats.
func TestQuickAmountMatchesParse(t *testing.T) {
	alphabet := []byte("0159.,- $")
	var cases []string
	var gen func(prefix string)
	gen = func(prefix string) {
		cases = append(cases, prefix)
		if len(prefix) == 4 {
			return
		}
		for _, c := range alphabet {
			gen(prefix + string(c))
		}
	}
	gen("")
	for n := 13; n <= 20; n++ {
		d := strings.Repeat("9", n)
		cases = append(cases, d, d+".99", d+".5", "1"+strings.Repeat("0", n-1)+",25")
	}
	rng := rand.New(rand.NewSource(1))
	for range 20000 {
		cases = append(cases, fmt.Sprintf("%d.%02d", rng.Int63n(1e9), rng.Intn(100)), strconv.Itoa(rng.Intn(1e6)),
			fmt.Sprintf("%d,%d", rng.Intn(1e5), rng.Intn(100)))
	}
	quickCount := 0
	for _, f := range []AmountFormat{{}, {DecimalComma: true}} {
		for _, s := range cases {
			c, ok := f.quick(s)
			if !ok {
				continue
			}
			quickCount++
			want, cur, why := f.scan(s)
			if why != "" || cur != "" || want != c {
				t.Fatalf("%v %q: quick %d, parse %d %q %q", f, s, c, want, cur, why)
			}
		}
	}
	if quickCount < 40000 {
		t.Fatalf("quick read only %d of the cases", quickCount)
	}
}
