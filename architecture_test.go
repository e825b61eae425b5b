package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// The rooms of DESIGN.md's Architecture: a package may import only packages
// of a lower layer (the leaves may also import each other, and ui's own
// packages each other). Test files may import the emulator and anything
// below their package's layer.
var layers = map[string]int{
	"field": 0, "text": 0, "secret": 0, "buildinfo": 0, "httpx": 0, "regularfile": 0,
	"sfcheck": 1, "drapi": 1, "profile": 1, "debuglog": 1, "iostreams": 1, "emulator": 1,
	"explain": 2,
	"steps":   3,
	"doctor":  4,
	"ui":      5, "ui/plain": 5, "ui/doctorview": 5, "ui/theme": 5, "ui/urltext": 5, "ui/table": 5,
	"": 6, // main

	// Test support: only tests import these.
	"secret/secrettest":     0,
	"emulator/emulatortest": 2,
}

const module = "github.com/drsetup/drsetup"

// thirdParty says which of our packages may import a library family.
var thirdParty = []struct {
	prefix  string
	allowed func(pkg string) bool
	why     string
}{
	{"charm.land/", isUI, "only ui draws the terminal (Bubble Tea, Bubbles, Lip Gloss)"},
	{"github.com/charmbracelet/", isUI, "only ui draws the terminal (Bubble Tea's companions)"},
	{"github.com/zalando/go-keyring", func(p string) bool { return p == "profile" }, "only profile talks to the keyring"},
}

// testSupport packages (emulatortest, secrettest) exist for tests only.
func testSupport(p string) bool { return strings.HasSuffix(p, "test") }

func isUI(p string) bool { return p == "ui" || strings.HasPrefix(p, "ui/") }

type listed struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

func goList(t *testing.T) []listed {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listed
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func rel(path string) (string, bool) {
	if path == module {
		return "", true
	}
	p, ok := strings.CutPrefix(path, module+"/")
	return p, ok
}

func TestPackagesKeepToTheirRooms(t *testing.T) {
	pkgs := goList(t)
	if len(pkgs) < len(layers) {
		t.Fatalf("go list found %d packages, fewer than the %d the rules name", len(pkgs), len(layers))
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
}

// violations lists every import that crosses the rooms.
func violations(pkgs []listed) []string {
	var out []string
	for _, p := range pkgs {
		me, _ := rel(p.ImportPath)
		layer, known := layers[me]
		if !known {
			out = append(out, fmt.Sprintf("package %q has no layer: add it to the rules in architecture_test.go and to the README's layout", me))
			continue
		}
		check := func(imports []string, test bool) {
			for _, imp := range imports {
				for _, tp := range thirdParty {
					if strings.HasPrefix(imp, tp.prefix) && !tp.allowed(me) && !(test && me == "") {
						out = append(out, fmt.Sprintf("%s imports %s: %s", show(me), imp, tp.why))
					}
				}
				dep, ours := rel(imp)
				if !ours || dep == me {
					continue
				}
				if dep == "emulator" && (test || me == "" || me == "emulator/emulatortest") || testSupport(dep) && test {
					continue // the simulator serves tests and --demo; test helpers serve tests
				}
				dl, ok := layers[dep]
				switch {
				case !ok:
					out = append(out, fmt.Sprintf("%s imports %s, which has no layer", show(me), dep))
				case dep == "emulator" || testSupport(dep):
					out = append(out, fmt.Sprintf("%s imports %s outside its tests: only main (--demo) and tests may use the simulator", show(me), dep))
				case dl < layer:
				case dl == layer && (dl == 0 || isUI(me) && isUI(dep)):
				default:
					out = append(out, fmt.Sprintf("%s (layer %d) imports %s (layer %d): dependencies point one way, ui → doctor → steps → explain → sfcheck/drapi/profile → leaves", show(me), layer, dep, dl))
				}
			}
		}
		check(p.Imports, false)
		check(append(p.TestImports, p.XTestImports...), true)
	}
	return out
}

func show(p string) string {
	if p == "" {
		return "main"
	}
	return p
}

func TestArchitectureRuleCatchesEachKindOfCrossing(t *testing.T) {
	m := func(p string) string { return module + "/" + p }
	for _, c := range []struct {
		pkg     listed
		crosses bool
	}{
		{listed{ImportPath: m("drapi"), Imports: []string{m("sfcheck")}}, true},
		{listed{ImportPath: m("sfcheck"), Imports: []string{m("steps")}}, true},
		{listed{ImportPath: m("steps"), Imports: []string{m("doctor")}}, true},
		{listed{ImportPath: m("doctor"), Imports: []string{"charm.land/bubbletea/v2"}}, true},
		{listed{ImportPath: m("steps"), Imports: []string{"github.com/zalando/go-keyring"}}, true},
		{listed{ImportPath: m("profile"), Imports: []string{m("emulator")}}, true},
		{listed{ImportPath: module, Imports: []string{m("emulator/emulatortest")}}, true},
		{listed{ImportPath: m("steps"), TestImports: []string{m("emulator/emulatortest")}}, false},
		{listed{ImportPath: m("newthing")}, true},
		{listed{ImportPath: m("doctor"), Imports: []string{m("steps"), m("text")}}, false},
		{listed{ImportPath: m("sfcheck"), TestImports: []string{m("emulator")}}, false},
		{listed{ImportPath: m("ui"), Imports: []string{m("ui/theme"), "charm.land/lipgloss/v2"}}, false},
		{listed{ImportPath: module, Imports: []string{m("emulator"), m("ui")}}, false},
		{listed{ImportPath: m("httpx"), Imports: []string{m("buildinfo")}}, false},
	} {
		if got := len(violations([]listed{c.pkg})) > 0; got != c.crosses {
			t.Errorf("%s importing %v %v: crosses = %v, want %v", c.pkg.ImportPath, c.pkg.Imports, c.pkg.TestImports, got, c.crosses)
		}
	}
}
