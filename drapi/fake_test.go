package drapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drsetup/drsetup/httpx"
)

// fakeDR is a Digital River account's webhooks resource as
// ../shared/facts/digitalriver.md describes it: bearer auth, the {data,
// hasMore} list envelope with limit and startingAfter, 201 on create, PATCH
// that merges fields (the oauth block whole), 204 on delete, the Errors body
// and an x-dr-requestid on every answer. Secrets come back in plain text.
type fakeDR struct {
	t   *testing.T
	srv *httptest.Server
	key string

	mu         sync.Mutex
	hooks      []methodHook // each used once, by the first request of its method
	webhooks   []map[string]any
	seq        int
	requests   []seenRequest
	bareArray  bool // answer the list as the API document's bare array
	ignoreNext bool // ignore startingAfter, as a broken server would
	// acceptClientCredentials takes the grant the Dashboard offers, which
	// the API document does not list.
	acceptClientCredentials bool
	// listLag hides a webhook created by POST from the next listLag lists
	// (counted by their first pages), as a list that lags behind creates.
	listLag int
	hidden  map[string]int // id → lists it is still hidden from
}

// hook intercepts one request; serve runs the fake's normal handling.
type hook func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc)

type methodHook struct {
	method string // "" for any
	h      hook
}

type seenRequest struct {
	Method, Path, Query string
	Body                []byte
	Auth, ContentType   string
	Attempt             int
}

const testKey = "sk_test_0123456789abcdef0123456789abcdef"

func newFake(t *testing.T) *fakeDR {
	f := &fakeDR{t: t, key: testKey}
	f.srv = httptest.NewServer(http.HandlerFunc(f.handle))
	t.Cleanup(f.srv.Close)
	return f
}

// client returns a client for the fake that never sleeps for real and uses
// no randomness; sleeps records each wait, and the client's clock moves on
// by each wait, so a bounded wait ends at once.
func (f *fakeDR) client(t *testing.T, o Options) (*Client, *[]time.Duration) {
	t.Helper()
	o.BaseURL = f.srv.URL
	o.AllowAnyHost = true
	if o.HTTPClient == nil {
		o.HTTPClient = httpx.NewClient(attemptRecorder{httpx.NewTransport()})
	}
	c, err := New(f.key, o)
	if err != nil {
		t.Fatal(err)
	}
	return c, neverSleep(c)
}

// neverSleep makes c note each wait instead of sleeping, and take no random
// share of it.
func neverSleep(c *Client) *[]time.Duration {
	var mu sync.Mutex
	var sleeps []time.Duration
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		sleeps = append(sleeps, d)
		now = now.Add(d)
		mu.Unlock()
		return ctx.Err()
	}
	c.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	c.jitter = func(time.Duration) time.Duration { return 0 }
	return &sleeps
}

// attemptRecorder notes the try number each request's context carries, as
// the debug-log transport will read it.
type attemptRecorder struct{ rt http.RoundTripper }

func (a attemptRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	r.Header.Set("X-Test-Attempt", strconv.Itoa(httpx.Attempt(r.Context())))
	return a.rt.RoundTrip(r)
}

// on intercepts the next requests of method ("" for any), one hook each.
func (f *fakeDR) on(method string, hs ...hook) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, h := range hs {
		f.hooks = append(f.hooks, methodHook{method, h})
	}
}

func (f *fakeDR) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	attempt, _ := strconv.Atoi(r.Header.Get("X-Test-Attempt"))
	f.mu.Lock()
	f.requests = append(f.requests, seenRequest{r.Method, r.URL.Path, r.URL.RawQuery, body, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), attempt})
	var h hook
	for i, mh := range f.hooks {
		if mh.method == "" || mh.method == r.Method {
			h = mh.h
			f.hooks = slices.Delete(f.hooks, i, i+1)
			break
		}
	}
	f.mu.Unlock()
	w.Header().Set("x-dr-requestid", fmt.Sprintf("req_%d", len(f.requests)))
	if h != nil {
		h(w, r, f.serve)
		return
	}
	f.serve(w, r)
}

func (f *fakeDR) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+f.key {
		writeErr(w, 401, "unauthorized", "unauthorized", "", "Unauthorized.")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id, hasID := strings.CutPrefix(r.URL.Path, "/webhooks/")
	switch {
	case r.URL.Path == "/webhooks" && r.Method == http.MethodGet:
		f.list(w, r)
	case r.URL.Path == "/webhooks" && r.Method == http.MethodPost:
		f.create(w, r)
	case hasID && r.Method == http.MethodGet:
		if wh := f.find(id); wh != nil {
			writeJSON(w, 200, wh)
			return
		}
		writeErr(w, 404, "not_found", "not_found", "id", fmt.Sprintf("Webhook '%s' not found.", id))
	case hasID && r.Method == http.MethodPatch:
		f.update(w, r, id)
	case hasID && r.Method == http.MethodDelete:
		for i, wh := range f.webhooks {
			if wh["id"] == id {
				f.webhooks = slices.Delete(f.webhooks, i, i+1)
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		writeErr(w, 404, "not_found", "not_found", "id", fmt.Sprintf("Webhook '%s' not found.", id))
	default:
		writeErr(w, 405, "method_not_allowed", "method_not_allowed", "", "Method not allowed.")
	}
}

func (f *fakeDR) list(w http.ResponseWriter, r *http.Request) {
	limit := 10 // the documented default for list endpoints
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeErr(w, 400, "bad_request", "invalid_parameter", "limit", "limit must be between 1 and 100.")
			return
		}
		limit = n
	}
	after := r.URL.Query().Get("startingAfter")
	all := f.webhooks
	if len(f.hidden) > 0 {
		all = nil
		for _, wh := range f.webhooks {
			if id, _ := wh["id"].(string); f.hidden[id] == 0 {
				all = append(all, wh)
			}
		}
		if after == "" {
			for id, n := range f.hidden {
				if n--; n <= 0 {
					delete(f.hidden, id)
				} else {
					f.hidden[id] = n
				}
			}
		}
	}
	if f.bareArray {
		writeJSON(w, 200, all)
		return
	}
	start := 0
	if after != "" && !f.ignoreNext {
		start = -1
		for i, wh := range all {
			if wh["id"] == after {
				start = i + 1
			}
		}
		if start < 0 {
			writeErr(w, 400, "bad_request", "invalid_parameter", "startingAfter", "startingAfter is not a valid id.")
			return
		}
	}
	end := min(start+limit, len(all))
	page := append([]map[string]any{}, all[start:end]...)
	writeJSON(w, 200, map[string]any{"data": page, "hasMore": end < len(all)})
}

func (f *fakeDR) create(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeErr(w, 400, "bad_request", "invalid_parameter", "", "Request body is not valid JSON.")
		return
	}
	if msg, param := f.check(in, true); msg != "" {
		writeErr(w, 400, "bad_request", "invalid_parameter", param, msg)
		return
	}
	f.seq++
	now := time.Date(2024, 5, 1, 12, 0, f.seq, 0, time.UTC).Format(time.RFC3339Nano)
	wh := map[string]any{
		"id":          fmt.Sprintf("00000000-0000-4000-8000-%012d", f.seq),
		"createdTime": now, "updatedTime": now,
		"apiVersion": "default", "enabled": true, "transportType": "HTTP",
		"liveMode": false,
	}
	for k, v := range in {
		wh[k] = v
	}
	f.webhooks = append(f.webhooks, wh)
	if f.listLag > 0 {
		if f.hidden == nil {
			f.hidden = map[string]int{}
		}
		f.hidden[wh["id"].(string)] = f.listLag
	}
	writeJSON(w, http.StatusCreated, wh)
}

func (f *fakeDR) update(w http.ResponseWriter, r *http.Request, id string) {
	wh := f.find(id)
	if wh == nil {
		writeErr(w, 404, "not_found", "not_found", "id", fmt.Sprintf("Webhook '%s' not found.", id))
		return
	}
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeErr(w, 400, "bad_request", "invalid_parameter", "", "Request body is not valid JSON.")
		return
	}
	merged := map[string]any{}
	for k, v := range wh {
		merged[k] = v
	}
	for k, v := range in {
		merged[k] = v
	}
	if merged["transportType"] != "OAUTH" {
		delete(merged, "oauth")
	}
	if msg, param := f.check(merged, false); msg != "" {
		writeErr(w, 400, "bad_request", "invalid_parameter", param, msg)
		return
	}
	merged["updatedTime"] = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339Nano)
	for k := range wh {
		delete(wh, k)
	}
	for k, v := range merged {
		wh[k] = v
	}
	writeJSON(w, 200, wh)
}

// check applies the documented rules: address and types required, oauth only
// with OAUTH, and the API document's only grant type, password.
func (f *fakeDR) check(in map[string]any, create bool) (msg, param string) {
	if a, _ := in["address"].(string); a == "" {
		return "address is required.", "address"
	}
	if ts, _ := in["types"].([]any); len(ts) == 0 {
		return "types is required.", "types"
	}
	o, hasOAuth := in["oauth"].(map[string]any)
	if hasOAuth && in["transportType"] != "OAUTH" {
		return "oauth is allowed only with transportType OAUTH.", "oauth"
	}
	if hasOAuth {
		if g, ok := o["grantType"].(string); ok && g != "password" && !(f.acceptClientCredentials && g == "client_credentials") {
			return fmt.Sprintf("'%s' is not a valid grantType.", g), "oauth.grantType"
		}
	}
	return "", ""
}

func (f *fakeDR) find(id string) map[string]any {
	for _, wh := range f.webhooks {
		if wh["id"] == id {
			return wh
		}
	}
	return nil
}

// seed stores n webhooks with OAuth secrets, as another integration would
// have created them.
func (f *fakeDR) seed(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.seq++
		f.webhooks = append(f.webhooks, map[string]any{
			"id":            fmt.Sprintf("00000000-0000-4000-8000-%012d", f.seq),
			"address":       fmt.Sprintf("https://shop%d.example.com/hooks/", f.seq),
			"types":         []any{"order.accepted", "order.complete"},
			"apiVersion":    "default",
			"enabled":       true,
			"transportType": "OAUTH",
			"oauth": map[string]any{
				"tokenEndPoint": "https://login.salesforce.com/services/oauth2/token",
				"userName":      fmt.Sprintf("integration%d@example.com", f.seq),
				"password":      fmt.Sprintf("pw-%d-TOKEN", f.seq),
				"clientID":      "3MVG9consumerkey",
				"clientSecret":  fmt.Sprintf("cs-%d", f.seq),
				"grantType":     "password",
			},
			"liveMode":    false,
			"createdTime": "2023-01-02T03:04:05.678Z",
			"updatedTime": "2023-01-02T03:04:05.678Z",
		})
	}
}

func (f *fakeDR) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.webhooks)
}

func (f *fakeDR) seen() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

func (f *fakeDR) seenMethod(method string) []seenRequest {
	var out []seenRequest
	for _, r := range f.seen() {
		if r.Method == method {
			out = append(out, r)
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, typ, code, param, msg string) {
	d := map[string]any{"code": code, "message": msg}
	if param != "" {
		d["parameter"] = param
	}
	writeJSON(w, status, map[string]any{"type": typ, "errors": []any{d}})
}

// Hooks used across tests.

// status answers one request with a Digital River error body.
func status(code int, typ string, header ...string) hook {
	return func(w http.ResponseWriter, r *http.Request, _ http.HandlerFunc) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		writeErr(w, code, typ, typ, "", http.StatusText(code))
	}
}

// raw answers one request with the given content type and body.
func raw(code int, contentType, body string, header ...string) hook {
	return func(w http.ResponseWriter, r *http.Request, _ http.HandlerFunc) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

// loseAnswer lets the request take effect, then drops the connection before
// any answer: what a client sees when a proxy or network fails mid-exchange.
func loseAnswer(apply bool) hook {
	return func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		if apply {
			serve(httptest.NewRecorder(), r)
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}
}

// stall lets the request take effect, then answers only after the client
// has given up on it.
func stall(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
	serve(httptest.NewRecorder(), r)
	<-r.Context().Done()
}
