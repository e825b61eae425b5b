package profile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// LockHolder is the drsetup run that holds a profile's lock, as its lock
// file says.
type LockHolder struct {
	PID   int // 0 when the file does not say
	Since time.Time
}

// LockError is returned by Lock: the profile stayed locked by another run
// for the whole wait, or (Err set) the lock file could not be used at all.
type LockError struct {
	Name   string // the profile
	Path   string // the lock file
	Holder LockHolder
	Waited time.Duration
	Err    error
}

func (e *LockError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("profile: could not use the lock file %s: %s", e.Path, osReason(e.Err))
	}
	return fmt.Sprintf("profile: %q is locked by another drsetup run (process %d) and stayed locked for %s", e.Name, e.Holder.PID, e.Waited.Round(time.Second))
}

func (e *LockError) Unwrap() error { return e.Err }

// lockPoll is how often a busy lock is tried again.
const lockPoll = 100 * time.Millisecond

// LockPath is the lock file of profile name (it need not exist).
func (s *Store) LockPath(name string) string {
	return filepath.Join(s.dir, "locks", canonical(name)+".lock")
}

// Lock takes profile name's lock, so that two drsetup runs on this machine
// registering the same profile take turns instead of racing. It is an OS
// file lock (flock, LockFileEx) on a file in the settings directory: the OS
// releases it when its holder exits, however it exits, so a run that
// crashed or was killed never blocks the next one. A busy lock is tried
// again until wait has passed (then a *LockError naming the holder) or ctx
// ends; waiting, when set, is told once that the lock is busy and by whom.
//
// The lock file holds only the holder's process id and start time. It is
// left in place after unlock: removing it would let a waiting run lock a
// file that a third run has already replaced.
func (s *Store) Lock(ctx context.Context, name string, wait time.Duration, waiting func(LockHolder)) (unlock func(), err error) {
	if err := ValidName(name); err != nil {
		return nil, err
	}
	path := s.LockPath(name)
	fail := func(err error) (func(), error) { return nil, &LockError{Name: canonical(name), Path: path, Err: err} }
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fail(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fail(err)
	}
	start := time.Now()
	told := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return fail(err)
		}
		if ok {
			break
		}
		holder := readHolder(path)
		if waiting != nil && !told {
			told = true
			waiting(holder)
		}
		if waited := time.Since(start); waited >= wait {
			f.Close()
			return nil, &LockError{Name: canonical(name), Path: path, Holder: holder, Waited: waited}
		}
		t := time.NewTimer(min(lockPoll, wait-time.Since(start)))
		select {
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	// Who holds it, for a run that has to wait; nothing secret.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(fmt.Sprintf("pid %d\nsince %s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339))), 0)
	}
	return func() {
		unlockFile(f)
		f.Close()
	}, nil
}

// readHolder reads who holds a lock from its file; a file being written or
// not understood gives what could be read.
func readHolder(path string) LockHolder {
	var h LockHolder
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 200 {
		return h
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch k {
		case "pid":
			h.PID, _ = strconv.Atoi(v)
		case "since":
			h.Since, _ = time.Parse(time.RFC3339, v)
		}
	}
	return h
}
