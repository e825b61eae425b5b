package httpx

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/buildinfo"
)

func TestReadBodyStopsAtLimit(t *testing.T) {
	b, err := ReadBody(strings.NewReader(strings.Repeat("x", 11)), 10)
	if !errors.Is(err, ErrBodyTooLarge) || len(b) != 10 {
		t.Fatalf("got %d bytes, %v; want 10 bytes and ErrBodyTooLarge", len(b), err)
	}
	b, err = ReadBody(strings.NewReader("0123456789"), 10)
	if err != nil || string(b) != "0123456789" {
		t.Fatalf("a body of exactly the limit: got %q, %v", b, err)
	}
}

func TestLooksLikeHTML(t *testing.T) {
	cases := []struct {
		ct, body string
		want     bool
	}{
		{"text/html; charset=utf-8", "", true},
		{"", "  <!DOCTYPE html><html><head><title>Blocked</title>", true},
		{"text/plain", "<HTML><BODY>Access denied</BODY></HTML>", true},
		{"application/json", `{"error":"invalid_grant"}`, false},
		{"", `[{"errorCode":"NOT_FOUND"}]`, false},
	}
	for _, c := range cases {
		if got := LooksLikeHTML(c.ct, []byte(c.body)); got != c.want {
			t.Errorf("LooksLikeHTML(%q, %q) = %v, want %v", c.ct, c.body, got, c.want)
		}
	}
}

func TestHTMLTitle(t *testing.T) {
	got := HTMLTitle([]byte("<html><head><TITLE>\n  Zscaler   Access Denied </TITLE></head>"))
	if got != "Zscaler Access Denied" {
		t.Fatalf("HTMLTitle = %q", got)
	}
	if HTMLTitle([]byte("<html><body>no title</body>")) != "" {
		t.Fatal("a page without a title should give an empty title")
	}
	// A title is the page author's text: it is shown without what could
	// clear the screen or set the window title, and with entities decoded.
	got = HTMLTitle([]byte("<title>AT&amp;T \x1b[2J\x1b]0;owned\x07Proxy\u009b31m &#8211; blocked</title>"))
	if got != "AT&T Proxy – blocked" {
		t.Fatalf("HTMLTitle = %q", got)
	}
}

func TestCheckCredentialURL(t *testing.T) {
	sf := func(h string) bool { return strings.HasSuffix(h, ".salesforce.com") }
	cases := []struct {
		raw      string
		allowAny bool
		ok       bool
		reason   string
	}{
		{"https://login.salesforce.com/services/oauth2/token", false, true, ""},
		{"https://LOGIN.salesforce.com./services/oauth2/token", false, true, ""},
		{"https://evil.example.com/token", false, false, "--allow-any-host"},
		{"https://evil.example.com/token", true, true, ""},
		{"http://login.salesforce.com/services/oauth2/token", false, false, "plain http://"},
		{"http://login.salesforce.com/services/oauth2/token", true, false, "plain http://"},
		{"http://127.0.0.1:8080/token", false, false, "plain http://"},
		{"http://127.0.0.1:8080/token", true, true, ""},
		{"http://[::1]:8080/token", true, true, ""},
		{"http://localhost:8080/token", true, true, ""},
		{"ftp://login.salesforce.com", false, false, "not a web address"},
		{"https://login.salesforce.com:443/services/oauth2/token", false, true, ""},
		{"https://login.salesforce.com:444/services/oauth2/token", false, false, "port 444"},
		{"https://acme.my.salesforce.com:8443/services/oauth2/token", false, false, "port 8443"},
		{"https://login.salesforce.com:444/services/oauth2/token", true, true, ""},
		{"login.salesforce.com", false, false, "not a web address"},
	}
	for _, c := range cases {
		u, err := CheckCredentialURL(c.raw, sf, c.allowAny)
		if c.ok {
			if err != nil || u == nil {
				t.Errorf("CheckCredentialURL(%q, any=%v) = %v, want accepted", c.raw, c.allowAny, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("CheckCredentialURL(%q, any=%v) = %v, want an error mentioning %q", c.raw, c.allowAny, err, c.reason)
		}
	}
}

func TestCheckCredentialURLNeverEchoesUserinfo(t *testing.T) {
	_, err := CheckCredentialURL("https://admin:hunter2@evil.example.com/x", func(string) bool { return false }, false)
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error %v must refuse the host without repeating the password", err)
	}
	_, err = CheckCredentialURL("ftp://admin:hunter2@x", func(string) bool { return false }, false)
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error %v must not repeat the password", err)
	}
}

func TestCheckCredentialURLNeverEchoesQueryOrFragment(t *testing.T) {
	for _, raw := range []string{
		"http://api.digitalriver.com/?key=sk_test_hunter2",
		"http://api.digitalriver.com/#access_token=hunter2",
		"https://evil.example.com/token?client_secret=hunter2",
	} {
		_, err := CheckCredentialURL(raw, func(string) bool { return false }, false)
		var he *HostError
		if !errors.As(err, &he) {
			t.Fatalf("CheckCredentialURL(%q) = %v, want a *HostError", raw, err)
		}
		if strings.Contains(he.Error(), "hunter2") || strings.Contains(he.URL, "hunter2") {
			t.Errorf("CheckCredentialURL(%q): error %q (URL %q) repeats the secret", raw, he, he.URL)
		}
	}
}

func TestRedact(t *testing.T) {
	cases := map[string]string{
		"https://acme.my.salesforce.com/services/oauth2/token": "https://acme.my.salesforce.com/services/oauth2/token",
		"https://admin:hunter2@acme.example.com/x":             "https://acme.example.com/x",
		"https://acme.example.com/x?password=hunter2":          "https://acme.example.com/x",
		"acme.example.com/x?password=hunter2":                  "acme.example.com/x",
		"%zz?password=hunter2":                                 "%zz…",
		// An address that does not parse still loses its userinfo.
		"https://erp:hunter2@erp.example/x\x1b[2J": "https://erp.example/x\x1b[2J…",
		"https://erp:hunter2@erp.example/%zz":      "https://erp.example/%zz…",
	}
	for in, want := range cases {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAttemptRoundTrip(t *testing.T) {
	ctx := context.Background()
	if Attempt(ctx) != 0 {
		t.Fatal("a context without an attempt is attempt 0")
	}
	if Attempt(WithAttempt(ctx, 3)) != 3 {
		t.Fatal("WithAttempt(3) should read back as 3")
	}
}

func TestClassifyNetError(t *testing.T) {
	// A listener that accepts and never answers: the request times out.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	// A port with nothing listening: connection refused.
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	refusedAddr := closed.Addr().String()
	closed.Close()
	// A server that hangs up mid-answer.
	reset := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, _ := w.(http.Hijacker)
		c, _, _ := hj.Hijack()
		c.Close()
	}))
	defer reset.Close()
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	defer tlsSrv.Close()

	client := NewClient(nil)
	do := func(ctx context.Context, url string) *NetError {
		req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("GET %s succeeded; want a failure", url)
		}
		return ClassifyNetError(ctx, req.URL.Hostname(), err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if e := do(ctx, "http://"+silent.Addr().String()); e.Kind != NetTimeout || !strings.Contains(e.Error(), "No answer came from") {
		t.Errorf("silent server: kind %v, %q", e.Kind, e)
	}
	cctx, ccancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); ccancel() }()
	if e := do(cctx, "http://"+silent.Addr().String()); e.Kind != NetCancelled || !strings.Contains(e.Error(), "cancelled") {
		t.Errorf("cancelled request: kind %v, %q", e.Kind, e)
	}
	if e := do(context.Background(), "http://"+refusedAddr); e.Kind != NetRefused {
		t.Errorf("closed port: kind %v, %q", e.Kind, e)
	}
	if e := do(context.Background(), reset.URL); e.Kind != NetReset || !e.Temporary() {
		t.Errorf("hung-up server: kind %v, %q", e.Kind, e)
	}
	if e := do(context.Background(), tlsSrv.URL); e.Kind != NetTLS || !strings.Contains(e.Error(), "SSL_CERT_FILE") {
		t.Errorf("untrusted certificate: kind %v, %q", e.Kind, e)
	}
	if e := do(context.Background(), "https://no-such-host.invalid/"); e.Kind != NetDNS {
		t.Errorf("unknown host: kind %v, %q", e.Kind, e)
	}
}

func TestProxyFailuresAreToldAsSuch(t *testing.T) {
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	refusedAddr := closed.Addr().String()
	closed.Close()
	// A proxy that blocks the host, as corporate proxies answer CONNECT.
	blocking := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "blocked by policy", http.StatusForbidden)
	}))
	defer blocking.Close()

	for name, proxy := range map[string]string{
		"nothing listens at the proxy": "http://" + refusedAddr,
		"the proxy refuses CONNECT":    blocking.URL,
	} {
		t.Run(name, func(t *testing.T) {
			tr := NewTransport()
			pu, _ := url.Parse(proxy)
			tr.Proxy = http.ProxyURL(pu)
			req, _ := http.NewRequest("GET", "https://api.digitalriver.com/webhooks", nil)
			resp, err := NewClient(tr).Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatal("the request went through the proxy")
			}
			e := ClassifyNetError(context.Background(), "api.digitalriver.com", err)
			if e.Kind != NetProxy || e.Temporary() || !strings.Contains(e.Error(), "proxy refused the connection to api.digitalriver.com") {
				t.Errorf("kind %v, temporary %v, %q; want a proxy refusal that is not retried", e.Kind, e.Temporary(), e)
			}
		})
	}
}

func TestClientDoesNotFollowRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			t.Error("the client followed a redirect")
		}
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	resp, err := NewClient(nil).Post(srv.URL, "application/x-www-form-urlencoded", strings.NewReader("password=x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("status %d, want the 307 itself", resp.StatusCode)
	}
}

func TestTransportKeepsProxyFromEnvironment(t *testing.T) {
	// http.ProxyFromEnvironment reads the variables once per process, so the
	// test pins the function itself rather than a variable set late.
	tr := NewTransport()
	if tr.Proxy == nil || reflect.ValueOf(tr.Proxy).Pointer() != reflect.ValueOf(http.ProxyFromEnvironment).Pointer() {
		t.Fatal("the transport must use http.ProxyFromEnvironment so HTTPS_PROXY and NO_PROXY work")
	}
}

func TestClientNamesDrsetupAndItsVersionAsUserAgent(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("User-Agent"))
	}))
	defer srv.Close()
	c := NewClient(srv.Client().Transport)
	for _, ua := range []string{"", "custom/1"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if ua != "" {
			req.Header.Set("User-Agent", ua)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := buildinfo.Get().UserAgent()
	if len(got) != 2 || got[0] != want || got[1] != "custom/1" {
		t.Fatalf("User-Agent headers %q, want [%q custom/1]", got, want)
	}
	if !strings.HasPrefix(want, "drsetup/") || !strings.Contains(want, runtime.GOOS) {
		t.Fatalf("user agent %q does not name drsetup and the OS", want)
	}
}

// A page may hold anything before its title, invalid UTF-8 included: the
// title is found without a panic (lowering such bytes changes their length).
func TestHTMLTitleOfAPageWithInvalidUTF8(t *testing.T) {
	body := []byte("0\xe9\xdc\xcd\xe3000\xfb000000<TITLE>Zscaler \xff Gate</title>")
	if got := HTMLTitle(body); got != "Zscaler \ufffd Gate" {
		t.Errorf("HTMLTitle = %q", got)
	}
}

func TestHostOfAnAddress(t *testing.T) {
	for in, want := range map[string]string{
		"https://Acme.My.Salesforce.com/services/apexrest/x": "acme.my.salesforce.com",
		"acme.my.salesforce.com":                             "acme.my.salesforce.com",
		" https://u:pw@acme.my.salesforce.com.:443/ ":        "acme.my.salesforce.com",
		"acme--uat.sandbox.my.salesforce.com/path":           "acme--uat.sandbox.my.salesforce.com",
		"":            "",
		"https://%zz": "",
	} {
		if got := Host(in); got != want {
			t.Errorf("Host(%q) = %q, want %q", in, got, want)
		}
	}
}
