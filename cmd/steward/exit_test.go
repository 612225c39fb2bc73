package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExitCodes checks that data errors exit 1, usage errors exit 2, and that
// each error is one line on stderr with nothing on stdout.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.csv", "")
	xls := write("old.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"+strings.Repeat("\x00", 600))
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"unknown flag", []string{"build", "--nope"}, exitUsage},
		{"bad month", []string{"build", "--fy-start", "0", empty}, exitUsage},
		{"bad date", []string{"build", "--as-of", "yesterday", empty}, exitUsage},
		{"missing config", []string{"build", "--config", filepath.Join(dir, "none.yaml")}, exitUsage},
		{"empty file", []string{"build", "--out", filepath.Join(dir, "r1"), empty}, exitData},
		{"legacy xls", []string{"build", "--out", filepath.Join(dir, "r2"), xls}, exitData},
		{"missing file", []string{"build", "--out", filepath.Join(dir, "r3"), filepath.Join(dir, "none.csv")}, exitData},
		{"sample bad format", []string{"sample", "--format", "lotus123", "--out", dir}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(append([]string{"steward"}, tt.args...), &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tt.code, stderr.String())
			}
			msg := stderr.String()
			if !strings.HasPrefix(msg, "steward: ") || strings.Count(msg, "\n") != 1 {
				t.Errorf("stderr is not one line starting with steward: %q", msg)
			}
			if strings.Contains(msg, "goroutine") || strings.Contains(msg, "panic") {
				t.Errorf("stderr shows a panic: %s", msg)
			}
		})
	}
}
