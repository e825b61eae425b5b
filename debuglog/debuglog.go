// Package debuglog writes drsetup's --debug-log: one JSON line per HTTP
// exchange and per check, for support engineers, with every secret removed.
// Headers are never written. Bodies are redacted by structure (every value
// under a secret field name, whoever's it is) and by value (every secret the
// run knows, in any encoding); what cannot be parsed is left out, with its
// size, never written raw.
package debuglog

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/drsetup/drsetup/buildinfo"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
)

// maxLoggedBody bounds how much of a body one line carries.
const maxLoggedBody = 16 << 10

// Logger appends JSON lines to a file. A nil *Logger logs nothing, so callers
// need not check whether --debug-log was given.
type Logger struct {
	mu     sync.Mutex
	w      io.Writer
	c      io.Closer
	red    *secret.Redactor
	bodies *redactor
	now    func() time.Time
}

// ExistsError says the debug log's path is taken. The log is only ever a new
// file: writing into an existing one could destroy it, or follow a symbolic
// link somewhere else, and opening a named pipe would wait for a reader.
type ExistsError struct {
	Path string
	What string // "a file", "a symbolic link", "a named pipe", …
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("the debug log %s already exists (%s); drsetup writes the debug log only to a new file, so name a file that does not exist yet", e.Path, e.What)
}

// Open creates path, which must not exist, with mode 0600, and returns a
// Logger that redacts with red. Its first line names the drsetup that writes
// it. An existing path of any kind (a file, a symbolic link, even one that
// points nowhere, a directory, a named pipe, a device) is an *ExistsError.
func Open(path string, red *secret.Redactor) (*Logger, error) {
	// Lstat first for the message; O_EXCL (with O_NOFOLLOW where there is
	// one) is what makes it safe against a path made in between.
	if fi, err := os.Lstat(path); err == nil {
		return nil, &ExistsError{Path: path, What: kindOf(fi)}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, &ExistsError{Path: path, What: "made while drsetup started"}
	}
	if err != nil {
		return nil, fmt.Errorf("cannot create the debug log %s: %w; check that its folder exists and is writable", path, pathErr(err))
	}
	l := New(f, red)
	bi := buildinfo.Get()
	l.write(map[string]any{"kind": "start", "drsetup": map[string]string{
		"version": bi.Version, "commit": bi.Commit, "os": bi.OS, "arch": bi.Arch,
	}})
	return l, nil
}

func kindOf(fi fs.FileInfo) string {
	switch m := fi.Mode(); {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsRegular():
		return "a file"
	}
	return "not a regular file"
}

// New returns a Logger writing to w (closed by Close when it is an io.Closer).
func New(w io.Writer, red *secret.Redactor) *Logger {
	if red == nil {
		red = &secret.Redactor{}
	}
	key := make([]byte, 32)
	rand.Read(key)
	l := &Logger{w: w, red: red, bodies: &redactor{red: red, hashKey: key}, now: time.Now}
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
		line["query"] = t.l.bodies.form(req.URL.RawQuery, false).text
	}
	if req.GetBody != nil && req.ContentLength != 0 {
		if rc, err := req.GetBody(); err == nil {
			b, err := httpx.ReadBody(rc, maxLoggedBody)
			rc.Close()
			t.l.addBody(line, "requestBody", req.Header.Get("Content-Type"), b, err != nil)
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
	cut := false
	switch {
	case rerr != nil:
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(b), errReader{rerr}), resp.Body}
		cut = true
	case len(b) > maxLoggedBody:
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
		b, cut = b[:maxLoggedBody], true
	default:
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
	}
	t.l.addBody(line, "responseBody", resp.Header.Get("Content-Type"), b, cut)
	t.l.write(line)
	return resp, nil
}

// addBody puts the rendering of body b under name, and beside it what was
// left out (nameLeftOut) and, for a cut body, how much of it was read
// (nameCutAt).
func (l *Logger) addBody(line map[string]any, name, contentType string, b []byte, cut bool) {
	if len(b) == 0 {
		return
	}
	r := l.bodies.body(contentType, b, cut)
	line[name] = r.text
	if r.leftOut != nil {
		line[name+"LeftOut"] = r.leftOut
	}
	if cut {
		line[name+"CutAt"] = len(b)
	}
}

type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func pathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
