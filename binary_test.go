package main

// Tests that run the built drsetup binary, as users and scripts do: exit
// codes, streams, signals and what reaches the disk.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/emulator"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "drsetup-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "drsetup")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building drsetup:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli is one run of the binary in a private home.
type cli struct {
	t      *testing.T
	home   string
	env    []string
	stdin  io.Reader
	stdout bytes.Buffer
	stderr bytes.Buffer
	code   int
	state  *os.ProcessState // of the last run
}

func newCLI(t *testing.T) *cli {
	home := t.TempDir()
	c := &cli{t: t, home: home}
	c.env = []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"PATH=" + os.Getenv("PATH"),
		// No keyring here: a run that wanted one would say so, not hang.
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(home, "no-bus"),
		"TERM=dumb",
	}
	return c
}

func (c *cli) setenv(kv ...string) *cli { c.env = append(c.env, kv...); return c }

func (c *cli) command(args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = c.env
	cmd.Stdin = c.stdin
	cmd.Stdout = &c.stdout
	cmd.Stderr = &c.stderr
	return cmd
}

func (c *cli) run(args ...string) *cli {
	c.t.Helper()
	c.stdout.Reset()
	c.stderr.Reset()
	cmd := c.command(args...)
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		c.t.Fatalf("drsetup %s did not finish\nstderr:\n%s", strings.Join(args, " "), c.stderr.String())
	}
	c.code = cmd.ProcessState.ExitCode()
	c.state = cmd.ProcessState
	return c
}

func (c *cli) want(code int) *cli {
	c.t.Helper()
	if c.code != code {
		c.t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", c.code, code, c.stdout.String(), c.stderr.String())
	}
	return c
}

// demoEnv supplies every value of a demo setup the unattended way.
func demoEnv() []string {
	d := emulator.Demo
	return []string{
		"DRSETUP_MY_DOMAIN=" + d.MyDomain,
		"DRSETUP_CLIENT_ID=" + d.ClientID,
		"DRSETUP_USERNAME=" + d.Username,
		"DRSETUP_CLIENT_SECRET=" + d.ClientSecret,
		"DRSETUP_PASSWORD=" + d.Password,
		"DRSETUP_SECURITY_TOKEN=" + d.SecurityToken,
		"DRSETUP_DR_API_KEY=" + d.DRKey,
	}
}

// noFilesUnder fails if anything was written under dir.
func noFilesUnder(t *testing.T, dir string) {
	t.Helper()
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			t.Errorf("a file was left behind: %s", path)
		}
		return nil
	})
}

func TestUnattendedSetupPrintsTheResultObject(t *testing.T) {
	c := newCLI(t).setenv(demoEnv()...)
	c.run("--demo", "setup", "--no-input", "--yes", "--json").want(0)
	var res map[string]any
	dec := json.NewDecoder(&c.stdout)
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, c.stdout.String())
	}
	if dec.More() {
		t.Fatal("stdout must carry only the result object")
	}
	if res["action"] != "created" || res["profile"] != "default" || res["secrets"] != "not-saved" {
		t.Fatalf("result %v", res)
	}
	wh := res["webhook"].(map[string]any)
	if wh["address"] != "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/" || wh["transportType"] != "OAUTH" || wh["enabled"] != true || len(wh["types"].([]any)) != 8 {
		t.Fatalf("webhook %v", wh)
	}
	sf := res["salesforce"].(map[string]any)
	if !strings.HasPrefix(sf["orgId"].(string), "00D") || sf["instanceUrl"] != "https://acme.my.salesforce.com" {
		t.Fatalf("salesforce %v", sf)
	}
	if !strings.Contains(c.stderr.String(), "Logging in to Salesforce") {
		t.Errorf("progress belongs on stderr:\n%s", c.stderr.String())
	}
	noFilesUnder(t, c.home)
}

func TestUnattendedWithoutYesChangesNothing(t *testing.T) {
	c := newCLI(t).setenv(demoEnv()...)
	c.run("--demo", "setup", "--no-input").want(2)
	if !strings.Contains(c.stderr.String(), "--yes") || !strings.Contains(c.stderr.String(), "Plan: create a new webhook.") {
		t.Fatalf("stderr:\n%s", c.stderr.String())
	}
}

func TestMissingValuesAreListedAtOnce(t *testing.T) {
	c := newCLI(t)
	c.run("--demo", "setup", "--no-input", "--yes").want(2)
	msg := c.stderr.String()
	for _, want := range []string{
		"--my-domain or DRSETUP_MY_DOMAIN",
		"--client-id or DRSETUP_CLIENT_ID",
		"(DRSETUP_CLIENT_SECRET)",
		"--username or DRSETUP_USERNAME",
		"(DRSETUP_PASSWORD)",
		"(DRSETUP_DR_API_KEY)",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
	if c.stdout.Len() != 0 {
		t.Errorf("stdout must stay empty: %q", c.stdout.String())
	}
}

func TestInvalidValuesAreListedWithCorrections(t *testing.T) {
	d := emulator.Demo
	c := newCLI(t).setenv(demoEnv()...).setenv(
		"DRSETUP_DR_API_KEY="+d.DRPublicKey,
		"DRSETUP_EVENTS=order.accepted,order.exploded",
	)
	c.run("--demo", "setup", "--no-input", "--yes", "--my-domain", d.LightningURL, "--auth", "magic", "--environment", "staging").want(2)
	msg := c.stderr.String()
	for _, want := range []string{
		"https://acme.my.salesforce.com", // the corrected My Domain
		"public key",
		`"magic" is not an authentication method`,
		`"staging" is not an environment`,
		"order.exploded",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, d.DRPublicKey) {
		t.Error("the message repeats the key")
	}
}

func TestStdinNotATerminalRunsWithoutPrompts(t *testing.T) {
	c := newCLI(t)
	c.stdin = strings.NewReader("")
	c.run("--demo").want(2)
	if !strings.Contains(c.stderr.String(), "not a terminal") || !strings.Contains(c.stderr.String(), "DRSETUP_MY_DOMAIN") {
		t.Fatalf("stderr:\n%s", c.stderr.String())
	}
	// With every value given it completes, still without a prompt.
	c = newCLI(t).setenv(demoEnv()...)
	c.stdin = strings.NewReader("")
	c.run("--demo", "--yes").want(0)
}

func TestAccessibleModeAnsweredThroughAPipe(t *testing.T) {
	d := emulator.Demo
	c := newCLI(t).setenv("ACCESSIBLE=1")
	c.stdin = strings.NewReader(strings.Join([]string{
		"1", d.MyDomain, "1", d.ClientID, d.ClientSecret, d.Username, d.Password, d.SecurityToken, d.DRKey, "", "y",
	}, "\n") + "\n")
	c.run("--demo", "setup", "--json").want(0)
	out := c.stderr.String()
	if !strings.HasPrefix(out, "drsetup: connect the Digital River") || !strings.Contains(out, "Step 1 of 9: Salesforce environment.") || strings.Contains(out, "\x1b") {
		t.Fatalf("stderr:\n%s", out)
	}
	var res map[string]any
	if err := json.Unmarshal(c.stdout.Bytes(), &res); err != nil || res["action"] != "created" {
		t.Fatalf("stdout %q: %v", c.stdout.String(), err)
	}
}

// slowScenario is the demo world with a Digital River API that takes a long
// time to answer, written as a scenario file.
func slowScenario(t *testing.T, host, latency string) string {
	t.Helper()
	sc := emulator.DemoScenario()
	b, err := json.Marshal(map[string]any{
		"orgs":         scenarioOrgs(sc),
		"digitalRiver": map[string]any{"keys": []map[string]any{{"key": emulator.Demo.DRKey}}},
		"faults":       map[string]any{"latency": map[string]string{host: latency}},
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "scenario.json")
	os.WriteFile(path, b, 0o600)
	return path
}

func scenarioOrgs(sc emulator.Scenario) []map[string]any {
	var orgs []map[string]any
	for _, o := range sc.Orgs {
		var users []map[string]any
		for _, u := range o.Users {
			users = append(users, map[string]any{"username": u.Username, "password": u.Password, "securityToken": u.SecurityToken, "classAccess": u.ClassAccess})
		}
		var apps []map[string]any
		for _, a := range o.Apps {
			apps = append(apps, map[string]any{"name": a.Name, "clientId": a.ClientID, "clientSecret": a.ClientSecret})
		}
		orgs = append(orgs, map[string]any{"myDomain": o.MyDomain, "sandbox": o.Sandbox, "packageInstalled": o.PackageInstalled, "apps": apps, "users": users})
	}
	return orgs
}

func TestSIGTERMDuringASlowRequestExits130AndSavesNothing(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on Windows")
	}
	c := newCLI(t).setenv(demoEnv()...).setenv("DRSETUP_DEMO_SCENARIO=" + slowScenario(t, "api.digitalriver.com", "10m"))
	cmd := c.command("--demo", "setup", "--no-input", "--yes", "--json")
	pr, pw := io.Pipe()
	var mu sync.Mutex
	var stderr bytes.Buffer
	cmd.Stderr = pw
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
			if strings.Contains(sc.Text(), "Checking the Digital River key") {
				once.Do(func() { close(reached) })
			}
		}
	}()
	select {
	case <-reached:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the run never reached the Digital River request")
	}
	time.Sleep(200 * time.Millisecond) // let the request be in flight
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("SIGTERM did not end the run: the request in flight was not cancelled")
	}
	pw.Close()
	mu.Lock()
	defer mu.Unlock()
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("exit %d, want 130\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "nothing was saved") {
		t.Errorf("stderr should say nothing was saved:\n%s", stderr.String())
	}
	if c.stdout.Len() != 0 {
		t.Errorf("no result may be printed: %q", c.stdout.String())
	}
	noFilesUnder(t, c.home)
}

// Every secret has a value found nowhere else, so finding it anywhere is a leak.
func TestNoSecretReachesOutputOrDebugLog(t *testing.T) {
	const (
		clientSecret = "CS-uniq-7f3a9c2e1b"
		password     = "PW-uniq-4d8e&+%#2a"
		token        = "TK4uniq9c1e7b3f"
		drKey        = "sk_test_uniqKEY5b2c8d1e9f"
	)
	sc := map[string]any{
		"orgs": []map[string]any{{
			"myDomain": "acme.my.salesforce.com",
			"apps":     []map[string]any{{"name": "Salesforce DigitalRiver Integration", "clientId": emulator.Demo.ClientID, "clientSecret": clientSecret}},
			"users":    []map[string]any{{"username": emulator.Demo.Username, "password": password, "securityToken": token}},
		}},
		"digitalRiver": map[string]any{"keys": []map[string]any{{"key": drKey}}},
	}
	b, _ := json.Marshal(sc)
	scenario := filepath.Join(t.TempDir(), "scenario.json")
	os.WriteFile(scenario, b, 0o600)
	logPath := filepath.Join(t.TempDir(), "trace.jsonl")

	c := newCLI(t).setenv(
		"DRSETUP_DEMO_SCENARIO="+scenario,
		"DRSETUP_MY_DOMAIN=https://acme.my.salesforce.com",
		"DRSETUP_CLIENT_ID="+emulator.Demo.ClientID,
		"DRSETUP_USERNAME="+emulator.Demo.Username,
		"DRSETUP_CLIENT_SECRET="+clientSecret,
		"DRSETUP_PASSWORD="+password,
		"DRSETUP_SECURITY_TOKEN="+token,
		"DRSETUP_DR_API_KEY="+drKey,
	)
	c.run("--demo", "--debug-log", logPath, "setup", "--no-input", "--yes", "--json").want(0)
	outputs := c.stdout.String() + c.stderr.String()
	setupLog, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(logPath); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("debug log mode %v, want 0600", fi.Mode().Perm())
	}
	if !bytes.Contains(setupLog, []byte(`"path":"/services/oauth2/token"`)) || !bytes.Contains(setupLog, []byte(`"path":"/webhooks"`)) ||
		!bytes.Contains(setupLog, []byte(`"kind":"check","status":"pass"`)) || !bytes.Contains(setupLog, []byte(`"id":"register"`)) {
		t.Fatalf("the debug log lacks the exchanges:\n%s", setupLog)
	}

	doctorLogPath := filepath.Join(t.TempDir(), "doctor.jsonl")
	c.run("--demo", "--debug-log", doctorLogPath, "doctor", "--json")
	doctorLog, _ := os.ReadFile(doctorLogPath)
	outputs += c.stdout.String() + c.stderr.String()

	for name, text := range map[string]string{"stdout/stderr": outputs, "setup debug log": string(setupLog), "doctor debug log": string(doctorLog)} {
		for _, s := range []string{clientSecret, password, password + token, token, drKey, "Bearer ", "Authorization"} {
			if strings.Contains(text, s) {
				t.Errorf("%s contains %q", name, s)
			}
		}
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	c := newCLI(t)
	c.run("--bogus").want(2)
	c.run("setup", "extra-argument").want(2)
	c.run("--profile", "no/slashes", "--demo", "setup", "--no-input").want(2)
	if !strings.Contains(c.stderr.String(), "profile") {
		t.Fatalf("stderr: %s", c.stderr.String())
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		c := newCLI(t)
		c.run(args...).want(0)
		out := c.stdout.String()
		first, _, _ := strings.Cut(out, "\n")
		if !strings.HasPrefix(first, "drsetup ") || strings.Count(first, " ") != 1 || !strings.Contains(out, "commit: ") || !strings.Contains(out, runtime.Version()) || !strings.Contains(out, runtime.GOOS+"/"+runtime.GOARCH) {
			t.Fatalf("%v: output %q", args, out)
		}
	}
}

// On a real terminal the hidden secret prompts read the terminal themselves;
// nothing else may be reading stdin meanwhile, or the prompt waits for a line
// that was already taken. util-linux's script gives the run a terminal.
func TestAccessibleModeOnATerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil || runtime.GOOS != "linux" {
		t.Skip("needs util-linux script(1) to run drsetup on a pseudo-terminal")
	}
	d := emulator.Demo
	c := newCLI(t)
	c.stdin = strings.NewReader(strings.Join([]string{
		"1", d.MyDomain, "1", d.ClientID, d.ClientSecret, d.Username, d.Password, d.SecurityToken, d.DRKey, "", "y",
	}, "\n") + "\n")
	c.run2(script, "-qec", binary+" --demo --accessible", "/dev/null").want(0)
	if !strings.Contains(c.stdout.String(), "Created webhook") {
		t.Fatalf("output:\n%s", c.stdout.String())
	}
}

// run2 runs another program (a wrapper around the binary) like run does.
func (c *cli) run2(name string, args ...string) *cli {
	c.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = c.env, c.stdin, &c.stdout, &c.stderr
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		c.t.Fatalf("%s did not finish: a prompt is waiting for input it will never get\n%s", name, c.stdout.String())
	}
	c.code = cmd.ProcessState.ExitCode()
	return c
}

func TestDemoHelpListsTheValuesAndTraps(t *testing.T) {
	c := newCLI(t)
	c.run("--demo", "--help").want(0)
	for _, want := range []string{emulator.Demo.MyDomain, emulator.Demo.DRKey, emulator.Demo.LightningURL, "Traps to try"} {
		if !strings.Contains(c.stdout.String(), want) {
			t.Errorf("drsetup --demo --help lacks %q", want)
		}
	}
	c.run("--help").want(0)
	if strings.Contains(c.stdout.String(), emulator.Demo.ClientSecret) {
		t.Error("help without --demo should not list the demo values")
	}
}

func TestAnUntrustedDigitalRiverURLIsInvalidInput(t *testing.T) {
	c := newCLI(t).setenv("DRSETUP_DR_API_KEY=sk_test_abcdefgh12", "DRSETUP_DR_API_URL=https://dr.evil.example")
	c.run("webhooks", "list").want(2)
	if !strings.Contains(c.stderr.String(), "--dr-api-url") || !strings.Contains(c.stderr.String(), "--allow-any-host") {
		t.Fatalf("stderr: %s", c.stderr.String())
	}
	c.run("--dr-api-url", "http://api.digitalriver.com", "doctor").want(2)
}

// inPTY runs the binary on a pseudo-terminal cols wide (util-linux script
// gives it one; stty sets its size) and returns what the terminal showed,
// with the terminal's \r\n made \n.
func (c *cli) inPTY(cols int, args ...string) string {
	c.t.Helper()
	script, err := exec.LookPath("script")
	if err != nil || runtime.GOOS != "linux" {
		c.t.Skip("needs util-linux script(1) to run drsetup on a pseudo-terminal")
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	line := fmt.Sprintf("stty cols %d rows 40 && %s %s", cols, binary, strings.Join(quoted, " "))
	c.run2(script, "-qec", line, "/dev/null")
	return strings.ReplaceAll(c.stdout.String(), "\r\n", "\n")
}

func TestWebhooksListOnATerminalFitsItsWidthAndPipedIsTabSeparated(t *testing.T) {
	const sandboxEndpoint = "https://wayne--uat.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
	for _, cols := range []int{60, 100, 200} {
		c := newCLI(t)
		out := c.inPTY(cols, "--demo", "webhooks", "list")
		if c.code != 0 {
			t.Fatalf("%d columns: exit %d\n%s", cols, c.code, out)
		}
		lines := strings.Split(out, "\n")
		start := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "ID  ") })
		if start < 0 {
			t.Fatalf("%d columns: no table:\n%s", cols, out)
		}
		var table []string
		for _, l := range lines[start:] {
			if !strings.HasPrefix(l, "ID  ") && !regexp.MustCompile(`^[0-9a-f-]{36}  `).MatchString(l) {
				break
			}
			table = append(table, l)
			if w := ansi.StringWidth(l); w > cols {
				t.Errorf("%d columns: a line is %d wide: %q", cols, w, l)
			}
		}
		if len(table) < 5 {
			t.Fatalf("%d columns: %d table lines:\n%s", cols, len(table), out)
		}
		text := strings.Join(table, "\n")
		switch cols {
		case 200:
			if !strings.Contains(text, sandboxEndpoint) || strings.Contains(text, "…") || strings.Contains(out, "left out") || len(strings.Fields(table[0])) != 7 {
				t.Errorf("200 columns hold every address whole and every column:\n%s", out)
			}
		default:
			if strings.Contains(text, sandboxEndpoint) || !strings.Contains(text, "…") {
				t.Errorf("%d columns: addresses are not cut with an ellipsis:\n%s", cols, out)
			}
		}
	}

	c := newCLI(t)
	c.run("--demo", "webhooks", "list").want(0)
	lines := strings.Split(strings.TrimRight(c.stdout.String(), "\n"), "\n")
	if len(lines) < 5 {
		t.Fatalf("piped:\n%s", c.stdout.String())
	}
	for _, l := range lines {
		if f := strings.Split(l, "\t"); len(f) != 7 || slices.ContainsFunc(f, func(v string) bool { return v == "" || strings.TrimSpace(v) != v }) {
			t.Errorf("piped, a line is not 7 unpadded tab-separated values: %q", l)
		}
	}
	if !strings.Contains(c.stdout.String(), "\t"+sandboxEndpoint+"\t") || strings.Contains(c.stdout.String(), "…") {
		t.Errorf("piped, an address was cut:\n%s", c.stdout.String())
	}
}

// TERM=dumb on a terminal gets the plain prompts, never the full-screen UI.
func TestDumbTerminalGetsPlainPrompts(t *testing.T) {
	d := emulator.Demo
	c := newCLI(t) // TERM=dumb
	c.stdin = strings.NewReader(strings.Join([]string{
		"1", d.MyDomain, "1", d.ClientID, d.ClientSecret, d.Username, d.Password, d.SecurityToken, d.DRKey, "", "y",
	}, "\n") + "\n")
	out := c.inPTY(80, "--demo")
	if c.code != 0 {
		t.Fatalf("exit %d\n%s", c.code, out)
	}
	if !strings.Contains(out, "Step 1 of 9: Salesforce environment.") || !strings.Contains(out, "Created webhook") {
		t.Fatalf("no plain prompts:\n%s", out)
	}
	// The full-screen UI would switch to the alternate screen and hide the
	// cursor.
	for _, esc := range []string{"\x1b[?1049h", "\x1b[?25l"} {
		if strings.Contains(out, esc) {
			t.Errorf("TERM=dumb got the full-screen UI (%q)", esc)
		}
	}
}

// The binary as a release builds it (GoReleaser's ldflags) says which
// version and commit it is.
func TestAStampedBuildReportsItsVersion(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "drsetup")
	const (
		version = "1.2.3"
		commit  = "0123456789abcdef0123456789abcdef01234567"
		date    = "2026-12-01T08:00:00Z"
	)
	ldflags := fmt.Sprintf("-X github.com/drsetup/drsetup/buildinfo.version=%s -X github.com/drsetup/drsetup/buildinfo.commit=%s -X github.com/drsetup/drsetup/buildinfo.date=%s", version, commit, date)
	build := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, err := exec.Command(bin, args...).Output()
		if err != nil {
			t.Fatalf("%s %v: %v", bin, args, err)
		}
		want := "drsetup 1.2.3\ncommit: 0123456789ab\nbuilt: 2026-12-01T08:00:00Z\ngo: " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
		if string(out) != want {
			t.Errorf("drsetup %v:\n%s\nwant\n%s", args, out, want)
		}
	}
}
