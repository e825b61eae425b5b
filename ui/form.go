package ui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/steps"
)

// form is a screen of text fields (My Domain, Connected App, integration
// user, Digital River key): the values are checked as they are typed, with
// steps.Check, and Enter on the last field moves on unless a problem blocks.
type form struct {
	c         *common
	id        steps.ID
	intro     func() string // what the screen is for; nil for nothing
	fields    []*textField
	focused   int
	problems  []steps.Problem // steps.Check of the values as they are, kept between keystrokes
	submitted bool            // Enter was pressed on the last field: show every problem, empty values too

	// blocks are the problem blocks drawn last, per field ("" for the
	// others), kept because a screen is drawn on every frame (a cursor
	// move, a spinner tick) while its problems change only with a value.
	blocks map[field.Field]*drawnBlock

	// extra draws what a screen shows under its fields; nil for nothing.
	extra func(w int) string
	// onSubmit runs when the values pass; nil moves to the next screen.
	onSubmit func() tea.Cmd
}

func newForm(c *common, id steps.ID, intro func() string, fields ...*textField) *form {
	return &form{c: c, id: id, intro: intro, fields: fields}
}

// enter shows the answers as they are now (a suggestion accepted elsewhere
// may have changed them) and focuses the field that had the focus.
func (f *form) enter() tea.Cmd {
	for _, fl := range f.fields {
		if v := f.c.value(fl.id); v != fl.value() {
			fl.setValue(v)
		}
	}
	f.check()
	f.setFocus(f.focused)
	return nil
}

func (f *form) check() { f.problems = steps.Check(*f.c.setup, f.id) }

func (f *form) setFocus(i int) {
	i = min(max(i, 0), len(f.fields)-1)
	for j, fl := range f.fields {
		if j == i {
			fl.focus()
		} else {
			fl.blur()
		}
	}
	f.focused = i
}

func (f *form) focusFirst() { f.setFocus(0) }

// focusField puts the focus on field id, when the form has it.
func (f *form) focusField(id field.Field) {
	for i, fl := range f.fields {
		if fl.id == id {
			f.setFocus(i)
			return
		}
	}
}

func (f *form) takesText() bool { return true }

func (f *form) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		return f.edit(msg)
	case tea.KeyPressMsg:
		switch msg.String() {
		case "enter":
			if f.focused < len(f.fields)-1 {
				f.setFocus(f.focused + 1)
				return nil
			}
			return f.submit()
		case "tab":
			if p, ok := f.offered(); ok {
				f.accept(p)
				return nil
			}
			f.setFocus(f.focused + 1)
		case "down":
			f.setFocus(f.focused + 1)
		case "up":
			f.setFocus(f.focused - 1)
		case "shift+tab":
			if f.focused == 0 {
				return goBack
			}
			f.setFocus(f.focused - 1)
		default:
			return f.edit(msg)
		}
	}
	return nil
}

func (f *form) edit(msg tea.Msg) tea.Cmd {
	fl := f.fields[f.focused]
	changed, cmd := fl.update(msg)
	fl.keepCursorInView(f.inputWidth())
	if changed {
		f.c.setValue(fl.id, fl.value())
		f.check()
	}
	return cmd
}

func (f *form) inputWidth() int { return f.c.contentWidth() - len(promptIn) }

// offered is the suggestion Tab accepts, when one is on screen.
func (f *form) offered() (steps.Problem, bool) {
	return suggestion(f.visible(f.problems))
}

// accept puts a suggestion into the answers and the fields.
func (f *form) accept(p steps.Problem) {
	if !p.Apply(f.c.setup) {
		return
	}
	for _, fl := range f.fields {
		if v := f.c.value(fl.id); v != fl.value() {
			fl.setValue(v)
		}
	}
	f.check()
}

func (f *form) submit() tea.Cmd {
	f.c.redact()
	f.check()
	f.submitted = true
	for _, p := range f.problems {
		if p.Blocking {
			f.focusField(p.Field)
			return nil
		}
	}
	if f.onSubmit != nil {
		return f.onSubmit()
	}
	return goNext
}

// visible are the problems worth showing now: before the first Enter, those
// of values already typed (an empty field is not yet an error).
func (f *form) visible(ps []steps.Problem) []steps.Problem {
	if f.submitted {
		return ps
	}
	var out []steps.Problem
	for _, p := range ps {
		if f.c.value(p.Field) != "" {
			out = append(out, p)
		}
	}
	return out
}

func (f *form) problemsOf(id field.Field) []steps.Problem {
	var out []steps.Problem
	for _, p := range f.visible(f.problems) {
		if p.Field == id {
			out = append(out, p)
		}
	}
	return out
}

func (f *form) view() body {
	c := f.c
	st := c.styles
	w := c.contentWidth()
	b := newBuilder()
	if f.intro != nil {
		b.add(wrap(st.Text, w, f.intro()))
		b.gap()
	}
	for i, fl := range f.fields {
		focused := i == f.focused
		label := fl.id.Label()
		if focused {
			b.add(st.Focused.Render(label))
		} else {
			b.add(st.Label.Render(label))
		}
		line, x := fl.render(st, w, focused)
		b.addCursorLine(line, x, focused)
		if focused {
			b.add(hang(st.Subtle, w, "  ", c.setup.Help(fl.id)))
		}
		if ps := f.problemsOf(fl.id); len(ps) > 0 {
			b.add(f.problemBlock(fl.id, w, ps))
		}
		b.gap()
	}
	var others []steps.Problem
	for _, p := range f.visible(f.problems) {
		if !f.has(p.Field) {
			others = append(others, p)
		}
	}
	if len(others) > 0 {
		b.add(f.problemBlock("", w, others))
		b.gap()
	}
	if f.extra != nil {
		if s := f.extra(w); s != "" {
			b.add(s)
		}
	}
	return b.body()
}

// drawnBlock is a problem block as drawn for a width and problems.
type drawnBlock struct {
	w   int
	ps  []steps.Problem
	out string
}

// problemBlock draws ps for field id, or takes the drawing from last time
// when the width and the problems are the same.
func (f *form) problemBlock(id field.Field, w int, ps []steps.Problem) string {
	if f.blocks == nil {
		f.blocks = map[field.Field]*drawnBlock{}
	}
	d := f.blocks[id]
	if d == nil {
		d = &drawnBlock{}
		f.blocks[id] = d
	}
	if d.out == "" || d.w != w || !slices.Equal(d.ps, ps) {
		d.w, d.ps, d.out = w, slices.Clone(ps), problemBlock(f.c, w, ps, true)
	}
	return d.out
}

func (f *form) has(id field.Field) bool {
	for _, fl := range f.fields {
		if fl.id == id {
			return true
		}
	}
	return false
}

func (f *form) ShortHelp() []key.Binding {
	k := f.c.keys
	bs := []key.Binding{k.Next}
	if _, ok := f.offered(); ok {
		bs = append(bs, k.Accept)
	} else if len(f.fields) > 1 {
		bs = append(bs, k.NextField)
	}
	return append(bs, k.BackTab, k.Back, k.Quit)
}

func (f *form) FullHelp() [][]key.Binding {
	return [][]key.Binding{f.ShortHelp()}
}
