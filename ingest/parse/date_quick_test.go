package parse

import (
	"fmt"
	"testing"
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
					for _, y := range []int{0, 1, 1999, 2000, 2024, 2100, 9999} {
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
