package doctor

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
)

const hour = time.Hour

// The timeline of a week in one org: events every day, two pending today;
// a day of refused passwords from Digital River, then the security token
// missing since (spelt two ways, one failure all the same); failed events
// on two days, first seen on the older; quiet days folded.
func TestTimelineSaysSinceWhen(t *testing.T) {
	sc := healthyScenario()
	// The clock is 2026-03-01 10:00 UTC: age 5 h is today, 29 h yesterday.
	for d := range 7 {
		for i := range 3 {
			ev := emulator.Event{Type: "order.accepted", Age: time.Duration(d*24+i+1) * hour, LiveMode: true}
			if d == 0 && i < 2 {
				ev.Pending.Count = 1
			}
			sc.DigitalRiver.Events = append(sc.DigitalRiver.Events, ev)
		}
	}
	u := &sc.Orgs[0].Users[0]
	u.LoginHistory = append(drLogins(3, 2*hour, always("Failed: API security token required")), // today
		drLogins(2, 26*hour, always("FAILED: api security token required"))...) // yesterday
	u.LoginHistory = append(u.LoginHistory, drLogins(4, 50*hour, always("Invalid Password"))...) // Feb 27
	u.LoginHistory = append(u.LoginHistory, drLogins(5, 100*hour, always("Success"))...)
	sc.Orgs[0].FailedEvents = []emulator.FailedEvent{
		{Age: 4 * hour, EventID: "e1", EventType: "order.accepted", Reason: "System.DmlException: Insert failed. First exception on row 0"},
		{Age: 30 * hour, EventID: "e2", EventType: "order.complete", Reason: "boom"},
		{Age: 31 * hour, EventID: "e3", EventType: "order.complete", Reason: "boom"},
	}
	ew := newEvidenceWorld(t, sc)
	p, sec := healthyProfile()
	rep := diagnose(t, ew.options(p, sec, nil))
	tl := rep.Timeline
	if tl == nil || tl.ByOrg || !tl.Events || !tl.Logins || !tl.FailedEvents {
		t.Fatalf("timeline %+v", tl)
	}
	got := dumpTimeline(tl)
	want := strings.Join([]string{
		"Mar 1: events 3 pending 2; dr 3 [API security token required]; failed 1 [order.accepted: System.DmlException: Insert failed…]",
		"Feb 28: events 3; dr 2 [api security token required first]; failed 2 [order.complete: boom] first",
		"Feb 27: events 3; dr 4 [Invalid Password first]",
		"Feb 23–26: events 12",
	}, "\n")
	if got != want {
		t.Errorf("timeline:\n%s\nwant:\n%s", got, want)
	}
}

// dumpTimeline writes a timeline compactly for comparing.
func dumpTimeline(tl *Timeline) string {
	var lines []string
	for _, d := range tl.Days {
		label := d.From.Format("Jan 2")
		if !d.To.Equal(d.From) {
			label += "–" + d.To.Format("2")
		}
		var parts []string
		for _, e := range d.Entries {
			s := map[EntryKind]string{EntryEvents: "events", EntryDRLogins: "dr", EntryOtherLogins: "other", EntryFailedEvents: "failed"}[e.Kind]
			if len(e.Orgs) > 0 {
				s += "@" + strings.Join(e.Orgs, ",")
			}
			s += fmt.Sprintf(" %d", e.Count)
			if e.Pending > 0 {
				s += fmt.Sprintf(" pending %d", e.Pending)
			}
			var ws []string
			for _, w := range e.What {
				x := w.Text
				if !w.FirstSeen.IsZero() {
					x += " first"
				}
				ws = append(ws, x)
			}
			if len(ws) > 0 {
				s += " [" + strings.Join(ws, ", ") + "]"
			}
			if !e.FirstSeen.IsZero() {
				s += " first"
			}
			parts = append(parts, s)
		}
		lines = append(lines, label+": "+strings.Join(parts, "; "))
	}
	return strings.Join(lines, "\n")
}

func TestTimelineFoldsRunsOfDaysThatReadAlike(t *testing.T) {
	day := func(n int) time.Time { return time.Date(2026, 3, n, 0, 0, 0, 0, time.UTC) }
	logins := func(n int, first bool, status string) TimelineEntry {
		w := TimelineWhat{Text: status}
		if first {
			w.FirstSeen = day(n)
		}
		return TimelineEntry{Kind: EntryDRLogins, Count: n, What: []TimelineWhat{w}}
	}
	days := []TimelineDay{
		{From: day(9), To: day(9), Entries: []TimelineEntry{{Kind: EntryEvents, Count: 4}}},
		{From: day(8), To: day(8), Entries: []TimelineEntry{{Kind: EntryEvents, Count: 4}, logins(8, false, "Restricted IP")}},
		{From: day(7), To: day(7), Entries: []TimelineEntry{{Kind: EntryEvents, Count: 1}, logins(7, false, "Restricted IP")}},
		{From: day(6), To: day(6), Entries: []TimelineEntry{{Kind: EntryEvents, Count: 2}, logins(6, true, "Restricted IP")}},
		{From: day(5), To: day(5), Entries: []TimelineEntry{{Kind: EntryEvents, Count: 2, Pending: 1}}},
		{From: day(4), To: day(4), Entries: []TimelineEntry{{Kind: EntryEvents, Count: 3}}},
		{From: day(3), To: day(3), Entries: []TimelineEntry{{Kind: EntryEvents, Count: 3}}},
	}
	got := dumpTimeline(&Timeline{Days: fold(days)})
	want := strings.Join([]string{
		"Mar 9: events 4",
		"Mar 6–8: events 7; dr 21 [Restricted IP first]",
		"Mar 5: events 2 pending 1",
		"Mar 3: events 3", // two alike days are not a long run
		"Mar 4: events 3",
	}, "\n")
	// Runs are newest first; the two quiet days stay apart, in order.
	want = strings.Replace(want, "Mar 3: events 3\nMar 4: events 3", "Mar 4: events 3\nMar 3: events 3", 1)
	if got != want {
		t.Errorf("folded:\n%s\nwant:\n%s", got, want)
	}
	if f := fold(days)[1]; !f.From.Equal(day(6)) || !f.To.Equal(day(8)) || !f.Entries[1].What[0].FirstSeen.Equal(day(6)) {
		t.Errorf("the folded run %+v", f)
	}
}

func TestTimelineCountsOrgsPastAFew(t *testing.T) {
	var entries []TimelineEntry
	for i := range 5 {
		entries = append(entries, TimelineEntry{Kind: EntryDRLogins, Orgs: []string{fmt.Sprintf("org%d", i)}, Count: 2,
			What: []TimelineWhat{{Text: []string{"Invalid Password", "Restricted IP"}[i%2]}}})
	}
	entries = append(entries, TimelineEntry{Kind: EntryFailedEvents, Orgs: []string{"acme"}, Count: 1})
	got := mergeOrgs(entries)
	if len(got) != 2 || got[0].Count != 10 || len(got[0].Orgs) != 5 || len(got[0].What) != 2 || got[1].Orgs[0] != "acme" {
		t.Errorf("merged %+v", got)
	}
}

func TestExcerptKeepsTheFirstClause(t *testing.T) {
	for in, want := range map[string]string{
		"System.DmlException: Insert failed. First exception on row 0": "System.DmlException: Insert failed…",
		"boom": "boom",
		"digitalriverv3.DRB2B_OrderException: No Salesforce order with Digital River order id 240114287455": "digitalriverv3.DRB2B_OrderException: No…",
		strings.Repeat("x", 100): strings.Repeat("x", 48) + "…",
	} {
		if got := excerpt(in); got != want {
			t.Errorf("excerpt(%q) = %q, want %q", in, got, want)
		}
	}
}

// Over many random histories, the timeline keeps its promises: days newest
// first and apart, within the window; every event of the window counted
// once; each failure first seen on exactly one day, the oldest it happened
// on; no text of the org's that a redactor knows.
func TestTimelinePropertiesOverRandomHistories(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 2))
	statuses := []string{"Invalid Password", "Failed: API security token required", "Restricted IP", "Password Lockout", "Success"}
	for round := range 300 {
		started := time.Date(2026, 3, 1, rng.IntN(24), rng.IntN(60), 0, 0, time.UTC)
		window := []time.Duration{DefaultWindow, MaxWindow}[rng.IntN(2)]
		set := profile.Resolve(profile.Inputs{Getenv: func(k string) string { return map[string]string{"DRSETUP_DR_API_KEY": liveKey}[k] }})
		r := newRun(Options{Settings: set, Now: func() time.Time { return started }, Window: window})
		r.mode = ModeKeyOnly
		ev := &eventTally{byType: map[string]int{}, days: map[time.Time]*eventDay{}}
		inWindow := 0
		for range rng.IntN(200) {
			at := started.Add(-time.Duration(rng.Int64N(int64(35 * 24 * hour))))
			if !at.Before(r.since) {
				inWindow++
			}
			if at.Before(r.since) {
				continue // the events list is asked from since on
			}
			n := rng.IntN(3)
			ev.add(eventAt(at, n))
		}
		r.ev.events = ev
		secretWord := fmt.Sprintf("s3cret-%d-word", round)
		red := &secret.Redactor{}
		red.Add(secretWord)
		first := map[string]time.Time{}
		for o := range rng.IntN(6) {
			var recs []sfcheck.LoginRecord
			for range rng.IntN(60) {
				at := started.Add(-time.Duration(rng.Int64N(int64(window))))
				st := statuses[rng.IntN(len(statuses))]
				if rng.IntN(10) == 0 {
					st = "Failed: " + secretWord
				}
				recs = append(recs, loginRecord(at, st, rng.IntN(2) == 0))
			}
			sortNewestFirst(recs)
			u := r.ev.user(&sfcheck.Session{OrgID: fmt.Sprintf("00D00000000000%d", o), UserID: "005000000000001", InstanceURL: fmt.Sprintf("https://org%d.my.salesforce.com", o)}, red)
			u.hist, u.histRead = tallyLogins(recs), true
			for _, rec := range recs {
				if rec.Kind() == sfcheck.LoginSucceeded {
					continue
				}
				k := fmt.Sprintf("%s|%v|%s", u.org, isDR(rec), strings.ToLower(withoutFailed(rec.Status)))
				if f, ok := first[k]; !ok || day(rec.Time).Before(f) {
					first[k] = day(rec.Time)
				}
			}
		}
		tl := r.timeline()
		if tl == nil {
			t.Fatal("no timeline")
		}
		counted := 0
		seen := map[string]int{}
		for i, d := range tl.Days {
			if d.To.Before(d.From) || (i > 0 && !d.To.Before(tl.Days[i-1].From)) {
				t.Fatalf("round %d: days out of order or overlapping: %s", round, dumpTimeline(tl))
			}
			if d.From.Before(day(r.since)) || d.To.After(day(started)) {
				t.Fatalf("round %d: a day outside the window: %v–%v", round, d.From, d.To)
			}
			for _, e := range d.Entries {
				if e.Kind == EntryEvents {
					counted += e.Count
				}
				for _, w := range e.What {
					if strings.Contains(w.Text, secretWord) {
						t.Fatalf("round %d: the timeline holds a secret: %q", round, w.Text)
					}
					if w.FirstSeen.IsZero() || len(e.Orgs) != 1 {
						continue
					}
					k := fmt.Sprintf("%s|%v|%s", e.Orgs[0], e.Kind == EntryDRLogins, strings.ToLower(w.Text))
					seen[k]++
					if f, ok := first[k]; ok && !w.FirstSeen.Equal(f) {
						t.Errorf("round %d: %s first seen %v, want %v", round, k, w.FirstSeen, f)
					}
				}
			}
		}
		if counted != inWindow {
			t.Fatalf("round %d: %d events on the timeline, %d in the window", round, counted, inWindow)
		}
		for k, n := range seen {
			if n != 1 {
				t.Errorf("round %d: %s first seen %d times", round, k, n)
			}
		}
	}
}

func eventAt(at time.Time, pending int) drapi.Event {
	return drapi.Event{ID: fmt.Sprint(at.UnixNano()), Type: "order.accepted", CreatedTime: at, PendingWebhooks: &pending}
}

func loginRecord(at time.Time, status string, fromDR bool) sfcheck.LoginRecord {
	ip := otherAddr
	if fromDR {
		ip = drAddr
	}
	return sfcheck.LoginRecord{Time: at, Status: status, SourceIP: ip, Addr: netip.MustParseAddr(ip), LoginType: "Remote Access 2.0", LoginSubType: "OAuth Username-Password"}
}

func isDR(rec sfcheck.LoginRecord) bool { return drapi.IsSourceAddress(rec.Addr) }

// sortNewestFirst orders rows as Login History answers them.
func sortNewestFirst(recs []sfcheck.LoginRecord) {
	slices.SortFunc(recs, func(a, b sfcheck.LoginRecord) int { return b.Time.Compare(a.Time) })
}
