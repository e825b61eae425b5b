package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/ui/theme"
)

// maxInput bounds a typed or pasted value, in characters. The longest real
// value (a client secret, a security token) is far shorter; the bound only
// keeps a paste of a whole document out.
const maxInput = 4096

// textField is one text input: a URL, an ID or, masked, a secret. It is its own
// line editor rather than bubbles' textinput, whose every keystroke costs
// time in proportion to the value (it is kept as runes, turned into a new
// string and measured whole), and which searches PATH for clipboard tools
// when the program starts, for drsetup version too.
//
// A keystroke costs the same in a 4,000-character value as in a short one:
// the value is kept as UTF-8 with its grapheme clusters (cells) beside it, so
// an edit re-measures only the clusters it touches, and the cursor's column,
// the total width and the first column in view are kept up to date rather
// than measured again. Drawing walks only the columns in view.
type textField struct {
	id          field.Field
	secret      bool
	placeholder string
	focused     bool

	buf   []byte // the value
	cells []cell // its grapheme clusters, in order
	runes int    // characters in buf, for maxInput
	width int    // columns of the whole value

	// The cursor: before cells[ci], at byte pos and column col.
	ci, pos, col int

	// The view: its first cell, byte and column. scroll is sticky: moving
	// the cursor back inside the view does not move it.
	si, spos, scroll int

	str   string // buf as a string, made once per change
	strOK bool
	rev   int // counts changes of the value
}

// cell is one grapheme cluster: its length in bytes and the columns it takes.
// A cluster is at most a few runes in practice and within maxInput runes in
// any case, so both fit.
type cell struct {
	n uint16
	w uint8
}

// examplePrefix marks a placeholder as an example.
const examplePrefix = "e.g. "

func newField(id field.Field, secret bool, placeholder string) *textField {
	return &textField{id: id, secret: secret, placeholder: placeholder}
}

func (f *textField) value() string {
	if !f.strOK {
		f.str, f.strOK = string(f.buf), true
	}
	return f.str
}

// setValue replaces the value and puts the cursor at its end.
func (f *textField) setValue(v string) {
	f.buf, f.cells, f.runes, f.width = f.buf[:0], f.cells[:0], 0, 0
	f.ci, f.pos, f.col = 0, 0, 0
	f.si, f.spos, f.scroll = 0, 0, 0
	f.strOK = false
	f.insert(v)
}

func (f *textField) focus() { f.focused = true }
func (f *textField) blur()  { f.focused = false }

// update passes a key or paste to the field. It reports whether the value
// changed; the command reads the clipboard (ctrl+v).
func (f *textField) update(msg tea.Msg) (bool, tea.Cmd) {
	if !f.focused {
		return false, nil
	}
	rev := f.rev
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.PasteMsg:
		// A copied line often brings its line break along; no value here
		// has one, and it would become a space.
		f.insert(strings.TrimRight(msg.Content, "\r\n"))
	case tea.KeyPressMsg:
		cmd = f.key(msg)
	}
	return f.rev != rev, cmd
}

// key applies one key press, with textinput's bindings, so the keys work as
// they did.
func (f *textField) key(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "right", "ctrl+f":
		f.right()
	case "left", "ctrl+b":
		f.left()
	case "alt+right", "ctrl+right", "alt+f":
		f.wordRight()
	case "alt+left", "ctrl+left", "alt+b":
		f.wordLeft()
	case "alt+backspace", "ctrl+w", "ctrl+backspace":
		end := f.pos
		f.wordLeft()
		f.remove(f.pos, end)
	case "alt+delete", "alt+d", "ctrl+delete":
		start, ci, col := f.pos, f.ci, f.col
		f.wordRight()
		end := f.pos
		f.ci, f.pos, f.col = ci, start, col
		f.remove(start, end)
	case "ctrl+k":
		f.remove(f.pos, len(f.buf))
	case "ctrl+u":
		f.remove(0, f.pos)
	case "backspace", "ctrl+h":
		if f.ci > 0 {
			f.remove(f.pos-int(f.cells[f.ci-1].n), f.pos)
		}
	case "delete", "ctrl+d":
		if f.ci < len(f.cells) {
			f.remove(f.pos, f.pos+int(f.cells[f.ci].n))
		}
	case "home", "ctrl+a":
		f.ci, f.pos, f.col = 0, 0, 0
	case "end", "ctrl+e":
		f.ci, f.pos, f.col = len(f.cells), len(f.buf), f.width
	case "ctrl+v":
		return readClipboard
	default:
		f.insert(k.Text)
	}
	return nil
}

func (f *textField) left() {
	if f.ci > 0 {
		f.ci--
		f.pos -= int(f.cells[f.ci].n)
		f.col -= int(f.cells[f.ci].w)
	}
}

func (f *textField) right() {
	if f.ci < len(f.cells) {
		f.pos += int(f.cells[f.ci].n)
		f.col += int(f.cells[f.ci].w)
		f.ci++
	}
}

// spaceAt reports whether the cluster at byte pos is white space.
func (f *textField) spaceAt(pos int) bool {
	r, _ := utf8.DecodeRune(f.buf[pos:])
	return unicode.IsSpace(r)
}

// wordLeft moves to the start of the word before the cursor; in a secret to
// the start, so the mask does not tell where its spaces are.
func (f *textField) wordLeft() {
	if f.secret {
		f.ci, f.pos, f.col = 0, 0, 0
		return
	}
	for f.ci > 0 && f.spaceAt(f.pos-int(f.cells[f.ci-1].n)) {
		f.left()
	}
	for f.ci > 0 && !f.spaceAt(f.pos-int(f.cells[f.ci-1].n)) {
		f.left()
	}
}

// wordRight moves past the end of the word after the cursor; in a secret to
// the end.
func (f *textField) wordRight() {
	if f.secret {
		f.ci, f.pos, f.col = len(f.cells), len(f.buf), f.width
		return
	}
	for f.ci < len(f.cells) && f.spaceAt(f.pos) {
		f.right()
	}
	for f.ci < len(f.cells) && !f.spaceAt(f.pos) {
		f.right()
	}
}

// sanitize drops what a one-line value cannot hold, as textinput did: tabs
// and line breaks become spaces, other control characters and invalid UTF-8
// go. It returns s itself when nothing needs to change (every typed key).
func sanitize(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r == utf8.RuneError || unicode.IsControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// insert puts s at the cursor, cut to what maxInput leaves room for, and
// moves the cursor after it.
func (f *textField) insert(s string) {
	s = sanitize(s)
	room := maxInput - f.runes
	if s == "" || room <= 0 {
		return
	}
	if utf8.RuneCountInString(s) > room {
		i := 0
		for range room {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		s = s[:i]
	}
	f.edit(f.pos, f.pos, s)
}

// remove deletes the bytes [a, b), which start or end at the cursor and lie
// on cluster boundaries, and leaves the cursor at a.
func (f *textField) remove(a, b int) {
	if a < b {
		f.edit(a, b, "")
	}
}

// edit replaces bytes [a, b) of the value with s and puts the cursor after
// s. [a, b) lies on cluster boundaries and has the cursor at one end. Only
// the clusters around the change are segmented again: the one before it
// (s may join it, as a combining mark does), the new text and the one after
// it, and more after only while the boundary there moved.
func (f *textField) edit(a, b int, s string) {
	// The cells of [a, b) and the column where a starts.
	ca, cb, colA := f.ci, f.ci, f.col
	switch {
	case f.pos == a:
		for p := a; p < b; cb++ {
			p += int(f.cells[cb].n)
		}
	default: // f.pos == b
		for p := b; p > a; {
			ca--
			p -= int(f.cells[ca].n)
			colA -= int(f.cells[ca].w)
		}
	}
	// The window: one cell either side.
	ws, wpos, wcol := ca, a, colA
	if ws > 0 {
		ws--
		wpos -= int(f.cells[ws].n)
		wcol -= int(f.cells[ws].w)
	}
	we, wend := cb, b
	if we < len(f.cells) {
		wend += int(f.cells[we].n)
		we++
	}
	oldW := 0
	for _, c := range f.cells[ws:we] {
		oldW += int(c.w)
	}
	f.runes += utf8.RuneCountInString(s) - utf8.RuneCount(f.buf[a:b])

	// The bytes: buf[:a] + s + buf[b:], in place, so typing at the end
	// moves nothing.
	oldLen := len(f.buf)
	grow := len(s) - (b - a)
	if grow > 0 {
		f.buf = append(f.buf, make([]byte, grow)...)
		copy(f.buf[b+grow:], f.buf[b:oldLen])
	} else {
		copy(f.buf[b+grow:], f.buf[b:])
		f.buf = f.buf[:oldLen+grow]
	}
	copy(f.buf[a:], s)
	wend += grow
	f.strOK = false
	f.rev++

	// Segment the window again, widening it while its end is no longer a
	// boundary (a zero-width joiner or a regional indicator can pull the
	// next cluster in).
	seg := segment(f.buf[wpos:wend], nil)
	for len(seg) > 0 && we < len(f.cells) {
		last := wend - int(seg[len(seg)-1].n)
		next := f.cells[we]
		if joined := segment(f.buf[last:wend+int(next.n)], nil); int(joined[0].n) == wend-last {
			break
		}
		wend += int(next.n)
		oldW += int(next.w)
		we++
		seg = segment(f.buf[wpos:wend], seg[:0])
	}
	newW := 0
	for _, c := range seg {
		newW += int(c.w)
	}
	f.width += newW - oldW
	// Splice seg in for cells [ws, we), in place.
	oldCells := len(f.cells)
	if d := len(seg) - (we - ws); d > 0 {
		f.cells = append(f.cells, make([]cell, d)...)
		copy(f.cells[we+d:], f.cells[we:oldCells])
	} else {
		copy(f.cells[we+d:], f.cells[we:])
		f.cells = f.cells[:oldCells+d]
	}
	copy(f.cells[ws:], seg)

	// The cursor goes after s: after the cluster s ends in, should s have
	// joined one.
	f.ci, f.pos, f.col = ws, wpos, wcol
	for target := a + len(s); f.ci < ws+len(seg) && f.pos < target; {
		f.right()
	}
	// A view that started inside the window starts at the window now;
	// keepCursorInView moves it on from there.
	if f.si >= ws {
		f.si, f.spos, f.scroll = ws, wpos, wcol
	}
}

// segment splits b into grapheme clusters, appended to out. Printable ASCII
// not followed by a combining mark is its own one-column cluster, without
// the segmenter.
func segment(b []byte, out []cell) []cell {
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf && (len(b) == 1 || b[1] < utf8.RuneSelf) {
			w := uint8(1)
			if b[0] < 0x20 || b[0] == 0x7f {
				w = 0
			}
			out = append(out, cell{n: 1, w: w})
			b = b[1:]
			continue
		}
		cluster, w := ansi.FirstGraphemeCluster(b, ansi.GraphemeWidth)
		if len(cluster) == 0 {
			cluster = b[:1]
		}
		out = append(out, cell{n: uint16(len(cluster)), w: uint8(min(max(w, 0), 255))})
		b = b[len(cluster):]
	}
	return out
}

// keepCursorInView scrolls so the cursor stays within w columns.
func (f *textField) keepCursorInView(w int) {
	f.si, f.spos, f.scroll = f.viewAt(viewStart(f.scroll, f.col, f.width, w))
}

// viewAt finds the cell where a view starting at column target begins: the
// last cluster starting at or before it, walking from the current view's
// start, so scrolling costs what it moves.
func (f *textField) viewAt(target int) (si, spos, scroll int) {
	si, spos, scroll = f.si, f.spos, f.scroll
	for si > 0 && scroll > target {
		si--
		spos -= int(f.cells[si].n)
		scroll -= int(f.cells[si].w)
	}
	for si < len(f.cells) && scroll+int(f.cells[si].w) <= target {
		spos += int(f.cells[si].n)
		scroll += int(f.cells[si].w)
		si++
	}
	return si, spos, scroll
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
	si, spos, start := f.viewAt(viewStart(f.scroll, f.col, f.width, vw))
	if start > 0 {
		prompt = promptScrolled + " "
	}
	pstyle := st.Subtle
	if focused {
		pstyle = st.Focused
	}
	line := pstyle.Render(prompt)
	switch {
	case len(f.buf) == 0 && f.placeholder != "":
		// "e.g." says it is an example, not a value already filled in: with
		// NO_COLOR or on a terminal without faint text, the placeholder is
		// drawn like any text.
		line += st.Subtle.Render(ansi.Truncate(examplePrefix+f.placeholder, vw, "…"))
	case focused:
		// Truncate keeps the line within its width should the terminal's
		// idea of a cluster's width differ from the segmenter's.
		line += st.Value.Render(ansi.Truncate(f.visible(si, spos, vw), vw, ""))
	default:
		s := f.visible(0, 0, vw)
		if f.width > vw {
			s = ansi.Truncate(f.visible(0, 0, vw-1), vw-1, "") + "…"
		}
		line += st.Value.Render(s)
	}
	return line, min(ansi.StringWidth(prompt)+f.col-start, w)
}

// visible is the value as drawn from cell si (at byte spos) on, at most w
// columns of it: stars for a secret, a star per column.
func (f *textField) visible(si, spos, w int) string {
	var b strings.Builder
	used := 0
	// Zero-width clusters take no column; the bound on them keeps a value
	// made of nothing else from being walked whole.
	for i, p := si, spos; i < len(f.cells) && i-si < 4*w+16; i++ {
		c := f.cells[i]
		if used+int(c.w) > w {
			break
		}
		used += int(c.w)
		if f.secret {
			for range c.w {
				b.WriteByte('*')
			}
		} else {
			b.Write(f.buf[p : p+int(c.n)])
		}
		p += int(c.n)
	}
	return b.String()
}
