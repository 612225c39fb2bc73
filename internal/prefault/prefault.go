// Package prefault makes slices whose memory is backed at once.
//
// A fresh page of memory costs a page fault on its first write, and on a
// virtual machine a page fault is costly: on the machine the benchmarks
// run on, about 12 µs per 4 KiB page, so filling 256 MiB one page at a time
// takes 0.75 s of CPU. Backing the same memory a chunk at a time, one
// system call per chunk, takes about 0.2 s. Steward's big tables (the
// donors, their hash slots, the read buffers) are written all over soon
// after they are made, so they lose nothing by being backed early.
package prefault

import "unsafe"

// Min is the smallest slice Make backs at once: below it, the pages fault
// in as they are written.
const Min = 64 << 10

// Make returns make([]T, n, c), its memory backed at once when it is at
// least Min bytes (where the system can: Linux 5.14 and later).
func Make[T any](n, c int) []T {
	s := make([]T, n, c)
	if size := uintptr(c) * unsafe.Sizeof(*new(T)); size >= Min {
		back(unsafe.Pointer(unsafe.SliceData(s)), size)
	}
	return s
}

// Huge is the size of the huge pages MakeHuge asks for.
const Huge = 2 << 20

// MakeHuge is Make for big slices, whose memory it asks the system to back
// with huge pages where it can (Linux with transparent huge pages in
// "madvise" or "always" mode; elsewhere it is Make). The slice starts on a
// Huge boundary (the allocation is Huge bytes longer, the extra never
// written, so never backed), and its whole huge pages are advised
// MADV_HUGEPAGE before they are backed. Below Huge bytes it is Make.
//
// On the virtual machine the benchmarks run on, the first touch of each
// small page costs about 3.5 µs even after it was backed, so a table of
// 128 MiB costs about 0.1 s of CPU as it is first written; in huge pages,
// once the machine has used the memory before, almost nothing.
func MakeHuge[T any](n, c int) []T {
	sz := unsafe.Sizeof(*new(T))
	size := uintptr(c) * sz
	if size < Huge || Huge%sz != 0 {
		return Make[T](n, c)
	}
	s := make([]T, c+int(Huge/sz))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	gap := (Huge - p%Huge) % Huge
	if gap%sz != 0 { // not reached: big allocations start on a page
		back(unsafe.Pointer(unsafe.SliceData(s)), size)
		return s[:n:c]
	}
	off := int(gap / sz)
	s = s[off : off+n : off+c]
	backHuge(unsafe.Pointer(unsafe.SliceData(s)), size)
	return s
}

// Step is how much Ahead backs at a time: 16 pages.
const Step = 64 << 10

// Ahead backs the memory of s[:need] that *backed (a count of elements,
// 0 at first) says is not backed yet, Step bytes or more at a time, and
// moves *backed on. It suits a slice that fills from the front and may
// stay small: its pages are backed a few at a time as it fills, not
// faulted in one by one, and a small table is not backed whole.
func Ahead[T any](s []T, backed *int, need int) {
	if need <= *backed {
		return
	}
	size := int(unsafe.Sizeof(*new(T)))
	end := min(cap(s), max(need, *backed+max(Step/size, 1)))
	back(unsafe.Pointer(unsafe.SliceData(s[*backed:end])), uintptr((end-*backed)*size))
	*backed = end
}
