package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/ui/theme"
)

// common is what every screen shares: the terminal size, the styles, the key
// map, the answers and what the services found so far. The root model owns
// it; screens hold a pointer.
type common struct {
	width, height int
	styles        *theme.Styles
	color         bool
	keys          keyMap

	setup     *steps.Setup
	initial   steps.Setup // the values as last chosen on the welcome screen, to tell whether anything was typed
	prefilled steps.Setup // the values the wizard was started with
	svc       *steps.Services
	demo      *DemoInfo
	existing  *profile.Profile
	notes     []string // the command's notes, for the welcome screen
	redactor  *secret.Redactor

	// session holds the answers (setup points into it) and what the
	// services found for them, for the screens after the one that asked.
	session *steps.Session
	plan    *drapi.Plan
	result  *steps.Result
	// naming: the admin chose a new setup beside a saved profile; the
	// review asks its profile name first.
	naming bool

	ctx     context.Context // ends when the wizard ends; every request derives from it
	req     *request        // the request in flight, if any
	lastID  int
	spinner spinner.Model
}

// contentWidth is the width screens draw in: the terminal's, less the
// outer padding; 80 columns until the terminal has said.
func (c *common) contentWidth() int {
	w := c.width
	if w <= 0 {
		w = 80
	}
	return max(w-c.styles.App.GetHorizontalFrameSize(), 20)
}

// value and setValue tie a text field to its answer in the setup.
func (c *common) value(f field.Field) string       { return c.setup.Value(f) }
func (c *common) setValue(f field.Field, v string) { c.setup.SetValue(f, v) }

// redact registers every secret typed so far with the debug log's redactor.
// It runs when a screen is left and before each request, not per keystroke:
// every prefix of a password would otherwise be redacted too.
func (c *common) redact() { c.setup.Redact(c.redactor) }

// typed reports whether the admin changed anything the wizard started with:
// quitting then asks first.
func (c *common) typed() bool {
	a, b := *c.setup, c.initial
	if a.Token != b.Token {
		return true
	}
	for _, f := range field.All() {
		if a.Value(f) != b.Value(f) {
			return true
		}
	}
	return false
}

// keyMap holds every key the wizard knows. Screens pick the ones that work
// on them for the help line.
type keyMap struct {
	Next, Back, BackTab, Quit, Help  key.Binding
	Up, NextField, Accept            key.Binding
	Toggle, All, Recommended         key.Binding
	Edit, Retry, PageUp, PageDown    key.Binding
	ClientCredentials                key.Binding
	Confirm, Deny, QuitWelcome, Done key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Next:              key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		Back:              key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		BackTab:           key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "back")),
		Quit:              key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:              key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Up:                key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "choose")),
		NextField:         key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		Accept:            key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "use the suggestion")),
		Toggle:            key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "toggle")),
		All:               key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "all")),
		Recommended:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "the app's eight")),
		Edit:              key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Retry:             key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
		ClientCredentials: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "use client credentials")),
		PageUp:            key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll up")),
		PageDown:          key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll down")),
		Confirm:           key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "quit")),
		Deny:              key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "stay")),
		QuitWelcome:       key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Done:              key.NewBinding(key.WithKeys("enter", "q", "esc"), key.WithHelp("enter", "exit")),
	}
}

// with returns b showing desc in the help line: "enter log in" rather than
// "enter next".
func with(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// navigation between screens, asked for by a screen and done by the root.
type (
	nextMsg struct{}
	backMsg struct{}
	// gotoMsg opens a step's screen with field focused ("" keeps the focus).
	gotoMsg struct {
		to    steps.ID
		field field.Field
	}
	quitMsg struct{}
)

func goNext() tea.Msg { return nextMsg{} }
func goBack() tea.Msg { return backMsg{} }

func goTo(f field.Field) tea.Cmd {
	return func() tea.Msg { return gotoMsg{to: steps.StepOf(f), field: f} }
}

// body is what a screen draws: its content and, when a text field has the
// focus, where the terminal cursor goes. Lines focus to focusEnd are what
// the admin works on: when the content is taller than the screen, the root
// shows them, from focus on if they do not all fit (focus -1: none).
type body struct {
	content         string
	cursor          *tea.Cursor
	focus, focusEnd int
}

// builder collects a body line by line, keeping track of the cursor and
// the focus.
type builder struct {
	b               strings.Builder
	lines           int
	cursor          *tea.Cursor
	focus, focusEnd int
	toEnd           bool
}

func newBuilder() *builder { return &builder{focus: -1, focusEnd: -1} }

// add appends a block (one or more lines).
func (b *builder) add(block string) {
	if b.b.Len() > 0 {
		b.b.WriteByte('\n')
	}
	b.b.WriteString(block)
	b.lines += strings.Count(block, "\n") + 1
}

// gap appends an empty line, never two in a row and never first.
func (b *builder) gap() {
	s := b.b.String()
	if s == "" || strings.HasSuffix(s, "\n") {
		return
	}
	b.add("")
}

// addCursorLine appends one line holding the text cursor at column x.
func (b *builder) addCursorLine(line string, x int, focused bool) {
	b.add(line)
	if focused {
		b.cursor = tea.NewCursor(x, b.lines-1)
		b.markLine(b.lines - 1)
	}
}

// markLine makes line i the focus.
func (b *builder) markLine(i int) { b.focus, b.focusEnd, b.toEnd = i, i, false }

// markRow makes the line about to be added the focus (a list's cursor).
func (b *builder) markRow() { b.markLine(b.lines) }

// markFocus makes everything from the line about to be added to the end the
// focus: a result, a choice with what follows from it.
func (b *builder) markFocus() { b.focus, b.toEnd = b.lines, true }

func (b *builder) body() body {
	end := b.focusEnd
	if b.toEnd {
		end = b.lines - 1
	}
	return body{content: strings.TrimRight(b.b.String(), "\n"), cursor: b.cursor, focus: b.focus, focusEnd: max(end, b.focus)}
}

// The layout helpers below wrap text themselves and style line by line:
// lipgloss's Width pads every line of a block and measures each grapheme
// again, which made a keystroke on the busiest screens cost half a
// millisecond.

// wrapLines breaks s into lines of at most w columns, styles preserved. It
// breaks at spaces, and inside a word only when the word is longer than a
// line; never at a hyphen: "https://acme--uat.sandbox…" must not split at its
// "--", where a reader would take the break for part of the host. A URL
// longer than a line starts a line and breaks only after a "/"
// (breakLongURLs).
func wrapLines(s string, w int) []string {
	if !strings.Contains(s, "\n") && ansi.StringWidth(s) <= w {
		return []string{s}
	}
	s = strings.ReplaceAll(s, "-", nonBreakingHyphen)
	s = breakLongURLs(s, w)
	s = lipgloss.Wrap(s, max(w, 1), "")
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, nonBreakingHyphen, "-"), "\n") {
		out = append(out, fitWide(l, w)...)
	}
	return out
}

// fitWide splits a line the wrapper left wider than w, which it does when a
// character is wider than the room (a CJK character at one column): each
// such character gets a line of its own, and what follows it goes on.
func fitWide(l string, w int) []string {
	if ansi.StringWidth(l) <= w || strings.Contains(l, "\x1b") {
		// A styled line is left to the wrapper: cutting it here could
		// split an escape sequence.
		return []string{l}
	}
	var out []string
	var cur []byte
	cw := 0
	for b := []byte(l); len(b) > 0; {
		c, gw := ansi.FirstGraphemeCluster(b, ansi.GraphemeWidth)
		if len(c) == 0 {
			c, gw = b[:1], 1
		}
		if cw > 0 && cw+gw > w {
			out = append(out, strings.TrimRight(string(cur), " "))
			cur, cw = nil, 0
		}
		cur = append(cur, c...)
		cw += gw
		b = b[len(c):]
	}
	return append(out, string(cur))
}

// nonBreakingHyphen stands in for "-" while wrapping: ansi.Wrap always
// breaks after "-".
const nonBreakingHyphen = "\u2011"

// wrap renders s in st, wrapped to width w.
func wrap(st lipgloss.Style, w int, s string) string {
	lines := wrapLines(s, w)
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return strings.Join(lines, "\n")
}

// rows lays out label/value pairs in two columns; a value too long for its
// column wraps under itself.
func rows(st *theme.Styles, w int, pairs [][2]string) string {
	lw := 0
	for _, p := range pairs {
		lw = max(lw, ansi.StringWidth(p[0]))
	}
	lw = min(lw+2, w/3)
	vw := max(w-lw, 10)
	pad := strings.Repeat(" ", lw)
	var out []string
	for _, p := range pairs {
		label := p[0]
		if ansi.StringWidth(label) > lw-1 {
			label = ansi.Truncate(label, lw-1, "…")
		}
		for i, l := range wrapLines(p[1], vw) {
			if i == 0 {
				out = append(out, st.Label.Render(label)+strings.Repeat(" ", lw-ansi.StringWidth(label))+st.Value.Render(l))
			} else {
				out = append(out, pad+st.Value.Render(l))
			}
		}
	}
	return strings.Join(out, "\n")
}

// problemBlock renders problems with their marks and, for the first with a
// suggestion, the key that accepts it.
func problemBlock(c *common, w int, ps []steps.Problem, acceptKey bool) string {
	st := c.styles
	var out []string
	offered := false
	for _, p := range ps {
		mark, style := theme.MarkWarn, st.Warn
		if p.Blocking {
			mark, style = theme.MarkFail, st.Error
		}
		out = append(out, hang(style, w, mark+" ", p.String()))
		if acceptKey && p.Suggestion != "" && !offered {
			offered = true
			out = append(out, hang(st.Text, w, "  ", st.Key.Render("tab")+" "+offerText(p, st)))
		}
	}
	return strings.Join(out, "\n")
}

// offerText says what Tab does with a suggestion.
func offerText(p steps.Problem, st *theme.Styles) string {
	v := st.Code.Render(p.Suggestion)
	switch p.Target() {
	case field.Environment:
		return "chooses " + v
	case field.Auth:
		return "switches to " + v
	case field.TokenEndpoint:
		return "uses the token endpoint " + v
	}
	return "uses " + v
}

// hang renders text after a prefix, wrapped lines indented under the text.
func hang(st lipgloss.Style, w int, prefix, text string) string {
	pw := ansi.StringWidth(prefix)
	pad := strings.Repeat(" ", pw)
	lines := wrapLines(text, max(w-pw, 10))
	for i, l := range lines {
		if i == 0 {
			lines[i] = st.Render(prefix + l)
		} else {
			lines[i] = pad + st.Render(l)
		}
	}
	return strings.Join(lines, "\n")
}

// suggestion returns the first problem with a suggestion.
func suggestion(ps []steps.Problem) (steps.Problem, bool) {
	for _, p := range ps {
		if p.Suggestion != "" {
			return p, true
		}
	}
	return steps.Problem{}, false
}

// helpLine renders bindings as "key desc · key desc", wrapped to w rather
// than cut: at 60 columns every key that works must still show.
func helpLine(st *theme.Styles, w int, bindings []key.Binding) string {
	var lines []string
	var line string
	sep := st.Help.Render(" · ")
	for _, b := range bindings {
		if !b.Enabled() || b.Help().Key == "" {
			continue
		}
		item := st.Key.Render(b.Help().Key) + " " + st.Help.Render(b.Help().Desc)
		switch {
		case line == "":
			line = item
		case lipgloss.Width(line)+lipgloss.Width(sep)+lipgloss.Width(item) > w:
			lines = append(lines, line)
			line = item
		default:
			line += sep + item
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}
