package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const (
	acmeHost    = "acme.my.salesforce.com"
	uatHost     = "acme--uat.sandbox.my.salesforce.com"
	blockedHost = "globex.my.salesforce.com"
	nopkgHost   = "initech.my.salesforce.com"

	acmeClient = "acme-client"
	acmeSecret = "acme-secret"
	apiUser    = "api@acme.example"
	apiPass    = "p@ss&word+1 #%"
	apiToken   = "TOKEN1"

	testKey       = "sk_test_good0000"
	liveKey       = "sk_live_good0000"
	publicKey     = "pk_test_public00"
	restrictedKey = "sk_test_restricted"

	tokenPath = "/services/oauth2/token"
	apexPath  = "/services/apexrest/digitalriverv3/webhooks/"
)

func activeUser(name, password, token string) User {
	return User{Username: name, Password: password, SecurityToken: token, Active: true, Approved: true, ClassAccess: true}
}

// testScenario has one org per Salesforce situation the tests need.
func testScenario() Scenario {
	acmeApp := ConnectedApp{Name: "Salesforce DigitalRiver Integration", ClientID: acmeClient, ClientSecret: acmeSecret, AdminApprovedOnly: true}
	acme := Org{
		MyDomain:         acmeHost,
		PackageInstalled: true,
		Apps: []ConnectedApp{
			acmeApp,
			{ClientID: "cc-client", ClientSecret: "cc-secret", ClientCredentials: true, RunAsUser: apiUser},
			{ClientID: "cc-off", ClientSecret: "cc-off-secret", RunAsUser: apiUser},
			{ClientID: "cc-norunas", ClientSecret: "cc-norunas-secret", ClientCredentials: true},
			{ClientID: "cc-inactive", ClientSecret: "cc-inactive-secret", ClientCredentials: true, RunAsUser: "inactive@acme.example"},
			{ClientID: "cc-noclass", ClientSecret: "cc-noclass-secret", ClientCredentials: true, RunAsUser: "noclass@acme.example"},
		},
		Users: []User{
			activeUser(apiUser, apiPass, apiToken),
			func() User {
				u := activeUser("trusted@acme.example", "trusted-pw", "TOKEN2")
				u.TrustedIP = true
				return u
			}(),
			func() User { u := activeUser("iprestricted@acme.example", "pw", "T"); u.IPRestricted = true; return u }(),
			func() User { u := activeUser("unapproved@acme.example", "pw", "T"); u.Approved = false; return u }(),
			func() User { u := activeUser("inactive@acme.example", "pw", "T"); u.Active = false; return u }(),
			func() User { u := activeUser("noclass@acme.example", "pw", "T"); u.ClassAccess = false; return u }(),
		},
	}
	uat := Org{MyDomain: uatHost, Sandbox: true, PackageInstalled: true, Apps: []ConnectedApp{acmeApp},
		Users: []User{activeUser("api@acme.example.uat", apiPass, apiToken)}}
	blocked := Org{MyDomain: blockedHost, UsernamePasswordBlocked: true, PackageInstalled: true, Apps: []ConnectedApp{acmeApp},
		Users: []User{activeUser("api@globex.example", apiPass, apiToken)}}
	nopkg := Org{MyDomain: nopkgHost, Apps: []ConnectedApp{{ClientID: "initech-client", ClientSecret: "initech-secret"}},
		Users: []User{activeUser("api@initech.example", apiPass, apiToken)}}
	return Scenario{
		Orgs: []Org{acme, uat, blocked, nopkg},
		DigitalRiver: Account{Keys: []Key{
			{Key: testKey, CanWebhooks: true},
			{Key: liveKey, CanWebhooks: true},
			{Key: publicKey, CanWebhooks: true},
			{Key: restrictedKey},
		}},
	}
}

// call sends one request to h. rawURL is absolute: its host picks the
// simulated service. header is name, value pairs.
func call(t testing.TB, h http.Handler, method, rawURL, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, rawURL, r)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// login posts a token request as a form body to host.
func login(t testing.TB, h http.Handler, host string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	return call(t, h, http.MethodPost, "https://"+host+tokenPath, form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
}

func passwordForm(clientID, secret, username, password string) url.Values {
	return url.Values{"grant_type": {"password"}, "client_id": {clientID}, "client_secret": {secret}, "username": {username}, "password": {password}}
}

func clientCredentialsForm(clientID, secret string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}
}

// accessToken logs in as apiUser and returns the token.
func accessToken(t testing.TB, h http.Handler, host string, form url.Values) string {
	t.Helper()
	rec := login(t, h, host, form)
	if rec.Code != http.StatusOK {
		t.Fatalf("login at %s: status %d, body %s", host, rec.Code, rec.Body)
	}
	return decode[tokenResponse](t, rec.Body.Bytes()).AccessToken
}

func decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %T from %q: %v", v, b, err)
	}
	return v
}

// drCall sends a Digital River request with key as a Bearer token.
func drCall(t testing.TB, h http.Handler, key, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	return call(t, h, method, "https://"+drHost+path, body, "Authorization", "Bearer "+key, "Content-Type", "application/json")
}

// drErrorBody is Digital River's error shape as a client reads it.
type drErrorBody struct {
	Type   string
	Errors []struct{ Code, Parameter, Message string }
}

// oauthHook is a valid OAUTH webhook request body for address.
func oauthHook(address string) string {
	b, _ := json.Marshal(map[string]any{
		"address":       address,
		"types":         []string{"order.accepted", "order.complete"},
		"apiVersion":    "default",
		"enabled":       true,
		"transportType": "OAUTH",
		"oauth": map[string]string{
			"tokenEndPoint": "https://login.salesforce.com/services/oauth2/token",
			"userName":      apiUser,
			"password":      apiPass + apiToken,
			"clientID":      acmeClient,
			"clientSecret":  acmeSecret,
			"grantType":     "password",
		},
	})
	return string(b)
}
