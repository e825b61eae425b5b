package drapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeEvents is Digital River's events list as ../shared/facts describe it:
// bearer auth, newest first, the {hasMore, data} envelope, limit 1–100
// (default 10), types (repeated or comma-separated) or type (with *),
// createdTime[gte], startingAfter, and x-dr-requestid on every answer.
type fakeEvents struct {
	srv    *httptest.Server
	events []map[string]any // newest first, in the wire form

	mu           sync.Mutex
	queries      []url.Values
	ignoreCursor bool // answer the first page whatever startingAfter says
	answer       func(w http.ResponseWriter, r *http.Request) bool
}

var eventsEpoch = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

const canary = "canary-customer-4e1d@example.com"

// newFakeEvents holds n events, one minute apart, of the types cycled
// through, each with a customer's data that must never reach an Event.
func newFakeEvents(t testing.TB, n int, types []string, pending func(i int) any) *fakeEvents {
	f := &fakeEvents{}
	for i := range n {
		e := map[string]any{
			"id":                  fmt.Sprintf("00000000-0000-4000-9000-%012d", i),
			"type":                types[i%len(types)],
			"createdTime":         eventsEpoch.Add(-time.Duration(i) * time.Minute).Format("2006-01-02T15:04:05.000000Z"),
			"liveMode":            false,
			"digitalriverVersion": "2021-12-13",
			"webhookIds":          []any{"0b8c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d"},
			"data": map[string]any{"object": map[string]any{
				"id": fmt.Sprintf("order-%d", i), "email": canary, "billTo": map[string]any{"name": "Jane Customer " + canary},
			}},
		}
		if p := pending(i); p != nil {
			e["pendingWebhooks"] = p
		}
		f.events = append(f.events, e)
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.handle))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeEvents) client(t testing.TB) (*Client, *[]time.Duration) {
	c, err := New(testKey, Options{BaseURL: f.srv.URL, AllowAnyHost: true})
	if err != nil {
		t.Fatal(err)
	}
	return c, neverSleep(c)
}

func (f *fakeEvents) seen() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.queries)
}

func (f *fakeEvents) handle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-dr-requestid", "req_events")
	f.mu.Lock()
	f.queries = append(f.queries, r.URL.Query())
	answer := f.answer
	f.mu.Unlock()
	if answer != nil && answer(w, r) {
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+testKey {
		writeErr(w, 401, "unauthorized", "unauthorized", "", "Unauthorized.")
		return
	}
	if r.URL.Path != "/events" || r.Method != http.MethodGet {
		writeErr(w, 404, "not_found", "not_found", "", "Not found.")
		return
	}
	q := r.URL.Query()
	limit := 10
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeErr(w, 400, "bad_request", "invalid_parameter", "limit", "limit must be between 1 and 100.")
			return
		}
		limit = n
	}
	if q.Has("types") && q.Has("type") {
		writeErr(w, 400, "bad_request", "invalid_parameter", "types", "Pass either type or types, not both.")
		return
	}
	var types []string
	for _, v := range q["types"] {
		types = append(types, strings.Split(v, ",")...)
	}
	var since time.Time
	if v := q.Get("createdTime[gte]"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			writeErr(w, 400, "bad_request", "invalid_parameter", "createdTime", "createdTime is not a date-time.")
			return
		}
		since = t
	}
	match := []map[string]any{}
	for _, e := range f.events {
		typ := e["type"].(string)
		if len(types) > 0 && !slices.Contains(types, typ) {
			continue
		}
		if p := q.Get("type"); p != "" {
			if ok, _ := path.Match(p, typ); !ok {
				continue
			}
		}
		created, _ := time.Parse(time.RFC3339Nano, e["createdTime"].(string))
		if created.Before(since) {
			continue
		}
		match = append(match, e)
	}
	start := 0
	if after := q.Get("startingAfter"); after != "" && !f.ignoreCursor {
		i := slices.IndexFunc(match, func(e map[string]any) bool { return e["id"] == after })
		if i < 0 {
			writeErr(w, 400, "bad_request", "invalid_parameter", "startingAfter", "startingAfter is not a valid id.")
			return
		}
		start = i + 1
	}
	end := min(start+limit, len(match))
	writeJSON(w, 200, map[string]any{"hasMore": end < len(match), "data": match[start:end]})
}

func TestEventsAllWalksEveryPage(t *testing.T) {
	types := append(slices.Clone(AppEvents), "order.charge.complete", "order.created")
	f := newFakeEvents(t, 600, types, func(i int) any { return i % 3 })
	c, _ := f.client(t)
	since := eventsEpoch.Add(-500 * time.Minute)
	var got []Event
	for e, err := range c.Events.All(context.Background(), EventsQuery{Types: AppEvents, Since: since}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	// 501 events since then, 8 of every 10 of the app's types.
	want := 0
	for i := 0; i <= 500; i++ {
		if i%10 < 8 {
			want++
		}
	}
	if len(got) != want {
		t.Fatalf("walked %d events, want %d", len(got), want)
	}
	for i := 1; i < len(got); i++ {
		if !got[i].CreatedTime.Before(got[i-1].CreatedTime) {
			t.Fatalf("event %d is not older than the one before", i)
		}
	}
	if got[0].ID != "00000000-0000-4000-9000-000000000000" || got[0].Type != "order.accepted" || !got[0].CreatedTime.Equal(eventsEpoch) ||
		got[0].PendingWebhooks == nil || *got[0].PendingWebhooks != 0 || len(got[0].WebhookIDs) != 1 || got[0].LiveMode {
		t.Errorf("first event %+v", got[0])
	}
	if strings.Contains(fmt.Sprintf("%#v", got), canary) {
		t.Error("an Event keeps the customer's data")
	}
	qs := f.seen()
	if len(qs) != 5 {
		t.Fatalf("%d requests, want 5 pages of 100", len(qs))
	}
	for i, q := range qs {
		if q.Get("limit") != "100" || !slices.Equal(q["types"], AppEvents) || q.Get("createdTime[gte]") != "2026-11-30T03:40:00Z" || q.Has("type") {
			t.Errorf("request %d: %v", i, q)
		}
		if i > 0 && q.Get("startingAfter") != got[100*i-1].ID {
			t.Errorf("request %d continues after %q, want %q", i, q.Get("startingAfter"), got[100*i-1].ID)
		}
	}
}

func TestEventsAllStopsWhenTheCallerDoes(t *testing.T) {
	f := newFakeEvents(t, 500, AppEvents, func(int) any { return nil })
	c, _ := f.client(t)
	n := 0
	for _, err := range c.Events.All(context.Background(), EventsQuery{Type: "order.*"}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 5 {
			break
		}
	}
	if len(f.seen()) != 1 {
		t.Errorf("%d requests after stopping at the fifth event", len(f.seen()))
	}
	if q := f.seen()[0]; q.Get("type") != "order.*" || q.Has("types") {
		t.Errorf("query %v", q)
	}
}

func TestEventsPendingWebhooksInEachForm(t *testing.T) {
	forms := []struct {
		wire any
		want *int
	}{
		{2, ptr(2)}, {0, ptr(0)}, {"3", ptr(3)}, {" 4 ", ptr(4)}, {nil, nil},
		{json.RawMessage("null"), nil}, {"many", nil}, {-1, nil}, {1.5, nil}, {"1.5", nil}, {true, nil}, {1e12, nil}, {[]any{1}, nil},
	}
	f := newFakeEvents(t, len(forms), AppEvents, func(i int) any { return forms[i].wire })
	c, _ := f.client(t)
	i := 0
	for e, err := range c.Events.All(context.Background(), EventsQuery{PageSize: 4}) {
		if err != nil {
			t.Fatal(err)
		}
		got, want := e.PendingWebhooks, forms[i].want
		if (got == nil) != (want == nil) || got != nil && *got != *want {
			t.Errorf("pendingWebhooks %#v read as %v, want %v", forms[i].wire, show(got), show(want))
		}
		i++
	}
	if i != len(forms) {
		t.Errorf("read %d events", i)
	}
}

func ptr(n int) *int { return &n }

func show(p *int) string {
	if p == nil {
		return "unknown"
	}
	return strconv.Itoa(*p)
}

func TestEventsPagingIsBounded(t *testing.T) {
	t.Run("repeated cursor", func(t *testing.T) {
		f := newFakeEvents(t, 300, AppEvents, func(int) any { return 0 })
		f.ignoreCursor = true
		c, _ := f.client(t)
		n, err := walk(c, EventsQuery{})
		var pe *EventsPagingError
		if !errors.As(err, &pe) || !pe.Repeated || pe.Pages != 2 || n != 200 || pe.Events != 200 {
			t.Fatalf("walked %d, err %v (%+v)", n, err, pe)
		}
		if !strings.Contains(err.Error(), "went back to a page") || !strings.Contains(err.Error(), pe.Cursor) || pe.Cursor == "" {
			t.Errorf("message %q", err)
		}
	})
	t.Run("page bound", func(t *testing.T) {
		f := newFakeEvents(t, 1000, AppEvents, func(int) any { return 0 })
		c, _ := f.client(t)
		n, err := walk(c, EventsQuery{MaxPages: 3, PageSize: 50})
		var pe *EventsPagingError
		if !errors.As(err, &pe) || pe.Repeated || pe.Pages != 3 || n != 150 {
			t.Fatalf("walked %d, err %v", n, err)
		}
		if len(f.seen()) != 3 {
			t.Errorf("%d requests, want 3", len(f.seen()))
		}
		if !strings.Contains(err.Error(), "150 events on 3 pages") {
			t.Errorf("message %q", err)
		}
	})
	t.Run("default bound", func(t *testing.T) {
		f := newFakeEvents(t, 10, AppEvents, func(int) any { return 0 })
		// Every page says more follow, each after a new id.
		var page int
		f.answer = func(w http.ResponseWriter, r *http.Request) bool {
			page++
			writeJSON(w, 200, map[string]any{"hasMore": true, "data": []any{map[string]any{"id": fmt.Sprintf("e-%d", page), "type": "order.accepted"}}})
			return true
		}
		c, _ := f.client(t)
		_, err := walk(c, EventsQuery{})
		var pe *EventsPagingError
		if !errors.As(err, &pe) || pe.Pages != DefaultEventPages {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("no id to continue after", func(t *testing.T) {
		f := newFakeEvents(t, 1, AppEvents, func(int) any { return 0 })
		f.answer = func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, 200, map[string]any{"hasMore": true, "data": []any{map[string]any{"type": "order.accepted"}}})
			return true
		}
		c, _ := f.client(t)
		_, err := walk(c, EventsQuery{})
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindNotJSON {
			t.Fatalf("err %v", err)
		}
	})
}

func walk(c *Client, q EventsQuery) (int, error) {
	n := 0
	for _, err := range c.Events.All(context.Background(), q) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func TestEventsQueriesAreCheckedBeforeSending(t *testing.T) {
	f := newFakeEvents(t, 1, AppEvents, func(int) any { return 0 })
	c, _ := f.client(t)
	twenty := make([]string, 20)
	for i := range twenty {
		twenty[i] = fmt.Sprintf("order.type_%c", 'a'+i)
	}
	for _, q := range []EventsQuery{
		{Types: AppEvents, Type: "order.*"},
		{Types: twenty},
		{Types: []string{"order.accepted&limit=1"}},
		{Types: []string{"Order.Accepted"}},
		{Type: "order.accepted,order.complete"},
		{Type: "order.*&x=1"},
		{PageSize: 101},
		{PageSize: -1},
		{MaxPages: -1},
	} {
		_, err := walk(c, q)
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Reason == "" || strings.ContainsAny(qe.Error(), "\x00\n") {
			t.Errorf("%+v: err %v", q, err)
		}
	}
	if _, err := walk(c, EventsQuery{Types: twenty[:19]}); err != nil {
		t.Errorf("19 types were refused: %v", err)
	}
	if n := len(f.seen()); n != 1 {
		t.Errorf("%d requests, want only the one with 19 types", n)
	}
}

func TestEventsErrorsNameTheEventsList(t *testing.T) {
	cases := []struct {
		name   string
		status int
		ctype  string
		body   string
		kind   ErrorKind
		facts  []string
	}{
		{"bad key", 401, "application/json", `{"type":"unauthorized","errors":[{"code":"unauthorized","message":"Unauthorized."}]}`, KindUnauthorized, []string{"401", "Unauthorized."}},
		{"restricted key", 403, "application/json", `{"type":"forbidden","errors":[{"code":"forbidden","message":"Forbidden."}]}`, KindForbidden, []string{"403", "Forbidden."}},
		{"not the API", 404, "application/json", `{"type":"not_found","errors":[]}`, KindNotFound, []string{"404"}},
		{"bad parameter", 400, "application/json", `{"type":"bad_request","errors":[{"code":"invalid_parameter","parameter":"types","message":"types is invalid."}]}`, KindBadRequest, []string{"400", "types is invalid."}},
		{"proxy", 200, "text/html", `<html><title>Zscaler</title></html>`, KindProxyHTML, []string{"Zscaler"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeEvents(t, 1, AppEvents, func(int) any { return 0 })
			f.answer = func(w http.ResponseWriter, r *http.Request) bool {
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
				return true
			}
			c, _ := f.client(t)
			_, err := walk(c, EventsQuery{Types: AppEvents})
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.kind || e.Method != http.MethodGet || e.Path != "/events" || e.Status != tc.status || e.RequestID != "req_events" {
				t.Fatalf("err %v (%+v), want kind %s of GET /events", err, e, tc.kind)
			}
			// The words for each are explain's (explain/digitalriver_test.go);
			// here, the facts they are made of.
			checkErrorText(t, err)
			for _, want := range tc.facts {
				if !strings.Contains(fmt.Sprintf("%s %s", err, e.Body), want) {
					t.Errorf("%q (body %q) does not carry %q", err, e.Body, want)
				}
			}
			if strings.Contains(err.Error(), "webhook") {
				t.Errorf("%q talks of webhooks", err)
			}
		})
	}
	t.Run("rate limit is waited out", func(t *testing.T) {
		f := newFakeEvents(t, 3, AppEvents, func(int) any { return 0 })
		var calls int
		f.answer = func(w http.ResponseWriter, r *http.Request) bool {
			if calls++; calls > 1 {
				return false
			}
			w.Header().Set("Retry-After", "2")
			writeErr(w, 429, "too_many_requests", "too_many_requests", "", "Too many requests.")
			return true
		}
		c, sleeps := f.client(t)
		n, err := walk(c, EventsQuery{})
		if err != nil || n != 3 || len(*sleeps) != 1 || (*sleeps)[0] != 2*time.Second {
			t.Fatalf("walked %d, %v, sleeps %v", n, err, *sleeps)
		}
	})
}

func TestEventsRequestsAndAnswersMatchTheOpenAPIDocument(t *testing.T) {
	doc := loadSpec(t)
	f := newFakeEvents(t, 250, append(slices.Clone(AppEvents), "order.created"), func(i int) any { return []any{i % 4, strconv.Itoa(i % 4)}[i%2] })
	c, _ := f.client(t)
	for _, q := range []EventsQuery{
		{Types: AppEvents, Since: eventsEpoch.Add(-200 * time.Minute)},
		{Type: "order.*", PageSize: 30},
		{},
	} {
		if _, err := walk(c, q); err != nil {
			t.Fatal(err)
		}
	}
	qs := f.seen()
	if len(qs) < 10 {
		t.Fatalf("only %d requests", len(qs))
	}
	for _, q := range qs {
		for _, p := range doc.checkQuery("/events", "GET", q) {
			t.Errorf("request %v: %s", q, p)
		}
	}
	// The fake's answers, which the tests above decode, are Digital River's.
	op, _ := doc.paths["/events"].(map[string]any)
	schema := digSchema(op, "get", "responses", "200", "content", "application/json", "schema")
	if schema == nil {
		t.Fatal("the document declares no 200 answer for GET /events")
	}
	for _, query := range []string{"?limit=100", "?types=order.accepted&limit=5", "?type=order.*&limit=7"} {
		req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/events"+query, nil)
		req.Header.Set("Authorization", "Bearer "+testKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body any
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		for _, p := range doc.check(schema, body, "$") {
			t.Errorf("answer to %s: %s", query, p)
		}
	}
}

func TestEventSchemaCheckerCatchesMistakes(t *testing.T) {
	doc := loadSpec(t)
	event := doc.schema("Event")
	good := map[string]any{"id": "e", "type": "order.accepted", "liveMode": false, "digitalriverVersion": "2021-12-13",
		"pendingWebhooks": 1, "data": map[string]any{"object": map[string]any{"anything": 1}}, "webhookIds": []any{"w"}}
	if p := doc.check(event, good, "$"); len(p) > 0 {
		t.Errorf("a good event was refused: %v", p)
	}
	for change, want := range map[string]string{
		"liveMode=yes":         "$.liveMode: want boolean",
		"-pendingWebhooks":     `missing required "pendingWebhooks"`,
		"-digitalriverVersion": `missing required "digitalriverVersion"`,
		"colour=red":           `unknown property "colour"`,
	} {
		bad := map[string]any{}
		for k, v := range good {
			bad[k] = v
		}
		if k, ok := strings.CutPrefix(change, "-"); ok {
			delete(bad, k)
		} else {
			k, v, _ := strings.Cut(change, "=")
			bad[k] = v
		}
		if p := doc.check(event, bad, "$"); !slices.ContainsFunc(p, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("%s: problems %v, want %q", change, p, want)
		}
	}
	for q, want := range map[string]string{
		"limit=0": "not an integer", "limit=101": "not an integer", "createdTime[since]=2026-01-01T00:00:00Z": "not a comparison",
		"createdTime[gte]=yesterday": "not a date-time", "colour=red": "not declared", "type=a&types=b": "both",
	} {
		v, _ := url.ParseQuery(q)
		if p := doc.checkQuery("/events", "GET", v); !slices.ContainsFunc(p, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("%s: problems %v, want %q", q, p, want)
		}
	}
}

func digSchema(v any, keys ...string) map[string]any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	m, _ := v.(map[string]any)
	return m
}

// FuzzEventsPage feeds arbitrary event list bodies to the walk: it must
// never panic or loop, an error must be an *Error or *EventsPagingError in
// plain words, and every event it yields must be clean: no control
// character, a count that is nil or not negative.
func FuzzEventsPage(f *testing.F) {
	f.Add(`{"hasMore":false,"data":[{"id":"e1","type":"order.accepted","createdTime":"2026-11-30T12:00:00Z","liveMode":false,"pendingWebhooks":"2","data":{"object":{"email":"x"}}}]}`)
	f.Add(`{"hasMore":true,"data":[{"id":"e1","pendingWebhooks":1.5},{"id":"e1"}]}`)
	f.Add(`{"hasMore":true,"data":[]}`)
	f.Add(`{"data":null}`)
	f.Add(`{"data":[{"id":"\u001b[2J","type":"order.\u202eaccepted","webhookIds":["a","\u0007"],"pendingWebhooks":-3}]}`)
	f.Add(`[{"id":"e"}]`)
	f.Add(`<html><title>proxy</title></html>`)
	f.Fuzz(func(t *testing.T, body string) {
		c := cannedClient(t, 200, "application/json", body)
		n := 0
		for e, err := range c.Events.All(context.Background(), EventsQuery{MaxPages: 5}) {
			if err != nil {
				var pe *EventsPagingError
				if errors.As(err, &pe) {
					if pe.Pages > 5 {
						t.Fatalf("read %d pages", pe.Pages)
					}
					return
				}
				checkErrorText(t, err)
				return
			}
			if n++; n > 5*100+1 {
				t.Fatal("the walk did not stop")
			}
			for _, s := range append([]string{e.ID, e.Type}, e.WebhookIDs...) {
				if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }) {
					t.Fatalf("event %+v keeps a control character", e)
				}
			}
			if e.PendingWebhooks != nil && *e.PendingWebhooks < 0 {
				t.Fatalf("pendingWebhooks %d", *e.PendingWebhooks)
			}
		}
	})
}

// eventPages serves n events, pre-encoded a page of 100 at a time, so a
// benchmark measures the client.
func eventPages(tb testing.TB, n int) *httptest.Server {
	tb.Helper()
	pages := map[string][]byte{}
	after := ""
	for start := 0; start < n; start += pageSize {
		var data []map[string]any
		for i := start; i < min(start+pageSize, n); i++ {
			data = append(data, map[string]any{
				"id": fmt.Sprintf("00000000-0000-4000-9000-%012d", i), "type": AppEvents[i%len(AppEvents)],
				"createdTime": eventsEpoch.Add(-time.Duration(i) * time.Second).Format(time.RFC3339Nano), "liveMode": true,
				"pendingWebhooks": i % 2, "digitalriverVersion": "2021-12-13", "webhookIds": []string{"0b8c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d"},
				// An order's worth of customer data, as real events carry.
				"data": map[string]any{"object": map[string]any{"id": strconv.Itoa(i), "email": canary, "items": strings.Repeat(`{"sku":"x","qty":1},`, 40)}},
			})
		}
		b, _ := json.Marshal(map[string]any{"data": data, "hasMore": start+len(data) < n})
		pages[after] = b
		after = data[len(data)-1]["id"].(string)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := pages[r.URL.Query().Get("startingAfter")]
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// BenchmarkEventsAll walks n events of the app's types. allocs/op grow by
// the same amount per page: nothing of a page outlives it, and data.object
// is skipped rather than decoded.
func BenchmarkEventsAll(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			srv := eventPages(b, n)
			c, err := New(testKey, Options{BaseURL: srv.URL, AllowAnyHost: true})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				got, err := walk(c, EventsQuery{Types: AppEvents})
				if err != nil || got != n {
					b.Fatalf("walked %d, %v", got, err)
				}
			}
			b.ReportMetric(float64(n/pageSize), "pages/op")
		})
	}
}

// TestEventsAllHoldsOnePageAtATime checks that walking 5,000 events keeps
// no more in memory late in the walk than early in it.
func TestEventsAllHoldsOnePageAtATime(t *testing.T) {
	if testing.Short() {
		t.Skip("walks 5,000 events")
	}
	srv := eventPages(t, 5000)
	c, err := New(testKey, Options{BaseURL: srv.URL, AllowAnyHost: true})
	if err != nil {
		t.Fatal(err)
	}
	heap := func() int64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	var early, late int64
	i := 0
	for _, err := range c.Events.All(context.Background(), EventsQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		switch i {
		case 550:
			early = heap()
		case 4550:
			late = heap()
		}
		i++
	}
	if i != 5000 {
		t.Fatalf("walked %d events", i)
	}
	t.Logf("live heap at page 6: %d KiB, at page 46: %d KiB", early>>10, late>>10)
	if late-early > 512<<10 {
		t.Fatalf("live heap grew by %d KiB over 40 pages; All must not keep past pages", (late-early)>>10)
	}
}
