package site

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"steward"
	"steward/metrics"
)

// computed returns a report computed by package metrics from a generated,
// reproducible set of gifts, so the pages are checked against the shapes
// metrics really produces (not only the hand-built fixture).
func computed(t *testing.T) *metrics.Report {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	camps := []string{"Spring Appeal", "Year-End", "Gala", "=cmd|' /C calc'!A0"}
	chans := []string{"Online", "Cheque", "Card"}
	var gifts []steward.Gift
	for a := 0; a < 700; a++ {
		first := 2020 + rng.IntN(5)
		for y := first; y <= 2025; y++ {
			if y > first && rng.Float64() < 0.45 {
				continue
			}
			n := 1 + rng.IntN(2)
			for k := 0; k < n; k++ {
				d := steward.NewDate(y, time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
				if d > steward.NewDate(2025, 3, 15) {
					continue
				}
				g := steward.Gift{Account: "A" + string(rune('a'+a%26)) + string(rune('a'+a/26)), Date: d,
					Amount: steward.Cents(1000 + rng.IntN(50000)), Campaign: camps[rng.IntN(len(camps))], Channel: chans[rng.IntN(len(chans))], Row: len(gifts) + 2}
				if rng.Float64() < 0.85 {
					g.AckDate = d.AddDays(rng.IntN(12))
				}
				gifts = append(gifts, g)
			}
		}
	}
	s := metrics.DefaultSettings()
	s.FYStartMonth = time.July
	s.Goals = []metrics.GoalSpec{
		{ID: "ret", Label: "Keep more donors", Metric: "retention_rate", Comparison: ">=", Target: 0.45},
		{ID: "ty", Label: "Thank within 48 hours", Metric: "on_time_rate", Comparison: ">=", Target: 0.6},
		{ID: "don", Label: "Grow our donor base", Metric: "donors", Comparison: ">=", Target: 400},
	}
	src := []steward.Source{{File: "gifts.csv", Format: "csv", Kind: steward.KindGifts, Rows: len(gifts), Used: len(gifts)}}
	r, err := metrics.Compute(s, gifts, nil, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestComputedReport(t *testing.T) {
	r := computed(t)
	for _, single := range []bool{false, true} {
		files := build(t, r, Options{Organisation: "Computed", SingleFile: single})
		for name, data := range files {
			if filepath.Ext(name) == ".html" {
				checkPage(t, name, data, single)
			}
		}
		if dir := os.Getenv("STEWARD_SMOKE_DIR"); dir != "" && !single {
			for _, f := range mapFiles(files) {
				p := filepath.Join(dir, "computed", f.Name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, f.Data, 0o644)
			}
		}
	}
}

func mapFiles(m map[string][]byte) []File {
	var out []File
	for n, d := range m {
		out = append(out, File{n, d})
	}
	return out
}
