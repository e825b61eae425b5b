package debuglog

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/secret/secrettest"
)

func newRedactor(known ...string) *redactor {
	red := &secret.Redactor{}
	red.Add(known...)
	return &redactor{red: red, hashKey: []byte("test key")}
}

// Secret fields are redacted by name wherever they sit, whatever their case
// and whoever's secrets they hold; the rest of the body stays readable.
func TestJSONBodyIsRedactedByStructure(t *testing.T) {
	body := `{"data":[{"id":"w1","address":"https://other.my.salesforce.com/x","oauth":{"tokenEndPoint":"https://login.salesforce.com/services/oauth2/token","userName":"u@other.example","password":"OTHER-PW-1","clientID":"3MVG9other","clientSecret":"OTHER-CS-2","grantType":"password"}},` +
		`{"id":"w2","transportType":"HTTP","authentication":{"username":"erp","password":"OTHER-PW-3"}},` +
		`{"id":"w3","nested":[{"Client_Secret":"OTHER-CS-4"},{"ACCESS_TOKEN":"OTHER-AT-5","refresh_token":{"deep":["OTHER-RT-6"]}}],"x-api-key":"OTHER-KEY-7","signature":"OTHER-SIG-8","emptyPassword":"","nullToken":null}],"hasMore":false}`
	out := newRedactor().body("application/json", []byte(body), false)
	if out.leftOut != nil {
		t.Fatalf("a whole body left out %+v", out.leftOut)
	}
	for i := 1; i <= 8; i++ {
		if strings.Contains(out.text, fmt.Sprintf("-%d\"", i)) {
			t.Errorf("secret %d survived: %s", i, out.text)
		}
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out.text), &v); err != nil {
		t.Fatalf("rendering is not JSON: %v\n%s", err, out.text)
	}
	for _, want := range []string{`"id":"w1"`, `"userName":"u@other.example"`, `"clientID":"3MVG9other"`, `"tokenEndPoint":"https://login.salesforce.com/services/oauth2/token"`,
		`"password":"[redacted]"`, `"authentication":"[redacted]"`, `"refresh_token":"[redacted]"`, `"emptyPassword":""`, `"nullToken":null`, `"hasMore":false`} {
		if !strings.Contains(out.text, want) {
			t.Errorf("rendering lacks %s:\n%s", want, out.text)
		}
	}
}

// A secret stored under a secret name is redacted wherever else the body
// holds it, before or after that field, in whatever form: a password pasted
// into the username too, another webhook's secret in an address or a note.
func TestASecretIsRedactedWhereverElseTheBodyHoldsIt(t *testing.T) {
	const pw, cs = "SECRETPW-abcdef", "Client&Secret<9>"
	escapedCS, _ := json.Marshal(cs)
	for _, body := range []string{
		`{"data":[{"oauth":{"userName":"` + pw + `-in-username","password":"` + pw + `"}}]}`,
		`{"data":[{"oauth":{"password":"` + pw + `","userName":"` + pw + `-in-username"}}]}`,
		`{"data":[{"note":"` + pw + `"},{"oauth":{"clientSecret":` + string(escapedCS) + `,"password":"` + pw + `"}},{"address":"https://x.example/` + url.PathEscape(cs) + `"}]}`,
	} {
		red := newRedactor()
		out := red.body("application/json", []byte(body), false)
		for _, leak := range []string{pw, pw[:6], cs, cs[:6], url.PathEscape(cs)} {
			if strings.Contains(out.text, leak) {
				t.Errorf("%q survived in %s", leak, out.text)
			}
		}
		if !json.Valid([]byte(out.text)) {
			t.Errorf("rendering is not JSON: %s", out.text)
		}
	}
	// What is under a secret name but too short to be anyone's secret is
	// not learnt: it would be redacted all over the log.
	red := newRedactor()
	red.body("application/json", []byte(`{"token":"none","password":"oauth"}`), false)
	if got := red.red.Redact("none of the oauth2 paths"); got != "none of the oauth2 paths" {
		t.Errorf("short values were learnt as secrets: %q", got)
	}
}

// A token request's password is redacted wherever else the form holds it.
func TestAFormSecretIsRedactedWhereverElseTheFormHoldsIt(t *testing.T) {
	const pw = "Pass word+1&2"
	body := "username=" + url.QueryEscape(pw+"@x") + "&password=" + url.QueryEscape(pw) + "&grant_type=password"
	out := newRedactor().body("application/x-www-form-urlencoded", []byte(body), false)
	for _, leak := range []string{pw, url.QueryEscape(pw), pw[:6], url.QueryEscape(pw)[:6]} {
		if strings.Contains(out.text, leak) {
			t.Errorf("%q survived in %s", leak, out.text)
		}
	}
	if !strings.Contains(out.text, "grant_type=password") {
		t.Errorf("the rest of the form is not readable: %s", out.text)
	}
}

// A body cut at any byte renders, up to the cut, as well-formed JSON with
// nothing secret in it; what follows the last whole token is left out and
// described, never shown.
func TestCutJSONBodyIsWellFormedAtEveryOffset(t *testing.T) {
	const known = "KNOWN-Secret-&<>"
	body, _ := json.Marshal(map[string]any{
		"data": []any{
			map[string]any{"id": "w1", "count": 123456, "note": "mentions " + known, "oauth": map[string]any{"password": "UNKNOWN-PW-zz", "clientSecret": "UNKNOWN-CS-zz"}},
			map[string]any{"authentication": map[string]any{"username": "u", "password": "UNKNOWN-BA-zz"}, "ok": true, "n": nil},
		},
		"hasMore": true,
	})
	r := newRedactor(known)
	for cut := 0; cut <= len(body); cut++ {
		b := body[:cut]
		out := r.body("application/json", b, cut < len(body))
		if out.text != "" && !json.Valid([]byte(out.text)) {
			t.Fatalf("cut at %d: rendering is not JSON: %s", cut, out.text)
		}
		for _, s := range []string{"UNKNOWN-", known} {
			if leaks := secrettest.Leaks(out.text, s); len(leaks) > 0 {
				t.Fatalf("cut at %d: %v in %s", cut, leaks, out.text)
			}
		}
		// "123456" cut to "123" must not read as the number 123.
		if strings.Contains(out.text, `"count":`) && !strings.Contains(out.text, `"count":123456`) {
			t.Fatalf("cut at %d: a cut number is shown as another number: %s", cut, out.text)
		}
		// Inside a string, a number or a literal, the cut token is left out
		// and said to be.
		inString := strings.Count(string(b), `"`)%2 == 1
		last := byte(' ')
		if cut > 0 {
			last = b[cut-1]
		}
		inScalar := last >= '0' && last <= '9' && !inString
		if (inString || inScalar) && out.leftOut == nil {
			t.Fatalf("cut at %d (…%q): part of a token was dropped without saying so", cut, b[max(0, cut-10):])
		}
		if out.leftOut != nil && (out.leftOut.Bytes <= 0 || len(out.leftOut.SHA256) != 16 || out.leftOut.Reason == "") {
			t.Fatalf("cut at %d: left out %+v", cut, out.leftOut)
		}
	}
}

func TestBrokenJSONIsLeftOutFromTheBreak(t *testing.T) {
	out := newRedactor().body("application/json", []byte(`{"id":"w1","bad":tru,"password":"NEVER-SHOWN"}`), false)
	if out.text != `{"id":"w1"}` || out.leftOut == nil || !strings.Contains(out.leftOut.Reason, "not valid JSON") {
		t.Fatalf("got %q %+v", out.text, out.leftOut)
	}
	out = newRedactor().body("application/json", []byte(`{"id":"w1"} {"password":"NEVER-SHOWN"}`), false)
	if out.text != `{"id":"w1"}` || out.leftOut == nil {
		t.Fatalf("a second value: %q %+v", out.text, out.leftOut)
	}
}

func TestFormBodyIsRedactedByKey(t *testing.T) {
	r := newRedactor("known-username-secret")
	form := url.Values{"grant_type": {"password"}, "client_id": {"3MVG9"}, "client_secret": {"UNKNOWN-CS"}, "password": {"UNKNOWN-PW&+%"}, "username": {"known-username-secret"}}.Encode()
	out := r.body("application/x-www-form-urlencoded", []byte(form), false)
	if out.leftOut != nil || strings.Contains(out.text, "UNKNOWN") || strings.Contains(out.text, "known-") {
		t.Fatalf("form %q: %q %+v", form, out.text, out.leftOut)
	}
	for _, want := range []string{"grant_type=password", "client_id=3MVG9", "client_secret=[redacted]", "password=[redacted]", "username=%5Bredacted%5D"} {
		if !strings.Contains(out.text, want) {
			t.Errorf("%q lacks %q", out.text, want)
		}
	}
	// Cut: the last pair may be cut (a value, or a secret name cut to "passw").
	cutForm := "grant_type=password&passw"
	out = r.body("application/x-www-form-urlencoded", []byte(cutForm), true)
	if out.text != "grant_type=password" || out.leftOut == nil || out.leftOut.Bytes != 5 {
		t.Fatalf("cut form: %q %+v", out.text, out.leftOut)
	}
	out = r.body("application/x-www-form-urlencoded", []byte("a=1&bad=%zzSECRET"), false)
	if out.text != "a=1" || out.leftOut == nil {
		t.Fatalf("undecodable pair: %q %+v", out.text, out.leftOut)
	}
}

func TestOtherBodiesAreLeftOutOrSummarised(t *testing.T) {
	r := newRedactor("KNOWN-SECRET-1")
	html := []byte("<html><head><title>Blocked by \x1b]0;pwned\x07 Proxy KNOWN-SECRET-1</title></head><body>password=UNKNOWN-PW</body></html>")
	out := r.body("text/html", html, false)
	if !strings.HasPrefix(out.text, "(HTML page, ") || !strings.Contains(out.text, `title "Blocked by Proxy [redacted]"`) || strings.Contains(out.text, "UNKNOWN") {
		t.Fatalf("HTML: %q", out.text)
	}
	out = r.body("text/plain", []byte("error: bad password UNKNOWN-PW for user"), false)
	if out.text != "" || out.leftOut == nil || out.leftOut.Bytes != 39 {
		t.Fatalf("plain text: %q %+v", out.text, out.leftOut)
	}
	out = r.body("text/plain", []byte("Service Unavailable"), false)
	if out.text != "Service Unavailable" || out.leftOut != nil {
		t.Fatalf("a status phrase: %q %+v", out.text, out.leftOut)
	}
	out = r.body("", []byte(`"Bad_OAuth_Token"`), false)
	if out.text != `"Bad_OAuth_Token"` {
		t.Fatalf("identity error: %q %+v", out.text, out.leftOut)
	}
}

// The keyed hash tells two equal left-out parts of one log apart from
// different ones, and differs between logs.
func TestLeftOutHashIsKeyedPerLog(t *testing.T) {
	a, b := New(io.Discard, nil), New(io.Discard, nil)
	x := a.bodies.leave([]byte("hunter2"), "r")
	if x.SHA256 != a.bodies.leave([]byte("hunter2"), "r").SHA256 || x.SHA256 == a.bodies.leave([]byte("hunter3"), "r").SHA256 {
		t.Fatal("one log must hash equal parts equally and different parts differently")
	}
	if x.SHA256 == b.bodies.leave([]byte("hunter2"), "r").SHA256 {
		t.Fatal("two logs must not share the hash key")
	}
}

// The property of issue 11: a webhook list page of any size up to 1 MiB,
// holding other orgs' stored secrets (quotes, backslashes, &<>+%, newlines,
// non-ASCII, long) under their field names and the run's known secrets in
// every encoding in other fields, cut at any offset, leaves no secret and no
// six-character start of one in what the debug log writes.
func TestNoSecretSurvivesTheDebugLogWriter(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2026))
	pages := 12
	if testing.Short() {
		pages = 4
	}
	for p := range pages {
		size := 1 + rng.IntN(1<<20)
		if p == 0 {
			size = 1 << 20
		}
		pg := genPage(rng, size)
		r := newRedactor(pg.known...)
		for range 4 {
			cut := rng.IntN(len(pg.body) + 1)
			out := r.body("application/json", pg.body[:cut], cut < len(pg.body))
			if out.text != "" && !json.Valid([]byte(out.text)) {
				t.Fatalf("page %d (%d bytes) cut at %d: rendering is not JSON", p, len(pg.body), cut)
			}
			checkNoLeak(t, fmt.Sprintf("page %d (%d bytes) cut at %d", p, len(pg.body), cut), out.text, pg)
		}
		// And through the Transport, which cuts at maxLoggedBody, from a
		// server whose answer itself stops at a random offset.
		cut := rng.IntN(len(pg.body) + 1)
		var buf bytes.Buffer
		l := New(&buf, r.red)
		rt := l.Transport(roundTripFunc(func(req *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(bytes.NewReader(pg.body[:cut])), Request: req}, nil
		}))
		req, _ := http.NewRequest("GET", "https://api.digitalriver.com/webhooks?limit=100", nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		if !bytes.Equal(got, pg.body[:cut]) {
			t.Fatalf("page %d: the caller did not get the body as sent", p)
		}
		var line map[string]any
		if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
			t.Fatalf("page %d: the log line is not JSON: %v", p, err)
		}
		if rb, _ := line["responseBody"].(string); rb != "" && !json.Valid([]byte(rb)) {
			t.Fatalf("page %d: the logged body is not JSON", p)
		}
		checkNoLeak(t, fmt.Sprintf("page %d through the transport", p), buf.String(), pg)
	}
}

func checkNoLeak(t *testing.T, where, text string, pg page) {
	t.Helper()
	for _, s := range pg.unknown {
		if leaks := secrettest.TextLeaks(text, s); len(leaks) > 0 {
			t.Fatalf("%s: a stored secret of another org survives: %v", where, leaks)
		}
	}
	for _, s := range pg.known {
		if leaks := secrettest.Leaks(text, s); len(leaks) > 0 {
			t.Fatalf("%s: a known secret survives: %v", where, leaks)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type page struct {
	body    []byte
	unknown []string // other orgs' secrets, only under secret field names
	known   []string // the run's secrets, anywhere, in every encoding
}

// randomSecret makes a secret with the characters that break naive
// redaction. Its first characters hold a run of random capitals, found
// nowhere else in a page, so that finding its start in the log is a leak and
// not chance.
func randomSecret(rng *rand.Rand) string {
	const tricky = "\"\\&<>+%\n\t/ü東😀 '="
	var b strings.Builder
	trickyRune := func() rune { r := []rune(tricky); return r[rng.IntN(len(r))] }
	if rng.IntN(2) == 0 {
		b.WriteRune(trickyRune())
	}
	for range 4 {
		b.WriteByte(byte('A' + rng.IntN(26)))
	}
	n := 4 + rng.IntN(60)
	if rng.IntN(10) == 0 {
		n = 300 + rng.IntN(2000) // long
	}
	for range n {
		if rng.IntN(3) == 0 {
			b.WriteRune(trickyRune())
		} else {
			b.WriteByte(byte('A' + rng.IntN(26)))
		}
	}
	return b.String()
}

func genPage(rng *rand.Rand, size int) page {
	var pg page
	for range 20 {
		pg.unknown = append(pg.unknown, randomSecret(rng))
	}
	pg.known = []string{"sk_test_" + randomSecret(rng), randomSecret(rng), randomSecret(rng)}
	knownForms := func(s string) []string {
		cut := secrettest.Telling(s)
		fs := secrettest.Forms(s)
		return []string{s, cut, fs["query"], fs["path"], fs["html"], fs["base64"], fs["base64url-raw"],
			base64.StdEncoding.EncodeToString([]byte("user:" + s)), secrettest.Forms(cut)["query"], fs["json"]}
	}
	var data []any
	n := 0
	for i := 0; n < size; i++ {
		unk := func() string { return pg.unknown[rng.IntN(len(pg.unknown))] }
		forms := knownForms(pg.known[rng.IntN(len(pg.known))])
		var w map[string]any
		if i%3 == 2 {
			w = map[string]any{"id": fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), "address": "https://erp.example/hooks/" + fmt.Sprint(i),
				"transportType": "HTTP", "authentication": map[string]any{"username": "erp", "password": unk()}, "types": []string{"order.complete"}}
		} else {
			w = map[string]any{"id": fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), "address": "https://org" + fmt.Sprint(i) + ".my.salesforce.com/services/apexrest/digitalriverv3/webhooks/?k=" + forms[rng.IntN(len(forms))],
				"transportType": "OAUTH", "enabled": i%5 != 0, "types": []string{"order.accepted", "order.complete"},
				"oauth": map[string]any{"tokenEndPoint": "https://login.salesforce.com/services/oauth2/token", "userName": "integration@org" + fmt.Sprint(i) + ".example",
					"password": unk(), "clientID": "3MVG9org" + fmt.Sprint(i), "clientSecret": unk(), "grantType": "password"},
				"createdTime": "2024-06-01T10:00:00.000Z"}
		}
		w["metadata"] = map[string]any{"note": "see " + forms[rng.IntN(len(forms))] + " here", "n": rng.IntN(1 << 30)}
		data = append(data, w)
		b, _ := json.Marshal(w)
		n += len(b) + 1
	}
	pg.body, _ = json.Marshal(map[string]any{"data": data, "hasMore": true, "nextId": "x"})
	return pg
}

// A list page of 100 webhooks is cut at maxLoggedBody and rendered once per
// page read: the debug log's cost per page of a doctor run over thousands of
// webhooks.
func BenchmarkRenderCutWebhookPage(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	pg := genPage(rng, 100<<10)
	r := newRedactor(pg.known...)
	for range 2000 {
		r.red.Add(randomSecret(rng)) // the stored secrets doctor has learnt
	}
	body := pg.body[:maxLoggedBody]
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r.body("application/json", body, true)
	}
}

// An events page carries each event's order, with the shopper's name,
// email and address, in data.object; the log keeps what doctor reads (id,
// type, time, pendingWebhooks) and never the order, whole or cut at any
// byte. A stored payload field is left out the same way.
func TestCustomerDataNeverReachesTheLog(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 11))
	var events []any
	for i := range 12 {
		who := fmt.Sprintf("PRIVATE-%d-%x", i, rng.Uint32())
		events = append(events, map[string]any{
			"id": fmt.Sprintf("evt_%d", i), "type": "order.accepted", "createdTime": "2026-11-30T10:00:00Z", "liveMode": false, "pendingWebhooks": i % 3,
			"data": map[string]any{"previousAttributes": map[string]any{"email": "old-" + who + "@example.com"}, "object": map[string]any{
				"id": "ord_" + who, "email": who + "@example.com",
				"shipTo": map[string]any{"name": who, "address": map[string]any{"line1": who + " Street"}},
				"items":  []any{map[string]any{"sku": who}, who},
			}},
		})
	}
	page, _ := json.Marshal(map[string]any{"hasMore": true, "data": events, "digitalriverv3__Event_Payload__c": "PRIVATE-payload"})

	r := newRedactor()
	whole := r.body("application/json", page, false)
	for _, want := range []string{`"id":"evt_0"`, `"id":"evt_11"`, `"type":"order.accepted"`, `"pendingWebhooks":2`, `"createdTime":"2026-11-30T10:00:00Z"`, `"object":"` + customerData + `"`, `"hasMore":true`} {
		if !strings.Contains(whole.text, want) {
			t.Errorf("the rendering lacks %s:\n%s", want, whole.text)
		}
	}
	for cut := 0; cut <= len(page); cut++ {
		out := r.body("application/json", page[:cut], cut < len(page))
		if strings.Contains(out.text, "PRIVATE") {
			t.Fatalf("cut at %d: customer data in the log: %s", cut, out.text)
		}
	}
	// The same words outside an event's data are not customer data.
	other := r.body("application/json", []byte(`{"object":"webhook","data":{"id":"w1"}}`), false)
	if !strings.Contains(other.text, `"object":"webhook"`) {
		t.Errorf("a top-level object field was left out: %s", other.text)
	}
}

// An address travels whole in the answers (a webhook's, a token endpoint,
// Salesforce's URLs); the log shows it as reports do, without the userinfo
// or query a password or token may have been put in.
func TestAddressesAreLoggedWithoutUserinfoOrQuery(t *testing.T) {
	body := `{"data":[{"id":"w1","address":"https://u:PW-IN-ADDRESS@acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/?access_token=TOKEN-IN-QUERY",` +
		`"oauth":{"tokenEndPoint":"https://login.salesforce.com/services/oauth2/token?key=KEY-IN-QUERY"}}],"instance_url":"https://acme.my.salesforce.com","nextRecordsUrl":"/services/data/v66.0/query/01g-2000"}`
	out := newRedactor().body("application/json", []byte(body), false)
	for _, s := range []string{"PW-IN-ADDRESS", "TOKEN-IN-QUERY", "KEY-IN-QUERY"} {
		if strings.Contains(out.text, s) {
			t.Errorf("%s is in the log: %s", s, out.text)
		}
	}
	for _, want := range []string{`"address":"https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"`,
		`"tokenEndPoint":"https://login.salesforce.com/services/oauth2/token"`, `"instance_url":"https://acme.my.salesforce.com"`, `"nextRecordsUrl":"/services/data/v66.0/query/01g-2000"`} {
		if !strings.Contains(out.text, want) {
			t.Errorf("the log lacks %s:\n%s", want, out.text)
		}
	}
}
