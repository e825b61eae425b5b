// Package doctorview draws drsetup doctor's report (the path map and the
// checklist, in colour or plain) and its live progress on a terminal. It reads
// doctor's results; it runs no check itself.
package doctorview

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/ui/theme"
	"github.com/drsetup/drsetup/ui/urltext"
)

// DefaultWidth is used when the width is not known.
const DefaultWidth = 80

// minWidth keeps wrapping sane on absurdly narrow terminals.
const minWidth = 40

// Options say how to draw.
type Options struct {
	Styles *theme.Styles // theme.New(isDark, false) for plain text
	Width  int           // columns; DefaultWidth when 0
	// KeepLongWords leaves a word longer than a line (a URL) whole, and the
	// path map at its fullest, for text that is pasted rather than shown on
	// a terminal of that width.
	KeepLongWords bool
}

func (o Options) width() int {
	switch {
	case o.Width <= 0:
		return DefaultWidth
	case o.Width < minWidth:
		return minWidth
	}
	return o.Width
}

func (o Options) styles() *theme.Styles {
	if o.Styles == nil {
		return theme.New(true, false)
	}
	return o.Styles
}

// Render writes the report: a heading, the path map of an order event, the
// checklist grouped by what it checks, and the tally. Write it through
// theme.Writer so styles fit the output (colour, bold only, or plain).
func Render(w io.Writer, rep *doctor.Report, o Options) error {
	st, width := o.styles(), o.width()
	wrap := func(text string, width int, first, rest string) []string {
		return wrapText(text, width, first, rest, !o.KeepLongWords)
	}
	var b strings.Builder

	b.WriteString(st.Title.Render(heading(rep)) + "\n\n")
	mapWidth := width
	if o.KeepLongWords {
		mapWidth = math.MaxInt // pasted text keeps every host
	}
	for _, line := range PathLines(rep.Paths, st, mapWidth) {
		b.WriteString(line + "\n")
	}

	for _, sec := range sections(rep) {
		b.WriteString("\n" + st.Label.Render(sec.title) + "\n")
		for _, line := range wrap(sec.subtitle, width, "", "") {
			b.WriteString(st.Code.Render(line) + "\n")
		}
		for _, c := range collapseSkips(sec.checks) {
			b.WriteString(checkLines(c, st, width, wrap))
		}
	}
	b.WriteString("\n" + tally(rep, st) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func heading(rep *doctor.Report) string {
	switch rep.Mode {
	case doctor.ModeProfile:
		return fmt.Sprintf("drsetup doctor: profile %q", rep.Profile)
	case doctor.ModeValues:
		return "drsetup doctor: the values given as flags and variables"
	case doctor.ModeKeyOnly:
		return "drsetup doctor: the webhooks of a Digital River key"
	}
	return "drsetup doctor"
}

// Mark is a status's checklist mark.
func Mark(s doctor.Status) string {
	switch s {
	case doctor.Pass:
		return theme.MarkPass
	case doctor.Warn:
		return theme.MarkWarn
	case doctor.Fail:
		return theme.MarkFail
	}
	return theme.MarkSkip
}

// statusStyle renders text in a status's style.
func statusStyle(st *theme.Styles, s doctor.Status, text string) string {
	switch s {
	case doctor.Pass:
		return st.Pass.Render(text)
	case doctor.Warn:
		return st.Warn.Render(text)
	case doctor.Fail:
		return st.Fail.Render(text)
	}
	return st.Skip.Render(text)
}

// PathLines draws the map of the path an order event takes, one line per
// path: "✓ Digital River → ✗ token endpoint login.salesforce.com → - Apex
// endpoint acme.my.salesforce.com", each hop marked. It picks the most telling
// form that fits width for every line, so the lines stay aligned; with
// several paths (one per webhook) each line starts with the webhook's short
// id.
func PathLines(paths []doctor.Path, st *theme.Styles, width int) []string {
	withID := len(paths) > 1
	label := func(h doctor.Hop, full bool) string {
		switch {
		case h.Kind == doctor.HopDigitalRiver || h.Host == "":
			return h.Name()
		case full:
			return h.Name() + " " + h.Host
		}
		return h.Host
	}
	short := func(h doctor.Hop) string {
		switch h.Kind {
		case doctor.HopToken:
			return "token"
		case doctor.HopApex:
			return "Apex"
		}
		return h.Name()
	}
	forms := []func(doctor.Hop) string{
		func(h doctor.Hop) string { return label(h, true) },
		func(h doctor.Hop) string { return label(h, false) },
		func(h doctor.Hop) string { return h.Name() },
		short,
		func(doctor.Hop) string { return "" }, // marks alone, under a legend
	}
	draw := func(p doctor.Path, form func(doctor.Hop) string) (plain, styled string) {
		if withID {
			plain, styled = shortID(p.WebhookID)+"  ", st.Subtle.Render(shortID(p.WebhookID)+"  ")
		}
		for i, h := range p.Hops {
			if i > 0 {
				plain += " → "
				styled += st.Subtle.Render(" → ")
			}
			mark, text := Mark(h.Status), form(h)
			if text != "" {
				text = " " + text
			}
			plain += mark + text
			styled += statusStyle(st, h.Status, mark) + text
		}
		return plain, styled
	}
	for i, form := range forms {
		var lines []string
		if i == len(forms)-1 {
			lines = append(lines, st.Subtle.Render("Digital River → token → Apex endpoint"))
		}
		fits := true
		for _, p := range paths {
			plain, styled := draw(p, form)
			if ansi.StringWidth(plain) > width && i < len(forms)-1 {
				fits = false
				break
			}
			lines = append(lines, styled)
		}
		if fits {
			return lines
		}
	}
	return nil
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// section is a heading and the checks under it.
type section struct {
	title, subtitle string
	checks          []doctor.Result
}

var groupOf = map[doctor.ID]int{
	doctor.CheckProfile: 0, doctor.CheckKeyring: 0,
	doctor.CheckMyDomain: 1, doctor.CheckTokenEndpoint: 1, doctor.CheckSFLogin: 1,
	doctor.CheckInstanceURL: 1, doctor.CheckApexEndpoint: 1,
}

func sections(rep *doctor.Report) []section {
	out := []section{{title: "Profile"}, {title: "Salesforce"}, {title: "Digital River"}}
	byWebhook := map[string]int{}
	for _, w := range rep.Webhooks {
		byWebhook[w.ID] = len(out)
		out = append(out, section{title: "Webhook " + w.ID, subtitle: w.Address})
	}
	for _, c := range rep.Checks {
		i, ok := byWebhook[c.WebhookID]
		if c.WebhookID == "" || !ok {
			i, ok = groupOf[c.ID]
			if !ok {
				i = 2
			}
		}
		out[i].checks = append(out[i].checks, c)
	}
	var kept []section
	for _, s := range out {
		if len(s.checks) > 0 {
			kept = append(kept, s)
		}
	}
	return kept
}

// collapsed is a check, or several skipped for the same reason.
type collapsed struct {
	doctor.Result
	titles []string
}

// collapseSkips folds checks skipped for one reason into one line: in
// key-only mode the Salesforce checks all share theirs.
func collapseSkips(cs []doctor.Result) []collapsed {
	var out []collapsed
	for _, c := range cs {
		if n := len(out); n > 0 && c.Status == doctor.Skip && out[n-1].Status == doctor.Skip && out[n-1].Summary == c.Summary {
			out[n-1].titles = append(out[n-1].titles, c.ID.Title())
			continue
		}
		out = append(out, collapsed{Result: c, titles: []string{c.ID.Title()}})
	}
	return out
}

// checkLines draws one check: mark, title and finding, wrapped under the
// title, then the remedy after an arrow.
func checkLines(c collapsed, st *theme.Styles, width int, wrap func(text string, width int, first, rest string) []string) string {
	var b strings.Builder
	title := strings.Join(c.titles, ", ")
	mark := Mark(c.Status)
	head := mark + " " + title + ": "
	lines := wrap(head+c.Summary, width, "", "  ")
	for i, line := range lines {
		if c.Status == doctor.Skip {
			b.WriteString(st.Skip.Render(line) + "\n")
			continue
		}
		if i == 0 {
			rest := strings.TrimPrefix(line, head)
			if rest == line { // the title itself wrapped
				b.WriteString(statusStyle(st, c.Status, mark) + " " + st.Label.Render(strings.TrimPrefix(line, mark+" ")) + "\n")
				continue
			}
			b.WriteString(statusStyle(st, c.Status, mark) + " " + st.Label.Render(title+":") + " " + rest + "\n")
			continue
		}
		b.WriteString(line + "\n")
	}
	if c.Remedy != "" {
		for i, line := range wrap("→ "+c.Remedy, width, "  ", "    ") {
			if i == 0 {
				line = strings.Replace(line, "→", statusStyle(st, c.Status, "→"), 1)
			}
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// wrapText breaks plain text into lines of at most width columns, the first
// indented by first, the rest by rest. It breaks only at spaces, so hosts
// like acme--uat.sandbox.my.salesforce.com stay whole to copy; a word longer
// than a line is cut where the line ends when cut is set, and otherwise left
// whole on its own line. A URL longer than a line starts a line, and with
// cut set breaks only between its parts (after a "." of the host, a "/" of
// the path), never inside a word; "https://<My Domain>/…" counts as one word.
func wrapText(text string, width int, first, rest string, cut bool) []string {
	avail := max(1, width-max(ansi.StringWidth(first), ansi.StringWidth(rest)))
	// A server's message may carry bytes that are not UTF-8; widths are
	// measured only on valid text.
	text = strings.ToValidUTF8(text, "\uFFFD")
	var lines []string
	cur, curW := "", 0
	for _, word := range urltext.JoinWords(strings.Fields(text), " ") {
		w := ansi.StringWidth(word)
		if cur != "" && curW+1+w <= avail {
			cur, curW = cur+" "+word, curW+1+w
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		pieces := []string{word}
		if cut && w > avail && urltext.Is(word) {
			// Between the URL's parts, not inside a word.
			pieces = urltext.Lines(word, avail)
		}
		for i, piece := range pieces {
			pw := ansi.StringWidth(piece)
			// Only a part wider than a line on its own is cut.
			for cut && pw > avail {
				head := prefixOfWidth(piece, avail)
				lines = append(lines, head)
				piece = piece[len(head):]
				pw = ansi.StringWidth(piece)
			}
			if i < len(pieces)-1 {
				lines = append(lines, piece)
			} else {
				word, w = piece, pw
			}
		}
		cur, curW = word, w
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	for i := range lines {
		if i == 0 {
			lines[i] = first + lines[i]
		} else {
			lines[i] = rest + lines[i]
		}
	}
	return lines
}

// prefixOfWidth is the longest prefix of word at most width columns wide,
// and at least its first character, so cutting always moves on. It walks
// runes rather than graphemes, so the prefix is always a prefix.
func prefixOfWidth(word string, width int) string {
	w, i := 0, 0
	for i < len(word) {
		_, size := utf8.DecodeRuneInString(word[i:])
		rw := ansi.StringWidth(word[i : i+size])
		if i > 0 && w+rw > width {
			break
		}
		w, i = w+rw, i+size
	}
	return word[:i]
}

func tally(rep *doctor.Report, st *theme.Styles) string {
	var parts []string
	add := func(s doctor.Status, one, many string) {
		n := rep.Count(s)
		if n == 0 {
			return
		}
		word := many
		if n == 1 {
			word = one
		}
		parts = append(parts, statusStyle(st, s, fmt.Sprintf("%d %s", n, word)))
	}
	add(doctor.Fail, "failed", "failed")
	add(doctor.Warn, "warning", "warnings")
	add(doctor.Pass, "passed", "passed")
	add(doctor.Skip, "skipped", "skipped")
	if len(parts) == 0 {
		return "No checks ran."
	}
	return strings.Join(parts, ", ") + "."
}

// DarkBackground asks the terminal behind in and out whether its background
// is dark, for theme.New. It answers true, the common case, when either is
// not a terminal or the terminal does not say.
func DarkBackground(in io.Reader, out io.Writer) bool {
	fin, ok := in.(term.File)
	fout, ok2 := out.(term.File)
	if !ok || !ok2 || !term.IsTerminal(fin.Fd()) || !term.IsTerminal(fout.Fd()) {
		return true
	}
	return lipgloss.HasDarkBackground(fin, fout)
}
