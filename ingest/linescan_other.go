//go:build !amd64

package ingest

// haveLineScan is false: lines are split by splitLine.
var haveLineScan = false

func lineScanAVX2(b *byte, n int, delim byte, pos *uint32, maxPos int) (k int, nd int, nq int, found bool) {
	panic("lineScanAVX2 is amd64 only")
}

var haveLineScan512 = false

func lineScanAVX512(b *byte, n int, delim byte, pos *uint32, maxPos int) (k int, nd int, nq int, found bool) {
	panic("lineScanAVX512 is amd64 only")
}
