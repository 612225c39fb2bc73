package ingest_test

import (
	"fmt"
	"strings"

	"steward"
	"steward/ingest"
)

// printer is a Sink that prints what it is given.
type printer struct{}

func (printer) Gift(g *steward.Gift) {
	fmt.Printf("gift row %d: donor %s, %s, %s %s, refund %v\n", g.Row, g.Account, g.Date, g.Amount, g.Currency, g.Refund)
}
func (printer) Person(p *steward.Person) {}
func (printer) Event(e *steward.Event)   {}

func ExampleRead() {
	const export = `"Account ID","Close Date","Amount","Stage","Opportunity Currency"
"001A","1/31/2024","$1,250.00","Closed Won","USD"
"001B","2/1/2024","$500.00","Pledged","USD"
"001A","2/14/2024","-$50.00","Closed Won","USD"

"Grand Totals (3 records)","","$1,700.00","",""
`
	r := strings.NewReader(export)
	src, err := ingest.Read(r, r.Size(), ingest.Options{Name: "opportunities.csv"}, printer{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("profile %s, %d rows: %d used, excluded %v\n", src.Profile, src.Rows, src.Used, src.Excluded)
	// Output:
	// gift row 2: donor 001A, 2024-01-31, 1250.00 USD, refund false
	// gift row 4: donor 001A, 2024-02-14, -50.00 USD, refund true
	// profile npsp-report, 4 rows: 2 used, excluded map[status Pledged:1 totals row:1]
}
