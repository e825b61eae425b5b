package explain

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/sfcheck"
)

// The evidence world's orgs: acme checks class access first and lets its
// users read their permission set assignments; globex checks the method
// first and hides them; nope has no API.
const (
	evAcme   = "acme.my.salesforce.com"
	evGlobex = "globex.my.salesforce.com"
	evNope   = "nope.my.salesforce.com"

	evClientID     = "3MVG9explain.evidence"
	evClientSecret = "explain-evidence-secret-1"
	evPassword     = "Explain&Evidence+1"
	evToken        = "EXPLAINtoken01"
)

func evUser(name string, classAccess bool) emulator.User {
	return emulator.User{Username: name, Password: evPassword, SecurityToken: evToken, Active: true, Approved: true, ClassAccess: classAccess}
}

func evOrg(host string, users ...emulator.User) emulator.Org {
	return emulator.Org{
		MyDomain: host, PackageInstalled: true, Users: users,
		Apps: []emulator.ConnectedApp{{Name: "Salesforce DigitalRiver Integration", ClientID: evClientID, ClientSecret: evClientSecret}},
	}
}

// evidenceWorld is the simulated world the evidence reads are explained in:
// acme's integration user has a Login History of Digital River's logins and
// others, failed as drsetup's words have to explain.
func evidenceWorld(t *testing.T) *emulatortest.World {
	integration := evUser("integration@acme.example", true)
	statuses := []string{"Success", "FAILED: api security token REQUIRED", "failed: restricted ip", "Password Lockout", "Username-Password Flow Disabled"}
	addrs := []string{"54.204.214.106", "209.87.180.33", "198.51.100.20", "::ffff:217.65.128.9"}
	for i := range 40 {
		integration.LoginHistory = append(integration.LoginHistory, emulator.LoginEvent{
			Age: time.Duration(i+1) * 20 * time.Minute, Status: statuses[i%len(statuses)], SourceIP: addrs[i%len(addrs)],
			Application: "Salesforce DigitalRiver Integration",
		})
	}
	a := evOrg(evAcme, integration, evUser("noclass@acme.example", false))
	g := evOrg(evGlobex, evUser("integration@globex.example", true), evUser("noclass@globex.example", false))
	g.MethodCheckedFirst = true
	g.HidePermissionSetAssignments = true
	n := evOrg(evNope, evUser("integration@nope.example", true))
	n.APIDisabled = true
	return emulatortest.New(t, emulator.Scenario{Orgs: []emulator.Org{a, g, n}})
}

func evLogin(t *testing.T, c *sfcheck.Client, host, username string) *sfcheck.Session {
	t.Helper()
	s, err := c.Login(context.Background(), sfcheck.Credentials{
		TokenEndpoint: "https://" + host + "/services/oauth2/token", ClientID: evClientID, ClientSecret: evClientSecret,
		Username: username, Password: evPassword, SecurityToken: evToken,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Doctor's reading of Login History: Digital River's logins are told by
// their address (an IPv4 address Salesforce wrote as IPv6 included), and
// every failure among them has words.
func TestLoginHistoryFromTheEmulatorIsExplained(t *testing.T) {
	w := evidenceWorld(t)
	c := w.Salesforce()
	s := evLogin(t, c, evAcme, "integration@acme.example")
	rows, err := c.LoginHistory(context.Background(), s, time.Now().Add(-7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 41 {
		t.Fatalf("read %d rows, want the 40 seeded and this test's login", len(rows))
	}
	fromDR, worded := 0, map[sfcheck.LoginStatusKind]bool{}
	for _, r := range rows {
		if !drapi.IsSourceAddress(r.Addr) {
			continue
		}
		fromDR++
		if r.Succeeded() {
			continue
		}
		meaning, remedy := LoginStatus(r.Kind())
		if meaning == "" || remedy == "" {
			t.Errorf("%q (%s) has no words", r.Status, r.Kind())
		}
		worded[r.Kind()] = true
	}
	// Three of every four seeded addresses are Digital River's; this test's
	// own login, from 127.0.0.1, is not.
	if fromDR != 30 {
		t.Errorf("%d logins from Digital River's addresses, want 30", fromDR)
	}
	for _, k := range []sfcheck.LoginStatusKind{sfcheck.LoginTokenRequired, sfcheck.LoginRestrictedIP, sfcheck.LoginLockedOut, sfcheck.LoginFlowDisabled} {
		if !worded[k] {
			t.Errorf("no login of Digital River's failed as %s (%v)", k, worded)
		}
	}
}

// sfRESTError is Salesforce REST's error answer: a one-element array.
func sfRESTError(code, message string) string {
	return fmt.Sprintf(`[{"message":%q,"errorCode":%q}]`, message, code)
}
