package render

import (
	"fmt"
	"testing"
)

// BenchmarkXLSX writes a workbook of 12 tables of 50 rows, about what a
// report's tables hold.
func BenchmarkXLSX(b *testing.B) {
	var ts []*Table
	for i := range 12 {
		t := &Table{Name: fmt.Sprintf("table%d", i), Columns: []string{"period", "count", "rate", "dollars"}}
		for r := range 50 {
			rate := float64(r) / 51
			t.Rows = append(t.Rows, []Cell{T(fmt.Sprintf("FY%d", 2000+r)), I(r * 37), R(&rate), M(float64(r) * 1234.5)})
		}
		ts = append(ts, t)
	}
	for b.Loop() {
		if _, err := XLSX(ts); err != nil {
			b.Fatal(err)
		}
	}
}
