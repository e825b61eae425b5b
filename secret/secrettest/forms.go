// Package secrettest gives tests the forms a secret can take in text, so a
// test that looks for a leak looks for every one of them: as it is,
// JSON-escaped three ways, percent-encoded two ways, HTML-escaped and base64
// in four variants, and the same for the part of it that must never show
// (its first six characters, after a Digital River key's public kind).
package secrettest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/drsetup/drsetup/secret"
)

// Forms returns the encodings of s by name. Names are stable, so a test can
// say which form leaked.
func Forms(s string) map[string]string {
	forms := map[string]string{
		"raw":           s,
		"json":          jsonEscape(s, true),
		"json-nohtml":   jsonEscape(s, false),
		"json-ascii":    asciiJSON(s),
		"query":         url.QueryEscape(s),
		"path":          url.PathEscape(s),
		"html":          html.EscapeString(s),
		"base64":        base64.StdEncoding.EncodeToString([]byte(s)),
		"base64url":     base64.URLEncoding.EncodeToString([]byte(s)),
		"base64raw":     base64.RawStdEncoding.EncodeToString([]byte(s)),
		"base64url-raw": base64.RawURLEncoding.EncodeToString([]byte(s)),
	}
	return forms
}

// Leaks returns, for each form in which the secret s or its telling part
// appears in text, a short description; none means no leak. The telling
// part inside one of drsetup's own words is no leak (secret.Redactor leaves
// "Salesforce refused" readable when a password starts "Salesforce#"). Base64 forms are
// looked for at each of the three offsets a longer encoding can put s at.
func Leaks(text, s string) []string { return leaks(text, s, true) }

// TextLeaks is Leaks without the base64 forms: for a secret that never was
// base64-encoded, whose few base64 characters would turn up in a long text
// by chance.
func TextLeaks(text, s string) []string { return leaks(text, s, false) }

func leaks(text, s string, withBase64 bool) []string {
	var out []string
	for _, part := range []struct{ what, v string }{{"secret", s}, {"prefix", Telling(s)}} {
		if part.v == "" {
			continue
		}
		for name, f := range Forms(part.v) {
			if strings.HasPrefix(name, "base64") {
				continue
			}
			if f != "" && strings.Contains(text, f) && (part.what == "secret" || !onlyInOwnWords(text, f, Forms(s)[name])) {
				out = append(out, fmt.Sprintf("%s as %s (%q)", part.what, name, f))
			}
		}
		for k := range 3 {
			if !withBase64 {
				break
			}
			for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
				// Four or five base64 characters turn up by chance in any
				// long text; six tell.
				if core := base64Core(enc, part.v, k); len(core) >= 6 && strings.Contains(text, core) {
					out = append(out, fmt.Sprintf("%s as base64 at offset %d (%q)", part.what, k, core))
				}
			}
		}
	}
	return out
}

// Telling is the part of s that must never show: its first six characters
// after a Digital River key's public kind (sk_test_, sk_ …) or a Salesforce
// access token's org ID, or the whole of s when it is shorter than that.
func Telling(s string) string {
	body := s
	for _, p := range []string{"sk_test_", "pk_test_", "sk_live_", "pk_live_", "sk_", "pk_"} {
		if strings.HasPrefix(s, p) {
			body = s[len(p):]
			break
		}
	}
	if i := strings.IndexByte(s, '!'); (i == 15 || i == 18) && strings.HasPrefix(s, "00D") {
		body = s[i+1:] // a Salesforce access token's org ID
	}
	if utf8.RuneCountInString(body) < 6 {
		return s
	}
	n := 0
	for i := range body {
		if n == 6 {
			return body[:i]
		}
		n++
	}
	return body
}

func jsonEscape(s string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// asciiJSON escapes as many other JSON writers do: every non-ASCII rune as
// \uXXXX (upper-case hex, surrogate pairs), and / as \/.
func asciiJSON(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '/':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r > 0x7e:
			if r > 0xffff {
				r -= 0x10000
				fmt.Fprintf(&b, `\u%04X\u%04X`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
				continue
			}
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// base64Core is the part of the base64 encoding of s that every encoding
// holding s after k other bytes shares.
func base64Core(enc *base64.Encoding, s string, k int) string {
	buf := make([]byte, k+len(s))
	copy(buf[k:], s)
	e := enc.EncodeToString(buf)
	from, to := (8*k+5)/6, (8*(k+len(s)))/6
	if from >= to || to > len(e) {
		return ""
	}
	return e[from:to]
}

// onlyInOwnWords reports whether every occurrence of f, the telling part of
// the secret whose form is full, lies inside one of drsetup's own words, as
// the Redactor leaves them: each occurrence taken as far as the text goes
// on as the secret does, as the Redactor takes it.
func onlyInOwnWords(text, f, full string) bool {
	for at := 0; ; {
		i := strings.Index(text[at:], f)
		if i < 0 {
			return true
		}
		i += at
		n := len(f)
		for n < len(full) && i+n < len(text) && text[i+n] == full[n] {
			n++
		}
		if n == len(full) || !secret.InOwnWord(text, i, i+n) {
			return false
		}
		at = i + 1
	}
}
