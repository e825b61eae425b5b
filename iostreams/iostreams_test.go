package iostreams

import "testing"

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
