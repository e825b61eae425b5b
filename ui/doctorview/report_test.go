package doctorview

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/buildinfo"
	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/ui/theme"
)

var update = flag.Bool("update", false, "rewrite the golden files of the report")

// reportTime is when the reports of these tests are made: the simulator's
// clock too, so the evidence it dates by age falls on the same days on
// every run.
var reportTime = time.Date(2026, 6, 1, 9, 30, 0, 0, time.UTC)

// runDoctor checks sc in key-only mode with key, as drsetup doctor --demo
// does, at a fixed time and with a fixed build, so the report is the same on
// every run.
func runDoctor(t testing.TB, sc emulator.Scenario, key string) *doctor.Report {
	t.Helper()
	sc.Clock = func() time.Time { return reportTime }
	w := emulatortest.New(t, sc)
	set := profile.Resolve(profile.Inputs{Getenv: func(k string) string {
		if k == field.DRAPIKey.EnvVar() {
			return key
		}
		return ""
	}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep := doctor.Run(ctx, doctor.Options{
		Profile:      profile.DefaultName,
		Settings:     set,
		Salesforce:   w.Salesforce(),
		DigitalRiver: w.DigitalRiver(),
		Now:          func() time.Time { return reportTime },
	})
	rep.Build = buildinfo.Info{Version: "1.4.0", Commit: "0123456789abcdef0123", OS: "linux", Arch: "amd64"}
	return rep
}

var demo struct {
	once sync.Once
	rep  *doctor.Report
}

// demoReport is the report of the doctor demo, made once for every test
// that reads it: its slow listener takes seconds to time, for real.
func demoReport(t testing.TB) *doctor.Report {
	t.Helper()
	demo.once.Do(func() { demo.rep = runDoctor(t, emulator.DoctorDemoScenario(), emulator.Demo.DRKey) })
	if demo.rep == nil {
		t.Fatal("the demo report could not be made")
	}
	return demo.rep
}

// pasted is the report as doctor prints it piped: plain words, tables
// tab-separated, URLs whole.
func pasted(t testing.TB, rep *doctor.Report, width int) string {
	t.Helper()
	var buf bytes.Buffer
	o := Options{Styles: theme.New(true, false), Width: width, KeepLongWords: true, TabSeparated: true, Words: true}
	if err := Render(theme.Writer(&buf, colorprofile.NoTTY), rep, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func lines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }

// summaryOf is the report's opening: its first lines up to the end of the
// summary.
func summaryOf(report string) string {
	var out []string
	inSummary := false
	for _, l := range lines(report) {
		if inSummary && l == "" {
			break
		}
		inSummary = inSummary || strings.HasPrefix(l, "Summary")
		out = append(out, l)
	}
	return strings.Join(out, "\n") + "\n"
}

// timelineOf is the report's timeline: from its heading to the blank line
// after it.
func timelineOf(report string) string {
	var out []string
	in := false
	for _, l := range lines(report) {
		if in && l == "" {
			break
		}
		in = in || strings.HasPrefix(l, "Delivery timeline")
		if in {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n") + "\n"
}

// The demo's timeline, as pasted into a ticket and as a terminal shows it:
// each kind of failure on the day it began, the quiet days folded.
func TestDemoTimelineGolden(t *testing.T) {
	rep := demoReport(t)
	for _, tc := range []struct {
		name string
		out  string
	}{
		{"pasted-100", pasted(t, rep, 100)},
		{"terminal-60", terminal(t, rep, 60)},
	} {
		golden(t, "demo-timeline-"+tc.name, "the demo's timeline ("+tc.name+")", timelineOf(tc.out))
	}
}

// golden compares got with testdata/name.golden, which -update writes.
func golden(t *testing.T, name, what, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s changed:\n--- got\n%s--- want\n%s", what, got, want)
	}
}

// terminal is the report as a terminal without colour shows it.
func terminal(t testing.TB, rep *doctor.Report, width int) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(theme.Writer(&buf, colorprofile.NoTTY), rep, Options{Styles: theme.New(true, false), Width: width}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestDemoReportSummaryGolden(t *testing.T) {
	rep := demoReport(t)
	for _, width := range []int{100, 60} {
		golden(t, fmt.Sprintf("demo-summary-%d", width), fmt.Sprintf("the demo's summary at %d columns", width), summaryOf(pasted(t, rep, width)))
	}
}

// demoReportLines is the most lines the demo's report may take at 100
// columns. Until the delivery checks it was 80; what they add is facts the
// test below finds whole: five findings (events still owed, Digital River's
// refused logins, failed events, a slow listener, the checks a failing
// login leaves unread) with their remedies, and the timeline, 68 lines in
// all. Passing delivery checks are counted, not described.
const demoReportLines = 150

// TestDemoReportFitsAndKeepsEveryFact pins the report's size for the demo
// account at 100 columns, and that no finding was lost to make it fit: every
// sentence of every failed, warned or skipped check is in it (a long
// explanation said once, and pointed to after), and of every webhook its id,
// the user its login names and the org it reached.
func TestDemoReportFitsAndKeepsEveryFact(t *testing.T) {
	rep := demoReport(t)
	out := pasted(t, rep, 100)
	if n := len(lines(out)); n > demoReportLines {
		t.Errorf("the demo report is %d lines at 100 columns, want at most %d:\n%s", n, demoReportLines, out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, c := range rep.Checks {
		if c.Status == doctor.Pass && c.WebhookID != "" {
			continue
		}
		for _, s := range append(sentences(c.Summary), sentences(c.Remedy)...) {
			s = strings.Join(strings.Fields(Spoken(s)), " ")
			if !strings.Contains(flat, s) {
				t.Errorf("%s %s: the report lacks %q", c.ID, c.WebhookID, s)
			}
		}
	}
	for _, w := range rep.Webhooks {
		for _, fact := range []string{w.ID, w.Username, w.OrgID} {
			if !strings.Contains(out, fact) {
				t.Errorf("webhook %s: the report lacks %q", w.ID, fact)
			}
		}
	}
	if n := strings.Count(flat, "Salesforce gives this one answer for many causes"); n != 1 {
		t.Errorf("the invalid_grant explanation is written %d times, want once", n)
	}
}

// manyWebhooks is a key with n webhooks on orgs of their own, all with the
// username-password grant (one finding for all), every fifth missing event
// types (one finding for those).
func manyWebhooks(n int) emulator.Scenario {
	sc := emulator.DoctorDemoScenario()
	base := sc.DigitalRiver.Webhooks[0]
	sc.Orgs, sc.DigitalRiver.Webhooks = nil, nil
	for i := range n {
		host := fmt.Sprintf("org%03d.my.salesforce.com", i)
		user := fmt.Sprintf("integration@org%03d.example", i)
		o := emulator.Org{MyDomain: host, PackageInstalled: true,
			Apps:  []emulator.ConnectedApp{{Name: "Salesforce DigitalRiver Integration", ClientID: emulator.Demo.ClientID, ClientSecret: emulator.Demo.ClientSecret}},
			Users: []emulator.User{{Username: user, Password: emulator.Demo.Password, SecurityToken: emulator.Demo.SecurityToken, Active: true, Approved: true, ClassAccess: true}}}
		sc.Orgs = append(sc.Orgs, o)
		h := base
		oauth := *base.OAuth
		h.OAuth, h.ID = &oauth, fmt.Sprintf("7c2e%04d-0000-4000-8000-000000000000", i)
		h.Address = "https://" + host + "/services/apexrest/digitalriverv3/webhooks/"
		h.OAuth.UserName = user
		h.Types = slices.Clone(base.Types)
		if i%5 == 0 {
			h.Types = h.Types[:4]
		}
		sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
	}
	return sc
}

func TestTheSameFindingOn150WebhooksIsOneSummaryLine(t *testing.T) {
	rep := runDoctor(t, manyWebhooks(150), emulator.Demo.DRKey)
	out := pasted(t, rep, 100)
	var entries []string
	for _, l := range lines(summaryOf(out)) {
		// The events still pending are the account's, about no webhook.
		if (strings.HasPrefix(l, "warn ") || strings.HasPrefix(l, "fail ")) && !strings.HasPrefix(l, "warn Digital River's events:") {
			entries = append(entries, l)
		}
	}
	if len(entries) != 2 {
		t.Fatalf("%d summary entries, want 2 (the grant on all, the events on some):\n%s", len(entries), summaryOf(out))
	}
	if !strings.HasPrefix(entries[1], "warn Transport (all 150 webhooks): ") {
		t.Errorf("the grant's finding: %q", entries[1])
	}
	summary := strings.Join(strings.Fields(summaryOf(out)), " ")
	if !strings.Contains(entries[0], "fail Event types (30 webhooks: ") {
		t.Errorf("the events' finding: %q", entries[0])
	}
	for i := 0; i < 150; i += 5 {
		if id := fmt.Sprintf("7c2e%04d", i); !strings.Contains(summary, id) {
			t.Errorf("the events' summary line does not name webhook %s", id)
		}
	}
}

// TestReportGrowsByALineOrTwoPerWebhook compares the report for 10 and for
// 150 webhooks with the same findings.
func TestReportGrowsByALineOrTwoPerWebhook(t *testing.T) {
	small := len(lines(pasted(t, runDoctor(t, manyWebhooks(10), emulator.Demo.DRKey), 100)))
	large := len(lines(pasted(t, runDoctor(t, manyWebhooks(150), emulator.Demo.DRKey), 100)))
	per := float64(large-small) / 140
	t.Logf("%d lines for 10 webhooks, %d for 150: %.2f more per webhook", small, large, per)
	if per > 2 {
		t.Errorf("the report grows by %.2f lines per webhook (%d lines for 10, %d for 150), want at most 2", per, small, large)
	}
}

// TestWordsLeaveNothingToSpellOut checks the accessible and piped report
// over the demo: statuses in words, and no mark, arrow, box drawing or run
// of * left for a screen reader.
func TestWordsLeaveNothingToSpellOut(t *testing.T) {
	rep := demoReport(t)
	for _, o := range []Options{
		{Styles: theme.New(true, false), Width: 100, KeepLongWords: true, TabSeparated: true, Words: true}, // piped
		{Styles: theme.New(true, true), Width: 60, Words: true},                                            // --accessible on a terminal
	} {
		var buf bytes.Buffer
		if err := Render(theme.Writer(&buf, colorprofile.ANSI256), rep, o); err != nil {
			t.Fatal(err)
		}
		out := ansi.Strip(buf.String())
		for _, bad := range []string{theme.MarkPass, theme.MarkFail, "→", "***", "─", "│", "╭", "┌"} {
			if strings.Contains(out, bad) {
				t.Errorf("width %d: %q in the report:\n%s", o.Width, bad, out)
			}
		}
		for _, l := range lines(out) {
			if strings.HasPrefix(l, "! ") || strings.HasPrefix(l, "- ") {
				t.Errorf("width %d: a line starts with a mark: %q", o.Width, l)
			}
		}
		starts := map[string]bool{}
		for _, l := range lines(out) {
			if f := strings.Fields(l); len(f) > 0 {
				starts[f[0]] = true
			}
		}
		for _, word := range []string{"fail", "warn", "pass", "skip"} {
			if !starts[word] {
				t.Errorf("width %d: no line says %q", o.Width, word)
			}
		}
		flat := strings.Join(strings.Fields(out), " ")
		for _, phrase := range []string{"sk_test_ (hidden)", "Setup, then Users, then"} {
			if !strings.Contains(flat, phrase) {
				t.Errorf("width %d: the report lacks %q", o.Width, phrase)
			}
		}
	}
}

func TestSpoken(t *testing.T) {
	for in, want := range map[string]string{
		"In Setup → My Domain → Current My Domain URL.": "In Setup, then My Domain, then Current My Domain URL.",
		"The key sk_live_******** works.":               "The key sk_live_ (hidden) works.",
		"Stored: ********.":                             "Stored:  (hidden).",
		"→ Run drsetup setup":                           "then Run drsetup setup",
		"Nothing to change.":                            "Nothing to change.",
	} {
		if got := Spoken(in); got != want {
			t.Errorf("Spoken(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSentencesKeepHostsAndAbbreviationsWhole(t *testing.T) {
	got := sentences("Setup → My Domain shows it (e.g. https://acme.my.salesforce.com). Use acme.my.salesforce.com instead. 4 event types left.")
	want := []string{"Setup → My Domain shows it (e.g. https://acme.my.salesforce.com).", "Use acme.my.salesforce.com instead.", "4 event types left."}
	if !slices.Equal(got, want) {
		t.Errorf("sentences:\n got %q\nwant %q", got, want)
	}
}

func TestFactorKeepsWhatEachWebhookSaysInPlace(t *testing.T) {
	pre, common, post := factor([]string{
		"Read Login History of a. If it is blocked, allow it. Then store it.",
		"Read Login History of b. If it is blocked, allow it. Then store it.",
	})
	if !slices.Equal(common, []string{"If it is blocked, allow it.", "Then store it."}) {
		t.Errorf("common %q", common)
	}
	if !slices.Equal(pre[0], []string{"Read Login History of a."}) || !slices.Equal(pre[1], []string{"Read Login History of b."}) || len(post[0])+len(post[1]) != 0 {
		t.Errorf("pre %q post %q", pre, post)
	}
}

func TestDemoReportOnATerminalFitsItsWidth(t *testing.T) {
	rep := demoReport(t)
	for _, width := range []int{60, 80, 100} {
		for _, words := range []bool{false, true} {
			var buf bytes.Buffer
			if err := Render(theme.Writer(&buf, colorprofile.TrueColor), rep, Options{Styles: theme.New(true, true), Width: width, Words: words}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), "\x1b[") {
				t.Errorf("width %d: no colour on a colour terminal", width)
			}
			for _, l := range lines(buf.String()) {
				if w := ansi.StringWidth(l); w > width {
					t.Errorf("width %d, words %v: a line of %d columns: %q", width, words, w, ansi.Strip(l))
				}
			}
		}
	}
}
