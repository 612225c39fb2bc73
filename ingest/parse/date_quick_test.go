package parse

import (
	"fmt"
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
