package ingest

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings as reported in Source.Encoding and accepted in Options.Encoding.
const (
	encUTF8    = "utf-8"
	encUTF8BOM = "utf-8-bom"
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
	enc1252    = "windows-1252"
)

// sniffLen is how much of the start of a file the sniffers look at.
const sniffLen = 64 << 10

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	magicZip   = []byte("PK\x03\x04")
	magicOLE   = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// sniffEncoding names the encoding of a text file from its first bytes: a
// BOM decides; else valid UTF-8 (a character cut at the end of the prefix is
// allowed); else Windows-1252. It returns the encoding and the length of the
// BOM to skip.
func sniffEncoding(prefix []byte) (enc string, bom int) {
	switch {
	case bytes.HasPrefix(prefix, bomUTF8):
		return encUTF8BOM, 3
	case bytes.HasPrefix(prefix, bomUTF16LE):
		return encUTF16LE, 2
	case bytes.HasPrefix(prefix, bomUTF16BE):
		return encUTF16BE, 2
	}
	if enc := utf16NoBOM(prefix); enc != "" {
		return enc, 0
	}
	if validUTF8Prefix(prefix) {
		return encUTF8, 0
	}
	return enc1252, 0
}

// utf16NoBOM recognises UTF-16 text without a BOM by its zero bytes: text
// that is mostly ASCII has a zero high byte in most of its characters. It
// returns encUTF16LE, encUTF16BE or "".
func utf16NoBOM(p []byte) string {
	n := min(len(p), 4096) &^ 1
	if n < 4 {
		return ""
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if p[i] == 0 {
			even++
		}
		if p[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*7 && even*20 < pairs:
		return encUTF16LE
	case even*10 >= pairs*7 && odd*20 < pairs:
		return encUTF16BE
	}
	return ""
}

// validUTF8Prefix reports whether p is valid UTF-8 except perhaps for one
// incomplete character at its very end.
func validUTF8Prefix(p []byte) bool {
	if utf8.Valid(p) {
		return true
	}
	for cut := 1; cut < utf8.UTFMax && cut <= len(p); cut++ {
		if utf8.Valid(p[:len(p)-cut]) && !utf8.FullRune(p[len(p)-cut:]) {
			return true
		}
	}
	return false
}

// decoder returns a reader of UTF-8 text from raw bytes in encoding enc,
// with any BOM removed. ok is false for an unknown encoding name.
func decoder(enc string, raw io.Reader) (io.Reader, bool) {
	var e encoding.Encoding
	switch enc {
	case encUTF8, encUTF8BOM, "utf8", "":
		// A BOM is removed whether or not one was expected.
		return transform.NewReader(raw, unicode.BOMOverride(transform.Nop)), true
	case encUTF16LE, "utf-16":
		e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case encUTF16BE:
		e = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case enc1252, "cp1252", "latin1", "iso-8859-1":
		e = charmap.Windows1252
	default:
		return nil, false
	}
	return transform.NewReader(raw, unicode.BOMOverride(e.NewDecoder())), true
}

// candidates are the delimiters the sniffer tries, in order of preference
// when they score the same.
var candidates = [...]byte{',', ';', '\t', '|'}

// sniffDelimiter picks the delimiter of CSV text from its first records: the
// candidate that splits the most records into the same number (> 1) of
// fields, counting only delimiters outside double quotes. Title rows above
// the header lower a candidate's score only a little. It returns ',' when
// nothing splits. An Excel "sep=X" first line decides.
func sniffDelimiter(text []byte) byte {
	// Excel's own hint line: "sep=;".
	if len(text) >= 5 && bytes.EqualFold(text[:4], []byte("sep=")) &&
		(len(text) == 5 || text[5] == '\r' || text[5] == '\n') {
		for _, d := range candidates {
			if text[4] == d {
				return d
			}
		}
	}
	const maxRecords = 60
	best, bestFreq := byte(','), 0
	for _, d := range candidates {
		counts := make(map[int]int)
		n := 0
		fields, inQuote, empty := 1, false, true
		for i := 0; i < len(text) && n < maxRecords; i++ {
			c := text[i]
			switch {
			case c == '"':
				inQuote = !inQuote
				empty = false
			case inQuote:
			case c == d:
				fields++
				empty = false
			case c == '\n':
				if !empty {
					counts[fields]++
					n++
				}
				fields, empty = 1, true
			case c != '\r' && c != ' ':
				empty = false
			}
		}
		if !empty && !inQuote && n < maxRecords {
			counts[fields]++ // last line without a newline
		}
		freq := 0
		for f, c := range counts {
			if f >= 2 && c > freq {
				freq = c
			}
		}
		if freq > bestFreq {
			best, bestFreq = d, freq
		}
	}
	return best
}

// Sniff reports the encoding and delimiter that Read would use for a CSV
// file starting with prefix (at most the first 64 KiB are looked at). The
// encoding is "utf-8", "utf-8-bom" (Read reports it as "utf-8"),
// "utf-16le", "utf-16be" or "windows-1252"; the delimiter is ',', ';',
// '\t' or '|'.
func Sniff(prefix []byte) (encoding string, delimiter rune) {
	if len(prefix) > sniffLen {
		prefix = prefix[:sniffLen]
	}
	enc, _ := sniffEncoding(prefix)
	text := prefix
	if enc != encUTF8 {
		r, _ := decoder(enc, bytes.NewReader(prefix))
		text, _ = io.ReadAll(r)
	}
	return enc, rune(sniffDelimiter(text))
}

// fix1252 returns s with every byte that is not part of valid UTF-8 read as
// Windows-1252: a file that looked like UTF-8 in its first 64 KiB may still
// hold a Windows-1252 "é" further down. Valid text is returned as is.
func fix1252(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			b.WriteRune(charmap.Windows1252.DecodeByte(s[i]))
			i++
			continue
		}
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}
