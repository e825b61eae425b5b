package drapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/secret/secrettest"
)

// A Digital River 400 that quotes the password being stored, in whatever
// form (the request's JSON, percent-encoded, cut short) or a secret the run
// knows from elsewhere (another webhook's stored password), does not get it
// printed; its escape sequences are removed whole, its words kept.
func TestErrorOfA400QuotingTheStoredPasswordHoldsNoSecret(t *testing.T) {
	const stored = "Hunter2-pass" + "SECTOKEN123"
	const known = `Other-0rg"Stored&Pass`
	sent, _ := json.Marshal(map[string]any{"oauth": map[string]string{"password": stored, "clientSecret": "C0nsumerS3cret-acme"}})
	msg := "Request " + string(sent) + " refused; password " + url.QueryEscape(stored) + " starts " + stored[:7] +
		"; like " + known + " \x1b]0;pwned\x07\x1b[2Jtry again"
	f := newFake(t)
	f.on(http.MethodPost, errBody(400, "bad_request", "invalid_parameter", "oauth.password", msg))
	red := &secret.Redactor{}
	red.Add(known)
	c, _ := f.client(t, Options{Redactor: red})
	_, err := c.Webhooks.Create(context.Background(), desiredSpec())
	if err == nil {
		t.Fatal("want the 400")
	}
	text := err.Error()
	for _, s := range []string{stored, "C0nsumerS3cret-acme", known, testKey} {
		if leaks := secrettest.Leaks(text, s); len(leaks) > 0 {
			t.Errorf("message leaks %v:\n%s", leaks, text)
		}
	}
	if strings.ContainsAny(text, "\x1b\x07") || strings.Contains(text, "]0;") || strings.Contains(text, "pwned") {
		t.Errorf("message keeps an escape sequence or its remains: %q", text)
	}
	if !strings.Contains(text, "refused; password [redacted]") || !strings.Contains(text, "try again") {
		t.Errorf("message should keep Digital River's words: %q", text)
	}
}
