package main

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/iostreams"
)

func TestTyposAreUsageErrorsNamingTheNearest(t *testing.T) {
	for _, c := range []struct {
		args    []string
		message string // in stderr
		suggest string // in the "Did you mean this?" block, "" for none
	}{
		{[]string{"doctr"}, `unknown command "doctr" for "drsetup"`, "doctor"},
		{[]string{"setp"}, `unknown command "setp" for "drsetup"`, "setup"},
		{[]string{"webhok", "list"}, `unknown command "webhok" for "drsetup"`, "webhooks"},
		{[]string{"profle"}, `unknown command "profle"`, "profiles"},
		{[]string{"webhooks", "lst"}, `unknown command "lst" for "drsetup webhooks"`, "list"},
		{[]string{"webhooks", "bogus"}, `unknown command "bogus" for "drsetup webhooks"`, ""},
		{[]string{"profiles", "delet", "acme"}, `unknown command "delet" for "drsetup profiles"`, "delete"},
		{[]string{"help", "doctr"}, `unknown command "doctr" for "drsetup"`, "doctor"},
		{[]string{"help", "webhooks", "lst"}, `unknown command "lst" for "drsetup webhooks"`, "list"},
		{[]string{"doctor", "--jsn"}, "unknown flag: --jsn", "--json"},
		{[]string{"doctor", "-json"}, "unknown shorthand flag: 'j' in -json", "--json"},
		{[]string{"--no-colour"}, "unknown flag: --no-colour", "--no-color"},
		{[]string{"webhooks", "list", "--profle", "x"}, "unknown flag: --profle", "--profile"},
		{[]string{"setup", "--my-domian", "x"}, "unknown flag: --my-domian", "--my-domain"},
		{[]string{"xyzzy"}, `unknown command "xyzzy" for "drsetup"`, ""},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			w := newCmdWorld(t, cmdScenario())
			r := w.exec(tty{}, c.args...).want(t, 2)
			if !strings.Contains(r.errOut, c.message) {
				t.Errorf("stderr lacks %q:\n%s", c.message, r.errOut)
			}
			_, block, found := strings.Cut(r.errOut, "Did you mean this?\n")
			if c.suggest == "" && found {
				t.Errorf("a suggestion for a name close to nothing:\n%s", r.errOut)
			}
			if c.suggest != "" && (!found || !strings.HasPrefix(block, "\t"+c.suggest+"\n")) {
				t.Errorf("the first suggestion is not %q:\n%s", c.suggest, r.errOut)
			}
			if !strings.Contains(r.errOut, helpHint) || r.out != "" {
				t.Errorf("a mistake in the command line points at --help and prints no result: stdout %q, stderr\n%s", r.out, r.errOut)
			}
		})
	}
}

func TestASecretGivenAsAFlagSaysWhereSecretsGo(t *testing.T) {
	for flag, env := range map[string]string{
		"--password": "DRSETUP_PASSWORD", "--client-secret": "DRSETUP_CLIENT_SECRET",
		"--security-token": "DRSETUP_SECURITY_TOKEN", "--dr-api-key": "DRSETUP_DR_API_KEY",
	} {
		w := newCmdWorld(t, cmdScenario())
		r := w.exec(tty{}, "setup", "--no-input", flag+"=hunter2").want(t, 2)
		if !strings.Contains(r.errOut, "secrets are never flags") || !strings.Contains(r.errOut, env) {
			t.Errorf("%s: stderr\n%s", flag, r.errOut)
		}
		if strings.Contains(r.errOut, "hunter2") {
			t.Errorf("%s: the message repeats the secret", flag)
		}
	}
}

// Whatever is typed where a command goes, the answer is exit 2, never a
// panic, a hang, a run of setup or help with exit 0.
func TestAnyUnknownCommandIsExit2(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 2026))
	const letters = "abcdefghijklmnopqrstuvwxyz-_0123456789ÄéЖ"
	known := map[string]bool{}
	w := newCmdWorld(t, cmdScenario())
	root := newRootCmd(&factory{IO: &iostreams.IOStreams{}, Getenv: func(string) string { return "" }})
	for _, c := range root.Commands() {
		known[c.Name()] = true
		for _, a := range c.Aliases {
			known[a] = true
		}
	}
	runes := []rune(letters)
	for i := 0; i < 300; i++ {
		n := 1 + rng.IntN(12)
		var b strings.Builder
		for range n {
			b.WriteRune(runes[rng.IntN(len(runes))])
		}
		name := b.String()
		if known[name] || strings.HasPrefix(name, "-") {
			continue
		}
		for _, args := range [][]string{{name}, {"webhooks", name}, {"profiles", name}, {"help", name}} {
			r := w.exec(tty{}, args...)
			if r.code != 2 || !strings.Contains(r.errOut, "unknown command") {
				t.Fatalf("drsetup %q: exit %d\nstderr:\n%s", args, r.code, r.errOut)
			}
		}
	}
}

func TestNearestFindsOneEditAwayAndNothingFar(t *testing.T) {
	names := []string{"setup", "doctor", "webhooks", "profiles", "version", "completion", "help", "environment"}
	rng := rand.New(rand.NewPCG(1, 9))
	for i := 0; i < 2000; i++ {
		want := names[rng.IntN(len(names))]
		r := []rune(want)
		p := rng.IntN(len(r))
		var typo string
		switch rng.IntN(3) {
		case 0: // a letter dropped
			typo = string(slices.Delete(slices.Clone(r), p, p+1))
		case 1: // a letter changed
			c := slices.Clone(r)
			c[p] = 'q'
			typo = string(c)
		default: // a letter doubled
			typo = string(slices.Insert(slices.Clone(r), p, r[p]))
		}
		if typo == want || slices.Contains(names, typo) {
			continue
		}
		if got := nearest(typo, names); !slices.Contains(got, want) {
			t.Fatalf("nearest(%q) = %q, want it to include %q", typo, got, want)
		}
		if got := nearest(strings.ToUpper(typo), names); !slices.Contains(got, want) {
			t.Fatalf("nearest ignores case: nearest(%q) = %q", strings.ToUpper(typo), got)
		}
	}
	if got := nearest("doctor", names); len(got) == 0 || got[0] != "doctor" {
		t.Errorf("the exact name comes first: %q", got)
	}
	for _, far := range []string{"zzzzzz", "x", "delete-everything", "ktulu"} {
		if got := nearest(far, names); len(got) != 0 {
			t.Errorf("nearest(%q) = %q, want nothing", far, got)
		}
	}
	if got := nearest("acme", []string{"acme-sandbox", "acme-prod", "globex"}); !slices.Equal(got, []string{"acme-sandbox", "acme-prod"}) {
		t.Errorf("a prefix suggests the names it starts: %q", got)
	}
}

func TestAliasesProfileAndWebhook(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.saveProfile("default")
	w.env["DRSETUP_DR_API_KEY"] = tKey
	for alias, name := range map[string][]string{
		"profile":      {"profiles"},
		"webhook list": {"webhooks", "list"},
	} {
		want := w.exec(tty{}, name...).want(t, 0)
		got := w.exec(tty{}, strings.Fields(alias)...).want(t, 0)
		if got.out != want.out || want.out == "" {
			t.Errorf("drsetup %s printed\n%s\nwant what drsetup %s prints:\n%s", alias, got.out, strings.Join(name, " "), want.out)
		}
	}
	r := w.exec(tty{}, "profile", "delete", "default").want(t, 0)
	if !strings.Contains(r.errOut, `Deleted profile "default"`) {
		t.Errorf("drsetup profile delete: %s", r.errOut)
	}
}

func TestAParentCommandAloneShowsItsHelp(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	r := w.exec(tty{}, "webhooks").want(t, 0)
	if !strings.Contains(r.out, "Available Commands:") || !strings.Contains(r.out, "list") {
		t.Errorf("drsetup webhooks:\n%s", r.out)
	}
}

func TestANamedProfileThatIsNotSavedIsBadUsage(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.saveProfile("acme-sandbox")
	w.env["DRSETUP_DR_API_KEY"] = tKey

	r := w.exec(tty{}, "doctor", "--profile", "acme-sandbx").want(t, 2)
	if !strings.Contains(r.errOut, `no saved profile named "acme-sandbx"; did you mean "acme-sandbox"?`) || r.out != "" {
		t.Errorf("stdout %q, stderr\n%s", r.out, r.errOut)
	}
	w.env["DRSETUP_PROFILE"] = "acme-sanbox"
	r = w.exec(tty{}, "doctor", "--json").want(t, 2)
	if !strings.Contains(r.errOut, `"acme-sandbox"`) || r.out != "" {
		t.Errorf("from DRSETUP_PROFILE: stdout %q, stderr\n%s", r.out, r.errOut)
	}
	delete(w.env, "DRSETUP_PROFILE")

	// The default profile may be missing: the key alone is checked.
	w.exec(tty{}, "doctor", "--json").want(t, 0)
	// A saved one named is checked.
	w.exec(tty{}, "doctor", "--profile", "acme-sandbox", "--json").want(t, 0)
}
