package profile

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// A settings folder that already exists open to others (a loose umask, a
// folder made by hand) is made private when drsetup saves or reads a profile.
func TestLooseSettingsFoldersAreTightened(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	for _, op := range []string{"save", "load"} {
		t.Run(op, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "drsetup")
			profiles := filepath.Join(dir, "profiles")
			if err := os.MkdirAll(profiles, 0o777); err != nil {
				t.Fatal(err)
			}
			os.Chmod(dir, 0o755)
			os.Chmod(profiles, 0o775)
			s := NewStore(dir, MemoryKeyring())
			var err error
			if op == "save" {
				err = s.Save(Profile{Name: "default", MyDomain: "https://acme.my.salesforce.com"})
			} else {
				_, err = s.Load("default")
			}
			if err != nil && op == "save" {
				t.Fatal(err)
			}
			for _, d := range []string{dir, profiles} {
				fi, _ := os.Stat(d)
				if fi.Mode().Perm() != 0o700 {
					t.Errorf("%s: mode %04o, want 0700", d, fi.Mode().Perm())
				}
			}
		})
	}
}

func TestNewSettingsFoldersArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	dir := filepath.Join(t.TempDir(), "drsetup")
	if err := NewStore(dir, MemoryKeyring()).Save(Profile{Name: "default"}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, filepath.Join(dir, "profiles")} {
		if fi, _ := os.Stat(d); fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %04o, want 0700", d, fi.Mode().Perm())
		}
	}
}
