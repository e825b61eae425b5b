package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
)

func TestProfilesList(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.saveProfile("default")
	w.saveProfile("acme-sandbox")
	p, _ := w.store.Load("acme-sandbox")
	p.OrgID, p.DRMode, p.LastVerified = "00D5g000004AbCdEAK", "test", p.LastSetup.Add(time.Hour)
	w.store.Save(p)

	r := w.exec(tty{}, "profiles").want(t, 0)
	lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header and two profiles:\n%s", r.out)
	}
	if got := strings.Split(lines[0], "\t"); strings.Join(got, "|") != "NAME|MY DOMAIN|ORG ID|ENVIRONMENT|KEY|WEBHOOK|LAST VERIFIED" {
		t.Errorf("header %q", lines[0])
	}
	// Sorted by name, every value whole, the later of setup and doctor.
	if got := strings.Split(lines[1], "\t"); strings.Join(got, "|") != "acme-sandbox|"+tHost+"|00D5g000004AbCdEAK|production|test|"+tHookID+"|2026-03-01T11:00:00Z" {
		t.Errorf("row 1 %q", lines[1])
	}
	if got := strings.Split(lines[2], "\t"); strings.Join(got, "|") != "default|"+tHost+"|-|production|live|"+tHookID+"|2026-03-01T10:00:00Z" {
		t.Errorf("row 2 %q", lines[2])
	}

	// On a terminal the profile in use is marked, the webhook named as
	// doctor names it, and the table fits.
	for _, width := range []int{60, 100} {
		r = w.exec(tty{stdout: true, stderr: true, width: width}, "--profile", "acme-sandbox", "profiles").want(t, 0)
		for _, l := range strings.Split(strings.TrimRight(r.out, "\n"), "\n") {
			if len([]rune(l)) > width {
				t.Errorf("%d columns: a line %d wide: %q", width, len([]rune(l)), l)
			}
		}
		if !strings.Contains(r.out, "* acme-sandbox") || !strings.Contains(r.out, "  default") || !strings.Contains(r.out, " "+tHookID[:8]) || strings.Contains(r.out, tHookID) {
			t.Errorf("%d columns:\n%s", width, r.out)
		}
		if width == 100 && !strings.Contains(r.out, "doctor") {
			t.Errorf("100 columns: the verification by doctor is not said:\n%s", r.out)
		}
	}
	// profiles list is the same.
	if r2 := w.exec(tty{}, "profiles", "list").want(t, 0); r2.out != w.exec(tty{}, "profiles").out {
		t.Errorf("profiles list differs:\n%s", r2.out)
	}
}

// profiles --json decodes into the fields README documents, and no other.
func TestProfilesJSONDecodesIntoTheDocumentedFields(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.saveProfile("default")
	w.saveProfile("other")
	p, _ := w.store.Load("other")
	p.WebhookID, p.DRMode = "", ""
	w.store.Save(p)
	r := w.exec(tty{}, "profiles", "--json").want(t, 0)
	type documented struct {
		Name         string     `json:"name"`
		Current      bool       `json:"current"`
		MyDomain     string     `json:"myDomain"`
		OrgID        string     `json:"orgId"`
		Environment  string     `json:"environment"`
		Auth         string     `json:"auth"`
		KeyMode      string     `json:"keyMode"`
		WebhookID    string     `json:"webhookId"`
		LastSetup    *time.Time `json:"lastSetup"`
		LastVerified *time.Time `json:"lastVerified"`
	}
	dec := json.NewDecoder(strings.NewReader(r.out))
	dec.DisallowUnknownFields()
	var got []documented
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("%v:\n%s", err, r.out)
	}
	if len(got) != 2 || got[0].Name != "default" || !got[0].Current || got[0].MyDomain != "https://"+tHost || got[0].KeyMode != "live" ||
		got[0].WebhookID != tHookID || got[0].Auth != "password" || got[0].Environment != "production" || got[0].LastSetup == nil || got[0].LastVerified != nil {
		t.Errorf("default: %+v", got)
	}
	if got[1].Current || got[1].WebhookID != "" || got[1].KeyMode != "" {
		t.Errorf("other: %+v", got[1])
	}
	// Every key is there, also when empty, so a script can rely on it.
	for _, key := range []string{`"orgId": ""`, `"lastVerified": null`, `"webhookId": ""`} {
		if !strings.Contains(r.out, key) {
			t.Errorf("JSON lacks %s:\n%s", key, r.out)
		}
	}
	// No profile: an empty list, not nothing.
	w = newCmdWorld(t, cmdScenario())
	if r := w.exec(tty{}, "profiles", "--json").want(t, 0); strings.TrimSpace(r.out) != "[]" {
		t.Errorf("no profiles: %q", r.out)
	}
}

func TestDoctorRecordsWhenItFoundTheProfileSound(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.saveProfile("default")
	w.exec(tty{}, "doctor", "--my-domain", "https://"+tHost).want(t, 0)
	if p, _ := w.store.Load("default"); !p.LastVerified.IsZero() {
		t.Error("a run with a value given over the profile's counted as verifying it")
	}
	w.exec(tty{}, "doctor").want(t, 0)
	p, _ := w.store.Load("default")
	if p.LastVerified.IsZero() || !p.LastVerified.After(p.LastSetup) {
		t.Fatalf("LastVerified %v after a sound run", p.LastVerified)
	}
	if r := w.exec(tty{}, "profiles", "--json").want(t, 0); !strings.Contains(r.out, `"lastVerified": "`) {
		t.Errorf("profiles --json:\n%s", r.out)
	}
	// A run that fails leaves the last good one.
	w2 := newCmdWorld(t, staleScenario())
	w2.saveProfile("default")
	w2.exec(tty{}, "doctor").want(t, 1)
	if p, _ := w2.store.Load("default"); !p.LastVerified.IsZero() {
		t.Error("a failing run was recorded as a verification")
	}
}

func TestProfilesListEmptyAndDamaged(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	r := w.exec(tty{}, "profiles").want(t, 0)
	if r.out != "" || !strings.Contains(r.errOut, "No saved profiles") {
		t.Errorf("stdout %q, stderr %q", r.out, r.errOut)
	}

	w.saveProfile("default")
	bad := w.store.Path("broken")
	os.WriteFile(bad, []byte("not json"), 0o600)
	r = w.exec(tty{}, "profiles").want(t, 1)
	if !strings.Contains(r.out, "default") || !strings.Contains(r.errOut, bad) {
		t.Errorf("the good profile listed and the damaged file named?\nstdout %s\nstderr %s", r.out, r.errOut)
	}
}

func TestProfilesDelete(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.saveProfile("default")
	w.saveProfile("keep")
	path := w.store.Path("default")

	r := w.exec(tty{}, "profiles", "delete", "default").want(t, 0)
	for _, s := range []string{`Deleted profile "default"`, path, "client secret, password, security token and Digital River API key", `service "drsetup"`} {
		if !strings.Contains(r.errOut, s) {
			t.Errorf("the message does not say %q:\n%s", s, r.errOut)
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the profile file is still there: %v", err)
	}
	if sec, err := w.store.LoadSecrets("default"); err != nil || !sec.Empty() {
		t.Errorf("secrets left in the keyring (%v)", err)
	}
	if sec, _ := w.store.LoadSecrets("keep"); sec.Get(field.Password).IsZero() {
		t.Error("deleting one profile removed another's secrets")
	}

	// An unknown name is bad usage (exit 2), naming what is saved.
	r = w.exec(tty{}, "profiles", "delete", "default").want(t, 2)
	if !strings.Contains(r.errOut, `no saved profile named "default"`) || !strings.Contains(r.errOut, `"keep"`) {
		t.Errorf("deleting it again: %s", r.errOut)
	}
	r = w.exec(tty{}, "profiles", "delete", "kep").want(t, 2)
	if !strings.Contains(r.errOut, `did you mean "keep"?`) {
		t.Errorf("a typo of a saved name: %s", r.errOut)
	}
	if sec, _ := w.store.LoadSecrets("keep"); sec.Get(field.Password).IsZero() {
		t.Error("a typo removed the profile it was a typo of")
	}
	r = w.exec(tty{}, "profiles", "delete", "../etc").want(t, 2)
	if !strings.Contains(r.errOut, "profile name") || strings.Contains(r.errOut, helpHint) {
		t.Errorf("a bad name: %s", r.errOut)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), "keep.json")); err != nil {
		t.Errorf("the other profile is gone: %v", err)
	}
}

// lockedKeyring refuses every call, as a locked keyring does.
type lockedKeyring struct{}

func (lockedKeyring) Get(user string) (string, error) { return "", lockedErr(profile.OpGet, user) }
func (lockedKeyring) Set(user, _ string) error        { return lockedErr(profile.OpSet, user) }
func (lockedKeyring) Delete(user string) error        { return lockedErr(profile.OpDelete, user) }

func lockedErr(op, user string) error {
	return &profile.KeyringError{Kind: profile.KindLocked, Op: op, User: user}
}

func TestProfilesDeleteWithTheKeyringLocked(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.saveProfile("default")
	path := w.store.Path("default")
	w.store = profile.NewStore(filepath.Dir(filepath.Dir(path)), lockedKeyring{})

	// A name with no file is unknown (bad usage, exit 2, the contract's),
	// also when the keyring cannot say whether it holds anything under it:
	// the name is what the user must hear about, then the keyring.
	r := w.exec(tty{}, "profiles", "delete", "dfault").want(t, 2)
	for _, s := range []string{`no saved profile named "dfault"`, `did you mean "default"?`, "the keyring is locked"} {
		if !strings.Contains(r.errOut, s) {
			t.Errorf("deleting an unknown name does not say %q:\n%s", s, r.errOut)
		}
	}

	// A profile with its file: the file goes, the secrets are said to stay.
	r = w.exec(tty{}, "profiles", "delete", "default").want(t, 1)
	for _, s := range []string{"Removed the profile file " + path, "the keyring is locked", "The secrets stay in the keyring"} {
		if !strings.Contains(r.errOut, s) {
			t.Errorf("the message does not say %q:\n%s", s, r.errOut)
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the profile file is still there: %v", err)
	}
}

func TestProfilesDeleteSaysTheWebhookStaysAndCanDeleteIt(t *testing.T) {
	for _, c := range []struct {
		name        string
		term        tty
		args        []string
		env         map[string]string
		faults      *emulator.Faults
		code        int
		profileGone bool
		webhookGone bool
		says        string
	}{
		{name: "piped, no flag", args: nil, code: 0, profileGone: true, says: "drsetup webhooks delete " + tHookID},
		{name: "--with-webhook without --yes, piped", args: []string{"--with-webhook"}, code: 2, says: "add --yes"},
		{name: "--with-webhook --yes", args: []string{"--with-webhook", "--yes"}, code: 0, profileGone: true, webhookGone: true, says: "Deleted webhook " + tHookID},
		{name: "asked at a terminal: yes", term: tty{stdin: true, stderr: true, input: "y\n"}, code: 0, profileGone: true, webhookGone: true, says: "Delete webhook " + tHookID + " too?"},
		{name: "asked at a terminal: no", term: tty{stdin: true, stderr: true, input: "n\n"}, code: 0, profileGone: true, says: "The webhook stays"},
		{name: "--with-webhook, confirmed at a terminal", term: tty{stdin: true, stderr: true, input: "y\n"}, args: []string{"--with-webhook"}, code: 0, profileGone: true, webhookGone: true, says: "then profile \"default\"?"},
		{name: "--with-webhook, declined at a terminal", term: tty{stdin: true, stderr: true, input: "n\n"}, args: []string{"--with-webhook"}, code: 0, says: "Nothing was deleted."},
		{name: "the other mode's key", args: []string{"--with-webhook", "--yes"}, env: map[string]string{"DRSETUP_DR_API_KEY": "sk_test_othermodekey1234"}, code: 2, says: "a test key, and profile \"default\"'s webhook is a live one"},
		{name: "Digital River refuses", args: []string{"--with-webhook", "--yes"}, faults: &emulator.Faults{ServerErrors: map[string]emulator.StatusFault{"api.digitalriver.com": {Count: -1, Status: 503}}}, code: 1, says: "Profile \"default\" was kept"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newCmdWorld(t, cmdScenario())
			w.saveProfile("default")
			for k, v := range c.env {
				w.env[k] = v
			}
			if c.faults != nil {
				w.srv.SetFaults(*c.faults)
			}
			before := len(w.srv.Webhooks("live"))
			r := w.exec(c.term, append([]string{"profiles", "delete", "default"}, c.args...)...).want(t, c.code)
			w.srv.SetFaults(emulator.Faults{})
			if !strings.Contains(flat(r.errOut), c.says) {
				t.Errorf("stderr lacks %q:\n%s", c.says, r.errOut)
			}
			if !strings.Contains(flat(r.errOut), "Digital River keeps sending it the org's events after the profile is deleted") {
				t.Errorf("stderr does not say the webhook keeps receiving events:\n%s", r.errOut)
			}
			_, err := w.store.Load("default")
			if gone := errors.Is(err, profile.ErrNotFound); gone != c.profileGone {
				t.Errorf("profile gone %v, want %v", gone, c.profileGone)
			}
			after := w.srv.Webhooks("live")
			gone := !slices.ContainsFunc(after, func(h emulator.Webhook) bool { return h.ID == tHookID })
			if gone != c.webhookGone {
				t.Errorf("webhook gone %v, want %v", gone, c.webhookGone)
			}
			if want := before - map[bool]int{true: 1}[c.webhookGone]; len(after) != want {
				t.Errorf("%d webhooks left, want %d: only the profile's may go", len(after), want)
			}
			for _, s := range allSecrets {
				if strings.Contains(r.out+r.errOut, s) {
					t.Errorf("output holds %q", s)
				}
			}
		})
	}
}
