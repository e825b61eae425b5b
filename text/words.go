package text

// The words helpers every layer uses to put text together for the user:
// sentences, lists, plurals, and the defaults shown for a missing value.

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence starts s with a capital letter and ends it with a full stop. A
// leading host name, URL or identifier keeps its case.
func Sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	first, _, _ := strings.Cut(s, " ")
	if !strings.ContainsAny(strings.TrimRight(first, ".,;:!?"), "./_@:") {
		s = Capitalize(s)
	}
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, ")") {
		s += "."
	}
	return s
}

// FullStop ends s with a full stop, also after a closing parenthesis.
func FullStop(s string) string {
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// Capitalize upper-cases the first letter of s.
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// JoinAnd joins "a", "b" and "c" as "a, b and c".
func JoinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// S is the plural ending for n things: "" for one, "s" otherwise.
func S(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// VerbS is a verb's third-person ending for n subjects: "s" for one
// ("points"), "" otherwise ("point").
func VerbS(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

// IsAre is "is" for one, "are" otherwise.
func IsAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// Count is n and the noun, pluralised with S: "1 webhook", "3 webhooks".
func Count(n int, noun string) string { return fmt.Sprintf("%d %s%s", n, noun, S(n)) }

// Times is how often: "once", "twice", "3 times".
func Times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// Or is s, or def when s is empty.
func Or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Cut bounds s to max runes: s itself when it has no more, otherwise its
// first max runes, without the white space they end in, and "…". Text from
// elsewhere is cut after Clean, so that a cut cannot split an escape sequence
// and leave half of it to show.
func Cut(s string, max int) string {
	if max < 0 {
		max = 0
	}
	if len(s) <= max || utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return strings.TrimRightFunc(s[:i], unicode.IsSpace) + "…"
		}
		n++
	}
	return s
}
