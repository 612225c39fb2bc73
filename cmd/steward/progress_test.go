package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/creack/pty"

	"steward/sample"
)

// sampleFile writes the sample NPSP report export of donors households to
// dir/name and returns its path and size.
func sampleFile(t *testing.T, dir, name string, donors int) (string, int64) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := writeSample(path, sample.FormatNPSPReport, sample.Options{Donors: donors}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, st.Size()
}

// onTerminal runs steward with args, its stderr a pseudo-terminal, and
// returns everything written to that terminal.
func onTerminal(t *testing.T, args ...string) string {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		// Where the system offers pseudo-terminals (/dev/ptmx), CI must be
		// able to open one; some containers have none at all.
		if _, serr := os.Stat("/dev/ptmx"); serr == nil && os.Getenv("CI") == "true" {
			t.Fatalf("no pseudo-terminal: %v", err)
		}
		t.Skipf("no pseudo-terminal here (%v): the progress bar is not tested", err)
	}
	defer ptmx.Close()
	// Wide enough for the bar on one line, as on a usual terminal.
	if err := pty.Setsize(tty, &pty.Winsize{Rows: 24, Cols: 160}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	read := make(chan struct{})
	go func() {
		io.Copy(&out, ptmx) // ends with an error once tty is closed
		close(read)
	}()
	var stdout bytes.Buffer
	code := Main(append([]string{"steward"}, args...), &stdout, tty)
	tty.Close()
	<-read
	if code != 0 {
		t.Fatalf("steward %s: exit %d: %s", strings.Join(args, " "), code, out.String())
	}
	return out.String()
}

// TestProgressBar: steward build draws a progress bar on stderr while it
// reads a big file (8 MiB or more) when stderr is a terminal, and clears it
// when done; a small file, --quiet, or a stderr that is not a terminal get
// none (issue 7).
func TestProgressBar(t *testing.T) {
	dir := t.TempDir()
	big, size := sampleFile(t, dir, "big.csv", 16000)
	small, smallSize := sampleFile(t, dir, "small.csv", 500)
	if size < 8<<20 || smallSize >= 8<<20 {
		t.Fatalf("sample sizes %d and %d: want one over 8 MiB and one under", size, smallSize)
	}
	out := filepath.Join(dir, "report")

	t.Run("terminal", func(t *testing.T) {
		got := onTerminal(t, "build", "--out", out, big)
		frames := strings.Split(got, "\r")
		var bar []string // the frames that draw the bar
		for _, f := range frames {
			if strings.Contains(f, "reading "+big) {
				bar = append(bar, f)
			}
		}
		if len(bar) == 0 {
			t.Fatalf("no progress bar on the terminal:\n%q", got)
		}
		// The first frame is drawn before the first read: 0%, and no rate
		// (a rate taken over the first microseconds read like 164 GB/s).
		if !strings.Contains(bar[0], " 0% |") || strings.Contains(bar[0], "/s)") {
			t.Errorf("first frame %q: want 0%% and no rate", bar[0])
		}
		widest := 0 // in characters, as the bar counts them (█ is one)
		for _, f := range bar {
			widest = max(widest, utf8.RuneCountInString(f))
		}
		// Cleared when done: the last frame is overwritten with spaces, so
		// that what follows on the terminal starts on a clean line.
		i := strings.LastIndex(got, "reading "+big)
		rest := got[i:]
		j := strings.Index(rest, "\r")
		if j < 0 {
			t.Fatalf("the bar is never cleared: %q", rest)
		}
		tail := rest[j:]
		k := strings.Index(tail[1:], "\r")
		if k < 0 || strings.Trim(tail[1:1+k], " ") != "" || k < widest {
			t.Errorf("the last frame is not cleared with %d spaces: %q", widest, tail)
		}
	})

	t.Run("quiet", func(t *testing.T) {
		if got := onTerminal(t, "build", "--quiet", "--out", out, big); got != "" {
			t.Errorf("--quiet printed %q on the terminal; want nothing", got)
		}
	})

	t.Run("small file", func(t *testing.T) {
		if got := onTerminal(t, "build", "--out", out, small); strings.Contains(got, "reading ") {
			t.Errorf("a bar for a file of %d bytes: %q", smallSize, got)
		}
	})

	t.Run("not a terminal", func(t *testing.T) {
		f, err := os.Create(filepath.Join(dir, "stderr"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var stdout bytes.Buffer
		if code := Main([]string{"steward", "build", "--out", out, big}, &stdout, f); code != 0 {
			t.Fatalf("exit %d", code)
		}
		b, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("reading ")) || bytes.Contains(b, []byte("\r")) {
			t.Errorf("a progress bar in a file: %q", b)
		}
		if !strings.Contains(stdout.String(), "steward: read ") {
			t.Errorf("stdout %q: want the summary line", stdout.String())
		}
	})
}
