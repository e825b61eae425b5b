package main

// Tests of the built binary closing the loop: doctor --fix, then doctor
// again from another process; webhooks delete; profiles --json; the demo's
// walk-through. The processes reach one simulated world (sharedWorld) as
// real runs reach Digital River and Salesforce.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/sfcheck"
)

// keyOnly is a run that reaches the shared world with only a Digital
// River key.
func (w *sharedWorld) keyOnly(t *testing.T, key string) *cli {
	return newCLI(t).setenv("DRSETUP_DR_API_KEY="+key, "HTTPS_PROXY="+w.proxy, "SSL_CERT_FILE="+w.caFile, "NO_PROXY=")
}

// writes counts the requests that change Digital River.
func (w *sharedWorld) writes() int {
	return w.count("POST", "/webhooks") + w.count("PATCH", "/webhooks/") + w.count("DELETE", "/webhooks/")
}

// perOrg counts the app's webhooks of each org.
func perOrg(hooks []emulator.Webhook) map[string]int {
	out := map[string]int{}
	for _, h := range hooks {
		if a := sfcheck.AnalyzeEndpoint(h.Address); a.IsApexWebhook && a.MyDomain != nil {
			out[a.MyDomain.Host]++
		}
	}
	return out
}

// brokenAccount is fixScenario's account in test mode, without the stale
// login a key alone cannot mend: a Lightning address, three event types
// missing, a disabled webhook, two duplicates, and another integration's
// webhook.
func brokenAccount() emulator.Scenario {
	sc := fixScenario()
	sc.DigitalRiver.Keys = []emulator.Key{{Key: emulator.Demo.DRKey, CanWebhooks: true}}
	var hooks []emulator.Webhook
	for _, h := range sc.DigitalRiver.Webhooks {
		if strings.Contains(h.Address, "umbrella") {
			continue
		}
		h.LiveMode = false
		hooks = append(hooks, h)
	}
	sc.DigitalRiver.Webhooks = hooks
	return sc
}

type reportJSON struct {
	OK     bool
	Checks []struct{ ID, Status, WebhookID, Summary string }
	Fixes  []struct {
		WebhookID string `json:"webhookId"`
		Action    string `json:"action"`
		Summary   string `json:"summary"`
	}
}

func decodeReport(t *testing.T, c *cli) reportJSON {
	t.Helper()
	var rep reportJSON
	if err := json.Unmarshal(c.stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not the report: %v\n%s\nstderr:\n%s", err, c.stdout.String(), c.stderr.String())
	}
	return rep
}

func TestDoctorFixYesThenDoctorFindsNoneOfTheProblems(t *testing.T) {
	w := newSharedWorld(t, brokenAccount())
	before := w.srv.Webhooks("test")

	// Without a terminal and without --yes nothing changes.
	c := w.keyOnly(t, emulator.Demo.DRKey)
	c.run("doctor", "--fix").want(2)
	if n := w.writes(); n != 0 || c.stdout.Len() != 0 || !strings.Contains(c.stderr.String(), "add --yes") {
		t.Fatalf("%d writes without --yes; stdout %q\nstderr:\n%s", n, c.stdout.String(), c.stderr.String())
	}

	c.run("doctor", "--fix", "--yes", "--json").want(0)
	rep := decodeReport(t, c)
	if !rep.OK || len(rep.Fixes) != 4 {
		t.Errorf("ok %v, fixes %+v", rep.OK, rep.Fixes)
	}
	if n := w.count("POST", "/webhooks"); n != 0 {
		t.Errorf("%d creates", n)
	}

	// Another process checks again.
	c.run("doctor", "--json").want(0)
	for _, ch := range decodeReport(t, c).Checks {
		if ch.Status == "fail" {
			t.Errorf("the second doctor finds %s on %s: %s", ch.ID, ch.WebhookID, ch.Summary)
		}
	}
	after := w.srv.Webhooks("test")
	for org, n := range perOrg(after) {
		if n != 1 {
			t.Errorf("%s has %d webhooks", org, n)
		}
	}
	if len(perOrg(after)) != len(perOrg(before)) {
		t.Errorf("orgs with a webhook: %v before, %v after", perOrg(before), perOrg(after))
	}
	for _, h := range after {
		if a := sfcheck.AnalyzeEndpoint(h.Address); a.IsApexWebhook && (!h.Enabled || len(drapi.MissingAppEvents(h.Types)) > 0 || a.HostKind != sfcheck.DomainMyDomain) {
			t.Errorf("webhook %s is still broken: %+v", h.ID, h)
		}
	}
	if !slices.ContainsFunc(after, func(h emulator.Webhook) bool { return !sfcheck.AnalyzeEndpoint(h.Address).IsApexWebhook }) {
		t.Error("another integration's webhook was deleted")
	}
}

func TestWebhooksDeleteOfAListedIDRemovesOnlyIt(t *testing.T) {
	w := newSharedWorld(t, brokenAccount())
	c := w.keyOnly(t, emulator.Demo.DRKey)
	c.run("webhooks", "list", "--json").want(0)
	var rows []struct{ ID string }
	if err := json.Unmarshal(c.stdout.Bytes(), &rows); err != nil || len(rows) < 3 {
		t.Fatalf("list: %v\n%s", err, c.stdout.String())
	}
	victim := rows[1].ID
	c.run("webhooks", "delete", victim).want(2)
	if len(w.srv.Webhooks("test")) != len(rows) {
		t.Fatal("deleted without --yes and without a terminal")
	}
	c.run("webhooks", "delete", "--yes", victim).want(0)
	c.run("webhooks", "list", "--json").want(0)
	var left []struct{ ID string }
	json.Unmarshal(c.stdout.Bytes(), &left)
	var want []string
	for _, r := range rows {
		if r.ID != victim {
			want = append(want, r.ID)
		}
	}
	var got []string
	for _, r := range left {
		got = append(got, r.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("left %v, want %v", got, want)
	}
	if w.count("DELETE", "/webhooks/") != 1 {
		t.Errorf("%d deletes sent", w.count("DELETE", "/webhooks/"))
	}
	c.run("webhooks", "get", victim).want(1)
	if !strings.Contains(c.stderr.String(), "sees no webhook "+victim) {
		t.Errorf("get of the deleted one: %s", c.stderr.String())
	}
	c.run("webhooks", "get", "not-an-id").want(2)
}

// profiles --json decodes into the fields README documents, after a real
// setup saved the profile.
func TestProfilesJSONOfASavedSetup(t *testing.T) {
	w := newSharedWorld(t, emulator.DemoScenario())
	c := w.cli(t)
	c.run("setup", "--no-input", "--yes", "--json").want(0)
	_, id := resultOf(t, c)
	c.run("profiles", "--json").want(0)
	dec := json.NewDecoder(&c.stdout)
	dec.DisallowUnknownFields()
	var ps []struct {
		Name         string     `json:"name"`
		Current      bool       `json:"current"`
		MyDomain     string     `json:"myDomain"`
		OrgID        string     `json:"orgId"`
		Environment  string     `json:"environment"`
		Auth         string     `json:"auth"`
		KeyMode      string     `json:"keyMode"`
		WebhookID    string     `json:"webhookId"`
		LastSetup    *time.Time `json:"lastSetup"`
		LastVerified *time.Time `json:"lastVerified"`
	}
	if err := dec.Decode(&ps); err != nil {
		t.Fatalf("%v", err)
	}
	if len(ps) != 1 {
		t.Fatalf("profiles %+v", ps)
	}
	p := ps[0]
	if p.Name != "default" || !p.Current || p.MyDomain != emulator.Demo.MyDomain || !strings.HasPrefix(p.OrgID, "00D") || p.Environment != "production" ||
		p.Auth != "password" || p.KeyMode != "test" || p.WebhookID != id || p.LastSetup == nil || time.Since(*p.LastSetup) > time.Hour || p.LastVerified != nil {
		t.Errorf("profile %+v", p)
	}
}

// The demo's walk-through: doctor --demo --fix fixes what it can in the
// simulated account, says what it cannot, checks again in the same run
// and says the changes end with it.
func TestDoctorDemoFixWalkThrough(t *testing.T) {
	c := newCLI(t)
	c.run("--demo", "doctor", "--fix").want(2)
	if !strings.Contains(c.stderr.String(), "drsetup can make 3 changes") {
		t.Fatalf("stderr:\n%s", c.stderr.String())
	}
	c.run("--demo", "doctor", "--fix", "--yes").want(1) // the stale password and the blocked flow stay
	out, errOut := flat(c.stdout.String()), flat(c.stderr.String())
	for _, want := range []string{"Left as they are", "Not fixed: drsetup stores only a login it has seen work", "Updated webhook", "Deleted webhook",
		"Demo: the fixes were made in the simulated account, which lives only as long as this run"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, c.stderr.String())
		}
	}
	for _, want := range []string{"Fixes made before these checks:", "Updated webhook", "Deleted webhook"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, c.stdout.String())
		}
	}
	_, findings, _ := strings.Cut(out, "Summary (details below):")
	for _, gone := range []string{"Lightning host", "not sent", "several enabled webhooks for one org"} {
		if strings.Contains(findings, gone) {
			t.Errorf("the second run still reports %q:\n%s", gone, c.stdout.String())
		}
	}
	if !strings.Contains(out, "Salesforce refused the stored login") {
		t.Errorf("the report no longer says what could not be fixed:\n%s", c.stdout.String())
	}
	// The demo's account is the run's: the next run starts broken again.
	c.run("--demo", "doctor", "--json").want(1)
	if !strings.Contains(c.stdout.String(), "lightning.force.com") {
		t.Error("the demo's changes outlived the run")
	}
	noFilesUnder(t, c.home)
}

// Dozens of webhooks over several orgs, a list page well over 16 KiB: one
// webhook per org is left, another integration's are untouched, nothing is
// created, and nothing secret is printed.
func TestDoctorFixAtRealisticSize(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 5))
	sc := emulator.Scenario{DigitalRiver: emulator.Account{Keys: []emulator.Key{{Key: emulator.Demo.DRKey, CanWebhooks: true}}}}
	var secrets []string
	n := 0
	for i := range 8 {
		host := fmt.Sprintf("org%d.my.salesforce.com", i)
		user := fmt.Sprintf("integration@org%d.example", i)
		sc.Orgs = append(sc.Orgs, emulator.Org{MyDomain: host, PackageInstalled: true,
			Apps:  []emulator.ConnectedApp{{Name: "Salesforce DigitalRiver Integration", ClientID: tClientID, ClientSecret: tClientSecret}},
			Users: []emulator.User{{Username: user, Password: tPassword, SecurityToken: tToken, Active: true, Approved: true, ClassAccess: true}}})
		for range 3 + rng.IntN(6) {
			n++
			h := emulator.Webhook{Address: "https://" + host + sfcheck.ApexPath, Types: slices.Clone(drapi.AppEvents), Enabled: true, TransportType: "OAUTH",
				CreatedTime: time.Date(2025, 1, 1, 0, 0, rng.IntN(86400), 0, time.UTC),
				OAuth:       &emulator.OAuth{TokenEndPoint: sfcheck.ProductionTokenURL, UserName: user, Password: tPassword + tToken, ClientID: tClientID, ClientSecret: tClientSecret, GrantType: "password"}}
			switch rng.IntN(5) {
			case 0:
				h.Address = fmt.Sprintf("https://org%d.lightning.force.com%s", i, sfcheck.ApexPath)
			case 1:
				h.Types = h.Types[:2+rng.IntN(5)]
			case 2:
				h.Enabled = false
			}
			sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
		}
	}
	for i := range 12 {
		pw := fmt.Sprintf("ERP-secret-%d-%x", i, rng.Uint64())
		secrets = append(secrets, pw)
		sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, emulator.Webhook{Address: fmt.Sprintf("https://erp%d.example/hooks/%s", i, strings.Repeat("x", 200)),
			Types: []string{"order.complete"}, Enabled: true, TransportType: "HTTP", Authentication: &emulator.BasicAuth{Username: "erp", Password: pw}})
	}
	w := newSharedWorld(t, sc)
	c := w.keyOnly(t, emulator.Demo.DRKey)
	c.run("webhooks", "list", "--json").want(0)
	if c.stdout.Len() < 16<<10 {
		t.Fatalf("the listing is %d bytes; the test wants pages over 16 KiB", c.stdout.Len())
	}
	var listed []struct{ ID, Address string }
	json.Unmarshal(c.stdout.Bytes(), &listed)
	for _, l := range listed {
		if !strings.Contains(l.Address, "erp0.") && !strings.Contains(l.Address, "org0.") {
			continue
		}
		for _, args := range [][]string{{"webhooks", "get", l.ID}, {"webhooks", "get", l.ID, "--json"}, {"webhooks", "get", l.ID[:8]}} {
			c.run(args...).want(0)
			for _, s := range append(secrets, tClientSecret, tPassword, tPassword+tToken) {
				if strings.Contains(c.stdout.String()+c.stderr.String(), s) {
					t.Errorf("%v shows a secret", args)
				}
			}
			if !strings.Contains(c.stdout.String(), "********") {
				t.Errorf("%v does not say the secret is set:\n%s", args, c.stdout.String())
			}
		}
	}
	c.run("doctor", "--fix", "--yes").want(0)
	for _, s := range append(secrets, tClientSecret, tPassword, tPassword+tToken) {
		if strings.Contains(c.stdout.String()+c.stderr.String(), s) {
			t.Errorf("output holds a secret %q", s)
		}
	}
	after := w.srv.Webhooks("test")
	for org, k := range perOrg(after) {
		if k != 1 {
			t.Errorf("%s has %d webhooks", org, k)
		}
	}
	if len(perOrg(after)) != 8 || len(after) != 8+12 || w.count("POST", "/webhooks") != 0 {
		t.Errorf("%d orgs, %d webhooks, %d creates", len(perOrg(after)), len(after), w.count("POST", "/webhooks"))
	}
}
