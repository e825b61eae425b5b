package explain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/sfcheck"
)

const (
	testOrgID  = "00Dx0000001T0zk"
	testUserID = "005x0000001Sv1m"

	// Unique values, so a test can tell a leaked secret from anything else.
	testPassword     = `Pw&%+#= ü;x-unique-7f3a`
	testToken        = "TokUnique9c1e"
	testClientSecret = "CsUnique4b2d8e"
	testAccessToken  = testOrgID + "!AR8AQAtUnique.accessToken0"
)

// fakeSalesforce starts a TLS server that plays Salesforce and returns a
// sfcheck.Client whose every connection, whatever the host, goes to it. Requests keep
// their real Salesforce host names, so the host rule works as in production.
// The counter counts the requests the server received.
func fakeSalesforce(t *testing.T, h http.HandlerFunc) (*sfcheck.Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}
	tr.TLSClientConfig.ServerName = "example.com" // in httptest's certificate
	return &sfcheck.Client{HTTP: httpx.NewClient(tr)}, &n
}

// writeJSON answers as Salesforce does: JSON with its charset.
func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func sfError(code, desc string) string {
	return fmt.Sprintf(`{"error":%q,"error_description":%q}`, code, desc)
}
func passwordCreds(endpoint string) sfcheck.Credentials {
	return sfcheck.Credentials{
		TokenEndpoint: endpoint,
		Flow:          sfcheck.FlowPassword,
		ClientID:      "3MVG9unique.consumer.key",
		ClientSecret:  testClientSecret,
		Username:      "integration@acme.com",
		Password:      testPassword,
		SecurityToken: testToken,
	}
}
func ccCreds(endpoint string) sfcheck.Credentials {
	return sfcheck.Credentials{
		TokenEndpoint: endpoint,
		Flow:          sfcheck.FlowClientCredentials,
		ClientID:      "3MVG9unique.consumer.key",
		ClientSecret:  testClientSecret,
	}
}

// silent plays a server that never answers. It reads the body first: only
// then does net/http notice the client hanging up. When the client gives up
// it aborts rather than returns: returning would send an empty 200, which can
// reach the client before its own timeout or cancel does.
func silent(r *http.Request, release <-chan struct{}) {
	io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
		panic(http.ErrAbortHandler)
	case <-release:
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// loginErrorCases are the token endpoint's error answers from the facts, each
// with how drsetup must explain it.
var loginErrorCases = []struct {
	name      string
	cr        sfcheck.Credentials
	status    int
	body      string
	kind      sfcheck.ErrorKind
	field     field.Field
	retryable bool
	mention   []string // each must appear in Meaning or Remedy
}{
	{name: "client id", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_client_id", "client identifier invalid"),
		kind: sfcheck.KindBadClientID, field: field.ClientID, mention: []string{"Manage Consumer Details"}},
	{name: "client secret", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_client", "invalid client credentials"),
		kind: sfcheck.KindBadClientSecret, field: field.ClientSecret, mention: []string{"Manage Consumer Details"}},
	{name: "authentication failure", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_grant", "authentication failure"),
		kind: sfcheck.KindAuthFailure, field: field.Password, mention: []string{"Login History", "Allow OAuth Username-Password Flows", "security token", "sandbox user", "External Client App"}},
	{name: "sandbox user at login.salesforce.com", cr: func() sfcheck.Credentials {
		cr := passwordCreds(sfcheck.ProductionTokenURL)
		cr.MyDomain = "acme--qa.sandbox.my.salesforce.com"
		return cr
	}(), status: 400, body: sfError("invalid_grant", "authentication failure"),
		kind: sfcheck.KindAuthFailure, field: field.TokenEndpoint, mention: []string{"is a sandbox", sfcheck.SandboxTokenURL, "Login History"}},
	{name: "production user at test.salesforce.com", cr: func() sfcheck.Credentials {
		cr := passwordCreds(sfcheck.SandboxTokenURL)
		cr.MyDomain = "https://acme.my.salesforce.com"
		return cr
	}(), status: 400, body: sfError("invalid_grant", "authentication failure"),
		kind: sfcheck.KindAuthFailure, field: field.TokenEndpoint, mention: []string{"production org", sfcheck.ProductionTokenURL}},
	{name: "username not an email", cr: func() sfcheck.Credentials {
		cr := passwordCreds(sfcheck.ProductionTokenURL)
		cr.Username = "integration"
		return cr
	}(), status: 400, body: sfError("invalid_grant", "authentication failure"),
		kind: sfcheck.KindAuthFailure, field: field.Username, mention: []string{"email address"}},
	{name: "IP restricted", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_grant", "IP restricted or invalid login hours"),
		kind: sfcheck.KindIPRestricted, field: field.None, mention: []string{"Login IP Ranges", "Relax IP restrictions"}},
	{name: "ip restricted, lower case", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_grant", "ip restricted or invalid login hours"),
		kind: sfcheck.KindIPRestricted, field: field.None, mention: []string{"Login Hours"}},
	{name: "not approved", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_grant", "user hasn't approved this consumer"),
		kind: sfcheck.KindNotApproved, field: field.None, mention: []string{"Manage Profiles", "Permitted Users"}},
	{name: "login rate", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_grant", "login rate exceeded"),
		kind: sfcheck.KindLoginRate, field: field.None, mention: []string{"3,600", "hour"}},
	{name: "inactive user (invalid_grant)", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_grant", "inactive user"),
		kind: sfcheck.KindInactiveUser, field: field.Username, mention: []string{"Setup → Users"}},
	{name: "inactive user", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("inactive_user", "User is inactive"),
		kind: sfcheck.KindInactiveUser, field: field.Username, mention: []string{"Active"}},
	{name: "inactive org", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("inactive_org", "Org is locked, closed, or suspended"),
		kind: sfcheck.KindInactiveOrg, field: field.None, mention: []string{"Company Information"}},
	{name: "rate limit", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("rate_limit_exceeded", "Number of logins exceeded"),
		kind: sfcheck.KindLoginRate, field: field.None, retryable: true, mention: []string{"hour"}},
	{name: "https required", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_request", "HTTPS required"),
		kind: sfcheck.KindInvalidRequest, field: field.TokenEndpoint, mention: []string{"proxy"}},
	{name: "must use post", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_request", "must use HTTP POST"),
		kind: sfcheck.KindInvalidRequest, field: field.TokenEndpoint},
	{name: "invalid scope", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: `{"error":"invalid_scope"}`,
		kind: sfcheck.KindInvalidScope, field: field.None, mention: []string{"Selected OAuth Scopes"}},
	{name: "unsupported grant", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("unsupported_grant_type", "grant type not supported"),
		kind: sfcheck.KindUnsupportedGrant, field: field.TokenEndpoint},
	{name: "unknown error", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("unknown_error", "retry your request"),
		kind: sfcheck.KindUnknownError, field: field.None, retryable: true, mention: []string{"Try again"}},
	{name: "unknown code", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("brand_new_error", "something new"),
		kind: sfcheck.KindOther, field: field.None, mention: []string{"something new", "Login History"}},
	{name: "client credentials at login.salesforce.com", cr: func() sfcheck.Credentials {
		cr := ccCreds(sfcheck.ProductionTokenURL)
		cr.MyDomain = "acme.my.salesforce.com"
		return cr
	}(), status: 400, body: sfError("invalid_grant", "request not supported on this domain"),
		kind: sfcheck.KindWrongDomain, field: field.TokenEndpoint, mention: []string{"https://acme.my.salesforce.com/services/oauth2/token"}},
	{name: "client credentials without run as", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("invalid_grant", "no client credentials user enabled"),
		kind: sfcheck.KindNoRunAs, field: field.Auth, mention: []string{"Enable Client Credentials Flow", "Run As"}},
	{name: "client credentials authentication failure", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("invalid_grant", "authentication failure"),
		kind: sfcheck.KindNoRunAs, field: field.Auth, mention: []string{"Enable Client Credentials Flow", "Run As"}},
	{name: "client credentials IP restricted", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("invalid_grant", "IP restricted or invalid login hours"),
		kind: sfcheck.KindIPRestricted, field: field.None, mention: []string{"Run As"}},
	// A bare authentication failure of a password sent without a token
	// points at the token, the likeliest cause.
	{name: "authentication failure without a security token", cr: func() sfcheck.Credentials {
		cr := passwordCreds(sfcheck.ProductionTokenURL)
		cr.SecurityToken = ""
		return cr
	}(), status: 400, body: sfError("invalid_grant", "authentication failure"),
		kind: sfcheck.KindAuthFailure, field: field.SecurityToken, mention: []string{"No security token was sent", "trusted IP ranges", "Login History"}},
	// The token answers of facts/diagnosis.md §5, told apart by their
	// error_description.
	{name: "security token required", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_grant", "authentication failure - Failed: API security token required"),
		kind: sfcheck.KindTokenRequired, field: field.SecurityToken, mention: []string{"security token is required", "Reset My Security Token", "Network Access"}},
	{name: "client credentials, no Run As user named", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("invalid_grant", "no client credentials user enabled"),
		kind: sfcheck.KindNoRunAs, field: field.Auth, mention: []string{"names no Run As user", "Run As"}},
	{name: "client credentials, no usable scope", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("invalid_grant", "no valid scopes defined"),
		kind: sfcheck.KindInvalidScope, field: field.Auth, mention: []string{"no OAuth scope", "Selected OAuth Scopes", "(api)"}},
	{name: "app access not admin approved", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("invalid_app_access", "user is not admin approved to access this app"),
		kind: sfcheck.KindNotApproved, field: field.None, mention: []string{"pre-authorized", "Manage Profiles"}},
	{name: "unauthorized client: the secret", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("unauthorized_client", "Invalid client or Invalid client credentials"),
		kind: sfcheck.KindBadClientSecret, field: field.ClientSecret, mention: []string{`said "Invalid client or Invalid client credentials"`, "Consumer Secret"}},
	{name: "unauthorized client: an unknown client", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("unauthorized_client", "unknown client"),
		kind: sfcheck.KindBadClientID, field: field.ClientID, mention: []string{`said "unknown client"`, "Consumer Key"}},
	{name: "unauthorized client: not approved", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("unauthorized_client", "user is not admin approved to access this app"),
		kind: sfcheck.KindNotApproved, field: field.None, mention: []string{"admin approved", "Permitted Users"}},
	{name: "unauthorized client: the password flow not allowed", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: sfError("unauthorized_client", "The grant type password is unauthorized for this client."),
		kind: sfcheck.KindAppNotAllowed, field: field.Auth, mention: []string{"unauthorized for this client", "username-password", "Allow OAuth Username-Password Flows"}},
	{name: "unauthorized client: client credentials not allowed", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("unauthorized_client", "client credentials flow is not enabled"),
		kind: sfcheck.KindAppNotAllowed, field: field.Auth, mention: []string{"not enabled", "Enable Client Credentials Flow"}},
	{name: "unauthorized client, without a description", cr: passwordCreds(sfcheck.ProductionTokenURL), status: 400, body: `{"error":"unauthorized_client"}`,
		kind: sfcheck.KindAppNotAllowed, field: field.Auth, mention: []string{"without saying why", "Login History"}},
	{name: "client credentials unsupported grant", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("unsupported_grant_type", "grant type not supported"),
		kind: sfcheck.KindUnsupportedGrant, field: field.Auth, mention: []string{"Enable Client Credentials Flow"}},
}

func TestLoginErrorsAreExplainedAndSentOnce(t *testing.T) {
	for _, tc := range loginErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			c, n := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tc.status, tc.body)
			})
			s, err := c.Login(context.Background(), tc.cr)
			if n.Load() != 1 {
				t.Errorf("server got %d requests, want exactly 1", n.Load())
			}
			var le *sfcheck.LoginError
			if !errors.As(err, &le) {
				t.Fatalf("Login = %v, %v; want a *sfcheck.LoginError", s, err)
			}
			if le.Kind != tc.kind || le.Field != tc.field || le.Retryable != tc.retryable || le.Status != tc.status {
				t.Errorf("kind %s field %q retryable %v status %d; want %s %q %v %d", le.Kind, le.Field, le.Retryable, le.Status, tc.kind, tc.field, tc.retryable, tc.status)
			}
			if le.Code == "" || !strings.Contains(tc.body, le.Code) || !strings.Contains(tc.body, le.Description) {
				t.Errorf("code %q, description %q: not Salesforce's as received in %s", le.Code, le.Description, tc.body)
			}
			if le.Code == "invalid_grant" && le.Retryable {
				t.Error("invalid_grant marked retryable")
			}
			if !strings.Contains(Of(le).Remedy, "Setup →") {
				t.Errorf("remedy %q names no Setup page", Of(le).Remedy)
			}
			text := Of(le).Meaning + " " + Of(le).Remedy
			for _, m := range tc.mention {
				if !strings.Contains(text, m) {
					t.Errorf("explanation does not mention %q:\n%s", m, text)
				}
			}
			if msg := Of(le).Text(); !strings.Contains(msg, le.Code) || !strings.Contains(msg, Of(le).Meaning) {
				t.Errorf("Text() = %q lacks the code or the meaning", msg)
			}
		})
	}
}

func TestLoginUnusableAnswers(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	cases := []struct {
		name      string
		handler   http.HandlerFunc
		kind      sfcheck.ErrorKind
		status    int
		retryable bool
		mention   string
	}{
		{name: "proxy HTML page", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(403)
			io.WriteString(w, "<html><head><title>Access Denied - Zscaler</title></head><body>Blocked</body></html>")
		}, kind: sfcheck.KindProxyHTML, status: 403, mention: "Access Denied - Zscaler"},
		{name: "captive portal with 200", handler: func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "<!DOCTYPE html><html><title>Hotel Wi-Fi</title></html>")
		}, kind: sfcheck.KindProxyHTML, status: 200, mention: "Hotel Wi-Fi"},
		{name: "bad gateway text", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(502)
			io.WriteString(w, "Bad Gateway")
		}, kind: sfcheck.KindNotJSON, status: 502, retryable: true, mention: "not the JSON"},
		{name: "empty error", handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
		}, kind: sfcheck.KindEmptyBody, status: 400, mention: "empty body"},
		{name: "empty success", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
		}, kind: sfcheck.KindEmptyBody, status: 200, mention: "empty body"},
		{name: "huge success", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"access_token":"`+big+`"}`)
		}, kind: sfcheck.KindTooLarge, status: 200, mention: "larger than"},
		{name: "huge error", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, big)
		}, kind: sfcheck.KindTooLarge, status: 400, mention: "larger than"},
		{name: "redirect", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example.com/services/oauth2/token", http.StatusFound)
		}, kind: sfcheck.KindRedirect, status: 302, mention: "elsewhere.example.com"},
		{name: "no access token", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"instance_url":"https://acme.my.salesforce.com"}`)
		}, kind: sfcheck.KindBadResponse, status: 200, mention: "access_token"},
		{name: "no instance url", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"access_token":"x","id":"https://login.salesforce.com/id/`+testOrgID+`/`+testUserID+`"}`)
		}, kind: sfcheck.KindBadResponse, status: 200, mention: "instance_url"},
		{name: "identity URL without IDs", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"access_token":"x","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/abc/def"}`)
		}, kind: sfcheck.KindBadResponse, status: 200, mention: "org ID"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, n := fakeSalesforce(t, tc.handler)
			_, err := c.Login(context.Background(), passwordCreds(sfcheck.ProductionTokenURL))
			var le *sfcheck.LoginError
			if !errors.As(err, &le) {
				t.Fatalf("Login error = %v, want a *sfcheck.LoginError", err)
			}
			if n.Load() != 1 {
				t.Errorf("server got %d requests, want 1", n.Load())
			}
			if le.Kind != tc.kind || le.Status != tc.status || le.Retryable != tc.retryable {
				t.Errorf("kind %s status %d retryable %v; want %s %d %v", le.Kind, le.Status, le.Retryable, tc.kind, tc.status, tc.retryable)
			}
			if !strings.Contains(Of(le).Text(), tc.mention) {
				t.Errorf("error %q does not mention %q", Of(le).Text(), tc.mention)
			}
			if !strings.Contains(Of(le).Remedy, "Setup →") {
				t.Errorf("remedy %q names no Setup page", Of(le).Remedy)
			}
		})
	}
}

func TestLoginSilentServerTimesOut(t *testing.T) {
	release, arrived := make(chan struct{}), make(chan struct{})
	var logins atomic.Int32
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/services/oauth2/token" {
			return // the warm-up below
		}
		if logins.Add(1) == 1 {
			close(arrived)
		}
		silent(r, release)
	})
	t.Cleanup(func() { close(release) }) // runs before the server's Close
	// Open the connection first, so the login's short timeout is spent
	// waiting for the answer and not on a TLS handshake slowed by -race.
	resp, err := c.HTTP.Get("https://login.salesforce.com/warm-up")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	c.Timeout = 200 * time.Millisecond
	_, err = c.Login(context.Background(), passwordCreds(sfcheck.ProductionTokenURL))
	var le *sfcheck.LoginError
	if !errors.As(err, &le) || le.Kind != sfcheck.KindTimeout {
		t.Fatalf("Login = %v, want a timeout sfcheck.LoginError", err)
	}
	var ne *httpx.NetError
	if !errors.As(err, &ne) || ne.Kind != httpx.NetTimeout {
		t.Errorf("error does not wrap a NetTimeout: %v", err)
	}
	msg := Of(le).Text()
	for _, want := range []string{"login.salesforce.com did not answer in time", "not repeated"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "context deadline exceeded") {
		t.Errorf("error %q is a raw Go error", msg)
	}
	// The server may see the request only after the client gave up on it.
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the login never reached the server")
	}
	if logins.Load() != 1 {
		t.Errorf("server got %d login requests, want 1", logins.Load())
	}
}

func TestLoginCancelled(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		silent(r, release)
	})
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	_, err := c.Login(ctx, passwordCreds(sfcheck.ProductionTokenURL))
	var le *sfcheck.LoginError
	if !errors.As(err, &le) || le.Kind != sfcheck.KindCancelled || le.Retryable {
		t.Fatalf("Login = %v, want a cancelled sfcheck.LoginError", err)
	}
	if !strings.Contains(Of(le).Text(), "cancelled") || strings.Contains(Of(le).Text(), "context canceled") {
		t.Errorf("error %q does not say it plainly", Of(le).Text())
	}
}

func TestLoginRefusesUntrustedHostsWithoutSending(t *testing.T) {
	sent := false
	c := &sfcheck.Client{HTTP: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent = true
		return nil, errors.New("must not be called")
	})}}
	for _, endpoint := range []string{
		"https://evil.example.com/services/oauth2/token",
		"http://acme.my.salesforce.com/services/oauth2/token",
		"https://acme.lightning.force.com/services/oauth2/token",
		"http://127.0.0.1:8080/services/oauth2/token",
	} {
		_, err := c.Login(context.Background(), passwordCreds(endpoint))
		var le *sfcheck.LoginError
		if !errors.As(err, &le) || le.Kind != sfcheck.KindHostRefused || le.Field != field.TokenEndpoint {
			t.Errorf("Login(%s) = %v, want host_refused", endpoint, err)
			continue
		}
		if !strings.Contains(Of(le).Text(), "Nothing was sent") {
			t.Errorf("error %q does not say nothing was sent", Of(le).Text())
		}
	}
	if sent {
		t.Error("a request was sent to a refused host")
	}
}

func TestLoginErrorsHoldNoSecrets(t *testing.T) {
	secrets := []string{testPassword, testToken, testClientSecret, testPassword + testToken, testAccessToken}
	check := func(t *testing.T, what string, texts ...string) {
		t.Helper()
		for _, text := range texts {
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("%s leaks a secret: %q", what, text)
				}
			}
		}
	}
	handlers := map[string]http.HandlerFunc{
		"echoing server": func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			writeJSON(w, 400, sfError("invalid_grant", "authentication failure for password "+r.PostForm.Get("password")+" secret "+r.PostForm.Get("client_secret")))
		},
		"echoing proxy": func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(403)
			io.WriteString(w, "<html><title>Denied "+r.PostForm.Get("password")+"</title></html>")
		},
	}
	for _, tc := range loginErrorCases {
		handlers[tc.name] = func(w http.ResponseWriter, r *http.Request) { writeJSON(w, tc.status, tc.body) }
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			c, _ := fakeSalesforce(t, h)
			cr := passwordCreds(sfcheck.ProductionTokenURL)
			_, err := c.Login(context.Background(), cr)
			if err == nil {
				t.Fatal("want an error")
			}
			var le *sfcheck.LoginError
			errors.As(err, &le)
			check(t, "error", err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", *le), fmt.Sprintf("%#v", *le), Of(err).Text(), fmt.Sprintf("%+v", Of(err)))
			check(t, "credentials", fmt.Sprintf("%v", cr), fmt.Sprintf("%+v", cr), fmt.Sprintf("%#v", cr))
		})
	}
}

// A login whose host was not found never reached Salesforce, so the remedy
// must not send the admin to Login History for it.
func TestLoginToAnUnknownHostDoesNotPointAtLoginHistory(t *testing.T) {
	c := &sfcheck.Client{AllowAnyHost: true}
	_, err := c.Login(context.Background(), sfcheck.Credentials{
		TokenEndpoint: "https://no-such-host.invalid/services/oauth2/token",
		Flow:          sfcheck.FlowPassword, ClientID: "cid", ClientSecret: "cs", Username: "u@acme.com", Password: "pw",
	})
	var le *sfcheck.LoginError
	if !errors.As(err, &le) || le.Kind != sfcheck.KindNetwork {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(Of(le).Meaning, "could not be found") || strings.Contains(Of(le).Remedy, "Login History") {
		t.Fatalf("meaning %q, remedy %q", Of(le).Meaning, Of(le).Remedy)
	}
}

// A proxy that refuses the CONNECT sent nothing on to Salesforce either.
func TestLoginThroughARefusingProxyDoesNotPointAtLoginHistory(t *testing.T) {
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "blocked by policy", http.StatusForbidden)
	}))
	defer proxy.Close()
	tr := httpx.NewTransport()
	pu, _ := url.Parse(proxy.URL)
	tr.Proxy = http.ProxyURL(pu)
	c := &sfcheck.Client{HTTP: httpx.NewClient(tr)}
	_, err := c.Login(context.Background(), passwordCreds(sfcheck.ProductionTokenURL))
	var le *sfcheck.LoginError
	if !errors.As(err, &le) || le.Kind != sfcheck.KindNetwork {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(Of(le).Meaning, "proxy refused") || strings.Contains(Of(le).Remedy, "Login History") {
		t.Fatalf("meaning %q, remedy %q", Of(le).Meaning, Of(le).Remedy)
	}
}

func testSession() *sfcheck.Session {
	return &sfcheck.Session{
		AccessToken: testAccessToken,
		InstanceURL: "https://acme.my.salesforce.com",
		IdentityURL: "https://login.salesforce.com/id/" + testOrgID + "/" + testUserID,
		OrgID:       testOrgID,
		UserID:      testUserID,
		TokenType:   "Bearer",
	}
}

const endpointURL = "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"

func TestProbeApexAnswers(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		ctype   string
		body    string
		kind    sfcheck.ProbeKind
		ok      bool
		code    string
		mention string // in Finding or Remedy
	}{
		{name: "installed", status: 405, body: `[{"errorCode":"METHOD_NOT_ALLOWED","message":"HTTP Method 'GET' not allowed. Allowed are POST"}]`,
			kind: sfcheck.ProbeReachable, ok: true, code: "METHOD_NOT_ALLOWED", mention: "installed"},
		{name: "not installed", status: 404, body: `[{"errorCode":"NOT_FOUND","message":"Could not find a match for URL /digitalriverv3/webhooks/"}]`,
			kind: sfcheck.ProbeNotInstalled, code: "NOT_FOUND", mention: "Setup → Installed Packages"},
		{name: "no class access", status: 403, body: `[{"errorCode":"FORBIDDEN","message":"You do not have access to the Apex class named: DRB2B_WebhookListener"}]`,
			kind: sfcheck.ProbeNoAccess, code: "FORBIDDEN", mention: "DRB2B_WebhookListener"},
		{name: "session invalid", status: 401, body: `[{"message":"sfcheck.Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`,
			kind: sfcheck.ProbeUnauthorized, code: "INVALID_SESSION_ID", mention: "Setup → My Domain"},
		{name: "get handled", status: 200, body: `{"ok":true}`,
			kind: sfcheck.ProbeGetHandled, ok: true, mention: "Setup → Installed Packages"},
		{name: "proxy page", status: 503, ctype: "text/html", body: `<html><title>Service Unavailable</title></html>`,
			kind: sfcheck.ProbeUnexpected, mention: "Service Unavailable"},
		{name: "salesforce error", status: 500, body: `[{"errorCode":"APEX_ERROR","message":"System.LimitException"}]`,
			kind: sfcheck.ProbeUnexpected, code: "APEX_ERROR", mention: "APEX_ERROR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, n := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet {
					t.Errorf("probe sent %s; only GET is side-effect free", r.Method)
				}
				if got := r.Header.Get("Authorization"); got != "Bearer "+testAccessToken {
					t.Errorf("Authorization = %q", got)
				}
				if r.Host+r.URL.Path != "acme.my.salesforce.com"+sfcheck.ApexPath {
					t.Errorf("probed %s%s", r.Host, r.URL.Path)
				}
				ct := tc.ctype
				if ct == "" {
					ct = "application/json;charset=UTF-8"
				}
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			r, err := c.ProbeApex(context.Background(), testSession(), endpointURL)
			if err != nil {
				t.Fatalf("ProbeApex: %v", err)
			}
			if n.Load() != 1 {
				t.Errorf("server got %d requests, want 1", n.Load())
			}
			if r.Status != tc.status || r.Kind != tc.kind || r.OK != tc.ok || r.ErrorCode != tc.code {
				t.Errorf("result %+v; want status %d kind %s ok %v code %q", r, tc.status, tc.kind, tc.ok, tc.code)
			}
			finding, remedy := Probe(r)
			if finding == "" {
				t.Error("no finding")
			}
			if !r.OK && !strings.Contains(remedy, "Setup →") {
				t.Errorf("remedy %q names no Setup page", remedy)
			}
			if !strings.Contains(finding+" "+remedy, tc.mention) {
				t.Errorf("finding and remedy do not mention %q: %s / %s", tc.mention, finding, remedy)
			}
			if strings.Contains(finding+remedy+r.Message, testAccessToken) {
				t.Error("the access token leaked into the result")
			}
		})
	}
}

func TestProbeApexRedirect(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://acme--qa.sandbox.my.salesforce.com"+sfcheck.ApexPath, http.StatusMovedPermanently)
	})
	r, err := c.ProbeApex(context.Background(), testSession(), "https://acme--qa.my.salesforce.com"+sfcheck.ApexPath)
	if err != nil {
		t.Fatal(err)
	}
	if finding, _ := Probe(r); r.Kind != sfcheck.ProbeRedirected || r.OK || !strings.Contains(finding, "acme--qa.sandbox.my.salesforce.com") {
		t.Errorf("result %+v, want a redirect naming the new host", r)
	}
}

func TestIdentity(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testAccessToken || r.Host != "login.salesforce.com" {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(401)
			io.WriteString(w, "Bad_OAuth_Token")
			return
		}
		writeJSON(w, 200, `{"id":"https://login.salesforce.com/id/`+testOrgID+`/`+testUserID+`","asserted_user":true,"user_id":"`+testUserID+`","organization_id":"`+testOrgID+`","username":"integration@acme.com","nick_name":"integration","display_name":"Integration User","email":"it@acme.com","active":true,"user_type":"STANDARD","language":"en_US","locale":"en_US","utcOffset":0}`)
	})
	id, err := c.Identity(context.Background(), testSession())
	if err != nil {
		t.Fatal(err)
	}
	want := sfcheck.Identity{UserID: testUserID, OrgID: testOrgID, Username: "integration@acme.com", DisplayName: "Integration User", UserType: "STANDARD", Active: true}
	if *id != want {
		t.Errorf("sfcheck.Identity = %+v, want %+v", *id, want)
	}

	s := testSession()
	s.AccessToken = "expired"
	_, err = c.Identity(context.Background(), s)
	var le *sfcheck.LoginError
	if !errors.As(err, &le) || le.Kind != sfcheck.KindUnauthorized || le.Status != 401 || le.Code != "Bad_OAuth_Token" || le.Op != sfcheck.OpIdentity {
		t.Errorf("sfcheck.Identity with a bad token = %v, want unauthorized", err)
	}
	if le != nil && !strings.Contains(Of(le).Remedy, "Setup →") {
		t.Errorf("remedy %q names no Setup page", Of(le).Remedy)
	}
}
