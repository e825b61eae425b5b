package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// demoLogin logs in through the TLS server as drsetup would, with Demo's app.
func demoLogin(t *testing.T, c *http.Client, tokenHost, username, password string) (int, map[string]string) {
	t.Helper()
	form := passwordForm(Demo.ClientID, Demo.ClientSecret, username, password).Encode()
	resp, body, err := send(t, t.Context(), c, "POST", "https://"+tokenHost+tokenPath, form, "Content-Type", "application/x-www-form-urlencoded")
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, decode[map[string]string](t, []byte(body))
}

func TestDemoValuesAndTraps(t *testing.T) {
	_, c := startServer(t, DemoScenario())
	pw := Demo.Password + Demo.SecurityToken
	probe := func(instanceURL, token string) int {
		resp, _, err := send(t, t.Context(), c, "GET", instanceURL+apexPath, "", "Authorization", "Bearer "+token)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode
	}
	listWith := func(key string) int {
		resp, _, err := send(t, t.Context(), c, "GET", "https://api.digitalriver.com/webhooks", "", "Authorization", "Bearer "+key)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode
	}

	t.Run("the happy path", func(t *testing.T) {
		status, got := demoLogin(t, c, loginHost, Demo.Username, pw)
		if status != http.StatusOK || got["instance_url"] != Demo.MyDomain {
			t.Fatalf("login: %d %v", status, got)
		}
		if code := probe(Demo.MyDomain, got["access_token"]); code != http.StatusMethodNotAllowed {
			t.Errorf("Apex probe: %d, want 405", code)
		}
		if code := listWith(Demo.DRKey); code != http.StatusOK {
			t.Errorf("listing with the test key: %d", code)
		}
	})
	t.Run("the Lightning URL is not the API", func(t *testing.T) {
		_, got := demoLogin(t, c, loginHost, Demo.Username, pw)
		if code := probe(Demo.LightningURL, got["access_token"]); code != http.StatusNotFound {
			t.Errorf("Apex at the Lightning host: %d, want 404", code)
		}
	})
	t.Run("the sandbox", func(t *testing.T) {
		status, got := demoLogin(t, c, testHost, Demo.SandboxUsername, pw)
		if status != http.StatusOK || got["instance_url"] != Demo.SandboxMyDomain {
			t.Errorf("sandbox login at test.salesforce.com: %d %v", status, got)
		}
	})
	refusals := []struct {
		name, host, username, password, wantDesc string
	}{
		{"a wrong password", loginHost, Demo.Username, "wrong" + Demo.SecurityToken, "authentication failure"},
		{"no security token", loginHost, Demo.Username, Demo.Password, "authentication failure"},
		{"Production with the sandbox user", loginHost, Demo.SandboxUsername, pw, "authentication failure"},
		{"the blocked org", loginHost, Demo.BlockedUsername, pw, "authentication failure"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			status, got := demoLogin(t, c, tt.host, tt.username, tt.password)
			if status != http.StatusBadRequest || got["error_description"] != tt.wantDesc {
				t.Errorf("%d %v, want %s", status, got, tt.wantDesc)
			}
		})
	}
	t.Run("client credentials fix the blocked org", func(t *testing.T) {
		form := clientCredentialsForm(Demo.ClientID, Demo.ClientSecret).Encode()
		resp, body, err := send(t, t.Context(), c, "POST", Demo.BlockedMyDomain+tokenPath, form, "Content-Type", "application/x-www-form-urlencoded")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%v %v %s", err, resp, body)
		}
		tok := decode[tokenResponse](t, []byte(body))
		if code := probe(Demo.BlockedMyDomain, tok.AccessToken); code != http.StatusMethodNotAllowed {
			t.Errorf("Apex probe with the Run As user: %d", code)
		}
	})
	t.Run("the org without the package", func(t *testing.T) {
		_, got := demoLogin(t, c, loginHost, Demo.NoPackageUsername, pw)
		if code := probe(Demo.NoPackageMyDomain, got["access_token"]); code != http.StatusNotFound {
			t.Errorf("Apex probe: %d, want 404", code)
		}
	})
	t.Run("the user without class access", func(t *testing.T) {
		_, got := demoLogin(t, c, loginHost, Demo.NoAccessUsername, pw)
		if code := probe(Demo.MyDomain, got["access_token"]); code != http.StatusForbidden {
			t.Errorf("Apex probe: %d, want 403", code)
		}
	})
	t.Run("the public key", func(t *testing.T) {
		if code := listWith(Demo.DRPublicKey); code != http.StatusUnauthorized {
			t.Errorf("%d, want 401", code)
		}
	})
	t.Run("the live key sees other webhooks", func(t *testing.T) {
		if code := listWith(Demo.DRLiveKey); code != http.StatusOK {
			t.Errorf("%d", code)
		}
	})
}

func TestDemoScenarioHasNoSalesforceWebhook(t *testing.T) {
	e := New(DemoScenario())
	for _, w := range e.Webhooks("") {
		if strings.Contains(w.Address, "/services/apexrest/") {
			t.Errorf("the setup demo already has a Salesforce webhook: %s", w.Address)
		}
	}
	if len(e.Webhooks(modeTest)) == 0 {
		t.Error("the setup demo has no unrelated webhooks to ignore")
	}
}

// TestDoctorDemoScenario replays each webhook's stored login, as doctor's
// key-only mode does, and checks each shows the problem it is there for.
func TestDoctorDemoScenario(t *testing.T) {
	srv, c := startServer(t, DoctorDemoScenario())
	hooks := srv.Webhooks(modeTest)

	replay := func(w Webhook) (int, tokenResponse) {
		form := passwordForm(w.OAuth.ClientID, w.OAuth.ClientSecret, w.OAuth.UserName, w.OAuth.Password).Encode()
		resp, body, err := send(t, t.Context(), c, "POST", w.OAuth.TokenEndPoint, form, "Content-Type", "application/x-www-form-urlencoded")
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, decode[tokenResponse](t, []byte(body))
	}
	byAddress := map[string][]Webhook{}
	var broken []string
	for _, w := range hooks {
		byAddress[w.Address] = append(byAddress[w.Address], w)
		if w.TransportType != transportOAuth {
			continue
		}
		u, _ := url.Parse(w.Address)
		status, tok := replay(w)
		switch {
		case status != http.StatusOK:
			broken = append(broken, "login:"+u.Host)
		case "https://"+u.Host != tok.InstanceURL:
			broken = append(broken, "address:"+u.Host)
		case len(w.Types) < len(salesforceEvents):
			broken = append(broken, "events:"+u.Host)
		}
	}
	want := []string{
		"address:initech.lightning.force.com",
		"events:" + demoHooli,
		"login:" + demoUmbrella,
		"login:" + demoGlobex,
	}
	slices.Sort(broken)
	slices.Sort(want)
	if !slices.Equal(broken, want) {
		t.Errorf("broken setups %v, want %v", broken, want)
	}
	var dups []string
	for address, ws := range byAddress {
		if len(ws) > 1 {
			dups = append(dups, address)
		}
	}
	if len(dups) != 1 || !strings.Contains(dups[0], demoWayneUAT) {
		t.Errorf("duplicates %v, want the wayne--uat pair", dups)
	}

	// The healthy one is Demo's own setup, so doctor with Demo's profile passes.
	healthy := hooks[0]
	if healthy.Address != Demo.MyDomain+apexPath || healthy.OAuth.UserName != Demo.Username {
		t.Errorf("first webhook %+v, want Demo's healthy setup", healthy)
	}
}

func TestTrapsNameTheirValues(t *testing.T) {
	traps := strings.Join(Demo.Traps(), "\n")
	for _, v := range []string{Demo.LightningURL, Demo.SandboxMyDomain, Demo.DRPublicKey, Demo.DRLiveKey, Demo.BlockedMyDomain, Demo.NoPackageMyDomain, Demo.NoAccessUsername} {
		if !strings.Contains(traps, v) {
			t.Errorf("no trap names %s", v)
		}
	}
}

func TestDemoScenariosAreFreshEachCall(t *testing.T) {
	a := DemoScenario()
	a.Orgs[0].Users[0].Password = "changed"
	a.DigitalRiver.Webhooks[0].Types[0] = "changed"
	b := DemoScenario()
	if b.Orgs[0].Users[0].Password != Demo.Password || b.DigitalRiver.Webhooks[0].Types[0] == "changed" {
		t.Error("DemoScenario shares memory between calls")
	}
	d := DoctorDemoScenario()
	d.DigitalRiver.Webhooks[0].Types[0] = "changed"
	if DoctorDemoScenario().DigitalRiver.Webhooks[0].Types[0] == "changed" || salesforceEvents[0] != "order.accepted" {
		t.Error("DoctorDemoScenario shares memory between calls")
	}
}
