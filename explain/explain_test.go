package explain

import (
	"strings"
	"testing"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

func TestExplainCapitalisesAndSeparatesParts(t *testing.T) {
	_, err := drapi.ClassifyKey(emulator.Demo.DRPublicKey)
	f := Of(err)
	if f.Field != field.DRAPIKey || !strings.HasPrefix(f.Meaning, "This is a Digital River public key") {
		t.Fatalf("failure %+v", f)
	}
	if text.Sentence("x") != "X." || text.Sentence("") != "" || text.Sentence("done.") != "Done." || text.Sentence("acme.lightning.force.com is wrong") != "acme.lightning.force.com is wrong." {
		t.Fatal("Sentence")
	}
}

func TestExplainKeepsDigitalRiversRequestID(t *testing.T) {
	f := Of(&drapi.Error{Status: 401, Kind: drapi.KindUnauthorized, RequestID: "req-42"})
	if f.RequestID != "req-42" || !strings.Contains(f.Text(), "Digital River request id req-42") || f.Field != field.DRAPIKey {
		t.Fatalf("failure %+v", f)
	}
}

func TestRemediesNameTheSetupPageOfTheAppInUse(t *testing.T) {
	for app, want := range map[sfcheck.App]string{sfcheck.AppConnected: "App Manager", sfcheck.AppExternal: "External Client App Manager"} {
		f := Of(&sfcheck.LoginError{Op: sfcheck.OpLogin, Status: 400, Code: "invalid_client_id", Kind: sfcheck.KindBadClientID, App: app})
		if !strings.Contains(f.Remedy, want) {
			t.Errorf("%s: remedy %q does not name %q", app, f.Remedy, want)
		}
		f = Of(&sfcheck.LoginError{Op: sfcheck.OpLogin, Status: 400, Code: "invalid_grant", Description: "no client credentials user enabled", Kind: sfcheck.KindNoRunAs, Flow: sfcheck.FlowClientCredentials, App: app})
		if !strings.Contains(f.Remedy, want) || !strings.Contains(f.Remedy, "Run As") {
			t.Errorf("%s: remedy %q", app, f.Remedy)
		}
	}
}

func TestIPRestrictionNamesDigitalRiversAddresses(t *testing.T) {
	f := Of(&sfcheck.LoginError{Op: sfcheck.OpLogin, Status: 400, Code: "invalid_grant", Description: "IP restricted or invalid login hours", Kind: sfcheck.KindIPRestricted, Flow: sfcheck.FlowPassword})
	if !strings.Contains(f.Remedy, "54.204.214.106") || !strings.Contains(f.Remedy, "210.242.154.0–210.242.154.7") {
		t.Fatalf("remedy %q", f.Remedy)
	}
}
