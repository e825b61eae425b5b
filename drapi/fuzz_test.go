package drapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// roundTrip answers every request with one canned response, so fuzzing runs
// without a network.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func cannedClient(t testing.TB, status int, contentType, body string) *Client {
	c, err := New(testKey, Options{HTTPClient: &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		h := http.Header{"X-Dr-Requestid": {"req_fuzz"}}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})}, MaxAttempts: 1, MaxBody: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FuzzListPage feeds arbitrary list bodies to the pager: it must never panic,
// and any error must be an *Error whose text is printable and bounded.
func FuzzListPage(f *testing.F) {
	f.Add(`{"data":[{"id":"a","address":"https://x","types":["order.accepted"],"oauth":{"password":"p"}}],"hasMore":false}`)
	f.Add(`[{"id":"a","enabled":false,"createdTime":"2021-11-01T18:23:06.272054Z"}]`)
	f.Add(`{"data":null}`)
	f.Add(`{"data":[{"id":""}],"hasMore":true}`)
	f.Add(`{"data":[{"types":"order.accepted"}]}`)
	f.Add(`<html><title>Proxy</title></html>`)
	f.Add(` [ ] `)
	f.Fuzz(func(t *testing.T, body string) {
		c := cannedClient(t, 200, "application/json", body)
		n := 0
		for _, err := range c.Webhooks.All(context.Background()) {
			if err != nil {
				checkErrorText(t, err)
				return
			}
			if n++; n > 10000 {
				t.Fatal("the pager did not stop")
			}
		}
	})
}

// FuzzResponseError builds errors from arbitrary failed answers.
func FuzzResponseError(f *testing.F) {
	f.Add(400, "application/json", `{"type":"bad_request","errors":[{"code":"invalid_parameter","parameter":"address","message":"bad"}]}`)
	f.Add(401, "application/json", `{"type":"unauthorized","errors":[]}`)
	f.Add(403, "text/html", `<html><head><title>Access Denied`+"\x1b[2J"+`</title>`)
	f.Add(429, "", `{}`)
	f.Add(302, "", ``)
	f.Add(503, "text/plain", "upstream connect error")
	f.Add(999, "application/json", `{"errors":[{"message":"`+strings.Repeat("é", 400)+`"}]}`)
	f.Fuzz(func(t *testing.T, status int, contentType, body string) {
		if status < 300 || status > 999 {
			return
		}
		c := cannedClient(t, status, contentType, body)
		_, err := c.Webhooks.Get(context.Background(), "wh_1")
		if err == nil {
			t.Fatalf("status %d gave no error", status)
		}
		checkErrorText(t, err)
	})
}

func checkErrorText(t *testing.T, err error) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("got %T %v, want *Error", err, err)
	}
	msg := e.Error()
	if e.Kind == "" || len(msg) > 4000 {
		t.Fatalf("kind %q, %d-byte message", e.Kind, len(msg))
	}
	for _, r := range msg {
		if unicode.IsControl(r) {
			t.Fatalf("control character %U in %q", r, msg)
		}
	}
	if strings.Contains(msg, testKey) {
		t.Fatal("the message repeats the API key")
	}
}

func FuzzSameAddress(f *testing.F) {
	f.Add(endpoint, strings.ToUpper(endpoint))
	f.Add("https://a.example.com:443/x/", "HTTPS://A.EXAMPLE.COM/x")
	f.Add("not a url", "%zz")
	f.Fuzz(func(t *testing.T, a, b string) {
		if SameAddress(a, b) != SameAddress(b, a) {
			t.Fatalf("SameAddress(%q, %q) is not symmetric", a, b)
		}
		if !SameAddress(a, a) {
			t.Fatalf("SameAddress(%q, itself) is false", a)
		}
	})
}

func FuzzClassifyKey(f *testing.F) {
	for _, k := range []string{"sk_test_abc123", "sk_abc", "pk_test_x", "", "Bearer sk_test_1", "sk_test_\n"} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		mode, err := ClassifyKey(key)
		if err == nil {
			k := strings.TrimSpace(key)
			if !strings.HasPrefix(k, "sk_") || (mode == ModeTest) != strings.HasPrefix(k, "sk_test_") {
				t.Fatalf("ClassifyKey(%q) = %q", key, mode)
			}
			return
		}
		// The text is fixed per kind, so it cannot carry any part of the key.
		var ke *KeyError
		if !errors.As(err, &ke) || err.Error() != (&KeyError{Kind: ke.Kind}).Error() || !slices.Contains([]string{KeyEmpty, KeyPublic, KeyMalformed}, ke.Kind) {
			t.Fatalf("ClassifyKey(%q): %v", key, err)
		}
	})
}
