// Package emulatortest builds, for any package's tests, the world the
// program meets in --demo: a started simulator, an HTTP client that reaches
// it as main builds one, the Salesforce and Digital River clients over that
// client, and a profile store on real files with an in-memory keyring.
package emulatortest

import (
	"net/http"
	"testing"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// World is one simulated org-and-account setup for a test.
type World struct {
	Server  *emulator.Server
	HTTP    *http.Client
	Store   *profile.Store
	Keyring profile.Keyring
	Dir     string // the store's directory
}

// Option changes how New builds the world.
type Option func(*options)

type options struct {
	wrap func(http.RoundTripper) http.RoundTripper
}

// WithTransport wraps the simulator's transport (to count, delay or refuse
// requests) before the client is built on it.
func WithTransport(wrap func(http.RoundTripper) http.RoundTripper) Option {
	return func(o *options) { o.wrap = wrap }
}

// New starts the simulator for scenario sc; it stops when the test ends.
func New(t testing.TB, sc emulator.Scenario, opts ...Option) *World {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	srv, err := emulator.Start(sc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	var rt http.RoundTripper = srv.Transport()
	if o.wrap != nil {
		rt = o.wrap(rt)
	}
	dir := t.TempDir()
	kr := profile.MemoryKeyring()
	return &World{Server: srv, HTTP: httpx.NewClient(rt), Store: profile.NewStore(dir, kr), Keyring: kr, Dir: dir}
}

// Salesforce is a Salesforce client that reaches the simulator.
func (w *World) Salesforce() *sfcheck.Client { return &sfcheck.Client{HTTP: w.HTTP} }

// DigitalRiver builds Digital River clients that reach the simulator.
func (w *World) DigitalRiver() func(key string) (*drapi.Client, error) {
	return func(key string) (*drapi.Client, error) { return drapi.New(key, drapi.Options{HTTPClient: w.HTTP}) }
}
