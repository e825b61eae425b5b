package ui

import (
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
)

// An External Client App offers only client credentials: choosing it on the
// login screen drops the integration user's step, names the app's own Setup
// page, and registers the client credentials grant at the My Domain's token
// endpoint.
func TestFlowExternalClientApp(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.keys("enter", "enter")
	d.typ(demo.ECAMyDomain)
	d.keys("enter")
	d.requireScreen(steps.Auth)
	d.requireBody("External Client App, client credentials", "offer only client credentials")
	d.keys("down", "down")
	d.requireBody("External Client App Manager", "Flow Enablement", "Run As")
	d.keys("enter")
	d.requireScreen(steps.ConnectedApp)
	if got := d.view(); !containsAll(got, "External Client App", "Step 4 of 8") {
		t.Fatalf("the app step is not named after the External Client App:\n%s", got)
	}
	d.requireBody("External Client App Manager", "OAuth Settings")
	d.typ(demo.ClientID)
	d.keys("enter")
	d.typ(demo.ClientSecret)
	d.keys("enter")
	d.requireScreen(steps.VerifySalesforce)
	d.fromVerifyToDone(demo.DRKey)
	o := d.w.c.result.Webhook.OAuth
	if o == nil || o.GrantType != drapi.GrantClientCredentials || o.TokenEndPoint != demo.ECAMyDomain+"/services/oauth2/token" || o.UserName != "" {
		t.Fatalf("registered %+v", d.w.c.result.Webhook)
	}
	if p, _ := wd.store.Load("default"); p.Get("app") != string(sfcheck.AppExternal) {
		t.Errorf("the profile does not record the External Client App: %q", p.Get("app"))
	}
}

// The username-password flow fails against an External Client App with the
// bare "authentication failure"; c switches to client credentials without
// losing anything typed.
func TestFailedPasswordLoginOffersClientCredentials(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.ECAMyDomain, demo.ClientSecret, demo.Password)
	d.w.c.setup.Username = demo.ECAUsername
	d.keys("enter")
	d.requireBody("Salesforce refused the login.", "authentication failure", "press c to switch to client credentials")
	if !slices.ContainsFunc(d.w.screen().ShortHelp(), func(b key.Binding) bool { return b.Help().Key == "c" }) {
		t.Error("the help line does not offer c")
	}
	d.keys("c")
	d.requireScreen(steps.Auth)
	if s := d.w.c.setup; s.Auth != sfcheck.FlowClientCredentials || s.ClientID != demo.ClientID || s.ClientSecret.Reveal() != demo.ClientSecret || s.Password.Reveal() != demo.Password {
		t.Fatalf("after c: auth %q, values %+v", s.Auth, s)
	}
	d.keys("down", "enter") // the External Client App, since that is what the org has
	d.keys("enter", "enter")
	d.requireScreen(steps.VerifySalesforce)
	d.fromVerifyToDone(demo.DRKey)
	if n := wd.srv.LoginAttempts(demo.ECAUsername); n != 1 {
		t.Errorf("%d password logins, want the one refused", n)
	}
}

// A user who logs in from a trusted IP range needs no security token here,
// but Digital River logs in from its own addresses.
func TestLoginWithoutTokenWarnsThatDigitalRiverNeedsIt(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.Orgs[0].Users[0].TrustedIP = true
	wd := newWorld(t, sc)
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	d.w.c.setup.SecurityToken = ""
	d.keys("enter")
	d.requireBody("Salesforce accepted the login.", "without a security token", "54.204.214.106", "Failed: API security token required", "Press e to enter the security token")
	d.keys("e")
	d.requireScreen(steps.User)
	if f := d.w.screens[steps.User].(*form); f.fields[f.focused].id != "security_token" {
		t.Fatalf("focus on %q, want the security token", f.fields[f.focused].id)
	}
}

func TestOrderCreatedIsOfferedUnticked(t *testing.T) {
	d := newDriver(t, WizardOptions{})
	d.send(gotoMsg{to: steps.Events})
	d.requireBody("Also handled by the app, off by default", "order.created", "answers 400 until the order exists")
	e := d.w.screens[steps.Events].(*events)
	if e.selected["order.created"] || !slices.Contains(e.list, "order.created") || e.list[len(drapi.AppEvents)] != "order.created" {
		t.Fatalf("order.created: selected %v, list %v", e.selected["order.created"], e.list)
	}
	e.cursor = len(drapi.AppEvents)
	d.keys("space")
	if !slices.Contains(d.w.c.setup.Events, "order.created") || steps.Blocking(steps.Check(*d.w.c.setup, steps.Events)) {
		t.Fatalf("order.created not accepted: %v", d.w.c.setup.Events)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(squeeze(s), squeeze(p)) {
			return false
		}
	}
	return true
}
