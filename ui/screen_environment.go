package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/steps"
)

// environment picks the token endpoint Digital River logs in at: production,
// sandbox, or the org's own My Domain (which client credentials require).
// The highlighted option is the answer, so going back keeps it.
type environment struct {
	c        *common
	choice   choice
	problems []steps.Problem
}

func newEnvironment(c *common) *environment {
	return &environment{c: c}
}

func (e *environment) enter() tea.Cmd {
	s := e.c.setup
	e.choice.options = options(steps.TokenChoices(*s))
	e.choice.selectValue(string(s.TokenChosen()))
	e.apply()
	return nil
}

// apply makes the highlighted option the answer.
func (e *environment) apply() {
	e.c.setup.ChooseToken(steps.TokenChoice(e.choice.selected()))
	e.check()
}

// check finds what does not fit together with the My Domain already given
// (a sandbox host with Production): the findings the My Domain screen
// reports, shown here too when they are about this choice.
func (e *environment) check() {
	s := *e.c.setup
	e.problems = steps.Check(s, steps.Environment)
	if s.MyDomain == "" {
		return
	}
	for _, p := range steps.Check(s, steps.MyDomain) {
		if t := p.Target(); p.FixField != "" && (t == field.Environment || t == field.TokenEndpoint) {
			e.problems = append(e.problems, p)
		}
	}
}

func (e *environment) takesText() bool { return false }

func (e *environment) update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch k.String() {
	case "enter":
		// Only the environment's own problems stop here: a clash with the My
		// Domain may be the My Domain's fault, which the next screen fixes
		// and checks again.
		if steps.Blocking(steps.Check(*e.c.setup, steps.Environment)) {
			return nil
		}
		e.c.redact()
		return goNext
	case "shift+tab":
		return goBack
	}
	if e.choice.move(k) {
		e.apply()
	}
	return nil
}

func (e *environment) view() body {
	c := e.c
	st := c.styles
	w := c.contentWidth()
	b := newBuilder()
	b.add(wrap(st.Text, w, "Which Salesforce login does Digital River use to get a token before each event?"))
	b.gap()
	b.markFocus()
	b.add(e.choice.render(st, w))
	b.gap()
	tok := c.setup.TokenURL()
	if tok == "" {
		tok = "https://<My Domain>/services/oauth2/token (the My Domain comes next)"
	}
	b.add(rows(st, w, [][2]string{{"Token endpoint", st.Code.Render(tok)}}))
	if c.setup.UsesMyDomainTokenForFlow() {
		// The choice above does not pick the endpoint then: say what it does.
		b.add(wrap(st.Subtle, w, "With client credentials Digital River logs in at the org's own token endpoint whichever is chosen here; the choice says only whether the org is production or a sandbox, which the Digital River key is checked against."))
	}
	if len(e.problems) > 0 {
		b.gap()
		b.add(problemBlock(c, w, e.problems, false))
	}
	b.gap()
	b.add(wrap(st.Subtle, w, field.Environment.Help()))
	return b.body()
}

func (e *environment) ShortHelp() []key.Binding {
	k := e.c.keys
	return []key.Binding{k.Next, k.Up, k.BackTab, k.Back, k.Quit, k.Help}
}

func (e *environment) FullHelp() [][]key.Binding {
	k := e.c.keys
	return [][]key.Binding{e.ShortHelp(), {k.PageUp, k.PageDown}}
}
