package render

import (
	"math"
	"strconv"
	"strings"
	"time"

	"steward"
)

// Pct formats a rate (a fraction) as a percentage with one decimal, "42.9%";
// a nil rate is "n/a".
func Pct(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return PctOf(*v)
}

// PctOf formats the fraction v as "42.9%", the same in a sentence, a card
// and a table.
func PctOf(v float64) string {
	return strconv.FormatFloat(round(v*100, 1), 'f', 1, 64) + "%"
}

// Int formats n with thousands separators: "12,345".
func Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// currencySymbols are the prefixes used for common currencies; others are
// written as their ISO code and a space.
var currencySymbols = map[string]string{
	"": "$", "USD": "$", "CAD": "$", "AUD": "$", "NZD": "$",
	"GBP": "£", "EUR": "€", "JPY": "¥", "INR": "₹", "CHF": "CHF ",
}

// Money formats an amount in major units with thousands separators and no
// cents when it is 1,000 or more: "$12,346", "$45.50", "-$1,200".
func Money(v float64, currency string) string {
	sym, ok := currencySymbols[strings.ToUpper(currency)]
	if !ok {
		sym = strings.ToUpper(currency) + " "
	}
	neg := v < 0
	a := math.Abs(v)
	var s string
	if a >= 1000 {
		s = Int(int(math.Round(a)))
	} else {
		s = strconv.FormatFloat(round(a, 2), 'f', 2, 64)
		s = strings.TrimSuffix(s, ".00")
	}
	if neg {
		return "-" + sym + s
	}
	return sym + s
}

// Days formats a number of days: "1.5 days", "1 day", "n/a" when nil.
func Days(v *float64) string {
	if v == nil {
		return "n/a"
	}
	s := strconv.FormatFloat(round(*v, 1), 'f', -1, 64)
	if s == "1" {
		return "1 day"
	}
	return s + " days"
}

// LongDate formats d for people: "15 March 2025"; "" for NoDate.
func LongDate(d steward.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2 January 2006")
}

// MonthName returns the English name of month m (1-12).
func MonthName(m int) string {
	if m < 1 || m > 12 {
		return "January"
	}
	return time.Month(m).String()
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// plural returns "1 donor" or "3 donors".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Int(n) + " " + many
}
