package sfcheck_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/sfcheck"
)

const (
	acme   = "acme.my.salesforce.com"
	globex = "globex.my.salesforce.com"
	nope   = "nope.my.salesforce.com" // the API is disabled

	clientID     = "3MVG9evidence.client"
	clientSecret = "evidence-client-secret-1"
	password     = "Evidence&Pass+1"
	token        = "EVIDENCEtoken01"

	// canary is a customer's address in a failed event's payload: it must
	// never leave Salesforce through drsetup.
	canary = "canary-cust-5a9c@customer.example"
)

func user(name string, classAccess bool) emulator.User {
	return emulator.User{Username: name, Password: password, SecurityToken: token, Active: true, Approved: true, ClassAccess: classAccess}
}

func org(host string, users ...emulator.User) emulator.Org {
	return emulator.Org{
		MyDomain: host, PackageInstalled: true, Users: users,
		Apps: []emulator.ConnectedApp{{Name: "Salesforce DigitalRiver Integration", ClientID: clientID, ClientSecret: clientSecret}},
	}
}

// evidenceWorld: acme checks class access first and lets its users read
// permission set assignments; globex checks the method first and hides
// them; nope has no API. acme's integration user has a long Login History
// (pages over 16 KiB, the debug log's cut) and failed events whose payloads
// hold a canary. (The debug log's side of the canary is tested in
// emulatortest, the layer that may use both the clients and the log.)
func evidenceWorld(t *testing.T) *emulatortest.World {
	integration := user("integration@acme.example", true)
	statuses := []string{"Success", "FAILED: api security token REQUIRED", "failed: restricted ip", "Password Lockout", "Restricted IP", "Username-Password Flow Disabled"}
	addrs := []string{"54.204.214.106", "209.87.180.33", "198.51.100.20", "217.65.128.9"}
	for i := range 150 {
		integration.LoginHistory = append(integration.LoginHistory, emulator.LoginEvent{
			Age: time.Duration(i+1) * 20 * time.Minute, Status: statuses[i%len(statuses)], SourceIP: addrs[i%len(addrs)],
			Application: "Salesforce DigitalRiver Integration " + strings.Repeat("·", 80),
		})
	}
	a := org(acme, integration, user("noclass@acme.example", false))
	a.QueryBatchSize = 40
	for i := range 12 {
		a.FailedEvents = append(a.FailedEvents, emulator.FailedEvent{
			Age: time.Duration(i+1) * 3 * time.Hour, EventID: fmt.Sprintf("7c0e2a6e-0000-4000-8000-%012d", i), EventType: "order.accepted",
			Reason:  "System.DmlException: Insert failed. \x1b[31mREQUIRED_FIELD_MISSING\x1b[0m " + strings.Repeat("x", 300),
			Payload: `{"id":"ev","data":{"object":{"email":"` + canary + `","name":"Jane ` + canary + `"}}}`,
		})
	}
	g := org(globex, user("integration@globex.example", true), user("noclass@globex.example", false))
	g.MethodCheckedFirst = true
	g.HidePermissionSetAssignments = true
	n := org(nope, user("integration@nope.example", true))
	n.APIDisabled = true

	return emulatortest.New(t, emulator.Scenario{Orgs: []emulator.Org{a, g, n}})
}

func login(t *testing.T, c *sfcheck.Client, host, username string) *sfcheck.Session {
	t.Helper()
	s, err := c.Login(context.Background(), sfcheck.Credentials{
		TokenEndpoint: "https://" + host + "/services/oauth2/token", ClientID: clientID, ClientSecret: clientSecret,
		Username: username, Password: password, SecurityToken: token,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReadersAgainstTheEmulator(t *testing.T) {
	w := evidenceWorld(t)
	c := w.Salesforce()
	ctx := context.Background()
	s := login(t, c, acme, "integration@acme.example")
	week := time.Now().Add(-7 * 24 * time.Hour)

	rows, err := c.LoginHistory(ctx, s, week)
	if err != nil {
		t.Fatal(err)
	}
	// 150 seeded rows and the login just made, newest first, over pages of 40.
	if len(rows) != 151 {
		t.Fatalf("read %d rows, want 151", len(rows))
	}
	if !rows[0].Succeeded() || rows[0].SourceIP != "127.0.0.1" || rows[0].Addr != netip.MustParseAddr("127.0.0.1") || rows[0].LoginURL != acme {
		t.Errorf("the newest row, this test's login: %+v", rows[0])
	}
	kinds := map[sfcheck.LoginStatusKind]int{}
	addrs := map[netip.Addr]int{}
	for _, r := range rows[1:] {
		kinds[r.Kind()]++
		addrs[r.Addr]++
	}
	if kinds[sfcheck.LoginTokenRequired] != 25 || kinds[sfcheck.LoginRestrictedIP] != 50 || kinds[sfcheck.LoginLockedOut] != 25 || kinds[sfcheck.LoginFlowDisabled] != 25 || kinds[sfcheck.LoginSucceeded] != 25 {
		t.Errorf("kinds %v", kinds)
	}
	// Each seeded address comes back parsed, 38 or 37 rows of each.
	for a, n := range map[string]int{"54.204.214.106": 38, "209.87.180.33": 38, "198.51.100.20": 37, "217.65.128.9": 37} {
		if addrs[netip.MustParseAddr(a)] != n {
			t.Errorf("%d rows from %s, want %d", addrs[netip.MustParseAddr(a)], a, n)
		}
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].Time.After(rows[i-1].Time) {
			t.Fatalf("row %d is newer than the one before", i)
		}
	}

	fe, err := c.FailedEvents(ctx, s, week, 5)
	if err != nil {
		t.Fatal(err)
	}
	if fe.Count != 12 || len(fe.Newest) != 5 || fe.Newest[0].EventID != "7c0e2a6e-0000-4000-8000-000000000000" {
		t.Errorf("failed events %+v", fe)
	}
	if r := fe.Newest[0].Reason; strings.ContainsRune(r, 0x1b) || len([]rune(r)) > 201 || !strings.Contains(r, "Insert failed. REQUIRED_FIELD_MISSING x") {
		t.Errorf("reason %q", r)
	}
	if fe, _ := c.FailedEvents(ctx, s, time.Now().Add(-10*time.Hour), 0); fe.Count != 3 || len(fe.Newest) != 0 {
		t.Errorf("the last ten hours: %+v", fe)
	}

	u, err := c.UserRecord(ctx, s)
	if err != nil || !u.Active || !strings.HasPrefix(u.ProfileID, "00e") {
		t.Errorf("user %+v, %v", u, err)
	}
	p, err := c.PermissionSet(ctx, s)
	if err != nil || p.Answer != sfcheck.PermissionHeld || p.Source != sfcheck.ProofAssignment {
		t.Errorf("proof %+v, %v", p, err)
	}
	d, err := c.Describe(ctx, s, sfcheck.FailedEventObject)
	if err != nil || !d.Queryable {
		t.Errorf("describe %+v, %v", d, err)
	}
	vs, err := c.Versions(ctx, s)
	if err != nil || vs[len(vs)-1].Version != sfcheck.RESTVersion {
		t.Errorf("versions %v, %v", vs, err)
	}

	// The canary in the payloads is in nothing the readers returned.
	if got := fmt.Sprintf("%#v %#v %#v %#v", rows, fe, u, p); strings.Contains(got, canary) {
		t.Error("a returned value holds the canary")
	}
}

// The permission-set proof gives the same answer whichever order the org's
// Apex REST checks in, where the probe alone cannot.
func TestPermissionSetProofInBothOrdersOfSalesforcesChecks(t *testing.T) {
	w := evidenceWorld(t)
	c := w.Salesforce()
	ctx := context.Background()
	for _, tc := range []struct {
		host, user string
		probe      sfcheck.ProbeKind
		answer     sfcheck.PermissionAnswer
		source     string
	}{
		{acme, "integration@acme.example", sfcheck.ProbeReachable, sfcheck.PermissionHeld, sfcheck.ProofAssignment},
		// Class access checked first: the probe sees 403 and the proof agrees.
		{acme, "noclass@acme.example", sfcheck.ProbeNoAccess, sfcheck.PermissionLacking, sfcheck.ProofAssignment},
		// The method checked first: the probe sees 405 as for a user with the
		// set; only the proof tells them apart, from the app's object since
		// the assignments are hidden.
		{globex, "integration@globex.example", sfcheck.ProbeReachable, sfcheck.PermissionHeld, sfcheck.ProofQuery},
		{globex, "noclass@globex.example", sfcheck.ProbeReachable, sfcheck.PermissionLacking, sfcheck.ProofQuery},
	} {
		t.Run(tc.user, func(t *testing.T) {
			s := login(t, c, tc.host, tc.user)
			r, err := c.ProbeApex(ctx, s, "https://"+tc.host+sfcheck.ApexPath)
			if err != nil || r.Kind != tc.probe {
				t.Fatalf("probe %+v, %v; want %s", r, err, tc.probe)
			}
			p, err := c.PermissionSet(ctx, s)
			if err != nil || p.Answer != tc.answer || p.Source != tc.source {
				t.Fatalf("proof %+v, %v; want %s from %s", p, err, tc.answer, tc.source)
			}
		})
	}
	// Digital River's POST meets what the proof foretold.
	s := login(t, c, globex, "noclass@globex.example")
	req, _ := http.NewRequest(http.MethodPost, "https://"+globex+sfcheck.ApexPath, strings.NewReader(`{"id":"e","type":"order.accepted"}`))
	req.Header.Set("Authorization", "Bearer "+s.AccessToken.Reveal())
	resp, err := w.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("the POST got %d, want 403", resp.StatusCode)
	}
}

func TestReadersWithoutAccess(t *testing.T) {
	w := evidenceWorld(t)
	c := w.Salesforce()
	ctx := context.Background()
	week := time.Now().Add(-7 * 24 * time.Hour)

	// A user without the permission set cannot read the failed events: the
	// check is skipped, with the reason and the fix.
	s := login(t, c, acme, "noclass@acme.example")
	_, err := c.FailedEvents(ctx, s, week, 5)
	var re *sfcheck.RESTError
	if !errors.As(err, &re) || re.Kind != sfcheck.KindInvalidType || re.Code != "INVALID_TYPE" || re.Object != sfcheck.FailedEventObject || re.Status != http.StatusBadRequest {
		t.Errorf("failed events without access: %v", err)
	}
	// Its own Login History it may still read.
	if rows, err := c.LoginHistory(ctx, s, week); err != nil || len(rows) != 1 {
		t.Errorf("login history %v, %v", rows, err)
	}

	// An org without the API: every read is refused alike, and the proof
	// cannot tell, saying why.
	s = login(t, c, nope, "integration@nope.example")
	for name, err := range map[string]error{
		"login history": second(c.LoginHistory(ctx, s, week)),
		"failed events": second(c.FailedEvents(ctx, s, week, 5)),
		"user":          second(c.UserRecord(ctx, s)),
	} {
		if !errors.As(err, &re) || re.Kind != sfcheck.KindAPIDisabledOrg || re.Code != "API_DISABLED_FOR_ORG" || re.Status != http.StatusForbidden || re.Retryable {
			t.Errorf("%s: %v", name, err)
		}
	}
	p, err := c.PermissionSet(ctx, s)
	if err != nil || p.Answer != sfcheck.PermissionUnknown || len(p.Refusals) != 1 || p.Why() == nil || p.Why().Kind != sfcheck.KindAPIDisabledOrg {
		t.Errorf("proof %+v, %v", p, err)
	}
}

func second[T any](_ T, err error) error { return err }

// The probe times the listener's answer, as listener_latency will read it.
// Only the lower bound is certain: the slow listener holds every answer for
// its latency; how fast the other answers depends on the machine.
func TestProbeTimesASlowListener(t *testing.T) {
	slow := org(acme, user("integration@acme.example", true))
	slow.ListenerLatency = 400 * time.Millisecond
	fast := org(globex, user("integration@globex.example", true))
	w := emulatortest.New(t, emulator.Scenario{Orgs: []emulator.Org{slow, fast}})
	c := w.Salesforce()
	for _, tc := range []struct {
		host, user string
		min        time.Duration
	}{
		{acme, "integration@acme.example", 400 * time.Millisecond},
		{globex, "integration@globex.example", time.Nanosecond},
	} {
		s := login(t, c, tc.host, tc.user)
		r, err := c.ProbeApex(context.Background(), s, "https://"+tc.host+sfcheck.ApexPath)
		if err != nil || r.Kind != sfcheck.ProbeReachable {
			t.Fatalf("probe %+v, %v", r, err)
		}
		if r.Latency < tc.min {
			t.Errorf("%s: latency %v, want at least %v", tc.host, r.Latency, tc.min)
		}
	}
}

// On a fake clock a slow listener reads as exactly as slow as it is: the
// latency is what the clock moved while the GET waited.
func TestProbeTimesASlowListenerOnAFakeClock(t *testing.T) {
	slow := org(acme, user("integration@acme.example", true))
	slow.ListenerLatency = 3500 * time.Millisecond
	w := emulatortest.New(t, emulator.Scenario{Orgs: []emulator.Org{slow}}, emulatortest.WithFakeClock())
	c := w.Salesforce()
	s := login(t, c, acme, "integration@acme.example")
	r, err := c.ProbeApex(context.Background(), s, "https://"+acme+sfcheck.ApexPath)
	if err != nil || r.Kind != sfcheck.ProbeReachable {
		t.Fatalf("probe %+v, %v", r, err)
	}
	if r.Latency != 3500*time.Millisecond {
		t.Errorf("latency %v, want the listener's 3.5s", r.Latency)
	}
}
