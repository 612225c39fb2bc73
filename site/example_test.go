package site_test

import (
	"fmt"
	"strings"

	"steward"
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
