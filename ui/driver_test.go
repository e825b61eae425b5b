package ui

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
)

// driver runs the wizard model in-process and synchronously: each key goes
// through Update, and every command it returns runs at once, its messages
// fed back, until nothing is left. Requests to the emulator therefore finish
// before the next key, which makes flow tests deterministic without waiting
// on a clock. The spinner's ticks are dropped (they would tick forever).
type driver struct {
	t    testing.TB
	w    *wizard
	quit bool
}

func newDriver(t testing.TB, o WizardOptions) *driver {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if o.Services == nil {
		o.Services = offline()
	}
	if o.Initial.Profile == "" {
		o.Initial = steps.Defaults("default")
	}
	d := &driver{t: t, w: newWizard(ctx, o)}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 40})
	d.run(d.w.Init())
	return d
}

func (d *driver) send(msg tea.Msg) {
	_, cmd := d.w.Update(msg)
	d.run(cmd)
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch m := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			d.run(c)
		}
	case spinner.TickMsg:
	case tea.QuitMsg:
		d.quit = true
	default:
		d.send(m)
	}
}

// keys sends named keys: "enter", "shift+tab", "ctrl+c", "space", or one
// character.
func (d *driver) keys(names ...string) {
	for _, n := range names {
		d.send(keyMsg(n))
	}
}

// typ types s one key at a time.
func (d *driver) typ(s string) {
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (d *driver) paste(s string) { d.send(tea.PasteMsg{Content: s}) }

func (d *driver) screen() steps.ID { return d.w.current }

// view is the screen as text, without styling.
func (d *driver) view() string { return ansi.Strip(d.w.View().Content) }

// body is the current screen's whole body as text, not cut to the terminal.
func (d *driver) body() string { return ansi.Strip(d.w.screen().view().content) }

func (d *driver) requireScreen(id steps.ID) {
	d.t.Helper()
	if d.screen() != id {
		d.t.Fatalf("on screen %q, want %q\n%s", d.screen().Title(), id.Title(), d.view())
	}
}

func (d *driver) requireBody(parts ...string) {
	d.t.Helper()
	b := squeeze(d.body())
	for _, p := range parts {
		if !strings.Contains(b, squeeze(p)) {
			d.t.Fatalf("screen %q does not show %q:\n%s", d.screen().Title(), p, d.body())
		}
	}
}

// squeeze drops every space and line break, so a sentence or a long URL is
// found however the screen wrapped it.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

func keyMsg(name string) tea.KeyPressMsg {
	switch name {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	r := []rune(name)
	if len(r) != 1 {
		panic("keyMsg: unknown key " + name)
	}
	return tea.KeyPressMsg{Code: r[0], Text: name}
}

func TestKeyMsgNamesAreWhatBubbleTeaReports(t *testing.T) {
	for _, n := range []string{"enter", "esc", "tab", "shift+tab", "space", "up", "down", "left", "home",
		"end", "backspace", "pgdown", "pgup", "ctrl+c", "ctrl+u", "a", "?", "q"} {
		if got := keyMsg(n).String(); got != n {
			t.Errorf("keyMsg(%q).String() = %q", n, got)
		}
	}
}

// offline are services that reach nothing: every request fails at once
// and is counted, so a model test can prove none was made.
func offline() *steps.Services {
	rt := &refusing{}
	client := &http.Client{Transport: rt}
	return &steps.Services{
		SF: &sfcheck.Client{HTTP: client},
		DR: func(k string) (*drapi.Client, error) { return drapi.New(k, drapi.Options{HTTPClient: client}) },
	}
}

// refusing is a transport that refuses every request and counts them.
type refusing struct{ n atomic.Int64 }

func (r *refusing) RoundTrip(*http.Request) (*http.Response, error) {
	r.n.Add(1)
	return nil, errors.New("offline test: no network")
}

// requests counts the requests the offline services were asked to send.
func requests(sv *steps.Services) int64 {
	return sv.SF.HTTP.Transport.(*refusing).n.Load()
}

// world is the emulator with the services and a store over it, as main
// builds them.
type world struct {
	srv   *emulator.Server
	svc   *steps.Services
	store *profile.Store
}

func newWorld(t testing.TB, sc emulator.Scenario) *world {
	t.Helper()
	w := emulatortest.New(t, sc)
	return &world{srv: w.Server, store: w.Store, svc: &steps.Services{SF: w.Salesforce(), DR: w.DigitalRiver(), Store: w.Store}}
}

func (wd *world) options(initial steps.Setup) WizardOptions {
	return WizardOptions{Services: wd.svc, Initial: initial, Redactor: &secret.Redactor{}}
}

// acmeWebhooks are the test-mode webhooks addressed to the demo org acme.
func (wd *world) acmeWebhooks() []emulator.Webhook {
	var out []emulator.Webhook
	for _, h := range wd.srv.Webhooks("test") {
		if strings.Contains(h.Address, "acme.") && strings.Contains(h.Address, "/apexrest/") {
			out = append(out, h)
		}
	}
	return out
}

var demo = emulator.Demo

// toVerify fills every screen up to Verify Salesforce for the password flow,
// starting from empty values.
func (d *driver) toVerify(myDomain, clientSecret, password string) {
	d.t.Helper()
	d.toVerifyAs(demo.Username, myDomain, clientSecret, password)
}

// toVerifyAs is toVerify for the integration user username.
func (d *driver) toVerifyAs(username, myDomain, clientSecret, password string) {
	d.t.Helper()
	d.keys("enter") // welcome
	d.requireScreen(steps.Environment)
	d.keys("enter") // production
	d.requireScreen(steps.MyDomain)
	d.typ(myDomain)
	d.keys("enter")
	d.requireScreen(steps.Auth)
	d.keys("enter") // username and password
	d.requireScreen(steps.ConnectedApp)
	d.typ(demo.ClientID)
	d.keys("enter")
	d.typ(clientSecret)
	d.keys("enter")
	d.requireScreen(steps.User)
	d.typ(username)
	d.keys("enter")
	d.typ(password)
	d.keys("enter")
	d.typ(demo.SecurityToken)
	d.keys("enter")
	d.requireScreen(steps.VerifySalesforce)
}

// fromVerifyToDone logs in, enters the key, keeps the events and registers.
func (d *driver) fromVerifyToDone(key string) {
	d.t.Helper()
	d.requireScreen(steps.VerifySalesforce)
	if !(d.w.c.session.Verified() != nil) {
		d.keys("enter") // log in
	}
	d.requireBody("Salesforce accepted the login.")
	d.keys("enter")
	d.requireScreen(steps.DRKey)
	if d.w.c.setup.DRAPIKey.IsZero() {
		d.typ(key)
	}
	d.keys("enter")
	d.requireScreen(steps.Events)
	d.keys("enter")
	d.requireScreen(steps.Review)
	d.keys("enter")
	d.requireScreen(steps.Register)
	if d.w.c.result == nil {
		d.t.Fatalf("not registered:\n%s", d.body())
	}
}
