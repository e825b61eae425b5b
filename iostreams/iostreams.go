// Package iostreams is the one place that knows what drsetup's standard
// streams are connected to, and so whether it may prompt, draw a full-screen
// UI or use colour. Nothing deeper checks the terminal itself.
package iostreams

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"
)

// IOStreams are the program's standard streams and what is known of them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer // results only: the --json object, a table, a report
	ErrOut io.Writer // messages, warnings, errors, the interactive UI

	stdinTTY, stdoutTTY, stderrTTY bool
	// A Cygwin or MSYS2 terminal (Git Bash's mintty) reaches a Windows
	// program through pipes: a person is there and it shows colour, but
	// nothing can read single keys from it or stop it echoing.
	stdinPipeTTY, stderrPipeTTY bool
	dumb                        bool // TERM=dumb: no cursor movement, no colour
	noColor                     bool
	accessible                  bool
	width                       int
}

// System returns the process's streams. NO_COLOR (any non-empty value) turns
// colour off; ACCESSIBLE (any non-empty value) asks for plain prompts;
// TERM=dumb gets plain prompts and no colour.
func System() *IOStreams {
	s := &IOStreams{
		In:         os.Stdin,
		Out:        os.Stdout,
		ErrOut:     os.Stderr,
		dumb:       os.Getenv("TERM") == "dumb",
		noColor:    os.Getenv("NO_COLOR") != "",
		accessible: os.Getenv("ACCESSIBLE") != "",
	}
	s.stdinTTY, s.stdinPipeTTY = terminal(os.Stdin)
	s.stdoutTTY, _ = terminal(os.Stdout)
	s.stderrTTY, s.stderrPipeTTY = terminal(os.Stderr)
	// The UI draws on stderr and results go to stdout: whichever of the two
	// is a terminal says how wide it is (stderr first), so a table piped
	// from stderr's point of view still fits a terminal on stdout.
	for _, f := range []*os.File{os.Stderr, os.Stdout} {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			s.width = w
			break
		}
	}
	return s
}

// terminal reports whether f is a terminal, and whether it is one only in
// Cygwin's sense: a pipe to mintty.
func terminal(f *os.File) (tty, pipe bool) {
	if term.IsTerminal(int(f.Fd())) {
		return true, false
	}
	if isatty.IsCygwinTerminal(f.Fd()) {
		return true, true
	}
	return false, false
}

// Test returns streams backed by buffers, none a terminal, for tests.
func Test() (s *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// SetTTY marks the streams as terminals or not, for tests.
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
	s.stdinPipeTTY, s.stderrPipeTTY = false, false
}

// SetCygwinTTY marks stdin and stderr as a Cygwin terminal (Git Bash's
// mintty), for tests.
func (s *IOStreams) SetCygwinTTY() {
	s.stdinTTY, s.stderrTTY = true, true
	s.stdinPipeTTY, s.stderrPipeTTY = true, true
}

// SetDumb marks the terminal as TERM=dumb, for tests.
func (s *IOStreams) SetDumb(v bool) { s.dumb = v }

// SetWidth sets the terminal's width in columns, for tests.
func (s *IOStreams) SetWidth(w int) { s.width = w }

// SetNoColor turns colour off (the --no-color flag).
func (s *IOStreams) SetNoColor(v bool) { s.noColor = s.noColor || v }

// SetAccessible asks for plain prompts (the --accessible flag).
func (s *IOStreams) SetAccessible(v bool) { s.accessible = s.accessible || v }

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// CanDrawUI reports whether the full-screen UI may start: it reads keys from
// stdin and draws on stderr, so both must be terminals that allow it (not
// TERM=dumb, not a Cygwin pipe), and the user must not have asked for plain
// prompts.
func (s *IOStreams) CanDrawUI() bool {
	return s.stdinTTY && s.stderrTTY && !s.accessible && s.fullScreen()
}

// fullScreen reports whether the terminal, if there is one, can take the
// full-screen UI: move the cursor and hand over single keys.
func (s *IOStreams) fullScreen() bool { return !s.dumb && !s.stdinPipeTTY && !s.stderrPipeTTY }

// Accessible reports whether plain prompts are wanted: asked for, or a person
// is at a terminal that cannot take the full-screen UI (TERM=dumb, Git
// Bash's mintty). Without a terminal there is no one to prompt, and this is
// false unless asked for.
func (s *IOStreams) Accessible() bool {
	return s.accessible || s.stdinTTY && s.stderrTTY && !s.fullScreen()
}

// CanPrompt reports whether a command may ask its user a question (a
// confirmation before it changes something): a person is at a terminal on
// stdin and stderr, or plain prompts were asked for (--accessible), which a
// script may answer through a pipe. Otherwise a command that needs an
// answer must be told it (--yes).
func (s *IOStreams) CanPrompt() bool {
	return s.stdinTTY && s.stderrTTY || s.accessible
}

// CanAnimate reports whether stderr may show a view that redraws itself (a
// spinner, doctor's progress): a terminal that can move the cursor and tell
// its size (not TERM=dumb, not a Cygwin pipe), and no plain output wanted.
func (s *IOStreams) CanAnimate() bool {
	return s.stderrTTY && !s.dumb && !s.stderrPipeTTY && !s.Accessible()
}

// ColorEnabled reports whether stderr output may use colour.
func (s *IOStreams) ColorEnabled() bool { return s.stderrTTY && !s.dumb && !s.noColor }

// StdoutColorEnabled reports whether stdout output may use colour.
func (s *IOStreams) StdoutColorEnabled() bool { return s.stdoutTTY && !s.dumb && !s.noColor }

// NoColor reports whether colour was turned off by the user.
func (s *IOStreams) NoColor() bool { return s.noColor }

// TerminalWidth is the terminal's width in columns (stderr's, else
// stdout's), or 80 when unknown.
func (s *IOStreams) TerminalWidth() int {
	if s.width > 0 {
		return s.width
	}
	return 80
}

// ErrCannotHideInput is what a hidden prompt returns on a terminal that
// cannot stop echoing what is typed: a secret typed there would stay on the
// screen.
var ErrCannotHideInput = errors.New("this terminal cannot hide what is typed (Git Bash's mintty passes keys through a pipe), so drsetup does not ask for secrets here: " +
	"run it in Windows Terminal or PowerShell, or as \"winpty drsetup\", or give the secrets in DRSETUP_CLIENT_SECRET, DRSETUP_PASSWORD, DRSETUP_SECURITY_TOKEN and DRSETUP_DR_API_KEY")

// SecretReader returns a function that reads one line from the terminal
// without echoing it, or nil when stdin is not a terminal (a script answering
// through a pipe: its lines are read as they come). On a Cygwin terminal the
// function refuses with ErrCannotHideInput. Echo goes off before the read
// starts and comes back when the line is read or the context ends, so a
// Ctrl+C or any signal that ends the run (SIGTERM, SIGHUP, SIGQUIT cancel it)
// during a hidden prompt never leaves the terminal without echo.
func (s *IOStreams) SecretReader() func(ctx context.Context) (string, error) {
	f, ok := s.In.(*os.File)
	if !ok || !s.stdinTTY {
		return nil
	}
	if s.stdinPipeTTY {
		return func(context.Context) (string, error) { return "", ErrCannotHideInput }
	}
	fd := int(f.Fd())
	return func(ctx context.Context) (string, error) {
		read, restore, err := hideInput(fd)
		if err != nil {
			return "", err
		}
		type result struct {
			b   []byte
			err error
		}
		ch := make(chan result, 1)
		go func() {
			b, err := read()
			ch <- result{b, err}
		}()
		select {
		case r := <-ch:
			restore(false)
			return string(r.b), r.err
		case <-ctx.Done():
			// What was typed of the secret is dropped, not left for the
			// shell to echo.
			restore(true)
			return "", ctx.Err()
		}
	}
}
