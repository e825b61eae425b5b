package doctor

// doctor --fix: what the checks found of each webhook, typed; the plan of
// the fixes drsetup can make from it, and what it leaves with the reason;
// and their application through steps' writes to one existing webhook
// (read right before the write, never created, read back; deletes seen to
// take).

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
)

// Logins carries the Salesforce logins of one run into the next: doctor
// --fix checks again after fixing, and a login already made (one that
// failed too) is not sent again, so that both runs together make no more
// failed logins per user than one run may. The zero value is ready; a nil
// *Logins gives each run its own.
type Logins struct {
	mu sync.Mutex
	l  *logins
}

func (s *Logins) get(sf *sfcheck.Client, timeout time.Duration) *logins {
	if s == nil {
		return newLogins(sf, timeout)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.l == nil {
		s.l = newLogins(sf, timeout)
	}
	return s.l
}

// found is what a run's checks found, typed, as the fix plan reads it.
type found struct {
	mode    Mode
	profile string // the profile's name, for the words
	wantID  string // the webhook the profile names, "" when none
	// savedBy names, for each webhook a saved profile names, those
	// profiles: --fix deletes none of them.
	savedBy map[string][]string
	domain  *sfcheck.MyDomain
	// login is the run's own login as a webhook stores it (secrets
	// included), set only once a login with it worked at the org of the
	// run's My Domain: drsetup never stores a login it has not seen work.
	login *drapi.OAuth
	// loginTried: the run's login was sent (and, with login nil, failed or
	// reached another org).
	loginTried bool
	// moveGrant: client credentials were asked for on the command line or
	// in DRSETUP_AUTH, so a password-grant webhook moves to them.
	moveGrant bool
	webhooks  []webhookFound
}

// webhookFound is what the checks found of one webhook.
type webhookFound struct {
	w        drapi.Webhook
	a        sfcheck.EndpointAnalysis
	org      string // orgKey: the webhooks of one org are duplicates
	replayed loginOutcome
	// missing are the event types the run wants that it lacks; extraTypes
	// says it has types the app does not handle, or lacks some as asked
	// (a warning the fix leaves).
	missing    []string
	extraTypes bool
	// address is the corrected address when the one stored is wrong and
	// the org it is for is clear; otherOrg says it points at another org
	// than the run's My Domain (then it is not moved).
	address  string
	otherOrg bool
	// storedDiffers: the stored login differs from the run's.
	storedDiffers bool
}

// found gathers, once every check has ended, what the fix plan needs. The
// caller (report) holds r.mu.
func (r *run) found() *found {
	f := &found{mode: r.mode, profile: r.o.Profile, savedBy: r.o.SavedWebhooks}
	if r.o.Saved != nil {
		f.wantID = r.o.Saved.WebhookID
	}
	// Both are set by the time the checks have ended.
	f.domain, _ = r.domain.wait(context.Background())
	if r.mode == ModeProfile || r.mode == ModeValues {
		own, _ := r.profileLogin.wait(context.Background())
		f.loginTried = own.tried()
		if own.works() && f.domain != nil && sfcheck.CheckInstance(own.session, *f.domain) == nil {
			f.login = r.setup.Spec().OAuth
		}
		switch r.o.Settings.Source(field.Auth) {
		case profile.SourceFlag, profile.SourceEnv:
			f.moveGrant = r.setup.Auth == sfcheck.FlowClientCredentials
		}
	}
	l := r.listing
	if l == nil {
		return f
	}
	for _, e := range l.selected {
		missing, leftOut, extra := r.eventSets(e.w)
		wf := webhookFound{w: e.w, a: e.a, org: e.org, replayed: e.replayed, missing: missing, extraTypes: len(leftOut)+len(extra) > 0}
		if e.a.Corrected != "" && len(e.a.Problems) > 0 && e.w.Address != e.a.Corrected {
			if r.mode != ModeKeyOnly && f.domain != nil && e.a.MyDomain.Host != f.domain.Host {
				wf.otherOrg = true
			} else {
				wf.address = e.a.Corrected
				// Corrected, it delivers to the org the correction names:
				// it is grouped with that org's other webhooks, so the fix
				// never makes it a second one there.
				if ca := sfcheck.AnalyzeEndpoint(e.a.Corrected); ca.IsApexWebhook && ca.MyDomain != nil {
					wf.org = ca.MyDomain.Host
				}
			}
		}
		if e.w.OAuth != nil && r.mode != ModeKeyOnly {
			diffs, _ := r.compareStored(e.w)
			wf.storedDiffers = len(diffs) > 0
		}
		f.webhooks = append(f.webhooks, wf)
	}
	return f
}

// FixKind is what a fix does to a webhook.
type FixKind string

const (
	FixUpdate FixKind = "update"
	FixDelete FixKind = "delete"
)

// Fix is one change drsetup can make to one webhook.
type Fix struct {
	WebhookID string
	Kind      FixKind
	// Summary says what changes and why, on one line, without the
	// webhook's id: "address https://… instead of https://… (…); event
	// types order.blocked added, …".
	Summary string

	org  string // the org's key: its deletes wait for its keeper's update
	keep string // with FixDelete: the webhook the org keeps
	edit func(drapi.Webhook) (drapi.Spec, error)
}

// Line is the fix as a line of the plan: "Update webhook X: …".
func (f Fix) Line() string {
	verb := "Update"
	if f.Kind == FixDelete {
		verb = "Delete"
	}
	return fmt.Sprintf("%s webhook %s: %s.", verb, f.WebhookID, f.Summary)
}

// Left is a finding the fixes leave as it is, on the webhooks it concerns:
// it stays in the report, with its remedy.
type Left struct {
	Check      ID
	Status     Status
	WebhookIDs []string // none for a check of the setup itself
	What       string   // the finding in a few words
	// Why says why drsetup leaves it, where a fix could be expected (a
	// disabled webhook not enabled, a stored login not replaced); "" when
	// it is nothing drsetup can change from here.
	Why string
}

// FixPlan is what doctor --fix will change, and what it leaves.
type FixPlan struct {
	Fixes []Fix
	Left  []Left
}

// checkOf names one check of one webhook ("" for the setup's own).
type checkOf struct {
	id      ID
	webhook string
}

// planner builds a FixPlan.
type planner struct {
	f       *found
	covered map[checkOf]bool
	why     map[checkOf]string
	plan    FixPlan
}

// FixPlan is the plan of the fixes drsetup can make from what this run
// found: per org, the webhook to keep (the one the profile names, else
// the oldest whose stored login works) brought right (its address, event
// types, state, stored login), and the others deleted. It never plans a
// create, and never a delete of the webhook the profile names. What it
// cannot fix is in Left.
func (r *Report) FixPlan() *FixPlan {
	p := &planner{f: r.found, covered: map[checkOf]bool{}, why: map[checkOf]string{}}
	if p.f != nil {
		var orgs []string
		byOrg := map[string][]webhookFound{}
		for _, wf := range p.f.webhooks {
			if _, ok := byOrg[wf.org]; !ok {
				orgs = append(orgs, wf.org)
			}
			byOrg[wf.org] = append(byOrg[wf.org], wf)
		}
		var deletes []Fix
		for _, org := range orgs {
			deletes = append(deletes, p.org(org, byOrg[org])...)
		}
		// Updates first: an org's webhook is right before its duplicates go.
		p.plan.Fixes = append(p.plan.Fixes, deletes...)
		p.profileStale(r)
	}
	p.left(r.Checks)
	return &p.plan
}

// org plans the fixes of one org's webhooks and returns its deletes.
func (p *planner) org(org string, ws []webhookFound) []Fix {
	k, keepWhy := p.f.keeper(ws)
	keep := ws[k]
	fixesLogin := p.update(keep)
	if len(ws) == 1 {
		return nil
	}
	works := keep.replayed.works() || fixesLogin
	mayWork := func(wf webhookFound) bool { return wf.replayed.works() || !wf.replayed.tried() }
	if keep.w.ID == p.f.wantID && !works && slices.ContainsFunc(ws, func(wf webhookFound) bool { return wf.w.ID != keep.w.ID && mayWork(wf) }) {
		// The profile's webhook is never deleted, and here the others
		// may be the ones that deliver: one works, or was not tried (the
		// run's failed logins of the user reached the lockout budget).
		for _, wf := range ws {
			p.why[checkOf{CheckWebhookDuplicates, wf.w.ID}] = fmt.Sprintf("not removed: the webhook %s names (%s) does not deliver and drsetup cannot fix its login, while another may; deleting the others could stop deliveries", p.f.whose(), keep.w.ID)
		}
		return nil
	}
	var out []Fix
	for i, wf := range ws {
		if i == k {
			continue
		}
		if names := p.f.savedBy[wf.w.ID]; len(names) > 0 && wf.w.ID != p.f.wantID {
			// Another saved setup's webhook: deleting it would leave that
			// profile pointing at nothing. Its own run decides.
			p.why[checkOf{CheckWebhookDuplicates, wf.w.ID}] = fmt.Sprintf("not removed: saved profile %s names it; run drsetup doctor --fix --profile %s, or drsetup webhooks delete %s, which offers to make the profile forget it",
				quoteAll(names), names[0], wf.w.ID)
			continue
		}
		what := "a second webhook for " + org + " (Digital River sends every event for the org to each)"
		if !wf.w.Enabled {
			what = "a disabled second webhook for " + org + " (enabled, it would double every event)"
		}
		out = append(out, Fix{WebhookID: wf.w.ID, Kind: FixDelete, org: org, keep: keep.w.ID,
			Summary: fmt.Sprintf("%s; webhook %s stays (%s)", what, keep.w.ID, keepWhy)})
		for _, id := range webhookChecks {
			p.covered[checkOf{id, wf.w.ID}] = true
		}
		p.covered[checkOf{CheckWebhookDuplicates, keep.w.ID}] = true
	}
	return out
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return text.JoinAnd(q)
}

// keeper is the index of the webhook an org keeps, and why: the one the
// profile names, else one another saved profile names, else the oldest whose stored login works (an enabled one
// first), else the oldest; ties go by id, as drapi's convergence does.
func (f *found) keeper(ws []webhookFound) (int, string) {
	if i := slices.IndexFunc(ws, func(wf webhookFound) bool { return f.wantID != "" && wf.w.ID == f.wantID }); i >= 0 {
		return i, "the one " + f.whose() + " names"
	}
	if i := slices.IndexFunc(ws, func(wf webhookFound) bool { return len(f.savedBy[wf.w.ID]) > 0 }); i >= 0 {
		return i, "the one saved profile " + quoteAll(f.savedBy[ws[i].w.ID]) + " names"
	}
	rank := func(wf webhookFound) int {
		switch {
		case wf.replayed.works() && wf.w.Enabled:
			return 0
		case wf.replayed.works():
			return 1
		}
		return 2
	}
	order := make([]int, len(ws))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		x, y := ws[a], ws[b]
		return cmp.Or(cmp.Compare(rank(x), rank(y)), x.w.CreatedTime.Compare(y.w.CreatedTime), strings.Compare(x.w.ID, y.w.ID))
	})
	k := order[0]
	switch rank(ws[k]) {
	case 0:
		return k, "the oldest enabled one whose stored login worked when replayed from here"
	case 1:
		return k, "the oldest whose stored login worked when replayed from here"
	}
	return k, "the oldest; none of them logs in"
}

// whose names the run's own values: the profile's or the values given.
func (f *found) whose() string {
	if f.mode == ModeValues {
		return "the values given"
	}
	return fmt.Sprintf("profile %q", f.profile)
}

// update plans the fix of the webhook an org keeps, and reports whether
// it stores the run's verified login in it.
func (p *planner) update(wf webhookFound) bool {
	f, w, id := p.f, wf.w, wf.w.ID
	at := func(c ID) checkOf { return checkOf{c, id} }
	var parts []string
	var edits []func(*drapi.Spec)

	if wf.address != "" {
		parts = append(parts, fmt.Sprintf("address %s instead of %s (%s)", wf.address, shownAddress(w.Address), addressBrief(wf.a)))
		addr := wf.address
		edits = append(edits, func(sp *drapi.Spec) { sp.Address = addr })
		p.covered[at(CheckWebhookAddress)] = true
		if wf.replayed.works() {
			// "Works only at the corrected address."
			p.covered[at(CheckDRLoginReplay)] = true
		}
	} else if wf.otherOrg {
		p.why[at(CheckWebhookAddress)] = "it points at another org than the My Domain checked, so drsetup does not move it"
	}

	noLogin := strings.ToUpper(w.TransportType) != drapi.TransportOAuth || w.OAuth == nil
	ownOrg := f.domain != nil && wf.a.MyDomain != nil && wf.a.MyDomain.Host == f.domain.Host
	storeLogin := f.login != nil && ownOrg &&
		(noLogin || wf.storedDiffers && !wf.replayed.works() || f.moveGrant && !strings.EqualFold(w.OAuth.GrantType, drapi.GrantClientCredentials))
	if storeLogin {
		parts = append(parts, p.loginPart(wf, noLogin))
		login := *f.login
		edits = append(edits, func(sp *drapi.Spec) {
			o := login
			if sp.OAuth != nil {
				o.Audience = sp.OAuth.Audience // a Dashboard setting drsetup does not own
			}
			sp.TransportType, sp.OAuth = drapi.TransportOAuth, &o
		})
		for _, c := range []ID{CheckWebhookOAuth, CheckDRLoginReplay} {
			p.covered[at(c)] = true
		}
		if noLogin || f.moveGrant {
			p.covered[at(CheckWebhookTransport)] = true
		}
	} else if wf.replayed.tried() && !wf.replayed.works() {
		why := p.noLoginWhy(wf, ownOrg)
		for _, c := range []ID{CheckWebhookOAuth, CheckDRLoginReplay} {
			p.why[at(c)] = why
		}
	}
	if noLogin && !storeLogin {
		// A webhook without a login is not delivered to at all; drsetup
		// sends no partial update of it (which could clear its
		// authentication settings).
		p.why[at(CheckWebhookTransport)] = "it has no stored login, and " + p.noLoginWhy(wf, ownOrg)
		return false
	}
	if !storeLogin {
		if err := drapi.SpecOf(w).Validate(); err != nil {
			p.why[at(CheckWebhookOAuth)] = "its stored login settings are incomplete (" + text.Clean(err.Error()) + "), and " + p.noLoginWhy(wf, ownOrg)
			return false
		}
	}

	if len(wf.missing) > 0 {
		parts = append(parts, fmt.Sprintf("event types %s added, which it did not send (its other types stay)", text.JoinAnd(wf.missing)))
		missing := slices.Clone(wf.missing)
		edits = append(edits, func(sp *drapi.Spec) {
			for _, t := range missing {
				if !slices.Contains(sp.Types, t) {
					sp.Types = append(sp.Types, t)
				}
			}
		})
		if !wf.extraTypes {
			p.covered[at(CheckWebhookEvents)] = true
		}
	}

	if !w.Enabled {
		addressOK := wf.address != "" || wf.a.MyDomain != nil && len(wf.a.Problems) == 0
		switch {
		case (wf.replayed.works() || storeLogin) && addressOK:
			parts = append(parts, "enabled (it was disabled, so Digital River sent it no events)")
			edits = append(edits, func(sp *drapi.Spec) { sp.Enabled = true })
			p.covered[at(CheckWebhookEnabled)] = true
		case !addressOK:
			p.why[at(CheckWebhookEnabled)] = "not enabled while its address cannot receive events"
		default:
			p.why[at(CheckWebhookEnabled)] = "not enabled while its stored login fails: every delivery would fail, and each failed login counts toward locking the user out"
		}
	}

	if len(parts) == 0 {
		return false
	}
	p.plan.Fixes = append(p.plan.Fixes, Fix{WebhookID: id, Kind: FixUpdate, Summary: strings.Join(parts, "; "), org: wf.org,
		edit: func(cur drapi.Webhook) (drapi.Spec, error) {
			sp := drapi.SpecOf(cur)
			for _, e := range edits {
				e(&sp)
			}
			return sp, nil
		}})
	return storeLogin
}

// loginPart says which login is stored, and why.
func (p *planner) loginPart(wf webhookFound, noLogin bool) string {
	f := p.f
	whose := "the profile's login"
	if f.mode == ModeValues {
		whose = "the login of the values given"
	}
	grant := "the username-password grant"
	if f.login.GrantType == drapi.GrantClientCredentials {
		grant = "the client credentials grant at " + f.login.TokenEndPoint
	}
	why := "the stored one differs and fails"
	switch {
	case noLogin:
		why = "it had none (HTTP transport: Salesforce refuses its events)"
	case f.moveGrant && !strings.EqualFold(wf.w.OAuth.GrantType, drapi.GrantClientCredentials):
		why = "client credentials were asked for"
	}
	return fmt.Sprintf("stored login replaced by %s with %s, which worked in this run (%s)", whose, grant, why)
}

// noLoginWhy says why a failing stored login is not replaced.
func (p *planner) noLoginWhy(wf webhookFound, ownOrg bool) string {
	f := p.f
	switch {
	case f.mode == ModeKeyOnly:
		return "drsetup stores only a login it has seen work, and with a key alone it has none: run drsetup doctor --fix with the profile (or the values) whose login works"
	case !ownOrg:
		return "it is not the org of the My Domain checked, whose login drsetup has"
	case f.loginTried:
		return "the run's own login did not work either (see sf_login), and drsetup stores only a login it has seen work"
	}
	return "the run's own login was not tried (see sf_login), and drsetup stores only a login it has seen work"
}

// profileStale notes the case where the run's own values are the stale
// side: the webhook's login works, and the profile is what to update.
func (p *planner) profileStale(r *Report) {
	f := p.f
	if f.login != nil || !f.loginTried || !slices.ContainsFunc(f.webhooks, func(wf webhookFound) bool { return wf.storedDiffers && wf.replayed.works() }) {
		return
	}
	what := "the profile: run drsetup setup" + profileArg(f.profile) + " with the current values"
	if f.mode == ModeValues {
		what = "the values given"
	}
	p.why[checkOf{CheckSFLogin, ""}] = "the webhook's stored login works and is left as it is; the stale side is " + what
}

// left lists the failed and warned checks no fix covers, one entry per
// finding met on one or more webhooks.
func (p *planner) left(checks []Result) {
	type key struct {
		id        ID
		status    Status
		what, why string
	}
	index := map[key]int{}
	for _, c := range checks {
		if c.Status != Fail && c.Status != Warn || p.covered[checkOf{c.ID, c.WebhookID}] {
			continue
		}
		k := key{c.ID, c.Status, text.Or(c.Brief, c.Summary), p.why[checkOf{c.ID, c.WebhookID}]}
		i, ok := index[k]
		if !ok {
			i = len(p.plan.Left)
			index[k] = i
			p.plan.Left = append(p.plan.Left, Left{Check: c.ID, Status: c.Status, What: k.what, Why: k.why})
		}
		if c.WebhookID != "" {
			p.plan.Left[i].WebhookIDs = append(p.plan.Left[i].WebhookIDs, c.WebhookID)
		}
	}
}

// FixOutcome is how one fix went.
type FixOutcome struct {
	Fix     Fix
	Changes []drapi.Change // what an update changed, as read back
	// Unchanged: the webhook was already as planned when it was read
	// right before the write (changed meanwhile), so nothing was sent.
	Unchanged bool
	// Gone: the webhook was no longer there: nothing to update, or
	// already deleted.
	Gone bool
	Err  error // why it was not made; nil when it was, or needed not be
}

// Done reports whether this run changed the webhook as the fix said.
func (o FixOutcome) Done() bool { return o.Err == nil && !o.Unchanged && !o.Gone }

// FixDone is a fix applied, as the report's JSON gives it (DESIGN.md,
// doctor --json: fixes).
type FixDone struct {
	WebhookID string `json:"webhookId"`
	Action    string `json:"action"` // "updated" or "deleted"
	Summary   string `json:"summary"`
}

// Record is the fix as applied, for the report.
func (o FixOutcome) Record() FixDone {
	action := string(drapi.ActionUpdated)
	if o.Fix.Kind == FixDelete {
		action = "deleted"
	}
	return FixDone{WebhookID: o.Fix.WebhookID, Action: action, Summary: o.Fix.Summary}
}

// errKeeperFailed is why an org's duplicates were left: the webhook it
// keeps could not be brought right first.
var errKeeperFailed = errors.New("not deleted: the webhook this org keeps could not be updated first, so its duplicates stay until it is")

// errKeeperGone is why an org's duplicates were left: the webhook it keeps
// is no longer at Digital River, and deleting the others would leave the
// org none.
var errKeeperGone = errors.New("not deleted: the webhook this org was to keep is no longer at Digital River (deleted since the checks), so the others stay; run drsetup doctor again")

// ApplyFixes makes plan's fixes in order, each through steps' writes to one
// existing webhook under profile lockName's lock, telling progress each
// outcome as it comes. An org's duplicates are deleted only once the
// webhook it keeps was updated (or needed no update). It stops when ctx
// ends; the fixes not tried then are not in the outcomes.
func ApplyFixes(ctx context.Context, plan *FixPlan, sv *steps.Services, c *drapi.Client, lockName string, progress func(FixOutcome)) []FixOutcome {
	var out []FixOutcome
	failedOrg := map[string]error{} // why an org's deletes wait
	kept := map[string]bool{}       // orgs whose keeper was seen at Digital River
	for _, fx := range plan.Fixes {
		if ctx.Err() != nil {
			break
		}
		o := FixOutcome{Fix: fx}
		switch fx.Kind {
		case FixUpdate:
			res, err := sv.EditWebhook(ctx, c, lockName, fx.WebhookID, fx.edit)
			var gone *drapi.GoneError
			switch {
			case errors.As(err, &gone):
				o.Gone = true
				failedOrg[fx.org] = errKeeperGone
			case err != nil:
				o.Err = err
				failedOrg[fx.org] = errKeeperFailed
			case res.Action == drapi.ActionUnchanged:
				o.Unchanged = true
				kept[fx.org] = true
			default:
				o.Changes = res.Changes
				kept[fx.org] = true
			}
		case FixDelete:
			if why := failedOrg[fx.org]; why != nil {
				o.Err = why
				break
			}
			// The keeper was not updated (it needed nothing): see that it
			// is still there before deleting the others, so the org is
			// never left without a webhook.
			if !kept[fx.org] {
				_, err := c.Webhooks.Get(ctx, fx.keep)
				var de *drapi.Error
				switch {
				case err == nil:
					kept[fx.org] = true
				case errors.As(err, &de) && de.Kind == drapi.KindNotFound:
					failedOrg[fx.org] = errKeeperGone
					o.Err = errKeeperGone
				default:
					failedOrg[fx.org] = errKeeperFailed
					o.Err = err
				}
				if o.Err != nil {
					break
				}
			}
			err := sv.RemoveWebhook(ctx, c, lockName, fx.WebhookID)
			var gone *drapi.GoneError
			if errors.As(err, &gone) {
				o.Gone = true
			} else {
				o.Err = err
			}
		}
		out = append(out, o)
		if progress != nil {
			progress(o)
		}
	}
	return out
}

// Record puts the outcomes of the fixes made before r's run into r: its
// JSON gains "fixes", and its text a section of what was done.
func (r *Report) Record(outcomes []FixOutcome) {
	r.Fixed = true
	r.Fixes, r.Unfixed = []FixDone{}, nil
	for _, o := range outcomes {
		switch {
		case o.Done():
			r.Fixes = append(r.Fixes, o.Record())
		case o.Err != nil:
			r.Unfixed = append(r.Unfixed, o)
		}
	}
}

// fixesJSON is the report's "fixes": absent without --fix, a list (maybe
// empty) with it.
func (r *Report) fixesJSON() *[]FixDone {
	if !r.Fixed {
		return nil
	}
	fixes := r.Fixes
	if fixes == nil {
		fixes = []FixDone{}
	}
	return &fixes
}
