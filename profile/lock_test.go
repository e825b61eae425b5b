package profile

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestLockMakesASecondRunWaitAndNamesTheHolder(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	unlock, err := s.Lock(context.Background(), "default", time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	told := 0
	var holder LockHolder
	start := time.Now()
	_, err = s.Lock(context.Background(), "default", 300*time.Millisecond, func(h LockHolder) { told++; holder = h })
	var le *LockError
	if !errors.As(err, &le) || le.Err != nil {
		t.Fatalf("got %v; want a LockError for a busy lock", err)
	}
	if time.Since(start) < 300*time.Millisecond || le.Waited < 300*time.Millisecond {
		t.Fatalf("gave up after %v; the wait is 300ms", time.Since(start))
	}
	if told != 1 || holder.PID != os.Getpid() || le.Holder.PID != os.Getpid() || holder.Since.IsZero() {
		t.Fatalf("told %d times, holder %+v / %+v; want once, this process", told, holder, le.Holder)
	}
	if !strings.Contains(le.Error(), `"default"`) || !strings.Contains(le.Error(), "process") {
		t.Errorf("message %q", le.Error())
	}

	// Another profile is not locked by it.
	other, err := s.Lock(context.Background(), "other", 10*time.Millisecond, nil)
	if err != nil {
		t.Fatalf("profile other: %v", err)
	}
	other()

	// Released, the waiting run goes on.
	got := make(chan error, 1)
	go func() {
		u, err := s.Lock(context.Background(), "default", 5*time.Second, nil)
		if u != nil {
			u()
		}
		got <- err
	}()
	time.Sleep(150 * time.Millisecond)
	unlock()
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("after the unlock: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting run did not get the lock after it was released")
	}
}

func TestLockWaitEndsWithTheContext(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	unlock, err := s.Lock(context.Background(), "default", time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.Lock(ctx, "default", time.Minute, nil)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("got %v after %v; want the context's end, at once", err, time.Since(start))
	}
}

// A run that was killed while holding the lock does not block the next:
// the OS releases its lock with the process.
func TestLockOfAKilledRunIsNotStale(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	cmd.Env = append(os.Environ(), "DRSETUP_LOCK_HELPER_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		cmd.Process.Kill()
		t.Fatalf("helper said %q", line)
	}
	s := NewStore(dir, MemoryKeyring())
	var le *LockError
	if _, err := s.Lock(context.Background(), "default", 50*time.Millisecond, nil); !errors.As(err, &le) || le.Holder.PID != cmd.Process.Pid {
		cmd.Process.Kill()
		t.Fatalf("while the helper holds it: %v; want a LockError naming process %d", err, cmd.Process.Pid)
	}
	cmd.Process.Kill() // no cleanup runs: SIGKILL on Unix, TerminateProcess on Windows
	cmd.Wait()
	unlock, err := s.Lock(context.Background(), "default", 5*time.Second, nil)
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	unlock()
}

// TestLockHelperProcess takes the lock and waits to be killed; it is run by
// TestLockOfAKilledRunIsNotStale as a separate process.
func TestLockHelperProcess(t *testing.T) {
	dir := os.Getenv("DRSETUP_LOCK_HELPER_DIR")
	if dir == "" {
		t.Skip("run by TestLockOfAKilledRunIsNotStale")
	}
	if _, err := NewStore(dir, MemoryKeyring()).Lock(context.Background(), "default", time.Second, nil); err != nil {
		os.Stdout.WriteString("failed: " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Stdout.WriteString("locked\n")
	time.Sleep(time.Minute)
	os.Exit(0)
}

func TestLockFileHoldsNoSecretAndIsPrivate(t *testing.T) {
	dir := t.TempDir()
	s := NewStore(dir, MemoryKeyring())
	unlock, err := s.Lock(context.Background(), "Acme", time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	b, err := os.ReadFile(s.LockPath("acme"))
	if err != nil {
		t.Fatal(err)
	}
	if h := readHolder(s.LockPath("acme")); h.PID != os.Getpid() || !strings.HasPrefix(string(b), "pid ") || len(b) > 100 {
		t.Fatalf("lock file %q", b)
	}
	if fi, _ := os.Stat(s.LockPath("acme")); fi.Mode().Perm()&0o077 != 0 && os.PathSeparator == '/' {
		t.Fatalf("lock file mode %v", fi.Mode())
	}
	// The lock file is not taken for a profile.
	if ps, err := s.List(); err != nil || len(ps) != 0 {
		t.Fatalf("List = %v, %v", ps, err)
	}
	if _, err := s.Lock(context.Background(), "no/slash", time.Second, nil); err == nil {
		t.Fatal("an invalid profile name was locked")
	}
}
