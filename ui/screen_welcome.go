package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/ui/theme"
)

// welcome says what will happen and what to have ready. With a saved
// profile it offers to reconfigure it or to start again from empty values.
type welcome struct {
	c       *common
	choice  *choice // nil without a saved profile
	applied string  // the choice the answers now come from
}

const (
	choiceReconfigure = "reconfigure"
	choiceNew         = "new"
)

func newWelcome(c *common) *welcome {
	w := &welcome{c: c, applied: choiceReconfigure}
	if p := c.existing; p != nil {
		where := p.Get(field.MyDomain)
		if where == "" {
			where = "no My Domain saved"
		}
		w.choice = &choice{options: []option{
			{value: choiceReconfigure, label: fmt.Sprintf("Reconfigure %q", p.Name),
				detail: fmt.Sprintf("Every value prefilled (%s); secrets from the keyring. Ends in an update of its webhook, or nothing to change.", where)},
			{value: choiceNew, label: "Start a new setup",
				detail: fmt.Sprintf("Empty values, saved as a profile of its own (you name it at the review; drsetup suggests one from the org), so profile %q stays as it is.", p.Name)},
		}}
	}
	return w
}

func (w *welcome) enter() tea.Cmd  { return nil }
func (w *welcome) takesText() bool { return false }

func (w *welcome) update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch k.String() {
	case "enter":
		if w.choice != nil {
			w.apply(w.choice.selected())
		}
		return goNext
	case "q":
		return func() tea.Msg { return quitMsg{} }
	}
	if w.choice != nil {
		w.choice.move(k)
	}
	return nil
}

// apply starts from the saved profile's values or from empty ones. Pressing
// Enter again on the same choice after going back keeps what was typed.
func (w *welcome) apply(v string) {
	if v == w.applied {
		return
	}
	w.applied = v
	c := w.c
	switch v {
	case choiceNew:
		fresh := steps.Defaults(c.prefilled.Profile)
		fresh.AllowAnyHost = c.prefilled.AllowAnyHost
		*c.setup = fresh
		c.naming = true
	case choiceReconfigure:
		*c.setup = c.prefilled
		c.setup.Events = slices.Clone(c.prefilled.Events)
		c.naming = false
	}
	c.initial = *c.setup
	c.initial.Events = slices.Clone(c.setup.Events)
}

func (w *welcome) view() body {
	c := w.c
	st := c.styles
	wd := c.contentWidth()
	b := newBuilder()
	b.add(wrap(st.Text, wd, "drsetup registers the Digital River webhook that sends order events to your Salesforce org (step 11 of the app's guide), and checks every value against Salesforce and Digital River as you go."))
	b.gap()
	b.add(st.Label.Render("Have ready"))
	b.add(bullets(st.Text, wd, []string{
		`the Connected App "Salesforce DigitalRiver Integration" (step 10 of the guide): its Consumer Key and Consumer Secret`,
		"the integration user's username, password and security token (not needed with the client credentials flow)",
		"a Digital River secret API key (sk_test_… for test mode, sk_… for live)",
	}))
	b.gap()
	b.add(wrap(st.Subtle, wd, "Nothing is saved until the webhook is registered; Ctrl+C before that leaves everything as it was."))
	for _, n := range c.notes {
		b.gap()
		b.add(hang(st.Warn, wd, theme.MarkWarn+" ", n))
	}
	if w.choice != nil {
		b.gap()
		b.add(wrap(st.Text, wd, fmt.Sprintf("A profile named %q is saved.", c.existing.Name)))
		b.markFocus()
		b.add(w.choice.render(st, wd))
	}
	if d := c.demo; d != nil {
		b.gap()
		b.add(st.Label.Render("Demo values to type"))
		var pairs [][2]string
		for _, v := range d.Values {
			pairs = append(pairs, [2]string{v[0], st.Code.Render(v[1])})
		}
		b.add(rows(st, wd, pairs))
		if len(d.Traps) > 0 {
			b.gap()
			b.add(st.Label.Render("Mistakes to try, to see how each is caught"))
			b.add(bullets(st.Text, wd, d.Traps))
		}
	}
	return b.body()
}

func (w *welcome) ShortHelp() []key.Binding {
	k := w.c.keys
	bs := []key.Binding{with(k.Next, "start")}
	if w.choice != nil {
		bs = append(bs, k.Up)
	}
	return append(bs, k.QuitWelcome, k.Help)
}

func (w *welcome) FullHelp() [][]key.Binding {
	k := w.c.keys
	return [][]key.Binding{w.ShortHelp(), {k.PageUp, k.PageDown, k.Quit}}
}

// bullets renders items as a list, wrapped lines indented under the text.
func bullets(st lipgloss.Style, w int, items []string) string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, hang(st, w, "• ", it))
	}
	return strings.Join(out, "\n")
}
