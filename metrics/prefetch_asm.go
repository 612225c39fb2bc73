//go:build amd64 || arm64

package metrics

// prefetchAll asks the processor to bring the line at each address into
// its caches, without waiting for any: unlike a load, a prefetch does not
// hold up the instructions after it, so a whole batch of them is in flight
// at once.
//
//go:noescape
func prefetchAll(addrs []uintptr)
