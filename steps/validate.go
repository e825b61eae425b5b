package steps

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// Problem is something wrong, or worth a second look, in the answers.
type Problem struct {
	Field    field.Field // the value at fault
	Message  string      // what is wrong, in the admin's words
	Remedy   string      // what to do, when the message does not say it
	Blocking bool        // the setup cannot go on as is; otherwise a warning

	// Suggestion is a corrected value for FixField (Field when empty) that
	// one key accepts: the My Domain URL for a pasted Lightning URL, the
	// sandbox environment for a sandbox My Domain.
	Suggestion string
	FixField   field.Field
}

func (p Problem) String() string {
	s := p.Message
	if p.Remedy != "" {
		s += " " + p.Remedy
	}
	return s
}

// Target is the field the suggestion applies to.
func (p Problem) Target() field.Field {
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
	case field.MyDomain, field.Environment, field.TokenEndpoint, field.Auth:
		s.SetValue(p.Target(), p.Suggestion)
		return true
	}
	return false
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
func CheckField(s Setup, f field.Field) []Problem {
	block := func(msg, remedy string) []Problem {
		return []Problem{{Field: f, Message: msg, Remedy: remedy, Blocking: true}}
	}
	if ps := tooLong(s, f); ps != nil {
		return ps
	}
	switch f {
	case field.Environment:
		// With the org's own token endpoint the environment may be left
		// out; given, it must be one, since the key is checked against it.
		if s.Environment == "" && (s.Token == TokenCustom || s.Token == TokenMyDomain) {
			return nil
		}
		if s.Environment != sfcheck.Production && s.Environment != sfcheck.Sandbox {
			return block(fmt.Sprintf("%q is not an environment.", string(s.Environment)), "Use production or sandbox.")
		}
	case field.TokenEndpoint:
		if s.Token != TokenCustom {
			return nil
		}
		if strings.TrimSpace(s.TokenEndpoint) == "" {
			return block("The token endpoint is empty.", "Leave it out to use the one the environment picks, or give the org's https://<My Domain>/services/oauth2/token.")
		}
		if _, _, err := sfcheck.CheckTokenEndpoint(s.TokenEndpoint, s.AllowAnyHost); err != nil {
			p := Problem{Field: f, Message: text.Sentence(err.Error()), Blocking: true}
			var te *sfcheck.TokenEndpointError
			if errors.As(err, &te) && te.Corrected != "" {
				p.Message, p.Suggestion = te.Reason, te.Corrected
				p.Remedy = "Use " + te.Corrected + "."
			}
			return []Problem{p}
		}
	case field.MyDomain:
		if strings.TrimSpace(s.MyDomain) == "" {
			return block("The My Domain URL is empty.", "Setup → My Domain shows it, e.g. https://acme.my.salesforce.com.")
		}
		d, err := s.Domain()
		var de *sfcheck.DomainError
		if errors.As(err, &de) {
			p := Problem{Field: f, Message: text.Sentence(de.Error()), Blocking: true, Suggestion: de.Corrected}
			return []Problem{p}
		} else if err != nil {
			return block(err.Error(), "")
		}
		var ps []Problem
		for _, w := range d.Warnings {
			ps = append(ps, Problem{Field: f, Message: w})
		}
		return ps
	case field.Auth:
		if s.Auth != sfcheck.FlowPassword && s.Auth != sfcheck.FlowClientCredentials {
			return block(fmt.Sprintf("%q is not an authentication method.", string(s.Auth)), "Use password or client-credentials.")
		}
		if s.App == sfcheck.AppExternal && s.Auth == sfcheck.FlowPassword {
			return []Problem{{Field: f, Blocking: true, Suggestion: string(sfcheck.FlowClientCredentials),
				Message: "An External Client App does not offer the username-password flow: Salesforce would answer every login with invalid_grant \"authentication failure\".",
				Remedy:  "Use client credentials, with the integration user as the app's Run As user; or use a Connected App."}}
		}
	case field.App:
		if s.App != sfcheck.AppConnected && s.App != sfcheck.AppExternal {
			return block(fmt.Sprintf("%q is not a kind of Salesforce app.", string(s.App)), "Use connected-app or external-client-app.")
		}
	case field.ClientID:
		v := strings.TrimSpace(s.ClientID)
		switch {
		case v == "":
			return block("The Client ID (consumer key) is empty.", "Copy the Consumer Key from "+s.App.WhereConsumerKey()+".")
		case strings.IndexFunc(v, unicode.IsSpace) >= 0:
			return block("The Client ID has spaces inside it; a consumer key is one unbroken string.", "Copy the Consumer Key again from "+s.App.WhereConsumerKey()+".")
		case len(v) > maxClientID || !text.Printable(v):
			return block(fmt.Sprintf("The Client ID is not a consumer key: %s.", implausible(v, maxClientID)), "Copy the Consumer Key again from "+s.App.WhereConsumerKey()+".")
		}
	case field.ClientSecret:
		v := strings.TrimSpace(s.ClientSecret.Reveal())
		switch {
		case v == "":
			return block("The Client Secret (consumer secret) is empty.", "Copy the Consumer Secret from "+s.App.WhereConsumerKey()+".")
		case strings.IndexFunc(v, unicode.IsSpace) >= 0:
			return block("The Client Secret has spaces inside it; a consumer secret is one unbroken string.", "Copy the Consumer Secret again from "+s.App.WhereConsumerKey()+".")
		}
	case field.Username:
		if s.Auth == sfcheck.FlowClientCredentials {
			return nil
		}
		v := strings.TrimSpace(s.Username)
		switch {
		case v == "":
			return block("The integration user's username is empty.", "Setup → Users shows it; it looks like an email address.")
		case !text.Printable(v):
			return block(fmt.Sprintf("The username is not a Salesforce username: %s.", implausible(v, len(v))), "Setup → Users shows the integration user's username.")
		case !strings.Contains(v, "@") || strings.IndexFunc(v, unicode.IsSpace) >= 0:
			return block(fmt.Sprintf("%q does not look like a Salesforce username, which has the form of an email address (integration@acme.com).", v), "Setup → Users shows the integration user's username.")
		}
		if d, err := s.Domain(); err == nil && d.Sandbox && d.SandboxName != "" && !strings.HasSuffix(strings.ToLower(v), "."+d.SandboxName) {
			return []Problem{{Field: f, Message: fmt.Sprintf("Sandbox usernames usually end in the sandbox name (%s.%s); %s does not.", v, d.SandboxName, v), Remedy: "Check the username in the sandbox's Setup → Users."}}
		}
	case field.Password:
		if s.Auth == sfcheck.FlowClientCredentials {
			return nil
		}
		if s.Password.IsZero() {
			return block("The integration user's password is empty.", "")
		}
		if w := sfcheck.PasswordWarning(s.Password.Reveal()); w != "" {
			return []Problem{{Field: f, Message: w}}
		}
	case field.SecurityToken:
		if s.Auth == sfcheck.FlowClientCredentials {
			return nil
		}
		v := strings.TrimSpace(s.SecurityToken.Reveal())
		if v != "" && strings.IndexFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
			return block("The security token has characters a Salesforce security token never has (tokens are letters and digits).", "Type only the token from the email \"Your new Salesforce security token\"; drsetup appends it to the password.")
		}
	case field.DRAPIKey:
		if s.DRAPIKey.IsZero() {
			return block("The Digital River secret API key is empty.", "Digital River Dashboard → Developers → API keys: copy the confidential key (sk_test_… or sk_…).")
		}
		if _, err := drapi.ClassifyKey(strings.TrimSpace(s.DRAPIKey.Reveal())); err != nil {
			return block(text.Sentence(err.Error()), "")
		}
	case field.Events:
		return checkEvents(s.Events)
	}
	return nil
}

// maxClientID bounds a consumer key: Salesforce's are under 100 characters,
// External Client Apps' too; anything near this was pasted with something
// else.
const maxClientID = 255

// implausible says why a value cannot be what was asked for, without
// repeating it (it may hold terminal control characters).
func implausible(v string, max int) string {
	switch {
	case !utf8.ValidString(v):
		return "it holds bytes that are not text"
	case !text.Printable(v):
		return "it holds control characters (a terminal escape, a tab or a line break)"
	}
	return fmt.Sprintf("it is %d bytes long, more than %d", len(v), max)
}

func checkEvents(events []string) []Problem {
	f := field.Events
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
		them, changes := "them", "those order changes never reach"
		if len(missing) == 1 {
			them, changes = "it", "that order change never reaches"
		}
		return []Problem{{Field: f, Message: fmt.Sprintf("The app handles %s too; without %s %s Salesforce.", strings.Join(missing, ", "), them, changes), Remedy: fmt.Sprintf("Select all eight unless you mean to leave %s out.", them)}}
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
			Field:      field.MyDomain,
			Message:    f.Message,
			Remedy:     f.Remedy,
			Blocking:   f.Blocking,
			Suggestion: f.Suggested,
			FixField:   field.Field(f.Field),
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
		return []Problem{{Field: field.DRAPIKey, Message: "This is a test key (sk_test_…) and the org is a production org: orders placed in live mode will not reach it.", Remedy: "Use the live secret key for a production org, unless you are testing on purpose."}}
	case mode == drapi.ModeLive && env == sfcheck.Sandbox:
		return []Problem{{Field: field.DRAPIKey, Message: "This is a live key and the org is a sandbox: live orders would be sent to a sandbox.", Remedy: "Use the test secret key (sk_test_…) for a sandbox, unless you mean it."}}
	}
	return nil
}

// OptionalEventNote says what order.created does, for the screens that offer
// it unticked.
const OptionalEventNote = "order.created: the app writes the Salesforce order id back to Digital River. It answers 400 until the order exists in Salesforce, which Digital River retries, so deliveries of it can show as failed for a while."
