// Package ui is drsetup's terminal interface: the setup wizard, a Bubble Tea
// program with one component per screen of the guide's flow, checking each
// answer as it is typed and against the services as it is given.
package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/ui/theme"
)

// ErrCancelled is returned when the admin quits the wizard (Ctrl+C, q on the
// welcome screen) or the program is told to stop (SIGTERM, a cancelled
// context) before a webhook was registered. Nothing was saved.
var ErrCancelled = errors.New("setup cancelled; nothing was registered or saved")

// DemoInfo is what --demo shows on the welcome screen.
type DemoInfo struct {
	Values [][2]string // label, value to type
	Traps  []string    // mistakes to try
}

// WizardOptions configure RunWizard.
type WizardOptions struct {
	In    io.Reader // keys (stdin); nil: the terminal
	Out   io.Writer // where the UI draws: stderr, so stdout stays clean
	Color bool      // false for NO_COLOR / --no-color

	Services *steps.Services
	Initial  steps.Setup      // prefilled: flags > DRSETUP_* > profile (with keyring secrets) > defaults
	Existing *profile.Profile // the saved profile of this name, nil if none
	Demo     *DemoInfo        // non-nil with --demo: a banner on every screen, the demo values on the welcome screen
	Redactor *secret.Redactor // told every secret the admin types, for the debug log
	// Notes are what the command found before the wizard started (the
	// keyring could not be read, values the login does not use): shown on
	// the welcome screen, since the full screen hides what was printed.
	Notes []string

	ProgramOptions []tea.ProgramOption // tests: tea.WithInput, tea.WithOutput, tea.WithWindowSize, …
}

// RunWizard runs the setup wizard until the webhook is registered (the
// result) or the admin quits (ErrCancelled). The terminal is restored on
// every way out, a panic included (Bubble Tea's own recovery).
func RunWizard(ctx context.Context, o WizardOptions) (*steps.Result, error) {
	if o.Services == nil {
		return nil, errors.New("ui: RunWizard needs Services")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops any request still in flight

	m := newWizard(ctx, o)
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if o.In != nil {
		opts = append(opts, tea.WithInput(o.In))
	}
	if o.Out != nil {
		opts = append(opts, tea.WithOutput(o.Out))
	}
	if !o.Color {
		// colorprofile reads NO_COLOR with strconv.ParseBool, so NO_COLOR=yes
		// would keep colour; the caller has decided, and this enforces it.
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	opts = append(opts, o.ProgramOptions...)

	final, err := tea.NewProgram(m, opts...).Run()
	if w, ok := final.(*wizard); ok && w.c.result != nil {
		// Registered: a stop after that loses nothing.
		return w.c.result, nil
	}
	switch {
	case err == nil, errors.Is(err, tea.ErrInterrupted):
		return nil, ErrCancelled
	case errors.Is(err, tea.ErrProgramPanic):
		return nil, fmt.Errorf("the setup screen stopped on an internal error (a bug in drsetup; please report it); the terminal was restored and nothing was saved: %w", err)
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return nil, ErrCancelled
	}
	return nil, fmt.Errorf("the setup screen could not run on this terminal (%w); try drsetup setup --accessible for plain prompts, or --no-input", err)
}

// screen is one step's component. Only the root returns a tea.View.
type screen interface {
	help.KeyMap
	// enter prepares the screen each time it becomes the current one.
	enter() tea.Cmd
	// update gets the keys the root does not take, pastes, and the results
	// of the screen's own requests.
	update(tea.Msg) tea.Cmd
	view() body
	// takesText reports whether printable keys are typed into a field, so
	// "?" and "q" are text there, not commands.
	takesText() bool
}

// focuser is a screen of fields: opened going forward it starts at the
// first; going back it keeps the focus it had; a jump back from a failed
// login focuses the field at fault.
type focuser interface {
	focusField(field.Field)
	focusFirst()
}

// wizard is the root model: it owns the shared state, routes keys and
// results to the current screen, moves between screens and draws the frame
// (banner, header with the step and progress, body, help line).
type wizard struct {
	c       *common
	current steps.ID
	screens map[steps.ID]screen
	// scroll is the first body line shown when the body is taller than the
	// screen, once the admin paged (scrolled); until then the view follows
	// the screen's focus line.
	scroll   int
	scrolled bool
	showAll  bool // "?": the help line shows every key
	confirm  bool // Ctrl+C with typed input: asking whether to quit
	quitting bool
	isDark   bool
	// lastHeight and lastStart are the body height and first line of the
	// last frame drawn: a page of scrolling, and where paging starts from.
	lastHeight, lastStart int
}

func newWizard(ctx context.Context, o WizardOptions) *wizard {
	setup := o.Initial
	setup.Events = slices.Clone(o.Initial.Events)
	session := steps.NewSession(setup)
	c := &common{
		styles:    theme.New(true, o.Color),
		color:     o.Color,
		keys:      newKeyMap(),
		session:   session,
		setup:     &session.Setup,
		initial:   o.Initial,
		prefilled: o.Initial,
		svc:       o.Services,
		demo:      o.Demo,
		existing:  o.Existing,
		notes:     o.Notes,
		redactor:  o.Redactor,
		ctx:       ctx,
	}
	c.initial.Events = slices.Clone(o.Initial.Events)
	c.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.styles.Spinner))
	c.redact()
	w := &wizard{c: c, current: steps.Welcome, isDark: true}
	w.screens = map[steps.ID]screen{
		steps.Welcome:          newWelcome(c),
		steps.Environment:      newEnvironment(c),
		steps.MyDomain:         newMyDomain(c),
		steps.Auth:             newAuth(c),
		steps.ConnectedApp:     newConnectedApp(c),
		steps.User:             newUser(c),
		steps.VerifySalesforce: newVerify(c),
		steps.DRKey:            newDRKey(c),
		steps.Events:           newEvents(c),
		steps.Review:           newReview(c),
		steps.Register:         newRegister(c),
	}
	return w
}

func (w *wizard) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, w.screen().enter())
}

func (w *wizard) screen() screen { return w.screens[w.current] }

func (w *wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	c := w.c
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		c.width, c.height = msg.Width, msg.Height
		return w, nil
	case tea.BackgroundColorMsg:
		w.isDark = msg.IsDark()
		c.styles = theme.New(w.isDark, c.color)
		c.spinner.Style = c.styles.Spinner
		return w, nil
	case spinner.TickMsg:
		if !c.busy() {
			return w, nil // let the ticking stop
		}
		var cmd tea.Cmd
		c.spinner, cmd = c.spinner.Update(msg)
		return w, cmd
	case stageMsg:
		if c.req != nil && c.req.id == msg.id {
			c.req.stage = msg.stage
		}
		return w, listen(msg.id, msg.next)
	case doneMsg:
		if c.req == nil || c.req.id != msg.id {
			return w, nil // the admin moved on or cancelled: a late answer changes nothing
		}
		c.req = nil
		return w, w.screen().update(msg.msg)
	case nextMsg:
		return w, w.open(c.setup.Next(w.current), "", true)
	case backMsg:
		return w, w.open(c.setup.Prev(w.current), "", false)
	case gotoMsg:
		return w, w.open(msg.to, msg.field, false)
	case quitMsg:
		return w, w.quit(false)
	case tea.KeyPressMsg:
		return w, w.key(msg)
	case tea.PasteMsg:
		if c.busy() || w.confirm || c.result != nil {
			return w, nil
		}
		w.scrolled = false
		return w, w.screen().update(msg)
	}
	return w, nil
}

// key handles the keys that work everywhere, then gives the rest to the
// current screen.
func (w *wizard) key(k tea.KeyPressMsg) tea.Cmd {
	c := w.c
	if k.String() == "ctrl+j" {
		// A line feed: what Enter sends through some consoles and what
		// keys typed before the terminal went raw arrive as.
		k = tea.KeyPressMsg{Code: tea.KeyEnter}
	}
	s := k.String()
	switch {
	case w.confirm:
		switch s {
		case "y", "ctrl+c":
			return w.quit(true)
		case "n", "esc":
			w.confirm = false
		}
		return nil
	case c.result != nil:
		switch s {
		case "enter", "q", "esc", "ctrl+c":
			return w.quit(true)
		}
		return w.scrollKey(s)
	case s == "ctrl+c":
		return w.quit(false)
	case s == "esc":
		if c.busy() {
			c.cancelRequest()
			return w.screen().update(cancelledMsg{})
		}
		if w.current == steps.Welcome {
			return nil
		}
		return goBack
	case s == "pgup" || s == "pgdown":
		return w.scrollKey(s)
	case s == "?" && !w.screen().takesText():
		w.showAll = !w.showAll
		return nil
	case c.busy():
		return nil // only Esc and Ctrl+C while the services work
	}
	w.scrolled = false // back to following what the admin works on
	return w.screen().update(k)
}

func (w *wizard) scrollKey(s string) tea.Cmd {
	step := max(w.lastHeight-2, 1)
	if !w.scrolled {
		w.scroll, w.scrolled = w.lastStart, true
	}
	switch s {
	case "pgup":
		w.scroll = max(w.scroll-step, 0)
	case "pgdown":
		w.scroll += step
	}
	return nil
}

// quit ends the wizard, first asking when typed answers would be lost.
func (w *wizard) quit(confirmed bool) tea.Cmd {
	c := w.c
	if !confirmed && c.result == nil && (c.typed() || c.busy() && w.current == steps.Register) {
		w.confirm = true
		return nil
	}
	c.cancelRequest()
	w.quitting = true
	return tea.Quit
}

// open makes step to the current screen, with field focused when given.
func (w *wizard) open(to steps.ID, field field.Field, forward bool) tea.Cmd {
	c := w.c
	c.cancelRequest()
	c.redact()
	w.current, w.scroll, w.scrolled, w.showAll, w.lastStart = to, 0, false, false, 0
	sc := w.screen()
	cmd := sc.enter()
	if f, ok := sc.(focuser); ok {
		switch {
		case field != "":
			f.focusField(field)
		case forward:
			f.focusFirst()
		}
	}
	return cmd
}

func (w *wizard) View() tea.View {
	c := w.c
	st := c.styles
	if w.quitting {
		return tea.NewView("")
	}
	wd := c.contentWidth()
	top := w.header(wd)
	bottom := w.footer(wd)
	bd := w.screen().view()

	lines := strings.Split(bd.content, "\n")
	avail := w.bodyHeightFor(top, bottom)
	start := w.visibleStart(len(lines), avail, bd)
	end := min(start+avail, len(lines))
	shown := lines[start:end]
	if start > 0 {
		shown[0] = st.Subtle.Render("↑ more above (pgup)")
	}
	if end < len(lines) {
		shown[len(shown)-1] = st.Subtle.Render("↓ more below (pgdn)")
	}

	w.lastHeight, w.lastStart = avail, start
	content := top + "\n\n" + strings.Join(shown, "\n") + "\n\n" + bottom
	v := tea.NewView(frame(content, st.App.GetPaddingTop(), st.App.GetPaddingLeft()))
	v.AltScreen = true
	v.WindowTitle = "drsetup setup"
	if cur := bd.cursor; cur != nil && !w.confirm {
		y := cur.Y - start
		hidden := y < 0 || y >= len(shown) || y == 0 && start > 0 || y == len(shown)-1 && end < len(lines)
		if !hidden {
			cur.X += st.App.GetPaddingLeft()
			cur.Y = lipgloss.Height(top) + 1 + y + st.App.GetPaddingTop()
			cur.Color = st.Cursor
			v.Cursor = cur
		}
	}
	return v
}

// visibleStart is the first body line to show: where the admin paged to;
// or else the last start, moved as little as shows the focus lines (from
// their first, when they do not all fit).
func (w *wizard) visibleStart(n, avail int, bd body) int {
	last := max(n-avail, 0)
	if w.scrolled {
		w.scroll = min(w.scroll, last) // paging past the end stops at the end
		return w.scroll
	}
	start := min(w.lastStart, last)
	if bd.focus >= 0 && avail > 2 {
		// The first and last visible lines may be "more" markers.
		if bd.focusEnd > start+avail-2 {
			start = bd.focusEnd - avail + 2
		}
		if bd.focus < start+1 {
			start = bd.focus - 1
		}
	}
	return min(max(start, 0), last)
}

// frame pads the screen by the App style's padding. Done by hand: a
// lipgloss render of the whole screen measured every line again, on every
// keystroke.
func frame(content string, top, left int) string {
	p := strings.Repeat(" ", left)
	return strings.Repeat("\n", top) + p + strings.ReplaceAll(content, "\n", "\n"+p)
}

func (w *wizard) bodyHeightFor(top, bottom string) int {
	h := w.c.height
	if h <= 0 {
		h = 24
	}
	return max(h-lipgloss.Height(top)-lipgloss.Height(bottom)-2, 3)
}

// header is the demo banner, the screen's title, "Step 3 of 9" and the
// progress through the numbered steps.
func (w *wizard) header(wd int) string {
	c := w.c
	st := c.styles
	var parts []string
	if c.demo != nil {
		parts = append(parts, st.Banner.Width(wd).Render("Demo — simulated Salesforce org and Digital River account; nothing leaves this machine"))
	}
	title := c.setup.Title(w.current)
	switch w.current {
	case steps.Welcome:
		title = "Connect Salesforce to Digital River webhooks"
	case steps.Register:
		title = "Registering the webhook"
		if c.result != nil {
			title = "Done"
		}
	}
	n, total := c.setup.Numbered(w.current)
	if n == 0 {
		parts = append(parts, st.Title.Render(title))
		return strings.Join(parts, "\n")
	}
	step := st.Step.Render(fmt.Sprintf("Step %d of %d", n, total))
	bar := st.Progress.Render(strings.Repeat("■", n)) + st.Subtle.Render(strings.Repeat("□", total-n))
	right := step + " " + bar
	left := st.Title.Render(title)
	if gap := wd - lipgloss.Width(left) - lipgloss.Width(right); gap >= 2 {
		parts = append(parts, left+strings.Repeat(" ", gap)+right)
	} else {
		parts = append(parts, right, left)
	}
	return strings.Join(parts, "\n")
}

// footer is the quit confirmation or the help line.
func (w *wizard) footer(wd int) string {
	c := w.c
	st := c.styles
	if w.confirm {
		msg := "Quit? What you typed is not saved, and nothing was registered."
		switch {
		case c.busy() && w.current == steps.Register:
			msg = "Quit while the webhook is being registered? It may end up registered without a saved profile; running drsetup setup again finds it and updates it."
		case c.svc.Writes.Unfinished():
			msg = "Quit? Nothing is saved, but the webhook may already exist at Digital River; running drsetup setup again finishes the setup."
		}
		return wrap(st.Warn, wd, msg) + "\n" + helpLine(st, wd, []key.Binding{c.keys.Confirm, c.keys.Deny})
	}
	sc := w.screen()
	if w.showAll {
		var all []key.Binding
		for _, g := range sc.FullHelp() {
			all = append(all, g...)
		}
		return helpLine(st, wd, all)
	}
	return helpLine(st, wd, sc.ShortHelp())
}
