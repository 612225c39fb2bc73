package metrics

import (
	"time"

	"steward"
)

// Schema is the value of Report.Schema: the metrics.json contract.
const Schema = "steward/metrics/v1"

// Settings are the definitions' knobs (metrics.md). The zero value is not
// ready: use DefaultSettings and change what the config says.
type Settings struct {
	FYStartMonth time.Month   // first month of the fiscal year (default January)
	AsOf         steward.Date // NoDate: the latest qualifying gift date
	ThankYouDays int          // on-time target T in days (default 2)
	BusinessDays bool         // count latency in Mon-Fri days, skipping Holidays
	Holidays     []steward.Date
	DonorKey     string          // "account" (default) or "contact"
	GiftTiers    []steward.Cents // lower bounds of gift-size tiers, ascending, first 0
	Funnels      []FunnelSpec    // configured funnels; none: the default gift funnel
	Goals        []GoalSpec
	MinCell      int // breakdown rows with fewer donors than this are suppressed (0: off)
	// Currency, when set, is the one currency reported: gifts in another
	// (non-empty) currency are ignored and counted in Totals.OtherCurrency.
	// When empty, gifts in more than one currency are an error.
	Currency string
}

// DefaultSettings returns the defaults of metrics.md.
func DefaultSettings() Settings {
	return Settings{
		FYStartMonth: time.January,
		ThankYouDays: 2,
		DonorKey:     "account",
		GiftTiers:    []steward.Cents{0, 100_00, 1000_00, 10000_00},
	}
}

// FunnelSpec is a configured funnel: an ordered list of stages.
type FunnelSpec struct {
	Name       string
	WindowDays int // 0: no window
	Stages     []StageSpec
}

// StageSpec says how a person reaches a stage. Exactly one rule is set.
type StageSpec struct {
	Name string
	// Events: the first Event whose Name equals one of these (case-insensitive).
	Events []string
	// Gift-derived rules.
	Gift        string        // "first", "second", "recurring"
	FiscalYears int           // gave in this many distinct fiscal years
	Cumulative  steward.Cents // cumulative qualifying giving reaches this amount
	SingleYear  steward.Cents // giving within one fiscal year reaches this amount
}

// GoalSpec is a goal from the config.
type GoalSpec struct {
	ID         string
	Label      string
	Metric     string  // a rate or figure name in Report, e.g. "retention_rate", "on_time_rate"
	Comparison string  // ">=", ">", "<=", "<"
	Target     float64 // rates as fractions (0.45), money in major units
	Period     string  // "FY2024"; "" = the latest complete fiscal year
	Funnel     string  // for funnel metrics: the funnel name
	Stage      string  // for funnel metrics: the stage name
}

// Report is everything metrics.json holds. Rates are unrounded fractions and
// nil when their denominator is 0; money is in major units.
type Report struct {
	Schema               string           `json:"schema"`
	AsOf                 steward.Date     `json:"as_of"`
	FiscalYearStartMonth int              `json:"fiscal_year_start_month"`
	Currency             string           `json:"currency"`
	DonorKey             string           `json:"donor_key"`
	ThankYouTargetDays   int              `json:"thank_you_target_days"`
	Sources              []steward.Source `json:"sources"`
	Totals               Totals           `json:"totals"`
	Retention            []Retention      `json:"retention"`
	Cohorts              []Cohort         `json:"cohorts"`
	QuarterCohorts       []Cohort         `json:"quarter_cohorts"`
	Quarters             []Quarter        `json:"quarters"`
	ThankYou             ThankYou         `json:"thank_you"`
	Funnel               *Funnel          `json:"funnel"` // the first of Funnels
	Funnels              []Funnel         `json:"funnels"`
	Goals                []Goal           `json:"goals"`
}

// Totals are whole-dataset figures.
type Totals struct {
	Gifts            int          `json:"gifts"`   // qualifying gifts (positive rows)
	Refunds          int          `json:"refunds"` // refund rows netted
	Donors           int          `json:"donors"`  // distinct donors with a qualifying gift
	Dollars          float64      `json:"dollars"` // net, all donors and anonymous
	AnonymousGifts   int          `json:"anonymous_gifts"`
	AnonymousDollars float64      `json:"anonymous_dollars"`
	FirstGift        steward.Date `json:"first_gift"`
	LastGift         steward.Date `json:"last_gift"`
	// AfterAsOf counts used rows ignored because they are dated after the
	// as-of date; OtherCurrency counts rows ignored for Settings.Currency.
	AfterAsOf     int `json:"after_as_of"`
	OtherCurrency int `json:"other_currency"`
}

// Retention is one fiscal year Y against Y-1 (metrics.md section 1). A
// donor's year total A(d,Y) is the net of their qualifying gifts and refunds
// dated in Y (on or before as-of); they gave in Y when A(d,Y) > 0, so a
// refund that nets a year to 0 means they did not give. New = no year with a
// gift before Y. Dollars figures sum A(d,Y) over the donors who gave, which
// makes gains - losses = Dollars - PriorDollars exact. Anonymous gifts are
// left out. LYBUNT is the same set as Lapsed (for an incomplete Y: "not
// yet"); SYBUNT is the exclusive form and its dollars are the donors'
// giving in all years before Y-1. Rates are nil when their denominator is 0
// (always in the first year).
type Retention struct {
	Period       string       `json:"period"` // "FY2024"
	Start        steward.Date `json:"start"`
	End          steward.Date `json:"end"`
	Complete     bool         `json:"complete"`
	Donors       int          `json:"donors"`
	PriorDonors  int          `json:"prior_donors"`
	New          int          `json:"new"`
	Recaptured   int          `json:"recaptured"`
	Retained     int          `json:"retained"`
	Upgraded     int          `json:"upgraded"`
	Same         int          `json:"same"`
	Downgraded   int          `json:"downgraded"`
	Lapsed       int          `json:"lapsed"`
	LapsedNew    int          `json:"lapsed_new"`
	LapsedRepeat int          `json:"lapsed_repeat"`
	PriorNew     int          `json:"prior_new"`    // donors new in Y-1
	PriorRepeat  int          `json:"prior_repeat"` // donors in Y-1 not new then

	RetentionRate            *float64  `json:"retention_rate"`
	RetentionRateCI95        []float64 `json:"retention_rate_ci95"`
	NewDonorRetentionRate    *float64  `json:"new_donor_retention_rate"`
	NewDonorRetentionCI95    []float64 `json:"new_donor_retention_rate_ci95"`
	RepeatDonorRetentionRate *float64  `json:"repeat_donor_retention_rate"`
	RepeatDonorRetentionCI95 []float64 `json:"repeat_donor_retention_rate_ci95"`

	Dollars             float64  `json:"dollars"`       // donors' net giving in Y (excludes anonymous)
	PriorDollars        float64  `json:"prior_dollars"` // donors' net giving in Y-1
	RetainedDollars     float64  `json:"retained_dollars"`
	DollarRetentionRate *float64 `json:"dollar_retention_rate"`
	AcquisitionRate     *float64 `json:"acquisition_rate"`

	NewDollars        float64  `json:"new_dollars"`
	RecapturedDollars float64  `json:"recaptured_dollars"`
	UpgradeDollars    float64  `json:"upgrade_dollars"`   // sum of A(Y)-A(Y-1) over upgraded
	DowngradeDollars  float64  `json:"downgrade_dollars"` // sum of A(Y-1)-A(Y) over downgraded
	LapsedDollars     float64  `json:"lapsed_dollars"`    // Y-1 dollars of lapsed donors
	Gains             float64  `json:"gains"`
	Losses            float64  `json:"losses"`
	GrowthInGiving    *float64 `json:"growth_in_giving"`

	LYBUNT        int     `json:"lybunt"`
	LYBUNTDollars float64 `json:"lybunt_dollars"` // their Y-1 giving
	SYBUNT        int     `json:"sybunt"`
	SYBUNTDollars float64 `json:"sybunt_dollars"` // their giving before Y-1

	SmallNumbers bool `json:"small_numbers"` // prior_donors < 30
}

// Cohort is one row of the cohort matrix: donors whose first qualifying gift
// fell in Cohort, and how many of them gave in each later complete period.
type Cohort struct {
	Cohort string       `json:"cohort"` // "FY2020" or "FY2020-Q3"
	Start  steward.Date `json:"start"`
	Size   int          `json:"size"`
	Gave   []int        `json:"gave"`  // Gave[k-1]: gave in period cohort+k, complete periods only
	Rates  []float64    `json:"rates"` // Gave[k-1] / Size
}

// Quarter is one fiscal quarter's activity, for review meetings.
type Quarter struct {
	Period       string       `json:"period"` // "FY2025-Q1"
	Start        steward.Date `json:"start"`
	End          steward.Date `json:"end"`
	Complete     bool         `json:"complete"`
	Gifts        int          `json:"gifts"`      // qualifying gifts (positive rows), anonymous included
	Donors       int          `json:"donors"`     // donors whose net giving in the quarter is > 0
	NewDonors    int          `json:"new_donors"` // donors whose first such quarter this is
	Dollars      float64      `json:"dollars"`    // net of gifts and refunds, anonymous included
	OnTimeRate   *float64     `json:"on_time_rate"`
	MedianDays   *float64     `json:"median_days"`
	SameQuarterA string       `json:"same_quarter_last_year,omitempty"` // label of the quarter a year earlier
}

// ThankYou is thank-you latency (metrics.md section 2).
type ThankYou struct {
	Recorded   bool   `json:"recorded"` // false: "not recorded", no rates
	TargetDays int    `json:"target_days"`
	Days       string `json:"days"` // "calendar" or "business"

	Periods   []ThankYouStats `json:"periods"`  // by fiscal year of the gift
	Quarters  []ThankYouStats `json:"quarters"` // by fiscal quarter of the gift
	ByTier    []ThankYouStats `json:"by_tier"`  // latest complete FY (or latest FY), Period = tier label
	ByChannel []ThankYouStats `json:"by_channel"`
	ByCamp    []ThankYouStats `json:"by_campaign"`
	Overall   ThankYouStats   `json:"overall"`

	Histogram []LatencyBin `json:"histogram"` // acknowledged gifts by latency, all periods
	Backlog   []Backlog    `json:"overdue_backlog"`
	Negative  []RowRef     `json:"negative_rows"` // thanked before the gift: file and row only
}

// ThankYouStats are the latency figures of one group of gifts.
type ThankYouStats struct {
	Period       string `json:"period"`       // period or breakdown label
	Eligible     int    `json:"eligible"`     // = Acknowledged + Negative + AckNoDate + Overdue + Pending
	Acknowledged int    `json:"acknowledged"` // ack date on or after the gift date
	OnTime       int    `json:"on_time"`
	Overdue      int    `json:"overdue"`
	Pending      int    `json:"pending"`
	Negative     int    `json:"negative"`
	// AckNoDate counts gifts marked acknowledged with no date: they have no
	// latency and are left out of the rate, like pending gifts.
	AckNoDate  int       `json:"acknowledged_no_date"`
	OnTimeRate *float64  `json:"on_time_rate"`
	OnTimeCI95 []float64 `json:"on_time_rate_ci95"`
	MedianDays *float64  `json:"median_days"`
	P90Days    *float64  `json:"p90_days"`
	Suppressed bool      `json:"suppressed,omitempty"` // fewer donors than MinCell
}

// LatencyBin counts acknowledged gifts thanked after Days days ("31+" last).
type LatencyBin struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Backlog counts overdue gifts by how long they have waited at the as-of date.
type Backlog struct {
	Label   string  `json:"label"` // "3-7 days", "8-30 days", "31-90 days", "over 90 days"
	Count   int     `json:"count"`
	Dollars float64 `json:"dollars"`
}

// RowRef points at a source row without showing its content.
type RowRef struct {
	File string `json:"file"`
	Row  int    `json:"row"`
}

// Funnel is one engagement ladder (metrics.md section 3).
type Funnel struct {
	Name       string         `json:"name"`
	WindowDays int            `json:"window_days"`
	Stages     []Stage        `json:"stages"`
	Cohorts    []FunnelCohort `json:"cohorts"`
}

// Stage is one step of a funnel. Conversion figures describe the move from
// this stage to the next and are nil on the last stage.
type Stage struct {
	Name             string    `json:"name"`
	Reached          int       `json:"reached"`
	Implied          int       `json:"implied"`
	Converted        int       `json:"converted"`       // reached the next stage (within the window)
	Denominator      int       `json:"denominator"`     // reached this stage (and left the window)
	StillInWindow    int       `json:"still_in_window"` // reached this stage less than W days before as-of
	ConversionRate   *float64  `json:"conversion_rate"`
	ConversionCI95   []float64 `json:"conversion_rate_ci95"`
	MedianDaysToNext *float64  `json:"median_days_to_next"`
}

// FunnelCohort is the funnel cut by entry cohort (fiscal year of stage 1).
type FunnelCohort struct {
	Cohort  string `json:"cohort"`
	Reached []int  `json:"reached"` // per stage
}

// Goal is one configured goal, scored (metrics.md section 4).
type Goal struct {
	ID           string      `json:"id"`
	Label        string      `json:"label"`
	Metric       string      `json:"metric"`
	Period       string      `json:"period"`
	Comparison   string      `json:"comparison"`
	Target       float64     `json:"target"`
	Actual       *float64    `json:"actual"`
	CI95         []float64   `json:"ci95"`
	Denominator  int         `json:"denominator"`
	Status       string      `json:"status"` // met, missed, too close to call, no data
	Reason       string      `json:"reason,omitempty"`
	SmallNumbers bool        `json:"small_numbers"`
	Trend        []GoalPoint `json:"trend"` // the metric over recent complete periods
}

// GoalPoint is one period's value of a goal's metric.
type GoalPoint struct {
	Period string   `json:"period"`
	Value  *float64 `json:"value"`
}
