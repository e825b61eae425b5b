package steps

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// clockWorld is a world whose simulator and Digital River clients share a
// fake clock: waits on the list take no time.
func clockWorld(t *testing.T, sc emulator.Scenario) (*world, *emulatortest.Clock) {
	t.Helper()
	w := emulatortest.New(t, sc, emulatortest.WithFakeClock())
	return &world{srv: w.Server, store: w.Store, kr: w.Keyring, dir: w.Dir,
		sv: &Services{SF: w.Salesforce(), DR: w.DigitalRiver(), Store: w.Store}}, w.Clock
}

// registerErr runs the setup as register does, but returns Register's error.
func (w *world) registerErr(t *testing.T, s Setup) (*Result, error) {
	t.Helper()
	ctx := context.Background()
	v, err := w.sv.VerifySalesforce(ctx, s)
	if err != nil || Blocking(v.Problems) {
		t.Fatalf("VerifySalesforce: %v %v", err, v)
	}
	kc, err := w.sv.CheckKey(ctx, s)
	if err != nil {
		t.Fatalf("CheckKey: %v", err)
	}
	return w.sv.Register(ctx, s, kc.Plan, v)
}

func TestALostCreateOnALaggingListIsAdopted(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.DigitalRiver.ListLag = 3 * time.Second
	sc.Faults.DropCreateResponse = 1
	w, _ := clockWorld(t, sc)
	res := w.register(t, demoSetup())
	if res.Action != drapi.ActionCreated || !res.Adopted {
		t.Fatalf("result %+v; want created and adopted", res)
	}
	hooks := w.orgHooks("acme.my.salesforce.com")
	if len(hooks) != 1 || hooks[0].ID != res.Webhook.ID {
		t.Fatalf("%d webhooks after a lost create on a lagging list, want 1", len(hooks))
	}
	if posts := countRequests(w.srv, "POST", "/webhooks"); posts != 1 {
		t.Fatalf("%d POSTs; a lost create is never sent again", posts)
	}
}

func TestALostCreateTheListDoesNotShowInTimeFailsAndTheNextRunAdoptsIt(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.DigitalRiver.ListLag = 40 * time.Second
	sc.Faults.DropCreateResponse = 1
	w, clock := clockWorld(t, sc)
	s := demoSetup()
	_, err := w.registerErr(t, s)
	var lc *drapi.LostCreateError
	if !errors.As(err, &lc) {
		t.Fatalf("got %v; want a LostCreateError", err)
	}
	f := explain.Of(err)
	if !strings.Contains(f.Remedy, "Digital River may have created it; run drsetup setup again in a minute: it will find it") {
		t.Fatalf("remedy %q", f.Remedy)
	}
	if !strings.Contains(f.Meaning, "30 seconds") {
		t.Errorf("meaning %q should say how long drsetup waited", f.Meaning)
	}
	if _, err := w.store.Load("default"); !errors.Is(err, profile.ErrNotFound) {
		t.Fatalf("a profile was saved as if it worked: %v", err)
	}
	if n := len(w.orgHooks("acme.my.salesforce.com")); n != 1 || countRequests(w.srv, "POST", "/webhooks") != 1 {
		t.Fatalf("%d webhooks, %d POSTs; want the one create, never repeated", n, countRequests(w.srv, "POST", "/webhooks"))
	}

	clock.Advance(time.Minute) // "in a minute"
	res := w.register(t, s)
	hooks := w.orgHooks("acme.my.salesforce.com")
	if res.Action != drapi.ActionUnchanged || len(hooks) != 1 || res.Webhook.ID != hooks[0].ID {
		t.Fatalf("next run: %+v with %d webhooks; want the lost one found as it is", res, len(hooks))
	}
	if p, err := w.store.Load("default"); err != nil || p.WebhookID != hooks[0].ID {
		t.Fatalf("profile %+v, %v; want it to name the adopted webhook", p, err)
	}
}

func TestACreateStoredDifferentlyFailsNamingTheFields(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.Faults.StoreCreatesDifferently = 1
	w := newWorld(t, sc)
	_, err := w.registerErr(t, demoSetup())
	var rb *drapi.ReadBackError
	if !errors.As(err, &rb) {
		t.Fatalf("got %v; want a ReadBackError", err)
	}
	f := explain.Of(err)
	for _, want := range []string{"types differs", "transportType differs", "oauth.tokenEndPoint differs", "oauth.password differs", "profile was not saved"} {
		if !strings.Contains(f.Meaning, want) {
			t.Errorf("explanation lacks %q: %s", want, f.Meaning)
		}
	}
	for _, s := range []string{demo.Password, demo.ClientSecret, demo.SecurityToken} {
		if strings.Contains(f.Meaning+f.Remedy, s) {
			t.Fatal("the explanation shows a secret")
		}
	}
	if _, err := w.store.Load("default"); !errors.Is(err, profile.ErrNotFound) {
		t.Fatalf("a profile was saved as if it worked: %v", err)
	}
	// A second run brings the webhook to what was asked and says so.
	res := w.register(t, demoSetup())
	if res.Action != drapi.ActionUpdated || res.Webhook.TransportType != "OAUTH" || len(res.Webhook.Types) != 8 {
		t.Fatalf("second run: %+v", res)
	}
}

// ccSetup is the demo setup moved to the client credentials flow (the
// acme app allows it in ccScenario).
func ccSetup() Setup {
	s := demoSetup()
	s.Auth = sfcheck.FlowClientCredentials
	return s
}

func ccScenario(patch string) emulator.Scenario {
	sc := emulator.DemoScenario()
	sc.Orgs[0].Apps[0].ClientCredentials = true
	sc.Orgs[0].Apps[0].RunAsUser = demo.Username
	sc.DigitalRiver.PatchOmitted = patch
	return sc
}

// A second run right after any successful setup says unchanged, whatever
// Digital River does with the fields a PATCH leaves out.
func TestASecondRunSaysUnchanged(t *testing.T) {
	for _, patch := range []string{emulator.PatchReplaceOAuth, emulator.PatchKeep, emulator.PatchClear} {
		t.Run("patch "+patch, func(t *testing.T) {
			for _, tc := range []struct {
				name  string
				steps []Setup
			}{
				{"password", []Setup{demoSetup()}},
				{"client credentials", []Setup{ccSetup()}},
				{"password then client credentials", []Setup{demoSetup(), ccSetup()}},
				{"client credentials then password", []Setup{ccSetup(), demoSetup()}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					w := newWorld(t, ccScenario(patch))
					var last *Result
					for _, s := range tc.steps {
						last = w.register(t, s)
					}
					again := w.register(t, tc.steps[len(tc.steps)-1])
					if again.Action != drapi.ActionUnchanged || again.Webhook.ID != last.Webhook.ID {
						t.Fatalf("second run: %s %v; want unchanged", again.Action, again.Changes)
					}
					if n := len(w.orgHooks("acme.my.salesforce.com")); n != 1 {
						t.Fatalf("%d webhooks", n)
					}
					for _, ch := range last.Changes {
						if ch.Field == "oauth.userName" || ch.Field == "oauth.password" {
							if s := tc.steps[len(tc.steps)-1]; s.Auth == sfcheck.FlowClientCredentials {
								t.Errorf("the move to client credentials reported %s as changed; it sends neither", ch)
							}
						}
					}
				})
			}
		})
	}
}

func TestRefusedClientCredentialsGrantIsExplained(t *testing.T) {
	sc := ccScenario("")
	sc.DigitalRiver.RefuseClientCredentials = true
	w := newWorld(t, sc)
	_, err := w.registerErr(t, ccSetup())
	f := explain.Of(err)
	if f.Field != field.Auth || !strings.Contains(f.Meaning, "refused the grant type client_credentials") ||
		!strings.Contains(f.Remedy, `"Client credentials"`) || !strings.Contains(f.Remedy, "Dashboard") || !strings.Contains(f.Remedy, "--auth password") {
		t.Fatalf("failure %+v", f)
	}
	if !strings.Contains(f.ToDo(), "request id") {
		t.Errorf("remedy %q should keep Digital River's request id", f.ToDo())
	}
	if n := len(w.orgHooks("acme.my.salesforce.com")); n != 0 {
		t.Fatalf("%d webhooks after a refused create", n)
	}
}

func TestTwoRunsOnOneMachineTakeTurns(t *testing.T) {
	w := newWorld(t, emulator.DemoScenario())
	unlock, err := w.store.Lock(context.Background(), "default", time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	var stages []Stage
	w.sv.OnStage = func(s Stage) { stages = append(stages, s) }
	w.sv.LockWait = 200 * time.Millisecond
	_, err = w.registerErr(t, demoSetup())
	f := explain.Of(err)
	if !strings.Contains(f.Meaning, "Another drsetup run on this machine") || !strings.Contains(f.Meaning, `"default"`) || f.Remedy == "" {
		t.Fatalf("failure %+v", f)
	}
	if !slices.Contains(stages, StageWaitLock) {
		t.Fatalf("stages %v; the wait should be said", stages)
	}
	if n := countRequests(w.srv, "POST", "/webhooks"); n != 0 {
		t.Fatalf("%d POSTs while another run held the profile", n)
	}

	w.sv.LockWait = 5 * time.Second
	go func() { time.Sleep(300 * time.Millisecond); unlock() }()
	if res := w.register(t, demoSetup()); res.Action != drapi.ActionCreated {
		t.Fatalf("after the other run finished: %+v", res)
	}
}

func TestWritesSaysWhenAWriteMayHaveGoneOut(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.Faults.HoldCreateResponse = 1
	w := newWorld(t, sc)
	w.sv.Writes = &Writes{}
	s := demoSetup()
	ctx := context.Background()
	v, _ := w.sv.VerifySalesforce(ctx, s)
	kc, err := w.sv.CheckKey(ctx, s)
	if err != nil || w.sv.Writes.Unfinished() {
		t.Fatalf("CheckKey: %v; nothing is written before Register (unfinished %v)", err, w.sv.Writes.Unfinished())
	}
	cctx, cancel := context.WithCancel(ctx)
	go func() {
		for countRequests(w.srv, "POST", "/webhooks") == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		cancel() // Ctrl+C while the create is unanswered
	}()
	_, err = w.sv.Register(cctx, s, kc.Plan, v)
	if err == nil || !w.sv.Writes.Unfinished() || !drapi.MayHaveWritten(err) {
		t.Fatalf("cancelled create: %v, unfinished %v; want both to say a write may have gone out", err, w.sv.Writes.Unfinished())
	}
	if f := explain.Of(err); f.Remedy != explain.WriteUnfinishedRemedy {
		t.Fatalf("remedy %q", f.Remedy)
	}
	if _, err := w.store.Load("default"); !errors.Is(err, profile.ErrNotFound) {
		t.Fatal("a cancelled registration saved the profile")
	}
	res := w.register(t, s)
	if w.sv.Writes.Unfinished() || res.Action != drapi.ActionUnchanged || len(w.orgHooks("acme.my.salesforce.com")) != 1 {
		t.Fatalf("after a finished registration: unfinished %v, %+v", w.sv.Writes.Unfinished(), res)
	}
}

func TestTokenNoteSaysAnExplicitEndpointIsOverridden(t *testing.T) {
	flags := map[field.Field]string{field.TokenEndpoint: sfcheck.ProductionTokenURL, field.Auth: "client-credentials", field.MyDomain: demo.MyDomain}
	set := profile.Resolve(profile.Inputs{Flags: flags, Getenv: func(string) string { return "" }})
	s := FromSettings("default", set)
	note := TokenNote(set, s)
	if !strings.Contains(note, "--token-endpoint "+sfcheck.ProductionTokenURL) || !strings.Contains(note, "https://acme.my.salesforce.com/services/oauth2/token") {
		t.Fatalf("note %q", note)
	}
	flags[field.Auth] = "password"
	set = profile.Resolve(profile.Inputs{Flags: flags, Getenv: func(string) string { return "" }})
	if note := TokenNote(set, FromSettings("default", set)); note != "" {
		t.Fatalf("the password flow uses the endpoint given, yet: %q", note)
	}
	// Not given for this run (the profile's), nothing to say.
	delete(flags, field.TokenEndpoint)
	flags[field.Auth] = "client-credentials"
	set = profile.Resolve(profile.Inputs{Flags: flags, Getenv: func(string) string { return "" }})
	if note := TokenNote(set, FromSettings("default", set)); note != "" {
		t.Fatalf("no endpoint was given, yet: %q", note)
	}
}

func countRequests(srv *emulator.Server, method, path string) int {
	n := 0
	for _, x := range srv.Received() {
		if x.Method == method && x.Path == path {
			n++
		}
	}
	return n
}
