package drapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
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
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return openAPI{doc.Components.Schemas}
}

func (o openAPI) schema(name string) map[string]any {
	s, _ := o.schemas[name].(map[string]any)
	return s
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// check is the subset of OpenAPI schema validation these schemas use:
// $ref, object properties (no others allowed), required, type, enum, items.
// Two quirks of the document are allowed for: its required "type" for the
// property "types", and the enum value "<YYYY-MM-DD>", which stands for a date.
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
		for k, val := range m {
			ps, ok := props[k].(map[string]any)
			if !ok {
				bad("unknown property %q", k)
				continue
			}
			probs = append(probs, o.check(ps, val, at+"."+k)...)
		}
		req, _ := s["required"].([]any)
		for _, r := range req {
			name := r.(string)
			if _, declared := props[name]; !declared && name == "type" && props["types"] != nil {
				name = "types"
			}
			if _, ok := m[name]; !ok {
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
