package steps

import (
	"strings"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/sfcheck"
)

// Choice is one answer of a step that offers a list: the environment's
// token endpoints, the authentication methods. Every mode shows the same
// choices with the same words.
type Choice struct {
	Value  string
	Label  string
	Detail string // what it means, shown under or after the label
}

// TokenChoices are the token endpoints the environment step offers; the
// one given with --token-endpoint is offered too when there is one.
func TokenChoices(s Setup) []Choice {
	cs := []Choice{
		{Value: string(TokenProduction), Label: "Production",
			Detail: "login.salesforce.com: production and Developer Edition orgs."},
		{Value: string(TokenSandbox), Label: "Sandbox",
			Detail: "test.salesforce.com: sandboxes."},
		{Value: string(TokenMyDomain), Label: "The org's own My Domain token endpoint",
			Detail: "https://<My Domain>/services/oauth2/token: works for both, and the client credentials flow requires it."},
	}
	if s.Token == TokenCustom || s.TokenEndpoint != "" {
		cs = append(cs, Choice{Value: string(TokenCustom), Label: "The token endpoint given with --token-endpoint", Detail: s.TokenEndpoint})
	}
	return cs
}

// TokenChosen is the token choice to show as selected.
func (s Setup) TokenChosen() TokenChoice {
	if s.Token == "" {
		return TokenChoice(s.Environment)
	}
	return s.Token
}

// ChooseToken records a token endpoint choice: Production and Sandbox also
// say which kind of org it is; the My Domain's own endpoint and a given URL
// leave the environment as it was.
func (s *Setup) ChooseToken(t TokenChoice) {
	switch t {
	case TokenProduction:
		s.Token, s.Environment = t, sfcheck.Production
	case TokenSandbox:
		s.Token, s.Environment = t, sfcheck.Sandbox
	case TokenMyDomain, TokenCustom:
		s.Token = t
	}
}

// LoginChoices are the ways Digital River can log in to Salesforce: the
// kind of app that holds the consumer key, and the flow it offers. Each
// value is "<app>/<flow>".
func LoginChoices() []Choice {
	return []Choice{
		{Value: loginChoice(sfcheck.AppConnected, sfcheck.FlowPassword), Label: "Connected App, username and password",
			Detail: "What step 10 of the guide sets up: the integration user's username, password and security token."},
		{Value: loginChoice(sfcheck.AppConnected, sfcheck.FlowClientCredentials), Label: "Connected App, client credentials",
			Detail: "The Connected App's Run As user; no password to keep up to date. For orgs where the username-password flow is blocked."},
		{Value: loginChoice(sfcheck.AppExternal, sfcheck.FlowClientCredentials), Label: "External Client App, client credentials",
			Detail: "What orgs get since Spring '26, when a new Connected App needs a Support request. External Client Apps offer only client credentials."},
	}
}

func loginChoice(a sfcheck.App, f sfcheck.Flow) string { return string(a) + "/" + string(f) }

// LoginChosen is the login choice to show as selected.
func (s Setup) LoginChosen() string { return loginChoice(s.App, s.Auth) }

// ChooseLogin records a login choice (a LoginChoices value).
func (s *Setup) ChooseLogin(v string) {
	a, f, ok := strings.Cut(v, "/")
	if !ok {
		return
	}
	s.SetValue(field.App, a)
	s.SetValue(field.Auth, f)
}
