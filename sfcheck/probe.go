package sfcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/text"
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
		return nil, &LoginError{Op: OpIdentity, Kind: KindMissingValue, Meaning: "There is no session to read the identity of.", Remedy: "Log in first."}
	}
	lc := loginContext{op: OpIdentity, host: hostOf(s.IdentityURL), timeout: c.timeout()}
	ex, lerr := c.get(ctx, lc, s.IdentityURL, s.AccessToken)
	if lerr != nil {
		return nil, lerr
	}
	switch {
	case ex.status >= 300 && ex.status < 400:
		return nil, lc.redirect(ex.status, ex.header.Get("Location"))
	case ex.status == http.StatusUnauthorized || ex.status == http.StatusForbidden:
		e := lc.base(KindUnauthorized, ex.status)
		e.Code, e.Description = apexError(ex.body)
		if e.Code == "" {
			e.Code = plainCode(ex.body)
		}
		e.Meaning = fmt.Sprintf("Salesforce did not accept at %s the access token it had just issued.", lc.host)
		e.Remedy = "Try again; if it keeps failing, check Setup → Session Settings (sessions locked to the IP address or domain they started from)."
		return nil, e
	case ex.status != http.StatusOK:
		return nil, lc.unusable(ex.status, ex.header.Get("Content-Type"), ex.body)
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
		return nil, lc.unusable(ex.status, ex.header.Get("Content-Type"), ex.body)
	}
	return &Identity{
		UserID: body.UserID, OrgID: body.OrgID, Username: body.Username,
		DisplayName: body.DisplayName, UserType: body.UserType, Active: body.Active,
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

// ProbeResult is what the Apex endpoint answered to a GET.
type ProbeResult struct {
	Status    int
	Kind      ProbeKind
	OK        bool   // the endpoint exists and the user can reach it (405, or 200)
	ErrorCode string // Salesforce's errorCode, as received
	Message   string // Salesforce's message, as received
	Finding   string // what it means, in the admin's words
	Remedy    string // what to do, naming the Setup page; "" when nothing needs doing
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
		return ProbeResult{}, &LoginError{Op: OpProbe, Kind: KindMissingValue, Meaning: "There is no session to probe the Apex endpoint with.", Remedy: "Log in first."}
	}
	lc := loginContext{op: OpProbe, host: hostOf(endpointURL), timeout: c.timeout()}
	ex, lerr := c.get(ctx, lc, endpointURL, s.AccessToken)
	if lerr != nil {
		return ProbeResult{}, lerr
	}
	r := ProbeResult{Status: ex.status, Latency: ex.waited}
	r.ErrorCode, r.Message = apexError(ex.body)
	path := ApexPath
	if u, err := url.Parse(endpointURL); err == nil && u.Path != "" {
		path = u.Path
	}

	switch {
	case ex.status == http.StatusMethodNotAllowed:
		r.Kind, r.OK = ProbeReachable, true
		r.Finding = "The Digital River app's webhook endpoint is installed and the integration user can reach it (Salesforce refuses a GET with 405, as it does for an endpoint that takes only POST)."
	case ex.status == http.StatusOK:
		r.Kind, r.OK = ProbeGetHandled, true
		r.Finding = "The endpoint answered a GET with 200: it exists and the user can reach it, but something there handles GET, which the Digital River app's listener does not."
		r.Remedy = "Check in Setup → Installed Packages that the Digital River package (namespace " + ApexNamespace + ") is the one installed, and that the Endpoint URL ends in " + ApexPath + "."
	case ex.status == http.StatusNotFound:
		r.Kind = ProbeNotInstalled
		r.Finding = fmt.Sprintf("Salesforce has no Apex REST endpoint at %s in this org: the Digital River app (namespace %s) is not installed, or the path's namespace, case or trailing slash is wrong.", path, ApexNamespace)
		r.Remedy = "Check Setup → Installed Packages for the Digital River package with namespace prefix " + ApexNamespace + ", and use the Endpoint URL https://<My Domain>" + ApexPath + " exactly."
	case ex.status == http.StatusForbidden:
		r.Kind = ProbeNoAccess
		class := "of the Digital River app"
		if _, name, ok := strings.Cut(r.Message, "Apex class named:"); ok && strings.TrimSpace(name) != "" {
			class = strings.TrimSpace(name)
		}
		r.Finding = fmt.Sprintf("The app is installed, but the integration user may not run its Apex class %s, so Salesforce refuses Digital River's calls.", class)
		r.Remedy = "Assign the permission set \"DigitalRiver Connector - Integration\" to the integration user (Setup → Users → the user → Permission Set Assignments), or add the class in Setup → Profiles → the user's profile → Apex Class Access."
	case ex.status == http.StatusUnauthorized:
		r.Kind = ProbeUnauthorized
		r.Finding = fmt.Sprintf("Salesforce did not accept the login's access token at %s: the endpoint's host is not the org that issued the token (the login's instance URL is %s), or the session was ended.", lc.host, s.InstanceURL)
		r.Remedy = "Use the org's own My Domain in the Endpoint URL, as the instance URL shows (Setup → My Domain); if the hosts match, check Setup → Session Settings for sessions locked to an IP address."
	case ex.status >= 300 && ex.status < 400:
		e := lc.redirect(ex.status, ex.header.Get("Location"))
		r.Kind = ProbeRedirected
		r.Finding = e.Meaning
		r.Remedy = e.Remedy
	default:
		e := lc.unusable(ex.status, ex.header.Get("Content-Type"), ex.body)
		r.Kind = ProbeUnexpected
		r.Finding = e.Meaning
		r.Remedy = e.Remedy
		if r.ErrorCode != "" {
			r.Finding = fmt.Sprintf("Salesforce answered HTTP %d (%s: %s), which the probe does not expect.", ex.status, r.ErrorCode, r.Message)
			r.Remedy = "Try again later; if it persists, check trust.salesforce.com for incidents and Setup → Installed Packages for the Digital River package."
		}
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
		e.Meaning = text.Capitalize(err.Error()) + "."
		e.Remedy = "Nothing was sent. Use the org's My Domain, as shown in " + setupMyDomain + "."
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
