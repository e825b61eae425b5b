package sfcheck

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func testSession() *Session {
	return &Session{
		AccessToken: testAccessToken,
		InstanceURL: "https://acme.my.salesforce.com",
		IdentityURL: "https://login.salesforce.com/id/" + testOrgID + "/" + testUserID,
		OrgID:       testOrgID,
		UserID:      testUserID,
		TokenType:   "Bearer",
	}
}

const endpointURL = "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"

func TestProbeApexAnswers(t *testing.T) {
	cases := []struct {
		name   string
		status int
		ctype  string
		body   string
		kind   ProbeKind
		ok     bool
		code   string
	}{
		{name: "installed", status: 405, body: `[{"errorCode":"METHOD_NOT_ALLOWED","message":"HTTP Method 'GET' not allowed. Allowed are POST"}]`,
			kind: ProbeReachable, ok: true, code: "METHOD_NOT_ALLOWED"},
		{name: "not installed", status: 404, body: `[{"errorCode":"NOT_FOUND","message":"Could not find a match for URL /digitalriverv3/webhooks/"}]`,
			kind: ProbeNotInstalled, code: "NOT_FOUND"},
		{name: "no class access", status: 403, body: `[{"errorCode":"FORBIDDEN","message":"You do not have access to the Apex class named: DRB2B_WebhookListener"}]`,
			kind: ProbeNoAccess, code: "FORBIDDEN"},
		{name: "session invalid", status: 401, body: `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`,
			kind: ProbeUnauthorized, code: "INVALID_SESSION_ID"},
		{name: "get handled", status: 200, body: `{"ok":true}`,
			kind: ProbeGetHandled, ok: true},
		{name: "proxy page", status: 503, ctype: "text/html", body: `<html><title>Service Unavailable</title></html>`,
			kind: ProbeUnexpected},
		{name: "salesforce error", status: 500, body: `[{"errorCode":"APEX_ERROR","message":"System.LimitException"}]`,
			kind: ProbeUnexpected, code: "APEX_ERROR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, n := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet {
					t.Errorf("probe sent %s; only GET is side-effect free", r.Method)
				}
				if got := r.Header.Get("Authorization"); got != "Bearer "+testAccessToken {
					t.Errorf("Authorization = %q", got)
				}
				if r.Host+r.URL.Path != "acme.my.salesforce.com"+ApexPath {
					t.Errorf("probed %s%s", r.Host, r.URL.Path)
				}
				ct := tc.ctype
				if ct == "" {
					ct = "application/json;charset=UTF-8"
				}
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			r, err := c.ProbeApex(context.Background(), testSession(), endpointURL)
			if err != nil {
				t.Fatalf("ProbeApex: %v", err)
			}
			if n.Load() != 1 {
				t.Errorf("server got %d requests, want 1", n.Load())
			}
			if r.Status != tc.status || r.Kind != tc.kind || r.OK != tc.ok || r.ErrorCode != tc.code {
				t.Errorf("result %+v; want status %d kind %s ok %v code %q", r, tc.status, tc.kind, tc.ok, tc.code)
			}
			if strings.Contains(r.Message+r.Class, testAccessToken) {
				t.Error("the access token leaked into the result")
			}
		})
	}
}

func TestProbeApexRedirect(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://acme--qa.sandbox.my.salesforce.com"+ApexPath, http.StatusMovedPermanently)
	})
	r, err := c.ProbeApex(context.Background(), testSession(), "https://acme--qa.my.salesforce.com"+ApexPath)
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != ProbeRedirected || r.OK || r.Failure == nil || r.Failure.Detail != "acme--qa.sandbox.my.salesforce.com" {
		t.Errorf("result %+v, want a redirect naming the new host", r)
	}
}

func TestProbeApexErrorsOnlyWithoutAnswer(t *testing.T) {
	sent := false
	c := &Client{HTTP: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent = true
		return nil, errors.New("connection refused")
	})}}
	_, err := c.ProbeApex(context.Background(), testSession(), "https://acme.lightning.force.com"+ApexPath)
	var le *LoginError
	if !errors.As(err, &le) || le.Kind != KindHostRefused || le.Op != OpProbe {
		t.Fatalf("probe of a Lightning host = %v, want host_refused", err)
	}
	if sent {
		t.Error("the token was sent to a refused host")
	}

	_, err = c.ProbeApex(context.Background(), testSession(), endpointURL)
	if !errors.As(err, &le) || le.Kind != KindNetwork || !sent {
		t.Fatalf("probe without network = %v, want a network LoginError", err)
	}
	if !strings.HasPrefix(le.Error(), "Checking the Apex endpoint failed") {
		t.Errorf("error %q does not say what failed", le.Error())
	}
}

func TestIdentity(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testAccessToken || r.Host != "login.salesforce.com" {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(401)
			io.WriteString(w, "Bad_OAuth_Token")
			return
		}
		writeJSON(w, 200, `{"id":"https://login.salesforce.com/id/`+testOrgID+`/`+testUserID+`","asserted_user":true,"user_id":"`+testUserID+`","organization_id":"`+testOrgID+`","username":"integration@acme.com","nick_name":"integration","display_name":"Integration User","email":"it@acme.com","active":true,"user_type":"STANDARD","language":"en_US","locale":"en_US","utcOffset":0}`)
	})
	id, err := c.Identity(context.Background(), testSession())
	if err != nil {
		t.Fatal(err)
	}
	want := Identity{UserID: testUserID, OrgID: testOrgID, Username: "integration@acme.com", DisplayName: "Integration User", UserType: "STANDARD", Active: true}
	if *id != want {
		t.Errorf("Identity = %+v, want %+v", *id, want)
	}

	s := testSession()
	s.AccessToken = "expired"
	_, err = c.Identity(context.Background(), s)
	var le *LoginError
	if !errors.As(err, &le) || le.Kind != KindUnauthorized || le.Status != 401 || le.Code != "Bad_OAuth_Token" || le.Op != OpIdentity {
		t.Errorf("Identity with a bad token = %v, want unauthorized", err)
	}

}

func TestIdentityRefusesUntrustedHost(t *testing.T) {
	c := &Client{HTTP: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		t.Error("request sent")
		return nil, errors.New("unreachable")
	})}}
	s := testSession()
	s.IdentityURL = "https://evil.example.com/id/" + testOrgID + "/" + testUserID
	_, err := c.Identity(context.Background(), s)
	var le *LoginError
	if !errors.As(err, &le) || le.Kind != KindHostRefused {
		t.Errorf("Identity at an untrusted host = %v, want host_refused", err)
	}
}
