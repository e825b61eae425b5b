package doctor

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// checkCase changes the healthy setup in one way and names the verdict one
// check must reach.
type checkCase struct {
	name     string
	id       ID
	want     Status
	scenario func(*emulator.Scenario)
	setup    func(*profile.Profile, *profile.Secrets) // the saved profile and its keyring secrets
	keyOnly  bool                                     // no profile, only DRSETUP_DR_API_KEY
	env      map[string]string
	opts     func(*testing.T, *Options)
	wrap     func(http.RoundTripper) http.RoundTripper
	webhook  string   // the webhook whose check is meant, when several are examined
	says     []string // in the summary or remedy
}

func TestChecks(t *testing.T) {
	lightning := func(sc *emulator.Scenario) {
		sc.DigitalRiver.Webhooks[0].Address = "https://acme.lightning.force.com/services/apexrest/digitalriverv3/webhooks/"
	}
	stale := func(sc *emulator.Scenario) {
		sc.DigitalRiver.Webhooks[0].OAuth.Password = "Old&Pass+0" + secToken
	}
	addHook := func(enabled bool) func(*emulator.Scenario) {
		return func(sc *emulator.Scenario) {
			h := acmeHook()
			h.ID, h.Enabled = otherHookID, enabled
			sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
		}
	}
	sandboxOrg := func(sc *emulator.Scenario) {
		o := acmeOrg()
		o.MyDomain, o.Sandbox = "acme--uat.sandbox.my.salesforce.com", true
		o.Users[0].Username = "integration@acme.example.uat"
		sc.Orgs = append(sc.Orgs, o)
	}
	clientCredentials := func(sc *emulator.Scenario) {
		sc.Orgs[0].Apps[0].ClientCredentials = true
		sc.Orgs[0].Apps[0].RunAsUser = username
		o := sc.DigitalRiver.Webhooks[0].OAuth
		o.GrantType, o.UserName, o.Password = "client_credentials", "", ""
		o.TokenEndPoint = "https://" + acmeHost + "/services/oauth2/token"
	}
	ccProfile := func(p *profile.Profile, s *profile.Secrets) {
		p.Set(field.Auth, "client-credentials")
		p.Set(field.Username, "")
		p.Set(field.TokenEndpoint, "https://"+acmeHost+"/services/oauth2/token")
		delete(*s, field.Password)
		delete(*s, field.SecurityToken)
	}

	cases := []checkCase{
		// profile
		{name: "saved profile", id: CheckProfile, want: Pass, says: []string{`Profile "default"`}},
		{name: "profile without its webhook", id: CheckProfile, want: Warn,
			setup: func(p *profile.Profile, _ *profile.Secrets) { p.WebhookID = "" }, says: []string{"lacks the webhook ID", "drsetup setup"}},
		{name: "damaged profile file", id: CheckProfile, want: Fail, opts: damagedProfile, says: []string{"default.json", "damaged"}},
		{name: "no profile", id: CheckProfile, want: Skip, keyOnly: true, says: []string{`no saved profile named "default"`}},

		// keyring
		{name: "secrets in the keyring", id: CheckKeyring, want: Pass, says: []string{"keyring holds"}},
		{name: "keyring locked", id: CheckKeyring, want: Warn, opts: lockedKeyring, says: []string{"the keyring is locked", "goes on"}},
		{name: "password missing from the keyring", id: CheckKeyring, want: Warn,
			setup: func(_ *profile.Profile, s *profile.Secrets) { delete(*s, field.Password) }, says: []string{"Missing: Password"}},
		{name: "no profile, no keyring", id: CheckKeyring, want: Skip, keyOnly: true},

		// my_domain
		{name: "My Domain", id: CheckMyDomain, want: Pass, says: []string{acmeEndpoint}},
		{name: "pre-enhanced sandbox My Domain", id: CheckMyDomain, want: Warn,
			setup: func(p *profile.Profile, _ *profile.Secrets) {
				p.Set(field.MyDomain, "https://acme--uat.my.salesforce.com")
			}, says: []string{"before enhanced domains"}},
		{name: "Lightning URL as My Domain", id: CheckMyDomain, want: Fail,
			setup: func(p *profile.Profile, _ *profile.Secrets) {
				p.Set(field.MyDomain, "https://acme.lightning.force.com/lightning/page/home")
			},
			says: []string{"Lightning", "https://acme.my.salesforce.com"}},
		{name: "no My Domain", id: CheckMyDomain, want: Fail, setup: func(p *profile.Profile, _ *profile.Secrets) { p.Set(field.MyDomain, "") }},
		{name: "key only: no My Domain to check", id: CheckMyDomain, want: Skip, keyOnly: true},

		// token_endpoint
		{name: "production token endpoint", id: CheckTokenEndpoint, want: Pass, says: []string{sfcheck.ProductionTokenURL}},
		{name: "token endpoint outside Salesforce", id: CheckTokenEndpoint, want: Warn,
			setup: func(p *profile.Profile, _ *profile.Secrets) {
				p.Set(field.TokenEndpoint, "https://login.example.test/services/oauth2/token")
			},
			opts: func(_ *testing.T, o *Options) { o.AllowAnyHost = true }, says: []string{"--allow-any-host"}},
		{name: "sandbox sent to login.salesforce.com", id: CheckTokenEndpoint, want: Fail, scenario: sandboxOrg,
			setup: func(p *profile.Profile, _ *profile.Secrets) {
				p.Set(field.MyDomain, "https://acme--uat.sandbox.my.salesforce.com")
			},
			says: []string{"sandbox", sfcheck.SandboxTokenURL}},
		{name: "token endpoint on the Lightning host", id: CheckTokenEndpoint, want: Fail,
			setup: func(p *profile.Profile, _ *profile.Secrets) {
				p.Set(field.TokenEndpoint, "https://acme.lightning.force.com/services/oauth2/token")
			},
			says: []string{"https://acme.my.salesforce.com/services/oauth2/token"}},

		// sf_login
		{name: "login", id: CheckSFLogin, want: Pass, says: []string{"accepted the login of " + username}},
		{name: "identity unreadable after login", id: CheckSFLogin, want: Warn,
			wrap: func(rt http.RoundTripper) http.RoundTripper {
				return &rewrite{next: rt, host: "login.salesforce.com", path: "/id/", status: 503, contentType: "text/html", body: "<html><title>Maintenance</title></html>"}
			},
			says: []string{"could not be read", "Maintenance"}},
		{name: "wrong password, the webhook's works", id: CheckSFLogin, want: Warn,
			setup: func(_ *profile.Profile, s *profile.Secrets) { s.Set(field.Password, "Wrong&pass") },
			says:  []string{"invalid_grant", "works (dr_login_replay)", "password is out of date, not the webhook's", "it updates the profile"}},
		{name: "wrong password, the webhook's too", id: CheckSFLogin, want: Fail, scenario: stale,
			setup: func(_ *profile.Profile, s *profile.Secrets) { s.Set(field.Password, "Wrong&pass") }, says: []string{"invalid_grant", "Login History", "fails too"}},
		{name: "wrong password, the webhook's the same", id: CheckSFLogin, want: Fail,
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks[0].OAuth.Password = "Wrong&pass" + secToken },
			setup:    func(_ *profile.Profile, s *profile.Secrets) { s.Set(field.Password, "Wrong&pass") }, says: []string{"invalid_grant", "Login History"}},
		{name: "deactivated user", id: CheckSFLogin, want: Fail,
			scenario: func(sc *emulator.Scenario) { sc.Orgs[0].Users[0].Active = false }, says: []string{"deactivated"}},
		{name: "no password to log in with", id: CheckSFLogin, want: Skip,
			setup: func(_ *profile.Profile, s *profile.Secrets) { s.Set(field.Password, "") }, says: []string{"the password is not available", "DRSETUP_PASSWORD"}},

		// instance_url
		{name: "instance is the My Domain", id: CheckInstanceURL, want: Pass},
		{name: "org ID changed since setup", id: CheckInstanceURL, want: Warn,
			setup: func(p *profile.Profile, _ *profile.Secrets) { p.OrgID = "00D000000000001AAA" }, says: []string{"00D000000000001AAA", "refreshed"}},
		{name: "login reaches another org", id: CheckInstanceURL, want: Fail,
			setup: func(p *profile.Profile, _ *profile.Secrets) {
				p.Set(field.MyDomain, "https://initech.my.salesforce.com")
			},
			says: []string{"acme.my.salesforce.com", "initech.my.salesforce.com"}},

		// apex_endpoint
		{name: "endpoint answers 405", id: CheckApexEndpoint, want: Pass, says: []string{"405"}},
		{name: "endpoint answers a GET", id: CheckApexEndpoint, want: Warn,
			wrap: func(rt http.RoundTripper) http.RoundTripper {
				return &rewrite{next: rt, host: acmeHost, path: "/services/apexrest/", status: 200, contentType: "application/json", body: "{}"}
			},
			says: []string{"200"}},
		{name: "package not installed", id: CheckApexEndpoint, want: Fail,
			scenario: func(sc *emulator.Scenario) { sc.Orgs[0].PackageInstalled = false }, says: []string{"Installed Packages"}},
		{name: "no Apex class access", id: CheckApexEndpoint, want: Fail,
			scenario: func(sc *emulator.Scenario) { sc.Orgs[0].Users[0].ClassAccess = false }, says: []string{"DigitalRiver Connector - Integration"}},

		// dr_api_key
		{name: "live key", id: CheckDRAPIKey, want: Pass, says: []string{"sk_live_********", "1 webhook"}},
		{name: "key of another mode than the profile's", id: CheckDRAPIKey, want: Warn,
			setup: func(p *profile.Profile, _ *profile.Secrets) { p.DRMode = "test" }, says: []string{"test key"}},
		{name: "test key with a production org", id: CheckDRAPIKey, want: Warn,
			scenario: func(sc *emulator.Scenario) {
				sc.DigitalRiver.Keys = append(sc.DigitalRiver.Keys, emulator.Key{Key: "sk_test_doctortestkey0002", CanWebhooks: true})
			},
			setup: func(p *profile.Profile, s *profile.Secrets) {
				p.DRMode = "test"
				s.Set(field.DRAPIKey, "sk_test_doctortestkey0002")
			},
			says: []string{"production org"}},
		{name: "unknown key", id: CheckDRAPIKey, want: Fail,
			setup: func(_ *profile.Profile, s *profile.Secrets) { s.Set(field.DRAPIKey, "sk_live_revokedkey0009") }, says: []string{"did not accept the API key", "API keys"}},
		{name: "public key", id: CheckDRAPIKey, want: Fail,
			setup: func(_ *profile.Profile, s *profile.Secrets) { s.Set(field.DRAPIKey, "pk_live_Zz81qPublicKey0001") }, says: []string{"public key"}},
		{name: "restricted key", id: CheckDRAPIKey, want: Fail,
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Keys[0].CanWebhooks = false }, says: []string{"restricted key"}},
		{name: "no key", id: CheckDRAPIKey, want: Skip, setup: func(_ *profile.Profile, s *profile.Secrets) { s.Set(field.DRAPIKey, "") }},

		// webhook_exists
		{name: "the org's webhook", id: CheckWebhookExists, want: Pass, says: []string{hookID}},
		{name: "registered webhook gone, another in use", id: CheckWebhookExists, want: Warn,
			setup: func(p *profile.Profile, _ *profile.Secrets) { p.WebhookID = otherHookID }, says: []string{otherHookID, "is gone"}},
		{name: "no webhook for the org", id: CheckWebhookExists, want: Fail,
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks = nil }, says: []string{acmeEndpoint, "drsetup setup"}},
		{name: "key only: app webhooks", id: CheckWebhookExists, want: Pass, keyOnly: true, says: []string{"1 of the key's 1 webhooks"}},
		{name: "key only: no app webhook", id: CheckWebhookExists, want: Fail, keyOnly: true,
			scenario: func(sc *emulator.Scenario) {
				sc.DigitalRiver.Webhooks = []emulator.Webhook{{Address: "https://erp.acme.example/events", Types: []string{"order.complete"}, Enabled: true, LiveMode: true}}
			},
			says: []string{"None of the key's 1 webhook"}},

		// webhook_address
		{name: "address", id: CheckWebhookAddress, want: Pass},
		{name: "pre-enhanced sandbox host", id: CheckWebhookAddress, want: Warn, keyOnly: true,
			scenario: func(sc *emulator.Scenario) {
				sc.DigitalRiver.Webhooks[0].Address = "https://acme--uat.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
			},
			says: []string{"before enhanced domains"}},
		{name: "Lightning host", id: CheckWebhookAddress, want: Fail, scenario: lightning, says: []string{"Lightning", acmeEndpoint}},
		{name: "older namespace", id: CheckWebhookAddress, want: Fail,
			scenario: func(sc *emulator.Scenario) {
				sc.DigitalRiver.Webhooks[0].Address = "https://acme.my.salesforce.com/services/apexrest/digitalriverv2/webhooks/"
			},
			says: []string{"digitalriverv2", acmeEndpoint}},

		// webhook_enabled (a webhook is on or off: no warning)
		{name: "enabled", id: CheckWebhookEnabled, want: Pass},
		{name: "disabled", id: CheckWebhookEnabled, want: Fail,
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks[0].Enabled = false }, says: []string{"disabled", "Enable"}},

		// webhook_transport
		{name: "client credentials", id: CheckWebhookTransport, want: Pass, scenario: clientCredentials, setup: ccProfile},
		{name: "username-password flow", id: CheckWebhookTransport, want: Warn, says: []string{"2027-02-20", "--auth client-credentials"}},
		{name: "HTTP transport", id: CheckWebhookTransport, want: Fail,
			scenario: func(sc *emulator.Scenario) {
				sc.DigitalRiver.Webhooks[0].TransportType, sc.DigitalRiver.Webhooks[0].OAuth = "HTTP", nil
			},
			says: []string{"HTTP", "401"}},

		// webhook_oauth
		{name: "stored login matches the profile", id: CheckWebhookOAuth, want: Pass, says: []string{"compared without being shown"}},
		{name: "stored password not comparable", id: CheckWebhookOAuth, want: Warn,
			setup: func(_ *profile.Profile, s *profile.Secrets) { s.Set(field.Password, "") }, says: []string{"Not compared", "the password"}},
		{name: "stale password at Digital River", id: CheckWebhookOAuth, want: Fail, scenario: stale,
			says: []string{"The stored password differs from the profile's, which works", "Digital River's login fails", "drsetup setup", "doctor --fix"}},
		{name: "stale password in the profile", id: CheckWebhookOAuth, want: Warn,
			setup: func(_ *profile.Profile, s *profile.Secrets) { s.Set(field.Password, "Wrong&pass") },
			says:  []string{"The profile's password differs from the stored one, which works", "deliveries work", "update the profile", "needs no change"}},
		{name: "stored client ID differs", id: CheckWebhookOAuth, want: Fail,
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks[0].OAuth.ClientID = "3MVG9OTHER" },
			says:     []string{"Client ID (Digital River has 3MVG9OTHER, the run " + clientID + ")", "which works"}},
		{name: "key only: sandbox webhook logs in at login.salesforce.com", id: CheckWebhookOAuth, want: Fail, keyOnly: true,
			scenario: func(sc *emulator.Scenario) {
				sc.DigitalRiver.Webhooks[0].Address = "https://acme--uat.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
			},
			says: []string{"sandbox", "https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token"}},

		// webhook_events
		{name: "all eight events", id: CheckWebhookEvents, want: Pass},
		{name: "an event the app does not handle", id: CheckWebhookEvents, want: Warn,
			scenario: func(sc *emulator.Scenario) {
				sc.DigitalRiver.Webhooks[0].Types = append(sc.DigitalRiver.Webhooks[0].Types, "order.refunded")
			},
			says: []string{"order.refunded", "emails the admin"}},
		{name: "events left out as the profile says", id: CheckWebhookEvents, want: Warn,
			scenario: func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks[0].Types = sc.DigitalRiver.Webhooks[0].Types[:6] },
			setup: func(p *profile.Profile, _ *profile.Secrets) {
				p.Set(field.Events, strings.Join(p.List(field.Events)[:6], ","))
			},
			says: []string{"Left out", "order.invoice.created"}},
		{name: "missing events", id: CheckWebhookEvents, want: Fail,
			scenario: func(sc *emulator.Scenario) {
				sc.DigitalRiver.Webhooks[0].Types = []string{"order.accepted", "order.complete", "order.pending_payment", "order.blocked"}
			},
			says: []string{"order.cancelled", "order.review_opened", "order.credit_memo.created", "order.invoice.created"}},

		// webhook_duplicates
		{name: "one webhook per org", id: CheckWebhookDuplicates, want: Pass},
		{name: "a disabled duplicate", id: CheckWebhookDuplicates, want: Warn, scenario: addHook(false), webhook: hookID, says: []string{otherHookID}},
		{name: "an enabled duplicate", id: CheckWebhookDuplicates, want: Fail, scenario: addHook(true), webhook: hookID, says: []string{otherHookID, "twice"}},
		{name: "key only: duplicate on the Lightning host", id: CheckWebhookDuplicates, want: Fail, keyOnly: true,
			scenario: func(sc *emulator.Scenario) {
				addHook(true)(sc)
				sc.DigitalRiver.Webhooks[1].Address = "https://acme.lightning.force.com/services/apexrest/digitalriverv3/webhooks/"
			},
			webhook: hookID, says: []string{otherHookID, acmeHost}},

		// dr_login_replay
		{name: "replayed login reaches the endpoint", id: CheckDRLoginReplay, want: Pass, says: []string{"sent once for both", "405"}},
		{name: "replay on the Lightning host probes the corrected address", id: CheckDRLoginReplay, want: Warn, scenario: lightning,
			says: []string{"not the org's API address", acmeEndpoint}},
		{name: "replay with a stale password", id: CheckDRLoginReplay, want: Fail, scenario: stale,
			says: []string{"invalid_grant", "the profile's works", "password is out of date", "doctor --fix"}},
		{name: "key only: replay in an org that blocks the flow", id: CheckDRLoginReplay, want: Fail, keyOnly: true,
			scenario: func(sc *emulator.Scenario) { sc.Orgs[0].UsernamePasswordBlocked = true },
			says:     []string{"invalid_grant", "Allow OAuth Username-Password Flows"}},
		{name: "key only: client credentials", id: CheckDRLoginReplay, want: Pass, keyOnly: true, scenario: clientCredentials,
			says: []string{"Run As user"}},
		{name: "no OAuth login to replay", id: CheckDRLoginReplay, want: Skip,
			scenario: func(sc *emulator.Scenario) {
				sc.DigitalRiver.Webhooks[0].TransportType, sc.DigitalRiver.Webhooks[0].OAuth = "HTTP", nil
			}},
	}

	for _, c := range cases {
		t.Run(string(c.id)+"/"+c.name, func(t *testing.T) {
			sc := healthyScenario()
			if c.scenario != nil {
				c.scenario(&sc)
			}
			w := start(t, sc, c.wrap)
			p, sec := healthyProfile()
			if c.setup != nil {
				c.setup(p, sec)
			}
			env := c.env
			if c.keyOnly {
				p, sec = nil, nil
				env = map[string]string{"DRSETUP_DR_API_KEY": liveKey}
			}
			o := w.options(p, sec, env)
			if c.opts != nil {
				c.opts(t, &o)
			}
			rep := diagnose(t, o)

			var got *Result
			for i, r := range rep.Checks {
				if r.ID == c.id && (c.webhook == "" || r.WebhookID == c.webhook) {
					got = &rep.Checks[i]
					break
				}
			}
			if got == nil {
				t.Fatalf("no %s result:\n%s", c.id, dump(rep))
			}
			if got.Status != c.want {
				t.Fatalf("%s is %s, want %s:\n%s", c.id, got.Status, c.want, dump(rep))
			}
			text := got.Summary + " " + got.Remedy
			for _, s := range c.says {
				if !strings.Contains(text, s) {
					t.Errorf("%s does not say %q:\n%s", c.id, s, text)
				}
			}
			if (got.Status == Warn || got.Status == Fail) && got.Remedy == "" {
				t.Errorf("%s %s has no remedy", c.id, got.Status)
			}
			if slices.Contains(webhookChecks, c.id) && got.Status != Skip && got.WebhookID == "" {
				t.Errorf("%s is about a webhook but names none", c.id)
			}
		})
	}
}

// damagedProfile makes the profile file unreadable, as a real Store reports
// it, and gives the run's values as variables instead.
func damagedProfile(t *testing.T, o *Options) {
	store := profile.NewStore(t.TempDir(), profile.MemoryKeyring())
	path := store.Path("default")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"schemaVersion": 1, "myDomain": `), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Load("default")
	if err == nil {
		t.Fatal("a damaged file loaded")
	}
	o.Saved, o.ProfileErr = nil, err
	o.Settings = profile.Resolve(profile.Inputs{Getenv: func(k string) string {
		return map[string]string{"DRSETUP_MY_DOMAIN": "https://" + acmeHost, "DRSETUP_DR_API_KEY": liveKey}[k]
	}})
}

// lockedKeyring is a profile whose secrets the keyring would not give.
func lockedKeyring(_ *testing.T, o *Options) {
	o.KeyringErr = &profile.KeyringError{Kind: profile.KindLocked, Op: profile.OpGet, User: "default/client_secret"}
	o.Settings = profile.Resolve(profile.Inputs{Profile: o.Saved})
}
