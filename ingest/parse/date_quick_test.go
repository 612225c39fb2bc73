package parse

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"testing"
	"time"

	"steward"
)

// TestQuickMatchesParse: for every shape Quick reads (and near misses),
// whenever Quick answers, Parse gives the same date and no error; and
// Quick answers every valid plain date of those shapes.
func TestQuickMatchesParse(t *testing.T) {
	formats := []DateFormat{{order: orderMDY}, {order: orderDMY}, {order: orderYMD}, {}, {order: orderMDY, Serial: true}}
	answered := 0
	for _, df := range formats {
		for _, sep := range []string{"/", "-", ".", ":"} {
			for a := 0; a <= 32; a++ {
				for b := 0; b <= 32; b++ {
					for _, y := range []int{0, 1, 1899, 1900, 1904, 1999, 2000, 2023, 2024, 2100, 2199, 2200, 9999} {
						yearLast := df.order == orderMDY || df.order == orderDMY
						for _, c := range []struct {
							s    string
							want bool // Quick must answer when Parse gives a date
						}{
							{fmt.Sprintf("%d%s%d%s%04d", a, sep, b, sep, y), yearLast},
							{fmt.Sprintf("%02d%s%02d%s%04d", a, sep, b, sep, y), yearLast},
							{fmt.Sprintf("%04d%s%d%s%d", y, sep, a, sep, b), true},
							{fmt.Sprintf("%04d%s%02d%s%02d", y, sep, a, sep, b), true},
							{fmt.Sprintf("%d%s%d%s%02d", a, sep, b, sep, y%100), false},
							{fmt.Sprintf("%d%s%d%s%04d ", a, sep, b, sep, y), false},
						} {
							s := c.s
							d, err := df.Parse(s)
							q, ok := df.Quick(s)
							if ok {
								answered++
								if err != nil || q != d {
									t.Fatalf("%v: Quick(%q) = %v, Parse = %v, %v", df, s, q, d, err)
								}
							} else if c.want && err == nil && d != 0 && len(s) <= 10 {
								t.Errorf("%v: Quick(%q) did not answer; Parse = %v", df, s, d)
							}
						}
					}
				}
			}
		}
	}
	if answered < 10000 {
		t.Fatalf("Quick answered only %d values", answered)
	}
}

// TestQuickEveryDay: every day from 1899 to 2200 (Quick's table of years
// and the arithmetic on either side), in both shapes, gives the day that
// the time package counts.
func TestQuickEveryDay(t *testing.T) {
	mdy := DateFormat{order: orderMDY}
	first := time.Date(1899, 1, 1, 0, 0, 0, 0, time.UTC)
	for tm := first; tm.Year() <= 2200; tm = tm.AddDate(0, 0, 1) {
		want := steward.Date(tm.Unix()/86400) + steward.DateOf(time.Unix(0, 0).UTC())
		for _, s := range []string{tm.Format("1/2/2006"), tm.Format("2006-01-02")} {
			if d, ok := mdy.Quick(s); !ok || d != want {
				t.Fatalf("Quick(%q) = %v, %v; want %v", s, d, ok, want)
			}
		}
	}
	for _, s := range []string{"2/29/1900", "2/29/2023", "2/30/2024", "4/31/2024", "0/1/2024", "13/1/2024", "1/0/2024", "1/32/2024", "2/29/2199", "2/29/2200"} {
		if d, ok := mdy.Quick(s); ok {
			t.Errorf("Quick(%q) = %v, want no date", s, d)
		}
	}
}

// The shapes Quick reads, as regular expressions: year first (any
// order), or year last (month-first and day-first formats only), with the
// same separator twice.
var (
	quickYearFirst = regexp.MustCompile(`^([0-9]{4})([/.-])([0-9]{1,2})([/.-])([0-9]{1,2})$`)
	quickYearLast  = regexp.MustCompile(`^([0-9]{1,2})([/.-])([0-9]{1,2})([/.-])([0-9]{4})$`)
)

// quickShape matches s against quickYearFirst and quickYearLast and
// returns which matched and its three numbers, read by strconv, in the
// order written.
func quickShape(s string) (yearFirst, matched bool, n [3]int) {
	g := quickYearFirst.FindStringSubmatch(s)
	yearFirst = g != nil
	if g == nil {
		g = quickYearLast.FindStringSubmatch(s)
	}
	if g == nil || g[2] != g[4] {
		return false, false, n
	}
	for i, v := range []string{g[1], g[3], g[5]} {
		n[i], _ = strconv.Atoi(v)
	}
	return yearFirst, true, n
}

// quickRef is what Quick should answer for a value of the shape
// quickShape found, worked out another way: the day checked by checkDate,
// the date made by NewDate. TestQuickMatchesRef holds Quick to it.
func quickRef(f DateFormat, yearFirst, matched bool, n [3]int) (d steward.Date, ok bool) {
	var y, m, day int
	switch {
	case !matched:
		return steward.NoDate, false
	case yearFirst:
		y, m, day = n[0], n[1], n[2]
	case f.order == orderMDY:
		y, m, day = n[2], n[0], n[1]
	case f.order == orderDMY:
		y, m, day = n[2], n[1], n[0]
	default:
		return steward.NoDate, false
	}
	if checkDate(y, m, day) != "" {
		return steward.NoDate, false
	}
	return steward.NewDate(y, time.Month(m), day), true
}

// TestQuickMatchesRef: Quick gives what quickRef gives on every string of
// 7 to 11 characters over digits, separators and the bytes just past the
// digits (which a digit test must refuse) that a sample of a million
// draws (biased to date shapes; 100,000 with -short) and on every
// date-like string of the shapes M/D/YYYY, with one or two digits each,
// for numbers 0 to 99.
func TestQuickMatchesRef(t *testing.T) {
	formats := []DateFormat{{order: orderMDY}, {order: orderDMY}, {order: orderYMD}, {}}
	check := func(s string) {
		yearFirst, matched, n := quickShape(s)
		for _, f := range formats {
			d, ok := f.Quick(s)
			rd, rok := quickRef(f, yearFirst, matched, n)
			if ok != rok || d != rd {
				t.Fatalf("%v: Quick(%q) = %v, %v; want %v, %v", f, s, d, ok, rd, rok)
			}
		}
	}
	for a := 0; a < 100; a++ {
		for b := 0; b < 100; b++ {
			for _, sep := range []string{"/", "-", ".", "x"} {
				for _, y := range []string{"2024", "1900", "1899", "0001", "2x24", "20244", "202"} {
					check(fmt.Sprintf("%d%s%d%s%s", a, sep, b, sep, y))
					check(fmt.Sprintf("%02d%s%d%s%s", a, sep, b, sep, y))
					check(fmt.Sprintf("%d%s%02d%s%s", a, sep, b, sep, y))
					check(fmt.Sprintf("%s%s%d%s%d", y, sep, a, sep, b))
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(7, 7))
	const alphabet = "0123456789/-.x :;<=>?@AO"
	buf := make([]byte, 11)
	draws := 1_000_000
	if testing.Short() {
		draws = 100_000
	}
	for range draws {
		n := 7 + r.IntN(5)
		for i := range n {
			if r.IntN(4) == 0 {
				buf[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				buf[i] = '0' + byte(r.IntN(10))
			}
		}
		// Separators where dates have them, often.
		if r.IntN(2) == 0 {
			sep := "/-."[r.IntN(3)]
			p := 1 + r.IntN(4)
			buf[p] = sep
			if q := p + 2 + r.IntN(2); q < n {
				buf[q] = sep
			}
		}
		check(string(buf[:n]))
	}
}
