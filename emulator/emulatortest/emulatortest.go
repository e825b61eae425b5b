// Package emulatortest builds, for any package's tests, the world the
// program meets in --demo: a started simulator, an HTTP client that reaches
// it as main builds one, the Salesforce and Digital River clients over that
// client, and a profile store on real files with an in-memory keyring.
package emulatortest

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

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
	// Clock is the fake clock of the simulator and the Digital River
	// clients, with WithFakeClock; nil otherwise.
	Clock *Clock
}

// Clock is a fake clock shared by the simulator and the Digital River
// clients of a world: a client that sleeps on it moves it on at once, so
// that a list lagging 40 s behind creates, and a wait of 30 s for it, take
// no time.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d, as time passing between two runs.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Sleep moves the clock on by d at once, unless ctx has ended.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

// Option changes how New builds the world.
type Option func(*options)

type options struct {
	wrap  func(http.RoundTripper) http.RoundTripper
	clock bool
}

// WithFakeClock gives the simulator and the world's clients one fake Clock
// (World.Clock): the Digital River clients sleep on it, a slow listener
// (Org.ListenerLatency) moves it on instead of waiting, and the Salesforce
// client times answers by it, so a listener of 3.5 s costs a test nothing
// and reads as 3.5 s.
func WithFakeClock() Option {
	return func(o *options) { o.clock = true }
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
	var clock *Clock
	if o.clock {
		clock = &Clock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
		sc.Clock, sc.Sleep = clock.Now, clock.Sleep
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
	return &World{Server: srv, HTTP: httpx.NewClient(rt), Store: profile.NewStore(dir, kr), Keyring: kr, Dir: dir, Clock: clock}
}

// Salesforce is a Salesforce client that reaches the simulator.
func (w *World) Salesforce() *sfcheck.Client {
	c := &sfcheck.Client{HTTP: w.HTTP}
	if w.Clock != nil {
		c.Now = w.Clock.Now
	}
	return c
}

// DigitalRiver builds Digital River clients that reach the simulator.
func (w *World) DigitalRiver() func(key string) (*drapi.Client, error) {
	o := drapi.Options{HTTPClient: w.HTTP}
	if w.Clock != nil {
		o.Now, o.Sleep = w.Clock.Now, w.Clock.Sleep
	}
	return func(key string) (*drapi.Client, error) { return drapi.New(key, o) }
}
