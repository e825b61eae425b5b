package doctor

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// TestVerdict pins what the run as a whole says: complete or not (and what
// was missing), ok or not, and for a login that differs between the profile
// and the webhook, which side is out of date.
func TestVerdict(t *testing.T) {
	wrongProfilePassword := func(_ *profile.Profile, s *profile.Secrets) { s.Set(field.Password, "Wrong&pass") }
	staleWebhook := func(sc *emulator.Scenario) { sc.DigitalRiver.Webhooks[0].OAuth.Password = "Old&Pass+0" + secToken }
	for _, c := range []struct {
		name       string
		scenario   func(*emulator.Scenario)
		setup      func(*profile.Profile, *profile.Secrets)
		values     map[string]string // no profile: these variables
		wantOK     bool
		wantMissed []field.Field
		want       map[ID]Status
		says       map[ID]string
	}{
		{name: "profile: everything works", wantOK: true,
			want: map[ID]Status{CheckSFLogin: Pass, CheckDRLoginReplay: Pass, CheckWebhookOAuth: Pass}},
		{name: "values: only a My Domain", values: map[string]string{"DRSETUP_MY_DOMAIN": "https://" + acmeHost},
			wantMissed: []field.Field{field.ClientID, field.ClientSecret, field.Username, field.Password, field.DRAPIKey},
			want:       map[ID]Status{CheckMyDomain: Pass, CheckSFLogin: Skip, CheckDRAPIKey: Skip},
			says: map[ID]string{CheckSFLogin: "give --client-id or DRSETUP_CLIENT_ID, DRSETUP_CLIENT_SECRET, --username or DRSETUP_USERNAME and DRSETUP_PASSWORD",
				CheckDRAPIKey: "DRSETUP_DR_API_KEY"}},
		{name: "profile: secrets missing from the keyring",
			setup: func(_ *profile.Profile, s *profile.Secrets) {
				delete(*s, field.ClientSecret)
				delete(*s, field.Password)
				delete(*s, field.DRAPIKey)
			},
			wantMissed: []field.Field{field.ClientSecret, field.Password, field.DRAPIKey},
			want:       map[ID]Status{CheckKeyring: Warn, CheckSFLogin: Skip, CheckDRAPIKey: Skip},
			says:       map[ID]string{CheckKeyring: "Missing: Client Secret (consumer secret) (DRSETUP_CLIENT_SECRET), Password (DRSETUP_PASSWORD) and Digital River secret API key (DRSETUP_DR_API_KEY)"}},
		{name: "profile: the Digital River key alone is missing",
			setup:      func(_ *profile.Profile, s *profile.Secrets) { delete(*s, field.DRAPIKey) },
			wantMissed: []field.Field{field.DRAPIKey},
			want:       map[ID]Status{CheckSFLogin: Pass, CheckDRAPIKey: Skip, CheckWebhookExists: Skip}},
		{name: "key only: complete without Salesforce values", values: map[string]string{"DRSETUP_DR_API_KEY": liveKey}, wantOK: true,
			want: map[ID]Status{CheckSFLogin: Skip, CheckDRLoginReplay: Pass}},
		{name: "stale profile: only Digital River's login works", setup: wrongProfilePassword, wantOK: true,
			want: map[ID]Status{CheckSFLogin: Warn, CheckDRLoginReplay: Pass, CheckWebhookOAuth: Warn, CheckApexEndpoint: Pass},
			says: map[ID]string{CheckSFLogin: "drsetup setup", CheckWebhookOAuth: "update the profile"}},
		{name: "stale webhook: only the profile's login works", scenario: staleWebhook,
			want: map[ID]Status{CheckSFLogin: Pass, CheckDRLoginReplay: Fail, CheckWebhookOAuth: Fail},
			says: map[ID]string{CheckDRLoginReplay: "drsetup doctor --fix", CheckWebhookOAuth: "store the working login in the webhook"}},
		{name: "both work, though they differ", wantOK: true,
			scenario: func(sc *emulator.Scenario) {
				sc.DigitalRiver.Webhooks[0].OAuth.TokenEndPoint = "https://" + acmeHost + "/services/oauth2/token"
			},
			want: map[ID]Status{CheckSFLogin: Pass, CheckDRLoginReplay: Pass, CheckWebhookOAuth: Pass},
			says: map[ID]string{CheckWebhookOAuth: "both logins work"}},
		{name: "neither works", scenario: staleWebhook, setup: wrongProfilePassword,
			want: map[ID]Status{CheckSFLogin: Fail, CheckDRLoginReplay: Fail, CheckWebhookOAuth: Fail},
			says: map[ID]string{CheckSFLogin: "invalid_grant", CheckDRLoginReplay: "invalid_grant", CheckWebhookOAuth: "refuses both"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := healthyScenario()
			if c.scenario != nil {
				c.scenario(&sc)
			}
			w := start(t, sc, nil)
			p, sec := healthyProfile()
			if c.setup != nil {
				c.setup(p, sec)
			}
			if c.values != nil {
				p, sec = nil, nil
			}
			rep := diagnose(t, w.options(p, sec, c.values))
			if rep.OK() != c.wantOK || rep.Incomplete() != (len(c.wantMissed) > 0) || !slices.Equal(rep.Missing, c.wantMissed) {
				t.Errorf("ok %v incomplete %v missing %v; want ok %v missing %v\n%s", rep.OK(), rep.Incomplete(), rep.Missing, c.wantOK, c.wantMissed, dump(rep))
			}
			for id, want := range c.want {
				if got := only(t, rep, id); got.Status != want {
					t.Errorf("%s is %s, want %s: %s", id, got.Status, want, got.Summary)
				}
			}
			for id, s := range c.says {
				if got := only(t, rep, id); !strings.Contains(got.Summary+" "+got.Remedy, s) {
					t.Errorf("%s does not say %q: %s → %s", id, s, got.Summary, got.Remedy)
				}
			}
			// No stale side costs more than one failed login.
			if n := w.srv.LoginAttempts(username); n > 2 {
				t.Errorf("%d logins of %s, want at most 2", n, username)
			}
		})
	}
}

// storedSets is a key whose n webhooks, on orgs of their own, all store a
// login of one user, each with another password; good says which of them
// store the user's real password.
func storedSets(n int, good func(i int) bool) emulator.Scenario {
	sc := healthyScenario()
	sc.DigitalRiver.Webhooks = nil
	for i := range n {
		h := acmeHook()
		h.ID = fmt.Sprintf("0b7c3a52-4444-4000-8000-%012d", i)
		if !good(i) {
			h.OAuth.Password = fmt.Sprintf("Stale-%d&pw", i) + secToken
		}
		sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
	}
	return sc
}

// failedLogins counts the token requests of each username that Salesforce
// refused, as the simulator received them.
func failedLogins(w *world) map[string]int {
	out := map[string]int{}
	for _, x := range w.srv.Received() {
		if x.GrantType == "password" && x.Status != 200 {
			out[strings.ToLower(x.Username)]++
		}
	}
	return out
}

func TestLockoutBudgetAcrossTwelveStoredSetsOfOneUser(t *testing.T) {
	for _, mode := range []string{"key-only", "profile"} {
		t.Run(mode, func(t *testing.T) {
			w := start(t, storedSets(12, func(int) bool { return false }), nil)
			p, sec := healthyProfile()
			env := map[string]string(nil)
			if mode == "key-only" {
				p, sec, env = nil, nil, map[string]string{"DRSETUP_DR_API_KEY": liveKey}
			} else {
				sec.Set(field.Password, "Wrong&pass")
			}
			rep := diagnose(t, w.options(p, sec, env))
			if n := failedLogins(w)[username]; n != maxFailedLogins {
				t.Fatalf("%d failed logins of %s, want %d:\n%s", n, username, maxFailedLogins, dump(rep))
			}
			var failed, skipped int
			for _, c := range results(rep, CheckDRLoginReplay) {
				switch {
				case c.Status == Fail:
					failed++
				case c.Status == Skip && c.Summary == budgetSkip:
					skipped++
				default:
					t.Errorf("replay of %s: %s %q", c.WebhookID, c.Status, c.Summary)
				}
			}
			tried := failed
			if mode == "profile" {
				tried++ // sf_login's own failed login shares the budget
			}
			if tried+skipped < 12 || skipped < 12-maxFailedLogins {
				t.Errorf("%d replays failed and %d were skipped for the budget", failed, skipped)
			}
			if !strings.Contains(budgetSkip, "locking the user out") {
				t.Errorf("the skip does not say why: %q", budgetSkip)
			}
		})
	}
}

// TestLockoutBudgetNeverExceeded runs doctor over random accounts (several
// users, each with webhooks storing the right password or one of several
// wrong ones, some webhooks sharing a login) and checks the rule for every
// user: never more than two refused token requests in a run, and a login
// is skipped only once its user's budget is spent.
func TestLockoutBudgetNeverExceeded(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 42))
			users := 1 + rnd.IntN(3)
			sc := healthyScenario()
			sc.DigitalRiver.Webhooks = nil
			for u := range users {
				if u > 0 {
					o := acmeOrg()
					o.MyDomain = fmt.Sprintf("org%d.my.salesforce.com", u)
					o.Users[0].Username = fmt.Sprintf("integration@org%d.example", u)
					sc.Orgs = append(sc.Orgs, o)
				}
			}
			n := 1 + rnd.IntN(25)
			for i := range n {
				org := sc.Orgs[rnd.IntN(users)]
				h := acmeHook()
				h.ID = fmt.Sprintf("0b7c3a52-5555-4000-8000-%012d", i)
				h.Address = "https://" + org.MyDomain + "/services/apexrest/digitalriverv3/webhooks/"
				h.OAuth.UserName = org.Users[0].Username
				if rnd.IntN(3) > 0 {
					h.OAuth.Password = fmt.Sprintf("Stale-%d&pw", rnd.IntN(4)) + secToken
				}
				sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
			}
			w := start(t, sc, nil)
			rep := diagnose(t, w.options(nil, nil, map[string]string{"DRSETUP_DR_API_KEY": liveKey}))
			failed := failedLogins(w)
			for user, n := range failed {
				if n > maxFailedLogins {
					t.Errorf("%d refused logins of %s", n, user)
				}
			}
			for _, c := range results(rep, CheckDRLoginReplay) {
				if c.Status != Skip {
					continue
				}
				user := ""
				for _, h := range sc.DigitalRiver.Webhooks {
					if h.ID == c.WebhookID {
						user = strings.ToLower(h.OAuth.UserName)
					}
				}
				if failed[user] < maxFailedLogins {
					t.Errorf("webhook %s skipped with only %d failed logins of %s: %s", c.WebhookID, failed[user], user, c.Summary)
				}
			}
		})
	}
}

func TestLoginOfClientCredentialsHasNoBudget(t *testing.T) {
	if budgetKey(sfcheck.Credentials{Flow: sfcheck.FlowClientCredentials, Username: "x@y"}) != "" {
		t.Error("a client credentials login counts against a user's lockout")
	}
	if budgetKey(sfcheck.Credentials{Flow: sfcheck.FlowPassword, Username: " Integration@Acme.example "}) != "integration@acme.example" {
		t.Error("usernames are not compared as Salesforce does")
	}
}
