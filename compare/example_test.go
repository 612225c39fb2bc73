package compare_test

import (
	"fmt"

	"steward/compare"
)

// A thank-you policy took on-time thank-yous from 48 of 80 gifts to 56 of
// 70 (Newcombe 1998's first worked example): the 95% interval for the
// difference lies above 0.
func ExampleNewRate() {
	r := compare.NewRate(48, 80, 56, 70, "acknowledged or overdue gifts")
	fmt.Printf("%.3f -> %.3f: %+.4f (%.4f to %.4f) %s\n", *r.Before, *r.After, *r.Difference, r.CI95[0], r.CI95[1], r.Verdict)
	r = compare.NewRate(9, 20, 12, 25, "donors in the year before")
	fmt.Printf("%.3f -> %.3f: %+.4f (%.4f to %.4f) %s\n", *r.Before, *r.After, *r.Difference, r.CI95[0], r.CI95[1], r.Verdict)
	// Output:
	// 0.600 -> 0.800: +0.2000 (0.0524 to 0.3339) improved
	// 0.450 -> 0.480: +0.0300 (-0.2448 to 0.2965) no clear change
}
