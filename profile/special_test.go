//go:build unix

package profile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drsetup/drsetup/regularfile"
)

// inTime fails the test when fn blocks: a FIFO opened for reading waits for
// a writer that never comes.
func inTime(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s blocked on a special file", what)
	}
}

func TestSpecialProfileFilesAreRefusedWithoutBlocking(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	if err := s.Save(sampleProfile("good")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(s.Path("pipe"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(s.Path("folder"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pipe", "folder"} {
		var err error
		inTime(t, "Load", func() { _, err = s.Load(name) })
		var fe *FileError
		if !errors.As(err, &fe) || fe.Kind != FileNotRegular || !errors.Is(err, regularfile.ErrNotRegular) {
			t.Fatalf("Load(%s) = %v, want a not_regular *FileError", name, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, s.Path(name)) || !strings.Contains(msg, "move it away") || !strings.Contains(msg, "--profile "+name) {
			t.Errorf("Load(%s): %s", name, msg)
		}
	}
	if _, err := s.Load("pipe"); err == nil || !strings.Contains(err.Error(), "it is a named pipe (FIFO)") {
		t.Errorf("the FIFO is not named as one: %v", err)
	}

	var profiles []Profile
	var err error
	inTime(t, "List", func() { profiles, err = s.List() })
	var le *ListError
	if len(profiles) != 1 || profiles[0].Name != "good" || !errors.As(err, &le) || len(le.Damaged) != 1 || !errors.Is(err, regularfile.ErrNotRegular) {
		// The folder named folder.json is skipped as a foreign entry.
		t.Fatalf("List = %v, %v; want the good profile and the FIFO reported", profiles, err)
	}

	// Delete still removes the FIFO, so the user can get rid of it.
	inTime(t, "Delete", func() { err = s.Delete("pipe") })
	if err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := os.Lstat(s.Path("pipe")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the FIFO is still there: %v", err)
	}
}

func TestAProfilesFolderThatIsAFIFOIsRefusedWithoutBlocking(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "profiles"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := NewStore(dir, MemoryKeyring())
	var err error
	inTime(t, "List", func() { _, err = s.List() })
	for _, what := range []string{"List", "Load"} {
		inTime(t, what, func() {
			if what == "List" {
				_, err = s.List()
			} else {
				_, err = s.Load("default")
			}
		})
		var fe *FileError
		if !errors.As(err, &fe) || fe.Kind != FileNotRegular || !errors.Is(err, regularfile.ErrNotRegular) ||
			!strings.Contains(err.Error(), "drsetup keeps its profiles in the folder "+filepath.Join(dir, "profiles")+", but it is a named pipe (FIFO)") {
			t.Fatalf("%s = %v, want a not_regular *FileError for the folder", what, err)
		}
	}
}
