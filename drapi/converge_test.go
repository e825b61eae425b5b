package drapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// storeHook adds wh to the fake's webhooks, as another run's create would.
func (f *fakeDR) store(wh map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.webhooks = append(f.webhooks, wh)
}

// otherRunsWebhook is the desired webhook as another drsetup run (or the
// Dashboard) stored it, with id and createdTime.
func otherRunsWebhook(id, created string) map[string]any {
	return map[string]any{
		"id": id, "address": endpoint, "types": []any{"order.accepted"},
		"apiVersion": "default", "enabled": true, "transportType": "OAUTH", "liveMode": false,
		"createdTime": created, "updatedTime": created,
		"oauth": map[string]any{
			"tokenEndPoint": "https://login.salesforce.com/services/oauth2/token", "userName": "integration@acme.com",
			"password": "Hunter2-passSECTOKEN123", "clientID": "3MVG9acmeConsumerKey", "clientSecret": "C0nsumerS3cret-acme", "grantType": "password",
		},
	}
}

func (f *fakeDR) ids() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, wh := range f.webhooks {
		out = append(out, wh["id"].(string))
	}
	return out
}

func TestApplyLooksAgainRightBeforeCreating(t *testing.T) {
	f := newFake(t)
	c, _ := f.client(t, Options{})
	ctx := context.Background()
	p, err := c.Webhooks.Plan(ctx, desiredSpec(), EnsureOptions{})
	if err != nil || p.Action != ActionCreate {
		t.Fatalf("plan %+v, %v", p, err)
	}
	// Another admin's run creates it while this one's plan is reviewed.
	f.store(otherRunsWebhook("00000000-0000-4000-8000-0000000000aa", "2024-05-01T11:00:00.000Z"))
	r, err := c.Webhooks.Apply(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.seenMethod(http.MethodPost)); n != 0 {
		t.Fatalf("%d POSTs; a webhook for the address exists, so none should be sent", n)
	}
	if r.Action != ActionUpdated || !r.Appeared || r.Webhook.ID != "00000000-0000-4000-8000-0000000000aa" || len(r.Webhook.Types) != len(AppEvents) {
		t.Fatalf("result %+v; want the other run's webhook updated to the desired types", r)
	}
	if ids := f.ids(); len(ids) != 1 {
		t.Fatalf("webhooks %v, want one", ids)
	}
}

func TestApplyKeepsTheOlderWebhookWhenAnotherWasCreatedMeanwhile(t *testing.T) {
	const older = "00000000-0000-4000-8000-0000000000aa"
	f := newFake(t)
	// While this run's POST is on its way, another run's create lands first.
	f.on(http.MethodPost, func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		f.store(otherRunsWebhook(older, "2024-05-01T11:00:00.000Z"))
		serve(w, r)
	})
	c, _ := f.client(t, Options{})
	r, err := c.Webhooks.Ensure(context.Background(), desiredSpec(), EnsureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ours := "00000000-0000-4000-8000-000000000001"
	if ids := f.ids(); !slices.Equal(ids, []string{older}) {
		t.Fatalf("webhooks %v; want only the older one, %s", ids, older)
	}
	if r.Webhook.ID != older || !slices.Equal(r.Deleted, []string{ours}) || r.Action != ActionUpdated || len(r.Webhook.Types) != len(AppEvents) {
		t.Fatalf("result %+v; want the older webhook kept and updated, this run's deleted", r)
	}
}

func TestApplyDeletesANewerDuplicateMadeAtTheSameTime(t *testing.T) {
	const newer = "00000000-0000-4000-8000-0000000000bb"
	f := newFake(t)
	f.on(http.MethodPost, func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		serve(w, r)
		f.store(otherRunsWebhook(newer, "2030-01-01T00:00:00.000Z"))
	})
	c, _ := f.client(t, Options{})
	r, err := c.Webhooks.Ensure(context.Background(), desiredSpec(), EnsureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ours := "00000000-0000-4000-8000-000000000001"
	if ids := f.ids(); !slices.Equal(ids, []string{ours}) {
		t.Fatalf("webhooks %v; want only this run's older one", ids)
	}
	if r.Action != ActionCreated || r.Webhook.ID != ours || !slices.Equal(r.Deleted, []string{newer}) {
		t.Fatalf("result %+v", r)
	}
}

func TestApplyKeepsTheWebhookTheProfileNames(t *testing.T) {
	const named = "00000000-0000-4000-8000-0000000000cc"
	f := newFake(t)
	f.on(http.MethodPost, func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		serve(w, r)
		f.store(otherRunsWebhook(named, "2030-01-01T00:00:00.000Z")) // newer, but named
	})
	c, _ := f.client(t, Options{})
	r, err := c.Webhooks.Ensure(context.Background(), desiredSpec(), EnsureOptions{Prefer: named})
	if err != nil {
		t.Fatal(err)
	}
	if ids := f.ids(); !slices.Equal(ids, []string{named}) || r.Webhook.ID != named {
		t.Fatalf("webhooks %v, result %+v; want the named one kept", ids, r)
	}
}

func TestKeeperIsTheOldestThenTheLowestID(t *testing.T) {
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	ws := []Webhook{
		{ID: "c", CreatedTime: at("2024-05-01T10:00:00Z")},
		{ID: "b", CreatedTime: at("2024-05-01T09:00:00Z")},
		{ID: "a", CreatedTime: at("2024-05-01T09:00:00Z")},
		{ID: "d", CreatedTime: at("2024-05-01T11:00:00Z")},
	}
	for range 20 {
		// Whatever order a list gives them in, two runs agree.
		shuffled := slices.Clone(ws)
		for i := range shuffled {
			j := (i*7 + 3) % len(shuffled)
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		}
		ws = shuffled
		if k := keeper(ws, ""); k.ID != "a" {
			t.Fatalf("keeper of %v is %s, want a (oldest, then lowest id)", ws, k.ID)
		}
	}
	if k := keeper(ws, "d"); k.ID != "d" {
		t.Fatalf("the preferred webhook d was not kept: %s", k.ID)
	}
	if k := keeper(ws, "gone"); k.ID != "a" {
		t.Fatalf("a preferred id not among them falls back to the oldest: %s", k.ID)
	}
}

func TestAStoredDifferentlyCreateIsAReadBackError(t *testing.T) {
	f := newFake(t)
	f.on(http.MethodPost, func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		serve(w, r) // answered as asked, stored as plain HTTP with one event type
		f.mu.Lock()
		wh := f.webhooks[len(f.webhooks)-1]
		wh["transportType"], wh["types"] = "HTTP", []any{"order.accepted"}
		delete(wh, "oauth")
		f.mu.Unlock()
	})
	c, _ := f.client(t, Options{})
	_, err := c.Webhooks.Ensure(context.Background(), desiredSpec(), EnsureOptions{})
	var rb *ReadBackError
	if !errors.As(err, &rb) {
		t.Fatalf("got %v; want a ReadBackError", err)
	}
	want := []string{"types", "transportType", "oauth.tokenEndPoint", "oauth.clientID", "oauth.clientSecret", "oauth.grantType", "oauth.userName", "oauth.password"}
	if !slices.Equal(rb.Fields, want) || rb.Action != ActionCreated || rb.WebhookID == "" {
		t.Fatalf("read-back error %+v; want fields %v", rb, want)
	}
	if !MayHaveWritten(err) {
		t.Fatal("a write stored differently did reach Digital River")
	}
	if strings.Contains(err.Error(), "Hunter2") || strings.Contains(err.Error(), "C0nsumerS3cret") {
		t.Fatalf("the error repeats a secret: %v", err)
	}
}

func TestAnUpdateIsReadBack(t *testing.T) {
	f := newFake(t)
	c, _ := f.client(t, Options{})
	ctx := context.Background()
	if _, err := c.Webhooks.Create(ctx, desiredSpec()); err != nil {
		t.Fatal(err)
	}
	// The PATCH is answered with what was sent, but the password is not
	// stored.
	f.on(http.MethodPatch, func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		f.mu.Lock()
		old := f.webhooks[0]["oauth"]
		f.mu.Unlock()
		serve(w, r)
		f.mu.Lock()
		o := old.(map[string]any)
		f.webhooks[0]["oauth"] = map[string]any{"tokenEndPoint": o["tokenEndPoint"], "userName": o["userName"], "password": o["password"],
			"clientID": o["clientID"], "clientSecret": o["clientSecret"], "grantType": "password"}
		f.mu.Unlock()
	})
	d := desiredSpec()
	d.OAuth.Password = "Rotated-passSECTOKEN123"
	_, err := c.Webhooks.Ensure(ctx, d, EnsureOptions{})
	var rb *ReadBackError
	if !errors.As(err, &rb) || !slices.Equal(rb.Fields, []string{"oauth.password"}) || rb.Action != ActionUpdated {
		t.Fatalf("got %v; want the password named as differing after the update", err)
	}
	if n := len(f.seenMethod(http.MethodGet)); n < 2 {
		t.Fatalf("%d GETs; the update must be read back", n)
	}
}

func TestApplyToATargetDeletedSinceThePlanCreatesIt(t *testing.T) {
	f := newFake(t)
	c, _ := f.client(t, Options{})
	ctx := context.Background()
	w, _ := c.Webhooks.Create(ctx, desiredSpec())
	d := desiredSpec()
	d.Types = d.Types[:3]
	p, err := c.Webhooks.Plan(ctx, d, EnsureOptions{})
	if err != nil || p.Action != ActionUpdate {
		t.Fatal(p, err)
	}
	if err := c.Webhooks.Delete(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	r, err := c.Webhooks.Apply(ctx, p)
	if err != nil || r.Action != ActionCreated || len(f.ids()) != 1 || r.Webhook.ID == w.ID {
		t.Fatalf("apply: %+v, %v, webhooks %v; want a new one created", r, err, f.ids())
	}
}

func TestALostCreateIsAdoptedFromALaggingList(t *testing.T) {
	f := newFake(t)
	f.listLag = 3 // the webhook shows from the fourth list on
	f.on(http.MethodPost, loseAnswer(true))
	c, sleeps := f.client(t, Options{})
	awaiting := 0
	ctx := WithNotices(context.Background(), Notices{AwaitingCreate: func() { awaiting++ }})
	r, err := c.Webhooks.Ensure(ctx, desiredSpec(), EnsureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.seenMethod(http.MethodPost)); n != 1 || awaiting != 1 {
		t.Fatalf("%d POSTs, %d notices of the wait; a lost create is never sent again, and the wait is told once", n, awaiting)
	}
	if r.Action != ActionCreated || !r.Adopted || len(f.ids()) != 1 || r.Webhook.ID != f.ids()[0] {
		t.Fatalf("result %+v", r)
	}
	if want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}; !slices.Equal(*sleeps, want) {
		t.Fatalf("waits %v, want %v (backoff)", *sleeps, want)
	}
}

func TestALostCreateThatNeverShowsIsSaidAndNotRepeated(t *testing.T) {
	f := newFake(t)
	f.listLag = 1000
	f.on(http.MethodPost, loseAnswer(true))
	c, sleeps := f.client(t, Options{})
	_, err := c.Webhooks.Ensure(context.Background(), desiredSpec(), EnsureOptions{})
	var lc *LostCreateError
	if !errors.As(err, &lc) || !MayHaveWritten(err) {
		t.Fatalf("got %v; want a LostCreateError", err)
	}
	if n := len(f.seenMethod(http.MethodPost)); n != 1 {
		t.Fatalf("%d POSTs; a lost create is never sent again", n)
	}
	var total time.Duration
	for _, d := range *sleeps {
		total += d
		if d > maxPoll {
			t.Errorf("a wait of %v, more than %v", d, maxPoll)
		}
	}
	if total != lostCreateWait || lc.Waited != lostCreateWait {
		t.Fatalf("waited %v in all (error says %v); want the bound, %v", total, lc.Waited, lostCreateWait)
	}
	// The next run finds it once the list shows it, and does not add one.
	f.mu.Lock()
	f.hidden = nil
	f.mu.Unlock()
	r, err := c.Webhooks.Ensure(context.Background(), desiredSpec(), EnsureOptions{})
	if err != nil || r.Action != ActionUnchanged || len(f.ids()) != 1 {
		t.Fatalf("next run: %+v, %v, webhooks %v; want the lost one found unchanged", r, err, f.ids())
	}
}

func TestCancelAfterThePOSTIsAnIncompleteWrite(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	f.on(http.MethodPost, func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		serve(httptest.NewRecorder(), r)
		cancel() // Ctrl+C while the answer is on its way
		<-r.Context().Done()
	})
	c, _ := f.client(t, Options{})
	var notices atomic.Int32
	_, err := c.Webhooks.Ensure(WithNotices(ctx, Notices{Write: func() { notices.Add(1) }}), desiredSpec(), EnsureOptions{})
	var iw *IncompleteWriteError
	if !errors.As(err, &iw) || !MayHaveWritten(err) {
		t.Fatalf("got %v; want an IncompleteWriteError", err)
	}
	if notices.Load() != 1 {
		t.Fatalf("%d write notices, want 1 (the POST)", notices.Load())
	}

	// Cancelled while still looking, nothing was written and nothing says so.
	ctx, cancel = context.WithCancel(context.Background())
	f.on(http.MethodGet, func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		cancel()
		<-r.Context().Done()
	})
	notices.Store(0)
	p := Plan{Action: ActionCreate, Desired: desiredSpec()}
	_, err = c.Webhooks.Apply(WithNotices(ctx, Notices{Write: func() { notices.Add(1) }}), p)
	if err == nil || MayHaveWritten(err) || notices.Load() != 0 {
		t.Fatalf("cancelled before writing: %v, %d notices; want a plain cancellation", err, notices.Load())
	}
}

func TestWriteNoticeIsForWritesOnly(t *testing.T) {
	f := newFake(t)
	f.seed(3)
	c, _ := f.client(t, Options{})
	var got []string
	ctx := WithNotices(context.Background(), Notices{Write: func() { got = append(got, fmt.Sprint(len(f.seen()))) }})
	for range c.Webhooks.All(ctx) {
	}
	w, _ := c.Webhooks.Get(ctx, "00000000-0000-4000-8000-000000000001")
	if len(got) != 0 {
		t.Fatalf("reads gave write notices: %v", got)
	}
	d := desiredSpec()
	created, _ := c.Webhooks.Create(ctx, d)
	d.Enabled = false
	c.Webhooks.Update(ctx, created.ID, created, d)
	c.Webhooks.Delete(ctx, w.ID)
	if len(got) != 3 {
		t.Fatalf("%d write notices for a create, an update and a delete", len(got))
	}
}

func TestDiffComparesOnlyWhatAWriteSends(t *testing.T) {
	cc := Spec{Address: endpoint, Types: []string{"order.accepted"}, Enabled: true, OAuth: &OAuth{
		TokenEndPoint: "https://acme.my.salesforce.com/services/oauth2/token", ClientID: "cid", ClientSecret: "s", GrantType: GrantClientCredentials}}
	// A move from the password grant that Digital River stored keeping the
	// old username and password, and an audience set in the Dashboard.
	stored := Webhook{Address: endpoint, Types: []string{"order.accepted"}, Enabled: true, APIVersion: "default", TransportType: TransportOAuth,
		OAuth: &OAuth{TokenEndPoint: cc.OAuth.TokenEndPoint, UserName: "old@acme.com", Password: "old-pw", ClientID: "cid", ClientSecret: "s",
			GrantType: GrantClientCredentials, Audience: "https://login.salesforce.com"}}
	if d := Diff(stored, cc); len(d) != 0 {
		t.Fatalf("Diff = %v; the username, password and audience are not sent, so they are not changes", d)
	}
	if f := ReadBack(stored, cc); len(f) != 0 {
		t.Fatalf("ReadBack = %v", f)
	}
	cc.OAuth.Audience = "https://test.salesforce.com"
	if d := Diff(stored, cc); len(d) != 1 || d[0].Field != "oauth.audience" {
		t.Fatalf("an audience asked for is compared: %v", d)
	}
	pw := desiredSpec()
	storedPW := Webhook{Address: endpoint, Types: pw.Types, Enabled: true, TransportType: TransportOAuth,
		OAuth: &OAuth{TokenEndPoint: pw.OAuth.TokenEndPoint, ClientID: pw.OAuth.ClientID, ClientSecret: pw.OAuth.ClientSecret, GrantType: GrantPassword}}
	if f := ReadBack(storedPW, pw); !slices.Equal(f, []string{"oauth.userName", "oauth.password"}) {
		t.Fatalf("under the password grant the user matters: %v", f)
	}
}

func TestARefusedCreateWroteNothing(t *testing.T) {
	f := newFake(t)
	f.on(http.MethodPost, errBody(400, "bad_request", "invalid_parameter", "oauth.grantType", "'client_credentials' is not a valid grant type; use password."))
	c, _ := f.client(t, Options{})
	_, err := c.Webhooks.Ensure(context.Background(), desiredSpec(), EnsureOptions{})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindBadRequest || MayHaveWritten(err) {
		t.Fatalf("got %v (may have written: %v); a 400 wrote nothing", err, MayHaveWritten(err))
	}
}

func TestAwaitLostNeverSendsTheCreateAgain(t *testing.T) {
	f := newFake(t)
	f.listLag = 1000
	f.on(http.MethodPost, loseAnswer(true))
	c, _ := f.client(t, Options{})
	ctx := context.Background()
	p, _ := c.Webhooks.Plan(ctx, desiredSpec(), EnsureOptions{})
	_, err := c.Webhooks.Apply(ctx, p)
	var lc *LostCreateError
	if !errors.As(err, &lc) {
		t.Fatalf("first try: %v", err)
	}
	// Tried again in the same run, still not listed: said again, not sent.
	_, err = c.Webhooks.AwaitLost(ctx, p, lc.Err)
	if !errors.As(err, &lc) || len(f.seenMethod(http.MethodPost)) != 1 {
		t.Fatalf("second try: %v after %d POSTs; want a LostCreateError and no second POST", err, len(f.seenMethod(http.MethodPost)))
	}
	// Once listed, it is adopted.
	f.mu.Lock()
	f.hidden = nil
	f.mu.Unlock()
	r, err := c.Webhooks.AwaitLost(ctx, p, lc.Err)
	if err != nil || !r.Adopted || r.Webhook.ID != f.ids()[0] || len(f.seenMethod(http.MethodPost)) != 1 || len(f.ids()) != 1 {
		t.Fatalf("third try: %+v, %v", r, err)
	}
	// A plan made once it is listed finds it as it is: that is the lost
	// create, adopted, so the run says created.
	p2, _ := c.Webhooks.Plan(ctx, desiredSpec(), EnsureOptions{})
	r, err = c.Webhooks.AwaitLost(ctx, p2, lc.Err)
	if err != nil || p2.Action != ActionUnchanged || r.Action != ActionCreated || !r.Adopted {
		t.Fatalf("plan %s, result %+v, %v; want the listed webhook adopted as created", p2.Action, r, err)
	}
}
