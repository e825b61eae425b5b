package doctor

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// The healthy setup every test starts from: one production org with the
// package and the guide's connected app, its integration user, a live key
// and the webhook drsetup setup would register.
const (
	acmeHost     = "acme.my.salesforce.com"
	acmeEndpoint = "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
	clientID     = "3MVG9TEST.doctor.consumer.key"
	clientSecret = "CS-doctor-test-0001"
	username     = "integration@acme.example"
	password     = "Pass&word+1 %x"
	secToken     = "TOKEN123abc"
	liveKey      = "sk_live_Xk29ZqTestKey0001"
	hookID       = "0b7c3a52-1111-4000-8000-000000000001"
	otherHookID  = "0b7c3a52-2222-4000-8000-000000000002"
)

func acmeOrg() emulator.Org {
	return emulator.Org{
		MyDomain:         acmeHost,
		PackageInstalled: true,
		Apps:             []emulator.ConnectedApp{{Name: "Salesforce DigitalRiver Integration", ClientID: clientID, ClientSecret: clientSecret}},
		Users: []emulator.User{{
			Username: username, Password: password, SecurityToken: secToken,
			Active: true, Approved: true, ClassAccess: true,
		}},
	}
}

func acmeHook() emulator.Webhook {
	return emulator.Webhook{
		ID:            hookID,
		Address:       acmeEndpoint,
		Types:         slices.Clone(drapi.AppEvents),
		APIVersion:    "default",
		Enabled:       true,
		TransportType: "OAUTH",
		LiveMode:      true,
		OAuth: &emulator.OAuth{
			TokenEndPoint: sfcheck.ProductionTokenURL,
			UserName:      username,
			Password:      password + secToken,
			ClientID:      clientID,
			ClientSecret:  clientSecret,
			GrantType:     "password",
		},
	}
}

func healthyScenario() emulator.Scenario {
	return emulator.Scenario{
		Orgs: []emulator.Org{acmeOrg()},
		DigitalRiver: emulator.Account{
			Keys:     []emulator.Key{{Key: liveKey, CanWebhooks: true}},
			Webhooks: []emulator.Webhook{acmeHook()},
		},
	}
}

func healthyProfile() (*profile.Profile, *profile.Secrets) {
	return &profile.Profile{
			Name: "default",
			Values: profile.Values{
				field.Environment:   "production",
				field.TokenEndpoint: sfcheck.ProductionTokenURL,
				field.MyDomain:      "https://" + acmeHost,
				field.Auth:          "password",
				field.ClientID:      clientID,
				field.Username:      username,
				field.Events:        strings.Join(drapi.AppEvents, ","),
			},
			DRMode:    "live",
			WebhookID: hookID,
			LastSetup: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
		}, &profile.Secrets{
			field.ClientSecret: clientSecret, field.Password: password, field.SecurityToken: secToken, field.DRAPIKey: liveKey,
		}
}

// world is a started emulator and the client that reaches it.
type world struct {
	srv *emulator.Server
	hc  *http.Client
}

func start(t testing.TB, sc emulator.Scenario, wrap func(http.RoundTripper) http.RoundTripper) *world {
	t.Helper()
	w := emulatortest.New(t, sc, emulatortest.WithTransport(wrap))
	return &world{srv: w.Server, hc: w.HTTP}
}

// options builds the run's Options as the command does: the profile (nil
// for none) and its secrets under the variables in env.
func (w *world) options(p *profile.Profile, sec *profile.Secrets, env map[string]string) Options {
	set := profile.Resolve(profile.Inputs{
		Getenv:  func(k string) string { return env[k] },
		Profile: p,
		Secrets: sec,
	})
	return Options{
		Profile:      "default",
		Saved:        p,
		Settings:     set,
		Salesforce:   &sfcheck.Client{HTTP: w.hc},
		DigitalRiver: func(key string) (*drapi.Client, error) { return drapi.New(key, drapi.Options{HTTPClient: w.hc}) },
		Now:          func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
	}
}

func results(rep *Report, id ID) []Result {
	var out []Result
	for _, c := range rep.Checks {
		if c.ID == id {
			out = append(out, c)
		}
	}
	return out
}

// only returns the one result of id, failing the test if there is not
// exactly one.
func only(t *testing.T, rep *Report, id ID) Result {
	t.Helper()
	rs := results(rep, id)
	if len(rs) != 1 {
		t.Fatalf("%d results for %s, want 1:\n%s", len(rs), id, dump(rep))
	}
	return rs[0]
}

func dump(rep *Report) string {
	var b strings.Builder
	for _, c := range rep.Checks {
		b.WriteString(string(c.Status) + " " + string(c.ID) + " " + c.WebhookID + ": " + c.Summary)
		if c.Remedy != "" {
			b.WriteString(" → " + c.Remedy)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// rewrite answers requests whose host and path start match with a canned
// response, and passes the rest on: for answers the emulator does not give.
type rewrite struct {
	next        http.RoundTripper
	host, path  string
	status      int
	contentType string
	body        string
}

func (rw *rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Hostname() != rw.host || !strings.HasPrefix(req.URL.Path, rw.path) {
		return rw.next.RoundTrip(req)
	}
	return &http.Response{
		StatusCode: rw.status,
		Header:     http.Header{"Content-Type": {rw.contentType}},
		Body:       io.NopCloser(bytes.NewBufferString(rw.body)),
		Request:    req,
	}, nil
}

// inFlight counts the requests in flight at once, and the time spent in
// them all; and apart, the logins and probes in flight at once, which
// DESIGN.md bounds to a handful.
type inFlight struct {
	next http.RoundTripper

	mu        sync.Mutex
	now       int
	max       int
	total     int
	latency   time.Duration
	logins    int
	maxLogins int
}

func (f *inFlight) RoundTrip(req *http.Request) (*http.Response, error) {
	login := strings.HasPrefix(req.URL.Path, "/services/oauth2/token") || strings.HasPrefix(req.URL.Path, "/services/apexrest/")
	f.mu.Lock()
	f.now++
	f.total++
	f.max = max(f.max, f.now)
	if login {
		f.logins++
		f.maxLogins = max(f.maxLogins, f.logins)
	}
	f.mu.Unlock()
	start := time.Now()
	resp, err := f.next.RoundTrip(req)
	f.mu.Lock()
	f.now--
	if login {
		f.logins--
	}
	f.latency += time.Since(start)
	f.mu.Unlock()
	return resp, err
}

func diagnose(t testing.TB, o Options) *Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return Run(ctx, o)
}
