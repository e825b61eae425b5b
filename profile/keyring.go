package profile

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name every drsetup keyring entry is filed under.
const KeyringService = "drsetup"

// DefaultKeyringTimeout bounds each keyring call. An unlock prompt answered by
// a person fits in it; a Secret Service stuck on D-Bus does not hold drsetup.
const DefaultKeyringTimeout = 5 * time.Second

// ErrNoSecret is returned by Keyring.Get and Keyring.Delete when the entry does
// not exist.
var ErrNoSecret = errors.New("no such secret in the keyring")

// Keyring stores secrets under the service "drsetup". user names an entry,
// "<profile>/<field>" (for example "default/client_secret").
type Keyring interface {
	Get(user string) (string, error)
	Set(user, value string) error
	Delete(user string) error
}

// SystemKeyring returns the OS keyring (Secret Service, macOS Keychain,
// Windows Credential Manager) with every call bounded by timeout (zero means
// DefaultKeyringTimeout). Failures are *KeyringError; a missing entry is
// ErrNoSecret.
func SystemKeyring(timeout time.Duration) Keyring {
	return newSystemKeyring(KeyringService, timeout, goKeyring{})
}

// backend is go-keyring's API, so tests can put a blocking one behind the
// timeout.
type backend interface {
	Get(service, user string) (string, error)
	Set(service, user, value string) error
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (goKeyring) Set(service, user, value string) error    { return keyring.Set(service, user, value) }
func (goKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

type systemKeyring struct {
	service string
	timeout time.Duration
	backend backend
	goos    string

	mu sync.Mutex
	// stuck counts calls abandoned on timeout that have not returned yet.
	// While one is stuck, new calls fail at once: a keyring that did not
	// answer once will not answer the next field either, and waiting again
	// would make the user sit through a timeout per secret.
	stuck int
}

func newSystemKeyring(service string, timeout time.Duration, b backend) *systemKeyring {
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	return &systemKeyring{service: service, timeout: timeout, backend: b, goos: runtime.GOOS}
}

func (k *systemKeyring) Get(user string) (string, error) {
	return k.do(OpGet, user, "", func() (string, error) { return k.backend.Get(k.service, user) })
}

func (k *systemKeyring) Set(user, value string) error {
	_, err := k.do(OpSet, user, value, func() (string, error) { return "", k.backend.Set(k.service, user, value) })
	return err
}

func (k *systemKeyring) Delete(user string) error {
	_, err := k.do(OpDelete, user, "", func() (string, error) { return "", k.backend.Delete(k.service, user) })
	return err
}

// errStillWaiting is the cause of a call refused because an earlier one is
// still stuck.
var errStillWaiting = errors.New("an earlier keyring call has not returned yet")

// do runs f in its own goroutine and waits for it at most k.timeout. go-keyring
// has no context API, so a call that times out is abandoned, not cancelled: its
// goroutine ends whenever the OS keyring answers.
func (k *systemKeyring) do(op, user, value string, f func() (string, error)) (string, error) {
	k.mu.Lock()
	stuck := k.stuck > 0
	k.mu.Unlock()
	if stuck {
		return "", k.timeoutError(op, user, errStillWaiting)
	}

	type result struct {
		value string
		err   error
	}
	done := make(chan result, 1)
	var finished, abandoned bool // guarded by k.mu
	go func() {
		v, err := f()
		k.mu.Lock()
		finished = true
		if abandoned {
			k.stuck--
		}
		k.mu.Unlock()
		done <- result{v, err}
	}()

	timer := time.NewTimer(k.timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.value, classify(k.goos, op, user, value, r.err)
	case <-timer.C:
	}
	k.mu.Lock()
	answered := finished // it may have answered just as the timer fired
	if !answered {
		abandoned = true
		k.stuck++
	}
	k.mu.Unlock()
	if answered {
		r := <-done
		return r.value, classify(k.goos, op, user, value, r.err)
	}
	return "", k.timeoutError(op, user, fmt.Errorf("no answer within %s", k.timeout))
}

func (k *systemKeyring) timeoutError(op, user string, cause error) *KeyringError {
	return &KeyringError{
		Kind:   KindTimeout,
		Op:     op,
		User:   user,
		Reason: fmt.Sprintf("the keyring did not answer within %s (it may be waiting for an unlock prompt, or be stuck)", k.timeout),
		Err:    cause,
		goos:   k.goos,
	}
}

// MemoryKeyring returns a keyring that lives in this process only, for --demo
// and for tests of other packages. It never touches the OS keyring.
func MemoryKeyring() Keyring { return &memoryKeyring{entries: map[string]string{}} }

type memoryKeyring struct {
	mu      sync.Mutex
	entries map[string]string
}

func (m *memoryKeyring) Get(user string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.entries[user]
	if !ok {
		return "", ErrNoSecret
	}
	return v, nil
}

func (m *memoryKeyring) Set(user, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[user] = value
	return nil
}

func (m *memoryKeyring) Delete(user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.entries[user]; !ok {
		return ErrNoSecret
	}
	delete(m.entries, user)
	return nil
}
