package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// specPath is Digital River's OpenAPI document, beside the project.
const specPath = "../../shared/specs/2021-12-13.json"

type openAPI struct{ doc map[string]any }

func loadSpec(t *testing.T) *openAPI {
	t.Helper()
	b, err := os.ReadFile(specPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("Digital River's OpenAPI document is not at %s (it lives in ../shared beside the project); schema checks skipped", specPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", specPath, err)
	}
	return &openAPI{doc}
}

// responseSchema returns the schema the spec declares for an operation's
// answer with status, failing the test if the spec declares no such answer.
func (s *openAPI) responseSchema(t *testing.T, path, method string, status int) map[string]any {
	t.Helper()
	op, _ := dig(s.doc, "paths", path, strings.ToLower(method)).(map[string]any)
	if op == nil {
		t.Fatalf("the spec has no %s %s", method, path)
	}
	resp, _ := dig(op, "responses", strconv.Itoa(status)).(map[string]any)
	if resp == nil {
		t.Fatalf("the spec declares no %d answer for %s %s", status, method, path)
	}
	schema, _ := dig(resp, "content", "application/json", "schema").(map[string]any)
	return schema
}

func (s *openAPI) schema(name string) map[string]any {
	m, _ := dig(s.doc, "components", "schemas", name).(map[string]any)
	return m
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func (s *openAPI) resolve(schema map[string]any) map[string]any {
	for {
		ref, ok := schema["$ref"].(string)
		if !ok {
			return schema
		}
		name, ok := strings.CutPrefix(ref, "#/components/schemas/")
		if !ok {
			panic("unsupported $ref " + ref)
		}
		schema = s.schema(name)
	}
}

// Where the emulator's answers knowingly go beyond the 2021-12-13 schema,
// each from a documented source (facts/digitalriver.md):
var (
	// liveMode is in the docs' example 201 response, not in the schema.
	extraWebhookProperties = []string{"liveMode"}
	// The docs' example event has webhookIds and spells the version
	// digitalriverVersion, as the schema's required list does (its property
	// is digitalRiverVersion); pendingWebhooks is required but never
	// declared.
	extraEventProperties = []string{"webhookIds", "digitalriverVersion", "pendingWebhooks"}
	// The Dashboard offers the client-credentials grant; the schema lists
	// only "password" (the API's acceptance is an inference).
	extraEnumValues = map[string][]string{"oauth.grantType": {"client_credentials"}}
)

var (
	uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// validate checks v against schema: types, property names (no property the
// schema lacks), required properties, enums (the spec's "<YYYY-MM-DD>" stands
// for any date), formats uuid and date-time, and array sizes. It returns
// every problem, each with its JSON path.
func (s *openAPI) validate(schema map[string]any, v any, at string) []string {
	schema = s.resolve(schema)
	var problems []string
	bad := func(format string, args ...any) {
		problems = append(problems, at+": "+fmt.Sprintf(format, args...))
	}
	switch schema["type"] {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("want an object, got %T", v)
			break
		}
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asSlice(schema["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				bad("required property %q missing", r)
			}
		}
		for k, val := range obj {
			p, ok := props[k].(map[string]any)
			if !ok {
				if props == nil {
					continue // an object of any shape, as an event's data.object
				}
				if schema["title"] == "Webhook" && slices.Contains(extraWebhookProperties, k) ||
					schema["title"] == "Event" && slices.Contains(extraEventProperties, k) {
					continue
				}
				bad("property %q is not in the schema", k)
				continue
			}
			problems = append(problems, s.validate(p, val, at+"."+k)...)
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			bad("want an array, got %T", v)
			break
		}
		if n, ok := schema["maxItems"].(float64); ok && float64(len(arr)) > n {
			bad("%d items, more than maxItems %v", len(arr), n)
		}
		items, _ := schema["items"].(map[string]any)
		for i, e := range arr {
			problems = append(problems, s.validate(items, e, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("want a string, got %T", v)
			break
		}
		if enum := asSlice(schema["enum"]); enum != nil && !enumHas(enum, str, at) {
			bad("%q is not one of %v", str, enum)
		}
		switch schema["format"] {
		case "uuid":
			if !uuidPattern.MatchString(str) {
				bad("%q is not a uuid", str)
			}
		case "date-time":
			if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
				bad("%q is not a date-time", str)
			}
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("want a boolean, got %T", v)
		}
	case "integer", "number":
		if _, ok := v.(float64); !ok {
			bad("want a number, got %T", v)
		}
	}
	return problems
}

func enumHas(enum []any, v, at string) bool {
	for _, e := range enum {
		if e == v || (e == "<YYYY-MM-DD>" && datePattern.MatchString(v)) {
			return true
		}
	}
	for suffix, extra := range extraEnumValues {
		if strings.HasSuffix(at, "."+suffix) && slices.Contains(extra, v) {
			return true
		}
	}
	return false
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// checkAnswer validates an answer's body against what the spec declares for
// the operation and status.
func (s *openAPI) checkAnswer(t *testing.T, path, method string, status int, body []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s %s %d: body is not JSON: %s", method, path, status, body)
	}
	for _, p := range s.validate(s.responseSchema(t, path, method, status), v, "$") {
		t.Errorf("%s %s %d: %s", method, path, status, p)
	}
}

func TestValidatorCatchesWhatItShould(t *testing.T) {
	s := loadSpec(t)
	bad := map[string]any{
		"id": "not-a-uuid", "address": "https://x.example", "url": "https://x.example",
		"enabled": "yes", "transportType": "SMTP", "apiVersion": "latest", "types": "order.accepted",
		"createdTime": "yesterday", "oauth": map[string]any{"clientID": 1, "grantType": "jwt"},
	}
	got := strings.Join(s.validate(s.schema("Webhook"), bad, "$"), "\n")
	for _, want := range []string{
		`$.id: "not-a-uuid" is not a uuid`, `property "url" is not in the schema`, "$.enabled: want a boolean",
		`$.transportType: "SMTP" is not one of`, `$.apiVersion: "latest" is not one of`, "$.types: want an array",
		`$.createdTime: "yesterday" is not a date-time`, "$.oauth.clientID: want a string",
		`$.oauth: required property "clientSecret" missing`, `$.oauth.grantType: "jwt" is not one of`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("validator missed %q; it found:\n%s", want, got)
		}
	}
	if p := s.validate(s.schema("Errors"), map[string]any{"type": "teapot", "errors": []any{}}, "$"); len(p) != 1 {
		t.Errorf("an unknown error type: %v", p)
	}
}

func TestDigitalRiverAnswersMatchTheSpec(t *testing.T) {
	s := loadSpec(t)
	e := New(scenarioWith250())
	post := func(body string) []byte {
		rec := drCall(t, e, testKey, http.MethodPost, "/webhooks", body)
		if rec.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		s.checkAnswer(t, "/webhooks", "POST", 201, rec.Body.Bytes())
		return rec.Body.Bytes()
	}
	created := decode[Webhook](t, post(oauthHook("https://"+acmeHost+apexPath)))
	post(`{"address":"https://erp.example/dr","types":["order.complete"],"apiVersion":"2021-12-13","authentication":{"username":"u","password":"p"}}`)
	post(strings.Replace(oauthHook("https://"+acmeHost+apexPath), `"grantType":"password"`, `"grantType":"client_credentials"`, 1))

	rec := drCall(t, e, testKey, http.MethodGet, "/webhooks/"+created.ID, "")
	s.checkAnswer(t, "/webhooks/{id}", "GET", rec.Code, rec.Body.Bytes())
	rec = drCall(t, e, testKey, http.MethodPatch, "/webhooks/"+created.ID, `{"enabled":false,"types":["order.accepted"]}`)
	s.checkAnswer(t, "/webhooks/{id}", "PATCH", rec.Code, rec.Body.Bytes())

	t.Run("list envelope", func(t *testing.T) {
		// The spec's 200 schema is a bare array of up to 100 Webhooks; the
		// general docs wrap it as {data, hasMore}. Check the envelope here
		// and its data against the spec's array schema.
		items := s.responseSchema(t, "/webhooks", "GET", 200)
		for _, q := range []string{"?limit=100", "?limit=100&startingAfter=" + created.ID, ""} {
			rec := drCall(t, e, testKey, http.MethodGet, "/webhooks"+q, "")
			var env map[string]any
			json.Unmarshal(rec.Body.Bytes(), &env)
			if len(env) != 2 || env["data"] == nil {
				t.Fatalf("envelope keys %v, want data and hasMore", env)
			}
			if _, ok := env["hasMore"].(bool); !ok {
				t.Errorf("hasMore is %T", env["hasMore"])
			}
			for _, p := range s.validate(items, env["data"], "$.data") {
				t.Error(p)
			}
		}
	})
	t.Run("bare array list", func(t *testing.T) {
		sc := scenarioWith250()
		sc.DigitalRiver.BareArrayList = true
		rec := drCall(t, New(sc), testKey, http.MethodGet, "/webhooks?limit=100", "")
		s.checkAnswer(t, "/webhooks", "GET", rec.Code, rec.Body.Bytes())
	})
	t.Run("delete has no body", func(t *testing.T) {
		rec := drCall(t, e, testKey, http.MethodDelete, "/webhooks/"+created.ID, "")
		if s.responseSchema(t, "/webhooks/{id}", "DELETE", rec.Code) != nil || rec.Body.Len() != 0 {
			t.Errorf("DELETE answered %d %q", rec.Code, rec.Body)
		}
	})

	t.Run("errors", func(t *testing.T) {
		f := New(testScenario())
		f.SetFaults(Faults{RateLimit: map[string]RateLimitFault{drHost: {Count: 1, RetryAfter: 1}}})
		check := func(path, method, body, key string) {
			t.Helper()
			target := strings.Replace(path, "{id}", "00000000-0000-4000-8000-000000000000", 1)
			rec := drCall(t, f, key, method, target, body)
			if rec.Code < 400 {
				t.Fatalf("%s %s answered %d, want an error", method, target, rec.Code)
			}
			path, _, _ = strings.Cut(path, "?")
			s.checkAnswer(t, path, method, rec.Code, rec.Body.Bytes())
		}
		check("/webhooks", "GET", "", testKey) // 429 from the fault
		check("/webhooks", "POST", `{"types":[]}`, testKey)
		check("/webhooks", "GET", "", "sk_test_unknown")
		check("/webhooks", "GET", "", restrictedKey)
		check("/webhooks", "GET", "", publicKey)
		check("/webhooks/{id}", "GET", "", testKey)
		check("/webhooks/{id}", "PATCH", `{"enabled":true}`, testKey)
		check("/webhooks/{id}", "DELETE", "", testKey)
		check("/webhooks?limit=0", "GET", "", testKey)
		for _, st := range []int{500, 502, 503, 504} {
			f.SetFaults(Faults{ServerErrors: map[string]StatusFault{drHost: {Count: 1, Status: st}}})
			check("/webhooks", "POST", oauthHook("https://x.example/"), testKey)
		}
		for _, unknown := range []string{"/nope", "/webhooks/a/b"} {
			rec := drCall(t, f, testKey, http.MethodGet, unknown, "")
			var v any
			json.Unmarshal(rec.Body.Bytes(), &v)
			for _, p := range s.validate(s.schema("Errors"), v, "$") {
				t.Errorf("GET %s: %s", unknown, p)
			}
		}
	})
}

func TestDemoWebhooksMatchTheSpec(t *testing.T) {
	s := loadSpec(t)
	for name, sc := range map[string]Scenario{"demo": DemoScenario(), "doctor demo": DoctorDemoScenario()} {
		e := New(sc)
		for _, key := range []string{Demo.DRKey, Demo.DRLiveKey} {
			rec := drCall(t, e, key, http.MethodGet, "/webhooks?limit=100", "")
			page := decode[map[string]any](t, rec.Body.Bytes())
			for _, p := range s.validate(s.responseSchema(t, "/webhooks", "GET", 200), page["data"], name+".data") {
				t.Error(p)
			}
		}
	}
}
