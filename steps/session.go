package steps

import (
	"errors"
	"strings"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
)

// LoginKey is what a Salesforce verification depends on: every credential
// of the login and the endpoint the probe reached. When any of it changes,
// the verification no longer holds. It is compared, never shown.
type LoginKey struct {
	creds    string
	endpoint string
}

// LoginKey is the key of the answers as they are.
func (s Setup) LoginKey() LoginKey {
	cr := s.Credentials()
	return LoginKey{
		creds: strings.Join([]string{cr.TokenEndpoint, string(cr.Flow), cr.ClientID, cr.ClientSecret.Reveal(),
			cr.Username, cr.Password.Reveal(), cr.SecurityToken.Reveal()}, "\x00"),
		endpoint: s.EndpointURL(),
	}
}

// Session is one setup in progress: the answers, and what the services found
// for them. The wizard, the plain prompts and unattended setup each present a
// Session; its rules (does the Salesforce check still hold, does the key
// check, where to go back after a failure) are written here once.
//
// A Session is not safe for concurrent use: callers run the services' work
// on a copy of Setup and record the outcome here.
type Session struct {
	Setup Setup

	verified     *Verified
	verifiedFor  LoginKey
	verifiedUser string
	keyCheck     *KeyCheck
	keyFor       secret.Value
	keyAddress   string
	// refused counts, per username, the password logins Salesforce refused
	// in this session: each counts toward locking the user out.
	refused map[string]int
}

// LockoutWarnAt is how many refused logins of one user in a session make
// the next attempt wait for the admin's say-so with a warning, whatever the
// values: doctor's budget is two per run, and Salesforce locks a user after
// ten by default, three in strict orgs.
const LockoutWarnAt = 2

// LoginRefused records that Salesforce refused a password login of
// username (invalid_grant). A verification of that user made before no
// longer holds: the refusals since may have locked the user out, and
// Digital River's logins with it would fail until that ends.
func (x *Session) LoginRefused(username string) {
	if x.refused == nil {
		x.refused = map[string]int{}
	}
	u := strings.ToLower(strings.TrimSpace(username))
	x.refused[u]++
	if x.verified != nil && x.verifiedUser == u {
		x.verified = nil
	}
}

// RefusedLogins is how many password logins of username Salesforce refused
// in this session.
func (x *Session) RefusedLogins(username string) int {
	return x.refused[strings.ToLower(strings.TrimSpace(username))]
}

// Recheck forgets the Salesforce check, so the next one logs in again: after
// the admin fixed in Salesforce what it found (a permission set, the
// package), with the same values.
func (x *Session) Recheck() { x.verified = nil }

// NewSession starts a session with the answers s.
func NewSession(s Setup) *Session { return &Session{Setup: s} }

// SetVerified records the Salesforce check v, made with the answers whose
// LoginKey was k.
func (x *Session) SetVerified(v *Verified, k LoginKey) {
	x.verified, x.verifiedFor = v, k
	x.verifiedUser = strings.ToLower(strings.TrimSpace(x.Setup.Username))
}

// RefusedLogin reports whether err is Salesforce refusing a password login
// of the user (invalid_grant), one that counts toward locking the user out.
func RefusedLogin(err error) bool {
	var le *sfcheck.LoginError
	return errors.As(err, &le) && le.Op == sfcheck.OpLogin && le.Flow == sfcheck.FlowPassword && le.Code == "invalid_grant"
}

// Verified is the Salesforce check while it holds for the answers as they
// are, nil otherwise: a value changed since means a new login.
func (x *Session) Verified() *Verified {
	if x.verified != nil && x.verifiedFor == x.Setup.LoginKey() {
		return x.verified
	}
	return nil
}

// SetKeyChecked records the key check kc, made with key for the webhook
// address of the answers as they are.
func (x *Session) SetKeyChecked(kc *KeyCheck, key secret.Value) {
	x.keyCheck, x.keyFor, x.keyAddress = kc, key, x.Setup.EndpointURL()
}

// KeyChecked is the Digital River key check while the key and the webhook
// address are the ones it was made with, nil otherwise: its plan (create,
// or update the org's webhook) is the address's.
func (x *Session) KeyChecked() *KeyCheck {
	if x.keyCheck != nil && x.keyFor == x.Setup.DRAPIKey && x.keyAddress == x.Setup.EndpointURL() {
		return x.keyCheck
	}
	return nil
}

// Reopen is the step to go back to after a failure at step at whose value
// most likely wrong is f (explain.Failure.Field): the step that asks for
// it, or at itself (to try again) when no value is to blame.
func Reopen(f field.Field, at ID) ID {
	if f != field.None {
		return StepOf(f)
	}
	return at
}

// ClientCredentialsMayHelp reports whether err is a refused username-password
// login whose cause may be a blocked flow or an External Client App, which
// offers no other: then moving to client credentials is the way on.
func ClientCredentialsMayHelp(err error) bool {
	var le *sfcheck.LoginError
	return errors.As(err, &le) && le.Op == sfcheck.OpLogin && le.Flow == sfcheck.FlowPassword && le.Kind == sfcheck.KindAuthFailure
}

// SwitchToClientCredentials moves the setup to the client credentials flow,
// keeping every value typed (the username and password stay, unused, in
// case the admin switches back).
func (s *Setup) SwitchToClientCredentials() { s.Auth = sfcheck.FlowClientCredentials }
