package metrics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"steward"
)

// randomGifts makes n gift rows over 2018-2024 among nd donors, with
// refunds (some netting a year to 0 or below), anonymous and contact-only
// rows, acknowledgment dates and channels.
func randomGifts(rng *rand.Rand, n, nd int) []steward.Gift {
	start := d("2018-01-01")
	span := int(d("2024-12-31") - start)
	gs := make([]steward.Gift, 0, n)
	for i := 0; i < n; i++ {
		g := steward.Gift{Date: start + steward.Date(rng.Intn(span+1)), Currency: "USD", Row: i + 2}
		id := rng.Intn(nd)
		switch k := rng.Intn(20); {
		case k == 0: // anonymous
		case k == 1:
			g.Contact = "c" + string(rune('A'+id%26)) + string(rune('a'+id/26%26))
		default:
			g.Account = "a" + string(rune('A'+id%26)) + string(rune('a'+id/26%26))
			g.Contact = "x"
		}
		amounts := []steward.Cents{500, 1000, 2500, 5000, 10000, 2500, 100000, 1}
		g.Amount = amounts[rng.Intn(len(amounts))]
		if rng.Intn(12) == 0 {
			g.Refund = true
			g.Amount = -amounts[rng.Intn(len(amounts))]
		}
		if rng.Intn(3) > 0 {
			g.AckDate = g.Date + steward.Date(rng.Intn(40)-2)
		}
		if rng.Intn(15) == 0 {
			g.AckStatus = steward.AckDoNotAcknowledge
		}
		g.Channel = []string{"", "Online", "Check"}[rng.Intn(3)]
		gs = append(gs, g)
	}
	return gs
}

// refAsOf is the as-of date of a report on gifts: Settings.AsOf, else the
// latest positive gift that is not a refund.
func refAsOf(s Settings, gifts []steward.Gift) steward.Date {
	asOf := s.AsOf
	if asOf == steward.NoDate {
		for _, g := range gifts {
			if g.Amount > 0 && !g.Refund && g.Date > asOf {
				asOf = g.Date
			}
		}
	}
	return asOf
}

// refRetention is a plain second implementation of section 1: maps of donor
// -> fiscal year -> cents and straightforward loops.
func refRetention(s Settings, gifts []steward.Gift) []Retention {
	asOf := refAsOf(s, gifts)
	net := map[string]map[int]int64{}
	yearsSet := map[int]bool{}
	for _, g := range gifts {
		if g.Date > asOf || g.Amount == 0 {
			continue
		}
		fy := FiscalYear(g.Date, s.FYStartMonth)
		if g.Amount > 0 && !g.Refund {
			yearsSet[fy] = true
		}
		key := g.Account
		if key == "" {
			key = g.Contact
		}
		if key == "" {
			continue
		}
		if net[key] == nil {
			net[key] = map[int]int64{}
		}
		amt := int64(g.Amount)
		if g.Refund && amt > 0 {
			amt = -amt
		}
		net[key][fy] += amt
	}
	gave := func(k string, y int) bool { return net[k][y] > 0 }
	firstYear := func(k string) int {
		best := 1 << 30
		for y, c := range net[k] {
			if c > 0 && y < best {
				best = y
			}
		}
		return best
	}
	var years []int
	for y := range yearsSet {
		years = append(years, y)
	}
	sort.Ints(years)
	div := func(a, b float64) *float64 {
		if b == 0 {
			return nil
		}
		v := a / b
		return &v
	}
	var out []Retention
	for _, y := range years {
		start, end := yearBounds(y, s.FYStartMonth)
		r := Retention{Period: yearLabel(y), Start: start, End: end, Complete: end <= asOf}
		var dollars, prior, retainedD, newD, recapD, up, down, lapsedD, sybD, gains, losses int64
		var newRet int
		for k := range net {
			a, b := net[k][y], net[k][y-1]
			fy := firstYear(k)
			if gave(k, y) {
				r.Donors++
				dollars += a
			}
			if gave(k, y-1) {
				r.PriorDonors++
				prior += b
				if fy == y-1 {
					r.PriorNew++
				}
			}
			switch {
			case gave(k, y) && fy == y:
				r.New++
				newD += a
			case gave(k, y) && !gave(k, y-1):
				r.Recaptured++
				recapD += a
			case gave(k, y):
				r.Retained++
				retainedD += a
				if fy == y-1 {
					newRet++
				}
				if a > b {
					r.Upgraded++
					up += a - b
				} else if a < b {
					r.Downgraded++
					down += b - a
				} else {
					r.Same++
				}
			case gave(k, y-1):
				r.Lapsed++
				lapsedD += b
				if fy == y-1 {
					r.LapsedNew++
				} else {
					r.LapsedRepeat++
				}
			}
			if !gave(k, y) && !gave(k, y-1) {
				var before int64
				for py, c := range net[k] {
					if py < y-1 && c > 0 {
						before += c
					}
				}
				if before > 0 {
					r.SYBUNT++
					sybD += before
				}
			}
		}
		gains = newD + recapD + up
		losses = down + lapsedD
		r.PriorRepeat = r.PriorDonors - r.PriorNew
		r.RetentionRate = div(float64(r.Retained), float64(r.PriorDonors))
		r.NewDonorRetentionRate = div(float64(newRet), float64(r.PriorNew))
		r.RepeatDonorRetentionRate = div(float64(r.Retained-newRet), float64(r.PriorRepeat))
		r.RetentionRateCI95 = ci(r.Retained, r.PriorDonors)
		r.NewDonorRetentionCI95 = ci(newRet, r.PriorNew)
		r.RepeatDonorRetentionCI95 = ci(r.Retained-newRet, r.PriorRepeat)
		c := func(x int64) float64 { return float64(x) / 100 }
		r.Dollars, r.PriorDollars, r.RetainedDollars = c(dollars), c(prior), c(retainedD)
		r.DollarRetentionRate = div(float64(retainedD), float64(prior))
		r.AcquisitionRate = div(float64(r.New), float64(r.PriorDonors))
		r.NewDollars, r.RecapturedDollars, r.UpgradeDollars, r.DowngradeDollars = c(newD), c(recapD), c(up), c(down)
		r.LapsedDollars, r.Gains, r.Losses = c(lapsedD), c(gains), c(losses)
		r.GrowthInGiving = div(float64(gains-losses), float64(prior))
		r.LYBUNT, r.LYBUNTDollars = r.Lapsed, c(lapsedD)
		r.SYBUNTDollars = c(sybD)
		r.SmallNumbers = r.PriorDonors < 30
		out = append(out, r)
	}
	return out
}

func TestRetentionCrossCheck(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewSource(seed))
		s := DefaultSettings()
		s.FYStartMonth = time.Month(1 + rng.Intn(12))
		if seed%3 == 0 {
			s.AsOf = d("2023-09-15")
		}
		gifts := randomGifts(rng, 50+rng.Intn(600), 5+rng.Intn(80))
		r, err := Compute(s, gifts, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := refRetention(s, gifts)
		if diff := cmp.Diff(want, r.Retention, approx); diff != "" {
			t.Fatalf("seed %d (-ref +accumulator):\n%s", seed, diff)
		}
		checkInvariants(t, seed, r)
	}
}

// checkInvariants checks the section 1 identities exactly (dollars in cents).
func checkInvariants(t *testing.T, seed int64, r *Report) {
	t.Helper()
	cents := func(x float64) int64 {
		if x < 0 {
			return int64(x*100 - 0.5)
		}
		return int64(x*100 + 0.5)
	}
	for i, y := range r.Retention {
		if y.New+y.Recaptured+y.Retained != y.Donors {
			t.Errorf("seed %d %s: new+recaptured+retained = %d, donors %d", seed, y.Period, y.New+y.Recaptured+y.Retained, y.Donors)
		}
		if y.Retained+y.Lapsed != y.PriorDonors {
			t.Errorf("seed %d %s: retained+lapsed = %d, prior %d", seed, y.Period, y.Retained+y.Lapsed, y.PriorDonors)
		}
		if y.Upgraded+y.Same+y.Downgraded != y.Retained || y.LapsedNew+y.LapsedRepeat != y.Lapsed ||
			y.PriorNew+y.PriorRepeat != y.PriorDonors {
			t.Errorf("seed %d %s: split counts %+v", seed, y.Period, y)
		}
		if g, l := cents(y.Gains), cents(y.Losses); g-l != cents(y.Dollars)-cents(y.PriorDollars) {
			t.Errorf("seed %d %s: gains-losses %d != %d", seed, y.Period, g-l, cents(y.Dollars)-cents(y.PriorDollars))
		}
		if i > 0 && r.Retention[i-1].Period == yearLabel(fyOfLabel(y.Period)-1) {
			p := r.Retention[i-1]
			if p.Donors != y.PriorDonors || p.Dollars != y.PriorDollars || p.New != y.PriorNew {
				t.Errorf("seed %d %s: prior year mismatch", seed, y.Period)
			}
		}
	}
	// R[c][1] = new-donor retention of c+1.
	byP := map[string]Retention{}
	for _, y := range r.Retention {
		byP[y.Period] = y
	}
	for _, c := range r.Cohorts {
		if len(c.Gave) == 0 {
			continue
		}
		next, ok := byP[yearLabel(fyOfLabel(c.Cohort)+1)]
		if !ok {
			if c.Gave[0] != 0 {
				t.Errorf("seed %d %s: gave %d in a year with no gifts", seed, c.Cohort, c.Gave[0])
			}
			continue
		}
		if next.PriorNew != c.Size || next.NewDonorRetentionRate == nil || *next.NewDonorRetentionRate != c.Rates[0] {
			t.Errorf("seed %d %s: cohort %d/%d vs new-donor retention %v of %d", seed, c.Cohort, c.Gave[0], c.Size, next.NewDonorRetentionRate, next.PriorNew)
		}
	}
}

func fyOfLabel(p string) int {
	var y int
	for _, c := range p[2:6] {
		y = y*10 + int(c-'0')
	}
	return y
}

// TestMergeEqualsSequential: feeding two Accumulators and merging gives the
// same report as one Accumulator.
func TestMergeEqualsSequential(t *testing.T) {
	for seed := int64(1); seed <= 10; seed++ {
		rng := rand.New(rand.NewSource(seed))
		s := DefaultSettings()
		s.FYStartMonth = time.Month(1 + rng.Intn(12))
		s.MinCell = 3
		s.Funnels = []FunnelSpec{DefaultFunnel(), {Name: "Big", Stages: []StageSpec{
			{Name: "first", Gift: "first"}, {Name: "cum 200", Cumulative: 20000}, {Name: "year 500", SingleYear: 50000}}}}
		sameMerged(t, s, randomGifts(rng, 400, 60), 2, fmt.Sprintf("merged, seed %d", seed))
	}
}

func TestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	gifts := randomGifts(rng, 500, 50)
	s := DefaultSettings()
	s.Goals = []GoalSpec{{Metric: "retention_rate", Target: 0.4}}
	var out [][]byte
	for i := 0; i < 2; i++ {
		r, err := Compute(s, gifts, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("two runs differ")
	}
}

// TestMergeLarge: a merge big enough to search on several goroutines and to
// grow the hash table gives the same report as one Accumulator.
func TestMergeLarge(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	gs := benchGifts(300_000, 60_000)
	s := benchSettings()
	s.Funnels = []FunnelSpec{DefaultFunnel(), {Name: "Big", Stages: []StageSpec{
		{Name: "first", Gift: "first"}, {Name: "cum 200", Cumulative: 20000}, {Name: "year 500", SingleYear: 50000}}}}
	one, err := feed(s, gs).Report(nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := feed(s, gs[:len(gs)/2]), feed(s, gs[len(gs)/2:])
	a.Merge(b)
	sameReport(t, one, a, "merged")
}

// sameMerged fails t unless feeding every k-th gift to one Accumulator and
// the others to a second, then merging the second into the first, gives
// Compute's report.
func sameMerged(t *testing.T, s Settings, gifts []steward.Gift, k int, what string) {
	t.Helper()
	one, err := Compute(s, gifts, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := NewAccumulator(s), NewAccumulator(s)
	for i := range gifts {
		if i%k == 0 {
			a.Gift(&gifts[i])
		} else {
			b.Gift(&gifts[i])
		}
	}
	a.Merge(b)
	sameReport(t, one, a, what)
}

// sameReport fails t unless a's report equals one bit for bit, but for the
// order of the listed negative-latency rows.
func sameReport(t *testing.T, one *Report, a *Accumulator, what string) {
	t.Helper()
	two, err := a.Report(nil)
	if err != nil {
		t.Fatal(err)
	}
	one.ThankYou.Negative, two.ThankYou.Negative = nil, nil
	if diff := cmp.Diff(one, two); diff != "" {
		t.Fatalf("(-one +%s):\n%s", what, diff)
	}
}

// TestForkConcurrent: an Accumulator and its fork fed on two goroutines at
// once and joined give the same report as one Accumulator, bit for bit,
// with funnels that keep days and recurring dates per donor: with a fork
// that shares its parent's donors (their shards locked in turn), and with
// one that keeps its donors apart (merged by Join); each with tables that
// grow from small and with tables started for a big input (Expect).
func TestForkConcurrent(t *testing.T) {
	n, nd := 200_000, 40_000
	if testing.Short() {
		n, nd = 20_000, 4_000
	}
	gs := benchGifts(n, nd)
	for i := range gs {
		if i%7 == 0 {
			gs[i].Type = "Recurring"
		}
	}
	s := benchSettings()
	s.Funnels = []FunnelSpec{DefaultFunnel(), {Name: "Big", Stages: []StageSpec{
		{Name: "first", Gift: "first"}, {Name: "monthly", Gift: "recurring"},
		{Name: "cum 200", Cumulative: 20000}, {Name: "year 500", SingleYear: 50000}}}}
	one, err := feed(s, gs).Report(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ apart, big bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		apart := c.apart
		a := NewAccumulator(s)
		if apart {
			a.KeepForksApart()
		}
		if c.big { // tables started large (Expect) change no figure
			a.Expect(BigInput)
		}
		f := a.Fork()
		if big := f.(*Accumulator).donors.sh[0].t.chunks.bigInput; big != c.big {
			t.Fatalf("apart %v, Expect %v: the fork's tables start big: %v", apart, c.big, big)
		}
		if shared := f.(*Accumulator).donors == a.donors; shared == apart {
			t.Fatalf("apart %v: the fork shares its parent's donors: %v", apart, shared)
		}
		done := make(chan struct{})
		go func() {
			for i := len(gs) / 2; i < len(gs); i++ {
				f.Gift(&gs[i])
			}
			close(done)
		}()
		for i := 0; i < len(gs)/2; i++ {
			a.Gift(&gs[i])
		}
		<-done
		a.Join(f)
		sameReport(t, one, a, fmt.Sprintf("forked, apart %v, Expect %v", apart, c.big))
	}
	if one.Totals.Donors == 0 || one.Totals.Refunds == 0 || len(one.Funnels) != 2 ||
		one.Funnels[1].Stages[1].Reached == 0 || one.Funnels[1].Stages[3].Reached == 0 {
		t.Fatalf("the data does not exercise the fork: %+v", one.Totals)
	}
}

// TestReportParallel: the pass over the donors gives the same report in one
// part as on two goroutines taking chunks in turn (parallelDonors,
// donorChunk), bit for bit, funnels and refunds included.
func TestReportParallel(t *testing.T) {
	gs := benchGifts(30_000, 6_000)
	s := benchSettings()
	s.Funnels = []FunnelSpec{DefaultFunnel(), {Name: "Big", Stages: []StageSpec{
		{Name: "first", Gift: "first"}, {Name: "cum 200", Cumulative: 20000}, {Name: "year 500", SingleYear: 50000}}}}
	a := feed(s, gs)
	defer func(n, c int) { parallelDonors, donorChunk = n, c }(parallelDonors, donorChunk)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	parallelDonors = 1 << 30
	one, err := a.Report(nil)
	if err != nil {
		t.Fatal(err)
	}
	parallelDonors = 1
	for _, c := range []int{1, 100, 1000, 5999, 1 << 20} {
		donorChunk = c
		sameReport(t, one, a, fmt.Sprintf("chunks of %d", c))
	}
	if one.Totals.Refunds == 0 || one.Funnels[1].Stages[2].Reached == 0 || len(one.Cohorts) < 5 {
		t.Fatalf("the data does not exercise the pass: %+v", one.Totals)
	}
}

// TestDropFork: dropping a fork that shares its parent's donors spoils the
// parent only once the fork has changed them: a fork with no gifts, or
// with gifts still queued (fewer than a batch), leaves a Report equal to
// the parent's own; one that added donors makes Report return ErrSpoiled.
// A fork kept apart never spoils.
func TestDropFork(t *testing.T) {
	// 2,000 gifts of 500 donors after the first 1,000: some shard queues a
	// whole batch (pendBatch), whatever the hash seed. With 1,000, about
	// one seed in 170 left every shard short of one.
	gs := benchGifts(3_000, 500)
	s := benchSettings()
	s.MinCell = 0 // thank-you groups look no donor up
	want, err := feed(s, gs[:1000]).Report(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		apart   bool
		gifts   int
		spoiled bool
	}{
		{"no gifts", false, 0, false},
		{"queued gifts", false, 10, false},
		{"applied gifts", false, 2000, true},
		{"apart", true, 2000, false},
	} {
		a := feed(s, gs[:1000])
		if tt.apart {
			a.KeepForksApart()
		}
		f := a.Fork()
		for i := range gs[1000 : 1000+tt.gifts] {
			f.Gift(&gs[1000+i])
		}
		a.Drop(f)
		got, err := a.Report(nil)
		if tt.spoiled {
			if !errors.Is(err, ErrSpoiled) {
				t.Fatalf("%s: got %v, want ErrSpoiled", tt.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("%s (-parent alone +after drop):\n%s", tt.name, d)
		}
	}
}
