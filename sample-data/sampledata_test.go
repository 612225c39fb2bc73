package sampledata

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"testing"

	"steward/sample"
)

var update = flag.Bool("update", false, "rewrite the bundled files from package sample")

// TestBundledFilesAreCurrent checks that every bundled file equals what the
// generator writes with the default options, so the two cannot drift.
// With -update it rewrites them instead.
func TestBundledFilesAreCurrent(t *testing.T) {
	for _, format := range sample.Bundle() {
		name := sample.FileName(format)
		var b bytes.Buffer
		if err := sample.Write(&b, format, sample.Options{}); err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := fs.ReadFile(FS(), name)
		if err != nil {
			t.Fatalf("%s is not embedded: %v", name, err)
		}
		if !bytes.Equal(got, b.Bytes()) {
			t.Errorf("%s differs from the generator's output: run go generate ./sample-data/", name)
		}
	}
}

func TestFilesMatchBundle(t *testing.T) {
	var want []string
	for _, f := range sample.Bundle() {
		if f != sample.FormatConfig {
			want = append(want, sample.FileName(f))
		}
	}
	got := Files()
	if len(got) != len(want) {
		t.Fatalf("Files() = %q, want %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("Files() = %q, want %q", got, want)
		}
	}
	if Config != sample.FileName(sample.FormatConfig) {
		t.Errorf("Config = %q", Config)
	}
	cfg, err := fs.ReadFile(FS(), Config)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range got {
		if !bytes.Contains(cfg, []byte("path: "+f)) {
			t.Errorf("%s does not list %s", Config, f)
		}
	}
}

func TestBundleSize(t *testing.T) {
	total := 0
	for _, f := range append(Files(), Config) {
		b, err := fs.ReadFile(FS(), f)
		if err != nil {
			t.Fatal(err)
		}
		total += len(b)
	}
	if total > 3_200_000 {
		t.Errorf("bundled sample is %d bytes; keep it near 3 MB", total)
	}
}
