package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/iostreams"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
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
		{[]string{"help", "enviroment"}, `unknown command "enviroment"`, "environment"},
		{[]string{"help", "webhooks", "lst"}, `unknown command "lst" for "drsetup webhooks"`, "list"},
		{[]string{"completion", "bsh"}, `no completion script for the shell "bsh"`, "bash"},
		{[]string{"completion"}, "name one shell", ""},
		{[]string{"doctor", "--jsn"}, "unknown flag: --jsn", "--json"},
		{[]string{"doctor", "-json"}, "unknown shorthand flag: 'j' in -json", "--json"},
		{[]string{"--no-colour"}, "unknown flag: --no-colour", "--no-color"},
		{[]string{"webhooks", "list", "--profle", "x"}, "unknown flag: --profle", "--profile"},
		{[]string{"setup", "--my-domian", "x"}, "unknown flag: --my-domian", "--my-domain"},
		{[]string{"xyzzy"}, `unknown command "xyzzy" for "drsetup"`, ""},
		{[]string{"environment", "extra"}, `"environment" is a help topic and takes no arguments, but was given "extra"`, ""},
		{[]string{"--demo", "environment", "--no-color", "extra"}, `"environment" is a help topic`, ""},
		// Cobra's and the flag parser's own words name no remedy.
		{[]string{"--demo=maybe"}, `--demo takes no value (or =true, =false), not "maybe"`, ""},
		{[]string{"doctor", "--debug-log="}, "--debug-log needs a file name", ""},
		{[]string{"doctor", "--json=yes"}, `--json takes no value (or =true, =false), not "yes"`, ""},
		{[]string{"webhooks", "get"}, "drsetup webhooks get: an argument is missing; usage: drsetup webhooks get ID", ""},
		{[]string{"webhooks", "get", "a", "b"}, "it takes 1 argument, not 2; usage: drsetup webhooks get ID", ""},
		{[]string{"webhooks", "delete"}, "an argument is missing; usage: drsetup webhooks delete ID...", ""},
		{[]string{"profiles", "delete"}, "an argument is missing; usage: drsetup profiles delete NAME", ""},
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
			if strings.Contains(r.errOut, "strconv") || strings.Contains(r.errOut, "arg(s)") {
				t.Errorf("stderr holds a library's words:\n%s", r.errOut)
			}
		})
	}
}

// The pointer to --help names the command the mistake was made in.
func TestTheHelpHintNamesTheCommand(t *testing.T) {
	for args, want := range map[string]string{
		"webhooks get":         "Run 'drsetup webhooks get --help' for usage.",
		"doctor --jsn":         "Run 'drsetup doctor --help' for usage.",
		"--no-colour":          "Run 'drsetup --help' for usage.",
		"profiles delete a b":  "Run 'drsetup profiles delete --help' for usage.",
		"webhooks list --frob": "Run 'drsetup webhooks list --help' for usage.",
	} {
		w := newCmdWorld(t, cmdScenario())
		r := w.exec(tty{}, strings.Fields(args)...).want(t, 2)
		if !strings.Contains(r.errOut, want) {
			t.Errorf("%s: stderr lacks %q:\n%s", args, want, r.errOut)
		}
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

// A key pasted where a command or an argument goes is not repeated.
func TestAKeyGivenAsAnArgumentIsNotRepeated(t *testing.T) {
	for _, args := range [][]string{
		{"sk_live_pastedkey7c3e9b1a"},
		{"webhooks", "list", "sk_test_pastedkey7c3e9b1a"},
		{"help", "sk_live_pastedkey7c3e9b1a"},
		{"doctor", "pk_live_pastedkey7c3e9b1a"},
	} {
		w := newCmdWorld(t, cmdScenario())
		r := w.exec(tty{}, args...).want(t, 2)
		key := args[len(args)-1]
		if strings.Contains(r.errOut, key) || strings.Contains(r.errOut, "pastedkey") {
			t.Errorf("%q: the key is on stderr:\n%s", args, r.errOut)
		}
		if !strings.Contains(r.errOut, "DRSETUP_DR_API_KEY") || !strings.Contains(r.errOut, key[:3]) {
			t.Errorf("%q: stderr does not say where keys go:\n%s", args, r.errOut)
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
	root := newRootCmd(newFactory(&iostreams.IOStreams{}, func(string) string { return "" }))
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

// shellWords splits an example line as a shell would, for the simple
// quoting examples use.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// Every command's help has examples, and every example is a command line
// drsetup accepts: it names that command (or one under it) and only flags
// that command has.
func TestEveryCommandHasExamplesThatParse(t *testing.T) {
	newRoot := func() *cobra.Command {
		return newRootCmd(newFactory(&iostreams.IOStreams{}, func(string) string { return "" }))
	}
	root := newRoot()
	root.InitDefaultHelpCmd()
	var cmds []*cobra.Command
	forEachCmd(root, func(c *cobra.Command) {
		if !c.Hidden && c.IsAvailableCommand() || c == root {
			cmds = append(cmds, c)
		}
	})
	if len(cmds) < 8 {
		t.Fatalf("only %d commands found", len(cmds))
	}
	assignment := regexp.MustCompile(`^[A-Z_]+=`)
	for _, c := range cmds {
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s has no examples", c.CommandPath())
			continue
		}
		for _, line := range strings.Split(c.Example, "\n") {
			line, _, _ = strings.Cut(line, " # ")
			words := shellWords(line)
			for len(words) > 0 && assignment.MatchString(words[0]) {
				words = words[1:] // VAR=value drsetup …
			}
			if i := slices.IndexFunc(words, func(w string) bool { return w == "|" || w == ">" || w == "<(drsetup" }); i >= 0 {
				words = words[:i]
			}
			if len(words) > 0 && words[0] == "source" {
				words = []string{"drsetup", "completion", "bash"}
			}
			if len(words) == 0 || words[0] != "drsetup" {
				t.Errorf("%s: the example %q does not run drsetup", c.CommandPath(), line)
				continue
			}
			fresh := newRoot()
			fresh.InitDefaultHelpCmd()
			target, rest, err := fresh.Find(words[1:])
			if err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
				continue
			}
			if !strings.HasPrefix(target.CommandPath()+" ", c.CommandPath()+" ") {
				t.Errorf("%s: the example %q runs %s", c.CommandPath(), line, target.CommandPath())
				continue
			}
			if err := target.ParseFlags(rest); err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
				continue
			}
			if target.Args != nil {
				if err := target.Args(target, target.Flags().Args()); err != nil {
					t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
				}
			}
		}
	}
}

// variablesTheCodeReads finds, in the module's non-test Go files, every
// variable read by name (Getenv, LookupEnv) and every DRSETUP_* variable
// any text mentions.
func variablesTheCodeReads(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	drsetupVar := regexp.MustCompile(`DRSETUP_[A-Z][A-Z0-9_]*`)
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "dist" || strings.HasPrefix(d.Name(), ".") && path != ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				var name string
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				case *ast.Ident:
					name = fn.Name
				}
				if (name == "Getenv" || name == "LookupEnv") && len(n.Args) == 1 {
					if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						found[v] = fset.Position(lit.Pos()).String()
					}
				}
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					for _, v := range drsetupVar.FindAllString(n.Value, -1) {
						found[v] = fset.Position(n.Pos()).String()
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Built at run time from the field names, so no literal names them.
	for _, f := range field.All() {
		found[f.EnvVar()] = "field." + string(f) + ".EnvVar()"
	}
	// Read for drsetup by the libraries it relies on (terminal detection,
	// Go's HTTP client and its certificate pool).
	for _, v := range []string{"TERM", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"} {
		found[v] = "read by a library"
	}
	return found
}

func TestHelpEnvironmentListsEveryVariableTheCodeReads(t *testing.T) {
	found := variablesTheCodeReads(t)
	for _, v := range []string{"NO_COLOR", "ACCESSIBLE", "DRSETUP_KEYRING_TIMEOUT", "DRSETUP_DEMO_SCENARIO", "DRSETUP_PROFILE", "DRSETUP_DR_API_URL"} {
		if _, ok := found[v]; !ok {
			t.Fatalf("the scan of the code missed %s: it would miss others", v)
		}
	}
	w := newCmdWorld(t, cmdScenario())
	r := w.exec(tty{}, "help", "environment").want(t, 0)
	listed := map[string]bool{}
	for _, line := range strings.Split(r.out, "\n") {
		if f := strings.Fields(line); len(f) > 1 && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") {
			listed[f[0]] = true
		}
	}
	for v, where := range found {
		if !listed[v] {
			t.Errorf("drsetup help environment does not list %s (read at %s)", v, where)
		}
	}
	// And the topic is where a user finds it.
	root := w.exec(tty{}, "--help").want(t, 0)
	if !strings.Contains(root.out, "environment") || !strings.Contains(root.out, "completion") {
		t.Errorf("drsetup --help does not list the environment topic and the completion command:\n%s", root.out)
	}
	if same := w.exec(tty{}, "environment", "--help").want(t, 0); same.out != r.out {
		t.Errorf("drsetup environment --help differs from drsetup help environment")
	}
}

// complete asks the command tree for completions as a shell does, and
// returns them without their descriptions, and the directive.
func complete(t *testing.T, w *cmdWorld, args ...string) ([]string, string) {
	t.Helper()
	r := w.exec(tty{}, append([]string{cobra.ShellCompRequestCmd}, args...)...).want(t, 0)
	lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
	var values []string
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		values = append(values, v)
	}
	return values, lines[len(lines)-1]
}

// countingKeyring fails the test on any call: completion must not touch it.
type countingKeyring struct{ t *testing.T }

func (k countingKeyring) Get(user string) (string, error) {
	k.t.Errorf("completion read the keyring (%s)", user)
	return "", profile.ErrNoSecret
}
func (k countingKeyring) Set(user, _ string) error {
	k.t.Errorf("completion wrote the keyring (%s)", user)
	return nil
}
func (k countingKeyring) Delete(user string) error {
	k.t.Errorf("completion deleted from the keyring (%s)", user)
	return nil
}

func TestCompletionValues(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.saveProfile("default")
	w.saveProfile("acme-sandbox")
	dir := filepath.Dir(filepath.Dir(w.store.Path("x")))
	w.store = profile.NewStore(dir, countingKeyring{t})

	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"setup", "--environment", ""}, []string{"production", "sandbox"}},
		{[]string{"doctor", "--environment", "s"}, []string{"production", "sandbox"}}, // the shell filters by prefix
		{[]string{"--auth", ""}, []string{"password", "client-credentials"}},
		{[]string{"doctor", "--auth", ""}, []string{"password", "client-credentials"}},
		{[]string{"doctor", "--profile", ""}, []string{"acme-sandbox", "default"}},
		{[]string{"webhooks", "list", "--profile", ""}, []string{"acme-sandbox", "default"}},
		{[]string{"--demo", "doctor", "--profile", ""}, nil}, // the demo saves nothing
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish", "powershell"}},
		{[]string{"help", "web"}, []string{"webhooks"}},
		// Names and ids from the saved files, never from Digital River.
		{[]string{"profiles", "delete", ""}, []string{"acme-sandbox", "default"}},
		{[]string{"profiles", "delete", "default", ""}, nil},
		{[]string{"webhooks", "get", ""}, []string{tHookID}},
		{[]string{"webhooks", "delete", tHookID, ""}, nil},
	} {
		got, directive := complete(t, w, c.args...)
		if !slices.Equal(got, c.want) {
			t.Errorf("completing %q: %q, want %q", c.args, got, c.want)
		}
		if !strings.HasPrefix(directive, ":") {
			t.Errorf("completing %q: no directive line: %q", c.args, directive)
		}
	}
	for _, v := range flagValues["environment"] {
		name, _, _ := strings.Cut(v, "\t")
		if _, err := sfcheck.ParseEnvironment(name); err != nil {
			t.Errorf("completed environment %q is not accepted: %v", name, err)
		}
	}
	for _, v := range flagValues["auth"] {
		name, _, _ := strings.Cut(v, "\t")
		if _, err := sfcheck.ParseFlow(name); err != nil {
			t.Errorf("completed auth %q is not accepted: %v", name, err)
		}
	}

	// Event types one after another, without the ones already given.
	got, directive := complete(t, w, "doctor", "--events", "order.accepted,order.c")
	want := []string{"order.accepted,order.cancelled", "order.accepted,order.complete", "order.accepted,order.credit_memo.created"}
	if !slices.Equal(got, want) {
		t.Errorf("completing events: %q, want %q", got, want)
	}
	if d, _ := strconv.Atoi(strings.TrimPrefix(directive, ":")); cobra.ShellCompDirective(d)&cobra.ShellCompDirectiveNoSpace == 0 {
		t.Errorf("events completion must not add a space (another type may follow): directive %s", directive)
	}
	got, _ = complete(t, w, "setup", "--events", "")
	if !slices.Equal(got, drapi.AppEvents) {
		t.Errorf("completing the first event type: %q", got)
	}
	got, _ = complete(t, w, "setup", "--events", strings.Join(drapi.AppEvents, ",")+",")
	if len(got) != 0 {
		t.Errorf("every type given, yet %q offered", got)
	}
}

// --app is the kind of Salesforce app: completed on every command that has
// it.
func TestCompletionOfTheAppFlag(t *testing.T) {
	f := newFactory(&iostreams.IOStreams{}, func(string) string { return "" })
	root := newRootCmd(f)
	setup, _, _ := root.Find([]string{"setup"})
	fn, ok := setup.GetFlagCompletionFunc("app")
	if !ok {
		t.Fatal("--app has no completion")
	}
	values, _ := fn(setup, nil, "")
	if !slices.Equal(values, flagValues["app"]) {
		t.Errorf("--app completes %q", values)
	}
}

func TestCompletionScripts(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	for shell, want := range map[string]string{
		"bash":       "__start_drsetup",
		"zsh":        "#compdef drsetup",
		"fish":       "complete -c drsetup",
		"powershell": "Register-ArgumentCompleter",
	} {
		r := w.exec(tty{}, "completion", shell).want(t, 0)
		if !strings.Contains(r.out, want) || !strings.Contains(r.out, "__complete") {
			t.Errorf("drsetup completion %s does not print its script", shell)
		}
		if r.errOut != "" {
			t.Errorf("drsetup completion %s wrote to stderr: %s", shell, r.errOut)
		}
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

func TestUsageErrorsAreNotWrittenTwice(t *testing.T) {
	// The wrapper that turns cobra's argument errors into usage errors
	// must not stack its words on an error that is already one.
	w := newCmdWorld(t, cmdScenario())
	r := w.exec(tty{}, "completion", "bsh").want(t, 2)
	if strings.Count(r.errOut, "no completion script") != 1 {
		t.Errorf("stderr:\n%s", r.errOut)
	}
}

// Flags that contradict each other are refused before any prompt, as
// --no-input refuses them: the wizard would otherwise pick one quietly.
func TestContradictingFlagsAreRefusedBeforeThePrompts(t *testing.T) {
	for _, mode := range [][]string{{"--accessible"}, {}} {
		w := newCmdWorld(t, cmdScenario())
		args := append([]string{"setup", "--app", "external-client-app", "--auth", "password", "--environment", "staging"}, mode...)
		r := w.exec(tty{}, args...).want(t, 2)
		for _, want := range []string{"does not offer the username-password flow", `"staging" is not an environment`} {
			if !strings.Contains(r.errOut, want) {
				t.Errorf("%v: stderr lacks %q:\n%s", mode, want, r.errOut)
			}
		}
	}
}
