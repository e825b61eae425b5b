package sfcheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/drsetup/drsetup/httpx"
)

// A 15-character user ID and its 18-character form, checksum included.
const (
	restUserID   = "005x0000001Sv1m"
	restUserID18 = "005x0000001Sv1mAAC"
)

// restSession is a session of the user restUserID18 on acme's My Domain.
func restSession() *Session {
	s := testSession()
	s.UserID = restUserID18
	return s
}

var since = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// sfPages answers a query as Salesforce does: pages of records with
// attributes, totalSize, done, and a nextRecordsUrl while more follow, whose
// locator names the offset of the next page.
type sfPages struct {
	records []map[string]any
	size    int
	version string
}

// page answers the page that starts at offset start.
func (f sfPages) page(start int) string {
	end := min(start+f.size, len(f.records))
	p := map[string]any{"totalSize": len(f.records), "done": end >= len(f.records), "records": f.records[start:end]}
	if end < len(f.records) {
		p["nextRecordsUrl"] = fmt.Sprintf("/services/data/v%s/query/01gx0000004Cur1AAC-%d", f.version, end)
	}
	b, _ := json.Marshal(p)
	return string(b)
}

// serve answers the first page of a query at …/query and the others at
// …/query/<locator>.
func (f sfPages) serve(w http.ResponseWriter, r *http.Request) bool {
	prefix := "/services/data/v" + f.version + "/query"
	switch {
	case r.URL.Path == prefix:
		writeJSON(w, 200, f.page(0))
	case strings.HasPrefix(r.URL.Path, prefix+"/01gx0000004Cur1AAC-"):
		var start int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, prefix+"/01gx0000004Cur1AAC-"), "%d", &start)
		writeJSON(w, 200, f.page(start))
	default:
		return false
	}
	return true
}

// answer answers every request with status and body, as JSON when ctype is
// "".
func answer(ctype string, status int, body string) http.HandlerFunc {
	if ctype == "" {
		ctype = "application/json;charset=UTF-8"
	}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func sfRESTError(code, message string) string {
	return fmt.Sprintf(`[{"message":%q,"errorCode":%q}]`, message, code)
}

// loginRows makes n Login History rows, newest first, each padded with a
// long Application name so that pages pass 16 KiB (the debug log's cut).
func loginRows(n int, status func(i int) string) []map[string]any {
	var rows []map[string]any
	for i := range n {
		rows = append(rows, map[string]any{
			"attributes":   map[string]any{"type": "LoginHistory", "url": fmt.Sprintf("/services/data/v66.0/sobjects/LoginHistory/0Yax000000%05d", i)},
			"LoginTime":    since.Add(time.Duration(n-i) * time.Minute).Format("2006-01-02T15:04:05.000+0000"),
			"Status":       status(i),
			"SourceIp":     []string{"54.204.214.106", "209.87.180.77", "198.51.100.7", "::ffff:52.19.155.167"}[i%4],
			"LoginType":    "Remote Access 2.0",
			"LoginSubType": "OAuth Username-Password",
			"Application":  "Salesforce DigitalRiver Integration " + strings.Repeat("x", 200),
			"LoginUrl":     "login.salesforce.com",
		})
	}
	return rows
}

func TestLoginHistoryQueryFollowsNextRecordsURL(t *testing.T) {
	const n, size = 150, 40
	rows := loginRows(n, func(i int) string {
		return []string{"Success", "Failed: API security token required", "restricted ip", "PASSWORD LOCKOUT"}[i%4]
	})
	f := sfPages{records: rows, size: size, version: "66.0"}
	var mu sync.Mutex
	var queries []string
	c, hits := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer "+testAccessToken {
			t.Errorf("Authorization = %q", got)
		}
		if r.Host != "acme.my.salesforce.com" || r.Method != http.MethodGet {
			t.Errorf("%s %s%s", r.Method, r.Host, r.URL.Path)
		}
		if r.URL.Path == "/services/data/v66.0/query" {
			mu.Lock()
			queries = append(queries, r.URL.Query().Get("q"))
			mu.Unlock()
		}
		if !f.serve(w, r) {
			writeJSON(w, 404, sfRESTError("NOT_FOUND", "The requested resource does not exist"))
		}
	})
	got, err := c.LoginHistory(context.Background(), restSession(), since)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("read %d rows, want %d", len(got), n)
	}
	if hits.Load() != 4 {
		t.Errorf("%d requests, want 4 (one query and three next pages)", hits.Load())
	}
	want := "SELECT LoginTime, Status, SourceIp, LoginType, LoginSubType, Application, LoginUrl FROM LoginHistory WHERE UserId = '" + restUserID18 + "' AND LoginTime >= 2026-11-24T00:00:00Z ORDER BY LoginTime DESC LIMIT 200"
	if len(queries) != 1 || queries[0] != want {
		t.Errorf("queries %q, want exactly\n%s", queries, want)
	}
	if got[0].Time != since.Add(n*time.Minute) || got[n-1].Time != since.Add(time.Minute) {
		t.Errorf("times %v … %v", got[0].Time, got[n-1].Time)
	}
	kinds := map[LoginStatusKind]int{}
	addrs := map[netip.Addr]int{}
	for _, r := range got {
		kinds[r.Kind()]++
		addrs[r.Addr]++
		if len([]rune(r.Application)) > maxRecordText+1 {
			t.Errorf("Application kept at %d runes", len([]rune(r.Application)))
		}
	}
	if kinds[LoginSucceeded] != 38 || kinds[LoginTokenRequired] != 38 || kinds[LoginRestrictedIP] != 37 || kinds[LoginLockedOut] != 37 {
		t.Errorf("kinds %v", kinds)
	}
	// Each address is parsed, the IPv6-mapped one as the IPv4 address it is
	// (so that it is recognised as Digital River's).
	want4 := map[string]int{"54.204.214.106": 38, "209.87.180.77": 38, "198.51.100.7": 37, "52.19.155.167": 37}
	if len(addrs) != len(want4) {
		t.Errorf("addresses %v", addrs)
	}
	for a, n := range want4 {
		if addrs[netip.MustParseAddr(a)] != n {
			t.Errorf("%d rows from %s, want %d (addresses %v)", addrs[netip.MustParseAddr(a)], a, n, addrs)
		}
	}
}

func TestQueryPagingIsBounded(t *testing.T) {
	cases := []struct {
		name string
		next func(page int) string // nextRecordsUrl of the given page (from 1)
		flaw Flaw
		host string
	}{
		{"another host", func(int) string { return "https://evil.example.com/services/data/v66.0/query/01g-2000" }, FlawNextOffHost, "evil.example.com"},
		{"a control character in the address", func(int) string { return "https://evil.example.com\x1b[2J/services/data/v66.0/query/01g-2000" }, FlawNextNotURL, ""},
		{"outside the query resource", func(int) string { return "/services/apexrest/digitalriverv3/webhooks/" }, FlawNextOutside, ""},
		{"climbs out", func(int) string { return "/services/data/v66.0/query/../../../id/x" }, FlawNextOutside, ""},
		{"another version", func(int) string { return "/services/data/v20.0/query/01g-2000" }, FlawNextOutside, ""},
		{"userinfo", func(int) string { return "https://u:p@acme.my.salesforce.com/services/data/v66.0/query/01g-2000" }, FlawNextOddForm, ""},
		{"not a web address", func(int) string { return "%zz" }, FlawNextNotURL, ""},
		{"repeated", func(int) string { return "/services/data/v66.0/query/01g-2000" }, FlawNextRepeated, ""},
		{"endless", func(p int) string { return fmt.Sprintf("/services/data/v66.0/query/01g-%d", p*2000) }, FlawTooManyPages, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var pages int
			var mu sync.Mutex
			c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Host != "acme.my.salesforce.com" {
					t.Errorf("a request went to %s", r.Host)
				}
				mu.Lock()
				pages++
				p := pages
				mu.Unlock()
				b, _ := json.Marshal(map[string]any{"totalSize": 1e6, "done": false, "nextRecordsUrl": tc.next(p),
					"records": []any{map[string]any{"Status": "Success"}}})
				writeJSON(w, 200, string(b))
			})
			_, err := c.LoginHistory(context.Background(), restSession(), since)
			var re *RESTError
			if !errors.As(err, &re) || re.Kind != KindEndlessQuery || re.Flaw != tc.flaw || re.ToHost != tc.host || re.Status != 200 {
				t.Fatalf("err = %v (%+v), want an endless_query for %s", err, re, tc.flaw)
			}
			if tc.flaw == FlawTooManyPages && re.Pages != maxQueryPages {
				t.Errorf("stopped after %d pages, says %d", pages, re.Pages)
			}
			if pages > maxQueryPages {
				t.Errorf("read %d pages", pages)
			}
			checkRESTErrorFacts(t, re)
		})
	}
}

func TestRESTErrorsAreTyped(t *testing.T) {
	cases := []struct {
		name, ctype, body string
		status            int
		kind              ErrorKind
		code, message     string
		retryable         bool
		title             string // an HTML page's title
		flaw              Flaw
	}{
		{name: "invalid type", body: sfRESTError("INVALID_TYPE", "sObject type 'LoginHistory' is not supported."), status: 400, kind: KindInvalidType, code: "INVALID_TYPE", message: "sObject type 'LoginHistory' is not supported."},
		{name: "invalid field", body: sfRESTError("INVALID_FIELD", "No such column 'LoginSubType' on entity 'LoginHistory'."), status: 400, kind: KindInvalidField, code: "INVALID_FIELD", message: "No such column 'LoginSubType' on entity 'LoginHistory'."},
		{name: "malformed", body: sfRESTError("MALFORMED_QUERY", "unexpected token: 'ORDER'"), status: 400, kind: KindMalformedQuery, code: "MALFORMED_QUERY", message: "unexpected token: 'ORDER'"},
		{name: "session", body: sfRESTError("INVALID_SESSION_ID", "Session expired or invalid"), status: 401, kind: KindInvalidSession, code: "INVALID_SESSION_ID", message: "Session expired or invalid"},
		{name: "api off for org", body: sfRESTError("API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization."), status: 403, kind: KindAPIDisabledOrg, code: "API_DISABLED_FOR_ORG", message: "The REST API is not enabled for this Organization."},
		{name: "api off for user", body: sfRESTError("API_CURRENTLY_DISABLED", "API is disabled for this User"), status: 403, kind: KindAPIDisabledUser, code: "API_CURRENTLY_DISABLED", message: "API is disabled for this User"},
		{name: "limit", body: sfRESTError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."), status: 403, kind: KindRequestLimit, code: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded.", retryable: true},
		{name: "unknown code", body: sfRESTError("UNKNOWN_EXCEPTION", "An unexpected error occurred."), status: 500, kind: KindOther, code: "UNKNOWN_EXCEPTION", message: "An unexpected error occurred.", retryable: true},
		{name: "unknown code, client side", body: sfRESTError("INSUFFICIENT_ACCESS", "no"), status: 400, kind: KindOther, code: "INSUFFICIENT_ACCESS", message: "no"},
		// Salesforce's words are kept cleaned: no escape sequence reaches a
		// report through them.
		{name: "code and message with controls", body: `[{"message":"bad\u001b]0;title\u0007 type\n","errorCode":"INVALID_\u001b[2JTYPE"}]`, status: 400, kind: KindInvalidType, code: "INVALID_TYPE", message: "bad type"},
		{name: "single object error", body: `{"errorCode":"INVALID_TYPE","message":"x"}`, status: 400, kind: KindInvalidType, code: "INVALID_TYPE", message: "x"},
		{name: "proxy page", ctype: "text/html", body: "<html><head><title>Blocked by Policy</title></head></html>", status: 403, kind: KindProxyHTML, title: "Blocked by Policy"},
		{name: "html with 200", ctype: "text/html; charset=utf-8", body: "<!DOCTYPE html><html><title>Sign in to the network</title></html>", status: 200, kind: KindProxyHTML, title: "Sign in to the network"},
		{name: "html without a title", ctype: "text/html", body: "<html><body>blocked</body></html>", status: 502, kind: KindProxyHTML, retryable: true},
		{name: "plain text", ctype: "text/plain", body: "upstream connect error or disconnect/reset before headers", status: 502, kind: KindNotJSON, retryable: true},
		{name: "plain text 404", ctype: "text/plain", body: "no such page", status: 404, kind: KindNotFound},
		{name: "empty", status: 503, kind: KindEmptyBody, retryable: true},
		{name: "json of the wrong shape", body: `{"hello":"world"}`, status: 200, kind: KindBadResponse, flaw: FlawNotQuery},
		{name: "done without next", body: `{"totalSize":5,"done":false,"records":[]}`, status: 200, kind: KindBadResponse, flaw: FlawNoNextPage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := fakeSalesforce(t, answer(tc.ctype, tc.status, tc.body))
			_, err := c.LoginHistory(context.Background(), restSession(), since)
			var re *RESTError
			if !errors.As(err, &re) {
				t.Fatalf("err = %T %v, want *RESTError", err, err)
			}
			if re.Kind != tc.kind || re.Code != tc.code || re.Message != tc.message || re.Op != OpQuery || re.Object != LoginHistoryObject {
				t.Errorf("kind %s code %q message %q op %s object %s; want %s %q %q", re.Kind, re.Code, re.Message, re.Op, re.Object, tc.kind, tc.code, tc.message)
			}
			if re.Status != tc.status || re.Retryable != tc.retryable || re.PageTitle != tc.title || re.Flaw != tc.flaw || re.Host != "acme.my.salesforce.com" {
				t.Errorf("status %d retryable %v title %q flaw %q host %s; want %d %v %q %q", re.Status, re.Retryable, re.PageTitle, re.Flaw, re.Host, tc.status, tc.retryable, tc.title, tc.flaw)
			}
			checkRESTErrorFacts(t, re)
		})
	}
}

func TestRESTErrorsWithoutAnAnswer(t *testing.T) {
	t.Run("too large", func(t *testing.T) {
		c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"totalSize":1,"done":true,"records":[{"Status":"`+strings.Repeat("a", maxRESTBody)+`"}]}`)
		})
		_, err := c.LoginHistory(context.Background(), restSession(), since)
		var re *RESTError
		if !errors.As(err, &re) || re.Kind != KindTooLarge || re.Limit != maxRESTBody || re.Status != 200 || re.Retryable {
			t.Fatalf("err = %v (%+v)", err, re)
		}
		checkRESTErrorFacts(t, re)
	})
	t.Run("redirect", func(t *testing.T) {
		c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://acme.lightning.force.com/one/one.app", http.StatusFound)
		})
		_, err := c.FailedEvents(context.Background(), restSession(), since, 5)
		var re *RESTError
		if !errors.As(err, &re) || re.Kind != KindRedirect || re.ToHost != "acme.lightning.force.com" || re.Status != http.StatusFound || re.Object != FailedEventObject {
			t.Fatalf("err = %v (%+v)", err, re)
		}
		checkRESTErrorFacts(t, re)
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) { silent(r, release) })
		t.Cleanup(func() { close(release) })
		c.Timeout = 100 * time.Millisecond
		_, err := c.UserRecord(context.Background(), restSession())
		var re *RESTError
		if !errors.As(err, &re) || re.Kind != KindTimeout || re.Timeout != 100*time.Millisecond || re.Status != 0 || !re.Retryable {
			t.Fatalf("err = %v (%+v)", err, re)
		}
		var ne *httpx.NetError
		if !errors.As(err, &ne) || ne.Kind != httpx.NetTimeout {
			t.Errorf("%v does not wrap the network error", err)
		}
		checkRESTErrorFacts(t, re)
	})
	t.Run("cancelled", func(t *testing.T) {
		release, arrived := make(chan struct{}), make(chan struct{})
		var once sync.Once
		c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
			once.Do(func() { close(arrived) })
			silent(r, release)
		})
		t.Cleanup(func() { close(release) })
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-arrived; cancel() }()
		_, err := c.PermissionSet(ctx, restSession())
		var re *RESTError
		if !errors.As(err, &re) || re.Kind != KindCancelled || re.Retryable {
			t.Fatalf("err = %v, want a cancelled RESTError", err)
		}
		checkRESTErrorFacts(t, re)
	})
	t.Run("untrusted instance", func(t *testing.T) {
		sent := false
		c := &Client{HTTP: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent = true
			return nil, errors.New("no")
		})}}
		s := restSession()
		s.InstanceURL = "https://acme.example.com"
		_, err := c.LoginHistory(context.Background(), s, since)
		var re *RESTError
		var he *httpx.HostError
		if !errors.As(err, &re) || re.Kind != KindHostRefused || !errors.As(err, &he) || sent {
			t.Fatalf("err = %v, sent %v", err, sent)
		}
		checkRESTErrorFacts(t, re)
		// With AllowAnyHost the token may go there.
		c.AllowAnyHost = true
		c.LoginHistory(context.Background(), s, since)
		if !sent {
			t.Error("AllowAnyHost did not let the request go")
		}
	})
	t.Run("no session", func(t *testing.T) {
		c := &Client{}
		for _, err := range []error{
			second(c.LoginHistory(context.Background(), nil, since)),
			second(c.FailedEvents(context.Background(), nil, since, 1)),
			second(c.UserRecord(context.Background(), nil)),
			second(c.PermissionSet(context.Background(), nil)),
			second(c.Versions(context.Background(), nil)),
			second(c.Describe(context.Background(), nil, "User")),
		} {
			var re *RESTError
			if !errors.As(err, &re) || re.Kind != KindMissingValue {
				t.Errorf("err = %v", err)
			} else {
				checkRESTErrorFacts(t, re)
			}
		}
	})
}

// checkRESTErrorFacts checks that a REST error's text is a short, factual
// line: it names the read, holds no advice (the words are package
// explain's), no access token, no control character and no raw Go error.
func checkRESTErrorFacts(t *testing.T, re *RESTError) {
	t.Helper()
	msg := re.Error()
	if !strings.HasPrefix(msg, "Salesforce "+re.Op) && !(re.Op == OpVersions && strings.HasPrefix(msg, "Salesforce versions list")) {
		t.Errorf("error %q does not name the read", msg)
	}
	if re.Object != "" && !strings.Contains(msg, " of "+re.Object+":") {
		t.Errorf("error %q does not name %s", msg, re.Object)
	}
	// Salesforce's message is quoted as received; the rest is drsetup's.
	own := strings.Replace(msg, re.Message, "", 1)
	for _, advice := range []string{"Setup →", "Try again", "try again", "Check", "HTTPS_PROXY", "drsetup", "Log in", ". "} {
		if strings.Contains(own, advice) {
			t.Errorf("error %q holds advice (%q)", msg, advice)
		}
	}
	for _, raw := range []string{"context deadline exceeded", "context canceled", "json:", "Get \"", "EOF"} {
		if strings.Contains(msg, raw) {
			t.Errorf("error %q holds the raw Go error %q", msg, raw)
		}
	}
	if strings.Contains(msg, testAccessToken) {
		t.Errorf("error %q holds the access token", msg)
	}
	for _, r := range msg {
		if unicode.IsControl(r) {
			t.Errorf("control character %U in %q", r, msg)
		}
	}
}

func TestRESTVersionFallsBackToTheHighestListed(t *testing.T) {
	var paths []string
	var mu sync.Mutex
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/services/data/":
			writeJSON(w, 200, `[{"label":"Winter '16","url":"/services/data/v35.0","version":"35.0"},{"label":"Spring '25","url":"/services/data/v63.0","version":"63.0"},{"label":"Summer '25","url":"/services/data/v64.0","version":"64.0"},{"label":"bad","url":"/x","version":"64.0/../../x"}]`)
		case "/services/data/v64.0/query":
			writeJSON(w, 200, `{"totalSize":1,"done":true,"records":[{"IsActive":true,"LastPasswordChangeDate":"2026-09-01T08:00:00.000+0000","ProfileId":"00ex0000000abcdAAA"}]}`)
		default:
			writeJSON(w, 404, sfRESTError("NOT_FOUND", "The requested resource does not exist"))
		}
	})
	u, err := c.UserRecord(context.Background(), restSession())
	if err != nil {
		t.Fatal(err)
	}
	if !u.Active || !u.LastPasswordChange.Equal(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("user %+v", u)
	}
	want := []string{"/services/data/v66.0/query", "/services/data/", "/services/data/v64.0/query"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("paths %v, want %v", paths, want)
	}
}

func TestRESTNotFoundStandsWhenTheVersionIsServed(t *testing.T) {
	c, n := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/services/data/" {
			writeJSON(w, 200, `[{"label":"Spring '26","url":"/services/data/v66.0","version":"66.0"}]`)
			return
		}
		writeJSON(w, 404, sfRESTError("NOT_FOUND", "The requested resource does not exist"))
	})
	_, err := c.Describe(context.Background(), restSession(), FailedEventObject)
	var re *RESTError
	if !errors.As(err, &re) || re.Kind != KindNotFound || re.Op != OpDescribe || re.Code != "NOT_FOUND" || re.Object != FailedEventObject || re.Flaw != "" {
		t.Fatalf("err = %v", err)
	}
	if n.Load() != 2 {
		t.Errorf("%d requests, want the describe and the versions list", n.Load())
	}
	checkRESTErrorFacts(t, re)
}

func TestDescribeAndVersions(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/services/data/":
			writeJSON(w, 200, `[{"label":"Spring '26","url":"/services/data/v66.0","version":"66.0"}]`)
		case "/services/data/v66.0/sobjects/" + FailedEventObject + "/describe":
			writeJSON(w, 200, `{"name":"`+FailedEventObject+`","label":"DR Failed Event","queryable":true,"retrieveable":true,"fields":[{"name":"Id"},{"name":"digitalriverv3__Event_Id__c"}]}`)
		default:
			t.Errorf("unexpected %s", r.URL.Path)
		}
	})
	vs, err := c.Versions(context.Background(), restSession())
	if err != nil || len(vs) != 1 || vs[0].Version != "66.0" || vs[0].Label != "Spring '26" {
		t.Fatalf("versions %v, %v", vs, err)
	}
	d, err := c.Describe(context.Background(), restSession(), FailedEventObject)
	if err != nil || !d.Queryable || len(d.Fields) != 2 || d.Label != "DR Failed Event" {
		t.Fatalf("describe %+v, %v", d, err)
	}
	for _, bad := range []string{"", "User/../../id", "User describe", "a__", "_x", strings.Repeat("a", 81)} {
		if _, err := c.Describe(context.Background(), restSession(), bad); err == nil {
			t.Errorf("Describe(%q) was sent", bad)
		}
	}
}

// Salesforce may quote the request it refuses, and the request carries the
// session's token: nothing kept of a refused read holds it, in any encoding
// the redactor knows.
func TestRESTErrorsNeverHoldTheAccessToken(t *testing.T) {
	tok := testAccessToken
	cases := []struct {
		name, ctype, body string
		status            int
	}{
		{name: "message", body: sfRESTError("INVALID_SESSION_ID", "Session "+tok+" expired or invalid"), status: 401},
		{name: "message, URL-encoded", body: sfRESTError("MALFORMED_QUERY", "bad request /query?access_token="+url.QueryEscape(tok)), status: 400},
		{name: "message, cut short", body: sfRESTError("UNKNOWN_EXCEPTION", "token "+tok[:len(tok)-4]), status: 500},
		{name: "code", body: `[{"errorCode":"BAD_` + tok + `","message":"x"}]`, status: 400},
		{name: "page title", ctype: "text/html", body: "<html><head><title>Denied " + tok + "</title></head></html>", status: 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := fakeSalesforce(t, answer(tc.ctype, tc.status, tc.body))
			_, err := c.LoginHistory(context.Background(), restSession(), since)
			var re *RESTError
			if !errors.As(err, &re) {
				t.Fatalf("err = %T %v, want *RESTError", err, err)
			}
			// The org ID the token starts with may stay: it names the org,
			// not the session.
			secretPart := strings.TrimPrefix(tok, testOrgID)
			for what, s := range map[string]string{"Error()": re.Error(), "Code": re.Code, "Message": re.Message, "PageTitle": re.PageTitle, "%+v": fmt.Sprintf("%+v", *re)} {
				if strings.Contains(s, secretPart[:8]) || strings.Contains(s, url.QueryEscape(secretPart)[:8]) {
					t.Errorf("%s holds the access token: %q", what, s)
				}
			}
			if re.Code == "" && re.PageTitle == "" {
				t.Errorf("nothing of Salesforce's answer was kept: %+v", *re)
			}
		})
	}
}
