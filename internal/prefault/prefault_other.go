//go:build !linux

package prefault

import "unsafe"

// back does nothing here: the pages fault in on first write.
func back(p unsafe.Pointer, n uintptr) {}

// backHuge does nothing here.
func backHuge(p unsafe.Pointer, n uintptr) {}
