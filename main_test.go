package main

import (
	"testing"
)

func TestTakeSecretsFromEnvRemovesThemAndServesThemOnce(t *testing.T) {
	env := map[string]string{
		"DRSETUP_CLIENT_SECRET": "cs", "DRSETUP_PASSWORD": "pw", "DRSETUP_SECURITY_TOKEN": "tok",
		"DRSETUP_DR_API_KEY": "sk_test_x", "DRSETUP_MY_DOMAIN": "https://acme.my.salesforce.com",
	}
	getenv := takeSecretsFromEnv(func(k string) string { return env[k] }, func(k string) error { delete(env, k); return nil })
	for _, k := range []string{"DRSETUP_CLIENT_SECRET", "DRSETUP_PASSWORD", "DRSETUP_SECURITY_TOKEN", "DRSETUP_DR_API_KEY"} {
		if _, still := env[k]; still {
			t.Errorf("%s is still in the environment", k)
		}
	}
	if getenv("DRSETUP_PASSWORD") != "pw" || getenv("DRSETUP_DR_API_KEY") != "sk_test_x" || getenv("DRSETUP_MY_DOMAIN") != "https://acme.my.salesforce.com" {
		t.Fatal("the program must still read every value")
	}
	if env["DRSETUP_MY_DOMAIN"] == "" {
		t.Fatal("values that are not secret stay in the environment")
	}
}
