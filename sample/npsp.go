package sample

import (
	"io"
	"math/rand/v2"
	"sort"
	"strings"

	"steward"
)

// hhInfo is who a Salesforce household account is.
type hhInfo struct {
	acct      int // account number (households first, then prospects)
	account   string
	name      string // Account Name
	primary   personName
	contact   string
	spouse    bool
	spouseNm  personName
	spouseID  string
	org       bool
	legacy    bool // gave before the history window starts
	segment   int
	startFrac float64
}

const (
	segRegular = iota
	segMonthly
	segMajor
)

// hhHead draws the identity of account acct from r (the first draws of the
// household's stream).
func (m *model) hhHead(r *rand.Rand, acct int) hhInfo {
	h := hhInfo{acct: acct, account: sfid("001", acct), contact: sfid("003", 2*acct)}
	h.primary = pickName(r)
	h.spouseNm = personName{firstNames[r.IntN(len(firstNames))], h.primary.last}
	if r.IntN(8) == 0 {
		h.spouseNm.last = lastNames[r.IntN(len(lastNames))]
	}
	h.spouse = r.IntN(10) < 3
	h.org = r.IntN(40) == 0
	switch {
	case h.org:
		h.name = orgNames[r.IntN(len(orgNames))]
		h.spouse = false
	case h.spouse && h.spouseNm.last != h.primary.last:
		h.name = h.primary.last + " and " + h.spouseNm.last + " Household"
	default:
		h.name = h.primary.last + " Household"
	}
	if h.spouse {
		h.spouseID = sfid("003", 2*acct+1)
	}
	h.legacy = r.Float64() < 0.24
	x := r.Float64()
	switch {
	case x < 0.025:
		h.segment = segMonthly
	case x < 0.05:
		h.segment = segMajor
	}
	h.startFrac = r.Float64()
	return h
}

// household returns the identity and every opportunity of donor household i.
func (m *model) household(i int) (hhInfo, []gift) {
	r := m.rng(popHousehold, i)
	h := m.hhHead(r, i)
	var gs []gift
	if h.segment == segMonthly {
		gs = m.monthlyGifts(r, h)
	} else {
		gs = m.yearlyGifts(r, h)
	}
	sort.SliceStable(gs, func(a, b int) bool { return gs[a].date < gs[b].date })
	return h, gs
}

// startFY picks the fiscal year a donor's giving starts: legacy donors in
// the first year, the rest spread evenly, with the year to date weighted by
// how much of it has passed.
func (m *model) startFY(legacy bool, u float64) int {
	if legacy {
		return m.firstFY
	}
	ytd := float64(m.opt.End-m.fyStart(m.endFY)+1) / 365
	total := float64(m.opt.Years-1) + ytd
	x := u * total
	fy := m.firstFY + int(x)
	return min(fy, m.endFY)
}

func (m *model) npspMethod(r *rand.Rand, major bool) string {
	x := r.IntN(100)
	if major {
		switch {
		case x < 55:
			return "Check"
		case x < 75:
			return "Stock"
		default:
			return "ACH"
		}
	}
	switch {
	case x < 44:
		return "Check"
	case x < 82:
		return "Credit Card"
	case x < 89:
		return "ACH"
	case x < 94:
		return "Cash"
	default:
		return "PayPal"
	}
}

// wonStage is Closed Won, or Posted for checks once finance began posting
// batches (three fiscal years before the current one).
func (m *model) wonStage(g *gift) string {
	if g.method == "Check" && g.date >= m.fyStart(m.endFY-3) {
		return "Posted"
	}
	return "Closed Won"
}

// npspGift fills the common fields of a won gift on d.
func (m *model) npspGift(r *rand.Rand, d steward.Date, cents int64, major bool) gift {
	g := gift{date: d, cents: cents, typ: "Donation", label: "Donation"}
	if major && cents >= 1000_00 {
		g.typ, g.label = "Major Gift", "Major Gift"
	}
	g.method = m.npspMethod(r, major)
	g.status = m.wonStage(&g)
	if a := appeal(d); a != "" && r.IntN(10) < 8 {
		g.campaign = a
	} else if (g.method == "Credit Card" || g.method == "PayPal") && r.IntN(10) < 6 {
		g.campaign = "Online"
	}
	g.ackDate, g.ack = m.thankYou(r, d, major)
	if r.IntN(60) == 0 {
		g.ack, g.ackDate = ackDoNot, steward.NoDate // the donor asked not to be thanked
	}
	if r.IntN(200) == 0 {
		g.note = "In memory of " + pickName(r).first + " " + lastNames[r.IntN(len(lastNames))]
	}
	return g
}

func (m *model) yearlyGifts(r *rand.Rand, h hhInfo) []gift {
	major := h.segment == segMajor
	var lvl int
	if major {
		lvl = max(level(r, 2500_00, 0.7), 19)
	} else {
		lvl = level(r, 70_00, 0.9)
	}
	start := m.startFY(h.legacy, h.startFrac)
	tenure, lapsed := 0, 0
	if h.legacy {
		tenure = 2
	}
	gs := make([]gift, 0, 8)
	everGave := false
	for fy := start; fy <= m.endFY; fy++ {
		give := fy == start
		if !give {
			var p float64
			switch {
			case tenure == 1:
				p = 0.22
			case tenure == 2:
				p = 0.58
			case tenure > 2:
				p = 0.70
			default:
				p = 0.12 / float64(lapsed)
			}
			if major && tenure > 0 {
				p += 0.15
			}
			give = r.Float64() < p
		}
		if !give {
			if tenure > 0 {
				lapsed = 1
			} else {
				lapsed++
			}
			tenure = 0
			continue
		}
		switch {
		case tenure > 0:
			x := r.Float64()
			if x < 0.20 {
				lvl += 1 + r.IntN(2)
			} else if x < 0.36 {
				lvl--
			}
		case everGave:
			lvl += r.IntN(3) - 1
		}
		lvl = clampLevel(lvl)
		n := 1
		if x := r.IntN(100); x >= 92 {
			n = 3
		} else if x >= 70 {
			n = 2
		}
		gave := false
		for k := 0; k < n; k++ {
			d := m.seasonalDate(r, fy, m.opt.End)
			if d == steward.NoDate && fy == start && !gave && k == n-1 {
				// A donor acquired this year has given by End.
				s := m.fyStart(fy)
				d = s.AddDays(r.IntN(int(m.opt.End-s) + 1))
			}
			if d == steward.NoDate {
				continue
			}
			c := levels[lvl]
			if k > 0 || r.IntN(100) < 12 {
				if r.IntN(2) == 0 {
					c = oddAmount(r, c)
				} else {
					c = levels[clampLevel(lvl-1-r.IntN(2))]
				}
			}
			g := m.npspGift(r, d, c, major)
			gs = append(gs, g)
			gave = true
			if r.IntN(250) == 0 { // refunded: a negative row a few days later
				rd := d.AddDays(3 + r.IntN(20))
				if rd <= m.opt.End {
					gs = append(gs, gift{date: rd, cents: -c, status: "Closed Won", typ: "Refund", label: "Refund",
						method: g.method, campaign: g.campaign, ack: ackDoNot})
				}
			}
		}
		if r.IntN(300) == 0 { // an in-kind gift not yet valued
			if d := m.seasonalDate(r, fy, m.opt.End); d != steward.NoDate {
				gs = append(gs, gift{date: d, status: "Closed Won", typ: "In-Kind", label: "In-Kind Gift", ack: ackNone})
			}
		}
		if major {
			gs = m.majorPipeline(r, gs, fy, lvl)
		}
		if gave {
			everGave = true
			tenure++
		}
	}
	return gs
}

// majorPipeline adds the non-gift opportunities of a major donor in fiscal
// year fy: declined asks, open pledges and open asks.
func (m *model) majorPipeline(r *rand.Rand, gs []gift, fy, lvl int) []gift {
	ask := levels[clampLevel(lvl+2)]
	if r.IntN(5) == 0 {
		if d := m.seasonalDate(r, fy, m.opt.End); d != steward.NoDate {
			gs = append(gs, gift{date: d, cents: ask, status: "Closed Lost", typ: "Major Gift", label: "Major Gift", ack: ackBlank})
		}
	}
	if fy == m.endFY {
		if r.IntN(3) == 0 {
			d := m.opt.End.AddDays(-60 + r.IntN(240))
			gs = append(gs, gift{date: d, cents: ask, status: "Pledged", typ: "Major Gift", label: "Pledge", ack: ackNone})
		}
		if r.IntN(5) < 2 {
			d := m.opt.End.AddDays(15 + r.IntN(165))
			gs = append(gs, gift{date: d, cents: ask, status: "Prospecting", typ: "Major Gift", label: "Major Gift", ack: ackBlank})
		}
	}
	return gs
}

var monthlyLevels = []int64{10_00, 15_00, 20_00, 25_00, 30_00, 50_00, 100_00}

func (m *model) monthlyGifts(r *rand.Rand, h hhInfo) []gift {
	var start steward.Date
	if h.legacy {
		start = m.histStart.AddDays(r.IntN(28))
	} else {
		span := int(m.opt.End - m.histStart)
		start = m.histStart.AddDays(int(h.startFrac * float64(span)))
	}
	y, mo, day := start.Civil()
	day = min(day, 28)
	li := r.IntN(len(monthlyLevels))
	method := "Credit Card"
	if r.IntN(4) == 0 {
		method = "ACH"
	}
	var gs []gift
	for k := 0; ; k++ {
		d := steward.NewDate(y, mo+timeMonth(k), day)
		if d > m.opt.End {
			break
		}
		if k > 0 && k%12 == 0 && r.IntN(15) == 0 {
			li = min(li+1, len(monthlyLevels)-1)
		}
		c := monthlyLevels[li]
		if method == "Credit Card" && r.IntN(35) == 0 {
			gs = append(gs, gift{date: d, cents: c, status: "Closed Lost", typ: "Donation", label: "Recurring Donation", method: method, ack: ackBlank})
			if r.IntN(2) == 0 {
				break // the card expired and nobody updated it
			}
			continue
		}
		g := gift{date: d, cents: c, typ: "Donation", label: "Recurring Donation", method: method, campaign: "Monthly Readers Circle"}
		g.status = m.wonStage(&g)
		if k == 0 {
			g.ackDate, g.ack = m.thankYou(r, d, false)
		} else {
			g.ack = ackDoNot // thanked once a year by the annual giving statement
		}
		gs = append(gs, g)
		if _, gm, _ := d.Civil(); gm == 12 && r.IntN(6) == 0 {
			extra := m.npspGift(r, d.AddDays(3+r.IntN(20)), levels[level(r, 100_00, 0.6)], false)
			if extra.date <= m.opt.End {
				gs = append(gs, extra)
			}
		}
		if r.IntN(45) == 0 {
			break // cancelled
		}
	}
	return gs
}

// anonymousGifts returns the gifts of anonymous pseudo-donor i: cash in the
// gala envelope, an unsigned check.
func (m *model) anonymousGifts(i int) []gift {
	r := m.rng(popAnonymous, i)
	fy := m.firstFY + r.IntN(m.opt.Years)
	var gs []gift
	for k := 0; k < 1+r.IntN(2); k++ {
		d := m.seasonalDate(r, fy, m.opt.End)
		if d == steward.NoDate {
			continue
		}
		method := "Cash"
		if r.IntN(2) == 0 {
			method = "Check"
		}
		g := gift{date: d, cents: levels[level(r, 50_00, 0.9)], typ: "Donation", label: "Anonymous Donation",
			method: method, campaign: appeal(d), ack: ackDoNot, anon: true}
		g.status = m.wonStage(&g)
		gs = append(gs, g)
	}
	return gs
}

// npspEntity returns the gifts of NPSP entity i: donor households first,
// then anonymous pseudo-donors.
func (m *model) npspEntity(i int) []gift {
	if i < m.households {
		_, gs := m.household(i)
		return gs
	}
	return m.anonymousGifts(i - m.households)
}

func (m *model) npspRows(fn func(oppN int, h *hhInfo, g *gift) error) error {
	n := 0
	var h hhInfo
	return m.passes(m.households+m.anonymous, m.npspEntity, func(ent int, g *gift) error {
		var hp *hhInfo
		if ent < m.households {
			if h.account == "" || h.acct != ent {
				h = m.hhHead(m.rng(popHousehold, ent), ent)
			}
			hp = &h
		}
		if n == 0 && g.note == "" {
			g.note = "Gift in honor of Ms. Alvarez's second-grade class"
		}
		n++
		return fn(n, hp, g)
	})
}

func oppName(h *hhInfo, g *gift) string {
	s := ""
	if h != nil {
		s = h.name + " "
	}
	s += g.label + " " + mdy(g.date)
	if g.note != "" {
		s += "\n" + g.note
	}
	return s
}

var npspAck = [...]string{ackNone: "To Be Acknowledged", ackDone: "Acknowledged", ackDoNot: "Do Not Acknowledge", ackBlank: "", ackNeedsIt: "To Be Acknowledged"}

// writeNPSPReport writes the opportunity report as Salesforce exports it
// ("Export Details", en_US): every value quoted, labels for headers, M/D/YYYY
// dates, "$1,250.00" amounts, 15-character ids, CRLF line ends and the
// report footer.
func (m *model) writeNPSPReport(w io.Writer) error {
	var b strings.Builder
	quoteAll(&b, "\r\n", "Opportunity ID", "Opportunity Name", "Account ID", "Account Name", "Primary Contact ID",
		"Close Date", "Amount", "Stage", "Type", "Acknowledgment Date", "Acknowledgment Status", "Campaign Name", "Payment Method")
	records := 0
	err := m.npspRows(func(n int, h *hhInfo, g *gift) error {
		var acct, name, contact string
		if h != nil {
			acct, name, contact = h.account, h.name, h.contact
		}
		quoteAll(&b, "\r\n", sfid("006", n), oppName(h, g), acct, name, contact, mdy(g.date), dollars(g.cents),
			g.status, g.typ, mdy(g.ackDate), npspAck[g.ack], g.campaign, g.method)
		records++
		return flushFull(w, &b)
	})
	if err != nil {
		return err
	}
	m.reportFooter(&b, records)
	_, err = io.WriteString(w, b.String())
	return err
}

// campaignID gives each campaign name a stable Salesforce id.
func campaignID(name string) string {
	if name == "" {
		return ""
	}
	kinds := []string{"Year-End Appeal ", "Spring Appeal ", "Reading Gala ", "Summer Reading Drive ", "Online", "Monthly Readers Circle"}
	for k, p := range kinds {
		if rest, ok := strings.CutPrefix(name, p); ok {
			y := 0
			for _, ch := range rest {
				y = y*10 + int(ch-'0')
			}
			return sfid18(sfid("701", (k+1)*200+y%200))
		}
	}
	return sfid18(sfid("701", 0))
}

// writeNPSPDataLoader writes the same opportunities as a Data Loader export:
// API field names, 18-character ids, ISO dates, "50.0" amounts, text quoted
// and ids, numbers and dates bare.
func (m *model) writeNPSPDataLoader(w io.Writer) error {
	var b strings.Builder
	b.WriteString("Id,AccountId,npsp__Primary_Contact__c,Name,Amount,StageName,CloseDate,Type,CampaignId,npe01__Payment_Method__c,npsp__Acknowledgment_Date__c,npsp__Acknowledgment_Status__c\n")
	q := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	err := m.npspRows(func(n int, h *hhInfo, g *gift) error {
		acct, contact := `""`, `""`
		if h != nil {
			acct, contact = sfid18(h.account), sfid18(h.contact)
		}
		camp := campaignID(g.campaign)
		if camp == "" {
			camp = `""`
		}
		ack := g.ackDate.String()
		if ack == "" {
			ack = `""`
		}
		b.WriteString(strings.Join([]string{sfid18(sfid("006", n)), acct, contact, q(oppName(h, g)), apiNumber(g.cents),
			q(g.status), g.date.String(), q(g.typ), camp, q(g.method), ack, q(npspAck[g.ack])}, ","))
		b.WriteByte('\n')
		return flushFull(w, &b)
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, b.String())
	return err
}
