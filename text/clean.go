// Package text holds drsetup's helpers for text that reaches a user: Clean
// makes text from elsewhere (Salesforce, Digital River, a proxy, a saved
// profile) safe to put on a terminal, and the words helpers put sentences,
// lists and plurals together.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s as one line safe to show on a terminal: every escape
// sequence (CSI, OSC, DCS and the other string sequences, in their 7-bit ESC
// form and their 8-bit C1 form) is removed whole, so what is left of it can
// neither clear the screen nor set the window title; other C0 and C1
// controls, DEL and the bidirectional overrides that reorder what is shown
// are dropped; line breaks and tabs become spaces; runs of white space are
// folded into one and the ends trimmed; bytes that are not UTF-8 become
// U+FFFD. A sequence that never ends takes the rest of the text with it: what
// follows an unterminated title could still be part of it.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is owed before the next visible rune
	put := func(r rune) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			put(utf8.RuneError)
			i += n
		case r == 0x1b:
			i = skipEscape(s, i+1)
		case isBreak(r):
			space = true
			i += n
		case r >= 0x80 && r <= 0x9f:
			i = skipC1(s, r, i+n)
		case r < 0x20 || r == 0x7f || isBidiControl(r):
			i += n
		default:
			put(r)
			i += n
		}
	}
	return b.String()
}

// Printable reports whether s is valid UTF-8 with nothing that Clean drops:
// no control character, escape sequence or bidirectional override, and no
// line break or tab. A value a person types (a Client ID, a username, an
// address) is all printable; anything else was pasted with something it
// should not carry.
func Printable(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 || (r >= 0x7f && r <= 0x9f) || isBidiControl(r) || r == 0x2028 || r == 0x2029 {
			// A real U+FFFD in the text is refused too: it is what a broken
			// encoding leaves behind.
			return false
		}
	}
	return true
}

// isPlain reports whether Clean would return s unchanged, so the common case
// costs one pass and no allocation.
func isPlain(s string) bool {
	prevSpace := true // a leading space is trimmed
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			// Leave non-ASCII text to the full pass, which knows C1, bidi
			// controls and broken encodings.
			return false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case c < 0x20 || c == 0x7f:
			return false
		default:
			prevSpace = false
		}
	}
	return !prevSpace || len(s) == 0
}

// skipEscape returns the index after the escape sequence whose ESC ended just
// before i (ECMA-48: CSI, the string sequences, and the short ones made of
// intermediate bytes and a final byte).
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// nF sequences: intermediate bytes 0x20–0x2F, then one final byte
	// (ESC ( B picks a character set; ESC c resets the terminal).
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipC1 returns the index after the 8-bit control r that ended just before
// i, with its parameters or string when it opens one.
func skipC1(s string, r rune, i int) int {
	switch r {
	case 0x9b: // CSI
		return skipCSI(s, i)
	case 0x9d, 0x90, 0x98, 0x9e, 0x9f: // OSC, DCS, SOS, PM, APC
		return skipString(s, i)
	}
	return i
}

// skipCSI skips a control sequence's parameter and intermediate bytes and its
// final byte. A byte outside the sequence's grammar ends it there, so a
// malformed sequence cannot swallow the text after it.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f:
			i++
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		default:
			return i
		}
	}
	return i
}

// skipString skips a string sequence (OSC and the like) up to and including
// its terminator: BEL, ESC \ or the 8-bit ST. Without one, it runs to the end.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c: // U+009C ST
			return i + 2
		}
		i++
	}
	return i
}

// isBreak reports the white space that Clean folds into one space: the ASCII
// ones, the Unicode line and paragraph breaks and the other Unicode spaces.
func isBreak(r rune) bool { return unicode.IsSpace(r) }

// isBidiControl reports the Unicode controls that reorder how text is shown
// (embeddings, overrides and isolates): with them a server can make a message
// read other than it is.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}
