//go:build unix

package regularfile

import (
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// addUnixSpecials adds a FIFO, a device, a socket and links to them.
func addUnixSpecials(t *testing.T, dir string, paths map[string]string) {
	t.Helper()
	paths["fifo"] = filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(paths["fifo"], 0o600); err != nil {
		t.Fatal(err)
	}
	paths["device"] = os.DevNull
	if l, err := net.Listen("unix", filepath.Join(dir, "s")); err == nil {
		t.Cleanup(func() { l.Close() })
		paths["socket"] = filepath.Join(dir, "s")
	}
	for name, p := range map[string]string{"link to fifo": paths["fifo"], "link to folder": paths["folder"]} {
		link := filepath.Join(dir, filepath.Base(p)+".link")
		if err := os.Symlink(p, link); err != nil {
			t.Fatal(err)
		}
		paths[name] = link
	}
}
