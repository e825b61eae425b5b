// Package steps is the setup as data and rules: the answers an admin gives,
// the steps of the guide in order, the checks of each value, the plan
// (create, update or nothing) and its execution. The wizard, the plain
// prompts and the unattended mode all run these same rules; none of it knows
// about terminals.
package steps

import (
	"slices"
	"strings"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
)

// ID names a step of the setup, in the guide's order.
type ID int

const (
	Welcome ID = iota
	Environment
	MyDomain
	Auth
	ConnectedApp
	User
	VerifySalesforce
	DRKey
	Events
	Review
	Register
)

var titles = map[ID]string{
	Welcome:          "Welcome",
	Environment:      "Salesforce environment",
	MyDomain:         "My Domain URL",
	Auth:             "Salesforce app and login",
	ConnectedApp:     "Connected App",
	User:             "Integration user",
	VerifySalesforce: "Verify Salesforce",
	DRKey:            "Digital River API key",
	Events:           "Event types",
	Review:           "Review",
	Register:         "Register",
}

// Title is the step's heading.
func (id ID) Title() string { return titles[id] }

// Title is step id's heading for these answers: the app step is named
// after the kind of app that holds the consumer key.
func (s Setup) Title(id ID) string {
	if id == ConnectedApp && s.App == sfcheck.AppExternal {
		return "External Client App"
	}
	return id.Title()
}

// Help says what f is and where to find it, for these answers: the consumer
// key and secret are on another Setup page for an External Client App.
func (s Setup) Help(f field.Field) string {
	switch {
	case s.App == sfcheck.AppExternal && f == field.ClientID:
		return "The Consumer Key of the External Client App that Digital River logs in with: " + s.App.WhereConsumerKey() + ". Under Settings → Flow Enablement, tick Enable Client Credentials Flow; under Policies, set Run As to the integration user."
	case s.App == sfcheck.AppExternal && f == field.ClientSecret:
		return "The Consumer Secret of the same External Client App, on the same page."
	}
	return f.Help()
}

// Field names one value of the setup; the strings are shared with profile and
// sfcheck.
type Field = field.Field

// Fields of each input step, in the order the screen asks for them.
var stepFields = map[ID][]field.Field{
	Environment:  {field.Environment, field.TokenEndpoint},
	MyDomain:     {field.MyDomain},
	Auth:         {field.Auth, field.App},
	ConnectedApp: {field.ClientID, field.ClientSecret},
	User:         {field.Username, field.Password, field.SecurityToken},
	DRKey:        {field.DRAPIKey},
	Events:       {field.Events},
}

// FieldsOf returns the fields step id asks for.
func FieldsOf(id ID) []field.Field { return stepFields[id] }

// SalesforceFields are the values the Salesforce steps ask for, those that
// make a run about a Salesforce setup rather than a Digital River key alone.
func SalesforceFields() []field.Field {
	var out []field.Field
	for _, id := range []ID{Environment, MyDomain, Auth, ConnectedApp, User} {
		out = append(out, stepFields[id]...)
	}
	return out
}

// StepOf returns the step that asks for f.
func StepOf(f field.Field) ID {
	for id, fs := range stepFields {
		if slices.Contains(fs, f) {
			return id
		}
	}
	return Welcome
}

// TokenChoice is screen 2's answer: which token endpoint Digital River uses.
type TokenChoice string

const (
	TokenProduction TokenChoice = "production" // https://login.salesforce.com/services/oauth2/token
	TokenSandbox    TokenChoice = "sandbox"    // https://test.salesforce.com/services/oauth2/token
	TokenMyDomain   TokenChoice = "my_domain"  // https://<My Domain>/services/oauth2/token
	TokenCustom     TokenChoice = "custom"     // an explicit --token-endpoint
)

// Setup is every answer of the setup. Values are kept as given (an invalid
// environment too), so validation can name what is wrong with them.
type Setup struct {
	Profile       string
	Token         TokenChoice
	Environment   sfcheck.Environment // production or sandbox; with TokenMyDomain, the org's kind
	TokenEndpoint string              // with TokenCustom: the URL as given
	MyDomain      string              // as typed
	Auth          sfcheck.Flow
	App           sfcheck.App // the kind of app holding the consumer key
	ClientID      string
	ClientSecret  secret.Value
	Username      string
	Password      secret.Value
	SecurityToken secret.Value
	DRAPIKey      secret.Value
	Events        []string

	// AllowAnyHost lets credentials go to hosts outside Salesforce's and
	// Digital River's domains (--allow-any-host).
	AllowAnyHost bool
}

// Defaults are the values a new setup starts with.
func Defaults(profileName string) Setup {
	return Setup{
		Profile:     profileName,
		Token:       TokenProduction,
		Environment: sfcheck.Production,
		Auth:        sfcheck.FlowPassword,
		App:         sfcheck.AppConnected,
		Events:      slices.Clone(drapi.AppEvents),
	}
}

// Steps returns the steps that apply to s, in order: the client credentials
// flow has no integration user.
func (s Setup) Steps() []ID {
	ids := []ID{Welcome, Environment, MyDomain, Auth, ConnectedApp}
	if s.Auth != sfcheck.FlowClientCredentials {
		ids = append(ids, User)
	}
	return append(ids, VerifySalesforce, DRKey, Events, Review, Register)
}

// Numbered returns the position of id among the numbered steps (Welcome and
// Register are not numbered) and their count: "Step 3 of 9".
func (s Setup) Numbered(id ID) (n, total int) {
	for _, x := range s.Steps() {
		if x == Welcome || x == Register {
			continue
		}
		total++
		if x == id {
			n = total
		}
	}
	return n, total
}

// Next returns the step after id that applies to s, or Register.
func (s Setup) Next(id ID) ID {
	ids := s.Steps()
	i := slices.Index(ids, id)
	if i < 0 || i+1 >= len(ids) {
		return Register
	}
	return ids[i+1]
}

// Prev returns the step before id that applies to s, or Welcome.
func (s Setup) Prev(id ID) ID {
	ids := s.Steps()
	i := slices.Index(ids, id)
	if i <= 0 {
		return Welcome
	}
	return ids[i-1]
}

// Domain parses the My Domain as typed.
func (s Setup) Domain() (sfcheck.MyDomain, error) { return sfcheck.ParseMyDomain(s.MyDomain) }

// EndpointURL is the webhook address that follows from the My Domain, or ""
// while the My Domain is not valid.
func (s Setup) EndpointURL() string {
	d, err := s.Domain()
	if err != nil {
		return ""
	}
	return d.EndpointURL()
}

// TokenURL is the token endpoint Digital River will use. The client
// credentials flow is served only by the org's own My Domain, so with that
// flow the shared endpoints give way to the My Domain's.
func (s Setup) TokenURL() string {
	d, derr := s.Domain()
	switch s.effectiveToken() {
	case TokenCustom:
		return strings.TrimSpace(s.TokenEndpoint)
	case TokenMyDomain:
		if derr != nil {
			return ""
		}
		return d.TokenEndpoint()
	case TokenSandbox:
		return sfcheck.SandboxTokenURL
	}
	return sfcheck.ProductionTokenURL
}

func (s Setup) effectiveToken() TokenChoice {
	if s.Auth == sfcheck.FlowClientCredentials && (s.Token == TokenProduction || s.Token == TokenSandbox || s.Token == "") {
		return TokenMyDomain
	}
	if s.Token == "" {
		if s.Environment == sfcheck.Sandbox {
			return TokenSandbox
		}
		return TokenProduction
	}
	return s.Token
}

// UsesMyDomainTokenForFlow reports whether the token endpoint was switched to
// the My Domain's because the client credentials flow needs it.
func (s Setup) UsesMyDomainTokenForFlow() bool {
	return s.Auth == sfcheck.FlowClientCredentials && (s.Token == TokenProduction || s.Token == TokenSandbox)
}

// Env is the environment the setup is for: as chosen, or with the My Domain
// token endpoint, the kind of the org the My Domain names.
func (s Setup) Env() sfcheck.Environment {
	if s.effectiveToken() == TokenMyDomain {
		if d, err := s.Domain(); err == nil {
			if d.Sandbox {
				return sfcheck.Sandbox
			}
			return sfcheck.Production
		}
	}
	switch s.Token {
	case TokenProduction:
		return sfcheck.Production
	case TokenSandbox:
		return sfcheck.Sandbox
	}
	return s.Environment
}

// Credentials are the login Digital River will make, as sfcheck takes them.
func (s Setup) Credentials() sfcheck.Credentials {
	c := sfcheck.Credentials{
		TokenEndpoint: s.TokenURL(),
		Flow:          s.Auth,
		ClientID:      strings.TrimSpace(s.ClientID),
		ClientSecret:  secret.Value(strings.TrimSpace(s.ClientSecret.Reveal())),
		App:           s.App,
	}
	if d, err := s.Domain(); err == nil {
		c.MyDomain = d.URL()
	}
	if s.Auth != sfcheck.FlowClientCredentials {
		c.Username = strings.TrimSpace(s.Username)
		c.Password = s.Password
		c.SecurityToken = secret.Value(strings.TrimSpace(s.SecurityToken.Reveal()))
	}
	return c
}

// Spec is the webhook the setup asks Digital River for: the Endpoint URL,
// the event types, OAUTH transport and the login the guide describes (the
// password with the security token appended, joined here so the admin never
// has to).
func (s Setup) Spec() drapi.Spec {
	c := s.Credentials()
	o := &drapi.OAuth{
		TokenEndPoint: c.TokenEndpoint,
		ClientID:      c.ClientID,
		ClientSecret:  c.ClientSecret,
		GrantType:     drapi.GrantPassword,
	}
	if s.Auth == sfcheck.FlowClientCredentials {
		o.GrantType = drapi.GrantClientCredentials
	} else {
		o.UserName = c.Username
		o.Password = secret.Value(c.Password.Reveal() + c.SecurityToken.Reveal())
	}
	return drapi.Spec{
		Address:       s.EndpointURL(),
		Types:         slices.Clone(s.Events),
		Enabled:       true,
		APIVersion:    drapi.DefaultAPIVersion,
		TransportType: drapi.TransportOAuth,
		OAuth:         o,
	}
}

// Secrets are the setup's secrets as the profile stores them. With the client
// credentials flow the password and token are left out, so saving removes any
// stored from an earlier password-flow setup.
func (s Setup) Secrets() profile.Secrets {
	sec := profile.Secrets{}
	for _, f := range field.All() {
		if f.Secret() && s.Uses(f) && s.Value(f) != "" {
			sec[f] = secret.Value(s.Value(f))
		}
	}
	return sec
}

// Value is f's answer as the admin gave it: the environment as chosen, the
// token endpoint only when one was given as a URL, a secret revealed, the
// event types comma-separated.
func (s Setup) Value(f field.Field) string {
	switch f {
	case field.Environment:
		return string(s.Environment)
	case field.TokenEndpoint:
		return s.TokenEndpoint
	case field.MyDomain:
		return s.MyDomain
	case field.Auth:
		return string(s.Auth)
	case field.App:
		return string(s.App)
	case field.ClientID:
		return s.ClientID
	case field.ClientSecret:
		return s.ClientSecret.Reveal()
	case field.Username:
		return s.Username
	case field.Password:
		return s.Password.Reveal()
	case field.SecurityToken:
		return s.SecurityToken.Reveal()
	case field.DRAPIKey:
		return s.DRAPIKey.Reveal()
	case field.Events:
		return strings.Join(s.Events, ",")
	}
	return ""
}

// SetValue puts v into f as the admin typed it. An environment or method
// that is none of the known ones is kept as given, for the checks to name;
// a token endpoint URL is recorded as the choice it amounts to (see
// FromSettings); event types are split at commas, trimmed and deduplicated.
func (s *Setup) SetValue(f field.Field, v string) {
	switch f {
	case field.Environment:
		if env, err := sfcheck.ParseEnvironment(v); err == nil {
			s.Environment = env
		} else {
			s.Environment = sfcheck.Environment(v)
		}
		switch {
		case s.Token == TokenMyDomain || s.Token == TokenCustom:
			// The environment then only says what kind of org it is.
		case s.Environment == sfcheck.Production || s.Environment == sfcheck.Sandbox:
			s.Token = TokenChoice(s.Environment)
		default:
			s.Token = ""
		}
	case field.TokenEndpoint:
		if v = strings.TrimSpace(v); v != "" {
			s.setTokenURL(v)
		}
	case field.MyDomain:
		s.MyDomain = v
	case field.Auth:
		if fl, err := sfcheck.ParseFlow(v); err == nil {
			s.Auth = fl
		} else {
			s.Auth = sfcheck.Flow(v)
		}
	case field.App:
		if a, err := sfcheck.ParseApp(v); err == nil {
			s.App = a
		} else {
			s.App = sfcheck.App(v)
		}
	case field.ClientID:
		s.ClientID = v
	case field.ClientSecret:
		s.ClientSecret = secret.Value(v)
	case field.Username:
		s.Username = v
	case field.Password:
		s.Password = secret.Value(v)
	case field.SecurityToken:
		s.SecurityToken = secret.Value(v)
	case field.DRAPIKey:
		s.DRAPIKey = secret.Value(v)
	case field.Events:
		s.Events = nil
		for _, e := range strings.Split(v, ",") {
			if e = strings.TrimSpace(e); e != "" && !slices.Contains(s.Events, e) {
				s.Events = append(s.Events, e)
			}
		}
	}
}

// Uses reports whether the chosen authentication uses f: the client
// credentials flow logs in as the app's Run As user, with no username,
// password or security token.
func (s Setup) Uses(f field.Field) bool {
	switch f {
	case field.Username, field.Password, field.SecurityToken:
		return s.Auth != sfcheck.FlowClientCredentials
	}
	return f.Valid()
}

// Redact registers every secret of s with r, so a debug log or an error text
// never carries them.
func (s Setup) Redact(r *secret.Redactor) {
	if r == nil {
		return
	}
	r.Add(s.ClientSecret.Reveal(), s.Password.Reveal(), s.SecurityToken.Reveal(), s.DRAPIKey.Reveal(),
		s.Password.Reveal()+s.SecurityToken.Reveal())
}
