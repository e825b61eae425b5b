package steps

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// GivenAs names where a run's value of f came from when the user gave it
// for this run: its flag or its variable; "" when it came from the profile,
// the keyring or a default.
func GivenAs(set profile.Settings, f field.Field) string {
	switch set.Source(f) {
	case profile.SourceFlag:
		return f.Flag()
	case profile.SourceEnv:
		return f.EnvVar()
	}
	return ""
}

// CheckGiven refuses, one line per value, an environment or authentication
// method given on the command line or in a variable that is none of the
// known ones, and unknown event types: a support engineer's typo should not
// read as a broken setup. Values from a saved profile are left to the
// checks, which report them as findings.
func CheckGiven(set profile.Settings) []string {
	var bad []string
	given := func(f field.Field) (string, string, bool) {
		from := GivenAs(set, f)
		return strings.TrimSpace(set.Get(f)), from, from != ""
	}
	if v, from, ok := given(field.Environment); ok {
		if _, err := sfcheck.ParseEnvironment(v); err != nil {
			bad = append(bad, fmt.Sprintf("%s: %s", from, err))
		}
	}
	if v, from, ok := given(field.Auth); ok {
		if _, err := sfcheck.ParseFlow(v); err != nil {
			bad = append(bad, fmt.Sprintf("%s: %s", from, err))
		}
	}
	if v, from, ok := given(field.App); ok {
		if a, err := sfcheck.ParseApp(v); err != nil {
			bad = append(bad, fmt.Sprintf("%s: %s", from, err))
		} else if auth, fromAuth, authGiven := given(field.Auth); a == sfcheck.AppExternal && authGiven {
			if fl, err := sfcheck.ParseFlow(auth); err == nil && fl == sfcheck.FlowPassword {
				bad = append(bad, fmt.Sprintf("%s and %s: an External Client App does not offer the username-password flow; use --auth client-credentials (or leave it out)", from, fromAuth))
			}
		}
	}
	if v, from, ok := given(field.Events); ok {
		var unknown []string
		for _, e := range strings.Split(v, ",") {
			if e = strings.TrimSpace(e); e != "" && !drapi.IsKnownEvent(e) {
				unknown = append(unknown, e)
			}
		}
		if len(unknown) > 0 {
			bad = append(bad, fmt.Sprintf("%s: unknown event type %s; the app handles %s", from, strings.Join(unknown, ", "), strings.Join(drapi.AppEvents, ", ")))
		}
	}
	return append(bad, implausibleGiven(set)...)
}

// implausibleGiven refuses text values that no one typed: a Client ID over
// 255 bytes, and any value with bytes that are not UTF-8 or with control
// characters, which would reach a terminal or a request as they are. The
// value itself is not repeated.
func implausibleGiven(set profile.Settings) []string {
	var bad []string
	for _, f := range []field.Field{field.ClientID, field.Username, field.MyDomain, field.TokenEndpoint} {
		from := GivenAs(set, f)
		if from == "" {
			continue
		}
		switch v := set.Get(f); {
		case !utf8.ValidString(v):
			bad = append(bad, from+": holds bytes that are not text; type or paste the value again")
		case !text.Printable(v):
			bad = append(bad, from+": holds control characters (a terminal escape, a tab or a line break); type or paste the value again")
		case f == field.ClientID && len(v) > maxClientID:
			bad = append(bad, fmt.Sprintf("%s: is %d bytes long, but a consumer key is under 100 characters; copy the Consumer Key again", from, len(v)))
		}
	}
	return bad
}

// Ignored names the values given for this run (flags or variables) that the
// chosen authentication does not use: with client credentials Digital River
// logs in as the app's Run As user, so a username, password or security
// token given is ignored. The note is the caller's to print.
func Ignored(set profile.Settings) []string {
	s := FromSettings("", set)
	if s.Auth != sfcheck.FlowClientCredentials {
		return nil
	}
	var out []string
	for _, f := range field.All() {
		if from := GivenAs(set, f); from != "" && !s.Uses(f) {
			out = append(out, from)
		}
	}
	return out
}

// IgnoredNote is the note about Ignored values, or "".
func IgnoredNote(set profile.Settings) string {
	ignored := Ignored(set)
	if len(ignored) == 0 {
		return ""
	}
	verb := " is"
	if len(ignored) > 1 {
		verb = " are"
	}
	return fmt.Sprintf("Note: %s%s ignored: with client credentials Digital River logs in as the app's Run As user.", strings.Join(ignored, ", "), verb)
}

// TokenNote is the note for a token endpoint given for this run (its flag
// or variable) that the chosen flow overrides: the client credentials flow
// is served only by the org's own My Domain token endpoint, so a shared
// login or test endpoint given gives way to it. "" when nothing was
// overridden.
func TokenNote(set profile.Settings, s Setup) string {
	from := GivenAs(set, field.TokenEndpoint)
	if from == "" || !s.UsesMyDomainTokenForFlow() {
		return ""
	}
	return fmt.Sprintf("Note: %s %s is not used: the client credentials flow is served only by the org's own token endpoint, so Digital River will use %s.",
		from, strings.TrimSpace(set.Get(field.TokenEndpoint)), s.TokenURL())
}
