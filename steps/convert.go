package steps

import (
	"slices"
	"strings"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// FromSettings builds a Setup from resolved settings (flags, DRSETUP_*
// variables, the profile and its keyring entries). Values that do not parse
// are kept as given, for Validate to name.
func FromSettings(name string, set profile.Settings) Setup {
	s := Defaults(name)
	if v := set.Get(profile.FieldEnvironment); v != "" {
		if env, err := sfcheck.ParseEnvironment(v); err == nil {
			s.Environment = env
		} else {
			s.Environment = sfcheck.Environment(v)
		}
	}
	s.Token = TokenChoice(s.Environment)
	if s.Environment != sfcheck.Production && s.Environment != sfcheck.Sandbox {
		s.Token = ""
	}
	s.MyDomain = set.Get(profile.FieldMyDomain)
	if v := set.Get(profile.FieldAuth); v != "" {
		if f, err := sfcheck.ParseFlow(v); err == nil {
			s.Auth = f
		} else {
			s.Auth = sfcheck.Flow(v)
		}
	}
	if v := strings.TrimSpace(set.Get(profile.FieldTokenEndpoint)); v != "" {
		s.setTokenURL(v)
	}
	s.ClientID = set.Get(profile.FieldClientID)
	s.ClientSecret = set.Secret(profile.FieldClientSecret)
	s.Username = set.Get(profile.FieldUsername)
	s.Password = set.Secret(profile.FieldPassword)
	s.SecurityToken = set.Secret(profile.FieldSecurityToken)
	s.DRAPIKey = set.Secret(profile.FieldDRAPIKey)
	if ev := set.Events(); len(ev) > 0 {
		s.Events = ev
	}
	return s
}

// setTokenURL records a token endpoint given as a URL as the choice it
// amounts to: one of the shared endpoints, the My Domain's own, or custom.
func (s *Setup) setTokenURL(v string) {
	norm, kind, err := sfcheck.CheckTokenEndpoint(v, true)
	switch {
	case err != nil:
		s.Token, s.TokenEndpoint = TokenCustom, v
	case kind == sfcheck.TokenLogin && norm == sfcheck.ProductionTokenURL:
		s.Token, s.Environment = TokenProduction, sfcheck.Production
	case kind == sfcheck.TokenTest && norm == sfcheck.SandboxTokenURL:
		s.Token, s.Environment = TokenSandbox, sfcheck.Sandbox
	case kind == sfcheck.TokenMyDomain && s.domainTokenIs(norm):
		s.Token = TokenMyDomain
	default:
		s.Token, s.TokenEndpoint = TokenCustom, norm
	}
}

func (s Setup) domainTokenIs(url string) bool {
	d, err := s.Domain()
	return err == nil && strings.EqualFold(d.TokenEndpoint(), url)
}

// ProfileAfter is what the profile file keeps of the setup after a
// registration (of the webhook webhookID, with a key of mode, for the org
// orgID): no secret.
func (s Setup) ProfileAfter(prev profile.Profile, webhookID string, mode drapi.Mode, orgID string, now time.Time) profile.Profile {
	p := prev
	p.Name = s.Profile
	p.Environment = string(s.Env())
	p.TokenEndpoint = s.TokenURL()
	if d, err := s.Domain(); err == nil {
		p.MyDomain = d.URL()
	} else {
		p.MyDomain = strings.TrimSpace(s.MyDomain)
	}
	p.Auth = string(s.Auth)
	p.ClientID = strings.TrimSpace(s.ClientID)
	p.Username = ""
	if s.Auth != sfcheck.FlowClientCredentials {
		p.Username = strings.TrimSpace(s.Username)
	}
	p.Events = slices.Clone(s.Events)
	p.DRMode = string(mode)
	p.WebhookID = webhookID
	if orgID != "" {
		// Doctor compares it with the org a later login reaches, which
		// catches a refreshed sandbox.
		p.OrgID = orgID
	}
	p.LastSetup = now.UTC()
	return p
}
