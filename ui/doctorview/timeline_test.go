package doctorview

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/ui/theme"
)

func day(n int) time.Time { return time.Date(2026, 11, n, 0, 0, 0, 0, time.UTC) }

func timelineReport(tl *doctor.Timeline) *doctor.Report {
	return &doctor.Report{Mode: doctor.ModeKeyOnly, Timeline: tl}
}

func renderTimeline(t *testing.T, tl *doctor.Timeline, o Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(theme.Writer(&buf, colorprofile.NoTTY), timelineReport(tl), o); err != nil {
		t.Fatal(err)
	}
	return timelineOf(buf.String())
}

func TestTimelineLines(t *testing.T) {
	tl := &doctor.Timeline{Window: 7 * 24 * time.Hour, ByOrg: true, Events: true, Logins: true, FailedEvents: true,
		Unread: []string{"umbrella"}, Unlisted: 4,
		Days: []doctor.TimelineDay{
			{From: day(29), To: day(29), Entries: []doctor.TimelineEntry{
				{Kind: doctor.EntryEvents, Count: 14, Pending: 3},
				{Kind: doctor.EntryDRLogins, Orgs: []string{"acme"}, Count: 2, What: []doctor.TimelineWhat{{Text: "API security token required", FirstSeen: day(29)}}},
				{Kind: doctor.EntryOtherLogins, Orgs: []string{"acme"}, Count: 1, What: []doctor.TimelineWhat{{Text: "Invalid Password"}}},
				{Kind: doctor.EntryFailedEvents, Orgs: []string{"acme", "globex", "hooli", "initech"}, Count: 5, What: []doctor.TimelineWhat{{Text: "order.accepted: boom"}}, FirstSeen: day(29)},
			}},
			{From: day(24), To: day(28), Entries: []doctor.TimelineEntry{
				{Kind: doctor.EntryEvents, Count: 40},
				{Kind: doctor.EntryDRLogins, Orgs: []string{"globex"}, Count: 9, What: []doctor.TimelineWhat{{Text: "Restricted IP", FirstSeen: day(25)}}},
			}},
		}}
	got := renderTimeline(t, tl, Options{Width: 1000})
	want := "Delivery timeline, last 7 days, newest first (UTC); Salesforce's side not read for umbrella (no working login):\n" +
		"Nov 29: 14 order events, 3 pending · 2 failed logins from Digital River at acme: API security token required (first seen) · 1 failed login from elsewhere at acme: Invalid Password · 5 failed events at 4 orgs (newest order.accepted: boom), first seen\n" +
		"Nov 24–28: 40 order events · 9 failed logins from Digital River at globex: Restricted IP (first seen Nov 25)\n" +
		"And 4 older events the app stored as failed that are not listed by day (the checks above count them).\n"
	if got != want {
		t.Errorf("timeline:\n%s\nwant:\n%s", got, want)
	}
	// In words: no middle dot or dash for a screen reader to spell out.
	words := renderTimeline(t, tl, Options{Width: 1000, Words: true})
	if strings.ContainsAny(words, "·–") || !strings.Contains(words, "Nov 24 to Nov 28: 40 order events; 9 failed logins") {
		t.Errorf("in words:\n%s", words)
	}
	// One org: no org named.
	tl.ByOrg = false
	if one := renderTimeline(t, tl, Options{Width: 1000}); strings.Contains(one, " at acme") {
		t.Errorf("one org is named:\n%s", one)
	}
}

func TestTimelineSaysWhatTheWindowHeldNoneOf(t *testing.T) {
	got := renderTimeline(t, &doctor.Timeline{Window: 30 * 24 * time.Hour, Events: true, FailedEvents: true}, Options{Width: 100})
	if !strings.Contains(got, "last 30 days") || !strings.Contains(got, "No order events, no failed events.") || strings.Contains(got, "logins") {
		t.Errorf("an empty window:\n%s", got)
	}
	if got := renderTimeline(t, nil, Options{Width: 100}); got != "\n" {
		t.Errorf("a report without a timeline shows %q", got)
	}
}

// The delivery checks a failing stored login leaves unread share one
// reason on the same webhooks: one block names them all.
func TestSkipsForOneReasonOnTheSameWebhooksAreOneBlock(t *testing.T) {
	why := "Not checked: Digital River's stored login for this webhook fails (see dr_login_replay)."
	rep := &doctor.Report{Mode: doctor.ModeKeyOnly, Webhooks: []doctor.Webhook{{ID: "aaaaaaaa-1"}, {ID: "bbbbbbbb-2"}, {ID: "cccccccc-3"}}}
	for _, id := range []doctor.ID{doctor.CheckSFPermissionSet, doctor.CheckListenerLatency, doctor.CheckSFLoginHistory, doctor.CheckSFFailedEvents} {
		for _, w := range []string{"aaaaaaaa-1", "bbbbbbbb-2"} {
			rep.Checks = append(rep.Checks, doctor.Result{ID: id, Status: doctor.Skip, Summary: why, WebhookID: w})
		}
		// Another webhook skipped for another reason stays apart.
		rep.Checks = append(rep.Checks, doctor.Result{ID: id, Status: doctor.Skip, Summary: "Not measured.", WebhookID: "cccccccc-3"})
	}
	out := pasted(t, rep, 200)
	if n := strings.Count(out, why); n != 1 {
		t.Errorf("the reason is written %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "skip Permission set, Listener speed, Login History, Failed events, webhooks aaaaaaaa and bbbbbbbb: "+why) {
		t.Errorf("no one block for the four:\n%s", out)
	}
	if n := strings.Count(out, "webhook cccccccc: Not measured."); n != 1 {
		t.Errorf("the other webhook's skips: %d blocks, want 1:\n%s", n, out)
	}
}
