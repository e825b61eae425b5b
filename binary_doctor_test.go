package main

// Tests that run the built drsetup doctor against a simulated world read
// from a scenario file, as a support engineer reproducing a customer's
// setup does: its verdict and exit code, its JSON and text report, and the
// lockout budget at a realistic size.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/secret/secrettest"
)

// The simulated org of these tests; every secret is found nowhere else.
const (
	bHost     = "acme.my.salesforce.com"
	bClientID = "3MVG9BIN.verdict.consumer.key"
	bSecret   = "CS-bin-verdict-6f2a"
	bUser     = "integration@acme.example"
	bPassword = "PW-bin-verdict&7c"
	bToken    = "TKbinverdict3e9d"
)

// binHook is a webhook of the app for org host, storing user's login with
// password (joined with the token, as Digital River stores it).
func binHook(id, host, user, password string) map[string]any {
	return map[string]any{
		"id": id, "address": "https://" + host + "/services/apexrest/digitalriverv3/webhooks/",
		"types": []string{"order.accepted", "order.cancelled", "order.complete", "order.pending_payment",
			"order.review_opened", "order.blocked", "order.credit_memo.created", "order.invoice.created"},
		"transportType": "OAUTH",
		"oauth": map[string]any{"tokenEndPoint": "https://login.salesforce.com/services/oauth2/token", "userName": user,
			"password": password, "clientID": bClientID, "clientSecret": bSecret, "grantType": "password"},
	}
}

func binOrg(host string, users ...string) map[string]any {
	var us []map[string]any
	for _, u := range users {
		us = append(us, map[string]any{"username": u, "password": bPassword, "securityToken": bToken})
	}
	return map[string]any{"myDomain": host,
		"apps":  []map[string]any{{"name": "Salesforce DigitalRiver Integration", "clientId": bClientID, "clientSecret": bSecret}},
		"users": us}
}

// writeScenario writes a scenario file for DRSETUP_DEMO_SCENARIO: the orgs
// and webhooks given, seen by the demo's own key.
func writeScenario(t *testing.T, orgs []map[string]any, hooks []map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"orgs":         orgs,
		"digitalRiver": map[string]any{"keys": []map[string]any{{"key": emulator.Demo.DRKey}}, "webhooks": hooks},
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// valuesEnv gives the run's Salesforce values the unattended way, with
// password as the password.
func valuesEnv(password string) []string {
	return []string{
		"DRSETUP_MY_DOMAIN=https://" + bHost, "DRSETUP_CLIENT_ID=" + bClientID, "DRSETUP_USERNAME=" + bUser,
		"DRSETUP_CLIENT_SECRET=" + bSecret, "DRSETUP_PASSWORD=" + password, "DRSETUP_SECURITY_TOKEN=" + bToken,
	}
}

// contractReport is DESIGN.md's doctor --json object, field by field.
type contractReport struct {
	OK         bool    `json:"ok"`
	Incomplete bool    `json:"incomplete"`
	Mode       string  `json:"mode"`
	Profile    *string `json:"profile"`
	Drsetup    struct {
		Version string `json:"version"`
		Commit  string `json:"commit"`
		OS      string `json:"os"`
		Arch    string `json:"arch"`
	} `json:"drsetup"`
	StartedAt string `json:"startedAt"`
	Counts    struct {
		Pass int `json:"pass"`
		Warn int `json:"warn"`
		Fail int `json:"fail"`
		Skip int `json:"skip"`
	} `json:"counts"`
	Checks []struct {
		ID         string `json:"id"`
		Status     string `json:"status"`
		Summary    string `json:"summary"`
		Remedy     string `json:"remedy,omitempty"`
		DurationMs int64  `json:"durationMs"`
		WebhookID  string `json:"webhookId,omitempty"`
	} `json:"checks"`
	Fixes []struct {
		WebhookID string `json:"webhookId"`
		Action    string `json:"action"`
		Summary   string `json:"summary"`
	} `json:"fixes,omitempty"`
}

// decodeStrict decodes doctor's --json output into the contract's shape,
// failing on any field the contract does not have.
func decodeStrict(t *testing.T, out []byte) contractReport {
	t.Helper()
	var rep contractReport
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("doctor --json is not the contract's object: %v\n%s", err, out)
	}
	return rep
}

func (r contractReport) status(id string) string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

func TestDoctorVerdictAndExitCodes(t *testing.T) {
	stale := "Old&Pass+0" + bToken
	good := bPassword + bToken
	for _, c := range []struct {
		name   string
		stored string   // the password stored in the webhook
		env    []string // the run's values; none: key-only
		code   int
		ok     bool
		incomp bool
		checks map[string]string
	}{
		{name: "key only, healthy: warnings only", stored: good, code: 0, ok: true,
			checks: map[string]string{"sf_login": "skip", "dr_login_replay": "pass", "webhook_transport": "warn"}},
		{name: "incomplete: only a My Domain", stored: good, env: []string{"DRSETUP_MY_DOMAIN=https://" + bHost}, code: 1, incomp: true,
			checks: map[string]string{"my_domain": "pass", "sf_login": "skip"}},
		{name: "stale values: only Digital River's login works", stored: good, env: valuesEnv("Wrong&pw"), code: 0, ok: true,
			checks: map[string]string{"sf_login": "warn", "dr_login_replay": "pass", "webhook_oauth": "warn"}},
		{name: "stale webhook: only the values' login works", stored: stale, env: valuesEnv(bPassword), code: 1,
			checks: map[string]string{"sf_login": "pass", "dr_login_replay": "fail", "webhook_oauth": "fail"}},
		{name: "both work", stored: good, env: valuesEnv(bPassword), code: 0, ok: true,
			checks: map[string]string{"sf_login": "pass", "dr_login_replay": "pass", "webhook_oauth": "pass"}},
		{name: "neither works", stored: stale, env: valuesEnv("Wrong&pw"), code: 1,
			checks: map[string]string{"sf_login": "fail", "dr_login_replay": "fail", "webhook_oauth": "fail"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := writeScenario(t, []map[string]any{binOrg(bHost, bUser)},
				[]map[string]any{binHook("0b7c3a52-bbbb-4000-8000-000000000001", bHost, bUser, c.stored)})
			cli := newCLI(t).setenv("DRSETUP_DEMO_SCENARIO=" + sc).setenv(c.env...)
			cli.run("--demo", "doctor", "--json").want(c.code)
			rep := decodeStrict(t, cli.stdout.Bytes())
			if rep.OK != c.ok || rep.Incomplete != c.incomp {
				t.Errorf("ok %v incomplete %v, want %v %v", rep.OK, rep.Incomplete, c.ok, c.incomp)
			}
			for id, want := range c.checks {
				if got := rep.status(id); got != want {
					t.Errorf("%s is %q, want %q", id, got, want)
				}
			}
			// The text report says the same, and an incomplete run names
			// what was missing and where to give it.
			cli.run("--demo", "doctor").want(c.code)
			text := strings.Join(strings.Fields(cli.stdout.String()), " ")
			if c.incomp {
				for _, s := range []string{"Incomplete:", "the Client ID (--client-id or DRSETUP_CLIENT_ID)", "the client secret (DRSETUP_CLIENT_SECRET)", "the password (DRSETUP_PASSWORD)"} {
					if !strings.Contains(text, s) {
						t.Errorf("the report lacks %q:\n%s", s, cli.stdout.String())
					}
				}
			}
		})
	}
}

func TestDoctorJSONIsTheContractsObject(t *testing.T) {
	c := newCLI(t)
	start := time.Now().Add(-time.Second)
	c.run("--demo", "doctor", "--json").want(1)
	rep := decodeStrict(t, c.stdout.Bytes())
	if rep.Mode != "key-only" || rep.Profile != nil || rep.OK || rep.Incomplete {
		t.Errorf("mode %q profile %v ok %v incomplete %v", rep.Mode, rep.Profile, rep.OK, rep.Incomplete)
	}
	at, err := time.Parse(time.RFC3339, rep.StartedAt)
	if err != nil || at.Before(start.Truncate(time.Second)) || at.After(time.Now()) {
		t.Errorf("startedAt %q is not this run's time in RFC 3339", rep.StartedAt)
	}
	if rep.Drsetup.Version == "" || rep.Drsetup.OS != runtime.GOOS || rep.Drsetup.Arch != runtime.GOARCH {
		t.Errorf("drsetup %+v does not name this build", rep.Drsetup)
	}
	n := map[string]int{}
	for _, ch := range rep.Checks {
		n[ch.Status]++
	}
	if rep.Counts.Pass != n["pass"] || rep.Counts.Warn != n["warn"] || rep.Counts.Fail != n["fail"] || rep.Counts.Skip != n["skip"] {
		t.Errorf("counts %+v, the checks have %v", rep.Counts, n)
	}
	if c.stderr.Len() > 0 && strings.Contains(c.stderr.String(), "{") {
		t.Errorf("JSON on stderr: %s", c.stderr.String())
	}
}

// TestDoctorLockoutBudgetAtSize runs key-only doctor over 60 webhooks of
// three users, each storing a stale password of its own: at most two
// refused logins per user, the rest skipped with the reason.
func TestDoctorLockoutBudgetAtSize(t *testing.T) {
	users := []string{"a@acme.example", "b@acme.example", "c@acme.example"}
	var hooks []map[string]any
	byHook := map[string]string{}
	for i := range 60 {
		id := fmt.Sprintf("0b7c3a52-cccc-4000-8000-%012d", i)
		u := users[i%3]
		hooks = append(hooks, binHook(id, bHost, u, fmt.Sprintf("Stale-%d&pw", i)+bToken))
		byHook[id] = u
	}
	sc := writeScenario(t, []map[string]any{binOrg(bHost, users...)}, hooks)
	cli := newCLI(t).setenv("DRSETUP_DEMO_SCENARIO=" + sc)
	cli.run("--demo", "doctor", "--json").want(1)
	rep := decodeStrict(t, cli.stdout.Bytes())
	failed, skipped := map[string]int{}, map[string]int{}
	for _, c := range rep.Checks {
		if c.ID != "dr_login_replay" {
			continue
		}
		switch {
		case c.Status == "fail":
			failed[byHook[c.WebhookID]]++
		case c.Status == "skip" && strings.Contains(c.Summary, "two logins for this user already failed in this run"):
			skipped[byHook[c.WebhookID]]++
		default:
			t.Errorf("replay of %s: %s %q", c.WebhookID, c.Status, c.Summary)
		}
	}
	for _, u := range users {
		if failed[u] != 2 || skipped[u] != 18 {
			t.Errorf("%s: %d logins refused and %d skipped, want 2 and 18", u, failed[u], skipped[u])
		}
	}
}

func TestDoctorReportNamesItsBuildAndSaysStatusesInWords(t *testing.T) {
	for _, args := range [][]string{{"--demo", "doctor"}, {"--demo", "--accessible", "doctor"}} {
		c := newCLI(t)
		c.run(args...).want(1)
		out := c.stdout.String()
		first, _, _ := strings.Cut(out, "\n")
		if !regexp.MustCompile(`^drsetup \S+ \(commit \S+, ` + runtime.GOOS + `/` + runtime.GOARCH + `\), doctor, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$`).MatchString(first) {
			t.Errorf("%v: first line %q does not name the drsetup and the time", args, first)
		}
		for _, bad := range []string{"✓", "✗", "→", "***"} {
			if strings.Contains(out, bad) {
				t.Errorf("%v: %q in the piped report", args, bad)
			}
		}
		if !strings.Contains(out, "\nfail ") || !strings.Contains(out, "\nwarn ") || !strings.Contains(out, "Summary") {
			t.Errorf("%v: no statuses in words or no summary:\n%s", args, out)
		}
	}
}

// Someone may paste a password or a token into a webhook's address (userinfo,
// a query parameter): doctor, --fix and the webhooks commands show the
// address without them, in the report, the JSON, the plan and the debug log.
func TestSecretsInAWebhooksAddressAreShownNowhere(t *testing.T) {
	// Digital River (and the emulator) refuse an address with userinfo, so
	// only a query can carry one here; doctor's tests cover userinfo.
	const queryToken = "QUERYTOKEN123xyz"
	lightning := binHook("0b7c3a52-1111-4000-8000-000000000001", "acme.lightning.force.com", bUser, bPassword+bToken)
	lightning["address"] = "https://acme.lightning.force.com/services/apexrest/digitalriverv3/webhooks/?access_token=" + queryToken
	query := binHook("0b7c3a52-1111-4000-8000-000000000002", "globex.my.salesforce.com", bUser, bPassword+bToken)
	query["address"] = "https://globex.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/?sig=" + queryToken
	sc := writeScenario(t, []map[string]any{binOrg(bHost, bUser), binOrg("globex.my.salesforce.com")}, []map[string]any{lightning, query})
	log := filepath.Join(t.TempDir(), "trace.jsonl")
	cli := newCLI(t).setenv("DRSETUP_DEMO_SCENARIO=" + sc)
	var seen strings.Builder
	for _, args := range [][]string{
		{"--demo", "doctor"},
		{"--demo", "--debug-log", log, "doctor", "--fix", "--yes", "--json"},
		{"--demo", "webhooks", "list", "--json"},
		{"--demo", "webhooks", "get", "0b7c3a52-1111-4000-8000-000000000002", "--json"},
	} {
		cli.run(args...)
		seen.WriteString(cli.stdout.String() + cli.stderr.String())
	}
	trace, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	seen.Write(trace)
	if !strings.Contains(seen.String(), "acme.lightning.force.com/services/apexrest/digitalriverv3/webhooks/") {
		t.Fatalf("the runs did not look at the webhook:\n%s", seen.String())
	}
	if leaks := secrettest.Leaks(seen.String(), queryToken); len(leaks) > 0 {
		t.Errorf("the token in the address is shown (%v):\n%s", leaks, seen.String())
	}
}

// A demo scenario file that is missing or cut short is named with what to
// do, in words, not the OS's or the decoder's.
func TestABrokenDemoScenarioIsToldInWords(t *testing.T) {
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut.json")
	if err := os.WriteFile(cut, []byte(`{"webhooks": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "none.json"): "does not exist; name a scenario JSON file, or unset the variable",
		cut:                             "ends before its JSON does",
	} {
		cli := newCLI(t).setenv("DRSETUP_DEMO_SCENARIO=" + path)
		cli.run("--demo", "doctor").want(2)
		if e := cli.stderr.String(); !strings.Contains(e, want) || strings.Contains(e, "no such file") || strings.Contains(e, "unexpected EOF") {
			t.Errorf("%s: stderr\n%s", path, e)
		}
	}
}
