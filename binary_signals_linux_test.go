package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/drsetup/drsetup/emulator"
)

// ptyRun is the binary running on a pseudo-terminal of its own, as on an
// admin's screen: the terminal is its controlling terminal and its stdin,
// stdout and stderr.
type ptyRun struct {
	t         *testing.T
	ptmx, tty *os.File
	cmd       *exec.Cmd
	before    string // stty -a before drsetup started
	mu        sync.Mutex
	out       bytes.Buffer
	exited    chan struct{}
}

// stty is what stty -a says of the terminal: every mode that a program
// left in raw mode, without echo, would change.
func stty(t *testing.T, tty *os.File) string {
	t.Helper()
	cmd := exec.Command("stty", "-a")
	cmd.Stdin = tty
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("stty -a: %v", err)
	}
	return string(out)
}

func startOnPTY(t *testing.T, c *cli, args ...string) *ptyRun {
	t.Helper()
	if _, err := exec.LookPath("stty"); err != nil {
		t.Skip("needs stty")
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 30, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	env := []string{"TERM=xterm-256color"}
	for _, kv := range c.env {
		if !strings.HasPrefix(kv, "TERM=") {
			env = append(env, kv)
		}
	}
	r := &ptyRun{t: t, ptmx: ptmx, tty: tty, exited: make(chan struct{}), before: stty(t, tty)}
	r.cmd = exec.Command(binary, args...)
	r.cmd.Env = env
	r.cmd.Stdin, r.cmd.Stdout, r.cmd.Stderr = tty, tty, tty
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			r.mu.Lock()
			r.out.Write(buf[:n])
			r.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { r.cmd.Wait(); close(r.exited) }()
	t.Cleanup(func() {
		select {
		case <-r.exited:
		default:
			r.cmd.Process.Kill()
			<-r.exited
		}
	})
	return r
}

// lastOf is the end of long output, for a failure message.
func lastOf(s string) string {
	if len(s) > 1500 {
		return "…" + s[len(s)-1500:]
	}
	return s
}

func (r *ptyRun) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.String()
}

// waitFor waits until the screen has shown text.
func (r *ptyRun) waitFor(text string) {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(r.output(), text) {
		select {
		case <-r.exited:
			r.t.Fatalf("drsetup ended before showing %q:\n%q", text, lastOf(r.output()))
		default:
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("drsetup did not show %q:\n%q", text, lastOf(r.output()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitForMode waits until stty shows every one of modes ("-echo").
func (r *ptyRun) waitForMode(modes ...string) {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		fields := strings.Fields(stty(r.t, r.tty))
		all := true
		for _, m := range modes {
			all = all && containsField(fields, m)
		}
		if all {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("the terminal never showed %v: the test would prove nothing\n%s", modes, stty(r.t, r.tty))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func containsField(fields []string, f string) bool {
	for _, x := range fields {
		if strings.TrimSuffix(x, ";") == f {
			return true
		}
	}
	return false
}

// signal sends sig and returns the exit code.
func (r *ptyRun) signal(sig syscall.Signal) int {
	r.t.Helper()
	if err := r.cmd.Process.Signal(sig); err != nil {
		r.t.Fatal(err)
	}
	select {
	case <-r.exited:
	case <-time.After(30 * time.Second):
		r.t.Fatalf("drsetup did not end on %v:\n%q", sig, lastOf(r.output()))
	}
	return r.cmd.ProcessState.ExitCode()
}

// nextLine is the line the next program to read the terminal gets, once a
// line break is typed: what a shell would run and echo.
func nextLine(t *testing.T, r *ptyRun) string {
	t.Helper()
	r.ptmx.WriteString("\n")
	cmd := exec.Command("head", "-n1")
	cmd.Stdin = r.tty
	done := make(chan struct{})
	var out []byte
	go func() { out, _ = cmd.Output(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("nothing could be read from the terminal")
	}
	return string(out)
}

var signalTests = []struct {
	name string
	sig  syscall.Signal
	code int
}{
	{"SIGHUP", syscall.SIGHUP, 129},
	{"SIGQUIT", syscall.SIGQUIT, 130},
	{"SIGINT", syscall.SIGINT, 130},
	{"SIGTERM", syscall.SIGTERM, 130},
}

// Every signal that ends the wizard leaves the terminal as it found it: the
// same stty modes (out of raw mode, echo on), the alternate screen left and
// the cursor shown; the exit code is 129 for SIGHUP and 130 for the others.
func TestSignalsToTheWizardRestoreTheTerminal(t *testing.T) {
	for _, tt := range signalTests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			r := startOnPTY(t, c, "--demo")
			r.waitFor("Connect Salesforce")
			r.waitForMode("-icanon", "-echo")
			code := r.signal(tt.sig)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if after := stty(t, r.tty); after != r.before {
				t.Errorf("stty -a after %s:\n%s\nbefore:\n%s", tt.name, after, r.before)
			}
			// What drsetup wrote last may still be on its way through the
			// pseudo-terminal.
			tailOf := func() string { out := r.output(); return out[strings.LastIndex(out, "Connect Salesforce"):] }
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if got := tailOf(); strings.Contains(got, "\x1b[?1049l") && strings.Contains(got, "\x1b[?25h") {
					break
				}
			}
			out, tail := r.output(), tailOf()
			for _, seq := range []string{"\x1b[?1049l", "\x1b[?25h"} {
				if !strings.Contains(tail, seq) {
					t.Errorf("after %s the output lacks %q (alternate screen off, cursor shown):\n%q", tt.name, seq, lastOf(tail))
				}
			}
			if strings.Contains(out, "goroutine ") {
				t.Errorf("a goroutine dump reached the terminal")
			}
		})
	}
}

// The same for the --accessible hidden prompt: echo is off while the
// secret is typed and back on after the signal.
func TestSignalsToAHiddenPromptRestoreEcho(t *testing.T) {
	d := emulator.Demo
	for _, tt := range signalTests[:2] {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			r := startOnPTY(t, c, "--demo", "--accessible")
			for _, step := range []struct{ prompt, answer string }{
				{"Step 1 of 9", "1"}, {"My Domain URL", d.MyDomain}, {"Step 3 of 9", "1"}, {"Client ID", d.ClientID},
			} {
				r.waitFor(step.prompt)
				r.ptmx.WriteString(step.answer + "\n")
			}
			r.waitFor("typing is hidden")
			r.waitForMode("-echo")
			// Half a secret, not entered: it must not be left for the
			// shell, which would echo it.
			r.ptmx.WriteString("half-a-secret")
			time.Sleep(100 * time.Millisecond)
			code := r.signal(tt.sig)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%q", code, tt.code, lastOf(r.output()))
			}
			if after := stty(t, r.tty); after != r.before {
				t.Errorf("stty -a after %s:\n%s\nbefore:\n%s", tt.name, after, r.before)
			}
			if left := nextLine(t, r); strings.Contains(left, "secret") {
				t.Errorf("the next program on the terminal reads %q: the typed part of the secret was left behind", left)
			}
		})
	}
}
