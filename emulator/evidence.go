package emulator

import (
	"crypto/sha256"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// What doctor reads past the configuration (facts/diagnosis.md): each user's
// Login History, the app's failed-event records, permission set assignments,
// the user's own record, and Digital River's events. These types are the
// scenario's; the Salesforce REST reads are in salesforce_data.go and the
// events list in digitalriver_events.go.

// LoginEvent is one row of a user's Login History. Give Time, or Age to date
// it relative to when the emulator starts (demo and tests then see recent
// rows on any day).
type LoginEvent struct {
	Time         time.Time
	Age          time.Duration
	Status       string // "Success" or the reason, e.g. "Failed: API security token required"
	SourceIP     string // e.g. one of Digital River's addresses, "54.204.214.106"
	LoginType    string // default "Remote Access 2.0"
	LoginSubType string // default "OAuth Username-Password"
	Application  string // default the org's first app's name
	LoginURL     string // default "login.salesforce.com"
}

// FailedEvent is one of the app's digitalriverv3__DR_Failed_Event__c records:
// an event its listener received and stored instead of processing.
type FailedEvent struct {
	ID        string // "a0B…", 18 characters; derived when empty
	Time      time.Time
	Age       time.Duration
	EventID   string
	EventType string
	Reason    string // Event_Capture_Reason__c
	// Payload is Event_Payload__c, the whole event with the customer's
	// data. The emulator serves it to a query that selects it, as Salesforce
	// would, so a test can prove drsetup never asks for it.
	Payload   string
	Processed bool
}

// Event is a Digital River event. Give CreatedTime or Age.
type Event struct {
	ID          string // a UUID; derived when empty
	Type        string
	CreatedTime time.Time
	Age         time.Duration
	LiveMode    bool
	Pending     EventPending
	WebhookIDs  []string
	// Object is data.object: in real events the order, with the customer's
	// data. Tests seed a canary in it.
	Object map[string]any
}

// EventPending is how an event writes pendingWebhooks, which the API
// document requires without defining: as a number (the zero value), as a
// numeric string, or not at all.
type EventPending struct {
	Count int
	Form  string // PendingNumber, PendingString or PendingMissing
}

// Forms of EventPending.
const (
	PendingNumber  = ""
	PendingString  = "string"
	PendingMissing = "missing"
)

// eventsWindow is how far back GET /events reaches.
const eventsWindow = 30 * 24 * time.Hour

// normalizeOrgEvidence checks and fills in an org's evidence fields; o is
// already a copy.
func normalizeOrgEvidence(o *Org, at string) error {
	if o.ListenerLatency < 0 {
		return fieldErr(at+".listenerLatency", "must not be negative")
	}
	if o.QueryBatchSize < 0 || o.QueryBatchSize > 2000 {
		return fieldErr(at+".queryBatchSize", "%d is not from 1 to 2000 (0 means 2000)", o.QueryBatchSize)
	}
	o.FailedEvents = slices.Clone(o.FailedEvents)
	ids := map[string]bool{}
	for i := range o.FailedEvents {
		f := &o.FailedEvents[i]
		fat := fmt.Sprintf("%s.failedEvents[%d]", at, i)
		id, err := checkSalesforceID(f.ID, "a0B", fmt.Sprintf("%s failed %d", o.MyDomain, i))
		if err != nil {
			return fieldErr(fat+".id", "%v", err)
		}
		if ids[id] {
			return fieldErr(fat+".id", "%s is used twice", id)
		}
		ids[id] = true
		f.ID = id
		if err := checkWhen(f.Time, f.Age, fat); err != nil {
			return err
		}
	}
	for j := range o.Users {
		u := &o.Users[j]
		uat := fmt.Sprintf("%s.users[%d]", at, j)
		u.LoginHistory = slices.Clone(u.LoginHistory)
		for k, l := range u.LoginHistory {
			lat := fmt.Sprintf("%s.loginHistory[%d]", uat, k)
			if l.Status == "" {
				return fieldErr(lat+".status", "required (\"Success\" or the reason the login failed)")
			}
			if l.SourceIP != "" && net.ParseIP(l.SourceIP) == nil {
				return fieldErr(lat+".sourceIp", "%q is not an IP address", l.SourceIP)
			}
			if err := checkWhen(l.Time, l.Age, lat); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkWhen(t time.Time, age time.Duration, at string) error {
	switch {
	case age < 0:
		return fieldErr(at+".age", "must not be negative")
	case !t.IsZero() && age != 0:
		return fieldErr(at+".age", "give a time or an age, not both")
	}
	return nil
}

// normalizeEvents checks the account's events and derives missing ids.
func normalizeEvents(events []Event) ([]Event, error) {
	out := make([]Event, 0, len(events))
	ids := map[string]bool{}
	for i, ev := range events {
		at := fmt.Sprintf("digitalRiver.events[%d]", i)
		ev.WebhookIDs = slices.Clone(ev.WebhookIDs)
		if ev.ID == "" {
			ev.ID = derivedUUID(fmt.Sprintf("event %d %s", i, ev.Type))
		} else if !isUUID(ev.ID) {
			return nil, fieldErr(at+".id", "%q is not a UUID", ev.ID)
		}
		if ids[ev.ID] {
			return nil, fieldErr(at+".id", "%s is used twice", ev.ID)
		}
		ids[ev.ID] = true
		if errs := validateTypes([]string{ev.Type}); len(errs) > 0 {
			return nil, fieldErr(at+".type", "%s", errs[0].Message)
		}
		switch ev.Pending.Form {
		case PendingNumber, PendingString, PendingMissing:
		default:
			return nil, fieldErr(at+".pending.form", "%q is not %q, %q or %q", ev.Pending.Form, PendingNumber, PendingString, PendingMissing)
		}
		if ev.Pending.Count < 0 {
			return nil, fieldErr(at+".pendingWebhooks", "must not be negative")
		}
		if err := checkWhen(ev.CreatedTime, ev.Age, at); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// dated resolves an age against now.
func dated(t time.Time, age time.Duration, now time.Time) time.Time {
	if t.IsZero() {
		return now.Add(-age).UTC().Truncate(time.Millisecond)
	}
	return t.UTC()
}

// startEvidence dates the scenario's evidence as of now and takes the Login
// History rows into the emulator's mutable state.
func (e *Emulator) startEvidence(events []Event, now time.Time) {
	e.logins = map[string][]LoginEvent{}
	for oi := range e.orgs {
		o := &e.orgs[oi]
		for i := range o.FailedEvents {
			f := &o.FailedEvents[i]
			f.Time, f.Age = dated(f.Time, f.Age, now), 0
		}
		for ui := range o.Users {
			u := &o.Users[ui]
			var rows []LoginEvent
			for _, l := range u.LoginHistory {
				l.Time, l.Age = dated(l.Time, l.Age, now), 0
				rows = append(rows, o.loginDefaults(l))
			}
			e.logins[u.UserID] = rows
			u.LoginHistory = nil // the live rows are e.logins
		}
	}
	for _, ev := range events {
		ev.CreatedTime, ev.Age = dated(ev.CreatedTime, ev.Age, now), 0
		e.events = append(e.events, ev)
	}
	e.cursors = map[string]*queryCursor{}
}

// loginDefaults fills in what a scenario's Login History row leaves out, as
// an OAuth login through the org's connected app would have it.
func (o *Org) loginDefaults(l LoginEvent) LoginEvent {
	if l.LoginType == "" {
		l.LoginType = "Remote Access 2.0"
	}
	if l.LoginSubType == "" {
		l.LoginSubType = "OAuth Username-Password"
	}
	if l.Application == "" {
		l.Application = "Salesforce DigitalRiver Integration"
		if len(o.Apps) > 0 && o.Apps[0].Name != "" {
			l.Application = o.Apps[0].Name
		}
	}
	if l.LoginURL == "" {
		l.LoginURL = loginHost
	}
	return l
}

// Login History statuses the token endpoint writes (facts/diagnosis.md §3).
const (
	statusSuccess       = "Success"
	statusBadPassword   = "Invalid Password"
	statusTokenRequired = "Failed: API security token required"
	statusLockout       = "Password Lockout"
	statusInactive      = "User is Inactive"
	statusRestrictedIP  = "Restricted IP"
	statusFlowDisabled  = "Username-Password Flow Disabled"
	// Inference: no reported value names a user the app does not admit.
	statusNotApproved = "Failed: Not approved for access"
)

// recordLogin appends a row to the user's Login History, as Salesforce does
// for every login that names a known user, from the address the request came
// from. The caller holds e.mu.
func (e *Emulator) recordLogin(r *http.Request, host string, oi, ui int, app ConnectedApp, subType, status string) {
	o := &e.orgs[oi]
	ip := r.RemoteAddr
	if h, _, err := net.SplitHostPort(ip); err == nil {
		ip = h
	}
	id := o.Users[ui].UserID
	e.logins[id] = append(e.logins[id], o.loginDefaults(LoginEvent{
		Time:         e.now().UTC().Truncate(time.Millisecond),
		Status:       status,
		SourceIP:     ip,
		LoginSubType: subType,
		Application:  app.Name,
		LoginURL:     host,
	}))
}

// LoginHistory returns the Login History of username, oldest first: the
// scenario's rows and those the token endpoint appended.
func (e *Emulator) LoginHistory(username string) []LoginEvent {
	oi, ui := e.findUser(username)
	if oi < 0 {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	rows := slices.Clone(e.logins[e.orgs[oi].Users[ui].UserID])
	slices.SortStableFunc(rows, func(a, b LoginEvent) int { return a.Time.Compare(b.Time) })
	return rows
}

// derivedID makes an 18-character Salesforce ID with prefix from seed.
func derivedID(prefix, seed string) string {
	id, _ := checkSalesforceID("", prefix, seed)
	return id
}

// shortHash names a row in a derived ID.
func shortHash(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return fmt.Sprintf("%x", h[:6])
}
