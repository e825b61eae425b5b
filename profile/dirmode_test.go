package profile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/field"
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
				err = s.Save(Profile{Name: "default", Values: Values{field.MyDomain: "https://acme.my.salesforce.com"}})
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

// A profile file with a terminal escape in a value was not written by
// drsetup: it is reported as damaged, naming the field, not shown.
func TestProfileWithControlCharactersIsDamaged(t *testing.T) {
	dir := t.TempDir()
	s := NewStore(dir, MemoryKeyring())
	if err := s.Save(Profile{Name: "default", Values: Values{field.Username: "it@acme.com"}}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(s.Path("default"), []byte(`{"schemaVersion":1,"name":"default","username":"it@acme.com\u001b]0;owned\u0007","events":["order.accepted"]}`), 0o600)
	_, err := s.Load("default")
	var fe *FileError
	if !errors.As(err, &fe) || fe.Kind != FileDamaged || !strings.Contains(err.Error(), `"username"`) || strings.ContainsAny(err.Error(), "\x1b\x07") {
		t.Fatalf("Load = %v", err)
	}
}
