package sfcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
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
// Client whose every connection, whatever the host, goes to it. Requests keep
// their real Salesforce host names, so the host rule works as in production.
// The counter counts the requests the server received.
func fakeSalesforce(t testing.TB, h http.HandlerFunc) (*Client, *atomic.Int32) {
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
	return &Client{HTTP: httpx.NewClient(tr)}, &n
}

// writeJSON answers as Salesforce does: JSON with its charset.
func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// tokenResponse is Salesforce's documented answer to a successful login.
func tokenResponse(instanceURL string) string {
	return fmt.Sprintf(`{"access_token":%q,"instance_url":%q,"id":"https://login.salesforce.com/id/%s/%s","token_type":"Bearer","issued_at":"1278448832702","signature":"0CmxinZir53Yex7nE0TD+zMpvIWYGb/bdJh6XfOH6EQ="}`,
		testAccessToken, instanceURL, testOrgID, testUserID)
}

func sfError(code, desc string) string {
	return fmt.Sprintf(`{"error":%q,"error_description":%q}`, code, desc)
}

func passwordCreds(endpoint string) Credentials {
	return Credentials{
		TokenEndpoint: endpoint,
		Flow:          FlowPassword,
		ClientID:      "3MVG9unique.consumer.key",
		ClientSecret:  testClientSecret,
		Username:      "integration@acme.com",
		Password:      testPassword,
		SecurityToken: testToken,
	}
}

func ccCreds(endpoint string) Credentials {
	return Credentials{
		TokenEndpoint: endpoint,
		Flow:          FlowClientCredentials,
		ClientID:      "3MVG9unique.consumer.key",
		ClientSecret:  testClientSecret,
	}
}

func TestLoginPasswordSendsOneFormEncodedRequest(t *testing.T) {
	c, n := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/services/oauth2/token" || r.Host != "acme.my.salesforce.com" {
			t.Errorf("got %s %s%s, want POST acme.my.salesforce.com/services/oauth2/token", r.Method, r.Host, r.URL.Path)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("Content-Type = %q", ct)
		}
		if a := r.Header.Get("Authorization"); a != "" {
			t.Errorf("Authorization header %q sent; credentials belong in the body", a)
		}
		if r.URL.RawQuery != "" {
			t.Errorf("query string %q sent; credentials belong in the body", r.URL.RawQuery)
		}
		if err := r.ParseForm(); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"grant_type":    "password",
			"client_id":     "3MVG9unique.consumer.key",
			"client_secret": testClientSecret,
			"username":      "integration@acme.com",
			"password":      testPassword + testToken,
		}
		for k, v := range want {
			if got := r.PostForm.Get(k); got != v {
				t.Errorf("form %s = %q, want %q", k, got, v)
			}
		}
		writeJSON(w, 200, tokenResponse("https://acme.my.salesforce.com"))
	})
	cr := passwordCreds("https://acme.my.salesforce.com/services/oauth2/token")
	cr.Username = "  integration@acme.com \n"
	cr.ClientID = " 3MVG9unique.consumer.key "
	cr.SecurityToken = " " + testToken + " "
	s, err := c.Login(context.Background(), cr)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if n.Load() != 1 {
		t.Errorf("server got %d requests, want 1", n.Load())
	}
	if s.AccessToken.Reveal() != testAccessToken || s.InstanceURL != "https://acme.my.salesforce.com" ||
		s.OrgID != testOrgID || s.UserID != testUserID || s.TokenType != "Bearer" {
		t.Errorf("session = %+v", s)
	}
	if want := time.UnixMilli(1278448832702).UTC(); !s.IssuedAt.Equal(want) {
		t.Errorf("IssuedAt = %v, want %v", s.IssuedAt, want)
	}
	if strings.Contains(fmt.Sprintf("%v %+v", s, *s), testAccessToken) {
		t.Error("printing the session shows the access token")
	}
}

func TestLoginKeepsPasswordSpaces(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if got := r.PostForm.Get("password"); got != " pass word "+testToken {
			t.Errorf("password sent as %q", got)
		}
		writeJSON(w, 200, tokenResponse("https://acme.my.salesforce.com"))
	})
	cr := passwordCreds(ProductionTokenURL)
	cr.Password = " pass word "
	if _, err := c.Login(context.Background(), cr); err != nil {
		t.Fatal(err)
	}
}

func TestLoginClientCredentials(t *testing.T) {
	c, n := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); a != "" {
			t.Errorf("Authorization header %q sent", a)
		}
		r.ParseForm()
		for k, v := range map[string]string{"grant_type": "client_credentials", "client_id": "3MVG9unique.consumer.key", "client_secret": testClientSecret} {
			if got := r.PostForm.Get(k); got != v {
				t.Errorf("form %s = %q, want %q", k, got, v)
			}
		}
		for _, k := range []string{"username", "password"} {
			if r.PostForm.Has(k) {
				t.Errorf("client credentials login sent %s", k)
			}
		}
		writeJSON(w, 200, tokenResponse("https://acme.my.salesforce.com"))
	})
	s, err := c.Login(context.Background(), ccCreds("acme.my.salesforce.com"))
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if n.Load() != 1 || s.OrgID != testOrgID || s.UserID != testUserID {
		t.Errorf("requests %d, session %+v", n.Load(), s)
	}
}

func TestLoginOverLoopbackWithAllowAnyHost(t *testing.T) {
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, tokenResponse(srvURL))
	}))
	defer srv.Close()
	srvURL = srv.URL
	c := &Client{HTTP: httpx.NewClient(nil), AllowAnyHost: true}
	s, err := c.Login(context.Background(), passwordCreds(srv.URL+"/services/oauth2/token"))
	if err != nil {
		t.Fatal(err)
	}
	if s.InstanceURL != srv.URL {
		t.Errorf("InstanceURL = %q", s.InstanceURL)
	}
}

// loginErrorCases are the token endpoint's error answers from the facts, each
// with how drsetup must explain it.
var loginErrorCases = []struct {
	name      string
	cr        Credentials
	status    int
	body      string
	kind      ErrorKind
	field     field.Field
	retryable bool
}{
	{name: "client id", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_client_id", "client identifier invalid"),
		kind: KindBadClientID, field: field.ClientID},
	{name: "client secret", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_client", "invalid client credentials"),
		kind: KindBadClientSecret, field: field.ClientSecret},
	{name: "authentication failure", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_grant", "authentication failure"),
		kind: KindAuthFailure, field: field.Password},
	{name: "sandbox user at login.salesforce.com", cr: func() Credentials {
		cr := passwordCreds(ProductionTokenURL)
		cr.MyDomain = "acme--qa.sandbox.my.salesforce.com"
		return cr
	}(), status: 400, body: sfError("invalid_grant", "authentication failure"),
		kind: KindAuthFailure, field: field.TokenEndpoint},
	{name: "production user at test.salesforce.com", cr: func() Credentials {
		cr := passwordCreds(SandboxTokenURL)
		cr.MyDomain = "https://acme.my.salesforce.com"
		return cr
	}(), status: 400, body: sfError("invalid_grant", "authentication failure"),
		kind: KindAuthFailure, field: field.TokenEndpoint},
	{name: "username not an email", cr: func() Credentials {
		cr := passwordCreds(ProductionTokenURL)
		cr.Username = "integration"
		return cr
	}(), status: 400, body: sfError("invalid_grant", "authentication failure"),
		kind: KindAuthFailure, field: field.Username},
	{name: "IP restricted", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_grant", "IP restricted or invalid login hours"),
		kind: KindIPRestricted, field: field.None},
	{name: "ip restricted, lower case", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_grant", "ip restricted or invalid login hours"),
		kind: KindIPRestricted, field: field.None},
	{name: "not approved", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_grant", "user hasn't approved this consumer"),
		kind: KindNotApproved, field: field.None},
	{name: "login rate", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_grant", "login rate exceeded"),
		kind: KindLoginRate, field: field.None},
	{name: "inactive user (invalid_grant)", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_grant", "inactive user"),
		kind: KindInactiveUser, field: field.Username},
	{name: "inactive user", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("inactive_user", "User is inactive"),
		kind: KindInactiveUser, field: field.Username},
	{name: "inactive org", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("inactive_org", "Org is locked, closed, or suspended"),
		kind: KindInactiveOrg, field: field.None},
	{name: "rate limit", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("rate_limit_exceeded", "Number of logins exceeded"),
		kind: KindLoginRate, field: field.None, retryable: true},
	{name: "https required", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_request", "HTTPS required"),
		kind: KindInvalidRequest, field: field.TokenEndpoint},
	{name: "must use post", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_request", "must use HTTP POST"),
		kind: KindInvalidRequest, field: field.TokenEndpoint},
	{name: "invalid scope", cr: passwordCreds(ProductionTokenURL), status: 400, body: `{"error":"invalid_scope"}`,
		kind: KindInvalidScope, field: field.None},
	{name: "unsupported grant", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("unsupported_grant_type", "grant type not supported"),
		kind: KindUnsupportedGrant, field: field.TokenEndpoint},
	{name: "unknown error", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("unknown_error", "retry your request"),
		kind: KindUnknownError, field: field.None, retryable: true},
	{name: "unknown code", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("brand_new_error", "something new"),
		kind: KindOther, field: field.None},
	{name: "client credentials at login.salesforce.com", cr: func() Credentials {
		cr := ccCreds(ProductionTokenURL)
		cr.MyDomain = "acme.my.salesforce.com"
		return cr
	}(), status: 400, body: sfError("invalid_grant", "request not supported on this domain"),
		kind: KindWrongDomain, field: field.TokenEndpoint},
	{name: "client credentials without run as", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("invalid_grant", "no client credentials user enabled"),
		kind: KindNoRunAs, field: field.Auth},
	{name: "client credentials authentication failure", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("invalid_grant", "authentication failure"),
		kind: KindNoRunAs, field: field.Auth},
	{name: "client credentials IP restricted", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("invalid_grant", "IP restricted or invalid login hours"),
		kind: KindIPRestricted, field: field.None},
	// The token answers of facts/diagnosis.md §5, told apart by their
	// error_description.
	{name: "security token required", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_grant", "authentication failure - Failed: API security token required"),
		kind: KindTokenRequired, field: field.SecurityToken},
	{name: "client credentials, no Run As user named", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("invalid_grant", "no client credentials user enabled"),
		kind: KindNoRunAs, field: field.Auth},
	{name: "client credentials, no usable scope", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("invalid_grant", "no valid scopes defined"),
		kind: KindInvalidScope, field: field.Auth},
	{name: "app access not admin approved", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("invalid_app_access", "user is not admin approved to access this app"),
		kind: KindNotApproved, field: field.None},
	{name: "unauthorized client: the secret", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("unauthorized_client", "Invalid client or Invalid client credentials"),
		kind: KindBadClientSecret, field: field.ClientSecret},
	{name: "unauthorized client: an unknown client", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("unauthorized_client", "unknown client"),
		kind: KindBadClientID, field: field.ClientID},
	{name: "unauthorized client: not approved", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("unauthorized_client", "user is not admin approved to access this app"),
		kind: KindNotApproved, field: field.None},
	{name: "unauthorized client: the password flow not allowed", cr: passwordCreds(ProductionTokenURL), status: 400, body: sfError("unauthorized_client", "The grant type password is unauthorized for this client."),
		kind: KindAppNotAllowed, field: field.Auth},
	{name: "unauthorized client: client credentials not allowed", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("unauthorized_client", "client credentials flow is not enabled"),
		kind: KindAppNotAllowed, field: field.Auth},
	{name: "unauthorized client, without a description", cr: passwordCreds(ProductionTokenURL), status: 400, body: `{"error":"unauthorized_client"}`,
		kind: KindAppNotAllowed, field: field.Auth},
	{name: "client credentials unsupported grant", cr: ccCreds("https://acme.my.salesforce.com/services/oauth2/token"), status: 400, body: sfError("unsupported_grant_type", "grant type not supported"),
		kind: KindUnsupportedGrant, field: field.Auth},
}

// The words for each are explain's (explain/login_test.go); here, the facts.
func TestLoginErrorsAreClassifiedAndSentOnce(t *testing.T) {
	for _, tc := range loginErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			c, n := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tc.status, tc.body)
			})
			s, err := c.Login(context.Background(), tc.cr)
			if n.Load() != 1 {
				t.Errorf("server got %d requests, want exactly 1", n.Load())
			}
			var le *LoginError
			if !errors.As(err, &le) {
				t.Fatalf("Login = %v, %v; want a *LoginError", s, err)
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
			if msg := le.Error(); !strings.Contains(msg, le.Code) || !strings.Contains(msg, le.Description) {
				t.Errorf("Error() = %q lacks Salesforce's answer", msg)
			}
		})
	}
}

func TestLoginUnusableAnswers(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	cases := []struct {
		name      string
		handler   http.HandlerFunc
		kind      ErrorKind
		status    int
		retryable bool
	}{
		{name: "proxy HTML page", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(403)
			io.WriteString(w, "<html><head><title>Access Denied - Zscaler</title></head><body>Blocked</body></html>")
		}, kind: KindProxyHTML, status: 403},
		{name: "captive portal with 200", handler: func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "<!DOCTYPE html><html><title>Hotel Wi-Fi</title></html>")
		}, kind: KindProxyHTML, status: 200},
		{name: "bad gateway text", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(502)
			io.WriteString(w, "Bad Gateway")
		}, kind: KindNotJSON, status: 502, retryable: true},
		{name: "empty error", handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
		}, kind: KindEmptyBody, status: 400},
		{name: "empty success", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
		}, kind: KindEmptyBody, status: 200},
		{name: "huge success", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"access_token":"`+big+`"}`)
		}, kind: KindTooLarge, status: 200},
		{name: "huge error", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, big)
		}, kind: KindTooLarge, status: 400},
		{name: "redirect", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example.com/services/oauth2/token", http.StatusFound)
		}, kind: KindRedirect, status: 302},
		{name: "no access token", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"instance_url":"https://acme.my.salesforce.com"}`)
		}, kind: KindBadResponse, status: 200},
		{name: "no instance url", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"access_token":"x","id":"https://login.salesforce.com/id/`+testOrgID+`/`+testUserID+`"}`)
		}, kind: KindBadResponse, status: 200},
		{name: "identity URL without IDs", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"access_token":"x","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/abc/def"}`)
		}, kind: KindBadResponse, status: 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, n := fakeSalesforce(t, tc.handler)
			_, err := c.Login(context.Background(), passwordCreds(ProductionTokenURL))
			var le *LoginError
			if !errors.As(err, &le) {
				t.Fatalf("Login error = %v, want a *LoginError", err)
			}
			if n.Load() != 1 {
				t.Errorf("server got %d requests, want 1", n.Load())
			}
			if le.Kind != tc.kind || le.Status != tc.status || le.Retryable != tc.retryable {
				t.Errorf("kind %s status %d retryable %v; want %s %d %v", le.Kind, le.Status, le.Retryable, tc.kind, tc.status, tc.retryable)
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
	_, err = c.Login(context.Background(), passwordCreds(ProductionTokenURL))
	var le *LoginError
	if !errors.As(err, &le) || le.Kind != KindTimeout {
		t.Fatalf("Login = %v, want a timeout LoginError", err)
	}
	var ne *httpx.NetError
	if !errors.As(err, &ne) || ne.Kind != httpx.NetTimeout {
		t.Errorf("error does not wrap a NetTimeout: %v", err)
	}
	if !le.Sent || le.Timeout != 200*time.Millisecond {
		t.Errorf("a login that timed out may have reached Salesforce: Sent %v, Timeout %s", le.Sent, le.Timeout)
	}
	if msg := le.Error(); strings.Contains(msg, "context deadline exceeded") {
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
	_, err := c.Login(ctx, passwordCreds(ProductionTokenURL))
	var le *LoginError
	if !errors.As(err, &le) || le.Kind != KindCancelled || le.Retryable {
		t.Fatalf("Login = %v, want a cancelled LoginError", err)
	}
	if !strings.Contains(le.Error(), "cancelled") || strings.Contains(le.Error(), "context canceled") {
		t.Errorf("error %q does not say it plainly", le.Error())
	}
}

func TestLoginRefusesUntrustedHostsWithoutSending(t *testing.T) {
	sent := false
	c := &Client{HTTP: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
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
		var le *LoginError
		if !errors.As(err, &le) || le.Kind != KindHostRefused || le.Field != field.TokenEndpoint {
			t.Errorf("Login(%s) = %v, want host_refused", endpoint, err)
			continue
		}
		if le.Detail == "" {
			t.Errorf("error %q does not say why the host was refused", le.Error())
		}
	}
	if sent {
		t.Error("a request was sent to a refused host")
	}
}

func TestLoginMissingValuesSendNothing(t *testing.T) {
	c, n := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, tokenResponse("https://acme.my.salesforce.com"))
	})
	cases := []struct {
		edit  func(*Credentials)
		field field.Field
	}{
		{func(cr *Credentials) { cr.ClientID = "  " }, field.ClientID},
		{func(cr *Credentials) { cr.Username = "" }, field.Username},
		{func(cr *Credentials) { cr.Password = "" }, field.Password},
		{func(cr *Credentials) { cr.Flow = FlowClientCredentials; cr.ClientSecret = "" }, field.ClientSecret},
		{func(cr *Credentials) { cr.Flow = "saml" }, field.Auth},
	}
	for _, tc := range cases {
		cr := passwordCreds(ProductionTokenURL)
		tc.edit(&cr)
		_, err := c.Login(context.Background(), cr)
		var le *LoginError
		if !errors.As(err, &le) || le.Kind != KindMissingValue || le.Field != tc.field {
			t.Errorf("want missing %s, got %v", tc.field, err)
		}
	}
	if n.Load() != 0 {
		t.Errorf("server got %d requests for incomplete credentials", n.Load())
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
			cr := passwordCreds(ProductionTokenURL)
			_, err := c.Login(context.Background(), cr)
			if err == nil {
				t.Fatal("want an error")
			}
			var le *LoginError
			errors.As(err, &le)
			check(t, "error", err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", *le), fmt.Sprintf("%#v", *le))
			check(t, "credentials", fmt.Sprintf("%v", cr), fmt.Sprintf("%+v", cr), fmt.Sprintf("%#v", cr))
		})
	}
}

func TestPasswordWarning(t *testing.T) {
	for p, want := range map[string]string{
		"":           "",
		"plain":      "",
		"in side":    "",
		" lead":      "starts with",
		"trail\t":    "ends with",
		" both ":     "starts and ends",
		"nbsp\u00a0": "ends with",
	} {
		got := PasswordWarning(p)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("PasswordWarning(%q) = %q, want it to say %q", p, got, want)
		}
		if p != "" && strings.Contains(got, p) {
			t.Errorf("PasswordWarning(%q) repeats the password", p)
		}
	}
}

func TestCheckInstance(t *testing.T) {
	d, _ := ParseMyDomain("acme.my.salesforce.com")
	pre, _ := ParseMyDomain("acme--qa.my.salesforce.com")
	cases := []struct {
		instance string
		d        MyDomain
		wantErr  bool
		sameOrg  bool
	}{
		{"https://acme.my.salesforce.com", d, false, false},
		{"https://ACME.my.salesforce.com/", d, false, false},
		{"https://other.my.salesforce.com", d, true, false},
		{"https://acme--qa.sandbox.my.salesforce.com", pre, true, true},
	}
	for _, tc := range cases {
		err := CheckInstance(&Session{InstanceURL: tc.instance}, tc.d)
		if (err != nil) != tc.wantErr {
			t.Errorf("CheckInstance(%s, %s) = %v", tc.instance, tc.d.Host, err)
			continue
		}
		var ie *InstanceError
		if err == nil {
			continue
		}
		if !errors.As(err, &ie) || ie.SameOrg != tc.sameOrg {
			t.Errorf("CheckInstance(%s, %s) = %#v, want SameOrg %v", tc.instance, tc.d.Host, err, tc.sameOrg)
		}
		if !strings.Contains(err.Error(), ie.InstanceHost) || !strings.Contains(err.Error(), tc.d.Host) {
			t.Errorf("error %q does not name both hosts", err)
		}
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
