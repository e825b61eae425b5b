package sfcheck

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/text"
)

// Kinds of a failed REST read, beside the transport kinds of ErrorKind
// (KindProxyHTML, KindNotJSON, KindTimeout, …), which RESTError shares.
const (
	KindInvalidType     ErrorKind = "invalid_type"      // INVALID_TYPE: the object does not exist for this user
	KindInvalidField    ErrorKind = "invalid_field"     // INVALID_FIELD: a field does not exist for this user
	KindMalformedQuery  ErrorKind = "malformed_query"   // MALFORMED_QUERY
	KindInvalidSession  ErrorKind = "invalid_session"   // INVALID_SESSION_ID: the token is no longer accepted
	KindAPIDisabledOrg  ErrorKind = "api_disabled_org"  // API_DISABLED_FOR_ORG: the edition has no API
	KindAPIDisabledUser ErrorKind = "api_disabled_user" // API_CURRENTLY_DISABLED: the user's profile lacks API Enabled
	KindRequestLimit    ErrorKind = "request_limit"     // REQUEST_LIMIT_EXCEEDED: the org's API allowance is used up
	KindNotFound        ErrorKind = "not_found"         // 404 NOT_FOUND: no such object or resource
	KindNoRecord        ErrorKind = "no_record"         // the query answered, without the record it must hold
	KindEndlessQuery    ErrorKind = "endless_query"     // paging that would not end, or left the org's host
)

// What a RESTError's request was doing.
const (
	OpQuery    = "query"
	OpDescribe = "describe"
	OpVersions = "versions"
)

// RESTError is a failed read through Salesforce's REST API: a query, a
// describe or the versions list. It carries Salesforce's errorCode and
// message as received (cleaned of control characters, cut short), what it
// means for the admin and what to do.
type RESTError struct {
	Op        string // OpQuery, OpDescribe or OpVersions
	Object    string // the sObject read, e.g. "LoginHistory"; "" for the versions list
	Status    int    // HTTP status; 0 when no answer came
	Code      string // Salesforce's errorCode, e.g. "INVALID_TYPE"
	Message   string // Salesforce's message
	Kind      ErrorKind
	Host      string
	Meaning   string
	Remedy    string
	Retryable bool  // whether trying again later can help
	Err       error // the underlying cause (*httpx.NetError, …)
}

func (e *RESTError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Reading %s from Salesforce failed", e.what())
	switch {
	case e.Code != "" && e.Message != "":
		fmt.Fprintf(&b, " (%s: %s)", e.Code, strings.TrimSuffix(e.Message, "."))
	case e.Code != "":
		fmt.Fprintf(&b, " (%s)", e.Code)
	case e.Status != 0:
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	b.WriteString(": ")
	b.WriteString(e.Meaning)
	if e.Remedy != "" {
		b.WriteString(" ")
		b.WriteString(e.Remedy)
	}
	return b.String()
}

func (e *RESTError) Unwrap() error { return e.Err }

// what names what was read, in the admin's words.
func (e *RESTError) what() string {
	if e.Op == OpVersions {
		return "the list of API versions"
	}
	if e.Op == OpDescribe {
		return "the description of " + objectWords(e.Object)
	}
	return objectWords(e.Object)
}

func objectWords(object string) string {
	switch object {
	case loginHistoryObject:
		return "the integration user's Login History"
	case FailedEventObject:
		return "the app's failed-event records (" + FailedEventObject + ")"
	case assignmentObject:
		return "the integration user's permission set assignments"
	case userObject:
		return "the integration user's user record"
	case "":
		return "the org's data"
	}
	return object
}

// Setup pages named in the remedies of REST reads and Login History
// statuses. They are this file's own, apart from the login errors' (which
// name a Connected App), since the integration user's app may be either
// kind.
const (
	setupUsers       = "Setup → Users"
	setupProfileAPI  = "Setup → Profiles → the integration user's profile → System Permissions → API Enabled"
	setupAssignments = setupUsers + " → the integration user → Permission Set Assignments"
	pageMyDomain     = "Setup → My Domain"
)

// restContext is what a failed REST read is explained with.
type restContext struct {
	op, object, host string
	lc               loginContext
}

func (rc restContext) base(kind ErrorKind, status int) *RESTError {
	return &RESTError{Op: rc.op, Object: rc.object, Kind: kind, Status: status, Host: rc.host}
}

// network explains a read that got no answer. The login machinery sorts
// the failure (only its kind, the network error and whether a retry may
// help are taken, so the words stay this file's).
func (rc restContext) network(ctx context.Context, err error) *RESTError {
	le := rc.lc.network(ctx, err)
	e := rc.base(le.Kind, 0)
	e.Retryable, e.Err = le.Retryable, le.Err
	var ne *httpx.NetError
	switch {
	case e.Kind == KindCancelled:
		e.Meaning = fmt.Sprintf("It was cancelled before %s answered.", rc.host)
		return e
	case e.Kind == KindTimeout:
		e.Meaning = fmt.Sprintf("%s did not answer in time (drsetup waits up to %s).", rc.host, rc.lc.timeout)
	case errors.As(le.Err, &ne):
		e.Meaning = text.Capitalize(ne.Error()) + "."
	default:
		e.Meaning = fmt.Sprintf("Could not reach %s.", rc.host)
	}
	e.Remedy = "Try again; if it keeps failing, check the network connection and any proxy (HTTPS_PROXY, NO_PROXY)."
	return e
}

// unusable explains an answer that is not Salesforce's JSON: an HTML page
// from a proxy, an empty body, anything else.
func (rc restContext) unusable(status int, contentType string, body []byte) *RESTError {
	e := rc.base(KindNotJSON, status)
	e.Retryable = status >= 500
	switch rc.lc.unusable(status, contentType, body).Kind {
	case KindProxyHTML:
		e.Kind = KindProxyHTML
		page := "An HTML page"
		if t := httpx.HTMLTitle(body); t != "" {
			page = fmt.Sprintf("An HTML page titled %q", t)
		}
		e.Meaning = fmt.Sprintf("%s came back (HTTP %d) instead of Salesforce's answer: a proxy, firewall or captive portal answered.", page, status)
	case KindEmptyBody:
		e.Kind = KindEmptyBody
		e.Meaning = fmt.Sprintf("%s answered HTTP %d with an empty body, which Salesforce never sends.", rc.host, status)
	default:
		e.Meaning = fmt.Sprintf("The answer from %s (HTTP %d) is not the JSON Salesforce sends.", rc.host, status)
	}
	e.Remedy = fmt.Sprintf("If you are behind a corporate proxy or firewall, ask for %s to be allowed, or set HTTPS_PROXY and NO_PROXY.", rc.host)
	return e
}

func (rc restContext) tooLarge(status int, limit int64) *RESTError {
	e := rc.base(KindTooLarge, status)
	e.Meaning = fmt.Sprintf("The answer from %s was larger than %d MiB, far more than this read returns: something other than Salesforce answered.", rc.host, limit>>20)
	e.Remedy = "Check any proxy between this computer and Salesforce, then try again."
	return e
}

func (rc restContext) redirect(status int, location string) *RESTError {
	e := rc.base(KindRedirect, status)
	to := "another address"
	if u, err := url.Parse(location); err == nil && u.Host != "" {
		to = text.Cut(text.Clean(u.Hostname()), 80)
	}
	e.Meaning = fmt.Sprintf("%s redirected the read to %s; drsetup does not send the access token on to an address nobody checked.", rc.host, to)
	e.Remedy = "The org's address comes from the login's instance URL; if a proxy redirects it, ask for " + rc.host + " to be let through."
	return e
}

// salesforce explains Salesforce's REST error codes. Where a code means the
// user lacks access, the remedy names what grants it.
func (rc restContext) salesforce(status int, code, message string) *RESTError {
	e := rc.base(KindOther, status)
	e.Code, e.Message = code, message
	switch code {
	case "INVALID_TYPE":
		e.Kind = KindInvalidType
		e.Meaning = "Salesforce answers as if the object did not exist: the integration user lacks access to it, or it is not in this org."
		e.Remedy = invalidTypeRemedy(rc.object)
	case "INVALID_FIELD":
		e.Kind = KindInvalidField
		e.Meaning = "Salesforce does not let the integration user see a field drsetup reads: the field is hidden from the user's profile, or the installed package is of another version."
		e.Remedy = "Check the Digital River package's version in Setup → Installed Packages, and the field's visibility in Setup → Object Manager; if they look right, report it to drsetup's maintainers with the debug log."
	case "MALFORMED_QUERY":
		e.Kind = KindMalformedQuery
		e.Meaning = "Salesforce refused drsetup's query as malformed. drsetup's queries are fixed, so this is a drsetup bug or a change on Salesforce's side."
		e.Remedy = "Report it to drsetup's maintainers with Salesforce's message and the debug log (--debug-log FILE)."
	case "INVALID_SESSION_ID":
		e.Kind = KindInvalidSession
		e.Meaning = "Salesforce no longer accepts the access token of the login drsetup just made: the session ended, was revoked, or is locked to the IP address or domain it started from."
		e.Remedy = "Try again; if it keeps failing, check Setup → Session Settings (Lock sessions to the IP address from which they originated) and the connected app's session policies."
	case "API_DISABLED_FOR_ORG":
		e.Kind = KindAPIDisabledOrg
		e.Meaning = "The org's edition does not include API access, so nothing can read its data through the API; the Digital River app's listener, an Apex REST service, needs API access too."
		e.Remedy = "Ask your Salesforce account team to enable API access for the org (editions such as Professional need it added)."
	case "API_CURRENTLY_DISABLED":
		e.Kind = KindAPIDisabledUser
		e.Meaning = "Salesforce refuses API access to the integration user: the user's profile lacks the API Enabled permission, or the org's API access is switched off."
		e.Remedy = "Tick " + setupProfileAPI + " (the app's packaged profile, Digital River Integration User, has it)."
	case "REQUEST_LIMIT_EXCEEDED":
		e.Kind = KindRequestLimit
		e.Retryable = true
		e.Meaning = "The org has used up its API requests for the last 24 hours (or has too many long requests running at once), so Salesforce refuses more for now."
		e.Remedy = "See Setup → Company Information → API Requests, Last 24 Hours; try again later, and find what uses the allowance in Setup → System Overview."
	case "NOT_FOUND":
		e.Kind = KindNotFound
		e.Meaning = "Salesforce has no such object for the integration user: it is not in this org, or the user may not see it."
		e.Remedy = invalidTypeRemedy(rc.object)
	default:
		e.Retryable = status >= 500
		e.Meaning = "Salesforce refused the read with an error drsetup does not know."
		e.Remedy = "Try again later; if it persists, check trust.salesforce.com for incidents."
	}
	return e
}

func invalidTypeRemedy(object string) string {
	switch object {
	case FailedEventObject:
		return "The permission set \"DigitalRiver Connector - Integration\" grants it: assign it in " + setupAssignments + ". If the app is not installed, install it first (Setup → Installed Packages)."
	case assignmentObject:
		return "Reading assignments needs View Setup and Configuration on the user's profile (the app's packaged profile has it)."
	}
	return "Check that the integration user's profile allows it."
}

// pagingError explains a query whose pages would not end, or whose next page
// was on another host.
func (rc restContext) pagingError(why string) *RESTError {
	e := rc.base(KindEndlessQuery, http.StatusOK)
	e.Meaning = text.Sentence(fmt.Sprintf("Salesforce's answer %s, so drsetup stopped reading it", why))
	e.Remedy = "Check that no proxy rewrites Salesforce's answers, then try again."
	return e
}

// badResponse explains a 2xx answer whose JSON is not what the read returns.
func (rc restContext) badResponse(status int, what string) *RESTError {
	e := rc.base(KindBadResponse, status)
	e.Meaning = fmt.Sprintf("%s answered, but %s.", rc.host, what)
	e.Remedy = "Check that no proxy rewrites Salesforce's answers, then try again."
	return e
}
