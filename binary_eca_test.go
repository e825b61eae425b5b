package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/emulator"
)

// Unattended setup with --app external-client-app logs in with client
// credentials at the org's own token endpoint, and registers that grant.
func TestUnattendedExternalClientApp(t *testing.T) {
	d := emulator.Demo
	c := newCLI(t).setenv(demoEnv()...).setenv("DRSETUP_MY_DOMAIN="+d.ECAMyDomain, "DRSETUP_USERNAME=")
	c.run("--demo", "setup", "--no-input", "--yes", "--json", "--app", "external-client-app").want(0)
	var res struct {
		Action  string
		Webhook struct{ Address string }
	}
	if err := json.Unmarshal(c.stdout.Bytes(), &res); err != nil || res.Action != "created" || !strings.HasPrefix(res.Webhook.Address, d.ECAMyDomain) {
		t.Fatalf("result %+v, %v\n%s\n%s", res, err, c.stdout.String(), c.stderr.String())
	}
	if !strings.Contains(c.stderr.String(), "Grant type: client_credentials") {
		t.Errorf("the review does not show the client credentials grant:\n%s", c.stderr.String())
	}
}

// An External Client App does not offer the username-password flow: asking
// for both is invalid input, before any request, for setup and doctor alike.
func TestExternalClientAppWithPasswordIsInvalidInput(t *testing.T) {
	c := newCLI(t).setenv(demoEnv()...)
	c.run("--demo", "setup", "--no-input", "--yes", "--app", "external-client-app", "--auth", "password").want(2)
	if !strings.Contains(c.stderr.String(), "External Client App does not offer the username-password flow") {
		t.Fatalf("setup stderr:\n%s", c.stderr.String())
	}
	c.run("--demo", "doctor", "--app", "external-client-app", "--auth", "password").want(2)
	if !strings.Contains(c.stderr.String(), "does not offer the username-password flow") {
		t.Fatalf("doctor stderr:\n%s", c.stderr.String())
	}
	c.run("--demo", "doctor", "--app", "connected-apps").want(2)
	if !strings.Contains(c.stderr.String(), "is not a kind of Salesforce app") {
		t.Fatalf("doctor stderr:\n%s", c.stderr.String())
	}
}

// With the password alone working from this computer, unattended setup
// warns that Digital River's logins need the security token, naming the
// variable that gives it.
func TestUnattendedWarnsWhenTheTokenWasLeftOut(t *testing.T) {
	d := emulator.Demo
	c := newCLI(t).setenv(demoEnv()...).setenv("DRSETUP_SECURITY_TOKEN=", "DRSETUP_USERNAME="+d.TrustedUsername)
	c.run("--demo", "setup", "--no-input", "--yes").want(0)
	for _, want := range []string{"without a security token", "Failed: API security token required", "54.204.214.106", "set DRSETUP_SECURITY_TOKEN"} {
		if !strings.Contains(c.stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, c.stderr.String())
		}
	}
}

// A user without the permission set, in an org that checks the method
// first, passes the Apex probe; setup still refuses to register, naming the
// fix, and registers nothing.
func TestUnattendedSetupRefusesAUserWithoutThePermissionSet(t *testing.T) {
	d := emulator.Demo
	c := newCLI(t).setenv(demoEnv()...).setenv("DRSETUP_MY_DOMAIN="+d.MethodFirstMyDomain, "DRSETUP_USERNAME="+d.MethodFirstUsername)
	c.run("--demo", "setup", "--no-input", "--yes", "--json").want(1)
	for _, want := range []string{"Checking the integration user's permission set", `lacks "DigitalRiver Connector - Integration"`, "Permission Set Assignments"} {
		if !strings.Contains(c.stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, c.stderr.String())
		}
	}
	if strings.Contains(c.stderr.String(), "Registering the webhook") || c.stdout.Len() != 0 {
		t.Errorf("a webhook was registered for a user without the permission set:\n%s\n%s", c.stdout.String(), c.stderr.String())
	}
}
