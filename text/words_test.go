package text

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSentenceCapitalisesAndEndsWithAFullStop(t *testing.T) {
	cases := map[string]string{
		"":                               "",
		"  the key works  ":              "The key works.",
		"done!":                          "Done!",
		"acme.my.salesforce.com is down": "acme.my.salesforce.com is down.",
		"https://x is not a host":        "https://x is not a host.",
		"sk_test_ keys are test keys":    "sk_test_ keys are test keys.",
		"it ends (like this)":            "It ends (like this)",
		"élan":                           "Élan.",
	}
	for in, want := range cases {
		if got := Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestListsAndPlurals(t *testing.T) {
	if got := JoinAnd([]string{"a", "b", "c"}); got != "a, b and c" {
		t.Errorf("JoinAnd = %q", got)
	}
	if JoinAnd(nil) != "" || JoinAnd([]string{"x"}) != "x" || JoinAnd([]string{"x", "y"}) != "x and y" {
		t.Error("JoinAnd of short lists")
	}
	if Count(1, "webhook") != "1 webhook" || Count(0, "webhook") != "0 webhooks" || Count(3, "org") != "3 orgs" {
		t.Error("Count")
	}
	if IsAre(1) != "is" || IsAre(2) != "are" || VerbS(1) != "s" || VerbS(2) != "" {
		t.Error("IsAre/VerbS")
	}
	if Times(1) != "once" || Times(2) != "twice" || Times(5) != "5 times" {
		t.Error("Times")
	}
	if Or("", "none") != "none" || Or("x", "none") != "x" || FullStop("a)") != "a)." || FullStop("") != "" {
		t.Error("Or/FullStop")
	}
}

func TestCutBoundsRunesAndMarksTheCut(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"plain", 100, "plain"},
		{"plain", 5, "plain"},
		{"aaaaaaaaaa", 5, "aaaaa…"},
		// The cut does not leave a space before the mark.
		{"abcd efgh", 5, "abcd…"},
		{"ab\t\u00a0cdef", 4, "ab…"},
		// Runes, not bytes: a cut never splits a character.
		{"ééééé", 3, "ééé…"},
		{"東京東京", 4, "東京東京"},
		{"", 0, ""},
		{"a", 0, "…"},
		{"abc", -1, "…"},
	} {
		if got := Cut(c.in, c.max); got != c.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

// Text from elsewhere is cleaned, then cut: whatever it was, the result is
// one line of at most max runes and the mark, with no byte a terminal acts on
// and no loose white space.
func FuzzCut(f *testing.F) {
	for _, s := range []string{"a\x1b[2Jb", "\x1b]0;x\x07", "\u202e", "é\n\r\t", "\xff\xfe", "\x1b", "abcd efgh"} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 1000 {
			return
		}
		got := Cut(Clean(s), max)
		if !utf8.ValidString(got) {
			t.Fatalf("Cut(Clean(%q), %d) = %q is not UTF-8", s, max, got)
		}
		n := utf8.RuneCountInString(got)
		if n > max+1 || n == max+1 && !strings.HasSuffix(got, "…") {
			t.Fatalf("Cut(Clean(%q), %d) = %q has %d runes", s, max, got, n)
		}
		for _, r := range got {
			if r == 0x1b || unicode.IsControl(r) || isBidiControl(r) {
				t.Fatalf("Cut(Clean(%q), %d) = %q keeps %U", s, max, got, r)
			}
		}
		if strings.Contains(got, "  ") || strings.TrimSpace(got) != got || strings.Contains(got, " …") {
			t.Fatalf("Cut(Clean(%q), %d) = %q has loose white space", s, max, got)
		}
		if clean := Clean(s); utf8.RuneCountInString(clean) <= max && got != clean {
			t.Fatalf("Cut(%q, %d) = %q changed text that fits", clean, max, got)
		}
	})
}

// BenchmarkCleanCutRecordText cleans and cuts a failed event's reason as
// the readers do for every record: 400 runes with escape sequences, cut to
// 200.
func BenchmarkCleanCutRecordText(b *testing.B) {
	s := "System.NullPointerException: \x1b[31mAttempt\x1b[0m to de-reference\na null object " + strings.Repeat("é", 400)
	b.ReportAllocs()
	for b.Loop() {
		Cut(Clean(s), 200)
	}
}
