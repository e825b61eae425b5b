package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
	"github.com/drsetup/drsetup/ui/theme"
)

// events picks the event types: the eight the app supports come first and
// start selected; the other order events Digital River documents can be
// added. Space toggles, a selects all or none, r returns to the eight.
type events struct {
	c         *common
	list      []string // every event offered, in display order
	selected  map[string]bool
	cursor    int
	problems  []steps.Problem
	submitted bool
}

func newEvents(c *common) *events { return &events{c: c} }

func (e *events) enter() tea.Cmd {
	e.list = append(slices.Clone(drapi.AppEvents), drapi.OptionalAppEvents...)
	for _, ev := range drapi.OrderEvents {
		if !slices.Contains(e.list, ev) {
			e.list = append(e.list, ev)
		}
	}
	e.selected = map[string]bool{}
	for _, ev := range e.c.setup.Events {
		if !slices.Contains(e.list, ev) {
			// Kept from a flag or an older profile, so it can be seen and dropped.
			e.list = append(e.list, ev)
		}
		e.selected[ev] = true
	}
	e.cursor = min(e.cursor, len(e.list)-1)
	e.check()
	return nil
}

func (e *events) check() { e.problems = steps.Check(*e.c.setup, steps.Events) }

// store writes the selection to the answers, in display order. It builds a
// new slice: the old one may be shared with the values the wizard began with.
func (e *events) store() {
	var out []string
	for _, ev := range e.list {
		if e.selected[ev] {
			out = append(out, ev)
		}
	}
	e.c.setup.Events = out
	e.check()
}

func (e *events) takesText() bool { return false }

func (e *events) update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch k.String() {
	case "space", "x":
		ev := e.list[e.cursor]
		e.selected[ev] = !e.selected[ev]
		e.store()
	case "a":
		all := len(e.c.setup.Events) < len(e.list)
		for _, ev := range e.list {
			e.selected[ev] = all
		}
		e.store()
	case "r":
		clear(e.selected)
		for _, ev := range drapi.AppEvents {
			e.selected[ev] = true
		}
		e.store()
	case "enter":
		e.submitted = true
		e.check()
		if steps.Blocking(e.problems) {
			return nil
		}
		return goNext
	case "shift+tab":
		return goBack
	default:
		e.cursor = moveCursor(k, e.cursor, len(e.list))
	}
	return nil
}

func (e *events) view() body {
	c := e.c
	st := c.styles
	w := c.contentWidth()
	b := newBuilder()
	if s := keyStatus(c); s != "" {
		b.add(s)
		b.gap()
	}
	b.add(wrap(st.Text, w, "Which events does Digital River send to Salesforce? The app acts on the first eight."))
	// The count and problems go above the list, which is often taller than
	// the screen: a warning below it would scroll out of sight.
	b.add(st.Subtle.Render(fmt.Sprintf("%d of %d selected.", len(c.setup.Events), len(e.list))))
	ps := e.problems
	if !e.submitted {
		ps = slices.DeleteFunc(slices.Clone(ps), func(p steps.Problem) bool { return p.Blocking })
	}
	if len(ps) > 0 {
		b.add(problemBlock(c, w, ps, false))
	}
	b.gap()
	b.add(st.Label.Render("Supported by the app"))
	for i, ev := range e.list {
		switch i {
		case len(drapi.AppEvents):
			b.gap()
			b.add(st.Label.Render("Also handled by the app, off by default"))
			b.add(hang(st.Subtle, w, "  ", steps.OptionalEventNote))
		case len(drapi.AppEvents) + len(drapi.OptionalAppEvents):
			b.gap()
			b.add(st.Label.Render("Other order events") + st.Subtle.Render(" (the app stores them but acts on few)"))
		}
		box := "[ ]"
		if e.selected[ev] {
			box = "[x]"
		}
		line := "  " + box + " " + ev
		if i == e.cursor {
			b.markRow()
			line = st.Focused.Render("> " + box + " " + ev)
		} else if e.selected[ev] {
			line = st.Value.Render(line)
		} else {
			line = st.Subtle.Render(line)
		}
		b.add(line)
	}
	b.gap()
	b.add(hang(st.Subtle, w, "", field.Events.Help()))
	return b.body()
}

// keyStatus says what the key check found, for the screens after it.
func keyStatus(c *common) string {
	kc := c.session.KeyChecked()
	if kc == nil {
		return ""
	}
	st := c.styles
	w := c.contentWidth()
	var plan string
	switch {
	case kc.Plan.Target != nil:
		id := text.Clean(kc.Plan.Target.ID)
		plan = fmt.Sprintf("This org already has webhook %s; it will be updated, not duplicated.", id)
		if kc.Plan.Action == drapi.ActionUnchanged {
			plan = fmt.Sprintf("This org already has webhook %s, set up as entered.", id)
		}
	default:
		plan = "This org has no webhook yet; one will be created."
	}
	return hang(st.Pass, w, theme.MarkPass+" ", fmt.Sprintf("The Digital River key works (%s mode). %s", strings.ToLower(string(kc.Mode)), plan))
}

func (e *events) ShortHelp() []key.Binding {
	k := e.c.keys
	return []key.Binding{k.Next, k.Toggle, k.All, k.Recommended, k.Up, k.BackTab, k.Back, k.Quit, k.Help}
}

func (e *events) FullHelp() [][]key.Binding {
	k := e.c.keys
	return [][]key.Binding{e.ShortHelp(), {k.PageUp, k.PageDown}}
}
