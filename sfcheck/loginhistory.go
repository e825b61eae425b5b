package sfcheck

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/drsetup/drsetup/text"
)

// LoginHistoryLimit is how many of the newest logins LoginHistory reads.
const LoginHistoryLimit = 200

// LoginRecord is one row of a user's Login History.
type LoginRecord struct {
	Time         time.Time
	Status       string     // "Success" or the reason it failed, as Salesforce wrote it
	SourceIP     string     // as Salesforce wrote it
	Addr         netip.Addr // SourceIP parsed; invalid when it is not an address
	LoginType    string     // "Remote Access 2.0" for an OAuth login by an app
	LoginSubType string     // "OAuth Username-Password", "OAuth Client Credentials", …
	Application  string     // the connected app's name
	LoginURL     string
}

// Kind classifies the row's Status.
func (r LoginRecord) Kind() LoginStatusKind { return ClassifyLoginStatus(r.Status) }

// Succeeded reports whether the login worked.
func (r LoginRecord) Succeeded() bool { return r.Kind() == LoginSucceeded }

// FromDigitalRiver reports whether the login came from one of Digital
// River's published addresses.
func (r LoginRecord) FromDigitalRiver() bool { return IsDigitalRiverAddress(r.Addr) }

// LoginHistory reads the newest LoginHistoryLimit logins of the session's own
// user since since, newest first. Every user may read their own rows from API
// version 37.0 on. Status and SourceIp cannot be filtered in a query, so the
// caller sorts them out (Kind, FromDigitalRiver). Failures are *RESTError.
func (c *Client) LoginHistory(ctx context.Context, s *Session, since time.Time) ([]LoginRecord, error) {
	user, err := sessionUser(s)
	if err != nil {
		return nil, err
	}
	q, err := loginHistoryQuery(user, since, LoginHistoryLimit)
	if err != nil {
		return nil, err
	}
	var out []LoginRecord
	_, err = query(ctx, c, s, q, func(r struct {
		LoginTime    string
		Status       string
		SourceIP     string `json:"SourceIp"`
		LoginType    string
		LoginSubType string
		Application  string
		LoginURL     string `json:"LoginUrl"`
	}) bool {
		rec := LoginRecord{
			Time:         parseSalesforceTime(r.LoginTime),
			Status:       text.Cut(text.Clean(r.Status), maxRecordText),
			SourceIP:     text.Cut(text.Clean(r.SourceIP), 64),
			LoginType:    text.Cut(text.Clean(r.LoginType), 80),
			LoginSubType: text.Cut(text.Clean(r.LoginSubType), 80),
			Application:  text.Cut(text.Clean(r.Application), maxRecordText),
			LoginURL:     text.Cut(text.Clean(r.LoginURL), maxRecordText),
		}
		if a, err := netip.ParseAddr(rec.SourceIP); err == nil {
			rec.Addr = a.Unmap()
		}
		out = append(out, rec)
		return len(out) < LoginHistoryLimit
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// sessionUser is the session's user ID, checked, for a query template.
func sessionUser(s *Session) (ID, error) {
	if s == nil {
		return ID{}, &RESTError{Op: OpQuery, Kind: KindMissingValue, Meaning: "There is no Salesforce session to read with.", Remedy: "Log in first."}
	}
	id, err := ParseID(s.UserID, "005")
	if err != nil {
		return ID{}, &RESTError{Op: OpQuery, Kind: KindBadResponse, Host: hostOf(s.InstanceURL),
			Meaning: "The login did not name its user with a Salesforce user ID (" + err.Error() + "), so drsetup cannot read the user's records.",
			Remedy:  "Log in again; if it keeps happening, check that the token endpoint is Salesforce's."}
	}
	return id, nil
}

// parseSalesforceTime reads a date-time as the REST API writes it
// ("2026-11-24T10:15:30.000+0000"), or an RFC 3339 one; anything else is the
// zero time.
func parseSalesforceTime(s string) time.Time {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// LoginStatusKind sorts Login History's Status values by what has to be done
// about them.
type LoginStatusKind string

const (
	LoginSucceeded      LoginStatusKind = "success"
	LoginBadPassword    LoginStatusKind = "invalid_password"
	LoginTokenRequired  LoginStatusKind = "security_token_required"
	LoginRestrictedIP   LoginStatusKind = "restricted_ip"
	LoginRestrictedTime LoginStatusKind = "restricted_time"
	LoginLockedOut      LoginStatusKind = "locked_out"
	LoginInactive       LoginStatusKind = "inactive"
	LoginFrozen         LoginStatusKind = "frozen"
	LoginFlowDisabled   LoginStatusKind = "flow_disabled"
	LoginOAuthDisabled  LoginStatusKind = "oauth_disabled"
	LoginRateExceeded   LoginStatusKind = "rate_exceeded"
	LoginAPIOnly        LoginStatusKind = "api_only"
	LoginMFARequired    LoginStatusKind = "mfa_required"
	LoginOtherFailure   LoginStatusKind = "other_failure"
)

// loginStatusWords maps what a Status says, lower-cased, to its kind. There
// is no official list for LoginHistory (facts/diagnosis.md §3): the values
// are those reported, matched by substring so that a prefix ("Failed: ") or
// another case does not hide them. The order matters: the more specific
// words come first.
var loginStatusWords = []struct {
	words string
	kind  LoginStatusKind
}{
	{"security token", LoginTokenRequired},
	{"username-password flow", LoginFlowDisabled},
	{"oauth api access", LoginOAuthDisabled},
	{"lockout", LoginLockedOut},
	{"locked out", LoginLockedOut},
	{"inactive", LoginInactive},
	{"frozen", LoginFrozen},
	{"rate exceeded", LoginRateExceeded},
	{"restricted time", LoginRestrictedTime},
	{"login hours", LoginRestrictedTime},
	{"restricted ip", LoginRestrictedIP},
	{"ip address not allowed", LoginRestrictedIP},
	{"api-only", LoginAPIOnly},
	{"api only", LoginAPIOnly},
	{"multi-factor", LoginMFARequired},
	{"invalid password", LoginBadPassword},
}

// ClassifyLoginStatus sorts a Login History Status, compared
// case-insensitively by substring.
func ClassifyLoginStatus(status string) LoginStatusKind {
	s := strings.ToLower(strings.TrimSpace(status))
	for _, w := range loginStatusWords {
		if strings.Contains(s, w.words) {
			return w.kind
		}
	}
	if strings.Contains(s, "success") && !strings.Contains(s, "fail") {
		return LoginSucceeded
	}
	return LoginOtherFailure
}

// Meaning says what a failed login of this kind means for Digital River's
// deliveries, in the admin's words; "" for a success.
func (k LoginStatusKind) Meaning() string {
	switch k {
	case LoginSucceeded:
		return ""
	case LoginBadPassword:
		return "Salesforce refused the password: the one stored in the webhook is not the user's (it was changed, or it expired)."
	case LoginTokenRequired:
		return "Salesforce wanted the security token after the password: the login came from an address the org does not trust, as Digital River's always do unless the org lists them."
	case LoginRestrictedIP:
		return "The login came from an address outside the Login IP Ranges of the user's profile (or the org's trusted ranges)."
	case LoginRestrictedTime:
		return "The login came outside the Login Hours of the user's profile; Digital River delivers around the clock."
	case LoginLockedOut:
		return "The user is locked out after too many failed logins: every login fails until it is unlocked, whatever the password."
	case LoginInactive:
		return "The user is deactivated."
	case LoginFrozen:
		return "The user is frozen."
	case LoginFlowDisabled:
		return "The org does not allow the OAuth username-password flow (the default for orgs created in Summer '23 or later, and never offered by an External Client App)."
	case LoginOAuthDisabled:
		return "The user may not use the API through OAuth: the profile lacks API Enabled, or the app's policies refuse the user."
	case LoginRateExceeded:
		return "The user logged in more often than Salesforce allows in an hour."
	case LoginAPIOnly:
		return "An API-only user tried to log in to Salesforce's pages; that is not a login Digital River makes."
	case LoginMFARequired:
		return "Salesforce asked for multi-factor authentication, which a login by an app cannot give."
	}
	return "Salesforce refused the login for a reason drsetup does not know."
}

// Remedy says what to change for a failed login of this kind; "" for a
// success and where nothing about the webhook needs changing.
func (k LoginStatusKind) Remedy() string {
	switch k {
	case LoginBadPassword:
		return "Update the password stored in the webhook (run drsetup setup with the current password and security token), or move the webhook to client credentials."
	case LoginTokenRequired:
		return "Append the user's security token to the password stored in the webhook (drsetup setup asks for it; the user's Settings → Reset My Security Token sends a new one), or add Digital River's addresses (" + digitalRiverAddressList() + ") to Setup → Network Access."
	case LoginRestrictedIP:
		return "Add Digital River's addresses (" + digitalRiverAddressList() + ") to the Login IP Ranges of the integration user's profile (Setup → Profiles), or set the app's IP Relaxation to \"Relax IP restrictions\" (" + pageAppPolicies + ")."
	case LoginRestrictedTime:
		return "Clear the Login Hours of the integration user's profile (Setup → Profiles → the profile → Login Hours)."
	case LoginLockedOut:
		return "Unlock the user (" + setupUsers + " → the user → Unlock), then correct the password stored in the webhook, or Digital River's retries will lock it again."
	case LoginInactive:
		return "Activate the user (" + setupUsers + " → the user → Edit → Active), or set up the webhook with another integration user."
	case LoginFrozen:
		return "Unfreeze the user (" + setupUsers + " → the user → Unfreeze)."
	case LoginFlowDisabled:
		return "Turn on " + pageUnPwFlow + ", or move the webhook to client credentials (drsetup setup --auth client-credentials)."
	case LoginOAuthDisabled:
		return "Tick " + setupProfileAPI + ", and check the app's Permitted Users (" + pageAppPolicies + ")."
	case LoginRateExceeded:
		return "Wait up to an hour; find what else logs in as this user (" + setupUsers + " → the user → Login History) and stop it."
	case LoginMFARequired:
		return "Give the integration user the permission \"Waive Multi-Factor Authentication for Exempt Users\" (it logs in only through the API), or move the webhook to client credentials."
	case LoginOtherFailure:
		return "Read the Status in " + setupUsers + " → the integration user → Login History."
	}
	return ""
}

// digitalRiverRanges are the addresses Digital River calls from, as its
// safelist page publishes them (facts/diagnosis.md §3).
var digitalRiverRanges = []netip.Prefix{
	netip.MustParsePrefix("54.204.214.106/32"),
	netip.MustParsePrefix("100.25.55.35/32"),
	netip.MustParsePrefix("3.94.74.169/32"),
	netip.MustParsePrefix("52.207.145.30/32"),
	netip.MustParsePrefix("35.167.151.150/32"),
	netip.MustParsePrefix("50.112.167.211/32"),
	netip.MustParsePrefix("52.36.133.196/32"),
	netip.MustParsePrefix("54.68.3.105/32"),
	netip.MustParsePrefix("52.19.155.167/32"),
	netip.MustParsePrefix("34.241.30.95/32"),
	netip.MustParsePrefix("209.87.180.0/24"),
	netip.MustParsePrefix("217.65.128.0/24"),
	netip.MustParsePrefix("210.242.154.0/29"),
}

// DigitalRiverRanges returns the address ranges Digital River calls from.
func DigitalRiverRanges() []netip.Prefix { return slices.Clone(digitalRiverRanges) }

// IsDigitalRiverAddress reports whether ip is one of Digital River's
// published addresses. An IPv4 address written as IPv6 counts as itself.
func IsDigitalRiverAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range digitalRiverRanges {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// digitalRiverAddressList writes the ranges as an admin types them into
// Salesforce: single addresses bare, ranges as first–last.
func digitalRiverAddressList() string {
	parts := make([]string, 0, len(digitalRiverRanges))
	for _, p := range digitalRiverRanges {
		if p.IsSingleIP() {
			parts = append(parts, p.Addr().String())
			continue
		}
		parts = append(parts, p.Masked().Addr().String()+"–"+lastAddr(p).String())
	}
	return strings.Join(parts, ", ")
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	host := 32 - p.Bits()
	for i := 3; i >= 0 && host > 0; i-- {
		n := min(host, 8)
		b[i] |= byte(1<<n - 1)
		host -= n
	}
	return netip.AddrFrom4(b)
}
