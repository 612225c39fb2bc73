package prefault

import (
	"os"
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
	small := Make[byte](3, 64<<10)
	if len(small) != 3 || cap(small) != 64<<10 {
		t.Fatalf("len %d cap %d, want 3 and %d", len(small), cap(small), 64<<10)
	}
}
