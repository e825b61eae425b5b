package drapi

import (
	"slices"
	"testing"
)

func TestAppEvents(t *testing.T) {
	// The eight of the guide's Step 11, in its order.
	want := []string{"order.accepted", "order.cancelled", "order.complete", "order.pending_payment",
		"order.review_opened", "order.blocked", "order.credit_memo.created", "order.invoice.created"}
	if !slices.Equal(AppEvents, want) {
		t.Fatalf("AppEvents = %v", AppEvents)
	}
	for _, e := range append(slices.Clone(AppEvents), "order.created", "order.charge.refund.failed") {
		if !IsKnownEvent(e) {
			t.Errorf("IsKnownEvent(%q) = false", e)
		}
	}
	for _, e := range []string{"order.credit_memo.create", "Order.Accepted", "order.*", ""} {
		if IsKnownEvent(e) {
			t.Errorf("IsKnownEvent(%q) = true", e)
		}
	}
	missing := []string{"order.cancelled", "order.pending_payment", "order.review_opened", "order.blocked", "order.credit_memo.created", "order.invoice.created"}
	if got := MissingAppEvents([]string{"order.complete", "order.accepted", "order.created"}); !slices.Equal(got, missing) {
		t.Errorf("MissingAppEvents = %v", got)
	}
	if got := MissingAppEvents(AppEvents); len(got) != 0 {
		t.Errorf("MissingAppEvents(all) = %v", got)
	}
}
