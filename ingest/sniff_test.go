package ingest

import (
	"testing"

	"golang.org/x/text/encoding/unicode"
)

func utf16(s string, e unicode.Endianness) string {
	b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name, in string
		enc      string
		delim    rune
	}{
		{"plain comma", "a,b,c\n1,2,3\n", "utf-8", ','},
		{"utf-8 bom", "\ufeffa;b\n1;2\n", "utf-8-bom", ';'},
		{"windows-1252", "Name;Betrag\nM\xfcller;1,50\n", "windows-1252", ';'},
		{"cut utf-8 at the end", "a,b\n\xc3\xa9,\xc3", "utf-8", ','},
		{"utf-16le", utf16("a\tb\r\n1\t2\r\n", unicode.LittleEndian), "utf-16le", '\t'},
		{"utf-16be", utf16("a|b|c\n1|2|3\n", unicode.BigEndian), "utf-16be", '|'},
		{"quoted delimiters", "\"a,b\";\"c,d\";e\n\"1,5\";\"2,5\";3\n", "utf-8", ';'},
		{"quoted line break", "a,b\n\"x;\ny;z\",2\n3,4\n", "utf-8", ','},
		{"title rows", "Gift Report\n\nDonor;Date;Amount\n1;2;3\n4;5;6\n", "utf-8", ';'},
		{"decimal commas do not split", "Donor;Amount;Fee\n1;1,50;0,20\n2;2,50;0,30\n", "utf-8", ';'},
		{"excel sep line", "sep=;\r\nDonor;Amount;Fee\r\n1;2,5;0,1\r\n", "utf-8", ';'},
		{"one column", "Amount\n5\n", "utf-8", ','},
		{"empty", "", "utf-8", ','},
		{"utf-16le without bom", utf16("Donor ID;Amount\r\n1;2\r\n", unicode.LittleEndian)[2:], "utf-16le", ';'},
		{"utf-16be without bom", utf16("Donor ID\tAmount\n1\t2\n", unicode.BigEndian)[2:], "utf-16be", '\t'},
		{"one NUL is not utf-16", "a,b\n1,\x002\n", "utf-8", ','},
	}
	for _, tt := range tests {
		enc, d := Sniff([]byte(tt.in))
		if enc != tt.enc || d != tt.delim {
			t.Errorf("%s: Sniff = %q, %q; want %q, %q", tt.name, enc, d, tt.enc, tt.delim)
		}
	}
}
