package profile

// Tests against a real Secret Service. CI runs "go test ./..." inside
// dbus-run-session with an unlocked gnome-keyring (see .ci/run); elsewhere
// they skip and say why.

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/secret"
)

// childEnv names the test a child process of this test binary is to run.
const childEnv = "DRSETUP_PROFILE_TEST_CHILD"

// inChild runs the calling test again in a fresh process of this test binary
// and reports that run as its own, then returns false; in that fresh process
// it returns true. Real-keyring tests need the fresh process twice over:
// other tests replace go-keyring's provider with keyring.MockInit, which
// v0.2.8 cannot undo, and godbus caches the session bus connection per
// process, so a later DBUS_SESSION_BUS_ADDRESS would otherwise be ignored.
// env is added to the child's environment.
func inChild(t *testing.T, env ...string) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.v", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(append(os.Environ(), childEnv+"="+t.Name()), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s failed in its own process: %v\n%s", t.Name(), err, out)
	}
	if reason, skipped := skipReason(out, t.Name()); skipped {
		t.Skip(reason)
	}
	if !bytes.Contains(out, []byte("--- PASS: "+t.Name()+" ")) {
		t.Fatalf("%s did not run in its own process:\n%s", t.Name(), out)
	}
	t.Logf("in its own process:\n%s", out)
	return false
}

// skipReason finds the message a child printed with t.Skip: go test -v
// prints it between the test's "=== RUN" and "--- SKIP" lines, each line
// prefixed with the file and line of the call.
func skipReason(out []byte, name string) (string, bool) {
	var reason []string
	for _, l := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(l, "=== RUN   "+name):
			reason = nil
		case strings.HasPrefix(l, "--- SKIP: "+name+" "):
			return strings.Join(reason, " "), true
		case strings.HasPrefix(l, "    "):
			l = strings.TrimSpace(l)
			if _, msg, ok := strings.Cut(l, ".go:"); ok {
				if _, msg, ok = strings.Cut(msg, ": "); ok {
					l = msg
				}
			}
			reason = append(reason, l)
		}
	}
	return "", false
}

// usesSecretService reports whether go-keyring talks to a Secret Service on
// this OS (and not to the macOS Keychain or Windows Credential Manager, which
// these tests leave alone so a developer's own keychain never prompts).
func usesSecretService() bool { return runtime.GOOS != "darwin" && runtime.GOOS != "windows" }

// requireSecretService skips the test unless a Set/Get/Delete round trip of
// a throwaway entry, under a test-only service, works within a few seconds.
func requireSecretService(t *testing.T) {
	t.Helper()
	const how = "run under dbus-run-session with an unlocked gnome-keyring, as .ci/run does"
	if !usesSecretService() {
		t.Skipf("no Secret Service on %s: these tests exercise the Linux/BSD keyring; %s", runtime.GOOS, how)
	}
	k := newSystemKeyring("drsetup-test-probe", 3*time.Second, goKeyring{})
	user := "probe-" + uniqueSuffix(t)
	err := k.Set(user, "probe")
	if err == nil {
		var v string
		v, err = k.Get(user)
		if err == nil && v != "probe" {
			err = fmt.Errorf("read back %q", v)
		}
		if derr := k.Delete(user); err == nil {
			err = derr
		}
	}
	if err != nil {
		reason := err.Error()
		var ke *KeyringError
		if errors.As(err, &ke) {
			reason = ke.Reason
		}
		if os.Getenv("DRSETUP_REQUIRE_KEYRING") != "" {
			// CI sets this: there, a missing Secret Service is a broken CI
			// machine, and skipping would hide that the tests never ran.
			t.Fatalf("DRSETUP_REQUIRE_KEYRING is set but there is no usable Secret Service (%s)", reason)
		}
		t.Skipf("no Secret Service on this machine (%s): %s", reason, how)
	}
}

func uniqueSuffix(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// privateDirs points HOME and the config directory at empty temporary
// directories and returns them.
func privateDirs(t *testing.T) (home, config string) {
	t.Helper()
	home, config = t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", config)
	return home, config
}

// awkwardSecrets are values a keyring could mangle: spaces, quotes, shell
// and D-Bus-significant characters, non-ASCII, and a long one.
func awkwardSecrets() Secrets {
	return Secrets{
		field.ClientSecret:  secret.Value("C1ient'S3cret\"$(rm -rf)`;|&<>\\ " + strings.Repeat("x", 2000)),
		field.Password:      " pässwörd with spaces ",
		field.SecurityToken: "Tok3n/+=\t\x01end",
		field.DRAPIKey:      "sk_test_51HcRealLookingKey0123456789abcdefABCDEF",
	}
}

func TestSecretServiceRoundTripOfEverySecret(t *testing.T) {
	// Read where the running gnome-keyring keeps its files before HOME moves.
	keyringFiles := filepath.Join(os.Getenv("HOME"), ".local", "share", "keyrings")
	if !inChild(t) {
		return
	}
	requireSecretService(t)
	home, config := privateDirs(t)
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(dir, config) {
		t.Fatalf("DefaultDir %q is not under XDG_CONFIG_HOME %q", dir, config)
	}
	name := "itest-" + uniqueSuffix(t)
	s := NewStore(dir, SystemKeyring(10*time.Second))
	t.Cleanup(func() { _ = s.Delete(name) })

	p := sampleProfile(name)
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	want := awkwardSecrets()
	if err := s.SaveSecrets(name, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadSecrets(name)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Errorf("secrets changed on the way through the keyring:\n got %q\nwant %q",
			[]string{got.Get(field.ClientSecret).Reveal(), got.Get(field.Password).Reveal(), got.Get(field.SecurityToken).Reveal(), got.Get(field.DRAPIKey).Reveal()},
			[]string{want.Get(field.ClientSecret).Reveal(), want.Get(field.Password).Reveal(), want.Get(field.SecurityToken).Reveal(), want.Get(field.DRAPIKey).Reveal()})
	}
	// Filed where the documentation says: service drsetup, "<profile>/<field>".
	if v, err := keyring.Get("drsetup", name+"/security_token"); err != nil || v != want.Get(field.SecurityToken).Reveal() {
		t.Errorf("entry drsetup %s/security_token = %q, %v", name, v, err)
	}

	scanned := []string{home, config}
	if fi, err := os.Stat(keyringFiles); err == nil && fi.IsDir() {
		scanned = append(scanned, keyringFiles) // encrypted: the values must not show
	}
	assertNoSecretInFiles(t, want, scanned...)

	// Client credentials: the password and token entries go.
	cc := Secrets{field.ClientSecret: "n3w-" + want.Get(field.ClientSecret), field.DRAPIKey: want.Get(field.DRAPIKey)}
	if err := s.SaveSecrets(name, cc); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"password", "security_token"} {
		if _, err := keyring.Get("drsetup", name+"/"+f); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("entry %s/%s after switching to client credentials: %v", name, f, err)
		}
	}
	if got, err := s.LoadSecrets(name); err != nil || !maps.Equal(got, cc) {
		t.Errorf("LoadSecrets after the switch = %v, %v", got, err)
	}
}

func TestSecretServiceDeleteRemovesEverything(t *testing.T) {
	if !inChild(t) {
		return
	}
	requireSecretService(t)
	_, config := privateDirs(t)
	name := "itest-" + uniqueSuffix(t)
	s := NewStore(filepath.Join(config, "drsetup"), SystemKeyring(10*time.Second))
	t.Cleanup(func() { _ = s.Delete(name) })

	if err := s.Save(sampleProfile(name)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSecrets(name, awkwardSecrets()); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckKeyring(); err != nil {
		t.Errorf("CheckKeyring = %v", err)
	}
	if err := s.Delete(name); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"client_secret", "password", "security_token", "dr_api_key"} {
		if _, err := keyring.Get("drsetup", name+"/"+f); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("entry %s/%s survived Delete: %v", name, f, err)
		}
	}
	if _, err := s.Load(name); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load after Delete = %v", err)
	}
	if sec, err := s.LoadSecrets(name); err != nil || !sec.Empty() {
		t.Errorf("LoadSecrets after Delete = %v, %v", sec, err)
	}
	if err := s.Delete(name); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete = %v, want ErrNotFound", err)
	}
}

// With nothing listening at the session bus address, every call says so at
// once. The timeout is a minute: an answer of kind no_session_bus (not
// timeout) shows it came from the failure itself, not from the timer.
func TestNoSessionBusIsReportedAtOnceNotAHang(t *testing.T) {
	const nowhere = "unix:path=/nonexistent/bus"
	if !inChild(t, "DBUS_SESSION_BUS_ADDRESS="+nowhere) {
		return
	}
	if !usesSecretService() {
		t.Skipf("D-Bus addresses mean nothing to the keyring on %s", runtime.GOOS)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", nowhere) // already so; said here for the reader
	_, config := privateDirs(t)
	s := NewStore(filepath.Join(config, "drsetup"), SystemKeyring(time.Minute))
	sec := sampleSecrets()

	start := time.Now()
	checks := []struct {
		op  string
		err error
	}{
		{OpGet, s.CheckKeyring()},
		{OpSet, s.SaveSecrets("acme", sec)},
		{OpGet, func() error { _, err := s.LoadSecrets("acme"); return err }()},
		{OpDelete, s.Delete("acme")},
	}
	t.Logf("%d keyring failures reported in %s", len(checks), time.Since(start))
	for _, c := range checks {
		var ke *KeyringError
		if !errors.As(c.err, &ke) {
			t.Fatalf("%s: %v, want a *KeyringError", c.op, c.err)
		}
		if ke.Kind != KindNoSessionBus || ke.Op != c.op {
			t.Errorf("%s: kind %q op %q, want %q %q (%v)", c.op, ke.Kind, ke.Op, KindNoSessionBus, c.op, c.err)
		}
		msg := c.err.Error()
		wants := []string{"D-Bus session bus", "dbus-run-session", "DRSETUP_CLIENT_SECRET"}
		if c.op == OpDelete {
			wants[2] = "drsetup profiles delete"
		}
		for _, want := range wants {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: %q does not mention %q", c.op, msg, want)
			}
		}
		if strings.Contains(msg, sec.Get(field.ClientSecret).Reveal()) {
			t.Errorf("%s: error shows a secret", c.op)
		}
	}
	t.Logf("what the user reads: %v", checks[1].err)
}
