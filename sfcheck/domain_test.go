package sfcheck

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// hostShapes covers every form of address an admin may give for the My
// Domain: the accepted ones with their canonical host, and the wrong ones with
// their kind and correction.
var hostShapes = []struct {
	name  string
	input string
	kind  DomainKind
	// accepted
	host, sandboxName, partition string
	sandbox                      bool
	warning                      string // a substring of one warning; "" means none expected
	// refused
	corrected string
}{
	// Production and the forgiven ways of typing it.
	{name: "production", input: "acme.my.salesforce.com", kind: DomainMyDomain, host: "acme.my.salesforce.com"},
	{name: "spaces, upper case, trailing slash", input: "  https://ACME.My.Salesforce.com/  ", kind: DomainMyDomain, host: "acme.my.salesforce.com"},
	{name: "trailing dot", input: "acme.my.salesforce.com.", kind: DomainMyDomain, host: "acme.my.salesforce.com"},
	{name: "path dropped", input: "https://acme.my.salesforce.com/lightning/page/home", kind: DomainMyDomain, host: "acme.my.salesforce.com", warning: "rest of the address"},
	{name: "endpoint URL pasted", input: "acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/", kind: DomainMyDomain, host: "acme.my.salesforce.com", warning: "rest of the address"},
	{name: "standard port", input: "https://acme.my.salesforce.com:443", kind: DomainMyDomain, host: "acme.my.salesforce.com"},
	{name: "other port dropped", input: "https://acme.my.salesforce.com:8443/", kind: DomainMyDomain, host: "acme.my.salesforce.com", warning: "port :8443"},
	{name: "quoted", input: `"https://acme.my.salesforce.com"`, kind: DomainMyDomain, host: "acme.my.salesforce.com"},
	{name: "angle brackets", input: "<https://acme.my.salesforce.com>", kind: DomainMyDomain, host: "acme.my.salesforce.com"},
	{name: "scheme-relative", input: "//acme.my.salesforce.com", kind: DomainMyDomain, host: "acme.my.salesforce.com"},
	{name: "line break inside", input: "https://acme.my.sales\nforce.com", kind: DomainMyDomain, host: "acme.my.salesforce.com"},
	{name: "hyphen and digits", input: "acme-eu-2.my.salesforce.com", kind: DomainMyDomain, host: "acme-eu-2.my.salesforce.com"},

	// Sandboxes and partitions.
	{name: "enhanced sandbox", input: "acme--qa.sandbox.my.salesforce.com", kind: DomainMyDomain, host: "acme--qa.sandbox.my.salesforce.com", sandboxName: "qa", partition: "sandbox", sandbox: true},
	{name: "enhanced sandbox shouted", input: "HTTPS://ACME--QA.SANDBOX.MY.SALESFORCE.COM/", kind: DomainMyDomain, host: "acme--qa.sandbox.my.salesforce.com", sandboxName: "qa", partition: "sandbox", sandbox: true},
	{name: "pre-enhanced sandbox", input: "acme--qa.my.salesforce.com", kind: DomainMyDomain, host: "acme--qa.my.salesforce.com", sandboxName: "qa", sandbox: true, warning: "acme--qa.sandbox.my.salesforce.com"},
	{name: "developer edition", input: "acme-dev-ed.develop.my.salesforce.com", kind: DomainMyDomain, host: "acme-dev-ed.develop.my.salesforce.com", partition: "develop"},
	{name: "pre-enhanced developer edition", input: "acme-dev-ed.my.salesforce.com", kind: DomainMyDomain, host: "acme-dev-ed.my.salesforce.com", warning: "acme-dev-ed.develop.my.salesforce.com"},
	{name: "scratch org", input: "power-ability-1234.scratch.my.salesforce.com", kind: DomainMyDomain, host: "power-ability-1234.scratch.my.salesforce.com", partition: "scratch", sandbox: true},
	{name: "patch org", input: "acme.patch.my.salesforce.com", kind: DomainMyDomain, host: "acme.patch.my.salesforce.com", partition: "patch"},
	{name: "demo org", input: "acme.demo.my.salesforce.com", kind: DomainMyDomain, host: "acme.demo.my.salesforce.com", partition: "demo"},
	{name: "trailhead playground", input: "acme.trailblaze.my.salesforce.com", kind: DomainMyDomain, host: "acme.trailblaze.my.salesforce.com", partition: "trailblaze"},
	{name: "free org", input: "acme.free.my.salesforce.com", kind: DomainMyDomain, host: "acme.free.my.salesforce.com", partition: "free"},

	// Other clouds.
	{name: "government cloud", input: "acme.my.salesforce.mil", kind: DomainMyDomain, host: "acme.my.salesforce.mil"},
	{name: "government cloud sandbox", input: "acme--uat.sandbox.my.salesforce.mil", kind: DomainMyDomain, host: "acme--uat.sandbox.my.salesforce.mil", sandboxName: "uat", partition: "sandbox", sandbox: true},
	{name: "my-salesforce.com cloud", input: "acme.my-salesforce.com", kind: DomainMyDomain, host: "acme.my-salesforce.com"},
	{name: "china cloud", input: "acme.my.sfcrmproducts.cn", kind: DomainMyDomain, host: "acme.my.sfcrmproducts.cn"},

	// Microsoft Defender for Cloud Apps.
	{name: "defender suffix", input: "https://acme.my.salesforce.com.mcas.ms/", kind: DomainMyDomain, host: "acme.my.salesforce.com", warning: ".mcas.ms"},
	{name: "defender gov suffix", input: "acme--qa.sandbox.my.salesforce.com.mcas-gov.us", kind: DomainMyDomain, host: "acme--qa.sandbox.my.salesforce.com", sandboxName: "qa", partition: "sandbox", sandbox: true, warning: ".mcas-gov.us"},
	{name: "defender region label", input: "acme.my.salesforce.com.us2.mcas.ms", kind: DomainMyDomain, host: "acme.my.salesforce.com", warning: ".us2.mcas.ms"},
	{name: "defender over lightning", input: "acme.lightning.force.com.mcas-gov.ms", kind: DomainLightning, corrected: "https://acme.my.salesforce.com"},
	{name: "defender over another site", input: "fabrikam.com.mcas.ms", kind: DomainNotSalesforce},

	// Lightning hosts.
	{name: "lightning", input: "https://acme.lightning.force.com/lightning/page/home", kind: DomainLightning, corrected: "https://acme.my.salesforce.com"},
	{name: "lightning sandbox", input: "acme--qa.sandbox.lightning.force.com", kind: DomainLightning, corrected: "https://acme--qa.sandbox.my.salesforce.com"},
	{name: "lightning developer edition", input: "x-dev-ed.develop.lightning.force.com", kind: DomainLightning, corrected: "https://x-dev-ed.develop.my.salesforce.com"},
	{name: "lightning scratch", input: "acme.scratch.lightning.force.com", kind: DomainLightning, corrected: "https://acme.scratch.my.salesforce.com"},
	{name: "lightning pre-enhanced sandbox", input: "acme--qa.lightning.force.com", kind: DomainLightning, corrected: "https://acme--qa.my.salesforce.com"},
	{name: "lightning with fragment", input: "acme.lightning.force.com:443/one/one.app#/home", kind: DomainLightning, corrected: "https://acme.my.salesforce.com"},
	{name: "lightning government cloud", input: "acme.lightning.crmforce.mil", kind: DomainLightning, corrected: "https://acme.my.salesforce.mil"},
	{name: "lightning my-lightning.com", input: "acme.my-lightning.com", kind: DomainLightning, corrected: "https://acme.my-salesforce.com"},
	{name: "lightning china", input: "acme.lightning.sfcrmapps.cn", kind: DomainLightning, corrected: "https://acme.my.sfcrmproducts.cn"},
	{name: "lightning over http", input: "http://acme.lightning.force.com", kind: DomainLightning, corrected: "https://acme.my.salesforce.com"},

	// Setup and Visualforce hosts.
	{name: "setup", input: "https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home", kind: DomainSetup, corrected: "https://acme.my.salesforce.com"},
	{name: "setup sandbox", input: "acme--qa.sandbox.my.salesforce-setup.com", kind: DomainSetup, corrected: "https://acme--qa.sandbox.my.salesforce.com"},
	{name: "visualforce", input: "acme--c.vf.force.com", kind: DomainVisualforce, corrected: "https://acme.my.salesforce.com"},
	{name: "visualforce sandbox", input: "acme--qa--c.sandbox.vf.force.com", kind: DomainVisualforce, corrected: "https://acme--qa.sandbox.my.salesforce.com"},
	{name: "visualforce managed package", input: "acme--digitalriverv3.vf.force.com", kind: DomainVisualforce, corrected: "https://acme.my.salesforce.com"},
	{name: "visualforce legacy instance", input: "acme--c.na123.visual.force.com", kind: DomainVisualforce, corrected: "https://acme.my.salesforce.com"},
	{name: "visualforce legacy sandbox", input: "acme--qa--c.cs42.visual.force.com", kind: DomainVisualforce, corrected: "https://acme--qa.sandbox.my.salesforce.com"},
	{name: "visualforce without my domain", input: "c.na123.visual.force.com", kind: DomainVisualforce},
	{name: "visualforce stabilized", input: "acme--c.visualforce.com", kind: DomainVisualforce, corrected: "https://acme.my.salesforce.com"},

	// Shared login hosts and legacy instances.
	{name: "login host", input: "login.salesforce.com", kind: DomainLoginHost},
	{name: "test host with token path", input: "https://test.salesforce.com/services/oauth2/token", kind: DomainLoginHost},
	{name: "legacy instance", input: "https://na123.salesforce.com", kind: DomainLegacyInstance},
	{name: "legacy sandbox instance", input: "cs42.salesforce.com", kind: DomainLegacyInstance},
	{name: "legacy hyperforce instance", input: "usa2s.salesforce.com", kind: DomainLegacyInstance},
	{name: "instanced my domain", input: "acme.na99.my.salesforce.com", kind: DomainLegacyInstance, corrected: "https://acme.my.salesforce.com"},
	{name: "instanced sandbox my domain", input: "acme--qa.cs42.my.salesforce.com", kind: DomainLegacyInstance, corrected: "https://acme--qa.sandbox.my.salesforce.com"},

	// Site and content hosts.
	{name: "experience cloud site", input: "acme.my.site.com", kind: DomainSite, corrected: "https://acme.my.salesforce.com"},
	{name: "experience cloud sandbox site", input: "acme--qa.sandbox.my.site.com", kind: DomainSite, corrected: "https://acme--qa.sandbox.my.salesforce.com"},
	{name: "salesforce site", input: "https://acme.my.salesforce-sites.com/shop", kind: DomainSite, corrected: "https://acme.my.salesforce.com"},
	{name: "legacy force.com site", input: "acme.secure.force.com", kind: DomainSite},
	{name: "file host", input: "acme.file.force.com", kind: DomainContent, corrected: "https://acme.my.salesforce.com"},
	{name: "document host", input: "acme--c.documentforce.com", kind: DomainContent, corrected: "https://acme.my.salesforce.com"},
	{name: "legacy content host", input: "acme--c.na123.content.force.com", kind: DomainContent, corrected: "https://acme.my.salesforce.com"},

	// Plain http and hosts that are not Salesforce's.
	{name: "plain http", input: "http://acme.my.salesforce.com", kind: DomainInsecure, corrected: "https://acme.my.salesforce.com"},
	{name: "plain http sandbox", input: "HTTP://acme--qa.sandbox.my.salesforce.com/", kind: DomainInsecure, corrected: "https://acme--qa.sandbox.my.salesforce.com"},
	{name: "other domain", input: "example.com", kind: DomainNotSalesforce},
	{name: "custom domain", input: "https://crm.acme.com/services/apexrest/digitalriverv3/webhooks/", kind: DomainNotSalesforce},
	{name: "salesforce website", input: "www.salesforce.com", kind: DomainNotSalesforce},
	{name: "look-alike", input: "acme.my.salesforce.com.evil.example", kind: DomainNotSalesforce},
	{name: "ip address", input: "10.0.0.1", kind: DomainNotSalesforce},
	{name: "localhost", input: "http://localhost:8080", kind: DomainNotSalesforce},

	// Empty and malformed.
	{name: "empty", input: "", kind: DomainEmpty},
	{name: "only spaces", input: " \t ", kind: DomainEmpty},
	{name: "ftp scheme", input: "ftp://acme.my.salesforce.com", kind: DomainMalformed},
	{name: "scheme only", input: "https://", kind: DomainMalformed},
	{name: "underscore", input: "acme_x.my.salesforce.com", kind: DomainMalformed},
	{name: "leading hyphen", input: "-acme.my.salesforce.com", kind: DomainMalformed},
	{name: "sandbox partition without name", input: "acme.sandbox.my.salesforce.com", kind: DomainMalformed},
	{name: "sandbox name outside sandbox partition", input: "acme--qa.develop.my.salesforce.com", kind: DomainMalformed},
	{name: "extra label", input: "a.b.acme.my.salesforce.com", kind: DomainMalformed},
	{name: "package suffix on my domain", input: "acme--qa--c.sandbox.my.salesforce.com", kind: DomainMalformed},
	{name: "empty label", input: "acme..my.salesforce.com", kind: DomainMalformed},
}

func TestParseMyDomainHostShapes(t *testing.T) {
	if len(hostShapes) < 40 {
		t.Fatalf("only %d host shapes; the table must cover at least 40", len(hostShapes))
	}
	for _, tc := range hostShapes {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseMyDomain(tc.input)
			if tc.kind == DomainMyDomain {
				if err != nil {
					t.Fatalf("ParseMyDomain(%q) = error %v, want %s", tc.input, err, tc.host)
				}
				if d.Host != tc.host || d.SandboxName != tc.sandboxName || d.Partition != tc.partition || d.Sandbox != tc.sandbox {
					t.Errorf("ParseMyDomain(%q) = host %q sandboxName %q partition %q sandbox %v; want %q %q %q %v",
						tc.input, d.Host, d.SandboxName, d.Partition, d.Sandbox, tc.host, tc.sandboxName, tc.partition, tc.sandbox)
				}
				if tc.warning == "" && len(d.Warnings) > 0 {
					t.Errorf("unexpected warnings %q", d.Warnings)
				}
				if tc.warning != "" && !strings.Contains(strings.Join(d.Warnings, "\n"), tc.warning) {
					t.Errorf("warnings %q do not mention %q", d.Warnings, tc.warning)
				}
				return
			}
			var de *DomainError
			if !errors.As(err, &de) {
				t.Fatalf("ParseMyDomain(%q) = %+v, %v; want a *DomainError of kind %s", tc.input, d, err, tc.kind)
			}
			if de.Kind != tc.kind || de.Corrected != tc.corrected {
				t.Errorf("ParseMyDomain(%q): kind %s, corrected %q; want %s, %q", tc.input, de.Kind, de.Corrected, tc.kind, tc.corrected)
			}
			if de.Input != tc.input {
				t.Errorf("Input = %q, want %q", de.Input, tc.input)
			}
			msg := de.Error()
			if tc.corrected != "" && !strings.Contains(msg, tc.corrected) {
				t.Errorf("error %q does not offer the correction %s", msg, tc.corrected)
			}
			if tc.corrected == "" && !strings.Contains(msg, "Setup → My Domain") {
				t.Errorf("error %q does not say where to find the My Domain", msg)
			}
		})
	}
}

func TestParseMyDomainIsIdempotent(t *testing.T) {
	for _, tc := range hostShapes {
		d, err := ParseMyDomain(tc.input)
		if err != nil {
			continue
		}
		again, err := ParseMyDomain(d.URL())
		if err != nil {
			t.Errorf("%s: ParseMyDomain(%q) = %v", tc.name, d.URL(), err)
			continue
		}
		if again.Host != d.Host || again.Name != d.Name || again.SandboxName != d.SandboxName || again.Partition != d.Partition || again.Sandbox != d.Sandbox {
			t.Errorf("%s: normalising %q changed it: %+v, then %+v", tc.name, tc.input, d, again)
		}
	}
}

func TestCorrectionsAreMyDomains(t *testing.T) {
	for _, tc := range hostShapes {
		if tc.corrected == "" {
			continue
		}
		d, err := ParseMyDomain(tc.corrected)
		if err != nil || d.URL() != tc.corrected {
			t.Errorf("%s: correction %q parses to %q, %v", tc.name, tc.corrected, d.URL(), err)
		}
	}
}

func TestMyDomainURLs(t *testing.T) {
	d, err := ParseMyDomain("Acme--QA.sandbox.my.salesforce.com/")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.URL(), "https://acme--qa.sandbox.my.salesforce.com"; got != want {
		t.Errorf("URL() = %q, want %q", got, want)
	}
	if got, want := d.EndpointURL(), "https://acme--qa.sandbox.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"; got != want {
		t.Errorf("EndpointURL() = %q, want %q", got, want)
	}
	if got, want := d.TokenEndpoint(), "https://acme--qa.sandbox.my.salesforce.com/services/oauth2/token"; got != want {
		t.Errorf("TokenEndpoint() = %q, want %q", got, want)
	}
	if d.Name != "acme" {
		t.Errorf("Name = %q, want acme", d.Name)
	}
}

func TestDomainErrorNeverEchoesCredentials(t *testing.T) {
	_, err := ParseMyDomain("https://admin:Hunter2-unique@acme.lightning.force.com/?sid=00Dxx!secret-session")
	if err == nil {
		t.Fatal("want an error for a Lightning host")
	}
	var de *DomainError
	errors.As(err, &de)
	for _, leak := range []string{"Hunter2-unique", "secret-session"} {
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", *de)} {
			if strings.Contains(text, leak) {
				t.Errorf("%q repeats %q", text, leak)
			}
		}
	}
	_, err = ParseMyDomain("ftp://admin:Hunter2-unique@acme")
	if err == nil || strings.Contains(err.Error(), "Hunter2-unique") {
		t.Errorf("malformed input error %v repeats the password", err)
	}
}

func TestIsSalesforceHost(t *testing.T) {
	for host, want := range map[string]bool{
		"login.salesforce.com":                  true,
		"test.salesforce.com":                   true,
		"LOGIN.salesforce.com.":                 true,
		"acme.my.salesforce.com":                true,
		"acme--qa.sandbox.my.salesforce.com":    true,
		"acme--qa.my.salesforce.com":            true,
		"acme-dev-ed.develop.my.salesforce.com": true,
		"acme.scratch.my.salesforce.com":        true,
		"acme.my.salesforce.mil":                true,
		"acme.my-salesforce.com":                true,
		"acme.my.sfcrmproducts.cn":              true,
		"acme.lightning.force.com":              false,
		"acme.my.salesforce-setup.com":          false,
		"acme.my.site.com":                      false,
		"na123.salesforce.com":                  false,
		"acme.na99.my.salesforce.com":           false,
		"my.salesforce.com":                     false,
		"evil.com":                              false,
		"acme.my.salesforce.com.evil.com":       false,
		"acme.my.salesforce.com.mcas.ms":        false,
		"127.0.0.1":                             false,
		"":                                      false,
	} {
		if got := IsSalesforceHost(host); got != want {
			t.Errorf("IsSalesforceHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func FuzzParseMyDomain(f *testing.F) {
	for _, tc := range hostShapes {
		f.Add(tc.input)
	}
	f.Fuzz(func(t *testing.T, input string) {
		d, err := ParseMyDomain(input)
		if err != nil {
			var de *DomainError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not a *DomainError", err)
			}
			if de.Error() == "" {
				t.Fatal("empty error text")
			}
			if de.Corrected != "" {
				c, cerr := ParseMyDomain(de.Corrected)
				if cerr != nil || c.URL() != de.Corrected {
					t.Fatalf("correction %q of %q does not parse to itself: %q, %v", de.Corrected, input, c.URL(), cerr)
				}
			}
			return
		}
		if !IsSalesforceHost(d.Host) {
			t.Fatalf("accepted host %q is not trusted", d.Host)
		}
		again, err := ParseMyDomain(d.URL())
		if err != nil || again.Host != d.Host || again.Sandbox != d.Sandbox || again.Partition != d.Partition {
			t.Fatalf("normalising %q changed it: %+v, then %+v, %v", input, d, again, err)
		}
	})
}

func BenchmarkParseMyDomain(b *testing.B) {
	inputs := []string{
		"acme.my.salesforce.com",
		"  https://ACME--QA.sandbox.my.salesforce.com/lightning/page/home ",
		"acme.lightning.force.com",
		"acme.my.salesforce.com.mcas.ms",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _ = ParseMyDomain(inputs[i%len(inputs)])
	}
}
