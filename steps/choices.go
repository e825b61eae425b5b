package steps

import "github.com/drsetup/drsetup/sfcheck"

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

// AuthChoices are the ways Digital River can log in to Salesforce.
func AuthChoices() []Choice {
	return []Choice{
		{Value: string(sfcheck.FlowPassword), Label: "Username and password",
			Detail: "The integration user's username, password and security token (what the guide describes)."},
		{Value: string(sfcheck.FlowClientCredentials), Label: "Client credentials",
			Detail: "The Connected App's Run As user; no password to keep up to date."},
	}
}
