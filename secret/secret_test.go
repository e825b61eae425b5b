package secret

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const plain = "s3cr3t-P@ss!"

func TestValueNeverPrints(t *testing.T) {
	type holder struct {
		Name     string
		Password Value
		ptr      *Value
	}
	v := Value(plain)
	h := holder{Name: "x", Password: v, ptr: &v}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10s", "%d"} {
		outs = append(outs, fmt.Sprintf(verb, v), fmt.Sprintf(verb, h), fmt.Sprintf(verb, &h))
	}
	outs = append(outs, fmt.Sprint(v), fmt.Sprintln(h), v.String())
	j, _ := json.Marshal(h)
	outs = append(outs, string(j))
	txt, _ := v.MarshalText()
	outs = append(outs, string(txt))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "pw", v, "h", h)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "pw", v)
	outs = append(outs, buf.String())
	for _, o := range outs {
		if strings.Contains(o, plain) || strings.Contains(o, fmt.Sprintf("%x", plain)) {
			t.Errorf("secret leaked in %q", o)
		}
	}
	if !strings.Contains(fmt.Sprintf("%v", v), Masked) {
		t.Errorf("a set secret should print as %q", Masked)
	}
	if v.Reveal() != plain {
		t.Error("Reveal must return the value")
	}
	if fmt.Sprint(Value("")) != "" {
		t.Error("an empty secret prints empty, so a missing value is visible")
	}
}

func TestMaskKeepsOnlyTheKeyKind(t *testing.T) {
	cases := map[string]string{
		"sk_test_4f0c0a1b2c3d":  "sk_test_" + Masked,
		"sk_9f8e7d6c5b4a":       "sk_" + Masked,
		"pk_test_abcdefgh":      "pk_test_" + Masked,
		"hunter2":               Masked,
		"":                      "",
		"sk_1":                  Masked,
		"00Dxx0000001gPL!AQ4AQ": Masked,
	}
	for in, want := range cases {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}
