package site_test

import (
	"fmt"
	"strings"

	"steward"
	"steward/compare"
	"steward/metrics"
	"steward/site"
)

// ExampleBuild builds the report of a tiny dataset: one complete fiscal
// year, no thank-you dates. The caller writes the files under a folder.
func ExampleBuild() {
	r := &metrics.Report{
		Schema:               metrics.Schema,
		AsOf:                 steward.NewDate(2024, 12, 31),
		FiscalYearStartMonth: 1,
		Currency:             "USD",
		ThankYouTargetDays:   2,
		Totals:               metrics.Totals{Gifts: 3, Donors: 2, Dollars: 150},
		Retention:            []metrics.Retention{{Period: "FY2024", Complete: true, Donors: 2, New: 2, Dollars: 150}},
	}
	files, err := site.Build(r, site.Options{Organisation: "Example Trust", SingleFile: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range files {
		fmt.Println(f.Name)
	}
	page := string(files[0].Data)
	fmt.Println(strings.Contains(page, "Thank-you dates are not recorded in these exports."))
	// Output:
	// index.html
	// metrics.json
	// true
}

// ExampleBuildComparison lays out a before/after comparison of one rate:
// on-time thank-yous went from 48 of 80 gifts to 56 of 70. The page has no
// script; the caller adds comparison.json.
func ExampleBuildComparison() {
	c := &compare.Comparison{
		Form: compare.FormTwoDatasets, BeforePeriod: "FY2022", AfterPeriod: "FY2024", AfterComplete: true,
		Metrics: map[string]compare.Rate{"on_time_rate": compare.NewRate(48, 80, 56, 70, "acknowledged or overdue gifts")},
	}
	files, err := site.BuildComparison(c, site.Options{Organisation: "Example Trust", SingleFile: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	page := string(files[0].Data)
	fmt.Println(files[0].Name)
	fmt.Println(strings.Contains(page, `<td class="improved">improved</td>`), strings.Contains(page, "<script"))
	// Output:
	// index.html
	// true false
}
