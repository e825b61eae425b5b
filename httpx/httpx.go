// Package httpx is the HTTP plumbing drsetup's clients share: a transport that
// honours the proxy and certificate settings of the environment, bounded body
// reads, the rule for which hosts may receive credentials, and network errors
// told in a user's words.
package httpx

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/drsetup/drsetup/buildinfo"
	"github.com/drsetup/drsetup/text"
)

// DefaultMaxBody bounds every response body drsetup reads. A page of 100
// webhooks is well under 1 MiB; anything larger is not an answer we expect.
const DefaultMaxBody = 4 << 20

// NewTransport returns the transport every production client uses. It keeps
// Proxy: http.ProxyFromEnvironment so HTTPS_PROXY and NO_PROXY work, and relies
// on the system roots, which honour SSL_CERT_FILE and SSL_CERT_DIR.
func NewTransport() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           10,
		IdleConnTimeout:        60 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  30 * time.Second,
		ExpectContinueTimeout:  time.Second,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		OnProxyConnectResponse: proxyRefusal,
		// A handful of requests at a time per host (doctor replays many
		// logins at login.salesforce.com), each connection kept for the next.
		MaxConnsPerHost:     6,
		MaxIdleConnsPerHost: 6,
	}
}

// proxyRefusal marks a proxy's refusal of a CONNECT (403 for a host it
// blocks, 407 when it wants a login) as a proxy failure, as net/http already
// marks one that cannot be dialled. Without it the refusal is a bare error
// ("Forbidden") that reads like any network failure.
func proxyRefusal(_ context.Context, _ *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	return &net.OpError{Op: "proxyconnect", Net: "tcp", Err: errors.New(resp.Status)}
}

// NewClient wraps rt in an http.Client that never follows redirects: a
// redirected credential request could carry a password to a host nobody
// checked, so callers see the 3xx and report it. The client-level timeout is a
// backstop; callers bound each request with their context.
func NewClient(rt http.RoundTripper) *http.Client {
	if rt == nil {
		rt = NewTransport()
	}
	return &http.Client{
		Transport: userAgent{rt},
		Timeout:   2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// userAgent names drsetup and its version on every request that does not
// name itself, so a proxy log or a Salesforce Login History entry says which
// drsetup sent it.
type userAgent struct{ next http.RoundTripper }

func (u userAgent) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", buildinfo.Get().UserAgent())
	}
	return u.next.RoundTrip(req)
}

// ErrBodyTooLarge is returned by ReadBody when a body exceeds its limit.
var ErrBodyTooLarge = errors.New("response body too large")

// ReadBody reads at most limit bytes of r. A longer body returns the first
// limit bytes and ErrBodyTooLarge, so a misbehaving server or proxy cannot make
// drsetup hold an unbounded answer in memory.
func ReadBody(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > limit {
		return b[:limit], ErrBodyTooLarge
	}
	return b, nil
}

// LooksLikeHTML reports whether a response is an HTML page, as corporate
// proxies, captive portals and load balancers answer, rather than an API's JSON.
func LooksLikeHTML(contentType string, body []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	head := bytes.TrimSpace(body)
	if len(head) > 512 {
		head = head[:512]
	}
	head = bytes.ToLower(head)
	return bytes.HasPrefix(head, []byte("<!doctype html")) ||
		bytes.HasPrefix(head, []byte("<html")) ||
		bytes.Contains(head, []byte("<head")) ||
		bytes.Contains(head, []byte("<body"))
}

// HTMLTitle returns the text of an HTML page's <title>, with its entities
// decoded and then cleaned for a terminal (text.Clean: one line, no escape
// sequence or control character), cut to 80 characters, or "" when it has
// none. Proxies name themselves there, which helps the user tell whose page
// it was; the title is also a text the page's author chose, so it may hold
// anything.
func HTMLTitle(body []byte) string {
	// Lowered byte for byte (ASCII only), so that an index in lower is one
	// in body: bytes.ToLower turns each invalid UTF-8 byte into three.
	lower := make([]byte, len(body))
	for i, c := range body {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	start := bytes.Index(lower, []byte("<title"))
	if start < 0 {
		return ""
	}
	gt := bytes.IndexByte(lower[start:], '>')
	if gt < 0 {
		return ""
	}
	start += gt + 1
	end := bytes.Index(lower[start:], []byte("</title>"))
	if end < 0 {
		return ""
	}
	return text.Cut(text.Clean(html.UnescapeString(string(body[start:start+end]))), 80)
}

type attemptKey struct{}

// WithAttempt records in ctx which try of a request this is (0 for the first),
// so the debug log can say which lines were retries.
func WithAttempt(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, attemptKey{}, n)
}

// Attempt returns the try number recorded by WithAttempt, or 0.
func Attempt(ctx context.Context) int {
	n, _ := ctx.Value(attemptKey{}).(int)
	return n
}

// HostError says why a URL may not receive credentials.
type HostError struct {
	URL    string // what was given, without any userinfo
	Reason string // in the user's words
	Port   string // the port refused on a trusted host, when that is the reason
}

func (e *HostError) Error() string { return e.Reason }

// CheckCredentialURL parses raw and enforces drsetup's host rule: credentials
// go only over HTTPS, on the standard port 443, to hosts that trusted accepts.
// With allowAnyHost, any host and port is accepted, still over HTTPS; plain
// http:// is accepted only for loopback addresses, and only with allowAnyHost
// (tests and local simulators).
func CheckCredentialURL(raw string, trusted func(host string) bool, allowAnyHost bool) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, &HostError{URL: raw, Reason: fmt.Sprintf("%q is not a web address; it should look like https://host/path", Redact(raw))}
	}
	u.User = nil
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	// A refusal repeats the address without its query or fragment, which
	// could hold a key or a token someone pasted.
	shown := *u
	shown.RawQuery, shown.Fragment, shown.RawFragment = "", "", ""
	if u.Scheme == "http" {
		if allowAnyHost && IsLoopback(host) {
			return u, nil
		}
		return nil, &HostError{URL: shown.String(), Reason: fmt.Sprintf("%s uses plain http://, which would send credentials unencrypted; use https://", shown.String())}
	}
	if allowAnyHost {
		return u, nil
	}
	if trusted(host) {
		// Salesforce and Digital River serve their APIs on 443 only; another
		// port on their host is someone else's service, or a typo that
		// would send the credentials there.
		if p := u.Port(); p != "" && p != "443" {
			return nil, &HostError{URL: shown.String(), Port: p, Reason: fmt.Sprintf("%s names port %s; Salesforce and Digital River take credentials only on the standard HTTPS port 443, so drsetup will not send them there: leave the port out", shown.String(), p)}
		}
		return u, nil
	}
	return nil, &HostError{URL: shown.String(), Reason: fmt.Sprintf("%s is not a Salesforce or Digital River host, so drsetup will not send credentials to it; pass --allow-any-host if this host is really meant (a special Salesforce cloud or a test server)", host)}
}

// IsLoopback reports whether host names this machine.
func IsLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Host is the host an address names, lower case, without port, userinfo
// or trailing dot; a bare host ("acme.my.salesforce.com") is taken as one.
// It is "" when raw names none.
func Host(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw != "" && !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}

// Redact drops userinfo and the query string from a URL-ish string, so an
// error message never repeats a password someone pasted into an address. A
// string that does not parse as a URL loses the same parts as far as they
// can be told: everything from the first ? or #, and whatever stands before
// an @ in the host part.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err == nil {
		if u.User == nil && u.RawQuery == "" {
			return raw
		}
		u.User = nil
		u.RawQuery = ""
		return u.String()
	}
	cut := false
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw, cut = raw[:i], true
	}
	start := 0
	if i := strings.Index(raw, "//"); i >= 0 {
		start = i + 2
	}
	hostEnd := len(raw)
	if i := strings.IndexByte(raw[start:], '/'); i >= 0 {
		hostEnd = start + i
	}
	if at := strings.LastIndexByte(raw[start:hostEnd], '@'); at >= 0 {
		raw, cut = raw[:start]+raw[start+at+1:], true
	}
	if cut {
		return raw + "…"
	}
	return raw
}
