package doctor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
)

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
	key := strings.TrimSpace(r.o.Settings.Get(field.DRAPIKey))
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
				return Result{Status: Fail, Summary: text.Sentence(err.Error()),
					Remedy: "Set DRSETUP_DR_API_KEY to the secret key, or save it with drsetup setup" + profileArg(r.o.Profile) + "."}
			}
			return Result{Status: Fail, Summary: text.Sentence(err.Error()),
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
		sum := fmt.Sprintf("The %s key %s works: it sees %d webhook%s.", c.Mode(), secret.Mask(key), len(all), text.S(len(all)))
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
					Summary: fmt.Sprintf("None of the key's %d webhook%s is addressed to the Digital River app's endpoint, https://<My Domain>%s: Digital River sends no Salesforce org any event.", len(all), text.S(len(all)), sfcheck.ApexPath),
					Remedy:  "Run drsetup setup to register the webhook. Test and live keys see different webhooks: check with the other mode's key too."}
			}
			orgs := map[string]bool{}
			for _, w := range selected {
				orgs[orgKey(w)] = true
			}
			return Result{Status: Pass, Summary: fmt.Sprintf("%d of the key's %d webhooks %s addressed to the app's endpoint, for %d org%s: each is checked below.",
				len(selected), len(all), text.IsAre(len(selected)), len(orgs), text.S(len(orgs)))}
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
		sum := fmt.Sprintf("Webhook %s points at %s.", text.JoinAnd(ids), target)
		if len(selected) > 1 {
			sum = fmt.Sprintf("%d webhooks point at %s: %s.", len(selected), target, text.JoinAnd(ids))
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

func filter(ws []drapi.Webhook, keep func(drapi.Webhook) bool) []drapi.Webhook {
	var out []drapi.Webhook
	for _, w := range ws {
		if keep(w) {
			out = append(out, w)
		}
	}
	return out
}
