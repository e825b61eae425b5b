// Package debuglog writes drsetup's --debug-log: one JSON line per HTTP
// exchange and per check, for support engineers, with every secret removed.
// Headers are never written; bodies only after every secret field and every
// known secret value is replaced by "[redacted]".
package debuglog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
)

// maxLoggedBody bounds how much of a body one line carries.
const maxLoggedBody = 16 << 10

// Logger appends JSON lines to a file. A nil *Logger logs nothing, so callers
// need not check whether --debug-log was given.
type Logger struct {
	mu  sync.Mutex
	w   io.Writer
	c   io.Closer
	red *secret.Redactor
	now func() time.Time
}

// Open creates or truncates path with mode 0600 (tightening an existing file's
// mode too) and returns a Logger that redacts with red.
func Open(path string, red *secret.Redactor) (*Logger, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create the debug log %s: %w", path, pathErr(err))
	}
	if err := f.Chmod(0o600); err != nil && !isUnsupported(err) {
		f.Close()
		return nil, fmt.Errorf("cannot restrict the debug log %s to its owner: %w", path, pathErr(err))
	}
	return New(f, red), nil
}

// New returns a Logger writing to w (closed by Close when it is an io.Closer).
func New(w io.Writer, red *secret.Redactor) *Logger {
	if red == nil {
		red = &secret.Redactor{}
	}
	l := &Logger{w: w, red: red, now: time.Now}
	if c, ok := w.(io.Closer); ok {
		l.c = c
	}
	return l
}

// Close closes the file.
func (l *Logger) Close() error {
	if l == nil || l.c == nil {
		return nil
	}
	return l.c.Close()
}

// Redactor returns the set of known secrets, so secrets learnt later (typed in
// a prompt, read from the keyring) are added before they are sent.
func (l *Logger) Redactor() *secret.Redactor {
	if l == nil {
		return nil
	}
	return l.red
}

// Check records the outcome of one check or step.
func (l *Logger) Check(id, status, summary string, d time.Duration, webhookID string) {
	if l == nil {
		return
	}
	l.write(map[string]any{
		"kind": "check", "id": id, "status": status, "summary": summary,
		"durationMs": d.Milliseconds(), "webhookId": webhookID,
	})
}

// Event records a note: which mode ran, what was decided.
func (l *Logger) Event(msg string, fields map[string]any) {
	if l == nil {
		return
	}
	line := map[string]any{"kind": "event", "msg": msg}
	for k, v := range fields {
		line[k] = v
	}
	l.write(line)
}

func (l *Logger) write(line map[string]any) {
	line["time"] = l.now().UTC().Format(time.RFC3339Nano)
	for k, v := range line {
		if s, ok := v.(string); ok {
			line[k] = l.red.Redact(s)
		}
		if v == "" {
			delete(line, k)
		}
	}
	b, err := json.Marshal(line)
	if err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Write(append(b, '\n'))
}

// Transport wraps next so every exchange is logged. With a nil Logger it
// returns next unchanged.
func (l *Logger) Transport(next http.RoundTripper) http.RoundTripper {
	if l == nil {
		return next
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{l: l, next: next}
}

type transport struct {
	l    *Logger
	next http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := t.l.now()
	line := map[string]any{
		"kind":   "http",
		"method": req.Method,
		"host":   req.URL.Host,
		"path":   req.URL.Path,
		"retry":  httpx.Attempt(req.Context()),
	}
	if req.URL.RawQuery != "" {
		line["query"] = redactQuery(req.URL.RawQuery, t.l.red)
	}
	if req.GetBody != nil && req.ContentLength != 0 {
		if rc, err := req.GetBody(); err == nil {
			b, _ := httpx.ReadBody(rc, maxLoggedBody)
			rc.Close()
			line["requestBody"] = redactBody(req.Header.Get("Content-Type"), b, t.l.red)
		}
	}
	resp, err := t.next.RoundTrip(req)
	line["durationMs"] = t.l.now().Sub(start).Milliseconds()
	if err != nil {
		line["error"] = httpx.ClassifyNetError(req.Context(), req.URL.Hostname(), err).Error()
		t.l.write(line)
		return resp, err
	}
	line["status"] = resp.StatusCode
	if id := resp.Header.Get("x-dr-requestid"); id != "" {
		line["requestId"] = id
	}
	// Read up to maxLoggedBody+1 bytes here and hand the caller an identical
	// body: what was read, then the rest.
	b, rerr := io.ReadAll(io.LimitReader(resp.Body, maxLoggedBody+1))
	switch {
	case rerr != nil:
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(b), errReader{rerr}), resp.Body}
	case len(b) > maxLoggedBody:
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
		line["responseBody"] = redactBody(resp.Header.Get("Content-Type"), b[:maxLoggedBody], t.l.red) + "…(cut)"
	default:
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
	}
	if len(b) > 0 && len(b) <= maxLoggedBody {
		line["responseBody"] = redactBody(resp.Header.Get("Content-Type"), b, t.l.red)
	}
	t.l.write(line)
	return resp, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// secretKeys are the field names whose values are always secret, in JSON
// bodies and form bodies alike, compared case-insensitively.
var secretKeys = map[string]bool{
	"password": true, "clientsecret": true, "client_secret": true,
	"access_token": true, "accesstoken": true, "refresh_token": true,
	"id_token": true, "signature": true, "securitytoken": true,
	"security_token": true, "token": true, "apikey": true, "api_key": true,
	"authorization": true, "secret": true, "key": true,
}

func isSecretKey(k string) bool { return secretKeys[strings.ToLower(k)] }

// redactBody returns a body safe to log: JSON with secret fields replaced,
// form bodies likewise, anything else with known secrets replaced.
func redactBody(contentType string, b []byte, red *secret.Redactor) string {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return ""
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		var v any
		if err := json.Unmarshal(trimmed, &v); err == nil {
			out, err := json.Marshal(redactJSON(v))
			if err == nil {
				return red.Redact(string(out))
			}
		}
	}
	if strings.Contains(contentType, "x-www-form-urlencoded") {
		return redactQuery(string(trimmed), red)
	}
	if httpx.LooksLikeHTML(contentType, trimmed) {
		return red.Redact(fmt.Sprintf("(HTML page, %d bytes, title %q)", len(b), httpx.HTMLTitle(b)))
	}
	return red.Redact(string(trimmed))
}

func redactJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if isSecretKey(k) {
				if s, ok := val.(string); ok && s == "" {
					continue
				}
				t[k] = secret.Redacted
				continue
			}
			t[k] = redactJSON(val)
		}
	case []any:
		for i := range t {
			t[i] = redactJSON(t[i])
		}
	}
	return v
}

func redactQuery(raw string, red *secret.Redactor) string {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return red.Redact(raw)
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=")
			if isSecretKey(k) {
				b.WriteString(secret.Redacted)
			} else {
				b.WriteString(url.QueryEscape(v))
			}
		}
	}
	return red.Redact(b.String())
}

func pathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func isUnsupported(err error) bool {
	// Windows has no Unix modes; the file is still private to its owner's profile.
	return strings.Contains(err.Error(), "not supported")
}
