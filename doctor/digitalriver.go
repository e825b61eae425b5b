package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
)

// examined is a webhook the run checks, with what is worked out once for it.
type examined struct {
	group int // its place in the report: 1 + its index among those examined
	w     drapi.Webhook
	a     sfcheck.EndpointAnalysis
	org   string // orgKey
	// replayed is how Digital River's stored login ended when replayed
	// (zero when it was not), for the fix plan.
	replayed loginOutcome
}

// orgWebhooks are the webhooks of the key that deliver to one org, as the
// duplicates check needs them: counts, and the first few ids to name.
type orgWebhooks struct {
	enabled, disabled      int
	someEnabled, someDisab []string // at most maxNamed+1 each, so maxNamed remain besides any one webhook
}

// maxNamed is how many other webhooks a finding names before it counts the
// rest: a finding is one line, also for an org with hundreds of webhooks.
const maxNamed = 3

// listing is what the run keeps of the key's webhooks: the ones it examines,
// an index of every webhook by org, and how many there were. The pages
// themselves are not kept.
type listing struct {
	total    int
	selected []*examined
	orgs     map[string]*orgWebhooks
}

// selection says which webhooks a run examines.
type selection struct {
	match  func(drapi.Webhook, sfcheck.EndpointAnalysis) bool
	target string // what the matching webhooks point at, for findings
	wantID string // the webhook the profile registered, "" when none
}

// storedLogin is the login Digital River makes for one webhook, with the
// settings stored in it.
type storedLogin struct {
	webhook drapi.Webhook
	cr      sfcheck.Credentials
}

// digitalRiver is the Digital River chain: the key and its webhooks, then
// every check of each webhook examined, a few webhooks at a time.
func (r *run) digitalRiver(ctx context.Context) {
	// Whatever happens below, sf_login and dr_events waiting on it go on.
	defer r.stored.set(nil)
	defer r.keyWorks.set(false)
	sel := r.selection(ctx)
	l, ok := r.checkKey(ctx, sel)
	r.keyWorks.set(ok)
	if !ok {
		r.skipWebhookChecks("Not checked: the Digital River key could not list the webhooks (see dr_api_key).")
		return
	}
	r.checkExists(ctx, l, sel)
	r.mu.Lock()
	r.listing = l
	r.mu.Unlock()
	if len(l.selected) == 0 {
		r.skipWebhookChecks("Not checked: no webhook to check (see webhook_exists).")
		return
	}
	// Set before any webhook's check is recorded, and not changed after.
	r.redactors = make([]*secret.Redactor, len(l.selected))
	r.mu.Lock()
	for i, e := range l.selected {
		r.redactors[i] = r.webhookRedactor(storedSecrets(e.w))
		r.webhooks = append(r.webhooks, webhookSeen(e.w, r.redactors[i]))
		if r.mode == ModeKeyOnly {
			r.paths = append(r.paths, pathPlanOf(e.w))
		}
	}
	r.mu.Unlock()
	r.stored.set(r.storedLoginOf(l.selected, sel.wantID))

	jobs := make(chan *examined)
	var wg sync.WaitGroup
	for range min(webhookWorkers, len(l.selected)) {
		wg.Go(func() {
			for e := range jobs {
				r.examine(ctx, e, l)
			}
		})
	}
	for _, e := range l.selected {
		jobs <- e
	}
	close(jobs)
	wg.Wait()
}

// examine makes every check of one webhook.
func (r *run) examine(ctx context.Context, e *examined, l *listing) {
	r.webhookSettings(ctx, e, l)
	replayed := r.replay(ctx, e)
	e.replayed = replayed
	// Last: its wording depends on which of the two logins works.
	r.check(ctx, CheckWebhookOAuth, e.group, e.w.ID, func(cctx context.Context) Result { return r.oauthResult(cctx, e, replayed) })
	if r.mode == ModeKeyOnly {
		r.webhookEvidence(ctx, e, replayed)
	}
}

func (r *run) skipWebhookChecks(why string) {
	for _, id := range webhookChecks {
		r.skip(id, 0, "", why)
	}
	if r.mode == ModeKeyOnly {
		r.skipSession(0, "", why)
	}
}

// webhookSeen is what the report lists of w. It is shown as Digital River
// stores it, so it passes through w's redactor as its findings do: a
// secret stored in the wrong field is not shown either.
func webhookSeen(w drapi.Webhook, red *secret.Redactor) Webhook {
	// What Digital River stores is shown as one line without control
	// characters or known secrets, and an address without the userinfo or
	// query someone may have pasted a password into.
	clean := func(s string) string { return text.Clean(red.Redact(s)) }
	h := Webhook{ID: w.ID, Address: text.Clean(httpx.Redact(red.Redact(w.Address)))} // the id names its checks
	if w.OAuth != nil {
		h.Username, h.TokenEndpoint = clean(w.OAuth.UserName), text.Clean(httpx.Redact(red.Redact(w.OAuth.TokenEndPoint)))
		h.ClientID, h.Grant = clean(w.OAuth.ClientID), clean(w.OAuth.GrantType)
		if f, _ := flowOf(w.OAuth.GrantType); f == sfcheck.FlowClientCredentials {
			h.Username = ""
		}
	}
	return h
}

// storedSecrets are the secrets Digital River stores in w.
// shownAddress is an address as reports show it: one line, without the
// userinfo or query someone may have put a password or token in (as
// webhooks list shows it).
func shownAddress(addr string) string { return text.Clean(httpx.Redact(addr)) }

func storedSecrets(w drapi.Webhook) []string { return w.StoredSecrets() }

// selection decides which webhooks to examine: the org's (also under a
// wrong address form) and the profile's own, or in key-only mode every
// webhook addressed to the app's endpoint. It waits for the My Domain,
// which needs no network.
func (r *run) selection(ctx context.Context) selection {
	isApp := func(_ drapi.Webhook, a sfcheck.EndpointAnalysis) bool { return a.IsApexWebhook }
	if r.mode == ModeKeyOnly {
		return selection{match: isApp, target: "the app's endpoint"}
	}
	var sel selection
	if r.o.Saved != nil {
		sel.wantID = r.o.Saved.WebhookID
	}
	d, _ := r.domain.wait(ctx)
	switch {
	case d != nil:
		host, want := d.Host, sel.wantID
		sel.match = func(w drapi.Webhook, a sfcheck.EndpointAnalysis) bool {
			return (a.IsApexWebhook && a.MyDomain != nil && a.MyDomain.Host == host) || (want != "" && w.ID == want)
		}
		sel.target = d.EndpointURL()
	case sel.wantID != "":
		want := sel.wantID
		sel.match = func(w drapi.Webhook, _ sfcheck.EndpointAnalysis) bool { return w.ID == want }
		sel.target = "webhook " + sel.wantID
	default:
		sel.match = isApp
		sel.target = "the app's endpoint on any org (the My Domain is not valid)"
	}
	return sel
}

// checkKey lists the key's webhooks, page by page, keeping the ones sel
// picks and an index of all by org.
func (r *run) checkKey(ctx context.Context, sel selection) (*listing, bool) {
	key := strings.TrimSpace(r.o.Settings.Get(field.DRAPIKey))
	if key == "" {
		r.needs(field.DRAPIKey)
		r.skip(CheckDRAPIKey, 0, "", fmt.Sprintf("Not checked: no Digital River API key was given; give %s (or save it with drsetup setup%s). The webhook checks need it.", field.DRAPIKey.Where(), profileArg(r.o.Profile)))
		r.skip(CheckWebhookExists, 0, "", "Not checked: no Digital River API key.")
		return nil, false
	}
	l := &listing{orgs: map[string]*orgWebhooks{}}
	res := r.check(ctx, CheckDRAPIKey, 0, "", func(cctx context.Context) Result {
		if r.o.DigitalRiver == nil {
			return Result{Status: Skip, Summary: "Not checked: no Digital River client."}
		}
		c, err := r.o.DigitalRiver(key)
		if err != nil {
			var ke *drapi.KeyError
			if errors.As(err, &ke) {
				return Result{Status: Fail, Summary: text.Sentence(err.Error()),
					Remedy: "Set DRSETUP_DR_API_KEY to the secret key, or save it with drsetup setup" + profileArg(r.o.Profile) + "."}
			}
			return Result{Status: Fail, Summary: text.Sentence(err.Error()),
				Remedy: "Check --dr-api-url (or DRSETUP_DR_API_URL); the Digital River API is " + drapi.DefaultBaseURL + "."}
		}
		r.mu.Lock()
		r.drHost = httpx.Host(c.BaseURL())
		r.mu.Unlock()
		var secrets []string
		seen := map[string]bool{}
		for w, err := range c.Webhooks.All(cctx) {
			if err != nil {
				return drFailure(err)
			}
			l.add(w, sel)
			for _, s := range storedSecrets(w) {
				if !seen[s] {
					seen[s] = true
					secrets = append(secrets, s)
				}
			}
		}
		// One call for every stored secret: the debug log's redactor
		// learns them all at once.
		r.o.Redactor.Add(secrets...)
		sum := fmt.Sprintf("The %s key %s works: it sees %d webhook%s.", c.Mode(), secret.Mask(key), l.total, text.S(l.total))
		var warns, remedies []string
		if p := r.o.Saved; p != nil && p.DRMode != "" && p.DRMode != string(c.Mode()) {
			warns = append(warns, fmt.Sprintf("Profile %q was set up with a %s key: test and live keys see different webhooks.", r.o.Profile, p.DRMode))
			remedies = append(remedies, "Use the profile's "+p.DRMode+" key (DRSETUP_DR_API_KEY), or run drsetup setup"+profileArg(r.o.Profile)+" to set up this mode.")
		}
		if r.mode != ModeKeyOnly {
			if _, err := r.setup.Domain(); err == nil {
				for _, p := range steps.Check(r.setup, steps.DRKey) {
					if !p.Blocking {
						warns = append(warns, p.Message)
						remedies = append(remedies, p.Remedy)
					}
				}
			}
		}
		if len(warns) > 0 {
			return Result{Status: Warn, Summary: sum + " " + strings.Join(warns, " "), Remedy: strings.Join(remedies, " "),
				Brief: "the key's mode does not match the setup"}
		}
		return Result{Status: Pass, Summary: sum}
	})
	if res.Status != Pass && res.Status != Warn {
		r.skip(CheckWebhookExists, 0, "", "Not checked: the webhooks could not be listed (see dr_api_key).")
		return nil, false
	}
	return l, true
}

// add counts w, indexes it by org, and keeps it when sel picks it.
func (l *listing) add(w drapi.Webhook, sel selection) {
	l.total++
	a := sfcheck.AnalyzeEndpoint(w.Address)
	key := orgKey(w, a)
	g := l.orgs[key]
	if g == nil {
		g = &orgWebhooks{}
		l.orgs[key] = g
	}
	if w.Enabled {
		g.enabled++
		if len(g.someEnabled) <= maxNamed {
			g.someEnabled = append(g.someEnabled, w.ID)
		}
	} else {
		g.disabled++
		if len(g.someDisab) <= maxNamed {
			g.someDisab = append(g.someDisab, w.ID)
		}
	}
	if sel.match(w, a) {
		l.selected = append(l.selected, &examined{group: len(l.selected) + 1, w: w, a: a, org: key})
	}
}

// drFailure words a failed Digital River call: what happened (the check's
// title says what was tried) and what to do.
func drFailure(err error) Result {
	if errors.Is(err, context.DeadlineExceeded) && !errors.As(err, new(*drapi.Error)) {
		return Result{Status: Fail, Summary: "Digital River did not answer within the check's time limit.",
			Remedy: "Check the network connection to " + drapi.DefaultBaseURL + ", or HTTPS_PROXY behind a corporate proxy, and run doctor again."}
	}
	f := explain.Of(err)
	sum := text.Or(f.Meaning, f.Headline)
	if f.RequestID != "" {
		sum += fmt.Sprintf(" (Digital River request id %s)", f.RequestID)
	}
	return Result{Status: Fail, Summary: sum, Remedy: f.Remedy}
}

// checkExists says which webhooks the run examines, naming each with the
// address it has.
func (r *run) checkExists(ctx context.Context, l *listing, sel selection) {
	r.check(ctx, CheckWebhookExists, 0, "", func(context.Context) Result {
		n := len(l.selected)
		if r.mode == ModeKeyOnly {
			if n == 0 {
				return Result{Status: Fail,
					Summary: fmt.Sprintf("None of the key's %d webhook%s is addressed to the Digital River app's endpoint, https://<My Domain>%s: Digital River sends no Salesforce org any event.", l.total, text.S(l.total), sfcheck.ApexPath),
					Remedy:  "Run drsetup setup to register the webhook. Test and live keys see different webhooks: check with the other mode's key too.",
					Brief:   "no webhook is addressed to the app"}
			}
			orgs := map[string]bool{}
			for _, e := range l.selected {
				orgs[e.org] = true
			}
			return Result{Status: Pass, Summary: fmt.Sprintf("%d of the key's %d webhooks %s addressed to the app's endpoint, for %d org%s.",
				n, l.total, text.IsAre(n), len(orgs), text.S(len(orgs)))}
		}
		if n == 0 {
			sum := fmt.Sprintf("No webhook of this key points at %s: Digital River sends the org no events.", sel.target)
			if sel.wantID != "" {
				sum = fmt.Sprintf("The webhook drsetup registered for this profile (%s) is gone, and no other webhook of this key points at %s: Digital River sends the org no events.", sel.wantID, sel.target)
			}
			return Result{Status: Fail, Summary: sum,
				Remedy: fmt.Sprintf("Run drsetup setup%s to register the webhook. Test and live keys see different webhooks: if it was registered with the other mode's key, check with that key.", profileArg(r.o.Profile)),
				Brief:  "no webhook delivers to the org"}
		}
		var found []string
		hasWanted := false
		for _, e := range l.selected {
			hasWanted = hasWanted || e.w.ID == sel.wantID
		}
		for i, e := range l.selected {
			if i == maxNamed+1 && n > maxNamed+2 {
				found = append(found, fmt.Sprintf("%d more", n-i))
				break
			}
			mine := ""
			if e.w.ID == sel.wantID {
				mine = " (the one this profile registered)"
			}
			found = append(found, fmt.Sprintf("%s%s at %s", e.w.ID, mine, shownAddress(e.w.Address)))
		}
		sum := fmt.Sprintf("%d webhooks of this key are for this setup: %s.", n, strings.Join(found, "; "))
		if n == 1 {
			e := l.selected[0]
			mine := ""
			if e.w.ID == sel.wantID {
				mine = ", the one this profile registered,"
			}
			sum = fmt.Sprintf("Webhook %s%s points at %s.", e.w.ID, mine, shownAddress(e.w.Address))
		}
		if sel.wantID != "" && !hasWanted {
			return Result{Status: Warn,
				Summary: sum + fmt.Sprintf(" The webhook drsetup registered for this profile (%s) is gone.", sel.wantID),
				Remedy:  fmt.Sprintf("Run drsetup setup%s to record the webhook in use in the profile.", profileArg(r.o.Profile)),
				Brief:   "the webhook the profile registered is gone"}
		}
		return Result{Status: Pass, Summary: sum}
	})
}

// storedLoginOf is the login Digital River makes for the setup's webhook:
// the one the profile registered when it is among those examined, else the
// first that stores a login. nil in key-only mode, which has no login of
// its own to compare, and when no webhook stores one.
func (r *run) storedLoginOf(selected []*examined, wantID string) *storedLogin {
	if r.mode == ModeKeyOnly {
		return nil
	}
	var first *storedLogin
	for _, e := range selected {
		cr, ok := replayCredentials(e)
		if !ok {
			continue
		}
		if e.w.ID == wantID {
			return &storedLogin{webhook: e.w, cr: cr}
		}
		if first == nil {
			first = &storedLogin{webhook: e.w, cr: cr}
		}
	}
	return first
}
