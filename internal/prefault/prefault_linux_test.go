package prefault

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// resident returns how many of the whole pages of b are in memory.
func resident(t *testing.T, b []byte) (in, pages int) {
	t.Helper()
	page := os.Getpagesize()
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := (p + uintptr(page) - 1) &^ uintptr(page-1)
	end := (p + uintptr(len(b))) &^ uintptr(page-1)
	w := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), start-p)), end-start)
	vec := make([]byte, len(w)/page)
	if _, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(unsafe.SliceData(w))), uintptr(len(w)), uintptr(unsafe.Pointer(unsafe.SliceData(vec)))); e != 0 {
		t.Fatal(e)
	}
	for _, v := range vec {
		in += int(v & 1)
	}
	return in, len(vec)
}

func TestMakeBacksBigSlices(t *testing.T) {
	probe := make([]byte, 1<<20)
	if err := unix.Madvise(probe[4096:8192], unix.MADV_POPULATE_WRITE); err != nil {
		t.Skipf("this kernel has no MADV_POPULATE_WRITE (Linux 5.14): %v", err)
	}
	big := Make[uint64](0, 1<<20) // 8 MiB
	if len(big) != 0 || cap(big) != 1<<20 {
		t.Fatalf("len %d cap %d, want 0 and %d", len(big), cap(big), 1<<20)
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(big[:1]))), 8<<20)
	if in, pages := resident(t, b); in != pages {
		t.Errorf("%d of %d pages resident after Make, want all", in, pages)
	}
	for i, v := range big[:cap(big)] {
		if v != 0 {
			t.Fatalf("element %d is %d, want 0", i, v)
		}
	}
	small := Make[byte](3, Min/4) // below Min: made as make makes it
	if len(small) != 3 || cap(small) != Min/4 {
		t.Fatalf("len %d cap %d, want 3 and %d", len(small), cap(small), Min/4)
	}
}

func TestAheadBacksAsTheSliceFills(t *testing.T) {
	probe := make([]byte, 1<<20)
	if err := unix.Madvise(probe[4096:8192], unix.MADV_POPULATE_WRITE); err != nil {
		t.Skipf("this kernel has no MADV_POPULATE_WRITE (Linux 5.14): %v", err)
	}
	s := make([]uint64, 0, 1<<17) // 1 MiB
	step := Step / 8
	bytesOf := func(n int) []byte {
		return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s[:1]))), 8*n)
	}
	backed := 0
	for _, c := range []struct{ need, want int }{
		{0, 0},               // nothing needed: nothing backed
		{10, step},           // a whole step at least
		{step - 1, step},     // already backed
		{step + 1, 2 * step}, // the next step
		{5 * step, 5 * step}, // more than a step at once
		{cap(s), cap(s)},     // up to the end
		{cap(s) + 5, cap(s)}, // never past it
	} {
		Ahead(s, &backed, c.need)
		if backed != c.want {
			t.Fatalf("Ahead(need %d): backed %d, want %d", c.need, backed, c.want)
		}
		if backed > 0 {
			if in, pages := resident(t, bytesOf(backed)); in != pages {
				t.Errorf("need %d: %d of %d pages resident, want all", c.need, in, pages)
			}
		}
	}
}

// TestMakeHuge: a big slice starts on a huge page boundary, has the length
// and capacity asked for, is zero and backed whole; with transparent huge
// pages on, some of it is in huge pages (logged: the kernel may have no
// free huge page at hand). A small one is made as Make makes it.
func TestMakeHuge(t *testing.T) {
	probe := make([]byte, 1<<20)
	if err := unix.Madvise(probe[4096:8192], unix.MADV_POPULATE_WRITE); err != nil {
		t.Skipf("this kernel has no MADV_POPULATE_WRITE (Linux 5.14): %v", err)
	}
	for _, c := range []struct{ n, c int }{{1 << 19, 1 << 19}, {0, 3 << 18}, {5, 1<<20 + 7}} {
		s := MakeHuge[uint64](c.n, c.c)
		if len(s) != c.n || cap(s) != c.c {
			t.Fatalf("MakeHuge(%d, %d): len %d cap %d", c.n, c.c, len(s), cap(s))
		}
		p := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
		if p%Huge != 0 {
			t.Errorf("MakeHuge(%d, %d) starts at %#x, not on a %d-byte boundary", c.n, c.c, p, Huge)
		}
		b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), 8*c.c)
		if in, pages := resident(t, b); in != pages {
			t.Errorf("MakeHuge(%d, %d): %d of %d pages resident, want all", c.n, c.c, in, pages)
		}
		for i, v := range s[:cap(s)] {
			if v != 0 {
				t.Fatalf("element %d is %d, want 0", i, v)
			}
		}
		t.Logf("MakeHuge(%d, %d): %d KiB of the process in huge pages", c.n, c.c, anonHugeKiB(t))
	}
	small := MakeHuge[byte](3, Huge-1) // below Huge: made as Make makes it
	if len(small) != 3 || cap(small) != Huge-1 {
		t.Fatalf("len %d cap %d, want 3 and %d", len(small), cap(small), Huge-1)
	}
}

// anonHugeKiB returns the process's memory in transparent huge pages.
func anonHugeKiB(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "AnonHugePages:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return -1
}
