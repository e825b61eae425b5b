package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drsetup/drsetup/debuglog"
	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
)

// contractIDs are DESIGN.md's check ids, written out rather than taken from
// the package, so renaming one breaks this test.
var contractIDs = []string{
	"profile", "keyring", "my_domain", "token_endpoint", "sf_login", "instance_url", "apex_endpoint",
	"dr_api_key", "webhook_exists", "webhook_address", "webhook_enabled", "webhook_transport",
	"webhook_oauth", "webhook_events", "webhook_duplicates", "dr_login_replay",
	"dr_events", "sf_login_history", "sf_failed_events", "sf_permission_set", "listener_latency",
}

var perWebhookIDs = []string{
	"webhook_address", "webhook_enabled", "webhook_transport", "webhook_oauth",
	"webhook_events", "webhook_duplicates", "dr_login_replay",
}

// sessionIDs are the delivery checks made with a Salesforce token: the
// run's own once, or in key-only mode once per webhook, with its replayed
// token.
var sessionIDs = []string{"sf_login_history", "sf_failed_events", "sf_permission_set", "listener_latency"}

// aboutWebhooks are the ids whose entries carry webhookId in a run of mode.
func aboutWebhooks(keyOnly bool) []string {
	if keyOnly {
		return append(slices.Clone(perWebhookIDs), sessionIDs...)
	}
	return perWebhookIDs
}

func TestReportJSONFollowsTheContract(t *testing.T) {
	type mode struct {
		name        string
		keyOnly     bool
		scenario    func(*emulator.Scenario)
		wantProfile any // "default" or nil
		wantOK      bool
	}
	for _, m := range []mode{
		{name: "profile, nothing failed", wantProfile: "default", wantOK: true},
		{name: "profile, stale password", wantProfile: "default", wantOK: false,
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks[0].OAuth.Password = "stale" }},
		{name: "key only, two webhooks", keyOnly: true, wantProfile: nil, wantOK: false,
			scenario: func(sc *emulator.Scenario) {
				h := acmeHook()
				h.ID = otherHookID
				sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
			}},
		{name: "key only, no webhook", keyOnly: true, wantProfile: nil, wantOK: false,
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks = nil }},
	} {
		t.Run(m.name, func(t *testing.T) {
			sc := healthyScenario()
			if m.scenario != nil {
				m.scenario(&sc)
			}
			w := start(t, sc, nil)
			p, sec := healthyProfile()
			var env map[string]string
			if m.keyOnly {
				p, sec, env = nil, nil, map[string]string{"DRSETUP_DR_API_KEY": liveKey}
			}
			o := w.options(p, sec, env)
			rep := diagnose(t, o)
			b, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}

			// The contract's keys, and nothing else (the command's tests
			// decode the whole object strictly).
			var top map[string]json.RawMessage
			if err := json.Unmarshal(b, &top); err != nil {
				t.Fatal(err)
			}
			if keys := sortedKeys(top); !slices.Equal(keys, []string{"checks", "counts", "drsetup", "incomplete", "mode", "ok", "profile", "startedAt"}) {
				t.Fatalf("top-level keys %v, want the contract's", keys)
			}
			var (
				ok, incomplete bool
				mode, started  string
				prof           any
				build          map[string]string
				counts         map[string]int
			)
			for k, v := range map[string]any{"ok": &ok, "incomplete": &incomplete, "mode": &mode, "startedAt": &started, "profile": &prof, "drsetup": &build, "counts": &counts} {
				if err := json.Unmarshal(top[k], v); err != nil {
					t.Errorf("%s: %v in %s", k, err, top[k])
				}
			}
			if prof != m.wantProfile {
				t.Errorf("profile = %#v, want %#v", prof, m.wantProfile)
			}
			wantMode := "profile"
			if m.keyOnly {
				wantMode = "key-only"
			}
			if mode != wantMode || incomplete {
				t.Errorf("mode %q incomplete %v, want %q and complete", mode, incomplete, wantMode)
			}
			if at, err := time.Parse(time.RFC3339, started); err != nil || !at.Equal(o.Now()) {
				t.Errorf("startedAt %q, want %s in RFC 3339", started, o.Now().Format(time.RFC3339))
			}
			if keys := slices.Sorted(maps.Keys(build)); !slices.Equal(keys, []string{"arch", "commit", "os", "version"}) || build["version"] == "" || build["os"] != runtime.GOOS || build["arch"] != runtime.GOARCH {
				t.Errorf("drsetup %v does not name the program", build)
			}
			seenStatus := map[string]int{}
			var statuses []struct{ Status string }
			json.Unmarshal(top["checks"], &statuses)
			for _, c := range statuses {
				seenStatus[c.Status]++
			}
			if !maps.Equal(counts, withZeros(seenStatus)) {
				t.Errorf("counts %v, the checks have %v", counts, seenStatus)
			}
			var checks []map[string]any
			if err := json.Unmarshal(top["checks"], &checks); err != nil {
				t.Fatalf("checks is not an array of objects: %v", err)
			}

			seen := map[string]bool{}
			anyFail := false
			for i, c := range checks {
				where := fmt.Sprintf("checks[%d] %v", i, c["id"])
				for k := range c {
					if !slices.Contains([]string{"id", "status", "summary", "remedy", "durationMs", "webhookId"}, k) {
						t.Errorf("%s: key %q is not in the contract", where, k)
					}
				}
				id, _ := c["id"].(string)
				if !slices.Contains(contractIDs, id) {
					t.Errorf("%s: id %q is not a contract id", where, c["id"])
				}
				seen[id] = true
				status, _ := c["status"].(string)
				if !slices.Contains([]string{"pass", "warn", "fail", "skip"}, status) {
					t.Errorf("%s: status %q", where, c["status"])
				}
				anyFail = anyFail || status == "fail"
				if s, _ := c["summary"].(string); strings.TrimSpace(s) == "" || strings.Contains(s, "\n") {
					t.Errorf("%s: summary %q is not one non-empty line", where, c["summary"])
				}
				remedy, hasRemedy := c["remedy"].(string)
				if _, present := c["remedy"]; present && !hasRemedy {
					t.Errorf("%s: remedy is not a string", where)
				}
				if wantRemedy := status == "warn" || status == "fail"; hasRemedy != wantRemedy || (hasRemedy && remedy == "") {
					t.Errorf("%s: status %s with remedy %q", where, status, remedy)
				}
				d, isNum := c["durationMs"].(float64)
				if !isNum || d < 0 || d != math.Trunc(d) {
					t.Errorf("%s: durationMs %v is not a whole number of milliseconds", where, c["durationMs"])
				}
				webhookID, hasWebhook := c["webhookId"].(string)
				examined := len(rep.Webhooks) > 0
				if want := slices.Contains(aboutWebhooks(m.keyOnly), id) && examined; hasWebhook != want {
					t.Errorf("%s: webhookId present %v, want %v", where, hasWebhook, want)
				}
				if hasWebhook && !slices.ContainsFunc(rep.Webhooks, func(w Webhook) bool { return w.ID == webhookID }) {
					t.Errorf("%s: webhookId %q is not a webhook examined", where, webhookID)
				}
			}
			if ok != !anyFail || ok != m.wantOK {
				t.Errorf("ok = %v with a failed check %v; want %v", ok, anyFail, m.wantOK)
			}
			for _, id := range contractIDs {
				if !seen[id] {
					t.Errorf("no entry for %s", id)
				}
			}
			for _, w := range rep.Webhooks {
				for _, id := range aboutWebhooks(m.keyOnly) {
					n := 0
					for _, c := range checks {
						if c["id"] == id && c["webhookId"] == w.ID {
							n++
						}
					}
					if n != 1 {
						t.Errorf("webhook %s has %d %s entries, want 1", w.ID, n, id)
					}
				}
			}
		})
	}
}

func withZeros(m map[string]int) map[string]int {
	out := map[string]int{"pass": 0, "warn": 0, "fail": 0, "skip": 0}
	maps.Copy(out, m)
	return out
}

func sortedKeys(m map[string]json.RawMessage) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestOneLoginPerCredentialSet(t *testing.T) {
	for _, c := range []struct {
		name     string
		keyOnly  bool
		scenario func(*emulator.Scenario)
		want     int
	}{
		{name: "the profile's login is the one stored", want: 1},
		{name: "stored password differs: one attempt each", want: 2,
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks[0].OAuth.Password = "Old&Pass" + secToken }},
		{name: "two webhooks with the profile's login", want: 1,
			scenario: func(sc *emulator.Scenario) {
				h := acmeHook()
				h.ID = otherHookID
				sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
			}},
		{name: "key only: two webhooks, one stored login", keyOnly: true, want: 1,
			scenario: func(sc *emulator.Scenario) {
				h := acmeHook()
				h.ID = otherHookID
				sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
			}},
		{name: "refused login is not repeated for the webhook", want: 1,
			scenario: func(sc *emulator.Scenario) { sc.Orgs[0].UsernamePasswordBlocked = true }},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := healthyScenario()
			if c.scenario != nil {
				c.scenario(&sc)
			}
			w := start(t, sc, nil)
			p, sec := healthyProfile()
			var env map[string]string
			if c.keyOnly {
				p, sec, env = nil, nil, map[string]string{"DRSETUP_DR_API_KEY": liveKey}
			}
			rep := diagnose(t, w.options(p, sec, env))
			if got := w.srv.LoginAttempts(username); got != c.want {
				t.Fatalf("%d login attempts for %s, want %d:\n%s", got, username, c.want, dump(rep))
			}
		})
	}
}

// manyOrgs is a key with n webhooks, each to its own org with its own user,
// so no two replays share a login.
func manyOrgs(n int) emulator.Scenario {
	sc := healthyScenario()
	sc.Orgs, sc.DigitalRiver.Webhooks = nil, nil
	for i := range n {
		o := acmeOrg()
		o.MyDomain = fmt.Sprintf("org%d.my.salesforce.com", i)
		o.Users[0].Username = fmt.Sprintf("integration@org%d.example", i)
		sc.Orgs = append(sc.Orgs, o)
		h := acmeHook()
		h.ID = fmt.Sprintf("0b7c3a52-3333-4000-8000-%012d", i)
		h.Address = "https://" + o.MyDomain + "/services/apexrest/digitalriverv3/webhooks/"
		h.OAuth.UserName = o.Users[0].Username
		sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
	}
	return sc
}

// TestChecksRunConcurrently shows independent work overlapping: with every
// request delayed by the emulator, the requests in flight at once are
// counted. Run one after the other, no two would ever overlap.
func TestChecksRunConcurrently(t *testing.T) {
	t.Run("key only: a few webhooks' replays at once, never all", func(t *testing.T) {
		const n = 10
		counter := &inFlight{}
		w := start(t, manyOrgs(n), func(rt http.RoundTripper) http.RoundTripper { counter.next = rt; return counter })
		w.srv.SetFaults(emulator.Faults{Latency: map[string]time.Duration{"*": 100 * time.Millisecond}})
		rep := diagnose(t, w.options(nil, nil, map[string]string{"DRSETUP_DR_API_KEY": liveKey}))
		if !rep.OK() {
			t.Fatalf("the setup should pass:\n%s", dump(rep))
		}
		// The list and the events, then per webhook one login and one
		// probe, and with its token the delivery checks' reads: the
		// permission set assignments, a second GET of the endpoint,
		// Login History, the count of failed events (none, so no more).
		if want := 2 + n*(2+4); counter.total != want {
			t.Errorf("%d requests, want %d", counter.total, want)
		}
		if counter.maxLogins < 2 || counter.maxLogins > webhookWorkers {
			t.Errorf("at most %d logins and probes in flight at once, want between 2 (the replays overlap) and %d (a bounded few)", counter.maxLogins, webhookWorkers)
		}
		if limit := webhookWorkers * len(sessionChecks); counter.max > limit {
			t.Errorf("%d requests in flight at once, want at most %d (each worker's webhook's delivery checks at once)", counter.max, limit)
		}
	})
	t.Run("profile: the Salesforce and Digital River chains at once", func(t *testing.T) {
		counter := &inFlight{}
		w := start(t, healthyScenario(), func(rt http.RoundTripper) http.RoundTripper { counter.next = rt; return counter })
		w.srv.SetFaults(emulator.Faults{Latency: map[string]time.Duration{"*": 100 * time.Millisecond}})
		p, sec := healthyProfile()
		diagnose(t, w.options(p, sec, nil))
		// The list, the login (shared with the replay, which goes first),
		// identity, probe of the My Domain's endpoint, and the replay's
		// probe; the events; with the run's token the delivery checks'
		// reads: the permission set assignments, a second GET of the
		// endpoint, Login History, the count of failed events.
		if counter.total != 10 {
			t.Errorf("%d requests, want 10", counter.total)
		}
		if counter.max < 2 {
			t.Errorf("at most %d request in flight at once: the identity and the probes should overlap", counter.max)
		}
	})
}

// BenchmarkDoctorLatency runs doctor in key-only mode against the doctor demo
// (seven webhooks) with 20 ms added to every request, and reports the wall
// time over the sum of all request latencies: well under 1 when independent
// checks overlap.
func BenchmarkDoctorLatency(b *testing.B) {
	counter := &inFlight{}
	w := start(b, emulator.DoctorDemoScenario(), func(rt http.RoundTripper) http.RoundTripper { counter.next = rt; return counter })
	w.srv.SetFaults(emulator.Faults{Latency: map[string]time.Duration{"*": 20 * time.Millisecond}})
	o := w.options(nil, nil, map[string]string{"DRSETUP_DR_API_KEY": emulator.Demo.DRKey})
	var wall time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		Run(context.Background(), o)
		wall += time.Since(start)
	}
	b.StopTimer()
	counter.mu.Lock()
	defer counter.mu.Unlock()
	if counter.latency > 0 {
		b.ReportMetric(float64(wall)/float64(counter.latency), "wall/latency-sum")
		b.ReportMetric(float64(counter.total)/float64(b.N), "requests/op")
		b.ReportMetric(float64(counter.max), "max-in-flight")
	}
}

func TestCheckTimeoutBoundsASilentService(t *testing.T) {
	sc := healthyScenario()
	w := start(t, sc, nil)
	w.srv.SetFaults(emulator.Faults{Silent: map[string]bool{"login.salesforce.com": true}})
	p, sec := healthyProfile()
	o := w.options(p, sec, nil)
	o.CheckTimeout = 300 * time.Millisecond
	rep := diagnose(t, o)
	got := only(t, rep, CheckSFLogin)
	if got.Status != Fail || !strings.Contains(got.Summary, "login.salesforce.com") {
		t.Fatalf("sf_login: %s %q", got.Status, got.Summary)
	}
	for _, bad := range []string{"context deadline exceeded", "Post \"", "net/http"} {
		if strings.Contains(got.Summary+got.Remedy, bad) {
			t.Errorf("sf_login carries a raw Go error (%q): %s", bad, got.Summary)
		}
	}
	if !strings.Contains(got.Remedy, "sent once") {
		t.Errorf("sf_login remedy %q", got.Remedy)
	}
	// The Digital River chain did not wait for it.
	if s := only(t, rep, CheckDRAPIKey).Status; s != Pass {
		t.Errorf("dr_api_key %s", s)
	}

	w.srv.SetFaults(emulator.Faults{Silent: map[string]bool{"api.digitalriver.com": true}})
	rep = diagnose(t, o)
	got = only(t, rep, CheckDRAPIKey)
	if got.Status != Fail || !strings.Contains(strings.ToLower(got.Summary), "api.digitalriver.com") || !strings.Contains(got.Remedy, "connection to https://api.digitalriver.com") {
		t.Errorf("dr_api_key with Digital River silent: %s %q → %q", got.Status, got.Summary, got.Remedy)
	}
}

func TestCancelEndsEveryCheck(t *testing.T) {
	w := start(t, healthyScenario(), nil)
	w.srv.SetFaults(emulator.Faults{Silent: map[string]bool{"*": true}})
	p, sec := healthyProfile()
	o := w.options(p, sec, nil)
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	var once sync.Once
	o.Progress = func(e Event) {
		if e.ID == CheckDRAPIKey && e.Kind == Started {
			once.Do(func() { close(started) })
		}
	}
	done := make(chan *Report)
	go func() { done <- Run(ctx, o) }()
	<-started
	cancel()
	rep := <-done
	for _, id := range []ID{CheckSFLogin, CheckDRAPIKey} {
		if r := only(t, rep, id); r.Status != Fail || !strings.Contains(strings.ToLower(r.Summary), "cancel") {
			t.Errorf("%s after cancel: %s %q", id, r.Status, r.Summary)
		}
	}
}

func TestProgressReportsEachCheckOnce(t *testing.T) {
	w := start(t, healthyScenario(), nil)
	p, sec := healthyProfile()
	o := w.options(p, sec, nil)
	var mu sync.Mutex
	var events []Event
	o.Progress = func(e Event) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}
	rep := diagnose(t, o)
	finished := map[string]int{}
	open := map[string]bool{}
	for _, e := range events {
		k := string(e.ID) + "/" + e.WebhookID
		switch e.Kind {
		case Started:
			if open[k] {
				t.Errorf("%s started twice", k)
			}
			open[k] = true
		case Finished:
			delete(open, k)
			finished[k]++
			if e.Result.ID != e.ID {
				t.Errorf("%s finished with the result of %s", k, e.Result.ID)
			}
		}
	}
	if len(open) > 0 {
		t.Errorf("started, never finished: %v", open)
	}
	if n := len(rep.Checks); len(finished) != n {
		t.Errorf("%d checks finished, the report has %d", len(finished), n)
	}
	for k, n := range finished {
		if n != 1 {
			t.Errorf("%s finished %d times", k, n)
		}
	}
}

func TestPathMarksTheBrokenHop(t *testing.T) {
	hops := func(p Path) string {
		var s []string
		for _, h := range p.Hops {
			s = append(s, h.Host+"="+string(h.Status))
		}
		return strings.Join(s, " ")
	}
	for _, c := range []struct {
		name     string
		keyOnly  bool
		scenario func(*emulator.Scenario)
		want     string
	}{
		{name: "profile: stale password at Digital River", want: "api.digitalriver.com=pass login.salesforce.com=fail acme.my.salesforce.com=pass",
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks[0].OAuth.Password = "stale" }},
		{name: "profile: package missing", want: "api.digitalriver.com=pass login.salesforce.com=warn acme.my.salesforce.com=fail",
			scenario: func(sc *emulator.Scenario) { sc.Orgs[0].PackageInstalled = false }},
		{name: "key only: stale login, endpoint never reached", keyOnly: true, want: "api.digitalriver.com=pass login.salesforce.com=fail acme.my.salesforce.com=skip",
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks[0].OAuth.Password = "stale" }},
		{name: "key only: Lightning host", keyOnly: true, want: "api.digitalriver.com=pass login.salesforce.com=warn acme.lightning.force.com=fail",
			scenario: func(sc *emulator.Scenario) {
				sc.DigitalRiver.Webhooks[0].Address = "https://acme.lightning.force.com/services/apexrest/digitalriverv3/webhooks/"
			}},
		{name: "key only: disabled", keyOnly: true, want: "api.digitalriver.com=fail login.salesforce.com=warn acme.my.salesforce.com=pass",
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks[0].Enabled = false }},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := healthyScenario()
			c.scenario(&sc)
			w := start(t, sc, nil)
			p, sec := healthyProfile()
			var env map[string]string
			if c.keyOnly {
				p, sec, env = nil, nil, map[string]string{"DRSETUP_DR_API_KEY": liveKey}
			}
			rep := diagnose(t, w.options(p, sec, env))
			if len(rep.Paths) != 1 {
				t.Fatalf("%d paths, want 1", len(rep.Paths))
			}
			if got := hops(rep.Paths[0]); got != c.want {
				t.Errorf("path %s\nwant %s\n%s", got, c.want, dump(rep))
			}
		})
	}
}

func TestPathsFollowTheWebhooksExamined(t *testing.T) {
	w := start(t, manyOrgs(6), nil)
	rep := diagnose(t, w.options(nil, nil, map[string]string{"DRSETUP_DR_API_KEY": liveKey}))
	if len(rep.Paths) != len(rep.Webhooks) || len(rep.Webhooks) != 6 {
		t.Fatalf("%d paths for %d webhooks, want 6 each", len(rep.Paths), len(rep.Webhooks))
	}
	for i, p := range rep.Paths {
		if p.WebhookID != rep.Webhooks[i].ID || p.Hops[2].Host != httpx.Host(rep.Webhooks[i].Address) {
			t.Errorf("path %d is webhook %s to %s, want %s to %s", i, p.WebhookID, p.Hops[2].Host, rep.Webhooks[i].ID, httpx.Host(rep.Webhooks[i].Address))
		}
	}
}

func TestRetirementWarningFollowsTheDate(t *testing.T) {
	w := start(t, healthyScenario(), nil)
	p, sec := healthyProfile()
	for _, c := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), "is reported to retire this flow"},
		{time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), "was reported to stop accepting"},
	} {
		o := w.options(p, sec, nil)
		o.Now = func() time.Time { return c.now }
		got := only(t, diagnose(t, o), CheckWebhookTransport)
		if got.Status != Warn || !strings.Contains(got.Summary, c.want) {
			t.Errorf("on %s: %s %q", c.now.Format(time.DateOnly), got.Status, got.Summary)
		}
	}
}

func TestModeOf(t *testing.T) {
	set := func(kv ...string) profile.Settings {
		var s profile.Settings
		for i := 0; i < len(kv); i += 2 {
			s.Set(field.Field(kv[i]), kv[i+1], profile.SourceEnv)
		}
		return s
	}
	defaults := profile.Settings{}
	defaults.Set(field.Environment, "production", profile.SourceDefault)
	demoKey := profile.Settings{}
	demoKey.Set(field.DRAPIKey, "sk_test_demo0000", profile.SourceDefault)
	for _, c := range []struct {
		name  string
		saved *profile.Profile
		set   profile.Settings
		want  Mode
	}{
		{"saved profile", &profile.Profile{Name: "default"}, set(), ModeProfile},
		{"a My Domain given", nil, set("my_domain", "https://acme.my.salesforce.com", "dr_api_key", liveKey), ModeValues},
		{"only a password given", nil, set("password", "x"), ModeValues},
		{"only a key", nil, set("dr_api_key", liveKey), ModeKeyOnly},
		{"the demo's key", nil, demoKey, ModeKeyOnly},
		{"defaults are not values", nil, defaults, ModeNone},
		{"nothing", nil, set(), ModeNone},
	} {
		if got := ModeOf(c.saved, c.set); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// TestNoSecretInResultsOrLog runs the three ways in with every secret a
// value found nowhere else, the stored ones at Digital River too, and looks
// for each in the JSON report and the debug log.
func TestNoSecretInResultsOrLog(t *testing.T) {
	const (
		storedPassword = "STORED-pw-4c1d&9"
		storedSecret   = "STORED-cs-88aa21"
	)
	sc := healthyScenario()
	h := acmeHook()
	h.ID = otherHookID
	h.OAuth.Password, h.OAuth.ClientSecret = storedPassword, storedSecret
	sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
	secrets := []string{clientSecret, password, secToken, password + secToken, liveKey, storedPassword, storedSecret}

	for _, mode := range []string{"profile", "values", "key-only"} {
		t.Run(mode, func(t *testing.T) {
			w := start(t, sc, nil)
			p, sec := healthyProfile()
			env := map[string]string{}
			switch mode {
			case "values":
				p, sec = nil, nil
				env = map[string]string{
					"DRSETUP_MY_DOMAIN": "https://" + acmeHost, "DRSETUP_CLIENT_ID": clientID, "DRSETUP_USERNAME": username,
					"DRSETUP_CLIENT_SECRET": clientSecret, "DRSETUP_PASSWORD": password, "DRSETUP_SECURITY_TOKEN": secToken,
					"DRSETUP_DR_API_KEY": liveKey,
				}
			case "key-only":
				p, sec = nil, nil
				env = map[string]string{"DRSETUP_DR_API_KEY": liveKey}
			}
			var logBuf bytes.Buffer
			red := &secret.Redactor{}
			o := w.options(p, sec, env)
			o.Redactor = red
			o.Log = debuglog.New(&logBuf, red)
			o.Salesforce.HTTP.Transport = o.Log.Transport(o.Salesforce.HTTP.Transport)
			hc := o.Salesforce.HTTP
			o.DigitalRiver = func(key string) (*drapi.Client, error) { return drapi.New(key, drapi.Options{HTTPClient: hc}) }
			rep := diagnose(t, o)
			js, _ := json.Marshal(rep)
			text := string(js) + dump(rep)
			if !strings.Contains(logBuf.String(), `"kind":"check"`) || !strings.Contains(logBuf.String(), `"kind":"http"`) {
				t.Fatalf("the debug log lacks check or http lines:\n%s", logBuf.String())
			}
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("the report contains the secret %q", s)
				}
				if strings.Contains(logBuf.String(), s) {
					t.Errorf("the debug log contains the secret %q", s)
				}
			}
		})
	}
}
