package debuglog

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/buildinfo"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
)

func lines(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func TestOpenCreatesAPrivateFileNamingTheBuild(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.jsonl")
	l, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Event("hello", nil)
	l.Close()
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	ls := lines(t, b)
	bi := buildinfo.Get()
	d, _ := ls[0]["drsetup"].(map[string]any)
	if ls[0]["kind"] != "start" || d["version"] != bi.Version || d["commit"] != bi.Commit || d["os"] != runtime.GOOS || d["arch"] != runtime.GOARCH || ls[0]["time"] == nil {
		t.Fatalf("first line %v", ls[0])
	}
	if len(ls) != 2 || ls[1]["msg"] != "hello" {
		t.Fatalf("lines %v", ls)
	}
}

// An existing path of any kind is refused at once, left as it was, and the
// message says to name a new file. A named pipe would block an open for
// writing until someone reads it: the test fails rather than hangs.
func TestOpenRefusesAnExistingPath(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "precious.txt")
	os.WriteFile(target, []byte("keep me"), 0o644)
	paths := map[string]string{"a file": target}
	if runtime.GOOS != "windows" {
		link := filepath.Join(dir, "link")
		os.Symlink(target, link)
		dangling := filepath.Join(dir, "dangling")
		os.Symlink(filepath.Join(dir, "nowhere"), dangling)
		fifo := filepath.Join(dir, "fifo")
		if err := syscallMkfifo(fifo); err != nil {
			t.Fatal(err)
		}
		paths["a symbolic link"] = link
		paths["a dangling symbolic link"] = dangling
		paths["a named pipe"] = fifo
	}
	paths["a folder"] = dir
	for what, p := range paths {
		done := make(chan error, 1)
		go func() {
			l, err := Open(p, nil)
			if err == nil {
				l.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			var ee *ExistsError
			if !errors.As(err, &ee) || !strings.Contains(err.Error(), "new file") || !strings.Contains(err.Error(), p) {
				t.Errorf("%s: err %v, want an ExistsError that names the path and says to name a new file", what, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: Open hangs", what)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); err == nil {
		t.Error("the dangling link's target was created")
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me" {
		t.Errorf("the existing file was changed: %q", b)
	}
}

func TestOpenErrorSaysWhichFile(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "no", "such", "dir", "x.log"), nil)
	if err == nil || !strings.Contains(err.Error(), "debug log") || !strings.Contains(err.Error(), "x.log") {
		t.Fatalf("error %v should name the debug log file", err)
	}
}

// Every secret in a token exchange and a webhook listing is absent from the
// log, and so are the Authorization header and the access token.
func TestTransportRedactsEverySecret(t *testing.T) {
	const (
		password    = "Pa$$w0rd-UNIQUE-1"
		token       = "SECTOKEN-UNIQUE-2"
		clientSec   = "CLIENTSECRET-UNIQUE-3"
		drKey       = "sk_test_UNIQUE-4-abcdef"
		accessToken = "00Dxx0000001gPL!ACCESS-UNIQUE-5"
		storedPass  = "STORED-AT-DR-UNIQUE-6"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-dr-requestid", "req-123")
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/services/oauth2/token":
			io.WriteString(w, `{"access_token":"`+accessToken+`","instance_url":"https://acme.my.salesforce.com","token_type":"Bearer","signature":"c2ln"}`)
		case "/webhooks":
			io.WriteString(w, `{"data":[{"id":"w1","address":"https://acme.my.salesforce.com/x","oauth":{"userName":"u","password":"`+storedPass+`","clientID":"cid","clientSecret":"`+clientSec+`"}}],"hasMore":false}`)
		}
	}))
	defer srv.Close()

	var buf bytes.Buffer
	red := &secret.Redactor{}
	red.Add(password, token, clientSec, drKey)
	l := New(&buf, red)
	client := &http.Client{Transport: l.Transport(http.DefaultTransport)}

	form := url.Values{"grant_type": {"password"}, "client_id": {"cid"}, "client_secret": {clientSec}, "username": {"u@x"}, "password": {password + token}}
	req, _ := http.NewRequest("POST", srv.URL+"/services/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), accessToken) {
		t.Fatal("the caller must still get the full response body")
	}

	req, _ = http.NewRequestWithContext(httpx.WithAttempt(context.Background(), 2), "GET", srv.URL+"/webhooks?limit=100", nil)
	req.Header.Set("Authorization", "Bearer "+drKey)
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), storedPass) {
		t.Fatal("the caller must still get the webhook as sent")
	}

	logText := buf.String()
	for _, s := range []string{password, token, clientSec, drKey, accessToken, storedPass, "Bearer " + drKey, "Authorization"} {
		if strings.Contains(logText, s) {
			t.Errorf("the log contains %q:\n%s", s, logText)
		}
	}
	ls := lines(t, buf.Bytes())
	if len(ls) != 2 {
		t.Fatalf("want one line per exchange, got %d", len(ls))
	}
	if ls[0]["method"] != "POST" || ls[0]["path"] != "/services/oauth2/token" || ls[0]["status"] != float64(200) {
		t.Errorf("token line = %v", ls[0])
	}
	if rb := ls[0]["requestBody"].(string); !strings.Contains(rb, "grant_type=password") || !strings.Contains(rb, "password=[redacted]") {
		t.Errorf("the non-secret form fields stay readable: %v", ls[0]["requestBody"])
	}
	if ls[1]["requestId"] != "req-123" || ls[1]["retry"] != float64(2) || ls[1]["query"] != "limit=100" {
		t.Errorf("webhooks line = %v", ls[1])
	}
	for _, k := range []string{"time", "host", "durationMs"} {
		if _, ok := ls[1][k]; !ok {
			t.Errorf("line lacks %q: %v", k, ls[1])
		}
	}
}

func TestTransportLogsNetworkErrorsInPlainWords(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, nil)
	client := &http.Client{Transport: l.Transport(http.DefaultTransport)}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1:1/", nil)
	if _, err := client.Do(req); err == nil {
		t.Fatal("want an error")
	}
	ls := lines(t, buf.Bytes())
	if len(ls) != 1 || !strings.Contains(ls[0]["error"].(string), "cancelled") {
		t.Fatalf("lines = %v", ls)
	}
}

func TestLargeBodyReachesCallerWhole(t *testing.T) {
	big := strings.Repeat("a", maxLoggedBody*3)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, big) }))
	defer srv.Close()
	var buf bytes.Buffer
	client := &http.Client{Transport: New(&buf, nil).Transport(http.DefaultTransport)}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != big {
		t.Fatalf("caller got %d bytes, want %d", len(b), len(big))
	}
	if buf.Len() > maxLoggedBody*2 {
		t.Fatalf("a log line of %d bytes: bodies must be cut", buf.Len())
	}
}

func TestCheckAndNilLogger(t *testing.T) {
	var nilL *Logger
	nilL.Check("sf_login", "pass", "ok", 0, "")
	nilL.Event("x", nil)
	if rt := nilL.Transport(http.DefaultTransport); rt != http.DefaultTransport {
		t.Fatal("a nil logger must not wrap the transport")
	}
	var buf bytes.Buffer
	red := &secret.Redactor{}
	red.Add("hunter22")
	l := New(&buf, red)
	l.Check("webhook_oauth", "fail", "stored password hunter22 differs", 1500e6, "wh-1")
	ls := lines(t, buf.Bytes())
	if ls[0]["id"] != "webhook_oauth" || ls[0]["webhookId"] != "wh-1" || ls[0]["durationMs"] != float64(1500) {
		t.Fatalf("check line = %v", ls[0])
	}
	if strings.Contains(buf.String(), "hunter22") {
		t.Fatal("a known secret in a summary must be redacted")
	}
}

func FuzzRedactBody(f *testing.F) {
	f.Add("application/json", `{"oauth":{"password":"p","clientSecret":"s"}}`, 10)
	f.Add("application/x-www-form-urlencoded", "password=p&client_secret=s", 100)
	f.Add("text/html", "<html><title>x</title>", 100)
	f.Fuzz(func(t *testing.T, ct, body string, cutAt int) {
		red := &secret.Redactor{}
		red.Add("SECRETVALUE")
		r := &redactor{red: red, hashKey: []byte("k")}
		b := []byte(body)
		cut := cutAt >= 0 && cutAt < len(b)
		if cut {
			b = b[:cutAt]
		}
		out := r.body(ct, b, cut)
		if strings.Contains(out.text, "SECRETVALUE") || strings.Contains(out.text, "SECRET") {
			t.Fatalf("known secret survived: %q", out.text)
		}
		if t0 := bytes.TrimSpace(b); len(t0) > 0 && (t0[0] == '{' || t0[0] == '[') && out.text != "" && !json.Valid([]byte(out.text)) {
			t.Fatalf("rendering of %q is not JSON: %q", b, out.text)
		}
	})
}
