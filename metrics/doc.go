// Package metrics computes Steward's figures from gifts, people and events:
// donor retention (FEP definitions), cohorts, quarterly activity, thank-you
// latency, engagement funnels and goals, exactly as defined in
// docs/metrics.md. Everything is a pure function of its input and Settings:
// no I/O, no clock (the as-of date is a setting or the latest gift date), no
// globals, and the output is sorted so the same input gives the same Report.
//
// Feed records to an Accumulator (it is a steward.Sink), one at a time, then
// call Report. Money is summed in integer cents; rates are nil when their
// denominator is 0 and carry 95% Wilson intervals.
package metrics
