package parse

import "steward"

// normalize lower-cases ASCII letters, trims, turns runs of spaces, '_' and
// '-' into one space and ’ into ', writing into buf. It reports false when
// the result does not fit.
func normalize(buf []byte, s string) ([]byte, bool) {
	s = trimSpace(s)
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' || c == '_' || c == '-' || c == '\t' {
			space = true
			i++
			continue
		}
		if n := spaceLen(s[i:]); n > 0 {
			space = true
			i += n
			continue
		}
		if len(buf)+2 > cap(buf) {
			return buf, false
		}
		if space && len(buf) > 0 {
			buf = append(buf, ' ')
		}
		space = false
		if c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0x99 { // ’
			buf = append(buf, '\'')
			i += 3
		} else {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			i++
		}
	}
	return buf, true
}

// lookup finds raw in m after normalize, without allocating.
func lookup[T any](m map[string]T, raw string) (T, bool) {
	var a [48]byte
	b, ok := normalize(a[:0], raw)
	if !ok {
		var zero T
		return zero, false
	}
	v, ok := m[string(b)]
	return v, ok
}

var statuses = map[string]steward.Status{
	// Completed, won and paid: these count.
	"": steward.StatusQualifying, "completed": steward.StatusQualifying,
	"complete": steward.StatusQualifying, "closed won": steward.StatusQualifying,
	"won": steward.StatusQualifying, "posted": steward.StatusQualifying,
	"paid": steward.StatusQualifying, "received": steward.StatusQualifying,
	"succeeded": steward.StatusQualifying, "succeed": steward.StatusQualifying,
	"success": steward.StatusQualifying, "successful": steward.StatusQualifying,
	"approved": steward.StatusQualifying, "settled": steward.StatusQualifying,
	"cleared": steward.StatusQualifying, "captured": steward.StatusQualifying,

	"pledged": steward.StatusPledge, "pledge": steward.StatusPledge,
	"promised": steward.StatusPledge, "open pledge": steward.StatusPledge,

	"pending": steward.StatusPending, "in progress": steward.StatusPending,
	"prospecting": steward.StatusPending, "qualification": steward.StatusPending,
	"cultivation": steward.StatusPending, "solicitation": steward.StatusPending,
	"proposal": steward.StatusPending, "negotiation": steward.StatusPending,
	"verbal commitment": steward.StatusPending, "authorized": steward.StatusPending,
	"authorised": steward.StatusPending, "processing": steward.StatusPending,
	"deferred": steward.StatusPending, "overdue": steward.StatusPending,
	"scheduled": steward.StatusPending, "open": steward.StatusPending,
	"partially paid": steward.StatusPending, "incomplete": steward.StatusPending,
	"needs analysis": steward.StatusPending, "value proposition": steward.StatusPending,
	"id. decision makers": steward.StatusPending, "perception analysis": steward.StatusPending,
	"proposal/price quote": steward.StatusPending, "negotiation/review": steward.StatusPending,
	"unclaimed": steward.StatusPending, "on hold": steward.StatusPending,

	"failed": steward.StatusFailed, "declined": steward.StatusFailed,
	"denied": steward.StatusFailed, "closed lost": steward.StatusFailed,
	"lost": steward.StatusFailed, "error": steward.StatusFailed,
	"uncollectible": steward.StatusFailed, "bounced": steward.StatusFailed,
	"expired": steward.StatusFailed,

	"cancelled": steward.StatusCancelled, "canceled": steward.StatusCancelled,
	"void": steward.StatusCancelled, "voided": steward.StatusCancelled,
	"deleted": steward.StatusCancelled, "written off": steward.StatusCancelled,
	"write off": steward.StatusCancelled,

	"refunded": steward.StatusRefunded, "partially refunded": steward.StatusRefunded,
	"reversed": steward.StatusRefunded, "chargeback": steward.StatusRefunded,
	"charged back": steward.StatusRefunded, "refund": steward.StatusRefunded,

	"test": steward.StatusTest,
}

// Status maps a gift status, stage or state as exported (Completed, Closed
// Won, Posted, Pledged, Pending, Failed, Cancelled, Refunded, test, ...) to
// a steward.Status, ignoring case, spaces, '_' and '-'. An empty status is
// StatusQualifying (metrics.md section 0). known is false for a word not in
// the vocabulary, with StatusPending so that an unchecked unknown status
// never counts; a setting must then say what it means.
func Status(raw string) (s steward.Status, known bool) {
	if s, known = lookup(statuses, raw); !known {
		return steward.StatusPending, false // never count what we do not know
	}
	return s, true
}

var ackStatuses = map[string]steward.AckStatus{
	"": steward.AckUnknown,

	"acknowledged": steward.AckAcknowledged, "yes": steward.AckAcknowledged,
	"y": steward.AckAcknowledged, "true": steward.AckAcknowledged,
	"sent": steward.AckAcknowledged, "thanked": steward.AckAcknowledged,
	"done": steward.AckAcknowledged, "email acknowledgment sent": steward.AckAcknowledged,
	"email acknowledgement sent": steward.AckAcknowledged,

	"to be acknowledged": steward.AckToBeAcknowledged, "needs acknowledgement": steward.AckToBeAcknowledged,
	"needs acknowledgment": steward.AckToBeAcknowledged, "not acknowledged": steward.AckToBeAcknowledged,
	"no": steward.AckToBeAcknowledged, "n": steward.AckToBeAcknowledged,
	"false": steward.AckToBeAcknowledged, "pending": steward.AckToBeAcknowledged,
	"email acknowledgment now": steward.AckToBeAcknowledged, "email acknowledgement now": steward.AckToBeAcknowledged,
	"email acknowledgment not sent": steward.AckToBeAcknowledged, "email acknowledgement not sent": steward.AckToBeAcknowledged,
	"not sent": steward.AckToBeAcknowledged, "unacknowledged": steward.AckToBeAcknowledged,

	"do not acknowledge": steward.AckDoNotAcknowledge, "don't acknowledge": steward.AckDoNotAcknowledge,
	"dont acknowledge": steward.AckDoNotAcknowledge, "don't send": steward.AckDoNotAcknowledge,
	"dont send": steward.AckDoNotAcknowledge, "do not send": steward.AckDoNotAcknowledge,
	"no acknowledgement": steward.AckDoNotAcknowledge, "no acknowledgment": steward.AckDoNotAcknowledge,
}

// AckStatus maps an acknowledgment status as exported (Acknowledged, To Be
// Acknowledged, Needs Acknowledgement, Do Not Acknowledge, Yes/No,
// TRUE/FALSE, ...) to a steward.AckStatus, ignoring case, spaces, '_' and
// '-'. An empty value is AckUnknown and known. known is false for a word not
// in the vocabulary.
func AckStatus(raw string) (s steward.AckStatus, known bool) {
	return lookup(ackStatuses, raw)
}

// GiftKind is what a gift type says about counting a row as money.
type GiftKind uint8

// Gift kinds.
const (
	GiftUnknown  GiftKind = iota // the type says nothing we know
	GiftCash                     // money or goods received: cash, pledge payment, stock, in kind
	GiftPledge                   // a commitment, not cash: pledge, recurring gift schedule
	GiftRefund                   // a refund or reversal
	GiftWriteOff                 // a pledge balance written off: no money moved
	GiftNotGift                  // money that is not a gift: withdrawal, transfer, fee, expense
)

var giftKindNames = [...]string{"unknown", "cash", "pledge", "refund", "write-off", "not a gift"}

// String returns the lower-case name of k.
func (k GiftKind) String() string {
	if int(k) < len(giftKindNames) {
		return giftKindNames[k]
	}
	return "unknown"
}

var giftTypes = map[string]GiftKind{
	"cash": GiftCash, "pay cash": GiftCash, "recurring gift pay cash": GiftCash,
	"stock/property": GiftCash, "stock/property (sold)": GiftCash,
	"pay stock/property": GiftCash, "pay stock/property (sold)": GiftCash,
	"gift in kind": GiftCash, "pay gift in kind": GiftCash, "in kind": GiftCash,
	"other": GiftCash, "pay other": GiftCash,
	"mg pay cash": GiftCash, "mg pay stock/property": GiftCash, "mg pay stock/property (sold)": GiftCash,
	"mg pay gift in kind": GiftCash, "mg pay other": GiftCash,
	"donation": GiftCash, "one time": GiftCash, "one time gift": GiftCash, "one time donation": GiftCash,
	"recurring payment": GiftCash, "recurring donation payment": GiftCash, "gift": GiftCash,
	"g": GiftCash, "payment": GiftCash, "pledge payment": GiftCash,

	"pledge": GiftPledge, "recurring gift": GiftPledge, "mg pledge": GiftPledge,
	"matching gift pledge": GiftPledge, "p": GiftPledge,

	"refund": GiftRefund, "reversal": GiftRefund, "refunded": GiftRefund,

	"write off": GiftWriteOff, "mg write off": GiftWriteOff,

	// PayPal transaction types.
	"donation payment": GiftCash, "subscription payment": GiftCash,
	"payment refund": GiftRefund, "payment reversal": GiftRefund,
	"general withdrawal": GiftNotGift, "general currency conversion": GiftNotGift,
	"transfer": GiftNotGift,

	// Open Collective transaction kinds.
	"contribution": GiftCash,
	"host fee":     GiftNotGift, "expense": GiftNotGift, "payment processor fee": GiftNotGift,
}

// GiftType maps a gift type as exported to a GiftKind, ignoring case,
// spaces, '_' and '-': Raiser's Edge Cash, Pay-Cash, Stock/Property,
// Gift-in-Kind, Other, MG Pay-Cash and Recurring Gift Pay-Cash, and
// Donation, One-time, Recurring payment and DonorPerfect G are GiftCash;
// Pledge, Recurring Gift, MG Pledge and DonorPerfect P are GiftPledge;
// Refund and Reversal are GiftRefund; Write Off is GiftWriteOff. PayPal's
// Donation Payment and Subscription Payment are GiftCash, Payment Refund and
// Payment Reversal GiftRefund, General Withdrawal, General Currency
// Conversion and Transfer GiftNotGift; Open Collective's CONTRIBUTION is
// GiftCash and HOST_FEE, EXPENSE and PAYMENT_PROCESSOR_FEE GiftNotGift.
// Anything else (empty too) is GiftUnknown.
func GiftType(raw string) GiftKind {
	k, _ := lookup(giftTypes, raw)
	return k
}

var bools = map[string]bool{
	"true": true, "false": false, "t": true, "f": false,
	"yes": true, "no": false, "y": true, "n": false,
	"1": true, "0": false, "x": true, "": false,
	"on": true, "off": false, "checked": true, "unchecked": false,
}

// Bool reads a flag cell: TRUE/FALSE, Yes/No, Y/N, T/F, 1/0, on/off,
// checked/unchecked, in any case; "x" is true and an empty cell false, as in
// a checkbox column. ok is false for anything else.
func Bool(raw string) (value, ok bool) {
	return lookup(bools, raw)
}
