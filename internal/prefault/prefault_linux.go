package prefault

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// back backs the whole pages of the n bytes at p (MADV_POPULATE_WRITE).
// Their contents are unchanged. The result is ignored: before Linux 5.14
// the call fails, and the pages then fault in on first write as they would
// have.
func back(p unsafe.Pointer, n uintptr) {
	page := uintptr(os.Getpagesize())
	start := (uintptr(p) + page - 1) &^ (page - 1)
	end := (uintptr(p) + n) &^ (page - 1)
	if end <= start {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start)
	_ = unix.Madvise(b, unix.MADV_POPULATE_WRITE)
}

// backHuge advises the whole huge pages of the n bytes at p, which starts
// on a Huge boundary, MADV_HUGEPAGE, then backs all n bytes. Without
// transparent huge pages the advice fails and the pages are small.
func backHuge(p unsafe.Pointer, n uintptr) {
	if h := n &^ (Huge - 1); h > 0 {
		_ = unix.Madvise(unsafe.Slice((*byte)(p), h), unix.MADV_HUGEPAGE)
	}
	back(p, n)
}
