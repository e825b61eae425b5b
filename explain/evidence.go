package explain

// The words of doctor's delivery checks, where what they read shows a
// fault that is not an error: events still owed, events the app stored as
// failed, a slow listener, no events at all, a webhook whose login fails so
// that nothing of its org can be read.

import "github.com/drsetup/drsetup/sfcheck"

// NoSessionToRead says what answers the delivery checks of a webhook whose
// stored login fails, as doctor then has no token to read the org with.
func NoSessionToRead() string {
	return "Given the user's current login (--my-domain, --client-id, --username, DRSETUP_CLIENT_SECRET, DRSETUP_PASSWORD, DRSETUP_SECURITY_TOKEN), doctor reads its Login History and the app's records itself."
}

// findSlowness is where to look when the org answers slowly.
const findSlowness = "Find what slows the org's answers: the integration user's debug logs (Setup → Debug Logs) show how long the app's triggers and flows on orders take, and trust.salesforce.com shows incidents on the org's instance. Then run doctor again."

// Latency says what the listener's answer time means for Digital River's
// deliveries, which it counts as failed after 3,000 ms: slow is over that,
// late over half of it; neither is room enough. remedy is "" when there is
// room.
func Latency(slow, late bool) (meaning, remedy string) {
	switch {
	case slow:
		return "Digital River waits 3,000 ms for a delivery and counts a slower answer as failed; a delivery also runs the app's code, which a GET does not, so deliveries to this endpoint fail, are retried, and Digital River disables the webhook once they keep failing.",
			findSlowness + " Once it answers in time, check that the webhook is still enabled (webhook_enabled; drsetup doctor --fix turns it back on)."
	case late:
		return "A delivery also runs the app's code, which a GET does not, within the 3,000 ms Digital River waits: at this speed some deliveries may take longer, and Digital River counts each as failed, retries it, and disables a webhook whose deliveries keep failing.",
			findSlowness
	}
	return "Digital River waits 3,000 ms for a delivery, which also runs the app's code: there is room for it.", ""
}

// FailedEvents says what events the app stored as failed mean, and where
// to deal with them.
func FailedEvents() (meaning, remedy string) {
	return "The app answered Digital River 200 for each, so Digital River counts them as delivered and will not send them again: the orders they are about were not updated in Salesforce unless someone has processed them since.",
		"Open the app's failed-event records in Salesforce (object " + sfcheck.FailedEventObject + "): each names the event and why the app stored it. Fix the cause, then have the events processed again; the records keep them. drsetup never reads their payloads, which hold customers' data."
}

// PendingNote says how doctor reads pendingWebhooks, a field the API
// document lists without defining it.
func PendingNote() string {
	return "Digital River documents pendingWebhooks loosely: drsetup reads it, as an older Digital River page does, as the number of webhooks an event still has to be delivered to."
}

// PendingEvents says what events still pending delivery mean for a key of
// mode ("test" or "live").
func PendingEvents(mode string) (meaning, remedy string) {
	retries := "for up to 72 hours"
	if mode == "test" {
		retries = "3 or 4 times over a few hours (in test mode)"
	}
	return PendingNote() + " Digital River retries a delivery " + retries + ", then gives up, and disables a webhook whose deliveries keep failing.",
		"The checks of the webhook that fails say why; once it is fixed, Digital River's next retry delivers what is still owed."
}

// NoOrderEvents says what to check when a key saw no event of the app's
// types: nothing was ordered, or it was ordered where the key does not see.
func NoOrderEvents(mode string) (meaning, remedy string) {
	other := "live"
	if mode == "live" {
		other = "test"
	}
	return "A test key sees only test orders, and a live key only live ones.",
		"If orders were placed in that time, they were placed in " + other + " mode or in another Digital River account: check with that key (DRSETUP_DR_API_KEY)."
}
