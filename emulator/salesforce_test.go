package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestTokenEndpointRefusals(t *testing.T) {
	e := New(testScenario())
	pw := apiPass + apiToken
	tests := []struct {
		name        string
		host        string
		method      string
		contentType string
		body        string
		wantError   string
		wantDesc    string
	}{
		{name: "GET is not a token request", host: loginHost, method: http.MethodGet,
			wantError: "invalid_request", wantDesc: "must use HTTP POST"},
		{name: "JSON body", host: loginHost, contentType: "application/json",
			body:      `{"grant_type":"password","client_id":"acme-client"}`,
			wantError: "unsupported_grant_type", wantDesc: "grant type not supported"},
		{name: "no body, parameters in the query string", host: loginHost + tokenPath + "?" + passwordForm(acmeClient, acmeSecret, apiUser, pw).Encode(),
			wantError: "unsupported_grant_type", wantDesc: "grant type not supported"},
		{name: "unknown grant type", host: loginHost, body: "grant_type=authorization_code&client_id=acme-client",
			wantError: "unsupported_grant_type", wantDesc: "grant type not supported"},
		{name: "unknown client id", host: loginHost, body: passwordForm("nope", acmeSecret, apiUser, pw).Encode(),
			wantError: "invalid_client_id", wantDesc: "client identifier invalid"},
		{name: "wrong client secret", host: loginHost, body: passwordForm(acmeClient, "wrong", apiUser, pw).Encode(),
			wantError: "invalid_client", wantDesc: "invalid client credentials"},
		{name: "unknown username", host: loginHost, body: passwordForm(acmeClient, acmeSecret, "nobody@acme.example", pw).Encode(),
			wantError: "invalid_grant", wantDesc: "authentication failure"},
		{name: "wrong password", host: loginHost, body: passwordForm(acmeClient, acmeSecret, apiUser, "wrong"+apiToken).Encode(),
			wantError: "invalid_grant", wantDesc: "authentication failure"},
		{name: "security token missing", host: loginHost, body: passwordForm(acmeClient, acmeSecret, apiUser, apiPass).Encode(),
			wantError: "invalid_grant", wantDesc: "authentication failure"},
		{name: "old security token", host: loginHost, body: passwordForm(acmeClient, acmeSecret, apiUser, apiPass+"OLDTOKEN").Encode(),
			wantError: "invalid_grant", wantDesc: "authentication failure"},
		{name: "username-password flow blocked", host: loginHost, body: passwordForm(acmeClient, acmeSecret, "api@globex.example", pw).Encode(),
			wantError: "invalid_grant", wantDesc: "authentication failure"},
		{name: "sandbox user at login.salesforce.com", host: loginHost, body: passwordForm(acmeClient, acmeSecret, "api@acme.example.uat", pw).Encode(),
			wantError: "invalid_grant", wantDesc: "authentication failure"},
		{name: "production user at test.salesforce.com", host: testHost, body: passwordForm(acmeClient, acmeSecret, apiUser, pw).Encode(),
			wantError: "invalid_grant", wantDesc: "authentication failure"},
		{name: "user of another org at a My Domain", host: uatHost, body: passwordForm(acmeClient, acmeSecret, apiUser, pw).Encode(),
			wantError: "invalid_grant", wantDesc: "authentication failure"},
		{name: "IP restricted", host: loginHost, body: passwordForm(acmeClient, acmeSecret, "iprestricted@acme.example", "pwT").Encode(),
			wantError: "invalid_grant", wantDesc: "ip restricted or invalid login hours"},
		{name: "user not approved for an admin-approved app", host: loginHost, body: passwordForm(acmeClient, acmeSecret, "unapproved@acme.example", "pwT").Encode(),
			wantError: "invalid_grant", wantDesc: "user hasn't approved this consumer"},
		{name: "inactive user", host: loginHost, body: passwordForm(acmeClient, acmeSecret, "inactive@acme.example", "pwT").Encode(),
			wantError: "invalid_grant", wantDesc: "inactive user"},
		{name: "app not installed in the user's org", host: loginHost, body: passwordForm("initech-client", "initech-secret", apiUser, pw).Encode(),
			wantError: "invalid_client_id", wantDesc: "client identifier invalid"},
		{name: "client credentials at login.salesforce.com", host: loginHost, body: clientCredentialsForm("cc-client", "cc-secret").Encode(),
			wantError: "invalid_grant", wantDesc: "request not supported on this domain"},
		{name: "client credentials at test.salesforce.com", host: testHost, body: clientCredentialsForm("cc-client", "cc-secret").Encode(),
			wantError: "invalid_grant", wantDesc: "request not supported on this domain"},
		{name: "client credentials not enabled", host: acmeHost, body: clientCredentialsForm("cc-off", "cc-off-secret").Encode(),
			wantError: "invalid_grant", wantDesc: "no client credentials user enabled"},
		{name: "client credentials without a Run As user", host: acmeHost, body: clientCredentialsForm("cc-norunas", "cc-norunas-secret").Encode(),
			wantError: "invalid_grant", wantDesc: "no client credentials user enabled"},
		{name: "client credentials with an inactive Run As user", host: acmeHost, body: clientCredentialsForm("cc-inactive", "cc-inactive-secret").Encode(),
			wantError: "invalid_grant", wantDesc: "inactive user"},
		{name: "client credentials with a wrong secret", host: acmeHost, body: clientCredentialsForm("cc-client", "wrong").Encode(),
			wantError: "invalid_client", wantDesc: "invalid client credentials"},
		{name: "client credentials for another org's app", host: nopkgHost, body: clientCredentialsForm("cc-client", "cc-secret").Encode(),
			wantError: "invalid_client_id", wantDesc: "client identifier invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, contentType := tt.method, tt.contentType
			if method == "" {
				method = http.MethodPost
			}
			if contentType == "" {
				contentType = "application/x-www-form-urlencoded"
			}
			target := "https://" + tt.host
			if !strings.Contains(tt.host, "/") {
				target += tokenPath
			}
			rec := call(t, e, method, target, tt.body, "Content-Type", contentType)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400; body %s", rec.Code, rec.Body)
			}
			got := decode[map[string]string](t, rec.Body.Bytes())
			if got["error"] != tt.wantError || got["error_description"] != tt.wantDesc {
				t.Errorf("answer = %s/%s, want %s/%s", got["error"], got["error_description"], tt.wantError, tt.wantDesc)
			}
			if len(got) != 2 {
				t.Errorf("answer has fields %v, want only error and error_description", got)
			}
		})
	}
}

func TestTokenEndpointSuccess(t *testing.T) {
	e := New(testScenario())
	acme, uat := e.orgs[0], e.orgs[1]
	tests := []struct {
		name      string
		host      string
		form      url.Values
		secret    string
		org       Org
		user      int
		wantScope string
	}{
		{"password grant at login.salesforce.com", loginHost, passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken), acmeSecret, acme, 0, ""},
		{"password grant at the org's My Domain", acmeHost, passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken), acmeSecret, acme, 0, ""},
		{"username is case-insensitive", loginHost, passwordForm(acmeClient, acmeSecret, "API@Acme.Example", apiPass+apiToken), acmeSecret, acme, 0, ""},
		{"sandbox user at test.salesforce.com", testHost, passwordForm(acmeClient, acmeSecret, "api@acme.example.uat", apiPass+apiToken), acmeSecret, uat, 0, ""},
		{"trusted IP without a token", loginHost, passwordForm(acmeClient, acmeSecret, "trusted@acme.example", "trusted-pw"), acmeSecret, acme, 1, ""},
		{"trusted IP with its token", loginHost, passwordForm(acmeClient, acmeSecret, "trusted@acme.example", "trusted-pwTOKEN2"), acmeSecret, acme, 1, ""},
		{"client credentials at the My Domain", acmeHost, clientCredentialsForm("cc-client", "cc-secret"), "cc-secret", acme, 0, "api"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := login(t, e, tt.host, tt.form)
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, body %s", rec.Code, rec.Body)
			}
			got := decode[map[string]string](t, rec.Body.Bytes())
			user := tt.org.Users[tt.user]
			wantID := "https://" + tt.host + "/id/" + tt.org.OrgID + "/" + user.UserID
			if !strings.HasPrefix(got["access_token"], tt.org.OrgID[:15]+"!") || len(got["access_token"]) < 40 {
				t.Errorf("access_token %q does not start with the 15-character org ID and '!'", got["access_token"])
			}
			if got["instance_url"] != "https://"+tt.org.MyDomain {
				t.Errorf("instance_url = %q, want https://%s", got["instance_url"], tt.org.MyDomain)
			}
			if got["id"] != wantID {
				t.Errorf("id = %q, want %q", got["id"], wantID)
			}
			if got["token_type"] != "Bearer" {
				t.Errorf("token_type = %q", got["token_type"])
			}
			if ms, err := strconv.ParseInt(got["issued_at"], 10, 64); err != nil || ms < 1e12 {
				t.Errorf("issued_at = %q, want milliseconds", got["issued_at"])
			}
			mac := hmac.New(sha256.New, []byte(tt.secret))
			mac.Write([]byte(got["id"] + got["issued_at"]))
			if got["signature"] != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
				t.Errorf("signature does not verify as HMAC-SHA256(secret, id+issued_at)")
			}
			if got["scope"] != tt.wantScope {
				t.Errorf("scope = %q, want %q", got["scope"], tt.wantScope)
			}
			if !strings.HasPrefix(tt.org.OrgID, "00D") || !strings.HasPrefix(user.UserID, "005") {
				t.Errorf("derived IDs %s/%s lack the 00D/005 key prefixes", tt.org.OrgID, user.UserID)
			}
		})
	}
}

func TestFifthWrongPasswordLocksTheUser(t *testing.T) {
	e := New(testScenario())
	wrong := passwordForm(acmeClient, acmeSecret, apiUser, "wrong")
	right := passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken)

	for range lockoutThreshold - 1 {
		login(t, e, loginHost, wrong)
	}
	if rec := login(t, e, loginHost, right); rec.Code != http.StatusOK {
		t.Fatalf("right password after 4 failures: status %d, want 200 (not yet locked)", rec.Code)
	}
	for range lockoutThreshold {
		login(t, e, loginHost, wrong)
	}
	rec := login(t, e, acmeHost, right)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "authentication failure") {
		t.Fatalf("right password after 5 failures: status %d %s, want authentication failure", rec.Code, rec.Body)
	}
	if got, want := e.LoginAttempts(apiUser), 2*lockoutThreshold+1; got != want {
		t.Errorf("LoginAttempts = %d, want %d", got, want)
	}
	if got := e.LoginAttempts("trusted@acme.example"); got != 0 {
		t.Errorf("LoginAttempts of another user = %d, want 0", got)
	}
}

func TestBlockedFlowDoesNotCountTowardLockout(t *testing.T) {
	e := New(testScenario())
	for range lockoutThreshold + 1 {
		login(t, e, loginHost, passwordForm(acmeClient, acmeSecret, "api@globex.example", apiPass+apiToken))
	}
	if got := e.failures["api@globex.example"]; got != 0 {
		t.Errorf("failures = %d, want 0", got)
	}
	rec := login(t, e, blockedHost, clientCredentialsForm(acmeClient, acmeSecret))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "no client credentials user enabled") {
		t.Errorf("client credentials on an app without the flow: %d %s", rec.Code, rec.Body)
	}
}

func TestReceivedNeverHoldsSecrets(t *testing.T) {
	e := New(testScenario())
	form := passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken)
	login(t, e, loginHost, form)
	call(t, e, http.MethodPost, "https://"+loginHost+tokenPath+"?"+form.Encode(), "")
	tok := accessToken(t, e, acmeHost, form)
	call(t, e, http.MethodGet, "https://"+acmeHost+apexPath, "", "Authorization", "Bearer "+tok)
	drCall(t, e, testKey, http.MethodGet, "/webhooks", "")

	dump := fmt.Sprintf("%+v", e.Received())
	for _, s := range []string{apiPass, url.QueryEscape(apiPass), apiToken, acmeSecret, tok, testKey} {
		if strings.Contains(dump, s) {
			t.Errorf("Received() holds the secret %q:\n%s", s, dump)
		}
	}
	got := e.Received()[1]
	if !strings.Contains(got.Query, "password=%5Bredacted%5D") || !strings.Contains(got.Query, "username=api%40acme.example") {
		t.Errorf("query = %q, want the password redacted and the username kept", got.Query)
	}
	first := e.Received()[0]
	if first.Username != apiUser || first.GrantType != "password" || first.ClientID != acmeClient || first.Status != http.StatusOK {
		t.Errorf("token exchange recorded as %+v", first)
	}
}

func TestUnknownErrorFault(t *testing.T) {
	s := testScenario()
	s.Faults.UnknownError = map[string]int{loginHost: 2}
	e := New(s)
	form := passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken)
	for i := range 2 {
		rec := login(t, e, loginHost, form)
		got := decode[map[string]string](t, rec.Body.Bytes())
		if rec.Code != http.StatusBadRequest || got["error"] != "unknown_error" || got["error_description"] != "retry your request" {
			t.Fatalf("login %d: %d %v, want unknown_error", i+1, rec.Code, got)
		}
	}
	if rec := login(t, e, acmeHost, form); rec.Code != http.StatusOK {
		t.Errorf("a fault on login.salesforce.com reached the My Domain: %d", rec.Code)
	}
	if rec := login(t, e, loginHost, form); rec.Code != http.StatusOK {
		t.Errorf("third login: %d, want 200 once the fault is used up", rec.Code)
	}
	if got := e.Received()[0].Fault; got != FaultUnknownError {
		t.Errorf("Fault = %q", got)
	}
}

func TestIdentityURL(t *testing.T) {
	e := New(testScenario())
	acme := e.orgs[0]
	user := acme.Users[0]
	idPath := "/id/" + acme.OrgID + "/" + user.UserID
	loginToken := accessToken(t, e, loginHost, passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken))
	uatToken := accessToken(t, e, testHost, passwordForm(acmeClient, acmeSecret, "api@acme.example.uat", apiPass+apiToken))

	rec := call(t, e, http.MethodGet, "https://"+loginHost+idPath, "", "Authorization", "Bearer "+loginToken)
	if rec.Code != http.StatusOK {
		t.Fatalf("identity: %d %s", rec.Code, rec.Body)
	}
	got := decode[map[string]any](t, rec.Body.Bytes())
	want := map[string]any{
		"id": "https://" + loginHost + idPath, "user_id": user.UserID, "organization_id": acme.OrgID,
		"username": apiUser, "display_name": "api", "active": true, "user_type": "STANDARD",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}

	refusals := []struct {
		name, url, token string
		want             int
		body             string
	}{
		{"no token", "https://" + loginHost + idPath, "", http.StatusUnauthorized, "Bad_OAuth_Token"},
		{"made-up token", "https://" + loginHost + idPath, acme.OrgID[:15] + "!nope", http.StatusUnauthorized, "Bad_OAuth_Token"},
		{"production token at test.salesforce.com", "https://" + testHost + idPath, loginToken, http.StatusUnauthorized, "Bad_OAuth_Token"},
		{"sandbox token at its production org's My Domain", "https://" + acmeHost + idPath, uatToken, http.StatusUnauthorized, "Bad_OAuth_Token"},
		{"another user's identity", "https://" + loginHost + "/id/" + acme.OrgID + "/" + acme.Users[1].UserID, loginToken, http.StatusForbidden, "Bad_Id"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			rec := call(t, e, http.MethodGet, tt.url, "", "Authorization", "Bearer "+tt.token)
			if rec.Code != tt.want || rec.Body.String() != tt.body {
				t.Errorf("got %d %q, want %d %q", rec.Code, rec.Body, tt.want, tt.body)
			}
		})
	}

	t.Run("15-character IDs and the My Domain host", func(t *testing.T) {
		rec := call(t, e, http.MethodGet, "https://"+acmeHost+"/id/"+acme.OrgID[:15]+"/"+user.UserID[:15], "", "Authorization", "OAuth "+loginToken)
		if rec.Code != http.StatusOK {
			t.Errorf("got %d %s", rec.Code, rec.Body)
		}
	})
}

func TestApexListener(t *testing.T) {
	e := New(testScenario())
	form := passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken)
	acmeToken := accessToken(t, e, loginHost, form)
	ccToken := accessToken(t, e, acmeHost, clientCredentialsForm("cc-client", "cc-secret"))
	noClassToken := accessToken(t, e, acmeHost, clientCredentialsForm("cc-noclass", "cc-noclass-secret"))
	uatToken := accessToken(t, e, testHost, passwordForm(acmeClient, acmeSecret, "api@acme.example.uat", apiPass+apiToken))
	nopkgToken := accessToken(t, e, loginHost, passwordForm("initech-client", "initech-secret", "api@initech.example", apiPass+apiToken))
	event := `{"id":"6a0b-evt","type":"order.accepted","data":{"object":{}},"liveMode":false}`

	const (
		invalidSession = `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`
		forbidden      = `[{"message":"You do not have access to the Apex class named: DRB2B_WebhookListener","errorCode":"FORBIDDEN"}]`
		getNotAllowed  = `[{"message":"HTTP Method 'GET' not allowed. Allowed are POST","errorCode":"METHOD_NOT_ALLOWED"}]`
	)
	notFound := func(rest string) string {
		return `[{"message":"Could not find a match for URL ` + rest + `","errorCode":"NOT_FOUND"}]`
	}
	tests := []struct {
		name, method, host, path, token, body string
		want                                  int
		wantBody                              string
	}{
		{"GET probe: installed and reachable", "GET", acmeHost, apexPath, acmeToken, "", 405, getNotAllowed},
		{"PUT is not allowed either", "PUT", acmeHost, apexPath, acmeToken, "", 405,
			`[{"message":"HTTP Method 'PUT' not allowed. Allowed are POST","errorCode":"METHOD_NOT_ALLOWED"}]`},
		{"POST an event", "POST", acmeHost, apexPath, acmeToken, event, 200, ""},
		{"POST without the trailing slash", "POST", acmeHost, strings.TrimSuffix(apexPath, "/"), acmeToken, event, 200, ""},
		{"POST with a client-credentials token", "POST", acmeHost, apexPath, ccToken, event, 200, ""},
		{"POST an empty body", "POST", acmeHost, apexPath, acmeToken, "", 400, ""},
		{"no token", "GET", acmeHost, apexPath, "", "", 401, invalidSession},
		{"made-up token", "GET", acmeHost, apexPath, "00D000000000000!abc", "", 401, invalidSession},
		{"token of another org", "GET", acmeHost, apexPath, uatToken, "", 401, invalidSession},
		{"package not installed", "GET", nopkgHost, apexPath, nopkgToken, "", 404, notFound("/digitalriverv3/webhooks/")},
		{"old namespace", "GET", acmeHost, "/services/apexrest/digitalriverv2/webhooks/", acmeToken, "", 404, notFound("/digitalriverv2/webhooks/")},
		{"no namespace", "GET", acmeHost, "/services/apexrest/webhooks/", acmeToken, "", 404, notFound("/webhooks/")},
		{"mapping is case-sensitive", "GET", acmeHost, "/services/apexrest/digitalriverv3/Webhooks/", acmeToken, "", 404, notFound("/digitalriverv3/Webhooks/")},
		{"namespace is case-sensitive", "GET", acmeHost, "/services/apexrest/DigitalRiverV3/webhooks/", acmeToken, "", 404, notFound("/DigitalRiverV3/webhooks/")},
		{"no class access, GET", "GET", acmeHost, apexPath, noClassToken, "", 403, forbidden},
		{"no class access, POST", "POST", acmeHost, apexPath, noClassToken, event, 403, forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			if tt.token != "" {
				header = []string{"Authorization", "Bearer " + tt.token}
			}
			rec := call(t, e, tt.method, "https://"+tt.host+tt.path, tt.body, header...)
			if rec.Code != tt.want || rec.Body.String() != tt.wantBody {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tt.want, tt.wantBody)
			}
		})
	}

	var delivered []Delivery
	for _, d := range e.Deliveries() {
		if d.Status == http.StatusOK {
			delivered = append(delivered, d)
		}
	}
	if len(delivered) != 3 || delivered[0].EventType != "order.accepted" || delivered[0].EventID != "6a0b-evt" ||
		delivered[0].MyDomain != acmeHost || delivered[0].Username != apiUser {
		t.Errorf("deliveries = %+v, want three order.accepted to %s", delivered, acmeHost)
	}
	if n := len(e.Deliveries()); n != 4 {
		t.Errorf("%d deliveries recorded, want 4 (three events and the empty one)", n)
	}
}

func TestHostsNotSimulated(t *testing.T) {
	e := New(testScenario())
	tok := accessToken(t, e, loginHost, passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken))
	for _, u := range []string{
		"https://acme.lightning.force.com" + apexPath,
		"https://acme.my.salesforce-setup.com" + tokenPath,
		"https://na123.salesforce.com" + apexPath,
		"https://unknown.my.salesforce.com" + tokenPath,
		"https://" + loginHost + apexPath,
		"https://" + acmeHost + "/lightning/page/home",
	} {
		rec := call(t, e, http.MethodPost, u, "x", "Authorization", "Bearer "+tok)
		if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %s, want a 404 HTML page", u, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
}

func TestHostMatchingIgnoresCaseAndPort(t *testing.T) {
	e := New(testScenario())
	form := passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken)
	rec := call(t, e, http.MethodPost, "https://ACME.My.Salesforce.com:443"+tokenPath, form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d %s", rec.Code, rec.Body)
	}
	if got := e.Received()[0].Host; got != acmeHost {
		t.Errorf("recorded host %q, want %q", got, acmeHost)
	}
}
