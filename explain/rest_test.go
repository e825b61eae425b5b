package explain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

var restSince = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// checkRESTFailure checks that a failed REST read reads as sentences for the
// admin: it says what was read, means something and says what to do, has
// no control character, no access token and no raw Go error, and mentions
// what the case is about. It returns the failure.
func checkRESTFailure(t *testing.T, err error, mention string) Failure {
	t.Helper()
	var re *sfcheck.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("err = %T %v, want *sfcheck.RESTError", err, err)
	}
	f := Of(err)
	msg := f.Text()
	if !strings.HasPrefix(f.Headline, "Reading ") || !strings.Contains(f.Headline, " from Salesforce ") || f.Meaning == "" || f.Remedy == "" && re.Kind != sfcheck.KindCancelled {
		t.Errorf("failure %+v lacks a headline, a meaning or a remedy", f)
	}
	if f.Service != "Salesforce" || f.Status != re.Status {
		t.Errorf("failure %+v: service or status", f)
	}
	if re.Code != "" && !strings.HasPrefix(f.Said, re.Code) || re.Message != "" && !strings.Contains(f.Said, strings.TrimSuffix(re.Message, ".")) {
		t.Errorf("failure %+v does not quote Salesforce's %s", f, re.Code)
	}
	for _, raw := range []string{"context deadline exceeded", "context canceled", "json:", "Get \"", "EOF", "_query", "_response", "next_"} {
		if strings.Contains(msg, raw) {
			t.Errorf("failure %q holds the raw %q", msg, raw)
		}
	}
	if strings.Contains(msg, testAccessToken) {
		t.Errorf("failure %q holds the access token", msg)
	}
	for _, r := range msg {
		if unicode.IsControl(r) {
			t.Errorf("control character %U in %q", r, msg)
		}
	}
	if mention != "" && !strings.Contains(msg, mention) {
		t.Errorf("failure %q does not mention %q", msg, mention)
	}
	return f
}

func TestRESTErrorsAreExplained(t *testing.T) {
	cases := []struct {
		name, ctype, body string
		status            int
		mention           string
	}{
		{"invalid type", "", sfRESTError("INVALID_TYPE", "sObject type 'LoginHistory' is not supported."), 400, "did not exist"},
		{"invalid field", "", sfRESTError("INVALID_FIELD", "No such column 'LoginSubType' on entity 'LoginHistory'."), 400, "Object Manager"},
		{"malformed", "", sfRESTError("MALFORMED_QUERY", "unexpected token: 'ORDER'"), 400, "drsetup bug"},
		{"session", "", sfRESTError("INVALID_SESSION_ID", "Session expired or invalid"), 401, "Session Settings"},
		{"api off for org", "", sfRESTError("API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization."), 403, "edition"},
		{"api off for user", "", sfRESTError("API_CURRENTLY_DISABLED", "API is disabled for this User"), 403, "API Enabled"},
		{"limit", "", sfRESTError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."), 403, "API Requests, Last 24 Hours"},
		{"unknown code", "", sfRESTError("UNKNOWN_EXCEPTION", "An unexpected error occurred."), 500, "trust.salesforce.com"},
		{"single object error", "", `{"errorCode":"INVALID_TYPE","message":"x"}`, 400, "did not exist"},
		{"proxy page", "text/html", "<html><head><title>Blocked by Policy</title></head></html>", 403, "Blocked by Policy"},
		{"html with 200", "text/html; charset=utf-8", "<!DOCTYPE html><html><title>Sign in to the network</title></html>", 200, "Sign in to the network"},
		{"html without a title", "text/html", "<html><body>blocked</body></html>", 502, "An HTML page came back (HTTP 502)"},
		{"plain text", "text/plain", "upstream connect error or disconnect/reset before headers", 502, "not the JSON"},
		{"plain text 404", "text/plain", "no such page", 404, "(HTTP 404) is not the JSON"},
		{"empty", "", "", 503, "empty body"},
		{"json of the wrong shape", "", `{"hello":"world"}`, 200, "not the query result"},
		{"done without next", "", `{"totalSize":5,"done":false,"records":[]}`, 200, "without saying where"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", text.Or(tc.ctype, "application/json;charset=UTF-8"))
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			_, err := c.LoginHistory(context.Background(), testSession(), restSince)
			f := checkRESTFailure(t, err, tc.mention)
			if !strings.Contains(f.Headline, "the integration user's Login History") {
				t.Errorf("headline %q does not name what was read", f.Headline)
			}
		})
	}
}

func TestRESTErrorsWithoutAnAnswerAreExplained(t *testing.T) {
	t.Run("too large", func(t *testing.T) {
		c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"totalSize":1,"done":true,"records":[{"Status":"`+strings.Repeat("a", 5<<20)+`"}]}`)
		})
		_, err := c.LoginHistory(context.Background(), testSession(), restSince)
		checkRESTFailure(t, err, "larger than 4 MiB")
	})
	t.Run("redirect", func(t *testing.T) {
		c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://acme.lightning.force.com/one/one.app", http.StatusFound)
		})
		_, err := c.FailedEvents(context.Background(), testSession(), restSince, 5)
		f := checkRESTFailure(t, err, "acme.lightning.force.com")
		if !strings.Contains(f.Headline, "failed-event records") {
			t.Errorf("headline %q", f.Headline)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/warm-up" {
				return
			}
			silent(r, release)
		})
		t.Cleanup(func() { close(release) })
		// Open the connection first, so the short timeout is spent waiting
		// for the answer and not on a TLS handshake slowed by -race.
		if resp, err := c.HTTP.Get("https://acme.my.salesforce.com/warm-up"); err == nil {
			resp.Body.Close()
		}
		c.Timeout = 200 * time.Millisecond
		_, err := c.UserRecord(context.Background(), testSession())
		f := checkRESTFailure(t, err, "did not answer in time (drsetup waits up to 200ms)")
		if !strings.HasSuffix(f.Headline, "got no answer.") || !strings.Contains(f.Remedy, "HTTPS_PROXY") {
			t.Errorf("failure %+v", f)
		}
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
		_, err := c.PermissionSet(ctx, testSession())
		f := checkRESTFailure(t, err, "cancelled before acme.my.salesforce.com answered")
		if !strings.HasSuffix(f.Headline, "was cancelled.") || f.Remedy != "" {
			t.Errorf("failure %+v", f)
		}
	})
	t.Run("untrusted instance", func(t *testing.T) {
		c := &sfcheck.Client{HTTP: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			t.Error("a request was sent")
			return nil, errors.New("no")
		})}}
		s := testSession()
		s.InstanceURL = "https://acme.example.com"
		_, err := c.LoginHistory(context.Background(), s, restSince)
		f := checkRESTFailure(t, err, "Nothing was sent")
		if !strings.Contains(f.Meaning, "acme.example.com is not a Salesforce or Digital River host") || !strings.Contains(f.Remedy, "Setup → My Domain") {
			t.Errorf("failure %+v", f)
		}
	})
	t.Run("no session", func(t *testing.T) {
		c := &sfcheck.Client{}
		for _, err := range []error{
			second(c.LoginHistory(context.Background(), nil, restSince)),
			second(c.FailedEvents(context.Background(), nil, restSince, 1)),
			second(c.UserRecord(context.Background(), nil)),
			second(c.PermissionSet(context.Background(), nil)),
			second(c.Versions(context.Background(), nil)),
			second(c.Describe(context.Background(), nil, "User")),
		} {
			f := checkRESTFailure(t, err, "There is no Salesforce session to read with.")
			if f.Remedy != "Log in first." {
				t.Errorf("remedy %q", f.Remedy)
			}
		}
	})
}

func second[T any](_ T, err error) error { return err }

func TestQueryPagingStopsAreExplained(t *testing.T) {
	for _, tc := range []struct {
		name string
		next func(page int) string // nextRecordsUrl of the given page (from 1)
		want string
	}{
		{"another host", func(int) string { return "https://evil.example.com/services/data/v66.0/query/01g-2000" }, "another host (evil.example.com), where the access token may not go"},
		{"outside the query resource", func(int) string { return "/services/apexrest/digitalriverv3/webhooks/" }, "outside Salesforce's query resource"},
		{"climbs out", func(int) string { return "/services/data/v66.0/query/../../../id/x" }, "outside Salesforce's query resource"},
		{"another version", func(int) string { return "/services/data/v20.0/query/01g-2000" }, "outside Salesforce's query resource"},
		{"userinfo", func(int) string { return "https://u:p@acme.my.salesforce.com/services/data/v66.0/query/01g-2000" }, "does not follow"},
		{"not a web address", func(int) string { return "%zz" }, "not a web address"},
		{"repeated", func(int) string { return "/services/data/v66.0/query/01g-2000" }, "went back to a page"},
		{"endless", func(p int) string { return fmt.Sprintf("/services/data/v66.0/query/01g-%d", p*2000) }, "still had more after 50 pages"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			pages := 0
			c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				pages++
				p := pages
				mu.Unlock()
				b, _ := json.Marshal(map[string]any{"totalSize": 1e6, "done": false, "nextRecordsUrl": tc.next(p),
					"records": []any{map[string]any{"Status": "Success"}}})
				writeJSON(w, 200, string(b))
			})
			_, err := c.LoginHistory(context.Background(), testSession(), restSince)
			f := checkRESTFailure(t, err, tc.want)
			if !strings.Contains(f.Meaning, "so drsetup stopped reading it") || !strings.Contains(f.Remedy, "proxy") {
				t.Errorf("failure %+v", f)
			}
		})
	}
}

// A read refused for want of access names what grants it.
func TestRESTRefusalsNameWhatGrantsAccess(t *testing.T) {
	t.Run("failed events", func(t *testing.T) {
		c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, sfRESTError("INVALID_TYPE", "sObject type 'digitalriverv3__DR_Failed_Event__c' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name."))
		})
		_, err := c.FailedEvents(context.Background(), testSession(), restSince, 5)
		f := checkRESTFailure(t, err, "DigitalRiver Connector - Integration")
		if !strings.Contains(f.Remedy, "Permission Set Assignments") {
			t.Errorf("remedy %q", f.Remedy)
		}
	})
	t.Run("failed events' describe", func(t *testing.T) {
		c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/services/data/" {
				writeJSON(w, 200, `[{"label":"Spring '26","url":"/services/data/v66.0","version":"66.0"}]`)
				return
			}
			writeJSON(w, 404, sfRESTError("NOT_FOUND", "The requested resource does not exist"))
		})
		_, err := c.Describe(context.Background(), testSession(), sfcheck.FailedEventObject)
		f := checkRESTFailure(t, err, "DigitalRiver Connector - Integration")
		if !strings.Contains(f.Headline, "the description of the app's failed-event records") || !strings.Contains(f.Meaning, "no such object") {
			t.Errorf("failure %+v", f)
		}
	})
	t.Run("assignments", func(t *testing.T) {
		c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, sfRESTError("INVALID_TYPE", "sObject type 'PermissionSetAssignment' is not supported."))
		})
		p, err := c.PermissionSet(context.Background(), testSession())
		if err != nil || len(p.Refusals) == 0 {
			t.Fatalf("proof %+v, %v", p, err)
		}
		checkRESTFailure(t, p.Refusals[0], "View Setup and Configuration")
	})
}

func TestUserRecordWithoutTheRecordIsExplained(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"totalSize":0,"done":true,"records":[]}`)
	})
	_, err := c.UserRecord(context.Background(), testSession())
	f := checkRESTFailure(t, err, "own record")
	if !strings.Contains(f.Headline, "the integration user's user record") {
		t.Errorf("headline %q", f.Headline)
	}
}

func TestAReadWithoutAUserIDIsExplained(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) { t.Error("a request was sent") })
	s := testSession()
	s.UserID = "00Dx0000001T0zk"
	_, err := c.LoginHistory(context.Background(), s, restSince)
	f := checkRESTFailure(t, err, "did not name its user with a Salesforce user ID (the ID does not start with 005)")
	if !strings.Contains(f.Remedy, "Log in again") {
		t.Errorf("remedy %q", f.Remedy)
	}
}

// An org that serves no version drsetup reads with says which it needs.
func TestNoUsableVersionIsExplained(t *testing.T) {
	c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/services/data/" {
			writeJSON(w, 200, `[{"label":"Winter '16","url":"/services/data/v35.0","version":"35.0"}]`)
			return
		}
		writeJSON(w, 404, sfRESTError("NOT_FOUND", "The requested resource does not exist"))
	})
	_, err := c.UserRecord(context.Background(), testSession())
	f := checkRESTFailure(t, err, "serves no REST API version drsetup can read with (it needs "+sfcheck.MinRESTVersion+" or later)")
	if !strings.Contains(f.Remedy, "Company Information") {
		t.Errorf("remedy %q", f.Remedy)
	}
}

// Against the simulated orgs: a user without the app's permission set is
// told what grants the failed events, and an org without the API that its
// edition lacks it.
func TestReadersWithoutAccessAreExplained(t *testing.T) {
	w := evidenceWorld(t)
	c := w.Salesforce()
	ctx := context.Background()
	week := time.Now().Add(-7 * 24 * time.Hour)

	s := evLogin(t, c, evAcme, "noclass@acme.example")
	_, err := c.FailedEvents(ctx, s, week, 5)
	checkRESTFailure(t, err, "DigitalRiver Connector - Integration")

	s = evLogin(t, c, evNope, "integration@nope.example")
	for name, err := range map[string]error{
		"login history": second(c.LoginHistory(ctx, s, week)),
		"failed events": second(c.FailedEvents(ctx, s, week, 5)),
		"user":          second(c.UserRecord(ctx, s)),
	} {
		t.Run(name, func(t *testing.T) {
			f := checkRESTFailure(t, err, "account team")
			if !strings.Contains(f.Said, "API_DISABLED_FOR_ORG") {
				t.Errorf("said %q", f.Said)
			}
		})
	}
}

// Salesforce's own words are quoted once, without a dangling colon when it
// gave a code alone.
func TestRESTSaidQuotesSalesforce(t *testing.T) {
	for _, tc := range []struct {
		e    sfcheck.RESTError
		said string
	}{
		{sfcheck.RESTError{Code: "INVALID_TYPE", Message: "sObject type 'X' is not supported."}, "INVALID_TYPE: sObject type 'X' is not supported"},
		{sfcheck.RESTError{Code: "INVALID_TYPE"}, "INVALID_TYPE"},
		{sfcheck.RESTError{Kind: sfcheck.KindEmptyBody, Status: 503}, ""},
	} {
		if got := Of(&tc.e).Said; got != tc.said {
			t.Errorf("said %q, want %q", got, tc.said)
		}
	}
}
