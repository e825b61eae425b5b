package drapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/httpx"
)

// turnstile lets the requests of several runs reach a server one at a
// time, in an order a schedule chooses: whenever more than one run waits at
// a request, the next choice of the schedule picks which goes first (false
// the lower-numbered run; past the schedule's end, always false).
type turnstile struct {
	mu       sync.Mutex
	cond     *sync.Cond
	runs     int
	waiting  map[int]bool
	finished map[int]bool
	active   int // the run whose request is being served; -1 for none
	schedule []bool
	taken    []bool   // the choices made, the schedule's and those past it
	order    []string // "run method path" of each request let through
}

func newTurnstile(runs int, schedule []bool) *turnstile {
	t := &turnstile{runs: runs, waiting: map[int]bool{}, finished: map[int]bool{}, active: -1, schedule: schedule}
	t.cond = sync.NewCond(&t.mu)
	return t
}

// enter blocks run's request until it is its turn.
func (t *turnstile) enter(run int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.waiting[run] = true
	t.cond.Broadcast()
	for t.active != run {
		t.cond.Wait()
	}
	delete(t.waiting, run)
}

func (t *turnstile) leave() {
	t.mu.Lock()
	t.active = -1
	t.cond.Broadcast()
	t.mu.Unlock()
}

func (t *turnstile) finish(run int) {
	t.mu.Lock()
	t.finished[run] = true
	t.cond.Broadcast()
	t.mu.Unlock()
}

// drive lets one request through at a time until every run has finished.
func (t *turnstile) drive() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		// Wait until no request is in flight and every run is either at its
		// next request or done, so the choice is between all of them.
		for t.active != -1 || len(t.waiting)+len(t.finished) < t.runs {
			t.cond.Wait()
		}
		if len(t.finished) == t.runs {
			return
		}
		var ready []int
		for r := range t.runs {
			if t.waiting[r] {
				ready = append(ready, r)
			}
		}
		next := ready[0]
		if len(ready) > 1 {
			second := len(t.taken) < len(t.schedule) && t.schedule[len(t.taken)]
			if second {
				next = ready[1]
			}
			t.taken = append(t.taken, second)
		}
		t.active = next
		t.cond.Broadcast()
	}
}

// gatedHandler is a transport that serves each request with h in memory,
// once the turnstile lets it through.
type gatedHandler struct {
	h   http.Handler
	t   *turnstile
	run int
}

func (g gatedHandler) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
	}
	g.t.enter(g.run)
	defer g.t.leave()
	g.t.order = append(g.t.order, fmt.Sprintf("%d %s %s", g.run, r.Method, r.URL.Path)) // only the active run writes it
	in := r.Clone(r.Context())
	in.Host = r.URL.Host
	in.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	if dropped := serve(g.h, rec, in); dropped {
		// The emulator dropped the connection (a lost create's answer).
		return nil, io.ErrUnexpectedEOF
	}
	return rec.Result(), nil
}

// serve runs h, reporting whether it aborted the answer, as the emulator
// does to drop a connection.
func serve(h http.Handler, w http.ResponseWriter, r *http.Request) (dropped bool) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			dropped = true
		}
	}()
	h.ServeHTTP(w, r)
	return false
}

// Whatever order the requests of two setups racing for one address reach
// Digital River in, exactly one webhook remains, and both runs report it.
// Every interleaving of their requests is tried (depth first over the
// choices), under each way a PATCH may treat the fields it omits.
func TestRacingRunsLeaveExactlyOneWebhookInEveryInterleaving(t *testing.T) {
	addr := "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
	type variant struct {
		patch  string
		differ bool          // the runs want different event types
		drop   bool          // the answer to the first create is lost
		lag    time.Duration // the list shows a new webhook this late
	}
	var variants []variant
	for _, mode := range []string{emulator.PatchReplaceOAuth, emulator.PatchKeep, emulator.PatchClear} {
		for _, differ := range []bool{false, true} {
			variants = append(variants, variant{mode, differ, false, 0})
		}
	}
	variants = append(variants,
		variant{emulator.PatchReplaceOAuth, false, true, 0},
		variant{emulator.PatchReplaceOAuth, false, false, 3 * time.Second})
	for _, v := range variants {
		mode, differ := v.patch, v.differ
		t.Run(fmt.Sprintf("patch %q, runs differ %v, a create's answer lost %v, list lag %v", mode, differ, v.drop, v.lag), func(t *testing.T) {
			var schedule []bool
			n := 0
			for ; ; n++ {
				taken, err := raceOnce(t, mode, differ, v.drop, v.lag, addr, schedule)
				if err != nil {
					t.Fatalf("interleaving %v: %v", taken, err)
				}
				// The next interleaving: flip the last choice not yet
				// flipped, and take the first way after it.
				i := len(taken) - 1
				for i >= 0 && taken[i] {
					i--
				}
				if i < 0 {
					break
				}
				schedule = append(taken[:i:i], true)
			}
			if n < 100 {
				t.Fatalf("only %d interleavings were tried", n)
			}
			t.Logf("%d interleavings", n)
		})
	}
}

// raceOnce runs two setups against one emulator under schedule, and says
// what went wrong, if anything, with the choices taken.
func raceOnce(t *testing.T, patchMode string, differ, drop bool, lag time.Duration, addr string, schedule []bool) (taken []bool, _ error) {
	const key = "sk_test_race000000"
	// One clock for the emulator and both runs, moved only by the runs'
	// sleeps: each sleeps only while the other waits at the turnstile, so
	// an interleaving always sees the same times.
	var clockMu sync.Mutex
	clock := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return clock }
	sleep := func(ctx context.Context, d time.Duration) error {
		clockMu.Lock()
		clock = clock.Add(d)
		clockMu.Unlock()
		return ctx.Err()
	}
	sc := emulator.Scenario{
		DigitalRiver: emulator.Account{Keys: []emulator.Key{{Key: key, CanWebhooks: true}}, PatchOmitted: patchMode, ListLag: lag},
		Clock:        now,
	}
	if drop {
		sc.Faults.DropCreateResponse = 1
	}
	e := emulator.New(sc)
	ts := newTurnstile(2, schedule)
	type outcome struct {
		res Result
		err error
	}
	out := make([]outcome, 2)
	var wg sync.WaitGroup
	for run := range 2 {
		c, err := New(key, Options{HTTPClient: httpx.NewClient(gatedHandler{h: e, t: ts, run: run}), Now: now, Sleep: sleep})
		if err != nil {
			t.Fatal(err)
		}
		sp := desiredSpec()
		sp.Address = addr
		if differ && run == 1 {
			sp.Types = sp.Types[:2]
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer ts.finish(run)
			p, err := c.Webhooks.Plan(context.Background(), sp, EnsureOptions{})
			if err == nil {
				out[run].res, out[run].err = c.Webhooks.Apply(context.Background(), p)
			} else {
				out[run].err = err
			}
		}()
	}
	ts.drive()
	wg.Wait()

	taken, order := ts.taken, fmt.Sprint(ts.order)
	for run := range 2 {
		if n := strings.Count(order, fmt.Sprintf("%d POST", run)); n > 1 {
			return taken, fmt.Errorf("run %d sent %d creates; a create is never sent twice in a run (requests %s)", run, n, order)
		}
	}
	hooks := e.Webhooks("test")
	if len(hooks) != 1 {
		return taken, fmt.Errorf("%d webhooks remain, want 1 (requests %s; runs: %v / %v)", len(hooks), order, out[0].err, out[1].err)
	}
	for run, o := range out {
		if o.err != nil {
			if differ {
				// Two runs that want different things may each read back
				// the other's write; what matters is that one remains.
				continue
			}
			return taken, fmt.Errorf("run %d failed: %v (requests %s)", run, o.err, order)
		}
		if o.res.Webhook.ID != hooks[0].ID {
			return taken, fmt.Errorf("run %d reports webhook %s, but %s remains (requests %s)", run, o.res.Webhook.ID, hooks[0].ID, order)
		}
	}
	if !differ && !slices.Equal(hooks[0].Types, AppEvents) {
		return taken, fmt.Errorf("the remaining webhook has types %v", hooks[0].Types)
	}
	return taken, nil
}
