package field

import (
	"strings"
	"testing"
)

func TestEnvVarAndIsSecret(t *testing.T) {
	want := map[Field]string{
		Environment: "DRSETUP_ENVIRONMENT", TokenEndpoint: "DRSETUP_TOKEN_ENDPOINT", MyDomain: "DRSETUP_MY_DOMAIN",
		Auth: "DRSETUP_AUTH", ClientID: "DRSETUP_CLIENT_ID", Username: "DRSETUP_USERNAME", Events: "DRSETUP_EVENTS",
		ClientSecret: "DRSETUP_CLIENT_SECRET", Password: "DRSETUP_PASSWORD", SecurityToken: "DRSETUP_SECURITY_TOKEN",
		DRAPIKey: "DRSETUP_DR_API_KEY",
	}
	for f, v := range want {
		if f.EnvVar() != v {
			t.Errorf("EnvVar(%s) = %q, want %q", f, f.EnvVar(), v)
		}
	}
	if Field("profile").EnvVar() != "" {
		t.Error("EnvVar of a non-field should be empty")
	}
	var secrets []string
	for _, f := range All() {
		if f.Secret() {
			secrets = append(secrets, string(f))
		}
	}
	if strings.Join(secrets, ",") != "client_secret,password,security_token,dr_api_key" {
		t.Errorf("secret fields = %v", secrets)
	}
}

func TestFlagsAreForNonSecretsOnly(t *testing.T) {
	for _, f := range All() {
		switch {
		case f.Secret() && f.Flag() != "":
			t.Errorf("%s is a secret but has the flag %s: flags land in shell history", f, f.Flag())
		case !f.Secret() && f.Flag() != "--"+strings.ReplaceAll(string(f), "_", "-"):
			t.Errorf("%s: flag %q", f, f.Flag())
		case !f.Secret() && f.ProfileKey() == "":
			t.Errorf("%s is not a secret but has no profile key: it would never be saved", f)
		case f.Secret() && f.ProfileKey() != "":
			t.Errorf("%s is a secret but has a profile key: it would be written to the profile file", f)
		case f.spec().label == "" || f.Help() == "" || f.spec().noun == "":
			t.Errorf("%s lacks its label, help or noun", f)
		}
	}
	if got := MyDomain.Where(); got != "--my-domain or DRSETUP_MY_DOMAIN" {
		t.Errorf("Where = %q", got)
	}
	if got := ClientSecret.Where(); got != "DRSETUP_CLIENT_SECRET" {
		t.Errorf("Where of a secret = %q", got)
	}
	if ClientSecret.ShortLabel() != "Client Secret" {
		t.Errorf("ShortLabel = %q", ClientSecret.ShortLabel())
	}
}

func TestIndexCoversEveryFieldOnce(t *testing.T) {
	seen := map[int]bool{}
	for _, f := range All() {
		i, ok := f.Index()
		if !ok || i < 0 || i >= Count || seen[i] {
			t.Fatalf("%s: index %d, %v", f, i, ok)
		}
		seen[i] = true
	}
	if _, ok := Field("nope").Index(); ok {
		t.Fatal("an unknown name has an index")
	}
}
