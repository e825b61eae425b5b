package doctor

// The checks of one webhook that read only what Digital River stores: its
// address, state, transport, event types and the other webhooks of its org.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// RetirementDate is the day Salesforce is reported to enforce the retirement
// of the username-password flow (facts/salesforce.md, section 6).
var RetirementDate = time.Date(2027, 2, 20, 0, 0, 0, 0, time.UTC)

// webhookPage is where in the Digital River Dashboard a webhook is edited.
const webhookPage = "Digital River Dashboard → Developers → Webhooks"

// webhookSettings makes the checks of one webhook that read only what
// Digital River stores.
func (r *run) webhookSettings(ctx context.Context, e *examined, l *listing) {
	w, g := e.w, e.group
	r.check(ctx, CheckWebhookAddress, g, w.ID, func(context.Context) Result { return r.addressResult(w, e.a) })
	r.check(ctx, CheckWebhookEnabled, g, w.ID, func(context.Context) Result { return enabledResult(w) })
	r.check(ctx, CheckWebhookTransport, g, w.ID, func(context.Context) Result { return r.transportResult(w) })
	r.check(ctx, CheckWebhookEvents, g, w.ID, func(context.Context) Result { return r.eventsResult(w) })
	r.check(ctx, CheckWebhookDuplicates, g, w.ID, func(context.Context) Result { return duplicatesResult(e, l) })
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
		return Result{Status: Fail, Summary: fmt.Sprintf("Digital River posts to %s. %s", shownAddress(w.Address), strings.Join(problems, " ")), Remedy: fix(),
			Brief: addressBrief(a)}
	}
	if r.mode != ModeKeyOnly {
		if d, _ := r.domain.wait(context.Background()); d != nil && a.MyDomain != nil && a.MyDomain.Host != d.Host {
			return Result{Status: Fail,
				Summary: fmt.Sprintf("Digital River posts to %s, another org than the My Domain %s.", shownAddress(w.Address), d.Host),
				Remedy:  fmt.Sprintf("If this webhook is meant for %s, change its address to %s: run drsetup setup%s.", d.Host, d.EndpointURL(), profileArg(r.o.Profile)),
				Brief:   "the address is another org's"}
		}
	}
	sum := fmt.Sprintf("Digital River posts to %s, the app's endpoint.", shownAddress(w.Address))
	if len(warnings) > 0 {
		return Result{Status: Warn, Summary: sum + " " + strings.Join(warnings, " "), Remedy: fix(), Brief: "the address's host form is out of date"}
	}
	return Result{Status: Pass, Summary: sum}
}

// addressBrief says in a few words what is wrong with an address.
func addressBrief(a sfcheck.EndpointAnalysis) string {
	switch {
	case a.HostKind == sfcheck.DomainLightning:
		return "a Lightning host, which does not serve Salesforce's APIs"
	case !a.IsApexWebhook:
		return "not the app's endpoint"
	case a.Namespace != "" && a.Namespace != "digitalriverv3":
		return "another namespace than digitalriverv3"
	}
	return "an address Digital River cannot deliver to"
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
		Brief:   "disabled: Digital River sends it no events",
		Remedy:  "Fix the other failed checks first, then enable it: drsetup setup enables it, or use Enable in the " + webhookPage + " page of the webhook."}
}

func (r *run) transportResult(w drapi.Webhook) Result {
	switch strings.ToUpper(w.TransportType) {
	case drapi.TransportOAuth:
	case "", drapi.TransportHTTP:
		return Result{Status: Fail,
			Summary: "The transport is HTTP: Digital River posts events without a Salesforce access token, and Salesforce refuses them (401).",
			Brief:   "HTTP transport: Salesforce refuses the events",
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
	return Result{Status: Warn, Summary: sum, Brief: "username-password grant, which Salesforce is retiring",
		Remedy: "Move to client credentials: in Setup → App Manager → Salesforce DigitalRiver Integration → Edit, tick Enable Client Credentials Flow and set a Run As user, then run drsetup setup --auth client-credentials to switch the webhook."}
}

// unhandledOK are order events the app maps although its guide does not
// list them.
var unhandledOK = []string{"order.created"}

func (r *run) eventsResult(w drapi.Webhook) Result {
	missing, leftOut, extra := r.eventSets(w)
	fix := fmt.Sprintf("Run drsetup setup%s to subscribe it to all eight, or tick them in the %s page of the webhook.", r.setupArgs(), webhookPage)
	var sums, briefs []string
	status := Pass
	if len(missing) > 0 {
		briefs = append(briefs, fmt.Sprintf("%s not sent", text.Count(len(missing), "event type")))
		status = Fail
		sums = append(sums, fmt.Sprintf("Digital River does not send %s: orders that reach %s never update in Salesforce.", text.JoinAnd(missing), thoseStates(len(missing))))
	}
	if len(leftOut) > 0 {
		briefs = append(briefs, "event types left out as asked")
		status = worse(status, Warn)
		sums = append(sums, fmt.Sprintf("Left out, as the run's event list says: %s.", text.JoinAnd(leftOut)))
	}
	if len(extra) > 0 {
		briefs = append(briefs, "event types the app does not handle")
		status = worse(status, Warn)
		sums = append(sums, fmt.Sprintf("It also subscribes to %s, which the app does not handle: Salesforce stores each as an error record and emails the admin.", text.JoinAnd(extra)))
		fix += " Untick the event types the app does not handle."
	}
	if status == Pass {
		return Result{Status: Pass, Summary: fmt.Sprintf("Subscribes to all %d event types the app handles.", len(drapi.AppEvents))}
	}
	return Result{Status: status, Summary: strings.Join(sums, " "), Remedy: fix, Brief: strings.Join(briefs, "; ")}
}

// eventSets sorts w's event types against the run's: those it lacks that
// the run wants (the app's eight, or the list given), the app's it lacks as
// the given list asks, and those it has that the app does not handle.
func (r *run) eventSets(w drapi.Webhook) (missing, leftOut, extra []string) {
	want := drapi.AppEvents
	if r.mode != ModeKeyOnly && given(r.o.Settings, field.Events) {
		want = r.setup.Events
	}
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
	return missing, leftOut, extra
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
func orgKey(w drapi.Webhook, a sfcheck.EndpointAnalysis) string {
	if a.IsApexWebhook && a.MyDomain != nil {
		return a.MyDomain.Host
	}
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(w.Address), "/"))
}

// duplicatesResult compares e with the other webhooks of its org, from the
// index made once while listing: the same work for each webhook however
// many the org has.
func duplicatesResult(e *examined, l *listing) Result {
	g := l.orgs[e.org]
	enabled, disabled := g.enabled, g.disabled
	if e.w.Enabled {
		enabled--
	} else {
		disabled--
	}
	// Two sentences: what differs from one webhook to the next, then what
	// the report can say once for all of them.
	switch {
	case enabled > 0:
		return Result{Status: Fail,
			Summary: fmt.Sprintf("%s also deliver%s to this org. Digital River delivers every event for %s to each, so the app receives each order event %s.",
				text.Capitalize(others(g.someEnabled, enabled, e.w.ID)), text.VerbS(enabled), e.org, text.Times(enabled+1)),
			Remedy: fmt.Sprintf("Keep one and delete the others in the %s; drsetup setup then updates the one left instead of adding another.", webhookPage),
			Brief:  "several enabled webhooks for one org"}
	case disabled > 0:
		return Result{Status: Warn,
			Summary: fmt.Sprintf("Disabled %s also deliver%s to this org. Enabled again, each event for %s would arrive twice.",
				others(g.someDisab, disabled, e.w.ID), text.VerbS(disabled), e.org),
			Remedy: fmt.Sprintf("Delete it in the %s.", webhookPage),
			Brief:  "a disabled webhook for the same org would double every event if enabled"}
	}
	return Result{Status: Pass, Summary: fmt.Sprintf("No other webhook of this key delivers to %s.", e.org)}
}

// others names n webhooks from some, leaving out self: "webhook A",
// "webhooks A, B and C", "webhooks A, B, C and 12 others".
func others(some []string, n int, self string) string {
	var ids []string
	for _, id := range some {
		if id != self && len(ids) < maxNamed {
			ids = append(ids, id)
		}
	}
	if rest := n - len(ids); rest > 0 {
		ids = append(ids, text.Count(rest, "other"))
	}
	if n == 1 {
		return "webhook " + text.JoinAnd(ids)
	}
	return "webhooks " + text.JoinAnd(ids)
}
