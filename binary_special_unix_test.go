//go:build unix

package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// A FIFO where drsetup expects a file used to block every command for ever;
// now each command that reads it says what is wrong and exits 2, at once
// (cli.run fails the test after its deadline).
func TestSpecialFilesAreRefusedWithoutBlocking(t *testing.T) {
	t.Run("profile file", func(t *testing.T) {
		c := newCLI(t).setenv("DRSETUP_DR_API_KEY=sk_test_abcdefgh12")
		dir := filepath.Join(c.home, ".config", "drsetup", "profiles")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		fifo := filepath.Join(dir, "default.json")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"doctor"},
			{"setup", "--no-input", "--yes"},
			{"webhooks", "list"},
			{"profiles"},
		} {
			c.run(args...).want(2)
			if msg := c.stderr.String(); !strings.Contains(msg, fifo) || !strings.Contains(msg, "named pipe (FIFO)") {
				t.Errorf("drsetup %s: stderr does not name the FIFO:\n%s", strings.Join(args, " "), msg)
			}
		}
		// profiles delete removes it, as the message suggests moving it away
		// (exit 1 only because these runs have no keyring to clean).
		c.run("profiles", "delete", "default").want(1)
		if !strings.Contains(c.stderr.String(), "Removed the profile file "+fifo) {
			t.Errorf("stderr:\n%s", c.stderr.String())
		}
		if _, err := os.Lstat(fifo); !os.IsNotExist(err) {
			t.Errorf("the FIFO is still there: %v", err)
		}
	})
	t.Run("profiles folder", func(t *testing.T) {
		c := newCLI(t)
		dir := filepath.Join(c.home, ".config", "drsetup")
		os.MkdirAll(dir, 0o700)
		if err := syscall.Mkfifo(filepath.Join(dir, "profiles"), 0o600); err != nil {
			t.Fatal(err)
		}
		c.run("profiles").want(2)
		c.run("doctor").want(2)
		if !strings.Contains(c.stderr.String(), "named pipe (FIFO)") {
			t.Errorf("stderr:\n%s", c.stderr.String())
		}
	})
	t.Run("demo scenario", func(t *testing.T) {
		fifo := filepath.Join(t.TempDir(), "scenario.json")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{fifo, t.TempDir(), os.DevNull} {
			c := newCLI(t).setenv("DRSETUP_DEMO_SCENARIO=" + path)
			c.run("--demo", "doctor").want(2)
			if msg := c.stderr.String(); !strings.Contains(msg, "DRSETUP_DEMO_SCENARIO="+path) || !strings.Contains(msg, "not a file drsetup can read") {
				t.Errorf("%s: stderr:\n%s", path, msg)
			}
		}
	})
	// Go reads SSL_CERT_FILE whole at the first HTTPS request: a FIFO there
	// would hang every request until its time limit.
	t.Run("certificate authorities file", func(t *testing.T) {
		if runtime.GOOS == "darwin" {
			t.Skip("macOS uses the system's store and never reads SSL_CERT_FILE")
		}
		fifo := filepath.Join(t.TempDir(), "ca.pem")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		c := newCLI(t).setenv("DRSETUP_DR_API_KEY=sk_test_abcdefgh12", "SSL_CERT_FILE="+fifo)
		c.run("webhooks", "list").want(2)
		if msg := c.stderr.String(); !strings.Contains(msg, "SSL_CERT_FILE="+fifo) || !strings.Contains(msg, "named pipe (FIFO)") {
			t.Errorf("stderr:\n%s", msg)
		}
	})
}
