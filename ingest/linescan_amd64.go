package ingest

import "golang.org/x/sys/cpu"

var haveLineScan = cpu.X86.HasAVX2 && cpu.X86.HasBMI1 && cpu.X86.HasPOPCNT

// lineScanAVX2 looks through b[:n], 32 bytes at a time, for the first line
// feed. It writes the index of each delim before it into pos[:maxPos]
// (nd counts them all) and counts the quotes before it (nq). found
// is false when no line feed is in the whole 32-byte chunks of b; k is
// then where the chunks end, else the index of the line feed.
//
//go:noescape
func lineScanAVX2(b *byte, n int, delim byte, pos *uint32, maxPos int) (k int, nd int, nq int, found bool)

// haveLineScan512 says lineScanAVX512 can be used.
var haveLineScan512 = haveLineScan && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW &&
	cpu.X86.HasAVX512VBMI2 && cpu.X86.HasBMI2

// lineScanAVX512 is lineScanAVX2 64 bytes at a time, to the end of b[:n]:
// found is false when no line feed is in b[:n], and k is then n. pos must
// have room for 16 entries past maxPos.
//
//go:noescape
func lineScanAVX512(b *byte, n int, delim byte, pos *uint32, maxPos int) (k int, nd int, nq int, found bool)
