package explain

import (
	"strings"
	"testing"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/sfcheck"
)

// Every Status Login History is known to report, and every kind drsetup
// sorts them into, has a meaning and (but for the API-only user's, which is
// not Digital River's login) a remedy; a success has neither.
func TestEveryLoginStatusHasAMeaningAndARemedy(t *testing.T) {
	reported := []string{
		"Success", "Invalid Password", "Failed: API security token required", "Restricted IP",
		"Failed: IP Address Not Allowed", "Password Lockout", "User is Inactive", "User is Frozen",
		"Username-Password Flow Disabled", "Failed: OAuth API access disabled", "Login rate exceeded",
		"Restricted time", "Failed: API-only user", "Multi-factor required", "Failed: Computer activation required", "",
	}
	kinds := []sfcheck.LoginStatusKind{
		sfcheck.LoginBadPassword, sfcheck.LoginTokenRequired, sfcheck.LoginRestrictedIP, sfcheck.LoginRestrictedTime,
		sfcheck.LoginLockedOut, sfcheck.LoginInactive, sfcheck.LoginFrozen, sfcheck.LoginFlowDisabled, sfcheck.LoginOAuthDisabled,
		sfcheck.LoginRateExceeded, sfcheck.LoginAPIOnly, sfcheck.LoginMFARequired, sfcheck.LoginOtherFailure,
	}
	for _, s := range reported {
		kinds = append(kinds, sfcheck.ClassifyLoginStatus(s))
	}
	for _, k := range kinds {
		meaning, remedy := LoginStatus(k)
		if k == sfcheck.LoginSucceeded {
			if meaning != "" || remedy != "" {
				t.Errorf("a success has words: %q %q", meaning, remedy)
			}
			continue
		}
		if meaning == "" || k != sfcheck.LoginAPIOnly && remedy == "" {
			t.Errorf("%s has no meaning or remedy", k)
		}
		for _, s := range []string{meaning, remedy} {
			if s != "" && !strings.HasSuffix(s, ".") {
				t.Errorf("%s: %q is not a sentence", k, s)
			}
		}
	}
	if m, r := LoginStatus(sfcheck.LoginStatusKind("new_kind")); m == "" || !strings.Contains(r, "Login History") {
		t.Errorf("a kind drsetup does not know: %q %q", m, r)
	}
}

// Where the address decides, the remedy lists Digital River's addresses as
// they are typed into Salesforce.
func TestLoginStatusRemediesListDigitalRiversAddresses(t *testing.T) {
	for _, k := range []sfcheck.LoginStatusKind{sfcheck.LoginTokenRequired, sfcheck.LoginRestrictedIP} {
		_, r := LoginStatus(k)
		if !strings.Contains(r, "54.204.214.106") || !strings.Contains(r, "210.242.154.0–210.242.154.7") || !strings.Contains(r, drapi.SourceAddressList()) {
			t.Errorf("%s's remedy does not list Digital River's addresses: %s", k, r)
		}
	}
	if _, r := LoginStatus(sfcheck.LoginRestrictedIP); !strings.Contains(r, "External Client App Manager") || !strings.Contains(r, "App Manager → the app") {
		t.Errorf("the IP remedy names one kind of app only: %s", r)
	}
}
