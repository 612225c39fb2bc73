package ingest

import (
	"steward"
	"steward/ingest/parse"
)

// The quick lane reads the common gift row (an id; a status, gift type and
// thank-you status found in the last-value caches; dates and an amount
// that their columns' formats read at once; nothing to trim; no flag or
// currency set) in one function, without the layers of calls that row and gift go
// through to cover every rule. A row it does not take whole it leaves
// untouched, for row to read; for a row it takes, the result is row's:
// TestQuickLane and TestQuickLaneRandom hold the two to that, and
// sameAsCSV (fast_test.go) reads with the lane against encoding/csv
// without it. On gen_gifts.py's 10M-row file the lane takes 96% of the
// rows (99% of those used) and the build takes about 5% less CPU time
// (bench/README.md).

// quickLane is false in tests that read a file the full way, to compare.
var quickLane = true

// setQuick decides, once the columns are known, whether rows may go
// through the quick lane at all: gift rows of a CSV file (a workbook's
// amounts may be numbers, read by xlsxNumber) with no filter to apply.
func (p *pipe) setQuick() {
	p.quick = quickLane && p.kind == steward.KindGifts && !p.xlsx && len(p.filters) == 0 &&
		p.byField[fGiftDate] != nil && p.col[fAmount] >= 0
	p.flagCols = p.flagCols[:0]
	for _, f := range [...]field{fTest, fRefund, fDeleted, fRefunded, fCurrency, fRefundedAmount} {
		if p.col[f] >= 0 {
			p.flagCols = append(p.flagCols, p.col[f])
		}
	}
}

// giftQuick reads a gift row as row would when the row is a common one and
// reports whether it did; when it reports false it has changed nothing.
// The caller has counted the row.
func (p *pipe) giftQuick(rec []string, row int) bool {
	if p.footer || p.fixText && !p.utf8Rows {
		return false
	}
	// An id, and none that may start a totals label (footerRule's common
	// case). A row with only an e-mail address is left to gift, which
	// hashes it.
	account, ok1 := p.bare(rec, fDonor)
	contact, ok2 := p.bare(rec, fContact)
	email, ok3 := p.bare(rec, fEmail)
	if !ok1 || !ok2 || !ok3 || account == "" && contact == "" {
		return false
	}
	for _, id := range [...]string{account, contact, email} {
		if id != "" && markStart(id[0]) {
			return false
		}
	}
	// Flags and currency: empty (or absent), as most rows have them.
	for _, i := range p.flagCols {
		if i < len(rec) && rec[i] != "" {
			return false
		}
	}
	v, ok := p.bare(rec, fStatus)
	if !ok {
		return false
	}
	st, ok := p.lastStatus.get(v)
	if !ok || st.rule != "" {
		return false
	}
	typ, ok := p.bare(rec, fGiftType)
	if !ok {
		return false
	}
	gt, ok := p.lastType.get(typ)
	if !ok || gt.rule != "" || gt.kind == parse.GiftRefund {
		return false
	}
	date, ok := p.quickDate(p.byField[fGiftDate], rec)
	if !ok || date == steward.NoDate {
		return false
	}
	raw, ok := p.bare(rec, fAmount)
	if !ok || raw == "" {
		return false
	}
	amt, hint, err := p.amount.format.Parse(raw)
	if err != nil || hint != "" || amt <= 0 {
		return false
	}
	ack := steward.NoDate
	if d := p.byField[fAckDate]; d != nil {
		if ack, ok = p.quickDate(d, rec); !ok {
			return false
		}
	}
	ackStatus := steward.AckUnknown
	if v, ok := p.bare(rec, fAckStatus); !ok {
		return false
	} else if v != "" {
		if ackStatus, ok = p.lastAck.get(v); !ok {
			return false
		}
	}
	campaign, ok1 := p.bare(rec, fCampaign)
	channel, ok2 := p.bare(rec, fPayment)
	if !ok1 || !ok2 {
		return false
	}

	g := &p.g
	*g = steward.Gift{}
	g.Account, g.Contact = account, contact
	g.Date, g.Amount, g.Currency = date, amt, p.currency
	g.Campaign, g.Channel, g.Type = campaign, channel, typ
	g.Source, g.Row = p.opt.SourceIndex, row
	g.AckDate, g.AckStatus = ack, ackStatus
	p.src.Used++
	p.sink.Gift(g)
	return true
}

// bare returns the value of field f, "" when the column is absent or the
// row short of it; ok is false when the value needs trimming.
func (p *pipe) bare(rec []string, f field) (v string, ok bool) {
	i := p.col[f]
	if i < 0 || i >= len(rec) {
		return "", true
	}
	v = rec[i]
	return v, v == "" || trimmed(v)
}

// quickDate reads date column d the quick way: the date when the value
// needs no trimming and DateFormat.Quick reads it as a plausible date,
// NoDate when the value is empty or the row short of it; ok is false for
// anything else.
func (p *pipe) quickDate(d *dateCol, rec []string) (t steward.Date, ok bool) {
	if d.idx >= len(rec) {
		return steward.NoDate, true
	}
	v := rec[d.idx]
	if v == "" {
		return steward.NoDate, true
	}
	if trimmed(v) {
		if t, ok := d.format.Quick(v); ok && t.Plausible() {
			return t, true
		}
	}
	return steward.NoDate, false
}
