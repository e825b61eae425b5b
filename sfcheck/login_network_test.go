package sfcheck

import (
	"context"
	"errors"
	"strings"
	"testing"
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
	if !strings.Contains(le.Meaning, "could not be found") || strings.Contains(le.Remedy, "Login History") {
		t.Fatalf("meaning %q, remedy %q", le.Meaning, le.Remedy)
	}
}
