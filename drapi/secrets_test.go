package drapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/secret"
)

func TestWebhookSecretsNeverPrinted(t *testing.T) {
	plain := []string{"oauth-Pass-PLAIN1TOKEN", "client-Secret-PLAIN2", "basic-Pass-PLAIN3"}
	w := Webhook{
		ID: "wh_1", Address: endpoint, Types: []string{"order.accepted"}, APIVersion: "default", Enabled: true, TransportType: "OAUTH",
		OAuth: &OAuth{TokenEndPoint: "https://login.salesforce.com/services/oauth2/token", UserName: "u@acme.com",
			Password: secret.Value(plain[0]), ClientID: "3MVG9cid", ClientSecret: secret.Value(plain[1]), GrantType: "password"},
		Authentication: &BasicAuth{Username: "basic", Password: secret.Value(plain[2])},
	}
	var fromWire Webhook
	wire := fmt.Sprintf(`{"id":"wh_1","address":%q,"transportType":"OAUTH","oauth":{"password":%q,"clientSecret":%q},"authentication":{"userName":"b","password":%q}}`,
		endpoint, plain[0], plain[1], plain[2])
	if err := json.Unmarshal([]byte(wire), &fromWire); err != nil {
		t.Fatal(err)
	}
	if fromWire.OAuth.Password.Reveal() != plain[0] || fromWire.Authentication.Password.Reveal() != plain[2] || fromWire.Authentication.Username != "b" {
		t.Fatal("decoding must keep the wire form's real values (userName accepted for username)")
	}
	values := []any{
		w, &w, fromWire, []Webhook{w}, map[string]Webhook{"k": w}, *w.OAuth, w.OAuth, *w.Authentication,
		Result{Action: ActionCreated, Webhook: w}, Plan{Action: ActionUpdate, Target: &w, Desired: Spec{OAuth: w.OAuth}},
		Spec{Address: endpoint, OAuth: w.OAuth}, &DuplicatesError{Address: endpoint, Webhooks: []Webhook{w, w}},
		struct{ Hooks []Webhook }{[]Webhook{w}}, Diff(Webhook{}, Spec{Address: endpoint, Types: w.Types, OAuth: w.OAuth}),
	}
	var outs []string
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v"} {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
		outs = append(outs, fmt.Sprint(v), fmt.Sprintln(v))
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal(%T): %v", v, err)
		}
		outs = append(outs, string(j))
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "v", v)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "v", v)
		outs = append(outs, buf.String())
	}
	outs = append(outs, (&DuplicatesError{Address: endpoint, Webhooks: []Webhook{w}}).Error())
	for _, o := range outs {
		for _, p := range plain {
			if strings.Contains(o, p) || strings.Contains(strings.ToLower(o), fmt.Sprintf("%x", p)) {
				t.Errorf("secret %q leaked in %q", p, o)
			}
		}
	}

	// The masked forms still say what is there.
	j, _ := json.Marshal(w)
	for _, want := range []string{`"password":"********"`, `"clientSecret":"********"`, `"clientID":"3MVG9cid"`, `"tokenEndPoint":"https://login.salesforce.com/services/oauth2/token"`, `"address":"` + endpoint} {
		if !strings.Contains(string(j), want) {
			t.Errorf("report JSON %s lacks %s", j, want)
		}
	}
	if s := fmt.Sprint(w); !strings.Contains(s, "wh_1") || !strings.Contains(s, "clientSecret=********") {
		t.Errorf("String() = %q; want the id and the masked secret", s)
	}
	if s := fmt.Sprintf("%#v", w); !strings.HasPrefix(s, "drapi.Webhook{ID:\"wh_1\"") || !strings.Contains(s, `Password:secret.Value("********")`) {
		t.Errorf("%%#v = %q", s)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "webhook", w)
	if !strings.Contains(buf.String(), `"oauth":{"tokenEndPoint":"https://login.salesforce.com/services/oauth2/token"`) {
		t.Errorf("slog form %s should be a structured group", buf.String())
	}
}
