package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/drapi"
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
}

type planResult struct {
	plan drapi.Plan
	err  error
}

func newReview(c *common) *review { return &review{c: c} }

func (r *review) enter() tea.Cmd {
	r.err = nil
	r.c.plan = nil
	return r.replan()
}

func (r *review) replan() tea.Cmd {
	r.err = nil
	return r.c.start(steps.StagePlan, func(ctx context.Context, sv *steps.Services, s steps.Setup) tea.Msg {
		p, err := sv.Plan(ctx, s)
		return planResult{plan: p, err: err}
	})
}

func (r *review) takesText() bool { return false }

func (r *review) update(msg tea.Msg) tea.Cmd {
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

func (r *review) view() body {
	c := r.c
	st := c.styles
	w := c.contentWidth()
	b := newBuilder()
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

	b.markFocus()
	switch {
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
