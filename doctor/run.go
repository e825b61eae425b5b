package doctor

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/drsetup/drsetup/buildinfo"
	"github.com/drsetup/drsetup/debuglog"
	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
)

// DefaultCheckTimeout bounds each check when Options.CheckTimeout is 0. It
// leaves room for a Salesforce request's own 30 s and a few Digital River
// retries.
const DefaultCheckTimeout = 60 * time.Second

// webhookWorkers is how many webhooks are examined at once, so at most a few
// logins and probes are in flight whatever the number of webhooks (DESIGN.md,
// Scale): a partner's key may hold thousands, and Salesforce and proxies
// take a burst of logins badly. Each check's time limit starts when a worker
// takes it up, so a long queue never makes a check fail for want of time.
const webhookWorkers = 4

// Options are what a run checks and what it talks to.
type Options struct {
	// Profile is the profile name asked for (--profile); Saved is that
	// profile when it exists, ProfilePath its file.
	Profile     string
	Saved       *profile.Profile
	ProfilePath string
	// ProfileErr is why the profile file could not be read (a damaged
	// file); KeyringErr why its secrets could not be (*profile.KeyringError).
	ProfileErr error
	KeyringErr error
	// Settings are the values of the run with their sources: flags, then
	// DRSETUP_* variables, then the profile and its keyring entries.
	Settings profile.Settings

	Salesforce   *sfcheck.Client
	DigitalRiver func(key string) (*drapi.Client, error)
	AllowAnyHost bool
	// ReplayAnyHost lets dr_login_replay send a webhook's stored credentials
	// to a host outside Salesforce's, or to another port. It exists for tests
	// whose servers are not at Salesforce's names; the CLI never sets it,
	// whatever --allow-any-host says, because what a webhook stores is not
	// what the admin typed.
	ReplayAnyHost bool

	// Redactor learns every secret the run meets (the webhooks' stored
	// passwords and client secrets among them), so the debug log that shares
	// it never carries one. May be nil.
	Redactor *secret.Redactor
	Log      *debuglog.Logger // one line per check; nil logs nothing

	// SavedWebhooks names, for each webhook a saved profile names, those
	// profiles (doctor --fix deletes none of them); nil when unknown.
	SavedWebhooks map[string][]string

	// Logins, when set, carries the Salesforce logins of one run into
	// another (doctor --fix checks again after fixing): a login already
	// made is not sent again.
	Logins *Logins

	CheckTimeout time.Duration
	// Window is how far back the delivery checks look (--since): 7 or 30
	// days; DefaultWindow when 0, and never more than MaxWindow, as far as
	// Digital River's events list reaches.
	Window time.Duration
	// Progress, when set, is told each check as it starts and ends. Calls
	// come one at a time, from the run's goroutines.
	Progress func(Event)
	Now      func() time.Time
}

// EventKind says whether a check started or ended.
type EventKind int

const (
	Started EventKind = iota
	Finished
)

// Event is a check starting or ending. Result is set when it ended.
type Event struct {
	Kind      EventKind
	ID        ID
	WebhookID string
	Result    Result
}

// ModeOf says which setup a run checks: the saved profile when there is one;
// else the values given as flags and variables; else, with only a Digital
// River key, the key's webhooks; else nothing.
func ModeOf(saved *profile.Profile, set profile.Settings) Mode {
	if saved != nil {
		return ModeProfile
	}
	for _, f := range steps.SalesforceFields() {
		if given(set, f) {
			return ModeValues
		}
	}
	// A key counts from any source: --demo supplies its own as a default.
	if set.Get(field.DRAPIKey) != "" {
		return ModeKeyOnly
	}
	return ModeNone
}

// given reports whether f came from the user (a flag, a variable, the profile
// or the keyring), not from a default.
func given(set profile.Settings, f field.Field) bool {
	switch set.Source(f) {
	case profile.SourceUnset, profile.SourceDefault:
		return false
	}
	return set.Get(f) != ""
}

// Run makes every check and returns the report. It returns when every check
// has ended; cancelling ctx ends the checks in flight (their results say so).
func Run(ctx context.Context, o Options) *Report {
	r := newRun(o)
	r.log("doctor", map[string]any{"mode": string(r.mode), "profile": o.Profile, "startedAt": r.started.UTC().Format(time.RFC3339)})
	r.local()
	var wg sync.WaitGroup
	wg.Go(func() { r.salesforce(ctx) })
	wg.Go(func() { r.digitalRiver(ctx) })
	wg.Go(func() { r.events(ctx) })
	wg.Wait()
	return r.report()
}

// run is the state of one doctor run.
type run struct {
	o     Options
	mode  Mode
	setup steps.Setup
	// envInferred: no environment or token endpoint was given, so the
	// environment was taken from the My Domain.
	envInferred bool
	now         func() time.Time
	started     time.Time
	timeout     time.Duration
	logins      *logins

	// red redacts the checks that are about no one webhook; it knows the
	// secrets of the run. runSecrets are those secrets, which each
	// webhook's own redactor (in redactors, by group) also knows.
	red        *secret.Redactor
	runSecrets []string
	redactors  []*secret.Redactor

	// Set once by the Salesforce chain, read by the webhook checks.
	domain future[*sfcheck.MyDomain] // nil when the My Domain is missing or invalid
	// profileLogin is the outcome of sf_login's login, once its attempts
	// have ended (zero when it made none).
	profileLogin future[loginOutcome]
	// Set once by the Digital River chain, read by sf_login: the login
	// Digital River makes for the profile's webhook, which is tried first.
	stored future[*storedLogin]
	// keyWorks is whether the Digital River key listed the webhooks, set
	// once by the Digital River chain for dr_events; apexProbe is what
	// apex_endpoint's probe measured, for listener_latency.
	keyWorks  future[bool]
	apexProbe future[probeSample]

	// window and since bound what the delivery checks read; ev is what
	// they share.
	window time.Duration
	since  time.Time
	ev     *evidence

	mu       sync.Mutex
	listing  *listing // what was seen of the key's webhooks; nil when they were not listed
	results  []ranked
	webhooks []Webhook
	paths    []pathPlan // key-only mode: one per webhook, in the order of webhooks
	drHost   string
	missing  []field.Field

	progress sync.Mutex
}

// ranked is a result with its place in the report.
type ranked struct {
	group int // 0: the setup's checks; 1+i: the i-th webhook examined
	order int // the check's place in checkOrder
	Result
}

func newRun(o Options) *run {
	r := &run{
		o:            o,
		mode:         ModeOf(o.Saved, o.Settings),
		now:          o.Now,
		timeout:      o.CheckTimeout,
		red:          &secret.Redactor{},
		domain:       newFuture[*sfcheck.MyDomain](),
		profileLogin: newFuture[loginOutcome](),
		stored:       newFuture[*storedLogin](),
		keyWorks:     newFuture[bool](),
		apexProbe:    newFuture[probeSample](),
		window:       o.Window,
		ev:           newEvidence(),
	}
	if r.now == nil {
		r.now = time.Now
	}
	r.started = r.now()
	if r.timeout <= 0 {
		r.timeout = DefaultCheckTimeout
	}
	if r.window <= 0 {
		r.window = DefaultWindow
	}
	r.window = min(r.window, MaxWindow)
	r.since = r.started.Add(-r.window)
	if o.Salesforce == nil {
		r.o.Salesforce = &sfcheck.Client{AllowAnyHost: o.AllowAnyHost}
	}
	r.logins = o.Logins.get(r.o.Salesforce, r.timeout)
	r.setup = steps.FromSettings(o.Profile, o.Settings)
	r.setup.AllowAnyHost = o.AllowAnyHost
	// A support engineer on a call may give only the My Domain: the kind of
	// org it names then picks the token endpoint, not the production default.
	if !given(o.Settings, field.Environment) && !given(o.Settings, field.TokenEndpoint) {
		if d, err := r.setup.Domain(); err == nil && d.Sandbox {
			r.setup.Environment, r.setup.Token = sfcheck.Sandbox, steps.TokenSandbox
			r.envInferred = true
		}
	}
	for _, f := range field.All() {
		if f.Secret() {
			r.runSecrets = append(r.runSecrets, o.Settings.Get(f))
		}
	}
	r.runSecrets = append(r.runSecrets, r.setup.Password.Reveal()+r.setup.SecurityToken.Reveal())
	r.red.Add(r.runSecrets...)
	r.o.Redactor.Add(r.runSecrets...)
	return r
}

// webhookRedactor is the redactor of one webhook's checks: the run's
// secrets and the ones stored in that webhook, the only secrets its
// findings can meet (a login shared with another webhook sends the same
// secrets). Knowing only these keeps each check's redaction as cheap with
// thousands of webhooks as with one.
func (r *run) webhookRedactor(stored []string) *secret.Redactor {
	red := &secret.Redactor{}
	red.Add(append(slices.Clone(r.runSecrets), stored...)...)
	return red
}

// needs records that a check wanted f and the run did not have it.
func (r *run) needs(fs ...field.Field) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range fs {
		if !slices.Contains(r.missing, f) {
			r.missing = append(r.missing, f)
		}
	}
}

func (r *run) log(msg string, fields map[string]any) { r.o.Log.Event(msg, fields) }

func (r *run) emit(e Event) {
	if r.o.Progress == nil {
		return
	}
	r.progress.Lock()
	defer r.progress.Unlock()
	r.o.Progress(e)
}

// check runs fn as check id under the check timeout, and records, logs and
// reports its result. group places it in the report (0, or 1+ the webhook's
// index).
func (r *run) check(ctx context.Context, id ID, group int, webhookID string, fn func(ctx context.Context) Result) Result {
	r.emit(Event{Kind: Started, ID: id, WebhookID: webhookID})
	start := time.Now()
	cctx, cancel := context.WithTimeout(ctx, r.timeout)
	res := fn(cctx)
	cancel()
	res.Duration = time.Since(start)
	return r.record(id, group, webhookID, res)
}

// skip records a check that was not made, and why.
func (r *run) skip(id ID, group int, webhookID, why string) Result {
	return r.record(id, group, webhookID, Result{Status: Skip, Summary: why})
}

func (r *run) record(id ID, group int, webhookID string, res Result) Result {
	res.ID, res.WebhookID = id, webhookID
	if res.Hop == HopNone {
		res.Hop = id.hop()
	}
	// Every finding passes here, with what it quotes from Salesforce,
	// Digital River, a proxy or a profile: one line, no secret the run
	// knows (a webhook's checks also none of that webhook's stored ones),
	// no terminal control character.
	red := r.red
	if group > 0 && group <= len(r.redactors) {
		red = r.redactors[group-1]
	}
	res.Summary = text.Clean(red.Redact(res.Summary))
	res.Remedy = text.Clean(red.Redact(res.Remedy))
	res.Brief = text.Clean(red.Redact(res.Brief))
	if res.Status == Pass || res.Status == Skip {
		res.Remedy = ""
	}
	r.mu.Lock()
	r.results = append(r.results, ranked{group: group, order: slices.Index(checkOrder, id), Result: res})
	r.mu.Unlock()
	r.o.Log.Check(string(id), string(res.Status), res.Summary, res.Duration, webhookID)
	r.emit(Event{Kind: Finished, ID: id, WebhookID: webhookID, Result: res})
	return res
}

// report sorts the results into report order.
func (r *run) report() *Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	slices.SortStableFunc(r.results, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.group, b.group), cmp.Compare(a.order, b.order))
	})
	rep := &Report{Mode: r.mode, StartedAt: r.started, Build: buildinfo.Get(), Webhooks: slices.Clone(r.webhooks)}
	if r.o.Saved != nil || r.o.ProfileErr != nil {
		rep.Profile = r.o.Profile
	}
	rep.Checks = make([]Result, len(r.results))
	for i, x := range r.results {
		rep.Checks[i] = x.Result
	}
	for _, f := range field.All() {
		if slices.Contains(r.missing, f) {
			rep.Missing = append(rep.Missing, f)
		}
	}
	rep.Paths = r.buildPaths(rep.Checks)
	rep.Timeline = r.timeline()
	rep.found = r.found()
	return rep
}

// future is a value set once by one goroutine and awaited by others.
type future[T any] struct {
	once *sync.Once
	done chan struct{}
	v    *T
}

func newFuture[T any]() future[T] {
	return future[T]{once: &sync.Once{}, done: make(chan struct{}), v: new(T)}
}

// set stores v; only the first call counts.
func (f future[T]) set(v T) {
	f.once.Do(func() {
		*f.v = v
		close(f.done)
	})
}

// wait returns the value, or false when ctx ends first.
func (f future[T]) wait(ctx context.Context) (T, bool) {
	select {
	case <-f.done:
		return *f.v, true
	case <-ctx.Done():
		var zero T
		return zero, false
	}
}
