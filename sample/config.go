package sample

import (
	"io"
	"strings"
)

// configTemplate is the bundled steward.yaml; {{...}} markers are filled
// from Options.
const configTemplate = `# steward.yaml: how Steward reads the Northwind Literacy Project sample and
# what it reports. Paths are relative to this file. Every key is optional
# except files; the values below are the ones a real office would choose.

# Who the report is for. The accent colour tints headings and charts.
organisation:
  name: {{org}}
  accent: "#1f6f8b"

# First month of the fiscal year (1-12). Northwind runs July-June, so FY2025
# is 2024-07-01..2025-06-30 (a year is named after the year it ends in).
fiscal_year_start: {{fystart}}

# The day the report is "as of". Default: the latest qualifying gift in the
# data, so the same files give the same report on any day.
# as_of: {{end}}

# Who counts as one donor: the household/account (NPSP "Account ID") or the
# individual contact. Files without an account column use the contact id.
donor_key: account            # account | contact

# Thank-you latency: a gift is on time when thanked within target_days
# (2 = "within 48 hours"). business_days counts Mon-Fri only. tiers are the
# lower bounds, in dollars, of the gift-size bands in the breakdown.
thank_you:
  target_days: 2
  business_days: false
  tiers: [0, 100, 1000, 10000]

# Breakdown rows with fewer donors than min_cell are hidden in the published
# report, so no single donor can be recognised.
privacy:
  min_cell: 5

# The exports, read as they came out of each system. kind says what a file
# holds: gifts, people (one row per contact; stage_columns are date columns
# that each become an engagement event named by the column) or events
# (contact, activity, date).
files:
  - path: {{npsp-report}}  # Salesforce NPSP opportunity report
    kind: gifts
  - path: {{civicrm}}  # CiviCRM website contributions
    kind: gifts
  - path: {{re-xlsx}}  # Raiser's Edge NXT, major-gifts office
    kind: gifts
  - path: {{people}}
    kind: people
    stage_columns: ["Email Opt-In Date", "First Event Date", "Volunteer Start Date"]
  - path: {{engagement}}
    kind: events

# Engagement ladders. A stage is reached by events (people-file columns or
# activity names), or by giving: first gift, second gift, gifts in N fiscal
# years. window_days: a step counts only if taken within that many days.
funnels:
  - name: Engagement ladder
    window_days: 365
    stages:
      - {name: Signed up, events: ["Email Opt-In Date", "Newsletter sign-up"]}
      - {name: Attended an event, events: ["First Event Date", "Event attended"]}
      - {name: First gift, gift: first}
      - {name: Second gift, gift: second}
      - {name: Gave in 3+ fiscal years, fiscal_years: 3}

# Goals the board set. Each is scored on complete periods only: met,
# missed, or too close to call (the 95% interval contains the target).
goals:
  - {id: retention, label: Donor retention, metric: retention_rate, comparison: ">=", target: 0.45}
  - {id: new_retention, label: New-donor retention, metric: new_donor_retention_rate, comparison: ">=", target: 0.30}
  - {id: thanks, label: Thanked within 48 hours, metric: on_time_rate, comparison: ">=", target: 0.80}
  - {id: ladder, label: Event-goers who make a first gift, metric: funnel_conversion, funnel: Engagement ladder, stage: Attended an event, comparison: ">=", target: 0.25}
`

func (m *model) writeConfig(w io.Writer) error {
	r := strings.NewReplacer(
		"{{org}}", Organisation,
		"{{fystart}}", itoa(int(m.opt.FYStartMonth)),
		"{{end}}", m.opt.End.String(),
		"{{npsp-report}}", FileName(FormatNPSPReport),
		"{{civicrm}}", FileName(FormatCiviCRM),
		"{{re-xlsx}}", FileName(FormatREXLSX),
		"{{people}}", FileName(FormatPeople),
		"{{engagement}}", FileName(FormatEngagement),
	)
	_, err := io.WriteString(w, r.Replace(configTemplate))
	return err
}
