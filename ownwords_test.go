package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/drsetup/drsetup/secret"
)

// ownWords returns every word of six letters or more in the string literals
// of drsetup's code: its messages, and the fixed answers of Salesforce and
// Digital River it recognises. The emulator is left out: its literals are
// the demo's values, secrets among them.
func ownWords(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != "." && (d.Name() == "testdata" || d.Name() == "emulator" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Errorf("%s: %v", path, err)
				}
				for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
					if utf8.RuneCountInString(w) >= 6 {
						seen[w] = true
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
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	slices.Sort(words)
	return words
}

// The redactor leaves drsetup's own words readable where a secret only
// starts like one (a password "Salesforce#2026" and the words "Salesforce
// refused the login"), so it must know every one of them: a word added to a
// message and missing from secret/words.txt would be garbled in reports, and
// its garbling would tell how a password starts.
// DRSETUP_UPDATE_WORDS=1 go test -run TestTheRedactorKnowsDrsetupsOwnWords .
// writes the list anew.
func TestTheRedactorKnowsDrsetupsOwnWords(t *testing.T) {
	words := ownWords(t)
	if len(words) < 500 {
		t.Fatalf("only %d words found in the code: the walk is broken", len(words))
	}
	if os.Getenv("DRSETUP_UPDATE_WORDS") != "" {
		if err := os.WriteFile(filepath.Join("secret", "words.txt"), []byte(strings.Join(words, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	var missing []string
	for _, w := range words {
		if !secret.IsOwnWord(w) {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		t.Errorf("secret/words.txt lacks words of drsetup's messages (%d: %s): run DRSETUP_UPDATE_WORDS=1 go test -run TestTheRedactorKnowsDrsetupsOwnWords .", len(missing), strings.Join(missing[:min(len(missing), 20)], ", "))
	}
}
