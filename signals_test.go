package main

import (
	"bytes"
	"strings"
	"syscall"
	"testing"
)

func TestSignalExitCodes(t *testing.T) {
	for _, tt := range []struct {
		sig  syscall.Signal
		run  int // what the run returned
		want int
	}{
		{syscall.SIGHUP, exitCancelled, 129},
		{syscall.SIGINT, exitCancelled, 130},
		{syscall.SIGTERM, exitCancelled, 130},
		{syscall.SIGQUIT, exitCancelled, 130},
		// A run that finished (or failed) on its own keeps its code.
		{syscall.SIGHUP, exitOK, exitOK},
		{syscall.SIGQUIT, exitFailed, exitFailed},
	} {
		s := &signals{got: tt.sig}
		if got := s.exitCode(tt.run); got != tt.want {
			t.Errorf("%v after a run that returned %d: exit %d, want %d", tt.sig, tt.run, got, tt.want)
		}
	}
	if got := (&signals{}).exitCode(exitUsage); got != exitUsage {
		t.Errorf("without a signal: exit %d, want %d", got, exitUsage)
	}
}

func TestAPanicRestoresTheTerminalAndExits1WithoutItsValue(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fn    func() int
		shown string
		not   string
	}{
		{"a value the program made", func() int { panic("password=hunter2") }, "internal error (a string)", "hunter2"},
		{"a runtime error", func() int {
			var m map[string]int
			//lint:ignore SA5000 the test needs a panic the Go runtime makes
			m["x"] = 1
			return 0
		}, "assignment to entry in nil map", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			restored := false
			var out bytes.Buffer
			code := guardPanic(func() { restored = true }, &out, tt.fn)
			if code != exitFailed || !restored {
				t.Fatalf("exit %d, terminal restored %v; want 1 and restored", code, restored)
			}
			msg := out.String()
			if !strings.Contains(msg, tt.shown) || !strings.Contains(msg, "goroutine") || !strings.Contains(msg, "Please report it") {
				t.Errorf("message:\n%s", msg)
			}
			if tt.not != "" && strings.Contains(msg, tt.not) {
				t.Errorf("the panic's value reached the output:\n%s", msg)
			}
		})
	}
	if code := guardPanic(func() { t.Fatal("restored without a panic") }, &bytes.Buffer{}, func() int { return 7 }); code != 7 {
		t.Fatalf("without a panic: exit %d, want the run's 7", code)
	}
}
