package parse

import (
	"testing"

	"steward"
)

func TestStatus(t *testing.T) {
	tests := []struct {
		in    string
		want  steward.Status
		known bool
	}{
		{"", steward.StatusQualifying, true},
		{"  ", steward.StatusQualifying, true},
		{"Completed", steward.StatusQualifying, true},
		{"Complete", steward.StatusQualifying, true},
		{"Closed Won", steward.StatusQualifying, true},
		{"CLOSED  WON", steward.StatusQualifying, true},
		{"closed_won", steward.StatusQualifying, true},
		{"Closed-Won", steward.StatusQualifying, true},
		{"Won", steward.StatusQualifying, true},
		{"Posted", steward.StatusQualifying, true},
		{"Paid", steward.StatusQualifying, true},
		{"Received", steward.StatusQualifying, true},
		{"succeeded", steward.StatusQualifying, true},
		{"Succeed", steward.StatusQualifying, true},
		{"Success", steward.StatusQualifying, true},
		{"Approved", steward.StatusQualifying, true},
		{"Settled", steward.StatusQualifying, true},
		{"Cleared", steward.StatusQualifying, true},
		{"Pledged", steward.StatusPledge, true},
		{"Pledge", steward.StatusPledge, true},
		{"Promised", steward.StatusPledge, true},
		{"Open Pledge", steward.StatusPledge, true},
		{"Pending", steward.StatusPending, true},
		{"In Progress", steward.StatusPending, true},
		{"Prospecting", steward.StatusPending, true},
		{"Qualification", steward.StatusPending, true},
		{"Cultivation", steward.StatusPending, true},
		{"Solicitation", steward.StatusPending, true},
		{"Proposal", steward.StatusPending, true},
		{"Negotiation", steward.StatusPending, true},
		{"Verbal Commitment", steward.StatusPending, true},
		{"authorized", steward.StatusPending, true},
		{"Processing", steward.StatusPending, true},
		{"Deferred", steward.StatusPending, true},
		{"Overdue", steward.StatusPending, true},
		{"Scheduled", steward.StatusPending, true},
		{"Open", steward.StatusPending, true},
		{"Failed", steward.StatusFailed, true},
		{"Declined", steward.StatusFailed, true},
		{"Denied", steward.StatusFailed, true},
		{"Closed Lost", steward.StatusFailed, true},
		{"Lost", steward.StatusFailed, true},
		{"Error", steward.StatusFailed, true},
		{"Uncollectible", steward.StatusFailed, true},
		{"Bounced", steward.StatusFailed, true},
		{"Cancelled", steward.StatusCancelled, true},
		{"canceled", steward.StatusCancelled, true},
		{"Void", steward.StatusCancelled, true},
		{"Voided", steward.StatusCancelled, true},
		{"Deleted", steward.StatusCancelled, true},
		{"Written Off", steward.StatusCancelled, true},
		{"Refunded", steward.StatusRefunded, true},
		{"Partially Refunded", steward.StatusRefunded, true},
		{"Reversed", steward.StatusRefunded, true},
		{"Chargeback", steward.StatusRefunded, true},
		{"Charged Back", steward.StatusRefunded, true},
		{"Test", steward.StatusTest, true},
		{"Completedx", steward.StatusPending, false},
		{"Active", steward.StatusPending, false},
		{"a very long status that does not fit in the lookup buffer at all", steward.StatusPending, false},
	}
	for _, tt := range tests {
		got, known := Status(tt.in)
		if got != tt.want || known != tt.known {
			t.Errorf("Status(%q) = %v, %v; want %v, %v", tt.in, got, known, tt.want, tt.known)
		}
	}
}

func TestAckStatus(t *testing.T) {
	tests := []struct {
		in    string
		want  steward.AckStatus
		known bool
	}{
		{"", steward.AckUnknown, true},
		{"Acknowledged", steward.AckAcknowledged, true},
		{"Yes", steward.AckAcknowledged, true},
		{"TRUE", steward.AckAcknowledged, true},
		{"Sent", steward.AckAcknowledged, true},
		{"Thanked", steward.AckAcknowledged, true},
		{"Done", steward.AckAcknowledged, true},
		{"To Be Acknowledged", steward.AckToBeAcknowledged, true},
		{"Needs Acknowledgement", steward.AckToBeAcknowledged, true},
		{"Needs Acknowledgment", steward.AckToBeAcknowledged, true},
		{"Not Acknowledged", steward.AckToBeAcknowledged, true},
		{"No", steward.AckToBeAcknowledged, true},
		{"FALSE", steward.AckToBeAcknowledged, true},
		{"Email Acknowledgment Now", steward.AckToBeAcknowledged, true},
		{"Email Acknowledgment Not Sent", steward.AckToBeAcknowledged, true},
		{"Pending", steward.AckToBeAcknowledged, true},
		{"Do Not Acknowledge", steward.AckDoNotAcknowledge, true},
		{"Don't Acknowledge", steward.AckDoNotAcknowledge, true},
		{"Don’t Send", steward.AckDoNotAcknowledge, true},
		{"Do Not Send", steward.AckDoNotAcknowledge, true},
		{"No Acknowledgement", steward.AckDoNotAcknowledge, true},
		{"maybe", steward.AckUnknown, false},
	}
	for _, tt := range tests {
		got, known := AckStatus(tt.in)
		if got != tt.want || known != tt.known {
			t.Errorf("AckStatus(%q) = %v, %v; want %v, %v", tt.in, got, known, tt.want, tt.known)
		}
	}
}

func TestGiftType(t *testing.T) {
	tests := []struct {
		in   string
		want GiftKind
	}{
		{"Cash", GiftCash},
		{"Pay-Cash", GiftCash},
		{"Recurring Gift Pay-Cash", GiftCash},
		{"Stock/Property", GiftCash},
		{"Stock/Property (Sold)", GiftCash},
		{"Gift-in-Kind", GiftCash},
		{"Other", GiftCash},
		{"MG Pay-Cash", GiftCash},
		{"Donation", GiftCash},
		{"One-time", GiftCash},
		{"Recurring payment", GiftCash},
		{"G", GiftCash},
		{"g", GiftCash},
		{"Pledge", GiftPledge},
		{"Recurring Gift", GiftPledge},
		{"MG Pledge", GiftPledge},
		{"P", GiftPledge},
		{"Refund", GiftRefund},
		{"Reversal", GiftRefund},
		{"Write Off", GiftWriteOff},
		{"MG Write Off", GiftWriteOff},
		{"Donation Payment", GiftCash},
		{"Subscription Payment", GiftCash},
		{"Payment Refund", GiftRefund},
		{"Payment Reversal", GiftRefund},
		{"General Withdrawal", GiftNotGift},
		{"General Currency Conversion", GiftNotGift},
		{"Transfer", GiftNotGift},
		{"CONTRIBUTION", GiftCash},
		{"HOST_FEE", GiftNotGift},
		{"EXPENSE", GiftNotGift},
		{"PAYMENT_PROCESSOR_FEE", GiftNotGift},
		{"", GiftUnknown},
		{"Member Dues", GiftUnknown},
	}
	for _, tt := range tests {
		if got := GiftType(tt.in); got != tt.want {
			t.Errorf("GiftType(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBool(t *testing.T) {
	tests := []struct {
		in        string
		value, ok bool
	}{
		{"TRUE", true, true}, {"false", false, true}, {"Yes", true, true}, {"NO", false, true},
		{"y", true, true}, {"N", false, true}, {"1", true, true}, {"0", false, true},
		{"t", true, true}, {"F", false, true}, {"x", true, true}, {"X", true, true},
		{"", false, true}, {" ", false, true}, {"on", true, true}, {"Off", false, true},
		{"2", false, false}, {"maybe", false, false}, {"yes please", false, false},
	}
	for _, tt := range tests {
		if v, ok := Bool(tt.in); v != tt.value || ok != tt.ok {
			t.Errorf("Bool(%q) = %v, %v; want %v, %v", tt.in, v, ok, tt.value, tt.ok)
		}
	}
}

func TestVocabularyAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		Status("Closed Won")
		AckStatus("To Be Acknowledged")
		GiftType("Pay-Cash")
		Bool("TRUE")
	}); n != 0 {
		t.Errorf("vocabulary lookups allocate %v times", n)
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{AmountFormat{}.String(), "1,234.56"},
		{AmountFormat{DecimalComma: true}.String(), "1.234,56"},
		{DateFormat{}.String(), "YYYY-MM-DD"},
		{DateFormat{Serial: true}.String(), "Excel serial"},
		{DateFormat{order: orderMDY}.String(), "M/D/YYYY"},
		{DateFormat{order: orderDMY}.String(), "D/M/YYYY"},
		{GiftCash.String(), "cash"},
		{GiftPledge.String(), "pledge"},
		{GiftRefund.String(), "refund"},
		{GiftWriteOff.String(), "write-off"},
		{GiftNotGift.String(), "not a gift"},
		{GiftUnknown.String(), "unknown"},
		{GiftKind(200).String(), "unknown"},
		{trimSpace("\u00a0 x\u202f\t\u00a0\r\n"), "x"},
		{trimSpace("\u2009x\u2009"), "x"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
