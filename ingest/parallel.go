package ingest

import (
	"slices"
	"sync"
	"sync/atomic"

	"steward"
	"steward/internal/prefault"
)

// Reading a CSV file on two goroutines. The first goroutine reads from the
// first data row to a line start about two thirds of the way (splitAt),
// into the pipe and its sink; the second reads from there to the end into
// a fork of both. The two rarely take the same time (the second counts the
// lines before its start, and hashes the file when Options.Hash is set,
// see hashFeed; the machine is shared), so when the second is done it
// takes the back of what the first has left, into another fork, and so on
// while enough is left: each goroutine works until the end. The parts are
// joined in file order. The results are those of one goroutine: the same
// rows, row numbers, accounting, warnings and records in the same order.
//
// A part boundary is a guess (a line feed inside a quoted field is no
// record boundary): it holds when the part before ends right there. The
// second goroutine counts the quotes before each boundary and uses none
// with an odd count (the split inside a quoted field, or a stray quote).
// When a boundary does not hold, or when the text before a part ends in a
// state that would have changed how the part is read (a footer line seen,
// a first currency), or when a part met something odd, that part and the
// ones after it are dropped (Forker.Drop) and the first goroutine reads
// them again.

// Knobs of the parallel reading, variables for tests.
var (
	checkEvery int64 = 256 << 10 // the first goroutine answers offers every checkEvery bytes
	minSteal   int64 = 1 << 20   // the second goroutine takes no smaller part
	maxSteals        = 4         // parts it takes from the first's (forks made up front)
	splitAt    int64 = 68        // the first goroutine's share of the text, in percent
	// stealWait makes the first goroutine wait at each checkpoint until
	// the second offers a stop or takes no more, so that tests see parts
	// taken whatever the timing.
	stealWait = false
)

// part is a range of the text read by the second goroutine into a fork.
type part struct {
	from, to int64 // the text read: from a line start to to (the end of the text for the first part)
	line     int   // line of from
	q        *pipe // the fork it is read into
	res      int   // scanEnd when it was read up to to
	end      int64 // where the reading stopped
	err      error // a row's error or a read error
}

// stealer is how the second goroutine takes the back of the first's
// range: it offers a new stop, which the first accepts at its next
// checkpoint when it has not read that far.
type stealer struct {
	mu     sync.Mutex
	pos    int64 // the first goroutine's position at its last checkpoint
	done   bool  // the first goroutine has ended its range
	offer  int64 // an offered stop; 0: none
	reply  chan bool
	idle   bool          // the second goroutine takes no more (stealWait)
	change chan struct{} // an offer or idle (stealWait)
}

// checkpoint is called by the first goroutine at the start of a record at
// at, with its stop; it returns its stop, changed when it accepts an offer.
func (s *stealer) checkpoint(at, stop int64) int64 {
	s.mu.Lock()
	for stealWait && s.offer == 0 && !s.idle {
		s.mu.Unlock()
		<-s.change
		s.mu.Lock()
	}
	defer s.mu.Unlock()
	s.pos = at
	if s.offer != 0 {
		ok := s.offer >= at && s.offer < stop
		if ok {
			stop = s.offer
		}
		s.offer = 0
		s.reply <- ok
	}
	return stop
}

// end is called by the first goroutine when it has ended its range: it
// takes no more offers.
func (s *stealer) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done = true
	if s.offer != 0 {
		s.offer = 0
		s.reply <- false
	}
}

// position returns the first goroutine's position at its last checkpoint,
// and false when it has ended its range.
func (s *stealer) position() (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pos, !s.done
}

// take offers stop to the first goroutine and reports whether it took it.
func (s *stealer) take(stop int64) bool {
	s.mu.Lock()
	if s.done {
		s.mu.Unlock()
		return false
	}
	s.offer = stop
	s.mu.Unlock()
	s.changed()
	return <-s.reply
}

// stopTaking is called by the second goroutine when it takes no more.
func (s *stealer) stopTaking() {
	s.mu.Lock()
	s.idle = true
	s.mu.Unlock()
	s.changed()
}

func (s *stealer) changed() {
	select {
	case s.change <- struct{}{}:
	default:
	}
}

// parallel reads the text from off (line line) to the end on two
// goroutines, as described above.
func (p *pipe) parallel(pt *plainText, fk steward.Forker, off int64, line, maxSpan int, buf []byte) error {
	// The split leaves the second goroutine about a third: it starts late
	// (it counts the lines before the split), it hashes the whole file
	// (hashFeed: about a seventh of the work), and it can take from the
	// first's range, not the first from its. On 1M and 10M rows, 62 to 68%
	// took 4% less wall time than 55%; 74% was slower again.
	split, err := lineAfter(pt.ahead, off+(pt.size-off)*splitAt/100, pt.size, buf)
	if err != nil {
		return err
	}
	sc := newScanner(pt.r, off, pt.size, line, pt.delim, p.opt.MaxFieldBytes, maxSpan, buf)
	if split < 0 {
		return p.scanRest(sc)
	}
	footer, currency, fixed := p.footer, p.currency, p.fixCount
	// Each part is read into a fork of the pipe as it is here (tmpl,
	// which nothing changes) and of the sink. The sink's forks are all
	// made now: Fork is not called while the sink is fed.
	tmpl := p.fork(nil)
	parts := make([]part, 1+maxSteals)
	sinks := make([]steward.Sink, len(parts))
	for i := range sinks {
		sinks[i] = fk.Fork()
	}
	st := &stealer{pos: off, reply: make(chan bool, 1), change: make(chan struct{}, 1)}
	var quit atomic.Bool
	done := make(chan struct{})
	n := 0 // parts read, parts[0] being the second half
	go func() {
		defer close(done)
		defer st.stopTaking()
		n = tmpl.second(pt, off, split, line, maxSpan, parts, sinks, st, &quit)
	}()
	defer func() { // also on a panic: the second goroutine reads no further
		quit.Store(true)
		st.end()
		<-done
	}()

	sc.stop = split
	res, row := scanRecord, 0
	next := off + checkEvery
	for {
		var rec []string
		rec, row, res = sc.next()
		if res != scanRecord {
			break
		}
		if at := sc.at(sc.pos); at >= next {
			sc.stop = st.checkpoint(at, sc.stop)
			next = at + checkEvery
		}
		if blank(rec) {
			continue
		}
		p.utf8Rows = sc.utf8
		if err = p.row(rec, row); err != nil {
			break
		}
	}
	st.end()
	aligned := res == scanEnd && sc.at(sc.pos) == sc.stop
	if !aligned || err != nil {
		quit.Store(true)
	}
	<-done
	// The parts in file order: the ones taken from the first goroutine's
	// range (last taken first), then the second half.
	order := make([]*part, 0, n)
	for i := n - 1; i >= 1; i-- {
		order = append(order, &parts[i])
	}
	if n > 0 {
		order = append(order, &parts[0])
	}
	joined := 0
	if aligned && err == nil {
		for _, pa := range order {
			q := pa.q
			if pa.res != scanEnd || pa.err != nil || pa.end != pa.to || p.footer != footer || p.currency != currency ||
				!p.cachesRoom() || !q.cachesRoom() || len(q.src.Warnings) >= maxWarnings {
				break
			}
			q.fixCount -= fixed
			p.join(q)
			fk.Join(q.sink)
			joined++
		}
	}
	for i := range parts {
		if !slices.Contains(order[:joined], &parts[i]) {
			fk.Drop(sinks[i])
		}
	}
	switch {
	case err != nil:
		return err
	case res == scanErr:
		return sc.err
	case res == scanOdd:
		return p.slowFrom(row)
	}
	switch {
	case joined == len(order):
		return nil
	case !aligned || joined == 0:
		// Read on from where this goroutine stopped.
		sc.stop = -1
		return p.scanRest(sc)
	}
	// Read again from the first part not joined, after the ones joined.
	pa := order[joined]
	return p.scanRest(newScanner(pt.r, pa.from, pt.size, pa.line, pt.delim, p.opt.MaxFieldBytes, maxSpan, buf))
}

// second is the second goroutine, on tmpl (the pipe as it was at the
// split): it reads the text from split (a line start after the text from
// off, line line) to the end into parts[0], then takes parts of the first
// goroutine's range into parts[1:] while enough is left, part i into a
// fork of tmpl and sinks[i]. It returns the number of parts it read.
func (tmpl *pipe) second(pt *plainText, off, split int64, line, maxSpan int, parts []part, sinks []steward.Sink, st *stealer, quit *atomic.Bool) (n int) {
	n = 1
	pa := &parts[0]
	pa.from, pa.to, pa.q = split, pt.size, tmpl.fork(sinks[0])
	defer func() {
		if v := recover(); v != nil {
			parts[n-1].res = scanOdd // read again by the first goroutine, which reports it
		}
	}()
	// This goroutine hashes the file from here on: the text before the
	// split as it counts its lines, then the text it reads (hashFeed).
	tmpl.hash.take()
	if tmpl.hash != nil {
		defer tmpl.hash.complete() // its read error is Read's
	}
	buf := prefault.MakeHuge[byte](scanBlock, scanBlock) // filled by the first read
	nl, quotes, err := countLines(pt.ahead, off, split, buf, tmpl.hash)
	if err != nil {
		pa.res, pa.err = scanErr, err
		return n
	}
	if quotes%2 != 0 {
		// The split is inside a quoted field (or the first half has a
		// stray quote): the first half will not end there. Leave it all
		// to the first goroutine, before the fork has any record.
		pa.res = scanOdd
		return n
	}
	pa.line = line + nl
	if !pa.q.readPart(pt, pa, maxSpan, buf, quit) {
		return n
	}
	// Take the back of what the first goroutine has left.
	to, toLine, toQuotes := split, pa.line, quotes
	for n < len(parts) {
		pos, ok := st.position()
		if !ok || to-pos < 2*minSteal {
			return n
		}
		// The back 40%: the first goroutine may be the quicker one, and
		// what is left after it can be taken again.
		from, err := lineAfter(pt.ahead, pos+(to-pos)*3/5, to, buf)
		if err != nil || from < 0 {
			return n
		}
		nl, q, err := countLines(pt.ahead, from, to, buf, nil)
		// An odd number of quotes before from: from is inside a quoted
		// field; try the next few line starts.
		for try := 0; err == nil && (toQuotes-q)%2 != 0 && try < 16; try++ {
			var next int64
			if next, err = lineAfter(pt.ahead, from, to, buf); err != nil || next < 0 {
				return n
			}
			var nl2, q2 int
			nl2, q2, err = countLines(pt.ahead, from, next, buf, nil)
			from, nl, q = next, nl-nl2, q-q2
		}
		if err != nil || (toQuotes-q)%2 != 0 || !st.take(from) {
			return n
		}
		to, toLine, toQuotes = from, toLine-nl, toQuotes-q
		pa = &parts[n]
		pa.from, pa.to, pa.line, pa.q = from, parts[n-1].from, toLine, tmpl.fork(sinks[n])
		n++
		if !pa.q.readPart(pt, pa, maxSpan, buf, quit) {
			return n
		}
	}
	return n
}

// readPart reads the records of part pa into p, and reports whether it
// read them all.
func (p *pipe) readPart(pt *plainText, pa *part, maxSpan int, buf []byte, quit *atomic.Bool) bool {
	sc := newScanner(pt.r, pa.from, pt.size, pa.line, pt.delim, p.opt.MaxFieldBytes, maxSpan, buf)
	sc.hash = p.hash
	sc.stop = pa.to
	if pa.to == pt.size {
		sc.stop = -1
	}
	for n := 0; ; n++ {
		if n&1023 == 0 && quit.Load() {
			pa.res = scanOdd
			return false
		}
		rec, row, res := sc.next()
		if res != scanRecord {
			pa.res, pa.end = res, sc.at(sc.pos)
			if res == scanErr {
				pa.err = sc.err
			}
			return res == scanEnd
		}
		if blank(rec) {
			continue
		}
		p.utf8Rows = sc.utf8
		if err := p.row(rec, row); err != nil {
			pa.res, pa.err = scanOdd, err
			return false
		}
	}
}
