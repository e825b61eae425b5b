package drapi

import "strings"

// Mode is the Digital River mode a secret key works in. Test and live modes
// see different webhooks.
type Mode string

const (
	ModeTest Mode = "test"
	ModeLive Mode = "live"
)

// Kinds of KeyError.
const (
	KeyEmpty     = "empty"
	KeyPublic    = "public"
	KeyMalformed = "malformed"
)

// KeyError says why a Digital River API key cannot be used. Its text never
// repeats the key.
type KeyError struct {
	Kind string // KeyEmpty, KeyPublic or KeyMalformed
}

func (e *KeyError) Error() string {
	const where = "copy the confidential (secret) key from the Digital River Dashboard, Developers → API keys: it starts with sk_test_ for test mode or sk_ for live mode"
	switch e.Kind {
	case KeyEmpty:
		return "no Digital River API key was given; " + where
	case KeyPublic:
		return "this is a Digital River public key (pk_…), which cannot manage webhooks; a secret key is needed: " + where
	}
	return "this does not look like a Digital River secret API key; " + where
}

// ClassifyKey tells a test key (sk_test_) from a live one (any other sk_) and
// refuses public keys (pk_) and anything else. Digital River documents only the
// sk_ and sk_test_ prefixes, so a live key is "sk_ but not sk_test_" rather
// than "sk_live_".
func ClassifyKey(key string) (Mode, error) {
	key = strings.TrimSpace(key)
	switch {
	case key == "":
		return "", &KeyError{Kind: KeyEmpty}
	case strings.HasPrefix(key, "pk_"):
		return "", &KeyError{Kind: KeyPublic}
	case strings.HasPrefix(key, "sk_test_") && keyBody(key[len("sk_test_"):]):
		return ModeTest, nil
	case strings.HasPrefix(key, "sk_test_"):
		return "", &KeyError{Kind: KeyMalformed}
	case strings.HasPrefix(key, "sk_") && keyBody(key[len("sk_"):]):
		return ModeLive, nil
	}
	return "", &KeyError{Kind: KeyMalformed}
}

// keyBody reports whether s can be the part of a key after its prefix. Keys go
// into an Authorization header, so anything beyond letters, digits, '_' and '-'
// (spaces, quotes, a pasted "Bearer ", line breaks) means a copying mistake.
func keyBody(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}
