package ingest

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"steward"
)

// benchRows is the size of the generated benchmark inputs.
const benchRows = 20000

func benchCSV() []byte {
	var b bytes.Buffer
	b.WriteString("Id,AccountId,npsp__Primary_Contact__c,Name,Amount,StageName,CloseDate,CampaignId,npsp__Acknowledgment_Date__c\n")
	for i := 0; i < benchRows; i++ {
		n := strconv.Itoa(i)
		stage := "Closed Won"
		if i%10 == 0 {
			stage = "Pledged"
		}
		b.WriteString("OPP-" + n + ",ACC-" + strconv.Itoa(i%3000) + ",CON-" + strconv.Itoa(i%4000) +
			",\"Donor " + n + ": $50\"," + strconv.Itoa(i%500+1) + ".5," + stage + ",2023-" +
			strconv.Itoa(i%12+1) + "-" + strconv.Itoa(i%28+1) + ",CMP-" + strconv.Itoa(i%13) + ",2023-12-31\n")
	}
	return b.Bytes()
}

func BenchmarkReadCSV(b *testing.B) {
	data := benchCSV()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		src, err := Read(bytes.NewReader(data), int64(len(data)), Options{Name: "bench.csv"}, discard{})
		if err != nil || src.Rows != benchRows {
			b.Fatal(src.Rows, err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkReadXLSX(b *testing.B) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	sw.SetRow("A1", []any{"Constituent ID", "Gift Date", "Gift Amount", "Gift Type", "Fund"})
	const n = benchRows / 4
	for i := 0; i < n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{i % 3000, 45000 + i%700, float64(i%500) + 0.25, "Cash", "Annual Fund"})
	}
	sw.Flush()
	var buf bytes.Buffer
	f.Write(&buf)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		src, err := Read(bytes.NewReader(data), int64(len(data)), Options{Name: "bench.xlsx"}, discard{})
		if err != nil || src.Rows != n {
			b.Fatal(src.Rows, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// discard is a Sink that keeps nothing.
type discard struct{}

func (discard) Gift(*steward.Gift)     {}
func (discard) Person(*steward.Person) {}
func (discard) Event(*steward.Event)   {}
