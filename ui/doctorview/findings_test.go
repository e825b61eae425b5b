package doctorview

import (
	"slices"
	"strings"
	"testing"
)

// FuzzFactorLosesNothing checks the promise the grouped report rests on:
// however the findings of several webhooks are factored, every sentence of
// each is still said for it, once as shared or as its own, in its order
// within each part.
func FuzzFactorLosesNothing(f *testing.F) {
	f.Add("Read the Login History of a. If it is blocked, allow it. Then store it.", "Read the Login History of b. If it is blocked, allow it. Then store it.", "Then store it.")
	f.Add("A. B. C.", "C. B. A.", "")
	f.Add("e.g. https://acme.my.salesforce.com. Use it.", "Use it. Use it.", "(see x). Use it.")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		texts := []string{a, b, c}
		pre, common, post := factor(texts)
		for i, txt := range texts {
			own := sentences(txt)
			var got []string
			got = append(got, pre[i]...)
			for _, s := range common {
				if !slices.Contains(own, s) {
					t.Fatalf("text %d: shared sentence %q is not its own", i, s)
				}
			}
			got = append(got, post[i]...)
			for _, s := range own {
				if !slices.Contains(got, s) && !slices.Contains(common, s) {
					t.Fatalf("text %d lost %q:\npre %q\ncommon %q\npost %q", i, s, pre[i], common, post[i])
				}
			}
		}
		// Sentences put back together are the words of the text.
		for _, txt := range texts {
			if got, want := strings.Join(sentences(txt), " "), strings.Join(strings.Fields(txt), " "); got != want {
				t.Fatalf("sentences of %q rejoin as %q", txt, got)
			}
		}
	})
}
