package steps

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// Problem is something wrong, or worth a second look, in the answers.
type Problem struct {
	Field    Field  // the value at fault
	Message  string // what is wrong, in the admin's words
	Remedy   string // what to do, when the message does not say it
	Blocking bool   // the setup cannot go on as is; otherwise a warning

	// Suggestion is a corrected value for FixField (Field when empty) that
	// one key accepts: the My Domain URL for a pasted Lightning URL, the
	// sandbox environment for a sandbox My Domain.
	Suggestion string
	FixField   Field
}

func (p Problem) String() string {
	s := p.Message
	if p.Remedy != "" {
		s += " " + p.Remedy
	}
	return s
}

// Target is the field the suggestion applies to.
func (p Problem) Target() Field {
	if p.FixField != "" {
		return p.FixField
	}
	return p.Field
}

// Apply puts the suggestion into s. It reports false when there is none.
func (p Problem) Apply(s *Setup) bool {
	if p.Suggestion == "" {
		return false
	}
	switch p.Target() {
	case profile.FieldMyDomain:
		s.MyDomain = p.Suggestion
	case profile.FieldEnvironment:
		env := sfcheck.Environment(p.Suggestion)
		s.Environment = env
		if s.Token != TokenMyDomain && s.Token != TokenCustom {
			s.Token = TokenChoice(env)
		}
	case profile.FieldTokenEndpoint:
		s.setTokenURL(p.Suggestion)
	case profile.FieldAuth:
		s.Auth = sfcheck.Flow(p.Suggestion)
	default:
		return false
	}
	return true
}

// Blocking reports whether any of ps blocks.
func Blocking(ps []Problem) bool {
	return slices.ContainsFunc(ps, func(p Problem) bool { return p.Blocking })
}

// Check returns the problems of the values step id asks for, as the admin
// types them: no network.
func Check(s Setup, id ID) []Problem {
	var ps []Problem
	for _, f := range FieldsOf(id) {
		ps = append(ps, CheckField(s, f)...)
	}
	switch id {
	case MyDomain, Auth:
		ps = append(ps, crossCheck(s)...)
	case DRKey:
		ps = append(ps, keyModeCheck(s)...)
	}
	return ps
}

// Validate returns every problem of s in step order, each once: what
// unattended setup lists before it gives up.
func Validate(s Setup) []Problem {
	var out []Problem
	seen := map[string]bool{}
	for _, id := range s.Steps() {
		for _, p := range Check(s, id) {
			k := string(p.Field) + "\x00" + p.Message
			if !seen[k] {
				seen[k] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// CheckField returns the problems of one value.
func CheckField(s Setup, f Field) []Problem {
	block := func(msg, remedy string) []Problem {
		return []Problem{{Field: f, Message: msg, Remedy: remedy, Blocking: true}}
	}
	if ps := tooLong(s, f); ps != nil {
		return ps
	}
	switch f {
	case profile.FieldEnvironment:
		if s.Token == TokenCustom || s.Token == TokenMyDomain {
			return nil
		}
		if s.Environment != sfcheck.Production && s.Environment != sfcheck.Sandbox {
			return block(fmt.Sprintf("%q is not an environment.", string(s.Environment)), "Use production or sandbox.")
		}
	case profile.FieldTokenEndpoint:
		if s.Token != TokenCustom {
			return nil
		}
		if strings.TrimSpace(s.TokenEndpoint) == "" {
			return block("The token endpoint is empty.", "Leave it out to use the one the environment picks, or give the org's https://<My Domain>/services/oauth2/token.")
		}
		if _, _, err := sfcheck.CheckTokenEndpoint(s.TokenEndpoint, s.AllowAnyHost); err != nil {
			p := Problem{Field: f, Message: Sentence(err.Error()), Blocking: true}
			var te *sfcheck.TokenEndpointError
			if errors.As(err, &te) && te.Corrected != "" {
				p.Message, p.Suggestion = te.Reason, te.Corrected
				p.Remedy = "Use " + te.Corrected + "."
			}
			return []Problem{p}
		}
	case profile.FieldMyDomain:
		if strings.TrimSpace(s.MyDomain) == "" {
			return block("The My Domain URL is empty.", "Setup → My Domain shows it, e.g. https://acme.my.salesforce.com.")
		}
		d, err := s.Domain()
		var de *sfcheck.DomainError
		if errors.As(err, &de) {
			p := Problem{Field: f, Message: Sentence(de.Error()), Blocking: true, Suggestion: de.Corrected}
			return []Problem{p}
		} else if err != nil {
			return block(err.Error(), "")
		}
		var ps []Problem
		for _, w := range d.Warnings {
			ps = append(ps, Problem{Field: f, Message: w})
		}
		return ps
	case profile.FieldAuth:
		if s.Auth != sfcheck.FlowPassword && s.Auth != sfcheck.FlowClientCredentials {
			return block(fmt.Sprintf("%q is not an authentication method.", string(s.Auth)), "Use password or client-credentials.")
		}
	case profile.FieldClientID:
		v := strings.TrimSpace(s.ClientID)
		switch {
		case v == "":
			return block("The Client ID (consumer key) is empty.", "Copy the Consumer Key from "+whereConsumerKey+".")
		case strings.IndexFunc(v, unicode.IsSpace) >= 0:
			return block("The Client ID has spaces inside it; a consumer key is one unbroken string.", "Copy the Consumer Key again from "+whereConsumerKey+".")
		}
	case profile.FieldClientSecret:
		v := strings.TrimSpace(s.ClientSecret.Reveal())
		switch {
		case v == "":
			return block("The Client Secret (consumer secret) is empty.", "Copy the Consumer Secret from "+whereConsumerKey+".")
		case strings.IndexFunc(v, unicode.IsSpace) >= 0:
			return block("The Client Secret has spaces inside it; a consumer secret is one unbroken string.", "Copy the Consumer Secret again from "+whereConsumerKey+".")
		}
	case profile.FieldUsername:
		if s.Auth == sfcheck.FlowClientCredentials {
			return nil
		}
		v := strings.TrimSpace(s.Username)
		switch {
		case v == "":
			return block("The integration user's username is empty.", "Setup → Users shows it; it looks like an email address.")
		case !strings.Contains(v, "@") || strings.IndexFunc(v, unicode.IsSpace) >= 0:
			return block(fmt.Sprintf("%q does not look like a Salesforce username, which has the form of an email address (integration@acme.com).", v), "Setup → Users shows the integration user's username.")
		}
		if d, err := s.Domain(); err == nil && d.Sandbox && d.SandboxName != "" && !strings.HasSuffix(strings.ToLower(v), "."+d.SandboxName) {
			return []Problem{{Field: f, Message: fmt.Sprintf("Sandbox usernames usually end in the sandbox name (%s.%s); %s does not.", v, d.SandboxName, v), Remedy: "Check the username in the sandbox's Setup → Users."}}
		}
	case profile.FieldPassword:
		if s.Auth == sfcheck.FlowClientCredentials {
			return nil
		}
		if s.Password.IsZero() {
			return block("The integration user's password is empty.", "")
		}
		if w := sfcheck.PasswordWarning(s.Password.Reveal()); w != "" {
			return []Problem{{Field: f, Message: w}}
		}
	case profile.FieldSecurityToken:
		if s.Auth == sfcheck.FlowClientCredentials {
			return nil
		}
		v := strings.TrimSpace(s.SecurityToken.Reveal())
		if v != "" && strings.IndexFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
			return block("The security token has characters a Salesforce security token never has (tokens are letters and digits).", "Type only the token from the email \"Your new Salesforce security token\"; drsetup appends it to the password.")
		}
	case profile.FieldDRAPIKey:
		if s.DRAPIKey.IsZero() {
			return block("The Digital River secret API key is empty.", "Digital River Dashboard → Developers → API keys: copy the confidential key (sk_test_… or sk_…).")
		}
		if _, err := drapi.ClassifyKey(strings.TrimSpace(s.DRAPIKey.Reveal())); err != nil {
			return block(Sentence(err.Error()), "")
		}
	case profile.FieldEvents:
		return checkEvents(s.Events)
	}
	return nil
}

const whereConsumerKey = "Setup → App Manager → Salesforce DigitalRiver Integration → View → Manage Consumer Details"

func checkEvents(events []string) []Problem {
	f := profile.FieldEvents
	if len(events) == 0 {
		return []Problem{{Field: f, Message: "No event type is selected.", Remedy: "Select the eight the app supports: " + strings.Join(drapi.AppEvents, ", ") + ".", Blocking: true}}
	}
	var unknown []string
	for _, e := range events {
		if !drapi.IsKnownEvent(e) {
			unknown = append(unknown, e)
		}
	}
	if len(unknown) > 0 {
		return []Problem{{Field: f, Message: fmt.Sprintf("Unknown event type %s.", strings.Join(unknown, ", ")), Remedy: "The app supports " + strings.Join(drapi.AppEvents, ", ") + ".", Blocking: true}}
	}
	if missing := drapi.MissingAppEvents(events); len(missing) > 0 {
		return []Problem{{Field: f, Message: fmt.Sprintf("The app handles %s too; without them those order changes never reach Salesforce.", strings.Join(missing, ", ")), Remedy: "Select all eight unless you mean to leave them out."}}
	}
	return nil
}

// crossCheck compares the environment, token endpoint, My Domain and flow.
func crossCheck(s Setup) []Problem {
	d, err := s.Domain()
	if err != nil {
		d = sfcheck.MyDomain{}
	}
	if s.Auth != sfcheck.FlowPassword && s.Auth != sfcheck.FlowClientCredentials {
		return nil
	}
	tok := s.TokenURL()
	if s.Token == TokenCustom {
		if _, _, err := sfcheck.CheckTokenEndpoint(tok, s.AllowAnyHost); err != nil {
			return nil // reported on the token endpoint itself
		}
	}
	var ps []Problem
	for _, f := range sfcheck.CrossCheck(s.Env(), tok, d, s.Auth) {
		ps = append(ps, Problem{
			Field:      profile.FieldMyDomain,
			Message:    f.Message,
			Remedy:     f.Remedy,
			Blocking:   f.Blocking,
			Suggestion: f.Suggested,
			FixField:   Field(f.Field),
		})
	}
	return ps
}

// keyModeCheck flags a test key with a production org and a live key with a
// sandbox: legal, but rarely meant.
func keyModeCheck(s Setup) []Problem {
	mode, err := drapi.ClassifyKey(strings.TrimSpace(s.DRAPIKey.Reveal()))
	if err != nil {
		return nil
	}
	env := s.Env()
	switch {
	case mode == drapi.ModeTest && env == sfcheck.Production:
		return []Problem{{Field: profile.FieldDRAPIKey, Message: "This is a test key (sk_test_…) and the org is a production org: orders placed in live mode will not reach it.", Remedy: "Use the live secret key for a production org, unless you are testing on purpose."}}
	case mode == drapi.ModeLive && env == sfcheck.Sandbox:
		return []Problem{{Field: profile.FieldDRAPIKey, Message: "This is a live key and the org is a sandbox: live orders would be sent to a sandbox.", Remedy: "Use the test secret key (sk_test_…) for a sandbox, unless you mean it."}}
	}
	return nil
}

// Flag returns the command-line flag that supplies f, or "" for secrets,
// which only variables and prompts supply.
func Flag(f Field) string {
	if profile.IsSecret(f) {
		return ""
	}
	return "--" + strings.ReplaceAll(string(f), "_", "-")
}

// Source names where unattended setup takes f from: "--my-domain or
// DRSETUP_MY_DOMAIN", or only the variable for secrets.
func Source(f Field) string {
	if fl := Flag(f); fl != "" {
		return fl + " or " + profile.EnvVar(f)
	}
	return profile.EnvVar(f)
}

// Help says what a value is and where in Salesforce Setup or the Digital
// River Dashboard to find it.
func Help(f Field) string {
	switch f {
	case profile.FieldEnvironment:
		return "Production orgs log in at login.salesforce.com, sandboxes at test.salesforce.com. The org's own My Domain token endpoint works for both, and the client credentials flow requires it."
	case profile.FieldTokenEndpoint:
		return "The URL Digital River gets a Salesforce access token from."
	case profile.FieldMyDomain:
		return "Setup → My Domain → Current My Domain URL, e.g. https://acme.my.salesforce.com. Not the Lightning URL in the browser's address bar (….lightning.force.com)."
	case profile.FieldAuth:
		return "Username-password is what the guide describes. Client credentials logs in as the Connected App's Run As user, for orgs where the username-password flow is blocked or retired."
	case profile.FieldClientID:
		return "The Consumer Key of the Connected App \"Salesforce DigitalRiver Integration\" (step 10 of the guide): " + whereConsumerKey + "."
	case profile.FieldClientSecret:
		return "The Consumer Secret of the same Connected App, on the same page."
	case profile.FieldUsername:
		return "The integration user's username (Setup → Users), the user with the permission set \"DigitalRiver Connector - Integration\"."
	case profile.FieldPassword:
		return "The integration user's password. drsetup appends the security token itself."
	case profile.FieldSecurityToken:
		return "From the email \"Your new Salesforce security token\" (reset it under the user's Settings → Reset My Security Token). Leave it empty if the user logs in from a trusted IP range."
	case profile.FieldDRAPIKey:
		return "Digital River Dashboard → Developers → API keys: the confidential (secret) key. sk_test_… is test mode, other sk_… keys are live."
	case profile.FieldEvents:
		return "The eight events the app supports are all selected; the app ignores others."
	}
	return ""
}

// Label is a field's name on screen.
func Label(f Field) string {
	switch f {
	case profile.FieldEnvironment:
		return "Environment"
	case profile.FieldTokenEndpoint:
		return "Token endpoint"
	case profile.FieldMyDomain:
		return "My Domain URL"
	case profile.FieldAuth:
		return "Authentication"
	case profile.FieldClientID:
		return "Client ID (consumer key)"
	case profile.FieldClientSecret:
		return "Client Secret (consumer secret)"
	case profile.FieldUsername:
		return "Username"
	case profile.FieldPassword:
		return "Password"
	case profile.FieldSecurityToken:
		return "Security token"
	case profile.FieldDRAPIKey:
		return "Digital River secret API key"
	case profile.FieldEvents:
		return "Event types"
	}
	return string(f)
}
