package secret

import (
	"encoding/base64"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Redacted is what Redactor puts in place of a secret.
const Redacted = "[redacted]"

// minSecretLen keeps Redactor from replacing short, common strings (an empty
// security token, "1") all over a log line.
const minSecretLen = 4

// prefixRunes is how much of a secret is enough to redact: text holding the
// first prefixRunes characters of a secret loses them, and as much of the
// rest of the secret as follows. A secret cut short by a server, a proxy or a
// body limit is redacted as surely as a whole one.
const prefixRunes = 6

// Redactor replaces every known secret value in text with "[redacted]": the
// value as it is, JSON-escaped (\", \\, \/, \u0026 in any case), percent-
// encoded (query or path escaping, + for space), HTML-escaped, base64 (standard
// or URL alphabet, padded or not, at any offset inside a longer encoding), and
// any of these cut after its first six characters. A Digital River key is
// redacted from after its public kind (sk_test_, sk_), and a Salesforce
// access token from after the org ID it starts with, so those stay readable;
// a secret shorter than six characters past them is redacted only whole.
//
// It is safe for concurrent use; secrets can be added as they become known.
// Add costs a few map insertions per secret, however many are known, and
// Redact one pass over the text per encoding the text could hold, so a run
// that knows thousands of stored secrets redacts as fast as one that knows
// four.
type Redactor struct {
	mu    sync.RWMutex
	known map[string]bool
	idx   index
}

// Add registers secrets to redact. Short or empty values are ignored, and so
// is everything for a nil Redactor.
func (r *Redactor) Add(values ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		if len(v) < minSecretLen || r.known[v] {
			continue
		}
		if r.known == nil {
			r.known = map[string]bool{}
		}
		r.known[v] = true
		r.idx.addSecret(v)
	}
}

// Redact returns text with every registered secret replaced.
func (r *Redactor) Redact(text string) string {
	spans := r.find(text, false)
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, s := range spans {
		b.WriteString(text[at:s.start])
		b.WriteString(Redacted)
		at = s.end
	}
	b.WriteString(text[at:])
	return b.String()
}

// Contains reports whether text holds any registered secret, in any of the
// forms Redact replaces.
func (r *Redactor) Contains(text string) bool {
	return len(r.find(text, true)) > 0
}

// span is a byte range [start, end) of the text to redact.
type span struct{ start, end int }

// find returns the sorted, merged spans of text that hold a secret; with
// first, it stops at the first.
func (r *Redactor) find(text string, first bool) []span {
	if r == nil || len(text) < minSecretLen {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.idx.needles == 0 {
		return nil
	}
	var spans []span
	r.idx.scan(text, nil, &spans)
	if first && len(spans) > 0 {
		return spans
	}
	// Each decoding runs only when the text has the character it starts with.
	if strings.IndexByte(text, '\\') >= 0 {
		r.idx.scanDecoded(text, decodeJSON, &spans)
	}
	if strings.IndexByte(text, '%') >= 0 || strings.IndexByte(text, '+') >= 0 {
		r.idx.scanDecoded(text, decodeQuery, &spans)
	}
	if strings.IndexByte(text, '%') >= 0 {
		r.idx.scanDecoded(text, decodePath, &spans)
	}
	if strings.IndexByte(text, '&') >= 0 {
		r.idx.scanDecoded(text, decodeHTML, &spans)
	}
	return merge(spans)
}

func merge(spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if s.start <= last.end {
			last.end = max(last.end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

// needle is one form of one secret to look for.
type needle struct {
	pattern string // what must be found, at least minSecretLen bytes
	full    string // how far a match may run on; pattern is a prefix of it
}

// group is every needle with one pattern: secrets that start alike (a
// password and the password with its security token, or passwords made to
// one scheme across a partner's orgs) share it. fulls is sorted, so the one
// that runs on furthest in a text is found by binary search.
type group struct {
	pattern string
	fulls   []string
}

// index finds needles by the first four bytes of their pattern: a map from
// those bytes to the groups, in front of it a bit set that turns most
// positions of a text away with one load. Adding a needle never rebuilds
// what is there (the bit set only doubles now and then), so secrets learnt
// one by one, as a doctor run reading thousands of webhooks learns them,
// cost what they add.
type index struct {
	needles int
	byHead  map[uint32][]*group
	filter  []uint64
	shift   uint // 32 - log2(bits in filter)
}

// addSecret adds the needles of secret v: its own form, and its base64 forms
// at the three offsets a longer encoding can put it at.
func (x *index) addSecret(v string) {
	body := v[len(publicPrefix(v)):]
	pattern, full := v, v
	if utf8.RuneCountInString(body) >= prefixRunes {
		pattern, full = body[:runeOffset(body, prefixRunes)], body
	}
	x.add(needle{pattern, full})
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		for k := range 3 {
			p, f := base64Core(enc, pattern, k), base64Core(enc, full, k)
			if len(p) >= minSecretLen {
				x.add(needle{p, f})
			}
		}
	}
}

// base64Core is the part of the base64 encoding of s that is the same in
// every encoding that holds s after k bytes of other data (k = 0, 1, 2): the
// characters whose six bits all come from s.
func base64Core(enc *base64.Encoding, s string, k int) string {
	buf := make([]byte, k+len(s))
	copy(buf[k:], s)
	e := enc.EncodeToString(buf)
	from := (8*k + 5) / 6        // the first character with no bit of the k bytes
	to := (8 * (k + len(s))) / 6 // characters past this take bits of what follows
	if from >= to || to > len(e) {
		return ""
	}
	return e[from:to]
}

func runeOffset(s string, n int) int {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

func head(s string) uint32 {
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

func (x *index) bit(h uint32) (word int, mask uint64) {
	b := (h * 0x9e3779b1) >> x.shift
	return int(b >> 6), 1 << (b & 63)
}

func (x *index) add(n needle) {
	if x.byHead == nil {
		x.byHead = map[uint32][]*group{}
	}
	h := head(n.pattern)
	var g *group
	for _, c := range x.byHead[h] {
		if c.pattern == n.pattern {
			g = c
			break
		}
	}
	if g == nil {
		g = &group{pattern: n.pattern}
		x.byHead[h] = append(x.byHead[h], g)
	}
	i, found := slices.BinarySearch(g.fulls, n.full)
	if found {
		return
	}
	g.fulls = slices.Insert(g.fulls, i, n.full)
	x.needles++
	// Keep the filter at 64 bits or more per head, so it stays sparse.
	if want := max(4096, 64*len(x.byHead)); len(x.filter)*64 < want {
		size := 1 << bits.Len(uint(want-1))
		x.filter = make([]uint64, size/64)
		x.shift = uint(32 - bits.TrailingZeros(uint(size)))
		for h := range x.byHead {
			w, m := x.bit(h)
			x.filter[w] |= m
		}
		return
	}
	w, m := x.bit(h)
	x.filter[w] |= m
}

// scan appends the spans of s that hold a needle. With pos, the spans are
// mapped back through it to the text s was decoded from.
func (x *index) scan(s string, pos *positions, spans *[]span) {
	for i := 0; i+minSecretLen <= len(s); i++ {
		h := head(s[i:])
		if w, m := x.bit(h); x.filter[w]&m == 0 {
			continue
		}
		end := 0
		var at []*group // the groups whose pattern is at i
		for _, g := range x.byHead[h] {
			if strings.HasPrefix(s[i:], g.pattern) {
				end = max(end, i+g.longest(s[i:]))
				at = append(at, g)
			}
		}
		if end == 0 || ownWordAt(s, i, end, at) {
			continue
		}
		if pos == nil {
			*spans = append(*spans, span{i, end})
		} else {
			*spans = append(*spans, span{pos.start[i], pos.end[end-1]})
		}
	}
}

// ownWordAt reports whether the match s[i:end], the beginning of a secret
// but no whole secret, lies inside a word drsetup writes itself: the
// "Salesforce" of "Salesforce refused the login" when a password starts
// with "Salesforce". Such a word is in every report, whatever the secret;
// redacting it would garble the report and tell its reader how the
// password starts.
func ownWordAt(s string, i, end int, at []*group) bool {
	if !InOwnWord(s, i, end) {
		return false
	}
	for _, g := range at {
		for n := len(g.pattern); i+n <= end; n++ {
			if _, whole := slices.BinarySearch(g.fulls, s[i:i+n]); whole {
				return false
			}
		}
	}
	return true
}

// InOwnWord reports whether s[i:end] lies inside one of drsetup's own words
// (IsOwnWord) in s. A word at the end of s, or before "…", may be a secret
// cut short there, and is not counted.
func InOwnWord(s string, i, end int) bool {
	ws, we := i, end
	for ws > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:ws])
		if !unicode.IsLetter(r) {
			break
		}
		ws -= n
	}
	for we < len(s) {
		r, n := utf8.DecodeRuneInString(s[we:])
		if !unicode.IsLetter(r) {
			break
		}
		we += n
	}
	return we < len(s) && !strings.HasPrefix(s[we:], "…") && !strings.HasPrefix(s[we:], "...") && IsOwnWord(s[ws:we])
}

// longest returns how many bytes of s, which starts with g's pattern, one of
// g's secrets covers: the sorted neighbours of s are the only candidates.
func (g *group) longest(s string) int {
	j, _ := slices.BinarySearch(g.fulls, s)
	n := len(g.pattern)
	if j < len(g.fulls) {
		n = max(n, commonPrefix(s, g.fulls[j]))
	}
	if j > 0 {
		n = max(n, commonPrefix(s, g.fulls[j-1]))
	}
	return n
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// positions maps each byte of a decoded text to the bytes of the text it was
// decoded from: byte i came from [start[i], end[i]).
type positions struct{ start, end []int }

// decoder decodes one encoding wherever it occurs in s, leaving the rest as
// it is, and says where each decoded byte came from.
type decoder func(s string) (string, *positions)

func (x *index) scanDecoded(s string, decode decoder, spans *[]span) {
	d, pos := decode(s)
	if d != s {
		x.scan(d, pos, spans)
	}
}

// decodeWith runs step at each position of s: step returns the decoded bytes
// of the escape starting there and its length, or n == 0 for a byte that
// stays as it is.
func decodeWith(s string, step func(s string, i int) (out []byte, n int)) (string, *positions) {
	var b []byte
	pos := &positions{start: make([]int, 0, len(s)), end: make([]int, 0, len(s))}
	for i := 0; i < len(s); {
		out, n := step(s, i)
		if n == 0 {
			out, n = []byte{s[i]}, 1
		}
		for range out {
			pos.start = append(pos.start, i)
			pos.end = append(pos.end, i+n)
		}
		b = append(b, out...)
		i += n
	}
	return string(b), pos
}

func decodeJSON(s string) (string, *positions) {
	return decodeWith(s, func(s string, i int) ([]byte, int) {
		if s[i] != '\\' || i+1 >= len(s) {
			return nil, 0
		}
		switch c := s[i+1]; c {
		case '"', '\\', '/':
			return []byte{c}, 2
		case 'b':
			return []byte{'\b'}, 2
		case 'f':
			return []byte{'\f'}, 2
		case 'n':
			return []byte{'\n'}, 2
		case 'r':
			return []byte{'\r'}, 2
		case 't':
			return []byte{'\t'}, 2
		case 'u':
			r, ok := hexRune(s, i+2, 4)
			if !ok {
				return nil, 0
			}
			n := 6
			if r >= 0xd800 && r < 0xdc00 && strings.HasPrefix(s[min(i+6, len(s)):], `\u`) {
				if lo, ok := hexRune(s, i+8, 4); ok && lo >= 0xdc00 && lo < 0xe000 {
					r, n = 0x10000+(r-0xd800)<<10+(lo-0xdc00), 12
				}
			}
			return utf8.AppendRune(nil, r), n
		}
		return nil, 0
	})
}

func decodePercent(s string, plusIsSpace bool) (string, *positions) {
	return decodeWith(s, func(s string, i int) ([]byte, int) {
		switch {
		case s[i] == '+' && plusIsSpace:
			return []byte{' '}, 1
		case s[i] == '%':
			if r, ok := hexRune(s, i+1, 2); ok {
				return []byte{byte(r)}, 3
			}
		}
		return nil, 0
	})
}

func decodeQuery(s string) (string, *positions) { return decodePercent(s, true) }
func decodePath(s string) (string, *positions)  { return decodePercent(s, false) }

var htmlEntities = map[string]byte{"amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\'', "#39": '\'', "#34": '"'}

func decodeHTML(s string) (string, *positions) {
	return decodeWith(s, func(s string, i int) ([]byte, int) {
		if s[i] != '&' {
			return nil, 0
		}
		semi := strings.IndexByte(s[i:min(len(s), i+12)], ';')
		if semi < 2 {
			return nil, 0
		}
		name := s[i+1 : i+semi]
		if c, ok := htmlEntities[name]; ok {
			return []byte{c}, semi + 1
		}
		if name[0] != '#' || len(name) < 2 {
			return nil, 0
		}
		var r rune
		var ok bool
		if name[1] == 'x' || name[1] == 'X' {
			r, ok = hexRune(name, 2, len(name)-2)
		} else {
			r, ok = decRune(name[1:])
		}
		if !ok || !utf8.ValidRune(r) {
			return nil, 0
		}
		return utf8.AppendRune(nil, r), semi + 1
	})
}

// hexRune reads n hex digits of s at i.
func hexRune(s string, i, n int) (rune, bool) {
	if n < 1 || n > 6 || i+n > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+n]) {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

func decRune(s string) (rune, bool) {
	if s == "" || len(s) > 7 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		r = r*10 + rune(c-'0')
	}
	return r, true
}
