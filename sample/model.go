package sample

import (
	"cmp"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"steward"
)

// model holds the calendar and population sizes derived from Options.
type model struct {
	opt       Options
	endFY     int          // fiscal year label of End (year to date)
	firstFY   int          // first fiscal year of history
	histStart steward.Date // first day of firstFY
	policy    steward.Date // new thank-you policy from this date on

	households int // NPSP donor households
	prospects  int // NPSP contacts who never gave (own households)
	anonymous  int // pseudo-entities of anonymous NPSP gifts
	civi       int // CiviCRM contacts
	re         int // Raiser's Edge constituents
	reBase     int // first Raiser's Edge constituent number

	season      [12]float64 // monthWeight by month of the fiscal year
	seasonTotal float64
}

func newModel(opt Options) *model {
	m := &model{opt: opt}
	m.endFY = m.fy(opt.End)
	m.firstFY = m.endFY - opt.Years + 1
	m.histStart = m.fyStart(m.firstFY)
	m.policy = m.fyStart(m.endFY - 2)
	for i := range m.season {
		m.season[i] = monthWeight[(int(opt.FYStartMonth)-1+i)%12+1]
		m.seasonTotal += m.season[i]
	}
	m.households = opt.Donors
	m.prospects = scale(opt.Donors, 0.8)
	m.anonymous = scale(opt.Donors, 0.006)
	m.civi = scale(opt.Donors, 0.24)
	m.re = scale(opt.Donors, 0.06)
	m.reBase = 800000
	for civiID(m.civi) >= m.reBase {
		m.reBase *= 10
	}
	return m
}

func scale(n int, f float64) int {
	v := int(math.Round(float64(n) * f))
	if v < 1 {
		v = 1
	}
	return v
}

// fy returns the fiscal year label of d: the calendar year in which its
// fiscal year ends.
func (m *model) fy(d steward.Date) int {
	y, mo, _ := d.Civil()
	if m.opt.FYStartMonth != time.January && mo >= m.opt.FYStartMonth {
		return y + 1
	}
	return y
}

// fyStart returns the first day of fiscal year label y.
func (m *model) fyStart(y int) steward.Date {
	if m.opt.FYStartMonth == time.January {
		return steward.NewDate(y, time.January, 1)
	}
	return steward.NewDate(y-1, m.opt.FYStartMonth, 1)
}

// rng returns the random stream of entity i of population kind.
func (m *model) rng(kind uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(m.opt.Seed), kind<<48|uint64(i)))
}

// Population kinds, each its own random streams.
const (
	popHousehold = iota + 1
	popProspect
	popAnonymous
	popCivi
	popRE
	popPeople
	popCiviTest
)

// galaDate returns the Reading Gala of calendar year y: the last Saturday of
// April.
func galaDate(y int) steward.Date {
	d := steward.NewDate(y, time.April, 30)
	for d.Weekday() != time.Saturday {
		d--
	}
	return d
}

// monthWeight is the share of a year's gifts in each calendar month: a
// year-end spike, a spring appeal and gala, a quiet summer.
var monthWeight = [13]float64{0, 5, 4, 6, 9, 8, 6, 4, 4, 5, 7, 11, 31}

// seasonalDate draws a gift date in fiscal year fy with the seasonality of
// monthWeight, or NoDate when it falls after lim.
func (m *model) seasonalDate(r *rand.Rand, fy int, lim steward.Date) steward.Date {
	x := r.Float64() * m.seasonTotal
	i := 0
	for ; i < 11; i++ {
		x -= m.season[i]
		if x < 0 {
			break
		}
	}
	mo0 := int(m.opt.FYStartMonth) - 1 + i
	y := fy + mo0/12
	if m.opt.FYStartMonth != time.January {
		y--
	}
	mo := time.Month(mo0%12 + 1)
	var d steward.Date
	switch {
	case mo == time.December && r.IntN(10) < 4:
		d = steward.NewDate(y, mo, 26+r.IntN(6)) // the last week of the year
	case mo == time.April && r.IntN(10) < 4:
		d = galaDate(y)
	default:
		d = steward.NewDate(y, mo, 1+r.IntN(steward.DaysIn(y, mo)))
	}
	if d > lim {
		return steward.NoDate
	}
	return d
}

// appeal names the appeal a gift on d answers, or "".
func appeal(d steward.Date) string {
	y, mo, day := d.Civil()
	switch {
	case d == galaDate(y):
		return "Reading Gala " + strconv.Itoa(y)
	case mo >= time.November:
		return "Year-End Appeal " + strconv.Itoa(y)
	case mo == time.January && day <= 20:
		return "Year-End Appeal " + strconv.Itoa(y-1)
	case mo == time.March && day >= 10, mo == time.April, mo == time.May:
		return "Spring Appeal " + strconv.Itoa(y)
	case mo == time.June, mo == time.July:
		return "Summer Reading Drive " + strconv.Itoa(y)
	}
	return ""
}

// Thank-you outcomes.
const (
	ackNone    = iota // not (yet) thanked
	ackDone           // thanked on ackDate
	ackDoNot          // do not acknowledge
	ackBlank          // no status at all (non-gift rows)
	ackNeedsIt        // explicitly waiting (RE "Needs Acknowledgement")
)

// thankYou draws the thank-you of a gift received on d: the policy of the
// day, a December backlog, weekends off, a few never thanked, and a rare
// data-entry error that dates the letter before the gift. It returns
// ackNone when the letter would go out after End (still in the queue).
func (m *model) thankYou(r *rand.Rand, d steward.Date, careful bool) (steward.Date, int) {
	newPolicy := d >= m.policy
	miss := 0.12
	if newPolicy {
		miss = 0.05
	}
	if careful {
		miss /= 2
	}
	if r.Float64() < miss {
		return steward.NoDate, ackNone
	}
	var lat int
	x := r.Float64()
	if newPolicy {
		switch {
		case x < 0.88:
			lat = r.IntN(3)
		case x < 0.96:
			lat = 3 + r.IntN(5)
		case x < 0.99:
			lat = 8 + r.IntN(13)
		default:
			lat = 21 + r.IntN(25)
		}
	} else {
		switch {
		case x < 0.40:
			lat = r.IntN(3)
		case x < 0.72:
			lat = 3 + r.IntN(7)
		case x < 0.91:
			lat = 10 + r.IntN(16)
		default:
			lat = 26 + r.IntN(40)
		}
	}
	_, mo, day := d.Civil()
	if mo == time.December || (mo == time.January && day <= 5) {
		if newPolicy {
			lat += r.IntN(3)
		} else {
			lat += 3 + r.IntN(10)
		}
	}
	a := d.AddDays(lat)
	if !newPolicy { // letters went out on weekdays; now emails go out daily
		switch a.Weekday() {
		case time.Saturday:
			a += 2
		case time.Sunday:
			a++
		}
	}
	if a > m.opt.End {
		return steward.NoDate, ackNone
	}
	// Data-entry errors: a January letter typed with last year's date, or a
	// slip of a few days.
	ay, amo, aday := a.Civil()
	if amo == time.January && mo == time.December && r.IntN(40) == 0 {
		a = steward.NewDate(ay-1, time.January, aday)
	} else if r.IntN(600) == 0 {
		a = d.AddDays(-1 - r.IntN(20))
	}
	return a, ackDone
}

// amount levels donors choose from, in cents.
var levels = []int64{10_00, 15_00, 20_00, 25_00, 30_00, 35_00, 40_00, 50_00, 60_00, 75_00,
	100_00, 120_00, 150_00, 200_00, 250_00, 300_00, 500_00, 750_00, 1000_00, 1500_00,
	2000_00, 2500_00, 5000_00, 7500_00, 10000_00, 15000_00, 25000_00, 50000_00, 100000_00}

// logLevels are the natural logarithms of levels.
var logLevels = func() []float64 {
	out := make([]float64, len(levels))
	for i, l := range levels {
		out[i] = math.Log(float64(l))
	}
	return out
}()

// level returns the index of the level nearest (on a log scale) a lognormal
// draw with the given median (cents) and spread.
func level(r *rand.Rand, median float64, sigma float64) int {
	v := math.Log(median) + sigma*r.NormFloat64()
	best := 0
	for i, l := range logLevels {
		if math.Abs(l-v) < math.Abs(logLevels[best]-v) {
			best = i
		}
	}
	return best
}

func clampLevel(i int) int {
	return max(0, min(i, len(levels)-1))
}

// oddAmount is a gift that is not a round level: a payroll deduction, a
// donor covering fees.
func oddAmount(r *rand.Rand, base int64) int64 {
	v := float64(base) * (0.6 + 0.8*r.Float64())
	return int64(math.Round(v/5)) * 5
}

// row is a generated export row in a fiscal-year pass.
type row struct {
	ent int32 // entity index
	seq int32 // order within the entity
	g   gift  // a copy, so the entity's other years can be freed
}

// gift is one generated transaction, in a system-neutral form that each
// writer renders in its own vocabulary.
type gift struct {
	date     steward.Date
	secs     int32 // seconds after midnight (CiviCRM)
	cents    int64
	status   string // system status text: Stage, Contribution Status
	typ      string // NPSP Type, Civi Financial Type, RE Gift Type
	subtype  string // RE Gift subtype, Civi Contribution Source
	campaign string
	appeal   string // RE Appeal
	fund     string // RE Fund
	method   string
	ack      int
	ackDate  steward.Date
	receipt  bool // CiviCRM: automatic receipt at contribution time
	test     bool // CiviCRM test mode
	label    string
	note     string // a second line in the NPSP opportunity name
	anon     bool
}

// passes calls gen for each of n entities once per fiscal year of history
// (plus a pass for rows dated after End), keeps that year's rows, sorts them
// by date, time and entity, and hands them to fn. Memory is bounded by one
// fiscal year of rows.
func (m *model) passes(n int, gen func(i int) []gift, fn func(ent int, g *gift) error) error {
	for fy := m.firstFY; fy <= m.endFY+1; fy++ {
		var rows []row
		for i := 0; i < n; i++ {
			for j, g := range gen(i) {
				gfy := min(max(m.fy(g.date), m.firstFY), m.endFY+1)
				if gfy == fy {
					rows = append(rows, row{ent: int32(i), seq: int32(j), g: g})
				}
			}
		}
		slices.SortFunc(rows, func(x, y row) int {
			if c := cmp.Compare(x.g.date, y.g.date); c != 0 {
				return c
			}
			if c := cmp.Compare(x.g.secs, y.g.secs); c != 0 {
				return c
			}
			if c := cmp.Compare(x.ent, y.ent); c != 0 {
				return c
			}
			return cmp.Compare(x.seq, y.seq)
		})
		for k := range rows {
			if err := fn(int(rows[k].ent), &rows[k].g); err != nil {
				return err
			}
		}
	}
	return nil
}

// Salesforce ids: key prefix, pod "5e", zeros, five base62 digits.
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// sfid returns the 15-character id number n of the object with the given key
// prefix ("001" account, "003" contact, "006" opportunity, "701" campaign).
func sfid(prefix string, n int) string {
	v := 3_000_000 + n*7 // gaps, as other records were created in between
	var b [5]byte
	for i := 4; i >= 0; i-- {
		b[i] = base62[v%62]
		v /= 62
	}
	return prefix + "5e00000" + string(b[:])
}

// flushFull writes b to w and empties it once it holds more than 32 KiB.
func flushFull(w io.Writer, b *strings.Builder) error {
	if b.Len() <= 32<<10 {
		return nil
	}
	_, err := io.WriteString(w, b.String())
	b.Reset()
	return err
}

// reportFooter ends a Salesforce report export of n records: a blank line,
// the grand total, a blank line, the confidentiality line and the copyright
// up to the year of End.
func (m *model) reportFooter(b *strings.Builder, n int) {
	b.WriteString("\r\n")
	quoteAll(b, "\r\n", "Grand Totals ("+itoa(n)+" records)")
	b.WriteString("\r\n")
	quoteAll(b, "\r\n", "Confidential Information - Do Not Distribute")
	y, _, _ := m.opt.End.Civil()
	quoteAll(b, "\r\n", "Copyright (c) 2000-"+itoa(y)+" salesforce.com, inc. All rights reserved.")
}

// sfid18 returns the 18-character form of a 15-character id: three checksum
// characters recording which characters are upper case.
func sfid18(id string) string {
	const suffix = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
	var b strings.Builder
	b.WriteString(id)
	for c := 0; c < 3; c++ {
		f := 0
		for i := 0; i < 5; i++ {
			ch := id[c*5+i]
			if ch >= 'A' && ch <= 'Z' {
				f |= 1 << i
			}
		}
		b.WriteByte(suffix[f])
	}
	return b.String()
}

func civiID(i int) int { return 1200 + i*4 + int(uint32(i)*2654435761>>30) }

// Date formats.
func mdy(d steward.Date) string {
	if d == steward.NoDate {
		return ""
	}
	y, mo, day := d.Civil()
	return strconv.Itoa(int(mo)) + "/" + strconv.Itoa(day) + "/" + strconv.Itoa(y)
}

func mdyPadded(d steward.Date) string {
	y, mo, day := d.Civil()
	return pad2(int(mo)) + "/" + pad2(day) + "/" + strconv.Itoa(y)
}

func pad2(v int) string {
	if v < 10 {
		return "0" + strconv.Itoa(v)
	}
	return strconv.Itoa(v)
}

// plain formats cents as "1250.00".
func plain(c int64) string { return steward.Cents(c).String() }

// dollars formats cents as "$1,250.00" ("-$50.00" for refunds).
func dollars(c int64) string {
	s := ""
	if c < 0 {
		s, c = "-", -c
	}
	whole := strconv.FormatInt(c/100, 10)
	var b strings.Builder
	for i, ch := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return s + "$" + b.String() + "." + pad2(int(c%100))
}

// apiNumber formats cents as the Salesforce API does: "50.0", "25.5", "1250.75".
func apiNumber(c int64) string {
	s := steward.Cents(c).String()
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}

// quoteAll writes fields each in double quotes, as Salesforce reports and
// CiviCRM do, ending the line with eol.
func quoteAll(b *strings.Builder, eol string, fields ...string) {
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(f, `"`, `""`))
		b.WriteByte('"')
	}
	b.WriteString(eol)
}

func itoa(i int) string { return strconv.Itoa(i) }

func timeMonth(k int) time.Month { return time.Month(k) }
