package sample

import (
	"encoding/csv"
	"io"
	"math/rand/v2"
	"strings"

	"steward"
)

// person is an NPSP contact with the engagement that led (or did not lead)
// to giving.
type person struct {
	id, acct   string
	name       personName
	email      string
	created    steward.Date
	optIn      steward.Date
	firstEvent steward.Date
	volunteer  steward.Date
	acts       []activity
}

type activity struct {
	name string
	date steward.Date
}

// firstQualifying returns the date of a household's first won gift with a
// positive amount, or NoDate.
func firstQualifying(gs []gift) steward.Date {
	for _, g := range gs {
		if (g.status == "Closed Won" || g.status == "Posted") && g.cents > 0 {
			return g.date
		}
	}
	return steward.NoDate
}

// people calls fn for every NPSP contact: donor households (primary contact,
// then spouse), then contacts who never gave.
func (m *model) people(fn func(p *person) error) error {
	for i := 0; i < m.households; i++ {
		h, gs := m.household(i)
		first := firstQualifying(gs)
		p := m.donorPerson(h, first)
		if err := fn(&p); err != nil {
			return err
		}
		if h.spouse {
			s := m.spousePerson(h, &p)
			if err := fn(&s); err != nil {
				return err
			}
		}
	}
	for j := 0; j < m.prospects; j++ {
		acct := m.households + j
		h := m.hhHead(m.rng(popProspect, j), acct)
		p := m.prospectPerson(h)
		if err := fn(&p); err != nil {
			return err
		}
	}
	return nil
}

func (m *model) before(d steward.Date, r *rand.Rand, lo, span int) steward.Date {
	return d.AddDays(-lo - r.IntN(span))
}

func (m *model) donorPerson(h hhInfo, first steward.Date) person {
	r := m.rng(popPeople, 2*h.acct)
	p := person{id: h.contact, acct: h.account, name: h.primary}
	if r.IntN(100) < 88 {
		p.email = email(r, h.primary, h.acct)
	}
	if first == steward.NoDate {
		first = m.opt.End
	}
	var created steward.Date
	x := r.Float64()
	switch {
	case h.legacy:
		created = m.before(m.histStart, r, 30, 2500)
		if r.IntN(100) < 55 {
			p.optIn = created.AddDays(r.IntN(400))
		}
	case x < 0.24:
		p.firstEvent = m.before(first, r, 5, 415)
		if r.IntN(100) < 60 {
			p.optIn = m.before(p.firstEvent, r, 0, 200)
		}
	case x < 0.60:
		p.optIn = m.before(first, r, 3, 700)
	default:
		if r.IntN(100) < 35 {
			p.optIn = first.AddDays(r.IntN(90))
		}
	}
	if r.IntN(100) < 8 {
		p.volunteer = first.AddDays(-200 + r.IntN(600))
	}
	m.finish(r, &p, first, created)
	return p
}

func (m *model) spousePerson(h hhInfo, primary *person) person {
	r := m.rng(popPeople, 2*h.acct+1)
	p := person{id: h.spouseID, acct: h.account, name: h.spouseNm}
	if r.IntN(100) < 60 {
		p.email = email(r, h.spouseNm, h.acct+7)
	}
	if r.IntN(100) < 35 {
		p.optIn = primary.created.AddDays(r.IntN(int(m.opt.End-primary.created) + 1))
	}
	if primary.firstEvent != steward.NoDate && r.IntN(100) < 40 {
		p.firstEvent = primary.firstEvent
	}
	m.finish(r, &p, primary.created, primary.created)
	return p
}

func (m *model) prospectPerson(h hhInfo) person {
	r := m.rng(popPeople, 2*h.acct)
	p := person{id: h.contact, acct: h.account, name: h.primary}
	if r.IntN(100) < 93 {
		p.email = email(r, h.primary, h.acct)
	}
	lo := m.histStart.AddDays(-365)
	base := lo.AddDays(r.IntN(int(m.opt.End-lo) + 1))
	switch x := r.Float64(); {
	case x < 0.62:
		p.optIn = base
		if r.IntN(100) < 30 {
			p.firstEvent = base.AddDays(20 + r.IntN(500))
		}
	case x < 0.92:
		p.firstEvent = base
		if r.IntN(2) == 0 {
			p.optIn = base.AddDays(r.IntN(30))
		}
	default:
		p.volunteer = base
		if r.IntN(100) < 40 {
			p.optIn = base.AddDays(r.IntN(60))
		}
	}
	if p.volunteer == steward.NoDate && r.IntN(100) < 5 {
		p.volunteer = base.AddDays(r.IntN(400))
	}
	m.finish(r, &p, base, base)
	return p
}

// finish clips dates to End, sets the created date and draws the person's
// activity rows.
func (m *model) finish(r *rand.Rand, p *person, anchor, created steward.Date) {
	for _, d := range []*steward.Date{&p.optIn, &p.firstEvent, &p.volunteer} {
		if *d > m.opt.End {
			*d = steward.NoDate
		}
	}
	c := anchor
	if created != steward.NoDate {
		c = min(c, created)
	}
	for _, d := range []steward.Date{p.optIn, p.firstEvent, p.volunteer} {
		if d != steward.NoDate {
			c = min(c, d)
		}
	}
	p.created = min(c, m.opt.End)

	add := func(name string, d steward.Date) {
		if d >= m.histStart && d <= m.opt.End {
			p.acts = append(p.acts, activity{name, d})
		}
	}
	if p.optIn != steward.NoDate && r.IntN(10) != 0 {
		add("Newsletter sign-up", p.optIn)
	}
	if d := p.firstEvent; d != steward.NoDate {
		add("Event attended", d)
		for k := 0; k < 4 && r.IntN(2) == 0; k++ {
			d = d.AddDays(30 + r.IntN(370))
			add("Event attended", d)
		}
	}
	if d := p.volunteer; d != steward.NoDate {
		add("Volunteer shift", d)
		for k := r.IntN(11); k > 0; k-- {
			d = d.AddDays(7 + r.IntN(54))
			add("Volunteer shift", d)
		}
	}
	if r.IntN(100) < 8 {
		lo := max(p.created, m.histStart)
		for k := 1 + r.IntN(2); k > 0 && lo <= m.opt.End; k-- {
			add("Webinar", lo.AddDays(r.IntN(int(m.opt.End-lo)+1)))
		}
	}
	for i := 1; i < len(p.acts); i++ {
		for j := i; j > 0 && p.acts[j].date < p.acts[j-1].date; j-- {
			p.acts[j], p.acts[j-1] = p.acts[j-1], p.acts[j]
		}
	}
}

// writePeople writes the NPSP "Contacts with Households" report: labels,
// every value quoted, M/D/YYYY dates, 15-character ids, CRLF and the
// Salesforce report footer.
func (m *model) writePeople(w io.Writer) error {
	var b strings.Builder
	quoteAll(&b, "\r\n", "Contact ID", "Account ID", "First Name", "Last Name", "Email", "Created Date",
		"Email Opt-In Date", "First Event Date", "Volunteer Start Date")
	n := 0
	err := m.people(func(p *person) error {
		n++
		quoteAll(&b, "\r\n", p.id, p.acct, p.name.first, p.name.last, p.email, mdy(p.created),
			mdy(p.optIn), mdy(p.firstEvent), mdy(p.volunteer))
		return flushFull(w, &b)
	})
	if err != nil {
		return err
	}
	m.reportFooter(&b, n)
	_, err = io.WriteString(w, b.String())
	return err
}

// writeEngagement writes campaign-member activities, one row per person and
// activity, grouped by contact: a plain CSV (quotes only where needed),
// M/D/YYYY dates, LF line ends, no footer.
func (m *model) writeEngagement(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"Contact ID", "Activity", "Activity Date"}); err != nil {
		return err
	}
	err := m.people(func(p *person) error {
		for _, a := range p.acts {
			if err := cw.Write([]string{p.id, a.name, mdy(a.date)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
