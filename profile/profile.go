// Package profile keeps drsetup's saved setups: non-secret settings as one JSON
// file per profile under the user's config directory, and every secret in the
// OS keyring (through go-keyring, behind a timeout) and nowhere else.
package profile

import (
	"fmt"
	"strings"
	"time"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/secret"
)

// DefaultName is the profile used when neither --profile nor DRSETUP_PROFILE
// names one.
const DefaultName = "default"

// maxNameLen keeps a name usable as a file name and a keyring entry on every OS.
const maxNameLen = 64

// Profile is one saved setup, without its secrets. Names are case-insensitive
// and kept in lower case, so "Prod" and "prod" are the same profile on every
// file system and keyring.
type Profile struct {
	Name string
	// Values are the setup's non-secret values, by field (a list field such
	// as the events comma-separated), as --environment, --my-domain and the
	// other flags take them.
	Values    Values
	DRMode    string    // "test" | "live", from the key's prefix
	WebhookID string    // the webhook the last setup registered
	OrgID     string    // the Salesforce org the last setup logged in to
	LastSetup time.Time // zero when never set up
	// LastVerified is when doctor last found the saved setup sound (no
	// check failed, nothing missing); zero when it never did.
	LastVerified time.Time
}

// Verified is when the setup was last seen to work: its last setup, or a
// later doctor run that found it sound; zero when neither happened.
func (p Profile) Verified() time.Time {
	if p.LastVerified.After(p.LastSetup) {
		return p.LastVerified
	}
	return p.LastSetup
}

// Values are a profile's non-secret setup values, by field. A field that
// is absent is unset.
type Values map[field.Field]string

// Get is f's saved value, "" when unset. A list field comes back
// comma-separated.
func (p Profile) Get(f field.Field) string { return p.Values[f] }

// Set records f's value; "" unsets it. Secrets are never kept in a profile:
// setting one is ignored.
func (p *Profile) Set(f field.Field, v string) {
	if f.Secret() || !f.Valid() {
		return
	}
	if f.List() {
		v = normalizeEvents(v)
	}
	if v == "" {
		delete(p.Values, f)
		return
	}
	if p.Values == nil {
		p.Values = Values{}
	}
	p.Values[f] = v
}

// List is a list field's saved value as a list.
func (p Profile) List(f field.Field) []string { return splitEvents(p.Values[f]) }

// Secrets are the values of a profile that live only in the keyring, by
// field. A field that is absent has no secret.
type Secrets map[field.Field]secret.Value

// Get is f's secret, zero when none.
func (s Secrets) Get(f field.Field) secret.Value { return s[f] }

// Set records f's secret (zero removes it). s must not be nil.
func (s Secrets) Set(f field.Field, v secret.Value) {
	if v.IsZero() {
		delete(s, f)
		return
	}
	s[f] = v
}

// Empty reports whether no secret is held.
func (s Secrets) Empty() bool {
	for _, v := range s {
		if !v.IsZero() {
			return false
		}
	}
	return true
}

// secretFields are the fields kept in the keyring, one entry each, named by
// the field ("default/client_secret").
func secretFields() []field.Field {
	var out []field.Field
	for _, f := range field.All() {
		if f.Secret() {
			out = append(out, f)
		}
	}
	return out
}

// NameError says which rule a profile name breaks.
type NameError struct {
	Name    string
	Problem string
}

func (e *NameError) Error() string {
	if e.Name == "" {
		return "the profile name is empty; " + e.Problem
	}
	return fmt.Sprintf("the profile name %q cannot be used: %s", e.Name, e.Problem)
}

// windowsReserved are names Windows will not open as files, even with an
// extension ("con.json" opens the console on older Windows).
var windowsReserved = map[string]bool{
	"con": true, "prn": true, "aux": true, "nul": true,
	"com1": true, "com2": true, "com3": true, "com4": true, "com5": true, "com6": true, "com7": true, "com8": true, "com9": true,
	"lpt1": true, "lpt2": true, "lpt3": true, "lpt4": true, "lpt5": true, "lpt6": true, "lpt7": true, "lpt8": true, "lpt9": true,
}

// ValidName reports, as a *NameError in plain words, which rule name breaks:
// 1 to 64 of the letters a-z and A-Z, digits, "-" and "_", and not a name
// Windows reserves for devices. It is the same rule on every OS so a profile
// can be described the same way to every user.
func ValidName(name string) error {
	const rule = `use 1 to 64 letters, digits, "-" or "_" (for example "default" or "acme-sandbox")`
	if name == "" {
		return &NameError{Name: name, Problem: rule}
	}
	if len(name) > maxNameLen {
		return &NameError{Name: name, Problem: fmt.Sprintf("it is %d characters long; %s", len(name), rule)}
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return &NameError{Name: name, Problem: fmt.Sprintf("it contains %q; %s", r, rule)}
		}
	}
	if windowsReserved[strings.ToLower(name)] {
		return &NameError{Name: name, Problem: "Windows reserves it for a device; choose another name"}
	}
	return nil
}

// canonical is the form a valid name is stored under.
func canonical(name string) string { return strings.ToLower(name) }

// NameFrom picks the profile name for a run: the --profile flag when given
// (even empty, so ValidName can report it), else DRSETUP_PROFILE when set, else
// DefaultName. The result is in canonical (lower-case) form and not validated.
func NameFrom(flag string, flagSet bool, getenv func(string) string) string {
	if flagSet {
		return canonical(flag)
	}
	if getenv != nil {
		if v := getenv("DRSETUP_PROFILE"); v != "" {
			return canonical(v)
		}
	}
	return DefaultName
}
