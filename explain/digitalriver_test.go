package explain

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
)

// The facts are drapi's (drapi/errors_test.go finds them in real answers);
// these are the words for each.
func TestDigitalRiverErrorsAreExplained(t *testing.T) {
	list := func(e drapi.Error) *drapi.Error {
		e.Method, e.Path, e.Host = http.MethodGet, "/webhooks", "api.digitalriver.com"
		return &e
	}
	get := func(e drapi.Error) *drapi.Error {
		e.Method, e.Path, e.Host = http.MethodGet, "/webhooks/wh_1", "api.digitalriver.com"
		return &e
	}
	create := func(e drapi.Error) *drapi.Error {
		e.Method, e.Path, e.Host = http.MethodPost, "/webhooks", "api.digitalriver.com"
		return &e
	}
	detail := func(code, param, msg string) []drapi.ErrorDetail {
		return []drapi.ErrorDetail{{Code: code, Parameter: param, Message: msg}}
	}
	for _, tc := range []struct {
		name string
		err  *drapi.Error
		says []string
	}{
		{"401 wrong or revoked key", list(drapi.Error{Kind: drapi.KindUnauthorized, Status: 401, RequestID: "req_1"}),
			[]string{"did not accept the API key", "Developers → API keys", "request id req_1"}},
		{"403 restricted key", list(drapi.Error{Kind: drapi.KindForbidden, Status: 403, Errors: detail("forbidden", "", "Access denied for the requested resource.")}),
			[]string{"restricted key", "webhook permission", "Access denied for the requested resource."}},
		{"404 webhook", get(drapi.Error{Kind: drapi.KindNotFound, Status: 404}), []string{"no webhook wh_1", "other mode"}},
		{"404 list: not the API", list(drapi.Error{Kind: drapi.KindNotFound, Status: 404, Errors: detail("not_found", "", "Not found.")}),
			[]string{"not the Digital River API", "--dr-api-url"}},
		{"409 conflict", create(drapi.Error{Kind: drapi.KindConflict, Status: 409, Errors: detail("already_exists", "address", "A webhook with this address already exists.")}),
			[]string{"conflicts", "already exists", "drsetup webhooks list"}},
		{"400 address", create(drapi.Error{Kind: drapi.KindBadRequest, Status: 400, Errors: detail("invalid_parameter", "address", "address is not a valid URL.")}),
			[]string{"value of address", "address is not a valid URL.", "/services/apexrest/digitalriverv3/webhooks/"}},
		{"400 client credentials", create(drapi.Error{Kind: drapi.KindBadRequest, Status: 400, Errors: detail("invalid_parameter", "oauth.grantType", "'client_credentials' is not a valid grantType.")}),
			[]string{"oauth.grantType", "'client_credentials' is not a valid grantType.", "password grant", "Dashboard"}},
		{"429 throughout", list(drapi.Error{Kind: drapi.KindRateLimited, Status: 429, Attempts: 4}), []string{"limiting how fast", "4 tries", "Wait a minute"}},
		{"429 longer than the budget", get(drapi.Error{Kind: drapi.KindRateLimited, Status: 429, Attempts: 1, RetryAfter: 20 * time.Second}), []string{"one try"}},
		{"429 longer than one wait may be", get(drapi.Error{Kind: drapi.KindRateLimited, Status: 429, Attempts: 1, RetryAfter: 2 * time.Minute}), []string{"asked to wait 2m0s"}},
		{"500", get(drapi.Error{Kind: drapi.KindServer, Status: 500, Attempts: 1, RequestID: "req_1"}),
			[]string{"problem on its side (HTTP 500)", "contact Digital River support", "request id req_1"}},
		{"503 throughout", get(drapi.Error{Kind: drapi.KindServer, Status: 503, Attempts: 4}), []string{"HTTP 503", "after 4 tries"}},
		{"proxy HTML page", list(drapi.Error{Kind: drapi.KindProxyHTML, Status: 403, Body: "Zscaler Access Denied"}),
			[]string{`"Zscaler Access Denied"`, "proxy", "HTTPS_PROXY"}},
		{"captive portal answers 200", list(drapi.Error{Kind: drapi.KindProxyHTML, Status: 200}), []string{"HTML page"}},
		{"2xx that is not JSON", get(drapi.Error{Kind: drapi.KindNotJSON, Status: 200, Body: "application/json, 2 bytes"}), []string{"not the JSON", "application/json, 2 bytes"}},
		{"4xx that is not JSON", list(drapi.Error{Kind: drapi.KindNotJSON, Status: 404}), []string{"not the JSON", "--dr-api-url"}},
		{"body over the limit", list(drapi.Error{Kind: drapi.KindTooLarge, Status: 200}), []string{"larger than"}},
		{"redirect", list(drapi.Error{Kind: drapi.KindRedirect, Status: 302, Location: "https://sso.example.com/login"}),
			[]string{"redirect", "https://sso.example.com/login", "does not follow"}},
		{"unexpected status", list(drapi.Error{Kind: drapi.KindUnexpected, Status: 406, Errors: detail("not_acceptable", "", "Not acceptable.")}),
			[]string{"HTTP 406 Not Acceptable", "Not acceptable."}},
		{"refused connection", get(drapi.Error{Kind: drapi.KindNetwork, Attempts: 4, Err: &httpx.NetError{Host: "127.0.0.1:9", Kind: httpx.NetRefused, Err: errors.New("refused")}}),
			[]string{"The connection to 127.0.0.1:9 was refused", "HTTPS_PROXY"}},
		{"cancelled", get(drapi.Error{Kind: drapi.KindCancelled, Err: &httpx.NetError{Host: "api.digitalriver.com", Kind: httpx.NetCancelled}}),
			[]string{"cancelled"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := Of(tc.err)
			msg := f.Text()
			for _, s := range tc.says {
				if !strings.Contains(msg, s) {
					t.Errorf("%q lacks %q", msg, s)
				}
			}
			if f.Headline == "" || f.Meaning == "" || f.Remedy == "" && tc.err.Kind != drapi.KindCancelled {
				t.Errorf("headline %q, meaning %q, remedy %q: each is needed", f.Headline, f.Meaning, f.Remedy)
			}
			if strings.Contains(msg, "{") {
				t.Errorf("%q quotes a body", msg)
			}
		})
	}
}

// Errors of the events list (doctor's evidence) name the events, never
// webhooks.
func TestEventsErrorsNameTheEventsList(t *testing.T) {
	events := func(e drapi.Error) *drapi.Error {
		e.Method, e.Path, e.Host, e.RequestID = http.MethodGet, "/events", "api.digitalriver.com", "req_events"
		return &e
	}
	for _, tc := range []struct {
		name string
		err  *drapi.Error
		says []string
	}{
		{"bad key", events(drapi.Error{Kind: drapi.KindUnauthorized, Status: 401}), []string{"did not accept the API key", "API keys"}},
		{"restricted key", events(drapi.Error{Kind: drapi.KindForbidden, Status: 403, Errors: []drapi.ErrorDetail{{Code: "forbidden", Message: "Forbidden."}}}),
			[]string{"not allowed to list the events", "without event permission", "read permission for events"}},
		{"not the API", events(drapi.Error{Kind: drapi.KindNotFound, Status: 404}), []string{"404 Not Found for the events list"}},
		{"bad parameter", events(drapi.Error{Kind: drapi.KindBadRequest, Status: 400, Errors: []drapi.ErrorDetail{{Code: "invalid_parameter", Parameter: "types", Message: "types is invalid."}}}),
			[]string{"refused to list the events", "value of types"}},
		{"proxy", events(drapi.Error{Kind: drapi.KindProxyHTML, Status: 200, Body: "Zscaler"}), []string{"Zscaler"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Of(tc.err).Text()
			for _, s := range append(tc.says, "req_events") {
				if !strings.Contains(got, s) {
					t.Errorf("%q does not say %q", got, s)
				}
			}
			if strings.Contains(got, "webhook") {
				t.Errorf("%q talks of webhooks", got)
			}
		})
	}
}

// A list walk that would not end says how much was read and what to do.
func TestEndlessListsAreExplained(t *testing.T) {
	endless := func(pe *drapi.PagingError) *drapi.Error {
		return &drapi.Error{Kind: drapi.KindEndlessList, Status: 200, Method: http.MethodGet, Path: "/webhooks", Host: "api.digitalriver.com", RequestID: "req_200", Err: pe}
	}
	for _, tc := range []struct {
		name string
		err  *drapi.Error
		says []string
	}{
		{"too many pages", endless(&drapi.PagingError{Reason: drapi.PagingTooManyPages, Pages: 200, Webhooks: 20000}),
			[]string{"20000 webhooks on 200 pages", "Developers → Webhooks", "--dr-api-url", "(Digital River request id req_200)"}},
		{"a page seen before", endless(&drapi.PagingError{Reason: drapi.PagingRepeatedCursor, Pages: 3, Webhooks: 6, Cursor: "a"}),
			[]string{"already sent (the one after webhook a)", "6 webhooks on 3 pages", "proxy", "(Digital River request id req_200)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Of(tc.err).Text()
			for _, s := range tc.says {
				if !strings.Contains(got, s) {
					t.Errorf("%q does not say %q", got, s)
				}
			}
		})
	}
}

func TestTheKeyIsTheValueToBlameForAuthorizationFailures(t *testing.T) {
	for kind, want := range map[drapi.ErrorKind]field.Field{drapi.KindUnauthorized: field.DRAPIKey, drapi.KindForbidden: field.DRAPIKey, drapi.KindServer: field.None} {
		if got := Of(&drapi.Error{Kind: kind, Method: http.MethodGet, Path: "/webhooks"}).Field; got != want {
			t.Errorf("%s: field %q, want %q", kind, got, want)
		}
	}
}

func TestAnUncertainCreateSaysToRunSetupAgain(t *testing.T) {
	lost := &drapi.Error{Kind: drapi.KindTimeout, Method: http.MethodPost, Path: "/webhooks", Err: &httpx.NetError{Host: "api.digitalriver.com", Kind: httpx.NetTimeout}}
	check := &drapi.Error{Kind: drapi.KindServer, Status: 500, Method: http.MethodGet, Path: "/webhooks", Attempts: 1}
	f := Of(&drapi.UncertainCreateError{Err: lost, CheckErr: check})
	if !strings.Contains(f.Text(), "Run drsetup setup again") || !strings.Contains(f.Text(), "HTTP 500") {
		t.Fatalf("%q should say both failures and what to do", f.Text())
	}
}

func TestDuplicatesNameEachWebhookAndAskForAChoice(t *testing.T) {
	f := Of(&drapi.DuplicatesError{Address: "https://acme.my.salesforce.com/x/", Webhooks: []drapi.Webhook{
		{ID: "wh-1", Address: "https://acme.my.salesforce.com/x/"}, {ID: "wh-2", Address: "https://acme.lightning.force.com/x/"}}})
	for _, want := range []string{"2 Digital River webhooks", "wh-1 (at https://acme.my.salesforce.com/x/) and wh-2 (at https://acme.lightning.force.com/x/)",
		"more than once", "drsetup doctor --fix", "drsetup webhooks delete ID", "Then run drsetup setup again"} {
		if !strings.Contains(f.Text(), want) {
			t.Errorf("%q lacks %q", f.Text(), want)
		}
	}
}

func TestHeadlinesOfUnansweredCallsReadAsSentences(t *testing.T) {
	for method, want := range map[string]string{
		http.MethodGet: "Listing the webhooks got no answer from Digital River.", http.MethodPost: "Creating the webhook got no answer from Digital River.",
	} {
		e := &drapi.Error{Kind: drapi.KindNetwork, Method: method, Path: "/webhooks"}
		if got := Of(e).Headline; got != want {
			t.Errorf("%s: %q, want %q", method, got, want)
		}
	}
	e := &drapi.Error{Kind: drapi.KindTimeout, Method: http.MethodPatch, Path: "/webhooks/wh-1"}
	if got := Of(e).Headline; got != "Updating webhook wh-1 got no answer from Digital River." {
		t.Errorf("%q", got)
	}
}
