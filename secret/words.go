package secret

import (
	_ "embed"
	"strings"
	"sync"
)

// ownWords are the words of six letters or more that drsetup's own messages
// and the services' fixed answers it knows hold, one per line: the words a
// report holds whatever the secrets are. A test in the main package finds
// every such word in the code and fails when one is missing here.
//
//go:embed words.txt
var ownWords string

var ownWordSet = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(ownWords) {
		m[w] = true
	}
	return m
})

// IsOwnWord reports whether w is one of the words drsetup writes itself, so
// that the beginning of a secret is not redacted where it is only such a
// word (Redactor).
func IsOwnWord(w string) bool { return ownWordSet()[w] }
