package ingest

import (
	"strings"
	"testing"
)

// TestLastOf: the cache holds the last two keys set, the older one giving
// way to a third; a key longer than 32 bytes is never held.
func TestLastOf(t *testing.T) {
	var c lastOf[int]
	has := func(key string, want int, held bool) {
		t.Helper()
		if v, ok := c.get(key); ok != held || (held && v != want) {
			t.Errorf("get(%q) = %d, %v; want %d, %v", key, v, ok, want, held)
		}
	}
	has("", 0, false)
	c.set("Acknowledged", 1)
	c.set("To Be Acknowledged", 2)
	has("Acknowledged", 1, true)
	has("To Be Acknowledged", 2, true)
	has("Acknowledge", 0, false)
	c.set("", 3) // replaces "Acknowledged", the older
	has("", 3, true)
	has("Acknowledged", 0, false)
	has("To Be Acknowledged", 2, true)
	long := strings.Repeat("x", 33)
	c.set(long, 4)
	has(long, 0, false)
	has("", 3, true)
	c.set(long[:32], 5) // replaces "To Be Acknowledged"
	has(long[:32], 5, true)
	has("To Be Acknowledged", 0, false)
	has("", 3, true)
}
