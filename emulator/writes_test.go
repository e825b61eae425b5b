package emulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func listIDs(t *testing.T, e *Emulator) []string {
	t.Helper()
	rec := drCall(t, e, testKey, http.MethodGet, "/webhooks?limit=100", "")
	var page struct{ Data []Webhook }
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("list: %d %s", rec.Code, rec.Body)
	}
	var ids []string
	for _, w := range page.Data {
		ids = append(ids, w.ID)
	}
	return ids
}

func TestListLagsBehindCreatesByTheEmulatorsClock(t *testing.T) {
	clock := newFakeClock()
	s := testScenario()
	s.Clock = clock.Now
	s.DigitalRiver.ListLag = 3 * time.Second
	e := New(s)
	rec := drCall(t, e, testKey, http.MethodPost, "/webhooks", oauthHook("https://"+acmeHost+apexPath))
	created := decode[Webhook](t, rec.Body.Bytes())
	if rec.Code != http.StatusCreated || !created.CreatedTime.Equal(clock.Now()) {
		t.Fatalf("create: %d, createdTime %v, want the emulator's clock %v", rec.Code, created.CreatedTime, clock.Now())
	}
	if ids := listIDs(t, e); len(ids) != 0 {
		t.Fatalf("listed %v at once; the list lags by 3 s", ids)
	}
	if rec := drCall(t, e, testKey, http.MethodGet, "/webhooks/"+created.ID, ""); rec.Code != http.StatusOK {
		t.Fatalf("GET by id should find it at once: %d", rec.Code)
	}
	clock.Advance(2999 * time.Millisecond)
	if ids := listIDs(t, e); len(ids) != 0 {
		t.Fatalf("listed %v before the lag has passed", ids)
	}
	clock.Advance(time.Millisecond)
	if ids := listIDs(t, e); !slices.Equal(ids, []string{created.ID}) {
		t.Fatalf("listed %v once the lag passed, want %s", ids, created.ID)
	}
	drCall(t, e, testKey, http.MethodDelete, "/webhooks/"+created.ID, "")
	if ids := listIDs(t, e); len(ids) != 0 {
		t.Fatalf("a deleted webhook is still listed: %v", ids)
	}
}

func TestCreatedTimesFollowTheOrderOfCreates(t *testing.T) {
	clock := newFakeClock() // never moves: every create at the same instant
	s := testScenario()
	s.Clock = clock.Now
	e := New(s)
	var last time.Time
	for i := range 5 {
		w := decode[Webhook](t, drCall(t, e, testKey, http.MethodPost, "/webhooks", oauthHook("https://"+acmeHost+apexPath)).Body.Bytes())
		if !w.CreatedTime.After(last) {
			t.Fatalf("create %d at %v, not after the one before (%v)", i, w.CreatedTime, last)
		}
		last = w.CreatedTime
	}
}

func TestStoreCreatesDifferently(t *testing.T) {
	s := testScenario()
	s.Faults.StoreCreatesDifferently = 1
	e := New(s)
	rec := drCall(t, e, testKey, http.MethodPost, "/webhooks", oauthHook("https://"+acmeHost+apexPath))
	answered := decode[Webhook](t, rec.Body.Bytes())
	if rec.Code != http.StatusCreated || answered.TransportType != "OAUTH" || answered.OAuth == nil || len(answered.Types) != 2 {
		t.Fatalf("the answer should repeat what was asked: %d %+v", rec.Code, answered)
	}
	stored := decode[Webhook](t, drCall(t, e, testKey, http.MethodGet, "/webhooks/"+answered.ID, "").Body.Bytes())
	if stored.TransportType != "HTTP" || stored.OAuth != nil || !slices.Equal(stored.Types, []string{"order.accepted"}) {
		t.Fatalf("stored %+v; want HTTP, no oauth, one event type", stored)
	}
	second := decode[Webhook](t, drCall(t, e, testKey, http.MethodPost, "/webhooks", oauthHook("https://"+acmeHost+apexPath)).Body.Bytes())
	if got := decode[Webhook](t, drCall(t, e, testKey, http.MethodGet, "/webhooks/"+second.ID, "").Body.Bytes()); got.TransportType != "OAUTH" {
		t.Fatalf("the fault should apply to one create only: %+v", got)
	}
}

func TestPatchOmittedFields(t *testing.T) {
	// A move to client credentials that leaves out userName and password.
	move := `{"oauth":{"tokenEndPoint":"https://acme.my.salesforce.com/services/oauth2/token","clientID":"cc-client","clientSecret":"cc-secret","grantType":"client_credentials"}}`
	full := `{"address":"https://` + acmeHost + apexPath + `","types":["order.complete"],"transportType":"OAUTH",` + move[1:]
	cases := []struct {
		mode     string
		body     string
		status   int
		userName string // left in the oauth block
		types    []string
	}{
		{PatchReplaceOAuth, move, http.StatusOK, "", []string{"order.accepted", "order.complete"}},
		{PatchKeep, move, http.StatusOK, apiUser, []string{"order.accepted", "order.complete"}},
		{PatchClear, move, http.StatusBadRequest, apiUser, []string{"order.accepted", "order.complete"}}, // address and types are then required
		{PatchClear, full, http.StatusOK, "", []string{"order.complete"}},
	}
	for _, tc := range cases {
		t.Run(tc.mode+" "+tc.body[:20], func(t *testing.T) {
			s := testScenario()
			s.DigitalRiver.PatchOmitted = tc.mode
			e := New(s)
			created := decode[Webhook](t, drCall(t, e, testKey, http.MethodPost, "/webhooks", oauthHook("https://"+acmeHost+apexPath)).Body.Bytes())
			rec := drCall(t, e, testKey, http.MethodPatch, "/webhooks/"+created.ID, tc.body)
			if rec.Code != tc.status {
				t.Fatalf("PATCH: %d %s, want %d", rec.Code, rec.Body, tc.status)
			}
			stored := e.Webhooks(modeTest)[0]
			if stored.OAuth.UserName != tc.userName || !slices.Equal(stored.Types, tc.types) {
				t.Fatalf("stored userName %q types %v, want %q %v", stored.OAuth.UserName, stored.Types, tc.userName, tc.types)
			}
			if tc.status == http.StatusOK && stored.OAuth.GrantType != "client_credentials" {
				t.Fatalf("grant %q", stored.OAuth.GrantType)
			}
		})
	}
	if _, err := newEmulator(Scenario{DigitalRiver: Account{PatchOmitted: "merge"}}); err == nil || !strings.Contains(err.Error(), "digitalRiver.patchOmitted") {
		t.Fatalf("an unknown PATCH mode: %v", err)
	}
}

func TestRefuseClientCredentials(t *testing.T) {
	s := testScenario()
	s.DigitalRiver.RefuseClientCredentials = true
	e := New(s)
	cc := strings.Replace(oauthHook("https://"+acmeHost+apexPath), `"grantType":"password"`, `"grantType":"client_credentials"`, 1)
	rec := drCall(t, e, testKey, http.MethodPost, "/webhooks", cc)
	got := decode[drErrorBody](t, rec.Body.Bytes())
	if rec.Code != http.StatusBadRequest || got.Type != "bad_request" || got.Errors[0].Parameter != "oauth.grantType" || !strings.Contains(got.Errors[0].Message, "client_credentials") {
		t.Fatalf("%d %+v", rec.Code, got)
	}
	if len(e.Webhooks("")) != 0 {
		t.Fatal("a refused create was stored")
	}
	// The password grant is still taken, and a PATCH that does not touch
	// the grant is not refused.
	created := decode[Webhook](t, drCall(t, e, testKey, http.MethodPost, "/webhooks", oauthHook("https://"+acmeHost+apexPath)).Body.Bytes())
	if rec := drCall(t, e, testKey, http.MethodPatch, "/webhooks/"+created.ID, `{"enabled":false}`); rec.Code != http.StatusOK {
		t.Fatalf("PATCH enabled: %d", rec.Code)
	}
	if rec := drCall(t, e, testKey, http.MethodPatch, "/webhooks/"+created.ID, `{"oauth":{"tokenEndPoint":"https://acme.my.salesforce.com/services/oauth2/token","clientID":"c","clientSecret":"s","grantType":"client_credentials"}}`); rec.Code != http.StatusBadRequest {
		t.Fatalf("PATCH to client credentials: %d", rec.Code)
	}
}

func TestFaultHoldCreateResponse(t *testing.T) {
	s := testScenario()
	s.Faults.HoldCreateResponse = 1
	srv, c := startServer(t, s)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, _, err := send(t, ctx, c, "POST", "https://api.digitalriver.com/webhooks", oauthHook("https://"+acmeHost+apexPath), "Authorization", "Bearer "+testKey, "Content-Type", "application/json")
	if err == nil {
		t.Fatal("the held create answered")
	}
	if n := len(srv.Webhooks(modeTest)); n != 1 {
		t.Fatalf("%d webhooks stored, want the held create kept", n)
	}
	// The handler records the exchange once it sees the client go, a moment
	// after the client gave up.
	deadline := time.Now().Add(5 * time.Second)
	for srv.Received()[0].Fault == "" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if x := srv.Received()[0]; x.Fault != FaultHoldResponse || x.Status != 0 {
		t.Errorf("recorded %+v", x)
	}
}

func TestScenarioJSONWriteOptions(t *testing.T) {
	sc, err := LoadScenario(strings.NewReader(`{"digitalRiver":{"keys":[{"key":"sk_test_x1"}],"listLag":"40s","patchOmitted":"keep","refuseClientCredentials":true},
		"faults":{"holdCreateResponse":1,"storeCreatesDifferently":2,"dropCreateResponse":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	a, f := sc.DigitalRiver, sc.Faults
	if a.ListLag != 40*time.Second || a.PatchOmitted != PatchKeep || !a.RefuseClientCredentials || f.HoldCreateResponse != 1 || f.StoreCreatesDifferently != 2 {
		t.Fatalf("scenario %+v %+v", a, f)
	}
	for body, field := range map[string]string{
		`{"digitalRiver":{"listLag":"soon"}}`:      "digitalRiver.listLag",
		`{"digitalRiver":{"listLag":"-1s"}}`:       "digitalRiver.listLag",
		`{"digitalRiver":{"patchOmitted":"some"}}`: "digitalRiver.patchOmitted",
	} {
		if _, err := LoadScenario(strings.NewReader(body)); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v, want an error naming %s", body, err, field)
		}
	}
}

func TestServerCertificateAuthorityCanBeTrustedByOtherProcesses(t *testing.T) {
	srv, _ := startServer(t, testScenario())
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(srv.CACertPEM()) {
		t.Fatal("CACertPEM is not a PEM certificate")
	}
	conn, err := tls.Dial("tcp", srv.Addr(), &tls.Config{ServerName: drHost, RootCAs: pool})
	if err != nil {
		t.Fatalf("a client trusting only CACertPEM could not reach %s: %v", srv.Addr(), err)
	}
	conn.Close()
}
