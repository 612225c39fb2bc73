package parse

import (
	"fmt"
	"math/rand/v2"
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

// quickRef is Quick as it was before it read M/D/YYYY without branches
// (one field after another with number): TestQuickMatchesRef holds the
// two to the same answers.
func quickRef(f DateFormat, s string) (d steward.Date, ok bool) {
	n := len(s)
	if n < 8 || n > 10 || !isDigit(s[0]) {
		return steward.NoDate, false
	}
	i, v1, n1 := number(s, 0)
	if i >= n {
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
	if k != n {
		return steward.NoDate, false
	}
	var y, m, day int
	switch {
	case n1 == 4 && n3 >= 1 && n3 <= 2:
		y, m, day = v1, v2, v3
	case n1 >= 1 && n1 <= 2 && n3 == 4 && f.order == orderMDY:
		y, m, day = v3, v1, v2
	case n1 >= 1 && n1 <= 2 && n3 == 4 && f.order == orderDMY:
		y, m, day = v3, v2, v1
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
// digits (which a digit test must refuse) that a sample of 2 million
// draws (biased to date shapes) and on every date-like string of the
// shapes M/D/YYYY, with one or two digits each, for numbers 0 to 99.
func TestQuickMatchesRef(t *testing.T) {
	formats := []DateFormat{{order: orderMDY}, {order: orderDMY}, {order: orderYMD}, {}}
	check := func(s string) {
		for _, f := range formats {
			d, ok := f.Quick(s)
			rd, rok := quickRef(f, s)
			if ok != rok || d != rd {
				t.Fatalf("%v: Quick(%q) = %v, %v; before: %v, %v", f, s, d, ok, rd, rok)
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
	for range 2_000_000 {
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
