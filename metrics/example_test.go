package metrics_test

import (
	"time"

	"fmt"

	"steward"
	"steward/metrics"
)

func ExampleCompute() {
	day := func(y, m, d int) steward.Date { return steward.NewDate(y, timeMonth(m), d) }
	gifts := []steward.Gift{
		{Account: "A", Date: day(2023, 3, 1), Amount: 100_00, AckDate: day(2023, 3, 2)},
		{Account: "B", Date: day(2023, 5, 1), Amount: 50_00, AckDate: day(2023, 5, 9)},
		{Account: "A", Date: day(2024, 3, 1), Amount: 120_00, AckDate: day(2024, 3, 1)},
		{Account: "C", Date: day(2024, 12, 31), Amount: 30_00},
	}
	s := metrics.DefaultSettings()
	r, err := metrics.Compute(s, gifts, nil, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, y := range r.Retention {
		fmt.Printf("%s donors %d new %d retained %d lapsed %d dollars %.2f\n",
			y.Period, y.Donors, y.New, y.Retained, y.Lapsed, y.Dollars)
	}
	y := r.Retention[1]
	fmt.Printf("retention %.2f, upgrade $%.2f, growth %.3f\n", *y.RetentionRate, y.UpgradeDollars, *y.GrowthInGiving)
	fmt.Printf("on time %.2f, median %.1f days\n", *r.ThankYou.Overall.OnTimeRate, *r.ThankYou.Overall.MedianDays)
	// Output:
	// FY2023 donors 2 new 2 retained 0 lapsed 0 dollars 150.00
	// FY2024 donors 2 new 1 retained 1 lapsed 1 dollars 150.00
	// retention 0.50, upgrade $20.00, growth 0.000
	// on time 0.67, median 1.0 days
}

func ExampleWilson() {
	lo, hi := metrics.Wilson(81, 263)
	fmt.Printf("%.4f to %.4f\n", lo, hi)
	// Output: 0.2553 to 0.3662
}

func ExampleNewcombe() {
	// 56/70 against 48/80: difference 0.2 (Newcombe 1998).
	lo, hi := metrics.Newcombe(48, 80, 56, 70)
	fmt.Printf("%.4f to %.4f\n", lo, hi)
	// Output: 0.0524 to 0.3339
}

func ExamplePercentileInc() {
	fmt.Printf("%.1f\n", metrics.PercentileInc([]float64{1, 2, 3, 4}, 0.9))
	// Output: 3.7
}

func timeMonth(m int) time.Month { return time.Month(m) }
