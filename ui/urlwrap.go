package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/ui/urltext"
)

// nonBreakingSpace joins a URL's placeholder ("https://<My Domain>/…"): the
// wrapper never breaks at it, and it looks like the space it stands for.
const nonBreakingSpace = "\u00a0"

// breakLongURLs prepares s for wrapping at w columns so that no URL is cut
// inside a word. A URL that fits a line needs nothing (the wrapper moves it
// whole to the next line); one wider than a line starts a line of its own
// and breaks only between its parts (urltext.Lines), leaving the wrapper
// only a single part wider than the line to cut. Breaks go between
// characters, never inside an escape sequence, so styles are untouched.
func breakLongURLs(s string, w int) string {
	if w < 1 || !strings.Contains(s, "://") {
		return s
	}
	var b strings.Builder
	for li, line := range strings.Split(s, "\n") {
		if li > 0 {
			b.WriteByte('\n')
		}
		for wi, word := range urltext.JoinWords(strings.Split(line, " "), nonBreakingSpace) {
			long := urltext.Is(word) && ansi.StringWidth(word) > w
			switch {
			case wi > 0 && long:
				b.WriteByte('\n') // break before the URL
			case wi > 0:
				b.WriteByte(' ')
			}
			if long {
				word = strings.Join(urltext.Lines(word, w), "\n")
			}
			b.WriteString(word)
		}
	}
	return b.String()
}
