package sample

import (
	"io"
	"math/rand/v2"
	"time"

	"github.com/xuri/excelize/v2"

	"steward"
)

// reConstituent is a Raiser's Edge constituent of the major-gifts office.
type reConstituent struct {
	id   string
	name string
	org  bool
}

var reTitles = []string{"Mr. and Mrs.", "Dr. and Mr.", "Ms.", "Dr.", "Mr.", "Mrs."}

func (m *model) reHead(r *rand.Rand, i int) reConstituent {
	c := reConstituent{id: itoa(m.reBase + i*3 + r.IntN(3))}
	n := pickName(r)
	switch x := r.IntN(100); {
	case x < 20:
		c.org = true
		c.name = []string{"Foundation", "Family Foundation", "Charitable Trust", "Fund"}[r.IntN(4)]
		c.name = n.last + " " + c.name
	case x < 28:
		c.org = true
		c.name = orgNames[r.IntN(len(orgNames))]
	default:
		t := reTitles[r.IntN(len(reTitles))]
		c.name = t + " " + n.first + " " + n.last
	}
	return c
}

var reFunds = []string{"Unrestricted Operating", "Unrestricted Operating", "Summer Reading Program", "Adult Literacy Tutors", "Open Books Capital Fund"}

func (m *model) reMethod(r *rand.Rand, c reConstituent) string {
	switch x := r.IntN(100); {
	case x < 55 && c.org:
		return "Business check"
	case x < 55:
		return "Personal check"
	case x < 75:
		return "Credit card"
	case x < 85:
		return "Direct debit"
	default:
		return "Other"
	}
}

// reGifts returns every gift record of constituent i.
func (m *model) reGifts(i int) []gift {
	r := m.rng(popRE, i)
	c := m.reHead(r, i)
	start := m.startFY(r.Float64() < 0.35, r.Float64())
	lvl := max(level(r, 3000_00, 0.8), 19)
	tenure := 0
	var gs []gift
	for fy := start; fy <= m.endFY; fy++ {
		if fy > start {
			p := 0.15
			if tenure == 1 {
				p = 0.55
			} else if tenure > 1 {
				p = 0.80
			}
			if r.Float64() >= p {
				tenure = 0
				continue
			}
			if x := r.IntN(10); x < 2 {
				lvl++
			} else if x < 3 {
				lvl--
			}
			lvl = clampLevel(max(lvl, 19))
		}
		d := m.seasonalDate(r, fy, m.opt.End)
		if d == steward.NoDate {
			if fy != start {
				continue
			}
			d = m.opt.End.AddDays(-r.IntN(45))
		}
		base := gift{campaign: "Annual Fund FY" + itoa(fy), appeal: "Major Donor Solicitation", fund: reFunds[r.IntN(len(reFunds))]}
		if base.fund == "Open Books Capital Fund" {
			if fy >= m.endFY-3 {
				base.campaign, base.appeal = "Open Books Capital Campaign", "Capital Campaign Leadership"
			} else {
				base.fund = "Unrestricted Operating"
			}
		}
		if a := appeal(d); a != "" && r.IntN(3) == 0 {
			base.appeal = a
		}
		switch {
		case c.org && r.IntN(3) == 0:
			base.subtype = "Foundation Grant"
		case r.IntN(6) == 0:
			base.subtype = "Board Giving"
			base.appeal = "Board Appeal FY" + itoa(fy)
		case r.IntN(8) == 0:
			base.subtype = "Tribute"
		default:
			base.subtype = "Major Gift"
		}
		amt := levels[lvl]
		switch x := r.IntN(100); {
		case x < 50:
			gs = append(gs, m.reGift(r, c, base, d, amt, "Cash"))
		case x < 62:
			g := m.reGift(r, c, base, d, oddAmount(r, amt)+int64(r.IntN(100)), "Stock/Property")
			g.method = "Other"
			gs = append(gs, g)
		case x < 67:
			g := m.reGift(r, c, base, d, oddAmount(r, amt/2), "Gift-in-Kind")
			g.method = "Other"
			gs = append(gs, g)
		case x < 87: // a pledge paid in installments
			n := 2 + r.IntN(3)
			p := m.reGift(r, c, base, d, amt*int64(n)/2, "Pledge")
			p.method = ""
			gs = append(gs, p)
			each := p.cents / int64(n)
			for k := 0; k < n; k++ {
				pd := d.AddDays(14 + 91*k + r.IntN(10))
				if pd > m.opt.End {
					break
				}
				pay := m.reGift(r, c, base, pd, each, "Pay-Cash")
				if k == n-1 {
					pay.cents = p.cents - each*int64(n-1)
				}
				if r.IntN(5) < 2 {
					pay.ack, pay.ackDate = ackDoNot, steward.NoDate
				}
				gs = append(gs, pay)
			}
		default: // a recurring gift: the schedule, then quarterly payments
			each := max(amt/4, 250_00)
			s := m.reGift(r, c, base, d, each, "Recurring Gift")
			s.method = ""
			gs = append(gs, s)
			for k := 0; k < 4; k++ {
				pd := d.AddDays(91 * k)
				if pd > m.opt.End {
					break
				}
				pay := m.reGift(r, c, base, pd, each, "Recurring Gift Pay-Cash")
				pay.method = "Direct debit"
				pay.ack, pay.ackDate = ackDoNot, steward.NoDate
				gs = append(gs, pay)
			}
		}
		tenure++
	}
	sortGifts(gs)
	return gs
}

func (m *model) reGift(r *rand.Rand, c reConstituent, base gift, d steward.Date, cents int64, typ string) gift {
	g := base
	g.date, g.cents, g.typ = d, cents, typ
	g.method = m.reMethod(r, c)
	g.ackDate, g.ack = m.thankYou(r, d, true)
	if g.ack == ackNone {
		g.ack = ackNeedsIt
	}
	return g
}

var reAck = [...]string{ackNone: "Needs Acknowledgement", ackDone: "Acknowledged", ackDoNot: "Do Not Acknowledge", ackBlank: "", ackNeedsIt: "Needs Acknowledgement"}

// excelSerial returns d as an Excel serial day number (1900 date system).
func excelSerial(d steward.Date) int {
	return int(d - steward.NewDate(1899, time.December, 30))
}

// writeREXLSX writes the major-gifts office's Raiser's Edge NXT "Gift Detail
// Report" as an XLSX workbook: merged title rows, a header on row 5, date
// cells as serial numbers with a date format, amounts as numbers with a
// currency format, a totals row with a SUM formula and its cached value,
// and a second sheet of report parameters.
func (m *model) writeREXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Gift Detail Report"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	stamp := m.opt.End.AddDays(1).String() + "T08:15:00Z"
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: "Raiser's Edge NXT", LastModifiedBy: "Raiser's Edge NXT", Title: "Gift Detail Report",
		Created: stamp, Modified: stamp,
	}); err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	sub, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true}})
	if err != nil {
		return err
	}
	border := []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill: excelize.Fill{Type: "pattern", Color: []string{"D9E1F2"}, Pattern: 1}})
	if err != nil {
		return err
	}
	dateFmt := "mm/dd/yyyy"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	moneyFmt := `"$"#,##0.00`
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt})
	if err != nil {
		return err
	}
	totalMoney, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt, Font: &excelize.Font{Bold: true},
		Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}})
	if err != nil {
		return err
	}

	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	widths := []float64{14, 34, 12, 14, 22, 16, 28, 24, 28, 16, 22, 20}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	for _, mc := range [][2]string{{"A1", "L1"}, {"A2", "L2"}, {"A3", "L3"}} {
		if err := sw.MergeCell(mc[0], mc[1]); err != nil {
			return err
		}
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: title, Value: Organisation}}); err != nil {
		return err
	}
	if err := sw.SetRow("A2", []any{excelize.Cell{StyleID: title, Value: "Gift Detail Report"}}); err != nil {
		return err
	}
	period := "Gift dates " + mdyPadded(m.histStart) + " - " + mdyPadded(m.opt.End)
	if err := sw.SetRow("A3", []any{excelize.Cell{StyleID: sub, Value: period}}); err != nil {
		return err
	}
	header := []string{"Constituent ID", "Name", "Gift Date", "Gift Amount", "Gift Type", "Gift subtype", "Campaign",
		"Fund", "Appeal", "Payment Method", "Acknowledgement Status", "Acknowledgement Date"}
	hv := make([]any, len(header))
	for i, h := range header {
		hv[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A5", hv); err != nil {
		return err
	}
	rowN := 5
	var total int64
	vals := make([]any, len(header))
	err = m.passes(m.re, m.reGifts, func(ent int, g *gift) error {
		c := m.reHead(m.rng(popRE, ent), ent)
		rowN++
		total += g.cents
		var ack any
		if g.ackDate != steward.NoDate {
			ack = excelize.Cell{StyleID: date, Value: excelSerial(g.ackDate)}
		}
		vals[0], vals[1] = c.id, c.name
		vals[2] = excelize.Cell{StyleID: date, Value: excelSerial(g.date)}
		vals[3] = excelize.Cell{StyleID: money, Value: float64(g.cents) / 100}
		vals[4], vals[5], vals[6] = nilIfEmpty(g.typ), nilIfEmpty(g.subtype), nilIfEmpty(g.campaign)
		vals[7], vals[8], vals[9] = nilIfEmpty(g.fund), nilIfEmpty(g.appeal), nilIfEmpty(g.method)
		vals[10], vals[11] = nilIfEmpty(reAck[g.ack]), ack
		cell, _ := excelize.CoordinatesToCellName(1, rowN)
		return sw.SetRow(cell, vals)
	})
	if err != nil {
		return err
	}
	cell, _ := excelize.CoordinatesToCellName(1, rowN+1)
	sum := "SUM(D6:D" + itoa(rowN) + ")"
	if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: bold, Value: "Total"}, excelize.Cell{StyleID: bold},
		excelize.Cell{StyleID: bold}, excelize.Cell{StyleID: totalMoney, Formula: sum, Value: float64(total) / 100}}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	params := "Report Parameters"
	if _, err := f.NewSheet(params); err != nil {
		return err
	}
	for i, kv := range [][2]string{
		{"Report", "Gift Detail Report"},
		{"Query", "Major Gifts Office - all gifts"},
		{"Gift date", mdyPadded(m.histStart) + " - " + mdyPadded(m.opt.End)},
		{"Include", "Cash, Pay-Cash, Pledge, Recurring Gift, Recurring Gift Pay-Cash, Stock/Property, Gift-in-Kind"},
		{"Currency", "USD"},
	} {
		r := itoa(i + 1)
		if err := f.SetCellValue(params, "A"+r, kv[0]); err != nil {
			return err
		}
		if err := f.SetCellValue(params, "B"+r, kv[1]); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
