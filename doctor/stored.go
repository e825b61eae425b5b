package doctor

// The login settings stored in a webhook, on their own and against the
// run's values.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

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
		fails = append(fails, "The stored token endpoint cannot be used: "+text.Sentence(err.Error()))
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
			if f.Field != field.TokenEndpoint {
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
		warns = append(warns, fmt.Sprintf("Not compared with the profile's, which the run does not have: %s.", text.JoinAnd(notCompared)))
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
		res.Summary += fmt.Sprintf(" Not compared, as they were not given: %s.", text.JoinAnd(notCompared))
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
	has := func(f field.Field) bool { return given(r.o.Settings, f) }

	// Fields the run has no value for take the stored one, so Diff does not
	// report them.
	if !has(field.TokenEndpoint) && !has(field.Environment) && r.mode == ModeValues {
		want.TokenEndPoint = cur.TokenEndPoint
	} else if sameTokenEndpoint(want.TokenEndPoint, cur.TokenEndPoint) {
		want.TokenEndPoint = cur.TokenEndPoint
	}
	if !has(field.Auth) && r.mode == ModeValues {
		want.GrantType = cur.GrantType
	}
	if !has(field.ClientID) {
		want.ClientID = cur.ClientID
	}
	if r.setup.ClientSecret.IsZero() {
		want.ClientSecret = cur.ClientSecret
		unknown = append(unknown, "the client secret")
	}
	if want.GrantType != drapi.GrantClientCredentials {
		if !has(field.Username) {
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
		parts = append(parts, fmt.Sprintf("%s (Digital River has %s, the run %s)", name, text.Or(d.from, "none"), text.Or(d.to, "none")))
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
