package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
)

// The flows run against the emulator and check its state (webhooks, login
// attempts) and the profile store, not only the screen.

func TestFlowPasswordHappyPathCreatesWebhookAndSavesProfile(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	if n := wd.srv.LoginAttempts(demo.Username); n != 0 {
		t.Fatalf("arriving on Verify logged in %d times; it must wait for Enter", n)
	}
	d.fromVerifyToDone(demo.DRKey)

	if n := wd.srv.LoginAttempts(demo.Username); n != 1 {
		t.Errorf("login attempts = %d, want exactly 1", n)
	}
	hooks := wd.acmeWebhooks()
	if len(hooks) != 1 {
		t.Fatalf("acme webhooks = %d, want 1", len(hooks))
	}
	h := hooks[0]
	if h.Address != "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/" ||
		h.TransportType != "OAUTH" || !h.Enabled || len(h.Types) != len(drapi.AppEvents) {
		t.Errorf("webhook = %+v", h)
	}
	if h.OAuth == nil || h.OAuth.GrantType != "password" || h.OAuth.UserName != demo.Username ||
		h.OAuth.Password != demo.Password+demo.SecurityToken || h.OAuth.ClientSecret != demo.ClientSecret {
		t.Errorf("webhook oauth block is not the login that was verified")
	}

	r := d.w.c.result
	if r.Action != drapi.ActionCreated || r.Webhook.ID != h.ID {
		t.Errorf("result = %s %s, want created %s", r.Action, r.Webhook.ID, h.ID)
	}
	p, err := wd.store.Load("default")
	if err != nil || p.WebhookID != h.ID || p.Get(field.MyDomain) != demo.MyDomain || p.Get(field.Username) != demo.Username {
		t.Errorf("saved profile = %+v, %v", p, err)
	}
	sec, err := wd.store.LoadSecrets("default")
	if err != nil || sec.Get(field.Password).Reveal() != demo.Password || sec.Get(field.DRAPIKey).Reveal() != demo.DRKey {
		t.Errorf("secrets not saved in the keyring: %v", err)
	}
	d.requireBody("Webhook created:", h.ID, wd.store.Path("default"), "OS keyring", "drsetup doctor")

	d.keys("enter")
	if !d.quit {
		t.Error("Enter on the done screen does not end the wizard")
	}
}

func TestFlowClientCredentialsSkipsUserAndRegistersClientCredentialsGrant(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.keys("enter", "enter")
	d.typ(demo.BlockedMyDomain)
	d.keys("enter")
	d.requireScreen(steps.Auth)
	d.keys("down")
	if d.w.c.setup.Auth != sfcheck.FlowClientCredentials {
		t.Fatalf("auth = %q after down", d.w.c.setup.Auth)
	}
	d.requireBody("https://globex.my.salesforce.com/services/oauth2/token")
	d.keys("enter")
	d.typ(demo.ClientID)
	d.keys("enter")
	d.typ(demo.ClientSecret)
	d.keys("enter")
	d.requireScreen(steps.VerifySalesforce) // no integration user step
	if n, total := d.w.c.setup.Numbered(steps.VerifySalesforce); n != 5 || total != 8 {
		t.Errorf("Verify is step %d of %d, want 5 of 8", n, total)
	}
	d.fromVerifyToDone(demo.DRKey)

	var hook *emulator.Webhook
	for _, h := range wd.srv.Webhooks("test") {
		if strings.Contains(h.Address, "globex.my.salesforce.com") {
			hook = &h
		}
	}
	if hook == nil || hook.OAuth == nil {
		t.Fatal("no webhook for globex")
	}
	if hook.OAuth.GrantType != "client_credentials" || hook.OAuth.UserName != "" || hook.OAuth.Password != "" ||
		hook.OAuth.TokenEndPoint != "https://globex.my.salesforce.com/services/oauth2/token" {
		t.Errorf("oauth block = %+v, want client credentials at the My Domain token endpoint", *hook.OAuth)
	}
	if n := wd.srv.LoginAttempts(demo.BlockedUsername); n != 0 {
		t.Errorf("password logins = %d, want none with client credentials", n)
	}
}

func TestFlowLightningURLIsCorrectedWithOneKey(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.keys("enter", "enter")
	d.paste(demo.LightningURL + "\n")
	d.requireBody("is the Lightning address", "tab uses https://acme.my.salesforce.com")
	d.keys("enter")
	d.requireScreen(steps.MyDomain) // blocked
	d.keys("tab")
	if got := d.w.c.setup.MyDomain; got != demo.MyDomain {
		t.Fatalf("My Domain after tab = %q, want %q", got, demo.MyDomain)
	}
	d.requireBody("https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/")
	d.keys("enter")
	d.requireScreen(steps.Auth)
	d.keys("enter")
	d.typ(demo.ClientID)
	d.keys("enter")
	d.typ(demo.ClientSecret)
	d.keys("enter")
	d.typ(demo.Username)
	d.keys("enter")
	d.typ(demo.Password)
	d.keys("enter")
	d.typ(demo.SecurityToken)
	d.keys("enter")
	d.fromVerifyToDone(demo.DRKey)
	if hooks := wd.acmeWebhooks(); len(hooks) != 1 || !strings.HasPrefix(hooks[0].Address, demo.MyDomain+"/") {
		t.Errorf("webhooks = %+v", hooks)
	}
}

func TestFlowWrongClientSecretLeadsBackToThatFieldThenSucceeds(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, "WRONG-SECRET-1234", demo.Password)
	d.keys("enter")
	d.requireBody("Salesforce refused the login.", "invalid_client", "Client Secret",
		"Manage Consumer Details", "Press Enter to change the Client Secret")
	if n := wd.srv.LoginAttempts(demo.Username); n != 1 {
		t.Fatalf("login attempts = %d, want 1", n)
	}

	d.keys("enter")
	d.requireScreen(steps.ConnectedApp)
	f := d.w.screens[steps.ConnectedApp].(*form)
	if got := f.fields[f.focused]; got.id != field.ClientSecret || got.value() != "WRONG-SECRET-1234" {
		t.Fatalf("focused %q = %q; want the client secret, as typed", got.id, got.value())
	}
	if v := d.view(); strings.Contains(v, "WRONG-SECRET-1234") {
		t.Fatal("the client secret is shown unmasked")
	}
	d.keys("ctrl+u")
	d.typ(demo.ClientSecret)
	d.keys("enter")
	d.requireScreen(steps.User)
	d.keys("enter", "enter", "enter") // the user's values are kept
	d.requireScreen(steps.VerifySalesforce)
	d.requireBody("The values changed since the last attempt.")
	d.fromVerifyToDone(demo.DRKey)
	if n := wd.srv.LoginAttempts(demo.Username); n != 2 {
		t.Errorf("login attempts = %d, want 2 (one per Enter)", n)
	}
	if len(wd.acmeWebhooks()) != 1 {
		t.Error("no webhook registered after the fix")
	}
}

func TestFlowRepeatingARefusedLoginWarnsFirst(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, "not-the-password")
	d.keys("enter")
	d.requireBody("invalid_grant", "authentication failure", "Login History", "Password")
	d.keys("r")
	d.requireBody("refused these same values a moment ago", "Maximum invalid login attempts")
	if n := wd.srv.LoginAttempts(demo.Username); n != 1 {
		t.Fatalf("r after a refusal sent a login at once (attempts = %d)", n)
	}
	d.keys("enter")
	if n := wd.srv.LoginAttempts(demo.Username); n != 2 {
		t.Fatalf("Enter after the warning: attempts = %d, want 2", n)
	}
	// The same values once more: the warning comes back before each repeat.
	d.keys("r")
	if n := wd.srv.LoginAttempts(demo.Username); n != 2 {
		t.Errorf("attempts = %d after the warning reappeared, want 2", n)
	}
}

func TestFlowBlockedUsernamePasswordFlowIsExplainedThenClientCredentialsWork(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.keys("enter", "enter")
	d.typ(demo.BlockedMyDomain)
	d.keys("enter", "enter")
	d.typ(demo.ClientID)
	d.keys("enter")
	d.typ(demo.ClientSecret)
	d.keys("enter")
	d.typ(demo.BlockedUsername)
	d.keys("enter")
	d.typ(demo.Password)
	d.keys("enter")
	d.typ(demo.SecurityToken)
	d.keys("enter", "enter")
	d.requireBody("Salesforce refused the login.", "invalid_grant",
		"Setup → OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows", "switch to client credentials")

	// Back to the authentication screen, switch, and log in again.
	d.send(gotoMsg{to: steps.Auth})
	d.keys("down", "enter")
	d.requireScreen(steps.ConnectedApp)
	d.keys("enter", "enter")
	d.requireScreen(steps.VerifySalesforce)
	d.fromVerifyToDone(demo.DRKey)
	if r := d.w.c.result; r.Webhook.OAuth == nil || r.Webhook.OAuth.GrantType != drapi.GrantClientCredentials {
		t.Errorf("registered %+v, want the client credentials grant", r.Webhook)
	}
	if n := wd.srv.LoginAttempts(demo.BlockedUsername); n != 1 {
		t.Errorf("password logins = %d, want the one refused", n)
	}
}

// acmeHook is a webhook for the demo org acme, set up by hand with the guide.
func acmeHook(address string) emulator.Webhook {
	return emulator.Webhook{
		Address: address, Types: append([]string(nil), drapi.AppEvents...), Enabled: true, TransportType: "OAUTH",
		OAuth: &emulator.OAuth{
			TokenEndPoint: sfcheck.ProductionTokenURL, UserName: demo.Username,
			Password: demo.Password + demo.SecurityToken, ClientID: demo.ClientID,
			ClientSecret: demo.ClientSecret, GrantType: "password",
		},
	}
}

func TestFlowExistingWebhookUnderAWrongAddressIsUpdatedNotDuplicated(t *testing.T) {
	const right = "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
	for _, wrong := range []string{
		"https://acme.lightning.force.com/services/apexrest/digitalriverv3/webhooks/",
		"https://acme.my.salesforce-setup.com/services/apexrest/digitalriverv3/webhooks/",
		"https://acme.my.salesforce.com/services/apexrest/digitalriverv2/webhooks/",
		"https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks",
	} {
		t.Run(wrong, func(t *testing.T) {
			sc := emulator.DemoScenario()
			sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, acmeHook(wrong))
			wd := newWorld(t, sc)
			before := wd.acmeWebhooks()
			if len(before) != 1 {
				t.Fatalf("scenario: %d acme webhooks", len(before))
			}
			d := newDriver(t, wd.options(steps.Defaults("default")))
			d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
			d.keys("enter", "enter")
			d.typ(demo.DRKey)
			d.keys("enter")
			d.requireScreen(steps.Events)
			d.requireBody("This org already has webhook " + before[0].ID)
			d.keys("enter")
			d.requireScreen(steps.Review)
			d.requireBody("Update webhook "+before[0].ID+":", "address "+wrong+" → "+right)
			d.keys("enter")

			after := wd.acmeWebhooks()
			if len(after) != 1 || after[0].ID != before[0].ID {
				t.Fatalf("acme webhooks after = %+v, want the one updated", after)
			}
			if after[0].Address != right {
				t.Errorf("address = %q, not fixed", after[0].Address)
			}
			if r := d.w.c.result; r.Action != drapi.ActionUpdated {
				t.Errorf("action = %q, want updated", r.Action)
			}
		})
	}
}

func TestFlowRerunWithSavedProfileEndsInNothingToChange(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	first := newDriver(t, wd.options(steps.Defaults("default")))
	first.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	first.fromVerifyToDone(demo.DRKey)

	initial, existing := fromStore(t, wd.store, "default")
	o := wd.options(initial)
	o.Existing = existing
	d := newDriver(t, o)
	d.requireBody(`Reconfigure "default"`, "Start a new setup")
	// Enter on every screen: every value is prefilled, secrets included.
	for d.screen() != steps.VerifySalesforce {
		before := d.screen()
		d.keys("enter")
		if d.screen() == before && d.screen() != steps.User && d.screen() != steps.ConnectedApp {
			t.Fatalf("stuck on %q:\n%s", before.Title(), d.body())
		}
	}
	d.fromVerifyToDone("")
	if r := d.w.c.result; r.Action != drapi.ActionUnchanged {
		t.Errorf("action = %q, want unchanged", r.Action)
	}
	if n := len(wd.acmeWebhooks()); n != 1 {
		t.Errorf("acme webhooks = %d after the rerun, want 1", n)
	}
	d.requireBody("Nothing to change")
}

func TestFlowSwitchingSavedPasswordProfileToClientCredentialsUpdatesOAuthBlock(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.Orgs[0].Apps[0].ClientCredentials = true
	sc.Orgs[0].Apps[0].RunAsUser = demo.Username
	wd := newWorld(t, sc)
	first := newDriver(t, wd.options(steps.Defaults("default")))
	first.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	first.fromVerifyToDone(demo.DRKey)
	id := first.w.c.result.Webhook.ID

	initial, existing := fromStore(t, wd.store, "default")
	o := wd.options(initial)
	o.Existing = existing
	d := newDriver(t, o)
	d.keys("enter", "enter", "enter") // welcome, environment, My Domain
	d.requireScreen(steps.Auth)
	d.keys("down", "enter")
	d.keys("enter", "enter") // the Connected App's values are kept
	d.requireScreen(steps.VerifySalesforce)
	d.keys("enter", "enter")
	d.requireScreen(steps.DRKey)
	d.keys("enter", "enter")
	d.requireScreen(steps.Review)
	d.requireBody("Update webhook "+id, "oauth.grantType password → client_credentials")
	// The move sends no username or password; the plan must not say it
	// removes them, since Digital River may keep what a PATCH leaves out.
	if b := d.body(); strings.Contains(b, "oauth.password") || strings.Contains(b, "oauth.userName") {
		t.Fatalf("the plan reports the username or password as changed:\n%s", b)
	}
	d.keys("enter")

	hooks := wd.acmeWebhooks()
	if len(hooks) != 1 || hooks[0].ID != id {
		t.Fatalf("webhooks = %+v, want %s updated", hooks, id)
	}
	if o := hooks[0].OAuth; o.GrantType != "client_credentials" || o.TokenEndPoint != demo.MyDomain+"/services/oauth2/token" {
		t.Errorf("oauth block = %+v", *o)
	}
	sec, _ := wd.store.LoadSecrets("default")
	if !sec.Get(field.Password).IsZero() {
		t.Error("the password stays in the keyring after switching to client credentials")
	}
}

func TestFlowCtrlCMidwaySavesNothing(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	before := len(wd.srv.Webhooks(""))
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	d.keys("enter") // logged in
	d.keys("enter")
	d.typ(demo.DRKey)
	d.keys("ctrl+c")
	if d.quit {
		t.Fatal("Ctrl+C with typed input quit without asking")
	}
	d.requireBody() // still drawn
	if v := d.view(); !strings.Contains(v, "Quit? What you typed is not saved") {
		t.Fatalf("no confirmation:\n%s", v)
	}
	d.keys("n")
	d.requireScreen(steps.DRKey)
	d.keys("ctrl+c", "y")
	if !d.quit {
		t.Fatal("y did not quit")
	}
	if _, err := wd.store.Load("default"); !errors.Is(err, profile.ErrNotFound) {
		t.Errorf("profile saved after Ctrl+C: %v", err)
	}
	if sec, _ := wd.store.LoadSecrets("default"); !sec.Empty() {
		t.Error("secrets saved after Ctrl+C")
	}
	if after := len(wd.srv.Webhooks("")); after != before {
		t.Errorf("webhooks %d → %d after Ctrl+C", before, after)
	}
}

func TestFlowSecretsTypedAreRedactedInTheDebugLog(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	o := wd.options(steps.Defaults("default"))
	r := &secret.Redactor{}
	o.Redactor = r
	d := newDriver(t, o)
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	for _, s := range []string{demo.ClientSecret, demo.Password, demo.SecurityToken, demo.Password + demo.SecurityToken} {
		if !r.Contains("x " + s + " x") {
			t.Errorf("the redactor does not know a typed secret (%d characters)", len(s))
		}
	}
	if r.Contains("x Dem x") {
		t.Error("a prefix of the password was registered: keystrokes were added one by one")
	}
}

// fromStore builds the wizard's input from a saved profile and its secrets,
// as main does.
func fromStore(t *testing.T, st *profile.Store, name string) (steps.Setup, *profile.Profile) {
	t.Helper()
	p, err := st.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := st.LoadSecrets(name)
	if err != nil {
		t.Fatal(err)
	}
	set := profile.Resolve(profile.Inputs{Profile: &p, Secrets: &sec})
	return steps.FromSettings(name, set), &p
}

func TestFlowLostCreateAnswerIsAdoptedNotRepeated(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	d.keys("enter", "enter")
	d.typ(demo.DRKey)
	d.keys("enter", "enter")
	d.requireScreen(steps.Review)
	wd.srv.SetFaults(emulator.Faults{DropCreateResponse: 1})
	d.keys("enter")
	r := d.w.c.result
	if r == nil || r.Action != drapi.ActionCreated || !r.Adopted {
		t.Fatalf("result = %+v, want created and adopted:\n%s", r, d.body())
	}
	if n := len(wd.acmeWebhooks()); n != 1 {
		t.Errorf("acme webhooks = %d, want 1", n)
	}
	d.requireBody("found the webhook it made and kept it")
}

func TestFlowRegisterFailureIsExplainedAndLeadsBackToTheReview(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	d.keys("enter", "enter")
	d.typ(demo.DRKey)
	d.keys("enter", "enter")
	d.requireScreen(steps.Review)
	wd.srv.SetFaults(emulator.Faults{RateLimit: map[string]emulator.RateLimitFault{"*": {Count: -1, RetryAfter: 3600}}})
	d.keys("enter")
	d.requireScreen(steps.Register)
	if d.w.c.result != nil {
		t.Fatal("registered through a rate limit")
	}
	d.requireBody("HTTP 429", "Press Enter to go back to the review")
	if _, err := wd.store.Load("default"); !errors.Is(err, profile.ErrNotFound) {
		t.Errorf("profile saved although nothing was registered: %v", err)
	}
	wd.srv.SetFaults(emulator.Faults{})
	d.keys("enter")
	d.requireScreen(steps.Review)
	d.requireBody("Create a new webhook")
	d.keys("enter")
	if d.w.c.result == nil || len(wd.acmeWebhooks()) != 1 {
		t.Fatalf("not registered on the second try:\n%s", d.body())
	}
}

func TestFlowQuittingWhileRegisteringAsksAndSavesNothing(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	d.keys("enter", "enter")
	d.typ(demo.DRKey)
	d.keys("enter", "enter")
	d.requireScreen(steps.Review)
	_, cmd := d.w.Update(nextMsg{}) // the registration starts, not run yet
	if !d.w.c.busy() {
		t.Fatal("registering did not start")
	}
	d.keys("ctrl+c")
	if d.quit || !strings.Contains(d.view(), "while the webhook is being registered") {
		t.Fatalf("no confirmation while registering:\n%s", d.view())
	}
	d.keys("y")
	if !d.quit {
		t.Fatal("y did not quit")
	}
	d.run(cmd) // the request, cancelled with the wizard
	if d.w.c.result != nil {
		t.Error("a result was taken after quitting")
	}
	if _, err := wd.store.Load("default"); !errors.Is(err, profile.ErrNotFound) {
		t.Errorf("profile saved: %v", err)
	}
	if n := len(wd.acmeWebhooks()); n != 0 {
		t.Errorf("acme webhooks = %d after quitting before the request ran", n)
	}
}

// After two refused logins of a user, every further attempt waits for the
// admin's say-so, whatever the values: each counts toward a lockout.
func TestFlowTwoRefusedLoginsOfAUserMakeTheNextWait(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, "wrong-1")
	d.keys("enter")
	retype := func(pw string) {
		t.Helper()
		d.requireBody("invalid_grant", "Press Enter to change the Password")
		d.keys("enter")
		d.requireScreen(steps.User)
		d.keys("ctrl+u")
		d.typ(pw)
		d.keys("enter", "enter")
		d.requireScreen(steps.VerifySalesforce)
	}
	retype("wrong-2")
	d.keys("enter")
	if n := wd.srv.LoginAttempts(demo.Username); n != 2 {
		t.Fatalf("attempts = %d, want 2", n)
	}
	retype(demo.Password)
	d.keys("enter")
	d.requireBody("Salesforce refused 2 logins of "+demo.Username+" in this run", "Login History")
	if n := wd.srv.LoginAttempts(demo.Username); n != 2 {
		t.Fatalf("a third login went out without a word (attempts = %d)", n)
	}
	d.keys("enter")
	if n := wd.srv.LoginAttempts(demo.Username); n != 3 {
		t.Fatalf("Enter after the warning: attempts = %d, want 3", n)
	}
	d.requireBody("Salesforce accepted the login.")
}

// A blocking finding after a login (the user lacks the app's permission
// set) can be checked again with r once it is fixed in Salesforce, with the
// same values; nothing has to be retyped.
func TestFlowAPermissionProblemCanBeCheckedAgain(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerifyAs(demo.NoAccessUsername, demo.MyDomain, demo.ClientSecret, demo.Password)
	d.keys("enter")
	d.requireBody("permission set", "press r to check again once it is fixed in Salesforce")
	before := wd.srv.LoginAttempts(demo.NoAccessUsername)
	d.keys("r")
	if n := wd.srv.LoginAttempts(demo.NoAccessUsername); n != before+1 {
		t.Fatalf("r did not check again: attempts %d → %d", before, n)
	}
	d.requireBody("permission set")
}

// What the command found before the wizard started is on its first
// screen: the full screen hides what was printed before it.
func TestFlowWelcomeShowsTheCommandsNotes(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	o := wd.options(steps.Defaults("default"))
	o.Notes = []string{"The saved secrets could not be read, so they must be typed again."}
	d := newDriver(t, o)
	d.requireScreen(steps.Welcome)
	d.requireBody("The saved secrets could not be read, so they must be typed again.")
}

// With client credentials the environment choice does not pick the token
// endpoint, and its screen says what it does instead.
func TestFlowEnvironmentScreenSaysWhatTheChoiceDoesWithClientCredentials(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	s := steps.Defaults("default")
	s.Auth = sfcheck.FlowClientCredentials
	d := newDriver(t, wd.options(s))
	d.keys("enter")
	d.requireScreen(steps.Environment)
	d.requireBody("whichever is chosen here", "production or a sandbox")
}
