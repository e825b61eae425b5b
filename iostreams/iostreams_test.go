package iostreams

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestCanDrawUINeedsBothTerminalsAndNoAccessibleMode(t *testing.T) {
	cases := []struct {
		stdin, stderr, accessible, want bool
	}{
		{true, true, false, true},
		{false, true, false, false},
		{true, false, false, false},
		{true, true, true, false},
	}
	for _, c := range cases {
		s, _, _, _ := Test()
		s.SetTTY(c.stdin, true, c.stderr)
		s.SetAccessible(c.accessible)
		if got := s.CanDrawUI(); got != c.want {
			t.Errorf("stdin tty %v, stderr tty %v, accessible %v: CanDrawUI = %v, want %v", c.stdin, c.stderr, c.accessible, got, c.want)
		}
	}
}

func TestNoColorFromEnvironmentAnyValue(t *testing.T) {
	for _, v := range []string{"1", "yes", "true", "0"} {
		t.Setenv("NO_COLOR", v)
		s := System()
		s.SetTTY(true, true, true)
		if s.ColorEnabled() || s.StdoutColorEnabled() {
			t.Errorf("NO_COLOR=%q must turn colour off", v)
		}
	}
	t.Setenv("NO_COLOR", "")
	s := System()
	s.SetTTY(true, true, true)
	if !s.ColorEnabled() {
		t.Error("an empty NO_COLOR leaves colour on")
	}
	s.SetNoColor(true)
	if s.ColorEnabled() {
		t.Error("--no-color turns colour off")
	}
}

func TestAccessibleFromEnvironment(t *testing.T) {
	t.Setenv("ACCESSIBLE", "1")
	if !System().Accessible() {
		t.Error("ACCESSIBLE=1 asks for plain prompts")
	}
}

func TestDumbTerminalGetsPlainPromptsNeverTheFullScreenUI(t *testing.T) {
	t.Setenv("TERM", "dumb")
	t.Setenv("ACCESSIBLE", "")
	t.Setenv("NO_COLOR", "")
	s := System()
	s.SetTTY(true, true, true)
	if s.CanDrawUI() {
		t.Error("TERM=dumb must never get the full-screen UI")
	}
	if !s.Accessible() {
		t.Error("TERM=dumb on a terminal gets plain prompts")
	}
	if s.CanAnimate() {
		t.Error("TERM=dumb cannot redraw a progress view")
	}
	if s.ColorEnabled() || s.StdoutColorEnabled() {
		t.Error("TERM=dumb gets no colour")
	}
	// Without a terminal there is no one to prompt.
	s.SetTTY(false, false, false)
	if s.Accessible() {
		t.Error("TERM=dumb with stdin not a terminal must not prompt")
	}

	t.Setenv("TERM", "xterm-256color")
	s = System()
	s.SetTTY(true, true, true)
	if !s.CanDrawUI() || s.Accessible() || !s.CanAnimate() {
		t.Errorf("xterm-256color: CanDrawUI %v, Accessible %v, CanAnimate %v; want the full-screen UI", s.CanDrawUI(), s.Accessible(), s.CanAnimate())
	}
}

func TestCygwinTerminalIsATerminalWithPlainPrompts(t *testing.T) {
	s, _, _, _ := Test()
	s.SetCygwinTTY()
	if !s.IsStdinTTY() || !s.IsStderrTTY() {
		t.Fatal("Git Bash's mintty is a terminal: a person is there")
	}
	if s.CanDrawUI() {
		t.Error("the full-screen UI cannot read keys through mintty's pipe")
	}
	if !s.Accessible() {
		t.Error("mintty gets plain prompts")
	}
	if s.CanAnimate() {
		t.Error("a progress view needs a terminal that tells its size; mintty's pipe does not")
	}

	// A hidden prompt there would echo the secret: it refuses, saying what
	// to do instead.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	s.In = r
	read := s.SecretReader()
	if read == nil {
		t.Fatal("a terminal gets a secret reader, not the line reader of a script")
	}
	if _, err := read(context.Background()); !errors.Is(err, ErrCannotHideInput) {
		t.Fatalf("reading a secret on mintty: %v", err)
	}
	for _, want := range []string{"winpty", "DRSETUP_PASSWORD"} {
		if !strings.Contains(ErrCannotHideInput.Error(), want) {
			t.Errorf("the refusal does not say %q", want)
		}
	}
}

func TestTerminalWidthDefaultsTo80(t *testing.T) {
	s, _, _, _ := Test()
	if got := s.TerminalWidth(); got != 80 {
		t.Errorf("unknown width: %d, want 80", got)
	}
	s.SetWidth(132)
	if got := s.TerminalWidth(); got != 132 {
		t.Errorf("width %d, want 132", got)
	}
}

func TestCanPromptNeedsAPersonOrPlainPromptsAskedFor(t *testing.T) {
	for _, c := range []struct {
		stdin, stderr, accessible, want bool
	}{
		{true, true, false, true},
		{false, true, false, false}, // a script's pipe on stdin
		{true, false, false, false}, // stderr to a file: the question would not be seen
		{false, false, true, true},  // --accessible: answers may come through a pipe
	} {
		s, _, _, _ := Test()
		s.SetTTY(c.stdin, false, c.stderr)
		s.SetAccessible(c.accessible)
		if got := s.CanPrompt(); got != c.want {
			t.Errorf("%+v: CanPrompt %v", c, got)
		}
	}
}
