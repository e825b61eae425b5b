package steps

import (
	"strings"
	"testing"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
)

func saveAs(t *testing.T, store *profile.Store, name, myDomain, mode, webhook string) {
	t.Helper()
	p := profile.Profile{Name: name, DRMode: mode, WebhookID: webhook}
	p.Set(field.MyDomain, myDomain)
	if err := store.Save(p); err != nil {
		t.Fatal(err)
	}
}

func TestSuggestProfileNameComesFromTheOrg(t *testing.T) {
	const acme, uat = "https://acme.my.salesforce.com", "https://acme--uat.sandbox.my.salesforce.com"
	for _, c := range []struct {
		name     string
		myDomain string
		mode     drapi.Mode
		saved    [][3]string // name, My Domain, mode
		want     string
	}{
		{"production org", acme, drapi.ModeTest, nil, "acme"},
		{"a sandbox", uat, drapi.ModeTest, nil, "acme-uat"},
		{"the same org and mode is updated", acme, drapi.ModeTest, [][3]string{{"acme", acme, "test"}}, "acme"},
		{"a live key beside the test one", acme, drapi.ModeLive, [][3]string{{"acme", acme, "test"}}, "acme-live"},
		{"another org has the name", acme, drapi.ModeTest, [][3]string{{"acme", uat, "test"}}, "acme-test"},
		{"and the mode's name too", acme, drapi.ModeTest, [][3]string{{"acme", uat, "test"}, {"acme-test", uat, "test"}}, "acme-2"},
		{"no valid My Domain", "https://acme.lightning.force.com", drapi.ModeTest, nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, emulator.DemoScenario())
			for _, s := range c.saved {
				saveAs(t, w.store, s[0], s[1], s[2], "")
			}
			s := demoSetup()
			s.MyDomain = c.myDomain
			if got := w.sv.SuggestProfileName(s, c.mode); got != c.want {
				t.Errorf("suggestion %q, want %q", got, c.want)
			}
		})
	}
}

func TestNameNoteSaysWhatHappensToASavedProfile(t *testing.T) {
	w := newWorld(t, emulator.DemoScenario())
	saveAs(t, w.store, "acme", demo.MyDomain, "test", "6a1b2c3d-4e5f-4a1b-8c9d-0e1f2a3b4c5d")
	saveAs(t, w.store, "globex", "https://globex.my.salesforce.com", "test", "")
	s := demoSetup()
	if note, replaces := w.sv.NameNote(s, "new-one", drapi.ModeTest); note != "" || replaces {
		t.Errorf("a free name: %q %v", note, replaces)
	}
	if note, replaces := w.sv.NameNote(s, "acme", drapi.ModeTest); replaces || !strings.Contains(note, "updates it") {
		t.Errorf("the same setup: %q %v", note, replaces)
	}
	note, replaces := w.sv.NameNote(s, "acme", drapi.ModeLive)
	if !replaces || !strings.Contains(note, "with a test key") || !strings.Contains(note, "6a1b2c3d-4e5f-4a1b-8c9d-0e1f2a3b4c5d stays at Digital River") {
		t.Errorf("the other mode: %q %v", note, replaces)
	}
	if note, replaces := w.sv.NameNote(s, "globex", drapi.ModeTest); !replaces || !strings.Contains(note, "globex.my.salesforce.com") {
		t.Errorf("another org: %q %v", note, replaces)
	}
}

// Switching a profile from a test key to a live key says, in the review
// every mode shows, what becomes of the test webhook.
func TestReviewSaysWhatHappensToTheTestWebhookWithALiveKey(t *testing.T) {
	w := newWorld(t, emulator.DemoScenario())
	saveAs(t, w.store, "default", demo.MyDomain, "test", "6a1b2c3d-4e5f-4a1b-8c9d-0e1f2a3b4c5d")
	s := demoSetup()
	lines := strings.Join(w.sv.ReviewLines(s, drapi.Plan{Action: drapi.ActionCreate}, drapi.ModeLive), "\n")
	for _, want := range []string{`Profile "default" was set up with a test key`, "test webhook 6a1b2c3d-4e5f-4a1b-8c9d-0e1f2a3b4c5d stays at Digital River and keeps sending test events",
		"drsetup setup --profile default-live", "drsetup webhooks delete 6a1b2c3d-4e5f-4a1b-8c9d-0e1f2a3b4c5d"} {
		if !strings.Contains(lines, want) {
			t.Errorf("review lacks %q:\n%s", want, lines)
		}
	}
	if lines := strings.Join(w.sv.ReviewLines(s, drapi.Plan{Action: drapi.ActionCreate}, drapi.ModeTest), "\n"); strings.Contains(lines, "was set up with") {
		t.Errorf("the same mode:\n%s", lines)
	}
}
