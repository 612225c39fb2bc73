package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	sampledata "steward/sample-data"
)

// personalValues collects every name, email and account name from the
// bundled sample's personal columns.
func personalValues(t *testing.T) []string {
	t.Helper()
	personal := map[string]bool{"First Name": true, "Last Name": true, "Email": true, "Display Name": true,
		"Account Name": true, "Opportunity Name": true}
	seen := map[string]bool{}
	var out []string
	for _, name := range []string{"people.csv", "civicrm-contributions.csv", "npsp-opportunities.csv"} {
		b, err := fs.ReadFile(sampledata.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
		r.FieldsPerRecord = -1
		header, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		first, last := -1, -1
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range rec {
				if i >= len(header) || !personal[header[i]] {
					continue
				}
				switch header[i] {
				case "First Name":
					first = i
				case "Last Name":
					last = i
				default:
					// Whole values only: a lone first name may be a month ("June").
					if len(v) > 6 && !seen[v] {
						seen[v] = true
						out = append(out, v)
					}
				}
			}
			if first >= 0 && last >= 0 && first < len(rec) && last < len(rec) {
				full := rec[first] + " " + rec[last]
				if !seen[full] {
					seen[full] = true
					out = append(out, full)
				}
			}
		}
	}
	if len(out) < 1000 {
		t.Fatalf("found only %d personal values in the sample; the test would prove little", len(out))
	}
	return out
}

// TestPrivacy builds the sample report and checks that no output file, the
// XLSX's inner XML included, contains any donor's name, email or household.
func TestPrivacy(t *testing.T) {
	values := personalValues(t)
	out := filepath.Join(t.TempDir(), "report")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"steward", "build", "--quiet", "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("build exit %d: %s", code, stderr.String())
	}
	texts := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".xlsx") {
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				return err
			}
			for _, f := range zr.File {
				rc, err := f.Open()
				if err != nil {
					return err
				}
				x, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					return err
				}
				texts[p+":"+f.Name] = string(x)
			}
			return nil
		}
		texts[p] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < 10 {
		t.Fatalf("only %d output files", len(texts))
	}
	// Index every run of one to six tokens of every output, then look each
	// personal value up: exact, and fast enough for thousands of values.
	grams := map[string]string{}
	for name, text := range texts {
		toks := strings.FieldsFunc(html.UnescapeString(text), func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune("<>\"{}[](),;:=`", r)
		})
		for i := range toks {
			g := ""
			for n := 0; n < 6 && i+n < len(toks); n++ {
				if n > 0 {
					g += " "
				}
				g += toks[i+n]
				grams[g] = name
			}
		}
	}
	found := 0
	for _, v := range values {
		if name, ok := grams[strings.Join(strings.Fields(v), " ")]; ok {
			found++
			if found <= 10 {
				t.Errorf("%s contains personal value %q", name, v)
			}
		}
	}
}
