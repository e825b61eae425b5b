package profile

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"

	"github.com/drsetup/drsetup/field"
)

// keyringOn is SystemKeyring reading errors as goos reports them, so the
// Secret Service, macOS and Windows tables run on any machine.
func keyringOn(goos string) *systemKeyring {
	k := newSystemKeyring(KeyringService, 0, goKeyring{})
	k.goos = goos
	return k
}

// exitCode is what errors.As finds in an *exec.ExitError on macOS.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }
func (e exitCode) ExitCode() int { return int(e) }

// realErrors are errors of the types go-keyring and godbus return, made the
// way they make them.
func realErrors(t *testing.T) (dial, noDbusLaunch, exitFailure error) {
	t.Helper()
	_, dial = net.Dial("unix", "/nonexistent/bus")
	if dial == nil {
		t.Fatal("dialling /nonexistent/bus succeeded")
	}
	noDbusLaunch = exec.Command("drsetup-test-no-such-program").Run()
	exitFailure = exec.Command(os.Args[0], "-test.no-such-flag").Run()
	var ee *exec.ExitError
	if !errors.As(exitFailure, &ee) {
		t.Fatalf("want an *exec.ExitError, got %T %v", exitFailure, exitFailure)
	}
	return dial, noDbusLaunch, exitFailure
}

type classifyCase struct {
	goos   string
	desc   string
	err    error
	kind   KeyringErrorKind
	reason string // part of Error()
}

func classifyCases(t *testing.T) []classifyCase {
	dial, noDbusLaunch, exitFailure := realErrors(t)
	const sss = "The name org.freedesktop.secrets was not provided by any .service files"
	return []classifyCase{
		{"linux", "no bus, no dbus-launch", noDbusLaunch, KindNoSessionBus, "dbus-launch is not installed"},
		{"linux", "dbus-launch without X11", exitFailure, KindNoSessionBus, "dbus-launch could not start one"},
		{"linux", "address unknown", errors.New("dbus: couldn't determine address of session bus"), KindNoSessionBus, "DBUS_SESSION_BUS_ADDRESS is not set"},
		{"linux", "nothing listening", dial, KindNoSessionBus, "nothing answers at the D-Bus session bus address"},
		{"linux", "connection closed", dbus.ErrClosed, KindNoSessionBus, "closed"},
		{"linux", "no provider (value)", dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{sss}}, KindNoSecretService, "no Secret Service"},
		{"linux", "no provider (pointer)", dbus.NewError("org.freedesktop.DBus.Error.ServiceUnknown", []any{sss}), KindNoSecretService, "no Secret Service"},
		{"linux", "activation failed", dbus.Error{Name: "org.freedesktop.DBus.Error.Spawn.ChildExited"}, KindNoSecretService, "no Secret Service"},
		{"linux", "locked or no login keyring", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), KindLocked, "locked"},
		{"linux", "locked login collection", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"), KindLocked, "locked"},
		{"linux", "IsLocked", dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked"}, KindLocked, "locked"},
		{"linux", "no login collection", dbus.Error{Name: "org.freedesktop.DBus.Error.UnknownInterface", Body: []any{"No such interface 'org.freedesktop.Secret.Collection' on object at path /org/freedesktop/secrets/collection/login"}}, KindLocked, "no default keyring"},
		{"linux", "no reply", dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply"}, KindTimeout, "did not answer"},
		{"linux", "access denied", dbus.Error{Name: "org.freedesktop.DBus.Error.AccessDenied"}, KindDenied, "refused"},
		{"linux", "bus auth", errors.New("dbus: authentication failed"), KindDenied, "sudo"},
		{"linux", "too big", keyring.ErrSetDataTooBig, KindTooBig, "too large"},
		{"linux", "unknown dbus error", dbus.Error{Name: "org.example.Weird", Body: []any{"weird"}}, KindOther, "keyring failed"},
		{"linux", "unknown", errors.New("something odd"), KindOther, "something odd"},
		{"freebsd", "unsupported build", keyring.ErrUnsupportedPlatform, KindNoSecretService, "no keyring support"},
		{"darwin", "locked over SSH", exitCode(36), KindLocked, "login keychain is locked"},
		{"darwin", "auth failed", exitCode(51), KindDenied, "refused"},
		{"darwin", "prompt cancelled", exitCode(128), KindDenied, "cancelled"},
		{"darwin", "other status", exitCode(1), KindOther, "exit status 1"},
		{"darwin", "security missing", noDbusLaunch, KindOther, "keyring failed"},
		{"darwin", "too big", keyring.ErrSetDataTooBig, KindTooBig, "too large"},
		{"windows", "access denied", syscall.Errno(5), KindDenied, "Credential Manager refused"},
		{"windows", "no logon session", syscall.Errno(1312), KindOther, "not available in this logon session"},
		{"windows", "too big", keyring.ErrSetDataTooBig, KindTooBig, "too large"},
		{"windows", "other", syscall.Errno(87), KindOther, "keyring failed"},
	}
}

func TestKeyringFailuresAreClassifiedAndExplained(t *testing.T) {
	for _, c := range classifyCases(t) {
		t.Run(c.goos+"/"+c.desc, func(t *testing.T) {
			err := classify(c.goos, OpGet, "acme/password", "", c.err)
			var ke *KeyringError
			if !errors.As(err, &ke) {
				t.Fatalf("classify = %v, want a *KeyringError", err)
			}
			if ke.Kind != c.kind {
				t.Errorf("kind = %q, want %q", ke.Kind, c.kind)
			}
			if !reflect.DeepEqual(ke.Err, c.err) {
				t.Error("the cause is not kept for errors.Is")
			}
			msg := err.Error()
			if !strings.Contains(msg, c.reason) {
				t.Errorf("message %q does not say %q", msg, c.reason)
			}
			if !strings.Contains(msg, "DRSETUP_PASSWORD") || !strings.HasPrefix(msg, "could not read saved secrets from the keyring: ") {
				t.Errorf("message %q should say what failed and how to go on", msg)
			}
		})
	}
}

func TestKeyringRemediesFitTheOS(t *testing.T) {
	cases := []struct {
		goos string
		kind KeyringErrorKind
		want string
	}{
		{"linux", KindNoSessionBus, "dbus-run-session"},
		{"linux", KindNoSecretService, "gnome-keyring"},
		{"linux", KindNoSecretService, "KeePassXC"},
		{"linux", KindLocked, "unlock"},
		{"darwin", KindLocked, "security unlock-keychain"},
		{"darwin", KindDenied, "Allow"},
		{"windows", KindOther, "Credential Manager"},
	}
	for _, c := range cases {
		msg := (&KeyringError{Kind: c.kind, Op: OpSet, goos: c.goos}).Error()
		if !strings.Contains(msg, c.want) {
			t.Errorf("%s %s: %q does not mention %q", c.goos, c.kind, msg, c.want)
		}
	}
}

func TestKeyringErrorSaysHowDrsetupGoesOn(t *testing.T) {
	cases := map[string]string{
		OpSet:    "drsetup goes on without saving secrets; next time set DRSETUP_CLIENT_SECRET, DRSETUP_PASSWORD, DRSETUP_SECURITY_TOKEN and DRSETUP_DR_API_KEY or answer the prompts",
		OpGet:    "set DRSETUP_CLIENT_SECRET, DRSETUP_PASSWORD, DRSETUP_SECURITY_TOKEN and DRSETUP_DR_API_KEY or answer the prompts",
		OpDelete: `The secrets stay in the keyring under the service "drsetup"; run "drsetup profiles delete" again once the keyring works`,
	}
	for op, want := range cases {
		msg := (&KeyringError{Kind: KindNoSecretService, Op: op}).Error()
		if !strings.Contains(msg, want) {
			t.Errorf("%s: %q lacks %q", op, msg, want)
		}
	}
}

// Every keyring failure, as go-keyring's mock reports it, reaches the
// callers of Store as a *KeyringError of the right kind and operation.
func TestStoreReportsEveryKeyringFailure(t *testing.T) {
	sec := sampleSecrets()
	for _, c := range classifyCases(t) {
		t.Run(c.goos+"/"+c.desc, func(t *testing.T) {
			keyring.MockInitWithError(c.err)
			s := NewStore(t.TempDir(), keyringOn(c.goos))
			ops := []struct {
				op  string
				err error
			}{
				{OpSet, s.SaveSecrets("acme", sec)},
				{OpGet, func() error {
					got, err := s.LoadSecrets("acme")
					if !got.Empty() {
						t.Errorf("LoadSecrets returned %#v from a failing keyring", got)
					}
					return err
				}()},
				{OpGet, s.CheckKeyring()},
				{OpDelete, s.Delete("acme")},
			}
			for _, o := range ops {
				var ke *KeyringError
				if !errors.As(o.err, &ke) || ke.Kind != c.kind || ke.Op != o.op {
					t.Errorf("%s: error %v, want a %s *KeyringError for %s", o.op, o.err, c.kind, o.op)
				}
			}
		})
	}
}

func TestKeyringErrorNeverShowsTheSecret(t *testing.T) {
	sec := sampleSecrets()
	// A keyring whose error text echoes what it was given.
	keyring.MockInitWithError(fmt.Errorf("cannot store %q: %s", sec.Get(field.ClientSecret).Reveal(), sec.Get(field.ClientSecret).Reveal()))
	err := NewStore(t.TempDir(), keyringOn("linux")).SaveSecrets("acme", sec)
	if err == nil {
		t.Fatal("SaveSecrets succeeded")
	}
	if strings.Contains(err.Error(), sec.Get(field.ClientSecret).Reveal()) {
		t.Errorf("error shows the secret: %q", err)
	}
	if !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("error %q should keep the rest of the cause", err)
	}
}

func TestMissingEntriesAreErrNoSecret(t *testing.T) {
	keyring.MockInit()
	for name, kr := range map[string]Keyring{"system": SystemKeyring(0), "memory": MemoryKeyring()} {
		if _, err := kr.Get("acme/password"); err != ErrNoSecret {
			t.Errorf("%s Get of a missing entry = %v, want ErrNoSecret", name, err)
		}
		if err := kr.Delete("acme/password"); err != ErrNoSecret {
			t.Errorf("%s Delete of a missing entry = %v, want ErrNoSecret", name, err)
		}
		if err := kr.Set("acme/password", "v1"); err != nil {
			t.Fatal(err)
		}
		if err := kr.Set("acme/password", "v2"); err != nil {
			t.Fatal(err)
		}
		if v, err := kr.Get("acme/password"); v != "v2" || err != nil {
			t.Errorf("%s Get after two Sets = %q, %v", name, v, err)
		}
		if err := kr.Delete("acme/password"); err != nil {
			t.Errorf("%s Delete = %v", name, err)
		}
	}
}

func TestMemoryKeyringKeepsEachInstanceApart(t *testing.T) {
	a, b := MemoryKeyring(), MemoryKeyring()
	if err := a.Set("acme/password", "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get("acme/password"); err != ErrNoSecret {
		t.Errorf("a second MemoryKeyring sees the first's entry: %v", err)
	}
}

// blockingBackend never answers until released, like a Secret Service stuck
// on D-Bus.
type blockingBackend struct {
	release chan struct{}
	calls   atomic.Int32
}

func (b *blockingBackend) wait() { b.calls.Add(1); <-b.release }
func (b *blockingBackend) Get(string, string) (string, error) {
	b.wait()
	return "late", nil
}
func (b *blockingBackend) Set(string, string, string) error { b.wait(); return nil }
func (b *blockingBackend) Delete(string, string) error      { b.wait(); return nil }

func TestAKeyringThatHangsTimesOut(t *testing.T) {
	for _, op := range []string{OpGet, OpSet, OpDelete} {
		t.Run(op, func(t *testing.T) {
			b := &blockingBackend{release: make(chan struct{})}
			defer close(b.release)
			k := newSystemKeyring(KeyringService, 20*time.Millisecond, b)
			var err error
			switch op {
			case OpGet:
				_, err = k.Get("acme/password")
			case OpSet:
				err = k.Set("acme/password", "hunter2-secret")
			case OpDelete:
				err = k.Delete("acme/password")
			}
			var ke *KeyringError
			if !errors.As(err, &ke) || ke.Kind != KindTimeout || ke.Op != op {
				t.Fatalf("error = %v, want a timeout *KeyringError", err)
			}
			if !strings.Contains(err.Error(), "did not answer within 20ms") {
				t.Errorf("message %q should say how long drsetup waited", err)
			}
		})
	}
}

func TestAfterATimeoutCallsFailAtOnceUntilTheKeyringAnswers(t *testing.T) {
	b := &blockingBackend{release: make(chan struct{})}
	k := newSystemKeyring(KeyringService, 20*time.Millisecond, b)
	if _, err := k.Get("acme/client_secret"); err == nil {
		t.Fatal("want a timeout")
	}
	_, err := k.Get("acme/password")
	var ke *KeyringError
	if !errors.As(err, &ke) || ke.Kind != KindTimeout || !errors.Is(err, errStillWaiting) {
		t.Fatalf("second call = %v, want an immediate timeout", err)
	}
	if n := b.calls.Load(); n != 1 {
		t.Errorf("the stuck keyring was called %d times, want 1", n)
	}

	close(b.release)
	for k.stuckCalls() > 0 {
		runtime.Gosched()
	}
	if v, err := k.Get("acme/password"); v != "late" || err != nil {
		t.Errorf("once the keyring answers again, Get = %q, %v", v, err)
	}
}

func (k *systemKeyring) stuckCalls() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.stuck
}

// memBackend is a backend safe for concurrent use (go-keyring's mock is not).
type memBackend struct {
	mu sync.Mutex
	m  map[string]string
}

func (b *memBackend) Get(service, user string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	v, ok := b.m[service+"\x00"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (b *memBackend) Set(service, user, value string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[service+"\x00"+user] = value
	return nil
}

func (b *memBackend) Delete(service, user string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.m, service+"\x00"+user)
	return nil
}

func TestKeyringCallsAreSafeConcurrently(t *testing.T) {
	k := newSystemKeyring(KeyringService, time.Minute, &memBackend{m: map[string]string{}})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			user := fmt.Sprintf("p%d/password", i)
			if err := k.Set(user, "v"); err != nil {
				t.Error(err)
			}
			if v, err := k.Get(user); v != "v" || err != nil {
				t.Errorf("Get(%s) = %q, %v", user, v, err)
			}
		})
	}
	wg.Wait()
}
