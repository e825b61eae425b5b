package doctor

import (
	"strings"
	"testing"
)

// What a webhook stores is not what the admin typed: with --allow-any-host,
// doctor still sends a webhook's stored login only to a Salesforce host on
// port 443, and says why it did not replay the others.
func TestReplaySendsStoredCredentialsOnlyToSalesforceOn443(t *testing.T) {
	for _, endpoint := range []string{
		"https://login.salesforce.com:444/services/oauth2/token",
		"https://collector.example.net/services/oauth2/token",
	} {
		t.Run(endpoint, func(t *testing.T) {
			sc := healthyScenario()
			sc.DigitalRiver.Webhooks[0].OAuth.TokenEndPoint = endpoint
			w := start(t, sc, nil)
			o := w.options(nil, nil, map[string]string{"DRSETUP_DR_API_KEY": liveKey})
			o.AllowAnyHost = true
			rep := diagnose(t, o)
			res := only(t, rep, CheckDRLoginReplay)
			if res.Status != Fail || !strings.Contains(res.Summary, "not replayed") || !strings.Contains(res.Remedy, "--allow-any-host does not apply") {
				t.Fatalf("dr_login_replay = %s: %s → %s", res.Status, res.Summary, res.Remedy)
			}
			for _, x := range w.srv.Received() {
				if x.GrantType != "" {
					t.Fatalf("a login was sent to %s (%s %s)", x.Host, x.Method, x.Path)
				}
			}
		})
	}
}

// The seam tests use is off by default and lets the replay through.
func TestReplayAnyHostIsForTestsOnly(t *testing.T) {
	sc := healthyScenario()
	sc.DigitalRiver.Webhooks[0].OAuth.TokenEndPoint = "https://login.salesforce.com:444/services/oauth2/token"
	w := start(t, sc, nil)
	o := w.options(nil, nil, map[string]string{"DRSETUP_DR_API_KEY": liveKey})
	o.ReplayAnyHost = true
	rep := diagnose(t, o)
	if res := only(t, rep, CheckDRLoginReplay); strings.Contains(res.Summary, "not replayed") {
		t.Fatalf("with ReplayAnyHost the login is replayed: %s", res.Summary)
	}
}

// Every finding reaches the report, text and JSON alike, through record: one
// line, no known secret in any encoding, no terminal control character,
// whatever it quotes.
func TestFindingsAreCleanedAndRedacted(t *testing.T) {
	r := newRun(Options{})
	r.red.Add("Stored-Pass&word-9")
	res := r.record(CheckWebhookAddress, 0, "wh", Result{Status: Fail,
		Summary: "address https://x/\x1b]0;owned\x07\x1b[2J\nnext quotes Stored-Pass%26word-9",
		Remedy:  "see \u009b31mStored-"})
	if res.Summary != "address https://x/ next quotes [redacted]" || res.Remedy != "see [redacted]" {
		t.Fatalf("summary %q, remedy %q", res.Summary, res.Remedy)
	}
}

// An address is shown without the userinfo or query someone may have put a
// password or token in, and on one line.
func TestAddressesAreShownWithoutUserinfoOrQuery(t *testing.T) {
	for in, want := range map[string]string{
		"https://u:Hunter2@acme.lightning.force.com/services/apexrest/digitalriverv3/webhooks/?access_token=QT": "https://acme.lightning.force.com/services/apexrest/digitalriverv3/webhooks/",
		"https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/":                             "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/",
		"https://acme.my.salesforce.com/x\x1b[2J?sig=S":                                                         "https://acme.my.salesforce.com/x…", // cut where the query was
	} {
		if got := shownAddress(in); got != want {
			t.Errorf("shownAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
