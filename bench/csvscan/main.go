// Command csvscan measures the floor under Steward's CSV ingest: how long
// splitting a file into records takes with encoding/csv (what ingest uses)
// and with a byte-level splitter, and what the SHA-256 pass costs, each on
// one core and with the byte splitter on -workers goroutines.
//
// Usage:
//
//	go run ./bench/csvscan [-workers 2] gifts.csv
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"time"
)

func main() {
	workers := flag.Int("workers", 2, "goroutines for the parallel byte splitter")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: csvscan [-workers N] FILE")
		os.Exit(2)
	}
	name := flag.Arg(0)
	data, err := os.ReadFile(name) // page cache warm-up and the splitters' input
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	run("sha256 (second read of the file)", func() int {
		f, _ := os.Open(name)
		defer f.Close()
		h := sha256.New()
		io.Copy(h, f)
		h.Sum(nil)
		return bytes.Count(data, []byte{'\n'})
	})
	run("encoding/csv, ReuseRecord", func() int {
		f, _ := os.Open(name)
		defer f.Close()
		r := csv.NewReader(f)
		r.ReuseRecord, r.LazyQuotes, r.FieldsPerRecord = true, true, -1
		n := 0
		for {
			if _, err := r.Read(); err != nil {
				break
			}
			n++
		}
		return n
	})
	run("byte splitter, 1 goroutine", func() int { return split(data, make([][]byte, 0, 32)) })
	run(fmt.Sprintf("byte splitter, %d goroutines", *workers), func() int {
		chunks := chunk(data, *workers)
		var wg sync.WaitGroup
		counts := make([]int, len(chunks))
		for i, c := range chunks {
			wg.Add(1)
			go func() { defer wg.Done(); counts[i] = split(c, make([][]byte, 0, 32)) }()
		}
		wg.Wait()
		n := 0
		for _, c := range counts {
			n += c
		}
		return n
	})
}

// run times f: wall time, and CPU time (user + system of the process, all
// threads), which a busy shared machine stretches much less.
func run(what string, f func() int) {
	c0, t := cpu(), time.Now()
	n := f()
	d, c := time.Since(t), cpu()-c0
	fmt.Printf("%-34s wall %6.3f s  CPU %6.3f s  %6.0f CPU ns/record  (%d records)\n",
		what, d.Seconds(), c.Seconds(), float64(c.Nanoseconds())/float64(max(n, 1)), n)
}

func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// chunk cuts data into n pieces at line ends outside quotes.
func chunk(data []byte, n int) [][]byte {
	var out [][]byte
	for i := 1; i < n && len(data) > 0; i++ {
		cut := recordEnd(data, len(data)/(n-i+1))
		out = append(out, data[:cut])
		data = data[cut:]
	}
	return append(out, data)
}

// recordEnd returns the offset just past the first record end at or after
// from. A real reader tracks the quote state from the start (or from a
// known record start); this one counts quotes from the start of data.
func recordEnd(data []byte, from int) int {
	inQuote := bytes.Count(data[:from], []byte{'"'})%2 == 1
	for i := from; i < len(data); i++ {
		switch data[i] {
		case '"':
			inQuote = !inQuote
		case '\n':
			if !inQuote {
				return i + 1
			}
		}
	}
	return len(data)
}

// split splits data into records and comma-separated fields (quoted fields
// kept as sub-slices with their quotes; doubled quotes are not undone),
// without allocating, and returns the number of records.
func split(data []byte, fields [][]byte) int {
	n := 0
	for len(data) > 0 {
		fields = fields[:0]
		start := 0
		i := 0
	line:
		for i < len(data) {
			switch data[i] {
			case ',':
				fields = append(fields, data[start:i])
				start = i + 1
			case '"':
				if j := bytes.IndexByte(data[i+1:], '"'); j >= 0 {
					i += j + 1
				}
			case '\n':
				break line
			}
			i++
		}
		fields = append(fields, data[start:min(i, len(data))])
		if i < len(data) {
			i++
		}
		data = data[i:]
		n++
	}
	return n
}
