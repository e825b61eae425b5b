package doctor

import (
	"strings"
	"testing"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// TestSandboxMyDomainPicksTheSandboxLogin gives, as a support engineer on a
// call would, a sandbox's My Domain and the login values but no environment:
// the login must go to test.salesforce.com, not the production default.
func TestSandboxMyDomainPicksTheSandboxLogin(t *testing.T) {
	const (
		uatHost = "acme--uat.sandbox.my.salesforce.com"
		uatUser = "integration@acme.example.uat"
	)
	sc := healthyScenario()
	sc.Orgs[0].MyDomain, sc.Orgs[0].Sandbox = uatHost, true
	sc.Orgs[0].Users[0].Username = uatUser
	h := &sc.DigitalRiver.Webhooks[0]
	h.Address = "https://" + uatHost + sfcheck.ApexPath
	h.OAuth.TokenEndPoint, h.OAuth.UserName = sfcheck.SandboxTokenURL, uatUser
	w := start(t, sc, nil)

	rep := diagnose(t, w.options(nil, nil, map[string]string{
		"DRSETUP_MY_DOMAIN": "https://" + uatHost, "DRSETUP_CLIENT_ID": clientID, "DRSETUP_USERNAME": uatUser,
		"DRSETUP_CLIENT_SECRET": clientSecret, "DRSETUP_PASSWORD": password, "DRSETUP_SECURITY_TOKEN": secToken,
		"DRSETUP_DR_API_KEY": liveKey,
	}))
	if rep.Mode != ModeValues {
		t.Fatalf("mode %s, want %s", rep.Mode, ModeValues)
	}
	tok := only(t, rep, CheckTokenEndpoint)
	if tok.Status != Pass || !strings.Contains(tok.Summary, sfcheck.SandboxTokenURL) || !strings.Contains(tok.Summary, "No environment was given") {
		t.Errorf("token_endpoint: %s %q", tok.Status, tok.Summary)
	}
	login := only(t, rep, CheckSFLogin)
	if login.Status != Pass || !strings.Contains(login.Summary, "at test.salesforce.com") {
		t.Errorf("sf_login: %s %q\n%s", login.Status, login.Summary, dump(rep))
	}
	// The webhook's stored login is the same: one attempt for both.
	if n := w.srv.LoginAttempts(uatUser); n != 1 {
		t.Errorf("%d login attempts, want 1", n)
	}
}

// TestRemedyNamesWhereTheValueCameFrom: a corrected value is to be put
// where the wrong one came from, a flag, a variable or the profile.
func TestRemedyNamesWhereTheValueCameFrom(t *testing.T) {
	const (
		lightning = "https://acme.lightning.force.com"
		corrected = "https://acme.my.salesforce.com"
	)
	for _, c := range []struct {
		name     string
		in       func(p *profile.Profile, sec *profile.Secrets) profile.Inputs
		remedy   string
		summary  string // in the profile check's summary
		noRemedy string // not in the remedy
	}{
		{name: "flag over the profile",
			in: func(p *profile.Profile, sec *profile.Secrets) profile.Inputs {
				return profile.Inputs{Flags: map[field.Field]string{field.MyDomain: lightning}, Profile: p, Secrets: sec}
			},
			remedy: "Use --my-domain " + corrected + ".", summary: "Given for this run, over the profile's: --my-domain."},
		{name: "variable over the profile",
			in: func(p *profile.Profile, sec *profile.Secrets) profile.Inputs {
				return profile.Inputs{Getenv: func(k string) string { return map[string]string{"DRSETUP_MY_DOMAIN": lightning}[k] }, Profile: p, Secrets: sec}
			},
			remedy: "Set DRSETUP_MY_DOMAIN=" + corrected + ".", summary: "Given for this run, over the profile's: DRSETUP_MY_DOMAIN."},
		{name: "the profile's own",
			in: func(p *profile.Profile, sec *profile.Secrets) profile.Inputs {
				p.Set(field.MyDomain, lightning)
				return profile.Inputs{Profile: p, Secrets: sec}
			},
			remedy: "Run drsetup setup --my-domain " + corrected + " to correct the profile", noRemedy: "DRSETUP_MY_DOMAIN"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := start(t, healthyScenario(), nil)
			p, sec := healthyProfile()
			o := w.options(p, sec, nil)
			o.Settings = profile.Resolve(c.in(p, sec))
			rep := diagnose(t, o)

			md := only(t, rep, CheckMyDomain)
			if md.Status != Fail || !strings.Contains(md.Remedy, c.remedy) || (c.noRemedy != "" && strings.Contains(md.Remedy, c.noRemedy)) {
				t.Errorf("my_domain: %s, remedy %q; want %q", md.Status, md.Remedy, c.remedy)
			}
			if prof := only(t, rep, CheckProfile); !strings.Contains(prof.Summary, c.summary) {
				t.Errorf("profile summary %q lacks %q", prof.Summary, c.summary)
			}
		})
	}
}
