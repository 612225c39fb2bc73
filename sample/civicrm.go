package sample

import (
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"steward"
)

// civiContact is a CiviCRM contact of the website: a member, a gala ticket
// buyer or an online donor (or the site administrator, for test rows).
type civiContact struct {
	id    int
	name  string
	email string
}

func (m *model) civiHead(r *rand.Rand, i int) civiContact {
	if i == m.civi {
		return civiContact{id: 2, name: "Site Administrator", email: "webmaster@example.org"}
	}
	n := pickName(r)
	return civiContact{id: civiID(i), name: n.first + " " + n.last, email: email(r, n, i)}
}

// givingTuesday returns the Tuesday after the fourth Thursday of November.
func givingTuesday(y int) steward.Date {
	d := steward.NewDate(y, time.November, 1)
	for d.Weekday() != time.Thursday {
		d++
	}
	return d.AddDays(21 + 5)
}

func familyReadingDay(y int) steward.Date {
	d := steward.NewDate(y, time.October, 1)
	for d.Weekday() != time.Saturday {
		d++
	}
	return d.AddDays(7)
}

// onlineSecs draws a time of day for an online payment: mostly daytime and
// evening.
func onlineSecs(r *rand.Rand) int32 {
	h := 7 + r.IntN(16)
	if r.IntN(10) == 0 {
		h = r.IntN(24)
	}
	return int32(h*3600 + r.IntN(3600))
}

// civiGifts returns every contribution of CiviCRM contact i (i == m.civi is
// the site administrator's test contributions).
func (m *model) civiGifts(i int) []gift {
	r := m.rng(popCivi, i)
	m.civiHead(r, i)
	if i == m.civi {
		return m.civiTests()
	}
	var gs []gift
	start := m.startFY(r.Float64() < 0.25, r.Float64())
	x := r.Float64()
	switch {
	case x < 0.40:
		gs = m.civiMember(r, start)
		if r.IntN(5) == 0 {
			gs = append(gs, m.civiDonor(r, start)...)
		}
	case x < 0.70:
		gs = m.civiGala(r, start)
	default:
		gs = m.civiDonor(r, start)
	}
	if r.IntN(6) == 0 { // a free family event registration
		fy := start + r.IntN(m.endFY-start+1)
		y, _, _ := m.fyStart(fy).Civil()
		if d := familyReadingDay(y).AddDays(-1 - r.IntN(20)); d <= m.opt.End && d >= m.histStart {
			gs = append(gs, gift{date: d, secs: onlineSecs(r), status: "Completed", typ: "Event Fee",
				subtype: "Online Event Registration: Family Reading Day " + itoa(y), campaign: "Family Reading Day " + itoa(y)})
		}
	}
	sortGifts(gs)
	return gs
}

func sortGifts(gs []gift) {
	for i := 1; i < len(gs); i++ {
		for j := i; j > 0 && (gs[j].date < gs[j-1].date || gs[j].date == gs[j-1].date && gs[j].secs < gs[j-1].secs); j-- {
			gs[j], gs[j-1] = gs[j-1], gs[j]
		}
	}
}

func (m *model) civiTests() []gift {
	var gs []gift
	for k, fy := range []int{m.firstFY + 1, m.endFY - 2, m.endFY - 1} {
		d := min(max(m.fyStart(fy), m.histStart).AddDays(40+30*k), m.opt.End.AddDays(k-2))
		gs = append(gs, gift{date: d, secs: int32(10*3600 + 17*60 + k), cents: 1_00, status: "Completed", typ: "Donation",
			subtype: "Online Contribution: Donate Now", method: "Credit Card", campaign: "Online", receipt: true, test: true})
	}
	return gs
}

// civiStatus draws the fate of an online payment.
func civiStatus(r *rand.Rand, method string) string {
	x := r.IntN(100)
	switch {
	case method == "Check" && x < 40:
		return "Pending" // registered, promised a check, never paid
	case x < 3:
		return "Failed"
	case x < 5:
		return "Cancelled"
	}
	return "Completed"
}

func (m *model) civiMember(r *rand.Rand, start int) []gift {
	dues := []int64{35_00, 60_00, 120_00}
	tier := r.IntN(3)
	join := m.seasonalDate(r, start, m.opt.End)
	if join == steward.NoDate {
		join = m.opt.End.AddDays(-r.IntN(60))
	}
	var gs []gift
	for d := join; d <= m.opt.End; {
		if r.IntN(10) == 0 {
			tier = min(tier+1, 2)
		}
		g := gift{date: d, secs: onlineSecs(r), cents: dues[tier], typ: "Member Dues",
			subtype: "Online Contribution: Friends of Northwind Membership", method: "Credit Card", receipt: true}
		g.status = civiStatus(r, g.method)
		if g.status == "Completed" && r.IntN(100) < 70 {
			g.ack, g.ackDate = ackDone, d // the welcome email sets the thank-you date
		}
		gs = append(gs, g)
		if g.status == "Failed" {
			d = d.AddDays(1 + r.IntN(3))
			continue
		}
		if r.IntN(100) >= 66 {
			if r.IntN(10) != 0 {
				break
			}
			d = d.AddDays(365 * (2 + r.IntN(2))) // rejoins after a gap
		} else {
			d = d.AddDays(365 - 10 + r.IntN(21))
		}
	}
	return gs
}

func (m *model) civiGala(r *rand.Rand, start int) []gift {
	var gs []gift
	y0, _, _ := m.fyStart(start).Civil()
	for y := y0 + 1; ; y++ {
		gala := galaDate(y)
		if gala < m.fyStart(start) {
			continue
		}
		buy := gala.AddDays(-1 - r.IntN(45))
		if buy > m.opt.End {
			break
		}
		if y == y0+1 || r.IntN(100) < 45 {
			price := int64(150_00)
			if y <= 2021 {
				price = 50_00 // the virtual gala
			}
			g := gift{date: buy, secs: onlineSecs(r), cents: price * int64(1+r.IntN(4)), typ: "Event Fee",
				subtype: "Online Event Registration: Reading Gala " + itoa(y), campaign: "Reading Gala " + itoa(y), method: "Credit Card"}
			if r.IntN(12) == 0 {
				g.method = "Check" // pay later
			}
			g.status = civiStatus(r, g.method)
			if g.status == "Completed" && r.IntN(30) == 0 {
				g.status = "Refunded"
			}
			g.receipt = g.status == "Completed" && g.method == "Credit Card"
			if g.status == "Completed" {
				if a := gala.AddDays(1 + r.IntN(3)); a <= m.opt.End && r.IntN(10) < 8 {
					g.ack, g.ackDate = ackDone, a // the post-gala thank-you email
				}
			}
			gs = append(gs, g)
		}
	}
	return gs
}

func (m *model) civiDonor(r *rand.Rand, start int) []gift {
	var gs []gift
	tenure := 0
	lvl := level(r, 50_00, 0.8)
	for fy := start; fy <= m.endFY; fy++ {
		if fy > start {
			p := 0.08
			if tenure == 1 {
				p = 0.22
			} else if tenure > 1 {
				p = 0.55
			}
			if r.Float64() >= p {
				tenure = 0
				continue
			}
		}
		var d steward.Date
		if r.IntN(5) == 0 {
			y, _, _ := m.fyStart(fy).Civil()
			d = givingTuesday(y)
		} else {
			d = m.seasonalDate(r, fy, m.opt.End)
		}
		if d == steward.NoDate || d > m.opt.End {
			if fy == start {
				d = m.opt.End.AddDays(-r.IntN(30))
			} else {
				continue
			}
		}
		if tenure > 0 && r.IntN(4) == 0 {
			lvl = clampLevel(lvl + r.IntN(3) - 1)
		}
		g := gift{date: d, secs: onlineSecs(r), cents: levels[lvl], typ: "Donation",
			subtype: "Online Contribution: Donate Now", method: "Credit Card", receipt: true}
		if r.IntN(5) == 0 {
			g.method = "PayPal"
		}
		if a := appeal(d); a != "" && r.IntN(2) == 0 {
			g.campaign = a
		} else {
			g.campaign = "Online"
		}
		g.status = civiStatus(r, g.method)
		if g.status == "Completed" {
			g.ackDate, g.ack = m.thankYou(r, d, false)
			if r.IntN(80) == 0 {
				g.status = "Refunded"
			}
		}
		g.receipt = g.status == "Completed" || g.status == "Refunded"
		gs = append(gs, g)
		tenure++
	}
	return gs
}

func isoTime(d steward.Date, secs int32) string {
	s := int(secs)
	return d.String() + " " + pad2(s/3600) + ":" + pad2(s/60%60) + ":" + pad2(s%60)
}

// writeCiviCRM writes a CiviCRM contribution search export: UTF-8 with BOM,
// every value quoted, field labels, "YYYY-MM-DD HH:MM:SS" dates, "125.00"
// amounts, sorted by contribution date, with personal columns.
func (m *model) writeCiviCRM(w io.Writer) error {
	var b strings.Builder
	b.WriteString("\ufeff")
	quoteAll(&b, "\n", "Contact ID", "Contribution ID", "Display Name", "Email", "Financial Type", "Total Amount", "Currency",
		"Contribution Date", "Thank-you Date", "Receipt Date", "Contribution Status", "Payment Method", "Campaign",
		"Contribution Source", "Test")
	n := 0
	err := m.passes(m.civi+1, m.civiGifts, func(ent int, g *gift) error {
		n++
		c := m.civiHead(m.rng(popCivi, ent), ent)
		ack := ""
		if g.ack == ackDone {
			secs := int32(9*3600 + (n*7919)%(8*3600)) // staff letters in office hours
			if g.ackDate == g.date {
				secs = min(g.secs+int32(60+n%540), 86399) // an automatic email
			}
			ack = isoTime(g.ackDate, secs)
		}
		rec := ""
		if g.receipt {
			rec = isoTime(g.date, min(g.secs+int32(1+n%40), 86399))
		}
		test := "0"
		if g.test {
			test = "1"
		}
		quoteAll(&b, "\n", itoa(c.id), itoa(4000+n*3), c.name, c.email, g.typ, plain(g.cents), "USD",
			isoTime(g.date, g.secs), ack, rec, g.status, g.method, g.campaign, g.subtype, test)
		return flushFull(w, &b)
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, b.String())
	return err
}
