package profile

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the profile file parser: it must
// either return a profile that encodes and decodes back unchanged, or say in
// words what is wrong. (Load is decode behind a bounded read; the tests in
// store_test.go show Load never changes the file.)
func FuzzDecode(f *testing.F) {
	golden, err := os.ReadFile("testdata/profile-v1.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(golden), "", "{", "null", "[]", `{"schemaVersion":1}`, `{"schemaVersion":2}`,
		`{"schemaVersion":1,"events":null,"lastSetup":"0001-01-01T00:00:00Z"}`,
		`{"schemaVersion":1.5}`, `{"schemaVersion":-1}`, `{"schemaVersion":1}{"schemaVersion":1}`,
		`{"schemaVersion":1,"name":"\u0000","myDomain":"\ud800"}`,
		`{"schemaVersion":1,"lastSetup":"yesterday"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, ferr := decode(data)
		if ferr != nil {
			if ferr.Kind != FileDamaged && ferr.Kind != FileNewerSchema || ferr.Reason == "" {
				t.Fatalf("decode error %#v says nothing useful", ferr)
			}
			return
		}
		enc, err := marshalProfile(p)
		if err != nil {
			t.Fatalf("a decoded profile does not encode: %v", err)
		}
		again, ferr := decode(enc)
		if ferr != nil {
			t.Fatalf("a saved profile does not decode: %v\n%s", ferr, enc)
		}
		// Times keep their instant, not necessarily their zone's name.
		if !again.LastSetup.Equal(p.LastSetup) {
			t.Fatalf("LastSetup %v became %v", p.LastSetup, again.LastSetup)
		}
		again.LastSetup = p.LastSetup
		if len(p.Values) == 0 && len(again.Values) == 0 {
			p.Values, again.Values = nil, nil
		}
		// Invalid UTF-8 comes back as U+FFFD: compare what was encoded.
		want, _ := json.Marshal(p)
		got, _ := json.Marshal(again)
		if string(want) != string(got) {
			t.Fatalf("round trip changed the profile:\n%s\n%s", want, got)
		}
	})
}

// FuzzValidName checks that every name ValidName accepts is safe as a file
// name and a keyring entry, whatever the bytes.
func FuzzValidName(f *testing.F) {
	for _, seed := range []string{"default", "", "../x", "a/b", "con", "A-b_9", strings.Repeat("z", 65), "é"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if ValidName(name) != nil {
			return
		}
		c := canonical(name)
		if len(c) == 0 || len(c) > maxNameLen || strings.ContainsAny(c, `/\.: `) || windowsReserved[c] || ValidName(c) != nil {
			t.Fatalf("ValidName accepted %q", name)
		}
	})
}
