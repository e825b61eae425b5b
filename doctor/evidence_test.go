package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/profile"
)

// The delivery checks read what the simulator dates by age, as of its fake
// clock, which doctor's clock shares: the window and the evidence meet on
// the same days on every run, and a slow listener costs no time.

// Digital River's published addresses, and one that is not.
const (
	drAddr    = "54.204.214.106"
	drAddr2   = "209.87.180.33"
	otherAddr = "198.51.100.20"
)

type evidenceWorld struct {
	*emulatortest.World
	queries reads
}

// reads records the REST reads and events pages sent, for the tests that
// count them or look into them.
type reads struct {
	mu   sync.Mutex
	seen []string
}

func (s *reads) add(q string) {
	s.mu.Lock()
	s.seen = append(s.seen, q)
	s.mu.Unlock()
}

// count is how many reads hold sub.
func (s *reads) count(sub string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, q := range s.seen {
		if strings.Contains(q, sub) {
			n++
		}
	}
	return n
}

// newEvidenceWorld starts sc on a fake clock, recording the reads sent.
func newEvidenceWorld(t testing.TB, sc emulator.Scenario) *evidenceWorld {
	t.Helper()
	ew := &evidenceWorld{}
	ew.World = emulatortest.New(t, sc, emulatortest.WithFakeClock(), emulatortest.WithTransport(func(rt http.RoundTripper) http.RoundTripper {
		return roundTrip(func(req *http.Request) (*http.Response, error) {
			if strings.HasPrefix(req.URL.Path, "/services/data/") || req.URL.Path == "/events" {
				ew.queries.add(req.URL.Path + "?" + req.URL.Query().Get("q"))
			}
			return rt.RoundTrip(req)
		})
	}))
	return ew
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// options are the run's Options: the profile (nil for none) and its secrets
// under the variables in env, on the world's clock.
func (ew *evidenceWorld) options(p *profile.Profile, sec *profile.Secrets, env map[string]string) Options {
	set := profile.Resolve(profile.Inputs{Getenv: func(k string) string { return env[k] }, Profile: p, Secrets: sec})
	return Options{
		Profile: "default", Saved: p, Settings: set,
		Salesforce: ew.Salesforce(), DigitalRiver: ew.DigitalRiver(), Now: ew.Clock.Now,
	}
}

var keyOnlyEnv = map[string]string{"DRSETUP_DR_API_KEY": liveKey}

// drLogins are n of Digital River's logins, an hour apart from age on,
// newest first, each with the status status(i).
func drLogins(n int, age time.Duration, status func(i int) string) []emulator.LoginEvent {
	var rows []emulator.LoginEvent
	addrs := []string{drAddr, drAddr2, "::ffff:217.65.128.9"}
	for i := range n {
		rows = append(rows, emulator.LoginEvent{Age: age + time.Duration(i)*time.Hour, Status: status(i), SourceIP: addrs[i%len(addrs)]})
	}
	return rows
}

func always(s string) func(int) string { return func(int) string { return s } }

// liveEvents are n live events of the app's types, an hour apart from age
// on, pending as pending(i) says.
func liveEvents(n int, age time.Duration, pending func(i int) emulator.EventPending) []emulator.Event {
	var out []emulator.Event
	for i := range n {
		out = append(out, emulator.Event{Type: drapi.AppEvents[i%len(drapi.AppEvents)], Age: age + time.Duration(i)*time.Hour,
			LiveMode: true, Pending: pending(i), Object: map[string]any{"email": fmt.Sprintf("buyer%d@customer.example", i)}})
	}
	return out
}

func delivered(int) emulator.EventPending { return emulator.EventPending{} }

func TestDREventsCountsThePendingAndSaysHowTheFieldIsRead(t *testing.T) {
	cases := []struct {
		name    string
		events  []emulator.Event
		window  time.Duration
		status  Status
		want    []string
		notWant []string
	}{
		{name: "delivered", events: liveEvents(12, time.Hour, delivered), status: Pass,
			want: []string{"12 events of the app's types in the last 7 days", "order.accepted 2", "the newest at 2026-03-01 09:00 UTC", "None is pending delivery", "documents pendingWebhooks loosely"}},
		{name: "pending as a number, a string and missing", status: Warn,
			events: liveEvents(9, time.Hour, func(i int) emulator.EventPending {
				return []emulator.EventPending{{Count: 2}, {Count: 1, Form: emulator.PendingString}, {Count: 5, Form: emulator.PendingMissing}}[i%3]
			}),
			want: []string{"9 events", "6 of them are still pending delivery", "the oldest since 2026-03-01 02:00 UTC", "documents pendingWebhooks loosely", "retries a delivery for up to 72 hours, then gives up"}},
		{name: "pending given as zero strings", status: Pass,
			events: liveEvents(4, time.Hour, func(int) emulator.EventPending { return emulator.EventPending{Form: emulator.PendingString} }),
			want:   []string{"None is pending"}},
		{name: "pending never given", status: Pass,
			events: liveEvents(4, time.Hour, func(int) emulator.EventPending { return emulator.EventPending{Form: emulator.PendingMissing} }),
			want:   []string{"do not say whether any is pending delivery"}},
		{name: "nothing to deliver", events: nil, status: Warn,
			want: []string{"no event of the app's types for this live key in the last 7 days", "nothing to deliver, which is not a failed delivery"}},
		// Older than a week: outside the default window, inside 30 days.
		{name: "last week's, 7 days", events: liveEvents(5, 8*24*time.Hour, delivered), status: Warn,
			want: []string{"no event of the app's types"}},
		{name: "last week's, 30 days", events: liveEvents(5, 8*24*time.Hour, delivered), window: MaxWindow, status: Pass,
			want: []string{"5 events of the app's types in the last 30 days"}},
		// Test events and other types are not the app's deliveries.
		{name: "other mode and types", status: Warn,
			events: []emulator.Event{{Type: "order.accepted", Age: time.Hour}, {Type: "order.fulfilled", Age: time.Hour, LiveMode: true}},
			want:   []string{"no event of the app's types"}},
		// More than a page of events is counted whole; data.object is never
		// read into a finding.
		{name: "many pages", events: liveEvents(250, time.Minute, delivered), window: MaxWindow, status: Pass,
			want: []string{"250 events"}, notWant: []string{"customer.example"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := healthyScenario()
			sc.DigitalRiver.Events = tc.events
			ew := newEvidenceWorld(t, sc)
			p, sec := healthyProfile()
			o := ew.options(p, sec, nil)
			o.Window = tc.window
			rep := diagnose(t, o)
			res := only(t, rep, CheckDREvents)
			if res.Status != tc.status {
				t.Fatalf("status %s, want %s: %s", res.Status, tc.status, res.Summary)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Summary, w) {
					t.Errorf("summary lacks %q: %s", w, res.Summary)
				}
			}
			for _, w := range tc.notWant {
				if b, _ := json.Marshal(rep); strings.Contains(string(b), w) {
					t.Errorf("the report holds %q", w)
				}
			}
			if res.Status == Warn && (res.Remedy == "" || res.Brief == "") {
				t.Errorf("a warning without remedy or brief: %+v", res)
			}
			// Neither nothing to deliver nor events owed to some webhook is a
			// fault of Digital River's hop on the path.
			if rep.Paths[0].Hops[0].Status != Pass {
				t.Errorf("Digital River's hop is %s", rep.Paths[0].Hops[0].Status)
			}
		})
	}
}

func TestDREventsWithoutAWorkingKeyIsSkipped(t *testing.T) {
	ew := newEvidenceWorld(t, healthyScenario())
	p, sec := healthyProfile()
	delete(*sec, "dr_api_key")
	rep := diagnose(t, ew.options(p, sec, nil))
	if res := only(t, rep, CheckDREvents); res.Status != Skip || !strings.Contains(res.Summary, "no Digital River API key") {
		t.Errorf("without a key: %s %s", res.Status, res.Summary)
	}
	rep = diagnose(t, ew.options(p, sec, map[string]string{"DRSETUP_DR_API_KEY": "sk_live_unknown00000000"}))
	if res := only(t, rep, CheckDREvents); res.Status != Skip || !strings.Contains(res.Summary, "see dr_api_key") {
		t.Errorf("with a refused key: %s %s", res.Status, res.Summary)
	}
}

// loginHistoryScenario is the healthy setup with the integration user's
// Login History set to rows.
func loginHistoryScenario(rows []emulator.LoginEvent) emulator.Scenario {
	sc := healthyScenario()
	sc.Orgs[0].Users[0].LoginHistory = rows
	return sc
}

func TestLoginHistorySaysWhyDigitalRiversLoginsFail(t *testing.T) {
	// Statuses as Salesforce writes them vary in case and in their
	// "Failed:" prefix; they are one kind all the same.
	tokenRequired := []string{"Failed: API security token required", "FAILED: api security token REQUIRED", "api security token required"}
	cases := []struct {
		name   string
		rows   []emulator.LoginEvent
		window time.Duration
		status Status
		want   []string
		remedy string
	}{
		{name: "all worked", rows: drLogins(20, time.Hour, always("Success")), status: Pass,
			want: []string{"20 logins as this user from Digital River's addresses in the last 7 days, all successful", "the newest at 2026-03-01 09:00 UTC"}},
		{name: "none from Digital River", rows: []emulator.LoginEvent{{Age: time.Hour, Status: "Invalid Password", SourceIP: otherAddr}}, status: Pass,
			want: []string{"no login as this user from Digital River's addresses", "From other addresses (this computer's among them): 2 logins (Success 1, Invalid Password 1)"}},
		{name: "the newest fail, in every spelling", status: Fail,
			rows: append(drLogins(6, time.Hour, func(i int) string { return tokenRequired[i%3] }), drLogins(4, 7*time.Hour, always("Success"))...),
			want: []string{"Digital River's logins as this user fail", `with "Failed: API security token required"`, "Failed: API security token required 6, Success 4",
				"Salesforce wanted the security token after the password"},
			remedy: "Append the user's security token"},
		{name: "some failed, the newest works", status: Warn,
			rows:   append(drLogins(3, time.Hour, always("Success")), drLogins(5, 30*time.Hour, always("Password Lockout"))...),
			want:   []string{"5 of Digital River's logins as this user failed", `with "Password Lockout"`, "its newest login, at 2026-03-01 09:00 UTC, worked", "Password Lockout 5, Success 3"},
			remedy: "if the failures come back: Unlock the user"},
		{name: "restricted IP", status: Fail, rows: drLogins(3, time.Hour, always("failed: restricted ip")),
			want: []string{"Login IP Ranges"}, remedy: "217.65.128.0–217.65.128.255"},
		{name: "the flow blocked", status: Fail, rows: drLogins(2, time.Hour, always("Username-Password Flow Disabled")),
			want: []string{"does not allow the OAuth username-password flow"}, remedy: "client credentials"},
		// Older than the window: not read, unless it is 30 days.
		{name: "ten days ago, 7 days", status: Pass, rows: drLogins(5, 10*24*time.Hour, always("Invalid Password")),
			want: []string{"no login as this user from Digital River's addresses"}},
		{name: "ten days ago, 30 days", window: MaxWindow, status: Fail, rows: drLogins(5, 10*24*time.Hour, always("Invalid Password")),
			want: []string{"5 logins in the last 30 days from its published addresses: Invalid Password 5"}, remedy: "Update the password stored in the webhook"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ew := newEvidenceWorld(t, loginHistoryScenario(tc.rows))
			p, sec := healthyProfile()
			o := ew.options(p, sec, nil)
			o.Window = tc.window
			rep := diagnose(t, o)
			res := only(t, rep, CheckSFLoginHistory)
			if res.Status != tc.status {
				t.Fatalf("status %s, want %s: %s", res.Status, tc.status, res.Summary)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Summary, w) {
					t.Errorf("summary lacks %q:\n%s", w, res.Summary)
				}
			}
			if !strings.Contains(res.Remedy, tc.remedy) {
				t.Errorf("remedy lacks %q: %q", tc.remedy, res.Remedy)
			}
			// The run's own login, from this computer, is among the others.
			if !strings.Contains(res.Summary, "From other addresses") {
				t.Errorf("the run's own login is not counted: %s", res.Summary)
			}
			// Digital River's failing logins are a fault at the token
			// endpoint, whatever the replay from here says.
			if tok := rep.Paths[0].Hops[1].Status; tc.status == Fail && tok != Fail {
				t.Errorf("the token hop is %s", tok)
			}
		})
	}
}

func TestFailedEventsNamesTheNewestAndNeverThePayload(t *testing.T) {
	const canary = "canary-7f3a9b@customer.example"
	long := "System.DmlException: Insert failed.\u001b[31m First exception on row 0; " + strings.Repeat("REQUIRED_FIELD_MISSING ", 20)
	sc := healthyScenario()
	for i := range 5 {
		sc.Orgs[0].FailedEvents = append(sc.Orgs[0].FailedEvents, emulator.FailedEvent{
			Age: time.Duration(i+1) * 5 * time.Hour, EventID: fmt.Sprintf("7c0e2a6e-0000-4000-8000-%012d", i),
			EventType: drapi.AppEvents[i%2], Reason: long, Payload: `{"data":{"object":{"email":"` + canary + `"}}}`,
		})
	}
	// One older than the window.
	sc.Orgs[0].FailedEvents = append(sc.Orgs[0].FailedEvents, emulator.FailedEvent{Age: 9 * 24 * time.Hour, EventID: "old", EventType: "order.complete", Reason: "old", Payload: canary})
	ew := newEvidenceWorld(t, sc)
	p, sec := healthyProfile()
	rep := diagnose(t, ew.options(p, sec, nil))
	res := only(t, rep, CheckSFFailedEvents)
	if res.Status != Warn {
		t.Fatalf("status %s: %s", res.Status, res.Summary)
	}
	for _, w := range []string{"The app stored 5 events as failed in the last 7 days; the newest 3:",
		"2026-03-01 05:00 UTC order.accepted 7c0e2a6e-0000-4000-8000-000000000000", "7c0e2a6e-0000-4000-8000-000000000002",
		"reason: System.DmlException: Insert failed. First exception", "counts them as delivered"} {
		if !strings.Contains(res.Summary, w) {
			t.Errorf("summary lacks %q:\n%s", w, res.Summary)
		}
	}
	if strings.Contains(res.Summary, "000000000003") || strings.Contains(res.Summary, "\x1b") {
		t.Errorf("more than three named, or control characters kept: %q", res.Summary)
	}
	// The reason is cut to 200 characters.
	if n := strings.Count(res.Summary, "REQUIRED_FIELD_MISSING"); n == 0 || n > 8 {
		t.Errorf("the reason is not cut to 200 characters (%d repeats)", n)
	}
	if !strings.Contains(res.Remedy, "digitalriverv3__DR_Failed_Event__c") {
		t.Errorf("remedy does not point to the records: %q", res.Remedy)
	}
	b, _ := json.Marshal(rep)
	if strings.Contains(string(b), canary) || strings.Contains(fmt.Sprintf("%+v", rep.Timeline), canary) {
		t.Error("the payload reached the report")
	}
	for _, q := range ew.queries.seen {
		if strings.Contains(strings.ToLower(q), "payload") {
			t.Errorf("a read asked for the payload: %s", q)
		}
	}
}

func TestFailedEventsAndPermissionSetOfAUserWithoutTheApp(t *testing.T) {
	for _, methodFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("method checked first %v", methodFirst), func(t *testing.T) {
			sc := healthyScenario()
			sc.Orgs[0].Users[0].ClassAccess = false
			sc.Orgs[0].MethodCheckedFirst = methodFirst
			sc.Orgs[0].FailedEvents = []emulator.FailedEvent{{Age: time.Hour, EventID: "e1", EventType: "order.accepted", Reason: "x"}}
			ew := newEvidenceWorld(t, sc)
			p, sec := healthyProfile()
			rep := diagnose(t, ew.options(p, sec, nil))
			fe := only(t, rep, CheckSFFailedEvents)
			if fe.Status != Skip || !strings.HasPrefix(fe.Summary, "Not checked: ") || !strings.Contains(fe.Summary, "DigitalRiver Connector - Integration") {
				t.Errorf("failed events: %s %s", fe.Status, fe.Summary)
			}
			// The assignments prove it, whatever the probe's status: with
			// the method checked first, the probe's 405 passes.
			ps := only(t, rep, CheckSFPermissionSet)
			if ps.Status != Fail || !strings.Contains(ps.Summary, "do not include") || !strings.Contains(ps.Remedy, "Assign the permission set") {
				t.Errorf("permission set: %s %s → %s", ps.Status, ps.Summary, ps.Remedy)
			}
			if apex := only(t, rep, CheckApexEndpoint); (apex.Status == Pass) != methodFirst {
				t.Errorf("apex endpoint %s with the method checked first %v", apex.Status, methodFirst)
			}
		})
	}
}

func TestPermissionSetProvenByWhatTheUserReads(t *testing.T) {
	cases := []struct {
		name   string
		change func(*emulator.Org)
		status Status
		want   string
	}{
		{name: "assignments readable", change: func(*emulator.Org) {}, status: Pass, want: "assignments include"},
		{name: "assignments hidden, records readable", change: func(o *emulator.Org) { o.HidePermissionSetAssignments = true }, status: Pass, want: "may read the app's failed-event records"},
		{name: "assignments hidden, records hidden", change: func(o *emulator.Org) { o.HidePermissionSetAssignments = true; o.Users[0].ClassAccess = false }, status: Fail, want: "as if the app's failed-event records did not exist"},
		{name: "API disabled", change: func(o *emulator.Org) { o.APIDisabled = true }, status: Skip, want: "cannot tell"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := healthyScenario()
			tc.change(&sc.Orgs[0])
			ew := newEvidenceWorld(t, sc)
			p, sec := healthyProfile()
			res := only(t, diagnose(t, ew.options(p, sec, nil)), CheckSFPermissionSet)
			if res.Status != tc.status || !strings.Contains(res.Summary, tc.want) {
				t.Errorf("%s %s, want %s with %q", res.Status, res.Summary, tc.status, tc.want)
			}
		})
	}
}

// An org whose edition has no API answers every read with
// API_DISABLED_FOR_ORG: each delivery check that reads Salesforce says so,
// and what would answer it, and none fails for it.
func TestAnAPIDisabledOrgSkipsTheReadsAndSaysWhy(t *testing.T) {
	sc := healthyScenario()
	sc.Orgs[0].APIDisabled = true
	ew := newEvidenceWorld(t, sc)
	p, sec := healthyProfile()
	rep := diagnose(t, ew.options(p, sec, nil))
	for id, said := range map[ID]string{CheckSFLoginHistory: "API_DISABLED_FOR_ORG", CheckSFFailedEvents: "API_DISABLED_FOR_ORG", CheckSFPermissionSet: "cannot tell"} {
		res := only(t, rep, id)
		if res.Status != Skip || !strings.Contains(res.Summary, said) || !strings.Contains(res.Summary, "enable API access") {
			t.Errorf("%s: %s %s", id, res.Status, res.Summary)
		}
	}
	if rep.Timeline == nil || rep.Timeline.Logins || rep.Timeline.FailedEvents {
		t.Errorf("the timeline counts what could not be read: %+v", rep.Timeline)
	}
}

func TestListenerLatencyAgainstDigitalRiversLimit(t *testing.T) {
	cases := []struct {
		latency time.Duration
		status  Status
		want    string
	}{
		{0, Pass, "The endpoint answered 2 GETs in 0 ms and 0 ms. Digital River waits 3,000 ms"},
		{1400 * time.Millisecond, Pass, "1,400 ms and 1,400 ms"},
		{1600 * time.Millisecond, Warn, "1,600 ms and 1,600 ms. A delivery also runs the app's code"},
		{3500 * time.Millisecond, Fail, "3,500 ms and 3,500 ms. Digital River waits 3,000 ms for a delivery and counts a slower answer as failed"},
	}
	for _, tc := range cases {
		t.Run(tc.latency.String(), func(t *testing.T) {
			sc := healthyScenario()
			sc.Orgs[0].ListenerLatency = tc.latency
			ew := newEvidenceWorld(t, sc)
			rep := diagnose(t, ew.options(nil, nil, keyOnlyEnv))
			res := only(t, rep, CheckListenerLatency)
			if res.Status != tc.status || !strings.Contains(res.Summary, tc.want) {
				t.Errorf("%s %q, want %s with %q", res.Status, res.Summary, tc.status, tc.want)
			}
			if res.WebhookID != hookID {
				t.Errorf("webhook %q, want %q", res.WebhookID, hookID)
			}
			if tc.status != Pass && (res.Remedy == "" || !strings.Contains(res.Brief, "the 3,000 ms Digital River allows a delivery")) {
				t.Errorf("no remedy or brief: %+v", res)
			}
		})
	}
}

func TestListenerLatencySamplesUntilTheMedianIsKnown(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, x := range n {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	cases := []struct {
		name   string
		first  time.Duration
		more   []time.Duration
		taken  []time.Duration
		status Status
		median time.Duration
	}{
		{"two fast", 100 * time.Millisecond, ms(120, 5000), ms(100, 120), Pass, 110 * time.Millisecond},
		{"two slow", 4 * time.Second, ms(3100, 1), ms(4000, 3100), Fail, 3550 * time.Millisecond},
		{"a slow first connection", 3200 * time.Millisecond, ms(200, 180), ms(3200, 200, 180), Pass, 200 * time.Millisecond},
		{"one in each band", 100 * time.Millisecond, ms(2000, 3100), ms(100, 2000, 3100), Warn, 2000 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			i := 0
			samples, _, err := measure(t.Context(), tc.first, func(context.Context) (time.Duration, bool, error) {
				d := tc.more[i]
				i++
				return d, false, nil
			})
			if err != nil || !slices.Equal(samples, tc.taken) {
				t.Fatalf("samples %v (%v), want %v", samples, err, tc.taken)
			}
			if got := median(samples); got != tc.median || latencyBand(got) != tc.status {
				t.Errorf("median %v (%s), want %v (%s)", got, latencyBand(got), tc.median, tc.status)
			}
		})
	}
}

// twoOrgs is a key with the healthy webhook and one on a second org, whose
// integration user has Login History of its own; stale stores a wrong
// password in the second.
func twoOrgs(stale bool) emulator.Scenario {
	sc := healthyScenario()
	o := acmeOrg()
	o.MyDomain = "globex.my.salesforce.com"
	o.Users[0].Username = "integration@globex.example"
	o.Users[0].LoginHistory = drLogins(4, 2*time.Hour, always("Failed: API security token required"))
	o.FailedEvents = []emulator.FailedEvent{{Age: 3 * time.Hour, EventID: "e-globex", EventType: "order.complete", Reason: "boom"}}
	sc.Orgs = append(sc.Orgs, o)
	h := acmeHook()
	h.ID = otherHookID
	h.Address = "https://globex.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
	h.OAuth.UserName = o.Users[0].Username
	if stale {
		h.OAuth.Password = "Stale&pw" + secToken
	}
	sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
	return sc
}

func TestKeyOnlyReadsEachWebhooksOrgWithItsReplayedToken(t *testing.T) {
	ew := newEvidenceWorld(t, twoOrgs(false))
	rep := diagnose(t, ew.options(nil, nil, keyOnlyEnv))
	for _, id := range sessionChecks {
		rs := results(rep, id)
		if len(rs) != 2 || rs[0].WebhookID != hookID || rs[1].WebhookID != otherHookID {
			t.Fatalf("%s: %d results, want one per webhook:\n%s", id, len(rs), dump(rep))
		}
	}
	byHook := map[string]Result{}
	for _, r := range results(rep, CheckSFLoginHistory) {
		byHook[r.WebhookID] = r
	}
	if byHook[hookID].Status != Pass || byHook[otherHookID].Status != Fail || !strings.Contains(byHook[otherHookID].Summary, "API security token required") {
		t.Errorf("each webhook's org is read with its own token:\n%s", dump(rep))
	}
	// A webhook's delivery checks mark its own path only.
	for _, p := range rep.Paths {
		if failed := p.Hops[1].Status == Fail; failed != (p.WebhookID == otherHookID) {
			t.Errorf("path of %s: token hop %s", p.WebhookID, p.Hops[1].Status)
		}
	}
	// One timeline, the orgs named on what is theirs.
	tl := rep.Timeline
	if tl == nil || !tl.ByOrg || !tl.Logins || !tl.FailedEvents {
		t.Fatalf("timeline %+v", tl)
	}
	var orgs []string
	for _, d := range tl.Days {
		for _, e := range d.Entries {
			orgs = append(orgs, e.Orgs...)
		}
	}
	if !slices.Contains(orgs, "globex") || slices.Contains(orgs, "acme") {
		t.Errorf("the timeline's orgs %v: globex's failures, nothing of acme's", orgs)
	}
}

func TestKeyOnlyWithoutAWorkingLoginSaysWhatWouldAnswer(t *testing.T) {
	ew := newEvidenceWorld(t, twoOrgs(true))
	rep := diagnose(t, ew.options(nil, nil, keyOnlyEnv))
	for _, id := range sessionChecks {
		for _, r := range results(rep, id) {
			if r.WebhookID != otherHookID {
				continue
			}
			if r.Status != Skip || !strings.Contains(r.Summary, "see dr_login_replay") || !strings.Contains(r.Summary, "DRSETUP_PASSWORD") {
				t.Errorf("%s: %s %s", id, r.Status, r.Summary)
			}
		}
	}
	if tl := rep.Timeline; tl == nil || !slices.Equal(tl.Unread, []string{"globex"}) || tl.ByOrg != true {
		t.Errorf("timeline %+v, want globex unread", tl)
	}
	// The delivery checks never log in: the stale login was tried once.
	if n := ew.Server.LoginAttempts("integration@globex.example"); n != 1 {
		t.Errorf("%d login attempts, want 1", n)
	}
}

// Webhooks that log in as one user read that user's org once, however many
// they are: a duplicate pair costs one Login History read.
func TestWebhooksSharingAUserReadItsOrgOnce(t *testing.T) {
	sc := healthyScenario()
	for i := range 3 {
		h := acmeHook()
		h.ID = fmt.Sprintf("0b7c3a52-4444-4000-8000-%012d", i)
		sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
	}
	sc.Orgs[0].Users[0].LoginHistory = drLogins(3, time.Hour, always("Restricted IP"))
	ew := newEvidenceWorld(t, sc)
	rep := diagnose(t, ew.options(nil, nil, keyOnlyEnv))
	if n := ew.queries.count("FROM LoginHistory"); n != 1 {
		t.Errorf("Login History read %d times, want once", n)
	}
	if n := ew.queries.count("PermissionSetAssignment"); n != 1 {
		t.Errorf("assignments read %d times, want once", n)
	}
	rs := results(rep, CheckSFLoginHistory)
	if len(rs) != 4 {
		t.Fatalf("%d results, want 4", len(rs))
	}
	for _, r := range rs {
		if r.Status != Fail || r.Summary != rs[0].Summary {
			t.Errorf("%s: %s %s", r.WebhookID, r.Status, r.Summary)
		}
	}
}

// What the org's records quote passes through the run's redaction: a
// secret the run knows is not shown, nor the session's token, nor a
// control character, in a finding or on the timeline.
func TestWhatTheOrgQuotesIsRedactedAndCleaned(t *testing.T) {
	sc := healthyScenario()
	sc.Orgs[0].FailedEvents = []emulator.FailedEvent{{Age: time.Hour, EventID: "e1", EventType: "order.accepted",
		Reason: "Callout failed with password " + password + secToken + " and secret " + clientSecret + "\u001b]0;x\u0007 and \u202e done"}}
	sc.Orgs[0].Users[0].LoginHistory = []emulator.LoginEvent{{Age: time.Hour, Status: "Failed: " + clientSecret + "\u001b[2J", SourceIP: drAddr}}
	ew := newEvidenceWorld(t, sc)
	rep := diagnose(t, ew.options(nil, nil, keyOnlyEnv))
	b, _ := json.Marshal(rep)
	all := string(b) + fmt.Sprintf("%+v", rep.Timeline)
	for _, s := range []string{password, clientSecret, "\x1b", "\u202e", "\\u001b"} {
		if strings.Contains(all, s) {
			t.Errorf("the report holds %q", s)
		}
	}
	if !strings.Contains(all, "[redacted]") {
		t.Error("nothing was redacted: the reads did not reach the report")
	}
}
