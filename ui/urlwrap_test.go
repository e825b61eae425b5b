package ui

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/ui/theme"
	"github.com/drsetup/drsetup/ui/urltext"
)

// urlBreaks checks where wrapped lines break inside url: only between its
// parts. It returns false when the url is not in the lines at all.
func urlBreaks(t *testing.T, lines []string, url string) bool {
	t.Helper()
	var text strings.Builder
	var breaks []int // offsets in text where a line ended
	for i, l := range lines {
		l = ansi.Strip(l)
		if i > 0 {
			l = strings.TrimLeft(l, " ")
		}
		text.WriteString(strings.ReplaceAll(l, nonBreakingSpace, " "))
		breaks = append(breaks, text.Len())
	}
	start := strings.Index(text.String(), url)
	if start < 0 {
		return false
	}
	bounds := map[int]bool{}
	at := start
	for _, p := range urltext.Parts(url) {
		at += len(p)
		bounds[at] = true
	}
	for _, b := range breaks {
		if b > start && b < start+len(url) && !bounds[b] {
			t.Errorf("a line ends inside a part of %s:\n%s", url, strings.Join(lines, "\n"))
		}
	}
	return true
}

func TestWrapLinesNeverCutsAURLInsideAWord(t *testing.T) {
	st := theme.New(true, true)
	const (
		sandbox  = "https://wayne--uat.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
		template = "https://<My Domain>/services/apexrest/digitalriverv3/webhooks/"
		token    = "https://login.salesforce.com/services/oauth2/token"
	)
	for _, text := range []string{
		"The webhook's Endpoint URL follows from the My Domain: " + template,
		"Choose sandbox (token endpoint " + token + "), or the org's own token endpoint " + sandbox + ".",
		st.Code.Render(sandbox),
		"Endpoint " + st.Code.Render(sandbox) + " and " + st.Code.Render(token),
	} {
		for w := 20; w <= 120; w++ {
			lines := wrapLines(text, w)
			for _, u := range []string{sandbox, template, token} {
				if strings.Contains(ansi.Strip(text), u) && !urlBreaks(t, lines, u) {
					t.Fatalf("at %d columns %s was lost:\n%s", w, u, strings.Join(lines, "\n"))
				}
			}
			for _, l := range lines {
				if ansi.StringWidth(l) > w {
					t.Fatalf("at %d columns a line is %d wide: %q", w, ansi.StringWidth(l), ansi.Strip(l))
				}
			}
			// A URL that fits a line (with the punctuation after it) is
			// never broken at all.
			if w >= len(token)+len("),") && strings.Contains(text, token) {
				found := false
				for _, l := range lines {
					found = found || strings.Contains(ansi.Strip(l), token)
				}
				if !found {
					t.Fatalf("at %d columns %s fits a line but was broken:\n%s", w, token, strings.Join(lines, "\n"))
				}
			}
		}
	}
}

func TestWrapLinesStartsALongURLOnItsOwnLine(t *testing.T) {
	const url = "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
	lines := wrapLines("The webhook's Endpoint URL is "+url, 60)
	if len(lines) != 3 || lines[0] != "The webhook's Endpoint URL is" || lines[1] != "https://acme.my.salesforce.com/services/apexrest/" || lines[2] != "digitalriverv3/webhooks/" {
		t.Errorf("at 60 columns:\n%s", strings.Join(lines, "\n"))
	}
}

// The wrap of a screen's text with URLs in it, at 60 columns: what every
// keystroke on the My Domain and verify screens pays.
func BenchmarkWrapLinesWithURLs(b *testing.B) {
	text := "Choose sandbox (token endpoint https://test.salesforce.com/services/oauth2/token), or the org's own token endpoint https://wayne--uat.sandbox.my.salesforce.com/services/oauth2/token. The Endpoint URL is https://wayne--uat.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/."
	b.ReportAllocs()
	for b.Loop() {
		wrapLines(text, 60)
	}
}

// FuzzWrapLinesWithURLs checks wrapLines' promises on any printable text:
// no line wider than asked (bar a single grapheme wider than the room), and
// no text lost, reordered or added, whatever URLs it holds.
func FuzzWrapLinesWithURLs(f *testing.F) {
	for _, s := range []string{
		"Choose sandbox (token endpoint https://test.salesforce.com/services/oauth2/token), or https://wayne--uat.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/.",
		"https://<My Domain>/services/oauth2/token",
		"://x.y/z a://b.c/d?e=f&g=h",
		"日本語 https://例え.jp/パス/ok",
	} {
		f.Add(s, 20)
		f.Add(s, 60)
	}
	f.Fuzz(func(t *testing.T, text string, w int) {
		if w < 1 || w > 300 || !utf8.ValidString(text) || strings.ContainsFunc(text, unicode.IsControl) {
			t.Skip()
		}
		// Screens' text is words with single spaces; Lip Gloss keeps a
		// leading space in front of a word it must cut, a line too wide
		// with or without URLs.
		text = strings.Join(strings.Fields(text), " ")
		lines := wrapLines(text, w)
		for _, l := range lines {
			if ansi.StringWidth(l) > w && graphemes(strings.TrimSpace(l)) > 1 {
				t.Fatalf("width %d: line %q is %d wide", w, l, ansi.StringWidth(l))
			}
		}
		norm := func(s string) string {
			s = strings.NewReplacer(nonBreakingSpace, " ", nonBreakingHyphen, "-").Replace(s)
			return strings.Join(strings.Fields(s), "")
		}
		if got, want := norm(strings.Join(lines, "\n")), norm(text); got != want {
			t.Fatalf("width %d: text changed:\n got %q\nwant %q", w, got, want)
		}
	})
}

// graphemes counts the characters of s as a terminal draws them.
func graphemes(s string) int {
	n := 0
	for b := []byte(s); len(b) > 0; n++ {
		c, _ := ansi.FirstGraphemeCluster(b, ansi.GraphemeWidth)
		if len(c) == 0 {
			c = b[:1]
		}
		b = b[len(c):]
	}
	return n
}
