package sfcheck

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/drsetup/drsetup/text"
)

func TestClassifyLoginStatusIgnoresCaseAndPrefix(t *testing.T) {
	// The values reported for Login History's Status (facts/diagnosis.md §3).
	seen := map[string]LoginStatusKind{
		"Success":                              LoginSucceeded,
		"Invalid Password":                     LoginBadPassword,
		"Failed: API security token required":  LoginTokenRequired,
		"Restricted IP":                        LoginRestrictedIP,
		"Failed: IP Address Not Allowed":       LoginRestrictedIP,
		"Password Lockout":                     LoginLockedOut,
		"User is Inactive":                     LoginInactive,
		"User is Frozen":                       LoginFrozen,
		"Username-Password Flow Disabled":      LoginFlowDisabled,
		"Failed: OAuth API access disabled":    LoginOAuthDisabled,
		"Login rate exceeded":                  LoginRateExceeded,
		"Restricted time":                      LoginRestrictedTime,
		"Failed: API-only user":                LoginAPIOnly,
		"Multi-factor required":                LoginMFARequired,
		"Failed: Computer activation required": LoginOtherFailure,
		"":                                     LoginOtherFailure,
	}
	rng := rand.New(rand.NewPCG(1, 2))
	variants := func(s string) []string {
		out := []string{s, strings.ToUpper(s), strings.ToLower(s), "  " + s + " ", "Failed: " + s, "FAILED: " + strings.ToLower(s)}
		for range 20 {
			b := []rune(s)
			for i := range b {
				if rng.IntN(2) == 0 {
					b[i] = unicode.ToUpper(b[i])
				} else {
					b[i] = unicode.ToLower(b[i])
				}
			}
			out = append(out, string(b))
		}
		return out
	}
	for status, want := range seen {
		for _, v := range variants(status) {
			got := ClassifyLoginStatus(v)
			// "Failed: Success" is no success.
			if want == LoginSucceeded && strings.Contains(strings.ToLower(v), "fail") {
				if got == LoginSucceeded {
					t.Errorf("ClassifyLoginStatus(%q) = success", v)
				}
				continue
			}
			if got != want {
				t.Errorf("ClassifyLoginStatus(%q) = %s, want %s", v, got, want)
			}
		}
	}
}

// failedEventRows are records as Salesforce answers the failed-event query:
// the fields asked for, and the payload only if it was asked for.
func failedEventRows(q string, n int, canary string) []map[string]any {
	var rows []map[string]any
	for i := range n {
		row := map[string]any{
			"attributes":                   map[string]any{"type": FailedEventObject},
			"Id":                           fmt.Sprintf("a0Bx00000%06d", i),
			"CreatedDate":                  since.Add(time.Duration(n-i) * time.Hour).Format("2006-01-02T15:04:05.000+0000"),
			failedEventID:                  fmt.Sprintf("7c0e2a6e-0000-4000-8000-%012d", i),
			failedEventType:                "order.accepted",
			failedEventReason:              "System.NullPointerException: \x1b[31mAttempt\x1b[0m to de-reference\na null object\u202e " + strings.Repeat("é", 400),
			"digitalriverv3__Processed__c": false,
		}
		if strings.Contains(q, "Event_Payload__c") {
			row["digitalriverv3__Event_Payload__c"] = `{"data":{"object":{"email":"` + canary + `"}}}`
		}
		rows = append(rows, row)
	}
	return rows
}

func TestFailedEventsCountsAndReadsTheNewest(t *testing.T) {
	const canary = "canary-7d1f@customer.example"
	var mu sync.Mutex
	var queries []string
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		mu.Lock()
		queries = append(queries, q)
		mu.Unlock()
		if strings.HasPrefix(q, "SELECT COUNT()") {
			writeJSON(w, 200, `{"totalSize":37,"done":true,"records":[]}`)
			return
		}
		f := sfPages{records: failedEventRows(q, 5, canary), size: 2, version: "66.0"}
		f.serve(w, r)
	})
	got, err := c.FailedEvents(context.Background(), restSession(), since, 5)
	if err != nil {
		t.Fatal(err)
	}
	if got.Count != 37 || len(got.Newest) != 5 || !got.Since.Equal(since) {
		t.Fatalf("got %+v", got)
	}
	wantQ := []string{
		"SELECT COUNT() FROM digitalriverv3__DR_Failed_Event__c WHERE CreatedDate >= 2026-11-24T00:00:00Z",
		"SELECT Id, CreatedDate, digitalriverv3__Event_Id__c, digitalriverv3__Event_Type__c, digitalriverv3__Event_Capture_Reason__c FROM digitalriverv3__DR_Failed_Event__c WHERE CreatedDate >= 2026-11-24T00:00:00Z ORDER BY CreatedDate DESC LIMIT 5",
	}
	if strings.Join(queries[:2], "\n") != strings.Join(wantQ, "\n") {
		t.Errorf("queries\n%s\nwant\n%s", strings.Join(queries, "\n"), strings.Join(wantQ, "\n"))
	}
	first := got.Newest[0]
	if first.EventType != "order.accepted" || first.EventID != "7c0e2a6e-0000-4000-8000-000000000000" || !first.Created.Equal(since.Add(5*time.Hour)) {
		t.Errorf("first %+v", first)
	}
	if n := len([]rune(first.Reason)); n > maxRecordText+1 {
		t.Errorf("reason kept at %d runes", n)
	}
	if !strings.HasPrefix(first.Reason, "System.NullPointerException: Attempt to de-reference a null object é") || !strings.HasSuffix(first.Reason, "…") {
		t.Errorf("reason %q is not cleaned and cut", first.Reason)
	}
	if !text.Printable(first.Reason) {
		t.Errorf("reason %q keeps a control character", first.Reason)
	}
	if strings.Contains(fmt.Sprintf("%+v", got), canary) {
		t.Error("the payload's canary is in the result")
	}
}

func TestFailedEventsWithoutAccessIsInvalidType(t *testing.T) {
	c, n := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, sfRESTError("INVALID_TYPE", "sObject type 'digitalriverv3__DR_Failed_Event__c' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name."))
	})
	_, err := c.FailedEvents(context.Background(), restSession(), since, 5)
	var re *RESTError
	if !errors.As(err, &re) || re.Kind != KindInvalidType || re.Object != FailedEventObject || re.Code != "INVALID_TYPE" || re.Status != 400 || re.Retryable {
		t.Fatalf("err = %v", err)
	}
	if n.Load() != 1 {
		t.Errorf("%d requests after the count was refused", n.Load())
	}
	checkRESTErrorFacts(t, re)
	for _, bad := range []int{-1, MaxNewestFailedEvents + 1} {
		if _, err := c.FailedEvents(context.Background(), restSession(), since, bad); err == nil || n.Load() != 1 {
			t.Errorf("newest %d was sent", bad)
		}
	}
}

// permissionOrg answers the three reads of the permission-set proof as one
// kind of org and user would.
type permissionOrg struct {
	assignments string // the PermissionSetAssignment answer: "held", "lacking", or an error code
	count       string // the COUNT() answer: "ok" or an error code
	describe    string // the describe answer: "ok", "404" or an error code
	versions    string // the versions list; Spring '26 alone when ""
}

func (o permissionOrg) serve(t *testing.T, asked *[]string) http.HandlerFunc {
	var mu sync.Mutex
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		mu.Lock()
		switch {
		case strings.Contains(q, "PermissionSetAssignment"):
			*asked = append(*asked, "assignments")
		case strings.Contains(q, "COUNT()"):
			*asked = append(*asked, "count")
		case strings.HasSuffix(r.URL.Path, "/describe"):
			*asked = append(*asked, "describe")
		case r.URL.Path == "/services/data/":
			*asked = append(*asked, "versions")
			mu.Unlock()
			writeJSON(w, 200, cmp.Or(o.versions, `[{"label":"Spring '26","url":"/services/data/v66.0","version":"66.0"}]`))
			return
		default:
			t.Errorf("unexpected request %s %q", r.URL.Path, q)
		}
		mu.Unlock()
		answer := func(a string, ok string) {
			switch a {
			case "ok":
				writeJSON(w, 200, ok)
			case "404":
				writeJSON(w, 404, sfRESTError("NOT_FOUND", "The requested resource does not exist"))
			case "INVALID_SESSION_ID":
				writeJSON(w, 401, sfRESTError(a, "Session expired or invalid"))
			case "proxy":
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(502)
				fmt.Fprint(w, "<html><title>Bad Gateway</title></html>")
			default:
				writeJSON(w, 400, sfRESTError(a, "refused"))
			}
		}
		switch {
		case strings.Contains(q, "PermissionSetAssignment"):
			profile := `{"attributes":{"type":"PermissionSetAssignment"},"PermissionSet":{"attributes":{"type":"PermissionSet"},"Name":"X00ex000000abcd","NamespacePrefix":null}}`
			switch o.assignments {
			case "held":
				writeJSON(w, 200, `{"totalSize":2,"done":true,"records":[`+profile+`,{"PermissionSet":{"Name":"DigitalRiver_Connector_Integration","NamespacePrefix":"digitalriverv3"}}]}`)
			case "lacking":
				writeJSON(w, 200, `{"totalSize":2,"done":true,"records":[`+profile+`,{"PermissionSet":{"Name":"DigitalRiver_Connector_Integration","NamespacePrefix":null}}]}`)
			default:
				answer(o.assignments, "")
			}
		case strings.Contains(q, "COUNT()"):
			answer(o.count, `{"totalSize":3,"done":true,"records":[]}`)
		default:
			answer(o.describe, `{"name":"`+FailedEventObject+`","queryable":true,"fields":[]}`)
		}
	}
}

func TestPermissionSetProof(t *testing.T) {
	cases := []struct {
		name   string
		org    permissionOrg
		answer PermissionAnswer
		source string
		asked  string
		// why is the refusal that left an unknown answer unknown: its kind
		// and, for Salesforce's own, its code.
		whyKind ErrorKind
		whyCode string
	}{
		{name: "assignment read, held", org: permissionOrg{assignments: "held"}, answer: PermissionHeld, source: ProofAssignment, asked: "assignments"},
		// An unmanaged copy with the same name is not the app's permission set.
		{name: "assignment read, lacking", org: permissionOrg{assignments: "lacking"}, answer: PermissionLacking, source: ProofAssignment, asked: "assignments"},
		{name: "assignments hidden, object readable", org: permissionOrg{assignments: "INVALID_TYPE", count: "ok"}, answer: PermissionHeld, source: ProofQuery, asked: "assignments count"},
		{name: "assignments hidden, object hidden", org: permissionOrg{assignments: "INVALID_TYPE", count: "INVALID_TYPE"}, answer: PermissionLacking, source: ProofQuery, asked: "assignments count"},
		{name: "query refused otherwise, describe answers", org: permissionOrg{assignments: "INVALID_TYPE", count: "MALFORMED_QUERY", describe: "ok"}, answer: PermissionHeld, source: ProofDescribe, asked: "assignments count describe"},
		{name: "describe 404", org: permissionOrg{assignments: "INSUFFICIENT_ACCESS", count: "INVALID_FIELD", describe: "404"}, answer: PermissionLacking, source: ProofDescribe, asked: "assignments count describe versions"},
		{name: "session refused", org: permissionOrg{assignments: "INVALID_SESSION_ID"}, answer: PermissionUnknown, asked: "assignments", whyKind: KindInvalidSession, whyCode: "INVALID_SESSION_ID"},
		{name: "proxy in the way", org: permissionOrg{assignments: "INVALID_TYPE", count: "proxy"}, answer: PermissionUnknown, asked: "assignments count", whyKind: KindProxyHTML},
		// The describe's 404 came with no version from 37.0 on to read
		// with: it tells nothing of the user's access.
		{name: "describe 404, no usable version", org: permissionOrg{assignments: "INVALID_TYPE", count: "MALFORMED_QUERY", describe: "404", versions: `[{"label":"Winter '16","url":"/services/data/v35.0","version":"35.0"}]`}, answer: PermissionUnknown, asked: "assignments count describe versions", whyKind: KindNotFound},
		{name: "nothing answers", org: permissionOrg{assignments: "INVALID_TYPE", count: "MALFORMED_QUERY", describe: "UNKNOWN_EXCEPTION"}, answer: PermissionUnknown, asked: "assignments count describe", whyKind: KindOther, whyCode: "UNKNOWN_EXCEPTION"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var asked []string
			c, _ := fakeSalesforce(t, tc.org.serve(t, &asked))
			p, err := c.PermissionSet(context.Background(), restSession())
			if err != nil {
				t.Fatal(err)
			}
			if p.Answer != tc.answer || p.Source != tc.source {
				t.Errorf("answer %s from %q, want %s from %q", p.Answer, p.Source, tc.answer, tc.source)
			}
			if got := strings.Join(asked, " "); got != tc.asked {
				t.Errorf("asked %q, want %q", got, tc.asked)
			}
			why := p.Why()
			switch {
			case p.Answer != PermissionUnknown && why != nil:
				t.Errorf("a known answer has a why: %v", why)
			case p.Answer == PermissionUnknown && (why == nil || why != p.Refusals[len(p.Refusals)-1]):
				t.Fatalf("unknown without the refusal that made it so: %v", p.Refusals)
			case why != nil && (why.Kind != tc.whyKind || why.Code != tc.whyCode):
				t.Errorf("why %s %q, want %s %q", why.Kind, why.Code, tc.whyKind, tc.whyCode)
			}
			// A lacking answer from a read proves it by that read's refusal.
			if p.Answer == PermissionLacking && p.Source != ProofAssignment && len(p.Refusals) == 0 {
				t.Error("lacking without the refusal that shows it")
			}
			if p.Source == ProofAssignment && len(p.Assigned) != 2 {
				t.Errorf("assigned %v", p.Assigned)
			}
		})
	}
}

func TestUserRecord(t *testing.T) {
	var q string
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		q = r.URL.Query().Get("q")
		if strings.Contains(q, restUserID18) {
			writeJSON(w, 200, `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"User"},"IsActive":false,"LastPasswordChangeDate":null,"ProfileId":"00ex0000000abcdAAA"}]}`)
			return
		}
		writeJSON(w, 200, `{"totalSize":0,"done":true,"records":[]}`)
	})
	u, err := c.UserRecord(context.Background(), restSession())
	if err != nil {
		t.Fatal(err)
	}
	if q != "SELECT IsActive, LastPasswordChangeDate, ProfileId FROM User WHERE Id = '"+restUserID18+"'" {
		t.Errorf("query %q", q)
	}
	if u.Active || !u.LastPasswordChange.IsZero() || u.ProfileID != "00ex0000000abcdAAA" {
		t.Errorf("user %+v", u)
	}
	s := restSession()
	s.UserID = restUserID
	_, err = c.UserRecord(context.Background(), s)
	var re *RESTError
	if !errors.As(err, &re) || re.Kind != KindNoRecord || re.Object != UserObject {
		t.Fatalf("err = %v, want no_record", err)
	}
	checkRESTErrorFacts(t, re)
}

func TestReadersRefuseASessionWithoutAUserID(t *testing.T) {
	c, n := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {})
	for _, id := range []string{"", "00Dx0000001T0zk", "005x0000001Sv1m' OR Id != '", "005x0000001Sv1mAAA"} {
		s := restSession()
		s.UserID = id
		for _, err := range []error{
			second(c.LoginHistory(context.Background(), s, since)),
			second(c.UserRecord(context.Background(), s)),
			second(c.PermissionSet(context.Background(), s)),
		} {
			var re *RESTError
			var ie *IDError
			if !errors.As(err, &re) || re.Kind != KindBadResponse || re.Flaw != FlawNotUserID || !errors.As(err, &ie) {
				t.Errorf("user %q: err = %v", id, err)
			}
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d requests were sent", n.Load())
	}
}
