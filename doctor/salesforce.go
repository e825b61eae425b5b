package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// salesforce is the Salesforce chain: My Domain, token endpoint, the login,
// then the instance and the Apex endpoint with the login's token.
func (r *run) salesforce(ctx context.Context) {
	// Whatever happens below, the webhook checks waiting on these go on.
	defer r.domain.set(nil)
	defer r.profileLogin.set(loginOutcome{})
	defer r.apexProbe.set(probeSample{})

	if r.mode == ModeKeyOnly || r.mode == ModeNone {
		why := "No Salesforce values were given (profile, flags or DRSETUP_* variables)."
		if r.mode == ModeKeyOnly {
			why = "No Salesforce values were given; each webhook's stored login is replayed instead (dr_login_replay)."
		}
		for _, id := range []ID{CheckMyDomain, CheckTokenEndpoint, CheckSFLogin, CheckInstanceURL, CheckApexEndpoint} {
			r.skip(id, 0, "", why)
		}
		if r.mode == ModeNone {
			r.skipSession(0, "", why)
		}
		return
	}

	d := r.checkMyDomain(ctx)
	r.domain.set(d)
	tokenOK := r.checkTokenEndpoint(ctx, d)

	var wg sync.WaitGroup
	session := r.checkLogin(ctx, tokenOK, func(s *sfcheck.Session, whose string) {
		// The instance and the endpoint need only the token: they run
		// while the login check reads the user's identity.
		wg.Go(func() {
			r.check(ctx, CheckInstanceURL, 0, "", func(context.Context) Result { return r.instanceResult(s, d, whose) })
		})
		wg.Go(func() {
			r.check(ctx, CheckApexEndpoint, 0, "", func(cctx context.Context) Result { return r.apexResult(cctx, s, d, whose) })
		})
		wg.Go(func() { r.sessionEvidence(ctx, 0, "", r.o.Salesforce, s, r.apexProbe.wait) })
	})
	if session == nil {
		why := "Not checked: there is no Salesforce login (see sf_login)."
		r.skip(CheckInstanceURL, 0, "", why)
		r.skip(CheckApexEndpoint, 0, "", why)
		r.skipSession(0, "", why)
	}
	wg.Wait()
}

func (r *run) checkMyDomain(ctx context.Context) *sfcheck.MyDomain {
	var d *sfcheck.MyDomain
	r.check(ctx, CheckMyDomain, 0, "", func(context.Context) Result {
		raw := strings.TrimSpace(r.setup.MyDomain)
		if raw == "" {
			return Result{Status: Fail,
				Summary: "No My Domain URL is set, so the address Digital River must post to cannot be known.",
				Remedy:  "Setup → My Domain shows it (e.g. https://acme.my.salesforce.com). " + r.useValue(field.MyDomain, "")}
		}
		md, err := sfcheck.ParseMyDomain(raw)
		if err != nil {
			res := Result{Status: Fail, Summary: text.Sentence(err.Error())}
			var de *sfcheck.DomainError
			if errors.As(err, &de) && de.Corrected != "" {
				res.Remedy = r.useValue(field.MyDomain, de.Corrected)
			} else {
				res.Remedy = "Copy the My Domain URL from Setup → My Domain; it ends in .my.salesforce.com. " + r.useValue(field.MyDomain, "")
			}
			return res
		}
		d = &md
		kind := "a production org"
		if md.Sandbox {
			kind = "a sandbox"
		}
		sum := fmt.Sprintf("%s is the My Domain of %s; Digital River must post to %s.", md.URL(), kind, md.EndpointURL())
		if len(md.Warnings) > 0 {
			return Result{Status: Warn, Summary: sum + " " + strings.Join(md.Warnings, " "),
				Remedy: "Compare with the Current My Domain URL in Setup → My Domain. " + r.useValue(field.MyDomain, "")}
		}
		return Result{Status: Pass, Summary: sum}
	})
	return d
}

func (r *run) checkTokenEndpoint(ctx context.Context, d *sfcheck.MyDomain) bool {
	res := r.check(ctx, CheckTokenEndpoint, 0, "", func(context.Context) Result {
		tok := r.setup.TokenURL()
		if tok == "" {
			return Result{Status: Fail,
				Summary: "The token endpoint is the org's own (its My Domain followed by /services/oauth2/token), and the My Domain is not valid (see my_domain).",
				Remedy:  "Correct the My Domain first. " + r.useValue(field.MyDomain, "")}
		}
		norm, kind, err := sfcheck.CheckTokenEndpoint(tok, r.o.AllowAnyHost)
		if err != nil {
			res := Result{Status: Fail, Summary: text.Sentence(err.Error())}
			var te *sfcheck.TokenEndpointError
			if errors.As(err, &te) && te.Corrected != "" {
				res.Remedy = r.useValue(field.TokenEndpoint, te.Corrected)
			} else {
				res.Remedy = fmt.Sprintf("Use %s (production), %s (sandbox) or the org's My Domain followed by /services/oauth2/token. %s",
					sfcheck.ProductionTokenURL, sfcheck.SandboxTokenURL, r.useValue(field.TokenEndpoint, ""))
			}
			return res
		}
		var md sfcheck.MyDomain
		if d != nil {
			md = *d
		}
		findings := sfcheck.CrossCheck(r.setup.Env(), tok, md, r.setup.Auth)
		if len(findings) > 0 {
			res := Result{Status: Warn}
			var sums, remedies []string
			for _, f := range findings {
				if f.Blocking {
					res.Status = Fail
				}
				sums = append(sums, f.Message)
				rem := f.Remedy
				if f.Suggested != "" {
					rem += " " + r.useValue(field.Field(f.Field), f.Suggested)
				}
				remedies = append(remedies, rem)
			}
			res.Summary = fmt.Sprintf("Digital River logs in at %s. %s", norm, strings.Join(sums, " "))
			res.Remedy = strings.Join(remedies, " ")
			return res
		}
		sum := fmt.Sprintf("Digital River logs in at %s, %s.", norm, describeTokenKind(kind))
		if kind == sfcheck.TokenOther {
			return Result{Status: Warn, Summary: sum + " Credentials go to a host drsetup cannot tell is Salesforce's.",
				Remedy: fmt.Sprintf("Unless the org is on a special Salesforce cloud, use %s, %s or the org's My Domain followed by /services/oauth2/token. %s",
					sfcheck.ProductionTokenURL, sfcheck.SandboxTokenURL, r.useValue(field.TokenEndpoint, ""))}
		}
		if r.envInferred {
			sum += " No environment was given; the sandbox My Domain picks test.salesforce.com."
		}
		return Result{Status: Pass, Summary: sum}
	})
	return res.Status != Fail
}

func describeTokenKind(k sfcheck.TokenEndpointKind) string {
	switch k {
	case sfcheck.TokenLogin:
		return "Salesforce's login for production orgs"
	case sfcheck.TokenTest:
		return "Salesforce's login for sandboxes"
	case sfcheck.TokenMyDomain:
		return "the org's own login"
	}
	return "a host outside Salesforce's domains, allowed by --allow-any-host"
}

// checkLogin makes the run's login as Digital River will make it, and then
// reads the user's identity. Digital River's own login for the profile's
// webhook goes first, as it is what deliveries use; the run's follows only
// when it differs, so that a stale side costs one failed login, not more.
// onSession runs as soon as a token is in hand (the run's, or when only
// Digital River's works, that one, whose names who logged in). It returns
// that session, or nil.
func (r *run) checkLogin(ctx context.Context, tokenOK bool, onSession func(s *sfcheck.Session, whose string)) *sfcheck.Session {
	if !tokenOK {
		r.skip(CheckSFLogin, 0, "", "Not attempted: the token endpoint cannot be used (see token_endpoint).")
		return nil
	}
	if r.setup.Auth != sfcheck.FlowPassword && r.setup.Auth != sfcheck.FlowClientCredentials {
		r.record(CheckSFLogin, 0, "", Result{Status: Fail,
			Summary: fmt.Sprintf("%q is not an authentication method drsetup knows, so no login was attempted.", string(r.setup.Auth)),
			Remedy:  r.useValue(field.Auth, "password") + " (or client-credentials)"})
		return nil
	}
	if missing := r.missingForLogin(); len(missing) > 0 {
		r.needs(missing...)
		r.skip(CheckSFLogin, 0, "", "Not attempted: "+r.missingSentence(missing))
		return nil
	}
	// Digital River's chain names the webhook's stored login once it has
	// listed the webhooks; it bounds its own wait.
	stored, _ := r.stored.wait(ctx)
	var session *sfcheck.Session
	r.check(ctx, CheckSFLogin, 0, "", func(cctx context.Context) Result {
		cr := r.setup.Credentials()
		cr.MyDomain = r.setup.MyDomain
		var dr loginOutcome
		differs := stored != nil && credentialKey(stored.cr) != credentialKey(cr)
		if differs {
			dr.session, _, dr.err = r.logins.login(ctx, stored.cr, "webhook "+stored.webhook.ID)
		}
		s, _, err := r.logins.login(ctx, cr, string(CheckSFLogin))
		r.profileLogin.set(loginOutcome{session: s, err: err})
		if err != nil {
			return r.loginFailed(cr, err, stored, differs, dr, &session, onSession)
		}
		session = s
		onSession(s, "")
		who := "the connected app's Run As user"
		if r.setup.Auth == sfcheck.FlowPassword {
			who = strings.TrimSpace(r.setup.Username)
		}
		sum := fmt.Sprintf("Salesforce accepted the login of %s at %s (user %s, org %s).", who, httpx.Host(cr.TokenEndpoint), s.UserID, s.OrgID)
		if differs && !dr.works() && dr.tried() {
			sum += fmt.Sprintf(" The login stored in webhook %s differs and fails (see dr_login_replay).", stored.webhook.ID)
		}
		id, err := r.o.Salesforce.Identity(cctx, s)
		switch {
		case err != nil:
			isum, iremedy := explainLogin(err)
			return Result{Status: Warn, Summary: sum + " But the user's details could not be read: " + isum, Remedy: iremedy,
				Brief: "the user's details could not be read"}
		case !id.Active:
			return Result{Status: Fail, Summary: sum + fmt.Sprintf(" But Salesforce reports the user %s as inactive, so Digital River's deliveries are refused.", id.Username),
				Remedy: "Activate the user in Setup → Users → the user → Edit → Active, or choose another integration user.",
				Brief:  "the integration user is inactive"}
		}
		return Result{Status: Pass, Summary: sum}
	})
	return session
}

// loginFailed words a refused login of the run's values. When Digital
// River's stored login (dr, for the webhook of stored) works and differs,
// deliveries work and the run's values are the stale side: a warning whose
// remedy updates the profile, and the instance and endpoint are checked
// with Digital River's session instead.
func (r *run) loginFailed(cr sfcheck.Credentials, err error, stored *storedLogin, differs bool, dr loginOutcome, session **sfcheck.Session, onSession func(*sfcheck.Session, string)) Result {
	if errors.Is(err, errBudget) {
		return Result{Status: Skip, Summary: budgetSkip}
	}
	sum, remedy := explainLogin(err)
	if w := sfcheck.PasswordWarning(r.setup.Password.Reveal()); w != "" && r.setup.Auth == sfcheck.FlowPassword {
		remedy += " " + w
	}
	if !differs || !dr.works() {
		if differs && dr.tried() {
			sum += fmt.Sprintf(" Digital River's login stored in webhook %s fails too (see dr_login_replay).", stored.webhook.ID)
		}
		return Result{Status: Fail, Summary: sum, Remedy: remedy, Brief: briefLogin(err)}
	}
	*session = dr.session
	onSession(dr.session, "webhook "+stored.webhook.ID)
	names := diffNames(r.compareStored(stored.webhook))
	what := "values"
	if len(names) > 0 {
		what = text.JoinAnd(names)
	}
	whose, fix := "the profile's", fmt.Sprintf("Run drsetup setup%s and give the current %s: it updates the profile (the webhook's stored login already works, and setup keeps it).", profileArg(r.o.Profile), what)
	if r.mode == ModeValues {
		whose, fix = "the given", fmt.Sprintf("Give the current %s, as stored in webhook %s.", what, stored.webhook.ID)
	}
	return Result{Status: Warn,
		Summary: fmt.Sprintf("%s login is refused, while Digital River's login stored in webhook %s works (dr_login_replay): %s %s %s out of date, not the webhook's, so deliveries work. %s",
			text.Capitalize(whose), stored.webhook.ID, whose, what, text.IsAre(max(1, len(names))), sum),
		Remedy: fix,
		Brief:  r.sides("%s login is out of date; Digital River's stored login works"),
	}
}

// missingForLogin names the values a login needs that the run lacks. A
// login without its client secret would fail as if the secret were wrong,
// so it is not attempted either.
func (r *run) missingForLogin() []field.Field {
	var m []field.Field
	if strings.TrimSpace(r.setup.ClientID) == "" {
		m = append(m, field.ClientID)
	}
	if r.setup.ClientSecret.IsZero() {
		m = append(m, field.ClientSecret)
	}
	if r.setup.Auth == sfcheck.FlowPassword {
		if strings.TrimSpace(r.setup.Username) == "" {
			m = append(m, field.Username)
		}
		if r.setup.Password.IsZero() {
			m = append(m, field.Password)
		}
	}
	return m
}

// missingSentence says which values are missing and where each comes from.
func (r *run) missingSentence(fs []field.Field) string {
	nouns := make([]string, len(fs))
	wheres := make([]string, len(fs))
	for i, f := range fs {
		nouns[i] = "the " + f.Noun()
		wheres[i] = f.Where()
	}
	s := fmt.Sprintf("%s %s not available; give %s", text.JoinAnd(nouns), text.IsAre(len(fs)), text.JoinAnd(wheres))
	if r.mode == ModeProfile {
		them := "them"
		if len(fs) == 1 {
			them = "it"
		}
		s += fmt.Sprintf(", or save %s with drsetup setup%s", them, profileArg(r.o.Profile))
	}
	return s + "."
}

func (r *run) instanceResult(s *sfcheck.Session, d *sfcheck.MyDomain, whose string) Result {
	res := r.instanceFinding(s, d)
	if whose != "" {
		res.Summary = fmt.Sprintf("With the session of %s's stored login (the profile's is refused): %s", whose, res.Summary)
	}
	return res
}

func (r *run) instanceFinding(s *sfcheck.Session, d *sfcheck.MyDomain) Result {
	if d == nil {
		return Result{Status: Skip, Summary: fmt.Sprintf("Not compared: the My Domain is not valid. Salesforce says the login's org is at %s.", s.InstanceURL)}
	}
	if err := sfcheck.CheckInstance(s, *d); err != nil {
		res := Result{Status: Fail, Summary: text.Sentence(err.Error())}
		var ie *sfcheck.InstanceError
		if errors.As(err, &ie) {
			res.Remedy = r.useValue(field.MyDomain, "https://"+ie.InstanceHost)
			if !ie.SameOrg {
				res.Remedy = "If " + ie.InstanceHost + " is the org meant: " + res.Remedy + " Otherwise use the integration user and connected app of " + d.Host + "."
			}
		}
		return res
	}
	sum := fmt.Sprintf("The login's org is at %s, the My Domain given.", s.InstanceURL)
	if p := r.o.Saved; p != nil && p.OrgID != "" && !sameOrgID(p.OrgID, s.OrgID) {
		return Result{Status: Warn,
			Summary: sum + fmt.Sprintf(" But its org ID is %s, and the profile was set up with org %s: the sandbox was refreshed (which gives it a new ID), or the login belongs to another org.", s.OrgID, p.OrgID),
			Remedy:  fmt.Sprintf("Run drsetup setup%s to record this org, after checking in Setup → Company Information that it is the org meant.", profileArg(r.o.Profile))}
	}
	return Result{Status: Pass, Summary: sum}
}

// sameOrgID compares org IDs in their 15- or 18-character forms.
func sameOrgID(a, b string) bool {
	if len(a) < 15 || len(b) < 15 {
		return a == b
	}
	return a[:15] == b[:15]
}

func (r *run) apexResult(ctx context.Context, s *sfcheck.Session, d *sfcheck.MyDomain, whose string) Result {
	var sample probeSample
	defer func() { r.apexProbe.set(sample) }()
	lead := ""
	if whose != "" {
		lead = fmt.Sprintf("With the session of %s's stored login (the profile's is refused):", whose)
	}
	target := ""
	if d != nil {
		target = d.EndpointURL()
	} else if h := httpx.Host(s.InstanceURL); h != "" {
		target = "https://" + h + sfcheck.ApexPath
	}
	if target == "" {
		return Result{Status: Skip, Summary: "Not probed: neither the My Domain nor the login's instance URL gives the endpoint's host."}
	}
	var res Result
	res, sample = probe(ctx, r.o.Salesforce, s, target, lead)
	return res
}

// probe probes target with the session's token and words the verdict.
// lead, when set, opens the summary. It also returns what the probe
// measured: listener_latency's first GET.
func probe(ctx context.Context, sf *sfcheck.Client, s *sfcheck.Session, target, lead string) (Result, probeSample) {
	pr, err := sf.ProbeApex(ctx, s, target)
	return probeFinding(pr, err, target, lead), sampleOf(target, pr, err)
}

// probeFinding words a probe's verdict.
func probeFinding(pr sfcheck.ProbeResult, err error, target, lead string) Result {
	target = shownAddress(target)
	if lead != "" {
		lead += " "
	}
	if err != nil {
		sum, remedy := explainLogin(err)
		return Result{Status: Fail, Summary: lead + sum, Remedy: remedy, Hop: HopApex, Brief: briefLogin(err)}
	}
	if pr.Kind == sfcheck.ProbeReachable {
		return Result{Status: Pass, Hop: HopApex,
			Summary: lead + fmt.Sprintf("%s answers a GET with 405, as the app's listener does: the package is installed (a 405 comes before Salesforce checks whether the user may run it, in some orgs).", target)}
	}
	finding, remedy := explain.Probe(pr)
	res := Result{Status: Fail, Summary: fmt.Sprintf("%s%s (GET %s: HTTP %d).", lead, strings.TrimSuffix(finding, "."), target, pr.Status), Remedy: remedy, Hop: HopApex,
		Brief: fmt.Sprintf("the Apex endpoint answers HTTP %d", pr.Status)}
	if pr.OK {
		res.Status = Warn
	}
	return res
}

// explainLogin turns a failed Salesforce request into a finding and a
// remedy (explain's words, as every mode has them).
func explainLogin(err error) (summary, remedy string) {
	f := explain.Of(err)
	return f.Summary(), f.Remedy
}

// refusal is what Salesforce answered a request, as the finding's head:
// "Salesforce refused the login (invalid_grant: authentication failure)".
func refusal(le *sfcheck.LoginError) string {
	head := "Salesforce refused the login"
	switch le.Op {
	case sfcheck.OpIdentity:
		head = "reading the user's identity failed"
	case sfcheck.OpProbe:
		head = "probing the Apex endpoint failed"
	}
	switch {
	case le.Code != "" && le.Description != "":
		return fmt.Sprintf("%s (%s: %s)", head, le.Code, le.Description)
	case le.Code != "":
		return fmt.Sprintf("%s (%s)", head, le.Code)
	case le.Status != 0:
		return fmt.Sprintf("%s (HTTP %d)", head, le.Status)
	}
	return head
}

// briefLogin is a failed Salesforce request in a few words, the same for
// the same answer whichever webhook or profile met it.
func briefLogin(err error) string {
	var le *sfcheck.LoginError
	if !errors.As(err, &le) {
		return ""
	}
	switch {
	case le.Kind == sfcheck.KindMissingValue || le.Kind == sfcheck.KindHostRefused:
		return "no request was sent"
	case le.Kind == sfcheck.KindCancelled:
		return "cancelled"
	case le.Status == 0:
		what := map[string]string{sfcheck.OpIdentity: "reading the user's identity", sfcheck.OpProbe: "the Apex endpoint's probe"}[le.Op]
		if what == "" {
			what = "the login"
		}
		if le.Kind == sfcheck.KindTimeout {
			return what + " got no answer in time"
		}
		return what + " got no answer"
	}
	return refusal(le)
}

// useValue says how to put value into f: for a value given on the command
// line, the flag or variable to change; for the profile's, drsetup setup.
func (r *run) useValue(f field.Field, value string) string {
	flag := f.Flag()
	arg := flag
	if value != "" {
		arg += " " + value
	}
	switch r.o.Settings.Source(f) {
	case profile.SourceEnv:
		if value == "" {
			return "Correct " + f.EnvVar() + "."
		}
		return fmt.Sprintf("Set %s=%s.", f.EnvVar(), value)
	case profile.SourceFlag:
		if value == "" {
			return "Correct " + flag + "."
		}
		return "Use " + arg + "."
	}
	if r.mode == ModeProfile {
		return fmt.Sprintf("Run drsetup setup%s %s to correct the profile and the webhook.", profileArg(r.o.Profile), arg)
	}
	return fmt.Sprintf("Give %s (or %s) to check it.", arg, f.EnvVar())
}

// profileArg is the --profile flag that names the run's profile, "" for the
// default one.
func profileArg(name string) string {
	if name == "" || name == profile.DefaultName {
		return ""
	}
	return " --profile " + name
}
