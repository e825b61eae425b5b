package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"sync"
	"syscall"

	"golang.org/x/term"
)

// exitHangup is the exit code after SIGHUP (128 + 1, as shells report it);
// every other signal that ends a run (SIGINT, SIGTERM, SIGQUIT) gives
// exitCancelled, 130, never Go's 2 for SIGQUIT.
const exitHangup = 129

// endSignals end a run. Each is caught, so none kills the process on the
// spot: the first cancels the run's context, and the full-screen UI (Bubble
// Tea restores the terminal when its context ends) and the hidden prompts
// (iostreams.SecretReader restores echo) put the terminal back as they
// return. SIGHUP and SIGQUIT are caught too: left to Go, SIGHUP killed the
// process in raw mode with echo off, and SIGQUIT dumped goroutines and
// exited 2, the bad-usage code.
var endSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// signals is the run's signal handling.
type signals struct {
	ch      chan os.Signal
	cancel  context.CancelFunc
	stopped chan struct{}
	restore func() // puts the terminal back as it was at start

	mu  sync.Mutex
	got os.Signal // the first signal, nil before
}

// notifySignals returns a context that ends at the first of endSignals. A
// second one, when the run has not ended by then, restores the terminal and
// exits at once: the user asked twice.
func notifySignals(parent context.Context) (context.Context, *signals) {
	ctx, cancel := context.WithCancel(parent)
	s := &signals{ch: make(chan os.Signal, 2), cancel: cancel, stopped: make(chan struct{}), restore: saveTerminal()}
	signal.Notify(s.ch, endSignals...)
	go s.loop()
	return ctx, s
}

func (s *signals) loop() {
	var first os.Signal
	select {
	case first = <-s.ch:
	case <-s.stopped:
		return
	}
	s.mu.Lock()
	s.got = first
	s.mu.Unlock()
	s.cancel()
	select {
	case <-s.ch:
		s.restore()
		fmt.Fprintln(os.Stderr, "Stopped at once on a second signal.")
		os.Exit(signalCode(first))
	case <-s.stopped:
	}
}

// exitCode is the run's exit code once a signal ended it: 129 for SIGHUP
// where the run says it was cancelled (130).
func (s *signals) exitCode(code int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.got != nil && code == exitCancelled {
		return signalCode(s.got)
	}
	return code
}

// stop ends the handling; signals after it are Go's again.
func (s *signals) stop() {
	signal.Stop(s.ch)
	close(s.stopped)
	s.cancel()
}

func signalCode(sig os.Signal) int {
	if sig == syscall.SIGHUP {
		return exitHangup
	}
	return exitCancelled
}

// Sequences that undo what the full-screen UI turns on: the alternate
// screen, the hidden cursor, bracketed paste, the kitty keyboard protocol,
// modifyOtherKeys and focus reports. Written only on the way out after a
// second signal or a panic, when the UI could not undo them itself.
const terminalReset = "\x1b[?1049l\x1b[?25h\x1b[?2004l\x1b[<u\x1b[>4;0m\x1b[?1004l"

// saveTerminal records the state of the terminal on stdin, if there is one,
// and returns what puts it back: that state (echo, line mode), and on a
// terminal stderr, where the UI draws, the screen and cursor.
func saveTerminal() func() {
	in := int(os.Stdin.Fd())
	state, err := term.GetState(in)
	if err != nil {
		state = nil
	}
	errTTY := term.IsTerminal(int(os.Stderr.Fd()))
	return func() {
		if state != nil {
			_ = term.Restore(in, state)
		}
		if errTTY {
			io.WriteString(os.Stderr, terminalReset)
		}
	}
}

// guardPanic runs fn; a panic in it restores the terminal, says it was an
// internal error and gives exit code 1. The panic's value is shown only
// when the runtime made it (an index out of range, a nil pointer): a value
// the program made could hold a secret.
func guardPanic(restore func(), errOut io.Writer, fn func() int) (code int) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		restore()
		what := fmt.Sprintf("a %T", r)
		if re, ok := r.(runtime.Error); ok {
			what = re.Error()
		}
		fmt.Fprintf(errOut, "drsetup: internal error (%s): a bug in drsetup; the terminal was restored. Please report it with the lines below.\n%s", what, debug.Stack())
		code = exitFailed
	}()
	return fn()
}
