package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanRemovesWholeEscapeSequences(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain text stays", "authentication failure", "authentication failure"},
		{"clear screen (CSI)", "bad\x1b[2J\x1b[Hpassword", "badpassword"},
		{"colour (CSI with params)", "\x1b[1;31mred\x1b[0m text", "red text"},
		{"window title (OSC, BEL)", "\x1b]0;pwned\x07invalid_grant", "invalid_grant"},
		{"window title (OSC, ST)", "\x1b]2;pwned\x1b\\ok", "ok"},
		{"hyperlink (OSC 8)", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"unterminated title takes the rest", "ok \x1b]0;title never ends", "ok"},
		{"terminal reset (ESC c)", "a\x1bcb", "ab"},
		{"charset (ESC ( B)", "a\x1b(Bb", "ab"},
		{"DCS string", "a\x1bP1$r\x1b\\b", "ab"},
		{"8-bit CSI", "a\u009b2Jb", "ab"},
		{"8-bit OSC to ST", "a\u009d0;t\u009cb", "ab"},
		{"bell and NUL", "a\x07b\x00c", "abc"},
		{"other C0 and DEL", "a\x01\x08\x7fb", "ab"},
		{"C1 controls", "a\u0080\u0090x\u009cb", "ab"},
		{"line breaks become one space", "line one\r\n\tline two\u2028three", "line one line two three"},
		{"runs of spaces fold", "  a   b  ", "a b"},
		{"bidi override", "abc\u202edcba\u202c", "abcdcba"},
		{"broken UTF-8", "a\xffb", "a\ufffdb"},
		{"non-ASCII stays", "Zürich – 東京", "Zürich – 東京"},
		{"lone ESC at the end", "abc\x1b", "abc"},
		{"CSI cut by a control", "a\x1b[12\nb", "a b"},
		// What an org's records carry (Login History, failed events).
		{"padded lines", "  two\n\tlines  ", "two lines"},
		{"title between words", "title \x1b]0;pwned\x07 after", "title after"},
		{"title to ST between words", "st \x1b]0;pwned\x1b\\ after", "st after"},
		{"8-bit CSI with parameters", "c1 \u009b31m x", "c1 x"},
		{"bidi override before a file name", "bidi \u202egnp.exe", "bidi gnp.exe"},
		{"DEL at the end", "del\x7f", "del"},
		{"broken UTF-8 between words", "bad \xff utf8", "bad \ufffd utf8"},
	}
	for _, c := range cases {
		if got := Clean(c.in); got != c.want {
			t.Errorf("%s: Clean(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestPrintable(t *testing.T) {
	for _, s := range []string{"3MVG9abc.def_ghi", "integration@acme.com", "Zürich", "a b", ""} {
		if !Printable(s) {
			t.Errorf("Printable(%q) = false", s)
		}
	}
	for _, s := range []string{"a\x1b[2Jb", "a\tb", "a\nb", "a\x00", "a\x7f", "a\u009b", "a\xff", "a\u202eb", "a\ufffd"} {
		if Printable(s) {
			t.Errorf("Printable(%q) = true", s)
		}
	}
}

// What Clean returns is one line of valid UTF-8 with no byte a terminal acts
// on, whatever it is given, and cleaning it again changes nothing.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J", "\x1b]0;t\x07", "\u009b31m", "a\r\nb", "\xff\xfe", "\x1b", "\x1b[", "\u009d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Clean(%q) = %q is not UTF-8", s, out)
		}
		for _, r := range out {
			if r < 0x20 || (r >= 0x7f && r <= 0x9f) || isBidiControl(r) || r == 0x2028 || r == 0x2029 {
				t.Fatalf("Clean(%q) = %q keeps control %U", s, out, r)
			}
		}
		if strings.Contains(out, "  ") || strings.TrimSpace(out) != out {
			t.Fatalf("Clean(%q) = %q keeps runs of spaces", s, out)
		}
		if again := Clean(out); again != out {
			t.Fatalf("Clean is not idempotent: %q → %q → %q", s, out, again)
		}
		if !Printable(out) && !strings.ContainsRune(out, utf8.RuneError) {
			t.Fatalf("Clean(%q) = %q is not Printable", s, out)
		}
	})
}

func BenchmarkCleanPlain(b *testing.B) {
	s := strings.Repeat("authentication failure ", 20)
	s = strings.TrimSpace(s)
	b.ReportAllocs()
	for b.Loop() {
		Clean(s)
	}
}
