package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
)

// auth picks how Digital River logs in: username-password, as the guide
// describes, or client credentials for orgs where that flow is blocked.
type auth struct {
	c        *common
	choice   choice
	problems []steps.Problem
}

func newAuth(c *common) *auth {
	return &auth{c: c, choice: choice{options: options(steps.LoginChoices())}}
}

func (a *auth) enter() tea.Cmd {
	a.choice.selectValue(a.c.setup.LoginChosen())
	a.apply()
	return nil
}

func (a *auth) apply() {
	if v := a.choice.selected(); v != "" {
		a.c.setup.ChooseLogin(v)
	}
	a.problems = steps.Check(*a.c.setup, steps.Auth)
}

func (a *auth) takesText() bool { return false }

func (a *auth) update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch k.String() {
	case "enter":
		a.apply()
		if steps.Blocking(a.problems) {
			return nil
		}
		a.c.redact()
		return goNext
	case "tab":
		if p, ok := suggestion(a.problems); ok {
			p.Apply(a.c.setup)
			a.apply()
			return nil
		}
	case "shift+tab":
		return goBack
	}
	if a.choice.move(k) {
		a.apply()
	}
	return nil
}

func (a *auth) view() body {
	c := a.c
	st := c.styles
	w := c.contentWidth()
	b := newBuilder()
	b.add(wrap(st.Text, w, "Which app holds the consumer key, and how does Digital River log in to Salesforce?"))
	b.gap()
	b.markFocus()
	b.add(a.choice.render(st, w))
	if c.setup.UsesMyDomainTokenForFlow() {
		b.gap()
		tok := c.setup.TokenURL()
		b.add(wrap(st.Text, w, fmt.Sprintf("Client credentials are served only by the org's own token endpoint, so Digital River will use %s.", st.Code.Render(tok))))
	}
	if c.setup.Auth == sfcheck.FlowClientCredentials {
		b.gap()
		b.add(wrap(st.Subtle, w, c.setup.App.ClientCredentialsSetup()))
	}
	if len(a.problems) > 0 {
		b.gap()
		b.add(problemBlock(c, w, a.problems, true))
	}
	b.gap()
	b.add(wrap(st.Subtle, w, field.Auth.Help()))
	return b.body()
}

func (a *auth) ShortHelp() []key.Binding {
	k := a.c.keys
	bs := []key.Binding{k.Next, k.Up}
	if _, ok := suggestion(a.problems); ok {
		bs = append(bs, k.Accept)
	}
	return append(bs, k.BackTab, k.Back, k.Quit, k.Help)
}

func (a *auth) FullHelp() [][]key.Binding {
	k := a.c.keys
	return [][]key.Binding{a.ShortHelp(), {k.PageUp, k.PageDown}}
}
