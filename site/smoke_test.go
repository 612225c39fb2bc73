package site

import (
	"os"
	"path/filepath"
	"testing"

	"steward/metrics"
)

// TestWriteFixture writes the fixture report to $STEWARD_SMOKE_DIR for a
// look in a browser; skipped when the variable is unset.
func TestWriteFixture(t *testing.T) {
	dir := os.Getenv("STEWARD_SMOKE_DIR")
	if dir == "" {
		t.Skip("STEWARD_SMOKE_DIR not set")
	}
	norec := notRecorded()
	norec.Goals = nil
	reports := map[string]*metrics.Report{"multi": fixture(), "single": fixture(), "norec": norec}
	for name, single := range map[string]bool{"multi": false, "single": true, "norec": false} {
		files, err := Build(reports[name], Options{Organisation: "Riverside Food Bank", Accent: "#1f6f8b", SingleFile: single, Version: "v0.1.0"})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			p := filepath.Join(dir, name, f.Name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
