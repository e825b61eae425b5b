package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/ui/theme"
)

// options are steps' choices as the list shows them.
func options(cs []steps.Choice) []option {
	out := make([]option, len(cs))
	for i, c := range cs {
		out[i] = option{value: c.Value, label: c.Label, detail: c.Detail}
	}
	return out
}

// option is one answer of a choice list.
type option struct {
	value  string
	label  string
	detail string
}

// choice is a list of options of which one is chosen: the highlighted one.
type choice struct {
	options []option
	cursor  int
}

// move handles the list's keys; it reports whether the highlight moved.
func (ch *choice) move(k tea.KeyPressMsg) bool {
	prev := ch.cursor
	ch.cursor = moveCursor(k, ch.cursor, len(ch.options))
	return ch.cursor != prev
}

// moveCursor is where a list's keys take its cursor in a list of n rows:
// the same keys in every list (options, event types).
func moveCursor(k tea.KeyPressMsg, cursor, n int) int {
	switch k.String() {
	case "up", "k":
		return max(cursor-1, 0)
	case "down", "j", "tab":
		return min(cursor+1, n-1)
	case "home", "g":
		return 0
	case "end", "G":
		return n - 1
	}
	return cursor
}

func (ch *choice) selected() string {
	if ch.cursor < 0 || ch.cursor >= len(ch.options) {
		return ""
	}
	return ch.options[ch.cursor].value
}

// selectValue highlights the option with value v, if there is one.
func (ch *choice) selectValue(v string) {
	for i, o := range ch.options {
		if o.value == v {
			ch.cursor = i
			return
		}
	}
}

// render draws the options; the marks carry the meaning without colour.
func (ch *choice) render(st *theme.Styles, w int) string {
	var out []string
	for i, o := range ch.options {
		if i == ch.cursor {
			out = append(out, hang(st.Focused, w, "(•) ", o.label))
		} else {
			out = append(out, hang(st.Text, w, "( ) ", o.label))
		}
		if o.detail != "" {
			out = append(out, hang(st.Subtle, w, "    ", o.detail))
		}
	}
	return strings.Join(out, "\n")
}
