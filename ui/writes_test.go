package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/steps"
)

// A create whose answer was lost and whose webhook the list did not show in
// time is never sent again from the same wizard: going back to the review
// and registering again looks for it once more, and adopts it.
func TestFlowLostCreateIsNotSentAgainFromTheReview(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.DigitalRiver.ListLag = 40 * time.Second
	sc.Faults.DropCreateResponse = 1
	ew := emulatortest.New(t, sc, emulatortest.WithFakeClock())
	wd := &world{srv: ew.Server, store: ew.Store, svc: &steps.Services{SF: ew.Salesforce(), DR: ew.DigitalRiver(), Store: ew.Store, Writes: &steps.Writes{}}}
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	d.keys("enter", "enter")
	d.typ(demo.DRKey)
	d.keys("enter", "enter")
	d.requireScreen(steps.Review)
	d.keys("enter")
	d.requireScreen(steps.Register)
	d.requireBody("Digital River may have created it; run drsetup setup again in a minute: it will find it")
	if d.w.c.result != nil {
		t.Fatal("a lost create counted as registered")
	}
	d.keys("enter") // back to the review, which looks again
	d.requireScreen(steps.Review)
	d.requireBody("Create a new webhook") // the list still lags
	d.keys("enter")
	r := d.w.c.result
	if r == nil || r.Action != drapi.ActionCreated || !r.Adopted {
		t.Fatalf("result = %+v, want the lost webhook adopted:\n%s", r, d.body())
	}
	posts := 0
	for _, x := range wd.srv.Received() {
		if x.Method == "POST" && x.Path == "/webhooks" {
			posts++
		}
	}
	if posts != 1 || len(wd.acmeWebhooks()) != 1 {
		t.Fatalf("%d creates sent, %d webhooks; a lost create is never sent twice in one run", posts, len(wd.acmeWebhooks()))
	}
}

// Esc during the registration says what is known: nothing sent yet, or a
// webhook that may exist.
func TestRegisterCancelSaysWhetherAWriteMayHaveGoneOut(t *testing.T) {
	cancelled := func(d *driver) string {
		r := d.w.screens[steps.Register].(*register)
		r.err = context.Canceled
		d.w.current = steps.Register
		return d.body()
	}
	fresh := offline()
	fresh.Writes = &steps.Writes{}
	if b := cancelled(newDriver(t, WizardOptions{Services: fresh})); !strings.Contains(b, "Cancelled before anything was sent to Digital River") {
		t.Fatalf("nothing written yet:\n%s", b)
	}

	// After a create whose answer was lost, the webhook may exist.
	sc := emulator.DemoScenario()
	sc.DigitalRiver.ListLag = 40 * time.Second
	sc.Faults.DropCreateResponse = 1
	ew := emulatortest.New(t, sc, emulatortest.WithFakeClock())
	wd := &world{srv: ew.Server, store: ew.Store, svc: &steps.Services{SF: ew.Salesforce(), DR: ew.DigitalRiver(), Store: ew.Store, Writes: &steps.Writes{}}}
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	d.keys("enter", "enter")
	d.typ(demo.DRKey)
	d.keys("enter", "enter", "enter")
	d.requireScreen(steps.Register)
	if b := cancelled(d); !strings.Contains(b, "The webhook may already exist at Digital River") {
		t.Fatalf("after a write:\n%s", b)
	}
}

// After a write that may have reached Digital River, quitting does not
// claim that nothing was registered.
func TestQuitConfirmationAfterAWriteSaysTheWebhookMayExist(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.DigitalRiver.ListLag = 40 * time.Second
	sc.Faults.DropCreateResponse = 1
	ew := emulatortest.New(t, sc, emulatortest.WithFakeClock())
	wd := &world{srv: ew.Server, store: ew.Store, svc: &steps.Services{SF: ew.Salesforce(), DR: ew.DigitalRiver(), Store: ew.Store, Writes: &steps.Writes{}}}
	d := newDriver(t, wd.options(steps.Defaults("default")))
	d.toVerify(demo.MyDomain, demo.ClientSecret, demo.Password)
	d.keys("enter", "enter")
	d.typ(demo.DRKey)
	d.keys("enter", "enter", "enter") // the create's answer is lost
	d.keys("enter")                   // back to the review
	d.keys("ctrl+c")
	if v := d.view(); !strings.Contains(v, "the webhook may already exist at Digital River") || strings.Contains(v, "nothing was registered") {
		t.Fatalf("quit confirmation:\n%s", v)
	}
}
