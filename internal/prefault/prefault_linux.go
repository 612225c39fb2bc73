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
