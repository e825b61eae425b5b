package doctorview

import (
	"fmt"
	"io"
	"strings"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/iostreams"
	"github.com/drsetup/drsetup/text"
)

// doctor --fix on the screen: the plan before it is applied (on stderr),
// each fix as it is made, and the report's section of what was done.

// fixes writes the report's Fixes section, on the report of doctor --fix:
// what was changed before these checks, and what could not be.
func (r *renderer) fixes() {
	rep := r.rep
	if !rep.Fixed {
		return
	}
	r.blank()
	if len(rep.Fixes) == 0 && len(rep.Unfixed) == 0 {
		r.para("Fixes: none were made before these checks.", "", "  ", r.st.Label.Render)
		return
	}
	r.para("Fixes made before these checks:", "", "", r.st.Label.Render)
	for _, f := range rep.Fixes {
		verb := "Updated"
		if f.Action == "deleted" {
			verb = "Deleted"
		}
		r.para(fmt.Sprintf("%s webhook %s: %s.", verb, f.WebhookID, f.Summary), "  ", "    ", nil)
	}
	for _, o := range rep.Unfixed {
		r.para(unfixedLine(o), "  ", "    ", r.st.Fail.Render)
	}
}

// unfixedLine is a fix that was not made, and why.
func unfixedLine(o doctor.FixOutcome) string {
	return fmt.Sprintf("Not made: %s %s", strings.TrimSuffix(o.Fix.Line(), "."), explain.Of(o.Err).Text())
}

// ShowPlan writes the plan of doctor --fix on stderr: each fix, numbered,
// then what the fixes leave, each with why where a fix could be expected.
// It is wrapped to the terminal; piped or with --accessible, statuses are
// words.
func ShowPlan(ios *iostreams.IOStreams, plan *doctor.FixPlan) error {
	return writeLines(ios, PlanLines(plan, ios.Accessible() || !ios.IsStderrTTY()))
}

// PlanLines are the plan as paragraphs, unwrapped.
func PlanLines(plan *doctor.FixPlan, words bool) []string {
	var out []string
	switch n := len(plan.Fixes); n {
	case 0:
		out = append(out, "Nothing for drsetup to fix.")
	default:
		out = append(out, fmt.Sprintf("drsetup can make %s:", text.Count(n, "change")))
		for i, f := range plan.Fixes {
			out = append(out, fmt.Sprintf("\t%d. %s", i+1, f.Line()))
		}
	}
	if len(plan.Left) == 0 {
		return out
	}
	out = append(out, "Left as they are (the report says what to do about each):")
	for _, l := range plan.Left {
		mark := Mark(l.Status)
		if words {
			mark = string(l.Status)
		}
		who := ""
		switch n := len(l.WebhookIDs); {
		case n == 1:
			who = ", webhook " + l.WebhookIDs[0]
		case n > 1 && n <= 4:
			who = ", webhooks " + text.JoinAnd(l.WebhookIDs)
		case n > 4:
			who = fmt.Sprintf(", %d webhooks", n)
		}
		line := fmt.Sprintf("\t%s %s%s: %s", mark, l.Check.Title(), who, text.FullStop(text.Capitalize(l.What)))
		if l.Why != "" {
			line += " Not fixed: " + text.FullStop(l.Why)
		}
		out = append(out, line)
	}
	return out
}

// ShowNote writes paragraphs on stderr, wrapped as the plan is (a tab at
// the start of one indents it): the messages of doctor --fix and of the
// other commands that change Digital River.
func ShowNote(ios *iostreams.IOStreams, paras ...string) error { return writeLines(ios, paras) }

// Wrap breaks text into lines of at most width columns, the first after
// first and the rest after rest, as the report wraps: at spaces, a URL
// only between its parts.
func Wrap(text string, width int, first, rest string) []string {
	return wrapText(text, max(width, minWidth), first, rest, true)
}

// ShowOutcome says, on stderr, how one fix went as it is made.
func ShowOutcome(ios *iostreams.IOStreams, o doctor.FixOutcome) error {
	var line string
	f := o.Fix
	switch {
	case o.Err != nil:
		line = unfixedLine(o)
	case o.Gone && f.Kind == doctor.FixDelete:
		line = fmt.Sprintf("Webhook %s was already gone.", f.WebhookID)
	case o.Gone:
		line = fmt.Sprintf("Webhook %s is gone, so it was not updated (and nothing was created in its place).", f.WebhookID)
	case o.Unchanged:
		line = fmt.Sprintf("Webhook %s was already as planned; nothing was sent.", f.WebhookID)
	case f.Kind == doctor.FixDelete:
		line = fmt.Sprintf("Deleted webhook %s; Digital River no longer has it.", f.WebhookID)
	default:
		var fields []string
		for _, c := range o.Changes {
			fields = append(fields, c.Field)
		}
		line = fmt.Sprintf("Updated webhook %s (%s), read back as sent.", f.WebhookID, strings.Join(fields, ", "))
	}
	return writeLines(ios, []string{line})
}

// writeLines writes paragraphs on stderr, wrapped to the terminal's width
// (80 columns when it is not one); a tab at the start of one indents it, and
// its wrapped lines further. In words mode arrows are said as words, as in
// the report.
func writeLines(ios *iostreams.IOStreams, paras []string) error {
	width := ios.TerminalWidth()
	if !ios.IsStderrTTY() {
		width = DefaultWidth
	}
	words := ios.Accessible() || !ios.IsStderrTTY()
	var b strings.Builder
	for _, p := range paras {
		first, rest := "", "  "
		if s, ok := strings.CutPrefix(p, "\t"); ok {
			p, first, rest = s, "  ", "      "
		}
		if words {
			p = Spoken(p)
		}
		for _, line := range wrapText(p, max(width, minWidth), first, rest, true) {
			b.WriteString(line + "\n")
		}
	}
	_, err := io.WriteString(ios.ErrOut, b.String())
	return err
}
