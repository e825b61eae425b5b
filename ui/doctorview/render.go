// Package doctorview draws drsetup doctor's report (a summary of what failed
// first, the path of an order event, then the details) in colour or plain,
// and its live progress on a terminal. It reads doctor's results; it runs no
// check itself.
package doctorview

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/text"
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
	// hosts on the path map, for text that is pasted rather than shown on a
	// terminal of that width.
	KeepLongWords bool
	// TabSeparated writes tables (the webhooks examined) as plain
	// tab-separated lines, one per row, for output that is piped.
	TabSeparated bool
	// Words says each status as a word (pass, warn, fail, skip) and leaves
	// out what a screen reader spells out or skips: marks, arrows (Setup
	// paths read "Setup, then Users"), runs of * (a masked value reads
	// "hidden"). For --accessible, and for text piped into a ticket.
	Words bool
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

// Render writes the report: which drsetup made it and when, what was
// checked and the verdict; one summary line per failed or warned finding
// (the same finding on several webhooks is one line naming them); the path
// of an order event (one per webhook in key-only mode, with what was seen of
// each); then the details, each finding once with every webhook it concerns
// and each long explanation written once. Write it through theme.Writer so
// styles fit the output (colour, bold only, or plain).
func Render(w io.Writer, rep *doctor.Report, o Options) error {
	r := newRenderer(rep, o)
	r.header()
	r.fixes()
	r.summary()
	r.timeline()
	r.paths()
	r.details()
	_, err := io.WriteString(w, r.b.String())
	return err
}

// renderer is one report being written.
type renderer struct {
	rep   *doctor.Report
	o     Options
	st    *theme.Styles
	width int
	b     strings.Builder

	short     map[string]string // webhook id → the form the report names it by
	findings  []*finding
	explained map[string]string // a long sentence written → the title it was written under
}

func newRenderer(rep *doctor.Report, o Options) *renderer {
	r := &renderer{rep: rep, o: o, st: o.styles(), width: o.width(), explained: map[string]string{}}
	r.short = shortIDs(rep.Webhooks)
	r.findings = groupFindings(rep)
	return r
}

// para writes text wrapped to the width, the first line after first, the
// rest after rest, each line through style.
func (r *renderer) para(s, first, rest string, style func(...string) string) {
	for _, line := range wrapText(r.say(s), r.width, first, rest, !r.o.KeepLongWords) {
		if style != nil {
			line = style(line)
		}
		r.b.WriteString(line + "\n")
	}
}

func (r *renderer) blank() { r.b.WriteString("\n") }

// say is text as the report shows it: in words mode without arrows and
// runs of *.
func (r *renderer) say(s string) string {
	if r.o.Words {
		return Spoken(s)
	}
	return s
}

// header is the first lines: the drsetup and the time, what was checked,
// the verdict, and for an incomplete run the values it lacked.
func (r *renderer) header() {
	rep := r.rep
	prov := "drsetup doctor"
	if rep.Build.Version != "" {
		prov = rep.Build.Line() + ", doctor"
	}
	if !rep.StartedAt.IsZero() {
		prov += ", " + rep.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	if r.o.KeepLongWords {
		// Pasted, one line however long: a script or a ticket reads it
		// whole.
		r.b.WriteString(prov + "\n")
	} else {
		r.para(prov, "", "  ", nil)
	}
	r.para(r.verdict()+" "+heading(rep), "", "  ", r.st.Title.Render)
	if rep.Incomplete() {
		var ms []string
		for _, f := range rep.Missing {
			ms = append(ms, fmt.Sprintf("the %s (%s)", f.Noun(), f.Where()))
		}
		them := "them"
		if len(rep.Missing) == 1 {
			them = "it"
		}
		r.para(fmt.Sprintf("Not checked for want of %s; give %s and run doctor again.", text.JoinAnd(ms), them), "", "  ", nil)
	}
}

// heading says what the run checked.
func heading(rep *doctor.Report) string {
	switch rep.Mode {
	case doctor.ModeProfile:
		return fmt.Sprintf("Checked profile %q, with any flags and DRSETUP_* variables over its values.", rep.Profile)
	case doctor.ModeValues:
		return "Checked the values given as flags and DRSETUP_* variables."
	case doctor.ModeKeyOnly:
		return "Checked the webhooks of a Digital River key."
	}
	if rep.Profile != "" {
		return fmt.Sprintf("Checked profile %q.", rep.Profile)
	}
	return "Nothing was given to check."
}

// verdict says whether the setup is sound, with the tally.
func (r *renderer) verdict() string {
	rep := r.rep
	word := "OK"
	switch {
	case rep.Count(doctor.Fail) > 0:
		word = "Not OK"
	case rep.Incomplete():
		word = "Incomplete"
	case rep.Count(doctor.Warn) > 0:
		word = "OK, with warnings"
	}
	return fmt.Sprintf("%s: %s.", word, tally(rep))
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

// mark is a status as the report shows it: a word in words mode, else the
// mark, styled.
func (r *renderer) mark(s doctor.Status) (plain, styled string) {
	plain = Mark(s)
	if r.o.Words {
		plain = string(s)
	}
	return plain, statusStyle(r.st, s, plain)
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

// paths writes where an order event goes: for a profile or given values the
// org's one path; in key-only mode one per webhook, each with what was
// seen of it.
func (r *renderer) paths() {
	rep := r.rep
	if rep.Mode == doctor.ModeKeyOnly && len(rep.Webhooks) > 0 {
		r.blank()
		head := fmt.Sprintf("%s examined", text.Count(len(rep.Webhooks), "webhook"))
		if shared(rep.Webhooks, func(x doctor.Webhook) string { return x.ClientID }) && rep.Webhooks[0].ClientID != "" {
			head = fmt.Sprintf("%d webhooks, all with the Client ID %s", len(rep.Webhooks), rep.Webhooks[0].ClientID)
		}
		r.para(head+":", "", "  ", r.st.Label.Render)
		if r.o.TabSeparated {
			r.webhookTable()
			return
		}
		byID := map[string]doctor.Webhook{}
		for _, w := range rep.Webhooks {
			byID[w.ID] = w
		}
		r.para("Each path: Digital River, then the token endpoint, then the Apex endpoint.", "", "  ", r.st.Subtle.Render)
		lines := r.pathLines(rep.Paths, r.short)
		if extra := len(lines) - len(rep.Paths); extra > 0 {
			// The narrowest form: a legend, then marks alone.
			for _, line := range lines[:extra] {
				r.b.WriteString(line + "\n")
			}
			lines = lines[extra:]
		}
		for i, line := range lines {
			r.b.WriteString(line + "\n")
			p := rep.Paths[i]
			if w, ok := byID[p.WebhookID]; ok {
				facts := r.facts(w, rep.Webhooks)
				if h := p.Hops[2].Host; h != "" && !strings.Contains(ansi.Strip(line), h) {
					// Too narrow for the hosts on the path's line.
					facts += fmt.Sprintf(", token endpoint %s, Apex endpoint %s", p.Hops[1].Host, h)
				}
				r.para(facts, "  ", "    ", r.st.Subtle.Render)
			}
		}
		return
	}
	r.blank()
	r.para("Path of an order event: Digital River, then the token endpoint, then the Apex endpoint:", "", "  ", r.st.Label.Render)
	for _, line := range r.pathLines(rep.Paths, nil) {
		r.b.WriteString(line + "\n")
	}
	if len(rep.Webhooks) > 0 {
		r.para(fmt.Sprintf("%s examined:", text.Capitalize(text.Count(len(rep.Webhooks), "webhook"))), "", "", r.st.Label.Render)
		for _, w := range rep.Webhooks {
			r.para(w.ID+" "+w.Address, "  ", "    ", r.st.Code.Render)
		}
	}
}

// pathLines draws the paths for this report. Pasted text keeps every host:
// it takes the fullest form that fits, but never one without the hosts.
func (r *renderer) pathLines(paths []doctor.Path, short map[string]string) []string {
	return pathLines(paths, r.st, r.width, r.o.Words, short, r.o.KeepLongWords)
}

// webhookTable writes the webhooks examined as tab-separated lines under a
// header: each with the status and host of each hop of its path, and what
// was seen of it.
func (r *renderer) webhookTable() {
	r.b.WriteString(strings.Join([]string{"webhook", "Digital River", "token endpoint", "Apex endpoint", "logs in as", "org", "also"}, "\t") + "\n")
	for i, w := range r.rep.Webhooks {
		p, ok := r.pathOf(w.ID, i)
		if !ok {
			continue
		}
		cells := []string{w.ID}
		for _, h := range p.Hops {
			_, cell := r.mark(h.Status)
			if h.Kind != doctor.HopDigitalRiver && h.Host != "" {
				cell += " " + h.Host
			}
			cells = append(cells, cell)
		}
		who := w.Username
		if who == "" && w.ClientID != "" {
			who = "the Run As user"
		}
		cells = append(cells, who, w.OrgID, strings.Join(r.extraFacts(w, r.rep.Webhooks), "; "))
		r.b.WriteString(strings.Join(cells, "\t") + "\n")
	}
}

// pathOf is the path of the i-th webhook examined, id.
func (r *renderer) pathOf(id string, i int) (doctor.Path, bool) {
	for _, p := range r.rep.Paths {
		if p.WebhookID == id {
			return p, true
		}
	}
	if len(r.rep.Paths) == len(r.rep.Webhooks) && r.rep.Paths[i].WebhookID == "" {
		return r.rep.Paths[i], true
	}
	return doctor.Path{}, false
}

// facts is the line of what was seen of one webhook: its full id, the user
// its stored login logs in as, the org the login reached, and what the
// webhooks do not all share (said once above): its Client ID and token
// endpoint, and its address when the path's host does not say it all.
func (r *renderer) facts(w doctor.Webhook, all []doctor.Webhook) string {
	parts := []string{w.ID}
	switch {
	case w.Username != "":
		parts = append(parts, w.Username)
	case w.ClientID != "":
		parts = append(parts, "the Run As user")
	default:
		parts = append(parts, "no stored login")
	}
	if w.OrgID != "" {
		parts = append(parts, "org "+w.OrgID)
	}
	return strings.Join(append(parts, r.extraFacts(w, all)...), ", ")
}

// extraFacts are what the path and the usual columns do not say of a
// webhook: a Client ID the others do not share, a token endpoint or address
// other than the usual path on their host.
func (r *renderer) extraFacts(w doctor.Webhook, all []doctor.Webhook) []string {
	var parts []string
	if w.ClientID != "" && !shared(all, func(x doctor.Webhook) string { return x.ClientID }) {
		parts = append(parts, "Client ID "+w.ClientID)
	}
	if w.TokenEndpoint != "" && !standardToken(w.TokenEndpoint) {
		parts = append(parts, "token endpoint "+w.TokenEndpoint)
	}
	if !standardAddress(w.Address) {
		parts = append(parts, "address "+w.Address)
	}
	return parts
}

// shared reports whether every webhook (of two or more) has the same value.
func shared(ws []doctor.Webhook, value func(doctor.Webhook) string) bool {
	if len(ws) < 2 {
		return false
	}
	for _, w := range ws[1:] {
		if value(w) != value(ws[0]) {
			return false
		}
	}
	return true
}

const apexPath = "/services/apexrest/digitalriverv3/webhooks/"

// standardAddress reports whether an address is the app's endpoint on its
// host, so the path's host says all of it.
func standardAddress(address string) bool {
	rest, ok := strings.CutPrefix(address, "https://")
	if !ok {
		return false
	}
	host, path, _ := strings.Cut(rest, "/")
	return host != "" && "/"+path == apexPath
}

// standardToken reports whether a token endpoint is the usual path on its
// host, which the path already names.
func standardToken(endpoint string) bool {
	rest, ok := strings.CutPrefix(endpoint, "https://")
	if !ok {
		return false
	}
	_, path, _ := strings.Cut(rest, "/")
	return path == "services/oauth2/token"
}

// PathLines draws the map of the path an order event takes, one line per
// path: "✓ Digital River → ✗ token endpoint login.salesforce.com → - Apex
// endpoint acme.my.salesforce.com", each hop marked. It picks the most telling
// form that fits width for every line, so the lines stay aligned; with
// several paths (one per webhook) each line starts with the webhook's short
// id.
func PathLines(paths []doctor.Path, st *theme.Styles, width int) []string {
	return pathLines(paths, st, width, false, nil, false)
}

// pathLines is PathLines, with the statuses in words and "then" between
// hops in words mode, and each webhook named as short says. With hosts,
// only the forms that name the hosts are drawn (for pasted text), the
// shorter of them even when it does not fit.
func pathLines(paths []doctor.Path, st *theme.Styles, width int, words bool, short map[string]string, hosts bool) []string {
	withID := len(paths) > 1 || (len(paths) == 1 && paths[0].WebhookID != "" && short != nil)
	name := func(id string) string {
		if s, ok := short[id]; ok {
			return s
		}
		return shortID(id)
	}
	sep, legend := " → ", "Digital River → token → Apex endpoint"
	if words {
		sep, legend = ", then ", "Digital River, then token, then Apex endpoint"
	}
	label := func(h doctor.Hop, full bool) string {
		switch {
		case h.Kind == doctor.HopDigitalRiver || h.Host == "":
			return h.Name()
		case full:
			return h.Name() + " " + h.Host
		}
		return h.Host
	}
	short2 := func(h doctor.Hop) string {
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
		short2,
		func(doctor.Hop) string { return "" }, // marks alone, under a legend
	}
	mark := func(s doctor.Status) string {
		if words {
			return string(s)
		}
		return Mark(s)
	}
	draw := func(p doctor.Path, form func(doctor.Hop) string) (plain, styled string) {
		if withID {
			plain, styled = name(p.WebhookID)+"  ", st.Subtle.Render(name(p.WebhookID)+"  ")
		}
		for i, h := range p.Hops {
			if i > 0 {
				plain += sep
				styled += st.Subtle.Render(sep)
			}
			m, text := mark(h.Status), form(h)
			if text != "" {
				text = " " + text
			}
			plain += m + text
			styled += statusStyle(st, h.Status, m) + text
		}
		return plain, styled
	}
	if hosts {
		forms = forms[:2]
	}
	for i, form := range forms {
		var lines []string
		if i == len(forms)-1 && !hosts {
			lines = append(lines, st.Subtle.Render(legend))
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

// shortIDs names each webhook by the shortest prefix of its id, from 8
// characters up, that no other webhook of the report shares.
func shortIDs(ws []doctor.Webhook) map[string]string {
	out := make(map[string]string, len(ws))
	for n := 8; ; n += 4 {
		seen := map[string]int{}
		for _, w := range ws {
			if _, done := out[w.ID]; !done {
				seen[prefix(w.ID, n)]++
			}
		}
		left := false
		for _, w := range ws {
			if _, done := out[w.ID]; done {
				continue
			}
			if p := prefix(w.ID, n); seen[p] == 1 || len(p) == len(w.ID) {
				out[w.ID] = p
			} else {
				left = true
			}
		}
		if !left {
			return out
		}
	}
}

func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
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

func tally(rep *doctor.Report) string {
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
		parts = append(parts, fmt.Sprintf("%d %s", n, word))
	}
	add(doctor.Fail, "failed", "failed")
	add(doctor.Warn, "warning", "warnings")
	add(doctor.Pass, "passed", "passed")
	add(doctor.Skip, "skipped", "skipped")
	if len(parts) == 0 {
		return "no checks ran"
	}
	return strings.Join(parts, ", ")
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
