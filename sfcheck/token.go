package sfcheck

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
)

// Environment is the kind of org: it picks the shared token endpoint.
type Environment string

const (
	Production Environment = "production"
	Sandbox    Environment = "sandbox"
)

const (
	ProductionTokenURL = "https://login.salesforce.com/services/oauth2/token"
	SandboxTokenURL    = "https://test.salesforce.com/services/oauth2/token"
)

// ParseEnvironment reads an environment as given on the command line or in a
// profile.
func ParseEnvironment(s string) (Environment, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "production", "prod":
		return Production, nil
	case "sandbox", "test":
		return Sandbox, nil
	}
	return "", fmt.Errorf("%q is not an environment: use production or sandbox", s)
}

// TokenEndpointFor returns the shared token endpoint of env, or "" for an
// unknown environment.
func TokenEndpointFor(env Environment) string {
	switch env {
	case Production:
		return ProductionTokenURL
	case Sandbox:
		return SandboxTokenURL
	}
	return ""
}

// TokenEndpointKind says whose token endpoint a URL is.
type TokenEndpointKind string

const (
	TokenLogin    TokenEndpointKind = "login"     // login.salesforce.com: production orgs
	TokenTest     TokenEndpointKind = "test"      // test.salesforce.com: sandboxes
	TokenMyDomain TokenEndpointKind = "my_domain" // one org's own endpoint
	TokenOther    TokenEndpointKind = "other"     // another host, allowed by --allow-any-host
)

// TokenEndpointError says why a token endpoint cannot be used.
type TokenEndpointError struct {
	Input     string // what was given, less any user name, password or query
	Reason    string // in the admin's words
	Corrected string // the token endpoint to use instead, or ""
	Err       error  // *httpx.HostError or *DomainError, when one gave the reason
}

func (e *TokenEndpointError) Error() string {
	if e.Corrected != "" {
		return e.Reason + " Use " + e.Corrected + "."
	}
	return e.Reason
}

func (e *TokenEndpointError) Unwrap() error { return e.Err }

// CheckTokenEndpoint normalises a token endpoint and applies the host rule:
// https:// is added when missing and /services/oauth2/token when only a host is
// given; plain http:// and hosts that are not Salesforce's are refused unless
// allowAnyHost. Hosts that belong to an org but serve no token endpoint
// (Lightning, Setup, sites) are refused even then, with the corrected endpoint.
// Errors are *TokenEndpointError.
func CheckTokenEndpoint(raw string, allowAnyHost bool) (string, TokenEndpointKind, error) {
	s := cleanInput(raw)
	if s == "" {
		return "", "", &TokenEndpointError{Input: httpx.Redact(raw), Reason: "The token endpoint is empty; choose Production, Sandbox or the org's My Domain."}
	}
	if strings.HasPrefix(s, "//") {
		s = "https:" + s
	} else if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	// A query could hold a credential: refuse it before any message repeats it.
	if u, err := url.Parse(s); err == nil && (u.RawQuery != "" || u.Fragment != "") {
		return "", "", &TokenEndpointError{Input: httpx.Redact(raw), Reason: fmt.Sprintf("The token endpoint %s carries a query string; Salesforce's token endpoint has none.", httpx.Redact(s))}
	}
	u, err := httpx.CheckCredentialURL(s, IsSalesforceHost, allowAnyHost)
	if err != nil {
		return "", "", tokenHostError(raw, s, err)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	switch strings.TrimRight(u.Path, "/") {
	case "", tokenPath:
	default:
		return "", "", &TokenEndpointError{
			Input:     httpx.Redact(raw),
			Reason:    fmt.Sprintf("The token endpoint's path %s is not Salesforce's token endpoint, %s.", u.Path, tokenPath),
			Corrected: "https://" + hostPort(host, u.Port()) + tokenPath,
		}
	}
	endpoint := u.Scheme + "://" + hostPort(host, u.Port()) + tokenPath
	switch {
	case host == "login.salesforce.com":
		return endpoint, TokenLogin, nil
	case host == "test.salesforce.com":
		return endpoint, TokenTest, nil
	case IsSalesforceHost(host):
		return endpoint, TokenMyDomain, nil
	}
	// Only allowAnyHost gets here. A host of a known org that is not its My
	// Domain never serves a token, whatever the flag says.
	if _, derr := classifyHost(host); derr != nil && derr.Kind != DomainNotSalesforce && derr.Kind != DomainMalformed {
		return "", "", domainTokenError(raw, derr)
	}
	return endpoint, TokenOther, nil
}

func hostPort(host, port string) string {
	if port == "" || port == "443" {
		return host
	}
	return host + ":" + port
}

// tokenHostError turns the host rule's refusal into the admin's terms, with a
// corrected endpoint when the host belongs to an org.
func tokenHostError(raw, s string, err error) error {
	var he *httpx.HostError
	if !errors.As(err, &he) {
		return &TokenEndpointError{Input: httpx.Redact(raw), Reason: err.Error(), Err: err}
	}
	u, perr := url.Parse(s)
	if perr != nil || u.Hostname() == "" {
		return &TokenEndpointError{Input: httpx.Redact(raw), Reason: fmt.Sprintf("%q is not a web address; a token endpoint looks like %s.", httpx.Redact(s), ProductionTokenURL), Err: err}
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if he.Port != "" {
		return &TokenEndpointError{
			Input:     httpx.Redact(raw),
			Reason:    fmt.Sprintf("The token endpoint names port %s; Salesforce serves its token endpoint only on the standard HTTPS port, so drsetup will not send credentials there.", he.Port),
			Corrected: "https://" + host + tokenPath,
			Err:       err,
		}
	}
	// Before the host is judged: http://login.salesforce.com is the right
	// host with the wrong scheme (and http://acme.lightning.force.com two
	// mistakes, told by the host's).
	if strings.EqualFold(u.Scheme, "http") && httpsWorks(host) {
		return &TokenEndpointError{
			Input:     httpx.Redact(raw),
			Reason:    fmt.Sprintf("http://%s uses plain http://, which would send credentials unencrypted.", host),
			Corrected: "https://" + host + tokenPath,
			Err:       err,
		}
	}
	if _, derr := classifyHost(host); derr != nil && derr.Kind != DomainNotSalesforce && derr.Kind != DomainMalformed {
		return domainTokenError(raw, derr)
	}
	return &TokenEndpointError{Input: httpx.Redact(raw), Reason: strings.TrimSuffix(he.Reason, ".") + ".", Err: err}
}

// httpsWorks reports whether https://host is a token endpoint's host.
func httpsWorks(host string) bool {
	_, _, err := CheckTokenEndpoint("https://"+host+tokenPath, false)
	return err == nil
}

func domainTokenError(raw string, derr *DomainError) error {
	corrected := ""
	if derr.Corrected != "" {
		corrected = derr.Corrected + tokenPath
	}
	reason := fmt.Sprintf("%s serves no token endpoint: the token endpoint is %s, %s, or the org's My Domain followed by %s.", derr.Host, ProductionTokenURL, SandboxTokenURL, tokenPath)
	return &TokenEndpointError{Input: httpx.Redact(raw), Reason: reason, Corrected: corrected, Err: derr}
}

// Finding is a cross-check's verdict on values that are each valid alone.
type Finding struct {
	Field     field.Field // the value to change
	Message   string      // what is wrong, in the admin's words
	Remedy    string
	Blocking  bool   // the login cannot succeed as set up
	Suggested string // the value to use for Field, when one is known
}

// Flow is the OAuth grant Digital River uses to log in to Salesforce.
type Flow string

const (
	FlowPassword          Flow = "password"
	FlowClientCredentials Flow = "client-credentials"
)

// ParseFlow reads an authentication flow as given on the command line.
func ParseFlow(s string) (Flow, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "password", "username-password":
		return FlowPassword, nil
	case "client-credentials", "client_credentials":
		return FlowClientCredentials, nil
	}
	return "", fmt.Errorf("%q is not an authentication method: use password or client-credentials", s)
}

// App is the kind of Salesforce app that holds the consumer key. Since
// Spring '26 new orgs get External Client Apps: new Connected Apps need a
// Support request. External Client Apps do not offer the username-password
// flow.
type App string

const (
	AppConnected App = "connected-app"       // what step 10 of the guide creates
	AppExternal  App = "external-client-app" // client credentials only
)

// ParseApp reads an app kind as given on the command line or in a profile.
func ParseApp(s string) (App, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "connected-app", "connected", "connectedapp":
		return AppConnected, nil
	case "external-client-app", "external", "externalclientapp", "eca":
		return AppExternal, nil
	}
	return "", fmt.Errorf("%q is not a kind of Salesforce app: use connected-app or external-client-app", s)
}

// WhereConsumerKey is the Setup page that shows app's consumer key and
// secret.
func (a App) WhereConsumerKey() string {
	if a == AppExternal {
		return "Setup → External Client App Manager → the app → Settings → OAuth Settings → Consumer Key and Secret (Salesforce asks to verify your identity first)"
	}
	return field.WhereConsumerKey
}

// ClientCredentialsSetup says what to enable in Salesforce for the client
// credentials flow in an app of this kind.
func (a App) ClientCredentialsSetup() string {
	if a == AppExternal {
		return "In Setup → External Client App Manager → the app: under Settings → Flow Enablement, tick Enable Client Credentials Flow; under Policies, set Run As to the integration user (the app's permission set makes that user API only, as the flow requires)."
	}
	return "In Setup → App Manager → Salesforce DigitalRiver Integration → Edit, tick Enable Client Credentials Flow; then in Setup → App Manager → Salesforce DigitalRiver Integration → Manage → Edit Policies → Client Credentials Flow, set Run As to the integration user (an active user)."
}

// Name is the app kind in words.
func (a App) Name() string {
	if a == AppExternal {
		return "External Client App"
	}
	return "Connected App"
}

// CrossCheck compares the environment, the token endpoint (empty: the one env
// picks), the My Domain (zero: not known yet) and the flow, and returns what
// does not fit together. None of these is an error: each is a finding the
// caller shows, and Blocking ones will make the login fail.
func CrossCheck(env Environment, tokenEndpoint string, d MyDomain, flow Flow) []Finding {
	var out []Finding
	derived := tokenEndpoint == "" || tokenEndpoint == TokenEndpointFor(env)
	if tokenEndpoint == "" {
		tokenEndpoint = TokenEndpointFor(env)
	}
	endpoint, kind, err := CheckTokenEndpoint(tokenEndpoint, true)
	if err != nil {
		// CheckTokenEndpoint reports its own errors where the value is entered.
		return nil
	}
	host := ""
	if u, err := url.Parse(endpoint); err == nil {
		host = u.Hostname()
	}
	known := d.Host != ""

	if flow == FlowClientCredentials && (kind == TokenLogin || kind == TokenTest) {
		f := Finding{
			Field:    field.TokenEndpoint,
			Message:  fmt.Sprintf("The client credentials flow is served only by the org's own My Domain token endpoint, not by %s.", host),
			Remedy:   "Choose the My Domain token endpoint (Setup → My Domain shows the org's My Domain).",
			Blocking: true,
		}
		if known {
			f.Suggested = d.TokenEndpoint()
			f.Remedy = fmt.Sprintf("Use %s as the token endpoint.", d.TokenEndpoint())
		}
		out = append(out, f)
	}
	if !known {
		return out
	}

	switch {
	case kind == TokenLogin && d.Sandbox:
		out = append(out, environmentFinding(derived, d, Sandbox, SandboxTokenURL,
			fmt.Sprintf("%s is a sandbox, but the login goes to %s, which knows only production users.", d.Host, host)))
	case kind == TokenTest && !d.Sandbox:
		out = append(out, environmentFinding(derived, d, Production, ProductionTokenURL,
			fmt.Sprintf("%s is a production org, but the login goes to %s, which knows only sandbox users.", d.Host, host)))
	case kind == TokenMyDomain && host != d.Host:
		out = append(out, Finding{
			Field:     field.TokenEndpoint,
			Message:   fmt.Sprintf("The token endpoint belongs to %s, another org than the My Domain %s: Digital River would get a token that the org does not accept.", host, d.Host),
			Remedy:    fmt.Sprintf("Use %s as the token endpoint.", d.TokenEndpoint()),
			Blocking:  true,
			Suggested: d.TokenEndpoint(),
		})
	}
	if kind == TokenMyDomain && env != "" && (env == Sandbox) != d.Sandbox {
		want := Production
		if d.Sandbox {
			want = Sandbox
		}
		out = append(out, Finding{
			Field:     field.Environment,
			Message:   fmt.Sprintf("The environment is %s, but %s is a %s org. The login uses the My Domain token endpoint and is not affected, but the Digital River key is checked against the environment.", env, d.Host, want),
			Remedy:    fmt.Sprintf("Choose %s.", want),
			Suggested: string(want),
		})
	}
	return out
}

// environmentFinding reports a token endpoint of the wrong kind of org: on
// the environment when the environment chose it, on the token endpoint when it
// was set apart.
func environmentFinding(derived bool, d MyDomain, want Environment, wantURL, msg string) Finding {
	if derived {
		return Finding{
			Field:     field.Environment,
			Message:   msg,
			Remedy:    fmt.Sprintf("Choose %s (token endpoint %s), or the org's own token endpoint %s.", want, wantURL, d.TokenEndpoint()),
			Blocking:  true,
			Suggested: string(want),
		}
	}
	return Finding{
		Field:     field.TokenEndpoint,
		Message:   msg,
		Remedy:    fmt.Sprintf("Use %s or the org's own token endpoint %s.", wantURL, d.TokenEndpoint()),
		Blocking:  true,
		Suggested: d.TokenEndpoint(),
	}
}
