package sfcheck

import (
	"strings"
	"testing"
)

func TestAnalyzeEndpoint(t *testing.T) {
	const good = "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
	cases := []struct {
		name      string
		address   string
		hostKind  DomainKind
		isApex    bool
		namespace string
		corrected string
		problems  []string // substrings, one per expected problem, in order
	}{
		{name: "correct", address: good, hostKind: DomainMyDomain, isApex: true, namespace: "digitalriverv3", corrected: good},
		{name: "sandbox", address: "https://acme--qa.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/", hostKind: DomainMyDomain, isApex: true, namespace: "digitalriverv3",
			corrected: "https://acme--qa.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"},
		{name: "lightning host", address: "https://acme.lightning.force.com/services/apexrest/digitalriverv3/webhooks/", hostKind: DomainLightning, isApex: true, namespace: "digitalriverv3",
			corrected: good, problems: []string{"Lightning"}},
		{name: "older namespace", address: "https://acme.my.salesforce.com/services/apexrest/digitalriverv2/webhooks/", hostKind: DomainMyDomain, isApex: true, namespace: "digitalriverv2",
			corrected: good, problems: []string{`namespace "digitalriverv2"`}},
		{name: "missing trailing slash", address: "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks", hostKind: DomainMyDomain, isApex: true, namespace: "digitalriverv3",
			corrected: good, problems: []string{"trailing slash"}},
		{name: "wrong case", address: "https://acme.my.salesforce.com/services/apexrest/DigitalRiverV3/Webhooks/", hostKind: DomainMyDomain, isApex: true, namespace: "DigitalRiverV3",
			corrected: good, problems: []string{"upper or lower case"}},
		{name: "plain http", address: "http://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/", hostKind: DomainMyDomain, isApex: true, namespace: "digitalriverv3",
			corrected: good, problems: []string{"http://"}},
		{name: "pre-enhanced sandbox host", address: "https://acme--qa.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/", hostKind: DomainMyDomain, isApex: true, namespace: "digitalriverv3",
			corrected: "https://acme--qa.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/", problems: []string{"before enhanced domains"}},
		{name: "defender suffix", address: "https://acme.my.salesforce.com.mcas.ms/services/apexrest/digitalriverv3/webhooks/", hostKind: DomainMyDomain, isApex: true, namespace: "digitalriverv3",
			corrected: good, problems: []string{"Defender"}},
		{name: "query string", address: good + "?debug=1", hostKind: DomainMyDomain, isApex: true, namespace: "digitalriverv3",
			corrected: good, problems: []string{"query"}},
		{name: "several problems", address: "http://acme.lightning.force.com/services/apexrest/digitalriverv2/webhooks", hostKind: DomainLightning, isApex: true, namespace: "digitalriverv2",
			corrected: good, problems: []string{"http://", "Lightning", "digitalriverv2", "trailing slash"}},
		{name: "no path", address: "https://acme.my.salesforce.com", hostKind: DomainMyDomain, corrected: good, problems: []string{"not the Digital River app's endpoint"}},
		{name: "other app", address: "https://hooks.example.com/digitalriver", hostKind: DomainNotSalesforce, problems: []string{"not a Salesforce", "not the Digital River app's endpoint"}},
		{name: "legacy instance", address: "https://na123.salesforce.com/services/apexrest/digitalriverv3/webhooks/", hostKind: DomainLegacyInstance, isApex: true, namespace: "digitalriverv3",
			problems: []string{"legacy instance"}},
		{name: "empty", address: "  ", hostKind: DomainEmpty, problems: []string{"no address"}},
		{name: "garbage", address: "https://%zz", hostKind: DomainMalformed, problems: []string{"not a web address"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := AnalyzeEndpoint(tc.address)
			if a.Address != tc.address || a.HostKind != tc.hostKind || a.IsApexWebhook != tc.isApex || a.Namespace != tc.namespace || a.Corrected != tc.corrected {
				t.Errorf("AnalyzeEndpoint(%q) = %+v\nwant hostKind %s isApex %v namespace %q corrected %q", tc.address, a, tc.hostKind, tc.isApex, tc.namespace, tc.corrected)
			}
			if (a.MyDomain != nil) != (tc.corrected != "") {
				t.Errorf("MyDomain = %v, but corrected is %q", a.MyDomain, tc.corrected)
			}
			if len(a.Problems) != len(tc.problems) {
				t.Fatalf("problems = %q, want %d: %q", a.Problems, len(tc.problems), tc.problems)
			}
			for i, p := range tc.problems {
				if !strings.Contains(a.Problems[i], p) {
					t.Errorf("problem %d = %q, want it to mention %q", i, a.Problems[i], p)
				}
			}
		})
	}
}

func FuzzAnalyzeEndpoint(f *testing.F) {
	for _, s := range []string{
		"https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/",
		"http://acme.lightning.force.com/services/apexrest/digitalriverv2/webhooks",
		"https://acme.my.salesforce.com.mcas.ms/services/apexrest/x/webhooks/?a=b#c",
		"//user:pw@[::1]:80/services/apexrest//webhooks/",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, address string) {
		a := AnalyzeEndpoint(address)
		if a.Corrected == "" {
			return
		}
		b := AnalyzeEndpoint(a.Corrected)
		if b.HostKind != DomainMyDomain || !b.IsApexWebhook || b.Namespace != ApexNamespace || b.Corrected != a.Corrected {
			t.Fatalf("correction %q of %q is not a correct endpoint: %+v", a.Corrected, address, b)
		}
	})
}
