package doctor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
)

// RetirementDate is the day Salesforce is reported to enforce the retirement
// of the username-password flow (facts/salesforce.md, section 6).
var RetirementDate = time.Date(2027, 2, 20, 0, 0, 0, 0, time.UTC)

// webhookPage is where in the Digital River Dashboard a webhook is edited.
const webhookPage = "Digital River Dashboard → Developers → Webhooks"

// pathPlan is the path an order event takes for one webhook in key-only
// mode: the hosts of its hops.
type pathPlan struct {
	webhookID string
	hosts     [3]string
}

// pathPlanOf is w's path: Digital River (its host is filled in with the
// report), the token endpoint stored in w, and w's address.
func pathPlanOf(w drapi.Webhook) pathPlan {
	p := pathPlan{webhookID: w.ID, hosts: [3]string{"", hostOf(w.Address), hostOf(w.Address)}}
	if w.OAuth != nil {
		p.hosts[1] = hostOf(w.OAuth.TokenEndPoint)
	}
	return p
}

// digitalRiver is the Digital River chain: the key and its webhooks, then
// every check of each webhook examined, the webhooks concurrently.
func (r *run) digitalRiver(ctx context.Context) {
	all, ok := r.checkKey(ctx)
	if !ok {
		r.skipWebhookChecks("Not checked: the Digital River key could not list the webhooks (see dr_api_key).")
		return
	}
	for _, w := range all {
		if w.OAuth != nil {
			r.learn(w.OAuth.Password.Reveal(), w.OAuth.ClientSecret.Reveal())
		}
		if w.Authentication != nil {
			r.learn(w.Authentication.Password.Reveal())
		}
	}
	selected := r.checkExists(ctx, all)
	if len(selected) == 0 {
		r.skipWebhookChecks("Not checked: no webhook to check (see webhook_exists).")
		return
	}
	var wg sync.WaitGroup
	for i, w := range selected {
		group := i + 1
		r.mu.Lock()
		r.webhooks = append(r.webhooks, Webhook{ID: text.Clean(w.ID), Address: text.Clean(w.Address)})
		if r.mode == ModeKeyOnly {
			r.paths = append(r.paths, pathPlanOf(w))
		}
		r.mu.Unlock()
		wg.Go(func() { r.webhookSettings(ctx, group, w, all) })
		wg.Go(func() { r.replay(ctx, group, w) })
	}
	wg.Wait()
}

func (r *run) skipWebhookChecks(why string) {
	for _, id := range webhookChecks {
		r.skip(id, 0, "", why)
	}
}

// checkKey lists the key's webhooks.
func (r *run) checkKey(ctx context.Context) ([]drapi.Webhook, bool) {
	key := strings.TrimSpace(r.o.Settings.Get(profile.FieldDRAPIKey))
	if key == "" {
		r.skip(CheckDRAPIKey, 0, "", "Not checked: no Digital River API key was given (DRSETUP_DR_API_KEY, or the profile's keyring entry); the webhook checks need it.")
		r.skip(CheckWebhookExists, 0, "", "Not checked: no Digital River API key.")
		return nil, false
	}
	var all []drapi.Webhook
	res := r.check(ctx, CheckDRAPIKey, 0, "", func(cctx context.Context) Result {
		if r.o.DigitalRiver == nil {
			return Result{Status: Skip, Summary: "Not checked: no Digital River client."}
		}
		c, err := r.o.DigitalRiver(key)
		if err != nil {
			var ke *drapi.KeyError
			if errors.As(err, &ke) {
				return Result{Status: Fail, Summary: steps.Sentence(err.Error()),
					Remedy: "Set DRSETUP_DR_API_KEY to the secret key, or save it with drsetup setup" + profileArg(r.o.Profile) + "."}
			}
			return Result{Status: Fail, Summary: steps.Sentence(err.Error()),
				Remedy: "Check --dr-api-url (or DRSETUP_DR_API_URL); the Digital River API is " + drapi.DefaultBaseURL + "."}
		}
		r.mu.Lock()
		r.drHost = hostOf(c.BaseURL())
		r.mu.Unlock()
		for w, err := range c.Webhooks.All(cctx) {
			if err != nil {
				return drFailure(err)
			}
			all = append(all, w)
		}
		sum := fmt.Sprintf("The %s key %s works: it sees %d webhook%s.", c.Mode(), secret.Mask(key), len(all), plural(len(all)))
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
			return Result{Status: Warn, Summary: sum + " " + strings.Join(warns, " "), Remedy: strings.Join(remedies, " ")}
		}
		return Result{Status: Pass, Summary: sum}
	})
	if res.Status != Pass && res.Status != Warn {
		r.skip(CheckWebhookExists, 0, "", "Not checked: the webhooks could not be listed (see dr_api_key).")
		return nil, false
	}
	return all, true
}

// drFailure words a failed Digital River call.
func drFailure(err error) Result {
	var de *drapi.Error
	if errors.As(err, &de) {
		sum := de.Explanation()
		if de.RequestID != "" {
			sum += fmt.Sprintf(" (Digital River request id %s)", de.RequestID)
		}
		remedy := de.Remedy()
		if remedy == "" && de.Kind != drapi.KindCancelled {
			// No answer at all: the explanation says which failure.
			remedy = "Check this machine's connection to " + drapi.DefaultBaseURL + " (VPN, DNS, and HTTPS_PROXY and NO_PROXY behind a proxy), or --dr-api-url if set, then run doctor again."
		}
		return Result{Status: Fail, Summary: sum, Remedy: remedy}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Result{Status: Fail, Summary: "Digital River did not answer within the check's time limit.",
			Remedy: "Check the network connection to " + drapi.DefaultBaseURL + ", or HTTPS_PROXY behind a corporate proxy, and run doctor again."}
	}
	return Result{Status: Fail, Summary: steps.Sentence(err.Error()), Remedy: "Run doctor again; if it keeps failing, run it with --debug-log FILE and send the file to support."}
}

// checkExists picks the webhooks to examine: the org's (also under a wrong
// address form) and the profile's own, or in key-only mode every webhook
// addressed to the app's endpoint.
func (r *run) checkExists(ctx context.Context, all []drapi.Webhook) []drapi.Webhook {
	var selected []drapi.Webhook
	r.check(ctx, CheckWebhookExists, 0, "", func(cctx context.Context) Result {
		isApp := func(w drapi.Webhook) bool { return sfcheck.AnalyzeEndpoint(w.Address).IsApexWebhook }
		if r.mode == ModeKeyOnly {
			selected = filter(all, isApp)
			if len(selected) == 0 {
				return Result{Status: Fail,
					Summary: fmt.Sprintf("None of the key's %d webhook%s is addressed to the Digital River app's endpoint, https://<My Domain>%s: Digital River sends no Salesforce org any event.", len(all), plural(len(all)), sfcheck.ApexPath),
					Remedy:  "Run drsetup setup to register the webhook. Test and live keys see different webhooks: check with the other mode's key too."}
			}
			orgs := map[string]bool{}
			for _, w := range selected {
				orgs[orgKey(w)] = true
			}
			return Result{Status: Pass, Summary: fmt.Sprintf("%d of the key's %d webhooks %s addressed to the app's endpoint, for %d org%s: each is checked below.",
				len(selected), len(all), isAre(len(selected)), len(orgs), plural(len(orgs)))}
		}

		d, ok := r.domain.wait(cctx)
		if !ok {
			return Result{Status: Fail, Summary: "Cancelled before the My Domain was known."}
		}
		wantID := ""
		if r.o.Saved != nil {
			wantID = r.o.Saved.WebhookID
		}
		var match func(drapi.Webhook) bool
		var target string
		switch {
		case d != nil:
			org := steps.OrgMatcher(*d)
			match = func(w drapi.Webhook) bool { return org(w) || (wantID != "" && w.ID == wantID) }
			target = d.EndpointURL()
		case wantID != "":
			match = func(w drapi.Webhook) bool { return w.ID == wantID }
			target = "webhook " + wantID
		default:
			match = isApp
			target = "the app's endpoint on any org (the My Domain is not valid)"
		}
		selected = filter(all, match)
		if len(selected) == 0 {
			sum := fmt.Sprintf("No webhook of this key points at %s: Digital River sends the org no events.", target)
			if wantID != "" {
				sum = fmt.Sprintf("The webhook drsetup registered for this profile (%s) is gone, and no other webhook of this key points at %s: Digital River sends the org no events.", wantID, target)
			}
			return Result{Status: Fail, Summary: sum,
				Remedy: fmt.Sprintf("Run drsetup setup%s to register the webhook. Test and live keys see different webhooks: if it was registered with the other mode's key, check with that key.", profileArg(r.o.Profile))}
		}
		ids := make([]string, len(selected))
		for i, w := range selected {
			ids[i] = w.ID
		}
		sum := fmt.Sprintf("Webhook %s points at %s.", joinAnd(ids), target)
		if len(selected) > 1 {
			sum = fmt.Sprintf("%d webhooks point at %s: %s.", len(selected), target, joinAnd(ids))
		}
		if wantID != "" && !slices.Contains(ids, wantID) {
			return Result{Status: Warn,
				Summary: sum + fmt.Sprintf(" The webhook drsetup registered for this profile (%s) is gone.", wantID),
				Remedy:  fmt.Sprintf("Run drsetup setup%s to record the webhook in use in the profile.", profileArg(r.o.Profile))}
		}
		return Result{Status: Pass, Summary: sum}
	})
	return selected
}

// webhookSettings makes the checks of one webhook that read only what
// Digital River stores.
func (r *run) webhookSettings(ctx context.Context, group int, w drapi.Webhook, all []drapi.Webhook) {
	a := sfcheck.AnalyzeEndpoint(w.Address)
	r.check(ctx, CheckWebhookAddress, group, w.ID, func(context.Context) Result { return r.addressResult(w, a) })
	r.check(ctx, CheckWebhookEnabled, group, w.ID, func(context.Context) Result { return enabledResult(w) })
	r.check(ctx, CheckWebhookTransport, group, w.ID, func(context.Context) Result { return r.transportResult(w) })
	r.check(ctx, CheckWebhookEvents, group, w.ID, func(context.Context) Result { return r.eventsResult(w) })
	r.check(ctx, CheckWebhookDuplicates, group, w.ID, func(context.Context) Result { return duplicatesResult(w, all) })
	// Last: its wording may wait for the profile's login to end.
	r.check(ctx, CheckWebhookOAuth, group, w.ID, func(cctx context.Context) Result { return r.oauthResult(cctx, w, a) })
}

func (r *run) addressResult(w drapi.Webhook, a sfcheck.EndpointAnalysis) Result {
	var warnings []string
	if a.HostKind == sfcheck.DomainMyDomain && a.MyDomain != nil {
		warnings = a.MyDomain.Warnings
	}
	var problems []string
	for _, p := range a.Problems {
		if !slices.Contains(warnings, p) {
			problems = append(problems, p)
		}
	}
	fix := func() string {
		if a.Corrected != "" {
			return fmt.Sprintf("Change the webhook's address to %s: run drsetup setup%s, or edit its Endpoint URL in the %s.", a.Corrected, r.setupArgs(), webhookPage)
		}
		return fmt.Sprintf("Set the webhook's address to https://<My Domain>%s, with the My Domain from Setup → My Domain: run drsetup setup, or edit its Endpoint URL in the %s.", sfcheck.ApexPath, webhookPage)
	}
	if len(problems) > 0 {
		return Result{Status: Fail, Summary: fmt.Sprintf("Digital River posts to %s. %s", w.Address, strings.Join(problems, " ")), Remedy: fix()}
	}
	if r.mode != ModeKeyOnly {
		if d, _ := r.domain.wait(context.Background()); d != nil && a.MyDomain != nil && a.MyDomain.Host != d.Host {
			return Result{Status: Fail,
				Summary: fmt.Sprintf("Digital River posts to %s, another org than the My Domain %s.", w.Address, d.Host),
				Remedy:  fmt.Sprintf("If this webhook is meant for %s, change its address to %s: run drsetup setup%s.", d.Host, d.EndpointURL(), profileArg(r.o.Profile))}
		}
	}
	sum := fmt.Sprintf("Digital River posts to %s, the app's endpoint.", w.Address)
	if len(warnings) > 0 {
		return Result{Status: Warn, Summary: sum + " " + strings.Join(warnings, " "), Remedy: fix()}
	}
	return Result{Status: Pass, Summary: sum}
}

// setupArgs are the flags that point drsetup setup at the run's profile.
func (r *run) setupArgs() string {
	if r.mode == ModeProfile {
		return profileArg(r.o.Profile)
	}
	return ""
}

func enabledResult(w drapi.Webhook) Result {
	if w.Enabled {
		return Result{Status: Pass, Summary: "Digital River sends it events."}
	}
	return Result{Status: Fail,
		Summary: "It is disabled, so Digital River sends it no events. Digital River disables a webhook by itself when its deliveries keep failing for several days.",
		Remedy:  "Fix the other failed checks first, then enable it: drsetup setup enables it, or use Enable in the " + webhookPage + " page of the webhook."}
}

func (r *run) transportResult(w drapi.Webhook) Result {
	switch strings.ToUpper(w.TransportType) {
	case drapi.TransportOAuth:
	case "", drapi.TransportHTTP:
		return Result{Status: Fail,
			Summary: "The transport is HTTP: Digital River posts events without a Salesforce access token, and Salesforce refuses them (401).",
			Remedy:  "Switch it to OAuth with the integration login: run drsetup setup, or choose OAuth in the " + webhookPage + " page of the webhook."}
	default:
		return Result{Status: Fail, Summary: fmt.Sprintf("The transport %q is not one Digital River documents (HTTP or OAUTH).", w.TransportType),
			Remedy: "Run drsetup setup to set it to OAUTH."}
	}
	if w.OAuth == nil {
		return Result{Status: Fail, Summary: "The transport is OAUTH, but Digital River holds no OAuth settings, so it cannot log in to Salesforce.",
			Remedy: "Run drsetup setup to store the login, or fill in the OAuth settings in the " + webhookPage + " page of the webhook."}
	}
	switch grant := strings.ToLower(w.OAuth.GrantType); grant {
	case drapi.GrantClientCredentials:
		return Result{Status: Pass, Summary: "OAUTH with the client credentials grant: Digital River logs in as the connected app's Run As user."}
	case "", drapi.GrantPassword:
		return r.retirementWarning()
	default:
		return Result{Status: Fail, Summary: fmt.Sprintf("OAUTH with the grant type %q, which Salesforce does not offer Digital River.", w.OAuth.GrantType),
			Remedy: "Run drsetup setup to store the password or client credentials grant."}
	}
}

// retirementWarning is the note on the username-password flow.
func (r *run) retirementWarning() Result {
	date := RetirementDate.Format("2006-01-02")
	sum := fmt.Sprintf("OAUTH with the username-password grant. Salesforce is reported to retire this flow, with enforcement reported for %s; orgs created since Summer '23 block it already.", date)
	if !r.now().Before(RetirementDate) {
		sum = fmt.Sprintf("OAUTH with the username-password grant, which Salesforce was reported to stop accepting from %s: if the login fails with invalid_grant, this is the likely cause.", date)
	}
	return Result{Status: Warn, Summary: sum,
		Remedy: "Move to client credentials: in Setup → App Manager → Salesforce DigitalRiver Integration → Edit, tick Enable Client Credentials Flow and set a Run As user, then run drsetup setup --auth client-credentials to switch the webhook."}
}

// oauthResult checks the login settings Digital River stores: on their own
// (the token endpoint against the org of the address), and against the
// values of the run, secrets compared by value and never shown.
func (r *run) oauthResult(ctx context.Context, w drapi.Webhook, a sfcheck.EndpointAnalysis) Result {
	if w.OAuth == nil {
		return Result{Status: Skip, Summary: "Not checked: Digital River holds no OAuth settings for this webhook (see webhook_transport)."}
	}
	o := w.OAuth
	var fails, warns, remedies []string

	// On their own.
	flow, flowOK := flowOf(o.GrantType)
	switch norm, _, err := sfcheck.CheckTokenEndpoint(o.TokenEndPoint, r.o.AllowAnyHost); {
	case err != nil:
		fails = append(fails, "The stored token endpoint cannot be used: "+steps.Sentence(err.Error()))
		var te *sfcheck.TokenEndpointError
		if errors.As(err, &te) && te.Corrected != "" {
			remedies = append(remedies, fmt.Sprintf("Set the token endpoint to %s.", te.Corrected))
		}
	case flowOK:
		var md sfcheck.MyDomain
		if a.MyDomain != nil {
			md = *a.MyDomain
		}
		for _, f := range sfcheck.CrossCheck("", norm, md, flow) {
			if f.Field != sfcheck.FieldTokenEndpoint {
				continue
			}
			if f.Blocking {
				fails = append(fails, f.Message)
			} else {
				warns = append(warns, f.Message)
			}
			if f.Suggested != "" {
				remedies = append(remedies, fmt.Sprintf("Set the token endpoint to %s.", f.Suggested))
			} else {
				remedies = append(remedies, f.Remedy)
			}
		}
	}
	if strings.TrimSpace(o.ClientID) == "" {
		fails = append(fails, "The stored Client ID is empty.")
	}
	if o.ClientSecret.IsZero() {
		fails = append(fails, "The stored Client Secret is empty.")
	}
	if flow == sfcheck.FlowPassword {
		if strings.TrimSpace(o.UserName) == "" {
			fails = append(fails, "The stored username is empty.")
		}
		if o.Password.IsZero() {
			fails = append(fails, "The stored password is empty.")
		}
	}

	// Against the run's values.
	var notCompared []string
	if r.mode != ModeKeyOnly {
		diffs, unknown := r.compareStored(w)
		notCompared = unknown
		if len(diffs) > 0 {
			s, _ := r.sfSession.wait(ctx)
			fails = append(fails, r.describeDiffs(diffs, s != nil))
		}
	}

	if len(notCompared) > 0 && r.mode == ModeProfile {
		// A profile has its secrets: without them the stale-password case
		// goes unseen.
		warns = append(warns, fmt.Sprintf("Not compared with the profile's, which the run does not have: %s.", joinAnd(notCompared)))
		remedies = append(remedies, "Make the keyring reachable (see keyring), or set DRSETUP_CLIENT_SECRET and DRSETUP_PASSWORD for this run.")
		notCompared = nil
	}
	var res Result
	switch {
	case len(fails) > 0:
		res = Result{Status: Fail, Summary: strings.Join(append(fails, warns...), " ")}
	case len(warns) > 0:
		res = Result{Status: Warn, Summary: r.storedSummary(w, flow, false) + " " + strings.Join(warns, " ")}
	default:
		res = Result{Status: Pass, Summary: r.storedSummary(w, flow, r.mode != ModeKeyOnly)}
	}
	if len(notCompared) > 0 {
		res.Summary += fmt.Sprintf(" Not compared, as they were not given: %s.", joinAnd(notCompared))
	}
	if res.Status != Pass {
		remedies = append(remedies, fmt.Sprintf("Run drsetup setup%s: it updates the login settings stored in the webhook (or edit them in the %s page of the webhook).", r.setupArgs(), webhookPage))
		res.Remedy = strings.Join(remedies, " ")
	}
	return res
}

func (r *run) storedSummary(w drapi.Webhook, flow sfcheck.Flow, matched bool) string {
	o := w.OAuth
	who := "the connected app's Run As user"
	if flow == sfcheck.FlowPassword {
		who = o.UserName
	}
	sum := fmt.Sprintf("Digital River logs in at %s as %s with the Client ID %s.", o.TokenEndPoint, who, o.ClientID)
	if matched {
		sum += " The stored settings match the run's; secrets were compared without being shown."
	}
	return sum
}

// storedDiff is a stored login setting that differs from the run's.
type storedDiff struct {
	field    string // as drapi.Change.Field
	from, to string // not for secrets
	isSecret bool
}

// compareStored compares the login settings stored in w with the run's
// values. Values the run does not have (a secret the keyring could not
// give, a field given neither by the profile nor on the command line) are
// not compared; their names come back in unknown.
func (r *run) compareStored(w drapi.Webhook) (diffs []storedDiff, unknown []string) {
	want := r.setup.Spec().OAuth
	cur := *w.OAuth
	has := func(f profile.Field) bool { return given(r.o.Settings, f) }

	// Fields the run has no value for take the stored one, so Diff does not
	// report them.
	if !has(profile.FieldTokenEndpoint) && !has(profile.FieldEnvironment) && r.mode == ModeValues {
		want.TokenEndPoint = cur.TokenEndPoint
	} else if sameTokenEndpoint(want.TokenEndPoint, cur.TokenEndPoint) {
		want.TokenEndPoint = cur.TokenEndPoint
	}
	if !has(profile.FieldAuth) && r.mode == ModeValues {
		want.GrantType = cur.GrantType
	}
	if !has(profile.FieldClientID) {
		want.ClientID = cur.ClientID
	}
	if r.setup.ClientSecret.IsZero() {
		want.ClientSecret = cur.ClientSecret
		unknown = append(unknown, "the client secret")
	}
	if want.GrantType != drapi.GrantClientCredentials {
		if !has(profile.FieldUsername) {
			want.UserName = cur.UserName
		}
		if r.setup.Password.IsZero() {
			want.Password = cur.Password
			unknown = append(unknown, "the password")
		}
	}
	want.Audience = cur.Audience
	spec := drapi.Spec{Address: w.Address, Types: w.Types, Enabled: w.Enabled, APIVersion: w.APIVersion,
		TransportType: drapi.TransportOAuth, OAuth: want}
	for _, c := range drapi.Diff(w, spec) {
		field, ok := strings.CutPrefix(c.Field, "oauth.")
		if !ok {
			continue
		}
		d := storedDiff{field: field, from: c.From, to: c.To}
		d.isSecret = field == "password" || field == "clientSecret"
		if d.isSecret {
			d.from, d.to = "", ""
		}
		diffs = append(diffs, d)
	}
	return diffs, unknown
}

func sameTokenEndpoint(a, b string) bool {
	na, _, errA := sfcheck.CheckTokenEndpoint(a, true)
	nb, _, errB := sfcheck.CheckTokenEndpoint(b, true)
	return errA == nil && errB == nil && strings.EqualFold(na, nb)
}

// describeDiffs words the differences. Whether Digital River's login or the
// run's is the stale one shows in sf_login: when the run's works, Digital
// River's will fail.
func (r *run) describeDiffs(diffs []storedDiff, runWorks bool) string {
	whose := "the profile's"
	if r.mode == ModeValues {
		whose = "the one given"
	}
	consequence := "Digital River will fail to log in."
	if !runWorks {
		consequence = "One of them is out of date; dr_login_replay shows what Salesforce answers to the stored one."
	}
	if len(diffs) == 1 && diffs[0].isSecret {
		what := "password"
		if diffs[0].field == "clientSecret" {
			what = "client secret"
		}
		if runWorks {
			return fmt.Sprintf("The %s stored at Digital River differs from %s, which works: %s", what, whose, consequence)
		}
		return fmt.Sprintf("The %s stored at Digital River differs from %s. %s", what, whose, consequence)
	}
	var parts []string
	for _, d := range diffs {
		name := storedFieldName(d.field)
		if d.isSecret {
			parts = append(parts, name)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s (Digital River has %s, the run %s)", name, orNone(d.from), orNone(d.to)))
	}
	return fmt.Sprintf("The login settings stored at Digital River differ from %s: %s. %s", whose, strings.Join(parts, "; "), consequence)
}

func storedFieldName(field string) string {
	switch field {
	case "tokenEndPoint":
		return "token endpoint"
	case "userName":
		return "username"
	case "password":
		return "password"
	case "clientID":
		return "Client ID"
	case "clientSecret":
		return "client secret"
	case "grantType":
		return "grant type"
	}
	return field
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// flowOf maps a webhook's grant type to the Salesforce flow it makes.
func flowOf(grant string) (sfcheck.Flow, bool) {
	switch strings.ToLower(strings.TrimSpace(grant)) {
	case "", drapi.GrantPassword:
		return sfcheck.FlowPassword, true
	case drapi.GrantClientCredentials:
		return sfcheck.FlowClientCredentials, true
	}
	return sfcheck.Flow(grant), false
}

// unhandledOK are order events the app maps although its guide does not
// list them.
var unhandledOK = []string{"order.created"}

func (r *run) eventsResult(w drapi.Webhook) Result {
	want := drapi.AppEvents
	if r.mode != ModeKeyOnly && given(r.o.Settings, profile.FieldEvents) {
		want = r.setup.Events
	}
	var missing, leftOut, extra []string
	for _, e := range drapi.MissingAppEvents(w.Types) {
		if slices.Contains(want, e) {
			missing = append(missing, e)
		} else {
			leftOut = append(leftOut, e)
		}
	}
	for _, t := range w.Types {
		if !slices.Contains(drapi.AppEvents, t) && !slices.Contains(unhandledOK, t) {
			extra = append(extra, t)
		}
	}
	for _, e := range want {
		if !slices.Contains(w.Types, e) && !slices.Contains(missing, e) && !slices.Contains(drapi.AppEvents, e) {
			missing = append(missing, e)
		}
	}
	fix := fmt.Sprintf("Run drsetup setup%s to subscribe it to all eight, or tick them in the %s page of the webhook.", r.setupArgs(), webhookPage)
	var sums []string
	status := Pass
	if len(missing) > 0 {
		status = Fail
		sums = append(sums, fmt.Sprintf("Digital River does not send %s: orders that reach %s never update in Salesforce.", joinAnd(missing), thoseStates(len(missing))))
	}
	if len(leftOut) > 0 {
		status = worse(status, Warn)
		sums = append(sums, fmt.Sprintf("Left out, as the run's event list says: %s.", joinAnd(leftOut)))
	}
	if len(extra) > 0 {
		status = worse(status, Warn)
		sums = append(sums, fmt.Sprintf("It also subscribes to %s, which the app does not handle: Salesforce stores each as an error record and emails the admin.", joinAnd(extra)))
		fix += " Untick the event types the app does not handle."
	}
	if status == Pass {
		return Result{Status: Pass, Summary: fmt.Sprintf("Subscribes to all %d event types the app handles.", len(drapi.AppEvents))}
	}
	return Result{Status: status, Summary: strings.Join(sums, " "), Remedy: fix}
}

func thoseStates(n int) string {
	if n == 1 {
		return "that state"
	}
	return "those states"
}

func worse(a, b Status) Status {
	if b.severity() > a.severity() {
		return b
	}
	return a
}

// orgKey groups webhooks that deliver to the same org: the org's My Domain
// host when the address names one, the address itself otherwise.
func orgKey(w drapi.Webhook) string {
	a := sfcheck.AnalyzeEndpoint(w.Address)
	if a.IsApexWebhook && a.MyDomain != nil {
		return a.MyDomain.Host
	}
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(w.Address), "/"))
}

func duplicatesResult(w drapi.Webhook, all []drapi.Webhook) Result {
	key := orgKey(w)
	var enabled, disabled []string
	for _, o := range all {
		if o.ID == w.ID || orgKey(o) != key {
			continue
		}
		if o.Enabled {
			enabled = append(enabled, o.ID)
		} else {
			disabled = append(disabled, o.ID)
		}
	}
	switch {
	case len(enabled) > 0:
		n := len(enabled) + 1
		return Result{Status: Fail,
			Summary: fmt.Sprintf("Webhook %s also point%s at %s: Digital River delivers every event to each, so the app receives each order event %s.", joinAnd(enabled), singularS(len(enabled)), key, times(n)),
			Remedy:  fmt.Sprintf("Keep one and delete the others in the %s; drsetup setup then updates the one left instead of adding another.", webhookPage)}
	case len(disabled) > 0:
		return Result{Status: Warn,
			Summary: fmt.Sprintf("Disabled webhook %s also point%s at %s; it sends nothing now, but enabled again, each event would arrive twice.", joinAnd(disabled), singularS(len(disabled)), key),
			Remedy:  fmt.Sprintf("Delete it in the %s.", webhookPage)}
	}
	return Result{Status: Pass, Summary: fmt.Sprintf("No other webhook of this key points at %s.", key)}
}

func times(n int) string {
	if n == 2 {
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// replay makes the login Digital River makes with the settings stored in w,
// and probes the webhook's address with the token it gets.
func (r *run) replay(ctx context.Context, group int, w drapi.Webhook) {
	a := sfcheck.AnalyzeEndpoint(w.Address)
	if strings.ToUpper(w.TransportType) != drapi.TransportOAuth || w.OAuth == nil {
		r.skip(CheckDRLoginReplay, group, w.ID, "Not replayed: Digital River holds no OAuth login for this webhook (see webhook_transport).")
		return
	}
	o := w.OAuth
	flow, ok := flowOf(o.GrantType)
	if !ok {
		r.skip(CheckDRLoginReplay, group, w.ID, fmt.Sprintf("Not replayed: the grant type %q is not one Salesforce offers (see webhook_transport).", o.GrantType))
		return
	}
	cr := sfcheck.Credentials{
		TokenEndpoint: o.TokenEndPoint,
		Flow:          flow,
		ClientID:      o.ClientID,
		ClientSecret:  o.ClientSecret,
	}
	if flow == sfcheck.FlowPassword {
		cr.Username, cr.Password = o.UserName, o.Password
	}
	if a.MyDomain != nil {
		cr.MyDomain = a.MyDomain.URL()
	}
	// The replay sends credentials and a token where the webhook says, so
	// the host rule holds whatever --allow-any-host says: the flag is for
	// what the admin types, not for what a webhook stores.
	strict := *r.o.Salesforce
	strict.AllowAnyHost = r.o.ReplayAnyHost
	if _, _, err := sfcheck.CheckTokenEndpoint(o.TokenEndPoint, strict.AllowAnyHost); err != nil {
		r.check(ctx, CheckDRLoginReplay, group, w.ID, func(context.Context) Result {
			return Result{Status: Fail, Hop: HopToken,
				Summary: "Digital River's stored login was not replayed: the token endpoint stored in this webhook, " + httpx.Redact(o.TokenEndPoint) + ", is not one drsetup sends credentials to. " + steps.Sentence(err.Error()),
				Remedy:  fmt.Sprintf("Store the org's token endpoint in the webhook (%s, %s, or the org's My Domain followed by /services/oauth2/token): drsetup setup%s, or the %s page of the webhook. --allow-any-host does not apply to what a webhook stores.", sfcheck.ProductionTokenURL, sfcheck.SandboxTokenURL, r.setupArgs(), webhookPage)}
		})
		return
	}
	r.check(ctx, CheckDRLoginReplay, group, w.ID, func(cctx context.Context) Result {
		s, sharedWith, err := r.logins.login(cctx, ctx, cr, "webhook "+w.ID)
		note := ""
		switch {
		case sharedWith == string(CheckSFLogin):
			note = " It is the profile's own login (sf_login), sent once for both."
			if r.mode == ModeValues {
				note = " It is the login of the values given (sf_login), sent once for both."
			}
		case sharedWith != "":
			note = fmt.Sprintf(" It is the same login as %s's, sent once for both.", sharedWith)
		}
		if err != nil {
			if res, ok := r.staleLogin(cctx, w, err, sharedWith); ok {
				return res
			}
			sum, remedy := explainLogin(err)
			return Result{Status: Fail, Hop: HopToken,
				Summary: "Digital River's login with the settings stored in this webhook fails." + note + " " + sum,
				Remedy:  strings.TrimSpace(remedy + fmt.Sprintf(" Then store the corrected login in the webhook: drsetup setup%s, or the %s page of the webhook.", r.setupArgs(), webhookPage))}
		}
		who := "the Run As user"
		if flow == sfcheck.FlowPassword {
			who = o.UserName
		}
		lead := fmt.Sprintf("Salesforce accepted the stored login of %s (org %s).%s", who, s.OrgID, note)
		usable := a.HostKind == sfcheck.DomainMyDomain && a.MyDomain != nil && strings.HasPrefix(strings.ToLower(strings.TrimSpace(w.Address)), "https://")
		switch {
		case usable:
			return probeResult(cctx, &strict, s, w.Address, lead)
		case a.Corrected != "":
			res := probeResult(cctx, &strict, s, a.Corrected, lead+fmt.Sprintf(" The token is not sent to %s, which is not the org's API address (see webhook_address); at the corrected address:", hostOf(w.Address)))
			if res.Status == Pass {
				res.Status, res.Remedy = Warn, fmt.Sprintf("Change the webhook's address to %s (see webhook_address).", a.Corrected)
			}
			return res
		}
		return Result{Status: Warn, Hop: HopApex,
			Summary: lead + " The endpoint was not probed: the webhook's address is not a Salesforce org's (see webhook_address).",
			Remedy:  "Correct the webhook's address first (see webhook_address)."}
	})
}

// staleLogin words a refused replay when the run's own login works and the
// stored settings differ from it: then the stored ones are out of date, the
// case of a password rotated in Salesforce but not at Digital River.
func (r *run) staleLogin(ctx context.Context, w drapi.Webhook, err error, sharedWith string) (Result, bool) {
	var le *sfcheck.LoginError
	if r.mode == ModeKeyOnly || sharedWith != "" || !errors.As(err, &le) || le.Code == "" {
		return Result{}, false
	}
	if s, _ := r.sfSession.wait(ctx); s == nil {
		return Result{}, false
	}
	diffs, _ := r.compareStored(w)
	if len(diffs) == 0 {
		return Result{}, false
	}
	names := make([]string, len(diffs))
	for i, d := range diffs {
		names[i] = storedFieldName(d.field)
	}
	whose := "the profile's"
	if r.mode == ModeValues {
		whose = "the one given"
	}
	return Result{Status: Fail, Hop: HopToken,
		Summary: fmt.Sprintf("Salesforce refused the login stored in this webhook (%s: %s), while %s works (sf_login): the stored %s %s out of date (see webhook_oauth).",
			le.Code, le.Description, whose, joinAnd(names), isAre(len(names))),
		Remedy: fmt.Sprintf("Run drsetup setup%s to store the working login in the webhook. Until then every delivery fails, and each refused login counts towards locking the user out.", r.setupArgs()),
	}, true
}

func filter(ws []drapi.Webhook, keep func(drapi.Webhook) bool) []drapi.Webhook {
	var out []drapi.Webhook
	for _, w := range ws {
		if keep(w) {
			out = append(out, w)
		}
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func singularS(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
