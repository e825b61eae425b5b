package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/ui/theme"
)

func TestViewStartKeepsTheCursorInView(t *testing.T) {
	tests := []struct {
		name                      string
		scroll, col, total, width int
		want                      int
	}{
		{"short value", 0, 5, 5, 20, 0},
		{"cursor at the end of a long value", 0, 300, 300, 50, 251},
		{"moving left inside the view keeps it", 251, 290, 300, 50, 251},
		{"moving left past the view scrolls", 251, 240, 300, 50, 240},
		{"home", 251, 0, 300, 50, 0},
		{"after deleting, show what fits", 251, 100, 100, 50, 51},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := viewStart(tt.scroll, tt.col, tt.total, tt.width)
			if got != tt.want {
				t.Errorf("viewStart(%d, %d, %d, %d) = %d, want %d", tt.scroll, tt.col, tt.total, tt.width, got, tt.want)
			}
			if tt.col < got || tt.col >= got+tt.width {
				t.Errorf("cursor column %d is outside the view [%d, %d)", tt.col, got, got+tt.width)
			}
		})
	}
}

func TestFieldMasksSecretsAndTrimsAPastedLineBreak(t *testing.T) {
	st := theme.New(true, false)
	f := newField(field.Password, true, "")
	f.focus()
	f.update(tea.PasteMsg{Content: "pa ss\r\n"})
	if f.value() != "pa ss" {
		t.Fatalf("value = %q; want the line break dropped and the space kept", f.value())
	}
	line, x := f.render(st, 40, true)
	if got := ansi.Strip(line); got != "> *****" || x != 7 {
		t.Errorf("render = %q, cursor %d", got, x)
	}
}

func TestFieldRenderScrollsLongValues(t *testing.T) {
	st := theme.New(true, false)
	f := newField(field.ClientID, false, "")
	f.focus()
	f.update(tea.PasteMsg{Content: strings.Repeat("x", 100) + "END"})
	f.keepCursorInView(20 - len(promptIn))
	line, x := f.render(st, 20, true)
	plain := ansi.Strip(line)
	if ansi.StringWidth(plain) > 20 || !strings.HasSuffix(plain, "END") || !strings.HasPrefix(plain, promptScrolled) {
		t.Errorf("render = %q", plain)
	}
	if x != ansi.StringWidth(plain) {
		t.Errorf("cursor at %d, want after the last character (%d)", x, ansi.StringWidth(plain))
	}
}

func TestSummarySaysWhatWasDoneAndSavedWhere(t *testing.T) {
	base := func() *steps.Result {
		r := &steps.Result{Profile: "default", Action: drapi.ActionCreated, ProfilePath: "/cfg/drsetup/profiles/default.json", SecretsSaved: true}
		r.Webhook = drapi.Webhook{ID: "wh-1", Address: demo.MyDomain + "/services/apexrest/digitalriverv3/webhooks/",
			Types: drapi.AppEvents, Enabled: true, TransportType: "OAUTH"}
		r.Salesforce.OrgID = "00Dxx"
		return r
	}
	tests := []struct {
		name   string
		change func(*steps.Result)
		want   []string
		not    []string
	}{
		{"created", nil, []string{"Webhook created: wh-1", "/cfg/drsetup/profiles/default.json", "OS keyring", "drsetup doctor", "org 00Dxx"}, []string{"--profile"}},
		{"adopted", func(r *steps.Result) { r.Adopted = true }, []string{"Webhook created", "found the webhook it made and kept it"}, nil},
		{"met a concurrent create", func(r *steps.Result) { r.Deleted = []string{"wh-2"} }, []string{"Another run created a webhook for this org at the same time; drsetup kept wh-1 and deleted wh-2"}, nil},
		{"appeared", func(r *steps.Result) { r.Action, r.Appeared = drapi.ActionUnchanged, true }, []string{"appeared at Digital River after the plan was made"}, nil},
		{"updated", func(r *steps.Result) {
			r.Action = drapi.ActionUpdated
			r.Changes = []drapi.Change{{Field: "address", From: "https://acme.lightning.force.com/x/", To: "https://acme.my.salesforce.com/x/"}, {Field: "oauth.password", From: "********", To: "changed"}}
		}, []string{"Webhook updated: wh-1", "address https://acme.lightning.force.com/x/ → https://acme.my.salesforce.com/x/", "oauth.password changed"}, nil},
		{"unchanged", func(r *steps.Result) { r.Action = drapi.ActionUnchanged }, []string{"Nothing to change"}, nil},
		{"keyring unreachable", func(r *steps.Result) {
			r.SecretsSaved, r.SecretsErr = false, errors.New("the OS keyring could not be reached: no Secret Service is running")
		}, []string{"Secrets", "not saved: The OS keyring could not be reached", "The webhook is registered"}, []string{"in the OS keyring (service"}},
		{"profile not written", func(r *steps.Result) {
			r.ProfilePath, r.SecretsSaved, r.ProfileErr = "", false, errors.New("the profile file could not be written: disk full")
		}, []string{"not saved: The profile file could not be written", "The webhook is registered all the same"}, nil},
		{"demo", func(r *steps.Result) { r.Ephemeral, r.SecretsSaved = true, false }, []string{"this was the demo"}, []string{"OS keyring"}},
		{"named profile", func(r *steps.Result) { r.Profile = "acme-uat" }, []string{"drsetup doctor --profile acme-uat"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			if tt.change != nil {
				tt.change(r)
			}
			got := squeeze(Summary(r, nil, 0))
			for _, w := range tt.want {
				if !strings.Contains(got, squeeze(w)) {
					t.Errorf("summary lacks %q:\n%s", w, Summary(r, nil, 0))
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, squeeze(n)) {
					t.Errorf("summary has %q:\n%s", n, Summary(r, nil, 0))
				}
			}
		})
	}
	if Summary(nil, nil, 0) != "" {
		t.Error("a nil result has a summary")
	}
}

// FuzzFieldRender pastes anything, moves the cursor, and checks the drawn
// line fits its width with the cursor inside it.
func FuzzFieldRender(f *testing.F) {
	f.Add("https://acme.lightning.force.com", uint8(40), uint8(3), false)
	f.Add(strings.Repeat("漢字", 80), uint8(20), uint8(7), true)
	f.Add("tab\there\nline", uint8(10), uint8(0), false)
	st := theme.New(true, false)
	f.Fuzz(func(t *testing.T, s string, width, left uint8, secret bool) {
		w := int(width)%180 + 20
		fl := newField(field.ClientID, secret, "")
		fl.focus()
		fl.update(tea.PasteMsg{Content: s})
		for range int(left) % 50 {
			fl.update(tea.KeyPressMsg{Code: tea.KeyLeft})
			fl.keepCursorInView(w - len(promptIn))
		}
		line, x := fl.render(st, w, true)
		if got := ansi.StringWidth(ansi.Strip(line)); got > w {
			t.Fatalf("line is %d wide, more than %d: %q", got, w, ansi.Strip(line))
		}
		if x < 0 || x > w {
			t.Fatalf("cursor at %d outside [0, %d]", x, w)
		}
		plain := ansi.Strip(line)
		value := strings.TrimPrefix(strings.TrimPrefix(plain, promptIn), promptScrolled+" ")
		if secret && strings.Trim(value, "*") != "" {
			t.Fatalf("a secret is drawn: %q", plain)
		}
	})
}

func TestSummaryWrapsLikeTheScreensKeepingHostsWhole(t *testing.T) {
	const host = "https://acme--uat.sandbox.my.salesforce.com"
	const id = "0b7c3a52-1111-4000-8000-000000000001"
	r := &steps.Result{Profile: "default", Action: drapi.ActionCreated, ProfilePath: "/cfg/drsetup/profiles/default.json", SecretsSaved: true}
	r.Webhook = drapi.Webhook{ID: id, Address: host + "/services/apexrest/digitalriverv3/webhooks/",
		Types: drapi.AppEvents, Enabled: true, TransportType: "OAUTH"}
	r.Salesforce.OrgID, r.Salesforce.UserID, r.Salesforce.InstanceURL = "00Dxx0000000001", "005xx0000000001", host
	for _, width := range []int{50, 60, 80} {
		out := ansi.Strip(Summary(r, theme.New(true, true), width))
		// Words that fit a line are never broken, at a hyphen least of all.
		whole := []string{id}
		if width >= 60 {
			whole = append(whole, host)
		}
		for _, w := range whole {
			if !strings.Contains(out, w) {
				t.Errorf("width %d: %q was broken:\n%s", width, w, out)
			}
		}
		for _, line := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(line); w > width {
				t.Errorf("width %d: line of %d columns: %q", width, w, line)
			}
			if strings.HasSuffix(line, " ") {
				t.Errorf("width %d: line padded with spaces: %q", width, line)
			}
		}
	}
}

// A placeholder reads as an example, not as a value already filled in,
// also where nothing is faint or coloured (NO_COLOR, a plain terminal), and
// it goes as soon as something is typed.
func TestPlaceholderIsVisiblyAnExample(t *testing.T) {
	for _, color := range []bool{false, true} {
		st := theme.New(true, color)
		f := newField(field.MyDomain, false, "https://acme.my.salesforce.com")
		f.focus()
		line, _ := f.render(st, 60, true)
		if got := ansi.Strip(line); got != "> e.g. https://acme.my.salesforce.com" {
			t.Errorf("colour %v: empty field drawn as %q", color, got)
		}
		f.update(tea.PasteMsg{Content: "h"})
		if line, _ := f.render(st, 60, true); strings.Contains(ansi.Strip(line), "e.g.") {
			t.Errorf("colour %v: the example stays once typing starts: %q", color, ansi.Strip(line))
		}
	}
}
