package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"steward/ingest"
)

// isTerminal reports whether w is a terminal: progress bars are drawn only
// there, so logs, pipes and CI stay clean.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressReaderAt counts the bytes ingest reads into a progress bar.
type progressReaderAt struct {
	readerAt
	bar *progressbar.ProgressBar
}

func (p progressReaderAt) ReadAt(b []byte, off int64) (int, error) {
	n, err := p.readerAt.ReadAt(b, off)
	p.bar.Add64(int64(n))
	return n, err
}

// Uncounted returns the file, for ingest's look-ahead reads (see
// ingest.Uncounted).
func (p progressReaderAt) Uncounted() io.ReaderAt { return p.readerAt }

var _ ingest.Uncounted = progressReaderAt{}

// withProgress wraps f in a progress bar on w for one file of size bytes,
// or returns f as it is when w is not a terminal. Call done when finished.
func withProgress(w io.Writer, name string, size int64, f readerAt) (r readerAt, done func()) {
	if !isTerminal(w) || size < 8<<20 {
		return f, func() {}
	}
	bar := progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("reading "+name),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetRenderBlankState(true), // starts the clock: a first frame drawn at the first read would show a rate from microseconds
	)
	return progressReaderAt{f, bar}, func() { bar.Finish() }
}
