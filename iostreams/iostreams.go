// Package iostreams is the one place that knows what drsetup's standard
// streams are connected to, and so whether it may prompt, draw a full-screen
// UI or use colour. Nothing deeper checks the terminal itself.
package iostreams

import (
	"bytes"
	"context"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the program's standard streams and what is known of them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer // results only: the --json object, a table, a report
	ErrOut io.Writer // messages, warnings, errors, the interactive UI

	stdinTTY, stdoutTTY, stderrTTY bool
	noColor                        bool
	accessible                     bool
	width                          int
}

// System returns the process's streams. NO_COLOR (any non-empty value) turns
// colour off; ACCESSIBLE (any non-empty value) asks for plain prompts.
func System() *IOStreams {
	s := &IOStreams{
		In:         os.Stdin,
		Out:        os.Stdout,
		ErrOut:     os.Stderr,
		stdinTTY:   isTerminal(os.Stdin),
		stdoutTTY:  isTerminal(os.Stdout),
		stderrTTY:  isTerminal(os.Stderr),
		noColor:    os.Getenv("NO_COLOR") != "",
		accessible: os.Getenv("ACCESSIBLE") != "",
	}
	if s.stderrTTY {
		if w, _, err := term.GetSize(int(os.Stderr.Fd())); err == nil {
			s.width = w
		}
	}
	return s
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Test returns streams backed by buffers, none a terminal, for tests.
func Test() (s *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// SetTTY marks the streams as terminals or not, for tests.
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
}

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
// stdin and draws on stderr, so both must be terminals, and the user must not
// have asked for plain prompts.
func (s *IOStreams) CanDrawUI() bool { return s.stdinTTY && s.stderrTTY && !s.accessible }

// Accessible reports whether plain prompts were asked for.
func (s *IOStreams) Accessible() bool { return s.accessible }

// ColorEnabled reports whether stderr output may use colour.
func (s *IOStreams) ColorEnabled() bool { return s.stderrTTY && !s.noColor }

// StdoutColorEnabled reports whether stdout output may use colour.
func (s *IOStreams) StdoutColorEnabled() bool { return s.stdoutTTY && !s.noColor }

// NoColor reports whether colour was turned off by the user.
func (s *IOStreams) NoColor() bool { return s.noColor }

// TerminalWidth is stderr's width in columns, or 80 when unknown.
func (s *IOStreams) TerminalWidth() int {
	if s.width > 0 {
		return s.width
	}
	return 80
}

// SecretReader returns a function that reads one line from the terminal
// without echoing it, or nil when stdin is not a terminal (a script answering
// through a pipe: its lines are read as they come). Echo goes off before the
// read starts and comes back when the line is read or the context ends, so a
// Ctrl+C or any signal that ends the run (SIGTERM, SIGHUP, SIGQUIT cancel it)
// during a hidden prompt never leaves the terminal without echo.
func (s *IOStreams) SecretReader() func(ctx context.Context) (string, error) {
	f, ok := s.In.(*os.File)
	if !ok || !s.stdinTTY {
		return nil
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
