package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
	"github.com/drsetup/drsetup/ui/theme"
)

// review shows everything that will be sent, secrets masked, and the plan:
// create a webhook, update this org's existing one (showing each change,
// a wrong address included), or nothing to change. Arriving here plans
// again, since the event types may have changed; Enter registers.
type review struct {
	c   *common
	err error // planning failed
	// name is the new profile's name while c.naming: asked first, the plan
	// made once it is given. nameProblem says why a name will not do;
	// nameNote what it would replace, until Enter confirms it.
	name        *textField
	nameProblem string
	nameNote    string
}

type planResult struct {
	plan drapi.Plan
	err  error
}

func newReview(c *common) *review { return &review{c: c} }

func (r *review) enter() tea.Cmd {
	r.err = nil
	r.c.plan = nil
	if r.c.naming {
		r.startNaming()
		return nil
	}
	return r.replan()
}

// mode is the Digital River key's mode, once checked.
func (r *review) mode() drapi.Mode {
	if kc := r.c.session.KeyChecked(); kc != nil {
		return kc.Mode
	}
	return ""
}

// startNaming asks the new profile's name, offering one from the org the
// first time, and what was typed after that.
func (r *review) startNaming() {
	c := r.c
	if r.name == nil {
		suggested := text.Or(c.svc.SuggestProfileName(*c.setup, r.mode()), c.setup.Profile)
		r.name = newField(field.None, false, suggested)
		r.name.setValue(suggested)
	}
	r.name.focus()
	r.nameProblem, r.nameNote = "", ""
}

func (r *review) naming() bool { return r.name != nil && r.name.focused }

// confirmName takes the name typed, once it is one a profile can have; a
// name that would replace another setup's profile takes a second Enter.
func (r *review) confirmName() tea.Cmd {
	c := r.c
	name := strings.ToLower(strings.TrimSpace(r.name.value()))
	if err := profile.ValidName(name); err != nil {
		r.nameProblem = text.Sentence(err.Error())
		return nil
	}
	note, replaces := c.svc.NameNote(*c.setup, name, r.mode())
	if replaces && r.nameNote != note {
		r.nameNote = note
		return nil
	}
	c.setup.Profile = name
	r.name.blur()
	return r.replan()
}

func (r *review) replan() tea.Cmd {
	r.err = nil
	return r.c.start(steps.StagePlan, func(ctx context.Context, sv *steps.Services, s steps.Setup) tea.Msg {
		p, err := sv.Plan(ctx, s)
		return planResult{plan: p, err: err}
	})
}

func (r *review) takesText() bool { return r.naming() }

func (r *review) update(msg tea.Msg) tea.Cmd {
	if r.naming() {
		return r.editName(msg)
	}
	switch msg := msg.(type) {
	case planResult:
		if msg.err != nil {
			r.err = msg.err
			return nil
		}
		r.c.plan = &msg.plan
	case cancelledMsg:
		r.err = context.Canceled
	case tea.KeyPressMsg:
		switch msg.String() {
		case "enter":
			if r.c.plan == nil {
				return r.replan()
			}
			return goNext
		case "shift+tab":
			return goBack
		}
	}
	return nil
}

// editName passes keys and pastes to the name field.
func (r *review) editName(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "enter":
			return r.confirmName()
		case "shift+tab":
			return goBack
		}
	}
	changed, cmd := r.name.update(msg)
	r.name.keepCursorInView(r.c.contentWidth() - len(promptIn))
	if changed {
		r.nameProblem, r.nameNote = "", ""
	}
	return cmd
}

// nameView is the question of the new profile's name.
func (r *review) nameView(b *builder, w int) {
	c := r.c
	st := c.styles
	b.markFocus()
	b.add(st.Focused.Render("Profile name"))
	line, x := r.name.render(st, w, true)
	b.addCursorLine(line, x, true)
	kept := "the saved profile"
	if c.existing != nil {
		kept = fmt.Sprintf("profile %q", c.existing.Name)
	}
	b.add(hang(st.Subtle, w, "  ", fmt.Sprintf("This new setup is saved as a profile of its own, so %s stays as it is. Enter keeps the name shown, or type another: letters, digits, - and _.", kept)))
	switch {
	case r.nameProblem != "":
		b.add(hang(st.Fail, w, theme.MarkFail+" ", r.nameProblem))
	case r.nameNote != "":
		b.add(hang(st.Warn, w, theme.MarkWarn+" ", r.nameNote+" Press Enter again to replace it."))
	}
	b.gap()
}

func (r *review) view() body {
	c := r.c
	st := c.styles
	w := c.contentWidth()
	b := newBuilder()
	if r.naming() {
		r.nameView(b, w)
	}
	var mode drapi.Mode
	if kc := c.session.KeyChecked(); kc != nil {
		mode = kc.Mode
	}
	for _, sec := range c.svc.Review(*c.setup, mode) {
		if sec.Title != "" {
			b.add(st.Label.Render(sec.Title))
			b.add(indent(rows(st, w-2, stepRows(st, sec.Rows)), 2))
		} else {
			b.add(rows(st, w, stepRows(st, sec.Rows)))
		}
		b.gap()
	}

	if !r.naming() {
		b.markFocus()
	}
	switch {
	case r.naming():
	case c.busy():
		b.add(c.spinnerLine())
	case r.err != nil:
		what, remedy := explainErr(r.err)
		b.add(hang(st.Fail, w, theme.MarkFail+" ", what))
		if remedy != "" {
			b.add(hang(st.Text, w, "  ", remedy))
		}
		b.add(wrap(st.Text, w, "Press Enter to look again."))
	case c.plan != nil:
		b.add(planView(c, w, *c.plan))
	}
	return b.body()
}

// stepRows styles steps' rows for rows(): literals as code, marks in their
// colours.
func stepRows(st *theme.Styles, rs []steps.Row) [][2]string {
	out := make([][2]string, len(rs))
	for i, r := range rs {
		v := r.Value
		switch {
		case r.Mark == steps.MarkFail:
			v = st.Error.Render(theme.MarkFail + " " + v)
		case r.Mark == steps.MarkWarn:
			v = st.Warn.Render(theme.MarkWarn + " " + v)
		case r.Code:
			v = st.Code.Render(v)
		}
		out[i] = [2]string{r.Label, v}
	}
	return out
}

// planView says what registering will do.
func planView(c *common, w int, p drapi.Plan) string {
	st := c.styles
	what := text.Capitalize(steps.PlanText(p))
	switch p.Action {
	case drapi.ActionCreate:
		return hang(st.Text, w, "→ ", what+". Press Enter to register it.")
	case drapi.ActionUnchanged:
		return hang(st.Pass, w, theme.MarkPass+" ", what+". Press Enter to save the profile.")
	}
	lines := []string{hang(st.Text, w, "→ ", what+":")}
	for _, ch := range p.Changes {
		lines = append(lines, hang(st.Text, w, "    ", steps.ChangeText(ch, st.Code.Render)))
	}
	lines = append(lines, wrap(st.Text, w, "Press Enter to update it."))
	return strings.Join(lines, "\n")
}

func (r *review) ShortHelp() []key.Binding {
	k := r.c.keys
	if r.naming() {
		return []key.Binding{with(k.Next, "use this name"), k.BackTab, k.Back, k.Quit}
	}
	if r.c.busy() {
		return []key.Binding{with(k.Back, "cancel"), k.Quit}
	}
	next := with(k.Next, "register")
	if r.c.plan == nil {
		next = with(k.Next, "look again")
	}
	return []key.Binding{next, k.BackTab, k.Back, k.Quit, k.Help}
}

func (r *review) FullHelp() [][]key.Binding {
	k := r.c.keys
	return [][]key.Binding{r.ShortHelp(), {k.PageUp, k.PageDown}}
}
