package drapi

import (
	"slices"
	"strings"
)

// AppEvents are the event types the Digital River Salesforce Lightning app
// handles, as the app's guide lists them (Step 11) and its
// DR_Webhook_Configuration records confirm. A webhook for the app subscribes
// to all of them.
var AppEvents = []string{
	"order.accepted",
	"order.cancelled",
	"order.complete",
	"order.pending_payment",
	"order.review_opened",
	"order.blocked",
	"order.credit_memo.created",
	"order.invoice.created",
}

// OrderEvents are the other order.* event types Digital River documents
// (facts/digitalriver.md, section 6). The app maps order.created too; the
// rest it stores and reports as unhandled.
var OrderEvents = []string{
	"order.created",
	"order.fulfilled",
	"order.refunded",
	"order.submitted",
	"order.updated",
	"order.review_closed",
	"order.chargeback",
	"order.dispute",
	"order.dispute.resolved",
	"order.charge.pending",
	"order.charge.capturable",
	"order.charge.complete",
	"order.charge.failed",
	"order.charge.cancelled",
	"order.charge.reauth.failed",
	"order.charge.cancel.pending",
	"order.charge.cancel.pending_information",
	"order.charge.cancel.complete",
	"order.charge.cancel.failed",
	"order.charge.capture.pending",
	"order.charge.capture.complete",
	"order.charge.capture.failed",
	"order.charge.refund.pending",
	"order.charge.refund.complete",
	"order.charge.refund.failed",
}

// IsKnownEvent reports whether t is an order event type drsetup knows.
func IsKnownEvent(t string) bool {
	return slices.Contains(AppEvents, t) || slices.Contains(OrderEvents, t)
}

// MissingAppEvents returns the app's event types that types lacks, in the
// guide's order.
func MissingAppEvents(types []string) []string {
	var missing []string
	for _, e := range AppEvents {
		if !slices.Contains(types, e) {
			missing = append(missing, e)
		}
	}
	return missing
}

// OptionalAppEvents are event types the app also handles that its guide
// does not list: order.created writes the Salesforce order id back to
// Digital River, answering 400 until the Salesforce order exists, which
// Digital River retries.
var OptionalAppEvents = []string{"order.created"}

// SourceAddresses are the addresses Digital River delivers events and logs
// in to Salesforce from (its published safelist). A login from this
// computer is not a login from these: Login IP Ranges, trusted IP ranges
// (security token needed or not) and IP relaxation depend on the address.
//
// SourceAddressList names them for a sentence.
var SourceAddresses = []string{
	"54.204.214.106/32", "100.25.55.35/32", "3.94.74.169/32", "52.207.145.30/32",
	"35.167.151.150/32", "50.112.167.211/32", "52.36.133.196/32", "54.68.3.105/32",
	"52.19.155.167/32", "34.241.30.95/32", "209.87.180.0/24", "217.65.128.0/24",
	"210.242.154.0/29",
}

// SourceAddressList is SourceAddresses for a sentence: single addresses
// without their /32.
func SourceAddressList() string {
	out := make([]string, len(SourceAddresses))
	for i, a := range SourceAddresses {
		out[i] = strings.TrimSuffix(a, "/32")
	}
	return strings.Join(out, ", ")
}
