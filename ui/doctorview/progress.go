package doctorview

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/ui/theme"
)

// maxRunningLines bounds the progress view: a key with dozens of webhooks
// starts dozens of replays at once.
const maxRunningLines = 6

// Progress is the live view of a doctor run: one spinner line per check in
// flight and a count of those done. It draws inline, below the prompt rather
// than on the alternate screen, and clears itself when the run ends, so the
// report printed next starts where the command was typed.
type Progress struct {
	st      *theme.Styles
	spin    spinner.Model
	running []doctor.Event // started, not yet finished, in start order
	done    int
	failed  int
	width   int
	ended   bool
}

// EventMsg carries a doctor event into the view.
type EventMsg doctor.Event

// DoneMsg ends the view.
type DoneMsg struct{}

// NewProgress returns the view for a terminal width columns wide.
func NewProgress(st *theme.Styles, width int) Progress {
	if st == nil {
		st = theme.New(true, false)
	}
	return Progress{
		st:    st,
		spin:  spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(st.Spinner)),
		width: width,
	}
}

func (m Progress) Init() tea.Cmd { return m.spin.Tick }

func (m Progress) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width = msg.Width
	case EventMsg:
		m.apply(doctor.Event(msg))
	case DoneMsg:
		m.ended = true
		return m, tea.Quit
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Progress) apply(e doctor.Event) {
	same := func(x doctor.Event) bool { return x.ID == e.ID && x.WebhookID == e.WebhookID }
	switch e.Kind {
	case doctor.Started:
		m.running = append(m.running, e)
	case doctor.Finished:
		m.running = slices.DeleteFunc(m.running, same)
		m.done++
		if e.Result.Status == doctor.Fail {
			m.failed++
		}
	}
}

// View draws the checks in flight; nothing once the run has ended.
func (m Progress) View() tea.View {
	if m.ended {
		return tea.NewView("")
	}
	width := m.width
	if width <= 0 {
		width = DefaultWidth
	}
	var lines []string
	for i, e := range m.running {
		if i == maxRunningLines {
			lines = append(lines, m.st.Subtle.Render(fmt.Sprintf("  … and %d more", len(m.running)-maxRunningLines)))
			break
		}
		label := e.ID.Title()
		if e.WebhookID != "" {
			label += " · webhook " + shortID(e.WebhookID)
		}
		lines = append(lines, ansi.Truncate(m.spin.View()+" "+label, width, "…"))
	}
	status := fmt.Sprintf("Checking the setup: %d done", m.done)
	if m.failed > 0 {
		status += fmt.Sprintf(", %d failed", m.failed)
	}
	lines = append(lines, m.st.Subtle.Render(ansi.Truncate(status, width, "…")))
	return tea.NewView(strings.Join(lines, "\n"))
}

// Run calls work with a progress callback (for doctor.Options.Progress) and
// draws the checks in flight on out, a terminal, until work returns; then it
// clears the lines it drew and returns work's report. The view reads no keys:
// Ctrl+C reaches the program as SIGINT, whose context cancels the run. A view
// that cannot draw costs only the progress, never the report.
func Run(out io.Writer, st *theme.Styles, profile colorprofile.Profile, width int, work func(progress func(doctor.Event)) *doctor.Report) *doctor.Report {
	p := tea.NewProgram(NewProgress(st, width),
		tea.WithOutput(out),
		tea.WithInput(nil),
		tea.WithoutSignalHandler(),
		tea.WithColorProfile(profile),
		// A terminal reports its own size; this is for one that does not.
		tea.WithWindowSize(width, maxRunningLines+2),
	)
	result := make(chan *doctor.Report, 1)
	go func() {
		// Send returns at once after the program has ended, so a view
		// that failed to start never holds up the checks.
		rep := work(func(e doctor.Event) { p.Send(EventMsg(e)) })
		result <- rep
		p.Send(DoneMsg{})
	}()
	p.Run()
	return <-result
}
