package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"steward/sample"
)

// BenchmarkBuild times the whole steward build (read, every metric, every
// page and table written) on a generated NPSP report export of about 60,000
// rows. bench/run compares bigger files with DuckDB.
func BenchmarkBuild(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "npsp-opportunities.csv")
	f, err := os.Create(in)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := sample.Write(w, sample.FormatNPSPReport, sample.Options{Donors: 20000}); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, err := os.Stat(in)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var stdout, stderr bytes.Buffer
		out := filepath.Join(dir, "report")
		if code := Main([]string{"steward", "build", "--quiet", "--out", out, in}, &stdout, &stderr); code != 0 {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
	}
}
