package sfcheck

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

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

// Flaw says what was wrong with an answer that came back and could not be
// used (KindBadResponse), why the pages of a query were not followed
// (KindEndlessQuery), or that the org serves no version to read with.
type Flaw string

const (
	FlawNotVersions  Flaw = "not_versions"   // the versions list is not a JSON array
	FlawNotDescribe  Flaw = "not_describe"   // the describe is not an object's description
	FlawNotQuery     Flaw = "not_query"      // the answer is not a query result
	FlawNoNextPage   Flaw = "no_next_page"   // a page says more records follow, but not where
	FlawNotUserID    Flaw = "not_user_id"    // the login named its user with something else than a user ID (Err: *IDError)
	FlawNextNotURL   Flaw = "next_not_url"   // nextRecordsUrl is not a web address
	FlawNextOddForm  Flaw = "next_odd_form"  // nextRecordsUrl carries user info, or is opaque
	FlawNextOffHost  Flaw = "next_off_host"  // nextRecordsUrl is on another host (ToHost)
	FlawNextOutside  Flaw = "next_outside"   // nextRecordsUrl is outside the query resource of the version asked
	FlawNextRepeated Flaw = "next_repeated"  // nextRecordsUrl names a page already read
	FlawTooManyPages Flaw = "too_many_pages" // more pages followed after Pages
	FlawNoVersion    Flaw = "no_version"     // the org lists no version from MinVersion on (KindNotFound)
)

// RESTError is a failed read through Salesforce's REST API: a query, a
// describe or the versions list. It carries the facts: what was read,
// Salesforce's errorCode and message as received (cleaned of control
// characters, cut short), the kind of failure and what the explanation
// needs to know of it. The words for the user are written by package
// explain.
type RESTError struct {
	Op        string // OpQuery, OpDescribe or OpVersions
	Object    string // the sObject read, e.g. "LoginHistory"; "" for the versions list
	Status    int    // HTTP status; 0 when no answer came
	Code      string // Salesforce's errorCode, e.g. "INVALID_TYPE"
	Message   string // Salesforce's message
	Kind      ErrorKind
	Host      string
	Retryable bool  // whether trying again later can help
	Err       error // the underlying cause (*httpx.NetError, *httpx.HostError, *IDError)

	// What the failure was, for the explanation.
	Flaw       Flaw
	Timeout    time.Duration // how long drsetup waits for an answer
	PageTitle  string        // KindProxyHTML: the HTML page's title, "" when it has none
	ToHost     string        // KindRedirect: the host redirected to; FlawNextOffHost: the next page's host; "" when none could be read
	Limit      int64         // KindTooLarge: the most bytes drsetup reads of an answer
	Pages      int           // FlawTooManyPages: the pages read before drsetup stopped
	MinVersion string        // FlawNoVersion: the oldest API version drsetup reads with, "37.0"
}

// Error says what failed, with Salesforce's own words: a short, factual
// line, "Salesforce query of LoginHistory: HTTP 400 INVALID_TYPE: …". What
// it means and what to do is package explain's.
func (e *RESTError) Error() string {
	var b strings.Builder
	b.WriteString("Salesforce ")
	switch e.Op {
	case OpVersions:
		b.WriteString("versions list")
	case "":
		b.WriteString("read")
	default:
		b.WriteString(e.Op)
	}
	if e.Object != "" {
		b.WriteString(" of " + e.Object)
	}
	b.WriteString(":")
	if e.Status != 0 {
		fmt.Fprintf(&b, " HTTP %d", e.Status)
	}
	if e.Code != "" {
		b.WriteString(" " + e.Code)
		if e.Message != "" {
			b.WriteString(": " + e.Message)
		}
		return b.String()
	}
	b.WriteString(" " + string(e.Kind))
	if e.Flaw != "" {
		b.WriteString(" (" + string(e.Flaw) + ")")
	}
	switch {
	case e.PageTitle != "":
		fmt.Fprintf(&b, " titled %q", e.PageTitle)
	case e.ToHost != "":
		b.WriteString(" to " + e.ToHost)
	case e.Kind == KindTimeout:
		fmt.Fprintf(&b, " after %s", e.Timeout)
	case e.Kind == KindTooLarge:
		fmt.Fprintf(&b, " over %d bytes", e.Limit)
	}
	if e.Host != "" {
		b.WriteString(" at " + e.Host)
	}
	return b.String()
}

func (e *RESTError) Unwrap() error { return e.Err }

// restContext is what a failed REST read is recorded with.
type restContext struct {
	op, object, host string
	lc               loginContext
}

func (rc restContext) base(kind ErrorKind, status int) *RESTError {
	return &RESTError{Op: rc.op, Object: rc.object, Kind: kind, Status: status, Host: rc.host, Timeout: rc.lc.timeout}
}

// network records a read that got no answer. The login machinery sorts the
// failure; its kind, the network error and whether a retry may help are
// taken.
func (rc restContext) network(ctx context.Context, err error) *RESTError {
	le := rc.lc.network(ctx, err)
	e := rc.base(le.Kind, 0)
	e.Retryable, e.Err = le.Retryable, le.Err
	return e
}

// unusable records an answer that is not Salesforce's JSON: an HTML page
// from a proxy, an empty body, anything else.
func (rc restContext) unusable(status int, contentType string, body []byte) *RESTError {
	e := rc.base(KindNotJSON, status)
	e.Retryable = status >= 500
	switch rc.lc.unusable(status, contentType, body).Kind {
	case KindProxyHTML:
		e.Kind = KindProxyHTML
		e.PageTitle = rc.lc.remote(httpx.HTMLTitle(body))
	case KindEmptyBody:
		e.Kind = KindEmptyBody
	}
	return e
}

func (rc restContext) tooLarge(status int, limit int64) *RESTError {
	e := rc.base(KindTooLarge, status)
	e.Limit = limit
	return e
}

func (rc restContext) redirect(status int, location string) *RESTError {
	e := rc.base(KindRedirect, status)
	if u, err := url.Parse(location); err == nil && u.Host != "" {
		e.ToHost = text.Cut(text.Clean(u.Hostname()), 80)
	}
	return e
}

// salesforce sorts Salesforce's REST error codes.
func (rc restContext) salesforce(status int, code, message string) *RESTError {
	e := rc.base(KindOther, status)
	e.Code, e.Message = code, message
	switch code {
	case "INVALID_TYPE":
		e.Kind = KindInvalidType
	case "INVALID_FIELD":
		e.Kind = KindInvalidField
	case "MALFORMED_QUERY":
		e.Kind = KindMalformedQuery
	case "INVALID_SESSION_ID":
		e.Kind = KindInvalidSession
	case "API_DISABLED_FOR_ORG":
		e.Kind = KindAPIDisabledOrg
	case "API_CURRENTLY_DISABLED":
		e.Kind = KindAPIDisabledUser
	case "REQUEST_LIMIT_EXCEEDED":
		e.Kind, e.Retryable = KindRequestLimit, true
	case "NOT_FOUND":
		e.Kind = KindNotFound
	default:
		e.Retryable = status >= 500
	}
	return e
}

// pagingError records a query whose pages would not end, or whose next page
// was not one to ask for.
func (rc restContext) pagingError(flaw Flaw) *RESTError {
	e := rc.base(KindEndlessQuery, http.StatusOK)
	e.Flaw = flaw
	return e
}

// badResponse records a 2xx answer whose JSON is not what the read returns.
func (rc restContext) badResponse(status int, flaw Flaw) *RESTError {
	e := rc.base(KindBadResponse, status)
	e.Flaw = flaw
	return e
}
