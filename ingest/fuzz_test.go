package ingest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func addSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && len(b) < 4<<10 {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", "\ufeff", "\xff\xfe", "\xfe\xff\x00a",
		"a;b;c\n1;2;3\n", "a\tb\n1\t2\n", "a|b\n1|2\n", `"a,b";c` + "\n1;2\n",
		"Donor ID,Gift Date,Amount\n1,2024-01-01,5\n",
		"Donor ID,Gift Date,Amount\n\"1,2024-01-01,5\n",
		"Title\n\nDonor ID,Gift Date,Amount\n1,1/2/2024,5\n2,13/2/2024,(5.00)\n,Total,10\n",
		"Contact ID,Event,Event Date\nC1,Gala,2024-01-01\n",
		"Contact ID,Household ID,Opt-In Date\nC1,H1,2024-01-01\n",
		"PK\x03\x04garbage", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
	} {
		f.Add([]byte(s))
	}
}

// FuzzSniff checks that sniffing never panics and always gives a known
// encoding and delimiter.
func FuzzSniff(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		enc, d := Sniff(b)
		switch enc {
		case encUTF8, encUTF8BOM, encUTF16LE, encUTF16BE, enc1252:
		default:
			t.Fatalf("encoding %q", enc)
		}
		if !bytes.ContainsRune([]byte(",;\t|"), d) {
			t.Fatalf("delimiter %q", d)
		}
		// Windows-1252 decodes anything.
		if enc == enc1252 {
			if _, err := charmap.Windows1252.NewDecoder().Bytes(b); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzRead checks that Read never panics, reports errors as *Error, and
// keeps its accounting exact.
func FuzzRead(f *testing.F) {
	addSeeds(f)
	f.Add(reNXTWorkbook(f))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := &collect{}
		src, err := Read(bytes.NewReader(b), int64(len(b)), Options{Name: "fuzz"}, c)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not an *Error: %v", err, err)
			}
			return
		}
		checkInvariant(t, src)
		if len(c.gifts)+len(c.people) > src.Used {
			t.Fatalf("%d records from %d used rows", len(c.gifts)+len(c.people), src.Used)
		}
	})
}
