package sfcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/text"
)

// ErrorKind classifies a failed request to Salesforce.
type ErrorKind string

const (
	// Salesforce's own answers.
	KindBadClientID      ErrorKind = "bad_client_id"
	KindBadClientSecret  ErrorKind = "bad_client_secret"
	KindAuthFailure      ErrorKind = "auth_failure"
	KindIPRestricted     ErrorKind = "ip_restricted"
	KindNotApproved      ErrorKind = "not_approved"
	KindTokenRequired    ErrorKind = "security_token_required"
	KindAppNotAllowed    ErrorKind = "unauthorized_client" // the app may not use this grant, or is refused as a client
	KindLoginRate        ErrorKind = "login_rate"
	KindInactiveUser     ErrorKind = "inactive_user"
	KindInactiveOrg      ErrorKind = "inactive_org"
	KindUnsupportedGrant ErrorKind = "unsupported_grant"
	KindWrongDomain      ErrorKind = "wrong_domain"
	KindNoRunAs          ErrorKind = "no_run_as"
	KindInvalidRequest   ErrorKind = "invalid_request"
	KindInvalidScope     ErrorKind = "invalid_scope"
	KindUnknownError     ErrorKind = "unknown_error"
	KindOther            ErrorKind = "salesforce_error" // an error code drsetup does not know
	KindUnauthorized     ErrorKind = "unauthorized"     // the access token was refused (identity)

	// Answers that are not Salesforce's, or not usable.
	KindProxyHTML   ErrorKind = "proxy_html"
	KindNotJSON     ErrorKind = "not_json"
	KindEmptyBody   ErrorKind = "empty_body"
	KindTooLarge    ErrorKind = "too_large"
	KindRedirect    ErrorKind = "redirect"
	KindBadResponse ErrorKind = "bad_response" // JSON, but without what a login returns

	// No answer at all.
	KindTimeout      ErrorKind = "timeout"
	KindCancelled    ErrorKind = "cancelled"
	KindNetwork      ErrorKind = "network"
	KindHostRefused  ErrorKind = "host_refused" // drsetup refused to send credentials there
	KindMissingValue ErrorKind = "missing_value"
)

// What a LoginError's request was doing.
const (
	OpLogin    = "login"
	OpIdentity = "identity"
	OpProbe    = "probe"
)

// LoginError is a failed request to Salesforce: a login, the identity
// lookup or the Apex probe. It carries the facts: what was asked, what came
// back (Salesforce's own error, as received), the kind of failure, the input
// most likely wrong, and what the explanation needs to know of the request.
// The words for the user are written by package explain.
type LoginError struct {
	Op          string // OpLogin, OpIdentity or OpProbe
	Status      int    // HTTP status; 0 when no answer came
	Code        string // Salesforce's "error" (or REST errorCode), as received
	Description string // Salesforce's "error_description" (or REST message), as received
	Kind        ErrorKind
	Host        string      // the host asked (or refused)
	Field       field.Field // the input most likely wrong, for the wizard's jump-back
	Retryable   bool        // whether trying again can help; never for invalid_grant
	Err         error       // underlying error (*httpx.NetError, *TokenEndpointError, …)

	// What the request was, for the explanation.
	Flow      Flow              // the grant of a login
	App       App               // the kind of app the consumer key belongs to, when known
	Username  string            // the login's user; "" with client credentials
	MyDomain  string            // the My Domain the admin entered, to blame the right input
	TokenKind TokenEndpointKind // whose token endpoint the login went to
	Timeout   time.Duration     // how long drsetup waited
	// Detail is a fact of the failure in a few words: where a redirect
	// pointed, an HTML page's title, what a login answer lacks, the value
	// that is missing, why a host was refused.
	Detail string
	// Sent says a login that got no answer may have reached Salesforce (and
	// so shows in the user's Login History).
	Sent bool
}

// Error says what failed, with Salesforce's own words: a short, factual
// line. What it means and what to do is package explain's.
func (e *LoginError) Error() string {
	var b strings.Builder
	switch e.Op {
	case OpIdentity:
		b.WriteString("Reading the user's identity from Salesforce failed")
	case OpProbe:
		b.WriteString("Checking the Apex endpoint failed")
	default:
		b.WriteString("Salesforce login failed")
	}
	switch {
	case e.Code != "" && e.Description != "":
		fmt.Fprintf(&b, " (%s: %s)", e.Code, e.Description)
	case e.Code != "":
		fmt.Fprintf(&b, " (%s)", e.Code)
	case e.Status != 0:
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Host != "" {
		b.WriteString(" at " + e.Host)
	}
	if e.Err != nil && e.Status == 0 {
		b.WriteString(": " + e.Err.Error())
	} else if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	return b.String()
}

func (e *LoginError) Unwrap() error { return e.Err }

// loginContext is what a failed request is explained with.
type loginContext struct {
	op      string
	cr      Credentials
	kind    TokenEndpointKind
	host    string
	timeout time.Duration
	token   secret.Value // the access token an identity lookup or probe sent
}

// remote makes a text that came back from Salesforce, or from whatever
// answered in its place, safe to show: every secret the request carried is
// redacted in any encoding (a server may quote the request it refuses), and
// what is left is one line without terminal control characters.
func (lc loginContext) remote(s string) string {
	return text.Clean(lc.redactor().Redact(s))
}

func (lc loginContext) redactor() *secret.Redactor {
	var r secret.Redactor
	r.Add(lc.cr.Password.Reveal()+lc.cr.SecurityToken.Reveal(), lc.cr.Password.Reveal(),
		lc.cr.SecurityToken.Reveal(), lc.cr.ClientSecret.Reveal(), lc.token.Reveal())
	return &r
}

func (lc loginContext) base(kind ErrorKind, status int) *LoginError {
	e := &LoginError{Op: lc.op, Kind: kind, Status: status, Host: lc.host, Flow: lc.cr.Flow, App: lc.cr.App,
		MyDomain: lc.cr.MyDomain, TokenKind: lc.kind, Timeout: lc.timeout}
	if lc.cr.Flow != FlowClientCredentials {
		e.Username = lc.cr.Username
	}
	return e
}

// fromExchange explains err, a failure from oauth2 or http.Client, with what
// the exchange saw come back.
func (lc loginContext) fromExchange(ctx context.Context, ex *exchange, err error) *LoginError {
	if !ex.answered {
		return lc.network(ctx, err)
	}
	status := ex.status
	switch {
	case ex.tooLarge:
		e := lc.base(KindTooLarge, status)
		e.Detail = fmt.Sprintf("the answer was larger than %d KiB", maxBody>>10)
		return e
	case status >= 300 && status < 400:
		return lc.redirect(status, ex.header.Get("Location"))
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.ErrorCode != "" {
		return lc.salesforce(status, re.ErrorCode, re.ErrorDescription)
	}
	return lc.unusable(status, ex.header.Get("Content-Type"), ex.body)
}

// network records a request that got no answer.
func (lc loginContext) network(ctx context.Context, err error) *LoginError {
	ne := httpx.ClassifyNetError(ctx, lc.host, err)
	e := lc.base(KindNetwork, 0)
	e.Err = ne
	e.Retryable = ne.Temporary()
	switch ne.Kind {
	case httpx.NetCancelled:
		e.Kind = KindCancelled
	case httpx.NetTimeout:
		e.Kind = KindTimeout
	}
	// Only a login that may have reached Salesforce can show in its Login
	// History: not one whose host was not found, refused, or not trusted.
	e.Sent = ne.Kind != httpx.NetDNS && ne.Kind != httpx.NetRefused && ne.Kind != httpx.NetTLS && ne.Kind != httpx.NetProxy && e.Kind != KindCancelled
	return e
}

func (lc loginContext) redirect(status int, location string) *LoginError {
	e := lc.base(KindRedirect, status)
	e.Field = field.TokenEndpoint
	if lc.op == OpProbe {
		e.Field = field.MyDomain
	}
	e.Detail = "another address"
	if u, err := url.Parse(location); err == nil && u.Host != "" {
		e.Detail = lc.remote(u.Hostname())
	}
	return e
}

// unusable records an answer that is not Salesforce's JSON.
func (lc loginContext) unusable(status int, contentType string, body []byte) *LoginError {
	e := lc.base(KindNotJSON, status)
	e.Retryable = status >= 500
	switch {
	case httpx.LooksLikeHTML(contentType, body):
		e.Kind = KindProxyHTML
		e.Detail = lc.remote(httpx.HTMLTitle(body))
	case len(bytes.TrimSpace(body)) == 0:
		e.Kind = KindEmptyBody
	case status >= 200 && status < 300 && looksLikeJSON(body) && lc.op == OpLogin:
		return lc.badResponse("it has no access_token")
	}
	return e
}

func (lc loginContext) badResponse(what string) *LoginError {
	e := lc.base(KindBadResponse, 200)
	e.Field = field.TokenEndpoint
	e.Detail = what
	return e
}

// salesforce classifies a JSON error from the token endpoint: its kind and
// the input most likely wrong. invalid_grant is never retryable, whatever
// the description: a second failed login counts toward the lockout too.
func (lc loginContext) salesforce(status int, code, desc string) *LoginError {
	e := lc.base(KindOther, status)
	e.Code, e.Description = lc.remote(code), lc.remote(desc)
	code, d := e.Code, strings.ToLower(e.Description)
	cc := lc.cr.Flow == FlowClientCredentials
	switch strings.ToLower(code) {
	case "invalid_client_id":
		e.Kind, e.Field = KindBadClientID, field.ClientID
	case "invalid_client":
		e.Kind, e.Field = KindBadClientSecret, field.ClientSecret
	case "inactive_user":
		e.Kind, e.Field = KindInactiveUser, field.Username
		if cc {
			e.Field = field.Auth
		}
	case "invalid_app_access":
		e.Kind = KindNotApproved
	case "unauthorized_client":
		// Sources disagree on what the code alone means (a client refused,
		// a grant the app may not use): Salesforce's own words decide.
		lc.unauthorizedClient(e, d)
	case "inactive_org":
		e.Kind = KindInactiveOrg
	case "rate_limit_exceeded":
		e.Kind, e.Retryable = KindLoginRate, true
	case "invalid_request":
		e.Kind, e.Field = KindInvalidRequest, field.TokenEndpoint
	case "invalid_scope":
		e.Kind = KindInvalidScope
	case "unsupported_grant_type":
		e.Kind, e.Field = KindUnsupportedGrant, field.TokenEndpoint
		if cc {
			e.Field = field.Auth
		}
	case "unknown_error":
		e.Kind, e.Retryable = KindUnknownError, true
	case "invalid_grant":
		lc.invalidGrant(e, d)
	}
	return e
}

// invalidGrant classifies invalid_grant by its description.
func (lc loginContext) invalidGrant(e *LoginError, d string) {
	cc := lc.cr.Flow == FlowClientCredentials
	switch {
	case strings.Contains(d, "request not supported on this domain"):
		e.Kind, e.Field = KindWrongDomain, field.TokenEndpoint
	case strings.Contains(d, "security token required"):
		e.Kind, e.Field = KindTokenRequired, field.SecurityToken
	case strings.Contains(d, "no client credentials user"):
		e.Kind, e.Field = KindNoRunAs, field.Auth
	case strings.Contains(d, "no valid scopes"):
		e.Kind, e.Field = KindInvalidScope, field.Auth
	case strings.Contains(d, "ip restricted") || strings.Contains(d, "invalid login hours"):
		e.Kind = KindIPRestricted
	case strings.Contains(d, "hasn't approved") || strings.Contains(d, "has not approved") || strings.Contains(d, "not approved"):
		e.Kind = KindNotApproved
	case strings.Contains(d, "login rate exceeded"):
		e.Kind = KindLoginRate
	case strings.Contains(d, "inactive user") || strings.Contains(d, "user is inactive"):
		e.Kind, e.Field = KindInactiveUser, field.Username
		if cc {
			e.Field = field.Auth
		}
	case cc:
		e.Kind, e.Field = KindNoRunAs, field.Auth
	default:
		e.Kind, e.Field = KindAuthFailure, field.Password
		// The input most likely wrong, when the values say more than
		// Salesforce does.
		if md, err := ParseMyDomain(lc.cr.MyDomain); err == nil && (lc.kind == TokenLogin && md.Sandbox || lc.kind == TokenTest && !md.Sandbox) {
			e.Field = field.TokenEndpoint
		} else if !strings.Contains(lc.cr.Username, "@") {
			e.Field = field.Username
		} else if lc.cr.Flow == FlowPassword && lc.cr.SecurityToken.IsZero() {
			// Without a trusted IP range Salesforce wants the token
			// appended, and refuses a login without it in these words.
			e.Field, e.Detail = field.SecurityToken, "no security token was sent"
		}
	}
}

// unauthorizedClient classifies unauthorized_client by Salesforce's words:
// a refused secret, an unknown client, a user not admitted, or (most often)
// an app not allowed the flow.
func (lc loginContext) unauthorizedClient(e *LoginError, d string) {
	switch {
	case strings.Contains(d, "secret") || (strings.Contains(d, "client credentials") && strings.Contains(d, "invalid")):
		e.Kind, e.Field = KindBadClientSecret, field.ClientSecret
	case strings.Contains(d, "client identifier") || strings.Contains(d, "unknown client") || strings.Contains(d, "not found"):
		e.Kind, e.Field = KindBadClientID, field.ClientID
	case strings.Contains(d, "approved"):
		e.Kind = KindNotApproved
	default:
		e.Kind, e.Field = KindAppNotAllowed, field.Auth
	}
}

// redact removes the secrets of the request from every text of e, whatever
// built it: Salesforce and proxies are not expected to echo them, but an
// error must never carry one.
func (lc loginContext) redact(e *LoginError) *LoginError {
	r := lc.redactor()
	e.Code = r.Redact(e.Code)
	e.Description = r.Redact(e.Description)
	e.Detail = r.Redact(e.Detail)
	return e
}

func looksLikeJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}
