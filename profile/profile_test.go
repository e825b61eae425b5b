package profile

import (
	"errors"
	"strings"
	"testing"
)

func TestValidNameAcceptsLettersDigitsDashUnderscore(t *testing.T) {
	for _, name := range []string{"default", "a", "Acme-Sandbox_2", strings.Repeat("x", 64), "con1", "lpt10", "-", "_"} {
		if err := ValidName(name); err != nil {
			t.Errorf("ValidName(%q) = %v, want nil", name, err)
		}
	}
}

func TestValidNameSaysWhichRuleIsBroken(t *testing.T) {
	cases := []struct {
		name string
		want string // part of the message
	}{
		{"", "empty"},
		{strings.Repeat("x", 65), "65 characters"},
		{"acme sandbox", `contains ' '`},
		{"../etc", `contains '.'`},
		{"a/b", `contains '/'`},
		{`a\b`, `contains '\\'`},
		{"prod.json", `contains '.'`},
		{"café", `contains 'é'`},
		{"CON", "Windows reserves"},
		{"nul", "Windows reserves"},
		{"com1", "Windows reserves"},
	}
	for _, c := range cases {
		err := ValidName(c.name)
		var ne *NameError
		if !errors.As(err, &ne) {
			t.Errorf("ValidName(%q) = %v, want a *NameError", c.name, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("ValidName(%q) = %q, want it to mention %q", c.name, err, c.want)
		}
		if c.name != "" && !strings.Contains(err.Error(), "letters, digits") && !strings.Contains(err.Error(), "Windows") {
			t.Errorf("ValidName(%q) = %q, want it to state the rule", c.name, err)
		}
	}
}

func TestNameFromPrefersFlagThenEnvThenDefault(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "DRSETUP_PROFILE" {
				return v
			}
			return ""
		}
	}
	cases := []struct {
		desc    string
		flag    string
		flagSet bool
		getenv  func(string) string
		want    string
	}{
		{"flag wins over env", "staging", true, env("prod"), "staging"},
		{"env when no flag", "", false, env("prod"), "prod"},
		{"default when neither", "", false, env(""), DefaultName},
		{"nil getenv", "", false, nil, DefaultName},
		{"explicit empty flag stays empty for ValidName to report", "", true, env("prod"), ""},
		{"lower-cased", "Acme", true, nil, "acme"},
		{"env lower-cased", "", false, env("ACME"), "acme"},
	}
	for _, c := range cases {
		if got := NameFrom(c.flag, c.flagSet, c.getenv); got != c.want {
			t.Errorf("%s: NameFrom = %q, want %q", c.desc, got, c.want)
		}
	}
}
