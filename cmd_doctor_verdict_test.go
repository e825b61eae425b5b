package main

import (
	"strings"
	"testing"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
)

// TestDoctorVerdictWithAProfile pins doctor's exit code and verdict for a
// saved profile: complete or not, and which side of a differing login is
// out of date.
func TestDoctorVerdictWithAProfile(t *testing.T) {
	for _, c := range []struct {
		name     string
		scenario func() emulator.Scenario
		secrets  profile.Secrets // saved in the keyring instead of the profile's own
		env      map[string]string
		code     int
		says     []string // in the text report
	}{
		{name: "secrets missing from the keyring", scenario: cmdScenario,
			secrets: profile.Secrets{field.ClientSecret: tClientSecret, field.DRAPIKey: tKey}, code: 1,
			says: []string{"Incomplete:", "Not checked for want of the password (DRSETUP_PASSWORD)"}},
		{name: "secrets missing from the keyring, given by variables", scenario: cmdScenario,
			secrets: profile.Secrets{field.ClientSecret: tClientSecret, field.DRAPIKey: tKey},
			env:     map[string]string{"DRSETUP_PASSWORD": tPassword, "DRSETUP_SECURITY_TOKEN": tToken}, code: 0,
			says: []string{"OK, with warnings"}},
		{name: "the profile is stale, the webhook's login works", scenario: cmdScenario,
			secrets: profile.Secrets{field.ClientSecret: tClientSecret, field.Password: "Old&pw", field.SecurityToken: tToken, field.DRAPIKey: tKey}, code: 0,
			says: []string{"warn Salesforce login", "it updates the profile"}},
		{name: "the webhook is stale, the profile's login works", scenario: staleScenario, code: 1,
			says: []string{"fail Digital River's login, replayed", "drsetup doctor --fix"}},
		{name: "neither login works", scenario: staleScenario,
			secrets: profile.Secrets{field.ClientSecret: tClientSecret, field.Password: "Old&pw", field.SecurityToken: tToken, field.DRAPIKey: tKey}, code: 1,
			says: []string{"fail Salesforce login", "refuses both logins"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newCmdWorld(t, c.scenario())
			w.saveProfile("default")
			if c.secrets != nil {
				if err := w.store.SaveSecrets("default", c.secrets); err != nil {
					t.Fatal(err)
				}
			}
			for k, v := range c.env {
				w.env[k] = v
			}
			r := w.exec(tty{}, "doctor").want(t, c.code)
			flat := strings.Join(strings.Fields(r.out), " ")
			for _, s := range c.says {
				if !strings.Contains(flat, s) {
					t.Errorf("the report lacks %q:\n%s", s, r.out)
				}
			}
			j := w.exec(tty{}, "doctor", "--json").want(t, c.code)
			rep := decodeStrict(t, []byte(j.out))
			if rep.Mode != "profile" || rep.Profile == nil || *rep.Profile != "default" || rep.OK != (c.code == 0) {
				t.Errorf("mode %q profile %v ok %v, want profile \"default\" and ok %v", rep.Mode, rep.Profile, rep.OK, c.code == 0)
			}
			if rep.Incomplete != strings.Contains(strings.Join(c.says, " "), "Incomplete") {
				t.Errorf("incomplete %v", rep.Incomplete)
			}
		})
	}
}
