package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/ui/theme"
)

// maxInput bounds a typed or pasted value. The longest real value (a client
// secret, a security token) is far shorter; the bound only keeps a paste of
// a whole document from making every keystroke slow.
const maxInput = 4096

// textField is one text input: a URL, an ID or, masked, a secret. Editing is
// textinput's (keys, paste, sanitising); drawing is ours, so the real
// terminal cursor lands exactly where the value scrolls to.
type textField struct {
	id          field.Field
	input       textinput.Model
	secret      bool
	placeholder string
	scroll      int // first column of the value in view
}

func newField(id field.Field, secret bool, placeholder string) *textField {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = maxInput
	ti.SetVirtualCursor(false)
	if secret {
		ti.EchoMode = textinput.EchoPassword
		ti.EchoCharacter = '*'
	}
	return &textField{id: id, input: ti, secret: secret, placeholder: placeholder}
}

func (f *textField) value() string { return f.input.Value() }

// setValue replaces the value and puts the cursor at its end.
func (f *textField) setValue(v string) {
	f.input.SetValue(v)
	f.input.CursorEnd()
	f.scroll = 0
}

func (f *textField) focus() { f.input.Focus() }
func (f *textField) blur()  { f.input.Blur() }

// update passes a key or paste to the input. It reports whether the value
// changed; the command is textinput's (ctrl+v reads the clipboard).
func (f *textField) update(msg tea.Msg) (bool, tea.Cmd) {
	if p, ok := msg.(tea.PasteMsg); ok {
		// A copied line often brings its line break along; no value here
		// has one, and textinput would turn it into a space.
		msg = tea.PasteMsg{Content: strings.TrimRight(p.Content, "\r\n")}
	}
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return f.input.Value() != before, cmd
}

// shown is the value as drawn: masked for a secret.
func (f *textField) shown(s string) string {
	if f.secret {
		return strings.Repeat("*", ansi.StringWidth(s))
	}
	return s
}

// cursorColumn is the cursor's column within the whole value.
func (f *textField) cursorColumn() int {
	r := []rune(f.input.Value())
	pos := min(f.input.Position(), len(r))
	return ansi.StringWidth(f.shown(string(r[:pos])))
}

// keepCursorInView scrolls so the cursor stays within w columns. The scroll
// is sticky: moving the cursor back inside the view does not move it.
func (f *textField) keepCursorInView(w int) {
	f.scroll = viewStart(f.scroll, f.cursorColumn(), ansi.StringWidth(f.shown(f.value())), w)
}

func viewStart(scroll, col, total, w int) int {
	if w < 2 {
		return col
	}
	switch {
	case col < scroll:
		scroll = col
	case col >= scroll+w:
		scroll = col - w + 1
	}
	// After a deletion, show as much of the value as fits.
	if total-scroll < w-1 {
		scroll = max(0, total-w+1)
	}
	return min(scroll, col)
}

const (
	promptIn       = "> "
	promptScrolled = "…"
)

// render draws the input line in w columns and returns the cursor's column.
func (f *textField) render(st *theme.Styles, w int, focused bool) (string, int) {
	prompt := promptIn
	vw := max(w-ansi.StringWidth(prompt), 2)
	col := f.cursorColumn()
	shown := f.shown(f.value())
	start := viewStart(f.scroll, col, ansi.StringWidth(shown), vw)
	if start > 0 {
		prompt = promptScrolled + " "
	}
	pstyle := st.Subtle
	if focused {
		pstyle = st.Focused
	}
	line := pstyle.Render(prompt)
	switch {
	case shown == "" && f.placeholder != "":
		line += st.Subtle.Render(ansi.Truncate(f.placeholder, vw, "…"))
	case focused:
		// Cut counts whole graphemes; the cursor's column was measured on a
		// prefix that may split one, so the two can disagree by a column or
		// two on combining marks. Truncate keeps the line within its width
		// whatever they say.
		line += st.Value.Render(ansi.Truncate(ansi.Cut(shown, start, start+vw), vw, ""))
	default:
		line += st.Value.Render(ansi.Truncate(shown, vw, "…"))
	}
	return line, min(ansi.StringWidth(prompt)+col-start, w)
}
