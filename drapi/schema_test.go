package drapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The API document lives in the shared folder next to the checkout.
const specPath = "../../shared/specs/2021-12-13.json"

func TestRequestBodiesMatchTheOpenAPIDocument(t *testing.T) {
	doc := loadSpec(t)
	f := newFake(t)
	c, _ := f.client(t, Options{})
	ctx := context.Background()

	// Every kind of body drsetup sends: an OAUTH create, an HTTP create and
	// each kind of update.
	w, err := c.Webhooks.Create(ctx, desiredSpec())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Webhooks.Create(ctx, Spec{Address: "https://example.com/hooks", Types: []string{"order.accepted"}, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	for _, change := range []func(*Spec){
		func(s *Spec) { s.Enabled = false },
		func(s *Spec) { s.Types = s.Types[:3] },
		func(s *Spec) { s.Address = strings.Replace(s.Address, "acme", "acme2", 1) },
		func(s *Spec) { s.OAuth.Password = "NewPassTOKEN" },
		func(s *Spec) { s.APIVersion = "2021-12-13" },
		func(s *Spec) { s.TransportType, s.OAuth = TransportHTTP, nil },
	} {
		d := desiredSpec()
		change(&d)
		if w, err = c.Webhooks.Update(ctx, w.ID, w, d); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, r := range f.seen() {
		var name string
		switch r.Method {
		case http.MethodPost:
			name = "WebhookRequest"
		case http.MethodPatch:
			name = "WebhookUpdateRequest"
		default:
			continue
		}
		var body any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		if probs := doc.check(doc.schema(name), body, "$"); len(probs) > 0 {
			t.Errorf("%s body %s does not match %s: %v", r.Method, r.Body, name, probs)
		}
		n++
	}
	if n != 8 {
		t.Fatalf("checked %d bodies, want 8", n)
	}
}

// The validator must catch what it is there to catch, or the test above
// proves nothing.
func TestSchemaCheckerCatchesMistakes(t *testing.T) {
	doc := loadSpec(t)
	cases := []struct {
		body, want string
	}{
		{`{"url":"https://x","types":["a"]}`, `unknown property "url"`},
		{`{"types":["a"]}`, `missing required "address"`},
		{`{"address":"https://x"}`, `missing required "types"`},
		{`{"address":"https://x","types":"order.accepted"}`, "$.types: want array"},
		{`{"address":"https://x","types":["a"],"enabled":"true"}`, "$.enabled: want boolean"},
		{`{"address":"https://x","types":["a"],"transportType":"oauth"}`, "$.transportType: \"oauth\" not in"},
		{`{"address":"https://x","types":["a"],"apiVersion":"latest"}`, "$.apiVersion: \"latest\" not in"},
		{`{"address":"https://x","types":["a"],"transportType":"OAUTH","oauth":{"tokenEndpoint":"t","clientID":"c","clientSecret":"s"}}`, `unknown property "tokenEndpoint"`},
		{`{"address":"https://x","types":["a"],"transportType":"OAUTH","oauth":{"tokenEndPoint":"t","clientId":"c","clientSecret":"s"}}`, `unknown property "clientId"`},
		{`{"address":"https://x","types":["a"],"transportType":"OAUTH","oauth":{"tokenEndPoint":"t","clientID":"c","clientSecret":"s","grantType":"client_credentials"}}`, `"client_credentials" not in`},
	}
	for _, c := range cases {
		var body any
		json.Unmarshal([]byte(c.body), &body)
		probs := doc.check(doc.schema("WebhookRequest"), body, "$")
		if !slices.ContainsFunc(probs, func(p string) bool { return strings.Contains(p, c.want) }) {
			t.Errorf("%s: problems %v, want one containing %q", c.body, probs, c.want)
		}
	}
	var ok any
	json.Unmarshal([]byte(`{"address":"https://x","types":["a"],"apiVersion":"2021-12-13","transportType":"OAUTH","oauth":{"tokenEndPoint":"t","clientID":"c","clientSecret":"s","grantType":"password"}}`), &ok)
	if probs := doc.check(doc.schema("WebhookRequest"), ok, "$"); len(probs) > 0 {
		t.Errorf("a valid body was refused: %v", probs)
	}
}

type openAPI struct {
	schemas map[string]any
	paths   map[string]any
}

func loadSpec(t *testing.T) openAPI {
	t.Helper()
	b, err := os.ReadFile(specPath)
	if os.IsNotExist(err) {
		t.Skipf("the Digital River OpenAPI document is not at %s (it lives in the shared folder beside the checkout); request bodies are not checked against it", specPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return openAPI{doc.Components.Schemas, doc.Paths}
}

func (o openAPI) schema(name string) map[string]any {
	s, _ := o.schemas[name].(map[string]any)
	return s
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// extraEventProperties are in the docs' example event
// (facts/digitalriver.md §5) but not in the Event schema.
var extraEventProperties = []string{"webhookIds"}

// declaredAs returns the declared property that name spells in another
// case, or "".
func declaredAs(props map[string]any, name string) string {
	for p := range props {
		if p != name && strings.EqualFold(p, name) {
			return p
		}
	}
	return ""
}

// checkQuery checks a request's query against the parameters the document
// declares for the operation: only declared names, integers within their
// bounds, deepObject keys (createdTime[gte]) among the comparisons the
// description names, with date-time values.
func (o openAPI) checkQuery(path, method string, q url.Values) []string {
	op, _ := o.paths[path].(map[string]any)
	op, _ = op[strings.ToLower(method)].(map[string]any)
	if op == nil {
		return []string{"the document has no " + method + " " + path}
	}
	params := map[string]map[string]any{}
	for _, p := range op["parameters"].([]any) {
		p := p.(map[string]any)
		if p["in"] == "query" {
			params[p["name"].(string)] = p
		}
	}
	var probs []string
	for key, vals := range q {
		name, sub, deep := strings.Cut(strings.TrimSuffix(key, "]"), "[")
		p, ok := params[name]
		if !ok {
			probs = append(probs, fmt.Sprintf("parameter %q is not declared", key))
			continue
		}
		schema, _ := p["schema"].(map[string]any)
		if deep != (p["style"] == "deepObject") {
			probs = append(probs, fmt.Sprintf("parameter %q does not use the style %v", key, p["style"]))
			continue
		}
		for _, v := range vals {
			switch {
			case deep:
				if !slices.Contains([]string{"gt", "gte", "lt", "lte"}, sub) {
					probs = append(probs, fmt.Sprintf("%s: %q is not a comparison", key, sub))
				}
				if _, err := time.Parse(time.RFC3339, v); err != nil {
					probs = append(probs, fmt.Sprintf("%s: %q is not a date-time", key, v))
				}
			case schema["type"] == "integer":
				n, err := strconv.Atoi(v)
				lo, _ := schema["minimum"].(float64)
				hi, _ := schema["maximum"].(float64)
				if err != nil || float64(n) < lo || float64(n) > hi {
					probs = append(probs, fmt.Sprintf("%s: %q is not an integer from %v to %v", key, v, lo, hi))
				}
			}
		}
	}
	if q.Has("type") && q.Has("types") {
		probs = append(probs, "both type and types are given")
	}
	return probs
}

// check is the subset of OpenAPI schema validation these schemas use:
// $ref, object properties (no others allowed, unless the object declares
// none), required, type, enum, items. Quirks of the document are allowed for:
// its required "type" for the property "types"; the enum value
// "<YYYY-MM-DD>", which stands for a date; and in Event, a required
// "digitalriverVersion" for the property "digitalRiverVersion" (the docs'
// example sends the former) and a required "pendingWebhooks" that has no
// property at all.
func (o openAPI) check(s map[string]any, v any, at string) []string {
	if s == nil {
		return []string{at + ": no schema"}
	}
	if ref, ok := s["$ref"].(string); ok {
		return o.check(o.schema(strings.TrimPrefix(ref, "#/components/schemas/")), v, at)
	}
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, at+": "+fmt.Sprintf(format, args...)) }
	switch s["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("want object, got %T", v)
			break
		}
		props, _ := s["properties"].(map[string]any)
		req, _ := s["required"].([]any)
		for k, val := range m {
			ps, ok := props[k].(map[string]any)
			if !ok && props != nil && s["title"] == "Event" {
				if name := declaredAs(props, k); name != "" {
					ps, ok = props[name].(map[string]any)
				}
			}
			switch {
			case props == nil:
				continue // an object of any shape, as data.object is
			case !ok && slices.Contains(req, any(k)):
				continue // required but never declared: pendingWebhooks
			case !ok && s["title"] == "Event" && slices.Contains(extraEventProperties, k):
				continue
			case !ok:
				bad("unknown property %q", k)
				continue
			}
			probs = append(probs, o.check(ps, val, at+"."+k)...)
		}
		for _, r := range req {
			name := r.(string)
			if _, declared := props[name]; !declared && name == "type" && props["types"] != nil {
				name = "types"
			}
			if _, ok := m[name]; !ok && (s["title"] != "Event" || m[declaredAs(props, name)] == nil) {
				bad("missing required %q", name)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("want array, got %T", v)
			break
		}
		items, _ := s["items"].(map[string]any)
		for i, e := range a {
			probs = append(probs, o.check(items, e, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("want string, got %T", v)
			break
		}
		if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool {
			return e == str || (e == "<YYYY-MM-DD>" && datePattern.MatchString(str))
		}) {
			bad("%q not in %v", str, enum)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("want boolean, got %T", v)
		}
	case "integer", "number":
		if _, ok := v.(float64); !ok {
			bad("want number, got %T", v)
		}
	}
	return probs
}
