package doctorview

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
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
