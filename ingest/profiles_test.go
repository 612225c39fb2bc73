package ingest_test

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"steward"
	"steward/ingest"
)

// yearTotals is a Sink that nets each donor's gifts and refunds by
// calendar year: "donor year" -> cents, the donor being the account id,
// else the contact id, else "(anonymous)".
type yearTotals map[string]steward.Cents

func (t yearTotals) Gift(g *steward.Gift) {
	d := g.Account
	if d == "" {
		d = g.Contact
	}
	if d == "" {
		d = "(anonymous)"
	}
	y, _, _ := g.Date.Civil()
	amt := g.Amount
	if g.Refund && amt > 0 {
		amt = -amt
	}
	t[fmt.Sprintf("%s %d", d, y)] += amt
}
func (yearTotals) Person(*steward.Person) {}
func (yearTotals) Event(*steward.Event)   {}

// TestProfileFixtures reads the realistic export of each system in
// testdata/profile-* with no options and checks the detected profile,
// the encoding and delimiter, the accounting of every row and each donor's
// net giving per year. The figures were worked out by hand from the files;
// cmd/steward/testdata/script/build_profile_*.txtar check the metrics built
// from the same files.
func TestProfileFixtures(t *testing.T) {
	tests := []struct {
		file, profile, encoding, delimiter string
		rows, used, rejected               int
		excluded                           map[string]int
		totals                             map[string]steward.Cents // nil: not checked
	}{
		{
			file: "profile-civicrm.csv", profile: "civicrm", encoding: "utf-8", delimiter: ",",
			rows: 17, used: 10,
			excluded: map[string]int{"status Cancelled": 1, "status Failed": 1, "status In Progress": 1,
				"status Pending": 1, "status Refunded": 1, "test": 1, "zero amount": 1},
			totals: map[string]steward.Cents{"201 2023": 10000, "202 2023": 25000, "203 2023": 100000, "204 2023": 6000,
				"201 2024": 15000, "203 2024": 50000, "207 2024": 4000, "208 2024": 3500, "210 2024": 12000, "202 2024": 25000},
		},
		{
			file: "profile-npsp-dataloader.csv", profile: "npsp", encoding: "utf-8", delimiter: ",",
			rows: 14, used: 9,
			excluded: map[string]int{"status Closed Lost": 1, "status Pledged": 1, "status Prospecting": 1,
				"status Verbal Commitment": 1, "zero amount": 1},
			totals: map[string]steward.Cents{"0011U00001kYaAaQAK 2023": 15000, "0011U00001kYaAbQAK 2023": 50000,
				"0011U00001kYaAcQAK 2023": 250000, "0011U00001kYaAaQAK 2024": 20000, "0011U00001kYaAdQAK 2024": 7500,
				"0011U00001kYaAfQAK 2024": 6000, "0011U00001kYaAcQAK 2024": 250000},
		},
		{
			file: "profile-npsp-report.csv", profile: "npsp-report", encoding: "utf-8", delimiter: ",",
			rows: 17, used: 8,
			excluded: map[string]int{"footer row": 4, "status Closed Lost": 1, "status Pledged": 1,
				"status Qualification": 1, "totals row": 1, "zero amount": 1},
			totals: map[string]steward.Cents{"0014x00000Hs01A 2023": 30000, "0014x00000Hs02B 2023": 120000,
				"0014x00000Hs03C 2023": 500000, "0014x00000Hs02B 2024": 100000, "0014x00000Hs05E 2024": 7500,
				"0014x00000Hs03C 2024": 750000, "0014x00000Hs04D 2024": 10000},
		},
		{
			file: "profile-re-nxt.csv", profile: "raisers-edge", encoding: "utf-8", delimiter: ",",
			rows: 16, used: 11,
			excluded: map[string]int{"gift type MG Pledge": 1, "gift type Pledge": 1, "gift type Recurring Gift": 1,
				"gift type Write Off": 1, "zero amount": 1},
			totals: map[string]steward.Cents{"1042 2023": 50000, "1043 2023": 200000, "1044 2023": 250000, "1045 2023": 5000,
				"1042 2024": 50000, "1043 2024": 100000, "1047 2024": 15000, "1049 2024": 30000, "1044 2024": 123456},
		},
		{
			file: "profile-re7-1252.csv", profile: "raisers-edge-7", encoding: "windows-1252", delimiter: ",",
			rows: 12, used: 9,
			excluded: map[string]int{"gift type Pledge": 1, "gift type Recurring Gift": 1, "zero amount": 1},
			totals: map[string]steward.Cents{"00101 2023": 150000, "00102 2023": 25000, "00103 2023": 100000, "00105 2023": 10000,
				"00101 2024": 130000, "00103 2024": 100000, "00106 2024": 7500, "00107 2024": 4000},
		},
		{
			file: "profile-bloomerang.csv", profile: "bloomerang", encoding: "utf-8", delimiter: ",",
			rows: 12, used: 10,
			excluded: map[string]int{"gift type Pledge": 1, "zero amount": 1},
			totals: map[string]steward.Cents{"101 2023": 10000, "102 2023": 25000, "103 2023": 50000, "104 2023": 4000,
				"101 2024": 15000, "102 2024": 25000, "106 2024": 6000, "104 2024": 2000, "107 2024": 3500},
		},
		{
			file: "profile-donorperfect.csv", profile: "donorperfect", encoding: "utf-8", delimiter: ",",
			rows: 13, used: 10,
			excluded: map[string]int{"gift type P": 2, "zero amount": 1},
			totals: map[string]steward.Cents{"5001 2023": 10000, "5002 2023": 20000, "5003 2023": 75000, "5005 2023": 4000,
				"5001 2024": 12500, "5003 2024": 75000, "5006 2024": 4000, "5005 2024": 6000},
		},
		{
			file: "profile-lgl.csv", profile: "lgl", encoding: "utf-8", delimiter: ",",
			rows: 12, used: 9,
			excluded: map[string]int{"gift type Pledge": 2, "zero amount": 1},
			totals: map[string]steward.Cents{"3301 2023": 10000, "3302 2023": 100000, "3303 2023": 5000, "3304 2023": 30000,
				"3301 2024": 20000, "3302 2024": 100000, "3303 2024": 5000, "3306 2024": 250000, "3307 2024": 4500},
		},
		{
			file: "profile-neon.csv", profile: "neon", encoding: "utf-8", delimiter: ",",
			rows: 14, used: 8,
			excluded: map[string]int{"status Cancelled": 1, "status Declined": 1, "status Deferred": 1,
				"status Pending": 1, "status Refunded": 1, "zero amount": 1},
			totals: map[string]steward.Cents{"1001 2023": 10000, "1002 2023": 50000, "1003 2023": 100000,
				"1001 2024": 12500, "1004 2024": 5000, "1002 2024": 40000, "1009 2024": 150000},
		},
		{
			file: "profile-givebutter.csv", profile: "givebutter", encoding: "utf-8", delimiter: ",",
			rows: 14, used: 9,
			excluded: map[string]int{"refunded": 1, "status authorized": 1, "status cancelled": 1,
				"status failed": 1, "zero amount": 1},
			totals: map[string]steward.Cents{"501 2023": 10000, "502 2023": 10000, "504 2023": 50000,
				"(anonymous) 2024": 2000, "502 2024": 15000, "507 2024": 6000, "504 2024": 25000, "510 2024": 3500},
		},
		{
			file: "profile-stripe.csv", profile: "stripe", encoding: "utf-8", delimiter: ",",
			rows: 12, used: 9,
			excluded: map[string]int{"status Failed": 2, "status Refunded": 1},
			totals: map[string]steward.Cents{"cus_NA1xQe7Rq0aa01 2023": 10000, "cus_NA2xQe7Rq0aa02 2023": 10000,
				"(anonymous) 2023": 2500, "cus_NA2xQe7Rq0aa02 2024": 8000, "cus_NA5xQe7Rq0aa05 2024": 30000,
				"cus_NA1xQe7Rq0aa01 2024": 7500, "cus_NA7xQe7Rq0aa07 2024": 50000, "cus_NA3xQe7Rq0aa03 2024": 10000},
		},
		{
			// Donors are hashed e-mail addresses; the refund row names the
			// organisation as sender (see build_profile_paypal.txtar).
			file: "profile-paypal.csv", profile: "paypal", encoding: "utf-8", delimiter: ",",
			rows: 13, used: 9,
			excluded: map[string]int{"gift type Express Checkout Payment": 1, "type General Withdrawal": 1,
				"status Denied": 1, "status Pending": 1},
		},
		{
			file: "profile-european-1252.csv", profile: "generic", encoding: "windows-1252", delimiter: ";",
			rows: 11, used: 10,
			excluded: map[string]int{"zero amount": 1},
			totals: map[string]steward.Cents{"D-1001 2023": 123456, "D-1002 2023": 10000, "D-1004 2023": 25000,
				"D-1001 2024": 100000, "D-1005 2024": 7550, "(anonymous) 2024": 2000, "D-1004 2024": 20000, "D-1006 2024": 250000},
		},
		{
			file: "profile-unknown-headers.csv", profile: "generic", encoding: "utf-8", delimiter: ";",
			rows: 10, used: 8, rejected: 1,
			excluded: map[string]int{"zero amount": 1},
			totals: map[string]steward.Cents{"77 2023": 2000, "78 2023": 3500, "79 2023": 10000, "(anonymous) 2023": 1000,
				"77 2024": 2500, "79 2024": 10000, "81 2024": 6000, "82 2024": 1500},
		},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, filepath.Ext(tt.file)), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := yearTotals{}
			r := strings.NewReader(string(data))
			src, err := ingest.Read(r, r.Size(), ingest.Options{Name: tt.file}, got)
			if err != nil {
				t.Fatal(err)
			}
			if src.Profile != tt.profile || src.Encoding != tt.encoding || src.Delimiter != tt.delimiter {
				t.Errorf("profile %q, encoding %q, delimiter %q; want %q, %q, %q",
					src.Profile, src.Encoding, src.Delimiter, tt.profile, tt.encoding, tt.delimiter)
			}
			if src.Rows != tt.rows || src.Used != tt.used || src.Rejected != tt.rejected {
				t.Errorf("rows %d, used %d, rejected %d; want %d, %d, %d",
					src.Rows, src.Used, src.Rejected, tt.rows, tt.used, tt.rejected)
			}
			if !maps.Equal(src.Excluded, tt.excluded) {
				t.Errorf("excluded %v; want %v", src.Excluded, tt.excluded)
			}
			if len(src.Warnings) > 0 {
				t.Errorf("warnings: %q", src.Warnings)
			}
			if tt.totals == nil {
				return
			}
			for _, k := range slices.Sorted(maps.Keys(got)) {
				if got[k] != tt.totals[k] {
					t.Errorf("%s: net %s; want %s", k, got[k], tt.totals[k])
				}
			}
			for k, want := range tt.totals {
				if _, ok := got[k]; !ok {
					t.Errorf("%s: no gifts; want %s", k, want)
				}
			}
		})
	}
}

// TestGenericRefundedFlag: an export with no built-in profile whose
// "Refunded" column flags refunded gifts (Givebutter's export with its
// headers retitled) excludes those gifts.
func TestGenericRefundedFlag(t *testing.T) {
	const export = "Transaction ID,Contact ID,Amount,Transaction Date,Status,Refunded\n" +
		"t1,501,50.00,2024-01-15,succeeded,FALSE\n" +
		"t2,502,40.00,2024-02-15,succeeded,TRUE\n" +
		"t3,503,30.00,2024-03-15,succeeded,\n"
	got := yearTotals{}
	r := strings.NewReader(export)
	src, err := ingest.Read(r, r.Size(), ingest.Options{Name: "transactions.csv"}, got)
	if err != nil {
		t.Fatal(err)
	}
	if src.Profile != "generic" || src.Used != 2 || !maps.Equal(src.Excluded, map[string]int{"refunded": 1}) {
		t.Errorf("profile %q, used %d, excluded %v; want generic, 2, map[refunded:1]", src.Profile, src.Used, src.Excluded)
	}
	if want := (yearTotals{"501 2024": 5000, "503 2024": 3000}); !maps.Equal(got, want) {
		t.Errorf("totals %v; want %v", got, want)
	}
}
