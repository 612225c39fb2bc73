package parse_test

import (
	"errors"
	"fmt"

	"steward/ingest/parse"
)

// A DateInferrer sees a whole column before any value is parsed: 13/02/2024
// settles that this column is day/month.
func ExampleDateInferrer() {
	column := []string{"01/02/2024", "13/02/2024 09:30", "", "05/03/2024"}
	var inf parse.DateInferrer
	for _, v := range column {
		inf.Add(v)
	}
	f, err := inf.Format()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f)
	for _, v := range column {
		d, _ := f.Parse(v)
		fmt.Printf("%q -> %q\n", v, d)
	}
	// Output:
	// D/M/YYYY + D/M/YYYY HH:MM
	// "01/02/2024" -> "2024-02-01"
	// "13/02/2024 09:30" -> "2024-02-13"
	// "" -> ""
	// "05/03/2024" -> "2024-03-05"
}

// Without a value over 12 the order stays unknown and Format says how to
// fix it.
func ExampleDateInferrer_ambiguous() {
	var inf parse.DateInferrer
	for _, v := range []string{"01/02/2024", "03/04/2024"} {
		inf.Add(v)
	}
	_, err := inf.Format()
	fmt.Println(errors.Is(err, parse.ErrAmbiguousDate))
	fmt.Println(err)
	// Output:
	// true
	// ambiguous dates: "01/02/2024" and "03/04/2024" could be day/month or month/day; set date_format: DD/MM/YYYY or MM/DD/YYYY
}

func ExampleAmountFormat_Parse() {
	var inf parse.AmountInferrer
	column := []string{"1.234,56 €", "(12,50)", "1.000"}
	for _, v := range column {
		inf.Add(v)
	}
	f := inf.Format()
	for _, v := range column {
		c, cur, err := f.Parse(v)
		fmt.Println(c, cur, err)
	}
	_, _, err := parse.AmountFormat{}.Parse("12.505")
	fmt.Println(err)
	// Output:
	// 1234.56 EUR <nil>
	// -12.50  <nil>
	// 1000.00  <nil>
	// "12.505" is not an amount: more than 2 decimal places
}

func ExampleExcelSerial() {
	d, _ := parse.ExcelSerial(45322.5, false)
	fmt.Println(d)
	_, err := parse.ExcelSerial(60, false)
	fmt.Println(err)
	// Output:
	// 2024-01-31
	// serial number 60 is 1900-02-29, a day that does not exist
}

func ExampleStatus() {
	for _, raw := range []string{"Closed Won", "Pledged", "", "Deceased"} {
		s, known := parse.Status(raw)
		fmt.Printf("%q: %v %v\n", raw, s, known)
	}
	// Output:
	// "Closed Won": qualifying true
	// "Pledged": pledge true
	// "": qualifying true
	// "Deceased": pending false
}
