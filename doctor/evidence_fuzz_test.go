package doctor

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// Whatever an org's records say (a Login History Status, a failed event's
// type, id and reason, as a broken or hostile org may write them), the
// delivery checks' findings and the timeline are one line each, with no
// control character and no secret the run knows, whole or cut to a prefix.
func FuzzEvidenceWordsAreCleanAndRedacted(f *testing.F) {
	const clientSecret = "CS-fuzz-secret-0001"
	for _, seed := range [][4]string{
		{"Failed: API security token required", "System.DmlException: Insert failed", "order.accepted", "5f2c9a1e-7d41-4b8e-9c3a-1e6f0b2d4a71"},
		{"FAILED: api SECURITY token", "reason with " + clientSecret, "order.\x1b[2Jcomplete", "id\nwith a break"},
		{"Restricted IP\u202e", "\x1b]0;title\x07 bell", "", ""},
		{clientSecret[:8], "…" + clientSecret[:7], "\u009b31m", "\xff\xfe"},
		{"Success", "", "order.accepted", "e1"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	set := profile.Resolve(profile.Inputs{Getenv: func(k string) string {
		return map[string]string{field.ClientSecret.EnvVar(): clientSecret, field.DRAPIKey.EnvVar(): liveKey}[k]
	}})
	started := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status, reason, eventType, eventID string) {
		r := newRun(Options{Settings: set, Now: func() time.Time { return started }})
		r.mode = ModeKeyOnly
		recs := []sfcheck.LoginRecord{
			loginRecord(started.Add(-time.Hour), cutRunes(status, 200), true),
			loginRecord(started.Add(-2*time.Hour), "Success", true),
			loginRecord(started.Add(-3*time.Hour), cutRunes(status, 200), false),
		}
		failed := []sfcheck.FailedEvent{{Created: started.Add(-time.Hour), EventID: cutRunes(eventID, 100), EventType: cutRunes(eventType, 100), Reason: cutRunes(reason, 200)}}
		for _, org := range []string{"acme", "globex"} {
			u := r.ev.user(&sfcheck.Session{OrgID: "00D" + org, UserID: "005" + org, InstanceURL: "https://" + org + ".my.salesforce.com"}, r.red)
			u.hist, u.histRead = tallyLogins(recs), true
			u.failed, u.failRead = failedTally{count: 2, newest: failed}, true
		}
		var texts []string
		for _, res := range []Result{loginHistoryResult(tallyLogins(recs), r.window), failedEventsResult(failedTally{count: 1, newest: failed}, r.window)} {
			res = r.record(CheckSFLoginHistory, 0, "", res)
			texts = append(texts, res.Summary, res.Remedy, res.Brief)
		}
		if tl := r.timeline(); tl != nil {
			for _, d := range tl.Days {
				for _, e := range d.Entries {
					texts = append(texts, e.Orgs...)
					for _, w := range e.What {
						texts = append(texts, w.Text)
					}
				}
			}
		}
		for _, s := range texts {
			if !utf8.ValidString(s) {
				t.Fatalf("not UTF-8: %q", s)
			}
			for _, c := range s {
				if c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e || c == 0x2028 {
					t.Fatalf("control %U kept in %q", c, s)
				}
			}
			if strings.Contains(s, clientSecret[:6]) {
				t.Fatalf("the client secret shows in %q", s)
			}
		}
	})
}

// cutRunes is what sfcheck keeps of a text field: at most n runes, valid
// UTF-8 (the JSON decoder replaces what is not); cleaning is doctor's own
// to prove here.
func cutRunes(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// The fuzz target's inputs end up in what it checks: the findings quote a
// Status and a reason, so a clean result is not for want of them.
func TestFuzzSeedsReachTheFindings(t *testing.T) {
	res := failedEventsResult(failedTally{count: 1, newest: []sfcheck.FailedEvent{{EventType: "order.accepted", Reason: "quoted-reason"}}}, DefaultWindow)
	if !strings.Contains(res.Summary, "quoted-reason") {
		t.Fatalf("the reason is not quoted: %s", res.Summary)
	}
	hist := loginHistoryResult(tallyLogins([]sfcheck.LoginRecord{loginRecord(time.Now(), "Failed: quoted-status", true)}), DefaultWindow)
	if !strings.Contains(hist.Summary, "quoted-status") {
		t.Fatalf("the status is not quoted: %s", hist.Summary)
	}
}
