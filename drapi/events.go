package drapi

import "slices"

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
