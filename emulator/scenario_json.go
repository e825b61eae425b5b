package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

// drTimeLayout is how Digital River writes times: UTC with milliseconds.
const drTimeLayout = "2006-01-02T15:04:05.000Z"

// webhookWire is a Webhook as Digital River sends it.
type webhookWire struct {
	ID             string     `json:"id"`
	Address        string     `json:"address"`
	Types          []string   `json:"types"`
	APIVersion     string     `json:"apiVersion"`
	Enabled        *bool      `json:"enabled"`
	TransportType  string     `json:"transportType"`
	OAuth          *OAuth     `json:"oauth,omitempty"`
	Authentication *BasicAuth `json:"authentication,omitempty"`
	LiveMode       bool       `json:"liveMode"`
	CreatedTime    string     `json:"createdTime"`
	UpdatedTime    string     `json:"updatedTime"`
}

// MarshalJSON writes Digital River's wire form, secrets in plain text as the
// API returns them.
func (w Webhook) MarshalJSON() ([]byte, error) {
	types := w.Types
	if types == nil {
		types = []string{}
	}
	return json.Marshal(webhookWire{
		ID:             w.ID,
		Address:        w.Address,
		Types:          types,
		APIVersion:     w.APIVersion,
		Enabled:        &w.Enabled,
		TransportType:  w.TransportType,
		OAuth:          w.OAuth,
		Authentication: w.Authentication,
		LiveMode:       w.LiveMode,
		CreatedTime:    w.CreatedTime.UTC().Format(drTimeLayout),
		UpdatedTime:    w.UpdatedTime.UTC().Format(drTimeLayout),
	})
}

// UnmarshalJSON reads Digital River's wire form. An absent "enabled" means
// true, Digital River's default; absent times stay zero.
func (w *Webhook) UnmarshalJSON(b []byte) error {
	var in webhookWire
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	out, err := in.webhook("")
	if err != nil {
		return err
	}
	*w = out
	return nil
}

func (in webhookWire) webhook(at string) (Webhook, error) {
	w := Webhook{
		ID:             in.ID,
		Address:        in.Address,
		Types:          in.Types,
		APIVersion:     in.APIVersion,
		Enabled:        in.Enabled == nil || *in.Enabled,
		TransportType:  in.TransportType,
		OAuth:          in.OAuth,
		Authentication: in.Authentication,
		LiveMode:       in.LiveMode,
	}
	for _, t := range []struct {
		name string
		in   string
		out  *time.Time
	}{{"createdTime", in.CreatedTime, &w.CreatedTime}, {"updatedTime", in.UpdatedTime, &w.UpdatedTime}} {
		if t.in == "" {
			continue
		}
		v, err := time.Parse(time.RFC3339Nano, t.in)
		if err != nil {
			return w, fieldErr(strings.TrimPrefix(at+"."+t.name, "."), "%q is not an ISO-8601 time such as 2024-05-01T09:00:00.000Z", t.in)
		}
		*t.out = v
	}
	return w, nil
}

// The JSON form of a scenario. Flags that describe a working setup
// (packageInstalled, active, approved, classAccess, canWebhooks, enabled)
// default to true when absent, so a JSON scenario says only what is broken.
type (
	scenarioJSON struct {
		Orgs         []orgJSON   `json:"orgs"`
		DigitalRiver accountJSON `json:"digitalRiver"`
		Faults       faultsJSON  `json:"faults"`
	}
	orgJSON struct {
		MyDomain                string     `json:"myDomain"`
		Sandbox                 bool       `json:"sandbox"`
		OrgID                   string     `json:"orgId"`
		PackageInstalled        *bool      `json:"packageInstalled"`
		UsernamePasswordBlocked bool       `json:"usernamePasswordBlocked"`
		Apps                    []appJSON  `json:"apps"`
		Users                   []userJSON `json:"users"`

		orgEvidenceJSON // evidence_json.go
	}
	appJSON struct {
		Name              string `json:"name"`
		ClientID          string `json:"clientId"`
		ClientSecret      string `json:"clientSecret"`
		AdminApprovedOnly bool   `json:"adminApprovedOnly"`
		ClientCredentials bool   `json:"clientCredentials"`
		RunAsUser         string `json:"runAsUser"`
		External          bool   `json:"external"`
	}
	userJSON struct {
		Username      string `json:"username"`
		Password      string `json:"password"`
		SecurityToken string `json:"securityToken"`
		UserID        string `json:"userId"`
		Active        *bool  `json:"active"`
		TrustedIP     bool   `json:"trustedIp"`
		IPRestricted  bool   `json:"ipRestricted"`
		Approved      *bool  `json:"approved"`
		ClassAccess   *bool  `json:"classAccess"`

		userEvidenceJSON // evidence_json.go
	}
	accountJSON struct {
		Keys                    []keyJSON     `json:"keys"`
		Webhooks                []webhookWire `json:"webhooks"`
		BareArrayList           bool          `json:"bareArrayList"`
		ListLag                 string        `json:"listLag"`      // a Go duration: "3s"
		PatchOmitted            string        `json:"patchOmitted"` // "", "keep" or "clear"
		RefuseClientCredentials bool          `json:"refuseClientCredentials"`

		Events []eventJSON `json:"events"` // evidence_json.go
	}
	keyJSON struct {
		Key         string `json:"key"`
		Mode        string `json:"mode"`
		Public      bool   `json:"public"`
		CanWebhooks *bool  `json:"canWebhooks"`
	}
	faultsJSON struct {
		Latency            map[string]string          `json:"latency"` // Go durations: "250ms", "2s"
		RateLimit          map[string]rateLimitJSON   `json:"rateLimit"`
		ServerErrors       map[string]statusFaultJSON `json:"serverErrors"`
		DropCreateResponse int                        `json:"dropCreateResponse"`
		HoldCreateResponse int                        `json:"holdCreateResponse"`
		StoreDifferently   int                        `json:"storeCreatesDifferently"`
		Silent             map[string]bool            `json:"silent"`
		UnknownError       map[string]int             `json:"unknownError"`
	}
	rateLimitJSON struct {
		Count      int `json:"count"`
		RetryAfter int `json:"retryAfter"`
	}
	statusFaultJSON struct {
		Count  int `json:"count"`
		Status int `json:"status"`
	}
)

// maxScenarioSize bounds what LoadScenario reads; a scenario of 250 webhooks
// is well under 1 MiB.
const maxScenarioSize = 8 << 20

// LoadScenario reads a scenario from its JSON form (see scenarioJSON's field
// tags: "orgs", "digitalRiver", "faults"; webhooks in Digital River's wire
// form; latencies as Go durations such as "250ms"). Flags that describe a
// working setup default to true when absent. Every error is a *ScenarioError
// naming the bad field.
func LoadScenario(r io.Reader) (Scenario, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxScenarioSize+1))
	if err != nil {
		return Scenario{}, &ScenarioError{Problem: "could not be read: " + err.Error()}
	}
	if len(data) > maxScenarioSize {
		return Scenario{}, &ScenarioError{Problem: "is larger than 8 MiB"}
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return Scenario{}, syntaxError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Scenario{}, &ScenarioError{Problem: "has more after its JSON object"}
	}
	if _, ok := tree.(map[string]any); !ok {
		return Scenario{}, &ScenarioError{Problem: "must be a JSON object with orgs, digitalRiver and faults"}
	}
	if err := checkShape(tree, reflect.TypeFor[scenarioJSON](), ""); err != nil {
		return Scenario{}, err
	}
	var in scenarioJSON
	if err := json.Unmarshal(data, &in); err != nil {
		// checkShape has vetted every key and type, so this is a bug here.
		return Scenario{}, &ScenarioError{Problem: "could not be decoded: " + err.Error()}
	}
	s, err := in.scenario()
	if err != nil {
		return Scenario{}, err
	}
	if _, err := s.normalized(); err != nil {
		return Scenario{}, err
	}
	return s, nil
}

func (in scenarioJSON) scenario() (Scenario, error) {
	orTrue := func(b *bool) bool { return b == nil || *b }
	var s Scenario
	for oi, o := range in.Orgs {
		org := Org{
			MyDomain:                o.MyDomain,
			Sandbox:                 o.Sandbox,
			OrgID:                   o.OrgID,
			PackageInstalled:        orTrue(o.PackageInstalled),
			UsernamePasswordBlocked: o.UsernamePasswordBlocked,
		}
		for _, a := range o.Apps {
			org.Apps = append(org.Apps, ConnectedApp(a))
		}
		for ui, u := range o.Users {
			org.Users = append(org.Users, User{
				Username:      u.Username,
				Password:      u.Password,
				SecurityToken: u.SecurityToken,
				UserID:        u.UserID,
				Active:        orTrue(u.Active),
				TrustedIP:     u.TrustedIP,
				IPRestricted:  u.IPRestricted,
				Approved:      orTrue(u.Approved),
				ClassAccess:   orTrue(u.ClassAccess),
			})
			if err := u.userEvidenceJSON.apply(&org.Users[ui], fmt.Sprintf("orgs[%d].users[%d]", oi, ui)); err != nil {
				return s, err
			}
		}
		if err := o.orgEvidenceJSON.apply(&org, fmt.Sprintf("orgs[%d]", oi)); err != nil {
			return s, err
		}
		s.Orgs = append(s.Orgs, org)
	}
	for _, k := range in.DigitalRiver.Keys {
		s.DigitalRiver.Keys = append(s.DigitalRiver.Keys, Key{Key: k.Key, Mode: k.Mode, Public: k.Public, CanWebhooks: orTrue(k.CanWebhooks)})
	}
	for i, w := range in.DigitalRiver.Webhooks {
		hook, err := w.webhook(fmt.Sprintf("digitalRiver.webhooks[%d]", i))
		if err != nil {
			return s, err
		}
		s.DigitalRiver.Webhooks = append(s.DigitalRiver.Webhooks, hook)
	}
	s.DigitalRiver.BareArrayList = in.DigitalRiver.BareArrayList
	events, err := eventsFromJSON(in.DigitalRiver.Events)
	if err != nil {
		return s, err
	}
	s.DigitalRiver.Events = events
	s.DigitalRiver.PatchOmitted = in.DigitalRiver.PatchOmitted
	s.DigitalRiver.RefuseClientCredentials = in.DigitalRiver.RefuseClientCredentials
	if lag := in.DigitalRiver.ListLag; lag != "" {
		d, err := time.ParseDuration(lag)
		if err != nil {
			return s, fieldErr("digitalRiver.listLag", "%q is not a duration such as \"3s\" or \"1m\"", lag)
		}
		s.DigitalRiver.ListLag = d
	}

	f := in.Faults
	s.Faults = Faults{DropCreateResponse: f.DropCreateResponse, HoldCreateResponse: f.HoldCreateResponse, StoreCreatesDifferently: f.StoreDifferently,
		Silent: f.Silent, UnknownError: f.UnknownError}
	for h, d := range f.Latency {
		v, err := time.ParseDuration(d)
		if err != nil {
			return s, fieldErr(fmt.Sprintf("faults.latency[%q]", h), "%q is not a duration such as \"250ms\" or \"2s\"", d)
		}
		if s.Faults.Latency == nil {
			s.Faults.Latency = map[string]time.Duration{}
		}
		s.Faults.Latency[h] = v
	}
	for h, r := range f.RateLimit {
		if s.Faults.RateLimit == nil {
			s.Faults.RateLimit = map[string]RateLimitFault{}
		}
		s.Faults.RateLimit[h] = RateLimitFault(r)
	}
	for h, e := range f.ServerErrors {
		if s.Faults.ServerErrors == nil {
			s.Faults.ServerErrors = map[string]StatusFault{}
		}
		s.Faults.ServerErrors[h] = StatusFault(e)
	}
	return s, nil
}

// syntaxError places a JSON decoding error at its line and column.
func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		if errors.Is(err, io.EOF) {
			return &ScenarioError{Problem: "is empty"}
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return &ScenarioError{Problem: "ends before its JSON does (a bracket or quote is not closed)"}
		}
		return &ScenarioError{Problem: "is not valid JSON: " + err.Error()}
	}
	// Offset counts the offending byte; the column is that byte's.
	before := data[:max(0, min(int(se.Offset)-1, len(data)))]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return &ScenarioError{Problem: fmt.Sprintf("is not valid JSON at line %d, column %d: %s", line, col, strings.TrimPrefix(se.Error(), "json: "))}
}

// checkShape walks a decoded JSON value against the Go type it will be
// decoded into, so an unknown or misspelt key, or a value of the wrong kind,
// is reported with its full path (encoding/json names neither the index nor,
// for unknown keys, the place).
func checkShape(v any, t reflect.Type, at string) error {
	if v == nil {
		return nil // null leaves the Go value as it is
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	wrong := func(want string) error {
		return fieldErr(at, "want %s, got %s", want, jsonKind(v))
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return wrong("an object")
		}
		fields := jsonFields(t)
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			f, ok := fields[k]
			if !ok {
				problem := "unknown field"
				for name := range fields {
					if strings.EqualFold(name, k) {
						problem += fmt.Sprintf(" (did you mean %q?)", name)
					}
				}
				return fieldErr(join(at, k), "%s", problem)
			}
			if err := checkShape(obj[k], f, join(at, k)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			return wrong("an array")
		}
		for i, e := range arr {
			if err := checkShape(e, t.Elem(), fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return wrong("an object")
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if err := checkShape(obj[k], t.Elem(), fmt.Sprintf("%s[%q]", at, k)); err != nil {
				return err
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return wrong("a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return wrong("true or false")
		}
	case reflect.Int:
		n, ok := v.(json.Number)
		if !ok {
			return wrong("a whole number")
		}
		if _, err := n.Int64(); err != nil {
			return wrong("a whole number")
		}
	}
	return nil
}

// jsonFields maps each JSON key of struct type t (every field is tagged, or
// an untagged embedded struct whose keys are promoted, as encoding/json
// promotes them) to its field type.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" && f.Anonymous && f.Type.Kind() == reflect.Struct {
			maps.Copy(fields, jsonFields(f.Type))
			continue
		}
		fields[name] = f.Type
	}
	return fields
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "true or false"
	case json.Number:
		return "a number"
	}
	return "null"
}
