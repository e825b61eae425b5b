package explain

import (
	"errors"
	"fmt"
	"strings"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// Setup pages named in remedies.
const (
	setupApp          = "Setup → App Manager → Salesforce DigitalRiver Integration"
	setupPolicies     = setupApp + " → Manage → Edit Policies"
	setupUnPwFlow     = "Setup → OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows"
	setupMyDomain     = "Setup → My Domain"
	noRetryNote       = " drsetup did not retry: repeated failed logins lock the user out."
	connectedAppDelay = " A connected app created or changed in the last few minutes may not be active yet; wait ten minutes and try again."
	tokenPath         = "/services/oauth2/token"
	tokenEndpoints    = sfcheck.ProductionTokenURL + ", " + sfcheck.SandboxTokenURL + ", or the org's My Domain (shown in " + setupMyDomain + ") followed by " + tokenPath
)

// login explains a failed request to Salesforce.
func login(e *sfcheck.LoginError) Failure {
	f := Failure{Headline: headline(e), Said: said(e), Status: e.Status, Service: "Salesforce", Field: e.Field}
	f.Meaning, f.Remedy = loginWords(e)
	f.Meaning, f.Remedy = text.Sentence(f.Meaning), text.Sentence(f.Remedy)
	return f
}

// headline says what failed: the login, the identity read or the probe,
// refused or unanswered.
func headline(e *sfcheck.LoginError) string {
	what := map[string]string{sfcheck.OpIdentity: "Reading the user's identity", sfcheck.OpProbe: "Probing the Apex endpoint"}[e.Op]
	switch {
	case e.Kind == sfcheck.KindMissingValue || e.Kind == sfcheck.KindHostRefused:
		return "No request was sent."
	case e.Kind == sfcheck.KindCancelled:
		return text.Or(what, "The login") + " was cancelled."
	case e.Status == 0:
		return text.Or(what, "The login") + " got no answer."
	case what != "":
		return what + " failed."
	}
	return "Salesforce refused the login."
}

// said is Salesforce's own answer: "invalid_grant: authentication failure".
func said(e *sfcheck.LoginError) string {
	s := e.Code
	if e.Description != "" {
		s = strings.TrimPrefix(s+": "+e.Description, ": ")
	}
	return s
}

func user(e *sfcheck.LoginError) string {
	if e.Flow == sfcheck.FlowClientCredentials || e.Username == "" {
		return "the integration user"
	}
	return e.Username
}

func who(e *sfcheck.LoginError) string {
	if e.Flow == sfcheck.FlowClientCredentials {
		return "the connected app's Run As user"
	}
	return "the user " + user(e)
}

// loginWords is what a failure means and what to do about it.
func loginWords(e *sfcheck.LoginError) (meaning, remedy string) {
	switch e.Kind {
	case sfcheck.KindMissingValue:
		return missingWords(e)
	case sfcheck.KindHostRefused:
		if e.Op == sfcheck.OpLogin {
			return e.Detail, "Nothing was sent. Choose Production, Sandbox or the org's own token endpoint (the My Domain shown in Setup → My Domain, followed by " + tokenPath + ")."
		}
		return e.Detail, "Nothing was sent. Use the org's My Domain, as shown in " + setupMyDomain + "."
	case sfcheck.KindNetwork, sfcheck.KindTimeout, sfcheck.KindCancelled:
		return networkWords(e)
	case sfcheck.KindTooLarge:
		return fmt.Sprintf("The answer from %s was %s, far more than Salesforce sends: something other than Salesforce answered.", e.Host, strings.TrimPrefix(e.Detail, "the answer was ")),
			"Check the address (the org's address is in " + setupMyDomain + ") and any proxy between this computer and Salesforce."
	case sfcheck.KindRedirect:
		m := fmt.Sprintf("%s redirected the request to %s. drsetup does not send credentials on to an address nobody checked, and Digital River will not follow a redirect either.", e.Host, e.Detail)
		if e.Op == sfcheck.OpProbe {
			return m, "Use the My Domain shown in " + setupMyDomain + " in the Endpoint URL."
		}
		return m, "Use a token endpoint that answers directly: " + tokenEndpoints + "."
	case sfcheck.KindProxyHTML, sfcheck.KindEmptyBody, sfcheck.KindNotJSON:
		return unusableWords(e)
	case sfcheck.KindBadResponse:
		return fmt.Sprintf("%s accepted the login, but its answer cannot be used: %s.", e.Host, e.Detail),
			"Check that the token endpoint is Salesforce's: " + tokenEndpoints + "."
	case sfcheck.KindUnauthorized:
		return fmt.Sprintf("Salesforce did not accept at %s the access token it had just issued.", e.Host),
			"Try again; if it keeps failing, check Setup → Session Settings (sessions locked to the IP address or domain they started from)."
	}
	return salesforceWords(e)
}

func missingWords(e *sfcheck.LoginError) (string, string) {
	switch e.Field {
	case field.Auth:
		return fmt.Sprintf("%q is not an authentication method drsetup knows.", e.Detail), "Choose username-password or client credentials."
	case field.ClientID:
		return "The Client ID (consumer key) is empty, so no login was attempted.", "Copy the Consumer Key from " + e.App.WhereConsumerKey() + "."
	case field.ClientSecret:
		return "The Client Secret (consumer secret) is empty, so no login was attempted.", "Copy the Consumer Secret from " + e.App.WhereConsumerKey() + "; the client credentials flow always needs it."
	case field.Username:
		return "The username is empty, so no login was attempted.", "Enter the integration user's username, as shown in Setup → Users."
	case field.Password:
		return "The password is empty, so no login was attempted.", "Enter the integration user's password."
	}
	if e.Op == sfcheck.OpIdentity {
		return "There is no session to read the identity of.", "Log in first."
	}
	return "There is no session to probe the Apex endpoint with.", "Log in first."
}

func networkWords(e *sfcheck.LoginError) (meaning, remedy string) {
	switch e.Kind {
	case sfcheck.KindCancelled:
		meaning = fmt.Sprintf("It was cancelled before %s answered.", e.Host)
	case sfcheck.KindTimeout:
		meaning = fmt.Sprintf("%s did not answer in time (drsetup waits up to %s). Check your network connection; behind a corporate proxy, set HTTPS_PROXY.", e.Host, e.Timeout)
	default:
		var ne *httpx.NetError
		if errors.As(e.Err, &ne) {
			meaning = text.Capitalize(ne.Error()) + "."
		} else {
			meaning = fmt.Sprintf("Could not reach %s; check your network connection and proxy settings (HTTPS_PROXY).", e.Host)
		}
	}
	switch {
	case e.Op == sfcheck.OpLogin && e.Flow == sfcheck.FlowPassword && e.Sent:
		remedy = fmt.Sprintf("The login was sent once and not repeated; if it reached Salesforce, it is listed in Setup → Users → %s → Login History.", user(e))
	case e.Kind != sfcheck.KindCancelled && e.Host != "":
		remedy = fmt.Sprintf("Check this machine's connection to %s (VPN, DNS, and HTTPS_PROXY and NO_PROXY behind a proxy), then try again.", e.Host)
	}
	return meaning, remedy
}

func unusableWords(e *sfcheck.LoginError) (string, string) {
	network := fmt.Sprintf("If you are behind a corporate proxy or firewall, ask for %s to be allowed, or set HTTPS_PROXY and NO_PROXY; check that the org's address matches %s.", e.Host, setupMyDomain)
	switch e.Kind {
	case sfcheck.KindProxyHTML:
		page := "an HTML page"
		if e.Detail != "" {
			page = fmt.Sprintf("an HTML page titled %q", e.Detail)
		}
		return fmt.Sprintf("%s came back (HTTP %d) instead of Salesforce's answer: a proxy, firewall or captive portal answered, or the address is not a Salesforce API address.", text.Capitalize(page), e.Status), network
	case sfcheck.KindEmptyBody:
		return fmt.Sprintf("%s answered HTTP %d with an empty body, which Salesforce never sends.", e.Host, e.Status), network
	}
	return fmt.Sprintf("The answer from %s (HTTP %d) is not the JSON Salesforce sends.", e.Host, e.Status), network
}

// salesforceWords explains Salesforce's own refusals, by the kind the
// client found and, where sources disagree on what a code means, by
// Salesforce's description.
func salesforceWords(e *sfcheck.LoginError) (meaning, remedy string) {
	if strings.EqualFold(e.Code, "unauthorized_client") {
		meaning, remedy = unauthorizedClientWords(e)
		said := fmt.Sprintf("Salesforce refused the connected app as a client and said %q. ", e.Description)
		if e.Description == "" {
			said = "Salesforce refused the connected app as a client, without saying why. "
		}
		return said + meaning, remedy
	}
	cc := e.Flow == sfcheck.FlowClientCredentials
	switch e.Kind {
	case sfcheck.KindBadClientID:
		return "Salesforce does not know this Client ID (consumer key): it is mistyped, or it belongs to a connected app in another org (a sandbox copied before the app was created does not have it).",
			"Copy the Consumer Key again from " + e.App.WhereConsumerKey() + ", in the org you are logging in to." + connectedAppDelay
	case sfcheck.KindBadClientSecret:
		return "Salesforce knows the Client ID but not this Client Secret (consumer secret): it is mistyped, or the secret was rotated.",
			"Copy the Consumer Secret again from " + e.App.WhereConsumerKey() + "."
	case sfcheck.KindInactiveOrg:
		return "The org is locked, closed or suspended, so nobody can log in to it.",
			"Check the org's status in Setup → Company Information and with your Salesforce account team; if you meant another org, check the My Domain (" + setupMyDomain + ")."
	case sfcheck.KindInvalidRequest:
		return "Salesforce refused the request itself (it must be an HTTPS POST). drsetup sends exactly that, so a proxy or a wrong token endpoint changed it.",
			"Check the token endpoint (" + tokenEndpoints + ") and any proxy that rewrites requests."
	case sfcheck.KindInvalidScope:
		if strings.Contains(strings.ToLower(e.Description), "no valid scopes") {
			return "Salesforce found no OAuth scope on the connected app that this login may use (a check Salesforce added in Winter '26).",
				"In " + setupApp + " → Edit → Selected OAuth Scopes, add \"Manage user data via APIs (api)\"." + connectedAppDelay + noRetryNote
		}
		return "The connected app does not allow the access the login asked for.",
			"In " + setupApp + " → Edit → Selected OAuth Scopes, add \"Manage user data via APIs (api)\"." + connectedAppDelay
	case sfcheck.KindUnsupportedGrant:
		if cc {
			return "The token endpoint does not accept the client credentials grant.", e.App.ClientCredentialsSetup() + " The grant is served only by the org's own My Domain token endpoint."
		}
		return "The token endpoint did not recognise the username-password grant: the address is not a Salesforce token endpoint, or something between this computer and Salesforce changed the request.",
			"Check the token endpoint (" + tokenEndpoints + ")."
	case sfcheck.KindUnknownError:
		return "Salesforce had a passing problem and asks for the request to be tried again.",
			fmt.Sprintf("Try again in a few minutes. If it keeps failing, check trust.salesforce.com for incidents, and Setup → Users → %s → Login History.", user(e))
	}
	if !strings.EqualFold(e.Code, "invalid_grant") {
		switch e.Kind {
		case sfcheck.KindInactiveUser:
			return text.Capitalize(who(e)) + " is deactivated.", "Activate the user in Setup → Users → the user → Edit → Active, or choose another integration user."
		case sfcheck.KindLoginRate:
			return loginRate(e)
		case sfcheck.KindNotApproved:
			return invalidGrantWords(e)
		}
		return fmt.Sprintf("Salesforce refused the login with an error drsetup does not know: %q.", e.Description),
			fmt.Sprintf("Read the reason in Setup → Users → %s → Login History.", user(e))
	}
	meaning, remedy = invalidGrantWords(e)
	if cc && e.Kind != sfcheck.KindNoRunAs && e.Kind != sfcheck.KindWrongDomain {
		remedy += " Also check that Enable Client Credentials Flow is ticked and that Run As names an active user (" + setupPolicies + ")."
	}
	return meaning, remedy + noRetryNote
}

func loginRate(e *sfcheck.LoginError) (string, string) {
	return fmt.Sprintf("%s logged in more than 3,600 times in the last hour, Salesforce's limit per user.", text.Capitalize(who(e))),
		"Wait up to an hour before trying again. If something logs in as this user in a loop, find it in Setup → Users → Login History."
}

// invalidGrantWords explains invalid_grant, never retried, by its
// description.
func invalidGrantWords(e *sfcheck.LoginError) (string, string) {
	switch e.Kind {
	case sfcheck.KindWrongDomain:
		remedy := "Use the org's My Domain token endpoint, https://<My Domain>" + tokenPath + " (the My Domain is shown in " + setupMyDomain + ")."
		if d, err := sfcheck.ParseMyDomain(e.MyDomain); err == nil {
			remedy = fmt.Sprintf("Use %s as the token endpoint (the My Domain is shown in %s).", d.TokenEndpoint(), setupMyDomain)
		}
		return fmt.Sprintf("%s does not serve this grant: the client credentials flow is served only by the org's own My Domain token endpoint.", e.Host), remedy
	case sfcheck.KindTokenRequired:
		return fmt.Sprintf("Salesforce says %s's security token is required: the login comes from outside the org's trusted IP ranges, so the password must be followed by the user's current security token, and none or an old one was sent. Digital River logs in from its own servers, outside those ranges unless an admin added them.", user(e)),
			"Reset the security token (the user's Settings → Reset My Security Token emails a new one) and give it with the password; or add Digital River's addresses (" + drapi.SourceAddressList() + ") to Setup → Network Access."
	case sfcheck.KindIPRestricted:
		return fmt.Sprintf("Salesforce refused %s because of the IP address the login came from or the time of day: the user's profile sets Login IP Ranges or Login Hours. Digital River logs in from its own servers, not from this computer.", who(e)),
			"In Setup → Profiles → the integration user's profile, check Login IP Ranges and Login Hours: Login IP Ranges must include Digital River's addresses (" + drapi.SourceAddressList() + "); or set " + setupPolicies + " → IP Relaxation to \"Relax IP restrictions\"."
	case sfcheck.KindNotApproved:
		return fmt.Sprintf("The connected app admits only pre-authorized users, and %s is not one: neither the user's profile nor a permission set of the user is assigned to the app.", who(e)),
			"In " + setupApp + " → Manage, use Manage Profiles or Manage Permission Sets to add the integration user's profile or permission set; or set " + setupPolicies + " → Permitted Users to \"All users may self-authorize\"."
	case sfcheck.KindLoginRate:
		return loginRate(e)
	case sfcheck.KindInactiveUser:
		return text.Capitalize(who(e)) + " is deactivated.", "Activate the user in Setup → Users → the user → Edit → Active, or choose another integration user."
	case sfcheck.KindNoRunAs:
		if strings.Contains(strings.ToLower(e.Description), "no client credentials user") {
			return fmt.Sprintf("The %s allows the client credentials flow but names no Run As user, so Salesforce has nobody to log in as.", e.App.Name()),
				e.App.ClientCredentialsSetup() + connectedAppDelay
		}
		return fmt.Sprintf("Salesforce refused the client credentials grant: the %s does not have the flow enabled, or has no active Run As user.", e.App.Name()),
			e.App.ClientCredentialsSetup() + connectedAppDelay
	}
	return authFailure(e)
}

// unauthorizedClientWords explains unauthorized_client by the kind
// Salesforce's words gave it.
func unauthorizedClientWords(e *sfcheck.LoginError) (string, string) {
	switch e.Kind {
	case sfcheck.KindBadClientSecret:
		return "The Client Secret (consumer secret) does not match the Client ID: it is mistyped, or the secret was rotated.",
			"Copy the Consumer Secret again from " + e.App.WhereConsumerKey() + "."
	case sfcheck.KindBadClientID:
		return "Salesforce does not know this Client ID (consumer key) here: it is mistyped, or the connected app is another org's.",
			"Copy the Consumer Key again from " + e.App.WhereConsumerKey() + ", in the org you are logging in to." + connectedAppDelay
	case sfcheck.KindNotApproved:
		return invalidGrantWords(e)
	}
	flow, fix := "username-password", "In "+setupUnPwFlow+", allow the flow (orgs created since Summer '23 block it), or switch to client credentials; and check "+setupPolicies+" (Permitted Users, IP Relaxation)."
	if e.Flow == sfcheck.FlowClientCredentials {
		flow, fix = "client credentials", e.App.ClientCredentialsSetup()
	}
	return fmt.Sprintf("The connected app is most likely not allowed the %s flow that Digital River uses; what this code means differs between Salesforce's answers, so its words above say more.", flow),
		fix + fmt.Sprintf(" Setup → Users → %s → Login History may give the reason.", user(e)) + connectedAppDelay
}

// authFailure explains Salesforce's catch-all answer for the password flow.
func authFailure(e *sfcheck.LoginError) (string, string) {
	causes := "Salesforce gives this one answer for many causes: a wrong password; a missing or old security token (a new one is emailed whenever the password changes or the token is reset; none is needed from a trusted IP range); a wrong username; a sandbox user sent to login.salesforce.com; a user locked out after failed logins or with an expired password; the username-password flow blocked in the org (the default for orgs created in Summer '23 or later); or an External Client App, which does not support this flow."
	if d := strings.ToLower(strings.TrimSpace(e.Description)); d != "" && d != "authentication failure" {
		causes = fmt.Sprintf("Salesforce said %q. ", e.Description) + causes
	}
	first := ""
	switch e.Field {
	case field.TokenEndpoint:
		if md, err := sfcheck.ParseMyDomain(e.MyDomain); err == nil {
			if md.Sandbox {
				first = fmt.Sprintf("Most likely: %s is a sandbox, but the login went to login.salesforce.com, which knows only production users; use %s or %s. ", md.Host, sfcheck.SandboxTokenURL, md.TokenEndpoint())
			} else {
				first = fmt.Sprintf("Most likely: %s is a production org, but the login went to test.salesforce.com, which knows only sandbox users; use %s or %s. ", md.Host, sfcheck.ProductionTokenURL, md.TokenEndpoint())
			}
		}
	case field.Username:
		first = "Most likely: the username is not a Salesforce username, which looks like an email address (sandbox usernames add .<sandbox name>). "
	case field.SecurityToken:
		first = "No security token was sent with the password: unless the login comes from one of the org's trusted IP ranges, Salesforce refuses a password without it, in these words. "
	}
	return first + causes,
		fmt.Sprintf("Read the real reason in Setup → Users → %s → Login History. If it says the flow is blocked, turn on %s, or switch to client credentials. Otherwise re-enter the password and security token (the user's Settings → Reset My Security Token sends a new one).", user(e), setupUnPwFlow)
}

// Probe explains what the Apex endpoint answered: a finding, and the
// remedy ("" when nothing needs doing).
func Probe(r sfcheck.ProbeResult) (finding, remedy string) {
	switch r.Kind {
	case sfcheck.ProbeReachable:
		// A 405 does not prove class access: an org may refuse the method
		// before it checks the class. The permission-set proof says that.
		return "The Digital River app's webhook endpoint is installed (Salesforce refuses a GET there with 405, as it does for an endpoint that takes only POST).", ""
	case sfcheck.ProbeGetHandled:
		return "The endpoint answered a GET with 200: it exists and the user can reach it, but something there handles GET, which the Digital River app's listener does not.",
			"Check in Setup → Installed Packages that the Digital River package (namespace " + sfcheck.ApexNamespace + ") is the one installed, and that the Endpoint URL ends in " + sfcheck.ApexPath + "."
	case sfcheck.ProbeNotInstalled:
		return fmt.Sprintf("Salesforce has no Apex REST endpoint at %s in this org: the Digital River app (namespace %s) is not installed, or the path's namespace, case or trailing slash is wrong.", r.Path, sfcheck.ApexNamespace),
			"Check Setup → Installed Packages for the Digital River package with namespace prefix " + sfcheck.ApexNamespace + ", and use the Endpoint URL https://<My Domain>" + sfcheck.ApexPath + " exactly."
	case sfcheck.ProbeNoAccess:
		return fmt.Sprintf("The app is installed, but the integration user may not run its Apex class %s, so Salesforce refuses Digital River's calls.", text.Or(r.Class, "of the Digital River app")),
			"Assign the permission set \"DigitalRiver Connector - Integration\" to the integration user (Setup → Users → the user → Permission Set Assignments), or add the class in Setup → Profiles → the user's profile → Apex Class Access."
	case sfcheck.ProbeUnauthorized:
		return fmt.Sprintf("Salesforce did not accept the login's access token at %s: the endpoint's host is not the org that issued the token (the login's instance URL is %s), or the session was ended.", httpx.Host(r.URL), r.InstanceURL),
			"Use the org's own My Domain in the Endpoint URL, as the instance URL shows (Setup → My Domain); if the hosts match, check Setup → Session Settings for sessions locked to an IP address."
	}
	if r.Kind == sfcheck.ProbeUnexpected && r.ErrorCode != "" {
		return fmt.Sprintf("Salesforce answered HTTP %d (%s: %s), which the probe does not expect.", r.Status, r.ErrorCode, r.Message),
			"Try again later; if it persists, check trust.salesforce.com for incidents and Setup → Installed Packages for the Digital River package."
	}
	if r.Failure != nil {
		return loginWords(r.Failure)
	}
	return fmt.Sprintf("The Apex endpoint answered HTTP %d, which the probe does not expect.", r.Status), ""
}
