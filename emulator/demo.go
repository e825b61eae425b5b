package emulator

import (
	"fmt"
	"time"
)

// DemoValues are the values a newcomer types in `drsetup --demo`, shown on the
// welcome screen and in `drsetup --demo --help`. All are made up.
type DemoValues struct {
	MyDomain        string // the production org, healthy
	LightningURL    string // its Lightning URL, the most common wrong answer
	SandboxMyDomain string // a sandbox of it
	SandboxUsername string

	ClientID     string // the Connected App "Salesforce DigitalRiver Integration", installed in every demo org
	ClientSecret string
	Username     string
	Password     string // every demo user's password; it holds & and +, which must be form-encoded
	// SecurityToken is every demo user's security token.
	SecurityToken string

	DRKey       string // a test secret key
	DRPublicKey string // a public key, refused by the webhooks API
	DRLiveKey   string // a live secret key

	BlockedMyDomain   string // an org whose username-password flow is blocked; its app allows client credentials
	BlockedUsername   string
	NoPackageMyDomain string // an org without the Digital River package
	NoPackageUsername string
	NoAccessUsername  string // a user of MyDomain without Apex class access
	ECAMyDomain       string // an org whose consumer key is an External Client App's: client credentials only
	ECAUsername       string // its integration user, the app's Run As user
	// TrustedUsername is a user of MyDomain who logs in from a trusted IP
	// range: the password alone works from this computer, but Digital
	// River's own logins need the security token.
	TrustedUsername string
	// MethodFirstMyDomain is an org whose Apex REST refuses a wrong method
	// (405) before it checks class access, and MethodFirstUsername its user
	// without the app's permission set: the GET probe passes, every
	// delivery's POST gets 403, and only the permission-set proof tells.
	MethodFirstMyDomain string
	MethodFirstUsername string
}

const (
	demoAcme      = "acme.my.salesforce.com"
	demoAcmeUAT   = "acme--uat.sandbox.my.salesforce.com"
	demoGlobex    = "globex.my.salesforce.com"
	demoSoylent   = "soylent.my.salesforce.com"
	demoInitech   = "initech.my.salesforce.com"
	demoHooli     = "hooli.my.salesforce.com"
	demoUmbrella  = "umbrella.my.salesforce.com"
	demoWayneUAT  = "wayne--uat.sandbox.my.salesforce.com"
	demoStaleWord = "Old&Pass+w0rd"
	demoCyberdyne = "cyberdyne.my.salesforce.com"
	demoTyrell    = "tyrell.my.salesforce.com"
)

// Demo holds the values for the demo scenarios.
var Demo = DemoValues{
	MyDomain:          "https://" + demoAcme,
	LightningURL:      "https://acme.lightning.force.com",
	SandboxMyDomain:   "https://" + demoAcmeUAT,
	SandboxUsername:   "integration@acme.example.uat",
	ClientID:          "3MVG9DEMO.drsetup.demo.consumer.key.not.a.real.one",
	ClientSecret:      "DEMO-CONSUMER-SECRET-0000",
	Username:          "integration@acme.example",
	Password:          "Demo&Pass+w0rd",
	SecurityToken:     "DEMOtoken0000000000000",
	DRKey:             "sk_test_demo_0000000000000000000000",
	DRPublicKey:       "pk_test_demo_0000000000000000000000",
	DRLiveKey:         "sk_live_demo_0000000000000000000000",
	BlockedMyDomain:   "https://" + demoGlobex,
	BlockedUsername:   "integration@globex.example",
	NoPackageMyDomain: "https://" + demoSoylent,
	NoPackageUsername: "integration@soylent.example",
	NoAccessUsername:  "noaccess@acme.example",
	ECAMyDomain:       "https://" + demoCyberdyne,
	ECAUsername:       "integration@cyberdyne.example",
	TrustedUsername:   "trusted@acme.example",

	MethodFirstMyDomain: "https://" + demoTyrell,
	MethodFirstUsername: "integration@tyrell.example",
}

// Traps are short lines naming the mistakes the demo lets a newcomer make,
// to see how drsetup catches each.
func (d DemoValues) Traps() []string {
	return []string{
		fmt.Sprintf("paste the Lightning URL %s as the My Domain", d.LightningURL),
		"type a wrong password (five wrong ones lock the user, as in Salesforce)",
		"leave the security token empty",
		fmt.Sprintf("pick Production with %s (user %s)", d.SandboxMyDomain, d.SandboxUsername),
		fmt.Sprintf("use the public key %s", d.DRPublicKey),
		fmt.Sprintf("use the live key %s with the sandbox", d.DRLiveKey),
		fmt.Sprintf("use the blocked org %s (user %s), then switch to client credentials", d.BlockedMyDomain, d.BlockedUsername),
		fmt.Sprintf("use %s (user %s), where the Digital River package is not installed", d.NoPackageMyDomain, d.NoPackageUsername),
		fmt.Sprintf("use the user %s, who lacks the DigitalRiver Connector - Integration permission set", d.NoAccessUsername),
		fmt.Sprintf("use %s (user %s) with a Connected App and username and password: its consumer key is an External Client App's, which offers only client credentials", d.ECAMyDomain, d.ECAUsername),
		fmt.Sprintf("use the user %s and leave the security token empty: this computer is trusted, Digital River's addresses are not", d.TrustedUsername),
		fmt.Sprintf("use %s (user %s), who lacks the permission set in an org that checks the method first: the Apex probe passes, Digital River's deliveries would not", d.MethodFirstMyDomain, d.MethodFirstUsername),
	}
}

// salesforceEvents are the eight events the Lightning app handles.
var salesforceEvents = []string{
	"order.accepted", "order.cancelled", "order.complete", "order.pending_payment",
	"order.review_opened", "order.blocked", "order.credit_memo.created", "order.invoice.created",
}

// DemoScenario is the world of `drsetup --demo`: the orgs behind Demo's
// values and a Digital River account with only unrelated webhooks.
func DemoScenario() Scenario {
	acme := demoOrg(demoAcme, demoUser(Demo.Username), demoUser(Demo.NoAccessUsername), demoUser(Demo.TrustedUsername))
	acme.Users[1].ClassAccess = false
	acme.Users[2].TrustedIP = true
	uat := demoOrg(demoAcmeUAT, demoUser(Demo.SandboxUsername))
	uat.Sandbox = true
	soylent := demoOrg(demoSoylent, demoUser(Demo.NoPackageUsername))
	soylent.PackageInstalled = false
	return Scenario{
		Orgs: []Org{acme, uat, blockedOrg(), soylent, externalAppOrg(), methodFirstOrg()},
		DigitalRiver: Account{
			Keys: demoKeys(),
			Webhooks: []Webhook{
				{Address: "https://erp.acme.example/digitalriver/events", Types: []string{"order.complete", "order.refunded"}, Enabled: true},
				{Address: "https://warehouse.acme.example/hooks/dr", Types: []string{"order.fulfilled"}, Enabled: true},
				{Address: "https://erp.acme.example/digitalriver/events", Types: []string{"order.complete"}, Enabled: true, LiveMode: true},
			},
		},
	}
}

// DoctorDemoScenario is the world of `drsetup doctor --demo`: Demo's healthy
// org and webhook beside the broken setups support meets most: a webhook on a
// Lightning host, one missing event types, one whose stored password is stale,
// a duplicate pair, one on an org that blocks the username-password flow.
func DoctorDemoScenario() Scenario {
	orgs := []Org{
		demoOrg(demoAcme, demoUser(Demo.Username)),
		demoOrg(demoInitech, demoUser("integration@initech.example")),
		demoOrg(demoHooli, demoUser("integration@hooli.example")),
		demoOrg(demoUmbrella, demoUser("integration@umbrella.example")),
		demoOrg(demoWayneUAT, demoUser("integration@wayne.example.uat")),
		blockedOrg(),
	}
	orgs[4].Sandbox = true

	missing := []string{"order.accepted", "order.complete", "order.pending_payment", "order.blocked"}
	stale := demoHook(demoUmbrella, "integration@umbrella.example", salesforceEvents)
	stale.OAuth.Password = demoStaleWord + Demo.SecurityToken
	lightning := demoHook(demoInitech, "integration@initech.example", salesforceEvents)
	lightning.Address = "https://initech.lightning.force.com/services/apexrest/digitalriverv3/webhooks/"
	sandbox := demoHook(demoWayneUAT, "integration@wayne.example.uat", salesforceEvents)
	sandbox.OAuth.TokenEndPoint = "https://test.salesforce.com/services/oauth2/token"
	// Stored without the security token: this computer is in the org's
	// trusted range, so the replay works, but Digital River's addresses are
	// not, and its logins fail (see demoEvidence).
	orgs[4].Users[0].TrustedIP = true
	sandbox.OAuth.Password = Demo.Password

	demoEvidence(orgs)
	return Scenario{
		Orgs: orgs,
		DigitalRiver: Account{
			Events: demoEvents(),
			Keys:   demoKeys(),
			Webhooks: []Webhook{
				demoHook(demoAcme, Demo.Username, salesforceEvents),
				lightning,
				demoHook(demoHooli, "integration@hooli.example", missing),
				stale,
				sandbox,
				sandbox.clone(),
				demoHook(demoGlobex, Demo.BlockedUsername, salesforceEvents),
				{Address: "https://erp.acme.example/digitalriver/events", Types: []string{"order.complete", "order.refunded"}, Enabled: true},
			},
		},
	}
}

func demoUser(username string) User {
	return User{
		Username:      username,
		Password:      Demo.Password,
		SecurityToken: Demo.SecurityToken,
		Active:        true,
		Approved:      true,
		ClassAccess:   true,
	}
}

// demoOrg is an org with the package and the guide's Connected App installed.
func demoOrg(host string, users ...User) Org {
	return Org{
		MyDomain:         host,
		PackageInstalled: true,
		Apps: []ConnectedApp{{
			Name:              "Salesforce DigitalRiver Integration",
			ClientID:          Demo.ClientID,
			ClientSecret:      Demo.ClientSecret,
			AdminApprovedOnly: true,
		}},
		Users: users,
	}
}

// blockedOrg blocks the username-password flow, as orgs created in Summer
// '23 or later do by default, and lets its app use client credentials.
func blockedOrg() Org {
	o := demoOrg(demoGlobex, demoUser(Demo.BlockedUsername))
	o.UsernamePasswordBlocked = true
	o.Apps[0].ClientCredentials = true
	o.Apps[0].RunAsUser = Demo.BlockedUsername
	return o
}

// externalAppOrg holds its consumer key in an External Client App, as orgs
// created since Spring '26 do: client credentials only, with the integration
// user as the Run As user.
func externalAppOrg() Org {
	o := demoOrg(demoCyberdyne, demoUser(Demo.ECAUsername))
	o.Apps[0].Name = "Digital River"
	o.Apps[0].External = true
	o.Apps[0].ClientCredentials = true
	o.Apps[0].RunAsUser = Demo.ECAUsername
	return o
}

// methodFirstOrg refuses a wrong method before it checks class access, and
// hides permission set assignments from its users (no View Setup), so that
// only a read of the app's own object proves its user lacks the permission
// set.
func methodFirstOrg() Org {
	o := demoOrg(demoTyrell, demoUser(Demo.MethodFirstUsername))
	o.MethodCheckedFirst = true
	o.HidePermissionSetAssignments = true
	o.Users[0].ClassAccess = false
	return o
}

func demoKeys() []Key {
	return []Key{
		{Key: Demo.DRKey, CanWebhooks: true},
		{Key: Demo.DRPublicKey},
		{Key: Demo.DRLiveKey, CanWebhooks: true},
	}
}

// demoHook is a webhook set up as the guide says, for the org at host.
func demoHook(host, username string, types []string) Webhook {
	return Webhook{
		Address:       "https://" + host + "/services/apexrest/digitalriverv3/webhooks/",
		Types:         append([]string(nil), types...),
		APIVersion:    apiVersionDefault,
		Enabled:       true,
		TransportType: transportOAuth,
		OAuth: &OAuth{
			TokenEndPoint: "https://" + loginHost + "/services/oauth2/token",
			UserName:      username,
			Password:      Demo.Password + Demo.SecurityToken,
			ClientID:      Demo.ClientID,
			ClientSecret:  Demo.ClientSecret,
			GrantType:     grantPassword,
		},
	}
}

// Digital River's published addresses its demo logins come from.
var demoDRAddresses = []string{"54.204.214.106", "3.94.74.169", "52.36.133.196", "34.241.30.95"}

// demoEvidence gives the doctor demo's orgs what the delivery checks read:
// a month of Digital River's logins in each integration user's Login History
// (every four hours, as deliveries come), with the failures behind the
// broken setups; failed-event records at acme, with payloads of made-up
// customers' data that drsetup must never show; a slow listener at hooli.
//
// The sandbox's story, which the timeline shows: three days ago its
// password was changed, and Digital River's logins failed with it; a day
// later the new password was stored in the webhook, without the security
// token, so they fail since for want of it.
func demoEvidence(orgs []Org) {
	const every = 4 * time.Hour
	history := func(status func(age time.Duration) string) []LoginEvent {
		var rows []LoginEvent
		for i := 0; time.Duration(i)*every < 30*24*time.Hour; i++ {
			age := time.Duration(i)*every + 25*time.Minute
			rows = append(rows, LoginEvent{Age: age, Status: status(age), SourceIP: demoDRAddresses[i%len(demoDRAddresses)]})
		}
		return rows
	}
	success := func(time.Duration) string { return statusSuccess }
	for i := range orgs {
		for j := range orgs[i].Users {
			orgs[i].Users[j].LoginHistory = history(success)
		}
	}
	const day = 24 * time.Hour
	orgs[3].Users[0].LoginHistory = history(func(age time.Duration) string { // umbrella: its stored password is stale
		if age < 2*day {
			return statusBadPassword
		}
		return statusSuccess
	})
	orgs[4].Users[0].LoginHistory = history(func(age time.Duration) string { // wayne's sandbox
		switch {
		case age < 2*day:
			return statusTokenRequired
		case age < 3*day:
			return statusBadPassword
		}
		return statusSuccess
	})
	orgs[5].Users[0].LoginHistory = history(func(age time.Duration) string { // globex blocks the flow
		if age < 10*day {
			return statusFlowDisabled
		}
		return statusSuccess
	})
	orgs[2].ListenerLatency = 1600 * time.Millisecond // hooli: slow, short of Digital River's limit
	payload := func(order, email, name string) string {
		return `{"id":"` + order + `","type":"order.accepted","data":{"object":{"id":"` + order + `","email":"` + email +
			`","billTo":{"name":"` + name + `","phone":"+1 952-555-0142","address":{"line1":"10380 Bren Road West","city":"Minnetonka","postalCode":"55343"}}}}}`
	}
	orgs[0].FailedEvents = []FailedEvent{
		{Age: 3 * time.Hour, EventID: "5f2c9a1e-7d41-4b8e-9c3a-1e6f0b2d4a71", EventType: "order.accepted",
			Reason:  "System.DmlException: Insert failed. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Required fields are missing: [BillingCountry]",
			Payload: payload("240114310336", "jane.roe@customer.example", "Jane Roe")},
		{Age: 20 * time.Hour, EventID: "a83d0f6b-2c19-4e57-8b0d-6f4e2a9c1b35", EventType: "order.accepted",
			Reason:  "System.DmlException: Insert failed. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Required fields are missing: [BillingCountry]",
			Payload: payload("240114298712", "max.mustermann@customer.example", "Max Mustermann")},
		{Age: 29 * time.Hour, EventID: "0c6e4b2a-9f17-4d3c-a5e8-7b1d2f9e6c40", EventType: "order.complete",
			Reason:  "digitalriverv3.DRB2B_OrderException: No Salesforce order with Digital River order id 240114287455",
			Payload: payload("240114287455", "erika.musterfrau@customer.example", "Erika Musterfrau")},
	}
}

// demoEvents are a month of the demo account's order events, one every
// three hours, of the app's types in rough proportion; those of the last
// day are still pending delivery to the webhooks that fail, as Digital
// River's pendingWebhooks writes it: mostly a number, sometimes a numeric
// string, sometimes left out. Each carries a made-up customer in data.object,
// which drsetup must never show.
func demoEvents() []Event {
	types := []string{"order.accepted", "order.complete", "order.pending_payment", "order.accepted", "order.invoice.created",
		"order.complete", "order.created", "order.cancelled", "order.accepted", "order.review_opened", "order.credit_memo.created", "order.blocked"}
	var out []Event
	for i := 0; time.Duration(i)*3*time.Hour < 30*24*time.Hour; i++ {
		age := time.Duration(i)*3*time.Hour + 70*time.Minute
		ev := Event{Type: types[i%len(types)], Age: age,
			Object: map[string]any{"id": fmt.Sprintf("2401143%05d", 9000-i), "email": fmt.Sprintf("shopper%03d@customer.example", i),
				"billTo": map[string]any{"name": "Demo Shopper", "address": map[string]any{"line1": "10380 Bren Road West"}}}}
		if age < 24*time.Hour {
			ev.Pending.Count = 3
		}
		switch {
		case i%7 == 3:
			ev.Pending.Form = PendingMissing
		case i%5 == 1:
			ev.Pending.Form = PendingString
		}
		out = append(out, ev)
	}
	return out
}
