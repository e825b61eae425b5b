package drapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/text"
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

// Error is a failed Digital River call: the HTTP answer (or its absence),
// as facts; package explain says what it means for the user. Its fields
// never hold a request or response body, since webhook bodies carry OAuth
// secrets.
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
	// Host is the API host asked.
	Host string
}

func (e *Error) Unwrap() error { return e.Err }

// Error says what failed, with Digital River's own words: a short, factual
// line. What it means and what to do is package explain's.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Digital River %s %s", e.Method, e.Path)
	switch {
	case e.Status != 0:
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
		if e.Type != "" {
			b.WriteString(" " + e.Type)
		}
	case e.Err != nil:
		b.WriteString(": " + e.Err.Error())
	}
	for _, d := range e.Errors {
		b.WriteString("; " + strings.TrimPrefix(strings.Join([]string{d.Code, d.Message}, ": "), ": "))
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// Parameter is the first parameter Digital River's errors name, or "".
func (e *Error) Parameter() string {
	for _, d := range e.Errors {
		if d.Parameter != "" {
			return d.Parameter
		}
	}
	return ""
}

// IsList reports whether the failed request read a list: the webhooks or the events.
func (e *Error) IsList() bool {
	return e.Method == http.MethodGet && (strings.HasSuffix(e.Path, "/webhooks") || e.IsEvents())
}

// IsEvents reports whether the request read the events list.
func (e *Error) IsEvents() bool { return strings.HasSuffix(e.Path, "/events") }

// WebhookID is the webhook the failed request was about, or "".
func (e *Error) WebhookID() string {
	if i := strings.LastIndex(e.Path, "/webhooks/"); i >= 0 {
		return e.Path[i+len("/webhooks/"):]
	}
	return ""
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
		Host:      c.base.Host,
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
		Host:      c.base.Host,
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

// clean makes server text safe to show: the secrets this request sent, and
// those the run knows, are redacted in any encoding; escape sequences and
// other control characters are removed (text.Clean), so a message cannot
// clear the screen or set the window title; and the text is cut to max runes,
// after the redaction, so a cut cannot split a secret out of its mask.
func clean(s string, max int, redact func(string) string) string {
	if redact != nil {
		s = redact(s)
	}
	return text.Cut(text.Clean(s), max)
}
