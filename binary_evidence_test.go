package main

// The delivery checks at the built binary, at a partner's size: dozens of
// orgs in key-only mode, a month of events whose pages pass the debug log's
// 16 KiB cut. The app's failed-event records hold customers' data in their
// payloads, and Digital River's events in data.object: none of it reaches
// stdout, stderr, the JSON, a debug log or any file, in any mode.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/secret/secrettest"
)

// evidenceAccount is a key with one healthy webhook per org, each org's
// app storing failed events with a customer's canary in every payload, and
// the account's events carrying canaries in data.object.
type evidenceAccount struct {
	file     string
	canaries []string
	orgs     int
}

func newEvidenceAccount(t *testing.T, orgs int) evidenceAccount {
	t.Helper()
	a := evidenceAccount{orgs: orgs}
	shapes := []string{
		`{"id":"%[2]s","type":"order.accepted","data":{"object":{"email":"%[1]s","billTo":{"name":"Jane Roe"}}}}`,
		`{"data":{"object":{"shipTo":{"address":{"line1":"%[1]s"}}}}}`,
		`%[1]s`,
		`{"note":"line one\nline two %[1]s","id":"%[2]s"}`,
	}
	var os_ []map[string]any
	var hooks []map[string]any
	for i := range orgs {
		host := fmt.Sprintf("org%02d.my.salesforce.com", i)
		user := fmt.Sprintf("integration@org%02d.example", i)
		o := binOrg(host, user)
		var failed []map[string]any
		for j := range 5 {
			c := fmt.Sprintf("zq%02dx%d-payload-canary@customer.example", i, j)
			a.canaries = append(a.canaries, c)
			id := fmt.Sprintf("7c0e2a6e-%04d-4000-8000-%012d", i, j)
			failed = append(failed, map[string]any{
				"age": fmt.Sprintf("%dh", 3+j*20), "eventId": id, "eventType": "order.accepted",
				"reason":  "System.DmlException: Insert failed. First exception on row 0; first error: REQUIRED_FIELD_MISSING",
				"payload": fmt.Sprintf(shapes[j%len(shapes)], c, id),
			})
		}
		o["failedEvents"] = failed
		var logins []map[string]any
		for j := range 30 {
			status := "Success"
			if i%3 == 0 && j < 4 {
				status = "Failed: API security token required"
			}
			logins = append(logins, map[string]any{"age": fmt.Sprintf("%dh", 1+j*5), "status": status, "sourceIp": "3.94.74.169"})
		}
		o["users"].([]map[string]any)[0]["loginHistory"] = logins
		os_ = append(os_, o)
		hooks = append(hooks, binHook(fmt.Sprintf("0b7c3a52-eeee-4000-8000-%012d", i), host, user, bPassword+bToken))
	}
	// A month of events, a page of 100 well over 16 KiB.
	var events []map[string]any
	for i := range 700 {
		c := fmt.Sprintf("ev%03dk-event-canary@customer.example", i)
		a.canaries = append(a.canaries, c)
		events = append(events, map[string]any{
			"type": []string{"order.accepted", "order.complete", "order.invoice.created"}[i%3], "age": fmt.Sprintf("%dm", 30+i*61),
			"pendingWebhooks": []any{0, "1", nil}[i%3],
			"object": map[string]any{"id": fmt.Sprint(240114300000 + i), "email": c,
				"billTo": map[string]any{"name": "Jane Roe", "address": map[string]any{"line1": "10380 Bren Road West", "city": "Minnetonka"}}},
		})
	}
	b, err := json.Marshal(map[string]any{
		"orgs":         os_,
		"digitalRiver": map[string]any{"keys": []map[string]any{{"key": emulator.Demo.DRKey}}, "webhooks": hooks, "events": events},
	})
	if err != nil {
		t.Fatal(err)
	}
	a.file = filepath.Join(t.TempDir(), "evidence.json")
	if err := os.WriteFile(a.file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestNoFailedEventPayloadReachesAnyOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("runs doctor over 30 orgs in three modes")
	}
	a := newEvidenceAccount(t, 30)
	logs := t.TempDir()
	texts := map[string]string{}
	var homes []string
	runLogged := func(c *cli, name string, args ...string) *cli {
		t.Helper()
		log := filepath.Join(logs, name+".jsonl")
		c.run(append([]string{"--debug-log", log}, args...)...)
		if c.code != 0 && c.code != 1 {
			t.Fatalf("%s: exit %d\n%s", name, c.code, c.stderr.String())
		}
		b, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		texts[name+" stdout"], texts[name+" stderr"], texts[name+" debug log"] = c.stdout.String(), c.stderr.String(), string(b)
		homes = append(homes, c.home)
		return c
	}
	demo := func() *cli { return newCLI(t).setenv("DRSETUP_DEMO_SCENARIO=" + a.file) }
	key := "DRSETUP_DR_API_KEY=" + emulator.Demo.DRKey

	keyOnly := runLogged(demo().setenv(key), "key-only-json", "--demo", "doctor", "--json", "--since", "30d")
	runLogged(demo().setenv(key), "key-only-text", "--demo", "doctor")
	values := []string{"DRSETUP_MY_DOMAIN=https://org00.my.salesforce.com", "DRSETUP_CLIENT_ID=" + bClientID, "DRSETUP_USERNAME=integration@org00.example",
		"DRSETUP_CLIENT_SECRET=" + bSecret, "DRSETUP_PASSWORD=" + bPassword, "DRSETUP_SECURITY_TOKEN=" + bToken, key}
	valuesRun := runLogged(demo().setenv(values...), "values-json", "--demo", "doctor", "--json")
	runLogged(demo().setenv(values...), "values-accessible", "--demo", "--accessible", "doctor")

	// A saved profile, without --demo, through a proxy to the same world:
	// setup saves it (no keyring here), doctor checks it.
	sc, err := loadScenario(a.file)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start(sc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, srv.CACertPEM(), 0o600)
	real := newCLI(t).setenv(values...).setenv("HTTPS_PROXY="+connectProxy(t, srv), "SSL_CERT_FILE="+ca, "DRSETUP_KEYRING_TIMEOUT=2s")
	runLogged(real, "setup", "setup", "--no-input", "--yes")
	saved := runLogged(real, "profile-json", "doctor", "--json")

	// The runs read what the test seeds: not a vacuous pass.
	var rep contractReport
	if err := json.Unmarshal(keyOnly.stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, c := range rep.Checks {
		if c.ID == "sf_failed_events" && c.Status == "warn" && strings.Contains(c.Summary, "stored 5 events as failed") {
			failed++
		}
		if c.ID == "dr_events" && !strings.Contains(c.Summary, "700 events") {
			t.Errorf("dr_events over 30 days: %s", c.Summary)
		}
	}
	if failed != a.orgs {
		t.Errorf("%d webhooks' failed events read, want %d", failed, a.orgs)
	}
	for name, c := range map[string]*cli{"values": valuesRun, "profile": saved} {
		var rep contractReport
		if err := json.Unmarshal(c.stdout.Bytes(), &rep); err != nil || rep.Mode != name || rep.status("sf_failed_events") != "warn" || rep.status("sf_login_history") != "fail" {
			t.Errorf("%s mode: %v, mode %q, sf_failed_events %q, sf_login_history %q", name, err, rep.Mode, rep.status("sf_failed_events"), rep.status("sf_login_history"))
		}
	}
	if !strings.Contains(texts["key-only-text stdout"], "Delivery timeline, last 7 days") {
		t.Errorf("the text report has no timeline:\n%s", texts["key-only-text stdout"])
	}
	// The events' pages passed the debug log's cut, and it still shows
	// no customer's data.
	cut := false
	for _, line := range strings.Split(texts["key-only-json debug log"], "\n") {
		var l map[string]any
		if json.Unmarshal([]byte(line), &l) == nil && l["path"] == "/events" && l["responseBodyCutAt"] != nil {
			cut = true
		}
	}
	if !cut {
		t.Error("no events page was over 16 KiB")
	}
	for _, h := range homes {
		filepath.Walk(h, func(path string, fi os.FileInfo, err error) error {
			if err == nil && !fi.IsDir() {
				b, _ := os.ReadFile(path)
				texts["file "+strings.TrimPrefix(path, h)] = string(b)
			}
			return nil
		})
	}
	for where, text := range texts {
		for _, c := range a.canaries {
			if leaks := secrettest.TextLeaks(text, c); len(leaks) > 0 {
				t.Errorf("%s holds a customer's data: %v", where, leaks)
				break
			}
		}
		for _, s := range []string{"Jane Roe", "Bren Road", "customer.example"} {
			if strings.Contains(text, s) {
				t.Errorf("%s holds %q", where, s)
			}
		}
	}
}

// The doctor demo serves each kind of failure the delivery checks find,
// and its made-up customers never show either.
func TestDoctorDemoShowsEachKindOfDeliveryFailure(t *testing.T) {
	c := newCLI(t)
	log := filepath.Join(t.TempDir(), "demo.jsonl")
	start := time.Now()
	c.run("--demo", "--debug-log", log, "doctor").want(1)
	t.Logf("doctor --demo took %v (its slow listener is timed for real)", time.Since(start).Round(time.Millisecond))
	out := strings.Join(strings.Fields(c.stdout.String()), " ")
	for _, s := range []string{
		"Delivery timeline, last 7 days",
		"order events,", "pending",
		"failed logins from Digital River at wayne--uat: Invalid Password (first seen)",
		"API security token required (first seen)",
		"failed event at acme",
		"warn Listener speed (webhook d185a741)",
		"warn Failed events (webhook 089db942): The app stored 3 events as failed.",
		"fail Login History (webhooks 6feea5f1 and a18c169b): Digital River's logins fail: API security token required.",
		"warn Digital River's events:",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("the demo's report lacks %q:\n%s", s, c.stdout.String())
		}
	}
	b, _ := os.ReadFile(log)
	for _, text := range []string{c.stdout.String(), c.stderr.String(), string(b)} {
		for _, s := range []string{"customer.example", "Bren Road", "Jane Roe", "Mustermann", "+1 952-555-0142"} {
			if strings.Contains(text, s) {
				t.Errorf("the demo shows a customer's %q", s)
			}
		}
	}
}
