package sfcheck

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/httpx"
)

// A login whose host was not found never reached Salesforce, so the remedy
// must not send the admin to Login History for it.
func TestLoginToAnUnknownHostDoesNotPointAtLoginHistory(t *testing.T) {
	c := &Client{AllowAnyHost: true}
	_, err := c.Login(context.Background(), Credentials{
		TokenEndpoint: "https://no-such-host.invalid/services/oauth2/token",
		Flow:          FlowPassword, ClientID: "cid", ClientSecret: "cs", Username: "u@acme.com", Password: "pw",
	})
	var le *LoginError
	if !errors.As(err, &le) || le.Kind != KindNetwork {
		t.Fatalf("err = %v", err)
	}
	if le.Sent || !strings.Contains(le.Error(), "could not be found") {
		t.Fatalf("%v: Sent = %v; a login to a host that does not resolve never reached Salesforce", le, le.Sent)
	}
}

// A proxy that refuses the CONNECT sent nothing on to Salesforce either.
func TestLoginThroughARefusingProxyDoesNotPointAtLoginHistory(t *testing.T) {
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "blocked by policy", http.StatusForbidden)
	}))
	defer proxy.Close()
	tr := httpx.NewTransport()
	pu, _ := url.Parse(proxy.URL)
	tr.Proxy = http.ProxyURL(pu)
	c := &Client{HTTP: httpx.NewClient(tr)}
	_, err := c.Login(context.Background(), passwordCreds(ProductionTokenURL))
	var le *LoginError
	if !errors.As(err, &le) || le.Kind != KindNetwork {
		t.Fatalf("err = %v", err)
	}
	if le.Sent || !strings.Contains(le.Error(), "proxy refused") {
		t.Fatalf("%v: Sent = %v; a login a proxy refused never reached Salesforce", le, le.Sent)
	}
}
