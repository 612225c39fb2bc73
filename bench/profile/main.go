// Command profile runs the work of `steward build FILE` (ingest.Read into a
// metrics.Accumulator, taking the file's SHA-256 on the way,
// Accumulator.Report, site.Build, writing the files) with CPU and heap profiles, and prints the time, heap
// and allocations of each phase and per row.
//
// Usage:
//
//	go build -o /tmp/bench-data/profile ./bench/profile
//	/tmp/bench-data/profile -cpuprofile cpu.pprof -memprofile heap.pprof gifts.csv
//	go tool pprof -top -nodecount=25 /tmp/bench-data/profile cpu.pprof
//	go tool pprof -sample_index=alloc_space -top heap.pprof
//
// The heap profile is written right after ingest, when the accumulator holds
// every donor: inuse_space shows what the donors cost, alloc_space what
// reading the rows allocated. -endprofile writes a second one at the end.
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"steward"
	"steward/ingest"
	"steward/metrics"
	"steward/site"
)

func main() {
	var (
		cpuProfile = flag.String("cpuprofile", "", "write a CPU profile to `FILE`")
		memProfile = flag.String("memprofile", "", "write a heap profile after ingest to `FILE`")
		endProfile = flag.String("endprofile", "", "write a heap profile after the whole build to `FILE`")
		memRate    = flag.Int("memprofilerate", 0, "runtime.MemProfileRate in bytes (0: Go's default, 512 KiB)")
		out        = flag.String("out", "", "write the report files into `DIR` (default: only build them)")
		donorKey   = flag.String("donor-key", "contact", "account or contact")
		skipHash   = flag.Bool("nohash", false, "take no SHA-256 of the file while reading it, to measure its cost")
	)
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: profile [flags] FILE")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if *memRate > 0 {
		runtime.MemProfileRate = *memRate
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	if err := build(flag.Arg(0), *donorKey, *skipHash, *memProfile, *endProfile, *out); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintf(os.Stderr, "profile: %v\n", err)
		os.Exit(1)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "profile: %v\n", err)
		os.Exit(1)
	}
}

// phases prints one line per phase: wall time, bytes and objects allocated,
// live heap at its end.
type phases struct {
	start time.Time
	cpu   time.Duration // CPU time of the process at start
	last  runtime.MemStats
	rows  int
}

// cpuTime returns the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func newPhases() *phases {
	p := &phases{start: time.Now(), cpu: cpuTime()}
	runtime.ReadMemStats(&p.last)
	fmt.Printf("%-10s %8s %8s %10s %12s %10s\n", "phase", "seconds", "CPU s", "alloc MB", "allocs", "heap MB")
	return p
}

func (p *phases) done(name string) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	now, cpu := time.Now(), cpuTime()
	fmt.Printf("%-10s %8.3f %8.3f %10.1f %12d %10.1f\n", name, now.Sub(p.start).Seconds(), (cpu - p.cpu).Seconds(),
		float64(m.TotalAlloc-p.last.TotalAlloc)/(1<<20), m.Mallocs-p.last.Mallocs, float64(m.HeapAlloc)/(1<<20))
	if name == "ingest" && p.rows > 0 {
		fmt.Printf("%-10s %8s %8s %10.0f %12.2f   (bytes and allocations per row)\n", "  per row", "", "",
			float64(m.TotalAlloc-p.last.TotalAlloc)/float64(p.rows), float64(m.Mallocs-p.last.Mallocs)/float64(p.rows))
	}
	p.start, p.cpu, p.last = now, cpu, m
}

// skip leaves the time and allocations since the last phase out of the next.
func (p *phases) skip() {
	runtime.ReadMemStats(&p.last)
	p.start, p.cpu = time.Now(), cpuTime()
}

func build(file, donorKey string, skipHash bool, memProfile, endProfile, out string) error {
	t0 := time.Now()
	ph := newPhases()
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	opt := ingest.Options{Name: filepath.Base(file)}
	if !skipHash {
		opt.Hash = sha256.New() // taken while the file is read, as steward build does
	}

	s := metrics.DefaultSettings()
	s.FYStartMonth = time.January
	s.DonorKey = donorKey
	acc := metrics.NewAccumulator(s)
	acc.Expect(size) // as build does with its inputs' size
	src, err := ingest.Read(f, size, opt, acc)
	if err != nil {
		return err
	}
	src.File, src.Bytes = filepath.Base(file), size
	ph.rows = src.Rows
	ph.done("ingest")
	if memProfile != "" {
		if err := writeHeap(memProfile); err != nil {
			return err
		}
		ph.skip()
	}

	rep, err := acc.Report([]steward.Source{src})
	if err != nil {
		return err
	}
	ph.done("report")
	files, err := site.Build(rep, site.Options{})
	if err != nil {
		return err
	}
	ph.done("site")
	if out != "" {
		for _, fl := range files {
			p := filepath.Join(out, filepath.FromSlash(fl.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, fl.Data, 0o644); err != nil {
				return err
			}
		}
		ph.done("write")
	}
	if endProfile != "" {
		if err := writeHeap(endProfile); err != nil {
			return err
		}
	}

	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	total := time.Since(t0).Seconds()
	fmt.Printf("rows %d (used %d), donors %d, %.2f s, %.0f rows/s, peak RSS %.0f MiB, Go Sys %.0f MiB, GCs %d, GC CPU %.1f%%\n",
		src.Rows, src.Used, donorCount(rep), total, float64(src.Rows)/total,
		float64(ru.Maxrss)/1024, float64(m.Sys)/(1<<20), m.NumGC, 100*m.GCCPUFraction)
	return nil
}

// donorCount is the number of donors in the report's latest period.
func donorCount(r *metrics.Report) int {
	n := 0
	for _, p := range r.Retention {
		n = max(n, p.Donors)
	}
	return n
}

// writeHeap writes a heap profile after a GC, so inuse figures are live data.
func writeHeap(name string) error {
	runtime.GC()
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.WriteHeapProfile(f)
}
