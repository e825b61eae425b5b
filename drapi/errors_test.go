package drapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/httpx"
)

func TestErrorKinds(t *testing.T) {
	const zscaler = `<!DOCTYPE html><html><head><title>Zscaler Access Denied</title></head><body>Blocked</body></html>`
	get := func(c *Client) error { _, err := c.Webhooks.Get(context.Background(), "wh_1"); return err }
	list := func(c *Client) error { _, err := c.Webhooks.FindByAddress(context.Background(), endpoint); return err }
	create := func(c *Client) error { _, err := c.Webhooks.Create(context.Background(), desiredSpec()); return err }
	cases := []struct {
		name     string
		key      string // a key the fake does not know, for a real 401
		maxBody  int64
		method   string
		hooks    []hook
		call     func(*Client) error
		kind     ErrorKind
		status   int
		requests int
		says     []string // facts the error keeps: Digital River's words, where a redirect pointed, a page's title
	}{
		{name: "401 wrong or revoked key", key: "sk_test_revokedrevokedrevoked", call: list,
			kind: KindUnauthorized, status: 401, requests: 1, says: []string{"HTTP 401", "request id req_1"}},
		{name: "403 restricted key", method: "GET", hooks: []hook{errBody(403, "forbidden", "forbidden", "", "Access denied for the requested resource.")}, call: list,
			kind: KindForbidden, status: 403, requests: 1, says: []string{"Access denied for the requested resource."}},
		{name: "404 webhook", call: get,
			kind: KindNotFound, status: 404, requests: 1, says: []string{"/webhooks/wh_1", "HTTP 404"}},
		{name: "404 list: not the API", method: "GET", hooks: []hook{errBody(404, "not_found", "not_found", "", "Not found.")}, call: list,
			kind: KindNotFound, status: 404, requests: 1, says: []string{"GET /webhooks", "Not found."}},
		{name: "409 conflict", method: "POST", hooks: []hook{errBody(409, "conflict", "already_exists", "address", "A webhook with this address already exists.")}, call: create,
			kind: KindConflict, status: 409, requests: 1, says: []string{"already_exists", "A webhook with this address already exists."}},
		{name: "400 address", method: "POST", hooks: []hook{errBody(400, "bad_request", "invalid_parameter", "address", "address is not a valid URL.")}, call: create,
			kind: KindBadRequest, status: 400, requests: 1, says: []string{"invalid_parameter", "address is not a valid URL."}},
		{name: "400 client credentials", call: func(c *Client) error {
			sp := desiredSpec()
			sp.OAuth.GrantType = GrantClientCredentials
			_, err := c.Webhooks.Create(context.Background(), sp)
			return err
		}, kind: KindBadRequest, status: 400, requests: 1, says: []string{"'client_credentials' is not a valid grantType."}},
		{name: "429 throughout", method: "GET", hooks: repeat(4, status(429, "too_many_requests", "Retry-After", "1")), call: list,
			kind: KindRateLimited, status: 429, requests: 4, says: []string{"HTTP 429"}},
		{name: "500 is not retried", method: "GET", hooks: []hook{status(500, "internal_server_error")}, call: get,
			kind: KindServer, status: 500, requests: 1, says: []string{"HTTP 500", "request id req_1"}},
		{name: "503 throughout", method: "GET", hooks: repeat(4, status(503, "service_unavailable")), call: get,
			kind: KindServer, status: 503, requests: 4, says: []string{"HTTP 503"}},
		{name: "503 in plain text from a load balancer", method: "GET", hooks: repeat(4, raw(503, "text/plain", "upstream connect error")), call: get,
			kind: KindServer, status: 503, requests: 4, says: []string{"HTTP 503"}},
		{name: "proxy HTML page", method: "GET", hooks: []hook{raw(403, "text/html; charset=utf-8", zscaler)}, call: list,
			kind: KindProxyHTML, status: 403, requests: 1, says: []string{"HTTP 403"}},
		{name: "captive portal answers 200", method: "GET", hooks: []hook{raw(200, "", zscaler)}, call: list,
			kind: KindProxyHTML, status: 200, requests: 1},
		{name: "2xx that is not JSON", method: "GET", hooks: []hook{raw(200, "application/json", "OK")}, call: get,
			kind: KindNotJSON, status: 200, requests: 1, says: []string{"HTTP 200"}},
		{name: "4xx that is not JSON", method: "GET", hooks: []hook{raw(404, "text/plain", "404 page not found")}, call: list,
			kind: KindNotJSON, status: 404, requests: 1, says: []string{"HTTP 404"}},
		{name: "2xx without an id", method: "GET", hooks: []hook{raw(200, "application/json", `{"address":"x"}`)}, call: get,
			kind: KindNotJSON, status: 200, requests: 1},
		{name: "list without data", method: "GET", hooks: []hook{raw(200, "application/json", `{"items":[]}`)}, call: list,
			kind: KindNotJSON, status: 200, requests: 1},
		{name: "body over the limit", maxBody: 2048, call: list,
			kind: KindTooLarge, status: 200, requests: 1},
		{name: "redirect", method: "GET", hooks: []hook{raw(302, "", "", "Location", "https://sso.example.com/login?session=s3cr3t")}, call: list,
			kind: KindRedirect, status: 302, requests: 1, says: []string{"HTTP 302"}},
		{name: "unexpected status", method: "GET", hooks: []hook{errBody(406, "not_acceptable", "not_acceptable", "", "Not acceptable.")}, call: list,
			kind: KindUnexpected, status: 406, requests: 1, says: []string{"HTTP 406", "Not acceptable."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.seed(40)
			f.on(tc.method, tc.hooks...)
			c, _ := f.client(t, Options{MaxBody: tc.maxBody})
			if tc.key != "" {
				c.key = tc.key
			}
			err := tc.call(c)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %T %v, want *Error", err, err)
			}
			if e.Kind != tc.kind || e.Status != tc.status {
				t.Errorf("kind %q status %d, want %q %d", e.Kind, e.Status, tc.kind, tc.status)
			}
			if got := len(f.seen()); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
			msg := err.Error()
			t.Log(msg)
			for _, s := range tc.says {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q lacks %q", msg, s)
				}
			}
			if e.RequestID == "" {
				t.Error("the x-dr-requestid header was not kept")
			}
			if tc.kind == KindProxyHTML && tc.status == 403 && e.Body != "Zscaler Access Denied" {
				t.Errorf("the proxy page's title %q was not kept", e.Body)
			}
			if tc.kind == KindRedirect && e.Location != "https://sso.example.com/login" {
				t.Errorf("Location %q: want where the redirect pointed, without its query", e.Location)
			}
			if tc.name == "2xx that is not JSON" && e.Body != "application/json, 2 bytes" {
				t.Errorf("body note %q", e.Body)
			}
			for _, leak := range []string{"s3cr3t", "Hunter2", "C0nsumerS3cret", "pw-1-TOKEN", "cs-1", testKey, "Zscaler</title>", "{"} {
				if strings.Contains(msg, leak) {
					t.Errorf("message %q contains %q", msg, leak)
				}
			}
		})
	}
}

func TestNetworkErrors(t *testing.T) {
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := closed.Addr().String()
	closed.Close()
	c, err := New(testKey, Options{BaseURL: "http://" + addr, AllowAnyHost: true})
	if err != nil {
		t.Fatal(err)
	}
	var sleeps int
	c.sleep = func(context.Context, time.Duration) error { sleeps++; return nil }
	_, err = c.Webhooks.Get(context.Background(), "wh_1")
	var e *Error
	var ne *httpx.NetError
	if !errors.As(err, &e) || e.Kind != KindNetwork || !errors.As(err, &ne) || ne.Kind != httpx.NetRefused {
		t.Fatalf("got %v; want a network error wrapping a refused connection", err)
	}
	if e.Attempts != DefaultMaxAttempts || sleeps != DefaultMaxAttempts-1 {
		t.Errorf("%d tries and %d waits; a refused GET is retried up to the limit", e.Attempts, sleeps)
	}
	if !strings.Contains(err.Error(), "The connection to 127.0.0.1") || !strings.Contains(err.Error(), "was refused") {
		t.Errorf("message %q should say in words that the connection was refused", err)
	}
}

func TestTimeoutOfOneTryIsRetried(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	f.on(http.MethodGet, stall)
	c, _ := f.client(t, Options{RequestTimeout: 100 * time.Millisecond})
	w, err := c.Webhooks.Get(context.Background(), "00000000-0000-4000-8000-000000000001")
	if err != nil || w.ID == "" {
		t.Fatalf("a GET whose first try timed out: %v", err)
	}
	if reqs := f.seen(); len(reqs) != 2 || reqs[1].Attempt != 1 {
		t.Fatalf("requests %+v; want a second try marked attempt 1", reqs)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	f.on(http.MethodGet, status(429, "too_many_requests", "Retry-After", "2"))
	c, sleeps := f.client(t, Options{})
	if _, err := c.Webhooks.Get(context.Background(), "00000000-0000-4000-8000-000000000001"); err != nil {
		t.Fatal(err)
	}
	if len(*sleeps) != 1 || (*sleeps)[0] != 2*time.Second {
		t.Fatalf("waits %v, want exactly the 2s Retry-After asked for", *sleeps)
	}
	if reqs := f.seen(); len(reqs) != 2 || reqs[0].Attempt != 0 || reqs[1].Attempt != 1 {
		t.Fatalf("requests %+v; want tries 0 and 1 in the request context", reqs)
	}
}

func TestServiceUnavailableThenSuccess(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	f.on(http.MethodPatch, status(503, "service_unavailable"))
	c, sleeps := f.client(t, Options{})
	ctx := context.Background()
	cur, _ := c.Webhooks.Get(ctx, "00000000-0000-4000-8000-000000000001")
	d := Spec{Address: cur.Address, Types: cur.Types, Enabled: false, OAuth: cur.OAuth}
	w, err := c.Webhooks.Update(ctx, cur.ID, cur, d)
	if err != nil || w.Enabled {
		t.Fatalf("update after one 503: %v, %v", w, err)
	}
	if len(f.seenMethod(http.MethodPatch)) != 2 || len(*sleeps) != 1 || (*sleeps)[0] <= 0 {
		t.Fatalf("%d PATCHes, waits %v; want one wait and a second PATCH", len(f.seenMethod(http.MethodPatch)), *sleeps)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	f := newFake(t)
	f.on(http.MethodGet, repeat(8, status(502, "bad_gateway"))...)
	c, sleeps := f.client(t, Options{MaxAttempts: 8})
	c.jitter = func(d time.Duration) time.Duration { return d - 1 } // the most a wait can be
	c.Webhooks.Get(context.Background(), "x")
	want := []time.Duration{500*time.Millisecond - 1, time.Second - 1, 2*time.Second - 1, 4*time.Second - 1, 8*time.Second - 1, 8*time.Second - 1, 8*time.Second - 1}
	if len(*sleeps) != len(want) {
		t.Fatalf("waits %v, want %v", *sleeps, want)
	}
	for i := range want {
		if (*sleeps)[i] != want[i] {
			t.Fatalf("waits %v, want %v", *sleeps, want)
		}
	}
}

func TestRetriesStayWithinTheBudget(t *testing.T) {
	cases := []struct {
		name       string
		retryAfter string
		budget     time.Duration
		says       string
	}{
		{"longer than the budget", "20", 10 * time.Second, "HTTP 429"},
		{"longer than one wait may be", "120", time.Hour, "HTTP 429"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.on(http.MethodGet, status(429, "too_many_requests", "Retry-After", tc.retryAfter))
			c, sleeps := f.client(t, Options{RetryBudget: tc.budget})
			_, err := c.Webhooks.Get(context.Background(), "x")
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindRateLimited || len(*sleeps) != 0 || len(f.seen()) != 1 {
				t.Fatalf("got %v after %d requests and waits %v; want the 429 reported without waiting", err, len(f.seen()), *sleeps)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("message %q lacks %q", err, tc.says)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"3":                             3 * time.Second,
		" 0 ":                           0,
		"-4":                            0,
		"":                              0,
		"soon":                          0,
		"1.5":                           0,
		"Wed, 01 May 2024 12:00:07 GMT": 7 * time.Second,
		"Wed, 01 May 2024 11:00:00 GMT": 0,
		"99999999999999999999":          0,
		"9999999999":                    24 * time.Hour,
	}
	for in, want := range cases {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestCreateWhoseAnswerIsLost(t *testing.T) {
	cases := []struct {
		name    string
		timeout time.Duration
		hooks   []hook
		posts   int
		adopted bool
		kind    ErrorKind // "" when it ends with the webhook
		lost    bool      // ends with a LostCreateError
		count   int
	}{
		{name: "connection dropped after it was stored", hooks: []hook{loseAnswer(true)}, posts: 1, adopted: true, count: 1},
		{name: "timed out after it was stored", timeout: 150 * time.Millisecond, hooks: []hook{stall}, posts: 1, adopted: true, count: 1},
		{name: "gateway error after it was stored", hooks: []hook{storeThen(504)}, posts: 1, adopted: true, count: 1},
		// Never sent twice: what was not stored is said to be lost, and the
		// next run creates it.
		{name: "connection dropped before it was stored", hooks: []hook{loseAnswer(false)}, posts: 1, lost: true, count: 0},
		{name: "503 before it was stored", hooks: []hook{status(503, "service_unavailable")}, posts: 1, lost: true, count: 0},
		{name: "429 is simply retried", hooks: []hook{status(429, "too_many_requests", "Retry-After", "1")}, posts: 2, count: 1},
		{name: "400 is not repeated", hooks: []hook{errBody(400, "bad_request", "invalid_parameter", "types", "types is invalid.")}, posts: 1, kind: KindBadRequest, count: 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.seed(130) // the adoption check has to page
			f.on(http.MethodPost, tc.hooks...)
			c, _ := f.client(t, Options{RequestTimeout: tc.timeout})
			r, err := c.Webhooks.Ensure(context.Background(), desiredSpec(), EnsureOptions{})
			if got := len(f.seenMethod(http.MethodPost)); got != tc.posts {
				t.Errorf("%d POSTs, want %d", got, tc.posts)
			}
			found, _ := c.Webhooks.FindByAddress(context.Background(), endpoint)
			if len(found) != tc.count {
				t.Fatalf("%d webhooks for the endpoint afterwards, want %d", len(found), tc.count)
			}
			if tc.lost {
				var lc *LostCreateError
				if !errors.As(err, &lc) || lc.Waited < 25*time.Second || lc.Waited > 35*time.Second {
					t.Fatalf("got %v; want a LostCreateError after about 30 s", err)
				}
				return
			}
			if tc.kind != "" {
				var e *Error
				if !errors.As(err, &e) || e.Kind != tc.kind {
					t.Fatalf("got %v, want a %s error", err, tc.kind)
				}
				return
			}
			if err != nil || r.Action != ActionCreated || r.Adopted != tc.adopted || r.Webhook.ID != found[0].ID {
				t.Fatalf("result %+v, %v; want created (adopted=%v) with the one stored webhook", r, err, tc.adopted)
			}
		})
	}
}

func TestCreateWhoseAnswerIsLostAndCannotBeChecked(t *testing.T) {
	f := newFake(t)
	f.on(http.MethodPost, loseAnswer(true))
	f.on(http.MethodGet, status(500, "internal_server_error"))
	c, _ := f.client(t, Options{})
	_, err := c.Webhooks.Create(context.Background(), desiredSpec())
	var u *UncertainCreateError
	if !errors.As(err, &u) || len(f.seenMethod(http.MethodPost)) != 1 {
		t.Fatalf("got %v; want an UncertainCreateError and no second POST", err)
	}
	var lost *Error
	if !errors.As(u.Err, &lost) || u.CheckErr == nil || !strings.Contains(u.CheckErr.Error(), "HTTP 500") {
		t.Fatalf("%v: want the lost answer and the failed check, each kept", err)
	}
}

func TestErrorMessagesNeverRepeatSentSecrets(t *testing.T) {
	f := newFake(t)
	f.on(http.MethodPost, errBody(400, "bad_request", "invalid_parameter", "oauth.password", "Password 'Hunter2-passSECTOKEN123' is invalid for C0nsumerS3cret-acme.\x1b[31m"))
	c, _ := f.client(t, Options{})
	_, err := c.Webhooks.Create(context.Background(), desiredSpec())
	if err == nil {
		t.Fatal("want the 400")
	}
	for _, leak := range []string{"Hunter2", "C0nsumerS3cret", "\x1b"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("message %q contains %q", err, leak)
		}
	}
	if !strings.Contains(err.Error(), "Password '[redacted]' is invalid") {
		t.Errorf("message %q should keep Digital River's words around the redaction", err)
	}
}

func errBody(code int, typ, errCode, param, msg string) hook {
	return func(w http.ResponseWriter, r *http.Request, _ http.HandlerFunc) {
		writeErr(w, code, typ, errCode, param, msg)
	}
}

// storeThen lets the request take effect but answers with status, as a
// gateway that timed out waiting for the service does.
func storeThen(code int) hook {
	return func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		serve(httptest.NewRecorder(), r)
		writeErr(w, code, "gateway_timeout", "gateway_timeout", "", "Gateway timeout.")
	}
}

func repeat(n int, h hook) []hook {
	hs := make([]hook, n)
	for i := range hs {
		hs[i] = h
	}
	return hs
}
