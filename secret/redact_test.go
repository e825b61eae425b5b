package secret_test

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/secret/secrettest"
)

func TestRedactorReplacesLongestFirst(t *testing.T) {
	var r secret.Redactor
	r.Add("pass", "passTOKEN1234", "", "ab")
	got := r.Redact(`password=passTOKEN1234&x=pass&y=ab`)
	if got != "[redacted]word=[redacted]&x=[redacted]&y=ab" {
		t.Fatalf("Redact = %q", got)
	}
	if !r.Contains("..passTOKEN..") || r.Contains("nothing here") {
		t.Fatal("Contains disagrees with Redact")
	}
	var nilR *secret.Redactor
	if nilR.Redact("x") != "x" || nilR.Contains("x") {
		t.Fatal("a nil Redactor redacts nothing")
	}
	nilR.Add("ignored")
}

// Where a secret only starts like one of drsetup's own words, the word stays
// readable ("Salesforce refused the login" with a password starting
// "Salesforce"): it is there whatever the password, and redacting it would
// tell how the password starts. The secret itself, any longer part of it,
// and its beginning at the end of a text or before "…" (a secret cut
// short) are redacted as before.
func TestOwnWordsStayReadableWhereASecretOnlyStartsLikeThem(t *testing.T) {
	var r secret.Redactor
	r.Add("Salesforce#2026", "password-Summer1", "Change")
	for _, keep := range []string{
		"Salesforce refused the login at https://login.salesforce.com/services/oauth2/token.",
		"Setup → App Manager → Salesforce DigitalRiver Integration → Edit",
		"a wrong password; the username-password flow is retired (Salesforce's words).",
	} {
		if got := r.Redact(keep); got != keep {
			t.Errorf("Redact(%q) = %q", keep, got)
		}
	}
	for text, want := range map[string]string{
		"the password is Salesforce#2026.":  "the password is [redacted].",
		"cut: Salesforce#20… and more":      "cut: [redacted]… and more",
		"the answer ends with Salesforce":   "the answer ends with [redacted]",
		"a cut answer: Salesforce… (more)":  "a cut answer: [redacted]… (more)",
		"Salesforceish is not one of ours":  "[redacted]ish is not one of ours",
		"password-Summer is a cut secret":   "[redacted] is a cut secret",
		"Change the password (step 5)":      "[redacted] the password (step 5)",
		`{"password":"Salesforce#2026"}`:    `{"password":"[redacted]"}`,
		"pw=Salesforce%232026&x=1":          "pw=[redacted]&x=1",
		`Salesforce\u00232026 in JSON text`: "[redacted] in JSON text",
	} {
		if got := r.Redact(text); got != want {
			t.Errorf("Redact(%q) = %q, want %q", text, got, want)
		}
	}
}

// The leak finder counts a secret's beginning inside one of drsetup's own
// words as the Redactor does: a word alone is no leak, the word run on as
// the secret goes on is.
func TestLeaksFollowsTheOwnWordRule(t *testing.T) {
	const pw = "Salesforce#2026"
	if l := secrettest.Leaks("Salesforce refused the login.", pw); len(l) != 0 {
		t.Errorf("an own word counted as a leak: %v", l)
	}
	for _, text := range []string{"the password Salesforce#202 was refused.", "it ends in Salesforce", "Salesforce#2026 whole"} {
		if l := secrettest.Leaks(text, pw); len(l) == 0 {
			t.Errorf("%q: no leak found", text)
		}
	}
}

// Each form a server, a proxy or an encoder gives a secret is redacted, and
// so is each form cut after the secret's sixth character.
func TestRedactorMasksEveryEncoding(t *testing.T) {
	secrets := []string{
		`Pa$$w0rd&<x>+%20"q"\b/ü`,
		"S3cr3t with spaces & 東京",
		"😀emoji-first-secret",
		"plainalphanumeric123",
	}
	var r secret.Redactor
	r.Add(secrets...)
	for _, s := range secrets {
		for name, f := range secrettest.Forms(s) {
			for _, ctx := range [][2]string{{"", ""}, {"before ", " after"}, {`{"message":"x`, `y"}`}} {
				text := ctx[0] + f + ctx[1]
				out := r.Redact(text)
				if leaks := secrettest.Leaks(out, s); len(leaks) > 0 {
					t.Errorf("%s form of %q in %q: Redact = %q still holds %v", name, s, text, out, leaks)
				}
				if !strings.Contains(out, secret.Redacted) {
					t.Errorf("%s form of %q: nothing redacted in %q", name, s, out)
				}
				if !strings.HasPrefix(out, ctx[0]) || !strings.HasSuffix(out, ctx[1]) {
					t.Errorf("%s form of %q: the text around it changed: %q", name, s, out)
				}
			}
			// Cut: a server that quotes only the start of the value.
			cut := secrettest.Forms(secrettest.Telling(s))[name]
			if strings.HasPrefix(name, "base64") {
				continue // a cut base64 form is looked for at every offset below
			}
			if out := r.Redact("quoted: " + cut + "…"); strings.Contains(out, cut) {
				t.Errorf("%s form of %q cut to %q survives: %q", name, s, cut, out)
			}
		}
	}
}

func TestRedactorFindsBase64AtAnyOffset(t *testing.T) {
	const s = "client-secret-0123456789"
	var r secret.Redactor
	r.Add(s)
	for _, pre := range []string{"", "u", "us", "user:", "integration@acme.com:"} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
			text := "Basic " + enc.EncodeToString([]byte(pre+s+"&more"))
			out := r.Redact(text)
			if leaks := secrettest.Leaks(out, s); len(leaks) > 0 {
				t.Errorf("base64 of %q: Redact(%q) = %q still holds %v", pre+s, text, out, leaks)
			}
		}
	}
}

func TestRedactorKeepsTheKindOfAKey(t *testing.T) {
	var r secret.Redactor
	r.Add("sk_test_4f0c0a1b2c3d4e5f", "sk_abc", "pk_test_12", "00Dxx0000001gPL!AQ4AQLongSecretPart")
	cases := map[string]string{
		"key sk_test_4f0c0a1b2c3d4e5f refused": "key sk_test_[redacted] refused",
		"starts sk_test_4f0c0a…":               "starts sk_test_[redacted]…",
		"only 4f0c0a quoted":                   "only [redacted] quoted",
		"sk_test_ alone is public":             "sk_test_ alone is public",
		"short key sk_abc whole":               "short key [redacted] whole",
		"sk_ab is not the short key":           "sk_ab is not the short key",
		"pk_test_12 whole too":                 "[redacted] whole too",
		// A Salesforce access token starts with the org ID, which reports show.
		"org 00Dxx0000001gPL of token 00Dxx0000001gPL!AQ4AQLongSecretPart": "org 00Dxx0000001gPL of token 00Dxx0000001gPL![redacted]",
	}
	for in, want := range cases {
		if got := r.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactorPrefixRule(t *testing.T) {
	var r secret.Redactor
	r.Add("abcdefghij", "xyz12")
	cases := map[string]string{
		"abcdef":     "[redacted]",
		"abcdefXYZ":  "[redacted]XYZ",
		"abcdefghij": "[redacted]",
		"abcde":      "abcde", // five characters of a long secret tell too little
		"xyz12":      "[redacted]",
		"xyz1":       "xyz1", // a short secret is redacted only whole
	}
	for in, want := range cases {
		if got := r.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// Secrets added while others redact: the race detector watches.
func TestRedactorConcurrentAddAndRedact(t *testing.T) {
	var r secret.Redactor
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				s := fmt.Sprintf("secret-%d-%04d", g, i)
				r.Add(s)
				if out := r.Redact("x " + s + " y"); out != "x [redacted] y" {
					t.Errorf("Redact after Add(%q) = %q", s, out)
					return
				}
			}
		})
	}
	wg.Wait()
}

// Whatever the secret and whatever surrounds it, no form of it, whole or cut
// to its telling part, is left in what Redact returns.
func FuzzRedactor(f *testing.F) {
	f.Add("Pa$$w0rd&<>", "before ", " after", uint8(0))
	f.Add("sk_test_4f0c0a1b2c3d", `{"m":"`, `"}`, uint8(3))
	f.Add("ab\\\"cd%2Bef", "x", "y", uint8(7))
	f.Fuzz(func(t *testing.T, s, before, after string, form uint8) {
		// A secret that is not UTF-8 has no faithful JSON form (encoders
		// write U+FFFD), and one holding the brackets of [redacted] can meet
		// itself in the replacement.
		if len(s) < 4 || !utf8.ValidString(s) || strings.ContainsAny(s, "[]") || strings.Contains(secret.Redacted, s) {
			t.Skip()
		}
		// Text before the form that ends in half an escape (\, %4, &#)
		// joins the form's first characters into another one: the text then
		// holds something else, not the secret.
		if strings.ContainsAny(before[max(0, len(before)-12):], `\%&`) {
			t.Skip()
		}
		var r secret.Redactor
		r.Add(s)
		forms := secrettest.Forms(s)
		names := make([]string, 0, len(forms))
		for n := range forms {
			names = append(names, n)
		}
		slices.Sort(names)
		name := names[int(form)%len(names)]
		text := before + forms[name] + after
		out := r.Redact(text)
		for _, leak := range secrettest.Leaks(out, s) {
			// What the text around the secret holds by itself is not a leak
			// of the secret: only what Redact let through from its form.
			if !strings.Contains(before+after, strings.Trim(leak[strings.Index(leak, "(")+1:len(leak)-1], `"`)) {
				t.Fatalf("%s form: Redact(%q) = %q leaks %s", name, text, out, leak)
			}
		}
	})
}

// A doctor run over a partner's key knows thousands of stored secrets; a log
// line or a finding is redacted once each.
func BenchmarkRedactorThousandsOfSecrets(b *testing.B) {
	for _, n := range []int{4, 5000} {
		b.Run(fmt.Sprintf("secrets=%d", n), func(b *testing.B) {
			var r secret.Redactor
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range n {
				r.Add(fmt.Sprintf("stored-%d-%x", i, rng.Uint64()))
			}
			line := strings.Repeat(`{"id":"0b7c3a52-1111-4000-8000-000000000001","address":"https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"} `, 8)
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				r.Redact(line)
			}
		})
	}
	// Passwords made to one scheme share their first characters: the match
	// is found by binary search among them, not by trying each.
	b.Run("shared-prefix-5000-hits", func(b *testing.B) {
		var r secret.Redactor
		for i := range 5000 {
			r.Add(fmt.Sprintf("Integration2026!%04d", i))
		}
		line := strings.Repeat(`{"summary":"stored password Integration2026!0042 differs from Integration2026!4999"} `, 4)
		b.SetBytes(int64(len(line)))
		b.ReportAllocs()
		for b.Loop() {
			r.Redact(line)
		}
	})
	b.Run("add-5000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var r secret.Redactor
			for i := range 5000 {
				r.Add(fmt.Sprintf("stored-secret-%06d", i))
			}
		}
	})
}
