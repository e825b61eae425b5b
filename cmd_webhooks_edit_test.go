package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/sfcheck"
)

// the id of cmdScenario's second webhook, which emulator derives.
func erpID(t *testing.T, w *cmdWorld) string {
	t.Helper()
	for _, h := range w.srv.Webhooks("live") {
		if h.ID != tHookID {
			return h.ID
		}
	}
	t.Fatal("no second webhook")
	return ""
}

func TestWebhooksGetShowsEveryFieldSecretsMasked(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.env["DRSETUP_DR_API_KEY"] = tKey
	w.saveProfile("default")

	r := w.exec(tty{}, "webhooks", "get", tHookID).want(t, 0)
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimRight(r.out, "\n"), "\n") {
		k, v, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("piped, a line is not key<TAB>value: %q", l)
		}
		got[k] = v
	}
	for k, v := range map[string]string{
		"id": tHookID, "address": tEndpoint, "enabled": "yes", "transportType": "OAUTH", "apiVersion": "default",
		"oauth.tokenEndPoint": sfcheck.ProductionTokenURL, "oauth.grantType": "password", "oauth.userName": tUsername,
		"oauth.password": "********", "oauth.clientID": tClientID, "oauth.clientSecret": "********", "mode": "live", "profiles": "default",
	} {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if !strings.HasPrefix(got["types"], "8: order.accepted, ") {
		t.Errorf("types %q", got["types"])
	}

	// The first 8 characters, as doctor's report names it; JSON.
	r = w.exec(tty{}, "webhooks", "get", tHookID[:8], "--json").want(t, 0)
	var v struct {
		ID       string
		OAuth    struct{ Password, ClientSecret, UserName string }
		Types    []string
		Profiles []string
	}
	if err := json.Unmarshal([]byte(r.out), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	if v.ID != tHookID || v.OAuth.Password != "********" || v.OAuth.ClientSecret != "********" || v.OAuth.UserName != tUsername || len(v.Types) != 8 || !slices.Equal(v.Profiles, []string{"default"}) {
		t.Errorf("JSON %+v", v)
	}

	// On a terminal: labels a person reads.
	r = w.exec(tty{stdout: true, stderr: true, width: 60}, "webhooks", "get", tHookID).want(t, 0)
	if !strings.Contains(r.out, "Client secret") || !strings.Contains(r.out, "Named by profiles  default") {
		t.Errorf("terminal:\n%s", r.out)
	}
	for _, out := range []string{r.out, r.errOut} {
		for _, s := range allSecrets {
			if strings.Contains(out, s) {
				t.Errorf("a secret %q is shown", s)
			}
		}
	}
}

func TestWebhooksGetOfAnIDThatIsNotThere(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.env["DRSETUP_DR_API_KEY"] = tKey
	typo := tHookID[:len(tHookID)-1] + "2"
	for _, c := range []struct {
		arg  string
		code int
		says []string
	}{
		{typo, 1, []string{"sees no webhook " + typo, "ids that look close: " + tHookID, "Test and live keys"}},
		{"0b7c3a53", 1, []string{"sees no webhook 0b7c3a53", "ids that look close: " + tHookID}},
		{"ffffffff-ffff-4fff-8fff-ffffffffffff", 1, []string{"drsetup webhooks list shows the 2 webhooks it sees"}},
		{"0b7c3a5", 2, []string{"is not a Digital River webhook id", "first 8 or more characters"}},
		{"acme-webhook", 2, []string{`"acme-webhook" is not a Digital River webhook id`}},
		{tKey, 2, []string{"sk_live_********", "keys are never arguments"}},
	} {
		r := w.exec(tty{}, "webhooks", "get", c.arg).want(t, c.code)
		for _, s := range c.says {
			if !strings.Contains(r.errOut, s) {
				t.Errorf("%s: stderr lacks %q:\n%s", c.arg, s, r.errOut)
			}
		}
		if strings.Contains(r.errOut, tKey) || r.out != "" {
			t.Errorf("%s: stdout %q, stderr %q", c.arg, r.out, r.errOut)
		}
	}
	// A start that two ids share asks for more of it.
	sc := cmdScenario()
	h := sc.DigitalRiver.Webhooks[0]
	h.ID = tHookID[:9] + "bbbb" + tHookID[13:]
	sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
	w = newCmdWorld(t, sc)
	w.env["DRSETUP_DR_API_KEY"] = tKey
	r := w.exec(tty{}, "webhooks", "get", tHookID[:8]).want(t, 1)
	if !strings.Contains(r.errOut, "2 webhooks of the live key sk_live_******** start with "+tHookID[:8]) || !strings.Contains(r.errOut, "give more of the id") {
		t.Errorf("stderr: %s", r.errOut)
	}
}

// A webhook's stored secrets are never shown by get, in any form, also
// when they were stored in a field that is no secret's (a password pasted
// into the username, the audience, the address).
func TestWebhooksGetNeverShowsAStoredSecret(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for i := range 40 {
		pw, cs, basic := fmt.Sprintf("PW-%d-%x&+", i, rng.Uint64()), fmt.Sprintf("CS-%d-%x", i, rng.Uint64()), fmt.Sprintf("BA-%d-%x", i, rng.Uint64())
		sc := cmdScenario()
		h := &sc.DigitalRiver.Webhooks[0]
		h.OAuth.Password, h.OAuth.ClientSecret = pw, cs
		leak := []string{pw, cs}[rng.IntN(2)]
		switch rng.IntN(4) {
		case 0:
			h.OAuth.UserName = leak
		case 1:
			h.OAuth.ClientID = "3MVG9" + leak
		case 2:
			h.Address = tEndpoint + "?k=" + url.QueryEscape(leak)
		case 3:
			h.OAuth.TokenEndPoint = sfcheck.ProductionTokenURL + "?secret=" + leak
		}
		other := &sc.DigitalRiver.Webhooks[1]
		other.TransportType, other.Authentication = "HTTP", &emulator.BasicAuth{Username: "erp", Password: basic}
		w := newCmdWorld(t, sc)
		w.env["DRSETUP_DR_API_KEY"] = tKey
		for _, id := range []string{tHookID, erpID(t, w)} {
			for _, form := range []struct {
				term tty
				args []string
			}{{tty{}, nil}, {tty{}, []string{"--json"}}, {tty{stdout: true, stderr: true}, nil}} {
				r := w.exec(form.term, append([]string{"webhooks", "get", id}, form.args...)...).want(t, 0)
				for _, s := range []string{pw, cs, basic, tKey, url.QueryEscape(pw), url.QueryEscape(cs)} {
					if strings.Contains(r.out+r.errOut, s) {
						t.Fatalf("case %d, %v: %q is shown:\n%s", i, form.args, s, r.out)
					}
				}
			}
		}
	}
}

func TestWebhooksDeleteRemovesOnlyTheOnesNamed(t *testing.T) {
	sc := cmdScenario()
	for i := range 3 {
		h := sc.DigitalRiver.Webhooks[1]
		h.Address = fmt.Sprintf("https://erp%d.acme.example/hooks", i)
		sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
	}
	w := newCmdWorld(t, sc)
	w.env["DRSETUP_DR_API_KEY"] = tKey
	w.saveProfile("default")
	before := w.srv.Webhooks("live")
	victim := before[2].ID

	// Without a terminal and without --yes: nothing.
	r := w.exec(tty{}, "webhooks", "delete", victim).want(t, 2)
	if len(w.srv.Webhooks("live")) != len(before) || !strings.Contains(r.errOut, "add --yes") || !strings.Contains(r.errOut, "Webhook "+victim) {
		t.Fatalf("stderr: %s", r.errOut)
	}
	// An unknown id among them: nothing either.
	r = w.exec(tty{}, "webhooks", "delete", "--yes", victim, "ffffffff-ffff-4fff-8fff-ffffffffffff").want(t, 1)
	if len(w.srv.Webhooks("live")) != len(before) || !strings.Contains(r.errOut, "Nothing was deleted") {
		t.Fatalf("stderr: %s", r.errOut)
	}

	r = w.exec(tty{}, "webhooks", "delete", "--yes", victim).want(t, 0)
	after := w.srv.Webhooks("live")
	if len(after) != len(before)-1 || slices.ContainsFunc(after, func(h emulator.Webhook) bool { return h.ID == victim }) {
		t.Fatalf("%d webhooks before, %d after", len(before), len(after))
	}
	for _, h := range before {
		if h.ID != victim && !slices.ContainsFunc(after, func(x emulator.Webhook) bool { return x.ID == h.ID }) {
			t.Errorf("webhook %s went too", h.ID)
		}
	}
	if !strings.Contains(flat(r.errOut), "Deleted webhook "+victim+"; Digital River no longer has it.") {
		t.Errorf("stderr: %s", r.errOut)
	}
	if p, _ := w.store.Load("default"); p.WebhookID != tHookID {
		t.Errorf("a profile naming another webhook lost it: %q", p.WebhookID)
	}
}

func TestWebhooksDeleteOfTheProfilesWebhookOffersToForgetIt(t *testing.T) {
	for _, c := range []struct {
		name   string
		term   tty
		args   []string
		forget bool
	}{
		{"--yes forgets it", tty{}, []string{"--yes"}, true},
		{"asked, and kept", tty{stdin: true, stderr: true, input: "y\nn\n"}, nil, false},
		{"asked, and forgotten", tty{stdin: true, stderr: true, input: "y\n\n"}, nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newCmdWorld(t, cmdScenario())
			w.env["DRSETUP_DR_API_KEY"] = tKey
			w.saveProfile("default")
			r := w.exec(c.term, append([]string{"webhooks", "delete", tHookID}, c.args...)...).want(t, 0)
			if !strings.Contains(r.errOut, `named by profile "default"`) {
				t.Errorf("the profile is not named:\n%s", r.errOut)
			}
			if slices.ContainsFunc(w.srv.Webhooks("live"), func(h emulator.Webhook) bool { return h.ID == tHookID }) {
				t.Fatal("not deleted")
			}
			p, err := w.store.Load("default")
			if err != nil {
				t.Fatal(err)
			}
			if forgot := p.WebhookID == ""; forgot != c.forget {
				t.Errorf("forgotten %v, want %v:\n%s", forgot, c.forget, r.errOut)
			}
			if p.Get("my_domain") == "" {
				t.Error("forgetting the webhook lost the profile's values")
			}
		})
	}
}

func TestWebhooksDeleteAsksOnATerminal(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.env["DRSETUP_DR_API_KEY"] = tKey
	id := erpID(t, w)
	r := w.exec(tty{stdin: true, stderr: true, input: "n\n"}, "webhooks", "delete", id).want(t, 0)
	if !strings.Contains(r.errOut, "Delete this webhook? (y or n, Enter for no):") || !strings.Contains(r.errOut, "Nothing was deleted.") || len(w.srv.Webhooks("live")) != 2 {
		t.Fatalf("stderr: %s", r.errOut)
	}
	w.exec(tty{input: "y\n"}, "--accessible", "webhooks", "delete", id).want(t, 0)
	if len(w.srv.Webhooks("live")) != 1 {
		t.Fatal("--accessible through a pipe did not delete it")
	}
}

func TestWebhooksListAppOnly(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.env["DRSETUP_DR_API_KEY"] = tKey
	r := w.exec(tty{}, "webhooks", "list", "--app-only", "--json").want(t, 0)
	var rows []webhookRow
	if err := json.Unmarshal([]byte(r.out), &rows); err != nil || len(rows) != 1 || rows[0].ID != tHookID {
		t.Fatalf("rows %+v (%v)", rows, err)
	}
	sc := cmdScenario()
	sc.DigitalRiver.Webhooks = sc.DigitalRiver.Webhooks[1:]
	w = newCmdWorld(t, sc)
	w.env["DRSETUP_DR_API_KEY"] = tKey
	r = w.exec(tty{}, "webhooks", "list", "--app-only").want(t, 0)
	if r.out != "" || !strings.Contains(r.errOut, "None of the 1 webhooks") {
		t.Errorf("stdout %q stderr %q", r.out, r.errOut)
	}
}

// Whatever is typed as an id, get and delete either take it (a whole id or
// its first 8 or more characters, in lower case) or refuse it as bad usage
// naming the shape of an id, never a key in the clear.
func FuzzWebhookIDArg(f *testing.F) {
	for _, s := range []string{tHookID, tHookID[:8], strings.ToUpper(tHookID), "0b7c3a5", "acme", "", tKey, "0b7c3a52-", "0b7c3a52-1111-4000-8000-0000000000011", "\x1b[31m0b7c3a52"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		id, err := webhookIDArg(arg)
		if err != nil {
			var ue *usageError
			if !errors.As(err, &ue) || id != "" {
				t.Fatalf("%q: %v (%q), want a usage error", arg, err, id)
			}
			if strings.Contains(err.Error(), "\x1b") {
				t.Fatalf("%q: the message repeats a control character", arg)
			}
			if k := strings.TrimSpace(arg); strings.HasPrefix(k, "sk_") && len(k) > 12 && strings.Contains(err.Error(), k) {
				t.Fatalf("%q: the message repeats the key", arg)
			}
			return
		}
		if len(id) < minIDPrefix || len(id) > len(uuidShape) || id != strings.ToLower(id) || !strings.HasPrefix(uuidShape[:len(id)], strings.Map(func(r rune) rune {
			if r == '-' {
				return '-'
			}
			return 'x'
		}, id)) {
			t.Fatalf("%q taken as %q, which is not an id's start", arg, id)
		}
	})
}
