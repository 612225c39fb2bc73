package metrics_test

// Regression tests from the independent reference check (metrics.md against
// metrics.json). Each dataset is small and its right figures are worked out
// by hand in the comments.

import (
	"testing"
	"time"

	"steward"
	"steward/metrics"
)

func refDay(y, m, d int) steward.Date { return steward.NewDate(y, time.Month(m), d) }

func refYear(r *metrics.Report, label string) *metrics.Retention {
	for i := range r.Retention {
		if r.Retention[i].Period == label {
			return &r.Retention[i]
		}
	}
	return nil
}

// An explicit --as-of after the last gift. The metrics.json contract (issue
// 4) gives retention "one entry per fiscal year with any qualifying gift", so
// the empty years FY2022 and FY2023 have no retention entry. But "Only cells
// whose period is complete are shown" (metrics.md section 1, cohorts) means
// the cohort cells of those complete years are shown, as 0, not dropped.
//
// Data (calendar FY, as-of 2023-12-31):
//
//	A: 2020-03-01 $100, 2021-03-01 $100      B: 2020-05-01 $50
//
//	FY2020: donors 2, new 2, dollars 150
//	FY2021: donors 1 (A), prior 2, retained 1 (same), lapsed 1 (B, lapsed new)
//	Cohort FY2020: size 2, gave [1 (FY2021: A), 0 (FY2022), 0 (FY2023)]
func TestReferenceAsOfAfterLastGift(t *testing.T) {
	gifts := []steward.Gift{
		{Account: "A", Date: refDay(2020, 3, 1), Amount: 100_00},
		{Account: "B", Date: refDay(2020, 5, 1), Amount: 50_00},
		{Account: "A", Date: refDay(2021, 3, 1), Amount: 100_00},
	}
	s := metrics.DefaultSettings()
	s.AsOf = refDay(2023, 12, 31)
	r, err := metrics.Compute(s, gifts, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Retention) != 2 || r.Retention[1].Period != "FY2021" {
		t.Fatalf("retention periods = %d, want FY2020 and FY2021 only", len(r.Retention))
	}
	y21 := r.Retention[1]
	if y21.Donors != 1 || y21.PriorDonors != 2 || y21.Retained != 1 || y21.Same != 1 || y21.LapsedNew != 1 {
		t.Errorf("FY2021 = %+v", y21)
	}
	if len(r.Cohorts) == 0 || r.Cohorts[0].Cohort != "FY2020" {
		t.Fatalf("cohorts = %+v", r.Cohorts)
	}
	if g := r.Cohorts[0].Gave; len(g) != 3 || g[0] != 1 || g[1] != 0 || g[2] != 0 {
		t.Errorf("cohort FY2020 gave = %v, want [1 0 0] (FY2022 and FY2023 are complete)", g)
	}
	// Quarter cohorts: FY2020-Q1 (A) runs through FY2023-Q4, 15 complete
	// quarters after it; A gave again in FY2021-Q1, the 4th.
	found := false
	for _, c := range r.QuarterCohorts {
		if c.Cohort == "FY2020-Q1" {
			found = true
			if len(c.Gave) != 15 || c.Gave[3] != 1 || c.Gave[14] != 0 {
				t.Errorf("quarter cohort FY2020-Q1 gave = %v, want 15 cells with a 1 in the 4th", c.Gave)
			}
		}
	}
	if !found {
		t.Error("no FY2020-Q1 quarter cohort")
	}
}

// A fiscal year with no gifts between two years with gifts has no retention
// entry (one entry per fiscal year with any qualifying gift), and the year
// after it classifies its donors correctly.
//
// Data (calendar FY, as-of default = 2022-06-01, the last gift):
//
//	A: 2020-06-01 $100, 2022-06-01 $40
//
//	FY2020: donors 1, new 1
//	FY2022: donors 1, prior 0, recaptured 1 (gave in FY2020 < FY2021)
//	Cohort FY2020: gave [0 (FY2021)]; FY2022 is not complete.
func TestReferenceEmptyMiddleYear(t *testing.T) {
	gifts := []steward.Gift{
		{Account: "A", Date: refDay(2020, 6, 1), Amount: 100_00},
		{Account: "A", Date: refDay(2022, 6, 1), Amount: 40_00},
	}
	r, err := metrics.Compute(metrics.DefaultSettings(), gifts, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Retention) != 2 {
		t.Fatalf("retention periods = %d, want FY2020 and FY2022", len(r.Retention))
	}
	if y := refYear(r, "FY2022"); y == nil || y.Recaptured != 1 || y.PriorDonors != 0 || y.New != 0 {
		t.Errorf("FY2022 = %+v", y)
	}
	if g := r.Cohorts[0].Gave; len(g) != 1 || g[0] != 0 {
		t.Errorf("cohort FY2020 gave = %v, want [0]", g)
	}
}

// PERCENTILE.INC's interpolation comes out as a spreadsheet shows it, with no
// floating-point residue: p90 of {1, 2, 3, 4} is at rank 0.9*3 = 2.7, so
// 3 + 0.7*(4-3) = 3.7; p90 of {1, 3, 4, 4, 5} is at rank 3.6, so
// 4 + 0.6*(5-4) = 4.6 (a float rank gave 4.6000000000000005).
func TestReferencePercentileExact(t *testing.T) {
	for _, tt := range []struct {
		vals []float64
		p    float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, 0.9, 3.7},
		{[]float64{0, 1, 2, 3, 4, 5}, 0.9, 4.5},
		{[]float64{1, 3, 4, 4, 5}, 0.9, 4.6},
		{[]float64{3, 4}, 0.6, 3.6},
		{[]float64{2, 7}, 0.5, 4.5},
		{[]float64{5}, 0.9, 5},
	} {
		if got := metrics.PercentileInc(tt.vals, tt.p); got != tt.want {
			t.Errorf("PercentileInc(%v, %v) = %v, want exactly %v", tt.vals, tt.p, got, tt.want)
		}
	}
}
