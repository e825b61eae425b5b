package sfcheck

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
)

// Identity is the user a session belongs to, from Salesforce's identity
// service.
type Identity struct {
	UserID, OrgID, Username, DisplayName, UserType string
	Active                                         bool
}

// Identity reads the session's user from its identity URL, with the session's
// token. The host rule applies to the identity URL. A locked-out or expired
// user can still get a token, so this is the follow-up that tells. Failures
// are *LoginError with Op OpIdentity.
func (c *Client) Identity(ctx context.Context, s *Session) (*Identity, error) {
	if s == nil || s.IdentityURL == "" {
		return nil, &LoginError{Op: OpIdentity, Kind: KindMissingValue, Detail: "no session"}
	}
	lc := loginContext{op: OpIdentity, host: httpx.Host(s.IdentityURL), timeout: c.timeout(), token: s.AccessToken}
	ex, lerr := c.get(ctx, lc, s.IdentityURL, s.AccessToken)
	if lerr != nil {
		return nil, lc.redact(lerr)
	}
	switch {
	case ex.status >= 300 && ex.status < 400:
		return nil, lc.redact(lc.redirect(ex.status, ex.header.Get("Location")))
	case ex.status == http.StatusUnauthorized || ex.status == http.StatusForbidden:
		e := lc.base(KindUnauthorized, ex.status)
		e.Code, e.Description = apexError(ex.body)
		if e.Code == "" {
			e.Code = plainCode(ex.body)
		}
		e.Code, e.Description = lc.remote(e.Code), lc.remote(e.Description)
		return nil, lc.redact(e)
	case ex.status != http.StatusOK:
		return nil, lc.redact(lc.unusable(ex.status, ex.header.Get("Content-Type"), ex.body))
	}
	var body struct {
		UserID      string `json:"user_id"`
		OrgID       string `json:"organization_id"`
		Username    string `json:"username"`
		DisplayName string `json:"display_name"`
		UserType    string `json:"user_type"`
		Active      bool   `json:"active"`
	}
	if err := json.Unmarshal(ex.body, &body); err != nil || body.UserID == "" {
		return nil, lc.redact(lc.unusable(ex.status, ex.header.Get("Content-Type"), ex.body))
	}
	return &Identity{
		UserID: lc.remote(body.UserID), OrgID: lc.remote(body.OrgID), Username: lc.remote(body.Username),
		DisplayName: lc.remote(body.DisplayName), UserType: lc.remote(body.UserType), Active: body.Active,
	}, nil
}

// ProbeKind is the verdict of an Apex endpoint probe.
type ProbeKind string

const (
	ProbeReachable    ProbeKind = "reachable"     // 405: installed, mapped, and the user has access
	ProbeNotInstalled ProbeKind = "not_installed" // 404
	ProbeNoAccess     ProbeKind = "no_access"     // 403
	ProbeUnauthorized ProbeKind = "unauthorized"  // 401
	ProbeGetHandled   ProbeKind = "get_handled"   // 200: something handled the GET
	ProbeRedirected   ProbeKind = "redirected"    // 3xx: Digital River's POST would not follow
	ProbeUnexpected   ProbeKind = "unexpected"
)

// ProbeResult is what the Apex endpoint answered to a GET: the verdict and
// the facts it rests on. Package explain words it.
type ProbeResult struct {
	URL       string // the endpoint probed
	Path      string // its path
	Status    int
	Kind      ProbeKind
	OK        bool   // the endpoint exists and the user can reach it (405, or 200)
	ErrorCode string // Salesforce's errorCode, as received
	Message   string // Salesforce's message, as received
	Class     string // the Apex class a 403 names, when it names one
	// Failure is the probe's answer as a *LoginError when it is not
	// Salesforce's (a redirect, an HTML page, an unexpected body), for the
	// explanation of what answered instead.
	Failure     *LoginError
	InstanceURL string // the login's, to compare hosts with on a 401
	// Latency is how long the answer took to begin, from sending the GET to
	// its headers, a new connection's setup included, as Digital River's
	// deliveries meet it (it counts an answer after 3 seconds as failed).
	Latency time.Duration
}

// ProbeApex sends one GET, never a POST, with the session's token to
// endpointURL. The app's listener takes only POST, so Salesforce answers 405
// when the package is installed, the path is mapped and the user may run the
// class, all without running any of the app's code. The error is non-nil only
// when no answer came (host refused, network); it is a *LoginError with Op
// OpProbe.
func (c *Client) ProbeApex(ctx context.Context, s *Session, endpointURL string) (ProbeResult, error) {
	if s == nil {
		return ProbeResult{}, &LoginError{Op: OpProbe, Kind: KindMissingValue, Detail: "no session"}
	}
	lc := loginContext{op: OpProbe, host: httpx.Host(endpointURL), timeout: c.timeout(), token: s.AccessToken}
	ex, lerr := c.get(ctx, lc, endpointURL, s.AccessToken)
	if lerr != nil {
		return ProbeResult{}, lc.redact(lerr)
	}
	r := ProbeResult{URL: endpointURL, Status: ex.status, Path: ApexPath, InstanceURL: s.InstanceURL, Latency: ex.waited}
	r.ErrorCode, r.Message = apexError(ex.body)
	r.ErrorCode, r.Message = lc.remote(r.ErrorCode), lc.remote(r.Message)
	if u, err := url.Parse(endpointURL); err == nil && u.Path != "" {
		r.Path = u.Path
	}
	switch {
	case ex.status == http.StatusMethodNotAllowed:
		r.Kind, r.OK = ProbeReachable, true
	case ex.status == http.StatusOK:
		r.Kind, r.OK = ProbeGetHandled, true
	case ex.status == http.StatusNotFound:
		r.Kind = ProbeNotInstalled
	case ex.status == http.StatusForbidden:
		r.Kind = ProbeNoAccess
		if _, name, ok := strings.Cut(r.Message, "Apex class named:"); ok {
			r.Class = strings.TrimSpace(name)
		}
	case ex.status == http.StatusUnauthorized:
		r.Kind = ProbeUnauthorized
	case ex.status >= 300 && ex.status < 400:
		r.Kind = ProbeRedirected
		r.Failure = lc.redact(lc.redirect(ex.status, ex.header.Get("Location")))
	default:
		r.Kind = ProbeUnexpected
		r.Failure = lc.redact(lc.unusable(ex.status, ex.header.Get("Content-Type"), ex.body))
	}
	return r, nil
}

// get sends one GET with token, applying the host rule first, and returns the
// exchange with the answer read. A *LoginError means no answer came.
func (c *Client) get(ctx context.Context, lc loginContext, rawURL string, token secret.Value) (*exchange, *LoginError) {
	u, err := httpx.CheckCredentialURL(rawURL, IsSalesforceHost, c.AllowAnyHost)
	if err != nil {
		e := lc.base(KindHostRefused, 0)
		e.Field = field.MyDomain
		e.Detail = err.Error()
		e.Err = err
		return nil, e
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, lc.network(ctx, err)
	}
	req.Header.Set("Authorization", "Bearer "+token.Reveal())
	req.Header.Set("Accept", "application/json")
	ex := c.newExchange()
	resp, err := ex.client.Do(req)
	if err != nil {
		return nil, lc.network(ctx, err)
	}
	resp.Body.Close()
	return ex, nil
}

// apexError reads Salesforce's REST error body, a list of {errorCode, message}
// (or a single one), and the identity service's plain-text error.
func apexError(body []byte) (code, message string) {
	var list []struct {
		ErrorCode string `json:"errorCode"`
		Message   string `json:"message"`
	}
	if err := json.Unmarshal(body, &list); err == nil && len(list) > 0 {
		return list[0].ErrorCode, list[0].Message
	}
	var one struct {
		ErrorCode string `json:"errorCode"`
		Message   string `json:"message"`
	}
	if err := json.Unmarshal(body, &one); err == nil {
		return one.ErrorCode, one.Message
	}
	return "", ""
}

// plainCode reads the identity service's plain-text errors ("Bad_OAuth_Token",
// "Bad_Id"): a single short word, possibly quoted.
func plainCode(body []byte) string {
	s := strings.Trim(strings.TrimSpace(string(body)), `"`)
	if s == "" || len(s) > 64 || strings.ContainsAny(s, " <>{}") {
		return ""
	}
	return s
}
