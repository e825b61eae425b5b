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
// values of the run, secrets compared by value and never shown. Where they
// differ, which login works (replayed, and the run's in sf_login) says which
// side is out of date, and so which one the remedy updates.
func (r *run) oauthResult(ctx context.Context, e *examined, replayed loginOutcome) Result {
	w, a := e.w, e.a
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
	fixWebhook := fmt.Sprintf("Run drsetup setup%s: it updates the login settings stored in the webhook (or edit them in the %s page of the webhook).", r.setupArgs(), webhookPage)
	brief := "the stored login settings cannot work"
	if len(fails) == 0 && len(warns) > 0 {
		brief = "the stored token endpoint is not the best for this org"
	}
	if len(fails)+len(warns) > 0 {
		remedies = append(remedies, fixWebhook)
	}

	// Against the run's values.
	var notCompared []string
	var against diffVerdict
	if r.mode != ModeKeyOnly {
		diffs, unknown := r.compareStored(w)
		notCompared = unknown
		if len(diffs) > 0 {
			profile, _ := r.profileLogin.wait(ctx)
			against = r.judgeDiffs(diffs, profile, replayed)
			switch against.status {
			case Fail:
				fails = append(fails, against.sentence)
				brief = against.brief
			case Warn:
				warns = append(warns, against.sentence)
				if len(fails) == 0 {
					brief = against.brief
				}
			}
			if against.remedy != "" {
				remedies = append(remedies, against.remedy)
			}
		}
	}

	if len(notCompared) > 0 && r.mode == ModeProfile {
		// A profile has its secrets: without them the stale-password case
		// goes unseen.
		warns = append(warns, fmt.Sprintf("Not compared with the profile's, which the run does not have: %s.", text.JoinAnd(notCompared)))
		remedies = append(remedies, "Make the keyring reachable (see keyring), or set DRSETUP_CLIENT_SECRET and DRSETUP_PASSWORD for this run.")
		if len(fails)+len(warns) == 1 {
			brief = "not compared with the profile's secrets, which the run does not have"
		}
		notCompared = nil
	}
	var res Result
	switch {
	case len(fails) > 0:
		res = Result{Status: Fail, Summary: strings.Join(append(fails, warns...), " ")}
	case len(warns) > 0:
		res = Result{Status: Warn, Summary: r.storedSummary(w, flow, false) + " " + strings.Join(warns, " ")}
	default:
		res = Result{Status: Pass, Summary: r.storedSummary(w, flow, r.mode != ModeKeyOnly && against.status == "")}
		if against.status == Pass {
			res.Summary += " " + against.sentence
		}
	}
	if len(notCompared) > 0 {
		res.Summary += fmt.Sprintf(" Not compared, as they were not given: %s.", text.JoinAnd(notCompared))
	}
	if res.Status != Pass {
		res.Remedy, res.Brief = strings.Join(remedies, " "), brief
	}
	return res
}

// diffVerdict is what the differences between the stored login settings and
// the run's mean, once it is known which login works.
type diffVerdict struct {
	status           Status // "" when there is no difference
	sentence, remedy string
	brief            string
}

// judgeDiffs words the differences by which side works. Digital River's
// stored login working means deliveries work and the run's values are the
// stale side: a warning whose remedy updates the profile. The run's working
// means the webhook is stale: a failure whose remedy updates the webhook.
func (r *run) judgeDiffs(diffs []storedDiff, profile, replayed loginOutcome) diffVerdict {
	whose, theirs, stale := "the profile's", "The profile's", "the profile is"
	if r.mode == ModeValues {
		whose, theirs, stale = "the one given", "The given", "the values given are"
	}
	what := describeDiffs(diffs)
	switch {
	case profile.works() && replayed.works():
		return diffVerdict{status: Pass, sentence: fmt.Sprintf("It differs from %s in %s; both logins work.", whose, what)}
	case profile.works() && replayed.tried():
		return diffVerdict{status: Fail,
			sentence: fmt.Sprintf("The stored %s differ%s from %s, which works: Digital River's login fails (see dr_login_replay).", what, verbS(diffs), whose),
			remedy:   fmt.Sprintf("Run drsetup setup%s, or drsetup doctor --fix, to store the working login in the webhook (or edit it in the %s page of the webhook).", r.setupArgs(), webhookPage),
			brief:    r.sides("the stored login is out of date; %s works")}
	case replayed.works() && profile.tried():
		fix := fmt.Sprintf("Run drsetup setup%s with the current values to update the profile; the webhook's stored login needs no change.", profileArg(r.o.Profile))
		if r.mode == ModeValues {
			fix = "Give the values the webhook stores; the webhook's stored login needs no change."
		}
		return diffVerdict{status: Warn,
			sentence: fmt.Sprintf("%s %s differ%s from the stored one, which works: %s out of date, not the webhook, so deliveries work.", theirs, what, verbS(diffs), stale),
			remedy:   fix,
			brief:    r.sides("%s login is out of date; Digital River's stored login works")}
	case profile.tried() && replayed.tried():
		return diffVerdict{status: Fail,
			sentence: fmt.Sprintf("The stored %s differ%s from %s, and Salesforce refuses both logins (see sf_login and dr_login_replay).", what, verbS(diffs), whose),
			remedy:   fmt.Sprintf("Correct the login in Salesforce or in the values first (see sf_login), then run drsetup setup%s to store it in the webhook.", r.setupArgs()),
			brief:    r.sides("the stored login differs from %s, and neither works")}
	}
	return diffVerdict{status: Fail,
		sentence: fmt.Sprintf("The stored %s differ%s from %s; which one is current was not tried (see sf_login and dr_login_replay).", what, verbS(diffs), whose),
		remedy:   fmt.Sprintf("Run drsetup setup%s once the right values are known: it stores them in the webhook.", r.setupArgs()),
		brief:    r.sides("the stored login differs from %s")}
}

// sides fills the name of the run's own login into a brief: the profile's,
// or the given values'.
func (r *run) sides(format string) string {
	whose := "the profile's"
	if r.mode == ModeValues {
		whose = "the given values'"
	}
	return fmt.Sprintf(format, whose)
}

// verbS is the verb ending for the differences as one subject: "the
// password differs", "the password and client secret differ".
func verbS(diffs []storedDiff) string { return text.VerbS(len(diffs)) }

// describeDiffs names the differing settings; values are shown for those
// that are not secrets.
func describeDiffs(diffs []storedDiff) string {
	var parts []string
	for _, d := range diffs {
		name := storedFieldName(d.field)
		if d.isSecret {
			parts = append(parts, name)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s (Digital River has %s, the run %s)", name, text.Or(d.from, "none"), text.Or(d.to, "none")))
	}
	return text.JoinAnd(parts)
}

// diffNames names the differing settings, without values.
func diffNames(diffs []storedDiff, _ []string) []string {
	names := make([]string, len(diffs))
	for i, d := range diffs {
		names[i] = storedFieldName(d.field)
	}
	return names
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
