package emulator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

type listPage struct {
	Data    []Webhook
	HasMore bool
}

func TestDigitalRiverAuthorization(t *testing.T) {
	e := New(testScenario())
	tests := []struct {
		name, header string
		want         int
		wantType     string
	}{
		{"no key", "", 401, "unauthorized"},
		{"unknown key", "Bearer sk_test_unknown", 401, "unauthorized"},
		{"public key", "Bearer " + publicKey, 401, "unauthorized"},
		{"restricted key without webhook permission", "Bearer " + restrictedKey, 403, "forbidden"},
		{"key as a basic-auth user, as the docs' curl sends it", "Basic " + base64.StdEncoding.EncodeToString([]byte(testKey+":")), 200, ""},
		{"key as a Bearer token", "Bearer " + testKey, 200, ""},
		{"Bearer scheme in lower case", "bearer " + testKey, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := call(t, e, http.MethodGet, "https://"+drHost+"/webhooks", "", "Authorization", tt.header)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.want, rec.Body)
			}
			if rec.Header().Get("x-dr-requestid") == "" {
				t.Error("no x-dr-requestid")
			}
			if tt.wantType == "" {
				return
			}
			got := decode[drErrorBody](t, rec.Body.Bytes())
			if got.Type != tt.wantType || len(got.Errors) != 1 || got.Errors[0].Code != tt.wantType || got.Errors[0].Message == "" {
				t.Errorf("body = %+v, want type and code %s", got, tt.wantType)
			}
			for _, k := range []string{testKey, publicKey, restrictedKey} {
				if strings.Contains(rec.Body.String(), k) {
					t.Errorf("error body repeats the key %s", k)
				}
			}
		})
	}
}

func TestDigitalRiverRequestIDsDiffer(t *testing.T) {
	e := New(testScenario())
	a := drCall(t, e, testKey, http.MethodGet, "/webhooks", "").Header().Get("x-dr-requestid")
	b := drCall(t, e, testKey, http.MethodGet, "/nope", "").Header().Get("x-dr-requestid")
	if a == "" || b == "" || a == b {
		t.Errorf("request ids %q and %q, want two different ids", a, b)
	}
}

// scenarioWith250 holds 250 test-mode webhooks and one live one.
func scenarioWith250() Scenario {
	s := testScenario()
	for i := range 250 {
		s.DigitalRiver.Webhooks = append(s.DigitalRiver.Webhooks, Webhook{
			Address: fmt.Sprintf("https://hooks%03d.example/dr", i),
			Types:   []string{"order.accepted"},
			Enabled: true,
		})
	}
	s.DigitalRiver.Webhooks = append(s.DigitalRiver.Webhooks, Webhook{Address: "https://live.example/dr", Types: []string{"order.accepted"}, LiveMode: true})
	return s
}

func TestListPagesAcross250Webhooks(t *testing.T) {
	e := New(scenarioWith250())
	want := e.Webhooks(modeTest)
	if len(want) != 250 {
		t.Fatalf("scenario has %d test webhooks", len(want))
	}

	var got []Webhook
	var pages []int
	after := ""
	for {
		path := "/webhooks?limit=100"
		if after != "" {
			path += "&startingAfter=" + after
		}
		rec := drCall(t, e, testKey, http.MethodGet, path, "")
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		page := decode[listPage](t, rec.Body.Bytes())
		got = append(got, page.Data...)
		pages = append(pages, len(page.Data))
		if !page.HasMore {
			break
		}
		after = page.Data[len(page.Data)-1].ID
	}
	if !slices.Equal(pages, []int{100, 100, 50}) {
		t.Errorf("page sizes %v, want [100 100 50]", pages)
	}
	if !slices.EqualFunc(got, want, func(a, b Webhook) bool { return a.ID == b.ID }) {
		t.Error("paging did not return every webhook once, in creation order")
	}

	t.Run("default limit is 10", func(t *testing.T) {
		page := decode[listPage](t, drCall(t, e, testKey, http.MethodGet, "/webhooks", "").Body.Bytes())
		if len(page.Data) != 10 || !page.HasMore || page.Data[0].ID != want[0].ID {
			t.Errorf("got %d webhooks, hasMore %v", len(page.Data), page.HasMore)
		}
	})
	t.Run("endingBefore pages backwards", func(t *testing.T) {
		page := decode[listPage](t, drCall(t, e, testKey, http.MethodGet, "/webhooks?limit=5&endingBefore="+want[7].ID, "").Body.Bytes())
		ids := func(ws []Webhook) (out []string) {
			for _, w := range ws {
				out = append(out, w.ID)
			}
			return out
		}
		if !slices.Equal(ids(page.Data), ids(want[2:7])) || !page.HasMore {
			t.Errorf("got %v hasMore %v, want webhooks 2..6 and more before", ids(page.Data), page.HasMore)
		}
		first := decode[listPage](t, drCall(t, e, testKey, http.MethodGet, "/webhooks?limit=5&endingBefore="+want[3].ID, "").Body.Bytes())
		if len(first.Data) != 3 || first.HasMore {
			t.Errorf("before the fourth: %d webhooks, hasMore %v; want 3 and none before", len(first.Data), first.HasMore)
		}
	})
	t.Run("the live key sees only the live webhook", func(t *testing.T) {
		page := decode[listPage](t, drCall(t, e, liveKey, http.MethodGet, "/webhooks?limit=100", "").Body.Bytes())
		if len(page.Data) != 1 || !page.Data[0].LiveMode || page.HasMore {
			t.Errorf("live list = %+v", page)
		}
	})
}

func TestListRefusesBadParameters(t *testing.T) {
	e := New(scenarioWith250())
	for _, q := range []struct{ query, param string }{
		{"limit=0", "limit"},
		{"limit=101", "limit"},
		{"limit=ten", "limit"},
		{"startingAfter=00000000-0000-4000-8000-000000000000", "startingAfter"},
		{"endingBefore=nope", "endingBefore"},
		{"startingAfter=a&endingBefore=b", "endingBefore"},
		{"type=order.accepted&types=order.accepted", "types"},
		{"types=" + strings.Repeat("order.accepted,", 21), "types"},
	} {
		rec := drCall(t, e, testKey, http.MethodGet, "/webhooks?"+q.query, "")
		got := decode[drErrorBody](t, rec.Body.Bytes())
		if rec.Code != http.StatusBadRequest || got.Type != "bad_request" || len(got.Errors) == 0 ||
			got.Errors[0].Code != "invalid_parameter" || got.Errors[0].Parameter != q.param {
			t.Errorf("?%s: %d %+v, want 400 invalid_parameter %s", q.query, rec.Code, got, q.param)
		}
	}
}

func TestListFiltersByType(t *testing.T) {
	s := testScenario()
	s.DigitalRiver.Webhooks = []Webhook{
		{Address: "https://a.example/", Types: []string{"order.accepted", "order.complete"}},
		{Address: "https://b.example/", Types: []string{"order.refunded"}},
		{Address: "https://c.example/", Types: []string{"subscription.created"}},
	}
	e := New(s)
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"types=order.complete", []string{"https://a.example/"}},
		{"types=order.complete,order.refunded", []string{"https://a.example/", "https://b.example/"}},
		{"types=order.complete&types=subscription.created", []string{"https://a.example/", "https://c.example/"}},
		{"type=order.*", []string{"https://a.example/", "https://b.example/"}},
		{"type=subscription.created", []string{"https://c.example/"}},
		{"", []string{"https://a.example/", "https://b.example/", "https://c.example/"}},
	} {
		page := decode[listPage](t, drCall(t, e, testKey, http.MethodGet, "/webhooks?"+tt.query, "").Body.Bytes())
		var got []string
		for _, w := range page.Data {
			got = append(got, w.Address)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("?%s: %v, want %v", tt.query, got, tt.want)
		}
	}
}

func TestBareArrayList(t *testing.T) {
	s := scenarioWith250()
	s.DigitalRiver.BareArrayList = true
	e := New(s)
	rec := drCall(t, e, testKey, http.MethodGet, "/webhooks?limit=100", "")
	page := decode[[]Webhook](t, rec.Body.Bytes())
	if len(page) != 100 {
		t.Fatalf("bare array of %d, want 100", len(page))
	}
	next := decode[[]Webhook](t, drCall(t, e, testKey, http.MethodGet, "/webhooks?limit=100&startingAfter="+page[99].ID, "").Body.Bytes())
	if len(next) != 100 || next[0].ID == page[0].ID {
		t.Errorf("second page has %d webhooks", len(next))
	}
}

func TestCreateWebhook(t *testing.T) {
	e := New(testScenario())
	address := "https://" + acmeHost + apexPath
	before := time.Now().UTC().Truncate(time.Millisecond)
	rec := drCall(t, e, testKey, http.MethodPost, "/webhooks", oauthHook(address))
	if rec.Code != http.StatusCreated {
		t.Fatalf("status %d %s", rec.Code, rec.Body)
	}
	got := decode[Webhook](t, rec.Body.Bytes())
	if !isUUID(got.ID) || got.Address != address || got.TransportType != "OAUTH" || !got.Enabled || got.LiveMode ||
		got.APIVersion != "default" || got.CreatedTime.Before(before) || !got.UpdatedTime.Equal(got.CreatedTime) {
		t.Errorf("created %+v", got)
	}
	if got.OAuth == nil || got.OAuth.Password != apiPass+apiToken || got.OAuth.ClientSecret != acmeSecret || got.OAuth.GrantType != "password" {
		t.Errorf("oauth = %+v, want the secrets back in plain text", got.OAuth)
	}

	fetched := drCall(t, e, testKey, http.MethodGet, "/webhooks/"+got.ID, "")
	if fetched.Code != http.StatusOK || !strings.Contains(fetched.Body.String(), `"clientSecret":"`+acmeSecret+`"`) {
		t.Errorf("GET: %d %s, want the stored secret in plain text", fetched.Code, fetched.Body)
	}

	t.Run("defaults: HTTP transport, enabled, default API version", func(t *testing.T) {
		rec := drCall(t, e, testKey, http.MethodPost, "/webhooks", `{"address":"https://erp.example/dr","types":["order.complete"]}`)
		got := decode[Webhook](t, rec.Body.Bytes())
		if rec.Code != http.StatusCreated || got.TransportType != "HTTP" || !got.Enabled || got.APIVersion != "default" || got.OAuth != nil {
			t.Errorf("%d %+v", rec.Code, got)
		}
	})
	t.Run("client credentials grant", func(t *testing.T) {
		body := strings.Replace(oauthHook(address), `"grantType":"password"`, `"grantType":"client_credentials"`, 1)
		if rec := drCall(t, e, testKey, http.MethodPost, "/webhooks", body); rec.Code != http.StatusCreated {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
	t.Run("duplicate addresses are allowed", func(t *testing.T) {
		rec := drCall(t, e, testKey, http.MethodPost, "/webhooks", oauthHook(address))
		if rec.Code != http.StatusCreated {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		n := 0
		for _, w := range e.Webhooks(modeTest) {
			if w.Address == address {
				n++
			}
		}
		if n != 3 {
			t.Errorf("%d webhooks with the address, want 3", n)
		}
	})
	t.Run("a live key creates a live webhook", func(t *testing.T) {
		got := decode[Webhook](t, drCall(t, e, liveKey, http.MethodPost, "/webhooks", oauthHook(address)).Body.Bytes())
		if !got.LiveMode || len(e.Webhooks(modeLive)) != 1 {
			t.Errorf("liveMode %v, %d live webhooks", got.LiveMode, len(e.Webhooks(modeLive)))
		}
		if rec := drCall(t, e, testKey, http.MethodGet, "/webhooks/"+got.ID, ""); rec.Code != http.StatusNotFound {
			t.Errorf("a test key reads a live webhook: %d", rec.Code)
		}
	})
}

func TestCreateWebhookValidation(t *testing.T) {
	e := New(testScenario())
	valid := func(edit func(m map[string]any)) string {
		var m map[string]any
		json.Unmarshal([]byte(oauthHook("https://"+acmeHost+apexPath)), &m)
		edit(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	oauth := func(m map[string]any) map[string]any { return m["oauth"].(map[string]any) }
	tests := []struct {
		name      string
		body      string
		wantCode  string
		wantParam string
	}{
		{"not JSON", `{"address":`, "invalid_request", ""},
		{"a JSON array", `[]`, "invalid_request", ""},
		{"address missing", valid(func(m map[string]any) { delete(m, "address") }), "missing_parameter", "address"},
		{"address over http", valid(func(m map[string]any) { m["address"] = "http://acme.my.salesforce.com/x" }), "invalid_parameter", "address"},
		{"address not a URL", valid(func(m map[string]any) { m["address"] = "acme.my.salesforce.com" }), "invalid_parameter", "address"},
		{"address a number", valid(func(m map[string]any) { m["address"] = 42 }), "invalid_parameter", "address"},
		{"types missing", valid(func(m map[string]any) { delete(m, "types") }), "missing_parameter", "types"},
		{"types empty", valid(func(m map[string]any) { m["types"] = []string{} }), "invalid_parameter", "types"},
		{"type misspelt", valid(func(m map[string]any) { m["types"] = []string{"order.acepted"} }), "invalid_parameter", "types"},
		{"types a string", valid(func(m map[string]any) { m["types"] = "order.accepted" }), "invalid_parameter", "types"},
		{"transport unknown", valid(func(m map[string]any) { m["transportType"] = "BASIC" }), "invalid_parameter", "transportType"},
		{"oauth with HTTP transport", valid(func(m map[string]any) { m["transportType"] = "HTTP" }), "invalid_parameter", "oauth"},
		{"oauth with the default transport", valid(func(m map[string]any) { delete(m, "transportType") }), "invalid_parameter", "oauth"},
		{"OAUTH without oauth", valid(func(m map[string]any) { delete(m, "oauth") }), "missing_parameter", "oauth"},
		{"OAUTH with authentication", valid(func(m map[string]any) { m["authentication"] = map[string]string{"username": "u", "password": "p"} }), "invalid_parameter", "authentication"},
		{"clientID missing", valid(func(m map[string]any) { delete(oauth(m), "clientID") }), "missing_parameter", "oauth.clientID"},
		{"clientID spelt clientId", valid(func(m map[string]any) { oauth(m)["clientId"] = oauth(m)["clientID"]; delete(oauth(m), "clientID") }), "missing_parameter", "oauth.clientID"},
		{"clientSecret missing", valid(func(m map[string]any) { delete(oauth(m), "clientSecret") }), "missing_parameter", "oauth.clientSecret"},
		{"tokenEndPoint missing", valid(func(m map[string]any) { delete(oauth(m), "tokenEndPoint") }), "missing_parameter", "oauth.tokenEndPoint"},
		{"tokenEndPoint over http", valid(func(m map[string]any) {
			oauth(m)["tokenEndPoint"] = "http://login.salesforce.com/services/oauth2/token"
		}), "invalid_parameter", "oauth.tokenEndPoint"},
		{"userName missing for the password grant", valid(func(m map[string]any) { delete(oauth(m), "userName") }), "missing_parameter", "oauth.userName"},
		{"password missing for the password grant", valid(func(m map[string]any) { delete(oauth(m), "password") }), "missing_parameter", "oauth.password"},
		{"grant type unknown", valid(func(m map[string]any) { oauth(m)["grantType"] = "jwt" }), "invalid_parameter", "oauth.grantType"},
		{"oauth a string", valid(func(m map[string]any) { m["oauth"] = "x" }), "invalid_parameter", "oauth"},
		{"enabled a string", valid(func(m map[string]any) { m["enabled"] = "yes" }), "invalid_parameter", "enabled"},
		{"apiVersion latest", valid(func(m map[string]any) { m["apiVersion"] = "latest" }), "invalid_parameter", "apiVersion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(e.Webhooks(""))
			rec := drCall(t, e, testKey, http.MethodPost, "/webhooks", tt.body)
			got := decode[drErrorBody](t, rec.Body.Bytes())
			if rec.Code != http.StatusBadRequest || got.Type != "bad_request" || len(got.Errors) == 0 {
				t.Fatalf("%d %s, want a 400 error", rec.Code, rec.Body)
			}
			if got.Errors[0].Code != tt.wantCode || got.Errors[0].Parameter != tt.wantParam || got.Errors[0].Message == "" {
				t.Errorf("first error %+v, want %s %s", got.Errors[0], tt.wantCode, tt.wantParam)
			}
			if len(e.Webhooks("")) != n {
				t.Error("a refused create was stored")
			}
		})
	}

	t.Run("every problem is reported", func(t *testing.T) {
		rec := drCall(t, e, testKey, http.MethodPost, "/webhooks", `{"transportType":"OAUTH","oauth":{}}`)
		var params []string
		for _, e := range decode[drErrorBody](t, rec.Body.Bytes()).Errors {
			params = append(params, e.Parameter)
		}
		for _, p := range []string{"address", "types", "oauth.tokenEndPoint", "oauth.clientID", "oauth.clientSecret", "oauth.userName", "oauth.password"} {
			if !slices.Contains(params, p) {
				t.Errorf("errors name %v, missing %s", params, p)
			}
		}
	})
}

func TestPatchWebhook(t *testing.T) {
	e := New(testScenario())
	created := decode[Webhook](t, drCall(t, e, testKey, http.MethodPost, "/webhooks", oauthHook("https://acme.lightning.force.com"+apexPath)).Body.Bytes())
	path := "/webhooks/" + created.ID

	t.Run("partial update keeps the rest", func(t *testing.T) {
		rec := drCall(t, e, testKey, http.MethodPatch, path, `{"address":"https://`+acmeHost+apexPath+`","enabled":false}`)
		got := decode[Webhook](t, rec.Body.Bytes())
		if rec.Code != http.StatusOK || got.Address != "https://"+acmeHost+apexPath || got.Enabled ||
			!slices.Equal(got.Types, created.Types) || got.OAuth == nil || *got.OAuth != *created.OAuth ||
			!got.CreatedTime.Equal(created.CreatedTime) || got.UpdatedTime.Before(created.UpdatedTime) {
			t.Errorf("%d %+v", rec.Code, got)
		}
		if stored := e.Webhooks(modeTest)[0]; stored.Address != got.Address || stored.Enabled {
			t.Errorf("stored %+v", stored)
		}
	})
	t.Run("a new oauth block replaces the old", func(t *testing.T) {
		body := `{"oauth":{"tokenEndPoint":"https://acme.my.salesforce.com/services/oauth2/token","clientID":"cc-client","clientSecret":"cc-secret","grantType":"client_credentials"}}`
		got := decode[Webhook](t, drCall(t, e, testKey, http.MethodPatch, path, body).Body.Bytes())
		if got.OAuth == nil || got.OAuth.UserName != "" || got.OAuth.Password != "" || got.OAuth.GrantType != "client_credentials" {
			t.Errorf("oauth = %+v", got.OAuth)
		}
	})
	t.Run("an invalid update changes nothing", func(t *testing.T) {
		before := e.Webhooks(modeTest)[0]
		rec := drCall(t, e, testKey, http.MethodPatch, path, `{"types":["order.bogus"],"enabled":true}`)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		after := e.Webhooks(modeTest)[0]
		if after.Enabled != before.Enabled || !slices.Equal(after.Types, before.Types) {
			t.Error("a refused update was applied")
		}
	})
	t.Run("switching to HTTP drops the oauth block", func(t *testing.T) {
		got := decode[Webhook](t, drCall(t, e, testKey, http.MethodPatch, path, `{"transportType":"HTTP"}`).Body.Bytes())
		if got.TransportType != "HTTP" || got.OAuth != nil {
			t.Errorf("%+v", got)
		}
	})
	t.Run("unknown id", func(t *testing.T) {
		rec := drCall(t, e, testKey, http.MethodPatch, "/webhooks/00000000-0000-4000-8000-000000000000", `{"enabled":true}`)
		got := decode[drErrorBody](t, rec.Body.Bytes())
		if rec.Code != http.StatusNotFound || got.Type != "not_found" || got.Errors[0].Code != "not_found" {
			t.Errorf("%d %+v", rec.Code, got)
		}
	})
}

func TestDeleteWebhook(t *testing.T) {
	e := New(testScenario())
	created := decode[Webhook](t, drCall(t, e, testKey, http.MethodPost, "/webhooks", oauthHook("https://"+acmeHost+apexPath)).Body.Bytes())
	path := "/webhooks/" + created.ID

	if rec := drCall(t, e, liveKey, http.MethodDelete, path, ""); rec.Code != http.StatusNotFound {
		t.Errorf("a live key deleted a test webhook: %d", rec.Code)
	}
	rec := drCall(t, e, testKey, http.MethodDelete, path, "")
	if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		t.Fatalf("DELETE: %d %q, want 204 and no body", rec.Code, rec.Body)
	}
	if rec.Header().Get("x-dr-requestid") == "" {
		t.Error("no x-dr-requestid on 204")
	}
	if n := len(e.Webhooks("")); n != 0 {
		t.Errorf("%d webhooks left", n)
	}
	for _, method := range []string{http.MethodGet, http.MethodDelete} {
		if rec := drCall(t, e, testKey, method, path, ""); rec.Code != http.StatusNotFound {
			t.Errorf("%s after delete: %d, want 404", method, rec.Code)
		}
	}
}

func TestDigitalRiverUnknownPathsAndMethods(t *testing.T) {
	e := New(testScenario())
	for _, tt := range []struct {
		method, path string
		want         int
		wantType     string
	}{
		{"GET", "/webhook", 404, "not_found"},
		{"GET", "/webhooks/", 404, "not_found"},
		{"GET", "/webhooks/a/b", 404, "not_found"},
		{"GET", "/events/x", 404, "not_found"},
		{"PUT", "/webhooks", 405, "method_not_allowed"},
		{"DELETE", "/webhooks", 405, "method_not_allowed"},
		{"POST", "/webhooks/abc", 405, "method_not_allowed"},
		{"PUT", "/webhooks/abc", 405, "method_not_allowed"},
	} {
		rec := drCall(t, e, testKey, tt.method, tt.path, "")
		got := decode[drErrorBody](t, rec.Body.Bytes())
		if rec.Code != tt.want || got.Type != tt.wantType || len(got.Errors) != 1 || got.Errors[0].Code != tt.wantType {
			t.Errorf("%s %s: %d %+v, want %d %s", tt.method, tt.path, rec.Code, got, tt.want, tt.wantType)
		}
	}
}

// FuzzWebhookRequest: any body to POST or PATCH is answered 201/200 with a
// webhook the create rules accept, or 400 in Digital River's error shape with
// every error coded; nothing panics.
func FuzzWebhookRequest(f *testing.F) {
	f.Add(oauthHook("https://" + acmeHost + apexPath))
	f.Add(`{"address":"https://x.example/","types":["order.complete"],"authentication":{"username":"u","password":"p"}}`)
	f.Add(`{"transportType":"OAUTH","oauth":{"grantType":"client_credentials"}}`)
	f.Add(`{"types":null,"oauth":null,"enabled":1}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		e := New(testScenario())
		created := drCall(t, e, testKey, http.MethodPost, "/webhooks", oauthHook("https://"+acmeHost+apexPath))
		id := decode[Webhook](t, created.Body.Bytes()).ID
		for _, req := range []struct{ method, path string }{{http.MethodPost, "/webhooks"}, {http.MethodPatch, "/webhooks/" + id}} {
			rec := drCall(t, e, testKey, req.method, req.path, body)
			switch rec.Code {
			case http.StatusCreated, http.StatusOK:
				w := decode[Webhook](t, rec.Body.Bytes())
				if errs := validateWebhook(w); len(errs) > 0 {
					t.Fatalf("%s stored a webhook the rules refuse: %+v", req.method, errs)
				}
			case http.StatusBadRequest:
				got := decode[drErrorBody](t, rec.Body.Bytes())
				if got.Type != "bad_request" || len(got.Errors) == 0 {
					t.Fatalf("%s: 400 body %s", req.method, rec.Body)
				}
				for _, e := range got.Errors {
					if e.Code == "" || e.Message == "" {
						t.Fatalf("%s: error without code or message: %s", req.method, rec.Body)
					}
				}
			default:
				t.Fatalf("%s answered %d %s", req.method, rec.Code, rec.Body)
			}
		}
	})
}
