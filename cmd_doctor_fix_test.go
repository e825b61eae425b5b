package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/sfcheck"
)

// fixScenario is an account whose webhooks are broken the ways doctor
// --fix mends, one org each: a Lightning address, three event types
// missing, a disabled webhook, two duplicates; and one org whose stored
// password is stale, which a key alone cannot mend.
func fixScenario() emulator.Scenario {
	sc := emulator.Scenario{DigitalRiver: emulator.Account{Keys: []emulator.Key{{Key: tKey, CanWebhooks: true}}}}
	org := func(name string) (emulator.Org, emulator.Webhook) {
		host := name + ".my.salesforce.com"
		user := "integration@" + name + ".example"
		o := emulator.Org{MyDomain: host, PackageInstalled: true,
			Apps:  []emulator.ConnectedApp{{Name: "Salesforce DigitalRiver Integration", ClientID: tClientID, ClientSecret: tClientSecret}},
			Users: []emulator.User{{Username: user, Password: tPassword, SecurityToken: tToken, Active: true, Approved: true, ClassAccess: true}}}
		h := emulator.Webhook{Address: "https://" + host + sfcheck.ApexPath, Types: slices.Clone(drapi.AppEvents), Enabled: true, TransportType: "OAUTH", LiveMode: true,
			OAuth: &emulator.OAuth{TokenEndPoint: sfcheck.ProductionTokenURL, UserName: user, Password: tPassword + tToken, ClientID: tClientID, ClientSecret: tClientSecret, GrantType: "password"}}
		return o, h
	}
	add := func(o emulator.Org, hs ...emulator.Webhook) {
		sc.Orgs = append(sc.Orgs, o)
		sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, hs...)
	}
	o, lightning := org("initech")
	lightning.Address = "https://initech.lightning.force.com" + sfcheck.ApexPath
	add(o, lightning)
	o, missing := org("hooli")
	missing.Types = missing.Types[3:]
	add(o, missing)
	o, disabled := org("wonka")
	disabled.Enabled = false
	add(o, disabled)
	o, first := org("wayne")
	second := first
	second.Types = slices.Clone(first.Types)
	add(o, first, second)
	o, stale := org("umbrella")
	stale.OAuth = &emulator.OAuth{TokenEndPoint: sfcheck.ProductionTokenURL, UserName: "integration@umbrella.example", Password: tStoredPassword, ClientID: tClientID, ClientSecret: tClientSecret, GrantType: "password"}
	add(o, stale)
	sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, emulator.Webhook{Address: "https://erp.acme.example/digitalriver/events", Types: []string{"order.complete"}, Enabled: true, LiveMode: true})
	return sc
}

// writes counts the Digital River requests that change something.
func (w *cmdWorld) writes() int {
	n := 0
	for _, x := range w.srv.Received() {
		if x.Host == "api.digitalriver.com" && (x.Method == "POST" || x.Method == "PATCH" || x.Method == "DELETE") {
			n++
		}
	}
	return n
}

func TestDoctorFixWithoutATerminalOrYesChangesNothing(t *testing.T) {
	w := newCmdWorld(t, fixScenario())
	w.env["DRSETUP_DR_API_KEY"] = tKey
	r := w.exec(tty{}, "doctor", "--fix").want(t, 2)
	if n := w.writes(); n != 0 {
		t.Errorf("%d writes without --yes", n)
	}
	if r.out != "" {
		t.Errorf("a result on stdout with exit 2: %q", r.out)
	}
	for _, s := range []string{"drsetup can make 4 changes:", "Update webhook", "Delete webhook", "nothing was changed: add --yes", "Not fixed: drsetup stores only a login it has seen work"} {
		if !strings.Contains(flat(r.errOut), s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.errOut)
		}
	}
}

// flat is text with every run of white space one space, as wrapping
// leaves it.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestDoctorFixYesFixesAndChecksAgain(t *testing.T) {
	w := newCmdWorld(t, fixScenario())
	w.env["DRSETUP_DR_API_KEY"] = tKey
	r := w.exec(tty{}, "doctor", "--fix", "--yes", "--json").want(t, 1) // the stale password stays
	var rep reportJSON
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("stdout is not the report: %v\n%s", err, r.out)
	}
	var actions []string
	for _, f := range rep.Fixes {
		actions = append(actions, f.Action)
		if f.WebhookID == "" || f.Summary == "" {
			t.Errorf("fix %+v lacks its webhook or summary", f)
		}
	}
	slices.Sort(actions)
	if !slices.Equal(actions, []string{"deleted", "updated", "updated", "updated"}) {
		t.Errorf("fixes %v", rep.Fixes)
	}
	for _, c := range rep.Checks {
		if c.Status == "fail" && c.ID != "dr_login_replay" {
			t.Errorf("the second run still fails %s on %s: %s", c.ID, c.WebhookID, c.Summary)
		}
	}
	orgs := map[string]int{}
	for _, h := range w.srv.Webhooks("live") {
		if a := sfcheck.AnalyzeEndpoint(h.Address); a.IsApexWebhook {
			orgs[a.MyDomain.Host]++
		}
	}
	if len(orgs) != 5 {
		t.Errorf("orgs with a webhook: %v", orgs)
	}
	for org, n := range orgs {
		if n != 1 {
			t.Errorf("%s has %d webhooks", org, n)
		}
	}
	for _, s := range []string{"Updated webhook", "read back as sent", "Deleted webhook", "Digital River no longer has it"} {
		if !strings.Contains(flat(r.errOut), s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.errOut)
		}
	}
	// Nothing left to fix: the JSON still says so, with an empty list.
	r = w.exec(tty{}, "doctor", "--fix", "--json").want(t, 1)
	if !strings.Contains(r.out, `"fixes": []`) || !strings.Contains(r.errOut, "Nothing for drsetup to fix.") || w.writes() != 4 {
		t.Errorf("a second --fix:\nstdout %s\nstderr %s", r.out, r.errOut)
	}
	// Without --fix there is no "fixes" key.
	r = w.exec(tty{}, "doctor", "--json").want(t, 1)
	if strings.Contains(r.out, `"fixes"`) {
		t.Errorf("doctor without --fix has fixes:\n%s", r.out)
	}
}

func TestDoctorFixAsksOnATerminal(t *testing.T) {
	for _, c := range []struct {
		name   string
		term   tty
		args   []string
		writes bool
	}{
		{"yes at the terminal", tty{stdin: true, stderr: true, input: "y\n"}, nil, true},
		{"no at the terminal", tty{stdin: true, stderr: true, input: "n\n"}, nil, false},
		{"Enter at the terminal", tty{stdin: true, stderr: true, input: "\n"}, nil, false},
		{"nothing typed", tty{stdin: true, stderr: true}, nil, false},
		{"--accessible through a pipe", tty{input: "yes\n"}, []string{"--accessible"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newCmdWorld(t, fixScenario())
			w.env["DRSETUP_DR_API_KEY"] = tKey
			r := w.exec(c.term, append(c.args, "doctor", "--fix")...).want(t, 1)
			if got := w.writes() > 0; got != c.writes {
				t.Fatalf("writes %v, want %v\n%s", got, c.writes, r.errOut)
			}
			if !strings.Contains(r.errOut, "Make these 4 changes? (y or n, Enter for no):") {
				t.Errorf("no question:\n%s", r.errOut)
			}
			// The report follows either way, saying what was made.
			want := "Fixes made before these checks:"
			if !c.writes {
				want = "Fixes: none were made before these checks."
				if !strings.Contains(r.errOut, "Nothing was changed.") {
					t.Errorf("stderr does not say nothing was changed:\n%s", r.errOut)
				}
			}
			if !strings.Contains(flat(r.out), want) {
				t.Errorf("the report lacks %q:\n%s", want, r.out)
			}
		})
	}
}

// A fixable setup ends with exit 0 once the second run passes; the
// profile's webhook gets the profile's verified login, and nothing secret
// is printed.
func TestDoctorFixOfAProfileExitsWithTheSecondRun(t *testing.T) {
	w := newCmdWorld(t, staleScenario())
	w.saveProfile("default")
	w.exec(tty{}, "doctor").want(t, 1)
	r := w.exec(tty{}, "doctor", "--fix", "--yes").want(t, 0)
	if !strings.Contains(flat(r.errOut), "stored login replaced by the profile's login") || !strings.Contains(flat(r.out), "Updated webhook "+tHookID) {
		t.Errorf("stderr:\n%s\nstdout:\n%s", r.errOut, r.out)
	}
	for _, s := range allSecrets {
		if strings.Contains(r.out+r.errOut, s) {
			t.Errorf("output holds a secret %q", s)
		}
	}
	if got := w.srv.Webhooks("live")[0].OAuth.Password; got != tPassword+tToken {
		t.Errorf("stored password %q after the fix", got)
	}
}

// A cancelled --fix with a write in flight says what may have changed,
// not setup's words.
func TestDoctorFixCancelledMidWriteSaysWhatMayHaveChanged(t *testing.T) {
	msg := cancelMessage(fmt.Errorf("%w: %w", errFixUnfinished, context.Canceled), "drsetup doctor")
	if !strings.Contains(msg, "may have changed at Digital River") || !strings.Contains(msg, "drsetup doctor") || strings.Contains(msg, "drsetup setup") {
		t.Errorf("message %q", msg)
	}
	// Anything else cancelled changed nothing; only a setup saves.
	for path, want := range map[string]string{
		"drsetup doctor": "Cancelled; nothing was changed.", "drsetup webhooks list": "Cancelled; nothing was changed.",
		"drsetup webhooks delete": "Cancelled; each deletion made is said above, and one under way may have been made too: drsetup webhooks list shows what is left.",
		"drsetup setup":           "Cancelled; nothing was saved.", "drsetup": "Cancelled; nothing was saved.",
	} {
		if msg := cancelMessage(context.Canceled, path); msg != want {
			t.Errorf("%s cancelled: %q, want %q", path, msg, want)
		}
	}
}
