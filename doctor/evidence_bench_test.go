package doctor

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
)

// evidenceScale is scaleScenario's key of n webhooks on orgs of their own,
// each user with a week of Digital River's logins (a tenth of them failed)
// and its app with failed events, and a month of the account's events.
func evidenceScale(n int) emulator.Scenario {
	sc := scaleScenario(n, 0)
	for i := range sc.Orgs {
		o := &sc.Orgs[i]
		for j := range o.Users {
			o.Users[j].LoginHistory = drLogins(150, time.Hour, func(k int) string {
				if k%10 == 0 {
					return "Failed: API security token required"
				}
				return "Success"
			})
		}
		for k := range 10 {
			o.FailedEvents = append(o.FailedEvents, emulator.FailedEvent{Age: time.Duration(k+1) * 7 * time.Hour, EventID: fmt.Sprintf("e-%d-%d", i, k),
				EventType: drapi.AppEvents[k%len(drapi.AppEvents)], Reason: "System.DmlException: Insert failed", Payload: `{"email":"x@customer.example"}`})
		}
	}
	sc.DigitalRiver.Events = liveEvents(2000, time.Minute, func(i int) emulator.EventPending { return emulator.EventPending{Count: i % 2} })
	for i := range sc.DigitalRiver.Events {
		sc.DigitalRiver.Events[i].Age = time.Duration(i) * 20 * time.Minute
	}
	return sc
}

// BenchmarkKeyOnlyDoctorWithEvidence runs key-only doctor over 100 webhooks
// whose orgs have Login History, failed events and a busy account's month of
// events: the delivery checks' reads and tallies with the rest of the run.
func BenchmarkKeyOnlyDoctorWithEvidence(b *testing.B) {
	ew := newEvidenceWorld(b, evidenceScale(100))
	o := ew.options(nil, nil, keyOnlyEnv)
	o.Window = MaxWindow
	b.ReportAllocs()
	for b.Loop() {
		rep := Run(context.Background(), o)
		b.StopTimer()
		if n := len(results(rep, CheckSFLoginHistory)); n != 100 || rep.Timeline == nil {
			b.Fatalf("%d Login History results, timeline %v", n, rep.Timeline != nil)
		}
		b.StartTimer()
	}
}

// BenchmarkEvidenceFindings is what the delivery checks do with what they
// read, for 100 orgs: each user's 200 logins tallied and worded, each app's
// 50 failed events worded, 10,000 events counted, the timeline built.
func BenchmarkEvidenceFindings(b *testing.B) {
	started := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var recs []sfcheck.LoginRecord
	for i := range sfcheck.LoginHistoryLimit {
		st := "Success"
		if i%7 == 0 {
			st = "Failed: API security token required"
		}
		recs = append(recs, loginRecord(started.Add(-time.Duration(i)*50*time.Minute), st, i%3 != 0))
	}
	var failed []sfcheck.FailedEvent
	for i := range sfcheck.MaxNewestFailedEvents {
		failed = append(failed, sfcheck.FailedEvent{Created: started.Add(-time.Duration(i) * 3 * time.Hour), EventID: fmt.Sprint(i), EventType: "order.accepted", Reason: "System.DmlException: Insert failed. First exception on row 0"})
	}
	events := make([]drapi.Event, 10000)
	for i := range events {
		events[i] = eventAt(started.Add(-time.Duration(i)*4*time.Minute), i%3)
	}
	set := profile.Resolve(profile.Inputs{Getenv: func(string) string { return "" }})
	red := &secret.Redactor{}
	red.Add("s3cret-value", "another-s3cret")
	b.ReportAllocs()
	for b.Loop() {
		r := newRun(Options{Settings: set, Now: func() time.Time { return started }, Window: MaxWindow})
		r.mode = ModeKeyOnly
		t := &eventTally{byType: map[string]int{}, days: map[time.Time]*eventDay{}}
		for _, e := range events {
			t.add(e)
		}
		r.ev.events = t
		eventsResult(t, r.window)
		for o := range 100 {
			u := r.ev.user(&sfcheck.Session{OrgID: fmt.Sprintf("00D%012d", o), UserID: "005000000000001", InstanceURL: fmt.Sprintf("https://org%d.my.salesforce.com", o)}, red)
			u.hist, u.histRead = tallyLogins(recs), true
			u.failed, u.failRead = failedTally{count: len(failed), newest: failed}, true
			loginHistoryResult(u.hist, r.window)
			failedEventsResult(u.failed, r.window)
		}
		if r.timeline() == nil {
			b.Fatal("no timeline")
		}
	}
}
