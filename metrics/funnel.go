package metrics

import (
	"sort"
	"strings"

	"steward"
)

// DefaultFunnel is the gift funnel used when no funnel is configured
// (metrics.md section 3). Its stages are nested, so none is ever implied.
func DefaultFunnel() FunnelSpec {
	return FunnelSpec{
		Name: "Donor ladder",
		Stages: []StageSpec{
			{Name: "First gift", Gift: "first"},
			{Name: "Second gift", Gift: "second"},
			{Name: "Gave in 3+ fiscal years", FiscalYears: 3},
		},
	}
}

// funnelAcc accumulates one funnel.
type funnelAcc struct {
	spec    FunnelSpec
	kinds   []stageKind // of spec.Stages
	stages  []Stage
	toNext  []hist
	cohorts map[int][]int
	byFY    [][]int // cohorts[minFY+i], when made
	own     []steward.Date
	eff     []steward.Date
}

// stageKind is which rule of a StageSpec gives a unit's date.
type stageKind uint8

const (
	stageNone stageKind = iota
	stageEvents
	stageFirst
	stageSecond
	stageRecurring
	stageFiscalYears
	stageThreshold
)

// kindOf returns the rule of st, in the order stageDate used to test
// them: events first, then the gift rules.
func kindOf(st *StageSpec) stageKind {
	switch {
	case len(st.Events) > 0:
		return stageEvents
	case st.Gift == "first":
		return stageFirst
	case st.Gift == "second":
		return stageSecond
	case st.Gift == "recurring":
		return stageRecurring
	case st.FiscalYears > 0:
		return stageFiscalYears
	case st.Cumulative > 0 || st.SingleYear > 0:
		return stageThreshold
	}
	return stageNone
}

// funnelState is the funnels of one Report call: the units (donors first,
// then people seen only in events) and the first date of each event per
// unit.
type funnelState struct {
	specs   []FunnelSpec
	fs      []*funnelAcc
	nUnits  int32
	evDates map[string]map[int32]steward.Date // event name -> unit -> first date
}

// Funnels fill Report.Funnels and Report.Funnel in three steps: startFunnels,
// then funnelUnit for every donor in the donor pass of donorFigures, then
// endFunnels for the people seen only in events and the figures. The unit is the donor
// key. An event's person is a contact id; with donor_key account it is
// mapped to the person's household when the people file gives one. Gift
// stages: "first" and "second" are the dates of the donor's first and
// second qualifying gifts; "recurring" the first gift whose type or channel
// says recurring or sustaining; FiscalYears N the first gift date of the
// N-th fiscal year in which the donor gave (net > 0); Cumulative X the first
// day on which the donor's net giving to date reaches X; SingleYear X the
// first day on which the net giving within one fiscal year reaches X.
//
// A person who reached a later stage without an earlier one counts as
// reaching the earlier one at the later date (Implied). A recorded date
// later than a later stage's date is moved back to it, so stage dates never
// decrease. Only dates on or before the as-of date count.
func (b *build) startFunnels() {
	a := b.a
	specs := a.s.Funnels
	if len(specs) == 0 {
		specs = []FunnelSpec{DefaultFunnel()}
	}
	// Units: donors first, then people seen only in events.
	units := map[string]int32{}
	nUnits := int32(a.donors.n())
	evDates := map[string]map[int32]steward.Date{} // event name -> unit -> first date
	var evKeys []eventKey
	for k := range a.events {
		evKeys = append(evKeys, k)
	}
	sort.Slice(evKeys, func(i, j int) bool {
		if evKeys[i].person != evKeys[j].person {
			return evKeys[i].person < evKeys[j].person
		}
		return evKeys[i].name < evKeys[j].name
	})
	for _, k := range evKeys {
		d := a.events[k]
		if d > b.asOf {
			continue
		}
		key := k.person
		if h, ok := a.household[key]; ok && a.s.DonorKey != "contact" {
			key = h
		}
		u := a.donors.lookup(key)
		if u < 0 {
			var ok bool
			if u, ok = units[key]; !ok {
				u = nUnits
				nUnits++
				units[key] = u
			}
		}
		m := evDates[k.name]
		if m == nil {
			m = map[int32]steward.Date{}
			evDates[k.name] = m
		}
		if old, ok := m[u]; !ok || d < old {
			m[u] = d
		}
	}
	b.fun = funnelState{specs: specs, nUnits: nUnits, evDates: evDates}
	b.fun.fs = b.newFunnelAccs()
}

// newFunnelAccs returns an empty funnelAcc for each funnel.
func (b *build) newFunnelAccs() []*funnelAcc {
	fs := make([]*funnelAcc, len(b.fun.specs))
	for i, sp := range b.fun.specs {
		n := len(sp.Stages)
		fs[i] = &funnelAcc{spec: sp, kinds: make([]stageKind, n), stages: make([]Stage, n), toNext: make([]hist, n),
			cohorts: map[int][]int{}, byFY: make([][]int, b.nY), own: make([]steward.Date, n), eff: make([]steward.Date, n)}
		for k := range sp.Stages {
			fs[i].kinds[k] = kindOf(&sp.Stages[k])
		}
	}
	return fs
}

// add adds the units counted in o, a funnelAcc of the same funnel, to f.
func (f *funnelAcc) add(o *funnelAcc) {
	for k := range f.stages {
		s, t := &f.stages[k], &o.stages[k]
		s.Reached += t.Reached
		s.Implied += t.Implied
		s.Converted += t.Converted
		s.Denominator += t.Denominator
		s.StillInWindow += t.StillInWindow
		f.toNext[k].merge(&o.toNext[k])
	}
	for fy, cr := range o.cohorts {
		if f.cohorts[fy] == nil {
			f.cohorts[fy] = make([]int, len(cr))
		}
		addInts(f.cohorts[fy], cr)
	}
}

// cohort returns the cohort counts of fiscal year fy, made when new.
func (f *funnelAcc) cohort(b *build, fy int) []int {
	i := fy - b.minFY
	if i >= 0 && i < len(f.byFY) && f.byFY[i] != nil {
		return f.byFY[i]
	}
	cr := f.cohorts[fy]
	if cr == nil {
		cr = make([]int, len(f.stages))
		f.cohorts[fy] = cr
	}
	if i >= 0 && i < len(f.byFY) {
		f.byFY[i] = cr
	}
	return cr
}

// funnelUnit adds unit u to every funnel; g is nil when u has no
// qualifying gift.
func (b *build) funnelUnit(fs []*funnelAcc, u int32, g *giftFacts) {
	for _, f := range fs {
		for k, kind := range f.kinds {
			f.own[k] = b.stageDate(kind, &f.spec.Stages[k], u, g, b.fun.evDates)
		}
		b.addUnit(f)
	}
}

// endFunnels adds the units that are not donors and fills Report.Funnels.
func (b *build) endFunnels(r *Report) {
	for u := int32(b.a.donors.n()); u < b.fun.nUnits; u++ {
		b.funnelUnit(b.fun.fs, u, nil)
	}
	for _, f := range b.fun.fs {
		out := Funnel{Name: f.spec.Name, WindowDays: f.spec.WindowDays, Stages: f.stages, Cohorts: []FunnelCohort{}}
		for k := range out.Stages {
			st := &out.Stages[k]
			st.Name = f.spec.Stages[k].Name
			if k == len(out.Stages)-1 {
				continue
			}
			st.ConversionRate = rate(int64(st.Converted), int64(st.Denominator))
			st.ConversionCI95 = ci(st.Converted, st.Denominator)
			if st.Converted > 0 {
				st.MedianDaysToNext = ptr(f.toNext[k].percentile(0.5))
			}
		}
		var cys []int
		for fy := range f.cohorts {
			cys = append(cys, fy)
		}
		sort.Ints(cys)
		for _, fy := range cys {
			out.Cohorts = append(out.Cohorts, FunnelCohort{Cohort: yearLabel(fy), Reached: f.cohorts[fy]})
		}
		r.Funnels = append(r.Funnels, out)
	}
	r.Funnel = &r.Funnels[0]
}

// giftFacts is what gift stages need of one donor.
type giftFacts struct {
	first, second, recurring steward.Date
	qs                       []qtot // net by quarter
	days                     []dayAmt
	refunds                  []refund
}

func (b *build) stageDate(kind stageKind, st *StageSpec, u int32, g *giftFacts, ev map[string]map[int32]steward.Date) steward.Date {
	if kind == stageEvents {
		var best steward.Date
		for _, name := range st.Events {
			if d, ok := ev[strings.ToLower(strings.TrimSpace(name))][u]; ok && (best == steward.NoDate || d < best) {
				best = d
			}
		}
		return best
	}
	if g == nil {
		return steward.NoDate
	}
	switch kind {
	case stageFirst:
		return g.first
	case stageSecond:
		return g.second
	case stageRecurring:
		return g.recurring
	case stageFiscalYears:
		n, fy := 0, 0
		var first steward.Date
		years := 0
		var net int64
		flush := func() steward.Date {
			if years > 0 && net > 0 {
				n++
				if n == st.FiscalYears {
					return first
				}
			}
			return steward.NoDate
		}
		for _, t := range g.qs {
			if y := fyOf(t.q); years == 0 || y != fy {
				if d := flush(); d != steward.NoDate {
					return d
				}
				fy, net, first, years = y, 0, steward.NoDate, years+1
			}
			net += t.cents
			if t.first != steward.NoDate && (first == steward.NoDate || t.first < first) {
				first = t.first
			}
		}
		return flush()
	case stageThreshold:
		return b.thresholdDate(st, g)
	}
	return steward.NoDate
}

// thresholdDate walks the donor's gifts and refunds by day.
func (b *build) thresholdDate(st *StageSpec, g *giftFacts) steward.Date {
	m := b.a.s.FYStartMonth
	var run int64
	fy := 0
	i, j := 0, 0
	for i < len(g.days) || j < len(g.refunds) {
		var d steward.Date
		if j >= len(g.refunds) || (i < len(g.days) && g.days[i].date <= g.refunds[j].date) {
			d = g.days[i].date
		} else {
			d = g.refunds[j].date
		}
		if d > b.asOf {
			break
		}
		if st.SingleYear > 0 {
			if y := FiscalYear(d, m); y != fy {
				fy, run = y, 0
			}
		}
		for i < len(g.days) && g.days[i].date == d {
			run += g.days[i].cents
			i++
		}
		for j < len(g.refunds) && g.refunds[j].date == d {
			run += g.refunds[j].cents
			j++
		}
		lim := st.Cumulative
		if st.SingleYear > 0 {
			lim = st.SingleYear
		}
		if run >= int64(lim) {
			return d
		}
	}
	return steward.NoDate
}

// addUnit folds one unit's stage dates (f.own) into the funnel.
func (b *build) addUnit(f *funnelAcc) {
	n := len(f.own)
	any := false
	for k := n - 1; k >= 0; k-- {
		o := f.own[k]
		if o > b.asOf {
			o = steward.NoDate
		}
		var next steward.Date
		if k < n-1 {
			next = f.eff[k+1]
		}
		switch {
		case o == steward.NoDate:
			f.eff[k] = next
			if next != steward.NoDate {
				f.stages[k].Implied++
			}
		case next != steward.NoDate && next < o:
			f.eff[k] = next
		default:
			f.eff[k] = o
		}
		if f.eff[k] != steward.NoDate {
			any = true
		}
	}
	if !any {
		return
	}
	W := f.spec.WindowDays
	var cr []int
	if f.eff[0] != steward.NoDate {
		cr = f.cohort(b, b.fiscalYear(f.eff[0]))
	}
	for k := 0; k < n; k++ {
		e := f.eff[k]
		if e == steward.NoDate {
			continue
		}
		st := &f.stages[k]
		st.Reached++
		if cr != nil {
			cr[k]++
		}
		if k == n-1 {
			continue
		}
		if W > 0 && int(b.asOf-e) < W {
			st.StillInWindow++
			continue
		}
		st.Denominator++
		if nx := f.eff[k+1]; nx != steward.NoDate && (W <= 0 || int(nx-e) <= W) {
			st.Converted++
			f.toNext[k].add(int32(nx-e), 1)
		}
	}
}
