package sfcheck

import (
	"fmt"
	"net/url"
	"strings"
)

// EndpointAnalysis describes a webhook address as stored at Digital River: is
// it this app's endpoint, on which org, and what is wrong with it.
type EndpointAnalysis struct {
	Address  string
	MyDomain *MyDomain // the org it points at, after correction; nil when no org can be told
	// HostKind is the kind of the address's host as given. The scheme is not
	// part of it: http:// is reported in Problems, so a Lightning host behind
	// http:// still shows as DomainLightning.
	HostKind      DomainKind
	IsApexWebhook bool   // the path is /services/apexrest/<namespace>/webhooks[/], in any case
	Namespace     string // the namespace in the path, as written ("digitalriverv3", "digitalriverv2", …)
	Problems      []string
	Corrected     string // the correct Endpoint URL for that org, "" when the org is unknown
}

// AnalyzeEndpoint examines a webhook address. It never panics and never fails:
// whatever it cannot read is a problem in the result.
func AnalyzeEndpoint(address string) EndpointAnalysis {
	a := EndpointAnalysis{Address: address}
	s := cleanInput(address)
	if s == "" {
		a.HostKind = DomainEmpty
		a.Problems = append(a.Problems, "The webhook has no address.")
		return a
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		a.HostKind = DomainMalformed
		a.Problems = append(a.Problems, "The address is not a web address; it should be "+"https://<My Domain>"+ApexPath+".")
		return a
	}

	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" {
		a.Problems = append(a.Problems, fmt.Sprintf("The address uses %s://; Salesforce accepts only https://.", scheme))
	}
	if p := u.Port(); p != "" && p != "443" {
		a.Problems = append(a.Problems, fmt.Sprintf("The address names port %s; Salesforce answers only on the standard HTTPS port.", p))
	}
	// The host alone: the port is reported above and the path below.
	host, _, warnings, derr := hostFromInput("https://" + u.Hostname())
	if derr == nil {
		d, cerr := classifyHost(host)
		if cerr == nil {
			a.HostKind = DomainMyDomain
			d.Warnings = append(warnings, d.Warnings...)
			a.MyDomain = &d
			a.Problems = append(a.Problems, d.Warnings...)
		} else {
			derr = cerr
		}
	}
	if derr != nil {
		a.HostKind = derr.Kind
		a.Problems = append(a.Problems, derr.Error())
		if derr.Corrected != "" {
			if d, err := ParseMyDomain(derr.Corrected); err == nil {
				a.MyDomain = &d
			}
		}
	}

	a.analyzePath(u)
	if a.MyDomain != nil {
		a.Corrected = a.MyDomain.EndpointURL()
	}
	return a
}

// analyzePath checks the path against ApexPath, keeping the namespace of any
// webhooks endpoint under /services/apexrest/.
func (a *EndpointAnalysis) analyzePath(u *url.URL) {
	path := u.Path
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	// services / apexrest / <namespace> / webhooks [/ ""]
	if len(segs) >= 4 && len(segs) <= 5 &&
		strings.EqualFold(segs[0], "services") && strings.EqualFold(segs[1], "apexrest") &&
		segs[2] != "" && strings.EqualFold(segs[3], "webhooks") && (len(segs) == 4 || segs[4] == "") {
		a.IsApexWebhook = true
		a.Namespace = segs[2]
	}
	switch {
	case !a.IsApexWebhook:
		a.Problems = append(a.Problems, fmt.Sprintf("The path %q is not the Digital River app's endpoint, %s.", path, ApexPath))
	case !strings.EqualFold(a.Namespace, ApexNamespace):
		a.Problems = append(a.Problems, fmt.Sprintf("The path names the namespace %q, but this app's package is %q (an older package version or a mistyped namespace); the endpoint is %s.", a.Namespace, ApexNamespace, ApexPath))
	case strings.TrimSuffix(path, "/")+"/" != ApexPath:
		a.Problems = append(a.Problems, fmt.Sprintf("The path %q differs from %s in upper or lower case; Salesforce matches Apex REST paths exactly.", path, ApexPath))
	}
	if a.IsApexWebhook && !strings.HasSuffix(path, "/") {
		a.Problems = append(a.Problems, fmt.Sprintf("The address lacks the trailing slash of %s; without it Salesforce can answer 404.", ApexPath))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		a.Problems = append(a.Problems, "The address carries a query or fragment (after ? or #), which the endpoint does not use.")
	}
	if u.User != nil {
		a.Problems = append(a.Problems, "The address carries a user name or password in front of the host; remove it.")
	}
}
