package steps

import (
	"strings"
	"testing"

	"github.com/drsetup/drsetup/drapi"
)

func TestChangeTextSaysEachChangeWithoutSecretValues(t *testing.T) {
	plain := func(s ...string) string { return strings.Join(s, " ") }
	for _, tt := range []struct {
		ch   drapi.Change
		want string
	}{
		{drapi.Change{Field: "address", From: "https://acme.lightning.force.com/x/", To: "https://acme.my.salesforce.com/x/"},
			"address https://acme.lightning.force.com/x/ → https://acme.my.salesforce.com/x/"},
		{drapi.Change{Field: "types", From: "order.accepted,order.complete", To: "order.accepted,order.created"},
			"types + order.created; − order.complete"},
		{drapi.Change{Field: "types", From: "", To: "order.accepted,order.complete"}, "types + order.accepted, order.complete"},
		{drapi.Change{Field: "oauth.audience", From: "", To: "https://login.salesforce.com"}, "oauth.audience (none) → https://login.salesforce.com"},
		{drapi.Change{Field: "oauth.grantType", From: "password", To: ""}, "oauth.grantType password → (none)"},
		// Even a secret that reached the change list unmasked is not shown.
		{drapi.Change{Field: "oauth.password", From: "hunter2", To: "hunter3"}, "oauth.password changed"},
		{drapi.Change{Field: "oauth.clientSecret", From: "s3cret", To: ""}, "oauth.clientSecret removed"},
	} {
		if got := ChangeText(tt.ch, plain); got != tt.want {
			t.Errorf("ChangeText(%+v) = %q, want %q", tt.ch, got, tt.want)
		}
	}
}
