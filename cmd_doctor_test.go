package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/debuglog"
	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/iostreams"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
)

// The world of these tests: one production org and the webhook drsetup
// setup would register for it, every secret a value found nowhere else.
const (
	tHost         = "acme.my.salesforce.com"
	tEndpoint     = "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
	tClientID     = "3MVG9CMD.test.consumer.key"
	tClientSecret = "CS-cmd-uniq-5e7a1c"
	tUsername     = "integration@acme.example"
	tPassword     = "PW-cmd-uniq&+%#9b"
	tToken        = "TKcmduniq4d2f8a"
	tKey          = "sk_live_cmduniqkey7c3e9b"
	tHookID       = "0b7c3a52-aaaa-4000-8000-000000000001"
	// What a second webhook stores: secrets of its own.
	tStoredPassword = "STORED-cmd-pw-77&e1"
	tStoredSecret   = "STORED-cmd-cs-3b9f0a"
)

var allSecrets = []string{tClientSecret, tPassword, tToken, tPassword + tToken, tKey, tStoredPassword, tStoredSecret}

func cmdScenario() emulator.Scenario {
	hook := func(id, address, pw, cs string) emulator.Webhook {
		return emulator.Webhook{
			ID: id, Address: address, Types: slices.Clone(drapi.AppEvents), Enabled: true, TransportType: "OAUTH", LiveMode: true,
			OAuth: &emulator.OAuth{TokenEndPoint: sfcheck.ProductionTokenURL, UserName: tUsername, Password: pw, ClientID: tClientID, ClientSecret: cs, GrantType: "password"},
		}
	}
	return emulator.Scenario{
		Orgs: []emulator.Org{{
			MyDomain: tHost, PackageInstalled: true,
			Apps:  []emulator.ConnectedApp{{Name: "Salesforce DigitalRiver Integration", ClientID: tClientID, ClientSecret: tClientSecret}},
			Users: []emulator.User{{Username: tUsername, Password: tPassword, SecurityToken: tToken, Active: true, Approved: true, ClassAccess: true}},
		}},
		DigitalRiver: emulator.Account{
			Keys: []emulator.Key{{Key: tKey, CanWebhooks: true}},
			Webhooks: []emulator.Webhook{
				hook(tHookID, tEndpoint, tPassword+tToken, tClientSecret),
				{Address: "https://erp.acme.example/digitalriver/events", Types: []string{"order.complete"}, Enabled: false, LiveMode: true},
			},
		},
	}
}

func staleScenario() emulator.Scenario {
	sc := cmdScenario()
	sc.DigitalRiver.Webhooks[0].OAuth.Password = tStoredPassword
	sc.DigitalRiver.Webhooks[0].OAuth.ClientSecret = tStoredSecret
	return sc
}

// cmdWorld is an emulator, a profile store on real files with an in-memory
// keyring, and the variables of the runs.
type cmdWorld struct {
	t     *testing.T
	srv   *emulator.Server
	store *profile.Store
	env   map[string]string
}

func newCmdWorld(t *testing.T, sc emulator.Scenario) *cmdWorld {
	t.Helper()
	w := emulatortest.New(t, sc)
	return &cmdWorld{t: t, srv: w.Server, store: w.Store, env: map[string]string{}}
}

// saveProfile saves the healthy profile and its secrets, as drsetup setup
// leaves them.
func (w *cmdWorld) saveProfile(name string) {
	w.t.Helper()
	p := profile.Profile{
		Name: name, Values: profile.Values{field.Environment: "production", field.TokenEndpoint: sfcheck.ProductionTokenURL, field.MyDomain: "https://" + tHost,
			field.Auth: "password", field.ClientID: tClientID, field.Username: tUsername, field.Events: strings.Join(drapi.AppEvents, ",")},
		DRMode: "live", WebhookID: tHookID, LastSetup: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
	}
	if err := w.store.Save(p); err != nil {
		w.t.Fatal(err)
	}
	if err := w.store.SaveSecrets(name, profile.Secrets{field.ClientSecret: tClientSecret, field.Password: tPassword, field.SecurityToken: tToken, field.DRAPIKey: tKey}); err != nil {
		w.t.Fatal(err)
	}
}

// cmdRun is one command's outcome.
type cmdRun struct {
	code        int
	out, errOut string
	log         string // the --debug-log file, when given
}

// tty says which streams are terminals, and how wide (0: unknown).
type tty struct {
	stdout, stderr bool
	width          int
	// stdin is a terminal too, and input what is typed at it (or, when
	// it is not one, what comes through the pipe).
	stdin bool
	input string
}

// exec runs the command tree as main does, with services that reach the
// emulator.
func (w *cmdWorld) exec(term tty, args ...string) cmdRun {
	w.t.Helper()
	ios, in, out, errOut := iostreams.Test()
	ios.SetTTY(term.stdin, term.stdout, term.stderr)
	in.WriteString(term.input)
	ios.SetWidth(term.width)
	f := newFactory(ios, func(k string) string { return w.env[k] })

	red := &secret.Redactor{}
	svc := &services{f: f, redactor: red, store: w.store}
	logPath := ""
	if i := slices.Index(args, "--debug-log"); i >= 0 && i+1 < len(args) {
		logPath = args[i+1]
		l, err := debuglog.Open(logPath, red)
		if err != nil {
			w.t.Fatal(err)
		}
		svc.log = l
	}
	svc.http = httpx.NewClient(svc.log.Transport(w.srv.Transport()))
	// The emulator stands in for the world.
	f.Services = func() (*services, error) { return svc, nil }
	f.ProfileNames = func() *profile.Store { return w.store }
	f.onClose(svc.Close)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, f, args)
	r := cmdRun{code: code, out: out.String(), errOut: errOut.String()}
	if logPath != "" {
		b, _ := os.ReadFile(logPath)
		r.log = string(b)
	}
	return r
}

func (r cmdRun) want(t *testing.T, code int) cmdRun {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.out, r.errOut)
	}
	return r
}

func TestDoctorExitCodes(t *testing.T) {
	for _, c := range []struct {
		name     string
		scenario func() emulator.Scenario
		profile  bool
		env      map[string]string
		args     []string
		want     int
		stderr   string // in stderr
		help     bool   // followed by the pointer to --help
	}{
		{name: "healthy profile: warnings only", scenario: cmdScenario, profile: true, args: []string{"doctor"}, want: 0},
		{name: "stale password at Digital River", scenario: staleScenario, profile: true, args: []string{"doctor"}, want: 1},
		{name: "key only", scenario: cmdScenario, env: map[string]string{"DRSETUP_DR_API_KEY": tKey}, args: []string{"doctor"}, want: 0},
		{name: "values that fail", scenario: cmdScenario, env: map[string]string{"DRSETUP_MY_DOMAIN": "https://acme.lightning.force.com"}, args: []string{"doctor"}, want: 1},
		{name: "nothing to check", scenario: cmdScenario, args: []string{"doctor"}, want: 2, stderr: "nothing to check"},
		{name: "bad environment flag", scenario: cmdScenario, profile: true, args: []string{"doctor", "--environment", "staging"}, want: 2, stderr: "--environment"},
		{name: "bad auth variable", scenario: cmdScenario, profile: true, env: map[string]string{"DRSETUP_AUTH": "oauth"}, args: []string{"doctor"}, want: 2, stderr: "DRSETUP_AUTH"},
		{name: "unknown event type", scenario: cmdScenario, profile: true, args: []string{"doctor", "--events", "order.accepted,order.shipped"}, want: 2, stderr: "order.shipped"},
		{name: "a Client ID too long to be one", scenario: cmdScenario, profile: true, args: []string{"doctor", "--client-id", "3MVG9" + strings.Repeat("x", 300)}, want: 2, stderr: "--client-id: is 305 bytes long"},
		{name: "a Client ID with a terminal escape", scenario: cmdScenario, profile: true, env: map[string]string{"DRSETUP_CLIENT_ID": "3MVG9\x1b]0;owned\x07"}, args: []string{"doctor"}, want: 2, stderr: "DRSETUP_CLIENT_ID: holds control characters"},
		{name: "a username that is not text", scenario: cmdScenario, profile: true, args: []string{"doctor", "--username", "it@acme.com\xff"}, want: 2, stderr: "--username: holds bytes that are not text"},
		{name: "a My Domain with a line break", scenario: cmdScenario, env: map[string]string{"DRSETUP_MY_DOMAIN": "https://acme.my.salesforce.com\nx"}, args: []string{"doctor"}, want: 2, stderr: "DRSETUP_MY_DOMAIN: holds control characters"},
		{name: "an argument", scenario: cmdScenario, profile: true, args: []string{"doctor", "now"}, want: 2, help: true},
		{name: "a secret as a flag", scenario: cmdScenario, profile: true, args: []string{"doctor", "--password", "x"}, want: 2, help: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newCmdWorld(t, c.scenario())
			if c.profile {
				w.saveProfile("default")
			}
			maps := c.env
			for k, v := range maps {
				w.env[k] = v
			}
			r := w.exec(tty{}, c.args...).want(t, c.want)
			if !strings.Contains(r.errOut, c.stderr) {
				t.Errorf("stderr lacks %q:\n%s", c.stderr, r.errOut)
			}
			if c.want == 2 && r.out != "" {
				t.Errorf("usage error with a result on stdout: %q", r.out)
			}
			if strings.ContainsAny(r.errOut, "\x1b\x07") {
				t.Errorf("stderr repeats a control character: %q", r.errOut)
			}
			if got := strings.Contains(r.errOut, helpHint); got != c.help {
				t.Errorf("pointer to --help %v, want %v:\n%s", got, c.help, r.errOut)
			}
		})
	}
}

func TestDoctorNotesValuesClientCredentialsIgnore(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.saveProfile("default")
	w.env["DRSETUP_PASSWORD"] = "unused"
	r := w.exec(tty{}, "doctor", "--auth", "client-credentials", "--username", "someone@acme.example")
	if !strings.Contains(r.errOut, "Note: --username, DRSETUP_PASSWORD are ignored") {
		t.Errorf("no note on stderr:\n%s", r.errOut)
	}
	if strings.Contains(r.out, "Note:") {
		t.Error("the note went to stdout")
	}
	r = w.exec(tty{}, "doctor", "--username", "someone@acme.example")
	if strings.Contains(r.errOut, "Note:") {
		t.Errorf("a note with the password flow:\n%s", r.errOut)
	}
}

func TestDoctorDamagedProfileFails(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	path := w.store.Path("default")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte("{\"schemaVersion\": 1, \"myDomain\": tru"), 0o600)
	w.env["DRSETUP_DR_API_KEY"] = tKey
	r := w.exec(tty{}, "doctor", "--json").want(t, 1)
	var rep struct {
		OK      bool
		Profile *string
		Checks  []struct{ ID, Status, Summary string }
	}
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.OK || rep.Profile == nil || *rep.Profile != "default" {
		t.Errorf("ok %v, profile %v", rep.OK, rep.Profile)
	}
	if c := rep.Checks[0]; c.ID != "profile" || c.Status != "fail" || !strings.Contains(c.Summary, path) {
		t.Errorf("first check %+v, want profile failing with the file named", c)
	}
}

func TestDoctorStreams(t *testing.T) {
	w := newCmdWorld(t, staleScenario())
	w.saveProfile("default")

	t.Run("--json: one object on stdout, progress on a terminal's stderr", func(t *testing.T) {
		// Slow enough answers for the progress view to draw a frame.
		w.srv.SetFaults(emulator.Faults{Latency: map[string]time.Duration{"*": 200 * time.Millisecond}})
		defer w.srv.SetFaults(emulator.Faults{})
		r := w.exec(tty{stdout: false, stderr: true}, "doctor", "--json").want(t, 1)
		dec := json.NewDecoder(strings.NewReader(r.out))
		var v map[string]any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, r.out)
		}
		if _, err := dec.Token(); err != io.EOF {
			t.Errorf("more than one JSON value on stdout")
		}
		if v["ok"] != false || v["profile"] != "default" {
			t.Errorf("ok %v profile %v", v["ok"], v["profile"])
		}
		if !strings.Contains(r.errOut, "Checking the setup") {
			t.Errorf("no progress on stderr:\n%q", r.errOut)
		}
	})
	t.Run("piped: plain report, nothing on stderr", func(t *testing.T) {
		r := w.exec(tty{}, "doctor").want(t, 1)
		if strings.Contains(r.out, "\x1b") {
			t.Errorf("escape codes in piped output:\n%q", r.out)
		}
		flat := strings.Join(strings.Fields(r.out), " ")
		for _, s := range []string{
			`Not OK: 2 failed, 2 warnings, 17 passed. Checked profile "default"`, // the second warning: no order events in 7 days
			"fail Stored login settings (webhook 0b7c3a52): The stored login is out of date; the profile's works.",
			"pass Digital River, then fail login.salesforce.com, then pass acme.my.salesforce.com",
			"fail Stored login settings, webhook 0b7c3a52: The stored password and client secret differ from the profile's, which works",
			"To fix: Run drsetup setup",
		} {
			if !strings.Contains(flat, s) {
				t.Errorf("report lacks %q:\n%s", s, r.out)
			}
		}
		if r.errOut != "" {
			t.Errorf("stderr not empty when not a terminal: %q", r.errOut)
		}
	})
	t.Run("terminal: colour, unless --no-color", func(t *testing.T) {
		r := w.exec(tty{stdout: true, stderr: false}, "doctor").want(t, 1)
		if !strings.Contains(r.out, "Digital River") {
			t.Fatalf("no report:\n%s", r.out)
		}
		r = w.exec(tty{stdout: true}, "--no-color", "doctor").want(t, 1)
		if strings.Contains(r.out, "\x1b[3") || strings.Contains(r.out, "\x1b[9") {
			t.Errorf("colour with --no-color:\n%q", r.out)
		}
	})
}

// TestDoctorNoSecretAnywhere runs doctor the three ways in, each in every
// output form, with the debug log on, and looks for every secret, the ones
// stored at Digital River included, in stdout, stderr and the log.
func TestDoctorNoSecretAnywhere(t *testing.T) {
	for _, mode := range []string{"profile", "values", "key only"} {
		for _, form := range []struct {
			name string
			term tty
			args []string
		}{
			{"piped", tty{}, nil},
			{"json", tty{}, []string{"--json"}},
			{"terminal", tty{stdout: true, stderr: true}, nil},
		} {
			t.Run(mode+"/"+form.name, func(t *testing.T) {
				w := newCmdWorld(t, staleScenario())
				switch mode {
				case "profile":
					w.saveProfile("default")
				case "values":
					w.env = map[string]string{
						"DRSETUP_MY_DOMAIN": "https://" + tHost, "DRSETUP_CLIENT_ID": tClientID, "DRSETUP_USERNAME": tUsername,
						"DRSETUP_CLIENT_SECRET": tClientSecret, "DRSETUP_PASSWORD": tPassword, "DRSETUP_SECURITY_TOKEN": tToken,
						"DRSETUP_DR_API_KEY": tKey,
					}
				case "key only":
					w.env = map[string]string{"DRSETUP_DR_API_KEY": tKey}
				}
				logPath := filepath.Join(t.TempDir(), "trace.jsonl")
				args := append([]string{"--debug-log", logPath, "doctor"}, form.args...)
				r := w.exec(form.term, args...).want(t, 1)
				if !strings.Contains(r.log, `"kind":"check"`) || !strings.Contains(r.log, `"kind":"http"`) {
					t.Fatalf("the debug log lacks check or http lines:\n%s", r.log)
				}
				for name, text := range map[string]string{"stdout": r.out, "stderr": r.errOut, "debug log": r.log} {
					for _, s := range append(allSecrets, "Bearer ", "Authorization") {
						if strings.Contains(text, s) {
							t.Errorf("%s contains %q", name, s)
						}
					}
				}
			})
		}
	}
}
