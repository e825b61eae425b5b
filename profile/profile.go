// Package profile keeps drsetup's saved setups: non-secret settings as one JSON
// file per profile under the user's config directory, and every secret in the
// OS keyring (through go-keyring, behind a timeout) and nowhere else.
package profile

import (
	"fmt"
	"strings"
	"time"

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
	Name          string    `json:"name"`
	Environment   string    `json:"environment,omitempty"`   // as --environment takes it
	TokenEndpoint string    `json:"tokenEndpoint,omitempty"` // Salesforce OAuth token URL
	MyDomain      string    `json:"myDomain,omitempty"`
	Auth          string    `json:"auth,omitempty"` // "password" | "client-credentials"
	ClientID      string    `json:"clientId,omitempty"`
	Username      string    `json:"username,omitempty"`
	Events        []string  `json:"events,omitempty"`
	DRMode        string    `json:"drMode,omitempty"` // "test" | "live", from the key's prefix
	WebhookID     string    `json:"webhookId,omitempty"`
	OrgID         string    `json:"orgId,omitempty"` // the Salesforce org the last setup logged in to
	LastSetup     time.Time `json:"lastSetup,omitzero"`
}

// Secrets are the values of a profile that live only in the keyring.
type Secrets struct {
	ClientSecret  secret.Value
	Password      secret.Value
	SecurityToken secret.Value
	DRAPIKey      secret.Value
}

// fields ties each Secrets field to its keyring entry; entries are named by
// the Field strings, so a keyring browser shows "default/client_secret".
func (s *Secrets) fields() []struct {
	field Field
	value *secret.Value
} {
	return []struct {
		field Field
		value *secret.Value
	}{
		{FieldClientSecret, &s.ClientSecret},
		{FieldPassword, &s.Password},
		{FieldSecurityToken, &s.SecurityToken},
		{FieldDRAPIKey, &s.DRAPIKey},
	}
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
