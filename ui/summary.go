package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
	"github.com/drsetup/drsetup/ui/theme"
)

// Summary is the done screen's content as text: the webhook and what was
// done to it, the org, what was saved where (or why not), and `drsetup
// doctor` for later. main prints it on stderr once the full-screen view has
// closed, so it stays in the terminal's scrollback, wrapped to w columns
// (0: not wrapped). st may be nil (no styling).
func Summary(r *steps.Result, st *theme.Styles, w int) string {
	if st == nil {
		st = theme.New(true, false)
	}
	if r == nil {
		return ""
	}
	var b strings.Builder
	// fit wraps as every screen does (wrapLines): never at a hyphen, so a
	// sandbox host stays whole to copy, and without padding lines to w.
	fit := func(s string, width int) []string {
		if w <= 0 {
			return []string{s}
		}
		return wrapLines(s, width)
	}
	line := func(s string) {
		b.WriteString(strings.Join(fit(s, w), "\n") + "\n")
	}
	row := func(label, value string) {
		lbl := "  " + st.Label.Render(fmt.Sprintf("%-13s", label)) + " "
		lw := ansi.StringWidth(lbl)
		for i, l := range fit(value, max(w-lw, 10)) {
			if i > 0 {
				lbl = strings.Repeat(" ", lw)
			}
			b.WriteString(lbl + l + "\n")
		}
	}

	line(st.Pass.Render(theme.MarkPass+" "+actionTitle(r)) + " " + st.Code.Render(r.Webhook.ID))
	if r.Adopted {
		line("  " + st.Subtle.Render("Digital River's answer to the create was lost; the webhook it made was found and kept, not created twice."))
	}
	row("Address", st.Code.Render(r.Webhook.Address))
	row("Event types", fmt.Sprintf("%d (%s)", len(r.Webhook.Types), strings.Join(r.Webhook.Types, ", ")))
	state := "disabled"
	if r.Webhook.Enabled {
		state = "enabled"
	}
	row("Transport", strings.TrimSpace(r.Webhook.TransportType+", "+state))
	if r.Action == drapi.ActionUpdated {
		for i, ch := range r.Changes {
			label := ""
			if i == 0 {
				label = "Changed"
			}
			row(label, changeText(st.Code.Render, ch))
		}
	}
	if sf := r.Salesforce; sf.OrgID != "" {
		row("Salesforce", fmt.Sprintf("org %s, user %s, %s", sf.OrgID, sf.UserID, st.Code.Render(sf.InstanceURL)))
	}
	line("")
	line(st.Label.Render("Saved"))
	switch {
	case r.Ephemeral:
		row("Nothing", "this was the demo: no profile and no secret outlives the run.")
	case r.ProfileErr != nil:
		row("Profile", st.Error.Render(theme.MarkFail+" not saved: "+text.Sentence(r.ProfileErr.Error())))
		row("", "The webhook is registered all the same; run drsetup setup again to save the profile.")
	case r.ProfilePath != "":
		row("Profile", fmt.Sprintf("%q in %s", r.Profile, r.ProfilePath))
		switch {
		case r.SecretsErr != nil:
			row("Secrets", st.Warn.Render(theme.MarkWarn+" not saved: "+text.Sentence(r.SecretsErr.Error())))
			row("", "The webhook is registered and keeps its own copy of the credentials; drsetup asks for the secrets again next time, or reads the DRSETUP_* variables.")
		case r.SecretsSaved:
			row("Secrets", "in the OS keyring (service "+profile.KeyringService+"), nowhere else")
		}
	default:
		row("Nothing", "no profile store was given.")
	}
	line("")
	doctor := "drsetup doctor"
	if r.Profile != "" && r.Profile != profile.DefaultName {
		doctor += " --profile " + r.Profile
	}
	line("Later, " + st.Code.Render(doctor) + " checks this setup end to end, as Digital River will use it.")
	return strings.TrimRight(b.String(), "\n")
}

func actionTitle(r *steps.Result) string {
	switch r.Action {
	case drapi.ActionCreated:
		return "Webhook created:"
	case drapi.ActionUpdated:
		return "Webhook updated:"
	case drapi.ActionUnchanged:
		return "Nothing to change; the webhook already matched:"
	}
	return "Webhook " + string(r.Action) + ":"
}
