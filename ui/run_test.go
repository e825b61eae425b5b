package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/steps"
)

// These tests run RunWizard itself: a real Bubble Tea program reading raw
// key bytes from a pipe and drawing into a buffer, as on a terminal.

const (
	rawEnter = "\r"
	rawCtrlC = "\x03"
	rawDown  = "\x1b[B"
	rawPgUp  = "\x1b[5~"
)

// syncBuffer is the program's output, safe to read while it draws.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// program runs RunWizard in the background. The filter records the model
// before each message, so the test can wait for a screen; every key the
// test writes is such a message.
type program struct {
	t     *testing.T
	in    *io.PipeWriter
	out   *syncBuffer
	state atomic.Value // snapshot
	done  chan struct{}
	res   *steps.Result
	err   error
}

type snapshot struct {
	seen     bool // the program has started
	screen   steps.ID
	busy     bool
	verified bool
}

// startProgram runs the wizard; before is called with each message first
// (tests use it to break things), may be nil.
func startProgram(t *testing.T, ctx context.Context, o WizardOptions, before func(tea.Msg)) *program {
	t.Helper()
	r, w := io.Pipe()
	p := &program{t: t, in: w, out: &syncBuffer{}, done: make(chan struct{})}
	p.state.Store(snapshot{})
	o.In, o.Out = r, p.out
	filter := tea.WithFilter(func(m tea.Model, msg tea.Msg) tea.Msg {
		if before != nil {
			before(msg)
		}
		if wz, ok := m.(*wizard); ok {
			p.state.Store(snapshot{seen: true, screen: wz.current, busy: wz.c.busy(), verified: wz.c.session.Verified() != nil})
		}
		return msg
	})
	o.ProgramOptions = []tea.ProgramOption{filter, tea.WithWindowSize(100, 40)}
	go func() {
		defer close(p.done)
		p.res, p.err = RunWizard(ctx, o)
	}()
	t.Cleanup(func() {
		w.Close()
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			t.Error("the wizard did not end")
		}
	})
	return p
}

func (p *program) write(s string) {
	p.t.Helper()
	if _, err := io.WriteString(p.in, s); err != nil {
		p.t.Fatalf("writing keys: %v", err)
	}
}

// waitFor pokes the program with a key that changes nothing (page up) until
// the model, as the filter last saw it, satisfies cond. The deadline only
// turns a hang into a failure.
func (p *program) waitFor(what string, cond func(snapshot) bool) {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if s := p.state.Load().(snapshot); cond(s) {
			return
		}
		select {
		case <-p.done:
			p.t.Fatalf("the wizard ended while waiting for %s: %v", what, p.err)
		default:
		}
		p.write(rawPgUp)
		time.Sleep(10 * time.Millisecond)
	}
	p.t.Fatalf("timed out waiting for %s (last %+v)", what, p.state.Load())
}

func (p *program) waitScreen(id steps.ID) {
	p.t.Helper()
	p.waitFor(id.Title(), func(s snapshot) bool {
		return s.seen && s.screen == id && !s.busy && strings.Contains(p.out.String(), altScreenOn)
	})
}

func (p *program) wait() {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.t.Fatal("the wizard did not end")
	}
}

const (
	altScreenOn  = "\x1b[?1049h"
	altScreenOff = "\x1b[?1049l"
)

func requireRestored(t *testing.T, out string) {
	t.Helper()
	on, off := strings.Index(out, altScreenOn), strings.LastIndex(out, altScreenOff)
	if on < 0 || off < on {
		t.Errorf("the terminal was not given back: alternate screen entered at %d, left at %d", on, off)
	}
}

func TestRunWizardCtrlCOnWelcomeIsCancelledAndRestoresTheTerminal(t *testing.T) {
	p := startProgram(t, context.Background(), WizardOptions{Services: offline(), Initial: steps.Defaults("default")}, nil)
	p.waitScreen(steps.Welcome)
	p.write(rawCtrlC)
	p.wait()
	if !errors.Is(p.err, ErrCancelled) || p.res != nil {
		t.Fatalf("RunWizard = %v, %v; want ErrCancelled", p.res, p.err)
	}
	requireRestored(t, p.out.String())
}

func TestRunWizardCancelledContextIsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := startProgram(t, ctx, WizardOptions{Services: offline(), Initial: steps.Defaults("default")}, nil)
	p.waitScreen(steps.Welcome)
	p.write(rawEnter)
	p.waitScreen(steps.Environment)
	cancel()
	p.wait()
	if !errors.Is(p.err, ErrCancelled) {
		t.Fatalf("RunWizard after the context ended = %v; want ErrCancelled", p.err)
	}
	requireRestored(t, p.out.String())
}

func TestRunWizardPanicRestoresTheTerminalAndSaysSo(t *testing.T) {
	boom := func(msg tea.Msg) {
		if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "x" {
			panic("test panic")
		}
	}
	wd := newWorld(t, emulator.DemoScenario())
	p := startProgram(t, context.Background(), wd.options(steps.Defaults("default")), boom)
	p.waitScreen(steps.Welcome)
	p.write("x")
	p.wait()
	if p.err == nil || !strings.Contains(p.err.Error(), "internal error") {
		t.Fatalf("RunWizard after a panic = %v", p.err)
	}
	requireRestored(t, p.out.String())
	if _, err := wd.store.Load("default"); err == nil {
		t.Error("a profile was saved")
	}
}

func TestRunWizardHappyPathWithoutColourReturnsTheResult(t *testing.T) {
	wd := newWorld(t, emulator.DemoScenario())
	o := wd.options(steps.Defaults("default"))
	o.Color = false
	p := startProgram(t, context.Background(), o, nil)
	step := func(id steps.ID, keys ...string) {
		t.Helper()
		p.waitScreen(id)
		for _, k := range keys {
			p.write(k)
		}
	}
	step(steps.Welcome, rawEnter)
	step(steps.Environment, rawEnter)
	step(steps.MyDomain, demo.MyDomain, rawEnter)
	step(steps.Auth, rawEnter)
	step(steps.ConnectedApp, demo.ClientID, rawEnter, "\x1b[200~"+demo.ClientSecret+"\n\x1b[201~", rawEnter)
	step(steps.User, demo.Username, rawEnter, demo.Password, rawEnter, demo.SecurityToken, rawEnter)
	step(steps.VerifySalesforce, rawEnter)
	p.waitFor("the login", func(s snapshot) bool { return s.verified && !s.busy })
	p.write(rawEnter)
	step(steps.DRKey, demo.DRKey, rawEnter)
	step(steps.Events, rawEnter)
	step(steps.Review, rawEnter)
	step(steps.Register, rawEnter)
	p.wait()

	if p.err != nil || p.res == nil || p.res.Action != drapi.ActionCreated {
		t.Fatalf("RunWizard = %+v, %v", p.res, p.err)
	}
	if len(wd.acmeWebhooks()) != 1 {
		t.Error("no webhook registered")
	}
	if n := wd.srv.LoginAttempts(demo.Username); n != 1 {
		t.Errorf("login attempts = %d, want 1", n)
	}
	out := p.out.String()
	requireRestored(t, out)
	if strings.Contains(out, "\x1b[38;") || strings.Contains(out, "\x1b[48;") {
		t.Error("colour was drawn with colour off")
	}
	for _, s := range []string{demo.ClientSecret, demo.Password, demo.SecurityToken, demo.DRKey} {
		if strings.Contains(out, s) {
			t.Error("a secret was drawn on the terminal")
		}
	}
}

func TestRunWizardNeedsServices(t *testing.T) {
	if _, err := RunWizard(context.Background(), WizardOptions{}); err == nil {
		t.Error("no error without services")
	}
}
