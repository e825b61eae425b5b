package regularfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// withDeadline runs fn and fails the test if it has not returned in time:
// the point of the package is that nothing blocks.
func withDeadline(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s blocked", what)
	}
}

// special makes one of every kind of non-regular file the OS offers here,
// and a symbolic link to each.
func special(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	paths := map[string]string{"folder": dir + "/folder"}
	if err := os.Mkdir(paths["folder"], 0o700); err != nil {
		t.Fatal(err)
	}
	addUnixSpecials(t, dir, paths)
	return paths
}

func TestOpenRefusesEverySpecialFileWithoutBlocking(t *testing.T) {
	for name, path := range special(t) {
		t.Run(name, func(t *testing.T) {
			var f *os.File
			var err error
			withDeadline(t, "Open of a "+name, func() { f, err = Open(path) })
			if err == nil {
				f.Close()
				t.Fatalf("Open(%s) succeeded", path)
			}
			var nre *NotRegularError
			if !errors.As(err, &nre) || !errors.Is(err, ErrNotRegular) || nre.Path != path {
				t.Fatalf("Open(%s) = %v, want a *NotRegularError naming the path", path, err)
			}
			if nre.Mode.IsRegular() || Describe(nre.Mode) == "a regular file" {
				t.Errorf("the error says %q", err)
			}
		})
	}
}

func TestOpenReadsRegularFilesAndLinksToThem(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "profile.json")
	if err := os.WriteFile(path, []byte(`{"a":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := []string{path}
	if runtime.GOOS != "windows" {
		link := filepath.Join(dir, "link.json")
		if err := os.Symlink(path, link); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, link)
	}
	for _, p := range paths {
		f, err := Open(p)
		if err != nil {
			t.Fatalf("Open(%s): %v", p, err)
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil || string(b) != `{"a":1}` {
			t.Fatalf("read %q, %v", b, err)
		}
	}
	if _, err := Open(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestDescribeNamesTheKind(t *testing.T) {
	for m, want := range map[fs.FileMode]string{
		fs.ModeNamedPipe:                  "a named pipe (FIFO)",
		fs.ModeDir:                        "a folder",
		fs.ModeDevice | fs.ModeCharDevice: "a character device",
		fs.ModeDevice:                     "a device",
		fs.ModeSocket:                     "a socket",
		fs.ModeSymlink:                    "a symbolic link",
		0:                                 "a regular file",
		fs.ModeIrregular:                  "a special file",
	} {
		if got := Describe(m); got != want {
			t.Errorf("Describe(%v) = %q, want %q", m, got, want)
		}
	}
}

func TestCheckDir(t *testing.T) {
	paths := special(t)
	if err := CheckDir(paths["folder"]); err != nil {
		t.Errorf("a folder: %v", err)
	}
	if err := CheckDir(filepath.Join(paths["folder"], "missing")); err != nil {
		t.Errorf("a missing folder is for the caller to create: %v", err)
	}
	for _, name := range []string{"fifo", "device", "link to fifo"} {
		p, ok := paths[name]
		if !ok {
			continue
		}
		var err error
		withDeadline(t, "CheckDir of a "+name, func() { err = CheckDir(p) })
		var nre *NotRegularError
		if !errors.As(err, &nre) || !nre.WantDir {
			t.Errorf("CheckDir(%s) = %v, want a *NotRegularError for a folder", name, err)
		}
	}
}
