package ui

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
)

// Model tests: one screen at a time, keys in, answers and text out. None of
// them reaches the network unless it says so.

func TestWelcomeEnterStartsAndQQuitsWithoutAsking(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.requireBody("Have ready", "Salesforce DigitalRiver Integration", "secret API key")
	d.keys("enter")
	d.requireScreen(steps.Environment)

	d = newDriver(t, WizardOptions{})
	d.keys("q")
	if !d.quit {
		t.Error("q on the welcome screen with nothing typed did not quit")
	}
}

func TestWelcomeWithSavedProfileOffersReconfigureOrNewSetup(t *testing.T) {
	saved := steps.Defaults("acme")
	saved.MyDomain, saved.ClientID, saved.Username = demo.MyDomain, demo.ClientID, demo.Username
	saved.Password = secret.Value(demo.Password)
	d := newDriver(t, WizardOptions{Initial: saved, Existing: &profile.Profile{Name: "acme", Values: profile.Values{field.MyDomain: demo.MyDomain}}})
	d.requireBody(`Reconfigure "acme"`, "Start a new setup", `saved as a profile of its own`, `so profile "acme" stays as it is`)

	d.keys("down", "enter")
	s := d.w.c.setup
	if s.MyDomain != "" || s.ClientID != "" || !s.Password.IsZero() || s.Profile != "acme" {
		t.Fatalf("a new setup kept saved values: %+v", *s)
	}
	d.typ(" ") // nothing; environment takes no text
	d.keys("esc")
	d.requireScreen(steps.Welcome)
	if !d.w.c.naming {
		t.Error("a new setup is not to be named")
	}
	d.keys("up", "enter")
	if s := d.w.c.setup; s.MyDomain != demo.MyDomain || s.Password.Reveal() != demo.Password {
		t.Fatalf("reconfigure did not bring the saved values back: %+v", *s)
	}
	if d.w.c.naming {
		t.Error("reconfiguring still asks for a name")
	}
}

func TestEnvironmentChoiceIsTheAnswerAndIsKeptGoingBack(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.keys("enter")
	d.requireBody("Production", "Sandbox", "My Domain token endpoint", "https://login.salesforce.com/services/oauth2/token")
	d.keys("down")
	if s := d.w.c.setup; s.Token != steps.TokenSandbox || s.Environment != sfcheck.Sandbox {
		t.Fatalf("after down: token %q environment %q", s.Token, s.Environment)
	}
	d.requireBody("https://test.salesforce.com/services/oauth2/token")
	d.keys("enter")
	d.requireScreen(steps.MyDomain)
	d.keys("shift+tab")
	d.requireScreen(steps.Environment)
	if d.w.c.setup.Token != steps.TokenSandbox {
		t.Error("going back lost the sandbox choice")
	}
	d.keys("down", "enter")
	if d.w.c.setup.Token != steps.TokenMyDomain {
		t.Errorf("token = %q, want my_domain", d.w.c.setup.Token)
	}
}

func TestMyDomainIsCheckedAsTyped(t *testing.T) {
	tests := []struct {
		name       string
		typed      string
		want       []string // on screen
		blocking   bool
		suggestion string // what tab puts in the field
	}{
		{"lightning URL", "https://acme.lightning.force.com/lightning/page/home", []string{"Lightning address", "tab uses https://acme.my.salesforce.com"}, true, "https://acme.my.salesforce.com"},
		{"setup URL", "https://acme.my.salesforce-setup.com", []string{"Salesforce Setup pages", "tab uses https://acme.my.salesforce.com"}, true, "https://acme.my.salesforce.com"},
		{"shared login host", "https://login.salesforce.com", []string{"shared login address"}, true, ""},
		{"not salesforce", "https://example.com", []string{"not a Salesforce My Domain"}, true, ""},
		{"my domain", "acme.my.salesforce.com", []string{"Endpoint URL", "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t, WizardOptions{})
			d.keys("enter", "enter")
			d.typ(tt.typed)
			d.requireBody(tt.want...)
			d.keys("enter")
			if blocked := d.screen() == steps.MyDomain; blocked != tt.blocking {
				t.Fatalf("Enter blocked = %v, want %v:\n%s", blocked, tt.blocking, d.body())
			}
			if tt.suggestion == "" {
				return
			}
			d.keys("tab")
			if got := d.w.c.setup.MyDomain; got != tt.suggestion {
				t.Errorf("after tab: %q, want %q", got, tt.suggestion)
			}
			if f := d.w.screens[steps.MyDomain].(*form).fields[0]; f.value() != tt.suggestion {
				t.Errorf("the field shows %q after tab", f.value())
			}
			d.keys("enter")
			d.requireScreen(steps.Auth)
		})
	}
}

func TestMyDomainSandboxHostWithProductionOffersTheSandboxEnvironment(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.keys("enter", "enter") // production
	d.typ(demo.SandboxMyDomain)
	d.requireBody("is a sandbox", "tab chooses sandbox")
	d.keys("enter")
	d.requireScreen(steps.MyDomain)
	d.keys("tab")
	if s := d.w.c.setup; s.Token != steps.TokenSandbox || s.Environment != sfcheck.Sandbox {
		t.Fatalf("tab did not choose the sandbox: %q %q", s.Token, s.Environment)
	}
	d.requireBody("https://test.salesforce.com/services/oauth2/token")
	d.keys("enter")
	d.requireScreen(steps.Auth)
	d.send(gotoMsg{to: steps.Environment})
	if ch := d.w.screens[steps.Environment].(*environment).choice.selected(); ch != string(steps.TokenSandbox) {
		t.Errorf("the environment screen shows %q", ch)
	}
}

func TestEmptyValueIsReportedOnlyAfterEnter(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.keys("enter", "enter")
	if strings.Contains(d.body(), "empty") {
		t.Fatalf("an untouched field is reported before Enter:\n%s", d.body())
	}
	d.keys("enter")
	d.requireScreen(steps.MyDomain)
	d.requireBody("The My Domain URL is empty.")
}

func TestFormKeysMoveBetweenFieldsAndBackKeepsValues(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.send(gotoMsg{to: steps.ConnectedApp})
	f := d.w.screens[steps.ConnectedApp].(*form)
	d.typ("my-client")
	d.keys("enter") // moves to the secret, does not submit
	d.requireScreen(steps.ConnectedApp)
	if f.focused != 1 {
		t.Fatalf("focus = %d after Enter on the first field", f.focused)
	}
	d.keys("shift+tab")
	if f.focused != 0 {
		t.Fatalf("focus = %d after shift+tab", f.focused)
	}
	d.keys("tab")
	if f.focused != 1 {
		t.Fatalf("focus = %d after tab", f.focused)
	}
	d.keys("enter") // submit with an empty secret: blocked, the secret focused
	d.requireScreen(steps.ConnectedApp)
	d.requireBody("The Client Secret (consumer secret) is empty.")
	d.typ("s3cret-value")
	d.keys("enter")
	d.requireScreen(steps.User)
	d.keys("esc")
	d.requireScreen(steps.ConnectedApp)
	if f.fields[0].value() != "my-client" || f.fields[1].value() != "s3cret-value" {
		t.Errorf("going back lost values: %q %q", f.fields[0].value(), f.fields[1].value())
	}
	d.keys("shift+tab", "shift+tab") // from the secret: to the client ID, then back a screen
	d.requireScreen(steps.Auth)
}

func TestGoingBackAndForwardKeepsEveryValue(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.keys("enter", "down", "enter")
	d.typ("acme--uat.sandbox.my.salesforce.com")
	d.keys("enter", "enter")
	d.typ("cid")
	d.keys("enter")
	d.typ("csecret")
	d.keys("enter")
	d.typ("u@acme.example.uat")
	d.keys("enter")
	d.typ("pw")
	d.keys("enter")
	d.typ("tok")
	d.keys("enter")
	d.requireScreen(steps.VerifySalesforce)
	want := *d.w.c.setup
	for d.screen() != steps.Welcome {
		d.keys("esc")
	}
	for d.screen() != steps.VerifySalesforce {
		d.keys("enter")
	}
	got := *d.w.c.setup
	if got.MyDomain != want.MyDomain || got.Token != steps.TokenSandbox || got.ClientID != "cid" ||
		got.ClientSecret.Reveal() != "csecret" || got.Username != want.Username || got.Password.Reveal() != "pw" ||
		got.SecurityToken.Reveal() != "tok" {
		t.Errorf("values after back and forth = %+v, want %+v", got, want)
	}
}

func TestAuthClientCredentialsDropsTheUserStepAndUsesMyDomainToken(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.keys("enter", "enter")
	d.typ(demo.MyDomain)
	d.keys("enter")
	if !strings.Contains(d.view(), "Step 3 of 9") {
		t.Fatalf("header:\n%s", d.view())
	}
	d.keys("down")
	if !strings.Contains(d.view(), "Step 3 of 8") {
		t.Errorf("the step count does not follow the flow:\n%s", d.view())
	}
	d.requireBody("served only by the org's own token endpoint", "https://acme.my.salesforce.com/services/oauth2/token", "Enable Client Credentials Flow")
	if got := d.w.c.setup.TokenURL(); got != "https://acme.my.salesforce.com/services/oauth2/token" {
		t.Errorf("token URL = %q", got)
	}
	d.keys("enter")
	d.requireScreen(steps.ConnectedApp)
	d.typ("cid")
	d.keys("enter")
	d.typ("secret")
	d.keys("enter")
	d.requireScreen(steps.VerifySalesforce)
}

func TestPastedLongValueIsAcceptedWholeAndStaysInView(t *testing.T) {
	long := strings.Repeat("a1b2c3d4e5", 30) // 300 characters
	d := newDriver(t, WizardOptions{})
	d.send(tea.WindowSizeMsg{Width: 60, Height: 30})
	d.send(gotoMsg{to: steps.ConnectedApp})
	d.paste(long + "\r\n")
	if got := d.w.c.setup.ClientID; got != long {
		t.Fatalf("client ID has %d characters, want the 300 pasted", len(got))
	}
	v := d.w.View()
	for _, l := range strings.Split(ansi.Strip(v.Content), "\n") {
		if ansi.StringWidth(l) > 60 {
			t.Fatalf("a line is wider than the terminal: %q", l)
		}
	}
	if v.Cursor == nil {
		t.Fatal("no cursor on the focused field")
	}
	line := strings.Split(ansi.Strip(v.Content), "\n")[v.Cursor.Y]
	if !strings.Contains(line, long[len(long)-20:]) || v.Cursor.X != ansi.StringWidth(strings.TrimRight(line, " ")) {
		t.Errorf("the cursor (x=%d) is not after the end of the value on %q", v.Cursor.X, line)
	}
	d.keys("home")
	line = strings.Split(ansi.Strip(d.w.View().Content), "\n")[v.Cursor.Y]
	if !strings.Contains(line, "> a1b2c3") {
		t.Errorf("home did not scroll to the start: %q", line)
	}
}

func TestSecretsAreMaskedOnScreen(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	secrets := []string{demo.ClientSecret, demo.Password, demo.SecurityToken, demo.DRKey}
	check := func() {
		t.Helper()
		v := d.view()
		for _, s := range secrets {
			if strings.Contains(v, s) {
				t.Fatalf("screen %q shows a secret", d.screen().Title())
			}
		}
	}
	d.keys("enter", "enter")
	d.typ(demo.MyDomain)
	d.keys("enter", "enter")
	d.typ(demo.ClientID)
	d.keys("enter")
	d.typ(demo.ClientSecret)
	check()
	d.keys("enter")
	d.typ(demo.Username)
	d.keys("enter")
	d.typ(demo.Password)
	check()
	d.keys("enter")
	d.typ(demo.SecurityToken)
	check()
	d.keys("enter")
	check()
	d.keys("enter")
	check()
	d.keys("enter")
	d.typ(demo.DRKey)
	check()
	d.keys("enter", "enter")
	d.requireScreen(steps.Review)
	check()
	d.requireBody("Client Secret ********", "sk_test_********")
}

func TestDRKeyKindIsCheckedAsTyped(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*steps.Setup)
		key   string
		want  string
		block bool
	}{
		{"public key refused", nil, demo.DRPublicKey, "public key (pk_…)", true},
		{"test key with production org", func(s *steps.Setup) { s.MyDomain = demo.MyDomain }, demo.DRKey, "This is a test key", false},
		{"live key with sandbox", func(s *steps.Setup) {
			s.MyDomain, s.Token, s.Environment = demo.SandboxMyDomain, steps.TokenSandbox, sfcheck.Sandbox
		}, demo.DRLiveKey, "This is a live key and the org is a sandbox", false},
		{"not a key", nil, "hello world", "does not look like a Digital River secret API key", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := steps.Defaults("default")
			if tt.setup != nil {
				tt.setup(&s)
			}
			d := newDriver(t, WizardOptions{Initial: s})
			d.send(gotoMsg{to: steps.DRKey})
			d.typ(tt.key)
			d.requireBody(tt.want)
			got := steps.Blocking(d.w.screens[steps.DRKey].(*drKey).problems)
			if got != tt.block {
				t.Errorf("blocking = %v, want %v", got, tt.block)
			}
		})
	}
}

func TestDRKeyRefusedByDigitalRiverIsExplainedWithItsRequestID(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	d.keys("enter", "enter")
	d.requireScreen(steps.DRKey)
	d.typ("sk_test_" + strings.Repeat("0", 32)) // well formed, unknown to the account
	d.keys("enter")
	d.requireScreen(steps.DRKey)
	d.requireBody("✗ Digital River did not accept the API key", "Digital River request id")
	if strings.Contains(d.body(), "sk_test_0000") {
		t.Fatalf("the key is on screen:\n%s", d.body())
	}
	d.keys("backspace")
	if strings.Contains(d.body(), "did not accept") {
		t.Errorf("the failure stays after the key was edited:\n%s", d.body())
	}

	_, cmd := d.w.Update(keyMsg("enter")) // a second check, not run yet
	if cmd == nil || !d.w.c.busy() {
		t.Fatal("Enter did not check the key")
	}
	d.keys("esc")
	d.requireScreen(steps.DRKey)
	d.requireBody("Cancelled; the key was not checked.")
}

func TestEventsKeys(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.send(gotoMsg{to: steps.Events})
	ev := func() []string { return d.w.c.setup.Events }
	if !slices.Equal(ev(), drapi.AppEvents) {
		t.Fatalf("preselected %v", ev())
	}
	d.requireBody("[x] order.accepted", "[ ] order.created", "8 of 33 selected")

	d.keys("space")
	if slices.Contains(ev(), "order.accepted") {
		t.Fatal("space did not unselect order.accepted")
	}
	d.requireBody("order.accepted too")

	d.keys("a")
	if len(ev()) != len(drapi.AppEvents)+len(drapi.OrderEvents) {
		t.Fatalf("a selected %d", len(ev()))
	}
	d.keys("a")
	if len(ev()) != 0 {
		t.Fatalf("a again left %d selected", len(ev()))
	}
	d.keys("enter")
	d.requireScreen(steps.Events)
	d.requireBody("No event type is selected.")

	d.keys("r")
	if !slices.Equal(ev(), drapi.AppEvents) {
		t.Fatalf("r selected %v", ev())
	}
	for range len(drapi.AppEvents) {
		d.keys("down")
	}
	d.keys("space")
	if !slices.Contains(ev(), "order.created") {
		t.Fatalf("order.created not added: %v", ev())
	}
	d.keys("end", "space")
	if last := d.w.screens[steps.Events].(*events).list; !slices.Contains(ev(), last[len(last)-1]) {
		t.Fatalf("end did not reach the last event: %v", ev())
	}
	d.keys("G", "space", "home", "k", "space")
	if slices.Contains(ev(), drapi.AppEvents[0]) {
		t.Fatalf("home did not reach the first event: %v", ev())
	}
	d.keys("g", "space", "enter")
	d.requireScreen(steps.Review)
}

func TestQuitAsksOnlyWhenSomethingWasTyped(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.keys("enter", "enter")
	d.keys("ctrl+c")
	if !d.quit {
		t.Fatal("Ctrl+C with nothing typed asked instead of quitting")
	}

	d = newDriver(t, WizardOptions{})
	d.keys("enter", "enter")
	d.typ("acme")
	d.keys("ctrl+c")
	if d.quit {
		t.Fatal("Ctrl+C with typed input quit without asking")
	}
	if !strings.Contains(d.view(), "Quit? What you typed is not saved") {
		t.Fatalf("no confirmation:\n%s", d.view())
	}
	d.typ("x") // ignored while asking
	if d.w.c.setup.MyDomain != "acme" {
		t.Fatal("a key reached the field during the confirmation")
	}
	d.keys("esc")
	if d.quit || d.w.confirm {
		t.Fatal("esc did not keep the wizard")
	}
	d.keys("ctrl+c", "ctrl+c")
	if !d.quit {
		t.Fatal("a second Ctrl+C did not quit")
	}
}

func TestVerifyDoesNotLogInOnArrival(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.send(gotoMsg{to: steps.VerifySalesforce})
	if d.w.c.busy() || requests(d.w.c.svc) != 0 {
		t.Fatal("arriving on Verify started a request")
	}
	d.requireBody("Press Enter to log in.")
}

func TestVerifyRefusesToLogInWithAnEarlierBlockingProblem(t *testing.T) {
	s := steps.Defaults("default")
	s.MyDomain = demo.LightningURL
	d := newDriver(t, WizardOptions{Initial: s})
	d.send(gotoMsg{to: steps.VerifySalesforce})
	d.keys("enter")
	if d.w.c.busy() || requests(d.w.c.svc) != 0 {
		t.Fatal("logged in with a Lightning URL as My Domain")
	}
	d.requireBody("Nothing was sent", "Lightning address")
	d.keys("enter")
	d.requireScreen(steps.MyDomain)
}

func TestVerifyHoldsWhileTheValuesStayAndLapsesWhenOneChanges(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	d.keys("enter")
	d.requireBody("Salesforce accepted the login.")

	// Back to the user and forward again, nothing changed: still verified,
	// without a second login.
	d.keys("shift+tab")
	d.requireScreen(steps.User)
	d.keys("enter") // the focus stayed on the last field
	d.requireScreen(steps.VerifySalesforce)
	d.requireBody("Salesforce accepted the login.")
	if n := wd.srv.LoginAttempts(demo.Username); n != 1 {
		t.Fatalf("logins = %d, want 1", n)
	}

	// A changed password no longer counts as verified, and arriving does
	// not log in with it.
	d.keys("shift+tab", "up")
	d.typ("x")
	d.keys("enter", "enter")
	d.requireScreen(steps.VerifySalesforce)
	d.requireBody("The values changed since Salesforce accepted them", "Press Enter to log in.")
	if (d.w.c.session.Verified() != nil) || wd.srv.LoginAttempts(demo.Username) != 1 {
		t.Fatalf("verified = %v, logins = %d after the password changed", (d.w.c.session.Verified() != nil), wd.srv.LoginAttempts(demo.Username))
	}
}

func TestEscCancelsTheRequestAndItsLateAnswerIsIgnored(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)

	_, cmd := d.w.Update(keyMsg("enter")) // starts the login; not run yet
	if cmd == nil || !d.w.c.busy() {
		t.Fatal("Enter did not start a login")
	}
	id := d.w.c.req.id
	d.requireBody("Logging in to Salesforce")
	d.keys("esc")
	if d.w.c.busy() {
		t.Fatal("esc did not cancel")
	}
	d.requireScreen(steps.VerifySalesforce)
	d.requireBody("Cancelled.")

	// The answer arrives after all, as a success: it must change nothing.
	late := &steps.Verified{Session: &sfcheck.Session{OrgID: "00Dlate"}}
	d.send(doneMsg{id: id, msg: verifyResult{v: late, key: d.w.c.setup.LoginKey()}})
	if d.w.c.session.Verified() != nil {
		t.Fatal("a cancelled request's late answer was taken")
	}
	d.run(cmd) // the real request, cancelled: its answer is dropped too
	if d.w.c.session.Verified() != nil || d.w.screens[steps.VerifySalesforce].(*verify).state != verifyIdle {
		t.Fatal("the cancelled request's own answer was taken")
	}
}

func TestLeavingAScreenDropsItsRequestsAnswer(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	_, cmd := d.w.Update(keyMsg("enter"))
	id := d.w.c.req.id
	d.send(backMsg{})
	d.requireScreen(steps.User)
	d.send(doneMsg{id: id, msg: verifyResult{v: &steps.Verified{}, key: d.w.c.setup.LoginKey()}})
	d.run(cmd)
	if d.w.c.session.Verified() != nil {
		t.Fatal("an answer for a screen the admin left was taken")
	}
}

func TestSpinnerStopsTickingWhenNothingRuns(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	if _, cmd := d.w.Update(spinner.TickMsg{ID: d.w.c.spinner.ID()}); cmd != nil {
		t.Error("the spinner ticks with no request in flight")
	}
}

func TestQuestionMarkIsHelpOnlyWhereNothingIsTyped(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.keys("enter")
	d.keys("?")
	if !d.w.showAll || !strings.Contains(d.view(), "pgdn") {
		t.Fatalf("? did not show every key on the environment screen:\n%s", d.view())
	}
	d.keys("enter")
	d.typ("https://x?")
	if d.w.showAll || d.w.c.setup.MyDomain != "https://x?" {
		t.Errorf("? on a text field toggled the help instead of typing (%q)", d.w.c.setup.MyDomain)
	}
}

func TestBackgroundColorSwitchesStylesAndNoColorDrawsNoColour(t *testing.T) {
	d := newDriver(t, WizardOptions{Color: true})
	d.send(tea.BackgroundColorMsg{Color: color.White})
	if d.w.isDark {
		t.Error("a white background was taken for dark")
	}
	d.keys("enter", "enter")
	d.typ(demo.LightningURL)
	if v := d.w.View().Content; !strings.Contains(v, "\x1b[38;") {
		t.Error("no colour drawn with colour on")
	}

	d = newDriver(t, WizardOptions{Color: false, Demo: &DemoInfo{}})
	d.keys("enter", "enter")
	d.typ(demo.LightningURL)
	if v := d.w.View().Content; strings.Contains(v, "\x1b[38;") || strings.Contains(v, "\x1b[48;") {
		t.Errorf("colour drawn with NO_COLOR: %q", v)
	}
	if !strings.Contains(d.view(), "✗") {
		t.Error("without colour the problem lost its mark")
	}
}

func TestEveryScreenFitsSixtyColumnsAndShowsWhereTheAdminIs(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	o := wd.options(steps.Defaults("default"))
	o.Demo = &DemoInfo{Values: [][2]string{{"My Domain URL", demo.MyDomain}}, Traps: demo.Traps()}
	d := newDriver(t, o)
	d.send(tea.WindowSizeMsg{Width: 60, Height: 30})
	check := func() {
		t.Helper()
		v := d.w.View()
		lines := strings.Split(ansi.Strip(v.Content), "\n")
		if len(lines) > 30 {
			t.Errorf("screen %q has %d lines for a 30-line terminal", d.screen().Title(), len(lines))
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > 60 {
				t.Errorf("screen %q: line wider than 60 columns: %q", d.screen().Title(), l)
			}
		}
		text := ansi.Strip(v.Content)
		if !strings.Contains(text, "Demo — simulated Salesforce org") {
			t.Errorf("screen %q has no demo banner", d.screen().Title())
		}
		if n, total := d.w.c.setup.Numbered(d.screen()); n > 0 && !strings.Contains(text, fmt.Sprintf("Step %d of %d", n, total)) {
			t.Errorf("screen %q does not say which step it is", d.screen().Title())
		}
		if !strings.Contains(text, "ctrl+c") && !strings.Contains(text, "enter") && !strings.Contains(text, " q ") {
			t.Errorf("screen %q has no help line", d.screen().Title())
		}
	}
	check()
	d.keys("enter")
	check()
	d.keys("enter")
	d.typ(demo.LightningURL)
	check()
	d.keys("tab", "enter")
	check()
	d.keys("enter")
	d.typ(demo.ClientID)
	d.keys("enter")
	d.typ("wrong-secret")
	check()
	d.keys("enter")
	d.typ(demo.Username)
	d.keys("enter")
	d.typ(demo.Password)
	d.keys("enter")
	d.typ(demo.SecurityToken)
	check()
	d.keys("enter", "enter") // refused
	check()
	d.keys("enter", "ctrl+u")
	d.typ(demo.ClientSecret)
	d.keys("enter", "enter", "enter", "enter", "enter")
	d.requireScreen(steps.VerifySalesforce)
	check()
	d.keys("enter")
	d.typ(demo.DRKey)
	check()
	d.keys("enter")
	check()
	d.keys("pgdown")
	check()
	d.keys("enter")
	check()
	d.keys("enter")
	d.requireScreen(steps.Register)
	check()
}

func TestCursorSitsOnTheFocusedField(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.keys("enter", "enter")
	d.typ("abc")
	v := d.w.View()
	if v.Cursor == nil {
		t.Fatal("no cursor")
	}
	line := strings.Split(ansi.Strip(v.Content), "\n")[v.Cursor.Y]
	if !strings.HasPrefix(strings.TrimSpace(line), "> abc") {
		t.Fatalf("cursor row %d is %q, not the input", v.Cursor.Y, line)
	}
	if want := strings.Index(line, "> abc") + len("> abc"); v.Cursor.X != want {
		t.Errorf("cursor x = %d, want %d (after the text)", v.Cursor.X, want)
	}
	d.keys("left")
	if got := d.w.View().Cursor.X; got != v.Cursor.X-1 {
		t.Errorf("left: cursor x = %d, want %d", got, v.Cursor.X-1)
	}
	d.send(gotoMsg{to: steps.Environment})
	if d.w.View().Cursor != nil {
		t.Error("a cursor is shown on a screen without text fields")
	}
}

func TestEnvironmentKeepsOfferingAGivenTokenEndpoint(t *testing.T) {
	s := steps.Defaults("default")
	s.Token, s.TokenEndpoint = steps.TokenCustom, "https://acme.my.salesforce.com/services/oauth2/token"
	d := newDriver(t, WizardOptions{Initial: s})
	d.keys("enter")
	d.requireBody("--token-endpoint", s.TokenEndpoint)
	if got := d.w.c.setup.TokenURL(); got != s.TokenEndpoint {
		t.Fatalf("token URL = %q", got)
	}
	d.keys("home", "enter", "esc")
	d.requireScreen(steps.Environment)
	d.requireBody("--token-endpoint")
	d.keys("end")
	if got := d.w.c.setup.TokenURL(); got != s.TokenEndpoint {
		t.Errorf("choosing the given endpoint again: token URL = %q", got)
	}
}

func TestLineFeedWorksAsEnter(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.send(tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl})
	d.requireScreen(steps.Environment)
}
