// Package secret holds drsetup's secret-bearing string type, which cannot be
// printed, logged or JSON-encoded by accident, and the masks and redaction the
// rest of the program uses to show that a secret exists without showing it.
package secret

import (
	"fmt"
	"log/slog"
	"strings"
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
	if p := kindPrefix(s); p != "" && len(s) > len(p)+4 {
		return p + Masked
	}
	return Masked
}

// kindPrefixes are the public kinds of Digital River keys, longest first.
var kindPrefixes = []string{"sk_test_", "pk_test_", "sk_live_", "pk_live_", "sk_", "pk_"}

// kindPrefix returns the Digital River key kind s starts with, or "".
func kindPrefix(s string) string {
	for _, p := range kindPrefixes {
		if strings.HasPrefix(s, p) {
			return p
		}
	}
	return ""
}

// publicPrefix returns the start of s that says what s is and no more: a
// Digital River key's kind, or the org ID (00D…!) that a Salesforce access
// token begins with, which every identity URL and report shows anyway.
func publicPrefix(s string) string {
	if p := kindPrefix(s); p != "" {
		return p
	}
	if i := strings.IndexByte(s, '!'); (i == 15 || i == 18) && strings.HasPrefix(s, "00D") {
		return s[:i+1]
	}
	return ""
}
