package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/regularfile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/text"
)

// SchemaVersion is the profile file format this drsetup writes. It reads every
// version up to this one; a file from a newer drsetup is refused, not
// half-read and then overwritten without the newer fields.
const SchemaVersion = 1

// maxFileSize bounds what Load reads: a profile is well under a kilobyte, so
// anything near this is not one.
const maxFileSize = 1 << 20

// ErrNotFound means no profile of that name is saved.
var ErrNotFound = errors.New("profile not found")

type notFoundError struct{ name string }

func (e *notFoundError) Error() string {
	return fmt.Sprintf("there is no saved profile named %q (\"drsetup profiles\" lists the saved ones)", e.name)
}

func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

// FileErrorKind says what is wrong with a profile file.
type FileErrorKind string

const (
	FileDamaged     FileErrorKind = "damaged"      // not a profile drsetup can read
	FileNewerSchema FileErrorKind = "newer_schema" // written by a newer drsetup
	FileIO          FileErrorKind = "io"           // the OS would not read, write or remove it
	FileNotRegular  FileErrorKind = "not_regular"  // a FIFO, device, socket or folder where a file belongs
)

// FileError names a profile file that could not be used and says why.
type FileError struct {
	Path   string
	Name   string // the profile
	Kind   FileErrorKind
	Op     string // "read", "write" or "delete"
	Reason string // in plain words
	Err    error
}

func (e *FileError) Unwrap() error { return e.Err }

func (e *FileError) Error() string {
	switch e.Kind {
	case FileDamaged:
		return fmt.Sprintf("the profile file %s is damaged: %s; fix it, delete the profile with \"drsetup profiles delete %s\", or run \"drsetup setup --profile %s\" to write it again",
			e.Path, e.Reason, e.Name, e.Name)
	case FileNewerSchema:
		return fmt.Sprintf("the profile file %s was written by a newer drsetup (%s); update drsetup, or run \"drsetup setup --profile %s\" to replace it",
			e.Path, e.Reason, e.Name)
	case FileNotRegular:
		if e.Name == "" {
			return fmt.Sprintf("drsetup keeps its profiles in the folder %s, but %s, so drsetup will not read it; move it away and run drsetup again", e.Path, e.Reason)
		}
		return fmt.Sprintf("the profile file %s is not a file drsetup can read: %s; remove it with \"drsetup profiles delete %s\" or move it away, then run \"drsetup setup --profile %s\" to write the profile again",
			e.Path, e.Reason, e.Name, e.Name)
	}
	switch e.Op {
	case "write":
		return fmt.Sprintf("could not save the profile file %s: %s; check that its folder is writable and the disk is not full", e.Path, e.Reason)
	case "delete":
		return fmt.Sprintf("could not delete the profile file %s: %s; check its permissions, or delete it by hand", e.Path, e.Reason)
	}
	return fmt.Sprintf("could not read the profile file %s: %s; check its owner and permissions", e.Path, e.Reason)
}

// ListError reports the profile files List could not read. The profiles it
// could read are returned beside it.
type ListError struct {
	Damaged []*FileError
}

func (e *ListError) Error() string {
	msgs := make([]string, len(e.Damaged))
	for i, d := range e.Damaged {
		msgs[i] = d.Error()
	}
	if len(msgs) == 1 {
		return msgs[0]
	}
	return fmt.Sprintf("%d profile files could not be read:\n  %s", len(msgs), strings.Join(msgs, "\n  "))
}

func (e *ListError) Unwrap() []error {
	errs := make([]error, len(e.Damaged))
	for i, d := range e.Damaged {
		errs[i] = d
	}
	return errs
}

// DefaultDir is where drsetup keeps its settings: drsetup under the OS's
// per-user config directory (~/.config, ~/Library/Application Support,
// %AppData%).
func DefaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		var where string
		switch runtime.GOOS {
		case "windows":
			where = "%AppData% is not set"
		case "darwin", "ios", "plan9":
			where = "$HOME is not set"
		default:
			where = "neither $XDG_CONFIG_HOME nor $HOME is set"
		}
		return "", fmt.Errorf("cannot tell where to keep drsetup's settings: %s; set it and run drsetup again: %w", where, err)
	}
	return filepath.Join(dir, "drsetup"), nil
}

// Store keeps profiles as one JSON file each in a directory, and their secrets
// in a Keyring.
type Store struct {
	dir     string
	keyring Keyring
}

// NewStore returns a store for the drsetup settings directory dir (see
// DefaultDir). Profiles go to dir/profiles, created with mode 0700 on the
// first save.
func NewStore(dir string, kr Keyring) *Store {
	return &Store{dir: dir, keyring: kr}
}

func (s *Store) profilesDir() string { return filepath.Join(s.dir, "profiles") }

// Path is the file profile name is saved in (it need not exist).
func (s *Store) Path(name string) string {
	return filepath.Join(s.profilesDir(), canonical(name)+".json")
}

// Load reads profile name. It returns an error matching ErrNotFound when no
// such profile is saved, a *FileError when the file cannot be used, and a
// *NameError for a name no profile can have. A read never changes the file.
func (s *Store) Load(name string) (Profile, error) {
	if err := ValidName(name); err != nil {
		return Profile{}, err
	}
	name = canonical(name)
	path := s.Path(name)
	if err := s.privateDirs(false); err != nil {
		return Profile{}, &FileError{Path: path, Name: name, Kind: FileIO, Op: "read", Reason: err.Error(), Err: err}
	}
	data, err := readLimited(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Profile{}, &notFoundError{name}
	}
	if nre := (*regularfile.NotRegularError)(nil); errors.As(err, &nre) {
		return Profile{}, &FileError{Path: path, Name: name, Kind: FileNotRegular, Op: "read", Reason: "it is " + regularfile.Describe(nre.Mode), Err: err}
	}
	if errors.Is(err, syscall.ENOTDIR) {
		if derr := s.checkProfilesDir(); derr != nil {
			return Profile{}, derr
		}
	}
	if err != nil {
		return Profile{}, &FileError{Path: path, Name: name, Kind: FileIO, Op: "read", Reason: osReason(err), Err: err}
	}
	p, ferr := decode(data)
	if ferr != nil {
		ferr.Path, ferr.Name = path, name
		return Profile{}, ferr
	}
	// The file name is the profile's identity: a file copied to make a new
	// profile still says the old name inside.
	p.Name = name
	return p, nil
}

// checkProfilesDir returns a FileNotRegular *FileError when the profiles
// folder is something else (reading a FIFO as a folder would block).
func (s *Store) checkProfilesDir() error {
	var nre *regularfile.NotRegularError
	if err := regularfile.CheckDir(s.profilesDir()); errors.As(err, &nre) {
		return &FileError{Path: s.profilesDir(), Kind: FileNotRegular, Op: "read", Reason: "it is " + regularfile.Describe(nre.Mode), Err: err}
	}
	return nil
}

// readLimited reads a profile file, refusing without blocking anything but a
// regular file: a FIFO put in its place would hang every command.
func readLimited(path string) ([]byte, error) {
	f, err := regularfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	return data, nil
}

// decode parses a profile file. Its errors carry Kind, Reason and Err; the
// caller adds Path and Name.
func decode(data []byte) (Profile, *FileError) {
	damaged := func(reason string, err error) *FileError {
		return &FileError{Kind: FileDamaged, Op: "read", Reason: reason, Err: err}
	}
	if len(data) > maxFileSize {
		return Profile{}, damaged(fmt.Sprintf("it is larger than %d bytes, far more than a profile", maxFileSize), nil)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return Profile{}, damaged("it is empty", nil)
	}
	// Read the version first, so a newer file with a changed shape is
	// reported as newer rather than as broken.
	var head struct {
		SchemaVersion *int `json:"schemaVersion"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Profile{}, damaged(jsonReason(err), err)
	}
	switch v := head.SchemaVersion; {
	case v == nil:
		return Profile{}, damaged("it has no schemaVersion, so it was not written by drsetup", nil)
	case *v > SchemaVersion:
		return Profile{}, &FileError{Kind: FileNewerSchema, Op: "read",
			Reason: fmt.Sprintf("format version %d; this drsetup reads up to version %d", *v, SchemaVersion)}
	case *v < 1:
		return Profile{}, damaged(fmt.Sprintf("its schemaVersion %d is not one drsetup ever wrote", *v), nil)
	}
	p, err := unmarshalProfile(data)
	if err != nil {
		return Profile{}, damaged(jsonReason(err), err)
	}
	if key := unprintableField(p); key != "" {
		return Profile{}, damaged(fmt.Sprintf("its field %q holds control characters or bytes that are not text, which drsetup never writes", key), nil)
	}
	return p, nil
}

// unprintableField returns the file's key of the first text value of p that
// is not printable (text.Printable), or "". A profile's values are shown on
// the terminal and sent to Salesforce as they are; one with a terminal escape
// in it was not written by drsetup.
func unprintableField(p Profile) string {
	for _, kv := range []struct{ key, v string }{{"name", p.Name}, {"drMode", p.DRMode}, {"webhookId", p.WebhookID}, {"orgId", p.OrgID}} {
		if !text.Printable(kv.v) {
			return kv.key
		}
	}
	for _, f := range field.All() {
		for _, v := range p.List(f) {
			if !text.Printable(v) {
				return f.ProfileKey()
			}
		}
		if !f.List() && !text.Printable(p.Get(f)) {
			return f.ProfileKey()
		}
	}
	return ""
}

func jsonReason(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tpe *time.ParseError
	switch {
	case errors.As(err, &syn) && strings.HasPrefix(syn.Error(), "unexpected end of JSON input"):
		return "it ends in the middle of the JSON (was it cut short?)"
	case errors.As(err, &syn):
		return fmt.Sprintf("it is not valid JSON (%s, at byte %d)", syn.Error(), syn.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		key := typ.Field[strings.LastIndex(typ.Field, ".")+1:]
		return fmt.Sprintf("its field %q holds a JSON %s where drsetup expects %s", key, typ.Value, typeInWords(typ.Type))
	case errors.As(err, &typ):
		return fmt.Sprintf("it holds a JSON %s where drsetup expects an object", typ.Value)
	case errors.As(err, &tpe):
		key := "lastSetup"
		if ke := (*keyError)(nil); errors.As(err, &ke) {
			key = ke.key
		}
		return fmt.Sprintf("its %s %q is not a date and time", key, tpe.Value)
	}
	return fmt.Sprintf("one of its values cannot be read (%s)", err)
}

func typeInWords(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[time.Time]():
		return "a date and time"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Slice:
		return "a list"
	case t.Kind() == reflect.Int:
		return "a whole number"
	}
	return "a " + t.String()
}

// Save writes p atomically (a temporary file renamed over the old one, mode
// 0600), so a crash or a full disk leaves the previous file whole. It is the
// only way a damaged file is replaced. Other profiles are not touched.
func (s *Store) Save(p Profile) error {
	if err := ValidName(p.Name); err != nil {
		return err
	}
	p.Name = canonical(p.Name)
	path := s.Path(p.Name)
	data, err := marshalProfile(p)
	if err != nil {
		return fmt.Errorf("encoding profile %q: %w", p.Name, err)
	}
	data = append(data, '\n')
	if err := s.privateDirs(true); err != nil {
		return &FileError{Path: path, Name: p.Name, Kind: FileIO, Op: "write", Reason: err.Error(), Err: err}
	}
	if err := writeAtomic(path, data); err != nil {
		return &FileError{Path: path, Name: p.Name, Kind: FileIO, Op: "write", Reason: osReason(err), Err: err}
	}
	return nil
}

// privateDirs keeps the settings folder and its profiles folder to the user
// alone: made with mode 0700 (with create), and tightened to 0700 when they
// exist with looser modes, made by hand or by a tool with a loose umask.
// Others who can write there could swap a profile for one that sends the
// credentials elsewhere. Windows has no such modes; the folders sit in the
// user's own profile.
func (s *Store) privateDirs(create bool) error {
	for _, d := range []string{s.dir, s.profilesDir()} {
		if create {
			if err := os.MkdirAll(d, 0o700); err != nil {
				return fmt.Errorf("cannot make the folder %s: %s", d, osReason(err))
			}
		}
		fi, err := os.Stat(d)
		if errors.Is(err, fs.ErrNotExist) || runtime.GOOS == "windows" {
			continue
		}
		if err != nil {
			return fmt.Errorf("cannot read the folder %s: %s", d, osReason(err))
		}
		if fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		if err := os.Chmod(d, 0o700); err != nil {
			return fmt.Errorf("its folder %s is open to other users (mode %04o) and could not be made private (%s); run chmod 700 %s", d, fi.Mode().Perm(), osReason(err), d)
		}
	}
	return nil
}

func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	// CreateTemp makes the file 0600 from the start, so the profile is never
	// readable by others, not even for a moment.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	// Sync before rename: otherwise a crash can leave the new name pointing
	// at an empty file on some file systems.
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable where the OS allows it; Windows cannot
// sync a directory, and the file is already whole either way.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}

// osReason says what the OS refused, without the path (the caller names it).
func osReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full"
	case errors.Is(err, syscall.EROFS):
		return "the file system is read-only"
	case errors.Is(err, fs.ErrNotExist):
		return "it does not exist"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// List returns every saved profile, sorted by name. Files that cannot be
// read are not hidden: the profiles that could be read come back with a
// *ListError naming each bad file. No profiles saved yet is not an error.
func (s *Store) List() ([]Profile, error) {
	if err := s.checkProfilesDir(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(s.profilesDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &FileError{Path: s.profilesDir(), Kind: FileIO, Op: "read", Reason: osReason(err), Err: err}
	}
	var (
		profiles []Profile
		bad      []*FileError
	)
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		// Skip what Save would not have written: temporary files of a save
		// in progress, and files a person put there.
		if !ok || e.IsDir() || ValidName(name) != nil || name != canonical(name) {
			continue
		}
		p, err := s.Load(name)
		if err != nil {
			var fe *FileError
			if errors.As(err, &fe) {
				bad = append(bad, fe)
				continue
			}
			if errors.Is(err, ErrNotFound) {
				continue // removed since ReadDir
			}
			return profiles, err
		}
		profiles = append(profiles, p)
	}
	sort.Slice(profiles, func(i, j int) bool { return profiles[i].Name < profiles[j].Name })
	if len(bad) > 0 {
		return profiles, &ListError{Damaged: bad}
	}
	return profiles, nil
}

// Delete removes profile name: its file and every keyring entry it owns.
// Entries that do not exist are fine. When the keyring cannot be reached the
// file is still removed and the *KeyringError is returned, so the user knows
// the secrets stayed behind. It returns an error matching ErrNotFound when
// there was neither a file nor a secret to delete.
func (s *Store) Delete(name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	name = canonical(name)
	found := false
	var krErr error
	for _, f := range secretFields() {
		err := s.keyring.Delete(entry(name, f))
		if err == nil {
			found = true
			continue
		}
		if !errors.Is(err, ErrNoSecret) {
			// The other entries would fail the same way.
			krErr = err
			break
		}
	}
	path := s.Path(name)
	switch err := os.Remove(path); {
	case err == nil:
		found = true
	case errors.Is(err, fs.ErrNotExist):
	default:
		fileErr := &FileError{Path: path, Name: name, Kind: FileIO, Op: "delete", Reason: osReason(err), Err: err}
		return errors.Join(fileErr, krErr)
	}
	if krErr != nil {
		return krErr
	}
	if !found {
		return &notFoundError{name}
	}
	return nil
}

// entry is the keyring user name of one secret of a profile.
func entry(profile string, f field.Field) string { return profile + "/" + string(f) }

// LoadSecrets reads the secrets of profile name from the keyring. Entries
// that do not exist come back empty. When the keyring fails, the error is
// its *KeyringError and the Secrets hold what was read before.
func (s *Store) LoadSecrets(name string) (Secrets, error) {
	if err := ValidName(name); err != nil {
		return Secrets{}, err
	}
	name = canonical(name)
	sec := Secrets{}
	for _, f := range secretFields() {
		v, err := s.keyring.Get(entry(name, f))
		if errors.Is(err, ErrNoSecret) || (err == nil && v == "") {
			continue
		}
		if err != nil {
			return sec, err
		}
		sec[f] = secret.Value(v)
	}
	return sec, nil
}

// SaveSecrets stores the non-empty secrets of profile name and deletes the
// entries of the empty ones, so switching to client credentials removes the
// stored password and security token.
func (s *Store) SaveSecrets(name string, sec Secrets) error {
	if err := ValidName(name); err != nil {
		return err
	}
	name = canonical(name)
	for _, f := range secretFields() {
		user := entry(name, f)
		var err error
		if v := sec.Get(f); v.IsZero() {
			err = s.keyring.Delete(user)
			if errors.Is(err, ErrNoSecret) {
				err = nil
			}
		} else {
			err = s.keyring.Set(user, v.Reveal())
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// CheckKeyring reports whether the keyring can be used, by reading an entry
// no profile has: nil, or the *KeyringError that saving or loading secrets
// would meet.
func (s *Store) CheckKeyring() error {
	// Profile entries are "<name>/<field>" with a non-empty name, so this
	// entry is never one of them.
	_, err := s.keyring.Get("/probe")
	if err == nil || errors.Is(err, ErrNoSecret) {
		return nil
	}
	return err
}
