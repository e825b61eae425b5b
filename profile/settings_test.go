package profile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/field"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestResolvePrecedenceIsFlagEnvProfileDefault(t *testing.T) {
	p := sampleProfile("acme")
	sec := sampleSecrets()
	cases := []struct {
		desc     string
		in       Inputs
		field    field.Field
		want     string
		wantFrom Source
	}{
		{"flag beats everything",
			Inputs{Flags: map[field.Field]string{field.MyDomain: "https://flag.my.salesforce.com"}, Getenv: envOf(map[string]string{"DRSETUP_MY_DOMAIN": "https://env.my.salesforce.com"}), Profile: &p, Defaults: map[field.Field]string{field.MyDomain: "https://default"}},
			field.MyDomain, "https://flag.my.salesforce.com", SourceFlag},
		{"env beats profile",
			Inputs{Getenv: envOf(map[string]string{"DRSETUP_MY_DOMAIN": "https://env.my.salesforce.com"}), Profile: &p},
			field.MyDomain, "https://env.my.salesforce.com", SourceEnv},
		{"profile beats default",
			Inputs{Getenv: envOf(nil), Profile: &p, Defaults: map[field.Field]string{field.Auth: "client-credentials"}},
			field.Auth, "password", SourceProfile},
		{"default when nothing else",
			Inputs{Defaults: map[field.Field]string{field.Auth: "password"}},
			field.Auth, "password", SourceDefault},
		{"unset when nowhere",
			Inputs{Getenv: envOf(nil)},
			field.Username, "", SourceUnset},
		{"a given empty flag still wins",
			Inputs{Flags: map[field.Field]string{field.TokenEndpoint: ""}, Profile: &p},
			field.TokenEndpoint, "", SourceFlag},
		{"an empty variable counts as unset",
			Inputs{Getenv: envOf(map[string]string{"DRSETUP_USERNAME": ""}), Profile: &p},
			field.Username, p.Get(field.Username), SourceProfile},
		{"an empty profile value falls through to the default",
			Inputs{Profile: &Profile{Name: "acme"}, Defaults: map[field.Field]string{field.Environment: "production"}},
			field.Environment, "production", SourceDefault},
		{"non-secret flags and variables are trimmed",
			Inputs{Flags: map[field.Field]string{field.ClientID: "  3MVG9abc \n"}},
			field.ClientID, "3MVG9abc", SourceFlag},
		{"secret from the keyring",
			Inputs{Getenv: envOf(nil), Profile: &p, Secrets: &sec},
			field.ClientSecret, sec.Get(field.ClientSecret).Reveal(), SourceKeyring},
		{"secret variable beats the keyring",
			Inputs{Getenv: envOf(map[string]string{"DRSETUP_PASSWORD": "from-env"}), Secrets: &sec},
			field.Password, "from-env", SourceEnv},
		{"a secret keeps its spaces, loses a trailing line ending",
			Inputs{Getenv: envOf(map[string]string{"DRSETUP_PASSWORD": " pass word \r\n"})},
			field.Password, " pass word ", SourceEnv},
		{"a secret given as a flag is never used",
			Inputs{Flags: map[field.Field]string{field.DRAPIKey: "sk_test_from_flag"}, Secrets: &sec},
			field.DRAPIKey, sec.Get(field.DRAPIKey).Reveal(), SourceKeyring},
		{"a secret given as a flag alone leaves it unset",
			Inputs{Flags: map[field.Field]string{field.ClientSecret: "from-flag"}},
			field.ClientSecret, "", SourceUnset},
		{"events from the profile",
			Inputs{Profile: &p},
			field.Events, "order.accepted,order.complete", SourceProfile},
		{"events from a variable are trimmed and deduplicated",
			Inputs{Getenv: envOf(map[string]string{"DRSETUP_EVENTS": " order.complete, ,order.accepted,order.complete,"}), Profile: &p},
			field.Events, "order.complete,order.accepted", SourceEnv},
	}
	for _, c := range cases {
		got := Resolve(c.in).Setting(c.field)
		if got.Value != c.want || got.Source != c.wantFrom {
			t.Errorf("%s: %s = %q from %q, want %q from %q", c.desc, c.field, got.Value, got.Source, c.want, c.wantFrom)
		}
	}
}

func TestResolveReadsEveryFieldFromItsVariable(t *testing.T) {
	env := map[string]string{}
	for _, f := range field.All() {
		env[f.EnvVar()] = "v-" + string(f)
	}
	s := Resolve(Inputs{Getenv: envOf(env)})
	for _, f := range field.All() {
		if s.Get(f) != "v-"+string(f) || s.Source(f) != SourceEnv {
			t.Errorf("%s = %q from %q", f, s.Get(f), s.Source(f))
		}
	}
}

func TestResolveReadsEveryFieldFromTheProfile(t *testing.T) {
	p, sec := sampleProfile("acme"), sampleSecrets()
	p.Set(field.App, "external-client-app") // a field added after the version 1 sample
	s := Resolve(Inputs{Profile: &p, Secrets: &sec})
	want := map[field.Field]string{
		field.Environment:   p.Get(field.Environment),
		field.TokenEndpoint: p.Get(field.TokenEndpoint),
		field.MyDomain:      p.Get(field.MyDomain),
		field.Auth:          p.Get(field.Auth),
		field.App:           p.Get(field.App),
		field.ClientID:      p.Get(field.ClientID),
		field.Username:      p.Get(field.Username),
		field.Events:        strings.Join(p.List(field.Events), ","),
		field.ClientSecret:  sec.Get(field.ClientSecret).Reveal(),
		field.Password:      sec.Get(field.Password).Reveal(),
		field.SecurityToken: sec.Get(field.SecurityToken).Reveal(),
		field.DRAPIKey:      sec.Get(field.DRAPIKey).Reveal(),
	}
	if len(want) != len(field.All()) {
		t.Fatalf("the test covers %d fields of %d", len(want), len(field.All()))
	}
	for f, v := range want {
		if s.Get(f) != v {
			t.Errorf("%s = %q, want %q", f, s.Get(f), v)
		}
	}
	if got := s.Events(); len(got) != 2 || got[0] != "order.accepted" {
		t.Errorf("Events() = %v", got)
	}
}

func TestSettingsSetRecordsThePromptAndCopiesAreIndependent(t *testing.T) {
	var a Settings
	a.Set(field.Username, "admin@acme.com", SourceFlag)
	b := a
	b.Set(field.Username, "other@acme.com", SourcePrompt)
	b.Set(field.Events, "order.accepted,,order.accepted", SourcePrompt)
	b.Set("no_such_field", "x", SourcePrompt)
	if a.Get(field.Username) != "admin@acme.com" || a.Source(field.Username) != SourceFlag {
		t.Errorf("changing a copy changed the original: %v", a)
	}
	if b.Get(field.Username) != "other@acme.com" || b.Source(field.Username) != SourcePrompt {
		t.Errorf("Set did not record the prompt: %v", b)
	}
	if b.Get(field.Events) != "order.accepted" {
		t.Errorf("events = %q", b.Get(field.Events))
	}
	if b.Get("no_such_field") != "" || b.Source("no_such_field") != SourceUnset {
		t.Error("an unknown field should read as unset")
	}
}

func TestSettingsNeverPrintASecret(t *testing.T) {
	sec := sampleSecrets()
	p := sampleProfile("acme")
	s := Resolve(Inputs{Profile: &p, Secrets: &sec})
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, &s), fmt.Sprintf(verb, s.Setting(field.Password)))
	}
	outs = append(outs, fmt.Sprint(s), s.String(), s.Setting(field.DRAPIKey).String())
	j, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(j))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("run", "settings", s, "pw", s.Setting(field.Password))
	slog.New(slog.NewTextHandler(&buf, nil)).Info("run", "settings", s)
	outs = append(outs, buf.String())
	for _, o := range outs {
		for _, v := range []string{sec.Get(field.ClientSecret).Reveal(), sec.Get(field.Password).Reveal(), sec.Get(field.SecurityToken).Reveal(), sec.Get(field.DRAPIKey).Reveal()} {
			if strings.Contains(o, v) {
				t.Errorf("secret printed in %q", o)
			}
		}
	}
	if !strings.Contains(string(j), `"password":{"value":"********","source":"keyring"}`) ||
		!strings.Contains(string(j), `"my_domain":{"value":"https://acme--uat.sandbox.my.salesforce.com","source":"profile"}`) {
		t.Errorf("JSON form %s should show sources, values and masked secrets", j)
	}
	if !strings.Contains(s.String(), `username="integration@acme.com.uat" (profile)`) {
		t.Errorf("String() = %s", s)
	}
}
