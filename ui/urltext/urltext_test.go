package urltext

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestParts(t *testing.T) {
	for url, want := range map[string][]string{
		"https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/": {
			"https://acme.", "my.", "salesforce.", "com/", "services/", "apexrest/", "digitalriverv3/", "webhooks/"},
		"https://<My Domain>/services/oauth2/token": {"https://<My Domain>/", "services/", "oauth2/", "token"},
		"https://x.example/a?b=1&c=2":               {"https://x.", "example/", "a", "?b=1", "&c=2"},
		"https://wayne--uat.sandbox.my.salesforce.com": {
			"https://wayne--uat.", "sandbox.", "my.", "salesforce.", "com"},
	} {
		if got := Parts(url); !slices.Equal(got, want) {
			t.Errorf("Parts(%q) = %q, want %q", url, got, want)
		}
	}
}

// Whatever the URL and the width, Lines loses nothing, breaks only between
// parts, never leaves room for the next part unused, and exceeds the width
// only with a part that is wider on its own.
func TestLinesProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 19))
	labels := []string{"acme", "my", "salesforce", "com", "wayne--uat", "sandbox", "services", "apexrest", "digitalriverv3", "webhooks", "日本語", "x"}
	for i := 0; i < 3000; i++ {
		var host, path []string
		for range 1 + rng.IntN(5) {
			host = append(host, labels[rng.IntN(len(labels))])
		}
		for range rng.IntN(6) {
			path = append(path, labels[rng.IntN(len(labels))])
		}
		url := "https://" + strings.Join(host, ".") + "/" + strings.Join(path, "/")
		width := 1 + rng.IntN(80)
		lines := Lines(url, width)
		if strings.Join(lines, "") != url {
			t.Fatalf("Lines(%q, %d) = %q: text lost", url, width, lines)
		}
		bounds := map[int]bool{}
		at := 0
		for _, p := range Parts(url) {
			at += len(p)
			bounds[at] = true
		}
		at = 0
		for j, l := range lines {
			at += len(l)
			if !bounds[at] {
				t.Fatalf("Lines(%q, %d): line %d ends inside a part: %q", url, width, j, lines)
			}
			if w := ansi.StringWidth(l); w > width && len(Parts(l)) > 1 {
				t.Fatalf("Lines(%q, %d): line %q is %d wide with several parts", url, width, l, w)
			}
			if j+1 < len(lines) {
				next := Parts(lines[j+1])[0]
				if ansi.StringWidth(l)+ansi.StringWidth(next) <= width {
					t.Fatalf("Lines(%q, %d): %q would have fitted after %q", url, width, next, l)
				}
			}
		}
	}
}

func TestJoinWordsKeepsAPlaceholderWithItsURL(t *testing.T) {
	words := strings.Fields("use https://<My Domain>/services/oauth2/token as <the endpoint>")
	got := JoinWords(words, "+")
	want := []string{"use", "https://<My+Domain>/services/oauth2/token", "as", "<the", "endpoint>"}
	if !slices.Equal(got, want) {
		t.Errorf("JoinWords = %q, want %q", got, want)
	}
	// An unclosed placeholder takes what follows, and never more than there is.
	if got := JoinWords([]string{"https://<oops", "and", "more"}, " "); !slices.Equal(got, []string{"https://<oops and more"}) {
		t.Errorf("unclosed: %q", got)
	}
}
