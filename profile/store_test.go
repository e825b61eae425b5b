package profile

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/secret"
)

func sampleProfile(name string) Profile {
	return Profile{
		Name: name,
		Values: Values{
			field.Environment:   "sandbox",
			field.TokenEndpoint: "https://test.salesforce.com/services/oauth2/token",
			field.MyDomain:      "https://acme--uat.sandbox.my.salesforce.com",
			field.Auth:          "password",
			field.ClientID:      "3MVG9dAEux2v1sLtest.consumer.key",
			field.Username:      "integration@acme.com.uat",
			field.Events:        "order.accepted,order.complete",
		},
		DRMode:    "test",
		WebhookID: "6a1b2c3d-4e5f-4a1b-8c9d-0e1f2a3b4c5d",
		OrgID:     "00D5g000004AbCdEAK",
		LastSetup: time.Date(2026, 3, 30, 14, 5, 9, 0, time.UTC),
	}
}

func sampleSecrets() Secrets {
	return Secrets{
		field.ClientSecret:  "C1ientS3cret-9F8E7D6C5B4A",
		field.Password:      "p@ss w0rd with spaces & \"quotes\"",
		field.SecurityToken: "TokEn1234567890abcdef",
		field.DRAPIKey:      "sk_test_0123456789abcdef0123456789abcdef",
	}
}

func TestSaveThenLoadGivesTheSameProfile(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	want := sampleProfile("acme")
	if err := s.Save(want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("acme")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load = %+v\nwant   %+v", got, want)
	}
}

func TestSaveWritesTheDocumentedFormat(t *testing.T) {
	golden, err := os.ReadFile("testdata/profile-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	p := sampleProfile("acme-sandbox")
	p.Set(field.Events, strings.Join([]string{"order.accepted", "order.cancelled", "order.complete", "order.pending_payment",
		"order.review_opened", "order.blocked", "order.credit_memo.created", "order.invoice.created"}, ","))
	s := NewStore(t.TempDir(), MemoryKeyring())
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(s.Path("acme-sandbox"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, golden) {
		t.Errorf("saved file differs from testdata/profile-v1.json:\n%s", got)
	}
}

// A later drsetup must keep reading files this one wrote: the version 1
// file in testdata is the contract.
func TestLoadReadsASchemaVersion1File(t *testing.T) {
	dir := t.TempDir()
	golden, err := os.ReadFile("testdata/profile-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore(dir, MemoryKeyring())
	writeFile(t, s.Path("acme-sandbox"), golden)
	p, err := s.Load("acme-sandbox")
	if err != nil {
		t.Fatal(err)
	}
	if p.Get(field.MyDomain) != "https://acme--uat.sandbox.my.salesforce.com" || len(p.List(field.Events)) != 8 || p.DRMode != "test" ||
		!p.LastSetup.Equal(time.Date(2026, 3, 30, 14, 5, 9, 0, time.UTC)) {
		t.Errorf("Load = %+v", p)
	}
}

// lastVerified, which doctor records, is read back, and a file without it
// (the version 1 file) is a profile never verified by doctor.
func TestLastVerifiedIsKeptAndOptional(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	p := sampleProfile("acme")
	p.LastVerified = p.LastSetup.Add(48 * time.Hour)
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("acme")
	if err != nil || !got.LastVerified.Equal(p.LastVerified) || !got.Verified().Equal(p.LastVerified) {
		t.Fatalf("Load = %+v, %v", got, err)
	}
	raw, _ := os.ReadFile(s.Path("acme"))
	if !bytes.Contains(raw, []byte(`"lastVerified": "`)) || bytes.Index(raw, []byte(`"lastVerified"`)) < bytes.Index(raw, []byte(`"lastSetup"`)) {
		t.Errorf("file:\n%s", raw)
	}
	golden, _ := os.ReadFile("testdata/profile-v1.json")
	writeFile(t, s.Path("old"), golden)
	old, err := s.Load("old")
	if err != nil || !old.LastVerified.IsZero() || !old.Verified().Equal(old.LastSetup) {
		t.Errorf("a file without lastVerified: %+v, %v", old, err)
	}
	writeFile(t, s.Path("bad"), []byte(`{"schemaVersion":1,"lastVerified":"soon"}`))
	if _, err := s.Load("bad"); err == nil || !strings.Contains(err.Error(), "lastVerified") {
		t.Errorf("a bad lastVerified: %v", err)
	}
}

func TestLoadIgnoresFieldsItDoesNotKnow(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	writeFile(t, s.Path("acme"), []byte(`{"schemaVersion":1,"name":"acme","myDomain":"https://acme.my.salesforce.com","addedLater":{"x":1}}`))
	p, err := s.Load("acme")
	if err != nil {
		t.Fatal(err)
	}
	if p.Get(field.MyDomain) != "https://acme.my.salesforce.com" {
		t.Errorf("MyDomain = %q", p.Get(field.MyDomain))
	}
}

func TestSaveIsPrivateAndLeavesNoTemporaryFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "drsetup")
	s := NewStore(dir, MemoryKeyring())
	for range 3 { // the second and third saves replace an existing file
		if err := s.Save(sampleProfile("acme")); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "profiles"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "acme.json" {
		t.Errorf("profiles dir holds %v, want only acme.json", entries)
	}
	if runtime.GOOS == "windows" {
		return // Windows has no Unix modes; the file is private by its ACL
	}
	for path, want := range map[string]fs.FileMode{
		s.Path("acme"):                 0o600,
		filepath.Join(dir, "profiles"): 0o700,
		dir:                            0o700,
	} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", path, got, want)
		}
	}
}

func TestSaveOfOneProfileLeavesOthersAlone(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	if err := s.Save(sampleProfile("acme")); err != nil {
		t.Fatal(err)
	}
	damaged := []byte(`{"schemaVersion":1,"name":`)
	writeFile(t, s.Path("broken"), damaged)
	before := snapshot(t, s.profilesDir())

	if err := s.Save(sampleProfile("other")); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, s.profilesDir())
	for name, b := range before {
		if a := after[name]; a != b {
			t.Errorf("%s changed when another profile was saved", name)
		}
	}
	if _, ok := after["other.json"]; !ok {
		t.Error("other.json was not written")
	}
}

func TestLoadOfAMissingProfileIsErrNotFound(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	_, err := s.Load("nobody")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load = %v, want ErrNotFound", err)
	}
	if !strings.Contains(err.Error(), `"nobody"`) {
		t.Errorf("error %q does not name the profile", err)
	}
}

func TestStoreRefusesBadNames(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	calls := map[string]func(name string) error{
		"Load":        func(n string) error { _, err := s.Load(n); return err },
		"Save":        func(n string) error { return s.Save(Profile{Name: n}) },
		"Delete":      s.Delete,
		"LoadSecrets": func(n string) error { _, err := s.LoadSecrets(n); return err },
		"SaveSecrets": func(n string) error { return s.SaveSecrets(n, sampleSecrets()) },
	}
	for op, call := range calls {
		for _, name := range []string{"", "../../etc/passwd", "a b", "nul"} {
			var ne *NameError
			if err := call(name); !errors.As(err, &ne) {
				t.Errorf("%s(%q) = %v, want a *NameError", op, name, err)
			}
		}
	}
	if entries, _ := os.ReadDir(s.dir); len(entries) != 0 {
		t.Errorf("bad names left files behind: %v", entries)
	}
}

func TestNamesAreCaseInsensitive(t *testing.T) {
	kr := MemoryKeyring()
	s := NewStore(t.TempDir(), kr)
	if err := s.Save(sampleProfile("Acme")); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSecrets("ACME", sampleSecrets()); err != nil {
		t.Fatal(err)
	}
	p, err := s.Load("aCmE")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "acme" {
		t.Errorf("Name = %q, want the canonical %q", p.Name, "acme")
	}
	sec, err := s.LoadSecrets("acme")
	if err != nil || !maps.Equal(sec, sampleSecrets()) {
		t.Errorf("LoadSecrets = %v, %v", sec, err)
	}
	if _, err := kr.Get("acme/client_secret"); err != nil {
		t.Errorf("keyring entry not under the canonical name: %v", err)
	}
}

func TestLoadTakesTheNameFromTheFileName(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	if err := s.Save(sampleProfile("acme")); err != nil {
		t.Fatal(err)
	}
	// A profile made by copying another's file.
	data, _ := os.ReadFile(s.Path("acme"))
	writeFile(t, s.Path("acme-copy"), data)
	p, err := s.Load("acme-copy")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "acme-copy" {
		t.Errorf("Name = %q, want acme-copy", p.Name)
	}
}

func TestDamagedFileIsReportedByNameAndNeverRewritten(t *testing.T) {
	cases := []struct {
		desc    string
		content string
		kind    FileErrorKind
		reason  string
	}{
		{"bad JSON", `{"schemaVersion":1,"name":"acme",}`, FileDamaged, "not valid JSON"},
		{"cut short", `{"schemaVersion":1,"name":"ac`, FileDamaged, "cut short"},
		{"empty", "", FileDamaged, "empty"},
		{"only spaces", " \n\t", FileDamaged, "empty"},
		{"not an object", `["acme"]`, FileDamaged, "expects an object"},
		{"no schema version", `{"name":"acme"}`, FileDamaged, "no schemaVersion"},
		{"schema version zero", `{"schemaVersion":0}`, FileDamaged, "schemaVersion 0"},
		{"list expected", `{"schemaVersion":1,"events":"order.accepted"}`, FileDamaged, `"events" holds a JSON string where drsetup expects a list`},
		{"bad time", `{"schemaVersion":1,"lastSetup":"yesterday"}`, FileDamaged, `lastSetup "yesterday" is not a date and time`},
		{"version is a string", `{"schemaVersion":"1"}`, FileDamaged, `"schemaVersion"`},
		{"trailing garbage", `{"schemaVersion":1} {}`, FileDamaged, "not valid JSON"},
		{"binary", "\x00\xff\xfe", FileDamaged, "not valid JSON"},
		{"too big", `{"schemaVersion":1,"name":"` + strings.Repeat("a", maxFileSize) + `"}`, FileDamaged, "larger than"},
		{"newer drsetup", `{"schemaVersion":2,"name":"acme","shape":"changed"}`, FileNewerSchema, "version 2"},
		{"newer, changed types", `{"schemaVersion":7,"events":{"all":true}}`, FileNewerSchema, "version 7"},
	}
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			s := NewStore(t.TempDir(), MemoryKeyring())
			path := s.Path("acme")
			writeFile(t, path, []byte(c.content))

			_, err := s.Load("acme")
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Load = %v, want a *FileError", err)
			}
			if fe.Kind != c.kind || fe.Path != path {
				t.Errorf("FileError kind %q path %q, want %q %q", fe.Kind, fe.Path, c.kind, path)
			}
			msg := err.Error()
			if !strings.Contains(msg, path) || !strings.Contains(msg, c.reason) || !strings.Contains(msg, "drsetup") {
				t.Errorf("message %q should name the file, say %q and what to do", msg, c.reason)
			}
			if errors.Is(err, ErrNotFound) {
				t.Error("a damaged file must not look like a missing profile")
			}

			profiles, err := s.List()
			var le *ListError
			if !errors.As(err, &le) || len(le.Damaged) != 1 || le.Damaged[0].Path != path || len(profiles) != 0 {
				t.Errorf("List = %v, %v; want the damaged file reported", profiles, err)
			}
			if _, err := s.LoadSecrets("acme"); err != nil {
				t.Errorf("LoadSecrets = %v", err)
			}
			if got, _ := os.ReadFile(path); string(got) != c.content {
				t.Fatal("a read path rewrote the damaged file")
			}

			// An explicit save is the one thing that replaces it.
			if err := s.Save(sampleProfile("acme")); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Load("acme"); err != nil {
				t.Errorf("Load after Save = %v", err)
			}
		})
	}
}

func TestSaveFailureNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "drsetup")
	writeFile(t, blocker, []byte("a file where the settings folder should be"))
	s := NewStore(blocker, MemoryKeyring())
	err := s.Save(sampleProfile("acme"))
	var fe *FileError
	if !errors.As(err, &fe) || fe.Kind != FileIO || fe.Op != "write" {
		t.Fatalf("Save = %v, want a write *FileError", err)
	}
	if !strings.Contains(err.Error(), s.Path("acme")) || !strings.HasPrefix(err.Error(), "could not save the profile file") {
		t.Errorf("message %q", err)
	}
}

func TestListIsSortedAndSkipsForeignFiles(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	for _, n := range []string{"zeta", "default", "acme"} {
		if err := s.Save(sampleProfile(n)); err != nil {
			t.Fatal(err)
		}
	}
	for _, junk := range []string{".acme.json.123.tmp", "notes.txt", "Upper.json", "has space.json"} {
		writeFile(t, filepath.Join(s.profilesDir(), junk), []byte("junk"))
	}
	if err := os.Mkdir(filepath.Join(s.profilesDir(), "dir.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	profiles, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range profiles {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "acme,default,zeta" {
		t.Errorf("List names = %v", names)
	}
}

func TestListWithNothingSavedIsEmpty(t *testing.T) {
	profiles, err := NewStore(filepath.Join(t.TempDir(), "never-created"), MemoryKeyring()).List()
	if err != nil || len(profiles) != 0 {
		t.Errorf("List = %v, %v", profiles, err)
	}
}

func TestListReturnsGoodProfilesBesideDamagedOnes(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	for _, n := range []string{"acme", "zeta"} {
		if err := s.Save(sampleProfile(n)); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, s.Path("bad1"), []byte("{"))
	writeFile(t, s.Path("bad2"), []byte(`{"schemaVersion":99}`))
	profiles, err := s.List()
	if len(profiles) != 2 {
		t.Errorf("List returned %d profiles, want the 2 readable ones", len(profiles))
	}
	var le *ListError
	if !errors.As(err, &le) || len(le.Damaged) != 2 {
		t.Fatalf("List error = %v, want both damaged files", err)
	}
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Error("errors.As should find a *FileError in a *ListError")
	}
	for _, n := range []string{"bad1.json", "bad2.json", "2 profile files"} {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("List error %q does not mention %s", err, n)
		}
	}
}

func TestSecretsRoundTripAndNeverReachAFile(t *testing.T) {
	keyring.MockInit()
	home, config := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("AppData", config)
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore(dir, SystemKeyring(0))
	if err := s.Save(sampleProfile("acme")); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSecrets("acme", sampleSecrets()); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadSecrets("acme")
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, sampleSecrets()) {
		t.Errorf("LoadSecrets = %#v", got)
	}
	if v, err := keyring.Get(KeyringService, "acme/dr_api_key"); err != nil || v != sampleSecrets().Get(field.DRAPIKey).Reveal() {
		t.Errorf("go-keyring entry drsetup/acme/dr_api_key = %q, %v", v, err)
	}
	assertNoSecretInFiles(t, sampleSecrets(), home, config)
}

func TestLoadSecretsOfAnUnknownProfileIsEmpty(t *testing.T) {
	keyring.MockInit()
	sec, err := NewStore(t.TempDir(), SystemKeyring(0)).LoadSecrets("nobody")
	if err != nil || !sec.Empty() {
		t.Errorf("LoadSecrets = %v, %v; want empty and no error", sec, err)
	}
}

func TestSaveSecretsRemovesEntriesOfEmptyFields(t *testing.T) {
	keyring.MockInit()
	s := NewStore(t.TempDir(), SystemKeyring(0))
	if err := s.SaveSecrets("acme", sampleSecrets()); err != nil {
		t.Fatal(err)
	}
	// Switching to client credentials: no password or token any more.
	cc := Secrets{field.ClientSecret: "n3w-client-secret", field.DRAPIKey: sampleSecrets().Get(field.DRAPIKey)}
	if err := s.SaveSecrets("acme", cc); err != nil {
		t.Fatal(err)
	}
	for _, f := range []field.Field{field.Password, field.SecurityToken} {
		if _, err := keyring.Get(KeyringService, "acme/"+string(f)); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("entry %s still in the keyring (err %v)", f, err)
		}
	}
	got, err := s.LoadSecrets("acme")
	if err != nil || !maps.Equal(got, cc) {
		t.Errorf("LoadSecrets = %#v, %v; want %#v", got, err, cc)
	}
}

func TestDeleteRemovesFileAndEveryKeyringEntry(t *testing.T) {
	keyring.MockInit()
	s := NewStore(t.TempDir(), SystemKeyring(0))
	for _, n := range []string{"acme", "other"} {
		if err := s.Save(sampleProfile(n)); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveSecrets(n, sampleSecrets()); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Delete("acme"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path("acme")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("profile file still there: %v", err)
	}
	for _, f := range field.All() {
		if !f.Secret() {
			continue
		}
		if _, err := keyring.Get(KeyringService, "acme/"+string(f)); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("keyring entry acme/%s survived Delete (err %v)", f, err)
		}
	}
	if sec, err := s.LoadSecrets("other"); err != nil || !maps.Equal(sec, sampleSecrets()) {
		t.Errorf("the other profile's secrets were touched: %v, %v", sec, err)
	}
	if _, err := s.Load("other"); err != nil {
		t.Errorf("the other profile was touched: %v", err)
	}
	if err := s.Delete("acme"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete = %v, want ErrNotFound", err)
	}
}

func TestDeleteOfAProfileWithOnlySecretsOrOnlyAFile(t *testing.T) {
	keyring.MockInit()
	s := NewStore(t.TempDir(), SystemKeyring(0))
	// Secrets left behind by an earlier Delete that could not reach the keyring.
	if err := s.SaveSecrets("orphan", Secrets{field.Password: "left-behind"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("orphan"); err != nil {
		t.Errorf("Delete of secrets without a file = %v", err)
	}
	// A profile saved while the keyring was unavailable.
	if err := s.Save(sampleProfile("nosecrets")); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("nosecrets"); err != nil {
		t.Errorf("Delete of a file without secrets = %v", err)
	}
}

func TestDeleteOfADamagedProfile(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	writeFile(t, s.Path("broken"), []byte("{{{"))
	if err := s.Delete("broken"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path("broken")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("damaged file not removed")
	}
}

func TestDeleteWithAnUnreachableKeyringStillRemovesTheFile(t *testing.T) {
	keyring.MockInitWithError(errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"))
	s := NewStore(t.TempDir(), keyringOn("linux"))
	if err := s.Save(sampleProfile("acme")); err != nil {
		t.Fatal(err)
	}
	err := s.Delete("acme")
	var ke *KeyringError
	if !errors.As(err, &ke) || ke.Kind != KindLocked || ke.Op != OpDelete {
		t.Fatalf("Delete = %v, want a locked *KeyringError", err)
	}
	if !strings.Contains(err.Error(), "stay in the keyring") {
		t.Errorf("message %q should say the secrets stayed", err)
	}
	if _, err := os.Stat(s.Path("acme")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("profile file was kept")
	}
}

func TestLoadSecretsReturnsWhatWasReadBeforeAFailure(t *testing.T) {
	kr := &failAfter{Keyring: MemoryKeyring(), ok: 2, err: &KeyringError{Kind: KindTimeout, Op: OpGet}}
	s := NewStore(t.TempDir(), kr)
	_ = kr.Keyring.Set("acme/client_secret", "cs-value")
	_ = kr.Keyring.Set("acme/password", "pw-value")
	_ = kr.Keyring.Set("acme/dr_api_key", "sk_test_value")
	sec, err := s.LoadSecrets("acme")
	var ke *KeyringError
	if !errors.As(err, &ke) {
		t.Fatalf("LoadSecrets error = %v, want the *KeyringError", err)
	}
	want := Secrets{field.ClientSecret: "cs-value", field.Password: "pw-value"}
	if !maps.Equal(sec, want) {
		t.Errorf("LoadSecrets = %#v, want what was read first %#v", sec, want)
	}
}

// failAfter lets ok calls through, then fails every call with err.
type failAfter struct {
	Keyring
	ok  int
	err error
}

func (f *failAfter) Get(user string) (string, error) {
	if f.ok--; f.ok < 0 {
		return "", f.err
	}
	return f.Keyring.Get(user)
}

func TestDefaultDirIsUnderTheUserConfigDir(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("AppData", config)
	t.Setenv("HOME", config)
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := os.UserConfigDir()
	if dir != filepath.Join(base, "drsetup") {
		t.Errorf("DefaultDir = %q, want %q", dir, filepath.Join(base, "drsetup"))
	}
}

func TestDefaultDirWithoutHomeSaysWhatToSet(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the variables are Linux's")
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "")
	_, err := DefaultDir()
	if err == nil || !strings.Contains(err.Error(), "neither $XDG_CONFIG_HOME nor $HOME is set") {
		t.Errorf("DefaultDir error = %v", err)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// snapshot maps each file in dir to its contents and modification time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = fi.ModTime().String() + "\x00" + string(data)
	}
	return m
}

// assertNoSecretInFiles reads every file under roots and fails if any holds
// one of the secrets.
func assertNoSecretInFiles(t *testing.T, sec Secrets, roots ...string) {
	t.Helper()
	values := []secret.Value{sec.Get(field.ClientSecret), sec.Get(field.Password), sec.Get(field.SecurityToken), sec.Get(field.DRAPIKey)}
	files := 0
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			for _, v := range values {
				if v != "" && bytes.Contains(data, []byte(v.Reveal())) {
					t.Errorf("%s holds a secret", path)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files == 0 {
		t.Fatal("no files scanned: the profile was not saved where expected")
	}
	t.Logf("scanned %d files under %v: no secret", files, roots)
}

// A field added since the version 1 sample is saved under its profile key
// and read back.
func TestAFieldAddedLaterRoundTrips(t *testing.T) {
	s := NewStore(t.TempDir(), MemoryKeyring())
	p := sampleProfile("acme")
	p.Set(field.App, "external-client-app")
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(s.Path("acme"))
	if !bytes.Contains(raw, []byte(`"app": "external-client-app"`)) {
		t.Fatalf("file:\n%s", raw)
	}
	got, err := s.Load("acme")
	if err != nil || got.Get(field.App) != "external-client-app" {
		t.Fatalf("Load = %v, %v", got.Get(field.App), err)
	}
}
