package emulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/httpx"
)

// startServer starts s and returns it with a client that, like drsetup's,
// uses the server's transport inside httpx.NewClient.
func startServer(t *testing.T, s Scenario) (*Server, *http.Client) {
	t.Helper()
	srv, err := Start(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, httpx.NewClient(srv.Transport())
}

// send makes one request with c and returns the status and body.
func send(t *testing.T, ctx context.Context, c *http.Client, method, rawURL, body string, header ...string) (*http.Response, string, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

func TestStartServesRealHostnamesOverTLS(t *testing.T) {
	srv, c := startServer(t, testScenario())
	ctx := t.Context()
	form := passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken).Encode()

	resp, body, err := send(t, ctx, c, "POST", "https://login.salesforce.com/services/oauth2/token", form, "Content-Type", "application/x-www-form-urlencoded")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %v %v %s", err, resp, body)
	}
	if resp.TLS == nil || resp.TLS.PeerCertificates[0].DNSNames[0] != loginHost {
		t.Errorf("not served over TLS with a certificate for %s", loginHost)
	}
	tok := decode[tokenResponse](t, []byte(body))
	if tok.InstanceURL != "https://acme.my.salesforce.com" {
		t.Errorf("instance_url %q", tok.InstanceURL)
	}

	resp, body, err = send(t, ctx, c, "GET", tok.InstanceURL+apexPath, "", "Authorization", "Bearer "+tok.AccessToken)
	if err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("Apex probe at %s: %v %v %s", tok.InstanceURL, err, resp, body)
	}

	resp, body, err = send(t, ctx, c, "POST", "https://api.digitalriver.com/webhooks", oauthHook(tok.InstanceURL+apexPath), "Authorization", "Bearer "+testKey, "Content-Type", "application/json")
	if err != nil || resp.StatusCode != http.StatusCreated || resp.Header.Get("x-dr-requestid") == "" {
		t.Fatalf("create: %v %v %s", err, resp, body)
	}
	if hooks := srv.Webhooks(modeTest); len(hooks) != 1 || hooks[0].Address != tok.InstanceURL+apexPath {
		t.Errorf("stored %+v", hooks)
	}
}

func TestTransportTrustsOnlyTheRunsAuthority(t *testing.T) {
	first, _ := startServer(t, testScenario())
	second, _ := startServer(t, testScenario())

	tr := first.Transport()
	if tr.Proxy != nil {
		t.Error("the demo transport has a proxy")
	}
	if tr.TLSClientConfig.RootCAs.Equal(second.Transport().TLSClientConfig.RootCAs) {
		t.Error("two runs share a certificate authority")
	}
	sys, err := x509.SystemCertPool()
	if err == nil && tr.TLSClientConfig.RootCAs.Equal(sys) {
		t.Error("the demo transport trusts the system roots")
	}

	// first's transport dialling second's server: the certificate must fail.
	cross := first.Transport()
	cross.DialContext = second.Transport().DialContext
	_, _, err = send(t, t.Context(), httpx.NewClient(cross), "GET", "https://api.digitalriver.com/webhooks", "")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("cross-run request: %v, want an unknown-authority error", err)
	}
	if got := httpx.ClassifyNetError(t.Context(), drHost, err); got.Kind != httpx.NetTLS {
		t.Errorf("classified as %v, want NetTLS", got.Kind)
	}
}

func TestCertificatesAreIssuedOncePerName(t *testing.T) {
	ca, err := newAuthority()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := ca.certificate(&tls.ClientHelloInfo{ServerName: "Acme.My.Salesforce.com"})
	b, _ := ca.certificate(&tls.ClientHelloInfo{ServerName: "acme.my.salesforce.com"})
	c, _ := ca.certificate(&tls.ClientHelloInfo{ServerName: "api.digitalriver.com"})
	if a != b || a == c {
		t.Error("certificates are not cached per lower-cased name")
	}
	leaf, _ := x509.ParseCertificate(c.Certificate[0])
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "api.digitalriver.com", Roots: ca.pool}); err != nil {
		t.Errorf("leaf does not verify against the run's CA: %v", err)
	}
	ip, _ := ca.certificate(&tls.ClientHelloInfo{})
	leaf, _ = x509.ParseCertificate(ip.Certificate[0])
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "127.0.0.1", Roots: ca.pool}); err != nil {
		t.Errorf("a client without SNI gets no loopback certificate: %v", err)
	}
}

func TestStartRefusesAnInvalidScenario(t *testing.T) {
	s := testScenario()
	s.Orgs[0].MyDomain = ""
	_, err := Start(s)
	var se *ScenarioError
	if !errors.As(err, &se) || se.Field != "orgs[0].myDomain" {
		t.Errorf("Start: %v, want a ScenarioError on orgs[0].myDomain", err)
	}
}

func TestFaultRateLimit(t *testing.T) {
	s := testScenario()
	s.Faults.RateLimit = map[string]RateLimitFault{"API.digitalriver.com": {Count: 2, RetryAfter: 3}}
	srv, c := startServer(t, s)
	for i := range 2 {
		resp, body, err := send(t, t.Context(), c, "GET", "https://api.digitalriver.com/webhooks", "", "Authorization", "Bearer "+testKey)
		if err != nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "3" {
			t.Fatalf("request %d: %v %v", i+1, err, resp)
		}
		got := decode[drErrorBody](t, []byte(body))
		if got.Type != "too_many_requests" || len(got.Errors) != 1 || resp.Header.Get("x-dr-requestid") == "" {
			t.Errorf("429 body %s", body)
		}
	}
	if resp, _, _ := send(t, t.Context(), c, "GET", "https://api.digitalriver.com/webhooks", "", "Authorization", "Bearer "+testKey); resp.StatusCode != http.StatusOK {
		t.Errorf("third request: %d, want 200", resp.StatusCode)
	}
	if got := srv.Received(); got[0].Fault != FaultRateLimit || got[0].Status != 429 || got[2].Fault != "" {
		t.Errorf("recorded %+v", got)
	}
}

func TestFaultServerErrors(t *testing.T) {
	s := testScenario()
	s.Faults.ServerErrors = map[string]StatusFault{drHost: {Count: 1, Status: 503}, loginHost: {Count: 1, Status: 500}}
	srv, c := startServer(t, s)

	resp, body, err := send(t, t.Context(), c, "GET", "https://api.digitalriver.com/webhooks", "", "Authorization", "Bearer "+testKey)
	if err != nil || resp.StatusCode != 503 {
		t.Fatalf("%v %v", err, resp)
	}
	if got := decode[drErrorBody](t, []byte(body)); got.Type != "service_unavailable" {
		t.Errorf("Digital River 503 body %s", body)
	}

	form := passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken).Encode()
	resp, body, err = send(t, t.Context(), c, "POST", "https://login.salesforce.com/services/oauth2/token", form, "Content-Type", "application/x-www-form-urlencoded")
	if err != nil || resp.StatusCode != 500 || !httpx.LooksLikeHTML(resp.Header.Get("Content-Type"), []byte(body)) {
		t.Errorf("Salesforce 500: %v %v %s, want an HTML page", err, resp, body)
	}
	resp, _, _ = send(t, t.Context(), c, "POST", "https://login.salesforce.com/services/oauth2/token", form, "Content-Type", "application/x-www-form-urlencoded")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after the fault: %d", resp.StatusCode)
	}
	if got := srv.Received(); got[0].Fault != FaultServerError || got[1].Fault != FaultServerError || got[2].Fault != "" {
		t.Errorf("recorded faults %q, %q, %q; want the two 5xx answers marked %q", got[0].Fault, got[1].Fault, got[2].Fault, FaultServerError)
	}
}

func TestFaultCountsAndWildcard(t *testing.T) {
	e := New(testScenario())
	e.SetFaults(Faults{ServerErrors: map[string]StatusFault{"*": {Count: -1, Status: 502}, drHost: {Count: 1, Status: 504}}})
	for i, want := range []int{504, 502, 502} {
		if rec := drCall(t, e, testKey, "GET", "/webhooks", ""); rec.Code != want {
			t.Errorf("request %d: %d, want %d", i+1, rec.Code, want)
		}
	}
	if rec := login(t, e, acmeHost, url.Values{}); rec.Code != 502 {
		t.Errorf("a wildcard fault skipped %s: %d", acmeHost, rec.Code)
	}
	e.SetFaults(Faults{})
	if rec := drCall(t, e, testKey, "GET", "/webhooks", ""); rec.Code != http.StatusOK {
		t.Errorf("after SetFaults(Faults{}): %d", rec.Code)
	}
}

func TestFaultDropCreateResponse(t *testing.T) {
	s := testScenario()
	s.Faults.DropCreateResponse = 1
	srv, c := startServer(t, s)
	address := "https://" + acmeHost + apexPath

	_, _, err := send(t, t.Context(), c, "POST", "https://api.digitalriver.com/webhooks", oauthHook(address), "Authorization", "Bearer "+testKey, "Content-Type", "application/json")
	if err == nil {
		t.Fatal("the dropped create answered")
	}
	if got := httpx.ClassifyNetError(t.Context(), drHost, err); got.Kind != httpx.NetReset {
		t.Errorf("classified as %v (%v), want NetReset", got.Kind, err)
	}
	stored := srv.Webhooks(modeTest)
	if len(stored) != 1 || stored[0].Address != address {
		t.Fatalf("stored %+v, want the dropped create kept", stored)
	}
	if x := srv.Received()[0]; x.Fault != FaultDropResponse || x.Status != 0 {
		t.Errorf("recorded %+v", x)
	}

	resp, body, err := send(t, t.Context(), c, "GET", "https://api.digitalriver.com/webhooks", "", "Authorization", "Bearer "+testKey)
	if err != nil || !strings.Contains(body, stored[0].ID) {
		t.Errorf("listing after the drop: %v %v %s", err, resp, body)
	}
	resp, _, err = send(t, t.Context(), c, "POST", "https://api.digitalriver.com/webhooks", oauthHook(address), "Authorization", "Bearer "+testKey, "Content-Type", "application/json")
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Errorf("second create: %v %v", err, resp)
	}
}

func TestFaultDropSkipsRefusedCreates(t *testing.T) {
	s := testScenario()
	s.Faults.DropCreateResponse = 1
	e := New(s)
	if rec := drCall(t, e, testKey, "POST", "/webhooks", `{}`); rec.Code != http.StatusBadRequest {
		t.Errorf("refused create: %d, want its 400 answered", rec.Code)
	}
	e.mu.Lock()
	left := e.faults.DropCreateResponse
	e.mu.Unlock()
	if left != 1 {
		t.Errorf("a refused create used up the fault (left %d)", left)
	}
}

// eventually returns once cond holds; the test's deadline bounds the wait.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-t.Context().Done():
			t.Fatalf("never happened: %s", what)
		case <-time.After(time.Millisecond):
		}
	}
}

// waitForRequest returns once srv has received n requests.
func waitForRequest(t *testing.T, srv *Server, n int) {
	t.Helper()
	eventually(t, "the request arrived", func() bool { return len(srv.Received()) >= n })
}

// finished reports whether the handler of the i-th request has returned.
func finished(srv *Server, i int) func() bool {
	return func() bool { return srv.Received()[i].Fault != "" }
}

func TestFaultSilentHostHoldsUntilTheContextEnds(t *testing.T) {
	s := testScenario()
	s.Faults.Silent = map[string]bool{acmeHost: true}
	srv, c := startServer(t, s)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, _, err := send(t, ctx, c, "GET", "https://acme.my.salesforce.com"+apexPath, "")
		done <- err
	}()
	waitForRequest(t, srv, 1)
	select {
	case err := <-done:
		t.Fatalf("the silent host answered: %v", err)
	default:
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	eventually(t, "the handler returned", finished(srv, 0))
	if x := srv.Received()[0]; x.Fault != FaultSilent || x.Status != 0 {
		t.Errorf("recorded %+v", x)
	}
	form := passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken).Encode()
	if resp, _, err := send(t, t.Context(), c, "POST", "https://login.salesforce.com"+tokenPath, form, "Content-Type", "application/x-www-form-urlencoded"); err != nil || resp.StatusCode != 200 {
		t.Errorf("another host: %v %v", err, resp)
	}
}

func TestCloseReleasesSilentRequests(t *testing.T) {
	s := testScenario()
	s.Faults.Silent = map[string]bool{"*": true}
	srv, err := Start(s)
	if err != nil {
		t.Fatal(err)
	}
	c := httpx.NewClient(srv.Transport())
	done := make(chan error, 1)
	go func() {
		_, _, err := send(t, t.Context(), c, "GET", "https://api.digitalriver.com/webhooks", "")
		done <- err
	}()
	waitForRequest(t, srv, 1)
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := <-done; err == nil {
		t.Error("request answered after Close")
	}
}

func TestFaultLatency(t *testing.T) {
	s := testScenario()
	s.Faults.Latency = map[string]time.Duration{drHost: time.Hour, "*": time.Microsecond}
	srv, c := startServer(t, s)

	// A delay shorter than the client's patience: the answer comes.
	form := passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken).Encode()
	if resp, _, err := send(t, t.Context(), c, "POST", "https://login.salesforce.com"+tokenPath, form, "Content-Type", "application/x-www-form-urlencoded"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("delayed login: %v %v", err, resp)
	}

	// A delay longer than it: the client gives up, and nothing was answered.
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, _, err := send(t, ctx, c, "GET", "https://api.digitalriver.com/webhooks", "", "Authorization", "Bearer "+testKey)
		done <- err
	}()
	waitForRequest(t, srv, 2)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	eventually(t, "the handler returned", finished(srv, 1))
	if x := srv.Received()[1]; x.Fault != FaultLatency || x.Status != 0 {
		t.Errorf("recorded %+v", x)
	}
}
