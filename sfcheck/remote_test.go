package sfcheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/secret/secrettest"
)

// A token endpoint (or a proxy in front of it) that quotes the request it
// refuses, the raw form body included, does not get a secret printed: not as
// sent (percent-encoded), not decoded, not JSON-escaped, not cut short.
func TestLoginErrorOfAServerEchoingTheRequestHoldsNoSecret(t *testing.T) {
	secrets := []string{testPassword, testToken, testClientSecret, testPassword + testToken}
	echo := func(r *http.Request) string {
		raw, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(raw))
		pw := form.Get("password")
		return fmt.Sprintf("bad request %s; password %s, secret %s, start %s…", raw, pw, form.Get("client_secret"), pw[:8])
	}
	handlers := map[string]http.HandlerFunc{
		"error_description": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, sfError("invalid_grant", echo(r)))
		},
		"unknown error code": func(w http.ResponseWriter, r *http.Request) {
			e := echo(r)
			writeJSON(w, 400, sfError("weird_error "+e, e))
		},
		"proxy page title": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(403)
			fmt.Fprintf(w, "<html><title>Denied: %s</title></html>", echo(r))
		},
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			c, _ := fakeSalesforce(t, h)
			_, err := c.Login(context.Background(), passwordCreds(ProductionTokenURL))
			var le *LoginError
			if !errors.As(err, &le) {
				t.Fatalf("want a *LoginError, got %v", err)
			}
			all := strings.Join([]string{err.Error(), le.Code, le.Description, le.Detail, fmt.Sprintf("%+v", *le)}, "\n")
			for _, s := range secrets {
				if leaks := secrettest.Leaks(all, s); len(leaks) > 0 {
					t.Errorf("the error holds %v:\n%s", leaks, all)
				}
			}
			if !strings.Contains(all, "[redacted]") {
				t.Errorf("the echo should show as redacted:\n%s", all)
			}
		})
	}
}

// An error_description cannot clear the screen, set the window title or ring
// the bell: its escape sequences are removed whole, its words kept.
func TestLoginErrorDescriptionLosesItsControlCharacters(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := json.Marshal(map[string]string{"error": "invalid_\x1b[31mgrant", "error_description": "authentication\x1b[2J\x1b[H failure\x07\x1b]0;owned by a proxy\x07\r\nnext\u009b1mline"})
		writeJSON(w, 400, string(b))
	})
	_, err := c.Login(context.Background(), passwordCreds(ProductionTokenURL))
	var le *LoginError
	if !errors.As(err, &le) {
		t.Fatal(err)
	}
	if le.Description != "authentication failure nextline" || le.Code != "invalid_grant" {
		t.Fatalf("code %q, description %q", le.Code, le.Description)
	}
	if le.Kind != KindAuthFailure {
		t.Errorf("the cleaned code should still be understood: kind %s", le.Kind)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\x1b\x07\r\n\u009b") || strings.Contains(msg, "owned") {
		t.Fatalf("the error text keeps control characters: %q", msg)
	}
}

// What the identity service and the Apex endpoint answer is cleaned too, and
// an echo of the access token is redacted after the org ID it starts with.
func TestIdentityAndProbeTextsAreCleanedAndRedacted(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if strings.Contains(r.URL.Path, "/id/") {
			writeJSON(w, 401, `[{"errorCode":"INVALID\u001b]0;t\u0007_SESSION_ID","message":"Session `+tok+` expired or invalid"}]`)
			return
		}
		writeJSON(w, 500, `[{"errorCode":"UNKNOWN\u001b[2J","message":"token `+tok+` \u001b]0;title\u0007failed"}]`)
	})
	_, err := c.Identity(context.Background(), testSession())
	var le *LoginError
	if !errors.As(err, &le) || le.Code != "INVALID_SESSION_ID" || strings.Contains(le.Description, "\x1b") {
		t.Fatalf("identity: %v (%+v)", err, le)
	}
	if leaks := secrettest.Leaks(le.Description+err.Error(), testAccessToken); len(leaks) > 0 {
		t.Errorf("identity error leaks the token: %v", leaks)
	}
	if !strings.Contains(le.Description, testOrgID+"![redacted]") {
		t.Errorf("description %q", le.Description)
	}
	r, err := c.ProbeApex(context.Background(), testSession(), endpointURL)
	if err != nil {
		t.Fatal(err)
	}
	all := r.ErrorCode + r.Message + r.Class
	if r.ErrorCode != "UNKNOWN" || strings.ContainsAny(all, "\x1b\x07") || len(secrettest.Leaks(all, testAccessToken)) > 0 {
		t.Fatalf("probe: %+v", r)
	}
}

// A token answer whose addresses carry control characters is not Salesforce's.
func TestLoginRefusesAnInstanceURLWithControlCharacters(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, tokenResponse("https://acme.my.salesforce.com/\u001b]0;x\u0007"))
	})
	_, err := c.Login(context.Background(), passwordCreds(ProductionTokenURL))
	var le *LoginError
	if !errors.As(err, &le) || le.Kind != KindBadResponse || strings.Contains(err.Error(), "\x1b") {
		t.Fatalf("got %v", err)
	}
}
