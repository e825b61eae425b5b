package doctor

// The replay of Digital River's login with the settings stored in a
// webhook, and the probe of its address with the token it gets.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

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

// replayCredentials are the credentials Digital River logs in with for e,
// from the settings stored in it; false when it stores no OAuth login
// Salesforce would take.
func replayCredentials(e *examined) (sfcheck.Credentials, bool) {
	w := e.w
	if strings.ToUpper(w.TransportType) != drapi.TransportOAuth || w.OAuth == nil {
		return sfcheck.Credentials{}, false
	}
	o := w.OAuth
	flow, ok := flowOf(o.GrantType)
	if !ok {
		return sfcheck.Credentials{}, false
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
	if e.a.MyDomain != nil {
		cr.MyDomain = e.a.MyDomain.URL()
	}
	return cr, true
}

// replay makes the login Digital River makes with the settings stored in e,
// and probes the webhook's address with the token it gets. It returns how
// the login ended (zero when it was not made).
func (r *run) replay(ctx context.Context, e *examined) loginOutcome {
	w, a := e.w, e.a
	if strings.ToUpper(w.TransportType) != drapi.TransportOAuth || w.OAuth == nil {
		r.skip(CheckDRLoginReplay, e.group, w.ID, "Not replayed: Digital River holds no OAuth login for this webhook (see webhook_transport).")
		return loginOutcome{}
	}
	o := w.OAuth
	cr, ok := replayCredentials(e)
	if !ok {
		r.skip(CheckDRLoginReplay, e.group, w.ID, fmt.Sprintf("Not replayed: the grant type %q is not one Salesforce offers (see webhook_transport).", o.GrantType))
		return loginOutcome{}
	}
	// The run's own login and the profile webhook's go first (sf_login
	// makes both): they decide which side is stale, and the lockout budget
	// is theirs before any other webhook's.
	profile, _ := r.profileLogin.wait(ctx)
	// The replay sends credentials and a token where the webhook says, so
	// the host rule holds whatever --allow-any-host says: the flag is for
	// what the admin types, not for what a webhook stores.
	strict := *r.o.Salesforce
	strict.AllowAnyHost = r.o.ReplayAnyHost
	if _, _, err := sfcheck.CheckTokenEndpoint(o.TokenEndPoint, strict.AllowAnyHost); err != nil {
		r.check(ctx, CheckDRLoginReplay, e.group, w.ID, func(context.Context) Result {
			return Result{Status: Fail, Hop: HopToken,
				Summary: "Digital River's stored login was not replayed: the token endpoint stored in this webhook, " + httpx.Redact(o.TokenEndPoint) + ", is not one drsetup sends credentials to. " + text.Sentence(err.Error()),
				Remedy:  fmt.Sprintf("Store the org's token endpoint in the webhook (%s, %s, or the org's My Domain followed by /services/oauth2/token): drsetup setup%s, or the %s page of the webhook. --allow-any-host does not apply to what a webhook stores.", sfcheck.ProductionTokenURL, sfcheck.SandboxTokenURL, r.setupArgs(), webhookPage),
				Brief:   "stored token endpoint refused"}
		})
		return loginOutcome{}
	}
	var out loginOutcome
	r.check(ctx, CheckDRLoginReplay, e.group, w.ID, func(cctx context.Context) Result {
		s, sharedWith, err := r.logins.login(ctx, cr, "webhook "+w.ID)
		out = loginOutcome{session: s, err: err}
		if errors.Is(err, errBudget) {
			return Result{Status: Skip, Summary: budgetSkip}
		}
		note := ""
		switch {
		case r.mode != ModeKeyOnly && r.sameAsRun(cr):
			note = " It is the profile's own login (sf_login), sent once for both."
			if r.mode == ModeValues {
				note = " It is the login of the values given (sf_login), sent once for both."
			}
		case sharedWith != "" && sharedWith != "webhook "+w.ID && sharedWith != string(CheckSFLogin):
			note = fmt.Sprintf(" It is the same login as %s's, sent once for both.", sharedWith)
		}
		if err != nil {
			if res, ok := r.staleLogin(e, err, profile, cr); ok {
				return res
			}
			sum, remedy := explainLogin(err)
			if stored, ok := strings.CutPrefix(sum, "Salesforce refused the login"); ok {
				sum = "Salesforce refused the login stored in this webhook" + stored + note
			} else {
				sum = "Digital River's login with the settings stored in this webhook fails." + note + " " + sum
			}
			return Result{Status: Fail, Hop: HopToken, Brief: strings.Replace(briefLogin(err), "refused the login", "refused the stored login", 1),
				Summary: sum,
				Remedy:  strings.TrimSpace(remedy + fmt.Sprintf(" Then store the corrected login in the webhook: drsetup setup%s, or the %s page of the webhook.", r.setupArgs(), webhookPage))}
		}
		who := "the Run As user"
		if cr.Flow == sfcheck.FlowPassword {
			who = o.UserName
		}
		r.mu.Lock()
		r.webhooks[e.group-1].OrgID = s.OrgID
		r.mu.Unlock()
		lead := fmt.Sprintf("Salesforce accepted the stored login of %s (org %s).%s", who, s.OrgID, note)
		usable := a.HostKind == sfcheck.DomainMyDomain && a.MyDomain != nil && strings.HasPrefix(strings.ToLower(strings.TrimSpace(w.Address)), "https://")
		switch {
		case usable:
			res, sample := probe(cctx, &strict, s, w.Address, lead)
			out.probe = sample
			return res
		case a.Corrected != "":
			res, sample := probe(cctx, &strict, s, a.Corrected, lead+fmt.Sprintf(" The token is not sent to %s, which is not the org's API address (see webhook_address); at the corrected address:", httpx.Host(w.Address)))
			out.probe = sample
			if res.Status == Pass {
				res.Status, res.Remedy = Warn, "Correct the webhook's address (see webhook_address)."
				res.Brief = "works only at the corrected address"
			}
			return res
		}
		return Result{Status: Warn, Hop: HopApex, Brief: "the login works; the address is not an org's, so nothing was probed",
			Summary: lead + " The endpoint was not probed: the webhook's address is not a Salesforce org's (see webhook_address).",
			Remedy:  "Correct the webhook's address first (see webhook_address)."}
	})
	return out
}

// sameAsRun reports whether cr is the run's own login, as sf_login sends it.
func (r *run) sameAsRun(cr sfcheck.Credentials) bool {
	own := r.setup.Credentials()
	return credentialKey(own) == credentialKey(cr)
}

// staleLogin words a refused replay when the run's own login works and
// differs from the stored one: then the stored one is out of date, the case
// of a password rotated in Salesforce but not at Digital River, and the
// remedy updates the webhook.
func (r *run) staleLogin(e *examined, err error, profile loginOutcome, cr sfcheck.Credentials) (Result, bool) {
	var le *sfcheck.LoginError
	if r.mode == ModeKeyOnly || !profile.works() || r.sameAsRun(cr) || !errors.As(err, &le) || le.Code == "" {
		return Result{}, false
	}
	names := diffNames(r.compareStored(e.w))
	if len(names) == 0 {
		return Result{}, false
	}
	whose := "the profile's"
	if r.mode == ModeValues {
		whose = "the one given"
	}
	return Result{Status: Fail, Hop: HopToken, Brief: r.sides("Digital River's stored login is out of date; %s works"),
		Summary: fmt.Sprintf("Salesforce refused the login stored in this webhook (%s: %s), while %s works (sf_login): the stored %s %s out of date (see webhook_oauth).",
			le.Code, le.Description, whose, text.JoinAnd(names), text.IsAre(len(names))),
		Remedy: fmt.Sprintf("Run drsetup setup%s, or drsetup doctor --fix, to store the working login in the webhook. Until then every delivery fails, and each refused login counts towards locking the user out.", r.setupArgs()),
	}, true
}
