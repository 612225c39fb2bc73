package ingest

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"steward"
)

// Sinks keep copies: the fast path's strings view its read buffer.
func cloneGift(g steward.Gift) steward.Gift {
	g.Account, g.Contact, g.Currency = strings.Clone(g.Account), strings.Clone(g.Contact), strings.Clone(g.Currency)
	g.Campaign, g.Channel, g.Type = strings.Clone(g.Campaign), strings.Clone(g.Channel), strings.Clone(g.Type)
	return g
}

func clonePerson(p steward.Person) steward.Person {
	p.ID, p.Household = strings.Clone(p.ID), strings.Clone(p.Household)
	return p
}

func cloneEvent(e steward.Event) steward.Event {
	e.Person, e.Name = strings.Clone(e.Person), strings.Clone(e.Name)
	return e
}

// forkCollect is a collect that is a steward.Forker, so that Read may read
// a file in parts.
type forkCollect struct {
	collect
	forks, joins, drops int
}

func (c *forkCollect) Fork() steward.Sink {
	c.forks++
	return &forkCollect{}
}

func (c *forkCollect) Drop(steward.Sink) { c.drops++ }

func (c *forkCollect) Join(s steward.Sink) {
	o := s.(*forkCollect)
	c.joins++
	c.gifts = append(c.gifts, o.gifts...)
	c.people = append(c.people, o.people...)
	c.events = append(c.events, o.events...)
}

// fastSetting is one setting of the fast path's knobs.
type fastSetting struct {
	buffer   int   // maxBuffer
	block    int   // scanBlock
	parallel int64 // parallelMin
	fork     bool  // a forking sink
	steal    int64 // checkEvery and minSteal, with stealWait; 0: the defaults
	hashIdle bool  // hashIdle: the file is hashed by the reading (hashFeed)
	noAVX2   bool  // lines split by splitLine, not lineScanAVX2 or lineScanAVX512
	noAVX512 bool  // lineScanAVX2 where lineScanAVX512 would be used
}

func (s fastSetting) String() string {
	return fmt.Sprintf("buffer=%d/block=%d/parallel=%d/fork=%v/steal=%d/hashIdle=%v/noAVX2=%v/noAVX512=%v", s.buffer, s.block, s.parallel, s.fork, s.steal, s.hashIdle, s.noAVX2, s.noAVX512)
}

// setSteal makes the second goroutine take parts of every n bytes or more
// of the first's range, at checkpoints every n bytes where the first waits
// for it (n > 0), or restores the defaults (n == 0). It returns a func
// that restores the previous setting.
func setSteal(n int64) func() {
	c, m, w := checkEvery, minSteal, stealWait
	if n > 0 {
		checkEvery, minSteal, stealWait = n, n, true
	}
	return func() { checkEvery, minSteal, stealWait = c, m, w }
}

var fastSettings = []fastSetting{
	{50000, 4 << 20, 8 << 20, false, 0, false, false, false},
	{3, 4 << 20, 8 << 20, false, 0, true, false, false},
	{3, 4 << 20, 0, true, 0, false, false, false},
	{1, 4 << 20, 0, true, 0, true, false, false},
	{3, 256, 0, true, 0, true, false, false},
	{2, 64, 0, true, 0, false, false, false},
	{5, 300, 1, false, 0, false, false, false},
	{8, 1 << 10, 0, true, 0, true, false, false},
	{3, 1 << 10, 0, true, 256, true, false, false},
	{2, 64, 0, true, 40, false, false, false},
	{2, 100, 0, true, 40, true, false, false},
	{50000, 4 << 20, 8 << 20, false, 0, false, true, false},
	{3, 300, 0, true, 0, true, true, false},
	{50000, 4 << 20, 8 << 20, false, 0, false, false, true},
	{3, 300, 0, true, 0, true, false, true},
}

// readWith reads data with the fast path and the quick lane (quick.go) on
// or off under setting s, and checks the SHA-256 that Read takes on the
// way (Options.Hash).
func readWith(t *testing.T, name string, data []byte, opt Options, s fastSetting, fast bool) (steward.Source, *collect, string) {
	t.Helper()
	defer func(b, k int, m int64, f, q bool) {
		maxBuffer, scanBlock, parallelMin, fastCSV, quickLane = b, k, m, f, q
	}(maxBuffer, scanBlock, parallelMin, fastCSV, quickLane)
	maxBuffer, scanBlock, parallelMin, fastCSV, quickLane = s.buffer, s.block, s.parallel, fast, fast
	defer setSteal(s.steal)()
	defer func(h, l, w bool) { hashIdle, haveLineScan, haveLineScan512 = h, l, w }(hashIdle, haveLineScan, haveLineScan512)
	hashIdle = s.hashIdle
	haveLineScan = haveLineScan && !s.noAVX2
	haveLineScan512 = haveLineScan512 && !s.noAVX512
	opt.Name = name
	var sink steward.Sink
	c := &forkCollect{}
	sink = &c.collect
	if s.fork {
		sink = c
	}
	h := sha256.New()
	opt.Hash = h
	src, err := Read(bytes.NewReader(data), int64(len(data)), opt, sink)
	msg := ""
	if err != nil {
		msg = err.Error()
	} else if got, want := h.Sum(nil), sha256.Sum256(data); !bytes.Equal(got, want[:]) {
		t.Errorf("%s %v fast=%v: SHA-256 %x, want %x", name, s, fast, got, want)
	}
	return src, &c.collect, msg
}

// sameAsCSV checks that the fast path with the quick lane reads data
// exactly as encoding/csv and the full row rules do, under every setting.
func sameAsCSV(t *testing.T, name string, data []byte, opt Options) {
	t.Helper()
	for _, s := range fastSettings {
		want, wc, werr := readWith(t, name, data, opt, s, false)
		got, gc, gerr := readWith(t, name, data, opt, s, true)
		if gerr != werr {
			t.Errorf("%s %v: error\n%s\nwant\n%s", name, s, gerr, werr)
			continue
		}
		if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("%s %v: Source (-csv +fast, quick lane):\n%s", name, s, d)
		}
		if d := cmp.Diff(wc, gc, cmp.AllowUnexported(collect{}), cmpopts.EquateEmpty()); d != "" {
			t.Errorf("%s %v: records (-csv +fast, quick lane):\n%s", name, s, d)
		}
	}
}

func TestFastTestdata(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, f := range files {
		if !strings.HasSuffix(f, ".csv") && !strings.HasSuffix(f, ".txt") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sameAsCSV(t, filepath.Base(f), data, Options{})
	}
}

// genGifts makes an NPSP-style gift CSV of n rows with the shapes the fast
// path must read like encoding/csv: quoted fields with delimiters, "" and
// line breaks, CRLF, blank and space-only lines, ragged rows, rejects,
// unknown statuses, totals and footer rows, and (odd) bare quotes.
func genGifts(seed int64, n int, odd bool) []byte {
	rng := rand.New(rand.NewSource(seed))
	var b bytes.Buffer
	nl := "\n"
	if rng.Intn(2) == 0 {
		nl = "\r\n"
	}
	if rng.Intn(3) == 0 {
		b.WriteString("\ufeff")
	}
	if rng.Intn(3) == 0 {
		b.WriteString("Gifts report" + nl + nl)
	}
	b.WriteString("Opportunity ID,Account ID,Primary Contact ID,Close Date,Amount,Stage,Acknowledgment Date,Campaign Name,Payment Method" + nl)
	campaigns := []string{"Spring Appeal", `"Gala, 2024"`, `"The ""Big"" Night"`, "\"Two\nlines\"", "\"Two\r\nlines\"", `""`, "Online"}
	stages := []string{"Closed Won", "Closed Won", "Closed Won", "Pledged", "Posted", "Weird Stage " + strconv.Itoa(rng.Intn(3))}
	for i := 0; i < n; i++ {
		switch r := rng.Intn(60); {
		case r == 0:
			b.WriteString(nl)
			continue
		case r == 1:
			b.WriteString("   " + nl)
			continue
		case r == 2:
			b.WriteString("0060" + strconv.Itoa(i) + ",ACC-1" + nl) // ragged
			continue
		case r == 3 && odd:
			b.WriteString(`0060,ACC-1,CON-1,1/2/2023,5,Closed Won,,"Bare "quote" here",Check` + nl)
			continue
		case r == 4 && i > n/3 && rng.Intn(4) == 0:
			b.WriteString(",,,,1234.00,Total,,," + nl)
			continue
		}
		date := fmt.Sprintf("%d/%d/20%02d", rng.Intn(12)+1, rng.Intn(28)+1, 15+rng.Intn(10))
		if rng.Intn(50) == 0 {
			date = "not a date"
		}
		amt := fmt.Sprintf("%d.%02d", rng.Intn(500), rng.Intn(100))
		if rng.Intn(80) == 0 {
			amt = `"1,234.50"`
		}
		ack := ""
		if rng.Intn(3) > 0 {
			ack = fmt.Sprintf("%d/%d/20%02d", rng.Intn(12)+1, rng.Intn(28)+1, 15+rng.Intn(10))
		}
		fmt.Fprintf(&b, "006%06d,ACC-%d,CON-%d,%s,%s,%s,%s,%s,%s", i, rng.Intn(300), rng.Intn(400), date, amt,
			stages[rng.Intn(len(stages))], ack, campaigns[rng.Intn(len(campaigns))], []string{"Check", "ACH", `"Credit Card"`}[rng.Intn(3)])
		if i < n-1 || rng.Intn(2) == 0 {
			b.WriteString(nl)
		} else if rng.Intn(2) == 0 {
			b.WriteString("\r")
		}
	}
	if rng.Intn(3) == 0 {
		b.WriteString("Grand Totals (" + strconv.Itoa(n) + " records)" + nl + "Confidential Information - Do Not Distribute" + nl + "Copyright (c) 2000-2024 salesforce.com" + nl)
	}
	if odd && rng.Intn(2) == 0 {
		b.WriteString(`006,ACC-1,CON-1,1/2/2023,5,Closed Won,,"open to the end`)
	}
	return b.Bytes()
}

func TestFastGenerated(t *testing.T) {
	for seed := int64(0); seed < 40; seed++ {
		n := 50 + int(seed)*23
		sameAsCSV(t, fmt.Sprintf("gen-%d.csv", seed), genGifts(seed, n, seed%3 == 2), Options{})
	}
}

func TestFastLimits(t *testing.T) {
	data := genGifts(7, 400, false)
	// A long field half way down: encoding/csv reports it.
	i := bytes.Index(data[len(data)/2:], []byte("Spring Appeal")) + len(data)/2
	long := append(append(append([]byte{}, data[:i]...), bytes.Repeat([]byte("x"), 300)...), data[i:]...)
	sameAsCSV(t, "long.csv", long, Options{MaxFieldBytes: 200})
	// Windows-1252 labels after the first 64 KiB, which looked like UTF-8.
	big := genGifts(11, 1500, false)
	j := bytes.LastIndex(big, []byte("Spring Appeal"))
	sameAsCSV(t, "late-1252.csv", append(append(append([]byte{}, big[:j]...), "Caf\xe9 "...), big[j:]...), Options{})
	// Quotes around whole fields (read by splitQuoted), and every other
	// quote: in a plain field, "" inside, text after the closing quote, a
	// quoted line break, an unclosed quote.
	quotes := strings.Join([]string{
		"Donor ID,Gift Date,Amount,Campaign,Payment Method",
		`D1,2024-01-01,5.00,"Gala, 2024",Check`,
		`D2,2024-01-02,6.00,Say "hi",Check`,
		`D3,2024-01-03,7.00,"Gala, 2024",O"Neil`,
		`D4,2024-01-04,8.00,"He said ""hi""",Check`,
		`D5,2024-01-05,9.00,"Gala, 2024"x,Check`,
		`D6,2024-01-06,1.00,"",""`,
		`D7,2024-01-07,2.00,"a,b,c",`,
		"\"D8\",2024-01-08,3.00,x,\"y\"\r",
		"D9,2024-01-09,4.00,\"multi\nline\",Check",
		`D10,2024-01-10,5.00,x"y"z,"q"`,
		`"D11","2024-01-11","6.00","Spring, ""A""","Check"`,
		`D12,2024-01-12,7.00,"open,Check`,
	}, "\n") + "\n"
	quotes = strings.Replace(quotes, "\n", "\n"+strings.Repeat("D0,2024-01-01,5.00,\"Gala, 2024\",Check\n", 300), 1)
	sameAsCSV(t, "quotes.csv", []byte(quotes), Options{})
	gala := "Donor ID,Gift Date,Amount,Campaign\n" + strings.Repeat("D1,2024-01-01,5.00,\"Gala, 2024\"\n", 300)
	// More delimiters than lineScanAVX2 keeps the places of.
	sameAsCSV(t, "wide.csv", []byte(gala+"D2,2024-01-02,6.00,Spring"+strings.Repeat(",", 300)+"\n"+gala[35:]), Options{})
	sameAsCSV(t, "quotes-long.csv", []byte(gala+"D2,2024-01-02,6.00,\"Year-End Appeal, 2024\"\n"), Options{MaxFieldBytes: 12})
	sameAsCSV(t, "semicolon.csv", bytes.ReplaceAll(data, []byte(","), []byte(";")), Options{})
	sameAsCSV(t, "tab.csv", bytes.ReplaceAll(data, []byte(","), []byte("\t")), Options{Delimiter: '\t'})
	// Two currencies, the second in the second half.
	var b bytes.Buffer
	b.WriteString("Donor ID,Gift Date,Amount,Currency\n")
	for i := 0; i < 300; i++ {
		cur := "USD"
		if i > 250 {
			cur = "EUR"
		}
		fmt.Fprintf(&b, "D%d,2024-01-%02d,%d.00,%s\n", i%17, i%28+1, i%90+1, cur)
	}
	sameAsCSV(t, "currencies.csv", b.Bytes(), Options{})
	sameAsCSV(t, "currencies-kept.csv", b.Bytes(), Options{Currency: "usd"})
	// The first currency only in the second half.
	sameAsCSV(t, "late-currency.csv", bytes.Replace(bytes.ReplaceAll(b.Bytes(), []byte(",USD\n"), []byte(",\n")), []byte(",\n"), []byte(",usd\n"), 0), Options{})
}

func TestFastParallelJoins(t *testing.T) {
	// Rows with no quotes and no footer: every part boundary holds, so
	// every part read to its end is joined, wherever the split falls.
	var b bytes.Buffer
	b.WriteString("Opportunity ID,Account ID,Close Date,Amount,Stage\n")
	for i := range 2000 {
		fmt.Fprintf(&b, "006%06d,ACC-%d,%d/%d/2023,%d.50,Closed Won\n", i, i%300, i%12+1, 13+i%15, i%400+1)
	}
	data := b.Bytes()
	_, _, err := readWith(t, "join.csv", data, Options{}, fastSetting{3, 4 << 20, 0, true, 0, true, false, false}, true)
	if err != "" {
		t.Fatal(err)
	}
	defer func(b, k int, m int64) { maxBuffer, scanBlock, parallelMin = b, k, m }(maxBuffer, scanBlock, parallelMin)
	maxBuffer, parallelMin = 3, 0
	c := &forkCollect{}
	if _, err := Read(bytes.NewReader(data), int64(len(data)), Options{Name: "join.csv"}, c); err != nil {
		t.Fatal(err)
	}
	if c.forks != 1+maxSteals || c.joins < 1 || c.joins+c.drops != c.forks {
		t.Errorf("forks %d, joins %d, drops %d; want %d forks, each joined or dropped, one joined at least", c.forks, c.joins, c.drops, 1+maxSteals)
	}
	// With the first goroutine waiting for the second at checkpoints, the
	// second takes parts of the first's range, and they are joined.
	defer setSteal(1 << 10)()
	c = &forkCollect{}
	if _, err := Read(bytes.NewReader(data), int64(len(data)), Options{Name: "join.csv"}, c); err != nil {
		t.Fatal(err)
	}
	if c.joins < 3 || c.joins+c.drops != c.forks {
		t.Errorf("forks %d, joins %d, drops %d; want 3 joined at least", c.forks, c.joins, c.drops)
	}
	sameAsCSV(t, "join.csv", data, Options{})
}

func FuzzFastPath(f *testing.F) {
	addSeeds(f)
	f.Add(genGifts(1, 30, true))
	f.Add(genGifts(2, 30, false))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		sameAsCSV(t, "fuzz.csv", data, Options{})
	})
}

func TestTrimSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a", "a ", "\ta\r", "a\u00a0", "\u00a0a", "\u3000x", "x\u0085", "~", "!", "\x7f", "a b", "\x00", "é"} {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestCacheSlotSpread(t *testing.T) {
	used := map[int]bool{}
	n := 0
	for y := 2015; y <= 2025; y++ {
		for m := 1; m <= 12; m++ {
			for d := 1; d <= 28; d++ {
				used[cacheSlot(fmt.Sprintf("%d/%d/%d", m, d, y))&(len(dateCache{})-1)] = true
				n++
			}
		}
	}
	// Random slots would fill about 36% of the table's 8192.
	if len(used) < n*3/4 {
		t.Errorf("%d dates fill %d slots", n, len(used))
	}
}

// TestFieldEnd checks fieldEnd against a byte loop at every start of
// random lines of delimiters, line feeds, quotes and other bytes,
// including bytes with the high bit set.
func TestFieldEnd(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []byte{',', ';', '\n', '"', 'a', 0x80, 0xac, 0x2c ^ 0x80, 0x0a ^ 0x80, 0}
	for n := 0; n < 3000; n++ {
		b := make([]byte, rng.Intn(40))
		for i := range b {
			b[i] = alphabet[rng.Intn(len(alphabet))]
		}
		for _, delim := range []byte{',', ';'} {
			for i := 0; i <= len(b); i++ {
				want := i
				for want < len(b) && b[want] != delim && b[want] != '\n' {
					want++
				}
				if got := fieldEnd(b, i, delim); got != want {
					t.Fatalf("fieldEnd(%q, %d, %q) = %d, want %d", b, i, delim, got, want)
				}
			}
		}
	}
}

// TestLineScan checks lineScanAVX2 and lineScanAVX512 against a byte loop
// on random text of line feeds, quotes, delimiters, CRs and letters, from
// every start.
func TestLineScan(t *testing.T) {
	if !haveLineScan {
		t.Skip("lineScanAVX2 needs an amd64 processor with AVX2, BMI1 and POPCNT")
	}
	t.Run("AVX2", func(t *testing.T) { checkLineScan(t, lineScanAVX2, 32) })
	t.Run("AVX512", func(t *testing.T) {
		if !haveLineScan512 {
			t.Skip("lineScanAVX512 needs an amd64 processor with AVX-512 F, BW and VBMI2, and BMI2")
		}
		checkLineScan(t, lineScanAVX512, 1)
	})
}

// checkLineScan checks scan, which looks through the whole chunks of
// chunk bytes of its text (1: all of it).
func checkLineScan(t *testing.T, scan func(b *byte, n int, delim byte, pos *uint32, maxPos int) (int, int, int, bool), chunk int) {
	rng := rand.New(rand.NewSource(1))
	for n := range 3000 {
		// Few places kept, or enough for a whole chunk of delimiters.
		maxPos := []int{8, 100}[n%2]
		pos := make([]uint32, maxPos+16) // lineScanAVX512 may write 16 past maxPos
		delim := ",;\t|"[rng.Intn(4)]
		alphabet := string(delim) + "\n\"\rab;,"
		if n%3 == 0 {
			alphabet = string(delim) + string(delim) + string(delim) + "\"" // a line feed now and then below
		}
		b := make([]byte, rng.Intn(200))
		for i := range b {
			if n%3 == 0 && rng.Intn(150) == 0 {
				b[i] = '\n'
			} else if n%3 == 0 || rng.Intn(4) == 0 {
				b[i] = alphabet[rng.Intn(len(alphabet))]
			} else {
				b[i] = 'x'
			}
		}
		for from := range b {
			c := b[from:]
			// What the whole chunks of c hold before the first line feed.
			whole := len(c) / chunk * chunk
			wantK, wantFound, wantQuotes := whole, false, 0
			var wantPos []uint32
			for i := 0; i < whole; i++ {
				if c[i] == '\n' {
					wantK, wantFound = i, true
					break
				}
				if c[i] == '"' {
					wantQuotes++
				}
				if c[i] == delim {
					wantPos = append(wantPos, uint32(i))
				}
			}
			k, nd, nq, found := scan(&c[0], len(c), delim, &pos[0], maxPos)
			if k != wantK || nd != len(wantPos) || nq != wantQuotes || found != wantFound {
				t.Fatalf("scan(%q, %q) = %d, %d, %v, %v; want %d, %d, %v, %v", c, delim, k, nd, nq, found, wantK, len(wantPos), wantQuotes, wantFound)
			}
			if n := min(nd, maxPos); !slices.Equal(pos[:n], wantPos[:n]) {
				t.Fatalf("scan(%q, %q): delimiters at %v, want %v", c, delim, pos[:n], wantPos[:n])
			}
		}
	}
}
