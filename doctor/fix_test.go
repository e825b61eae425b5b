package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
)

// applyFixes makes plan's fixes through steps' writes, as doctor --fix does.
func applyFixes(t testing.TB, o Options, plan *FixPlan) []FixOutcome {
	t.Helper()
	c, err := o.DigitalRiver(o.Settings.Get(field.DRAPIKey))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return ApplyFixes(ctx, plan, &steps.Services{DR: o.DigitalRiver}, c, "default", nil)
}

// fixed runs doctor, plans and applies the fixes, and runs doctor again,
// as doctor --fix --yes does.
func fixed(t testing.TB, o Options) (plan *FixPlan, outcomes []FixOutcome, after *Report) {
	t.Helper()
	o.Logins = &Logins{}
	plan = diagnose(t, o).FixPlan()
	outcomes = applyFixes(t, o, plan)
	for _, out := range outcomes {
		if out.Err != nil {
			t.Errorf("fix %s failed: %v", out.Fix.Line(), out.Err)
		}
	}
	return plan, outcomes, diagnose(t, o)
}

// countDR counts the Digital River requests of method.
func countDR(srv *emulator.Server, method string) int {
	n := 0
	for _, x := range srv.Received() {
		if x.Host == "api.digitalriver.com" && x.Method == method {
			n++
		}
	}
	return n
}

// byOrg counts the app's webhooks of each org host.
func byOrg(hooks []emulator.Webhook) map[string]int {
	out := map[string]int{}
	for _, h := range hooks {
		if a := sfcheck.AnalyzeEndpoint(h.Address); a.IsApexWebhook && a.MyDomain != nil {
			out[a.MyDomain.Host]++
		}
	}
	return out
}

func failing(rep *Report, ids ...ID) []string {
	var out []string
	for _, c := range rep.Checks {
		if c.Status == Fail && slices.Contains(ids, c.ID) {
			out = append(out, string(c.ID)+" "+c.WebhookID+": "+c.Summary)
		}
	}
	return out
}

func keyOnly(w *world, key string) Options {
	return w.options(nil, nil, map[string]string{"DRSETUP_DR_API_KEY": key})
}

// The demo's walk-through: with a key alone, drsetup fixes the Lightning
// address, the missing event types and the duplicate, and leaves the stale
// stored password and the blocked flow, saying why.
func TestFixOfTheDemoAccount(t *testing.T) {
	w := start(t, emulator.DoctorDemoScenario(), nil)
	o := keyOnly(w, emulator.Demo.DRKey)
	plan, outcomes, after := fixed(t, o)

	var kinds []string
	for _, f := range plan.Fixes {
		kinds = append(kinds, string(f.Kind))
	}
	if !slices.Equal(kinds, []string{"update", "update", "delete"}) {
		t.Fatalf("fixes %v:\n%s", kinds, planText(plan))
	}
	for _, want := range []string{"address https://initech.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/ instead of https://initech.lightning.force.com/", "a Lightning host",
		"event types order.cancelled, order.review_opened, order.credit_memo.created and order.invoice.created added", "a second webhook for wayne--uat.sandbox.my.salesforce.com", "stays (the oldest"} {
		if !strings.Contains(planText(plan), want) {
			t.Errorf("the plan does not say %q:\n%s", want, planText(plan))
		}
	}
	if !slices.ContainsFunc(plan.Left, func(l Left) bool {
		return l.Check == CheckDRLoginReplay && len(l.WebhookIDs) == 2 && strings.Contains(l.Why, "with a key alone")
	}) {
		t.Errorf("the stale and blocked logins are not left with the reason:\n%s", planText(plan))
	}
	for _, out := range outcomes {
		if !out.Done() {
			t.Errorf("%s: not done (%+v)", out.Fix.Line(), out)
		}
	}
	if bad := failing(after, CheckWebhookAddress, CheckWebhookEvents, CheckWebhookDuplicates); len(bad) > 0 {
		t.Errorf("the second run still finds:\n%s", strings.Join(bad, "\n"))
	}
	for org, n := range byOrg(w.srv.Webhooks("test")) {
		if n != 1 {
			t.Errorf("%s has %d webhooks after the fixes", org, n)
		}
	}
	if n := countDR(w.srv, http.MethodPost); n != 0 {
		t.Errorf("%d creates: --fix never creates a webhook", n)
	}
	if n := countDR(w.srv, http.MethodPatch) + countDR(w.srv, http.MethodDelete); n != 3 {
		t.Errorf("%d writes for 3 fixes", n)
	}
	// The stale and blocked logins were not tried again by the second run.
	for _, u := range []string{"integration@umbrella.example", emulator.Demo.BlockedUsername} {
		if n := w.srv.LoginAttempts(u); n != 1 {
			t.Errorf("%s: %d logins over both runs, want 1", u, n)
		}
	}
}

func planText(p *FixPlan) string {
	var b strings.Builder
	for _, f := range p.Fixes {
		b.WriteString(f.Line() + "\n")
	}
	for _, l := range p.Left {
		fmt.Fprintf(&b, "left %s %s %v: %s (%s)\n", l.Status, l.Check, l.WebhookIDs, l.What, l.Why)
	}
	return b.String()
}

// withUserPassword changes the integration user's password in Salesforce.
func withUserPassword(pw string) func(*emulator.Scenario) {
	return func(sc *emulator.Scenario) { sc.Orgs[0].Users[0].Password = pw }
}

func TestFixStoresOnlyALoginThatWorked(t *testing.T) {
	for _, c := range []struct {
		name      string
		scenario  func(*emulator.Scenario)
		profilePW string
		// storedAfter is the stored password after the fixes.
		storedAfter string
		leftWhy     string // a Left's reason, when nothing is stored
	}{
		{name: "the stored password is stale and the profile's works",
			scenario:    func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks[0].OAuth.Password = "Old&Pass+0" + secToken },
			profilePW:   password,
			storedAfter: password + secToken},
		{name: "both are stale",
			scenario: func(sc *emulator.Scenario) {
				withUserPassword("New&Pass+2")(sc)
			},
			profilePW:   "Older&Pass+1",
			storedAfter: password + secToken, leftWhy: "did not work either"},
		{name: "the profile's is stale and the stored one works",
			scenario:    func(sc *emulator.Scenario) {},
			profilePW:   "Older&Pass+1",
			storedAfter: password + secToken, leftWhy: "the stale side is the profile"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := healthyScenario()
			c.scenario(&sc)
			w := start(t, sc, nil)
			p, sec := healthyProfile()
			sec.Set(field.Password, secret.Value(c.profilePW))
			o := w.options(p, sec, nil)
			plan, _, after := fixed(t, o)
			stored := w.srv.Webhooks("live")[0].OAuth.Password
			if stored != c.storedAfter {
				t.Errorf("stored password %q after the fixes, want %q\n%s", stored, c.storedAfter, planText(plan))
			}
			if c.leftWhy == "" {
				if res := only(t, after, CheckWebhookOAuth); res.Status != Pass {
					t.Errorf("the second run: %s %s", res.Status, res.Summary)
				}
				return
			}
			if n := countDR(w.srv, http.MethodPatch); n != 0 {
				t.Errorf("%d updates of a webhook whose login drsetup could not store", n)
			}
			if !slices.ContainsFunc(plan.Left, func(l Left) bool { return strings.Contains(l.Why, c.leftWhy) }) {
				t.Errorf("no Left says %q:\n%s", c.leftWhy, planText(plan))
			}
		})
	}
}

func TestFixEnablesOnlyAWebhookThatCanDeliver(t *testing.T) {
	for _, stale := range []bool{false, true} {
		t.Run(fmt.Sprintf("stale stored login %v", stale), func(t *testing.T) {
			sc := healthyScenario()
			sc.DigitalRiver.Webhooks[0].Enabled = false
			if stale {
				sc.DigitalRiver.Webhooks[0].OAuth.Password = "Old&Pass+0"
			}
			w := start(t, sc, nil)
			plan, _, _ := fixed(t, keyOnly(w, liveKey))
			enabled := w.srv.Webhooks("live")[0].Enabled
			if enabled == stale {
				t.Fatalf("enabled %v with a stale login %v:\n%s", enabled, stale, planText(plan))
			}
			if stale && !slices.ContainsFunc(plan.Left, func(l Left) bool {
				return l.Check == CheckWebhookEnabled && strings.Contains(l.Why, "locking the user out")
			}) {
				t.Errorf("the plan does not say why it stays disabled:\n%s", planText(plan))
			}
		})
	}
}

// hookAt is acmeHook with another id, made at minute m of the scenario.
func hookAt(id string, m int) emulator.Webhook {
	h := acmeHook()
	h.ID = id
	h.CreatedTime = time.Date(2025, 1, 1, 0, m, 0, 0, time.UTC)
	return h
}

func TestFixKeepsTheWebhookTheProfileNames(t *testing.T) {
	sc := healthyScenario()
	const a, b = "0b7c3a52-3333-4000-8000-000000000003", "0b7c3a52-4444-4000-8000-000000000004"
	newest := hookAt(hookID, 30)
	sc.DigitalRiver.Webhooks = []emulator.Webhook{hookAt(a, 1), newest, hookAt(b, 2)}
	w := start(t, sc, nil)
	p, sec := healthyProfile()
	plan, _, after := fixed(t, w.options(p, sec, nil))
	hooks := w.srv.Webhooks("live")
	if len(hooks) != 1 || hooks[0].ID != hookID {
		t.Fatalf("left %v, want only the profile's %s:\n%s", hooks, hookID, planText(plan))
	}
	if !strings.Contains(planText(plan), `stays (the one profile "default" names)`) {
		t.Errorf("the plan does not say why it stays:\n%s", planText(plan))
	}
	if res := only(t, after, CheckWebhookDuplicates); res.Status != Pass {
		t.Errorf("duplicates after the fix: %s", res.Summary)
	}
}

func TestFixLeavesDuplicatesWhenTheProfilesWebhookCannotBeMadeToWork(t *testing.T) {
	sc := healthyScenario()
	const other = "0b7c3a52-3333-4000-8000-000000000003"
	mine := hookAt(hookID, 30)
	mine.OAuth.Password = "Old&Pass+0" + secToken
	sc.DigitalRiver.Webhooks = []emulator.Webhook{hookAt(other, 1), mine}
	w := start(t, sc, nil)
	p, sec := healthyProfile()
	sec.Set(field.Password, secret.Value("Older&Pass+1")) // the profile's login fails too
	plan, _, _ := fixed(t, w.options(p, sec, nil))
	if n := len(w.srv.Webhooks("live")); n != 2 {
		t.Fatalf("%d webhooks left, want both:\n%s", n, planText(plan))
	}
	if !slices.ContainsFunc(plan.Left, func(l Left) bool {
		return l.Check == CheckWebhookDuplicates && strings.Contains(l.Why, "could stop deliveries")
	}) {
		t.Errorf("the plan does not say why the duplicates stay:\n%s", planText(plan))
	}
}

func TestFixGivesAnHTTPWebhookTheVerifiedLogin(t *testing.T) {
	sc := healthyScenario()
	h := &sc.DigitalRiver.Webhooks[0]
	h.TransportType, h.OAuth = "HTTP", nil
	h.Types = h.Types[:5]
	w := start(t, sc, nil)
	p, sec := healthyProfile()
	plan, _, after := fixed(t, w.options(p, sec, nil))
	got := w.srv.Webhooks("live")[0]
	if got.TransportType != "OAUTH" || got.OAuth == nil || got.OAuth.Password != password+secToken || len(got.Types) != 8 {
		t.Fatalf("after the fix: %+v\n%s", got, planText(plan))
	}
	if bad := failing(after, webhookChecks...); len(bad) > 0 {
		t.Errorf("the second run still finds:\n%s", strings.Join(bad, "\n"))
	}
	// With a key alone there is no login to store: the webhook is not
	// touched at all.
	sc = healthyScenario()
	h = &sc.DigitalRiver.Webhooks[0]
	h.TransportType, h.OAuth = "HTTP", nil
	h.Types = h.Types[:5]
	w = start(t, sc, nil)
	plan, _, _ = fixed(t, keyOnly(w, liveKey))
	if len(plan.Fixes) != 0 || countDR(w.srv, http.MethodPatch) != 0 {
		t.Errorf("fixes for a webhook without a login, with a key alone:\n%s", planText(plan))
	}
}

func TestFixMovesAPasswordWebhookToClientCredentialsWhenAsked(t *testing.T) {
	sc := healthyScenario()
	sc.Orgs[0].Apps[0].ClientCredentials = true
	sc.Orgs[0].Apps[0].RunAsUser = username
	w := start(t, sc, nil)
	p, sec := healthyProfile()
	o := w.options(p, sec, nil)
	o.Settings = profile.Resolve(profile.Inputs{
		Flags:   map[field.Field]string{field.Auth: "client-credentials"},
		Getenv:  func(string) string { return "" },
		Profile: p, Secrets: sec,
	})
	plan, _, after := fixed(t, o)
	got := w.srv.Webhooks("live")[0].OAuth
	if got.GrantType != "client_credentials" || got.TokenEndPoint != "https://"+acmeHost+"/services/oauth2/token" {
		t.Fatalf("stored login %+v\n%s", got, planText(plan))
	}
	if !strings.Contains(planText(plan), "client credentials were asked for") {
		t.Errorf("the plan does not say why:\n%s", planText(plan))
	}
	if res := only(t, after, CheckWebhookTransport); res.Status != Pass {
		t.Errorf("transport after the move: %s %s", res.Status, res.Summary)
	}
	// Not asked: the profile's own grant does not move a webhook whose
	// login works.
	w = start(t, sc, nil)
	plan, _, _ = fixed(t, w.options(p, sec, nil))
	if len(plan.Fixes) != 0 {
		t.Errorf("fixes without --auth:\n%s", planText(plan))
	}
}

func TestAFixOfAWebhookDeletedMeanwhileCreatesNothing(t *testing.T) {
	sc := healthyScenario()
	sc.DigitalRiver.Webhooks[0].Types = sc.DigitalRiver.Webhooks[0].Types[:3]
	w := start(t, sc, nil)
	o := keyOnly(w, liveKey)
	plan := diagnose(t, o).FixPlan()
	if len(plan.Fixes) != 1 {
		t.Fatalf("plan:\n%s", planText(plan))
	}
	c, _ := o.DigitalRiver(liveKey)
	if err := c.Webhooks.Delete(context.Background(), hookID); err != nil {
		t.Fatal(err)
	}
	outs := applyFixes(t, o, plan)
	if len(outs) != 1 || !outs[0].Gone || outs[0].Done() {
		t.Fatalf("outcomes %+v", outs)
	}
	if n := countDR(w.srv, http.MethodPost); n != 0 || len(w.srv.Webhooks("live")) != 0 {
		t.Errorf("%d creates after a fix met a deleted webhook", n)
	}
}

// randomAccount is a Digital River account over several orgs, each with
// one to several webhooks broken at random (a Lightning address, missing
// event types, disabled, a stale stored password, an event type the app
// does not handle), beside webhooks of other integrations. Every webhook's
// secrets are its own.
func randomAccount(rng *rand.Rand, orgs, maxPerOrg int) emulator.Scenario {
	sc := emulator.Scenario{DigitalRiver: emulator.Account{Keys: []emulator.Key{{Key: liveKey, CanWebhooks: true}}}}
	n := 0
	id := func() string { n++; return fmt.Sprintf("0b7c3a52-%04x-4000-8000-%012d", rng.IntN(1<<16), n) }
	for i := range orgs {
		o := acmeOrg()
		o.MyDomain = fmt.Sprintf("org%d.my.salesforce.com", i)
		o.Users[0].Username = fmt.Sprintf("integration@org%d.example", i)
		sc.Orgs = append(sc.Orgs, o)
		for range 1 + rng.IntN(maxPerOrg) {
			h := acmeHook()
			h.ID = id()
			h.Address = "https://" + o.MyDomain + "/services/apexrest/digitalriverv3/webhooks/"
			h.OAuth.UserName = o.Users[0].Username
			h.CreatedTime = time.Date(2025, 1, 1, 0, 0, rng.IntN(3600), 0, time.UTC)
			if rng.IntN(4) == 0 {
				h.Address = fmt.Sprintf("https://org%d.lightning.force.com/services/apexrest/digitalriverv3/webhooks/", i)
			}
			if rng.IntN(3) == 0 {
				h.Types = slices.Clone(h.Types[:1+rng.IntN(6)])
			}
			if rng.IntN(4) == 0 {
				h.Enabled = false
			}
			if rng.IntN(5) == 0 {
				h.OAuth.Password = fmt.Sprintf("Stale%d&pw", n) + secToken
			}
			if rng.IntN(8) == 0 {
				h.Types = append(h.Types, "order.refunded")
			}
			sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
		}
	}
	for range 1 + rng.IntN(4) {
		sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, emulator.Webhook{ID: id(), Address: fmt.Sprintf("https://erp%d.example/hooks", n),
			Types: []string{"order.complete"}, Enabled: true, LiveMode: true, TransportType: "HTTP"})
	}
	rng.Shuffle(len(sc.DigitalRiver.Webhooks), func(i, j int) {
		sc.DigitalRiver.Webhooks[i], sc.DigitalRiver.Webhooks[j] = sc.DigitalRiver.Webhooks[j], sc.DigitalRiver.Webhooks[i]
	})
	return sc
}

// For random accounts, --fix leaves exactly one webhook per org in its
// reach (every org with a key alone, the profile's org with a profile),
// never deletes the one the profile names nor touches another
// integration's, never creates one, and the second run finds no address,
// event type or duplicate to fix there.
func TestFixLeavesOneWebhookPerOrgForRandomAccounts(t *testing.T) {
	iterations := 24
	if testing.Short() {
		iterations = 6
	}
	for seed := range iterations {
		profileMode := seed%2 == 1
		t.Run(fmt.Sprintf("seed %d profile %v", seed, profileMode), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seed), 16))
			sc := randomAccount(rng, 2+rng.IntN(3), 6)
			checkFixProperties(t, sc, profileMode, rng)
		})
	}
}

func checkFixProperties(t *testing.T, sc emulator.Scenario, profileMode bool, rng *rand.Rand) {
	t.Helper()
	before := slices.Clone(sc.DigitalRiver.Webhooks)
	w := start(t, sc, nil)
	o := keyOnly(w, liveKey)
	scope := func(host string) bool { return true }
	wantID := ""
	if profileMode {
		host := sc.Orgs[0].MyDomain
		var mine []string
		for _, h := range before {
			if a := sfcheck.AnalyzeEndpoint(h.Address); a.MyDomain != nil && a.MyDomain.Host == host {
				mine = append(mine, h.ID)
			}
		}
		wantID = mine[rng.IntN(len(mine))]
		p, sec := healthyProfile()
		p.Set(field.MyDomain, "https://"+host)
		p.Set(field.Username, sc.Orgs[0].Users[0].Username)
		p.WebhookID = wantID
		o = w.options(p, sec, nil)
		scope = func(h string) bool { return h == host }
	}
	plan, _, after := fixed(t, o)

	hooks := w.srv.Webhooks("live")
	for org, n := range byOrg(hooks) {
		if scope(org) && n != 1 {
			t.Errorf("%s has %d webhooks after the fixes\n%s", org, n, planText(plan))
		}
	}
	for org := range byOrg(before) {
		if _, ok := byOrg(hooks)[org]; !ok {
			t.Errorf("%s has no webhook left", org)
		}
	}
	if wantID != "" && !slices.ContainsFunc(hooks, func(h emulator.Webhook) bool { return h.ID == wantID }) {
		t.Errorf("the profile's webhook %s was deleted\n%s", wantID, planText(plan))
	}
	for _, h := range before {
		if a := sfcheck.AnalyzeEndpoint(h.Address); a.IsApexWebhook {
			continue
		}
		i := slices.IndexFunc(hooks, func(x emulator.Webhook) bool { return x.ID == h.ID })
		if i < 0 || hooks[i].Address != h.Address || !hooks[i].UpdatedTime.Equal(h.UpdatedTime) && !h.UpdatedTime.IsZero() {
			t.Errorf("another integration's webhook %s was touched", h.ID)
		}
	}
	if n := countDR(w.srv, http.MethodPost); n != 0 {
		t.Errorf("%d creates", n)
	}
	for _, c := range after.Checks {
		if c.Status != Fail || !slices.Contains([]ID{CheckWebhookAddress, CheckWebhookEvents, CheckWebhookDuplicates}, c.ID) {
			continue
		}
		h := slices.IndexFunc(hooks, func(x emulator.Webhook) bool { return x.ID == c.WebhookID })
		if h >= 0 && scope(sfcheck.AnalyzeEndpoint(hooks[h].Address).MyDomain.Host) {
			t.Errorf("the second run finds %s on %s: %s\n%s", c.ID, c.WebhookID, c.Summary, planText(plan))
		}
	}
}

// Dozens of webhooks over several orgs, a list page well over 16 KiB: the
// same properties hold, and each webhook is listed once per run, not once
// per fix.
func TestFixAtRealisticSize(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	sc := randomAccount(rng, 6, 12)
	for len(sc.DigitalRiver.Webhooks) < 48 {
		sc = randomAccount(rng, 6, 12)
	}
	var sizes pageSizes
	w := start(t, sc, func(rt http.RoundTripper) http.RoundTripper { sizes.next = rt; return &sizes })
	plan, _, _ := fixed(t, keyOnly(w, liveKey))
	if sizes.largest() <= 16<<10 {
		t.Fatalf("the largest list page is %d bytes; the test wants more than 16 KiB", sizes.largest())
	}
	for org, n := range byOrg(w.srv.Webhooks("live")) {
		if n != 1 {
			t.Errorf("%s has %d webhooks", org, n)
		}
	}
	// Two runs list the webhooks; the fixes read each webhook by id.
	if lists := sizes.lists(); lists > 4 {
		t.Errorf("%d list walks for %d fixes: the fixes must not list the account each", lists, len(plan.Fixes))
	}
}

// pageSizes notes the size of every webhooks list page.
type pageSizes struct {
	next http.RoundTripper
	mu   sync.Mutex
	max  int
	n    int
}

func (p *pageSizes) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := p.next.RoundTrip(r)
	if err != nil || r.URL.Path != "/webhooks" || r.Method != http.MethodGet {
		return resp, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(strings.NewReader(string(b)))
	p.mu.Lock()
	p.max = max(p.max, len(b))
	if r.URL.Query().Get("startingAfter") == "" {
		p.n++
	}
	p.mu.Unlock()
	return resp, err
}

func (p *pageSizes) largest() int { p.mu.Lock(); defer p.mu.Unlock(); return p.max }
func (p *pageSizes) lists() int   { p.mu.Lock(); defer p.mu.Unlock(); return p.n }

// A webhook the plan keeps may be deleted by someone else between the plan
// and the fixes: its org's duplicates then stay, so the org is never left
// without a webhook, and the outcome says why.
func TestAFixNeverLeavesAnOrgWithoutAWebhook(t *testing.T) {
	w := start(t, emulator.DoctorDemoScenario(), nil)
	o := keyOnly(w, emulator.Demo.DRKey)
	o.Logins = &Logins{}
	plan := diagnose(t, o).FixPlan()
	const keeper = "6feea5f1-668c-4560-8056-46bcf0c68195"
	var deletes int
	for _, fx := range plan.Fixes {
		if fx.Kind == FixDelete && fx.keep == keeper {
			deletes++
		}
	}
	if deletes == 0 {
		t.Fatalf("the demo's plan deletes no duplicate of %s:\n%v", keeper, plan.Fixes)
	}
	c, _ := o.DigitalRiver(o.Settings.Get(field.DRAPIKey))
	if err := c.Webhooks.Remove(context.Background(), keeper); err != nil {
		t.Fatal(err)
	}
	for _, out := range applyFixes(t, o, plan) {
		if out.Fix.Kind == FixDelete && out.Fix.keep == keeper && (out.Done() || !errors.Is(out.Err, errKeeperGone)) {
			t.Errorf("%s: done %v, err %v; want it left, saying the keeper is gone", out.Fix.Line(), out.Done(), out.Err)
		}
	}
	if n := byOrg(w.srv.Webhooks("test"))["wayne--uat.sandbox.my.salesforce.com"]; n == 0 {
		t.Errorf("the org was left without a webhook")
	}
}

// The profile's webhook with a mistyped path is not the app's endpoint, so
// the checks do not count it with the org's other webhook; corrected, it
// would be a second one there. The fix groups it by the org its corrected
// address names: one webhook remains.
func TestACorrectedAddressNeverMakesASecondWebhookForTheOrg(t *testing.T) {
	sc := healthyScenario()
	mine := acmeHook()
	mine.Address = "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhook/"
	mine.CreatedTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	other := acmeHook()
	other.ID = otherHookID
	other.CreatedTime = time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	sc.DigitalRiver.Webhooks = []emulator.Webhook{mine, other}
	w := start(t, sc, nil)
	p, sec := healthyProfile()
	o := w.options(p, sec, map[string]string{})
	o.Logins = &Logins{}
	plan := diagnose(t, o).FixPlan()
	applyFixes(t, o, plan)
	if n := byOrg(w.srv.Webhooks("live"))["acme.my.salesforce.com"]; n != 1 {
		t.Fatalf("%d webhooks for the org after the fixes, want 1; plan:\n%s", n, planText(plan))
	}
	if got := failing(diagnose(t, o), CheckWebhookDuplicates, CheckWebhookAddress); len(got) > 0 {
		t.Errorf("after the fixes: %v", got)
	}
}

// In key-only mode the plan knows no profile of its own, but it never
// deletes a webhook another saved profile names: that profile's webhook is
// the one its org keeps, and where two saved profiles name an org's two
// webhooks, both stay, saying which profiles name them.
func TestAFixKeepsEveryWebhookASavedProfileNames(t *testing.T) {
	const older, newer = "6feea5f1-668c-4560-8056-46bcf0c68195", "a18c169b-2876-4ce6-8b72-88615b46d4db"
	deletes := func(plan *FixPlan) []string {
		var ids []string
		for _, fx := range plan.Fixes {
			if fx.Kind == FixDelete {
				ids = append(ids, fx.WebhookID)
			}
		}
		return ids
	}
	w := start(t, emulator.DoctorDemoScenario(), nil)
	o := keyOnly(w, emulator.Demo.DRKey)
	if ids := deletes(diagnose(t, o).FixPlan()); !slices.Contains(ids, newer) {
		t.Fatalf("without saved profiles the newer duplicate %s is not deleted: %v", newer, ids)
	}

	o.SavedWebhooks = map[string][]string{newer: {"wayne"}}
	plan := diagnose(t, o).FixPlan()
	if ids := deletes(plan); slices.Contains(ids, newer) || !slices.Contains(ids, older) {
		t.Errorf("with profile wayne naming %s, the deletes are %v; want %s deleted instead", newer, ids, older)
	}

	o.SavedWebhooks = map[string][]string{newer: {"wayne"}, older: {"wayne-old"}}
	plan = diagnose(t, o).FixPlan()
	if ids := deletes(plan); slices.Contains(ids, newer) || slices.Contains(ids, older) {
		t.Errorf("with both named by saved profiles, the deletes are %v", ids)
	}
	if text := planText(plan); !strings.Contains(text, `saved profile "wayne`) {
		t.Errorf("the plan does not say which profile names the webhook it leaves:\n%s", text)
	}
}
