package ingest

import (
	"io"
	"strings"

	"steward"
)

// A file passed with the rest of an export folder may hold nothing any
// figure can use: NPSP's campaign members (ContactId, CampaignId, Status:
// no date) or its campaigns (Id, Name: a lookup table). Read with no kind
// set in the config, such a file is not an error: its Source counts every
// data row as excluded by ruleNoDate and says what to add. A gift file
// missing its date or amount column stays an error, as does any file whose
// kind the config sets.

// ruleNoDate is the exclusion rule of every data row of an unusable file.
const ruleNoDate = "no date column: nothing to count"

// undatedEvents reports whether a mapping that fits no kind names a
// person and an event but no event date, and no amount (an events-like
// file with no date column).
func undatedEvents(m *[nFields]int) bool {
	return m[fPerson] >= 0 && m[fEvent] >= 0 && m[fEventDate] < 0 &&
		m[fAmount] < 0 && m[fGiftDate] < 0
}

// lookupHeader reports whether rec, a row no profile reads, is the header
// of a lookup table that may be passed with no config: an id column ("Id"
// or "... ID"), a name column ("Name" or "... Name"), and otherwise only
// descriptive columns (lookupWords). A file with any other column, say an
// amount or a date under a header Steward does not know, stays an error
// that asks for columns:. Only when neither the kind, the profile nor
// columns are set in the config.
func (p *pipe) lookupHeader(rec []string) bool {
	if p.opt.Kind != "" || p.opt.Profile != "" || len(p.opt.Columns) > 0 {
		return false
	}
	id, name := false, false
	for _, c := range rec {
		k := normHeader(c)
		switch {
		case k == "id" || strings.HasSuffix(k, " id"):
			id = true
		case k == "name" || strings.HasSuffix(k, " name"):
			name = true
		case !lookupWords[k]:
			return false
		}
	}
	return id && name
}

// lookupWords are the other columns a lookup table may have (normalised).
var lookupWords = map[string]bool{
	"type": true, "status": true, "description": true, "code": true,
	"label": true, "active": true, "is active": true, "isactive": true,
}

// skipUnusable counts every data row below the header of an unusable file
// as excluded by ruleNoDate, and warns what to add.
func (p *pipe) skipUnusable(rr rowReader) error {
	s := p.src
	s.HeaderRow = p.headerRow
	s.Kind = ""
	s.Profile = ""
	if p.profile != nil {
		s.Profile = p.profile.name
	}
	s.Columns = []steward.Column{}
	for {
		rec, _, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if blank(rec) {
			continue
		}
		s.Rows++
		s.Exclude(ruleNoDate)
	}
	p.warn("this looks like " + p.unusable + " with no date column, so no figure can use it and its " +
		itoa(s.Rows) + " rows are left out; map a date column under columns: (event_date: <header>), or leave this file out")
	return nil
}
