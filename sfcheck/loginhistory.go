package sfcheck

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/text"
)

// LoginHistoryLimit is how many of the newest logins LoginHistory reads.
const LoginHistoryLimit = 200

// LoginRecord is one row of a user's Login History.
type LoginRecord struct {
	Time         time.Time
	Status       string     // "Success" or the reason it failed, as Salesforce wrote it
	SourceIP     string     // as Salesforce wrote it
	Addr         netip.Addr // SourceIP parsed, an IPv4 address as itself even when written as IPv6; invalid when it is not an address
	LoginType    string     // "Remote Access 2.0" for an OAuth login by an app
	LoginSubType string     // "OAuth Username-Password", "OAuth Client Credentials", …
	Application  string     // the connected app's name
	LoginURL     string
}

// Kind classifies the row's Status.
func (r LoginRecord) Kind() LoginStatusKind { return ClassifyLoginStatus(r.Status) }

// Succeeded reports whether the login worked.
func (r LoginRecord) Succeeded() bool { return r.Kind() == LoginSucceeded }

// LoginHistory reads the newest LoginHistoryLimit logins of the session's own
// user since since, newest first. Every user may read their own rows from API
// version 37.0 on. Status and SourceIp cannot be filtered in a query, so the
// caller sorts them out (Kind, and Addr against Digital River's addresses,
// drapi.IsSourceAddress). Failures are *RESTError.
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
		return ID{}, &RESTError{Op: OpQuery, Kind: KindMissingValue}
	}
	id, err := ParseID(s.UserID, "005")
	if err != nil {
		return ID{}, &RESTError{Op: OpQuery, Kind: KindBadResponse, Host: httpx.Host(s.InstanceURL), Flaw: FlawNotUserID, Err: err}
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
// about them; what each means for the admin is package explain's to say.
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
