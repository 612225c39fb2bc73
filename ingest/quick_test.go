package ingest

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"steward"
)

// quickHeader is an NPSP report's columns, with a test flag, a currency,
// a refunded amount and an e-mail address mapped in, so that every column
// the quick lane looks at is there.
const quickHeader = "Account ID,Primary Contact ID,Close Date,Amount,Stage,Type,Acknowledgment Date," +
	"Acknowledgment Status,Campaign Name,Payment Method,Currency,Test,Refunded Amount,Email\n"

// noCurrency is quickHeader with no currency column (Note is not read), so
// that a currency written with the amount counts.
var noCurrency = strings.Replace(quickHeader, "Currency", "Note", 1)

// quickWarm are the rows a quick pipe reads before a case: they settle the
// date order and fill the last-value caches (a value goes in when it is met
// the second time, and each cache keeps two).
var quickWarm = []string{
	"001W,003W,3/15/2024,25.00,Closed Won,Donation,3/17/2024,Acknowledged,Spring,Check",
	"001W,003W,3/16/2024,30.00,Closed Won,Donation,,To Be Acknowledged,Spring,Check",
	"001X,003X,3/17/2024,35.00,Closed Won,Donation,3/18/2024,Acknowledged,Spring,Check",
	"001X,003X,3/18/2024,40.00,Closed Won,Donation,,To Be Acknowledged,Spring,Check",
	"001Y,003Y,3/19/2024,45.00,Closed Lost,Donation,,,Spring,Check",
	"001Y,003Y,3/20/2024,50.00,Closed Lost,Donation,,,Spring,Check",
}

// quickPipe returns a pipe that has read header, quickWarm and then more,
// as Read would leave it before the next row, with the rows' text known to
// be UTF-8 (as the scanner reports for such a block).
func quickPipe(t *testing.T, header string, more []string) (*pipe, *collect) {
	t.Helper()
	data := []byte(header + strings.Join(append(quickWarm[:len(quickWarm):len(quickWarm)], more...), "\n") + "\n")
	opt := Options{Name: "quick.csv", MaxFieldBytes: defaultMaxField, Currency: "usd",
		Columns: map[string]string{"test": "Test", "refunded_amount": "Refunded Amount", "donor_email": "Email"}}
	if err := checkOptions(&opt); err != nil {
		t.Fatal(err)
	}
	c := &collect{}
	p := &pipe{opt: opt, src: &steward.Source{}, sink: c}
	if err := p.readCSV(bytes.NewReader(data), int64(len(data)), data); err != nil {
		t.Fatal(err)
	}
	if !p.quick {
		t.Fatal("set-up: the quick lane is off")
	}
	c.gifts = nil
	p.utf8Rows = true
	return p, c
}

// TestQuickLane holds the quick lane to the full row rules, row by row.
// Each record goes, on pipes set up alike, through row with the lane and
// through row without it: the gifts and the Source must be the same. And
// giftQuick alone must take the rows it is meant to and leave every other
// one untouched (no gift, no count), for row to read.
func TestQuickLane(t *testing.T) {
	plain := "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,"
	cases := []quickCase{
		{"plain", plain, true},
		{"no thank-you date", "001A,003A,4/20/2024,25.00,Closed Won,Donation,,To Be Acknowledged,Spring,Check,,,", true},
		{"no account", ",003A,4/20/2024,1234.56,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", true},
		{"no contact", "001A,,4/20/2024,25,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", true},
		{"no campaign, method or status", "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,,,,,,", true},
		{"short row", "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check", true},
		{"very short row", "001A,003A,4/20/2024,25.00,Closed Won,Donation", true},

		{"e-mail and ids", "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,,a@example.org", true},
		{"no id", ",,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"e-mail, no id", ",,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,,a@example.org", false},
		{"totals label to trim in the e-mail", "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,, Total", false},
		{"e-mail to trim, no id", ",,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,,a@example.org ", false},
		{"totals row", "Total,,4/20/2024,2500.00,,,,,,,,,", false},
		{"totals row with ids", "Total,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"id to trim", " 001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"status excluded", "001A,003A,4/20/2024,25.00,Closed Lost,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"status unknown", "001A,003A,4/20/2024,25.00,Weird,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"status to trim", "001A,003A,4/20/2024,25.00,Closed Won ,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"pledge", "001A,003A,4/20/2024,25.00,Closed Won,Pledge,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"refund type", "001A,003A,4/20/2024,25.00,Closed Won,Refund,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"test flag", "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,TRUE,", false},
		{"test flag off", "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,false,", false},
		{"currency", "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,CAD,,", false},
		{"refunded amount", "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,5.00", false},
		{"dollar sign", "001A,003A,4/20/2024,$25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", true},
		{"currency in the amount", "001A,003A,4/20/2024,£25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"currency code in the amount", "001A,003A,4/20/2024,25.00 EUR,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"negative", "001A,003A,4/20/2024,-25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"zero", "001A,003A,4/20/2024,0.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"no amount", "001A,003A,4/20/2024,,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"not an amount", "001A,003A,4/20/2024,25.0x,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"amount to trim", "001A,003A,4/20/2024, 25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"no date", "001A,003A,,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"not a date", "001A,003A,someday,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"stand-in date", "001A,003A,1/1/1900,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"date to trim", "001A,003A,4/20/2024 ,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
		{"thank-you not a date", "001A,003A,4/20/2024,25.00,Closed Won,Donation,soon,Acknowledged,Spring,Check,,,", false},
		{"thank-you stand-in", "001A,003A,4/20/2024,25.00,Closed Won,Donation,12/31/9999,Acknowledged,Spring,Check,,,", false},
		{"ack status unknown", "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Maybe,Spring,Check,,,", false},
		{"campaign to trim", "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring ,Check,,,", false},
		{"method to trim", "001A,003A,4/20/2024,25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,\tCheck,,,", false},
	}
	checkQuick(t, quickHeader, nil, cases)
	checkQuick(t, noCurrency, nil, []quickCase{
		{"plain, no currency column", plain, true},
		{"currency in the amount, no currency column", "001A,003A,4/20/2024,£25.00,Closed Won,Donation,4/22/2024,Acknowledged,Spring,Check,,,", false},
	})
	// A gift type with a rule, or a refund type, met before (so in the
	// cache).
	pledges := []string{"001Z,003Z,3/21/2024,5.00,Closed Won,Pledge", "001Z,003Z,3/22/2024,5.00,Closed Won,Pledge"}
	checkQuick(t, quickHeader, pledges, []quickCase{
		{"plain, after pledges", plain, true},
		{"pledge met before", "001A,003A,4/20/2024,25.00,Closed Won,Pledge,4/22/2024,Acknowledged,Spring,Check,,,", false},
	})
	refunds := []string{"001Z,003Z,3/21/2024,5.00,Closed Won,Refund", "001Z,003Z,3/22/2024,5.00,Closed Won,Refund"}
	checkQuick(t, quickHeader, refunds, []quickCase{
		{"plain, after refunds", plain, true},
		{"refund met before", "001A,003A,4/20/2024,25.00,Closed Won,Refund,4/22/2024,Acknowledged,Spring,Check,,,", false},
	})

	// Text that may not be UTF-8 (the encoding was a guess, and the block
	// was not checked), and rows after a footer line, are row's to read.
	rec := strings.Split(plain, ",")
	p, _ := quickPipe(t, quickHeader, nil)
	p.utf8Rows = false
	if p.giftQuick(rec, 9) {
		t.Error("giftQuick took a row of text not known to be UTF-8")
	}
	p, _ = quickPipe(t, quickHeader, nil)
	p.footer = true
	if p.giftQuick(rec, 9) {
		t.Error("giftQuick took a row after a footer line")
	}
}

// quickCase is a record (its cells joined by commas) and whether the quick
// lane takes it.
type quickCase struct {
	name, rec string
	take      bool
}

// checkQuick runs TestQuickLane's cases on pipes that have read header,
// quickWarm and more.
func checkQuick(t *testing.T, header string, more []string, cases []quickCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := strings.Split(tc.rec, ",")
			const row = 9
			lane, lc := quickPipe(t, header, more)
			full, fc := quickPipe(t, header, more)
			full.quick = false
			if err := lane.row(rec, row); err != nil {
				t.Fatal(err)
			}
			if err := full.row(rec, row); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(fc.gifts, lc.gifts, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("gifts (-full +lane):\n%s", d)
			}
			if d := cmp.Diff(*full.src, *lane.src, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("source (-full +lane):\n%s", d)
			}

			p, c := quickPipe(t, header, more)
			before := fmt.Sprintf("%+v", *p.src)
			if got := p.giftQuick(rec, row); got != tc.take {
				t.Fatalf("giftQuick = %v, want %v", got, tc.take)
			}
			if after := fmt.Sprintf("%+v", *p.src); !tc.take && (after != before || len(c.gifts) > 0) {
				t.Errorf("giftQuick left the row to row but changed the source to %s (from %s) or gave %d gifts", after, before, len(c.gifts))
			}
			if tc.take && len(c.gifts) != 1 {
				t.Errorf("giftQuick took the row and gave %d gifts", len(c.gifts))
			}
		})
	}
}

// TestQuickLaneRandom reads files of rows drawn from cells that meet or
// miss each of the quick lane's conditions, with the lane and without it,
// both through the fast path: the Source and the gifts must be the same.
// The first value of each column is a plain one.
func TestQuickLaneRandom(t *testing.T) {
	cells := [][]string{
		{"001A", "001B", "", " 001C", "Total", "sum"}, // no grand total or footer line: the lane stops at one
		{"003A", "003B", "", "003C ", "Count", "t003"},
		{"3/15/2024", "12/31/2023", "", " 3/15/2024", "1/1/1900", "someday", "2024-03-15", "31/12/2023"},
		{"25.00", "1,234.56", "", "0", "-5.00", "$10", "£10", "10 EUR", "x1", " 7.50", "(12.00)"},
		{"Closed Won", "Closed Won", "Closed Lost", "Pledged", "", "Weird", " Closed Won", "closed won"},
		{"Donation", "Donation", "", "Pledge", "Refund", "Membership", "In-Kind"},
		{"3/17/2024", "", "", "12/31/9999", "soon", " 3/17/2024"},
		{"Acknowledged", "To Be Acknowledged", "", "Do Not Acknowledge", "Maybe", "acknowledged "},
		{"Spring", "Gala", "", "Spring ", "\"Gala, 2024\"", "é"},
		{"Check", "Credit Card", "", "\tACH"},
		{"", "", "", "USD", "CAD", "usd"},
		{"", "", "", "TRUE", "false", "1"},
		{"", "", "", "5.00", "100.00", "0"},
		{"", "", "a@example.org", "Total", " b@example.org"},
	}
	for _, header := range []string{quickHeader, noCurrency} {
		for seed := int64(1); seed <= 20; seed++ {
			rng := rand.New(rand.NewSource(seed))
			var b strings.Builder
			b.WriteString(header)
			for range 300 {
				n := len(cells)
				if rng.Intn(10) == 0 {
					n = 1 + rng.Intn(len(cells)) // a short row
				}
				for i := range n {
					if i > 0 {
						b.WriteByte(',')
					}
					// Mostly the first, plain value, as in an export, so
					// that the last-value caches hold and about half the
					// rows are plain; else any.
					c := cells[i][0]
					if rng.Intn(20) == 0 {
						c = cells[i][rng.Intn(len(cells[i]))]
					}
					b.WriteString(c)
				}
				b.WriteByte('\n')
			}
			data := []byte(b.String())
			read := func(lane bool) (steward.Source, *collect, error) {
				defer func(q bool) { quickLane = q }(quickLane)
				quickLane = lane
				c := &collect{}
				src, err := Read(bytes.NewReader(data), int64(len(data)), Options{Name: "random.csv", Currency: "usd"}, c)
				return src, c, err
			}
			want, wc, werr := read(false)
			got, gc, gerr := read(true)
			if fmt.Sprint(werr) != fmt.Sprint(gerr) {
				t.Fatalf("seed %d: error %v, want %v", seed, gerr, werr)
			}
			if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("seed %d: Source (-full +lane):\n%s", seed, d)
			}
			if d := cmp.Diff(wc.gifts, gc.gifts, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("seed %d: gifts (-full +lane):\n%s", seed, d)
			}
			if want.Used == 0 {
				t.Errorf("seed %d: no row used", seed)
			}
		}
	}
}
