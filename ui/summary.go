package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/drapi"
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

	line(st.Pass.Render(theme.MarkPass+" "+actionTitle(r)) + " " + st.Code.Render(text.Clean(r.Webhook.ID)))
	for _, n := range r.Notes() {
		line("  " + st.Subtle.Render(n))
	}
	for _, p := range stepRows(st, r.Rows()) {
		row(p[0], p[1])
	}
	line("")
	line(st.Label.Render("Saved"))
	for _, p := range stepRows(st, r.Saved()) {
		row(p[0], p[1])
	}
	line("")
	line("Later, " + st.Code.Render(r.Doctor()) + " checks this setup end to end, as Digital River will use it.")
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
