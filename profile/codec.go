package profile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/drsetup/drsetup/field"
)

// The profile file is one JSON object: the format version, the name, each
// non-secret setup value under its field's profile key (field.ProfileKey; a
// list field as a JSON list), then what drsetup recorded of the last setup
// and, since doctor records it, of the last doctor run that found it sound
// (lastVerified: a file without it reads as never verified, and a drsetup
// that does not know it ignores it).
// Keys keep this order, so a file reads the same as the setup's steps.

// marshalProfile is the file form of p, indented, with the current
// SchemaVersion.
func marshalProfile(p Profile) ([]byte, error) {
	type kv struct {
		key string
		v   any
	}
	pairs := []kv{{"schemaVersion", SchemaVersion}, {"name", p.Name}}
	for _, f := range field.All() {
		switch key, v := f.ProfileKey(), p.Get(f); {
		case key == "" || v == "":
		case f.List():
			pairs = append(pairs, kv{key, p.List(f)})
		default:
			pairs = append(pairs, kv{key, v})
		}
	}
	for _, x := range []kv{{"drMode", p.DRMode}, {"webhookId", p.WebhookID}, {"orgId", p.OrgID}} {
		if x.v != "" {
			pairs = append(pairs, x)
		}
	}
	if !p.LastSetup.IsZero() {
		pairs = append(pairs, kv{"lastSetup", p.LastSetup})
	}
	if !p.LastVerified.IsZero() {
		pairs = append(pairs, kv{"lastVerified", p.LastVerified})
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, x := range pairs {
		k, _ := json.Marshal(x.key)
		v, err := json.Marshal(x.v)
		if err != nil {
			return nil, fmt.Errorf("encoding the profile's %s: %w", x.key, err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// unmarshalProfile reads a file's profile. Unknown keys are ignored (a file
// of the same version from a drsetup with more fields stays readable); a key
// of the wrong JSON type is a *json.UnmarshalTypeError naming it, as
// encoding/json reports a struct field.
func unmarshalProfile(data []byte) (Profile, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return Profile{}, err
	}
	var p Profile
	str := func(key string, dst *string) error {
		m, ok := raw[key]
		if !ok || string(m) == "null" {
			return nil
		}
		if err := json.Unmarshal(m, dst); err != nil {
			return named(err, key)
		}
		return nil
	}
	if err := str("name", &p.Name); err != nil {
		return Profile{}, err
	}
	for _, f := range field.All() {
		key := f.ProfileKey()
		m, ok := raw[key]
		if key == "" || !ok || string(m) == "null" {
			continue
		}
		if f.List() {
			var list []string
			if err := json.Unmarshal(m, &list); err != nil {
				return Profile{}, named(err, key)
			}
			p.Set(f, joinEvents(list))
			continue
		}
		var v string
		if err := json.Unmarshal(m, &v); err != nil {
			return Profile{}, named(err, key)
		}
		p.Set(f, v)
	}
	for key, dst := range map[string]*string{"drMode": &p.DRMode, "webhookId": &p.WebhookID, "orgId": &p.OrgID} {
		if err := str(key, dst); err != nil {
			return Profile{}, err
		}
	}
	for key, dst := range map[string]*time.Time{"lastSetup": &p.LastSetup, "lastVerified": &p.LastVerified} {
		if m, ok := raw[key]; ok && string(m) != "null" {
			if err := json.Unmarshal(m, dst); err != nil {
				return Profile{}, &keyError{key: key, err: named(err, key)}
			}
		}
	}
	return p, nil
}

// keyError says which key of the file a value that would not decode was
// under, where the error itself does not (a time that is not one).
type keyError struct {
	key string
	err error
}

func (e *keyError) Error() string { return e.key + ": " + e.err.Error() }
func (e *keyError) Unwrap() error { return e.err }

// named gives a type error the key it is about.
func named(err error, key string) error {
	if te, ok := err.(*json.UnmarshalTypeError); ok && te.Field == "" {
		te.Field = key
	}
	return err
}

func joinEvents(list []string) string {
	var b bytes.Buffer
	for i, e := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(e)
	}
	return b.String()
}
