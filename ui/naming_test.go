package ui

import (
	"strings"
	"testing"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/steps"
)

// "Start a new setup" beside a saved profile asks, at the review, for a
// name of its own, suggested from the org, and leaves the saved profile
// alone; a name that would replace another setup's profile takes a second
// Enter.
func TestFlowANewSetupIsNamedAndKeepsTheSavedProfile(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	first := newDriver(t, wd.options(steps.Defaults("default")))
	first.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	first.fromVerifyToDone(demo.DRKey)
	testHook := first.w.c.result.Webhook.ID

	initial, existing := fromStore(t, wd.store, "default")
	o := wd.options(initial)
	o.Existing = existing
	d := newDriver(t, o)
	d.requireBody("Start a new setup", `so profile "default" stays as it is`)
	d.keys("down") // Start a new setup
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	d.keys("enter") // log in
	d.keys("enter")
	d.requireScreen(steps.DRKey)
	d.typ(demo.DRLiveKey) // a live key beside the test one
	d.keys("enter")
	d.keys("enter") // the eight events
	d.requireScreen(steps.Review)
	d.requireBody("Profile name", "> acme", `so profile "default" stays as it is`)
	if d.w.c.plan != nil {
		t.Fatal("the plan was made before the profile was named")
	}

	// "default" is this org's test setup: replacing it asks again.
	for range len("acme") {
		d.keys("backspace")
	}
	d.typ("default")
	d.keys("enter")
	d.requireBody(`Profile "default" is this org's setup with a test key`, "its webhook "+testHook+" stays at Digital River", "Press Enter again to replace it.")
	// Not a name at all.
	d.typ("!")
	d.keys("enter")
	d.requireBody("The profile name")
	for range len("default!") {
		d.keys("backspace")
	}
	d.typ("acme-live")
	d.keys("enter")
	d.requireBody(`Saved afterwards`, `profile "acme-live"`, "Create a new webhook")
	d.keys("enter")
	d.requireScreen(steps.Register)
	if r := d.w.c.result; r == nil || r.Profile != "acme-live" {
		t.Fatalf("result %+v\n%s", r, d.body())
	}
	if p, err := wd.store.Load("default"); err != nil || p.WebhookID != testHook || p.DRMode != "test" {
		t.Errorf("the saved profile changed: %+v %v", p, err)
	}
	if p, err := wd.store.Load("acme-live"); err != nil || p.DRMode != "live" {
		t.Errorf("the new profile: %+v %v", p, err)
	}
}

// Reconfiguring a test profile with a live key says what becomes of the
// test webhook.
func TestFlowALiveKeyForATestProfileSaysWhatHappensToTheTestWebhook(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	first := newDriver(t, wd.options(steps.Defaults("default")))
	first.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	first.fromVerifyToDone(demo.DRKey)
	testHook := first.w.c.result.Webhook.ID

	initial, existing := fromStore(t, wd.store, "default")
	o := wd.options(initial)
	o.Existing = existing
	d := newDriver(t, o)
	for d.screen() != steps.DRKey {
		d.keys("enter")
	}
	for range len(demo.DRKey) {
		d.keys("backspace")
	}
	d.typ(demo.DRLiveKey)
	d.keys("enter", "enter")
	d.requireScreen(steps.Review)
	d.requireBody(`Profile "default" was set up with a test key`, "test webhook "+testHook+" stays at Digital River and keeps sending test events", "webhooks delete "+testHook)
	if strings.Contains(d.body(), "Profile name") {
		t.Error("reconfiguring asks for a name")
	}
}
