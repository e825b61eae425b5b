package drapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/drsetup/drsetup/httpx"
)

// ErrorKind sorts Digital River failures by what the user has to do about them.
type ErrorKind string

const (
	KindUnauthorized ErrorKind = "unauthorized" // 401: wrong or revoked key
	KindForbidden    ErrorKind = "forbidden"    // 403: key without webhook permission
	KindNotFound     ErrorKind = "not_found"    // 404
	KindConflict     ErrorKind = "conflict"     // 409
	KindBadRequest   ErrorKind = "bad_request"  // 400 (and 422): a value was refused
	KindRateLimited  ErrorKind = "rate_limited" // 429
	KindServer       ErrorKind = "server"       // 5xx
	KindProxyHTML    ErrorKind = "proxy_html"   // an HTML page instead of the API's JSON
	KindNotJSON      ErrorKind = "not_json"     // a body that is neither JSON nor HTML, or JSON of the wrong shape
	KindTooLarge     ErrorKind = "too_large"    // a body over the size limit
	KindRedirect     ErrorKind = "redirect"     // 3xx, never followed with the key
	KindNetwork      ErrorKind = "network"      // no answer: DNS, refused, reset, TLS, proxy
	KindTimeout      ErrorKind = "timeout"      // no answer in time
	KindCancelled    ErrorKind = "cancelled"    // the caller cancelled
	KindUnexpected   ErrorKind = "unexpected"   // any other status (405, 406, …)
	KindEndlessList  ErrorKind = "endless_list" // a list that would not end; Err is a *PagingError
)

// ErrorDetail is one entry of Digital River's errors[] array.
type ErrorDetail struct {
	Code      string `json:"code"`
	Parameter string `json:"parameter,omitempty"`
	Message   string `json:"message"`
}

// Error is a failed Digital River call: the HTTP answer (or its absence) and
// what the user should do about it. Its fields never hold a request or
// response body, since webhook bodies carry OAuth secrets.
type Error struct {
	Status    int    // HTTP status; 0 when no answer came back
	Type      string // Digital River's "type", e.g. "bad_request"
	Errors    []ErrorDetail
	RequestID string // x-dr-requestid, for Digital River support
	Kind      ErrorKind
	Method    string
	Path      string // path of the request, without the query
	// Body is set only for answers that are not Digital River JSON: the title
	// of an HTML page, or a note of the content type and size.
	Body string
	// Location is where a redirect pointed, without userinfo or query.
	Location string
	// Attempts is how many tries were made.
	Attempts int
	// RetryAfter is what a 429 asked us to wait, when given.
	RetryAfter time.Duration
	// Err is the underlying cause: an *httpx.NetError, httpx.ErrBodyTooLarge or
	// a JSON decoding error.
	Err error

	host string
}

func (e *Error) Unwrap() error { return e.Err }

// Error is the user's text: what went wrong, what to do, and the request id
// when Digital River gave one.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Explanation())
	if r := e.Remedy(); r != "" {
		b.WriteString(" ")
		b.WriteString(r)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (Digital River request id %s)", e.RequestID)
	}
	return b.String()
}

// Explanation says in plain words what happened.
func (e *Error) Explanation() string {
	said := e.drSaid()
	switch e.Kind {
	case KindUnauthorized:
		return "Digital River did not accept the API key: it is wrong, revoked or from another account."
	case KindForbidden:
		return "Digital River accepted the API key but it is not allowed to " + e.operation() + ": it is probably a restricted key without webhook permission." + said
	case KindNotFound:
		if e.isList() {
			return fmt.Sprintf("%s answered 404 Not Found for the webhooks list, so it is not the Digital River API.", e.hostName())
		}
		return fmt.Sprintf("Digital River has no webhook %s: it was deleted, or it belongs to the other mode (test and live keys see different webhooks).", e.webhookID())
	case KindConflict:
		return "Digital River refused to " + e.operation() + " because it conflicts with a webhook that exists already." + said
	case KindBadRequest:
		if p := e.parameter(); p != "" {
			return fmt.Sprintf("Digital River refused to %s: the value of %s was not accepted.%s", e.operation(), p, said)
		}
		return "Digital River refused to " + e.operation() + "." + said
	case KindRateLimited:
		if e.RetryAfter > maxWait {
			return fmt.Sprintf("Digital River is limiting how fast this API key may call it (HTTP 429) and asked to wait %s before trying again.", e.RetryAfter.Round(time.Second))
		}
		return fmt.Sprintf("Digital River is limiting how fast this API key may call it (HTTP 429), and it was still busy after %s.", tries(e.Attempts))
	case KindServer:
		return fmt.Sprintf("Digital River had a problem on its side (HTTP %d) while trying to %s%s.%s", e.Status, e.operation(), afterTries(e.Attempts), said)
	case KindProxyHTML:
		page := "an HTML page"
		if e.Body != "" {
			page = fmt.Sprintf("an HTML page titled %q", e.Body)
		}
		return fmt.Sprintf("Instead of Digital River's answer, %s came back (HTTP %d): a proxy, firewall or network sign-in page between this machine and %s answered.", page, e.Status, e.hostName())
	case KindNotJSON:
		return fmt.Sprintf("The answer from %s (HTTP %d%s) was not the JSON the Digital River API sends.", e.hostName(), e.Status, noteOf(e.Body))
	case KindTooLarge:
		return fmt.Sprintf("The answer from %s (HTTP %d) was larger than any Digital River webhook answer should be, so drsetup stopped reading it.", e.hostName(), e.Status)
	case KindRedirect:
		to := ""
		if e.Location != "" {
			to = " to " + e.Location
		}
		return fmt.Sprintf("%s answered with a redirect (HTTP %d)%s; drsetup does not follow redirects with an API key.", e.hostName(), e.Status, to)
	case KindEndlessList:
		return e.endlessExplanation()
	case KindNetwork, KindTimeout, KindCancelled:
		var ne *httpx.NetError
		if errors.As(e.Err, &ne) {
			return ne.Error() + "."
		}
		return fmt.Sprintf("Could not reach %s.", e.hostName())
	}
	return fmt.Sprintf("Digital River answered HTTP %d %s when asked to %s.%s", e.Status, http.StatusText(e.Status), e.operation(), said)
}

// Remedy says what the user can do next, or "" when the explanation already
// says it.
func (e *Error) Remedy() string {
	const keys = "In the Digital River Dashboard, open Developers → API keys and copy the confidential (secret) key of the mode you want (sk_test_… for test, sk_… for live)."
	switch e.Kind {
	case KindUnauthorized:
		return keys
	case KindForbidden:
		return "Use the account's confidential (secret) key from Dashboard → Developers → API keys, or give this restricted key read and write permission for webhooks."
	case KindNotFound:
		if e.isList() {
			return "Check --dr-api-url (or DRSETUP_DR_API_URL); the Digital River API is " + DefaultBaseURL + "."
		}
		return "List the webhooks again (drsetup webhooks list) with the key of the right mode and use an id from that list."
	case KindConflict:
		return "List the webhooks (drsetup webhooks list) to see which one is in the way, then run drsetup setup again so it updates that webhook instead of adding one."
	case KindBadRequest:
		return e.badRequestRemedy()
	case KindRateLimited:
		return "Wait a minute and try again; if other programs or people use the same API key, pause them first (Digital River allows 25 requests a second in test mode, 250 in live)."
	case KindServer:
		return "Try again in a few minutes. If it keeps happening, contact Digital River support and give them the request id."
	case KindProxyHTML:
		return "Sign in to the network if it asks you to, check HTTPS_PROXY and NO_PROXY, or ask your network team to allow " + DefaultBaseURL + ". If --dr-api-url is set, check it points at the API, not a web site."
	case KindNotJSON, KindTooLarge:
		return "Check that --dr-api-url (if set) points at the Digital River API, " + DefaultBaseURL + ", and that no proxy rewrites the answer; then try again."
	case KindRedirect:
		return "Check --dr-api-url (or DRSETUP_DR_API_URL); the Digital River API is " + DefaultBaseURL + ", which does not redirect."
	case KindEndlessList:
		return e.endlessRemedy()
	case KindNetwork, KindTimeout, KindCancelled:
		return ""
	}
	return "Check --dr-api-url (if set) points at " + DefaultBaseURL + ", and try again; if it keeps happening, contact Digital River support with the request id."
}

func (e *Error) badRequestRemedy() string {
	p := strings.ToLower(e.parameter())
	all := strings.ToLower(e.drSaid())
	switch {
	case strings.Contains(p, "granttype") || strings.Contains(all, "client_credentials") || strings.Contains(p, "audience"):
		return "Digital River's API may accept only the password grant for a webhook's OAuth settings: choose username-password authentication, or create the webhook with client credentials in the Dashboard (Developers → Webhooks), which offers that grant."
	case p == "address":
		return "The address must be the Endpoint URL, https://<My Domain>/services/apexrest/digitalriverv3/webhooks/, with the org's My Domain host."
	case strings.HasPrefix(p, "type"):
		return "Choose event types from the list the Digital River app supports (order.accepted, order.complete, …)."
	case strings.HasPrefix(p, "oauth"):
		return "Check the OAuth settings (token endpoint, Client ID, Client Secret, username and password) and try again."
	case p != "":
		return "Correct " + e.parameter() + " and try again."
	}
	return "Check the values entered and try again; if they look right, contact Digital River support with the request id."
}

// drSaid quotes Digital River's own messages, which name the problem better
// than a status code and carry no secrets of their own.
func (e *Error) drSaid() string {
	var msgs []string
	for _, d := range e.Errors {
		if d.Message != "" {
			msgs = append(msgs, d.Message)
		} else if d.Code != "" {
			msgs = append(msgs, d.Code)
		}
	}
	if len(msgs) == 0 {
		return ""
	}
	said := strings.Join(msgs, "; ")
	if !strings.HasSuffix(said, ".") && !strings.HasSuffix(said, "!") && !strings.HasSuffix(said, "?") {
		said += "."
	}
	return " Digital River said: " + said
}

func (e *Error) parameter() string {
	for _, d := range e.Errors {
		if d.Parameter != "" {
			return d.Parameter
		}
	}
	return ""
}

func (e *Error) isList() bool {
	return e.Method == http.MethodGet && strings.HasSuffix(e.Path, "/webhooks")
}

func (e *Error) webhookID() string {
	if i := strings.LastIndex(e.Path, "/webhooks/"); i >= 0 {
		return e.Path[i+len("/webhooks/"):]
	}
	return ""
}

// operation names what was being done, for "refused to …".
func (e *Error) operation() string {
	id := e.webhookID()
	switch {
	case e.isList():
		return "list the webhooks"
	case e.Method == http.MethodPost:
		return "create the webhook"
	case e.Method == http.MethodPatch:
		return "update webhook " + id
	case e.Method == http.MethodDelete:
		return "delete webhook " + id
	case id != "":
		return "read webhook " + id
	}
	return "answer"
}

func (e *Error) hostName() string {
	if e.host == "" {
		return "the server"
	}
	return e.host
}

func tries(n int) string {
	if n <= 1 {
		return "one try"
	}
	return fmt.Sprintf("%d tries", n)
}

func afterTries(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (after %d tries)", n)
}

func noteOf(body string) string {
	if body == "" {
		return ""
	}
	return ", " + body
}

// mayHaveApplied reports whether the request may have reached Digital River
// and taken effect although no success came back: a timeout or dropped
// connection after sending, or a server or gateway error.
func (e *Error) mayHaveApplied() bool {
	if e.Status >= 500 || e.Kind == KindTimeout {
		return true
	}
	var ne *httpx.NetError
	return e.Kind == KindNetwork && errors.As(e.Err, &ne) && (ne.Kind == httpx.NetReset || ne.Kind == httpx.NetOther)
}

// errorBody is Digital River's error document.
type errorBody struct {
	Type   string        `json:"type"`
	Errors []ErrorDetail `json:"errors"`
}

// maxMessage bounds what is kept of one message from the server.
const maxMessage = 300

// responseError builds the Error for a non-2xx answer, or for a 2xx whose body
// was too large or an HTML page. Text from the server is cleaned of control characters, cut short and
// stripped of any secret this request carried.
func (c *Client) responseError(r *request, status int, header http.Header, body []byte, readErr error) *Error {
	e := &Error{
		Status:    status,
		RequestID: clean(header.Get("x-dr-requestid"), 100, r.redact),
		Method:    r.method,
		Path:      r.path,
		host:      c.base.Host,
	}
	switch {
	case errors.Is(readErr, httpx.ErrBodyTooLarge):
		e.Kind, e.Err = KindTooLarge, readErr
		return e
	case status >= 300 && status < 400:
		e.Kind = KindRedirect
		e.Location = clean(httpx.Redact(header.Get("Location")), 200, r.redact)
		return e
	case httpx.LooksLikeHTML(header.Get("Content-Type"), body):
		e.Kind = KindProxyHTML
		e.Body = clean(httpx.HTMLTitle(body), 80, r.redact)
		return e
	}
	var eb errorBody
	notJSON := false
	if len(body) > 0 {
		if err := json.Unmarshal(body, &eb); err != nil {
			notJSON = true
			e.Err = err
			e.Body = bodyNote(header.Get("Content-Type"), len(body))
		}
	}
	e.Type = clean(eb.Type, 40, r.redact)
	for i, d := range eb.Errors {
		if i == 5 {
			break
		}
		e.Errors = append(e.Errors, ErrorDetail{
			Code:      clean(d.Code, 60, r.redact),
			Parameter: clean(d.Parameter, 80, r.redact),
			Message:   clean(d.Message, maxMessage, r.redact),
		})
	}
	// A rate limit or a server error is what it is whatever its body: load
	// balancers answer 503 in plain text.
	switch {
	case status == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
		e.RetryAfter = parseRetryAfter(header.Get("Retry-After"), time.Now())
	case status >= 500:
		e.Kind = KindServer
	case notJSON:
		e.Kind = KindNotJSON
	case status == http.StatusUnauthorized:
		e.Kind = KindUnauthorized
	case status == http.StatusForbidden:
		e.Kind = KindForbidden
	case status == http.StatusNotFound:
		e.Kind = KindNotFound
	case status == http.StatusConflict:
		e.Kind = KindConflict
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		e.Kind = KindBadRequest
	default:
		e.Kind = KindUnexpected
	}
	return e
}

// decodeError is the Error for a 2xx answer whose body is not what the
// operation expects.
func (c *Client) decodeError(r *request, status int, header http.Header, body []byte, err error) *Error {
	return &Error{
		Status:    status,
		RequestID: clean(header.Get("x-dr-requestid"), 100, r.redact),
		Kind:      KindNotJSON,
		Method:    r.method,
		Path:      r.path,
		Body:      bodyNote(header.Get("Content-Type"), len(body)),
		Err:       err,
		host:      c.base.Host,
	}
}

// bodyNote describes a body without quoting it: a 2xx webhook body that fails
// to decode may still hold OAuth secrets.
func bodyNote(contentType string, n int) string {
	ct := clean(contentType, 60, nil)
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("%s, %d bytes", ct, n)
}

// clean makes server text safe to show: secrets this request sent are
// redacted, control characters (terminal escapes) dropped, and the text cut to
// max runes.
func clean(s string, max int, redact func(string) string) string {
	if redact != nil {
		s = redact(s)
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}
