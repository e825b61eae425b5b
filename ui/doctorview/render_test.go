package doctorview

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/ui/theme"
)

const hook = "0b7c3a52-1111-4000-8000-000000000001"

// sample is a report with every status, a webhook, long URLs and a host with
// a double hyphen, as doctor writes them.
func sample() *doctor.Report {
	skipWhy := "No Salesforce values were given (profile, flags or DRSETUP_* variables)."
	return &doctor.Report{
		Mode:     doctor.ModeKeyOnly,
		Webhooks: []doctor.Webhook{{ID: hook, Address: "https://wayne--uat.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"}},
		Paths: []doctor.Path{{WebhookID: hook, Hops: [3]doctor.Hop{
			{Kind: doctor.HopDigitalRiver, Host: "api.digitalriver.com", Status: doctor.Pass},
			{Kind: doctor.HopToken, Host: "login.salesforce.com", Status: doctor.Fail},
			{Kind: doctor.HopApex, Host: "wayne--uat.sandbox.my.salesforce.com", Status: doctor.Skip},
		}}},
		Checks: []doctor.Result{
			{ID: doctor.CheckProfile, Status: doctor.Skip, Summary: `There is no saved profile named "default".`},
			{ID: doctor.CheckMyDomain, Status: doctor.Skip, Summary: skipWhy},
			{ID: doctor.CheckTokenEndpoint, Status: doctor.Skip, Summary: skipWhy},
			{ID: doctor.CheckSFLogin, Status: doctor.Skip, Summary: skipWhy},
			{ID: doctor.CheckDRAPIKey, Status: doctor.Pass, Summary: "The test key sk_test_******** works: it sees 1 webhook.", Duration: 30 * time.Millisecond},
			{ID: doctor.CheckWebhookAddress, WebhookID: hook, Status: doctor.Warn,
				Summary: "Digital River posts to https://wayne--uat.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/, the app's endpoint.",
				Remedy:  "Check the address in Setup → My Domain."},
			{ID: doctor.CheckDRLoginReplay, WebhookID: hook, Status: doctor.Fail,
				Summary: "Salesforce refused the login stored in this webhook (invalid_grant: authentication failure), while the profile's works (sf_login): the stored password is out of date (see webhook_oauth).",
				Remedy:  "Run drsetup setup to store the working login in the webhook. Until then every delivery fails, and each refused login counts towards locking the user out."},
		},
	}
}

func render(t *testing.T, rep *doctor.Report, o Options, p colorprofile.Profile) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(theme.Writer(&buf, p), rep, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestRenderOnATerminalFitsItsWidth(t *testing.T) {
	for _, width := range []int{60, 80, 120} {
		out := render(t, sample(), Options{Styles: theme.New(true, true), Width: width}, colorprofile.TrueColor)
		if !strings.Contains(out, "\x1b[") {
			t.Errorf("width %d: no colour on a colour terminal", width)
		}
		for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
			if w := ansi.StringWidth(line); w > width {
				t.Errorf("width %d: line of %d columns: %q", width, w, ansi.Strip(line))
			}
		}
	}
}

func TestRenderPlainForPipes(t *testing.T) {
	out := render(t, sample(), Options{Styles: theme.New(true, false), Width: 80, KeepLongWords: true, TabSeparated: true, Words: true}, colorprofile.NoTTY)
	if strings.Contains(out, "\x1b") {
		t.Fatalf("escape codes in plain output:\n%q", out)
	}
	for _, want := range []string{
		"Not OK: 1 failed, 1 warning, 1 passed, 4 skipped. Checked the webhooks of a",
		"Summary (details below):",
		"fail Digital River's login, replayed (webhook 0b7c3a52): Salesforce refused",
		"0b7c3a52-1111-4000-8000-000000000001\tpass\tfail login.salesforce.com\tskip wayne--uat.sandbox.my.salesforce.com",
		"skip Profile: There is no saved profile named \"default\". My Domain, Token",
		// A URL stays whole on its line, to copy.
		"https://wayne--uat.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/,",
		"  To fix: Run drsetup setup to store the working login",
		"Setup, then My Domain",
		"sk_test_ (hidden)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plain report lacks %q:\n%s", want, out)
		}
	}
	// Hosts are never broken at their hyphens.
	if strings.Contains(out, "wayne--\n") || strings.Contains(out, "wayne-\n") {
		t.Errorf("a host was broken at a hyphen:\n%s", out)
	}
}

func TestRenderWithoutColourKeepsOnlyBold(t *testing.T) {
	out := render(t, sample(), Options{Styles: theme.New(true, false), Width: 80}, colorprofile.ASCII)
	if strings.Contains(out, "38;") || strings.Contains(out, "48;") {
		t.Fatalf("colour codes with colour off:\n%q", out)
	}
}

func TestPathLinesPickOneFormThatFits(t *testing.T) {
	st := theme.New(true, false)
	p := sample().Paths[0]
	two := []doctor.Path{p, p}
	two[0].WebhookID, two[1].WebhookID = hook, "99999999-0000-4000-8000-000000000000"
	two[1].Hops[2].Host = "short.my.salesforce.com"
	for _, c := range []struct {
		paths []doctor.Path
		width int
		want  []string
	}{
		{[]doctor.Path{p}, 200, []string{"✓ Digital River → ✗ token endpoint login.salesforce.com → - Apex endpoint wayne--uat.sandbox.my.salesforce.com"}},
		{[]doctor.Path{p}, 90, []string{"✓ Digital River → ✗ login.salesforce.com → - wayne--uat.sandbox.my.salesforce.com"}},
		{[]doctor.Path{p}, 60, []string{"✓ Digital River → ✗ token endpoint → - Apex endpoint"}},
		{[]doctor.Path{p}, 40, []string{"✓ Digital River → ✗ token → - Apex"}},
		{[]doctor.Path{p}, 20, []string{"Digital River → token → Apex endpoint", "✓ → ✗ → -"}},
		// One form for every line, so they align, though the second
		// would fit a longer one.
		{two, 80, []string{"0b7c3a52  ✓ Digital River → ✗ token endpoint → - Apex endpoint", "99999999  ✓ Digital River → ✗ token endpoint → - Apex endpoint"}},
		{two, 60, []string{"0b7c3a52  ✓ Digital River → ✗ token → - Apex", "99999999  ✓ Digital River → ✗ token → - Apex"}},
	} {
		got := PathLines(c.paths, st, c.width)
		for i := range got {
			got[i] = ansi.Strip(got[i])
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("width %d:\n got %q\nwant %q", c.width, got, c.want)
		}
	}
}

func TestProgressShowsChecksInFlight(t *testing.T) {
	m := NewProgress(theme.New(true, false), 60)
	send := func(msg tea.Msg) tea.Cmd {
		next, cmd := m.Update(msg)
		m = next.(Progress)
		return cmd
	}
	send(EventMsg{Kind: doctor.Started, ID: doctor.CheckSFLogin})
	send(EventMsg{Kind: doctor.Started, ID: doctor.CheckDRLoginReplay, WebhookID: hook})
	view := m.View().Content
	for _, want := range []string{"Salesforce login", "Digital River's login, replayed · webhook 0b7c3a52", "0 done"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	send(EventMsg{Kind: doctor.Finished, ID: doctor.CheckSFLogin, Result: doctor.Result{ID: doctor.CheckSFLogin, Status: doctor.Fail}})
	view = m.View().Content
	if strings.Contains(view, "Salesforce login\n") || !strings.Contains(view, "1 done, 1 failed") {
		t.Errorf("after sf_login ended:\n%s", view)
	}
	for i := range maxRunningLines + 3 {
		send(EventMsg{Kind: doctor.Started, ID: doctor.CheckWebhookEvents, WebhookID: string(rune('a' + i))})
	}
	if view := m.View().Content; !strings.Contains(view, "… and 4 more") {
		t.Errorf("a long list is not cut:\n%s", view)
	}
	for _, line := range strings.Split(m.View().Content, "\n") {
		if ansi.StringWidth(line) > 60 {
			t.Errorf("line wider than the terminal: %q", line)
		}
	}

	cmd := send(DoneMsg{})
	if cmd == nil {
		t.Fatal("DoneMsg does not end the program")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("DoneMsg does not quit")
	}
	if v := m.View().Content; v != "" {
		t.Fatalf("the progress stays on screen after the run: %q", v)
	}
}

func TestRunReturnsTheReportAndDrawsProgress(t *testing.T) {
	var out bytes.Buffer
	want := sample()
	got := Run(&out, theme.New(true, false), colorprofile.NoTTY, 80, func(progress func(doctor.Event)) *doctor.Report {
		progress(doctor.Event{Kind: doctor.Started, ID: doctor.CheckSFLogin})
		time.Sleep(50 * time.Millisecond) // long enough for a frame
		progress(doctor.Event{Kind: doctor.Finished, ID: doctor.CheckSFLogin, Result: doctor.Result{Status: doctor.Pass}})
		return want
	})
	if got != want {
		t.Fatal("Run did not return work's report")
	}
	if !strings.Contains(out.String(), "Salesforce login") {
		t.Errorf("no progress was drawn: %q", out.String())
	}
}
