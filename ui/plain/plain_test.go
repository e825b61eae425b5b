package plain

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/steps"
)

var demo = emulator.Demo

func services(t *testing.T) (*steps.Services, *emulator.Server, *profile.Store) {
	t.Helper()
	w := emulatortest.New(t, emulator.DemoScenario())
	return &steps.Services{SF: w.Salesforce(), DR: w.DigitalRiver(), Store: w.Store}, w.Server, w.Store
}

func answers(lines ...string) *strings.Reader {
	return strings.NewReader(strings.Join(lines, "\n") + "\n")
}

func TestAccessibleRunAnsweredThroughAPipe(t *testing.T) {
	sv, srv, store := services(t)
	var out bytes.Buffer
	red := &secret.Redactor{}
	res, err := Run(context.Background(), Options{
		In: answers(
			"1",                // production
			demo.LightningURL,  // the common mistake
			"",                 // accept the corrected My Domain
			"1",                // username and password
			demo.ClientID,      //
			demo.ClientSecret,  //
			demo.Username,      //
			demo.Password,      //
			demo.SecurityToken, //
			demo.DRKey,         //
			"",                 // keep the eight event types
			"y",                // register
		),
		Out: &out, Services: sv, Initial: steps.Defaults("default"), Redactor: red, Piped: true,
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	if res.Action != drapi.ActionCreated {
		t.Fatalf("action %q", res.Action)
	}
	text := out.String()
	for _, want := range []string{
		"Step 1 of 9: Salesforce environment.",
		"  1. Production",
		"Use https://acme.my.salesforce.com for the My Domain URL instead?",
		"Logging in to Salesforce…",
		"done.",
		"Plan: create a new webhook.",
		"Created webhook " + res.Webhook.ID,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, s := range []string{demo.Password, demo.ClientSecret, demo.SecurityToken, demo.DRKey} {
		if strings.Contains(text, s) {
			t.Errorf("output shows a secret")
		}
		if !red.Contains("x" + s + "x") {
			t.Errorf("the redactor did not learn a typed secret")
		}
	}
	if strings.Contains(text, "\x1b") {
		t.Error("accessible output must have no escape sequences")
	}
	if _, err := store.Load("default"); err != nil {
		t.Fatalf("profile not saved: %v", err)
	}
	if srv.LoginAttempts(demo.Username) != 1 {
		t.Fatalf("%d logins", srv.LoginAttempts(demo.Username))
	}
}

func TestWrongPasswordOffersToChangeIt(t *testing.T) {
	sv, srv, _ := services(t)
	var out bytes.Buffer
	res, err := Run(context.Background(), Options{
		In: answers(
			"1", demo.MyDomain, "1", demo.ClientID, demo.ClientSecret,
			demo.Username, "not-the-password", demo.SecurityToken,
			"1", // What now? 1 = change the password (step Integration user)
			"",  // keep username
			demo.Password,
			"", // keep token
			demo.DRKey, "", "y",
		),
		Out: &out, Services: sv, Initial: steps.Defaults("default"),
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	if res.Action != drapi.ActionCreated {
		t.Fatalf("action %q", res.Action)
	}
	text := out.String()
	if !strings.Contains(text, "Salesforce answered: invalid_grant: authentication failure") || !strings.Contains(text, "Change the password") {
		t.Fatalf("output:\n%s", text)
	}
	if n := srv.LoginAttempts(demo.Username); n != 2 {
		t.Fatalf("%d login attempts, want one per answer: 2", n)
	}
}

func TestInputEndingEarlyIsAClearError(t *testing.T) {
	sv, _, store := services(t)
	var out bytes.Buffer
	_, err := Run(context.Background(), Options{In: answers("1", demo.MyDomain), Out: &out, Services: sv, Initial: steps.Defaults("default")})
	var ie *InputEndedError
	if !errors.As(err, &ie) || !strings.Contains(ie.Question, "how should Digital River log in") {
		t.Fatalf("err = %v", err)
	}
	if _, err := store.Load("default"); !errors.Is(err, profile.ErrNotFound) {
		t.Fatal("nothing may be saved")
	}
}

func TestQuitAndCancelSaveNothing(t *testing.T) {
	sv, _, store := services(t)
	_, err := Run(context.Background(), Options{In: answers("1", "q"), Out: &bytes.Buffer{}, Services: sv, Initial: steps.Defaults("default")})
	if !errors.Is(err, ErrCancelled) {
		t.Fatalf("q: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	block, _ := ioPipe()
	_, err = Run(ctx, Options{In: block, Out: &bytes.Buffer{}, Services: sv, Initial: steps.Defaults("default")})
	if !errors.Is(err, ErrCancelled) {
		t.Fatalf("cancelled context: %v", err)
	}
	if _, err := store.Load("default"); !errors.Is(err, profile.ErrNotFound) {
		t.Fatal("nothing may be saved")
	}
}

func TestClientCredentialsSkipsTheUserQuestions(t *testing.T) {
	sv, _, _ := services(t)
	var out bytes.Buffer
	res, err := Run(context.Background(), Options{
		In:  answers("3", demo.BlockedMyDomain, "2", demo.ClientID, demo.ClientSecret, demo.DRKey, "", "y"),
		Out: &out, Services: sv, Initial: steps.Defaults("globex"),
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "\nUsername:") || strings.Contains(out.String(), "Integration user.") {
		t.Fatalf("client credentials asks no username:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "Step 4 of 8: Connected App.") || res.Webhook.OAuth == nil {
		t.Fatalf("output:\n%s", out.String())
	}
}

func ioPipe() (*blockingReader, func()) {
	r := &blockingReader{c: make(chan struct{})}
	return r, func() { close(r.c) }
}

type blockingReader struct{ c chan struct{} }

func (b *blockingReader) Read([]byte) (int, error) { <-b.c; return 0, errors.New("closed") }

func TestExternalClientAppInPlainPrompts(t *testing.T) {
	sv, _, _ := services(t)
	var out bytes.Buffer
	res, err := Run(context.Background(), Options{
		In:  answers("1", demo.ECAMyDomain, "3", demo.ClientID, demo.ClientSecret, demo.DRKey, "", "y"),
		Out: &out, Services: sv, Initial: steps.Defaults("cyberdyne"),
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{"3. External Client App, client credentials", "External Client App Manager", "Step 4 of 8: External Client App.", "Flow Enablement"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if o := res.Webhook.OAuth; o == nil || o.GrantType != drapi.GrantClientCredentials || o.TokenEndPoint != demo.ECAMyDomain+"/services/oauth2/token" {
		t.Fatalf("registered %+v", res.Webhook)
	}
}

func TestRefusedPasswordLoginOffersToSwitchToClientCredentials(t *testing.T) {
	sv, srv, _ := services(t)
	var out bytes.Buffer
	res, err := Run(context.Background(), Options{
		In: answers("1", demo.ECAMyDomain, "1", demo.ClientID, demo.ClientSecret, demo.ECAUsername, demo.Password, demo.SecurityToken,
			"2",         // What now? 2 = switch to client credentials
			"3", "", "", // the External Client App; keep the key and secret
			demo.DRKey, "", "y"),
		Out: &out, Services: sv, Initial: steps.Defaults("cyberdyne"),
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Switch to client credentials, keeping what you typed") {
		t.Fatalf("output:\n%s", out.String())
	}
	if res.Webhook.OAuth.GrantType != drapi.GrantClientCredentials || srv.LoginAttempts(demo.ECAUsername) != 1 {
		t.Fatalf("grant %q after %d password logins", res.Webhook.OAuth.GrantType, srv.LoginAttempts(demo.ECAUsername))
	}
}

func TestPasswordAloneWorkingAsksForTheToken(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.Orgs[0].Users[0].TrustedIP = true
	w := emulatortest.New(t, sc)
	sv := &steps.Services{SF: w.Salesforce(), DR: w.DigitalRiver(), Store: w.Store}
	var out bytes.Buffer
	_, err := Run(context.Background(), Options{
		In: answers("1", demo.MyDomain, "1", demo.ClientID, demo.ClientSecret, demo.Username, demo.Password, "",
			"y", demo.SecurityToken, // enter the token now: drsetup logs in again
			demo.DRKey, "", "y"),
		Out: &out, Services: sv, Initial: steps.Defaults("default"),
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	text := out.String()
	if !strings.Contains(text, "Failed: API security token required") || !strings.Contains(text, "Enter the security token now?") {
		t.Fatalf("output:\n%s", text)
	}
	if n := w.Server.LoginAttempts(demo.Username); n != 2 {
		t.Errorf("%d logins, want one without the token and one with it", n)
	}
}

// A new setup beside a saved profile is saved under a name of its own,
// offered from the org, and leaves the saved one as it was.
func TestANewSetupBesideASavedOneGetsItsOwnProfile(t *testing.T) {
	sv, _, store := services(t)
	saved := profile.Profile{Name: "default", DRMode: "test", WebhookID: "6a1b2c3d-4e5f-4a1b-8c9d-0e1f2a3b4c5d"}
	saved.Set("my_domain", demo.MyDomain)
	if err := store.Save(saved); err != nil {
		t.Fatal(err)
	}
	other := profile.Profile{Name: "globex"}
	other.Set("my_domain", demo.BlockedMyDomain)
	store.Save(other)
	var out bytes.Buffer
	res, err := Run(context.Background(), Options{
		In: answers(
			"n", // start a new setup
			"1", demo.MyDomain, "1", demo.ClientID, demo.ClientSecret, demo.Username, demo.Password, demo.SecurityToken,
			demo.DRLiveKey, // a live key beside the saved test one
			"",             // keep the event types
			"globex",       // another org's profile's name
			"n",            // do not replace it
			"Bad Name!",    // not a name
			"",             // the suggestion
			"y",            // register
		),
		Out: &out, Services: sv, Initial: steps.Defaults("default"), Existing: &saved, Redactor: &secret.Redactor{},
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		`so profile "default" stays as it is`,
		"Profile name [acme]:",
		`Profile "globex" is the setup of globex.my.salesforce.com; registering under this name replaces it.`,
		`Replace profile "globex"?`,
		"Problem: The profile name",
		`Profile: "acme" in`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if res.Profile != "acme" {
		t.Errorf("saved as %q", res.Profile)
	}
	if p, err := store.Load("default"); err != nil || p.WebhookID != saved.WebhookID || p.DRMode != "test" {
		t.Errorf("the saved profile changed: %+v %v", p, err)
	}
	if p, err := store.Load("acme"); err != nil || p.DRMode != "live" || p.WebhookID != res.Webhook.ID {
		t.Errorf("the new profile: %+v %v", p, err)
	}
	if p, _ := store.Load("globex"); p.Get("my_domain") != demo.BlockedMyDomain {
		t.Error("the other org's profile was replaced")
	}
}

// endless answers the same line for ever, as "yes | drsetup" does.
type endless struct{ line []byte }

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n+len(e.line) <= len(p) {
		n += copy(p[n:], e.line)
	}
	return n, nil
}

// A script's answers that do not fit a question end the run with exit 2's
// error, never a loop: a choice, a yes or no, a value that is refused, and
// answers that never get past a question. The answer is never repeated.
func TestPipedAnswersThatDoNotFitEndTheRun(t *testing.T) {
	for _, c := range []struct {
		name     string
		in       io.Reader
		question string
	}{
		{"yes to a choice", &endless{[]byte("y\n")}, "Which token endpoint"},
		{"a refused My Domain", io.MultiReader(answers("1"), &endless{[]byte("Hunter2-not-a-url\n")}), "My Domain URL"},
		{"a password on the username's line", answers("1", demo.MyDomain, "1", demo.ClientID, demo.ClientSecret, "Hunter2Secret!"), "Username"},
		{"a refused event type", answers("1", demo.MyDomain, "1", demo.ClientID, demo.ClientSecret, demo.Username, demo.Password, demo.SecurityToken, demo.DRKey, "n", "order.exploded-Hunter2", "n", "order.accepted"), "Event types"},
		{"a word for yes or no", answers("1", demo.MyDomain, "1", demo.ClientID, demo.ClientSecret, demo.Username, demo.Password, demo.SecurityToken, demo.DRKey, "maybe-Hunter2"), "Keep these event types?"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sv, _, store := services(t)
			var out bytes.Buffer
			_, err := Run(context.Background(), Options{In: c.in, Out: &out, Services: sv, Initial: steps.Defaults("default"), Piped: true})
			var ae *AnswerError
			if !errors.As(err, &ae) || !strings.Contains(ae.Question, c.question) {
				t.Fatalf("err = %v, want the answer to %q refused\n%s", err, c.question, out.String())
			}
			if strings.Contains(err.Error(), "Hunter2") || strings.Contains(err.Error(), "y\"") {
				t.Errorf("the error repeats the answer: %v", err)
			}
			if strings.Contains(strings.ToLower(out.String()), "hunter2") {
				t.Errorf("the prompts repeat the answer:\n%s", out.String())
			}
			if out.Len() > 20_000 {
				t.Errorf("%d bytes of prompts before the run ended", out.Len())
			}
			if _, err := store.Load("default"); !errors.Is(err, profile.ErrNotFound) {
				t.Error("nothing may be saved")
			}
		})
	}
}

// A person at a terminal is asked again instead.
func TestAPersonIsAskedAgain(t *testing.T) {
	sv, _, _ := services(t)
	var out bytes.Buffer
	_, err := Run(context.Background(), Options{In: answers("y", "y", "y", "y", "1", "q"), Out: &out, Services: sv, Initial: steps.Defaults("default")})
	if !errors.Is(err, ErrCancelled) {
		t.Fatalf("err = %v\n%s", err, out.String())
	}
	if n := strings.Count(out.String(), "is not one of the choices"); n != 4 {
		t.Errorf("%d refusals, want one per wrong answer (4)\n%s", n, out.String())
	}
}

// A script that answers "try again" to every failed login stops after the
// second: each counts towards locking the user out.
func TestPipedRetriesStopAfterTwoFailedLogins(t *testing.T) {
	sv, srv, _ := services(t)
	var out bytes.Buffer
	in := io.MultiReader(answers("1", demo.MyDomain, "1", demo.ClientID, demo.ClientSecret, demo.Username, "not-the-password", demo.SecurityToken),
		&endless{[]byte("3\n")}) // What now? 3 = try again with the same values
	_, err := Run(context.Background(), Options{In: in, Out: &out, Services: sv, Initial: steps.Defaults("default"), Piped: true})
	if err == nil {
		t.Fatalf("the run went on\n%s", out.String())
	}
	if n := srv.LoginAttempts(demo.Username); n != 2 {
		t.Fatalf("%d login attempts, want 2\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "Stopping: two Salesforce logins failed in this run, and each one Salesforce refused counts") {
		t.Errorf("output:\n%s", out.String())
	}
}
