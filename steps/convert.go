package steps

import (
	"strings"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// FromSettings builds a Setup from resolved settings (flags, DRSETUP_*
// variables, the profile and its keyring entries). Values that do not parse
// are kept as given, for Validate to name.
func FromSettings(name string, set profile.Settings) Setup {
	s := Defaults(name)
	for _, f := range field.All() {
		// The token endpoint last: whether it is the org's own depends on
		// the My Domain.
		if v := set.Get(f); v != "" && f != field.TokenEndpoint {
			s.SetValue(f, v)
		}
	}
	s.SetValue(field.TokenEndpoint, set.Get(field.TokenEndpoint))
	if v := set.Get(field.Environment); v != "" {
		if _, err := sfcheck.ParseEnvironment(v); err != nil {
			// A token endpoint does not overrule an environment that is
			// none: Validate names it with the other values.
			s.Environment = sfcheck.Environment(v)
		}
	}
	if s.App == sfcheck.AppExternal && set.Get(field.Auth) == "" {
		// An External Client App offers only client credentials.
		s.Auth = sfcheck.FlowClientCredentials
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
	p.Values = nil
	p.Set(field.Environment, string(s.Env()))
	p.Set(field.TokenEndpoint, s.TokenURL())
	if d, err := s.Domain(); err == nil {
		p.Set(field.MyDomain, d.URL())
	} else {
		p.Set(field.MyDomain, strings.TrimSpace(s.MyDomain))
	}
	p.Set(field.Auth, string(s.Auth))
	p.Set(field.App, string(s.App))
	p.Set(field.ClientID, strings.TrimSpace(s.ClientID))
	if s.Uses(field.Username) {
		p.Set(field.Username, strings.TrimSpace(s.Username))
	}
	p.Set(field.Events, strings.Join(s.Events, ","))
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
