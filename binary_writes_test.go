package main

// Tests of the built binary's writes to Digital River: several drsetup
// processes racing for one org's webhook, lost and lagging creates, and
// what a run stopped mid-write says. The processes reach one simulated
// world, as real runs reach Salesforce and Digital River.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/drsetup/drsetup/emulator"
)

// sharedWorld is one simulated org and Digital River account that several
// drsetup processes reach at once. The emulator runs in the test; each
// process gets a CONNECT proxy in front of it as HTTPS_PROXY and the
// emulator's certificate authority as SSL_CERT_FILE. The binary runs
// exactly as in production (no --demo, no test hooks), its requests to
// login.salesforce.com, the My Domain and api.digitalriver.com all
// arriving at the one emulator.
type sharedWorld struct {
	srv    *emulator.Server
	proxy  string
	caFile string
}

func newSharedWorld(t *testing.T, sc emulator.Scenario) *sharedWorld {
	t.Helper()
	if runtime.GOOS != "linux" {
		// Go reads SSL_CERT_FILE on Linux; macOS and Windows verify with
		// the system's own store.
		t.Skip("the runs trust the emulator through SSL_CERT_FILE, which Go reads on Linux")
	}
	srv, err := emulator.Start(sc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	caFile := filepath.Join(t.TempDir(), "emulator-ca.pem")
	if err := os.WriteFile(caFile, srv.CACertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	proxy := &http.Server{Handler: connectTo(srv.Addr()), ReadHeaderTimeout: 10 * time.Second}
	go proxy.Serve(ln)
	t.Cleanup(func() { proxy.Close() })
	return &sharedWorld{srv: srv, proxy: "http://" + ln.Addr().String(), caFile: caFile}
}

// connectTo is a CONNECT proxy that tunnels every host to target.
func connectTo(target string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		up, err := net.Dial("tcp", target)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			up.Close()
			return
		}
		io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
		go func() { io.Copy(up, buf); up.Close() }()
		io.Copy(conn, up)
		conn.Close()
	})
}

// cli is a run of the binary in its own home that reaches the shared world.
func (w *sharedWorld) cli(t *testing.T) *cli {
	return newCLI(t).setenv(demoEnv()...).setenv("HTTPS_PROXY="+w.proxy, "SSL_CERT_FILE="+w.caFile, "NO_PROXY=")
}

// acmeHooks are the Digital River webhooks addressed to the demo org.
func (w *sharedWorld) acmeHooks() []emulator.Webhook {
	var out []emulator.Webhook
	for _, h := range w.srv.Webhooks("test") {
		if strings.HasPrefix(h.Address, emulator.Demo.MyDomain+"/services/apexrest/") {
			out = append(out, h)
		}
	}
	return out
}

// count counts the Digital River requests of method to path (to any path
// under it, for a path ending in "/").
func (w *sharedWorld) count(method, path string) int {
	n := 0
	for _, x := range w.srv.Received() {
		if x.Host == "api.digitalriver.com" && x.Method == method && (x.Path == path || strings.HasSuffix(path, "/") && strings.HasPrefix(x.Path, path)) {
			n++
		}
	}
	return n
}

// start runs the binary without waiting for it.
func (c *cli) start(args ...string) (*exec.Cmd, chan struct{}) {
	c.t.Helper()
	cmd := c.command(args...)
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	return cmd, done
}

func resultOf(t *testing.T, c *cli) (action, id string) {
	t.Helper()
	var res struct {
		Action  string
		Webhook struct{ ID string }
	}
	if err := json.Unmarshal(c.stdout.Bytes(), &res); err != nil {
		t.Fatalf("stdout is not the result object: %v\n%s\nstderr:\n%s", err, c.stdout.String(), c.stderr.String())
	}
	return res.Action, res.Webhook.ID
}

// Five admins (five homes, five config directories: no lock is shared)
// set up the same org at the same moment. Digital River ends with one
// webhook, and every run either succeeded and names it or says why not.
func TestFiveSetupsAtOnceFromFiveHomesLeaveOneWebhook(t *testing.T) {
	sc := emulator.DemoScenario()
	// Every Digital River answer takes a moment, so the runs' lists, creates
	// and checks overlap as on a real network.
	sc.Faults.Latency = map[string]time.Duration{"api.digitalriver.com": 150 * time.Millisecond}
	w := newSharedWorld(t, sc)
	const runs = 5
	clis := make([]*cli, runs)
	dones := make([]chan struct{}, runs)
	cmds := make([]*exec.Cmd, runs)
	for i := range runs {
		clis[i] = w.cli(t)
	}
	for i := range runs {
		cmds[i], dones[i] = clis[i].start("setup", "--no-input", "--yes", "--json")
	}
	for i := range runs {
		select {
		case <-dones[i]:
		case <-time.After(90 * time.Second):
			for _, c := range cmds {
				c.Process.Kill()
			}
			t.Fatalf("run %d did not finish\n%s", i, clis[i].stderr.String())
		}
	}
	hooks := w.acmeHooks()
	if len(hooks) != 1 {
		var ids []string
		for _, h := range hooks {
			ids = append(ids, h.ID)
		}
		t.Fatalf("%d webhooks for the org after %d setups at once, want 1: %v", len(hooks), runs, ids)
	}
	for i, c := range clis {
		code := cmds[i].ProcessState.ExitCode()
		if code != 0 {
			// Allowed, if it says why in the admin's words.
			if msg := c.stderr.String(); !strings.Contains(msg, "drsetup: ") || strings.Contains(msg, "panic") {
				t.Errorf("run %d: exit %d without saying why:\n%s", i, code, msg)
			}
			continue
		}
		if _, id := resultOf(t, c); id != hooks[0].ID {
			t.Errorf("run %d reports webhook %s; %s is the one left", i, id, hooks[0].ID)
		}
	}
	t.Logf("%d creates sent and %d deletes, for one webhook left", w.count("POST", "/webhooks"), w.count("DELETE", "/webhooks/"))
}

// Three runs in one home take turns on the profile's lock: the first
// creates the webhook, the others find it; only one create is ever sent.
func TestSetupsAtOnceInOneHomeTakeTurns(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.Faults.Latency = map[string]time.Duration{"api.digitalriver.com": 150 * time.Millisecond}
	w := newSharedWorld(t, sc)
	first := w.cli(t)
	clis := []*cli{first}
	for range 2 {
		c := w.cli(t)
		c.env = first.env // the same home, config directory and lock
		clis = append(clis, c)
	}
	var dones []chan struct{}
	for _, c := range clis {
		_, done := c.start("setup", "--no-input", "--yes", "--json")
		dones = append(dones, done)
	}
	for i, d := range dones {
		select {
		case <-d:
		case <-time.After(90 * time.Second):
			t.Fatalf("run %d did not finish\n%s", i, clis[i].stderr.String())
		}
	}
	created := 0
	for i, c := range clis {
		action, _ := resultOf(t, c)
		if action == "created" {
			created++
		}
		if action == "" {
			t.Errorf("run %d: %s", i, c.stderr.String())
		}
	}
	if n := w.count("POST", "/webhooks"); n != 1 || created != 1 || len(w.acmeHooks()) != 1 {
		t.Fatalf("%d creates sent, %d runs say created, %d webhooks; want one of each", n, created, len(w.acmeHooks()))
	}
}

// A create whose answer is lost, on a list that shows new webhooks 3 s
// late: the run waits for it, adopts it, and leaves one webhook.
func TestALostCreateOnAListThreeSecondsLateEndsWithOneWebhook(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.DigitalRiver.ListLag = 3 * time.Second
	sc.Faults.DropCreateResponse = 1
	w := newSharedWorld(t, sc)
	c := w.cli(t)
	c.run("setup", "--no-input", "--yes", "--json").want(0)
	action, id := resultOf(t, c)
	hooks := w.acmeHooks()
	if action != "created" || len(hooks) != 1 || hooks[0].ID != id || w.count("POST", "/webhooks") != 1 {
		t.Fatalf("%s %s; %d webhooks, %d creates sent; want one of each, adopted", action, id, len(hooks), w.count("POST", "/webhooks"))
	}
	if !strings.Contains(c.stderr.String(), "Answer lost; waiting for the webhook to be listed") || !strings.Contains(c.stderr.String(), "answer to the create was lost") {
		t.Errorf("stderr should say why it waits, and that the webhook was adopted:\n%s", c.stderr.String())
	}
}

// A lost create on a list 40 s late: the run waits about 30 s, says
// exactly what to do, exits 1 and saves no profile; the next run, a minute
// later, adopts the webhook. The emulator's clock is still until the test
// moves it, so the list shows nothing during the first run's real wait.
func TestALostCreateOnAListFortySecondsLateFailsAndTheNextRunAdoptsIt(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 30 s for real")
	}
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	sc := emulator.DemoScenario()
	sc.Clock = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	sc.DigitalRiver.ListLag = 40 * time.Second
	sc.Faults.DropCreateResponse = 1
	w := newSharedWorld(t, sc)
	c := w.cli(t)
	start := time.Now()
	c.run("setup", "--no-input", "--yes", "--json").want(1)
	if waited := time.Since(start); waited < 25*time.Second || waited > 55*time.Second {
		t.Errorf("the run took %v; it should watch the list for about 30 s", waited)
	}
	msg := c.stderr.String()
	if !strings.Contains(msg, "Digital River may have created it; run drsetup setup again in a minute: it will find it") {
		t.Fatalf("stderr:\n%s", msg)
	}
	if c.stdout.Len() != 0 || w.count("POST", "/webhooks") != 1 || len(w.acmeHooks()) != 1 {
		t.Fatalf("stdout %q, %d creates, %d webhooks; want no result, one create, one webhook", c.stdout.String(), w.count("POST", "/webhooks"), len(w.acmeHooks()))
	}
	if _, err := os.Stat(filepath.Join(c.home, ".config", "drsetup", "profiles", "default.json")); err == nil {
		t.Fatal("a profile was saved as if the setup worked")
	}

	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	c.run("setup", "--no-input", "--yes", "--json").want(0)
	action, id := resultOf(t, c)
	if hooks := w.acmeHooks(); action != "unchanged" || len(hooks) != 1 || hooks[0].ID != id || w.count("POST", "/webhooks") != 1 {
		t.Fatalf("next run: %s %s, %d webhooks; want the lost one found", action, id, len(hooks))
	}
}

// demoScenarioFile is the demo's world as a scenario file, with faults.
func demoScenarioFile(t *testing.T, faults map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"orgs":         scenarioOrgs(emulator.DemoScenario()),
		"digitalRiver": map[string]any{"keys": []map[string]any{{"key": emulator.Demo.DRKey}}},
		"faults":       faults,
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "scenario.json")
	os.WriteFile(path, b, 0o600)
	return path
}

// signalWhen starts the binary, waits for a line of stderr, and sends sig
// a moment later; it returns the exit code and stderr.
func signalWhen(t *testing.T, c *cli, line string, sig os.Signal, args ...string) (int, string) {
	t.Helper()
	cmd := c.command(args...)
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	var mu sync.Mutex
	var stderr bytes.Buffer
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reached := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		once := sync.Once{}
		for sc.Scan() {
			mu.Lock()
			stderr.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if strings.Contains(sc.Text(), line) {
				once.Do(func() { close(reached) })
			}
		}
	}()
	select {
	case <-reached:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the run never said %q", line)
	}
	time.Sleep(300 * time.Millisecond) // the request is in flight
	cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("%v did not end the run", sig)
	}
	pw.Close()
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// Stopped while Digital River holds the answer to a create, a run says
// what is known: the webhook may exist; not that nothing was saved.
func TestCancelDuringACreateSaysTheWebhookMayExist(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM or SIGINT to send on Windows")
	}
	const said = "Cancelled: the webhook may already exist at Digital River; run drsetup setup again to finish."
	scenario := demoScenarioFile(t, map[string]any{"holdCreateResponse": 1})
	for _, tc := range []struct {
		name string
		sig  os.Signal
		mode []string
		in   string
	}{
		{"SIGTERM, unattended", syscall.SIGTERM, []string{"setup", "--no-input", "--yes", "--json"}, ""},
		{"SIGINT, unattended", syscall.SIGINT, []string{"setup", "--no-input", "--yes"}, ""},
		{"SIGINT, plain prompts", syscall.SIGINT, []string{"--accessible", "setup"}, strings.Join([]string{
			"1", emulator.Demo.MyDomain, "1", emulator.Demo.ClientID, emulator.Demo.ClientSecret, emulator.Demo.Username,
			emulator.Demo.Password, emulator.Demo.SecurityToken, emulator.Demo.DRKey, "", "y"}, "\n") + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t).setenv("DRSETUP_DEMO_SCENARIO=" + scenario)
			if tc.in == "" {
				c.setenv(demoEnv()...)
			}
			c.stdin = strings.NewReader(tc.in)
			code, stderr := signalWhen(t, c, "Registering the webhook", tc.sig, append([]string{"--demo"}, tc.mode...)...)
			if code != 130 {
				t.Fatalf("exit %d, want 130\n%s", code, stderr)
			}
			if !strings.Contains(stderr, said) || strings.Contains(stderr, "nothing was saved") {
				t.Fatalf("stderr should say the webhook may exist, not that nothing was saved:\n%s", stderr)
			}
			if c.stdout.Len() != 0 {
				t.Errorf("no result may be printed: %q", c.stdout.String())
			}
		})
	}
}
