package steps

import (
	"strings"
	"testing"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

func TestExternalClientAppMeansClientCredentialsAtTheMyDomain(t *testing.T) {
	var set profile.Settings
	set.Set(field.App, "external-client-app", profile.SourceFlag)
	set.Set(field.MyDomain, "https://cyberdyne.my.salesforce.com", profile.SourceFlag)
	s := FromSettings("default", set)
	if s.App != sfcheck.AppExternal || s.Auth != sfcheck.FlowClientCredentials || s.TokenURL() != "https://cyberdyne.my.salesforce.com/services/oauth2/token" {
		t.Fatalf("app %q auth %q token %q", s.App, s.Auth, s.TokenURL())
	}
	if s.Title(ConnectedApp) != "External Client App" || !strings.Contains(s.Help(field.ClientID), "External Client App Manager") {
		t.Fatalf("title %q, help %q", s.Title(ConnectedApp), s.Help(field.ClientID))
	}
	if ps := CheckField(s, field.ClientID); len(ps) != 1 || !strings.Contains(ps[0].Remedy, "External Client App Manager") {
		t.Fatalf("an empty consumer key points at %v", ps)
	}
}

func TestExternalClientAppWithThePasswordFlowIsRefusedWithTheWayOut(t *testing.T) {
	s := Defaults("default")
	s.App, s.Auth = sfcheck.AppExternal, sfcheck.FlowPassword
	ps := CheckField(s, field.Auth)
	if len(ps) != 1 || !ps[0].Blocking || ps[0].Suggestion != string(sfcheck.FlowClientCredentials) {
		t.Fatalf("problems %+v", ps)
	}
	if !ps[0].Apply(&s) || s.Auth != sfcheck.FlowClientCredentials {
		t.Fatalf("the suggestion does not switch the flow: %q", s.Auth)
	}
	s.App = "a-connected-app"
	if ps := CheckField(s, field.App); len(ps) != 1 || !ps[0].Blocking {
		t.Fatalf("an unknown app kind: %+v", ps)
	}
}

func TestLoginChoicesRoundTrip(t *testing.T) {
	for _, c := range LoginChoices() {
		s := Defaults("default")
		s.MyDomain = "https://acme.my.salesforce.com"
		s.ChooseLogin(c.Value)
		if s.LoginChosen() != c.Value {
			t.Errorf("%s chosen, %s shown", c.Value, s.LoginChosen())
		}
		if ps := Check(s, Auth); Blocking(ps) {
			t.Errorf("%s: offered but refused: %v", c.Value, ps)
		}
	}
}

func TestTokenWarningOnlyWithoutAToken(t *testing.T) {
	s := Defaults("default")
	if _, ok := TokenFromHereOnly(s); !ok {
		t.Fatal("no warning for an empty token")
	}
	s.SecurityToken = "TOKEN0123"
	if _, ok := TokenFromHereOnly(s); ok {
		t.Fatal("a warning with a token")
	}
	s.SecurityToken, s.Auth = "", sfcheck.FlowClientCredentials
	if _, ok := TokenFromHereOnly(s); ok {
		t.Fatal("a warning for client credentials, which use no token")
	}
}
