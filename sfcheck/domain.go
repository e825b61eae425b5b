// Package sfcheck is what drsetup knows about Salesforce: My Domain rules and
// their corrections, token endpoints, the OAuth logins Digital River makes, the
// identity service, a side-effect-free probe of the app's Apex endpoint, and
// read-only REST queries of what the integration user may see (its Login
// History, the app's failed events, its permission sets), with every failure
// told as a meaning, a remedy and the input most likely wrong.
package sfcheck

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/drsetup/drsetup/httpx"
)

// ApexPath is the path of the Digital River app's webhook listener. The
// trailing slash is part of it: the guide gives it so, and Apex REST mappings
// are matched exactly.
const ApexPath = "/services/apexrest/digitalriverv3/webhooks/"

// ApexNamespace is the managed package namespace in ApexPath.
const ApexNamespace = "digitalriverv3"

// DomainKind says what kind of address an admin gave where the My Domain URL
// belongs.
type DomainKind string

const (
	DomainMyDomain       DomainKind = "my_domain"       // the org's API host: what we want
	DomainLightning      DomainKind = "lightning"       // *.lightning.force.com and the other clouds' Lightning hosts
	DomainSetup          DomainKind = "setup"           // *.my.salesforce-setup.com
	DomainVisualforce    DomainKind = "visualforce"     // *.vf.force.com and the older Visualforce hosts
	DomainLoginHost      DomainKind = "login_host"      // login.salesforce.com, test.salesforce.com
	DomainLegacyInstance DomainKind = "legacy_instance" // na123.salesforce.com, name.cs42.my.salesforce.com
	DomainSite           DomainKind = "site"            // Experience Cloud and Salesforce Sites hosts
	DomainContent        DomainKind = "content"         // file and document hosts
	DomainInsecure       DomainKind = "insecure"        // http:// in front of an otherwise usable host
	DomainNotSalesforce  DomainKind = "not_salesforce"  // no Salesforce org's host
	DomainEmpty          DomainKind = "empty"
	DomainMalformed      DomainKind = "malformed"
	DomainTooLong        DomainKind = "too_long" // longer than MaxAddressLength, not parsed
)

// MaxAddressLength bounds, in bytes, an address ParseMyDomain reads: far more
// than the browser address of any Salesforce page, so only a paste of
// something else is longer, and it is refused without being parsed (the
// wizard checks the field on every keystroke).
const MaxAddressLength = 2048

// MyDomain is an org's My Domain, parsed and in canonical form.
type MyDomain struct {
	Host        string // canonical: lower case, no port, no trailing dot, e.g. "acme--qa.sandbox.my.salesforce.com"
	Name        string // "acme"
	SandboxName string // "qa"; "" in production
	Partition   string // "", "sandbox", "develop", "scratch", "patch", "demo", "trailblaze", "free"
	// Sandbox is true for enhanced and pre-enhanced sandboxes and for scratch
	// orgs. Scratch orgs are created on sandbox instances and their users log
	// in at test.salesforce.com (the Salesforce CLI sends them there), so for
	// the environment cross-check they are sandboxes.
	Sandbox  bool
	Warnings []string // notes for the admin that do not block
}

// URL returns the org's My Domain URL, "https://<Host>".
func (d MyDomain) URL() string { return "https://" + d.Host }

// EndpointURL returns the webhook Endpoint URL Digital River must call.
func (d MyDomain) EndpointURL() string { return "https://" + d.Host + ApexPath }

// TokenEndpoint returns the org's own token endpoint, the only one the client
// credentials flow accepts.
func (d MyDomain) TokenEndpoint() string { return "https://" + d.Host + tokenPath }

const tokenPath = "/services/oauth2/token"

// DomainError says why an input is not a My Domain URL and, when the org can
// be told from it, what the My Domain URL is.
type DomainError struct {
	Kind      DomainKind
	Input     string // what was given, less any user name, password or query (httpx.Redact)
	Host      string // the host the verdict is about ("" when none could be read)
	Corrected string // the corrected My Domain URL ("https://acme.my.salesforce.com"), or ""
	Length    int    // DomainTooLong: the input's length in characters
	defender  bool   // the host came through Microsoft Defender for Cloud Apps
}

func (e *DomainError) Error() string {
	var msg string
	switch e.Kind {
	case DomainEmpty:
		return "Enter the org's My Domain URL, for example https://acme.my.salesforce.com. Salesforce shows it in Setup → My Domain."
	case DomainMalformed:
		if e.Host != "" {
			msg = fmt.Sprintf("%s is not in any form Salesforce uses for a My Domain.", e.Host)
		} else {
			msg = fmt.Sprintf("%q is not a web address.", strings.TrimSpace(e.Input))
		}
	case DomainLightning:
		msg = fmt.Sprintf("%s is the Lightning address shown in the browser, not the My Domain; Salesforce's APIs are not served there.", e.Host)
	case DomainSetup:
		msg = fmt.Sprintf("%s is the address of Salesforce Setup pages, not the My Domain.", e.Host)
	case DomainVisualforce:
		msg = fmt.Sprintf("%s is a Visualforce page address, not the My Domain.", e.Host)
	case DomainLoginHost:
		msg = fmt.Sprintf("%s is Salesforce's shared login address, not your org's own address.", e.Host)
	case DomainLegacyInstance:
		msg = fmt.Sprintf("%s is a legacy instance address; Salesforce is retiring these and no longer redirects them reliably.", e.Host)
	case DomainSite:
		msg = fmt.Sprintf("%s is the address of a Salesforce site or Experience Cloud site, not the org's API address.", e.Host)
	case DomainContent:
		msg = fmt.Sprintf("%s is the address Salesforce serves files from, not the org's API address.", e.Host)
	case DomainInsecure:
		msg = "Salesforce is reached only over https://, never plain http://."
	case DomainTooLong:
		msg = fmt.Sprintf("What was entered is %d characters long, far longer than any Salesforce address.", e.Length)
	case DomainNotSalesforce:
		if e.defender {
			msg = fmt.Sprintf("%s is an address rewritten by Microsoft Defender for Cloud Apps, and no Salesforce org's address could be read from it.", e.Host)
		} else if !strings.Contains(e.Host, ".") {
			// A word, not a host: quoted, so it keeps its case in a sentence.
			msg = fmt.Sprintf("%q is not a web address.", e.Host)
		} else {
			msg = fmt.Sprintf("%s is not a Salesforce My Domain address.", e.Host)
		}
	default:
		msg = fmt.Sprintf("%s is not a My Domain address.", e.Host)
	}
	switch {
	case e.Corrected == "":
		return msg + " Enter the org's My Domain URL, as shown in Setup → My Domain; it ends in .my.salesforce.com."
	case e.Kind == DomainSite || e.Kind == DomainContent:
		// The My Domain name carries over to site and file hosts, but a site
		// can have its own name, so this correction is a likely one only.
		return msg + fmt.Sprintf(" The org's My Domain URL is probably %s; check it in Setup → My Domain.", e.Corrected)
	default:
		return msg + fmt.Sprintf(" Use %s instead.", e.Corrected)
	}
}

// partitions are the labels that sit between a My Domain name and its suffix.
var partitions = []string{"sandbox", "develop", "scratch", "patch", "demo", "trailblaze", "free"}

func isPartition(label string) bool {
	for _, p := range partitions {
		if label == p {
			return true
		}
	}
	return false
}

// cloud is one family of Salesforce hosts: where an org's API lives and which
// hosts of the same org admins copy by mistake. Setup is known only for the
// commercial cloud.
type cloud struct {
	myDomain  string
	lightning string
	setup     string
}

var clouds = []cloud{
	{myDomain: ".my.salesforce.com", lightning: ".lightning.force.com", setup: ".my.salesforce-setup.com"},
	{myDomain: ".my.salesforce.mil", lightning: ".lightning.crmforce.mil"},
	{myDomain: ".my-salesforce.com", lightning: ".my-lightning.com"},
	{myDomain: ".my.sfcrmproducts.cn", lightning: ".lightning.sfcrmapps.cn"},
}

var commercial = clouds[0]

// Host suffixes that are Salesforce's but never an org's API, checked in this
// order (the catch-all .force.com last).
var otherHosts = []struct {
	suffix  string
	kind    DomainKind
	dropPkg bool // the first label ends in --<package>, as Visualforce hosts do
}{
	{".vf.force.com", DomainVisualforce, true},
	{".visual.force.com", DomainVisualforce, true},
	{".visualforce.com", DomainVisualforce, true},
	{".file.force.com", DomainContent, false},
	{".content.force.com", DomainContent, true},
	{".documentforce.com", DomainContent, true},
	{".my.site.com", DomainSite, false},
	{".my.salesforce-sites.com", DomainSite, false},
	{".force.com", DomainSite, false},
}

// salesforceParents are the registrable domains of every host above; a host
// outside them is not Salesforce's.
var salesforceParents = []string{
	"salesforce.com", "force.com", "salesforce-setup.com", "site.com", "salesforce-sites.com",
	"documentforce.com", "visualforce.com", "salesforce.mil", "crmforce.mil",
	"my-salesforce.com", "my-lightning.com", "sfcrmproducts.cn", "sfcrmapps.cn",
}

// defenderSuffixes are added by Microsoft Defender for Cloud Apps' session
// proxy (".cas.ms" by its older name, Cloud App Security).
var defenderSuffixes = []string{".mcas.ms", ".mcas-gov.us", ".mcas-gov.ms", ".cas.ms"}

// ParseMyDomain turns what an admin typed or pasted into the org's My Domain.
// It forgives spaces, upper case, a missing https://, a trailing slash, dot or
// path and a Defender for Cloud Apps suffix (with a warning); every other
// mistake is a *DomainError that says which kind it is and, when possible,
// gives the corrected URL.
func ParseMyDomain(input string) (MyDomain, error) {
	if len(input) > MaxAddressLength {
		return MyDomain{}, &DomainError{Kind: DomainTooLong, Length: utf8.RuneCountInString(input)}
	}
	d, err := parseMyDomain(input)
	if err != nil {
		err.Input = redactInput(input)
		return MyDomain{}, err
	}
	return d, nil
}

func parseMyDomain(input string) (MyDomain, *DomainError) {
	host, insecure, warnings, err := hostFromInput(input)
	if err != nil {
		return MyDomain{}, err
	}
	d, err := classifyHost(host)
	if err != nil {
		return MyDomain{}, err
	}
	if insecure {
		return MyDomain{}, &DomainError{Kind: DomainInsecure, Host: host, Corrected: d.URL()}
	}
	d.Warnings = append(warnings, d.Warnings...)
	return d, nil
}

// IsSalesforceHost reports whether credentials may go to host: Salesforce's
// shared login hosts or an org's My Domain in any of the clouds drsetup knows.
// Lightning, site and other hosts of an org are not trusted: no token endpoint
// or API lives there.
func IsSalesforceHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "login.salesforce.com" || host == "test.salesforce.com" {
		return true
	}
	if !validHostname(host) {
		return false
	}
	for _, c := range clouds {
		if prefix, ok := strings.CutSuffix(host, c.myDomain); ok {
			_, err := parseMyDomainPrefix(prefix, c)
			return err == nil
		}
	}
	return false
}

// hostFromInput reduces input to a lower-case host with no port or trailing
// dot, noting what it dropped. insecure reports an http:// scheme, which is an
// error only once the host itself is known to be usable.
func hostFromInput(input string) (host string, insecure bool, warnings []string, derr *DomainError) {
	input, after := cutPath(input)
	s := cleanInput(input)
	if s == "" {
		return "", false, nil, &DomainError{Kind: DomainEmpty}
	}
	s = strings.ToLower(s)
	switch {
	case strings.HasPrefix(s, "//"):
		s = "https:" + s
	case !strings.Contains(s, "://"):
		s = "https://" + s
	}
	// Only the host matters: what follows it is cut off before parsing, so
	// a long path or query (a browser address) costs nothing, and is noted.
	rest := ""
	if i := strings.Index(s, "://"); i >= 0 {
		if j := strings.IndexAny(s[i+3:], "/?#"); j >= 0 {
			s, rest = s[:i+3+j], s[i+3+j:]
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", false, nil, &DomainError{Kind: DomainMalformed}
	}
	insecure = u.Scheme == "http"
	if u.User != nil {
		warnings = append(warnings, "The user name and password in front of the host were dropped: a My Domain URL never carries them.")
	}
	if p := u.Port(); p != "" && p != "443" {
		warnings = append(warnings, fmt.Sprintf("The port :%s was dropped: Salesforce serves My Domain on the standard HTTPS port.", p))
	}
	if strings.Trim(rest, "/?#") != "" || hasContent(after) {
		warnings = append(warnings, "Only the host is used; the rest of the address (path, query) was dropped.")
	}
	host = strings.TrimSuffix(u.Hostname(), ".")
	if host == "" {
		return "", false, nil, &DomainError{Kind: DomainMalformed}
	}
	if inner, suffix, ok := stripDefender(host); ok {
		warnings = append(warnings, fmt.Sprintf("The suffix %s, added by Microsoft Defender for Cloud Apps in the browser, was removed: Digital River calls Salesforce directly.", suffix))
		host = inner
	} else if suffix != "" {
		return "", false, nil, &DomainError{Kind: DomainNotSalesforce, Host: host, defender: true}
	}
	return host, insecure, warnings, nil
}

// cutPath splits a plain address (no white space, quotes or brackets up to
// its path, and none at its end) before its path, query or fragment, so
// that cleaning and parsing cost what the host costs whatever follows it.
// Any other input comes back whole, for cleanInput.
func cutPath(input string) (head, rest string) {
	start := 0
	if i := strings.Index(input, "://"); i >= 0 {
		start = i + 3
	} else if strings.HasPrefix(input, "//") {
		start = 2
	}
	j := strings.IndexAny(input[start:], "/?#")
	if j <= 0 {
		return input, ""
	}
	head, rest = input[:start+j], input[start+j:]
	if last := input[len(input)-1]; strings.IndexByte("\"'> \t\r\n", last) >= 0 || last >= utf8.RuneSelf {
		return input, ""
	}
	for _, r := range head {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '"' || r == '\'' || r == '<' {
			return input, ""
		}
	}
	return head, rest
}

// hasContent reports whether rest, what followed an address's host, holds
// more than separators and white space: a path or query that is dropped.
func hasContent(rest string) bool {
	for _, r := range rest {
		if r != '/' && r != '?' && r != '#' && !unicode.IsSpace(r) && r != '\u200b' && r != '\ufeff' {
			return true
		}
	}
	return false
}

// redactInput is input as a DomainError quotes it: without user name,
// password or query, and cut after the host when it is long.
func redactInput(input string) string {
	if len(input) <= 256 {
		return httpx.Redact(input)
	}
	if head, rest := cutPath(input); rest != "" {
		return httpx.Redact(head) + "/…"
	}
	return httpx.Redact(input)
}

// cleanInput removes what pasting adds around an address: white space
// anywhere (an address holds none), quotes and angle brackets.
func cleanInput(input string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return r
	}, input)
	for len(s) >= 2 {
		first, last := s[0], s[len(s)-1]
		if (first == '"' && last == '"') || (first == '\'' && last == '\'') || (first == '<' && last == '>') {
			s = s[1 : len(s)-1]
			continue
		}
		break
	}
	return s
}

// stripDefender removes a Defender for Cloud Apps suffix, and the region label
// some tenants get in front of it, when what remains is a Salesforce host.
// suffix is the suffix found even when nothing usable remains (ok false).
func stripDefender(host string) (inner, suffix string, ok bool) {
	for _, sfx := range defenderSuffixes {
		rest, found := strings.CutSuffix(host, sfx)
		if !found {
			continue
		}
		if isSalesforceFamily(rest) {
			return rest, sfx, true
		}
		if i := strings.LastIndexByte(rest, '.'); i > 0 && isSalesforceFamily(rest[:i]) {
			return rest[:i], rest[i:] + sfx, true
		}
		return "", sfx, false
	}
	return "", "", false
}

func isSalesforceFamily(host string) bool {
	for _, p := range salesforceParents {
		if host == p || strings.HasSuffix(host, "."+p) {
			return true
		}
	}
	return false
}

// classifyHost applies the My Domain rules to a cleaned host.
func classifyHost(host string) (MyDomain, *DomainError) {
	if net.ParseIP(host) != nil {
		return MyDomain{}, &DomainError{Kind: DomainNotSalesforce, Host: host}
	}
	if !validHostname(host) {
		return MyDomain{}, &DomainError{Kind: DomainMalformed, Host: host}
	}
	for _, c := range clouds {
		if prefix, ok := strings.CutSuffix(host, c.myDomain); ok {
			return parseMyDomainPrefix(prefix, c)
		}
	}
	for _, c := range clouds {
		if prefix, ok := strings.CutSuffix(host, c.lightning); ok {
			return MyDomain{}, &DomainError{Kind: DomainLightning, Host: host, Corrected: deriveMyDomain(prefix, false, c)}
		}
		if c.setup == "" {
			continue
		}
		if prefix, ok := strings.CutSuffix(host, c.setup); ok {
			return MyDomain{}, &DomainError{Kind: DomainSetup, Host: host, Corrected: deriveMyDomain(prefix, false, c)}
		}
	}
	for _, o := range otherHosts {
		if prefix, ok := strings.CutSuffix(host, o.suffix); ok {
			return MyDomain{}, &DomainError{Kind: o.kind, Host: host, Corrected: deriveMyDomain(prefix, o.dropPkg, commercial)}
		}
	}
	if host == "login.salesforce.com" || host == "test.salesforce.com" {
		return MyDomain{}, &DomainError{Kind: DomainLoginHost, Host: host}
	}
	if instance, ok := strings.CutSuffix(host, ".salesforce.com"); ok && isInstance(instance) {
		return MyDomain{}, &DomainError{Kind: DomainLegacyInstance, Host: host}
	}
	return MyDomain{}, &DomainError{Kind: DomainNotSalesforce, Host: host}
}

// parseMyDomainPrefix reads "<name>[--<sandbox>][.<partition>]", the part of a
// host in front of a cloud's My Domain suffix.
func parseMyDomainPrefix(prefix string, c cloud) (MyDomain, *DomainError) {
	host := prefix + c.myDomain
	malformed := &DomainError{Kind: DomainMalformed, Host: host}
	labels := strings.Split(prefix, ".")
	name, sbx, hasSbx := strings.Cut(labels[0], "--")
	if !validName(name) || (hasSbx && !validName(sbx)) {
		return MyDomain{}, malformed
	}
	d := MyDomain{Host: host, Name: name, SandboxName: sbx}
	switch len(labels) {
	case 1:
		if hasSbx {
			d.Sandbox = true
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s is the form sandboxes had before enhanced domains; the sandbox's current address is %s--%s.sandbox%s. If the login reports a different instance URL, use that.", host, name, sbx, c.myDomain))
		} else if strings.HasSuffix(name, "-dev-ed") {
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s is the Developer Edition form from before enhanced domains; the org's current address is %s.develop%s. If the login reports a different instance URL, use that.", host, name, c.myDomain))
		}
	case 2:
		p := labels[1]
		switch {
		case isPartition(p):
			// Only sandboxes carry --<sandbox name>, and every sandbox does.
			if (p == "sandbox") != hasSbx {
				return MyDomain{}, malformed
			}
			d.Partition = p
			d.Sandbox = p == "sandbox" || p == "scratch"
		case isInstance(p):
			return MyDomain{}, &DomainError{Kind: DomainLegacyInstance, Host: host, Corrected: deriveMyDomain(prefix, false, c)}
		default:
			return MyDomain{}, malformed
		}
	default:
		return MyDomain{}, malformed
	}
	return d, nil
}

// deriveMyDomain builds the My Domain URL that another host of the same org
// names: its first label (less a trailing --<package> when dropPkg) and its
// partition. A legacy instance label is dropped; with it, a sandbox gets the
// enhanced form, since enhanced domains are enforced in every org. It returns
// "" when the labels name no org.
func deriveMyDomain(prefix string, dropPkg bool, c cloud) string {
	labels := strings.Split(prefix, ".")
	first := labels[0]
	if dropPkg {
		i := strings.LastIndex(first, "--")
		if i <= 0 {
			return ""
		}
		first = first[:i]
	}
	partition := ""
	for _, l := range labels[1:] {
		switch {
		case l == "my":
			// documentforce sandboxes: name--sbx--c.sandbox.my.documentforce.com
		case isPartition(l) && partition == "":
			partition = l
		case isInstance(l) && partition == "":
			if strings.Contains(first, "--") {
				partition = "sandbox"
			}
		default:
			return ""
		}
	}
	host := first
	if partition != "" {
		host += "." + partition
	}
	host += c.myDomain
	if _, err := parseMyDomainPrefix(strings.TrimSuffix(host, c.myDomain), c); err != nil {
		return ""
	}
	return "https://" + host
}

// isInstance matches Salesforce instance names: na123, cs42, eu12, usa2s.
func isInstance(label string) bool {
	i := 0
	for i < len(label) && label[i] >= 'a' && label[i] <= 'z' {
		i++
	}
	if i < 2 || i > 4 {
		return false
	}
	j := i
	for j < len(label) && label[j] >= '0' && label[j] <= '9' {
		j++
	}
	if j == i {
		return false
	}
	return j == len(label) || (j == len(label)-1 && label[j] == 's')
}

// validName accepts a My Domain or sandbox name: letters, digits and single
// hyphens, not at either end.
func validName(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validHostname accepts lower-case DNS names of letters, digits and hyphens.
func validHostname(host string) bool {
	if host == "" || len(host) > 253 {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
