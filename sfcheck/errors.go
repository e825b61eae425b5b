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

// Setup pages named in remedies.
const (
	setupApp          = "Setup → App Manager → Salesforce DigitalRiver Integration"
	setupConsumer     = setupApp + " → View → Manage Consumer Details"
	setupPolicies     = setupApp + " → Manage → Edit Policies"
	setupUnPwFlow     = "Setup → OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows"
	setupMyDomain     = "Setup → My Domain"
	setupClientCreds  = "In " + setupApp + " → Edit, tick Enable Client Credentials Flow; then in " + setupPolicies + " → Client Credentials Flow, set Run As to the integration user (an active user)."
	noRetryNote       = " drsetup did not retry: repeated failed logins lock the user out."
	connectedAppDelay = " A connected app created or changed in the last few minutes may not be active yet; wait ten minutes and try again."
)

// LoginError is a failed request to Salesforce: a login, the identity
// lookup or the Apex probe. It carries Salesforce's own error, what it means
// for the admin, the remedy and the input most likely wrong.
type LoginError struct {
	Op          string // OpLogin, OpIdentity or OpProbe
	Status      int    // HTTP status; 0 when no answer came
	Code        string // Salesforce's "error", as received
	Description string // Salesforce's "error_description", as received
	Kind        ErrorKind
	Host        string      // the host asked (or refused)
	Meaning     string      // what it means for the admin
	Remedy      string      // what to do, naming the Salesforce Setup page
	Field       field.Field // the input most likely wrong, for the wizard's jump-back
	Retryable   bool        // whether trying again can help; never for invalid_grant
	Err         error       // underlying error (*httpx.NetError, *TokenEndpointError, …)
}

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
	b.WriteString(": ")
	b.WriteString(e.Meaning)
	if e.Remedy != "" {
		b.WriteString(" ")
		b.WriteString(e.Remedy)
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
}

func (lc loginContext) base(kind ErrorKind, status int) *LoginError {
	return &LoginError{Op: lc.op, Kind: kind, Status: status, Host: lc.host}
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
		e.Meaning = fmt.Sprintf("The answer from %s was larger than %d KiB, far more than Salesforce sends: something other than Salesforce answered.", lc.host, maxBody>>10)
		e.Remedy = "Check the address (the org's address is in " + setupMyDomain + ") and any proxy between this computer and Salesforce."
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

// network explains a request that got no answer.
func (lc loginContext) network(ctx context.Context, err error) *LoginError {
	ne := httpx.ClassifyNetError(ctx, lc.host, err)
	e := lc.base(KindNetwork, 0)
	e.Err = ne
	e.Retryable = ne.Temporary()
	switch ne.Kind {
	case httpx.NetCancelled:
		e.Kind = KindCancelled
		e.Meaning = fmt.Sprintf("It was cancelled before %s answered.", lc.host)
	case httpx.NetTimeout:
		e.Kind = KindTimeout
		e.Meaning = fmt.Sprintf("%s did not answer in time (drsetup waits up to %s). Check your network connection; behind a corporate proxy, set HTTPS_PROXY.", lc.host, lc.timeout)
	default:
		e.Meaning = text.Capitalize(ne.Error()) + "."
	}
	// Only a login that may have reached Salesforce can show in its Login
	// History: not one whose host was not found, refused, or not trusted.
	sent := ne.Kind != httpx.NetDNS && ne.Kind != httpx.NetRefused && ne.Kind != httpx.NetTLS && ne.Kind != httpx.NetProxy
	if lc.op == OpLogin && lc.cr.Flow == FlowPassword && e.Kind != KindCancelled && sent {
		e.Remedy = fmt.Sprintf("The login was sent once and not repeated; if it reached Salesforce, it is listed in Setup → Users → %s → Login History.", lc.user())
	}
	return e
}

func (lc loginContext) redirect(status int, location string) *LoginError {
	e := lc.base(KindRedirect, status)
	e.Field = field.TokenEndpoint
	to := "another address"
	if u, err := url.Parse(location); err == nil && u.Host != "" {
		to = u.Hostname()
	}
	e.Meaning = fmt.Sprintf("%s redirected the request to %s. drsetup does not send credentials on to an address nobody checked, and Digital River will not follow a redirect either.", lc.host, to)
	e.Remedy = "Use a token endpoint that answers directly: " + ProductionTokenURL + ", " + SandboxTokenURL + ", or the org's My Domain (shown in " + setupMyDomain + ") followed by " + tokenPath + "."
	if lc.op == OpProbe {
		e.Field = field.MyDomain
		e.Remedy = "Use the My Domain shown in " + setupMyDomain + " in the Endpoint URL."
	}
	return e
}

// unusable explains an answer that is not Salesforce's JSON.
func (lc loginContext) unusable(status int, contentType string, body []byte) *LoginError {
	e := lc.base(KindNotJSON, status)
	e.Retryable = status >= 500
	network := fmt.Sprintf("If you are behind a corporate proxy or firewall, ask for %s to be allowed, or set HTTPS_PROXY and NO_PROXY; check that the org's address matches %s.", lc.host, setupMyDomain)
	switch {
	case httpx.LooksLikeHTML(contentType, body):
		e.Kind = KindProxyHTML
		page := "an HTML page"
		if t := httpx.HTMLTitle(body); t != "" {
			page = fmt.Sprintf("an HTML page titled %q", t)
		}
		e.Meaning = fmt.Sprintf("%s came back (HTTP %d) instead of Salesforce's answer: a proxy, firewall or captive portal answered, or the address is not a Salesforce API address.", text.Capitalize(page), status)
		e.Remedy = network
	case len(bytes.TrimSpace(body)) == 0:
		e.Kind = KindEmptyBody
		e.Meaning = fmt.Sprintf("%s answered HTTP %d with an empty body, which Salesforce never sends.", lc.host, status)
		e.Remedy = network
	case status >= 200 && status < 300 && looksLikeJSON(body) && lc.op == OpLogin:
		return lc.badResponse("it has no access_token")
	default:
		e.Meaning = fmt.Sprintf("The answer from %s (HTTP %d) is not the JSON Salesforce sends.", lc.host, status)
		e.Remedy = network
	}
	return e
}

func (lc loginContext) badResponse(what string) *LoginError {
	e := lc.base(KindBadResponse, 200)
	e.Field = field.TokenEndpoint
	e.Meaning = fmt.Sprintf("%s accepted the login, but its answer cannot be used: %s.", lc.host, what)
	e.Remedy = "Check that the token endpoint is Salesforce's: " + ProductionTokenURL + ", " + SandboxTokenURL + ", or the org's My Domain (" + setupMyDomain + ") followed by " + tokenPath + "."
	return e
}

// salesforce explains a JSON error from the token endpoint.
func (lc loginContext) salesforce(status int, code, desc string) *LoginError {
	e := lc.base(KindOther, status)
	e.Code, e.Description = code, desc
	d := strings.ToLower(strings.TrimSpace(desc))
	cc := lc.cr.Flow == FlowClientCredentials
	who := fmt.Sprintf("the user %s", lc.user())
	if cc {
		who = "the connected app's Run As user"
	}

	switch strings.ToLower(code) {
	case "invalid_client_id":
		e.Kind, e.Field = KindBadClientID, field.ClientID
		e.Meaning = "Salesforce does not know this Client ID (consumer key): it is mistyped, or it belongs to a connected app in another org (a sandbox copied before the app was created does not have it)."
		e.Remedy = "Copy the Consumer Key again from " + setupConsumer + ", in the org you are logging in to." + connectedAppDelay
		return e
	case "invalid_client":
		e.Kind, e.Field = KindBadClientSecret, field.ClientSecret
		e.Meaning = "Salesforce knows the Client ID but not this Client Secret (consumer secret): it is mistyped, or the secret was rotated."
		e.Remedy = "Copy the Consumer Secret again from " + setupConsumer + "."
		return e
	case "inactive_user":
		lc.inactiveUser(e, who)
		return e
	case "invalid_app_access":
		lc.notApproved(e, who)
		return e
	case "unauthorized_client":
		// Sources disagree on what the code alone means (a client refused,
		// a grant the app may not use): Salesforce's own words decide.
		lc.unauthorizedClient(e, d, cc)
		return e
	case "inactive_org":
		e.Kind = KindInactiveOrg
		e.Meaning = "The org is locked, closed or suspended, so nobody can log in to it."
		e.Remedy = "Check the org's status in Setup → Company Information and with your Salesforce account team; if you meant another org, check the My Domain (" + setupMyDomain + ")."
		return e
	case "rate_limit_exceeded":
		lc.loginRate(e, who)
		e.Retryable = true
		return e
	case "invalid_request":
		e.Kind, e.Field = KindInvalidRequest, field.TokenEndpoint
		e.Meaning = "Salesforce refused the request itself (it must be an HTTPS POST). drsetup sends exactly that, so a proxy or a wrong token endpoint changed it."
		e.Remedy = "Check the token endpoint (" + ProductionTokenURL + ", " + SandboxTokenURL + ", or the org's My Domain from " + setupMyDomain + " followed by " + tokenPath + ") and any proxy that rewrites requests."
		return e
	case "invalid_scope":
		e.Kind = KindInvalidScope
		e.Meaning = "The connected app does not allow the access the login asked for."
		e.Remedy = "In " + setupApp + " → Edit → Selected OAuth Scopes, add \"Manage user data via APIs (api)\"." + connectedAppDelay
		return e
	case "unsupported_grant_type":
		e.Kind = KindUnsupportedGrant
		if cc {
			e.Field = field.Auth
			e.Meaning = "The token endpoint does not accept the client credentials grant."
			e.Remedy = setupClientCreds + " The grant is served only by the org's own My Domain token endpoint."
		} else {
			e.Field = field.TokenEndpoint
			e.Meaning = "The token endpoint did not recognise the username-password grant: the address is not a Salesforce token endpoint, or something between this computer and Salesforce changed the request."
			e.Remedy = "Check the token endpoint (" + ProductionTokenURL + ", " + SandboxTokenURL + ", or the org's My Domain from " + setupMyDomain + " followed by " + tokenPath + ")."
		}
		return e
	case "unknown_error":
		e.Kind = KindUnknownError
		e.Retryable = true
		e.Meaning = "Salesforce had a passing problem and asks for the request to be tried again."
		e.Remedy = fmt.Sprintf("Try again in a few minutes. If it keeps failing, check trust.salesforce.com for incidents, and Setup → Users → %s → Login History.", lc.user())
		return e
	case "invalid_grant":
	default:
		e.Meaning = fmt.Sprintf("Salesforce refused the login with an error drsetup does not know: %q.", desc)
		e.Remedy = fmt.Sprintf("Read the reason in Setup → Users → %s → Login History.", lc.user())
		return e
	}

	// invalid_grant: never retried, whatever the description.
	switch {
	case strings.Contains(d, "request not supported on this domain"):
		e.Kind, e.Field = KindWrongDomain, field.TokenEndpoint
		e.Meaning = fmt.Sprintf("%s does not serve this grant: the client credentials flow is served only by the org's own My Domain token endpoint.", lc.host)
		e.Remedy = "Use the org's My Domain token endpoint, https://<My Domain>" + tokenPath + " (the My Domain is shown in " + setupMyDomain + ")."
		if d, err := ParseMyDomain(lc.cr.MyDomain); err == nil {
			e.Remedy = fmt.Sprintf("Use %s as the token endpoint (the My Domain is shown in %s).", d.TokenEndpoint(), setupMyDomain)
		}
	case strings.Contains(d, "security token required"):
		e.Kind, e.Field = KindTokenRequired, field.SecurityToken
		e.Meaning = fmt.Sprintf("Salesforce says %s's security token is required: the login comes from outside the org's trusted IP ranges, so the password must be followed by the user's current security token, and none or an old one was sent. Digital River logs in from its own servers, outside those ranges unless an admin added them.", lc.user())
		e.Remedy = "Reset the security token (the user's Settings → Reset My Security Token emails a new one) and give it with the password; or add Digital River's addresses to Setup → Network Access."
	case strings.Contains(d, "no client credentials user"):
		e.Kind, e.Field = KindNoRunAs, field.Auth
		e.Meaning = "The connected app allows the client credentials flow but names no Run As user, so Salesforce has nobody to log in as."
		e.Remedy = setupClientCreds + connectedAppDelay
	case strings.Contains(d, "no valid scopes"):
		e.Kind, e.Field = KindInvalidScope, field.Auth
		e.Meaning = "Salesforce found no OAuth scope on the connected app that this login may use (a check Salesforce added in Winter '26)."
		e.Remedy = "In " + setupApp + " → Edit → Selected OAuth Scopes, add \"Manage user data via APIs (api)\"." + connectedAppDelay
	case strings.Contains(d, "ip restricted") || strings.Contains(d, "invalid login hours"):
		e.Kind = KindIPRestricted
		e.Meaning = fmt.Sprintf("Salesforce refused %s because of the IP address the login came from or the time of day: the user's profile sets Login IP Ranges or Login Hours. Digital River logs in from its own servers, not from this computer.", who)
		e.Remedy = "In Setup → Profiles → the integration user's profile, check Login IP Ranges and Login Hours; or set " + setupPolicies + " → IP Relaxation to \"Relax IP restrictions\"."
	case strings.Contains(d, "hasn't approved") || strings.Contains(d, "has not approved") || strings.Contains(d, "not approved"):
		lc.notApproved(e, who)
	case strings.Contains(d, "login rate exceeded"):
		lc.loginRate(e, who)
	case strings.Contains(d, "inactive user") || strings.Contains(d, "user is inactive"):
		lc.inactiveUser(e, who)
	case cc:
		e.Kind, e.Field = KindNoRunAs, field.Auth
		e.Meaning = "Salesforce refused the client credentials grant: the connected app does not have the flow enabled, or has no active Run As user."
		e.Remedy = setupClientCreds + connectedAppDelay
	default:
		lc.authFailure(e, d)
	}
	if cc && e.Kind != KindNoRunAs && e.Kind != KindWrongDomain {
		e.Remedy += " Also check that Enable Client Credentials Flow is ticked and that Run As names an active user (" + setupPolicies + ")."
	}
	e.Remedy += noRetryNote
	return e
}

// authFailure explains Salesforce's catch-all answer for the password flow.
func (lc loginContext) authFailure(e *LoginError, d string) {
	e.Kind, e.Field = KindAuthFailure, field.Password
	causes := "Salesforce gives this one answer for many causes: a wrong password; a missing or old security token (a new one is emailed whenever the password changes or the token is reset; none is needed from a trusted IP range); a wrong username; a sandbox user sent to login.salesforce.com; a user locked out after failed logins or with an expired password; the username-password flow blocked in the org (the default for orgs created in Summer '23 or later); or an External Client App, which does not support this flow."
	if d != "" && d != "authentication failure" {
		causes = fmt.Sprintf("Salesforce said %q. ", e.Description) + causes
	}
	var first string
	if md, err := ParseMyDomain(lc.cr.MyDomain); err == nil {
		switch {
		case lc.kind == TokenLogin && md.Sandbox:
			e.Field = field.TokenEndpoint
			first = fmt.Sprintf("Most likely: %s is a sandbox, but the login went to login.salesforce.com, which knows only production users; use %s or %s. ", md.Host, SandboxTokenURL, md.TokenEndpoint())
		case lc.kind == TokenTest && !md.Sandbox:
			e.Field = field.TokenEndpoint
			first = fmt.Sprintf("Most likely: %s is a production org, but the login went to test.salesforce.com, which knows only sandbox users; use %s or %s. ", md.Host, ProductionTokenURL, md.TokenEndpoint())
		}
	}
	if first == "" && !strings.Contains(lc.cr.Username, "@") {
		e.Field = field.Username
		first = "Most likely: the username is not a Salesforce username, which looks like an email address (sandbox usernames add .<sandbox name>). "
	}
	e.Meaning = first + causes
	e.Remedy = fmt.Sprintf("Read the real reason in Setup → Users → %s → Login History. If it says the flow is blocked, turn on %s, or switch to client credentials. Otherwise re-enter the password and security token (the user's Settings → Reset My Security Token sends a new one).", lc.user(), setupUnPwFlow)
}

func (lc loginContext) notApproved(e *LoginError, who string) {
	e.Kind = KindNotApproved
	e.Meaning = fmt.Sprintf("The connected app admits only pre-authorized users, and %s is not one: neither the user's profile nor a permission set of the user is assigned to the app.", who)
	e.Remedy = "In " + setupApp + " → Manage, use Manage Profiles or Manage Permission Sets to add the integration user's profile or permission set; or set " + setupPolicies + " → Permitted Users to \"All users may self-authorize\"."
}

// unauthorizedClient explains unauthorized_client by Salesforce's
// description d (lower case): a client whose secret or key is refused, a
// user not admitted, or an app that may not use the grant.
func (lc loginContext) unauthorizedClient(e *LoginError, d string, cc bool) {
	said := fmt.Sprintf("Salesforce refused the connected app as a client and said %q. ", e.Description)
	if e.Description == "" {
		said = "Salesforce refused the connected app as a client, without saying why. "
	}
	switch {
	case strings.Contains(d, "secret") || (strings.Contains(d, "client credentials") && strings.Contains(d, "invalid")):
		e.Kind, e.Field = KindBadClientSecret, field.ClientSecret
		e.Meaning = said + "The Client Secret (consumer secret) does not match the Client ID: it is mistyped, or the secret was rotated."
		e.Remedy = "Copy the Consumer Secret again from " + setupConsumer + "."
	case strings.Contains(d, "client identifier") || strings.Contains(d, "unknown client") || strings.Contains(d, "not found"):
		e.Kind, e.Field = KindBadClientID, field.ClientID
		e.Meaning = said + "Salesforce does not know this Client ID (consumer key) here: it is mistyped, or the connected app is another org's."
		e.Remedy = "Copy the Consumer Key again from " + setupConsumer + ", in the org you are logging in to." + connectedAppDelay
	case strings.Contains(d, "approved"):
		lc.notApproved(e, "the user")
		e.Meaning = said + e.Meaning
	default:
		e.Kind, e.Field = KindAppNotAllowed, field.Auth
		flow := "username-password"
		fix := "In " + setupUnPwFlow + ", allow the flow (orgs created since Summer '23 block it), or switch to client credentials; and check " + setupPolicies + " (Permitted Users, IP Relaxation)."
		if cc {
			flow, fix = "client credentials", setupClientCreds
		}
		e.Meaning = said + fmt.Sprintf("The connected app is most likely not allowed the %s flow that Digital River uses; what this code means differs between Salesforce's answers, so its words above say more.", flow)
		e.Remedy = fix + fmt.Sprintf(" Setup → Users → %s → Login History may give the reason.", lc.user()) + connectedAppDelay
	}
}

func (lc loginContext) loginRate(e *LoginError, who string) {
	e.Kind = KindLoginRate
	e.Meaning = fmt.Sprintf("%s logged in more than 3,600 times in the last hour, Salesforce's limit per user.", text.Capitalize(who))
	e.Remedy = "Wait up to an hour before trying again. If something logs in as this user in a loop, find it in Setup → Users → Login History."
}

func (lc loginContext) inactiveUser(e *LoginError, who string) {
	e.Kind = KindInactiveUser
	e.Field = field.Username
	if lc.cr.Flow == FlowClientCredentials {
		e.Field = field.Auth
	}
	e.Meaning = fmt.Sprintf("%s is deactivated.", text.Capitalize(who))
	e.Remedy = "Activate the user in Setup → Users → the user → Edit → Active, or choose another integration user."
}

func (lc loginContext) user() string {
	if lc.cr.Flow == FlowClientCredentials || lc.cr.Username == "" {
		return "the integration user"
	}
	return lc.cr.Username
}

// redact removes the secrets of the login from every text of e: Salesforce
// and proxies are not expected to echo them, but an error must never carry one.
func (lc loginContext) redact(e *LoginError) *LoginError {
	var r secret.Redactor
	r.Add(lc.cr.Password.Reveal()+lc.cr.SecurityToken.Reveal(), lc.cr.Password.Reveal(),
		lc.cr.SecurityToken.Reveal(), lc.cr.ClientSecret.Reveal())
	e.Code = r.Redact(e.Code)
	e.Description = r.Redact(e.Description)
	e.Meaning = r.Redact(e.Meaning)
	e.Remedy = r.Redact(e.Remedy)
	return e
}

func looksLikeJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}
