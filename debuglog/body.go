package debuglog

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
)

// rendered is what a log line says about one body: a rendering that holds no
// secret, and what was left out of it.
type rendered struct {
	text    string   // "" for an empty body or one left out whole
	leftOut *leftOut // nil when everything was rendered
}

// leftOut describes the part of a body the log does not show: how long it
// is, a short keyed hash of it (two lines of one log with the same hash had
// the same bytes there; the key is random per log and written nowhere, so the
// hash of a short fragment of a password cannot be searched for), and why.
type leftOut struct {
	Bytes  int    `json:"bytes"`
	SHA256 string `json:"sha256"`
	Reason string `json:"reason"`
}

// redactor renders bodies for one log.
type redactor struct {
	red     *secret.Redactor
	hashKey []byte
}

func (r *redactor) leave(b []byte, reason string) *leftOut {
	if len(b) == 0 {
		return nil
	}
	m := hmac.New(sha256.New, r.hashKey)
	m.Write(b)
	return &leftOut{Bytes: len(b), SHA256: hex.EncodeToString(m.Sum(nil))[:16], Reason: reason}
}

// body renders b, of the given content type. cut says b is the start of a
// longer body: its last token, pair or line may be incomplete.
func (r *redactor) body(contentType string, b []byte, cut bool) rendered {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return rendered{}
	}
	ct := strings.ToLower(contentType)
	switch {
	case trimmed[0] == '{' || trimmed[0] == '[' || strings.Contains(ct, "json"):
		return r.json(b, cut)
	case strings.Contains(ct, "x-www-form-urlencoded"):
		return r.form(string(trimmed), cut)
	case httpx.LooksLikeHTML(contentType, trimmed):
		// A proxy names itself in the title; the rest of the page may echo
		// the request, secrets included.
		text := fmt.Sprintf("(HTML page, %d bytes", len(b))
		if cut {
			text = fmt.Sprintf("(HTML page, over %d bytes", len(b))
		}
		if t := r.red.Redact(httpx.HTMLTitle(b)); t != "" {
			text += fmt.Sprintf(", title %q", t)
		}
		return rendered{text: text + ")"}
	case !cut && isKnownPhrase(string(trimmed)):
		return rendered{text: string(trimmed)}
	}
	return rendered{leftOut: r.leave(b, "neither JSON, a form nor HTML: such a body is not shown, as it could hold anything")}
}

// knownPhrases are the plain-text bodies that are safe to show because they
// are fixed words, not data: Salesforce's identity service errors and the
// status lines that load balancers answer with.
var knownPhrases = map[string]bool{
	"Bad_OAuth_Token": true, "Bad_Id": true, "Missing_OAuth_Token": true, "Bad_Request": true,
	"Bad Request": true, "Unauthorized": true, "Forbidden": true, "Not Found": true,
	"Method Not Allowed": true, "Too Many Requests": true, "Internal Server Error": true,
	"Bad Gateway": true, "Service Unavailable": true, "Gateway Timeout": true,
	"upstream request timeout": true, "no healthy upstream": true,
}

func isKnownPhrase(s string) bool { return knownPhrases[strings.Trim(s, `"`)] }

// secretKeys are the field names whose values are always secret, in JSON
// bodies and form bodies alike, compared without regard to case and to the
// separators - _ and . (so client_secret, clientSecret and Client-Secret are
// one name).
var secretKeys = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "secret": true, "clientsecret": true,
	"accesstoken": true, "refreshtoken": true, "idtoken": true, "securitytoken": true,
	"token": true, "apikey": true, "key": true, "signature": true, "authorization": true,
	"authentication": true, "sessionid": true, "sid": true, "privatekey": true,
	"assertion": true, "clientassertion": true, "cookie": true, "setcookie": true,
	"credentials": true, "credential": true,
}

// secretSuffixes catch the names secretKeys does not list: newPassword,
// webhookSecret, csrf_token, x-api-key.
var secretSuffixes = []string{"password", "secret", "token", "apikey", "signature", "privatekey", "sessionid", "credentials"}

func isSecretKey(k string) bool {
	n := strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', '.', ' ':
			return -1
		}
		return r
	}, strings.ToLower(k))
	if secretKeys[n] {
		return true
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// json renders a JSON body token by token, so that a body cut at any byte, or
// broken anywhere, is rendered up to there: every value under a secret field
// name, wherever it sits, is "[redacted]" (a whole object or array under such
// a name too); every other string and name has the known secrets redacted.
// The rendering is well-formed JSON: containers left open by the cut are
// closed, and what could not be read is left out and described.
func (r *redactor) json(b []byte, cut bool) rendered {
	r.learnJSON(b)
	w := &jsonWriter{red: r.red}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	keep := 0 // b[:keep] is rendered
	reason := ""
	for {
		tok, err := dec.Token()
		if err != nil {
			switch {
			case errors.Is(err, io.EOF) && w.done():
				// Whole: nothing is left out.
			case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
				reason = "the body ends in the middle of the JSON"
				if cut {
					reason = "cut in the middle of the JSON"
				}
			default:
				reason = "not valid JSON from here on"
			}
			break
		}
		// A number that ends where a cut body ends may itself be cut.
		if _, isNum := tok.(json.Number); isNum && cut && dec.InputOffset() == int64(len(b)) {
			reason = "cut in the middle of the JSON"
			break
		}
		if w.done() {
			reason = "more than one JSON value"
			break
		}
		if w.skipping() {
			w.skip(tok)
		} else {
			w.token(tok)
		}
		if !w.pendingKey() {
			keep = int(dec.InputOffset())
		}
	}
	w.close()
	rest := bytes.TrimSpace(b[keep:])
	out := rendered{text: w.String()}
	if len(rest) > 0 {
		if reason == "" {
			reason = "not valid JSON from here on"
		}
		out.leftOut = r.leave(b[keep:], reason)
	}
	return out
}

// minLearnt is the shortest value under a secret name that is learnt as a
// secret: shorter ones ("none", a placeholder) would be redacted all over
// the log, and a value this short is redacted where it stands anyway.
const minLearnt = 8

// learnJSON adds every string under a secret name in b (whole or cut) to the
// known secrets before b is rendered, so that the rendering redacts it
// wherever else it stands: a stored password that a webhook also holds in
// its userName, before or after its password field, or another webhook's
// address.
func (r *redactor) learnJSON(b []byte) {
	dec := json.NewDecoder(bytes.NewReader(b))
	type open struct{ object, secret bool }
	var stack []open
	named, secretNamed := false, false // in an object: a name was read, and it is a secret's
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		in := open{}
		if len(stack) > 0 {
			in = stack[len(stack)-1]
		}
		if s, ok := tok.(string); ok && in.object && !named {
			named, secretNamed = true, isSecretKey(s)
			continue
		}
		isSecret := in.secret || secretNamed
		named, secretNamed = false, false
		switch d, _ := tok.(json.Delim); {
		case d == '{' || d == '[':
			stack = append(stack, open{object: d == '{', secret: isSecret})
		case d != 0:
			stack = stack[:max(len(stack)-1, 0)]
		case isSecret:
			r.learn(tok)
		}
	}
}

func (r *redactor) learn(tok any) {
	if s, ok := tok.(string); ok && len(s) >= minLearnt {
		r.red.Add(s)
	}
}

// jsonWriter writes tokens back as compact JSON and remembers where it is, so
// it can close what is open when the tokens stop.
type jsonWriter struct {
	red   *secret.Redactor
	b     strings.Builder
	stack []frame
	// key is the field name read but not yet written: it is written with its
	// value, so a body cut after a name does not leave the name dangling.
	key *string
	// hide is what the value being read is written as instead: a secret's
	// "[redacted]", customer data's placeholder; "" to write it.
	hide    string
	skipped int  // depth of the secret container being skipped; 0 when none
	started bool // a top-level value was begun
}

type frame struct {
	object bool
	n      int    // values written in it
	name   string // the name it is the value of; "" in an array or at the top
}

// customerData is what a value that is an order's or a customer's own data
// is written as. The debug log is attached to tickets; the events list's
// data.object (the order, with the shopper's name, address and email) and
// the app's stored payloads are no business of a ticket, and drsetup reads
// none of it.
const customerData = "[customer data left out]"

// isAddressKey reports the names whose values are addresses: a webhook's
// address, a token endpoint, Salesforce's instance and identity URLs.
func isAddressKey(name string) bool {
	n := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(name))
	return n == "address" || n == "url" || strings.HasSuffix(n, "url") || strings.HasSuffix(n, "endpoint")
}

// isCustomerData reports whether the value named name, in an object that is
// the value of parent, is customer data: an event's data.object, its
// data.previousAttributes (the old values of what changed: an old email, a
// shipping name), or a stored event payload (the app's Event_Payload__c, never selected, but
// never logged should an answer carry it).
func isCustomerData(parent, name string) bool {
	n := strings.ToLower(name)
	return parent == "data" && (n == "object" || n == "previousattributes") || strings.HasSuffix(n, "event_payload__c") || n == "payload"
}

func (w *jsonWriter) String() string { return w.b.String() }

func (w *jsonWriter) done() bool { return w.started && len(w.stack) == 0 && w.skipped == 0 }

func (w *jsonWriter) skipping() bool { return w.skipped > 0 }

func (w *jsonWriter) pendingKey() bool { return w.key != nil }

// expectKey reports whether the next string in the current object is a name.
func (w *jsonWriter) expectKey() bool {
	return len(w.stack) > 0 && w.stack[len(w.stack)-1].object && w.key == nil
}

// begin writes what goes before a value: a comma, and the pending name.
func (w *jsonWriter) begin() {
	w.started = true
	if len(w.stack) == 0 {
		return
	}
	f := &w.stack[len(w.stack)-1]
	if f.n > 0 {
		w.b.WriteByte(',')
	}
	f.n++
	if w.key != nil {
		w.writeString(*w.key)
		w.b.WriteByte(':')
		w.key = nil
	}
}

func (w *jsonWriter) token(tok json.Token) {
	if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
		w.b.WriteByte(byte(d))
		w.stack = w.stack[:len(w.stack)-1]
		return
	}
	if s, ok := tok.(string); ok && w.expectKey() {
		k := w.red.Redact(s)
		w.key = &k
		switch {
		case isSecretKey(s):
			w.hide = secret.Redacted
		case isCustomerData(w.stack[len(w.stack)-1].name, s):
			w.hide = customerData
		}
		return
	}
	hide := w.hide
	w.hide = ""
	if hide != "" {
		switch v := tok.(type) {
		case nil:
			w.begin()
			w.b.WriteString("null")
			return
		case string:
			if v == "" {
				w.begin()
				w.b.WriteString(`""`)
				return
			}
		case json.Delim:
			w.skipped = 1
		}
		w.begin()
		w.writeString(hide)
		return
	}
	name := ""
	if w.key != nil && len(w.stack) > 0 {
		name = *w.key
	}
	w.begin()
	switch v := tok.(type) {
	case json.Delim:
		w.b.WriteByte(byte(v))
		w.stack = append(w.stack, frame{object: v == '{', name: name})
	case string:
		if isAddressKey(name) {
			// An address travels whole, with whatever userinfo or query
			// someone put a password or token in: shown as reports show it.
			v = httpx.Redact(v)
		}
		w.writeString(w.red.Redact(v))
	case json.Number:
		if s := v.String(); w.red.Redact(s) != s {
			w.writeString(secret.Redacted)
		} else {
			w.b.WriteString(s)
		}
	case bool:
		fmt.Fprint(&w.b, v)
	case nil:
		w.b.WriteString("null")
	}
}

// skip follows the tokens of a secret container, already written as
// "[redacted]", to its end.
func (w *jsonWriter) skip(tok json.Token) {
	if d, ok := tok.(json.Delim); ok {
		if d == '{' || d == '[' {
			w.skipped++
		} else {
			w.skipped--
		}
	}
}

// close ends what the tokens left open.
func (w *jsonWriter) close() {
	w.key = nil
	w.skipped = 0
	for len(w.stack) > 0 {
		if w.stack[len(w.stack)-1].object {
			w.b.WriteByte('}')
		} else {
			w.b.WriteByte(']')
		}
		w.stack = w.stack[:len(w.stack)-1]
	}
}

func (w *jsonWriter) writeString(s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	w.b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// form renders a form-encoded body (a token request) or a query string: the
// values of secret names are "[redacted]", other values have the known
// secrets redacted. A pair that does not decode is left out, and so is the
// last pair of a cut body, which may itself be cut.
func (r *redactor) form(raw string, cut bool) rendered {
	pairs := strings.Split(raw, "&")
	for i, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		key, kerr := url.QueryUnescape(k)
		val, verr := url.QueryUnescape(v)
		if kerr == nil && verr == nil && isSecretKey(key) && !(cut && i == len(pairs)-1) {
			r.learn(val)
		}
	}
	var out []string
	var dropped []string
	for i, p := range pairs {
		if cut && i == len(pairs)-1 {
			dropped = append(dropped, p)
			break
		}
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		key, kerr := url.QueryUnescape(k)
		val, verr := url.QueryUnescape(v)
		switch {
		case kerr != nil || verr != nil:
			dropped = append(dropped, p)
		case isSecretKey(key) && val != "":
			out = append(out, url.QueryEscape(r.red.Redact(key))+"="+secret.Redacted)
		default:
			out = append(out, url.QueryEscape(r.red.Redact(key))+"="+url.QueryEscape(r.red.Redact(val)))
		}
	}
	res := rendered{text: strings.Join(out, "&")}
	if len(dropped) > 0 {
		reason := "pairs that are not form-encoded"
		if cut && len(dropped) == 1 {
			reason = "cut in the middle of the last pair"
		}
		res.leftOut = r.leave([]byte(strings.Join(dropped, "&")), reason)
	}
	return res
}
