package sfcheck

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The queries drsetup sends are these templates and nothing else. Their only
// holes take an ID, a time or a limit, each checked and written by this file,
// so no text from a webhook, a profile or a prompt can reach a query: a
// Salesforce ID is letters and digits, a time is formatted here, a limit is an
// int.

// The objects drsetup reads (a RESTError's Object is one of them): the app's,
// with the namespace they carry in a subscriber org ([APP] in
// facts/diagnosis.md), and Salesforce's own.
const (
	FailedEventObject  = ApexNamespace + "__DR_Failed_Event__c"
	failedEventID      = ApexNamespace + "__Event_Id__c"
	failedEventType    = ApexNamespace + "__Event_Type__c"
	failedEventReason  = ApexNamespace + "__Event_Capture_Reason__c"
	LoginHistoryObject = "LoginHistory"
	AssignmentObject   = "PermissionSetAssignment"
	UserObject         = "User"
)

const (
	loginHistoryTemplate = "SELECT LoginTime, Status, SourceIp, LoginType, LoginSubType, Application, LoginUrl FROM LoginHistory WHERE UserId = '%s' AND LoginTime >= %s ORDER BY LoginTime DESC LIMIT %d"
	// The payload (Event_Payload__c) is never selected: it is the whole
	// event, customer data included.
	failedEventsTemplate     = "SELECT Id, CreatedDate, " + failedEventID + ", " + failedEventType + ", " + failedEventReason + " FROM " + FailedEventObject + " WHERE CreatedDate >= %s ORDER BY CreatedDate DESC LIMIT %d"
	failedEventCountTemplate = "SELECT COUNT() FROM " + FailedEventObject + " WHERE CreatedDate >= %s"
	failedEventAccessQuery   = "SELECT COUNT() FROM " + FailedEventObject
	assignmentsTemplate      = "SELECT PermissionSet.Name, PermissionSet.NamespacePrefix FROM PermissionSetAssignment WHERE AssigneeId = '%s'"
	userTemplate             = "SELECT IsActive, LastPasswordChangeDate, ProfileId FROM User WHERE Id = '%s'"
)

// maxQueryLimit bounds the LIMIT of any template: one default batch of
// records, so a limited query is one page.
const maxQueryLimit = 2000

// ID is a Salesforce record ID that ParseID checked: 15 or 18 letters and
// digits with the expected key prefix, and for 18 characters a case checksum
// that matches. It is the only kind of ID a query template takes; the zero
// value is no ID.
type ID struct{ s string }

// String returns the ID as given.
func (id ID) String() string { return id.s }

// IsZero reports whether id is the zero ID.
func (id ID) IsZero() bool { return id.s == "" }

// IDError says why a value is not a Salesforce ID of the kind asked for.
type IDError struct {
	Prefix string // the key prefix wanted, e.g. "005" for a user
	Reason string
}

func (e *IDError) Error() string { return e.Reason }

// ParseID checks that s is a Salesforce record ID with the key prefix prefix
// (three characters, "005" for users). White space around it is not trimmed:
// an ID is copied by the program, not typed.
func ParseID(s, prefix string) (ID, error) {
	bad := func(format string, args ...any) (ID, error) {
		return ID{}, &IDError{Prefix: prefix, Reason: fmt.Sprintf(format, args...)}
	}
	if len(prefix) != 3 || !isIDChars(prefix) {
		return bad("%q is not a Salesforce key prefix", prefix)
	}
	if len(s) != 15 && len(s) != 18 {
		return bad("a Salesforce ID has 15 or 18 characters, not %d", len(s))
	}
	if !isIDChars(s) {
		return bad("a Salesforce ID has only letters and digits")
	}
	if !strings.HasPrefix(s, prefix) {
		return bad("the ID does not start with %s", prefix)
	}
	if len(s) == 18 && s[15:] != idChecksum(s[:15]) {
		return bad("the ID's last three characters are not the checksum of its first fifteen")
	}
	return ID{s}, nil
}

func isIDChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// idChecksum is the suffix Salesforce appends to a 15-character ID to make
// the 18-character form: for each five characters, a bitmap of which are
// upper case, as a letter or digit of A–Z0–5.
func idChecksum(id15 string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
	var out [3]byte
	for chunk := range 3 {
		bits := 0
		for i := range 5 {
			if c := id15[chunk*5+i]; c >= 'A' && c <= 'Z' {
				bits |= 1 << i
			}
		}
		out[chunk] = alphabet[bits]
	}
	return string(out[:])
}

// soqlTimeLayout is how a query writes a date-time literal: UTC, no quotes.
const soqlTimeLayout = "2006-01-02T15:04:05Z"

// soqlTime writes t as a SOQL date-time literal. Times before 1970 or after
// 4000 are refused: SOQL accepts neither, and no window drsetup reads reaches
// them.
func soqlTime(t time.Time) (string, error) {
	if t.IsZero() {
		return "", errors.New("sfcheck: no start time given for the query")
	}
	u := t.UTC()
	if u.Year() < 1970 || u.Year() > 4000 {
		return "", fmt.Errorf("sfcheck: %d is outside the years a query can name", u.Year())
	}
	return u.Format(soqlTimeLayout), nil
}

func checkLimit(n int) error {
	if n < 1 || n > maxQueryLimit {
		return fmt.Errorf("sfcheck: a query limit must be from 1 to %d, not %d", maxQueryLimit, n)
	}
	return nil
}

// soql is a query made from a template. Only this file makes one.
type soql struct {
	text   string
	object string // the sObject it reads, for errors
}

func loginHistoryQuery(user ID, since time.Time, limit int) (soql, error) {
	if err := needUser(user); err != nil {
		return soql{}, err
	}
	at, err := soqlTime(since)
	if err != nil {
		return soql{}, err
	}
	if err := checkLimit(limit); err != nil {
		return soql{}, err
	}
	return soql{fmt.Sprintf(loginHistoryTemplate, user.s, at, limit), LoginHistoryObject}, nil
}

func failedEventsQuery(since time.Time, limit int) (soql, error) {
	at, err := soqlTime(since)
	if err != nil {
		return soql{}, err
	}
	if err := checkLimit(limit); err != nil {
		return soql{}, err
	}
	return soql{fmt.Sprintf(failedEventsTemplate, at, limit), FailedEventObject}, nil
}

func failedEventCountQuery(since time.Time) (soql, error) {
	at, err := soqlTime(since)
	if err != nil {
		return soql{}, err
	}
	return soql{fmt.Sprintf(failedEventCountTemplate, at), FailedEventObject}, nil
}

func failedEventAccess() soql { return soql{failedEventAccessQuery, FailedEventObject} }

func assignmentsQuery(user ID) (soql, error) {
	if err := needUser(user); err != nil {
		return soql{}, err
	}
	return soql{fmt.Sprintf(assignmentsTemplate, user.s), AssignmentObject}, nil
}

func userQuery(user ID) (soql, error) {
	if err := needUser(user); err != nil {
		return soql{}, err
	}
	return soql{fmt.Sprintf(userTemplate, user.s), UserObject}, nil
}

func needUser(id ID) error {
	if !strings.HasPrefix(id.s, "005") {
		return errors.New("sfcheck: the query needs a user ID (005…)")
	}
	return nil
}

// objectName matches an sObject API name as describe takes it: a letter,
// then letters, digits and single underscores (a namespace and a __c suffix
// are made of those too).
var objectName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(_{1,2}[A-Za-z0-9]+)*$`)

// checkObjectName refuses anything that is not an sObject API name, before it
// becomes part of a path.
func checkObjectName(name string) error {
	if len(name) > 80 || !objectName.MatchString(name) {
		return fmt.Errorf("sfcheck: %s is not an sObject name", strconv.Quote(name))
	}
	return nil
}
