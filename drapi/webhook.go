package drapi

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/text"
)

// Transport types of a webhook.
const (
	TransportHTTP  = "HTTP"
	TransportOAuth = "OAUTH"
)

// Grant types for a webhook's OAuth block. Only GrantPassword is in Digital
// River's API document; the Dashboard also offers client credentials, which the
// API may refuse with a 400 (see Error.Remedy).
const (
	GrantPassword          = "password"
	GrantClientCredentials = "client_credentials"
)

// DefaultAPIVersion makes Digital River send events in the account's default
// API version.
const DefaultAPIVersion = "default"

// Webhook is a Digital River webhook. Digital River returns the OAuth password
// and client secret in plain text, so those are secret.Values here: every
// printed, logged or JSON-encoded form of a Webhook masks them.
//
// Its JSON encoding is the report form (secrets masked); decoding reads Digital
// River's wire form, real secrets included. Encoding then decoding therefore
// loses the secrets, by design.
type Webhook struct {
	ID             string
	Address        string
	Types          []string
	APIVersion     string
	Enabled        bool
	TransportType  string // TransportHTTP or TransportOAuth
	OAuth          *OAuth
	Authentication *BasicAuth
	LiveMode       bool
	CreatedTime    time.Time
	UpdatedTime    time.Time
}

// OAuth is how Digital River gets a token before delivering an event: the
// Salesforce token endpoint and the credentials it sends there. JSON keys are
// Digital River's (tokenEndPoint, clientID); secrets encode masked.
type OAuth struct {
	TokenEndPoint string       `json:"tokenEndPoint"`
	UserName      string       `json:"userName,omitempty"`
	Password      secret.Value `json:"password,omitempty"`
	ClientID      string       `json:"clientID"`
	ClientSecret  secret.Value `json:"clientSecret"`
	GrantType     string       `json:"grantType,omitempty"`
	// Audience is a Dashboard field absent from the API document.
	Audience string `json:"audience,omitempty"`
}

// BasicAuth is the HTTP basic authentication Digital River sends to an HTTP
// transport endpoint. The API document spells the user field "username", the
// docs "userName"; decoding accepts both because encoding/json matches keys
// without regard to case.
type BasicAuth struct {
	Username string       `json:"username"`
	Password secret.Value `json:"password"`
}

// wireWebhook is a webhook as Digital River sends it.
type wireWebhook struct {
	ID             string     `json:"id"`
	Address        string     `json:"address"`
	Types          []string   `json:"types"`
	APIVersion     string     `json:"apiVersion"`
	Enabled        *bool      `json:"enabled"`
	TransportType  string     `json:"transportType"`
	OAuth          *OAuth     `json:"oauth"`
	Authentication *BasicAuth `json:"authentication"`
	LiveMode       bool       `json:"liveMode"`
	CreatedTime    string     `json:"createdTime"`
	UpdatedTime    string     `json:"updatedTime"`
}

// UnmarshalJSON reads Digital River's wire form. A missing "enabled" means
// enabled, the API's default; a timestamp that does not parse is left zero
// rather than failing a whole page of webhooks.
func (w *Webhook) UnmarshalJSON(b []byte) error {
	var in wireWebhook
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*w = in.webhook()
	return nil
}

func (in *wireWebhook) webhook() Webhook {
	return Webhook{
		ID:             in.ID,
		Address:        in.Address,
		Types:          in.Types,
		APIVersion:     in.APIVersion,
		Enabled:        in.Enabled == nil || *in.Enabled,
		TransportType:  in.TransportType,
		OAuth:          in.OAuth,
		Authentication: in.Authentication,
		LiveMode:       in.LiveMode,
		CreatedTime:    parseTime(in.CreatedTime),
		UpdatedTime:    parseTime(in.UpdatedTime),
	}
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// MarshalJSON writes the report form: Digital River's field names, secrets
// masked by secret.Value.
func (w Webhook) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID             string     `json:"id"`
		Address        string     `json:"address"`
		Types          []string   `json:"types"`
		APIVersion     string     `json:"apiVersion,omitempty"`
		Enabled        bool       `json:"enabled"`
		TransportType  string     `json:"transportType,omitempty"`
		OAuth          *OAuth     `json:"oauth,omitempty"`
		Authentication *BasicAuth `json:"authentication,omitempty"`
		LiveMode       bool       `json:"liveMode"`
		CreatedTime    time.Time  `json:"createdTime,omitzero"`
		UpdatedTime    time.Time  `json:"updatedTime,omitzero"`
	}{w.ID, w.Address, nonNil(w.Types), w.APIVersion, w.Enabled, w.TransportType, w.OAuth, w.Authentication, w.LiveMode, w.CreatedTime, w.UpdatedTime})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// String describes the webhook on one line, secrets masked.
func (w Webhook) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "webhook %s %s types=[%s] enabled=%t transport=%s", text.Or(w.ID, "-"), w.Address, strings.Join(w.Types, ","), w.Enabled, text.Or(w.TransportType, "-"))
	if w.APIVersion != "" {
		fmt.Fprintf(&b, " apiVersion=%s", w.APIVersion)
	}
	if w.OAuth != nil {
		fmt.Fprintf(&b, " oauth=%s", w.OAuth.String())
	}
	if w.Authentication != nil {
		fmt.Fprintf(&b, " authentication={username=%s password=%s}", w.Authentication.Username, w.Authentication.Password)
	}
	return b.String()
}

// GoString is the %#v form, secrets masked.
func (w Webhook) GoString() string {
	return fmt.Sprintf("drapi.Webhook{ID:%q, Address:%q, Types:%#v, APIVersion:%q, Enabled:%t, TransportType:%q, OAuth:%s, Authentication:%s, LiveMode:%t, CreatedTime:%q, UpdatedTime:%q}",
		w.ID, w.Address, w.Types, w.APIVersion, w.Enabled, w.TransportType, oauthGoString(w.OAuth), w.Authentication.goString(), w.LiveMode,
		w.CreatedTime.Format(time.RFC3339Nano), w.UpdatedTime.Format(time.RFC3339Nano))
}

// Format makes every fmt verb print String (GoString for %#v), so no verb can
// reach the secrets through reflection.
func (w Webhook) Format(f fmt.State, verb rune) { format(f, verb, w.String(), w.GoString()) }

// LogValue logs the webhook as a group, secrets masked.
func (w Webhook) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("id", w.ID),
		slog.String("address", w.Address),
		slog.Any("types", w.Types),
		slog.Bool("enabled", w.Enabled),
		slog.String("transportType", w.TransportType),
		slog.String("apiVersion", w.APIVersion),
		slog.Bool("liveMode", w.LiveMode),
	}
	if w.OAuth != nil {
		attrs = append(attrs, slog.Any("oauth", w.OAuth.LogValue()))
	}
	if w.Authentication != nil {
		attrs = append(attrs, slog.Group("authentication", "username", w.Authentication.Username, "password", w.Authentication.Password))
	}
	return slog.GroupValue(attrs...)
}

// String describes the OAuth block, secrets masked.
func (o OAuth) String() string {
	s := fmt.Sprintf("{tokenEndPoint=%s userName=%s password=%s clientID=%s clientSecret=%s grantType=%s",
		o.TokenEndPoint, o.UserName, o.Password, o.ClientID, o.ClientSecret, o.GrantType)
	if o.Audience != "" {
		s += " audience=" + o.Audience
	}
	return s + "}"
}

// GoString is the %#v form, secrets masked.
func (o OAuth) GoString() string {
	return fmt.Sprintf("drapi.OAuth{TokenEndPoint:%q, UserName:%q, Password:%#v, ClientID:%q, ClientSecret:%#v, GrantType:%q, Audience:%q}",
		o.TokenEndPoint, o.UserName, o.Password, o.ClientID, o.ClientSecret, o.GrantType, o.Audience)
}

// Format makes every fmt verb print String (GoString for %#v).
func (o OAuth) Format(f fmt.State, verb rune) { format(f, verb, o.String(), o.GoString()) }

// LogValue logs the OAuth block as a group, secrets masked.
func (o OAuth) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("tokenEndPoint", o.TokenEndPoint),
		slog.String("userName", o.UserName),
		slog.Any("password", o.Password),
		slog.String("clientID", o.ClientID),
		slog.Any("clientSecret", o.ClientSecret),
		slog.String("grantType", o.GrantType),
		slog.String("audience", o.Audience),
	)
}

func oauthGoString(o *OAuth) string {
	if o == nil {
		return "(*drapi.OAuth)(nil)"
	}
	return "&" + o.GoString()
}

func (a *BasicAuth) goString() string {
	if a == nil {
		return "(*drapi.BasicAuth)(nil)"
	}
	return fmt.Sprintf("&drapi.BasicAuth{Username:%q, Password:%#v}", a.Username, a.Password)
}

func format(f fmt.State, verb rune, s, gs string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, gs)
	case verb == 'q':
		fmt.Fprintf(f, "%q", s)
	default:
		fmt.Fprint(f, s)
	}
}

// Spec is the webhook drsetup wants: what Create sends and what Diff compares
// an existing webhook against. Empty APIVersion means DefaultAPIVersion, empty
// TransportType means OAUTH when OAuth is set (HTTP otherwise), and an empty
// OAuth GrantType means GrantPassword.
type Spec struct {
	Address       string
	Types         []string
	Enabled       bool
	APIVersion    string
	TransportType string
	OAuth         *OAuth
}

// normalized fills the defaults Spec documents and tidies the event types
// (trimmed, duplicates dropped), so comparisons and requests agree.
func (s Spec) normalized() Spec {
	s.Address = strings.TrimSpace(s.Address)
	if s.APIVersion == "" {
		s.APIVersion = DefaultAPIVersion
	}
	s.TransportType = strings.ToUpper(strings.TrimSpace(s.TransportType))
	if s.TransportType == "" {
		s.TransportType = TransportHTTP
		if s.OAuth != nil {
			s.TransportType = TransportOAuth
		}
	}
	var types []string
	for _, t := range s.Types {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	s.Types = types
	if s.TransportType != TransportOAuth {
		// Digital River keeps OAuth settings only for OAUTH webhooks.
		s.OAuth = nil
	}
	if s.OAuth != nil {
		o := *s.OAuth
		if o.GrantType == "" {
			o.GrantType = GrantPassword
		}
		s.OAuth = &o
	}
	return s
}

// SpecError says which part of a Spec cannot be sent to Digital River.
type SpecError struct {
	Field   string // as in Change.Field
	Problem string
}

func (e *SpecError) Error() string {
	return fmt.Sprintf("the webhook's %s %s", e.Field, e.Problem)
}

// Validate checks what Digital River requires of a webhook before anything is
// sent, so a mistake is named here rather than in a 400 after a round trip.
func (s Spec) Validate() error {
	s = s.normalized()
	u, err := url.Parse(s.Address)
	switch {
	case s.Address == "":
		return &SpecError{"address", "is empty; it should be the Endpoint URL, https://<My Domain>/services/apexrest/digitalriverv3/webhooks/"}
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return &SpecError{"address", "is not a web address; it should look like https://<My Domain>/services/apexrest/digitalriverv3/webhooks/"}
	case len(s.Types) == 0:
		return &SpecError{"types", "list is empty; choose at least one event type"}
	case s.TransportType != TransportHTTP && s.TransportType != TransportOAuth:
		return &SpecError{"transportType", fmt.Sprintf("is %q; it must be HTTP or OAUTH", s.TransportType)}
	case s.TransportType == TransportOAuth && s.OAuth == nil:
		return &SpecError{"oauth", "settings are missing; an OAUTH webhook needs a token endpoint, client ID and client secret"}
	}
	if s.TransportType != TransportOAuth {
		return nil
	}
	o := s.OAuth
	switch {
	case o.TokenEndPoint == "":
		return &SpecError{"oauth.tokenEndPoint", "is empty"}
	case o.ClientID == "":
		return &SpecError{"oauth.clientID", "is empty; it is the Connected App's consumer key"}
	case o.ClientSecret.IsZero():
		return &SpecError{"oauth.clientSecret", "is empty; it is the Connected App's consumer secret"}
	case o.GrantType == GrantPassword && o.UserName == "":
		return &SpecError{"oauth.userName", "is empty; the password grant needs the integration user's username"}
	case o.GrantType == GrantPassword && o.Password.IsZero():
		return &SpecError{"oauth.password", "is empty; the password grant needs the integration user's password (with its security token appended)"}
	}
	return nil
}

// Change is one difference between an existing webhook and the desired one.
// For secret fields From is "********" (or "" when none was set) and To is
// "changed" (or "" when the secret is being cleared): never a value.
type Change struct {
	Field    string
	From, To string
}

func (c Change) String() string { return fmt.Sprintf("%s: %q → %q", c.Field, c.From, c.To) }

// Diff lists what must change for current to become desired. Addresses are
// compared with SameAddress, event types as sets, secrets by value (reported
// without it). The OAuth block is compared only when desired has one: without
// it, Digital River keeps no OAuth settings for an HTTP webhook anyway.
//
// Only what a write sends is compared, so that a webhook written once
// compares equal afterwards whatever Digital River does with the fields a
// request leaves out: under the client credentials grant the username and
// password are neither sent nor compared (a move from the password grant may
// leave the old ones stored; Digital River does not use them), and the
// Dashboard-only audience only when desired sets one.
func Diff(current Webhook, desired Spec) []Change {
	d := desired.normalized()
	var out []Change
	add := func(field, from, to string) {
		if from != to {
			out = append(out, Change{Field: field, From: from, To: to})
		}
	}
	// Matching forgives a missing trailing slash (SameAddress), but the
	// webhook should carry the address exactly as wanted: Salesforce can
	// answer 404 to a path without it.
	if !SameAddress(current.Address, d.Address) || strings.HasSuffix(current.Address, "/") != strings.HasSuffix(d.Address, "/") {
		out = append(out, Change{Field: "address", From: current.Address, To: d.Address})
	}
	if !sameSet(current.Types, d.Types) {
		out = append(out, Change{Field: "types", From: joinSorted(current.Types), To: joinSorted(d.Types)})
	}
	add("enabled", fmt.Sprint(current.Enabled), fmt.Sprint(d.Enabled))
	add("transportType", currentTransport(current), d.TransportType)
	add("apiVersion", cmpOr(current.APIVersion, DefaultAPIVersion), d.APIVersion)
	if d.OAuth == nil {
		return out
	}
	cur := current.OAuth
	if cur == nil {
		cur = &OAuth{}
	}
	want := d.OAuth
	users := usesUser(want.GrantType)
	add("oauth.tokenEndPoint", cur.TokenEndPoint, want.TokenEndPoint)
	if users {
		add("oauth.userName", cur.UserName, want.UserName)
	}
	addSecret := func(field string, from, to secret.Value) {
		if from.Reveal() == to.Reveal() {
			return
		}
		c := Change{Field: field, From: from.String()}
		if !to.IsZero() {
			c.To = "changed"
		}
		out = append(out, c)
	}
	if users {
		addSecret("oauth.password", cur.Password, want.Password)
	}
	add("oauth.clientID", cur.ClientID, want.ClientID)
	addSecret("oauth.clientSecret", cur.ClientSecret, want.ClientSecret)
	add("oauth.grantType", cmpOr(cur.GrantType, GrantPassword), want.GrantType)
	if want.Audience != "" {
		add("oauth.audience", cur.Audience, want.Audience)
	}
	return out
}

// usesUser reports whether a grant logs in as a user with a password: the
// client credentials grant logs in as the app's Run As user.
func usesUser(grant string) bool { return grant != GrantClientCredentials }

// ReadBack names the fields in which stored, a webhook read back after a
// write, differs from sent: address, types, enabled, transportType and, for
// an OAUTH webhook, the OAuth settings the grant logs in with (tokenEndPoint,
// clientID, clientSecret, grantType; userName and password for the password
// grant). Secrets are compared by value and named without it. A missing
// oauth block differs in each of them.
func ReadBack(stored Webhook, sent Spec) []string {
	d := sent.normalized()
	var out []string
	differs := func(field string, same bool) {
		if !same {
			out = append(out, field)
		}
	}
	differs("address", SameAddress(stored.Address, d.Address) && strings.HasSuffix(stored.Address, "/") == strings.HasSuffix(d.Address, "/"))
	differs("types", sameSet(stored.Types, d.Types))
	differs("enabled", stored.Enabled == d.Enabled)
	differs("transportType", currentTransport(stored) == d.TransportType)
	if d.OAuth == nil {
		return out
	}
	want, cur := d.OAuth, stored.OAuth
	grant := ""
	if cur == nil {
		cur = &OAuth{}
	} else {
		grant = cmpOr(cur.GrantType, GrantPassword)
	}
	differs("oauth.tokenEndPoint", cur.TokenEndPoint == want.TokenEndPoint)
	differs("oauth.clientID", cur.ClientID == want.ClientID)
	differs("oauth.clientSecret", cur.ClientSecret.Reveal() == want.ClientSecret.Reveal())
	differs("oauth.grantType", grant == want.GrantType)
	if usesUser(want.GrantType) {
		differs("oauth.userName", cur.UserName == want.UserName)
		differs("oauth.password", cur.Password.Reveal() == want.Password.Reveal())
	}
	return out
}

func currentTransport(w Webhook) string {
	return cmpOr(strings.ToUpper(w.TransportType), TransportHTTP)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func sameSet(a, b []string) bool {
	return slices.Equal(sortedSet(a), sortedSet(b))
}

func sortedSet(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

func joinSorted(s []string) string { return strings.Join(sortedSet(s), ",") }

// SameAddress reports whether a and b are the same webhook address, ignoring
// the case of the scheme and host, a default :443 port and one trailing slash.
// The path keeps its case: Apex REST URLs are case-sensitive.
func SameAddress(a, b string) bool {
	return canonicalAddress(a) == canonicalAddress(b)
}

func canonicalAddress(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return strings.TrimSuffix(s, "/")
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	scheme := strings.ToLower(u.Scheme)
	if port := u.Port(); port != "" && !(scheme == "https" && port == "443") && !(scheme == "http" && port == "80") {
		host += ":" + port
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	c := scheme + "://" + host + path
	if u.RawQuery != "" {
		c += "?" + u.RawQuery
	}
	return c
}

// StoredSecrets are the secrets Digital River stores in w and returns in
// plain text: the OAuth password and client secret, the basic
// authentication password. Empty ones are left out.
func (w Webhook) StoredSecrets() []string {
	var s []string
	add := func(v secret.Value) {
		if !v.IsZero() {
			s = append(s, v.Reveal())
		}
	}
	if w.OAuth != nil {
		add(w.OAuth.Password)
		add(w.OAuth.ClientSecret)
	}
	if w.Authentication != nil {
		add(w.Authentication.Password)
	}
	return append(s, addressSecrets(w.Address)...)
}

// addressSecrets are the secrets someone may have put in a webhook's
// address: the password of its userinfo, and the values of query
// parameters named like a secret (access_token, key, sig, …). An address is
// shown without either (httpx.Redact), but it travels whole in the answers
// a debug log records.
func addressSecrets(address string) []string {
	u, err := url.Parse(strings.TrimSpace(address))
	if err != nil {
		return nil
	}
	var s []string
	if p, ok := u.User.Password(); ok && p != "" {
		s = append(s, p)
	}
	for name, vs := range u.Query() {
		n := strings.ToLower(name)
		if !strings.Contains(n, "token") && !strings.Contains(n, "key") && !strings.Contains(n, "secret") &&
			!strings.Contains(n, "pass") && !strings.Contains(n, "sig") && !strings.Contains(n, "auth") && !strings.Contains(n, "code") {
			continue
		}
		for _, v := range vs {
			if v != "" {
				s = append(s, v)
			}
		}
	}
	return s
}
