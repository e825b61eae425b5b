package steps

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/drsetup/drsetup/field"
)

// A Client ID or username that no one typed (too long, not text, with a
// terminal escape or a line break) blocks before any request, and the
// message does not repeat it.
func TestImplausibleClientIDAndUsernameBlock(t *testing.T) {
	for _, c := range []struct {
		field field.Field
		value string
		says  string
	}{
		{field.ClientID, "3MVG9" + strings.Repeat("a", 251), "256 bytes long"},
		{field.ClientID, "3MVG9\x1b]0;owned\x07", "control characters"},
		{field.ClientID, "3MVG9\xff\xfe", "not text"},
		{field.Username, "it@acme.com\x1b[2J", "control characters"},
		{field.Username, "it@acme.com\xff", "not text"},
	} {
		s := Defaults("p")
		s.ClientID, s.Username = "3MVG9good", "it@acme.com"
		if c.field == field.ClientID {
			s.ClientID = c.value
		} else {
			s.Username = c.value
		}
		ps := CheckField(s, c.field)
		if len(ps) != 1 || !ps[0].Blocking || !strings.Contains(ps[0].Message, c.says) || strings.ContainsAny(ps[0].String(), "\x1b\x07") || !utf8.ValidString(ps[0].String()) {
			t.Errorf("%s %q: %v", c.field, c.value, ps)
		}
	}
	s := Defaults("p")
	s.ClientID = "3MVG9" + strings.Repeat("a", 250) // 255 bytes: long, but possible
	if ps := CheckField(s, field.ClientID); len(ps) != 0 {
		t.Errorf("a 255-byte Client ID: %v", ps)
	}
}
