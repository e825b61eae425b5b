package sfcheck

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/field"
)

func TestTokenEndpointFor(t *testing.T) {
	if got := TokenEndpointFor(Production); got != "https://login.salesforce.com/services/oauth2/token" {
		t.Errorf("production: %q", got)
	}
	if got := TokenEndpointFor(Sandbox); got != "https://test.salesforce.com/services/oauth2/token" {
		t.Errorf("sandbox: %q", got)
	}
	if got := TokenEndpointFor("staging"); got != "" {
		t.Errorf("unknown environment: %q", got)
	}
}

func TestCheckTokenEndpoint(t *testing.T) {
	cases := []struct {
		raw       string
		allowAny  bool
		want      string
		kind      TokenEndpointKind
		corrected string // for errors
		reason    string // in the error, when given
	}{
		{raw: ProductionTokenURL, want: ProductionTokenURL, kind: TokenLogin},
		{raw: " login.salesforce.com ", want: ProductionTokenURL, kind: TokenLogin},
		{raw: "https://TEST.salesforce.com/", want: SandboxTokenURL, kind: TokenTest},
		{raw: "acme.my.salesforce.com", want: "https://acme.my.salesforce.com/services/oauth2/token", kind: TokenMyDomain},
		{raw: "https://acme--qa.sandbox.my.salesforce.com/services/oauth2/token/", want: "https://acme--qa.sandbox.my.salesforce.com/services/oauth2/token", kind: TokenMyDomain},
		{raw: "https://auth.special-cloud.example/services/oauth2/token", allowAny: true, want: "https://auth.special-cloud.example/services/oauth2/token", kind: TokenOther},
		{raw: "http://127.0.0.1:8443", allowAny: true, want: "http://127.0.0.1:8443/services/oauth2/token", kind: TokenOther},

		{raw: ""},
		{raw: "https://auth.special-cloud.example/services/oauth2/token"},
		{raw: "http://acme.my.salesforce.com", corrected: "https://acme.my.salesforce.com/services/oauth2/token"},
		// The right host with the wrong scheme is told as that, not as a
		// host that serves no token endpoint.
		{raw: "http://login.salesforce.com/services/oauth2/token", corrected: ProductionTokenURL, reason: "plain http://"},
		{raw: "http://test.salesforce.com", corrected: SandboxTokenURL, reason: "plain http://"},
		{raw: "http://acme.lightning.force.com/services/oauth2/token", corrected: "https://acme.my.salesforce.com/services/oauth2/token", reason: "serves no token endpoint"},
		{raw: "http://127.0.0.1:8443"},
		{raw: "https://acme.lightning.force.com/services/oauth2/token", corrected: "https://acme.my.salesforce.com/services/oauth2/token"},
		{raw: "https://acme.lightning.force.com", allowAny: true, corrected: "https://acme.my.salesforce.com/services/oauth2/token"},
		{raw: "https://acme.my.salesforce.com/services/oauth2/authorize", corrected: "https://acme.my.salesforce.com/services/oauth2/token"},
		{raw: "https://login.salesforce.com/services/oauth2/token?grant_type=password"},
		{raw: "na123.salesforce.com"},
		// Credentials go to Salesforce on port 443 only; the flag lets other
		// ports through for what an admin types.
		{raw: "https://login.salesforce.com:444/services/oauth2/token", corrected: ProductionTokenURL},
		{raw: "acme.my.salesforce.com:8443", corrected: "https://acme.my.salesforce.com/services/oauth2/token"},
		{raw: "https://login.salesforce.com:443/services/oauth2/token", want: ProductionTokenURL, kind: TokenLogin},
		{raw: "https://login.salesforce.com:444/services/oauth2/token", allowAny: true, want: "https://login.salesforce.com:444/services/oauth2/token", kind: TokenLogin},
	}
	for _, tc := range cases {
		got, kind, err := CheckTokenEndpoint(tc.raw, tc.allowAny)
		if tc.want == "" {
			var te *TokenEndpointError
			if !errors.As(err, &te) {
				t.Errorf("CheckTokenEndpoint(%q, %v) = %q, %s, %v; want a *TokenEndpointError", tc.raw, tc.allowAny, got, kind, err)
				continue
			}
			if !strings.Contains(te.Reason, tc.reason) {
				t.Errorf("CheckTokenEndpoint(%q): reason %q lacks %q", tc.raw, te.Reason, tc.reason)
			}
			if te.Corrected != tc.corrected {
				t.Errorf("CheckTokenEndpoint(%q): corrected %q, want %q", tc.raw, te.Corrected, tc.corrected)
			}
			if tc.corrected != "" && !strings.Contains(err.Error(), tc.corrected) {
				t.Errorf("error %q does not offer %s", err, tc.corrected)
			}
			if strings.Contains(err.Error(), "grant_type=password") {
				t.Errorf("error %q repeats the query string", err)
			}
			continue
		}
		if err != nil || got != tc.want || kind != tc.kind {
			t.Errorf("CheckTokenEndpoint(%q, %v) = %q, %s, %v; want %q, %s", tc.raw, tc.allowAny, got, kind, err, tc.want, tc.kind)
		}
	}
}

func TestCrossCheck(t *testing.T) {
	prod, _ := ParseMyDomain("acme.my.salesforce.com")
	sbx, _ := ParseMyDomain("acme--qa.sandbox.my.salesforce.com")
	scratch, _ := ParseMyDomain("acme.scratch.my.salesforce.com")
	other, _ := ParseMyDomain("globex.my.salesforce.com")
	cases := []struct {
		name     string
		env      Environment
		endpoint string
		d        MyDomain
		flow     Flow
		want     []Finding // Field, Blocking and Suggested are compared
	}{
		{name: "production fits", env: Production, d: prod, flow: FlowPassword},
		{name: "sandbox fits", env: Sandbox, d: sbx, flow: FlowPassword},
		{name: "scratch org logs in at test", env: Sandbox, d: scratch, flow: FlowPassword},
		{name: "my domain endpoint fits", env: Production, endpoint: prod.TokenEndpoint(), d: prod, flow: FlowClientCredentials},
		{name: "nothing known yet", env: Production, flow: FlowPassword},
		{name: "sandbox with production", env: Production, d: sbx, flow: FlowPassword,
			want: []Finding{{Field: field.Environment, Blocking: true, Suggested: "sandbox"}}},
		{name: "production with sandbox", env: Sandbox, d: prod, flow: FlowPassword,
			want: []Finding{{Field: field.Environment, Blocking: true, Suggested: "production"}}},
		{name: "sandbox with overridden login endpoint", env: Sandbox, endpoint: ProductionTokenURL, d: sbx, flow: FlowPassword,
			want: []Finding{{Field: field.TokenEndpoint, Blocking: true, Suggested: sbx.TokenEndpoint()}}},
		{name: "client credentials at login", env: Production, d: prod, flow: FlowClientCredentials,
			want: []Finding{{Field: field.TokenEndpoint, Blocking: true, Suggested: prod.TokenEndpoint()}}},
		{name: "client credentials at test, my domain unknown", env: Sandbox, flow: FlowClientCredentials,
			want: []Finding{{Field: field.TokenEndpoint, Blocking: true}}},
		{name: "token endpoint of another org", env: Production, endpoint: other.TokenEndpoint(), d: prod, flow: FlowPassword,
			want: []Finding{{Field: field.TokenEndpoint, Blocking: true, Suggested: prod.TokenEndpoint()}}},
		{name: "my domain endpoint, environment label wrong", env: Production, endpoint: sbx.TokenEndpoint(), d: sbx, flow: FlowPassword,
			want: []Finding{{Field: field.Environment, Blocking: false, Suggested: "sandbox"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := CrossCheck(tc.env, tc.endpoint, tc.d, tc.flow)
			if len(got) != len(tc.want) {
				t.Fatalf("CrossCheck = %+v, want %d findings", got, len(tc.want))
			}
			for i, f := range got {
				w := tc.want[i]
				if f.Field != w.Field || f.Blocking != w.Blocking || f.Suggested != w.Suggested {
					t.Errorf("finding %d = %+v, want field %q blocking %v suggested %q", i, f, w.Field, w.Blocking, w.Suggested)
				}
				if f.Message == "" || f.Remedy == "" {
					t.Errorf("finding %d lacks words: %+v", i, f)
				}
			}
		})
	}
}

func TestParseEnvironmentAndFlow(t *testing.T) {
	for in, want := range map[string]Environment{"production": Production, " Sandbox ": Sandbox, "prod": Production, "test": Sandbox} {
		if got, err := ParseEnvironment(in); err != nil || got != want {
			t.Errorf("ParseEnvironment(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseEnvironment("staging"); err == nil {
		t.Error("ParseEnvironment(staging) accepted")
	}
	for in, want := range map[string]Flow{"password": FlowPassword, "client-credentials": FlowClientCredentials, "CLIENT_CREDENTIALS": FlowClientCredentials} {
		if got, err := ParseFlow(in); err != nil || got != want {
			t.Errorf("ParseFlow(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseFlow("jwt"); err == nil {
		t.Error("ParseFlow(jwt) accepted")
	}
}

func TestTokenEndpointErrorsHoldNoCredentials(t *testing.T) {
	for _, raw := range []string{
		"https://admin:PwUnique31@evil.example.com/services/oauth2/token",
		"http://admin:PwUnique31@evil.example.com/services/oauth2/token?password=QueryUnique77",
		"https://login.salesforce.com/services/oauth2/token?password=QueryUnique77",
		"ftp://admin:PwUnique31@acme.my.salesforce.com",
	} {
		_, _, err := CheckTokenEndpoint(raw, false)
		if err == nil {
			t.Errorf("CheckTokenEndpoint(%q) accepted", raw)
			continue
		}
		var te *TokenEndpointError
		errors.As(err, &te)
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", *te)} {
			if strings.Contains(text, "PwUnique31") || strings.Contains(text, "QueryUnique77") {
				t.Errorf("CheckTokenEndpoint(%q): %q repeats a credential", raw, text)
			}
		}
	}
}
