package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/drsetup/drsetup/debuglog"
	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/iostreams"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/regularfile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
)

// defaultKeyringTimeout bounds every keyring call; DRSETUP_KEYRING_TIMEOUT
// (a Go duration, "15s") raises it for keyrings that ask to be unlocked.
const defaultKeyringTimeout = 5 * time.Second

// factory hands each command what it depends on (cli/cli's
// cmdutil.Factory): the streams, the environment, the global flags, and
// the outside world as a function, so tests build commands over fakes.
type factory struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	Global globalOptions

	// demoDoctor seeds the demo with broken setups for doctor to find.
	demoDoctor bool

	// Services returns the run's services, starting them on the first call
	// (newFactory's) from the global flags; tests return services over an
	// emulator instead.
	Services func() (*services, error)
	// ProfileNames is the store that shell completion lists saved profiles
	// from, without starting the services or touching the keyring; nil
	// when there is none.
	ProfileNames func() *profile.Store
	closers      []func()
	started      *services // what newFactory's Services started, if anything
}

// newFactory is the factory main uses: services start on first use.
func newFactory(io *iostreams.IOStreams, getenv func(string) string) *factory {
	f := &factory{IO: io, Getenv: getenv, ProfileNames: profileNamesStore}
	var (
		once sync.Once
		svc  *services
		err  error
	)
	f.Services = func() (*services, error) {
		once.Do(func() {
			svc = &services{f: f, redactor: &secret.Redactor{}}
			f.started = svc
			f.onClose(svc.Close)
			err = svc.start()
		})
		return svc, err
	}
	return f
}

// store is the run's profile store, starting the services it lives in.
func (f *factory) store() (*profile.Store, error) {
	svc, err := f.Services()
	if err != nil {
		return nil, err
	}
	return svc.Store()
}

// redact removes every secret the run has learnt from a text about to be
// shown, when the run's services have started (they hold what was learnt).
func (f *factory) redact(s string) string {
	if f.started == nil {
		return s
	}
	return f.started.redactor.Redact(s)
}

// onClose runs fn when the command has ended.
func (f *factory) onClose(fn func()) { f.closers = append(f.closers, fn) }

func (f *factory) close() {
	for _, fn := range f.closers {
		fn()
	}
	f.closers = nil
}

// services are what a command's run needs from the outside world, built once
// per run from the global flags. Everything that leaves the machine goes
// through HTTP; in --demo that client dials the in-process emulator instead.
type services struct {
	f *factory

	redactor *secret.Redactor
	log      *debuglog.Logger
	demo     *emulator.Server
	demoDir  string
	http     *http.Client
	store    *profile.Store
}

func (s *services) start() error {
	g := s.f.Global
	if g.debugLog != "" {
		l, err := debuglog.Open(g.debugLog, s.redactor)
		if err != nil {
			return invalidf("%s", err)
		}
		s.log = l
	}
	// A Digital River URL that may not receive the key is bad input, said
	// once here rather than as a failure of each request.
	if g.drAPIURL != "" && !g.demo {
		if _, err := httpx.CheckCredentialURL(g.drAPIURL, drapi.IsDigitalRiverHost, g.allowAnyHost); err != nil {
			return invalidf("the Digital River API URL (--dr-api-url or DRSETUP_DR_API_URL): %s", err)
		}
	}
	var rt http.RoundTripper
	if g.demo {
		scenario, err := s.demoScenario()
		if err != nil {
			return err
		}
		srv, err := emulator.Start(scenario)
		if err != nil {
			return fmt.Errorf("cannot start the demo's simulated services: %w", err)
		}
		s.demo = srv
		rt = srv.Transport()
	} else {
		if err := checkCertFile(s.f.Getenv("SSL_CERT_FILE")); err != nil {
			return err
		}
		rt = httpx.NewTransport()
	}
	s.http = httpx.NewClient(s.log.Transport(rt))
	s.log.Event("run", map[string]any{"demo": g.demo, "profile": g.profile})
	return nil
}

// checkCertFile refuses an SSL_CERT_FILE that is not a plain file, where Go
// reads it (Linux and the other Unixes; macOS and Windows use the system's
// store): Go reads it whole at the first HTTPS request, and a named pipe
// there would hang every request until its time limit, which would then be
// reported as a network timeout.
func checkCertFile(path string) error {
	if path == "" || runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().IsRegular() {
		// A missing file Go passes over, as it does here.
		return nil
	}
	return invalidf("SSL_CERT_FILE=%s is %s, not a file of certificates; name a PEM file of certificate authorities, or unset it", path, regularfile.Describe(fi.Mode().Type()))
}

// demoScenario is the simulated world of --demo: the built-in one, or the
// scenario file DRSETUP_DEMO_SCENARIO names (for tests, and for support
// engineers who want to reproduce a customer's setup on their machine).
func (s *services) demoScenario() (emulator.Scenario, error) {
	path := s.f.Getenv("DRSETUP_DEMO_SCENARIO")
	if path == "" {
		if s.f.demoDoctor {
			return emulator.DoctorDemoScenario(), nil
		}
		return emulator.DemoScenario(), nil
	}
	file, err := regularfile.Open(path)
	if nre := (*regularfile.NotRegularError)(nil); errors.As(err, &nre) {
		return emulator.Scenario{}, invalidf("the demo scenario DRSETUP_DEMO_SCENARIO=%s is %s, not a file drsetup can read; name a scenario JSON file", path, regularfile.Describe(nre.Mode))
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return emulator.Scenario{}, invalidf("the demo scenario DRSETUP_DEMO_SCENARIO=%s does not exist; name a scenario JSON file, or unset the variable for the built-in demo", path)
	case errors.Is(err, fs.ErrPermission):
		return emulator.Scenario{}, invalidf("the demo scenario DRSETUP_DEMO_SCENARIO=%s cannot be read: permission denied; make it readable, or name another scenario file", path)
	case err != nil:
		return emulator.Scenario{}, invalidf("cannot read the demo scenario DRSETUP_DEMO_SCENARIO=%s (%v); name a scenario JSON file drsetup can read", path, err)
	}
	defer file.Close()
	sc, err := emulator.LoadScenario(file)
	if err != nil {
		return emulator.Scenario{}, invalidf("the demo scenario %s is not valid: %s; fix the file, or unset DRSETUP_DEMO_SCENARIO for the built-in demo", path, strings.TrimPrefix(err.Error(), "scenario: "))
	}
	return sc, nil
}

// Close stops the demo and closes the debug log.
func (s *services) Close() {
	if s == nil {
		return
	}
	if s.demo != nil {
		s.demo.Close()
	}
	if s.demoDir != "" {
		os.RemoveAll(s.demoDir)
	}
	s.log.Close()
}

// Demo reports whether the run is against the emulator.
func (s *services) Demo() bool { return s.demo != nil }

// Log is the debug log (nil when --debug-log was not given; a nil Logger
// logs nothing).
func (s *services) Log() *debuglog.Logger { return s.log }

// stepServices is the writes' services of a command: Digital River's client, the
// store, and the trace of each step in the debug log.
func (s *services) stepServices(store *profile.Store) *steps.Services {
	sv := &steps.Services{DR: s.DigitalRiver(), Store: store, Ephemeral: s.Demo(), Writes: &steps.Writes{}}
	sv.Trace = func(step, status, summary string, d time.Duration) { s.Log().Check(step, status, summary, d, "") }
	return sv
}

// Redactor holds every secret the run knows, for the debug log and messages.
func (s *services) Redactor() *secret.Redactor { return s.redactor }

// HTTP is the client every request goes through.
func (s *services) HTTP() *http.Client { return s.http }

// Salesforce is the Salesforce client.
func (s *services) Salesforce() *sfcheck.Client {
	return &sfcheck.Client{HTTP: s.http, AllowAnyHost: s.f.Global.allowAnyHost}
}

// DigitalRiver builds a Digital River client for a key.
func (s *services) DigitalRiver() func(key string) (*drapi.Client, error) {
	return func(key string) (*drapi.Client, error) {
		s.redactor.Add(key)
		base := s.f.Global.drAPIURL
		if s.demo != nil {
			base = "" // the demo serves api.digitalriver.com itself
		}
		return drapi.New(key, drapi.Options{BaseURL: base, HTTPClient: s.http, AllowAnyHost: s.f.Global.allowAnyHost, Redactor: s.redactor})
	}
}

// Store is the profile store: the user's config directory and the OS
// keyring, or with --demo a throwaway directory and an in-memory keyring, so
// a demo never reads or writes the real ones.
func (s *services) Store() (*profile.Store, error) {
	if s.store != nil {
		return s.store, nil
	}
	if s.demo != nil {
		dir, err := os.MkdirTemp("", "drsetup-demo-")
		if err != nil {
			return nil, fmt.Errorf("cannot make the demo's temporary profile directory: %w", err)
		}
		s.demoDir = dir
		s.store = profile.NewStore(dir, profile.MemoryKeyring())
		return s.store, nil
	}
	dir, err := profile.DefaultDir()
	if err != nil {
		return nil, err
	}
	timeout := defaultKeyringTimeout
	if v := s.f.Getenv("DRSETUP_KEYRING_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, invalidf("DRSETUP_KEYRING_TIMEOUT=%q is not a duration; use a value like 10s", v)
		}
		timeout = d
	}
	s.store = profile.NewStore(dir, profile.SystemKeyring(timeout))
	return s.store, nil
}

// runSettings are the values of one run and where each came from.
type runSettings struct {
	Name       string
	Profile    *profile.Profile // nil when the profile does not exist
	ProfileErr error            // the profile file exists but cannot be read
	KeyringErr error            // the profile's secrets could not be read
	Settings   profile.Settings
}

// resolve merges, by precedence, the flags, the DRSETUP_* variables, the
// saved profile and its keyring secrets, and defaults. A damaged profile or
// an unreachable keyring is recorded, not fatal: the caller decides.
func (s *services) resolve(given map[field.Field]string, defaults map[field.Field]string) (*runSettings, error) {
	name := s.f.Global.profile
	if err := profile.ValidName(name); err != nil {
		return nil, invalidf("%s", err)
	}
	rs := &runSettings{Name: name}
	store, err := s.Store()
	if err != nil {
		return nil, err
	}
	var sec *profile.Secrets
	p, err := store.Load(name)
	switch {
	case err == nil:
		rs.Profile = &p
		secrets, kerr := store.LoadSecrets(name)
		rs.KeyringErr = kerr
		sec = &secrets
	case errors.Is(err, regularfile.ErrNotRegular):
		return nil, err // bad input, not a damaged profile to report on
	case !errors.Is(err, profile.ErrNotFound):
		rs.ProfileErr = err
	}
	rs.Settings = profile.Resolve(profile.Inputs{
		Flags: given, Getenv: s.f.Getenv, Profile: rs.Profile, Secrets: sec, Defaults: defaults,
	})
	for _, f := range field.All() {
		if f.Secret() {
			s.redactor.Add(rs.Settings.Get(f))
		}
	}
	return rs, nil
}
