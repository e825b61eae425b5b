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

// unhandledOK are order events the app maps although its guide does not
// list them.
var unhandledOK = []string{"order.created"}

func (r *run) eventsResult(w drapi.Webhook) Result {
	want := drapi.AppEvents
	if r.mode != ModeKeyOnly && given(r.o.Settings, field.Events) {
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
		sums = append(sums, fmt.Sprintf("Digital River does not send %s: orders that reach %s never update in Salesforce.", text.JoinAnd(missing), thoseStates(len(missing))))
	}
	if len(leftOut) > 0 {
		status = worse(status, Warn)
		sums = append(sums, fmt.Sprintf("Left out, as the run's event list says: %s.", text.JoinAnd(leftOut)))
	}
	if len(extra) > 0 {
		status = worse(status, Warn)
		sums = append(sums, fmt.Sprintf("It also subscribes to %s, which the app does not handle: Salesforce stores each as an error record and emails the admin.", text.JoinAnd(extra)))
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
			Summary: fmt.Sprintf("Webhook %s also point%s at %s: Digital River delivers every event to each, so the app receives each order event %s.", text.JoinAnd(enabled), text.VerbS(len(enabled)), key, text.Times(n)),
			Remedy:  fmt.Sprintf("Keep one and delete the others in the %s; drsetup setup then updates the one left instead of adding another.", webhookPage)}
	case len(disabled) > 0:
		return Result{Status: Warn,
			Summary: fmt.Sprintf("Disabled webhook %s also point%s at %s; it sends nothing now, but enabled again, each event would arrive twice.", text.JoinAnd(disabled), text.VerbS(len(disabled)), key),
			Remedy:  fmt.Sprintf("Delete it in the %s.", webhookPage)}
	}
	return Result{Status: Pass, Summary: fmt.Sprintf("No other webhook of this key points at %s.", key)}
}
