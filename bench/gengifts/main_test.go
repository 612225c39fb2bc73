package main

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestGenerate(t *testing.T) {
	const n, donors = 20000, 500
	path := filepath.Join(t.TempDir(), "gifts.csv")
	if err := run(path, n, donors, 7); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), header) {
		t.Fatalf("header: got %q", strings.SplitN(string(data), "\n", 2)[0])
	}

	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 10
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	contacts := map[string]bool{}
	rows, won, acked := 0, 0, 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("row %d: %v", rows+1, err)
		}
		rows++
		contacts[rec[2]] = true
		if rec[1][3:] != rec[2][3:] {
			t.Errorf("row %d: account %s and contact %s differ", rows, rec[1], rec[2])
		}
		gift, err := time.Parse("1/2/2006", rec[3])
		if err != nil {
			t.Fatalf("row %d: close date: %v", rows, err)
		}
		if gift.Before(firstDay) || gift.After(lastDay) {
			t.Errorf("row %d: close date %s out of 2015-01-01..2025-12-31", rows, rec[3])
		}
		if rec[5] == "Closed Won" {
			won++
		}
		switch rec[7] {
		case "Acknowledged":
			acked++
			ack, err := time.Parse("1/2/2006", rec[6])
			if err != nil {
				t.Fatalf("row %d: acknowledgment date: %v", rows, err)
			}
			if ack.Before(gift) || ack.After(gift.AddDate(1, 0, 0)) {
				t.Errorf("row %d: acknowledged %s for a gift of %s", rows, rec[6], rec[3])
			}
		case "To Be Acknowledged":
			if rec[6] != "" {
				t.Errorf("row %d: not acknowledged but dated %s", rows, rec[6])
			}
		default:
			t.Errorf("row %d: acknowledgment status %q", rows, rec[7])
		}
	}
	if rows != n {
		t.Errorf("%d rows, want %d", rows, n)
	}
	if len(contacts) > donors || len(contacts) < 450 {
		t.Errorf("%d distinct contacts, want 450..%d", len(contacts), donors)
	}
	if share := float64(won) / n; share < 0.95 || share > 0.99 {
		t.Errorf("Closed Won share %.3f, want 0.95..0.99", share)
	}
	if share := float64(acked) / n; share < 0.83 || share > 0.87 {
		t.Errorf("acknowledged share %.3f, want about 0.85", share)
	}

	var again bytes.Buffer
	if err := generate(&again, n, donors, 7); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again.Bytes()) {
		t.Error("two runs with seed 7 differ")
	}
	var other bytes.Buffer
	if err := generate(&other, n, donors, 8); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(data, other.Bytes()) {
		t.Error("seeds 7 and 8 give the same file")
	}
}

// The first rows' fixed parts: IDs, campaign quoting, payment methods.
func TestRowFormat(t *testing.T) {
	var b bytes.Buffer
	if err := generate(&b, 4, 1, 1); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")[1:]
	if len(lines) != 4 {
		t.Fatalf("%d rows, want 4", len(lines))
	}
	for i, want := range []struct{ id, tail string }{
		{"006000000000000000,001000000000000000,003000000000000000,", ",Spring Appeal,Check"},
		{"006000000000000001,001000000000000000,003000000000000000,", ",Year-End Appeal,Credit Card"},
		{"006000000000000002,001000000000000000,003000000000000000,", `,"Gala, 2024",ACH`},
		{"006000000000000003,001000000000000000,003000000000000000,", ",Online,Check"},
	} {
		if !strings.HasPrefix(lines[i], want.id) || !strings.HasSuffix(lines[i], want.tail) {
			t.Errorf("row %d: %s", i, lines[i])
		}
	}
}
