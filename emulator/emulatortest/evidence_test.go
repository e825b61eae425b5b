package emulatortest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/debuglog"
	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
)

// The failed-event payloads and Digital River's data.object hold customers'
// data. Read through the real clients, the simulated world shows none of it:
// not in what the readers return, not in their errors, and (for the
// payloads, which drsetup never asks for) not in the debug log, in any
// encoding. These live here because only this layer may use the clients and
// the debug log together.

const (
	host     = "acme.my.salesforce.com"
	noAccess = "noclass@acme.example"
	drKey    = "sk_test_leaks_00000000000000000000"
)

func TestNoCustomerDataLeavesThroughTheReaders(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var canaries []string
	org := emulator.Org{
		MyDomain: host, PackageInstalled: true, QueryBatchSize: 25,
		Apps: []emulator.ConnectedApp{{Name: "Salesforce DigitalRiver Integration", ClientID: "3MVG9leaks", ClientSecret: "leaks-secret-000"}},
		Users: []emulator.User{
			{Username: "integration@acme.example", Password: "Leaks&Pass+1", SecurityToken: "LEAKStoken", Active: true, Approved: true, ClassAccess: true},
			{Username: noAccess, Password: "Leaks&Pass+1", SecurityToken: "LEAKStoken", Active: true, Approved: true},
		},
	}
	// Many payloads, each with its own canary in a different place and
	// shape, so no single spelling is all the test looks for.
	for i := range 200 {
		c := fmt.Sprintf("canary%04x-%08x@customer.example", i, rng.Uint32())
		canaries = append(canaries, c)
		shapes := []string{
			`{"data":{"object":{"email":"%s"}}}`,
			`{"data":{"object":{"billTo":{"name":"Jane","email":"%s"}}}}`,
			`%s`,
			`{"note":"line one\nline two %s"}`,
		}
		org.FailedEvents = append(org.FailedEvents, emulator.FailedEvent{
			Age: time.Duration(i+1) * 30 * time.Minute, EventID: fmt.Sprintf("7c0e2a6e-0000-4000-8000-%012d", i),
			EventType: drapi.AppEvents[i%len(drapi.AppEvents)], Reason: "System.NullPointerException: Attempt to de-reference a null object",
			Payload: fmt.Sprintf(shapes[i%len(shapes)], c),
		})
	}
	var events []emulator.Event
	for i := range 300 {
		c := fmt.Sprintf("drcanary%04x@customer.example", i)
		canaries = append(canaries, c)
		events = append(events, emulator.Event{
			Type: drapi.AppEvents[i%len(drapi.AppEvents)], Age: time.Duration(i+1) * 20 * time.Minute,
			Object: map[string]any{"id": fmt.Sprint(i), "email": c, "billTo": map[string]any{"name": "Jane " + c}},
		})
	}

	var log bytes.Buffer
	var red secret.Redactor
	red.Add("Leaks&Pass+1LEAKStoken", "leaks-secret-000", drKey)
	l := debuglog.New(&log, &red)
	w := emulatortest.New(t, emulator.Scenario{
		Orgs:         []emulator.Org{org},
		DigitalRiver: emulator.Account{Keys: []emulator.Key{{Key: drKey, CanWebhooks: true}}, Events: events},
	}, emulatortest.WithTransport(l.Transport))

	ctx := context.Background()
	sf := w.Salesforce()
	var returned []any
	week := time.Now().Add(-7 * 24 * time.Hour)
	for _, username := range []string{"integration@acme.example", noAccess} {
		s, err := sf.Login(ctx, sfcheck.Credentials{
			TokenEndpoint: "https://" + host + "/services/oauth2/token", ClientID: "3MVG9leaks", ClientSecret: "leaks-secret-000",
			Username: username, Password: "Leaks&Pass+1", SecurityToken: "LEAKStoken",
		})
		if err != nil {
			t.Fatal(err)
		}
		fe, err := sf.FailedEvents(ctx, s, week, sfcheck.MaxNewestFailedEvents)
		returned = append(returned, fe, errText(err))
		if username != noAccess && (err != nil || fe.Count != 200 || len(fe.Newest) != sfcheck.MaxNewestFailedEvents) {
			t.Fatalf("failed events %d, %d, %v", fe.Count, len(fe.Newest), err)
		}
		rows, err := sf.LoginHistory(ctx, s, week)
		returned = append(returned, rows, errText(err))
		p, err := sf.PermissionSet(ctx, s)
		returned = append(returned, p, errText(err))
		d, err := sf.Describe(ctx, s, sfcheck.FailedEventObject)
		returned = append(returned, d, errText(err))
		u, err := sf.UserRecord(ctx, s)
		returned = append(returned, u, errText(err))
	}
	dr, err := w.DigitalRiver()(drKey)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for e, err := range dr.Events.All(ctx, drapi.EventsQuery{Types: drapi.AppEvents, PageSize: 40}) {
		returned = append(returned, e, errText(err))
		n++
	}
	if n != 300 {
		t.Fatalf("walked %d events", n)
	}

	got := fmt.Sprintf("%#v", returned)
	logged := log.String()
	if !strings.Contains(logged, "digitalriverv3__DR_Failed_Event__c") || !strings.Contains(logged, "/events") {
		t.Fatalf("the debug log did not record the reads:\n%.1500s", logged)
	}
	for i, c := range canaries {
		for _, form := range []string{c, url.QueryEscape(c), base64.StdEncoding.EncodeToString([]byte(c)), strings.ToUpper(c)} {
			if strings.Contains(got, form) {
				t.Fatalf("a returned value or error holds canary %s as %q", c, form)
			}
			// Digital River's events come with data.object, which the debug
			// log records as it records every answer; only the payloads,
			// which drsetup never asks for, are checked there.
			if i < 200 && strings.Contains(logged, form) {
				t.Fatalf("the debug log holds canary %s as %q", c, form)
			}
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
