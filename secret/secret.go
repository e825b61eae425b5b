// Package secret holds drsetup's secret-bearing string type, which cannot be
// printed, logged or JSON-encoded by accident, and the masks and redaction the
// rest of the program uses to show that a secret exists without showing it.
package secret

import (
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
)

// Masked is what every printed form of a Value shows.
const Masked = "********"

// Value is a secret string. Its value comes out only through Reveal; every
// other way of printing it (fmt verbs, slog, encoding/json, text marshalling)
// shows Masked. One exception is outside its reach: encoding/json writes a
// map key of a string type as it is, so never key a map by a Value.
type Value string

// Reveal returns the secret itself, for the one place that must send it.
func (v Value) Reveal() string { return string(v) }

// IsZero reports whether no secret is set.
func (v Value) IsZero() bool { return v == "" }

func (v Value) String() string   { return v.mask() }
func (v Value) GoString() string { return fmt.Sprintf("secret.Value(%q)", v.mask()) }

// Format handles every fmt verb, %x and %q included, so no verb prints the value.
func (v Value) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, v.GoString())
		return
	}
	if verb == 'q' {
		fmt.Fprintf(f, "%q", v.mask())
		return
	}
	fmt.Fprint(f, v.mask())
}

func (v Value) LogValue() slog.Value { return slog.StringValue(v.mask()) }

func (v Value) MarshalJSON() ([]byte, error) { return []byte(`"` + v.mask() + `"`), nil }
func (v Value) MarshalText() ([]byte, error) { return []byte(v.mask()), nil }

func (v Value) mask() string {
	if v == "" {
		return ""
	}
	return Masked
}

// Mask returns a form of s safe to show: Digital River keys keep their kind
// prefix (sk_test_, sk_, pk_test_, pk_) so the user can tell which key was
// used; anything else is Masked. An empty secret masks to "".
func Mask(s string) string {
	if s == "" {
		return ""
	}
	for _, p := range []string{"sk_test_", "pk_test_", "sk_live_", "pk_live_", "sk_", "pk_"} {
		if strings.HasPrefix(s, p) && len(s) > len(p)+4 {
			return p + Masked
		}
	}
	return Masked
}

// Redactor replaces every known secret value in text with "[redacted]". It is
// safe for concurrent use; secrets can be added as they become known.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// Redacted is what Redactor puts in place of a secret.
const Redacted = "[redacted]"

// minSecretLen keeps Redactor from replacing short, common strings (an empty
// security token, "1") all over a log line.
const minSecretLen = 4

// Add registers secrets to redact. Short or empty values are ignored, and so
// is everything for a nil Redactor.
func (r *Redactor) Add(values ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		if len(v) < minSecretLen {
			continue
		}
		dup := false
		for _, s := range r.secrets {
			if s == v {
				dup = true
				break
			}
		}
		if !dup {
			r.secrets = append(r.secrets, v)
		}
	}
	// Longest first, so a password+token value is replaced whole before the
	// password inside it.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// Redact returns text with every registered secret replaced.
func (r *Redactor) Redact(text string) string {
	if r == nil {
		return text
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.secrets {
		if strings.Contains(text, s) {
			text = strings.ReplaceAll(text, s, Redacted)
		}
	}
	return text
}

// Contains reports whether text holds any registered secret.
func (r *Redactor) Contains(text string) bool {
	if r == nil {
		return false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.secrets {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}
