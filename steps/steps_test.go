package steps

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
)

var demo = emulator.Demo

// demoSetup is a complete, valid setup for the demo's acme org.
func demoSetup() Setup {
	s := Defaults("default")
	s.MyDomain = demo.MyDomain
	s.ClientID = demo.ClientID
	s.ClientSecret = secret.Value(demo.ClientSecret)
	s.Username = demo.Username
	s.Password = secret.Value(demo.Password)
	s.SecurityToken = secret.Value(demo.SecurityToken)
	s.DRAPIKey = secret.Value(demo.DRKey)
	return s
}

type world struct {
	srv   *emulator.Server
	sv    *Services
	store *profile.Store
	kr    profile.Keyring
	dir   string
}

func newWorld(t *testing.T, sc emulator.Scenario) *world {
	t.Helper()
	w := emulatortest.New(t, sc)
	return &world{srv: w.Server, store: w.Store, kr: w.Keyring, dir: w.Dir,
		sv: &Services{SF: w.Salesforce(), DR: w.DigitalRiver(), Store: w.Store}}
}

// register runs the whole setup as the wizard and unattended mode do.
func (w *world) register(t *testing.T, s Setup) *Result {
	t.Helper()
	ctx := context.Background()
	if ps := Validate(s); Blocking(ps) {
		t.Fatalf("setup is invalid: %v", ps)
	}
	v, err := w.sv.VerifySalesforce(ctx, s)
	if err != nil {
		t.Fatalf("VerifySalesforce: %v", err)
	}
	if Blocking(v.Problems) {
		t.Fatalf("VerifySalesforce problems: %v", v.Problems)
	}
	kc, err := w.sv.CheckKey(ctx, s)
	if err != nil {
		t.Fatalf("CheckKey: %v", err)
	}
	res, err := w.sv.Register(ctx, s, kc.Plan, v)
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	return res
}

func (w *world) orgHooks(host string) []emulator.Webhook {
	var out []emulator.Webhook
	for _, h := range w.srv.Webhooks("test") {
		if strings.Contains(h.Address, host) && strings.Contains(h.Address, "/services/apexrest/") {
			out = append(out, h)
		}
	}
	return out
}

func TestStepsOmitTheUserForClientCredentials(t *testing.T) {
	s := Defaults("p")
	if !slices.Contains(s.Steps(), User) {
		t.Fatal("the password flow asks for the integration user")
	}
	if n, total := s.Numbered(MyDomain); n != 2 || total != 9 {
		t.Fatalf("My Domain is step %d of %d, want 2 of 9", n, total)
	}
	s.Auth = sfcheck.FlowClientCredentials
	if slices.Contains(s.Steps(), User) {
		t.Fatal("client credentials has no user step")
	}
	if _, total := s.Numbered(Review); total != 8 {
		t.Fatalf("client credentials has %d numbered steps, want 8", total)
	}
	if s.Next(ConnectedApp) != VerifySalesforce || s.Prev(VerifySalesforce) != ConnectedApp {
		t.Fatal("Next and Prev must skip the user step")
	}
}

func TestLightningURLIsCorrectedWithOneApply(t *testing.T) {
	s := demoSetup()
	s.MyDomain = "  HTTPS://acme.lightning.force.com/lightning/page/home "
	ps := Check(s, MyDomain)
	if !Blocking(ps) || ps[0].Suggestion != "https://acme.my.salesforce.com" {
		t.Fatalf("problems = %+v; want a blocking problem suggesting the My Domain", ps)
	}
	if !ps[0].Apply(&s) {
		t.Fatal("Apply should accept the suggestion")
	}
	if ps := Check(s, MyDomain); Blocking(ps) {
		t.Fatalf("after the correction: %v", ps)
	}
	if s.EndpointURL() != "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/" {
		t.Fatalf("endpoint %q", s.EndpointURL())
	}
}

func TestSandboxHostWithProductionIsFlaggedAndFixedByChoosingSandbox(t *testing.T) {
	s := demoSetup()
	s.MyDomain = demo.SandboxMyDomain
	s.Username = demo.SandboxUsername
	ps := Check(s, MyDomain)
	i := slices.IndexFunc(ps, func(p Problem) bool { return p.Target() == field.Environment })
	if i < 0 || !ps[i].Blocking || ps[i].Suggestion != "sandbox" {
		t.Fatalf("problems = %+v; want a blocking environment finding suggesting sandbox", ps)
	}
	ps[i].Apply(&s)
	if s.Token != TokenSandbox || s.TokenURL() != sfcheck.SandboxTokenURL {
		t.Fatalf("after the fix: token %q %q", s.Token, s.TokenURL())
	}
	if ps := Check(s, MyDomain); Blocking(ps) {
		t.Fatalf("still blocked: %v", ps)
	}
}

func TestClientCredentialsUsesTheMyDomainTokenEndpoint(t *testing.T) {
	s := demoSetup()
	s.Auth = sfcheck.FlowClientCredentials
	if got := s.TokenURL(); got != "https://acme.my.salesforce.com/services/oauth2/token" {
		t.Fatalf("TokenURL = %q", got)
	}
	if !s.UsesMyDomainTokenForFlow() {
		t.Fatal("the switch should be reported")
	}
	spec := s.Spec()
	if spec.OAuth.GrantType != drapi.GrantClientCredentials || spec.OAuth.UserName != "" || !spec.OAuth.Password.IsZero() {
		t.Fatalf("client-credentials oauth block = %#v", spec.OAuth)
	}
	if sec := s.Secrets(); !sec.Get(field.Password).IsZero() || !sec.Get(field.SecurityToken).IsZero() {
		t.Fatal("client credentials saves no password or token")
	}
}

func TestSpecJoinsPasswordAndToken(t *testing.T) {
	s := demoSetup()
	spec := s.Spec()
	if spec.OAuth.Password.Reveal() != demo.Password+demo.SecurityToken {
		t.Fatal("the webhook's password must be the password with the token appended")
	}
	if spec.TransportType != drapi.TransportOAuth || spec.OAuth.TokenEndPoint != sfcheck.ProductionTokenURL || !spec.Enabled {
		t.Fatalf("spec = %v", spec)
	}
	if !reflect.DeepEqual(spec.Types, drapi.AppEvents) {
		t.Fatalf("types = %v", spec.Types)
	}
}

func TestValidateListsEveryProblemOnce(t *testing.T) {
	s := Defaults("p")
	s.MyDomain = "https://acme.lightning.force.com"
	s.DRAPIKey = secret.Value(demo.DRPublicKey)
	ps := Validate(s)
	fields := map[Field]bool{}
	for _, p := range ps {
		if p.Blocking {
			fields[p.Field] = true
		}
	}
	for _, f := range []Field{field.MyDomain, field.ClientID, field.ClientSecret, field.Username, field.Password, field.DRAPIKey} {
		if !fields[f] {
			t.Errorf("Validate did not report %s: %v", f, ps)
		}
	}
	for _, p := range ps {
		if strings.Contains(p.String(), demo.DRPublicKey) {
			t.Errorf("a problem repeats the key: %q", p)
		}
	}
}

func TestSourceNamesFlagAndVariable(t *testing.T) {
	if got := field.MyDomain.Where(); got != "--my-domain or DRSETUP_MY_DOMAIN" {
		t.Fatalf("Source(my_domain) = %q", got)
	}
	if got := field.Password.Where(); got != "DRSETUP_PASSWORD" {
		t.Fatalf("Source(password) = %q: secrets are never flags", got)
	}
}

func TestFromSettingsRecognisesTokenEndpoints(t *testing.T) {
	cases := []struct {
		token, domain string
		want          TokenChoice
	}{
		{sfcheck.SandboxTokenURL, demo.SandboxMyDomain, TokenSandbox},
		{sfcheck.ProductionTokenURL, demo.MyDomain, TokenProduction},
		{"https://acme.my.salesforce.com/services/oauth2/token", demo.MyDomain, TokenMyDomain},
		{"https://login.example.gov/services/oauth2/token", demo.MyDomain, TokenCustom},
	}
	for _, c := range cases {
		var set profile.Settings
		set.Set(field.TokenEndpoint, c.token, profile.SourceFlag)
		set.Set(field.MyDomain, c.domain, profile.SourceFlag)
		s := FromSettings("p", set)
		if s.Token != c.want {
			t.Errorf("token endpoint %s: choice %q, want %q", c.token, s.Token, c.want)
		}
	}
}

// A mistyped environment is named however the token endpoint is given: a
// token endpoint that picks an environment must not overrule it unseen.
func TestAMistypedEnvironmentIsNamedBesideAnyTokenEndpoint(t *testing.T) {
	for _, token := range []string{"", sfcheck.ProductionTokenURL, sfcheck.SandboxTokenURL, "https://acme.my.salesforce.com/services/oauth2/token", "https://login.example.gov/services/oauth2/token"} {
		var set profile.Settings
		set.Set(field.Environment, "staging", profile.SourceFlag)
		set.Set(field.MyDomain, demo.MyDomain, profile.SourceFlag)
		if token != "" {
			set.Set(field.TokenEndpoint, token, profile.SourceFlag)
		}
		ps := Validate(FromSettings("p", set))
		if !slices.ContainsFunc(ps, func(p Problem) bool { return p.Field == field.Environment && p.Blocking }) {
			t.Errorf("token endpoint %q: no problem names the environment: %v", token, ps)
		}
	}
}

func TestHappyPathCreatesOneWebhookAndSavesAfterwards(t *testing.T) {
	w := newWorld(t, emulator.DemoScenario())
	s := demoSetup()
	before := len(w.srv.Webhooks("test"))
	res := w.register(t, s)
	if res.Action != drapi.ActionCreated || res.Webhook.ID == "" {
		t.Fatalf("result %+v", res)
	}
	hooks := w.orgHooks("acme.my.salesforce.com")
	if len(hooks) != 1 || len(w.srv.Webhooks("test")) != before+1 {
		t.Fatalf("want exactly one new webhook, have %d for acme", len(hooks))
	}
	h := hooks[0]
	if h.TransportType != "OAUTH" || h.OAuth.Password != demo.Password+demo.SecurityToken || h.OAuth.UserName != demo.Username {
		t.Fatalf("stored webhook %+v", h)
	}
	if w.srv.LoginAttempts(demo.Username) != 1 {
		t.Fatalf("%d login attempts, want exactly 1", w.srv.LoginAttempts(demo.Username))
	}
	p, err := w.store.Load("default")
	if err != nil {
		t.Fatal(err)
	}
	if p.WebhookID != res.Webhook.ID || p.Get(field.MyDomain) != demo.MyDomain || p.DRMode != "test" || p.OrgID == "" || p.OrgID != res.Salesforce.OrgID {
		t.Fatalf("saved profile %+v", p)
	}
	sec, err := w.store.LoadSecrets("default")
	if err != nil || sec.Get(field.DRAPIKey).Reveal() != demo.DRKey || sec.Get(field.Password).Reveal() != demo.Password {
		t.Fatalf("saved secrets wrong: %v", err)
	}
	if !res.SecretsSaved || res.ProfilePath == "" {
		t.Fatalf("result should say where it saved: %+v", res)
	}
	// Nothing secret in the profile directory.
	filepath.Walk(w.dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		for _, sec := range []string{demo.Password, demo.ClientSecret, demo.DRKey, demo.SecurityToken} {
			if strings.Contains(string(b), sec) {
				t.Errorf("%s holds a secret", path)
			}
		}
		return nil
	})

	// Running it again changes nothing and adds nothing.
	again := w.register(t, s)
	if again.Action != drapi.ActionUnchanged || again.Webhook.ID != res.Webhook.ID {
		t.Fatalf("rerun: %+v", again)
	}
	if n := len(w.orgHooks("acme.my.salesforce.com")); n != 1 {
		t.Fatalf("rerun left %d webhooks", n)
	}
}

func TestExistingWebhookOnLightningHostIsFixedNotDuplicated(t *testing.T) {
	sc := emulator.DemoScenario()
	sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, emulator.Webhook{
		Address: "https://acme.lightning.force.com/services/apexrest/digitalriverv3/webhooks",
		Types:   []string{"order.accepted"}, Enabled: true, TransportType: "OAUTH",
		OAuth: &emulator.OAuth{TokenEndPoint: sfcheck.ProductionTokenURL, UserName: demo.Username, Password: "old", ClientID: demo.ClientID, ClientSecret: demo.ClientSecret, GrantType: "password"},
	})
	w := newWorld(t, sc)
	res := w.register(t, demoSetup())
	if res.Action != drapi.ActionUpdated {
		t.Fatalf("action %q, want updated", res.Action)
	}
	var fields []string
	for _, c := range res.Changes {
		fields = append(fields, c.Field)
		if strings.Contains(c.From+c.To, "old") || strings.Contains(c.From+c.To, demo.Password) {
			t.Errorf("a change shows a secret: %v", c)
		}
	}
	for _, f := range []string{"address", "types", "oauth.password"} {
		if !slices.Contains(fields, f) {
			t.Errorf("changes %v lack %s", fields, f)
		}
	}
	hooks := w.orgHooks("acme.")
	if len(hooks) != 1 || hooks[0].Address != demoSetup().EndpointURL() {
		t.Fatalf("acme webhooks after the fix: %+v", hooks)
	}
}

func TestSwitchingToClientCredentialsUpdatesTheOAuthBlock(t *testing.T) {
	w := newWorld(t, emulator.DemoScenario())
	s := demoSetup()
	s.MyDomain = demo.BlockedMyDomain
	s.Username = demo.BlockedUsername
	// The blocked org refuses the password flow: exactly one attempt, and an
	// explanation that names the setting.
	_, err := w.sv.VerifySalesforce(context.Background(), s)
	var le *sfcheck.LoginError
	if !errors.As(err, &le) || !strings.Contains(explain.Of(le).Text(), "Allow OAuth Username-Password Flows") {
		t.Fatalf("blocked flow: %v", err)
	}
	if n := w.srv.LoginAttempts(demo.BlockedUsername); n != 1 {
		t.Fatalf("%d login attempts for a refused login, want 1", n)
	}
	s.Auth = sfcheck.FlowClientCredentials
	res := w.register(t, s)
	if res.Action != drapi.ActionCreated {
		t.Fatalf("action %q", res.Action)
	}
	hooks := w.orgHooks("globex.")
	if len(hooks) != 1 || hooks[0].OAuth.GrantType != "client_credentials" || hooks[0].OAuth.TokenEndPoint != "https://globex.my.salesforce.com/services/oauth2/token" || hooks[0].OAuth.UserName != "" {
		t.Fatalf("webhook %+v", hooks)
	}
}

func TestWrongClientSecretPointsAtTheSecret(t *testing.T) {
	w := newWorld(t, emulator.DemoScenario())
	s := demoSetup()
	s.ClientSecret = "wrong-secret-value"
	_, err := w.sv.VerifySalesforce(context.Background(), s)
	f := explain.Of(err)
	if f.Field != field.ClientSecret || f.Said == "" || f.Remedy == "" {
		t.Fatalf("failure %+v", f)
	}
	if strings.Contains(f.Meaning+f.Remedy+f.Said, "wrong-secret-value") {
		t.Fatal("the explanation repeats the secret")
	}
}

func TestPackageNotInstalledIsABlockingProblem(t *testing.T) {
	w := newWorld(t, emulator.DemoScenario())
	s := demoSetup()
	s.MyDomain = demo.NoPackageMyDomain
	s.Username = demo.NoPackageUsername
	v, err := w.sv.VerifySalesforce(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if v.Probe.Kind != sfcheck.ProbeNotInstalled || !Blocking(v.Problems) {
		t.Fatalf("probe %+v problems %v", v.Probe, v.Problems)
	}
}

func TestLostCreateIsAdoptedNotRepeated(t *testing.T) {
	w := newWorld(t, emulator.DemoScenario())
	w.srv.SetFaults(emulator.Faults{DropCreateResponse: 1})
	res := w.register(t, demoSetup())
	if res.Action != drapi.ActionCreated || !res.Adopted {
		t.Fatalf("result %+v; want created and adopted", res)
	}
	if n := len(w.orgHooks("acme.my.salesforce.com")); n != 1 {
		t.Fatalf("%d webhooks after a lost create, want 1", n)
	}
}

func TestDuplicatesAreReportedAndNothingWritten(t *testing.T) {
	sc := emulator.DemoScenario()
	hook := emulator.Webhook{Address: demoSetup().EndpointURL(), Types: drapi.AppEvents, Enabled: true}
	sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, hook, hook)
	w := newWorld(t, sc)
	_, err := w.sv.Plan(context.Background(), demoSetup())
	var de *drapi.DuplicatesError
	if !errors.As(err, &de) || len(de.Webhooks) != 2 {
		t.Fatalf("Plan = %v; want a DuplicatesError of 2", err)
	}
	if n := len(w.orgHooks("acme.my.salesforce.com")); n != 2 {
		t.Fatalf("%d webhooks; nothing should be written", n)
	}
}

func TestKeyringFailureStillRegistersAndSaysNotSaved(t *testing.T) {
	w := newWorld(t, emulator.DemoScenario())
	w.sv.Store = profile.NewStore(w.dir, failingKeyring{})
	res := w.register(t, demoSetup())
	if res.Action != drapi.ActionCreated || res.SecretsSaved || res.SecretsErr == nil {
		t.Fatalf("result %+v", res)
	}
	b, _ := json.Marshal(res)
	if !strings.Contains(string(b), `"secrets":"not-saved"`) {
		t.Fatalf("JSON %s", b)
	}
}

type failingKeyring struct{}

func (failingKeyring) Get(string) (string, error) { return "", errors.New("no keyring") }
func (failingKeyring) Set(string, string) error   { return errors.New("no keyring") }
func (failingKeyring) Delete(string) error        { return errors.New("no keyring") }

func TestResultJSONIsTheContractShape(t *testing.T) {
	r := Result{Profile: "default", Action: drapi.ActionCreated, SecretsSaved: true}
	r.Webhook = drapi.Webhook{ID: "w1", Address: "https://a/x/", Types: []string{"order.accepted"}, Enabled: true, TransportType: "OAUTH",
		OAuth: &drapi.OAuth{Password: "SECRET-PW", ClientSecret: "SECRET-CS"}}
	r.Salesforce.OrgID, r.Salesforce.UserID, r.Salesforce.InstanceURL = "00D", "005", "https://a"
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	want := map[string]any{
		"profile": "default", "action": "created", "secrets": "keyring",
		"webhook":    map[string]any{"id": "w1", "address": "https://a/x/", "types": []any{"order.accepted"}, "enabled": true, "transportType": "OAUTH"},
		"salesforce": map[string]any{"orgId": "00D", "userId": "005", "instanceUrl": "https://a"},
	}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("JSON %s\nwant %v", b, want)
	}
}

// Refused logins are counted per user, whatever the case of the name, and a
// verification of that user made before stops holding: the refusals since
// may have locked the user out.
func TestRefusedLoginsAreCountedAndEndAnEarlierVerification(t *testing.T) {
	x := NewSession(demoSetup())
	x.SetVerified(&Verified{}, x.Setup.LoginKey())
	if x.Verified() == nil {
		t.Fatal("a verification just made does not hold")
	}
	x.LoginRefused("someone-else@acme.example")
	if x.Verified() == nil || x.RefusedLogins(x.Setup.Username) != 0 {
		t.Fatal("another user's refusal ended this user's verification")
	}
	x.LoginRefused(strings.ToUpper(x.Setup.Username))
	if x.Verified() != nil {
		t.Error("a verification held after a refused login of its user")
	}
	x.LoginRefused(x.Setup.Username)
	if n := x.RefusedLogins(" " + x.Setup.Username); n != 2 {
		t.Errorf("refused logins = %d, want 2", n)
	}
	x.SetVerified(&Verified{}, x.Setup.LoginKey())
	x.Recheck()
	if x.Verified() != nil {
		t.Error("Recheck kept the verification")
	}
}

// A key check's plan is the webhook address's: another org, the same key,
// is checked again.
func TestAKeyCheckHoldsForItsKeyAndAddressOnly(t *testing.T) {
	x := NewSession(demoSetup())
	x.SetKeyChecked(&KeyCheck{}, x.Setup.DRAPIKey)
	if x.KeyChecked() == nil {
		t.Fatal("a key check just made does not hold")
	}
	x.Setup.SetValue(field.MyDomain, "https://globex.my.salesforce.com")
	if x.KeyChecked() != nil {
		t.Error("the key check held for another org's address")
	}
	x.Setup.SetValue(field.MyDomain, demoSetup().MyDomain)
	if x.KeyChecked() == nil {
		t.Error("back at the first org, the key check should hold again")
	}
	x.Setup.SetValue(field.DRAPIKey, "sk_test_another-key-0000")
	if x.KeyChecked() != nil {
		t.Error("the key check held for another key")
	}
}
