package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
)

func TestProfilesList(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.saveProfile("default")
	w.saveProfile("acme-sandbox")

	r := w.exec(tty{}, "profiles").want(t, 0)
	lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header and two profiles:\n%s", r.out)
	}
	if got := strings.Fields(lines[0]); strings.Join(got, " ") != "NAME ORG ENVIRONMENT LAST SET UP" {
		t.Errorf("header %q", lines[0])
	}
	// Sorted by name; the profile in use is marked.
	if f := strings.Fields(lines[1]); f[0] != "acme-sandbox" || f[1] != tHost || f[2] != "production" {
		t.Errorf("row 1 %q", lines[1])
	}
	if f := strings.Fields(lines[2]); f[0] != "*" || f[1] != "default" {
		t.Errorf("row 2 %q: the default profile should be marked", lines[2])
	}
	r = w.exec(tty{}, "--profile", "acme-sandbox", "profiles").want(t, 0)
	if !strings.Contains(r.out, "* acme-sandbox") {
		t.Errorf("--profile does not move the mark:\n%s", r.out)
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

	// A name with no file: the name is what the user must hear about.
	r := w.exec(tty{}, "profiles", "delete", "dfault").want(t, 1)
	for _, s := range []string{`no saved profile named "dfault"`, "the keyring is locked"} {
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
