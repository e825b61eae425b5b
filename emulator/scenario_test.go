package emulator

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestLoadScenarioExample(t *testing.T) {
	f, err := os.Open("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := LoadScenario(f)
	if err != nil {
		t.Fatal(err)
	}

	acme := s.Orgs[0]
	if acme.OrgID != "00D5e000000AbCdEAK" || !acme.PackageInstalled || !acme.UsernamePasswordBlocked || acme.Sandbox {
		t.Errorf("org %+v", acme)
	}
	if a := acme.Apps[0]; a.ClientID != "3MVG9example" || !a.AdminApprovedOnly || !a.ClientCredentials || a.RunAsUser != "integration@acme.example" {
		t.Errorf("app %+v", a)
	}
	if u := acme.Users[0]; !u.Active || !u.Approved || !u.ClassAccess || u.TrustedIP || u.SecurityToken != "tok" {
		t.Errorf("flags of a working user should default to true: %+v", u)
	}
	if u := acme.Users[1]; u.Active || u.ClassAccess || !u.Approved {
		t.Errorf("flags given as false: %+v", u)
	}
	if uat := s.Orgs[1]; !uat.Sandbox || uat.PackageInstalled {
		t.Errorf("sandbox %+v", uat)
	}
	if k := s.DigitalRiver.Keys; !k[0].CanWebhooks || k[2].CanWebhooks {
		t.Errorf("keys %+v", k)
	}
	hooks := s.DigitalRiver.Webhooks
	if !hooks[0].Enabled || hooks[0].OAuth.ClientSecret != "example-secret" || !hooks[0].CreatedTime.Equal(time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("webhook 0 %+v", hooks[0])
	}
	if hooks[1].Enabled || !hooks[1].LiveMode || hooks[1].ID != "0b8c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d" {
		t.Errorf("webhook 1 %+v", hooks[1])
	}
	if a := s.DigitalRiver; !a.BareArrayList || a.ListLag != 3*time.Second || a.PatchOmitted != PatchKeep || !a.RefuseClientCredentials {
		t.Errorf("account options lost: %+v", a)
	}
	// Evidence.
	if !acme.MethodCheckedFirst || !acme.HidePermissionSetAssignments || acme.ListenerLatency != 3500*time.Millisecond || acme.QueryBatchSize != 200 || acme.APIDisabled || !s.Orgs[1].APIDisabled {
		t.Errorf("org evidence %+v", acme)
	}
	if f := acme.FailedEvents; len(f) != 1 || f[0].Age != 5*time.Hour || f[0].EventType != "order.accepted" || !strings.Contains(f[0].Payload, "7c0e2a6e") {
		t.Errorf("failed events %+v", f)
	}
	if u := acme.Users[0]; len(u.LoginHistory) != 2 || u.LoginHistory[0].Age != 26*time.Hour || u.LoginHistory[1].LoginSubType != "OAuth Client Credentials" ||
		!u.LoginHistory[1].Time.Equal(time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)) || !u.LastPasswordChange.Equal(time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("login history %+v", u)
	}
	if ev := s.DigitalRiver.Events; len(ev) != 3 || ev[0].Pending != (EventPending{1, PendingNumber}) || ev[1].Pending != (EventPending{0, PendingString}) ||
		ev[2].Pending.Form != PendingMissing || !ev[2].LiveMode || ev[0].Object["id"] != "240012340000" {
		t.Errorf("events %+v", ev)
	}
	fl := s.Faults
	if fl.Latency["*"] != 250*time.Millisecond || fl.RateLimit["api.digitalriver.com"] != (RateLimitFault{2, 1}) ||
		fl.ServerErrors["login.salesforce.com"] != (StatusFault{1, 503}) || fl.DropCreateResponse != 1 ||
		fl.HoldCreateResponse != 1 || fl.StoreCreatesDifferently != 1 ||
		!fl.Silent["test.salesforce.com"] || fl.UnknownError["login.salesforce.com"] != 1 {
		t.Errorf("faults %+v", fl)
	}

	// The loaded scenario runs: the emulator derives what was left out.
	e := New(s)
	if got := e.orgs[1].OrgID; !strings.HasPrefix(got, "00D") || len(got) != 18 {
		t.Errorf("derived org id %q", got)
	}
	if e.orgs[0].MyDomain != "acme.my.salesforce.com" {
		t.Errorf("My Domain not lower-cased: %q", e.orgs[0].MyDomain)
	}
	if k := e.keys["pk_test_example"]; !k.Public || k.Mode != modeTest {
		t.Errorf("public key %+v", k)
	}
	if w := e.Webhooks(modeTest); len(w) != 1 || !isUUID(w[0].ID) || w[0].TransportType != "OAUTH" {
		t.Errorf("test webhooks %+v", w)
	}
}

func TestLoadScenarioNamesTheBadField(t *testing.T) {
	const org = `{"myDomain":"acme.my.salesforce.com","users":[{"username":"a@acme.example","password":"p"}]}`
	tests := []struct {
		name, json, wantField, wantProblem string
	}{
		{"empty document", ``, "", "is empty"},
		{"syntax error", "{\n  \"orgs\": [,]\n}", "", "line 2, column 12"},
		{"not an object", `[]`, "", "must be a JSON object"},
		{"trailing data", `{} {}`, "", "more after"},
		{"unknown top-level field", `{"org":[]}`, "org", "unknown field"},
		{"misspelt field", `{"orgs":[{"mydomain":"acme.my.salesforce.com"}]}`, "orgs[0].mydomain", `did you mean "myDomain"`},
		{"unknown nested field", `{"orgs":[` + org + `,{"myDomain":"b.my.salesforce.com","users":[{"usrname":"x"}]}]}`, "orgs[1].users[0].usrname", "unknown field"},
		{"wrong kind", `{"orgs":[{"myDomain":"acme.my.salesforce.com","sandbox":"yes"}]}`, "orgs[0].sandbox", "want true or false, got a string"},
		{"fraction for a count", `{"faults":{"dropCreateResponse":1.5}}`, "faults.dropCreateResponse", "whole number"},
		{"missing My Domain", `{"orgs":[{"sandbox":true}]}`, "orgs[0].myDomain", "required"},
		{"URL for a My Domain", `{"orgs":[{"myDomain":"https://acme.my.salesforce.com"}]}`, "orgs[0].myDomain", "host only"},
		{"duplicate My Domain", `{"orgs":[{"myDomain":"a.my.salesforce.com"},{"myDomain":"A.my.salesforce.com"}]}`, "orgs[1].myDomain", "two orgs"},
		{"bad org id checksum", `{"orgs":[{"myDomain":"a.my.salesforce.com","orgId":"00D5e000000AbCdAAA"}]}`, "orgs[0].orgId", "00D5e000000AbCdEAK"},
		{"org id with the wrong prefix", `{"orgs":[{"myDomain":"a.my.salesforce.com","orgId":"0055e000000AbCdEAK"}]}`, "orgs[0].orgId", "starting 00D"},
		{"username not an email", `{"orgs":[{"myDomain":"a.my.salesforce.com","users":[{"username":"bob","password":"p"}]}]}`, "orgs[0].users[0].username", "email"},
		{"username in two orgs", `{"orgs":[` + org + `,{"myDomain":"b.my.salesforce.com","users":[{"username":"A@acme.example","password":"p"}]}]}`, "orgs[1].users[0].username", "unique"},
		{"user without password", `{"orgs":[{"myDomain":"a.my.salesforce.com","users":[{"username":"a@a.example"}]}]}`, "orgs[0].users[0].password", "required"},
		{"Run As user of another org", `{"orgs":[{"myDomain":"a.my.salesforce.com","apps":[{"clientId":"c","clientSecret":"s","runAsUser":"x@b.example"}]}]}`, "orgs[0].apps[0].runAsUser", "not a user"},
		{"app without secret", `{"orgs":[{"myDomain":"a.my.salesforce.com","apps":[{"clientId":"c"}]}]}`, "orgs[0].apps[0].clientSecret", "required"},
		{"key mode against its prefix", `{"digitalRiver":{"keys":[{"key":"sk_test_abcdef","mode":"live"}]}}`, "digitalRiver.keys[0].mode", "contradicts"},
		{"duplicate key", `{"digitalRiver":{"keys":[{"key":"sk_test_abcdef"},{"key":"sk_test_abcdef"}]}}`, "digitalRiver.keys[1].key", "listed twice"},
		{"webhook without types", `{"digitalRiver":{"webhooks":[{"address":"https://x.example/"}]}}`, "digitalRiver.webhooks[0].types", "required"},
		{"webhook with a bad type", `{"digitalRiver":{"webhooks":[{"address":"https://x.example/","types":["order.acepted"]}]}}`, "digitalRiver.webhooks[0].types", "not a valid event type"},
		{"OAUTH webhook without oauth", `{"digitalRiver":{"webhooks":[{"address":"https://x.example/","types":["order.accepted"],"transportType":"OAUTH"}]}}`, "digitalRiver.webhooks[0].oauth", "required"},
		{"webhook id not a UUID", `{"digitalRiver":{"webhooks":[{"id":"abc","address":"https://x.example/","types":["order.accepted"]}]}}`, "digitalRiver.webhooks[0].id", "UUID"},
		{"webhook time", `{"digitalRiver":{"webhooks":[{"address":"https://x.example/","types":["order.accepted"],"createdTime":"yesterday"}]}}`, "digitalRiver.webhooks[0].createdTime", "ISO-8601"},
		{"latency not a duration", `{"faults":{"latency":{"*":"fast"}}}`, `faults.latency["*"]`, "duration"},
		{"server error not 5xx", `{"faults":{"serverErrors":{"*":{"count":1,"status":404}}}}`, `faults.serverErrors["*"].status`, "5xx"},
		// Evidence.
		{"misspelt evidence field", `{"orgs":[{"myDomain":"a.my.salesforce.com","methodcheckedfirst":true}]}`, "orgs[0].methodcheckedfirst", `did you mean "methodCheckedFirst"`},
		{"listener latency", `{"orgs":[{"myDomain":"a.my.salesforce.com","listenerLatency":"slow"}]}`, "orgs[0].listenerLatency", "duration"},
		{"batch size", `{"orgs":[{"myDomain":"a.my.salesforce.com","queryBatchSize":5000}]}`, "orgs[0].queryBatchSize", "2000"},
		{"login row without status", `{"orgs":[{"myDomain":"a.my.salesforce.com","users":[{"username":"a@a.example","password":"p","loginHistory":[{"age":"1h"}]}]}]}`, "orgs[0].users[0].loginHistory[0].status", "required"},
		{"login row address", `{"orgs":[{"myDomain":"a.my.salesforce.com","users":[{"username":"a@a.example","password":"p","loginHistory":[{"status":"Success","sourceIp":"dr.example"}]}]}]}`, "orgs[0].users[0].loginHistory[0].sourceIp", "IP address"},
		{"login row time and age", `{"orgs":[{"myDomain":"a.my.salesforce.com","users":[{"username":"a@a.example","password":"p","loginHistory":[{"status":"Success","age":"1h","time":"2026-01-01T00:00:00Z"}]}]}]}`, "orgs[0].users[0].loginHistory[0].age", "not both"},
		{"failed event time", `{"orgs":[{"myDomain":"a.my.salesforce.com","failedEvents":[{"createdDate":"monday"}]}]}`, "orgs[0].failedEvents[0].createdDate", "ISO-8601"},
		{"failed event id", `{"orgs":[{"myDomain":"a.my.salesforce.com","failedEvents":[{"id":"a0B000000000000AAA"}]}]}`, "orgs[0].failedEvents[0].id", "checksum"},
		{"event type", `{"digitalRiver":{"events":[{"type":"order.acepted"}]}}`, "digitalRiver.events[0].type", "not a valid event type"},
		{"event id", `{"digitalRiver":{"events":[{"id":"e1","type":"order.accepted"}]}}`, "digitalRiver.events[0].id", "UUID"},
		{"pending as words", `{"digitalRiver":{"events":[{"type":"order.accepted","pendingWebhooks":"some"}]}}`, "digitalRiver.events[0].pendingWebhooks", "number"},
		{"pending negative", `{"digitalRiver":{"events":[{"type":"order.accepted","pendingWebhooks":-1}]}}`, "digitalRiver.events[0].pendingWebhooks", "whole number"},
		{"pending as an array", `{"digitalRiver":{"events":[{"type":"order.accepted","pendingWebhooks":[1]}]}}`, "digitalRiver.events[0].pendingWebhooks", "an array"},
		{"event age", `{"digitalRiver":{"events":[{"type":"order.accepted","age":"-1h"}]}}`, "digitalRiver.events[0].age", "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadScenario(strings.NewReader(tt.json))
			var se *ScenarioError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *ScenarioError", err)
			}
			if se.Field != tt.wantField || !strings.Contains(se.Error(), tt.wantProblem) {
				t.Errorf("err = %q (field %q), want field %q and %q", se, se.Field, tt.wantField, tt.wantProblem)
			}
		})
	}
}

func TestScenarioErrorsHideKeys(t *testing.T) {
	_, err := LoadScenario(strings.NewReader(`{"digitalRiver":{"keys":[{"key":"sk_test_verysecret1"},{"key":"sk_test_verysecret1"}]}}`))
	if err == nil || strings.Contains(err.Error(), "verysecret") {
		t.Errorf("err = %v, want it without the key", err)
	}
}

func TestNewPanicsOnAnInvalidScenario(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "orgs[0].myDomain") {
			t.Errorf("recovered %v, want a panic naming orgs[0].myDomain", r)
		}
	}()
	New(Scenario{Orgs: []Org{{}}})
}

func TestNewDoesNotShareTheScenario(t *testing.T) {
	s := testScenario()
	s.DigitalRiver.Webhooks = []Webhook{{Address: "https://x.example/", Types: []string{"order.accepted"}}}
	e := New(s)
	s.DigitalRiver.Webhooks[0].Types[0] = "order.changed.by.caller"
	s.Orgs[0].Users[0].Password = "changed"
	if e.Webhooks("")[0].Types[0] != "order.accepted" || e.orgs[0].Users[0].Password != apiPass {
		t.Error("the emulator shares memory with the caller's scenario")
	}
	got := e.Webhooks("")
	got[0].Types[0] = "changed"
	if e.Webhooks("")[0].Types[0] != "order.accepted" {
		t.Error("Webhooks returns the emulator's own memory")
	}
}

func TestSalesforceIDChecksum(t *testing.T) {
	for id15, want := range map[string]string{
		"001A0000006Vm9r": "IAC", // Salesforce's documented example, 001A0000006Vm9rIAC
		"001000000000000": "AAA",
		"00DABCDEFGHIJKL": "255", // 00 then three capitals, then all capitals
	} {
		if got := idSuffix(id15); got != want {
			t.Errorf("idSuffix(%s) = %s, want %s", id15, got, want)
		}
	}
}

// FuzzLoadScenario: no input makes LoadScenario panic, and whatever it
// accepts the emulator runs.
func FuzzLoadScenario(f *testing.F) {
	b, err := os.ReadFile("testdata/example.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add(`{"orgs":[{"myDomain":"a.my.salesforce.com","users":[{"username":"a@a","password":"p"}]}]}`)
	f.Add(`{"faults":{"latency":{"*":"1ms"}}}`)
	f.Add(`{"digitalRiver":{"webhooks":[{"address":"https://x/","types":["a.b"]}]}}`)
	f.Fuzz(func(t *testing.T, in string) {
		s, err := LoadScenario(strings.NewReader(in))
		if err != nil {
			var se *ScenarioError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *ScenarioError", err)
			}
			return
		}
		New(s)
	})
}
