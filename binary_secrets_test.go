package main

// Binary tests of the promise that a secret lives in the keyring and nowhere
// else (issue 11): the built program, run as support engineers and scripts
// run it, against an account holding other orgs' stored secrets.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/secret/secrettest"
)

// A child process started by drsetup (the keyring library's dbus-launch,
// when no session bus is set, as on SSH and CI machines) does not inherit
// the secrets given in DRSETUP_* variables. The fake dbus-launch records the
// environment it was given.
func TestSecretsDoNotReachAChildProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("dbus-launch is started by the Secret Service keyring of Linux")
	}
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("a session bus is found without dbus-launch on this machine")
	}
	bin := t.TempDir()
	record := filepath.Join(t.TempDir(), "dbus-launch.env")
	script := "#!/bin/sh\nenv > '" + record + "'\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{
		"DRSETUP_CLIENT_SECRET":  "CS-child-9f3a1c",
		"DRSETUP_PASSWORD":       "PW-child-&+%7e",
		"DRSETUP_SECURITY_TOKEN": "TKchild4b2d8e",
		"DRSETUP_DR_API_KEY":     "sk_test_childKEY5b2c8d1e",
	}
	c := newCLI(t)
	// No session bus address: the keyring library looks for dbus-launch.
	c.env = slices.DeleteFunc(c.env, func(kv string) bool {
		return strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") || strings.HasPrefix(kv, "PATH=")
	})
	c.setenv("PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "DRSETUP_KEYRING_TIMEOUT=10s")
	for k, v := range secrets {
		c.setenv(k + "=" + v)
	}
	c.run("profiles", "delete", "nosuch")
	env, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("dbus-launch was never started, so the test proves nothing (exit %d):\n%s", c.code, c.stderr.String())
	}
	for k, v := range secrets {
		if bytes.Contains(env, []byte(k)) || bytes.Contains(env, []byte(v)) {
			t.Errorf("dbus-launch inherited %s", k)
		}
	}
	if !bytes.Contains(env, []byte("HOME=")) {
		t.Errorf("the recorded environment looks empty:\n%s", env)
	}
}

// --debug-log names a new file only: an existing file, a symbolic link (even
// one pointing nowhere) or a named pipe is invalid input, refused at once
// and left as it was, and the message says to name a new file.
func TestDebugLogIsOnlyEverANewFile(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "notes.txt")
	os.WriteFile(existing, []byte("keep me"), 0o644)
	paths := map[string]string{"an existing file": existing}
	if runtime.GOOS != "windows" {
		link := filepath.Join(dir, "link.jsonl")
		os.Symlink(existing, link)
		dangling := filepath.Join(dir, "dangling.jsonl")
		os.Symlink(filepath.Join(dir, "target.jsonl"), dangling)
		fifo := filepath.Join(dir, "fifo")
		if err := mkfifo(fifo); err != nil {
			t.Fatal(err)
		}
		paths["a symbolic link"], paths["a dangling symbolic link"], paths["a named pipe"] = link, dangling, fifo
	}
	for what, p := range paths {
		c := newCLI(t)
		start := time.Now()
		c.run("--demo", "--debug-log", p, "webhooks", "list").want(2)
		if time.Since(start) > 20*time.Second {
			t.Errorf("%s: the refusal took %s", what, time.Since(start))
		}
		if !strings.Contains(c.stderr.String(), "new file") || !strings.Contains(c.stderr.String(), p) || c.stdout.Len() != 0 {
			t.Errorf("%s: stderr %q, stdout %q", what, c.stderr.String(), c.stdout.String())
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Errorf("the existing file was changed: %q", b)
	}
	if _, err := os.Lstat(filepath.Join(dir, "target.jsonl")); err == nil {
		t.Error("the dangling link's target was created")
	}
	// A new file is made private, and its first line names the build.
	log := filepath.Join(dir, "new.jsonl")
	newCLI(t).run("--demo", "--debug-log", log, "webhooks", "list").want(0)
	fi, err := os.Stat(log)
	if err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600) {
		t.Fatalf("new log: %v %v", fi, err)
	}
	first := firstLine(t, log)
	d, _ := first["drsetup"].(map[string]any)
	if first["kind"] != "start" || d["version"] == nil || d["os"] != runtime.GOOS || d["arch"] != runtime.GOARCH {
		t.Errorf("first line %v", first)
	}
}

func firstLine(t *testing.T, path string) map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	var m map[string]any
	if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
		t.Fatalf("first line %q: %v", sc.Text(), err)
	}
	return m
}

// A Client ID that no one typed is invalid input before any request: the
// debug log has no exchange in it.
func TestImplausibleClientIDStopsSetupBeforeAnyRequest(t *testing.T) {
	log := filepath.Join(t.TempDir(), "trace.jsonl")
	c := newCLI(t).setenv(demoEnv()...)
	c.run("--demo", "--debug-log", log, "setup", "--no-input", "--yes", "--client-id", strings.Repeat("3MVG9", 60)).want(2)
	if !strings.Contains(c.stderr.String(), "Client ID") {
		t.Fatalf("stderr: %s", c.stderr.String())
	}
	if b, _ := os.ReadFile(log); bytes.Contains(b, []byte(`"kind":"http"`)) {
		t.Fatalf("a request was sent:\n%s", b)
	}
}

// bigAccount is a Digital River account as a partner's key sees it: the
// org being set up, 40 OAuth webhooks of other orgs (their stored passwords,
// security tokens and client secrets in plain text, as Digital River returns
// them; a quarter of them stale) and 150 HTTP webhooks with basic
// authentication. Every secret is made of characters that break naive
// redaction and starts with a run of random capitals found nowhere else.
type bigAccount struct {
	file   string // the scenario, for --demo
	own    map[string]string
	theirs []string
}

func newBigAccount(t *testing.T) bigAccount {
	t.Helper()
	rng := rand.New(rand.NewPCG(11, 190))
	tricky := []rune("\"\\&<>+%/ü東 '=#;")
	sec := func(alnumOnly bool) string {
		var b strings.Builder
		if !alnumOnly && rng.IntN(2) == 0 {
			b.WriteRune(tricky[rng.IntN(len(tricky))])
		}
		for range 5 {
			b.WriteByte(byte('A' + rng.IntN(26)))
		}
		for range 6 + rng.IntN(30) {
			if !alnumOnly && rng.IntN(3) == 0 {
				b.WriteRune(tricky[rng.IntN(len(tricky))])
			} else {
				b.WriteByte("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[rng.IntN(32)])
			}
		}
		return b.String()
	}
	a := bigAccount{own: map[string]string{
		"DRSETUP_CLIENT_SECRET":  sec(false),
		"DRSETUP_PASSWORD":       sec(false),
		"DRSETUP_SECURITY_TOKEN": sec(true),
		"DRSETUP_DR_API_KEY":     "sk_test_" + sec(true),
	}}
	app := func(id, secret string) map[string]any {
		return map[string]any{"name": "Salesforce DigitalRiver Integration", "clientId": id, "clientSecret": secret}
	}
	user := func(name, pw, tok string) map[string]any {
		return map[string]any{"username": name, "password": pw, "securityToken": tok}
	}
	orgs := []map[string]any{{
		"myDomain": "acme.my.salesforce.com",
		"apps":     []any{app(emulator.Demo.ClientID, a.own["DRSETUP_CLIENT_SECRET"])},
		"users":    []any{user(emulator.Demo.Username, a.own["DRSETUP_PASSWORD"], a.own["DRSETUP_SECURITY_TOKEN"])},
	}}
	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var hooks []emulator.Webhook
	for i := range 40 {
		host := fmt.Sprintf("partner%02d.my.salesforce.com", i)
		pw, tok, cs := sec(false), sec(true), sec(false)
		a.theirs = append(a.theirs, pw, tok, cs, pw+tok)
		orgs = append(orgs, map[string]any{"myDomain": host,
			"apps":  []any{app(fmt.Sprintf("3MVG9partner%02d", i), cs)},
			"users": []any{user(fmt.Sprintf("integration@partner%02d.example", i), pw, tok)}})
		stored := pw + tok
		if i%4 == 0 {
			stored = sec(false) // rotated in Salesforce, stale at Digital River
			a.theirs = append(a.theirs, stored)
		}
		hooks = append(hooks, emulator.Webhook{
			ID: fmt.Sprintf("0b7c3a52-%04d-4000-8000-000000000000", i), Address: "https://" + host + "/services/apexrest/digitalriverv3/webhooks/",
			Types: slices.Clone(drapi.AppEvents), APIVersion: "default", Enabled: true, TransportType: "OAUTH", CreatedTime: created, UpdatedTime: created,
			OAuth: &emulator.OAuth{TokenEndPoint: "https://" + host + "/services/oauth2/token", UserName: fmt.Sprintf("integration@partner%02d.example", i),
				Password: stored, ClientID: fmt.Sprintf("3MVG9partner%02d", i), ClientSecret: cs, GrantType: "password"},
		})
	}
	for i := range 150 {
		pw := sec(false)
		a.theirs = append(a.theirs, pw)
		hooks = append(hooks, emulator.Webhook{
			ID: fmt.Sprintf("1c8d4b63-%04d-4000-8000-000000000000", i), Address: fmt.Sprintf("https://erp%03d.example/hooks/in", i),
			Types: []string{"order.complete"}, APIVersion: "default", Enabled: true, TransportType: "HTTP", CreatedTime: created, UpdatedTime: created,
			Authentication: &emulator.BasicAuth{Username: "erp", Password: pw},
		})
	}
	b, err := json.Marshal(map[string]any{"orgs": orgs, "digitalRiver": map[string]any{
		"keys": []any{map[string]any{"key": a.own["DRSETUP_DR_API_KEY"]}}, "webhooks": hooks}})
	if err != nil {
		t.Fatal(err)
	}
	a.file = filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(a.file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return a
}

// values are the setup's values, the unattended way.
func (a bigAccount) values() []string {
	env := []string{
		"DRSETUP_MY_DOMAIN=https://acme.my.salesforce.com",
		"DRSETUP_CLIENT_ID=" + emulator.Demo.ClientID,
		"DRSETUP_USERNAME=" + emulator.Demo.Username,
	}
	for k, v := range a.own {
		env = append(env, k+"="+v)
	}
	return env
}

// connectProxy is an HTTPS proxy that tunnels every CONNECT to srv, the way a
// corporate proxy reaches the real hosts: drsetup runs without --demo,
// through HTTPS_PROXY, trusting srv's authority through SSL_CERT_FILE.
func connectProxy(t *testing.T, srv *emulator.Server) string {
	t.Helper()
	dial := srv.Transport().DialContext
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		up, err := dial(context.Background(), "tcp", r.Host)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			up.Close()
			return
		}
		io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
		go func() { io.Copy(up, rw); up.Close() }()
		io.Copy(conn, up)
		conn.Close()
	}))
	t.Cleanup(p.Close)
	return p.URL
}

// The run of issue 11: setup, doctor in all three modes and webhooks list,
// each with --debug-log, against the big account, and none of its secrets
// (the org's own, and every one stored in another org's webhook) in any
// encoding, whole or cut to six characters, on stdout, stderr, in a debug
// log or in any file under HOME.
func TestNoSecretOfABigAccountReachesAnyOutput(t *testing.T) {
	a := newBigAccount(t)
	logs := t.TempDir()
	var outputs []string
	var logFiles []string
	runLogged := func(c *cli, name string, want int, args ...string) *cli {
		t.Helper()
		log := filepath.Join(logs, name+".jsonl")
		logFiles = append(logFiles, log)
		c.run(append([]string{"--debug-log", log}, args...)...).want(want)
		outputs = append(outputs, name+" stdout:\n"+c.stdout.String(), name+" stderr:\n"+c.stderr.String())
		return c
	}
	homes := []string{}
	demo := func() *cli {
		c := newCLI(t).setenv("DRSETUP_DEMO_SCENARIO=" + a.file)
		homes = append(homes, c.home)
		return c
	}

	// --demo: setup, webhooks list, doctor with values and with the key only.
	runLogged(demo().setenv(a.values()...), "setup", 0, "--demo", "setup", "--no-input", "--yes", "--json")
	list := runLogged(demo().setenv("DRSETUP_DR_API_KEY="+a.own["DRSETUP_DR_API_KEY"]), "list", 0, "--demo", "webhooks", "list")
	if n := strings.Count(list.stdout.String(), "\n"); n != 191 {
		t.Errorf("webhooks list printed %d lines, want a header and 190 webhooks", n)
	}
	runLogged(demo().setenv("DRSETUP_DR_API_KEY="+a.own["DRSETUP_DR_API_KEY"]), "list-json", 0, "--demo", "webhooks", "list", "--json")
	keyOnly := runLogged(demo().setenv("DRSETUP_DR_API_KEY="+a.own["DRSETUP_DR_API_KEY"]), "doctor-key-only", 1, "--demo", "doctor", "--json")
	values := runLogged(demo().setenv(a.values()...), "doctor-values", 1, "--demo", "doctor", "--json")

	// Without --demo, through a proxy to the same world: setup saves the
	// profile (no keyring here: the secrets are not saved), then doctor
	// checks it, its secrets from the variables.
	sc, err := loadScenario(a.file)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start(sc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, srv.CACertPEM(), 0o600)
	real := newCLI(t).setenv(a.values()...).setenv("HTTPS_PROXY="+connectProxy(t, srv), "SSL_CERT_FILE="+ca, "DRSETUP_KEYRING_TIMEOUT=2s")
	homes = append(homes, real.home)
	runLogged(real, "setup-saved", 0, "setup", "--no-input", "--yes")
	saved := runLogged(real, "doctor-profile", 0, "doctor", "--json")

	for name, c := range map[string]*cli{"key-only": keyOnly, "values": values, "profile": saved} {
		var rep map[string]any
		if err := json.Unmarshal(c.stdout.Bytes(), &rep); err != nil {
			t.Fatalf("doctor %s: stdout is not the report: %v\n%s", name, err, c.stdout.String())
		}
		if (rep["profile"] == "default") != (name == "profile") {
			t.Errorf("doctor %s: profile %v", name, rep["profile"])
		}
	}
	// Key-only replays each stored login, the partners' too.
	if n := strings.Count(keyOnly.stdout.String(), `"dr_login_replay"`); n < 40 {
		t.Errorf("key-only doctor replayed %d stored logins, want the 40 partners' at least", n)
	}

	texts := map[string]string{"stdout and stderr": strings.Join(outputs, "\n")}
	for _, l := range logFiles {
		b, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		texts[filepath.Base(l)] = string(b)
		for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if !json.Valid([]byte(line)) {
				t.Errorf("%s line %d is not JSON", filepath.Base(l), i+1)
			}
		}
		if !strings.Contains(string(b), `"kind":"http"`) {
			t.Errorf("%s records no exchange", filepath.Base(l))
		}
	}
	for _, h := range homes {
		filepath.Walk(h, func(path string, fi os.FileInfo, err error) error {
			if err == nil && !fi.IsDir() {
				b, _ := os.ReadFile(path)
				texts["file "+strings.TrimPrefix(path, h)] = string(b)
			}
			return nil
		})
	}
	if len(texts) < len(logFiles)+2 {
		t.Errorf("no file under HOME: the profile should have been saved (%d texts)", len(texts))
	}
	for where, text := range texts {
		for _, s := range a.own {
			if leaks := secrettest.Leaks(text, s); len(leaks) > 0 {
				t.Errorf("%s holds the org's own secret: %v", where, leaks)
			}
		}
		for _, s := range a.theirs {
			if leaks := secrettest.TextLeaks(text, s); len(leaks) > 0 {
				t.Errorf("%s holds another org's stored secret: %v", where, leaks)
			}
		}
		for _, s := range []string{"Bearer ", "Authorization", "access_token\":\"00D"} {
			if strings.Contains(text, s) {
				t.Errorf("%s holds %q", where, s)
			}
		}
	}
}

func loadScenario(path string) (emulator.Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return emulator.Scenario{}, err
	}
	defer f.Close()
	return emulator.LoadScenario(f)
}
