package drapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drsetup/drsetup/secret"
)

const endpoint = "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"

func desiredSpec() Spec {
	return Spec{
		Address: endpoint,
		Types:   slices.Clone(AppEvents),
		Enabled: true,
		OAuth: &OAuth{
			TokenEndPoint: "https://login.salesforce.com/services/oauth2/token",
			UserName:      "integration@acme.com",
			Password:      secret.Value("Hunter2-pass" + "SECTOKEN123"),
			ClientID:      "3MVG9acmeConsumerKey",
			ClientSecret:  secret.Value("C0nsumerS3cret-acme"),
		},
	}
}

func TestAllWalksEveryPage(t *testing.T) {
	f := newFake(t)
	f.seed(250)
	c, _ := f.client(t, Options{})
	var ids []string
	for w, err := range c.Webhooks.All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, w.ID)
	}
	if len(ids) != 250 || ids[0] != "00000000-0000-4000-8000-000000000001" || ids[249] != "00000000-0000-4000-8000-000000000250" {
		t.Fatalf("got %d webhooks (%v … %v), want the 250 seeded in order", len(ids), ids[:1], ids[len(ids)-1:])
	}
	if len(slices.Compact(slices.Clone(ids))) != 250 {
		t.Fatal("a webhook was listed twice")
	}
	reqs := f.seenMethod(http.MethodGet)
	want := []string{"limit=100", "limit=100&startingAfter=00000000-0000-4000-8000-000000000100", "limit=100&startingAfter=00000000-0000-4000-8000-000000000200"}
	if len(reqs) != len(want) {
		t.Fatalf("%d list requests, want %d", len(reqs), len(want))
	}
	for i, r := range reqs {
		if r.Query != want[i] || r.Auth != "Bearer "+testKey {
			t.Errorf("request %d: query %q auth %q; want query %q and the bearer key", i, r.Query, r.Auth, want[i])
		}
	}
}

func TestAllStopsFetchingWhenTheConsumerStops(t *testing.T) {
	f := newFake(t)
	f.seed(250)
	c, _ := f.client(t, Options{})
	n := 0
	for _, err := range c.Webhooks.All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 5 {
			break
		}
	}
	if got := len(f.seen()); got != 1 {
		t.Fatalf("%d requests after stopping within the first page, want 1", got)
	}
}

func TestAllReadsTheBareArrayShape(t *testing.T) {
	f := newFake(t)
	f.seed(3)
	f.bareArray = true
	c, _ := f.client(t, Options{})
	n := 0
	for w, err := range c.Webhooks.All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if w.OAuth == nil || w.OAuth.Password.Reveal() == "" {
			t.Errorf("webhook %s decoded without its oauth block", w.ID)
		}
		n++
	}
	if n != 3 || len(f.seen()) != 1 {
		t.Fatalf("got %d webhooks in %d requests, want 3 in 1", n, len(f.seen()))
	}
}

func TestAllRefusesAServerThatDoesNotPage(t *testing.T) {
	f := newFake(t)
	f.seed(150)
	f.ignoreNext = true
	c, _ := f.client(t, Options{})
	var last error
	n := 0
	for _, err := range c.Webhooks.All(context.Background()) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	var e *Error
	var pe *PagingError
	if !errors.As(last, &e) || e.Kind != KindEndlessList || !errors.As(last, &pe) || pe.Reason != PagingRepeatedCursor || n != 200 {
		t.Fatalf("after %d webhooks got %v; want the two identical pages read and then an endless_list error", n, last)
	}
	if pe.Pages != 2 || pe.Webhooks != 200 || len(f.seen()) != 2 {
		t.Fatalf("%+v after %d requests; want 2 pages, 200 webhooks, 2 requests", pe, len(f.seen()))
	}
}

// endlessServer answers every list request with a full page of new ids and
// hasMore, as a broken or hostile server might for ever.
func endlessServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		var b strings.Builder
		b.WriteString(`{"hasMore":true,"data":[`)
		for i := range pageSize {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id":"wh-%d-%d","address":"https://shop%d.example.com/hooks","types":["order.accepted"],"enabled":true}`, n, i, i)
		}
		b.WriteString("]}")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-dr-requestid", fmt.Sprintf("req_%d", n))
		io.WriteString(w, b.String())
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

func TestAllEndsAnEndlessListAfterMaxPages(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxPages int
		want     int
	}{
		{"default", 0, DefaultMaxPages},
		{"option", 7, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, requests := endlessServer(t)
			c, err := New(testKey, Options{BaseURL: srv.URL, AllowAnyHost: true, MaxPages: tc.maxPages})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			n := 0
			var last error
			for _, err := range c.Webhooks.All(ctx) {
				if err != nil {
					last = err
					break
				}
				n++
			}
			var e *Error
			var pe *PagingError
			if !errors.As(last, &e) || e.Kind != KindEndlessList || !errors.As(last, &pe) {
				t.Fatalf("got %v, want an endless_list *Error wrapping a *PagingError", last)
			}
			if pe.Reason != PagingTooManyPages || pe.Pages != tc.want || pe.Webhooks != tc.want*pageSize || n != tc.want*pageSize || requests.Load() != int64(tc.want) {
				t.Fatalf("%+v, %d webhooks yielded in %d requests; want %d pages of %d", pe, n, requests.Load(), tc.want, pageSize)
			}
			// The words are explain's (explain/digitalriver_test.go).
			if e.Status != http.StatusOK || e.Method != http.MethodGet || e.Path != "/webhooks" || e.RequestID != fmt.Sprintf("req_%d", tc.want) {
				t.Errorf("facts of the error: %+v", e)
			}
		})
	}
}

func TestAllReadsExactlyMaxPagesWhenTheListEndsThere(t *testing.T) {
	f := newFake(t)
	f.seed(3 * pageSize)
	c, _ := f.client(t, Options{MaxPages: 3})
	n := 0
	for _, err := range c.Webhooks.All(context.Background()) {
		if err != nil {
			t.Fatalf("after %d webhooks: %v; a list that ends on the last allowed page is whole", n, err)
		}
		n++
	}
	if n != 3*pageSize {
		t.Fatalf("%d webhooks, want %d", n, 3*pageSize)
	}
}

// A server that sends page 3 as if page 1 came next goes round for ever;
// the cursor it comes back to is an older one, not the last.
func TestAllEndsAListThatReturnsToAnOlderCursor(t *testing.T) {
	page := func(first, last string) string {
		return fmt.Sprintf(`{"hasMore":true,"data":[{"id":%q,"address":"https://a.example.com/"},{"id":%q,"address":"https://b.example.com/"}]}`, first, last)
	}
	pages := map[string]string{"": page("a0", "a"), "a": page("b0", "b"), "b": page("c0", "a")}
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, pages[r.URL.Query().Get("startingAfter")])
	}))
	defer srv.Close()
	c, err := New(testKey, Options{BaseURL: srv.URL, AllowAnyHost: true})
	if err != nil {
		t.Fatal(err)
	}
	var last error
	for _, err := range c.Webhooks.All(context.Background()) {
		last = err
	}
	var pe *PagingError
	if !errors.As(last, &pe) || pe.Reason != PagingRepeatedCursor || pe.Cursor != "a" || pe.Pages != 3 || pe.Webhooks != 6 || requests.Load() != 3 {
		t.Fatalf("got %v (%+v) after %d requests; want the walk stopped at the third page, which leads back to a", last, pe, requests.Load())
	}
}

// Whatever a server answers, a walk never makes more than MaxPages
// requests: random page graphs, with fresh ids, cycles of any length, pages
// that come back to themselves and pages of any size.
func TestAllNeverReadsMoreThanMaxPages(t *testing.T) {
	const maxPages = 12
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 42))
		// Cursors are page numbers; each page leads to one chosen at random
		// among the pages (a cycle, sooner or later) or to a fresh one.
		nodes := 1 + rng.IntN(30)
		next := make([]int, nodes)
		sizes := make([]int, nodes)
		for i := range next {
			next[i] = rng.IntN(nodes + nodes/2) // beyond nodes: a fresh page each time
			sizes[i] = 1 + rng.IntN(pageSize)
		}
		var requests atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := requests.Add(1)
			cur := 0
			if after := r.URL.Query().Get("startingAfter"); after != "" {
				fmt.Sscanf(after, "p%d", &cur)
			}
			node := cur % nodes
			to := next[node]
			last := fmt.Sprintf("p%d", to)
			if to >= nodes {
				last = fmt.Sprintf("p%d", nodes*int(n+1)+to%nodes) // new every time, same page behind it
			}
			var b strings.Builder
			b.WriteString(`{"hasMore":true,"data":[`)
			for i := range sizes[node] - 1 {
				fmt.Fprintf(&b, `{"id":"x%d-%d"},`, n, i)
			}
			fmt.Fprintf(&b, `{"id":%q}]}`, last)
			io.WriteString(w, b.String())
		}))
		c, err := New(testKey, Options{BaseURL: srv.URL, AllowAnyHost: true, MaxPages: maxPages})
		if err != nil {
			t.Fatal(err)
		}
		var last error
		for _, err := range c.Webhooks.All(context.Background()) {
			last = err
		}
		srv.Close()
		var pe *PagingError
		if !errors.As(last, &pe) || requests.Load() > maxPages || int64(pe.Pages) != requests.Load() {
			t.Fatalf("seed %d: %v (%+v) after %d requests; want a *PagingError within %d requests", seed, last, pe, requests.Load(), maxPages)
		}
	}
}

func TestFindByAddressAmongMany(t *testing.T) {
	f := newFake(t)
	f.seed(250)
	// The same address as webhook 137, with the host in capitals and no
	// trailing slash, as someone might have typed it in the Dashboard.
	f.mu.Lock()
	f.webhooks[180]["address"] = "https://SHOP137.Example.com/hooks"
	f.mu.Unlock()
	c, _ := f.client(t, Options{})
	found, err := c.Webhooks.FindByAddress(context.Background(), "https://shop137.example.com/hooks/")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, w := range found {
		ids = append(ids, w.ID)
	}
	want := []string{"00000000-0000-4000-8000-000000000137", "00000000-0000-4000-8000-000000000181"}
	if !slices.Equal(ids, want) {
		t.Fatalf("found %v, want %v", ids, want)
	}
	if found, _ := c.Webhooks.FindByAddress(context.Background(), "https://shop137.example.com/other/"); len(found) != 0 {
		t.Fatalf("another path matched: %v", found)
	}
}

func TestSameAddress(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{endpoint, endpoint, true},
		{endpoint, strings.TrimSuffix(endpoint, "/"), true},
		{endpoint, strings.Replace(endpoint, "acme.my.salesforce.com", "ACME.My.Salesforce.COM", 1), true},
		{endpoint, strings.Replace(endpoint, "salesforce.com/", "salesforce.com:443/", 1), true},
		{endpoint, "  " + endpoint + " ", true},
		{endpoint, strings.Replace(endpoint, "digitalriverv3", "DigitalRiverV3", 1), false},
		{endpoint, strings.Replace(endpoint, "digitalriverv3", "digitalriverv2", 1), false},
		{endpoint, strings.Replace(endpoint, "https:", "http:", 1), false},
		{endpoint, strings.Replace(endpoint, "acme.my.salesforce.com", "acme.lightning.force.com", 1), false},
		{endpoint, endpoint + "/", false},
		{"not a url/", "not a url", true},
	}
	for _, c := range cases {
		if got := SameAddress(c.a, c.b); got != c.want {
			t.Errorf("SameAddress(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestCreateSendsTheWebhookAndReadsTheAnswer(t *testing.T) {
	f := newFake(t)
	c, _ := f.client(t, Options{})
	w, err := c.Webhooks.Create(context.Background(), desiredSpec())
	if err != nil {
		t.Fatal(err)
	}
	if w.ID == "" || w.Address != endpoint || !w.Enabled || w.TransportType != "OAUTH" || w.CreatedTime.IsZero() {
		t.Fatalf("created webhook %v lacks what was sent", w)
	}
	if w.OAuth == nil || w.OAuth.ClientSecret.Reveal() != "C0nsumerS3cret-acme" || w.OAuth.GrantType != GrantPassword {
		t.Fatalf("oauth block %v not read back with its real values", w.OAuth)
	}
	posts := f.seenMethod(http.MethodPost)
	if len(posts) != 1 || posts[0].ContentType != "application/json" || posts[0].Auth != "Bearer "+testKey {
		t.Fatalf("requests %+v; want one JSON POST with the bearer key", posts)
	}
	var sent map[string]any
	json.Unmarshal(posts[0].Body, &sent)
	if sent["apiVersion"] != "default" || sent["transportType"] != "OAUTH" || sent["enabled"] != true {
		t.Errorf("sent %v; want apiVersion default, transportType OAUTH, enabled true", sent)
	}
	if o := sent["oauth"].(map[string]any); o["password"] != "Hunter2-passSECTOKEN123" || o["grantType"] != "password" {
		t.Errorf("sent oauth %v; want the real password and grantType password", o)
	}
}

func TestCreateAcceptsAnyTwoHundred(t *testing.T) {
	f := newFake(t)
	f.on(http.MethodPost, func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		rec := httptest.NewRecorder()
		serve(rec, r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK) // the connector guide says 200 where the API document says 201
		w.Write(rec.Body.Bytes())
	})
	c, _ := f.client(t, Options{})
	if w, err := c.Webhooks.Create(context.Background(), desiredSpec()); err != nil || w.ID == "" {
		t.Fatalf("a 200 to a create: %v, %v", w, err)
	}
}

func TestGetAndDelete(t *testing.T) {
	f := newFake(t)
	f.seed(3)
	c, _ := f.client(t, Options{})
	ctx := context.Background()
	id := "00000000-0000-4000-8000-000000000002"
	w, err := c.Webhooks.Get(ctx, id)
	if err != nil || w.ID != id || w.OAuth.ClientSecret.Reveal() != "cs-2" {
		t.Fatalf("Get = %v, %v", w, err)
	}
	if err := c.Webhooks.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if f.count() != 2 {
		t.Fatalf("%d webhooks after the delete, want 2", f.count())
	}
	_, err = c.Webhooks.Get(ctx, id)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindNotFound || !strings.Contains(err.Error(), id) {
		t.Fatalf("Get of a deleted webhook: %v; want not_found naming the id", err)
	}
	if err := c.Webhooks.Delete(ctx, id); !errors.As(err, &e) || e.Kind != KindNotFound {
		t.Fatalf("deleting a missing webhook on the first try must fail: %v", err)
	}
}

func TestDeleteWhoseAnswerWasLostSucceeds(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	f.on(http.MethodDelete, loseAnswer(true))
	c, sleeps := f.client(t, Options{})
	if err := c.Webhooks.Delete(context.Background(), "00000000-0000-4000-8000-000000000001"); err != nil {
		t.Fatalf("the retry's 404 means the first try deleted it: %v", err)
	}
	if f.count() != 0 || len(f.seenMethod(http.MethodDelete)) != 2 || len(*sleeps) != 1 {
		t.Fatalf("count %d, deletes %d, sleeps %v", f.count(), len(f.seenMethod(http.MethodDelete)), *sleeps)
	}
}

// A PATCH carries the whole webhook, so that whether Digital River keeps or
// clears the fields a PATCH omits, the result is the same.
func TestUpdateSendsTheWholeWebhook(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Spec)
		patch  bool // whether a PATCH is sent
	}{
		{"nothing", func(*Spec) {}, false},
		{"enabled", func(s *Spec) { s.Enabled = false }, true},
		{"types", func(s *Spec) { s.Types = []string{"order.accepted"} }, true},
		{"types in another order", func(s *Spec) { slices.Reverse(s.Types) }, false},
		{"address host case", func(s *Spec) {
			s.Address = strings.ToUpper(s.Address[:8]) + strings.ToUpper(s.Address[8:30]) + s.Address[30:]
		}, false},
		{"address", func(s *Spec) { s.Address = strings.Replace(s.Address, "acme", "acme2", 1) }, true},
		{"password", func(s *Spec) { s.OAuth.Password = "NewPassTOKEN" }, true},
		{"token endpoint and enabled", func(s *Spec) {
			s.OAuth.TokenEndPoint = "https://test.salesforce.com/services/oauth2/token"
			s.Enabled = false
		}, true},
		{"client credentials", func(s *Spec) {
			s.OAuth.GrantType, s.OAuth.UserName, s.OAuth.Password = GrantClientCredentials, "", ""
			s.OAuth.TokenEndPoint = "https://acme.my.salesforce.com/services/oauth2/token"
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.acceptClientCredentials = true
			c, _ := f.client(t, Options{})
			ctx := context.Background()
			current, err := c.Webhooks.Create(ctx, desiredSpec())
			if err != nil {
				t.Fatal(err)
			}
			d := desiredSpec()
			o := *d.OAuth
			d.OAuth = &o
			d.Types = slices.Clone(d.Types)
			tc.change(&d)
			got, err := c.Webhooks.Update(ctx, current.ID, current, d)
			if err != nil {
				t.Fatal(err)
			}
			patches := f.seenMethod(http.MethodPatch)
			if !tc.patch {
				if len(patches) != 0 || got.ID != current.ID {
					t.Fatalf("nothing changed, yet %d PATCH requests were sent", len(patches))
				}
				return
			}
			if len(patches) != 1 {
				t.Fatalf("%d PATCH requests, want 1", len(patches))
			}
			var body struct {
				Address       string         `json:"address"`
				Types         []string       `json:"types"`
				APIVersion    string         `json:"apiVersion"`
				Enabled       *bool          `json:"enabled"`
				TransportType string         `json:"transportType"`
				OAuth         map[string]any `json:"oauth"`
			}
			if err := json.Unmarshal(patches[0].Body, &body); err != nil {
				t.Fatal(err)
			}
			n := d.normalized()
			if body.Address != n.Address || !slices.Equal(body.Types, n.Types) || body.APIVersion != "default" || body.Enabled == nil || *body.Enabled != n.Enabled || body.TransportType != "OAUTH" {
				t.Fatalf("PATCH body %s lacks the whole webhook", patches[0].Body)
			}
			wantOAuth := []string{"clientID", "clientSecret", "grantType", "password", "tokenEndPoint", "userName"}
			if n.OAuth.GrantType == GrantClientCredentials {
				// Neither sent nor compared: what Digital River keeps of them
				// is never reported as a change.
				wantOAuth = []string{"clientID", "clientSecret", "grantType", "tokenEndPoint"}
			}
			if keys := slices.Sorted(maps.Keys(body.OAuth)); !slices.Equal(keys, wantOAuth) {
				t.Fatalf("PATCH oauth keys %v, want %v", keys, wantOAuth)
			}
			if len(Diff(got, d)) != 0 {
				t.Fatalf("after the update the webhook still differs: %v", Diff(got, d))
			}
		})
	}
}

func TestDiff(t *testing.T) {
	current := Webhook{
		ID: "wh1", Address: endpoint, Types: []string{"order.complete", "order.accepted"},
		APIVersion: "default", Enabled: true, TransportType: "OAUTH",
		OAuth: &OAuth{TokenEndPoint: "https://login.salesforce.com/services/oauth2/token", UserName: "u@acme.com",
			Password: "old-passTOKEN", ClientID: "cid", ClientSecret: "old-secret", GrantType: "password"},
	}
	desired := Spec{Address: strings.ToUpper(endpoint[:12]) + endpoint[12:], Types: []string{"order.accepted", "order.complete", "order.accepted"}, Enabled: true,
		OAuth: &OAuth{TokenEndPoint: "https://login.salesforce.com/services/oauth2/token", UserName: "u@acme.com",
			Password: "old-passTOKEN", ClientID: "cid", ClientSecret: "old-secret"}}
	if got := Diff(current, desired); len(got) != 0 {
		t.Fatalf("same webhook up to address form, type order and defaults: %v", got)
	}
	desired.OAuth.Password = "new-passTOKEN"
	desired.OAuth.ClientSecret = ""
	desired.Enabled = false
	got := Diff(current, desired)
	want := []Change{
		{Field: "enabled", From: "true", To: "false"},
		{Field: "oauth.password", From: secret.Masked, To: "changed"},
		{Field: "oauth.clientSecret", From: secret.Masked, To: ""},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Diff = %v, want %v", got, want)
	}
	http := Webhook{Address: endpoint, Types: []string{"order.accepted"}, Enabled: true}
	got = Diff(http, Spec{Address: endpoint, Types: []string{"order.accepted"}, Enabled: true, OAuth: &OAuth{TokenEndPoint: "t", ClientID: "c", ClientSecret: "s"}})
	fields := []string{}
	for _, c := range got {
		fields = append(fields, c.Field)
	}
	if !slices.Equal(fields, []string{"transportType", "oauth.tokenEndPoint", "oauth.clientID", "oauth.clientSecret"}) {
		t.Fatalf("HTTP webhook to OAUTH: changed fields %v", fields)
	}
}

func TestEnsure(t *testing.T) {
	f := newFake(t)
	f.seed(120)
	c, _ := f.client(t, Options{})
	ctx := context.Background()

	r, err := c.Webhooks.Ensure(ctx, desiredSpec(), EnsureOptions{})
	if err != nil || r.Action != ActionCreated || r.Adopted || f.count() != 121 {
		t.Fatalf("first Ensure: %+v, %v, %d webhooks; want created, 121 webhooks", r, err, f.count())
	}
	writes := func() int { return len(f.seenMethod(http.MethodPost)) + len(f.seenMethod(http.MethodPatch)) }
	before := writes()
	r, err = c.Webhooks.Ensure(ctx, desiredSpec(), EnsureOptions{})
	if err != nil || r.Action != ActionUnchanged || writes() != before {
		t.Fatalf("second Ensure: %+v, %v; want unchanged and no write", r, err)
	}
	d := desiredSpec()
	d.OAuth.Password = "RotatedPassTOKEN"
	r, err = c.Webhooks.Ensure(ctx, d, EnsureOptions{})
	if err != nil || r.Action != ActionUpdated || f.count() != 121 {
		t.Fatalf("Ensure with a new password: %+v, %v", r, err)
	}
	if len(r.Changes) != 1 || r.Changes[0] != (Change{Field: "oauth.password", From: secret.Masked, To: "changed"}) {
		t.Fatalf("changes %v, want only the password, without its value", r.Changes)
	}
	if r.Webhook.OAuth.Password.Reveal() != "RotatedPassTOKEN" {
		t.Fatal("the update's answer does not carry the new password")
	}
}

func TestEnsureNeverAddsToDuplicates(t *testing.T) {
	f := newFake(t)
	f.seed(2)
	f.mu.Lock()
	f.webhooks[0]["address"] = endpoint
	f.webhooks[1]["address"] = strings.TrimSuffix(endpoint, "/")
	f.mu.Unlock()
	c, _ := f.client(t, Options{})
	_, err := c.Webhooks.Ensure(context.Background(), desiredSpec(), EnsureOptions{})
	var dup *DuplicatesError
	if !errors.As(err, &dup) || len(dup.Webhooks) != 2 || !strings.Contains(err.Error(), "00000000-0000-4000-8000-000000000001") {
		t.Fatalf("got %v; want a DuplicatesError naming both", err)
	}
	if len(f.seenMethod(http.MethodPost))+len(f.seenMethod(http.MethodPatch))+len(f.seenMethod(http.MethodDelete)) != 0 {
		t.Fatal("Ensure wrote despite duplicates")
	}
}

func TestEnsureWithBroaderMatchFixesTheWrongAddress(t *testing.T) {
	f := newFake(t)
	c, _ := f.client(t, Options{})
	ctx := context.Background()
	wrong := desiredSpec()
	wrong.Address = "https://acme.lightning.force.com/services/apexrest/digitalriverv3/webhooks/"
	old, err := c.Webhooks.Create(ctx, wrong)
	if err != nil {
		t.Fatal(err)
	}
	match := func(w Webhook) bool {
		u, _ := url.Parse(w.Address)
		return strings.HasPrefix(u.Hostname(), "acme.") && strings.Contains(u.Path, "/digitalriverv3/webhooks")
	}
	p, err := c.Webhooks.Plan(ctx, desiredSpec(), EnsureOptions{Match: match})
	if err != nil || p.Action != ActionUpdate || p.Target.ID != old.ID || len(p.Changes) != 1 || p.Changes[0].Field != "address" {
		t.Fatalf("plan %+v, %v; want an update of the address of %s", p, err, old.ID)
	}
	r, err := c.Webhooks.Apply(ctx, p)
	if err != nil || r.Action != ActionUpdated || r.Webhook.Address != endpoint || f.count() != 1 {
		t.Fatalf("apply: %+v, %v, %d webhooks", r, err, f.count())
	}
}

func TestApplyRereadsTheTargetBeforeUpdating(t *testing.T) {
	f := newFake(t)
	c, _ := f.client(t, Options{})
	ctx := context.Background()
	w, _ := c.Webhooks.Create(ctx, desiredSpec())
	d := desiredSpec()
	d.Types = d.Types[:2]
	p, err := c.Webhooks.Plan(ctx, d, EnsureOptions{})
	if err != nil || p.Action != ActionUpdate {
		t.Fatal(p, err)
	}
	// Someone disables the webhook in the Dashboard while the plan is reviewed.
	f.mu.Lock()
	f.find(w.ID)["enabled"] = false
	f.mu.Unlock()
	r, err := c.Webhooks.Apply(ctx, p)
	if err != nil || !r.Webhook.Enabled || len(r.Changes) != 2 {
		t.Fatalf("apply: %+v, %v; want the webhook enabled again and types changed", r, err)
	}
}

func TestSpecValidate(t *testing.T) {
	cases := []struct {
		change func(*Spec)
		field  string
	}{
		{func(s *Spec) {}, ""},
		{func(s *Spec) { s.Address = "" }, "address"},
		{func(s *Spec) { s.Address = "acme.my.salesforce.com/services" }, "address"},
		{func(s *Spec) { s.Types = []string{" "} }, "types"},
		{func(s *Spec) { s.TransportType = "SOAP" }, "transportType"},
		{func(s *Spec) { s.OAuth = nil; s.TransportType = "OAUTH" }, "oauth"},
		{func(s *Spec) { s.OAuth.ClientSecret = "" }, "oauth.clientSecret"},
		{func(s *Spec) { s.OAuth.Password = "" }, "oauth.password"},
		{func(s *Spec) { s.OAuth.Password, s.OAuth.UserName, s.OAuth.GrantType = "", "", GrantClientCredentials }, ""},
	}
	for i, c := range cases {
		s := desiredSpec()
		c.change(&s)
		err := s.Validate()
		var se *SpecError
		if c.field == "" && err != nil || c.field != "" && (!errors.As(err, &se) || se.Field != c.field) {
			t.Errorf("case %d: Validate = %v, want field %q", i, err, c.field)
		}
	}
	f := newFake(t)
	c, _ := f.client(t, Options{})
	bad := desiredSpec()
	bad.Types = nil
	if _, err := c.Webhooks.Ensure(context.Background(), bad, EnsureOptions{}); err == nil || len(f.seen()) != 0 {
		t.Fatalf("an invalid spec must be refused before any request: %v, %d requests", err, len(f.seen()))
	}
}

func TestClassifyKey(t *testing.T) {
	cases := []struct {
		key  string
		mode Mode
		kind string
	}{
		{"sk_test_0123456789abcdef", ModeTest, ""},
		{"  sk_test_0123456789abcdef\n", ModeTest, ""},
		{"sk_0123456789abcdef", ModeLive, ""},
		{"sk_live_0123456789abcdef", ModeLive, ""},
		{"", "", KeyEmpty},
		{"   ", "", KeyEmpty},
		{"pk_test_0123456789abcdef", "", KeyPublic},
		{"pk_0123456789abcdef", "", KeyPublic},
		{"sk_test_", "", KeyMalformed},
		{"sk_", "", KeyMalformed},
		{"Bearer sk_test_0123456789abcdef", "", KeyMalformed},
		{"sk_test_0123 456789", "", KeyMalformed},
		{"sk_test_0123\"456789", "", KeyMalformed},
		{"0123456789abcdef", "", KeyMalformed},
	}
	for _, c := range cases {
		mode, err := ClassifyKey(c.key)
		var ke *KeyError
		if c.kind == "" {
			if err != nil || mode != c.mode {
				t.Errorf("ClassifyKey(%q) = %q, %v; want %q", c.key, mode, err, c.mode)
			}
			continue
		}
		if !errors.As(err, &ke) || ke.Kind != c.kind {
			t.Errorf("ClassifyKey(%q) = %v; want a %s KeyError", c.key, err, c.kind)
			continue
		}
		if strings.Contains(err.Error(), "0123456789") || !strings.Contains(err.Error(), "sk_test_") {
			t.Errorf("ClassifyKey(%q): %q must not echo the key and must say what a secret key looks like", c.key, err)
		}
	}
	if !strings.Contains((&KeyError{Kind: KeyPublic}).Error(), "public key") {
		t.Error("a pk_ key's message must say it is a public key and a secret one is needed")
	}
}

func TestNew(t *testing.T) {
	cases := []struct {
		key, base string
		anyHost   bool
		ok        bool
	}{
		{testKey, "", false, true},
		{testKey, "https://API.digitalriver.com/", false, true},
		{testKey, "https://api.digitalriver.com.evil.example/", false, false},
		{testKey, "https://emulator.example.com/dr", true, true},
		{testKey, "http://api.digitalriver.com", false, false},
		{testKey, "http://127.0.0.1:9999", true, true},
		{"pk_test_0123456789", "", false, false},
		{"sk test", "", false, false},
	}
	for _, c := range cases {
		cl, err := New(c.key, Options{BaseURL: c.base, AllowAnyHost: c.anyHost})
		if (err == nil) != c.ok {
			t.Errorf("New(%q, %q, any=%v) = %v; want ok=%v", secret.Mask(c.key), c.base, c.anyHost, err, c.ok)
		}
		if err != nil && strings.Contains(err.Error(), "0123456789") {
			t.Errorf("New's error %q repeats the key", err)
		}
		if err == nil && cl.Mode() != ModeTest {
			t.Errorf("mode %q for a test key", cl.Mode())
		}
	}
}

func TestBaseURLPathPrefixIsKept(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	prefixed := http.StripPrefix("/dr", f.srv.Config.Handler)
	srv := httptest.NewServer(prefixed)
	defer srv.Close()
	c, err := New(testKey, Options{BaseURL: srv.URL + "/dr/", AllowAnyHost: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Webhooks.Get(context.Background(), "00000000-0000-4000-8000-000000000001"); err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != srv.URL+"/dr" {
		t.Fatalf("BaseURL() = %q", c.BaseURL())
	}
}

func TestWebhookIDIsEscapedInThePath(t *testing.T) {
	f := newFake(t)
	c, _ := f.client(t, Options{})
	c.Webhooks.Get(context.Background(), "../events?x=1")
	if r := f.seen(); len(r) != 1 || r[0].Path != "/webhooks/../events?x=1" || r[0].Query != "" {
		t.Fatalf("request %+v; the id must stay one escaped path segment", r)
	}
}

func TestCancelledCallStopsAtOnce(t *testing.T) {
	f := newFake(t)
	f.on("", status(503, "service_unavailable"))
	c, _ := f.client(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(ctx context.Context, d time.Duration) error { cancel(); <-ctx.Done(); return ctx.Err() }
	_, err := c.Webhooks.Get(ctx, "x")
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindCancelled || len(f.seen()) != 1 {
		t.Fatalf("got %v after %d requests; want cancelled after 1", err, len(f.seen()))
	}
	if !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("%q should say it was cancelled", err)
	}
}

func ExampleWebhooksService_Ensure() {
	c, err := New(os.Getenv("DRSETUP_DR_API_KEY"), Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := c.Webhooks.Ensure(context.Background(), Spec{Address: endpoint, Types: AppEvents, Enabled: true}, EnsureOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Action, r.Webhook.ID)
}
