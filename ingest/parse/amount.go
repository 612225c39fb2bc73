package parse

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"steward"
)

// AmountFormat is the decided number format of one amount column.
type AmountFormat struct {
	// DecimalComma: ',' separates the cents and '.' groups thousands
	// (1.234,56). Otherwise '.' separates the cents and ',' groups.
	// Spaces (also no-break and narrow no-break) and apostrophes (1'234.50)
	// group thousands in both.
	DecimalComma bool
}

// String returns "1,234.56" or "1.234,56".
func (f AmountFormat) String() string {
	if f.DecimalComma {
		return "1.234,56"
	}
	return "1,234.56"
}

// Parse returns the amount in s in cents, and the currency it names: an ISO
// code written out (USD, eur) or implied by a symbol (€ is EUR, £ is GBP);
// "$" gives "" since many currencies use it. Negatives are written -50,
// -$50.00, $-50.00, 50- or (50.00); 50.- (50,– with a decimal comma) is
// 50.00, as Swiss and German prices write it. Digits must be grouped by three. Digits
// past the cents must be zeros (12.500): an amount is never rounded. Any
// other value, an empty one included, gives a *ValueError wrapping
// ErrNotAmount. A lone dash (Excel's accounting zero, "$ -") is 0.
func (f AmountFormat) Parse(s string) (steward.Cents, string, error) {
	c, cur, why := f.parse(s)
	if why != "" {
		if why == generic {
			why = ""
		}
		return 0, "", &ValueError{Value: s, Err: ErrNotAmount, Detail: why}
	}
	return c, cur, nil
}

// generic marks a refusal with nothing more to say than "not an amount".
const generic = "-"

func (f AmountFormat) parse(s string) (steward.Cents, string, string) {
	if c, ok := f.quick(s); ok {
		return c, "", ""
	}
	return f.scan(s)
}

// scan is parse's general reading of any amount.
func (f AmountFormat) scan(s string) (steward.Cents, string, string) {
	s = trimSpace(s)
	if s == "" {
		return 0, "", "empty"
	}
	var (
		neg, sign   bool
		paren, shut bool
		cur         string
		curSet      bool
	)
	setCur := func(c string) bool {
		if curSet && c != "" && cur != "" && c != cur {
			return false
		}
		if c != "" {
			cur = c
		}
		curSet = true
		return true
	}
	i := 0
prefix:
	for i < len(s) {
		c := s[i]
		switch {
		case isDigit(c) || c == '.' || c == ',':
			break prefix
		case c == '-' || c == '+':
			if sign {
				return 0, "", "two signs"
			}
			sign, neg = true, c == '-'
			i++
		case c == '(':
			if paren {
				return 0, "", generic
			}
			paren = true
			i++
		case strings.HasPrefix(s[i:], "\u2212"): // minus sign
			if sign {
				return 0, "", "two signs"
			}
			sign, neg = true, true
			i += len("\u2212")
		default:
			if n := spaceLen(s[i:]); n > 0 {
				i += n
				continue
			}
			code, n := currencyAt(s[i:])
			if n == 0 {
				return 0, "", generic
			}
			if !setCur(code) {
				return 0, "", "two different currencies"
			}
			i += n
		}
	}
	if paren && sign {
		return 0, "", "two signs"
	}
	// The number: digits and separators; a space groups only between digits.
	start := i
	for i < len(s) {
		c := s[i]
		if isDigit(c) || c == '.' || c == ',' || c == '\'' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], "\u2019") { // ’ as in 1’234.50
			i += len("\u2019")
			continue
		}
		if n := spaceLen(s[i:]); n > 0 && i > start && isDigit(s[i-1]) && i+n < len(s) && isDigit(s[i+n]) {
			i += n
			continue
		}
		break
	}
	body := s[start:i]
	dashed := false
	if dec := f.decimal(); len(body) > 1 && body[len(body)-1] == dec && isDigit(body[len(body)-2]) {
		// Swiss and German "50.-", "50,–": no cents, not a minus.
		for _, dash := range [...]string{"-", "–", "—"} {
			if strings.HasPrefix(s[i:], dash) {
				i += len(dash)
				dashed = true
				break
			}
		}
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == ')':
			if !paren || shut {
				return 0, "", generic
			}
			shut = true
			i++
		case c == '-':
			if sign || paren || dashed {
				return 0, "", "two signs"
			}
			sign, neg = true, true
			i++
		default:
			if n := spaceLen(s[i:]); n > 0 {
				i += n
				continue
			}
			code, n := currencyAt(s[i:])
			if n == 0 {
				return 0, "", generic
			}
			if !setCur(code) {
				return 0, "", "two different currencies"
			}
			i += n
		}
	}
	if paren != shut {
		return 0, "", "unbalanced parenthesis"
	}
	if body == "" {
		if neg && !paren {
			return 0, cur, "" // accounting zero: "-", "$ -"
		}
		return 0, "", "no digits"
	}
	v, why := f.number(body)
	if why != "" {
		return 0, "", why
	}
	if neg || paren {
		v = -v
	}
	return v, cur, ""
}

// quick reads the commonest amounts, 1 to 15 digits and, after the decimal
// separator, 1 or 2 more ("44", "44.5", "44.32"), as parse would, without
// its general scan; ok is false for anything else.
func (f AmountFormat) quick(s string) (c steward.Cents, ok bool) {
	var units uint64
	i := 0
	for i < len(s) && isDigit(s[i]) {
		units = units*10 + uint64(s[i]-'0')
		i++
	}
	if i == 0 || i > 15 {
		return 0, false
	}
	cents := units * 100
	switch rest := s[i:]; {
	case rest == "":
	case len(rest) == 2 && rest[0] == f.decimal() && isDigit(rest[1]):
		cents += uint64(rest[1]-'0') * 10
	case len(rest) == 3 && rest[0] == f.decimal() && isDigit(rest[1]) && isDigit(rest[2]):
		cents += uint64(rest[1]-'0')*10 + uint64(rest[2]-'0')
	default:
		return 0, false
	}
	return steward.Cents(cents), true
}

// decimal returns the decimal separator.
func (f AmountFormat) decimal() byte {
	if f.DecimalComma {
		return ','
	}
	return '.'
}

// number parses the digits and separators of an amount into cents.
func (f AmountFormat) number(b string) (steward.Cents, string) {
	dec, grp := f.decimal(), byte(',')
	if f.DecimalComma {
		grp = '.'
	}
	const maxUnits = math.MaxInt64 / 100
	var (
		units      uint64
		frac       int
		nfrac      int
		seenDec    bool
		digits     int    // digits in the whole part
		group      int    // digits since the last group separator
		gsep       string // the group separator in use
		extraDigit bool
	)
	for i := 0; i < len(b); {
		c := b[i]
		if isDigit(c) {
			d := int(c - '0')
			if seenDec {
				nfrac++
				if nfrac <= 2 {
					frac = frac*10 + d
				} else if d != 0 {
					extraDigit = true
				}
			} else {
				if units > maxUnits/10 {
					return 0, "too large"
				}
				units = units*10 + uint64(d)
				if units > maxUnits {
					return 0, "too large"
				}
				digits++
				group++
			}
			i++
			continue
		}
		if c == dec {
			if seenDec {
				return 0, "two decimal separators"
			}
			if gsep != "" && group != 3 {
				return 0, "digits not grouped by three"
			}
			seenDec = true
			i++
			continue
		}
		// A group separator: the other of . and , an apostrophe or a space.
		n := 1
		switch {
		case c == grp || c == '\'':
		case strings.HasPrefix(b[i:], "\u2019"):
			n = len("\u2019")
		default:
			n = spaceLen(b[i:])
			if n == 0 {
				if c == '.' || c == ',' {
					return 0, "two decimal separators"
				}
				return 0, generic
			}
		}
		sep := b[i : i+n]
		switch {
		case seenDec:
			return 0, "digits grouped after the decimal separator"
		case group == 0 || group > 3 && gsep == "":
			return 0, "digits not grouped by three"
		case gsep == "":
			gsep = sep
		case sep != gsep:
			return 0, "mixed group separators"
		case group != 3:
			return 0, "digits not grouped by three"
		}
		group = 0
		i += n
	}
	if gsep != "" && !seenDec && group != 3 {
		return 0, "digits not grouped by three"
	}
	if digits == 0 && nfrac == 0 {
		return 0, "no digits"
	}
	if extraDigit {
		return 0, "more than 2 decimal places"
	}
	if nfrac == 1 {
		frac *= 10
	}
	if units*100 > math.MaxInt64-uint64(frac) {
		return 0, "too large"
	}
	return steward.Cents(units*100 + uint64(frac)), ""
}

// currencyAt returns the ISO code of the currency symbol or code at the
// start of s ("" for an ambiguous symbol such as $) and its byte length;
// n == 0 when s starts with no currency.
func currencyAt(s string) (code string, n int) {
	if s == "" {
		return "", 0
	}
	for _, c := range currencySymbols {
		if c.sym[0]|0x20 != s[0]|0x20 {
			continue // quick reject
		}
		if len(s) >= len(c.sym) && strings.EqualFold(s[:len(c.sym)], c.sym) {
			if isLetter(c.sym[len(c.sym)-1]) && len(s) > len(c.sym) && isLetter(s[len(c.sym)]) {
				continue // "kr" in "krona"
			}
			return c.code, len(c.sym)
		}
	}
	if len(s) >= 3 && isLetter(s[0]) && isLetter(s[1]) && isLetter(s[2]) && (len(s) == 3 || !isLetter(s[3])) {
		if code := isoCode(s[:3]); code != "" {
			return code, 3
		}
	}
	return "", 0
}

// currencySymbols, longest first where one is a prefix of another.
var currencySymbols = [...]struct{ sym, code string }{
	{"US$", "USD"}, {"CA$", "CAD"}, {"AU$", "AUD"}, {"NZ$", "NZD"}, {"HK$", "HKD"},
	{"C$", "CAD"}, {"A$", "AUD"}, {"R$", "BRL"}, {"$", ""},
	{"€", "EUR"}, {"£", "GBP"}, {"¥", ""}, {"￥", ""}, {"₹", "INR"}, {"₩", "KRW"},
	{"₪", "ILS"}, {"₽", "RUB"}, {"₺", "TRY"}, {"₱", "PHP"}, {"₫", "VND"},
	{"zł", "PLN"}, {"kr.", ""}, {"kr", ""}, {"Fr.", "CHF"},
}

// isoCodes lists ISO 4217 currency codes, each followed by a space.
const isoCodes = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL " +
	"BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD " +
	"EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR " +
	"ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR " +
	"LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO " +
	"NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG " +
	"SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD " +
	"TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL "

// isoIndex maps upper-case ISO codes to their place in isoCodes.
var isoIndex = func() map[[3]byte]string {
	m := make(map[[3]byte]string, len(isoCodes)/4)
	for i := 0; i+3 <= len(isoCodes); i += 4 {
		m[[3]byte{isoCodes[i], isoCodes[i+1], isoCodes[i+2]}] = isoCodes[i : i+3]
	}
	return m
}()

// isoCode returns the upper-case ISO 4217 code matching the three ASCII
// letters of s in any case, or "". The result is a slice of isoCodes: no
// allocation.
func isoCode(s string) string {
	return isoIndex[[3]byte{s[0] &^ 0x20, s[1] &^ 0x20, s[2] &^ 0x20}]
}

// CentsFromFloat converts a number as an XLSX cell stores it to cents. The
// float is first read to 15 significant digits, as Excel shows it, so noise
// such as 25.099999999999998 is 2510; the cents are then rounded half away
// from zero. NaN, infinities and amounts beyond int64 cents are errors.
func CentsFromFloat(v float64) (steward.Cents, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errors.New("amount " + strconv.FormatFloat(v, 'g', -1, 64) + " is not a number")
	}
	if math.Abs(v) >= 9e16 {
		return 0, errors.New("amount " + strconv.FormatFloat(v, 'g', -1, 64) + " is too large")
	}
	if v == 0 {
		return 0, nil
	}
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], math.Abs(v), 'e', 14, 64) // d.dddddddddddddde±XX
	var mant int64
	for _, c := range b[:16] {
		if c != '.' {
			mant = mant*10 + int64(c-'0')
		}
	}
	exp, _ := strconv.Atoi(string(b[17:]))
	// value = mant * 10^(exp-14); cents = mant * 10^(exp-12).
	shift := exp - 12
	var c int64
	switch {
	case shift >= 0:
		c = mant
		for ; shift > 0; shift-- {
			c *= 10 // |v| < 9e16 keeps this inside int64
		}
	case shift < -16:
		c = 0
	default:
		p := int64(1)
		for ; shift < 0; shift++ {
			p *= 10
		}
		c = mant / p
		if 2*(mant%p) >= p {
			c++
		}
	}
	if v < 0 {
		c = -c
	}
	return steward.Cents(c), nil
}

// CentsFromNumber converts the raw text of a numeric XLSX cell
// ("25.099999999999998", "1.5E+3") to cents the way CentsFromFloat does.
// Errors are *ValueError wrapping ErrNotAmount.
func CentsFromNumber(s string) (steward.Cents, error) {
	v, err := strconv.ParseFloat(trimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, &ValueError{Value: s, Err: ErrNotAmount}
	}
	c, err := CentsFromFloat(v)
	if err != nil {
		return 0, &ValueError{Value: s, Err: ErrNotAmount, Detail: "too large"}
	}
	return c, nil
}

// AmountInferrer decides the number format of an amount column from its
// values: 1.234,56, 12,5 or 0,50 show a decimal comma; 1,234.56, 12.5 or
// 0.50 a decimal point; 1,234 or 1.234 alone show nothing. The zero value is
// ready to use.
type AmountInferrer struct {
	point, comma int
}

// Add observes one raw value.
func (a *AmountInferrer) Add(s string) {
	switch decimalEvidence(s) {
	case '.':
		a.point++
	case ',':
		a.comma++
	}
}

// Decided reports whether some value has shown the decimal separator.
func (a *AmountInferrer) Decided() bool { return a.point+a.comma > 0 }

// Format returns the format most values showed; a decimal point when none
// showed either.
func (a *AmountInferrer) Format() AmountFormat {
	return AmountFormat{DecimalComma: a.comma > a.point}
}

// decimalEvidence returns the decimal separator s shows, or 0.
func decimalEvidence(s string) byte {
	var (
		dots, commas int
		last         = -1
	)
	for i := 0; i < len(s); i++ {
		if (i == 0 || !isDigit(s[i-1])) && (i+1 == len(s) || !isDigit(s[i+1])) {
			continue // not beside a digit: "kr.", "Fr."
		}
		switch s[i] {
		case '.':
			dots++
			last = i
		case ',':
			commas++
			last = i
		}
	}
	if last < 0 {
		return 0
	}
	c := s[last]
	other := byte(',')
	if c == ',' {
		other = '.'
	}
	switch {
	case dots > 0 && commas > 0:
		return c
	case dots+commas >= 2:
		return other // repeated: it groups
	}
	after := 0
	for i := last + 1; i < len(s) && isDigit(s[i]); i++ {
		after++
	}
	before := 0
	for i := last - 1; i >= 0 && isDigit(s[i]); i-- {
		before++
	}
	switch {
	case after == 0:
		return 0
	case after != 3:
		return c
	case before == 0 || before > 3:
		return c
	case before == 1 && s[last-1] == '0':
		return c // 0,500: a group never follows a lone 0
	}
	return 0
}
