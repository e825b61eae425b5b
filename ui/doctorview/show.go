package doctorview

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/charmbracelet/colorprofile"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/iostreams"
	"github.com/drsetup/drsetup/ui/theme"
)

// Check runs work with a progress callback for doctor.Options.Progress: on a
// terminal that can animate (not dumb, not in accessible mode) the checks
// in flight are drawn on stderr; otherwise one line says the run started when stderr is a terminal.
func Check(io *iostreams.IOStreams, work func(progress func(doctor.Event)) *doctor.Report) *doctor.Report {
	if io.CanAnimate() {
		color := io.ColorEnabled()
		st := theme.New(dark(io), color)
		return Run(io.ErrOut, st, theme.Profile(io.ErrOut, os.Environ(), color), io.TerminalWidth(), work)
	}
	if io.IsStderrTTY() {
		fmt.Fprintln(io.ErrOut, "Checking the setup…")
	}
	return work(nil)
}

// Show writes the report on stdout: JSON with jsonOut; on a terminal the
// report in colour (bold only with NO_COLOR); piped, plain text without any
// escape code, to paste into a ticket, as wide as the terminal the command
// ran in (80 columns without one). Piped and with --accessible, statuses
// are words and nothing is left for a screen reader to spell out.
func Show(io *iostreams.IOStreams, rep *doctor.Report, jsonOut bool) error {
	if jsonOut {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	if !io.IsStdoutTTY() {
		w := theme.Writer(io.Out, colorprofile.NoTTY)
		return Render(w, rep, Options{Styles: theme.New(true, false), Width: io.TerminalWidth(), KeepLongWords: true, TabSeparated: true, Words: true})
	}
	color := io.StdoutColorEnabled()
	w := theme.Writer(io.Out, theme.Profile(io.Out, os.Environ(), color))
	return Render(w, rep, Options{Styles: theme.New(dark(io), color), Width: io.TerminalWidth(), Words: io.Accessible()})
}

// dark asks the terminal once whether its background is dark; only a run
// that draws in colour needs to know.
func dark(io *iostreams.IOStreams) bool {
	if !io.ColorEnabled() && !io.StdoutColorEnabled() {
		return true
	}
	return DarkBackground(io.In, io.ErrOut)
}
