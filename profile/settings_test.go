package profile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
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
		field    Field
		want     string
		wantFrom Source
	}{
		{"flag beats everything",
			Inputs{Flags: map[Field]string{FieldMyDomain: "https://flag.my.salesforce.com"}, Getenv: envOf(map[string]string{"DRSETUP_MY_DOMAIN": "https://env.my.salesforce.com"}), Profile: &p, Defaults: map[Field]string{FieldMyDomain: "https://default"}},
			FieldMyDomain, "https://flag.my.salesforce.com", SourceFlag},
		{"env beats profile",
			Inputs{Getenv: envOf(map[string]string{"DRSETUP_MY_DOMAIN": "https://env.my.salesforce.com"}), Profile: &p},
			FieldMyDomain, "https://env.my.salesforce.com", SourceEnv},
		{"profile beats default",
			Inputs{Getenv: envOf(nil), Profile: &p, Defaults: map[Field]string{FieldAuth: "client-credentials"}},
			FieldAuth, "password", SourceProfile},
		{"default when nothing else",
			Inputs{Defaults: map[Field]string{FieldAuth: "password"}},
			FieldAuth, "password", SourceDefault},
		{"unset when nowhere",
			Inputs{Getenv: envOf(nil)},
			FieldUsername, "", SourceUnset},
		{"a given empty flag still wins",
			Inputs{Flags: map[Field]string{FieldTokenEndpoint: ""}, Profile: &p},
			FieldTokenEndpoint, "", SourceFlag},
		{"an empty variable counts as unset",
			Inputs{Getenv: envOf(map[string]string{"DRSETUP_USERNAME": ""}), Profile: &p},
			FieldUsername, p.Username, SourceProfile},
		{"an empty profile value falls through to the default",
			Inputs{Profile: &Profile{Name: "acme"}, Defaults: map[Field]string{FieldEnvironment: "production"}},
			FieldEnvironment, "production", SourceDefault},
		{"non-secret flags and variables are trimmed",
			Inputs{Flags: map[Field]string{FieldClientID: "  3MVG9abc \n"}},
			FieldClientID, "3MVG9abc", SourceFlag},
		{"secret from the keyring",
			Inputs{Getenv: envOf(nil), Profile: &p, Secrets: &sec},
			FieldClientSecret, sec.ClientSecret.Reveal(), SourceKeyring},
		{"secret variable beats the keyring",
			Inputs{Getenv: envOf(map[string]string{"DRSETUP_PASSWORD": "from-env"}), Secrets: &sec},
			FieldPassword, "from-env", SourceEnv},
		{"a secret keeps its spaces, loses a trailing line ending",
			Inputs{Getenv: envOf(map[string]string{"DRSETUP_PASSWORD": " pass word \r\n"})},
			FieldPassword, " pass word ", SourceEnv},
		{"a secret given as a flag is never used",
			Inputs{Flags: map[Field]string{FieldDRAPIKey: "sk_test_from_flag"}, Secrets: &sec},
			FieldDRAPIKey, sec.DRAPIKey.Reveal(), SourceKeyring},
		{"a secret given as a flag alone leaves it unset",
			Inputs{Flags: map[Field]string{FieldClientSecret: "from-flag"}},
			FieldClientSecret, "", SourceUnset},
		{"events from the profile",
			Inputs{Profile: &p},
			FieldEvents, "order.accepted,order.complete", SourceProfile},
		{"events from a variable are trimmed and deduplicated",
			Inputs{Getenv: envOf(map[string]string{"DRSETUP_EVENTS": " order.complete, ,order.accepted,order.complete,"}), Profile: &p},
			FieldEvents, "order.complete,order.accepted", SourceEnv},
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
	for _, f := range Fields() {
		env[EnvVar(f)] = "v-" + string(f)
	}
	s := Resolve(Inputs{Getenv: envOf(env)})
	for _, f := range Fields() {
		if s.Get(f) != "v-"+string(f) || s.Source(f) != SourceEnv {
			t.Errorf("%s = %q from %q", f, s.Get(f), s.Source(f))
		}
	}
}

func TestResolveReadsEveryFieldFromTheProfile(t *testing.T) {
	p, sec := sampleProfile("acme"), sampleSecrets()
	s := Resolve(Inputs{Profile: &p, Secrets: &sec})
	want := map[Field]string{
		FieldEnvironment:   p.Environment,
		FieldTokenEndpoint: p.TokenEndpoint,
		FieldMyDomain:      p.MyDomain,
		FieldAuth:          p.Auth,
		FieldClientID:      p.ClientID,
		FieldUsername:      p.Username,
		FieldEvents:        strings.Join(p.Events, ","),
		FieldClientSecret:  sec.ClientSecret.Reveal(),
		FieldPassword:      sec.Password.Reveal(),
		FieldSecurityToken: sec.SecurityToken.Reveal(),
		FieldDRAPIKey:      sec.DRAPIKey.Reveal(),
	}
	if len(want) != len(Fields()) {
		t.Fatalf("the test covers %d fields of %d", len(want), len(Fields()))
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

func TestEnvVarAndIsSecret(t *testing.T) {
	want := map[Field]string{
		FieldEnvironment: "DRSETUP_ENVIRONMENT", FieldTokenEndpoint: "DRSETUP_TOKEN_ENDPOINT", FieldMyDomain: "DRSETUP_MY_DOMAIN",
		FieldAuth: "DRSETUP_AUTH", FieldClientID: "DRSETUP_CLIENT_ID", FieldUsername: "DRSETUP_USERNAME", FieldEvents: "DRSETUP_EVENTS",
		FieldClientSecret: "DRSETUP_CLIENT_SECRET", FieldPassword: "DRSETUP_PASSWORD", FieldSecurityToken: "DRSETUP_SECURITY_TOKEN",
		FieldDRAPIKey: "DRSETUP_DR_API_KEY",
	}
	for f, v := range want {
		if EnvVar(f) != v {
			t.Errorf("EnvVar(%s) = %q, want %q", f, EnvVar(f), v)
		}
	}
	if EnvVar("profile") != "" {
		t.Error("EnvVar of a non-field should be empty")
	}
	var secrets []string
	for _, f := range Fields() {
		if IsSecret(f) {
			secrets = append(secrets, string(f))
		}
	}
	if strings.Join(secrets, ",") != "client_secret,password,security_token,dr_api_key" {
		t.Errorf("secret fields = %v", secrets)
	}
}

func TestSettingsSetRecordsThePromptAndCopiesAreIndependent(t *testing.T) {
	var a Settings
	a.Set(FieldUsername, "admin@acme.com", SourceFlag)
	b := a
	b.Set(FieldUsername, "other@acme.com", SourcePrompt)
	b.Set(FieldEvents, "order.accepted,,order.accepted", SourcePrompt)
	b.Set("no_such_field", "x", SourcePrompt)
	if a.Get(FieldUsername) != "admin@acme.com" || a.Source(FieldUsername) != SourceFlag {
		t.Errorf("changing a copy changed the original: %v", a)
	}
	if b.Get(FieldUsername) != "other@acme.com" || b.Source(FieldUsername) != SourcePrompt {
		t.Errorf("Set did not record the prompt: %v", b)
	}
	if b.Get(FieldEvents) != "order.accepted" {
		t.Errorf("events = %q", b.Get(FieldEvents))
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
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, &s), fmt.Sprintf(verb, s.Setting(FieldPassword)))
	}
	outs = append(outs, fmt.Sprint(s), s.String(), s.Setting(FieldDRAPIKey).String())
	j, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(j))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("run", "settings", s, "pw", s.Setting(FieldPassword))
	slog.New(slog.NewTextHandler(&buf, nil)).Info("run", "settings", s)
	outs = append(outs, buf.String())
	for _, o := range outs {
		for _, v := range []string{sec.ClientSecret.Reveal(), sec.Password.Reveal(), sec.SecurityToken.Reveal(), sec.DRAPIKey.Reveal()} {
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
