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
				Summary: "Digital River's stored login was not replayed: the token endpoint stored in this webhook, " + httpx.Redact(o.TokenEndPoint) + ", is not one drsetup sends credentials to. " + text.Sentence(err.Error()),
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
			le.Code, le.Description, whose, text.JoinAnd(names), text.IsAre(len(names))),
		Remedy: fmt.Sprintf("Run drsetup setup%s to store the working login in the webhook. Until then every delivery fails, and each refused login counts towards locking the user out.", r.setupArgs()),
	}, true
}
