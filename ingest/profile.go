package ingest

import (
	"strings"

	"steward"
	"steward/ingest/parse"
)

// field is a steward field that an export column can map to.
type field uint8

// Fields. The names in fieldNames are the keys of Options.Columns.
const (
	fDonor          field = iota // household / account id -> Gift.Account
	fContact                     // contact / constituent id -> Gift.Contact
	fEmail                       // donor e-mail, only hashed (PayPal)
	fToEmail                     // recipient e-mail: the donor on a refund row (PayPal), only hashed
	fGiftDate                    // gift date
	fAmount                      // amount
	fCurrency                    // ISO currency code
	fStatus                      // status / stage
	fGiftType                    // gift type / record type
	fAckDate                     // thank-you date
	fReceiptDate                 // receipt date (ack date only with AckField "receipt")
	fAckStatus                   // acknowledgment status
	fCampaign                    // campaign / appeal / fund
	fPayment                     // payment method / channel
	fRefund                      // flag: the row is a refund
	fRefunded                    // flag: the original row was refunded
	fRefundedAmount              // amount refunded on the original row (Stripe)
	fTest                        // flag: test transaction
	fDeleted                     // flag: deleted record (Virtuous)
	fPerson                      // person id (people, events)
	fHousehold                   // household id (people)
	fCreated                     // created date (people)
	fEvent                       // event / campaign / activity name (events)
	fEventDate                   // event date (events)
	fStage                       // current stage (people)
	fStageDate                   // date of the current stage (people)
	nFields
)

var fieldNames = [nFields]string{
	"donor_id", "contact_id", "donor_email", "to_email", "gift_date", "amount", "currency",
	"status", "gift_type", "ack_date", "receipt_date", "ack_status", "campaign",
	"payment_method", "refund", "refunded", "refunded_amount", "test", "deleted",
	"person_id", "household_id", "created_date", "event", "event_date",
	"stage", "stage_date",
}

// fieldByName returns the field named name (a key of Options.Columns).
func fieldByName(name string) (field, bool) {
	for i, n := range fieldNames {
		if n == name {
			return field(i), true
		}
	}
	return 0, false
}

// profile is a built-in export layout, recognised by its header signature.
type profile struct {
	name string
	kind steward.Kind // "" for the generic synonyms, which serve every kind
	// sig lists header names that must all be present; an entry may give
	// alternatives separated by "|".
	sig []string
	// exact makes the signature match header text exactly (ignoring case
	// only): DonorPerfect's donor_id, gift_date, amount, but not the
	// generic Donor ID, Gift Date, Amount.
	exact bool
	cols  map[field][]string // header names per field, in preference order
	// filters are rows the profile keeps, as Options.Filters (Open
	// Collective mixes fees and expenses with contributions).
	filters []Filter
	// types are gift types the profile reads its own way, by normalised
	// name (normHeader), before the common vocabulary.
	types map[string]parse.GiftKind

	norm    [nFields][]string // cols, normalised (built by init)
	normSig [][]string
}

// profiles are tried in order; the generic synonym table is last.
var profiles = []*profile{
	{
		name: "civicrm", kind: steward.KindGifts,
		sig: []string{"Contact ID", "Total Amount", "Contribution Status|Financial Type"},
		cols: map[field][]string{
			fContact:     {"Contact ID"},
			fGiftDate:    {"Contribution Date", "Date Received", "Receive Date"},
			fAmount:      {"Total Amount"},
			fCurrency:    {"Currency"},
			fStatus:      {"Contribution Status"},
			fGiftType:    {"Financial Type"},
			fPayment:     {"Payment Method", "Payment Instrument"},
			fCampaign:    {"Campaign", "Campaign Title", "Contribution Source", "Source"},
			fAckDate:     {"Thank-you Date", "Thank you Date", "Thankyou Date"},
			fReceiptDate: {"Receipt Date"},
			fTest:        {"Test", "Is Test", "Test Mode"},
		},
	},
	{
		name: "npsp", kind: steward.KindGifts,
		sig: []string{"CloseDate", "Amount", "StageName"},
		cols: map[field][]string{
			fDonor:    {"AccountId"},
			fContact:  {"npsp__Primary_Contact__c", "npe01__Contact_Id_for_Role__c", "ContactId"},
			fGiftDate: {"CloseDate"},
			fAmount:   {"Amount"},
			fCurrency: {"CurrencyIsoCode"},
			fStatus:   {"StageName"},
			fGiftType: {"Type"},
			fAckDate:  {"npsp__Acknowledgment_Date__c"},
			fAckStatus: {
				"npsp__Acknowledgment_Status__c"},
			fCampaign: {"CampaignId", "Campaign.Name"},
			fPayment:  {"npe01__Payment_Method__c", "npsp__Payment_Method__c"},
		},
	},
	{
		name: "npsp-report", kind: steward.KindGifts,
		sig: []string{"Close Date", "Amount", "Stage"},
		cols: map[field][]string{
			fDonor:     {"Account ID", "Household ID"},
			fContact:   {"Primary Contact ID", "Contact ID"},
			fGiftDate:  {"Close Date"},
			fAmount:    {"Amount"},
			fCurrency:  {"Opportunity Currency", "Currency"},
			fStatus:    {"Stage"},
			fGiftType:  {"Type", "Opportunity Type"},
			fAckDate:   {"Acknowledgment Date", "Acknowledgement Date"},
			fAckStatus: {"Acknowledgment Status", "Acknowledgement Status"},
			fCampaign:  {"Campaign Name", "Primary Campaign Source", "Campaign"},
			fPayment:   {"Payment Method"},
		},
	},
	{
		name: "raisers-edge-7", kind: steward.KindGifts,
		sig: []string{"Gf_CnBio_ID", "Gf_Date", "Gf_Amount"},
		cols: map[field][]string{
			fContact:   {"Gf_CnBio_ID"},
			fGiftDate:  {"Gf_Date"},
			fAmount:    {"Gf_Amount"},
			fGiftType:  {"Gf_Type"},
			fAckStatus: {"Gf_Acknowledge"},
			fAckDate:   {"Gf_Acknowledge_Date", "Gf_Acknowledgedate", "Gf_Acknowledged_Date"},
			fCampaign:  {"Gf_Campaign", "Gf_Fund", "Gf_Appeal"},
			fPayment:   {"Gf_Pay_method", "Gf_Payment_Method"},
		},
	},
	{
		name: "raisers-edge", kind: steward.KindGifts,
		sig: []string{"Constituent ID|Lookup ID|Constituent Lookup ID", "Gift Date", "Gift Amount"},
		cols: map[field][]string{
			fContact:   {"Constituent ID", "Lookup ID", "Constituent Lookup ID"},
			fGiftDate:  {"Gift Date"},
			fAmount:    {"Gift Amount"},
			fGiftType:  {"Gift Type"},
			fAckDate:   {"Acknowledgement Date", "Acknowledgment Date", "Acknowledge Date", "Gift Acknowledgement Date"},
			fAckStatus: {"Acknowledgement Status", "Acknowledgment Status", "Gift Acknowledgement Status", "Acknowledge"},
			fCampaign:  {"Campaign", "Fund", "Appeal", "Campaign ID", "Fund ID", "Appeal ID"},
			fPayment:   {"Payment Method", "Gift Payment Method"},
			fStatus:    {"Gift Status"},
		},
	},
	{
		name: "lgl", kind: steward.KindGifts,
		sig: []string{"LGL Constituent ID", "Gift Date", "Gift Amount"},
		cols: map[field][]string{
			fContact:  {"LGL Constituent ID"},
			fGiftDate: {"Gift date"},
			fAmount:   {"Gift Amount"},
			fGiftType: {"Gift Type"},
			fCampaign: {"Campaign", "Fund", "Appeal"},
			fPayment:  {"Payment type"},
		},
	},
	{
		name: "bloomerang", kind: steward.KindGifts,
		sig: []string{"Account Number", "Date", "Amount"},
		cols: map[field][]string{
			fContact:   {"Account Number"},
			fGiftDate:  {"Date"},
			fAmount:    {"Amount"},
			fAckStatus: {"Acknowledgement Status", "Acknowledgment Status"},
			fCampaign:  {"Campaign", "Fund", "Appeal"},
			fPayment:   {"Method", "Payment Method"},
			fGiftType:  {"Transaction Type", "Type"},
		},
		// Bloomerang's Recurring Donation is the schedule (a
		// commitment); the money comes as Recurring Donation Payment.
		types: map[string]parse.GiftKind{"recurring donation": parse.GiftPledge},
	},
	{
		name: "donorperfect", kind: steward.KindGifts,
		sig: []string{"donor_id", "gift_date", "amount"}, exact: true,
		cols: map[field][]string{
			fContact:  {"donor_id"},
			fGiftDate: {"gift_date"},
			fAmount:   {"amount"},
			fGiftType: {"record_type"},
			fCampaign: {"campaign", "solicit_code", "gl_code"},
			fPayment:  {"gift_type", "payment_method"},
			fAckDate:  {"ty_date", "acknowledgement_date"},
		},
	},
	{
		name: "neon", kind: steward.KindGifts,
		sig: []string{"Account ID", "Donation Date", "Donation Amount"},
		cols: map[field][]string{
			fContact:  {"Account ID"},
			fGiftDate: {"Donation Date"},
			fAmount:   {"Donation Amount"},
			fStatus:   {"Donation Status"},
			fGiftType: {"Donation Type"},
			fCampaign: {"Campaign", "Campaign Name", "Fund"},
			fPayment:  {"Tender Type", "Payment Method"},
		},
	},
	{
		name: "givebutter", kind: steward.KindGifts,
		sig: []string{"contact_id", "transacted_at", "amount"}, exact: true,
		cols: map[field][]string{
			fContact:   {"contact_id"},
			fGiftDate:  {"transacted_at"},
			fAmount:    {"amount"},
			fCurrency:  {"currency"},
			fStatus:    {"status"},
			fRefunded:  {"refunded"},
			fAckStatus: {"acknowledged"},
			fCampaign:  {"campaign_title", "campaign_code"},
			fPayment:   {"method", "payment_method"},
		},
	},
	{
		name: "stripe", kind: steward.KindGifts,
		sig: []string{"Customer ID", "Created (UTC)|Created date (UTC)", "Amount"},
		cols: map[field][]string{
			fContact:        {"Customer ID"},
			fGiftDate:       {"Created (UTC)", "Created date (UTC)"},
			fAmount:         {"Amount"},
			fCurrency:       {"Currency"},
			fStatus:         {"Status"},
			fRefundedAmount: {"Amount Refunded"},
			fPayment:        {"Card Brand", "Payment Method Type"},
		},
	},
	{
		name: "paypal", kind: steward.KindGifts,
		sig: []string{"Date", "Time", "Gross", "From Email Address"},
		cols: map[field][]string{
			fEmail: {"From Email Address"},
			// On a refund row the organisation is the sender and the
			// donor the recipient.
			fToEmail:  {"To Email Address"},
			fGiftDate: {"Date"},
			fAmount:   {"Gross"},
			fCurrency: {"Currency"},
			fStatus:   {"Status"},
			fGiftType: {"Type"},
		},
	},
	{
		name: "virtuous", kind: steward.KindGifts,
		sig: []string{"CONTACT_KEY", "GIFT_DATE_UTC", "AMOUNT"}, exact: true,
		cols: map[field][]string{
			fContact:  {"CONTACT_KEY"},
			fGiftDate: {"GIFT_DATE_UTC", "GIFT_DATE"},
			fAmount:   {"AMOUNT"},
			fCurrency: {"CURRENCY_CODE", "CURRENCY"},
			fGiftType: {"GIFT_TYPE"},
			fCampaign: {"CAMPAIGN_NAME", "PROJECT_NAME", "SEGMENT_NAME"},
			fDeleted:  {"GIFT_IS_DELETED"},
		},
	},
	{
		name: "opencollective", kind: steward.KindGifts,
		sig: []string{"oppositeAccountSlug", "datetime", "amount", "kind"}, exact: true,
		cols: map[field][]string{
			fContact:  {"oppositeAccountSlug"},
			fGiftDate: {"datetime"},
			fAmount:   {"amount"},
			fCurrency: {"currency"},
			// A refunded contribution has its own refund row, which
			// nets; isRefunded on the original is not used.
			fRefund:   {"isRefund"},
			fGiftType: {"kind"},
		},
		filters: []Filter{{Column: "kind", Values: []string{"CONTRIBUTION", "ADDED_FUNDS"}}},
	},
	{
		name: "npsp-contacts", kind: steward.KindPeople,
		sig: []string{"Id", "AccountId"},
		cols: map[field][]string{
			fPerson:    {"Id"},
			fHousehold: {"AccountId"},
			fCreated:   {"CreatedDate"},
		},
	},
	{
		name: "npsp-campaign-members", kind: steward.KindEvents,
		sig: []string{"ContactId", "CampaignId"},
		cols: map[field][]string{
			fPerson:    {"ContactId"},
			fEvent:     {"CampaignId", "Campaign.Name"},
			fEventDate: {"FirstRespondedDate", "CreatedDate"},
		},
	},
	{
		name: "generic",
		cols: map[field][]string{
			fDonor:   {"Household ID", "Account ID", "AccountId", "Household Number"},
			fContact: {"Donor ID", "Donor No", "Donor No.", "Donor Number", "Donor Ref", "Contact ID", "Constituent ID", "Supporter ID", "Member ID", "Customer ID", "Lookup ID"},
			fGiftDate: {"Gift Date", "Donation Date", "Date Received", "Received Date", "Date of Gift",
				"Payment Date", "Transaction Date", "Contribution Date", "Close Date", "Date"},
			fAmount:   {"Amount", "Gift Amount", "Donation Amount", "Total Amount", "Payment Amount", "Contribution Amount", "Amount Received", "Gross"},
			fCurrency: {"Currency", "Currency Code"},
			fStatus:   {"Status", "Gift Status", "Donation Status", "Payment Status", "Stage"},
			fGiftType: {"Gift Type", "Donation Type", "Transaction Type"},
			fAckDate: {"Thank-you Date", "Thank You Date", "Thank-you Letter Date", "Thank You Letter Date",
				"Acknowledgment Date", "Acknowledgement Date", "Date Thanked", "Thanked Date", "Thank You Sent Date"},
			fAckStatus: {"Acknowledgment Status", "Acknowledgement Status", "Thank You Status", "Acknowledged", "Thanked"},
			fCampaign:  {"Campaign", "Campaign Name", "Appeal", "Fund", "Designation"},
			fPayment:   {"Payment Method", "Payment Type", "Tender Type", "Channel"},
			fRefund:    {"Is Refund", "Refund"},
			fRefunded:  {"Refunded", "Is Refunded"}, // a flag on the original gift
			fTest:      {"Test", "Is Test", "Test Mode"},
			fPerson:    {"Contact ID", "ContactId", "Person ID", "Constituent ID", "Supporter ID", "Member ID", "Volunteer ID", "Attendee ID", "Donor ID"},
			fHousehold: {"Household ID", "Account ID", "AccountId"},
			fCreated:   {"Created Date", "CreatedDate", "Date Created", "Date Added", "Created At"},
			fEvent:     {"Event", "Event Name", "Activity", "Activity Name", "Shift", "Shift Name", "Campaign", "Campaign Name", "CampaignId"},
			fEventDate: {"Event Date", "Activity Date", "Shift Date", "Attended Date", "Date Attended", "Date"},
			fStage:     {"Stage", "Engagement Stage"},
			fStageDate: {"Stage Date", "Engagement Stage Date"},
		},
	},
}

func init() {
	for _, p := range profiles {
		for f, names := range p.cols {
			for _, n := range names {
				p.norm[f] = append(p.norm[f], normHeader(n))
			}
		}
		for _, s := range p.sig {
			var alts []string
			for _, a := range strings.Split(s, "|") {
				if p.exact {
					alts = append(alts, exactKey(a))
				} else {
					alts = append(alts, normHeader(a))
				}
			}
			p.normSig = append(p.normSig, alts)
		}
	}
}

// profileByName returns the built-in profile called name.
func profileByName(name string) *profile {
	for _, p := range profiles {
		if p.name == name {
			return p
		}
	}
	return nil
}

// Profiles returns the names of the built-in export profiles, in the order
// they are tried; "generic" (the synonym table) is last.
func Profiles() []string {
	names := make([]string, len(profiles))
	for i, p := range profiles {
		names[i] = p.name
	}
	return names
}

// profileNames lists the built-in profiles, for messages.
func profileNames() string {
	var b strings.Builder
	for i, p := range profiles {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.name)
	}
	return b.String()
}

// normHeader normalises a header for matching: the BOM and surrounding space
// removed, lower case, every run of characters other than letters and
// digits turned into one space. "Thank-you Date" and "thank you  date"
// match; "Gf_CnBio_ID" becomes "gf cnbio id".
func normHeader(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r > 127 && r != '\ufeff' && r != '\u00a0':
			r = []rune(strings.ToLower(string(r)))[0]
		default:
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// headerIndex maps normalised header names to the first column that has
// them.
type headerIndex map[string]int

// exactKey is the key of a header's exact text in a headerIndex: "=" and
// the text in lower case, without the BOM and surrounding space.
func exactKey(s string) string {
	return "=" + strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
}

// newHeaderIndex indexes a header row by normalised name and by exact text.
func newHeaderIndex(names []string) headerIndex {
	h := make(headerIndex, 2*len(names))
	for i, n := range names {
		for _, k := range [2]string{normHeader(n), exactKey(n)} {
			if k == "" || k == "=" {
				continue
			}
			if _, dup := h[k]; !dup {
				h[k] = i
			}
		}
	}
	return h
}

// match returns the profile's column mapping for the header, and whether
// the profile's signature is present (always true when forced).
func (p *profile) match(h headerIndex, forced bool) (m [nFields]int, ok bool) {
	for _, alts := range p.normSig {
		if forced {
			break
		}
		found := false
		for _, a := range alts {
			if _, ok := h[a]; ok {
				found = true
				break
			}
		}
		if !found {
			return m, false
		}
	}
	for f := range m {
		m[f] = -1
		for _, n := range p.norm[f] {
			if i, ok := h[n]; ok {
				m[f] = i
				break
			}
		}
	}
	return m, true
}

// kindOf returns the kind of file a mapping describes, or "" when it maps
// no kind's required fields. want restricts the answer when not "".
// dateHeader says whether some other header has the word "date" (a hint
// that a people file has stage date columns).
func kindOf(m *[nFields]int, want steward.Kind, dateHeader bool) steward.Kind {
	has := func(f field) bool { return m[f] >= 0 }
	donor := has(fDonor) || has(fContact) || has(fEmail)
	if want == "" && has(fGiftDate) && has(fAmount) && donor {
		return steward.KindGifts
	}
	if want == steward.KindGifts && (has(fGiftDate) || has(fAmount)) {
		// The missing one is reported by name.
		return steward.KindGifts
	}
	if has(fAmount) && want == "" {
		return ""
	}
	if (want == "" || want == steward.KindEvents) && has(fPerson) && has(fEvent) && has(fEventDate) {
		return steward.KindEvents
	}
	if (want == "" || want == steward.KindPeople) && has(fPerson) &&
		(has(fHousehold) || has(fCreated) || has(fStageDate) || dateHeader || want == steward.KindPeople) {
		return steward.KindPeople
	}
	return ""
}
