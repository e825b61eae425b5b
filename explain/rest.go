package explain

import (
	"errors"
	"fmt"
	"strings"

	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// Setup pages named in the words for the evidence reads (REST errors, Login
// History statuses, the permission set). They name no Connected App, unlike
// the login errors' setupApp: the integration user's app may be either kind.
const (
	setupUsers          = "Setup → Users"
	setupProfileAPI     = "Setup → Profiles → the integration user's profile → System Permissions → API Enabled"
	setupAssignments    = setupUsers + " → the integration user → Permission Set Assignments"
	setupAnyAppPolicies = "Setup → App Manager → the app → Manage → Edit Policies, or for an External Client App, External Client App Manager → the app → Policies"
)

// noRewrite is the remedy for an answer that came back wrong from
// Salesforce's own address.
const noRewrite = "Check that no proxy rewrites Salesforce's answers, then try again."

// rest explains a failed read through Salesforce's REST API.
func rest(e *sfcheck.RESTError) Failure {
	f := Failure{Headline: restHeadline(e), Said: restSaid(e), Status: e.Status, Service: "Salesforce"}
	meaning, remedy := restWords(e)
	f.Meaning, f.Remedy = text.Sentence(meaning), text.Sentence(remedy)
	return f
}

// restHeadline says what was read and how it ended: "Reading the
// integration user's Login History from Salesforce failed."
func restHeadline(e *sfcheck.RESTError) string {
	reading := "Reading " + restWhat(e) + " from Salesforce"
	switch e.Kind {
	case sfcheck.KindCancelled:
		return reading + " was cancelled."
	case sfcheck.KindTimeout, sfcheck.KindNetwork:
		return reading + " got no answer."
	}
	return reading + " failed."
}

// restSaid is Salesforce's own answer: "INVALID_TYPE: sObject type … is not
// supported".
func restSaid(e *sfcheck.RESTError) string {
	if e.Code == "" || e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + strings.TrimSuffix(e.Message, ".")
}

// restWhat names what was read, in the admin's words.
func restWhat(e *sfcheck.RESTError) string {
	switch e.Op {
	case sfcheck.OpVersions:
		return "the list of API versions"
	case sfcheck.OpDescribe:
		return "the description of " + objectWords(e.Object)
	}
	return objectWords(e.Object)
}

func objectWords(object string) string {
	switch object {
	case sfcheck.LoginHistoryObject:
		return "the integration user's Login History"
	case sfcheck.FailedEventObject:
		return "the app's failed-event records (" + sfcheck.FailedEventObject + ")"
	case sfcheck.AssignmentObject:
		return "the integration user's permission set assignments"
	case sfcheck.UserObject:
		return "the integration user's user record"
	case "":
		return "the org's data"
	}
	return object
}

// restWords is what a failed read means and what to do about it.
func restWords(e *sfcheck.RESTError) (meaning, remedy string) {
	switch e.Kind {
	case sfcheck.KindMissingValue:
		return "There is no Salesforce session to read with.", "Log in first."
	case sfcheck.KindHostRefused:
		why := "it is not a Salesforce host"
		if e.Err != nil {
			why = strings.TrimSuffix(e.Err.Error(), ".")
		}
		return fmt.Sprintf("The login's instance URL is not one drsetup sends a token to: %s.", why),
			"Nothing was sent. Log in through the org's own token endpoint or My Domain (" + setupMyDomain + ")."
	case sfcheck.KindCancelled, sfcheck.KindTimeout, sfcheck.KindNetwork:
		return restNetworkWords(e)
	case sfcheck.KindTooLarge:
		return fmt.Sprintf("The answer from %s was larger than %d MiB, far more than this read returns: something other than Salesforce answered.", e.Host, e.Limit>>20),
			"Check any proxy between this computer and Salesforce, then try again."
	case sfcheck.KindRedirect:
		return fmt.Sprintf("%s redirected the read to %s; drsetup does not send the access token on to an address nobody checked.", e.Host, text.Or(e.ToHost, "another address")),
			"The org's address comes from the login's instance URL; if a proxy redirects it, ask for " + e.Host + " to be let through."
	case sfcheck.KindProxyHTML, sfcheck.KindEmptyBody, sfcheck.KindNotJSON:
		return restUnusableWords(e)
	case sfcheck.KindEndlessQuery:
		return fmt.Sprintf("Salesforce's answer %s, so drsetup stopped reading it.", pagingWords(e)), noRewrite
	case sfcheck.KindBadResponse:
		return badAnswerWords(e)
	case sfcheck.KindNoRecord:
		return "Salesforce answered the query of the integration user's own record without the record.",
			"Check the user's profile in " + setupUsers + "; every user may normally read their own record."
	case sfcheck.KindNotFound:
		switch {
		case e.Flaw == sfcheck.FlawNoVersion:
			return fmt.Sprintf("The org serves no REST API version drsetup can read with (it needs %s or later).", e.MinVersion),
				"Check the org's status in Setup → Company Information; a trial or a very old org may need upgrading."
		case e.Code == "":
			// A 404 that is not Salesforce's JSON: not Salesforce's API.
			return restUnusableWords(e)
		}
	}
	return restCodeWords(e)
}

// restNetworkWords explains a read that got no answer.
func restNetworkWords(e *sfcheck.RESTError) (meaning, remedy string) {
	var ne *httpx.NetError
	switch {
	case e.Kind == sfcheck.KindCancelled:
		return fmt.Sprintf("It was cancelled before %s answered.", e.Host), ""
	case e.Kind == sfcheck.KindTimeout:
		meaning = fmt.Sprintf("%s did not answer in time (drsetup waits up to %s).", e.Host, e.Timeout)
	case errors.As(e.Err, &ne):
		meaning = text.Capitalize(ne.Error()) + "."
	default:
		meaning = fmt.Sprintf("Could not reach %s.", e.Host)
	}
	return meaning, "Try again; if it keeps failing, check the network connection and any proxy (HTTPS_PROXY, NO_PROXY)."
}

// restUnusableWords explains an answer that is not Salesforce's JSON: an
// HTML page from a proxy, an empty body, anything else.
func restUnusableWords(e *sfcheck.RESTError) (meaning, remedy string) {
	switch e.Kind {
	case sfcheck.KindProxyHTML:
		page := "An HTML page"
		if e.PageTitle != "" {
			page = fmt.Sprintf("An HTML page titled %q", e.PageTitle)
		}
		meaning = fmt.Sprintf("%s came back (HTTP %d) instead of Salesforce's answer: a proxy, firewall or captive portal answered.", page, e.Status)
	case sfcheck.KindEmptyBody:
		meaning = fmt.Sprintf("%s answered HTTP %d with an empty body, which Salesforce never sends.", e.Host, e.Status)
	default:
		meaning = fmt.Sprintf("The answer from %s (HTTP %d) is not the JSON Salesforce sends.", e.Host, e.Status)
	}
	return meaning, fmt.Sprintf("If you are behind a corporate proxy or firewall, ask for %s to be allowed, or set HTTPS_PROXY and NO_PROXY.", e.Host)
}

// pagingWords says why the pages of a query were not followed, to end
// "Salesforce's answer …".
func pagingWords(e *sfcheck.RESTError) string {
	switch e.Flaw {
	case sfcheck.FlawNextNotURL:
		return "pointed to its next page with something that is not a web address"
	case sfcheck.FlawNextOddForm:
		return "pointed to its next page with an address drsetup does not follow"
	case sfcheck.FlawNextOffHost:
		return "pointed to its next page on another host (" + text.Or(e.ToHost, "not named") + "), where the access token may not go"
	case sfcheck.FlawNextOutside:
		return "pointed to its next page outside Salesforce's query resource"
	case sfcheck.FlawNextRepeated:
		return "went back to a page it had already sent"
	case sfcheck.FlawTooManyPages:
		return fmt.Sprintf("still had more after %d pages", e.Pages)
	}
	return "would not end"
}

// badAnswerWords explains a 2xx answer whose JSON is not what the read
// returns, or a login that did not name its user.
func badAnswerWords(e *sfcheck.RESTError) (meaning, remedy string) {
	if e.Flaw == sfcheck.FlawNotUserID {
		why := "it is not a user's ID"
		if e.Err != nil {
			why = e.Err.Error()
		}
		return "The login did not name its user with a Salesforce user ID (" + why + "), so drsetup cannot read the user's records.",
			"Log in again; if it keeps happening, check that the token endpoint is Salesforce's."
	}
	what := "its answer is not what Salesforce sends"
	switch e.Flaw {
	case sfcheck.FlawNotVersions:
		what = "its versions list is not the JSON array Salesforce sends"
	case sfcheck.FlawNotDescribe:
		what = "its description of " + e.Object + " is not the JSON Salesforce sends"
	case sfcheck.FlawNotQuery:
		what = "its answer is not the query result Salesforce sends"
	case sfcheck.FlawNoNextPage:
		what = "a page said more records follow without saying where"
	}
	return fmt.Sprintf("%s answered, but %s.", e.Host, what), noRewrite
}

// restCodeWords explains Salesforce's REST error codes. Where a code means
// the user lacks access, the remedy names what grants it.
func restCodeWords(e *sfcheck.RESTError) (meaning, remedy string) {
	switch e.Kind {
	case sfcheck.KindInvalidType:
		return "Salesforce answers as if the object did not exist: the integration user lacks access to it, or it is not in this org.",
			invalidTypeRemedy(e.Object)
	case sfcheck.KindInvalidField:
		return "Salesforce does not let the integration user see a field drsetup reads: the field is hidden from the user's profile, or the installed package is of another version.",
			"Check the Digital River package's version in Setup → Installed Packages, and the field's visibility in Setup → Object Manager; if they look right, report it to drsetup's maintainers with the debug log."
	case sfcheck.KindMalformedQuery:
		return "Salesforce refused drsetup's query as malformed. drsetup's queries are fixed, so this is a drsetup bug or a change on Salesforce's side.",
			"Report it to drsetup's maintainers with Salesforce's message and the debug log (--debug-log FILE)."
	case sfcheck.KindInvalidSession:
		return "Salesforce no longer accepts the access token of the login drsetup just made: the session ended, was revoked, or is locked to the IP address or domain it started from.",
			"Try again; if it keeps failing, check Setup → Session Settings (Lock sessions to the IP address from which they originated) and the connected app's session policies."
	case sfcheck.KindAPIDisabledOrg:
		return "The org's edition does not include API access, so nothing can read its data through the API; the Digital River app's listener, an Apex REST service, needs API access too.",
			"Ask your Salesforce account team to enable API access for the org (editions such as Professional need it added)."
	case sfcheck.KindAPIDisabledUser:
		return "Salesforce refuses API access to the integration user: the user's profile lacks the API Enabled permission, or the org's API access is switched off.",
			"Tick " + setupProfileAPI + " (the app's packaged profile, Digital River Integration User, has it)."
	case sfcheck.KindRequestLimit:
		return "The org has used up its API requests for the last 24 hours (or has too many long requests running at once), so Salesforce refuses more for now.",
			"See Setup → Company Information → API Requests, Last 24 Hours; try again later, and find what uses the allowance in Setup → System Overview."
	case sfcheck.KindNotFound:
		return "Salesforce has no such object for the integration user: it is not in this org, or the user may not see it.",
			invalidTypeRemedy(e.Object)
	}
	return "Salesforce refused the read with an error drsetup does not know.",
		"Try again later; if it persists, check trust.salesforce.com for incidents."
}

// invalidTypeRemedy names what grants the integration user access to
// object.
func invalidTypeRemedy(object string) string {
	switch object {
	case sfcheck.FailedEventObject:
		return "The permission set \"" + sfcheck.PermissionSetLabel + "\" grants it: assign it in " + setupAssignments + ". If the app is not installed, install it first (Setup → Installed Packages)."
	case sfcheck.AssignmentObject:
		return "Reading assignments needs View Setup and Configuration on the user's profile (the app's packaged profile has it)."
	}
	return "Check that the integration user's profile allows it."
}
