package doctorview

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/ui/urltext"
)

// FuzzWrapText checks the wrapper's promises for any text and width: no
// word is lost or reordered, no line is wider than asked when words may be
// cut, and a word that fits a line is never broken.
func FuzzWrapText(f *testing.F) {
	for _, s := range []string{
		"Digital River posts to https://wayne--uat.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/.",
		"✓ Address: → Setup → My Domain",
		"",
		"a",
		"   spaces   between   words   ",
		"日本語のテキスト と emoji 🙈🙉🙊 mixed",
	} {
		f.Add(s, 40, true)
		f.Add(s, 12, false)
	}
	f.Fuzz(func(t *testing.T, text string, width int, cut bool) {
		if width < 1 || width > 500 {
			t.Skip()
		}
		lines := wrapText(text, width, "", "  ", cut)
		var words []string
		for i, l := range lines {
			body := l
			if i > 0 {
				if !strings.HasPrefix(l, "  ") {
					t.Fatalf("line %d lacks its indent: %q", i, l)
				}
				body = l[2:]
			}
			if cut && width > 3 && ansi.StringWidth(l) > width {
				// Only a single grapheme wider than the room may overflow.
				if len([]rune(strings.TrimSpace(body))) > 1 {
					t.Fatalf("line %d is %d wide, want at most %d: %q", i, ansi.StringWidth(l), width, l)
				}
			}
			words = append(words, strings.Fields(body)...)
		}
		got := strings.Join(words, "")
		want := strings.Join(strings.Fields(strings.ToValidUTF8(text, "\uFFFD")), "")
		if got != want {
			t.Fatalf("text changed:\n got %q\nwant %q", got, want)
		}
		if !cut {
			for _, w := range strings.Fields(strings.ToValidUTF8(text, "\uFFFD")) {
				found := false
				for _, l := range lines {
					if strings.Contains(l, w) {
						found = true
						break
					}
				}
				if !found {
					t.Fatalf("word %q was broken", w)
				}
			}
		}
	})
}

func TestWrapTextBreaksAURLOnlyBetweenItsParts(t *testing.T) {
	const url = "https://wayne--uat.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
	text := "Set the webhook's address to " + url + ", with the My Domain from Setup → My Domain."
	// From the width where its longest part, "https://wayne--uat.", fits
	// after the indent; below it that part is cut as any too-long word is.
	for width := 23; width <= 120; width++ {
		lines := wrapText(text, width, "  → ", "    ", true)
		joined := ""
		var ends []int
		for _, l := range lines {
			joined += strings.TrimLeft(strings.TrimPrefix(l, "  → "), " ")
			ends = append(ends, len(joined))
		}
		start := strings.Index(joined, url)
		if start < 0 {
			t.Fatalf("width %d: the URL is lost:\n%s", width, strings.Join(lines, "\n"))
		}
		bounds := map[int]bool{}
		at := start
		for _, p := range urltext.Parts(url) {
			at += len(p)
			bounds[at] = true
		}
		for _, e := range ends {
			if e > start && e < start+len(url) && !bounds[e] {
				t.Fatalf("width %d: a line ends inside a part of the URL:\n%s", width, strings.Join(lines, "\n"))
			}
		}
	}
	// Kept whole (piped output) it stands alone on its line.
	lines := wrapText(text, 60, "", "", false)
	if !slices.Contains(lines, url+",") {
		t.Errorf("not whole on its own line:\n%s", strings.Join(lines, "\n"))
	}
	// The guide's placeholder is part of the URL.
	lines = wrapText("Use https://<My Domain>/services/oauth2/token here.", 30, "", "", true)
	if lines[1] != "https://<My Domain>/services/" || lines[2] != "oauth2/token here." {
		t.Errorf("placeholder:\n%s", strings.Join(lines, "\n"))
	}
}
