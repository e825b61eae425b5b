package sfcheck

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanRemote makes text an org stored (a failed event's reason, a Login
// History status, a permission set's name) safe to show and bounded: escape
// sequences are removed whole, other control characters and the
// bidirectional overrides dropped, line breaks and runs of white space folded
// into one space, invalid UTF-8 replaced, and the result cut to max runes
// with "…". The text may come from a webhook's payload, which anyone who can
// reach Digital River's API writes.
//
// A fuller cleaner (text.Clean) is being written on another branch; this one
// is kept small so the two can be swapped when both are on main.
func cleanRemote(s string, max int) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b:
			i = skipEscape(s, i+1)
			continue
		case unicode.IsSpace(r):
			space = true
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidiControl(r):
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r) // invalid UTF-8 is written as U+FFFD
		}
		i += size
	}
	out := b.String()
	if utf8.RuneCountInString(out) <= max {
		return out
	}
	runes := []rune(out)
	return strings.TrimRight(string(runes[:max]), " ") + "…"
}

// skipEscape returns the index after the escape sequence whose ESC was just
// before i: a CSI sequence (ESC [ … final byte), a string sequence (ESC ] or
// ESC P, _ , ^, X … BEL or ESC \), or a two-byte escape. A string sequence
// that never ends takes the rest of the text with it.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		for i++; i < len(s); i++ {
			if c := s[i]; c >= 0x40 && c <= 0x7e {
				return i + 1
			}
		}
		return i
	case ']', 'P', '_', '^', 'X':
		for i++; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return i
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return i + size
}

// isBidiControl reports the characters that reorder how text is shown, which
// could make a reason read as something else.
func isBidiControl(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
