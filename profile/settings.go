package profile

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/secret"
)

// Source says where a setting's value came from.
type Source string

const (
	SourceFlag    Source = "flag"
	SourceEnv     Source = "env"
	SourceProfile Source = "profile"
	SourceKeyring Source = "keyring"
	SourceDefault Source = "default"
	SourcePrompt  Source = "prompt"
	SourceUnset   Source = ""
)

// Setting is one value and where it came from. A Setting of a secret field,
// as Settings.Setting returns it, prints masked.
type Setting struct {
	Value  string
	Source Source

	secret bool
}

func (s Setting) String() string {
	v := s.Value
	if s.secret {
		v = secret.Value(v).String()
	}
	src := string(s.Source)
	if src == "" {
		src = "unset"
	}
	return fmt.Sprintf("%q (%s)", v, src)
}

// Format prints String for every verb, so no verb shows a secret.
func (s Setting) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

func (s Setting) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Settings are the values a run uses, each with its Source. The zero value
// has every field unset. Settings are plain values: a copy is independent.
// Get returns secrets themselves; every printed, logged or JSON form of
// Settings masks them.
type Settings struct {
	vals [field.Count]Setting
}

// Get is f's value ("" when unset). For a secret field this is the secret
// itself: prefer Secret, which cannot be printed by accident.
func (s Settings) Get(f field.Field) string { return s.Setting(f).Value }

// Source is where f's value came from; SourceUnset when nowhere.
func (s Settings) Source(f field.Field) Source { return s.Setting(f).Source }

// Setting is f's value and source.
func (s Settings) Setting(f field.Field) Setting {
	i, ok := f.Index()
	if !ok {
		return Setting{}
	}
	st := s.vals[i]
	st.secret = f.Secret()
	return st
}

// Set records f's value and where it came from (a prompt answer, say). Events
// are normalised as Resolve does. A name that is not a Field is ignored.
func (s *Settings) Set(f field.Field, v string, src Source) {
	i, ok := f.Index()
	if !ok {
		return
	}
	if f.List() {
		v = normalizeEvents(v)
	}
	s.vals[i] = Setting{Value: v, Source: src}
}

// Secret is a secret field's value as a secret.Value.
func (s Settings) Secret(f field.Field) secret.Value { return secret.Value(s.Get(f)) }

// Events is the events setting as a list.
func (s Settings) Events() []string { return splitEvents(s.Get(field.Events)) }

// String lists the set fields with their sources, secrets masked.
func (s Settings) String() string {
	var parts []string
	for _, f := range field.All() {
		if st := s.Setting(f); st.Source != SourceUnset {
			parts = append(parts, string(f)+"="+st.String())
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// Format prints String for every verb, so no verb shows a secret.
func (s Settings) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

func (s Settings) LogValue() slog.Value {
	var attrs []slog.Attr
	for _, f := range field.All() {
		if st := s.Setting(f); st.Source != SourceUnset {
			attrs = append(attrs, slog.String(string(f), st.String()))
		}
	}
	return slog.GroupValue(attrs...)
}

// MarshalJSON writes {"field": {"value", "source"}} for the set fields, with
// secrets masked.
func (s Settings) MarshalJSON() ([]byte, error) {
	type jsonSetting struct {
		Value  string `json:"value"`
		Source Source `json:"source"`
	}
	m := map[field.Field]jsonSetting{}
	for _, f := range field.All() {
		st := s.Setting(f)
		if st.Source == SourceUnset {
			continue
		}
		if st.secret {
			st.Value = secret.Value(st.Value).String()
		}
		m[f] = jsonSetting{st.Value, st.Source}
	}
	return json.Marshal(m)
}

// Inputs are the places a run's settings come from, highest precedence first.
type Inputs struct {
	// Flags holds the fields whose flag was given, even as "". Secrets are
	// never flags: a secret field here is ignored.
	Flags map[field.Field]string
	// Getenv reads DRSETUP_* variables (os.Getenv in production); nil reads
	// none. A variable set to "" counts as unset.
	Getenv func(string) string
	// Profile is the saved profile, nil when there is none.
	Profile *Profile
	// Secrets are the profile's secrets from the keyring, nil when none.
	Secrets *Secrets
	// Defaults fill what nothing else sets.
	Defaults map[field.Field]string
}

// Resolve picks each field's value by precedence: flag, DRSETUP_* variable,
// profile (its secrets from the keyring), default. Non-secret values from
// flags and variables are trimmed of spaces; secrets only of a trailing line
// ending, since spaces may belong to a password.
func Resolve(in Inputs) Settings {
	var s Settings
	for _, f := range field.All() {
		if v, ok := in.Flags[f]; ok && !f.Secret() {
			s.Set(f, strings.TrimSpace(v), SourceFlag)
			continue
		}
		if in.Getenv != nil {
			if v := in.Getenv(f.EnvVar()); v != "" {
				if f.Secret() {
					v = strings.TrimRight(v, "\r\n")
				} else {
					v = strings.TrimSpace(v)
				}
				s.Set(f, v, SourceEnv)
				continue
			}
		}
		if v := savedValue(in.Profile, in.Secrets, f); v != "" {
			src := SourceProfile
			if f.Secret() {
				src = SourceKeyring
			}
			s.Set(f, v, src)
			continue
		}
		if v := in.Defaults[f]; v != "" {
			s.Set(f, v, SourceDefault)
		}
	}
	return s
}

// savedValue is f's value in a saved profile or its keyring secrets.
func savedValue(p *Profile, sec *Secrets, f field.Field) string {
	switch {
	case f.Secret() && sec != nil:
		return sec.Get(f).Reveal()
	case !f.Secret() && p != nil:
		return p.Get(f)
	}
	return ""
}

// normalizeEvents trims each event, drops empty and repeated ones, and keeps
// the order given.
func normalizeEvents(v string) string { return strings.Join(splitEvents(v), ",") }

func splitEvents(v string) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range strings.Split(v, ",") {
		e = strings.TrimSpace(e)
		if e == "" || seen[e] {
			continue
		}
		seen[e] = true
		out = append(out, e)
	}
	return out
}
