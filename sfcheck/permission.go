package sfcheck

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/text"
)

// The app's permission set for the integration user ([APP]): it grants the
// listener class, the app's objects, and makes the user API only.
const (
	PermissionSetName  = "DigitalRiver_Connector_Integration"
	PermissionSetLabel = "DigitalRiver Connector - Integration"
)

// PermissionAnswer is what can be proven about the integration user and the
// app's permission set.
type PermissionAnswer string

const (
	PermissionHeld    PermissionAnswer = "held"    // the user has it, or the access only it grants
	PermissionLacking PermissionAnswer = "lacking" // the user provably does not
	PermissionUnknown PermissionAnswer = "unknown" // nothing the user may read tells
)

// How a PermissionProof was reached.
const (
	ProofAssignment = "assignment"  // the user's permission set assignments
	ProofQuery      = "object_read" // a query of an object only the permission set grants
	ProofDescribe   = "describe"    // that object's describe
)

// PermissionProof is the answer PermissionSet proves, and from what: the
// facts, which package explain words (explain.Permission).
type PermissionProof struct {
	Answer   PermissionAnswer
	Source   string   // ProofAssignment, ProofQuery or ProofDescribe; "" when unknown
	Assigned []string // with ProofAssignment: the names of the user's permission sets
	// Refusals are the reads Salesforce refused on the way, in the order
	// tried; for an unknown answer the last says why nothing could tell.
	Refusals []*RESTError
}

// Why is the refusal that left the answer unknown: the last one; nil when
// the answer is known, or when nothing was refused.
func (p PermissionProof) Why() *RESTError {
	if p.Answer != PermissionUnknown || len(p.Refusals) == 0 {
		return nil
	}
	return p.Refusals[len(p.Refusals)-1]
}

// PermissionSet proves whether the session's user holds the app's
// permission set, by what the user may read rather than by the Apex probe's
// status (a 405 does not prove class access: Salesforce may check the method
// first). It reads, in order, until one answers:
//
//  1. the user's permission set assignments (readable with View Setup and
//     Configuration, which the app's packaged profile has);
//  2. a count of the app's failed-event records, an object only the
//     permission set grants: INVALID_TYPE means the user lacks it;
//  3. that object's describe: 404 means the user lacks it.
//
// Steps 2 and 3 assume the app is installed, which the probe shows. A
// refusal that would refuse every read (no answer, the session or the API
// refused) stops at once with PermissionUnknown. The error is non-nil only
// when there is no session to read with or ctx was cancelled.
func (c *Client) PermissionSet(ctx context.Context, s *Session) (PermissionProof, error) {
	user, err := sessionUser(s)
	if err != nil {
		return PermissionProof{}, err
	}
	var p PermissionProof
	refused := func(err error) (stop bool) {
		var e *RESTError
		if errors.As(err, &e) {
			p.Refusals = append(p.Refusals, e)
		}
		return errStop(err)
	}

	q, err := assignmentsQuery(user)
	if err != nil {
		return PermissionProof{}, err
	}
	var names []string
	held := false
	_, err = query(ctx, c, s, q, func(r struct {
		PermissionSet *struct {
			Name            string
			NamespacePrefix *string
		}
	}) bool {
		if r.PermissionSet == nil {
			return true
		}
		name := text.Cut(text.Clean(r.PermissionSet.Name), 80)
		ns := ""
		if r.PermissionSet.NamespacePrefix != nil {
			ns = text.Cut(text.Clean(*r.PermissionSet.NamespacePrefix), 40)
		}
		if strings.EqualFold(name, PermissionSetName) && strings.EqualFold(ns, ApexNamespace) {
			held = true
		}
		if ns != "" {
			name = ns + "__" + name
		}
		names = append(names, name)
		return len(names) < 1000
	})
	switch {
	case err == nil && held:
		p.Answer, p.Source, p.Assigned = PermissionHeld, ProofAssignment, names
		return p, nil
	case err == nil:
		p.Answer, p.Source, p.Assigned = PermissionLacking, ProofAssignment, names
		return p, nil
	case refused(err):
		return unknownProof(ctx, p)
	}

	_, err = query(ctx, c, s, failedEventAccess(), func(struct{}) bool { return true })
	var e *RESTError
	switch {
	case err == nil:
		p.Answer, p.Source = PermissionHeld, ProofQuery
		return p, nil
	case errors.As(err, &e) && e.Kind == KindInvalidType:
		refused(err)
		p.Answer, p.Source = PermissionLacking, ProofQuery
		return p, nil
	case refused(err):
		return unknownProof(ctx, p)
	}

	_, err = c.Describe(ctx, s, FailedEventObject)
	switch {
	case err == nil:
		p.Answer, p.Source = PermissionHeld, ProofDescribe
		return p, nil
	case errors.As(err, &e) && e.Kind == KindNotFound && e.Flaw != FlawNoVersion:
		// A 404 proves the object hidden only when the org serves a
		// version to describe it with; one that serves none tells nothing.
		refused(err)
		p.Answer, p.Source = PermissionLacking, ProofDescribe
		return p, nil
	}
	refused(err)
	return unknownProof(ctx, p)
}

// unknownProof ends a proof that nothing could answer; its last refusal
// says why. A cancelled read is an error, not an answer.
func unknownProof(ctx context.Context, p PermissionProof) (PermissionProof, error) {
	if ctx.Err() != nil {
		if n := len(p.Refusals); n > 0 {
			return PermissionProof{}, p.Refusals[n-1]
		}
		return PermissionProof{}, ctx.Err()
	}
	p.Answer = PermissionUnknown
	return p, nil
}

// UserRecord is what the integration user may read of its own user record.
type UserRecord struct {
	Active bool
	// LastPasswordChange is when the password last changed; zero when
	// Salesforce gives none. Passwords expire after 90 days by default (Setup
	// → Password Policies), but the API has no expiry date.
	LastPasswordChange time.Time
	ProfileID          string
}

// UserRecord reads the session's own user record. Failures are *RESTError;
// a query that answers without the record is KindNoRecord.
func (c *Client) UserRecord(ctx context.Context, s *Session) (UserRecord, error) {
	user, err := sessionUser(s)
	if err != nil {
		return UserRecord{}, err
	}
	q, err := userQuery(user)
	if err != nil {
		return UserRecord{}, err
	}
	var out UserRecord
	found := false
	_, err = query(ctx, c, s, q, func(r struct {
		IsActive               bool
		LastPasswordChangeDate *string
		ProfileID              string `json:"ProfileId"`
	}) bool {
		found = true
		out.Active = r.IsActive
		if r.LastPasswordChangeDate != nil {
			out.LastPasswordChange = parseSalesforceTime(*r.LastPasswordChangeDate)
		}
		if id, err := ParseID(r.ProfileID, "00e"); err == nil {
			out.ProfileID = id.String()
		}
		return false
	})
	if err != nil {
		return UserRecord{}, err
	}
	if !found {
		return UserRecord{}, &RESTError{Op: OpQuery, Object: UserObject, Kind: KindNoRecord, Host: httpx.Host(s.InstanceURL)}
	}
	return out, nil
}
