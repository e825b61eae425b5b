// Package urltext says where a URL may break across lines, so that wrapped
// text on a narrow terminal never cuts one inside a word: the wizard's
// screens and doctor's report both wrap with it.
package urltext

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Is reports whether word holds a URL.
func Is(word string) bool { return strings.Contains(word, "://") }

// JoinWords joins the words of a URL whose placeholder holds a space
// ("https://<My" "Domain>/services/…", as the app's guide writes it) back
// into one word, joined with sep.
func JoinWords(words []string, sep string) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		word := words[i]
		for Is(word) && strings.Count(word, "<") > strings.Count(word, ">") && i+1 < len(words) {
			i++
			word += sep + words[i]
		}
		out = append(out, word)
	}
	return out
}

// Parts splits a URL where a line may break inside it: after each "." of
// the host, after each "/" of the path, and before each "?" and "&" of the
// query. The scheme stays with the host's first label. Escape sequences
// around or inside the URL stay whole: none holds these characters.
func Parts(url string) []string {
	start := 0
	if i := strings.Index(url, "://"); i >= 0 {
		start = i + len("://")
	}
	hostEnd := len(url)
	if i := strings.IndexByte(url[start:], '/'); i >= 0 {
		hostEnd = start + i
	}
	var parts []string
	from := 0
	cut := func(at int) {
		if at > from {
			parts = append(parts, url[from:at])
			from = at
		}
	}
	for i := start; i < len(url); i++ {
		switch c := url[i]; {
		case c == '.' && i < hostEnd, c == '/' && i >= hostEnd:
			cut(i + 1)
		case (c == '?' || c == '&') && i > hostEnd:
			cut(i)
		}
	}
	cut(len(url))
	return parts
}

// Lines breaks a URL into lines of at most width columns between its Parts,
// each line holding as many whole parts as fit. A part wider than width is
// a line of its own, left for the caller to cut.
func Lines(url string, width int) []string {
	var lines []string
	cur, used := "", 0
	for _, p := range Parts(url) {
		pw := ansi.StringWidth(p)
		if cur != "" && used+pw > width {
			lines = append(lines, cur)
			cur, used = "", 0
		}
		cur += p
		used += pw
	}
	return append(lines, cur)
}
