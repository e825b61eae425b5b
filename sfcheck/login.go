package sfcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/text"
)

// DefaultTimeout bounds each request to Salesforce when Client.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// maxBody bounds every Salesforce answer drsetup reads. oauth2 reads no more
// than this of a token response either; token, identity and probe answers are
// a few kilobytes.
const maxBody = 1 << 20

// Credentials are what Digital River sends to Salesforce's token endpoint.
type Credentials struct {
	TokenEndpoint string
	Flow          Flow // "" means FlowPassword, the guide's default
	ClientID      string
	ClientSecret  secret.Value
	Username      string       // password flow only
	Password      secret.Value // password flow only; sent exactly as given
	SecurityToken secret.Value // password flow only; appended to the password by Login
	// MyDomain is the My Domain URL the admin entered, if any. It is not sent:
	// it lets a failed login blame the right input (a sandbox sent to
	// login.salesforce.com, the client credentials flow sent to a shared host).
	MyDomain string
	// App is the kind of app that holds the consumer key, if known; not
	// sent either: it names the right Setup pages in an explanation.
	App App
}

// Client talks to Salesforce for drsetup. The zero value works: it uses
// httpx's client, which never follows redirects and honours proxy settings.
type Client struct {
	HTTP *http.Client
	// AllowAnyHost lets credentials and tokens go to hosts that are not
	// Salesforce's (special clouds, test servers); http:// stays limited to
	// loopback addresses.
	AllowAnyHost bool
	Timeout      time.Duration // per request; DefaultTimeout when 0
	// Now is the clock an answer's time is measured with
	// (ProbeResult.Latency); time.Now when nil. Tests pass a fake one.
	Now func() time.Time
}

// Session is a successful login.
type Session struct {
	AccessToken secret.Value
	InstanceURL string // the org's own address, authoritative over the My Domain entered
	IdentityURL string // https://login.salesforce.com/id/<orgId>/<userId>
	OrgID       string // 00D…
	UserID      string // 005…
	TokenType   string // "Bearer"
	IssuedAt    time.Time
}

var defaultHTTP = httpx.NewClient(nil)

func (c *Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// Login makes exactly one token request, as Digital River will, and never
// retries it: repeated failed logins lock Salesforce users out. Every failure
// is a *LoginError.
func (c *Client) Login(ctx context.Context, cr Credentials) (*Session, error) {
	cr = cr.normalized()
	endpoint, kind, err := CheckTokenEndpoint(cr.TokenEndpoint, c.AllowAnyHost)
	if err != nil {
		return nil, &LoginError{
			Op: OpLogin, Kind: KindHostRefused, Field: field.TokenEndpoint, Host: httpx.Host(cr.TokenEndpoint),
			Flow: cr.Flow, Detail: err.Error(), Err: err,
		}
	}
	if lerr := cr.missing(); lerr != nil {
		return nil, lerr
	}
	host := httpx.Host(endpoint)

	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	ex := c.newExchange()
	octx := context.WithValue(ctx, oauth2.HTTPClient, ex.client)

	// AuthStyleInParams: with auto-detection oauth2 sends a refused login a
	// second time with the other style, and every failure counts towards
	// locking the user out.
	var tok *oauth2.Token
	switch cr.Flow {
	case FlowClientCredentials:
		conf := clientcredentials.Config{
			ClientID:     cr.ClientID,
			ClientSecret: cr.ClientSecret.Reveal(),
			TokenURL:     endpoint,
			AuthStyle:    oauth2.AuthStyleInParams,
		}
		tok, err = conf.Token(octx)
	default:
		conf := oauth2.Config{
			ClientID:     cr.ClientID,
			ClientSecret: cr.ClientSecret.Reveal(),
			Endpoint:     oauth2.Endpoint{TokenURL: endpoint, AuthStyle: oauth2.AuthStyleInParams},
		}
		tok, err = conf.PasswordCredentialsToken(octx, cr.Username, cr.Password.Reveal()+cr.SecurityToken.Reveal())
	}

	lc := loginContext{op: OpLogin, cr: cr, kind: kind, host: host, timeout: c.timeout()}
	if err != nil || ex.tooLarge {
		return nil, lc.redact(lc.fromExchange(ctx, ex, err))
	}
	s, lerr := lc.session(tok)
	if lerr != nil {
		return nil, lc.redact(lerr)
	}
	return s, nil
}

// PasswordWarning returns a note for a password with leading or trailing
// white space, or "". Such a password is sent as typed, since spaces are
// allowed in Salesforce passwords, but they are more often a copying slip.
func PasswordWarning(p string) string {
	if p == "" || strings.TrimSpace(p) == p {
		return ""
	}
	leading := strings.TrimLeftFunc(p, unicode.IsSpace) != p
	trailing := strings.TrimRightFunc(p, unicode.IsSpace) != p
	where := "ends"
	switch {
	case leading && trailing:
		where = "starts and ends"
	case leading:
		where = "starts"
	}
	return fmt.Sprintf("The password %s with white space. It is sent exactly as typed; if the space was copied by accident, remove it.", where)
}

// normalized trims what a copy and paste adds. The password is left alone:
// spaces are valid in it.
func (cr Credentials) normalized() Credentials {
	cr.TokenEndpoint = strings.TrimSpace(cr.TokenEndpoint)
	cr.ClientID = strings.TrimSpace(cr.ClientID)
	cr.ClientSecret = secret.Value(strings.TrimSpace(cr.ClientSecret.Reveal()))
	cr.Username = strings.TrimSpace(cr.Username)
	cr.SecurityToken = secret.Value(strings.TrimSpace(cr.SecurityToken.Reveal()))
	if cr.Flow == "" {
		cr.Flow = FlowPassword
	}
	return cr
}

// missing reports the first empty value the flow needs, before anything is
// sent.
func (cr Credentials) missing() *LoginError {
	miss := func(f field.Field) *LoginError {
		return &LoginError{Op: OpLogin, Kind: KindMissingValue, Field: f, Flow: cr.Flow}
	}
	switch cr.Flow {
	case FlowPassword, FlowClientCredentials:
	default:
		e := miss(field.Auth)
		e.Detail = string(cr.Flow)
		return e
	}
	switch {
	case cr.ClientID == "":
		return miss(field.ClientID)
	case cr.Flow == FlowClientCredentials && cr.ClientSecret.IsZero():
		return miss(field.ClientSecret)
	case cr.Flow == FlowClientCredentials:
		return nil
	case cr.Username == "":
		return miss(field.Username)
	case cr.Password.IsZero():
		return miss(field.Password)
	}
	return nil
}

// exchange is the *http.Client of one operation. It never follows redirects,
// reads each body itself up to maxBody, and keeps what came back, so that a
// failure reported by oauth2 can be told apart: an HTML page, an empty or
// oversized body, a redirect.
type exchange struct {
	client   *http.Client
	base     http.RoundTripper
	answered bool // a response arrived and its body was read
	status   int
	header   http.Header
	body     []byte
	tooLarge bool
	limit    int64         // the most of a body read; maxBody when 0
	waited   time.Duration // from sending the request to the answer's first byte (its headers)
	now      func() time.Time
}

func (c *Client) newExchange() *exchange {
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	ex := &exchange{base: hc.Transport, now: c.Now}
	if ex.now == nil {
		ex.now = time.Now
	}
	if ex.base == nil {
		ex.base = http.DefaultTransport
	}
	cp := *hc
	cp.Transport = ex
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ex.client = &cp
	return ex
}

func (ex *exchange) RoundTrip(req *http.Request) (*http.Response, error) {
	start := ex.now()
	resp, err := ex.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	ex.waited = ex.now().Sub(start)
	limit := ex.limit
	if limit <= 0 {
		limit = maxBody
	}
	body, err := httpx.ReadBody(resp.Body, limit)
	resp.Body.Close()
	if err != nil && !errors.Is(err, httpx.ErrBodyTooLarge) {
		return nil, err
	}
	ex.answered = true
	ex.status = resp.StatusCode
	ex.header = resp.Header
	ex.body = body
	ex.tooLarge = err != nil
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// session reads a token response into a Session, insisting on what Digital
// River and drsetup go on to use.
func (lc loginContext) session(tok *oauth2.Token) (*Session, *LoginError) {
	s := &Session{
		AccessToken: secret.Value(tok.AccessToken),
		TokenType:   tok.TokenType,
		InstanceURL: extraString(tok, "instance_url"),
		IdentityURL: extraString(tok, "id"),
		IssuedAt:    parseIssuedAt(tok.Extra("issued_at")),
	}
	if s.InstanceURL == "" {
		return nil, lc.badResponse("it has no instance_url")
	}
	// Both addresses are shown and used as they came: one with a control
	// character in it is not Salesforce's.
	if u, err := url.Parse(s.InstanceURL); err != nil || u.Host == "" || !text.Printable(s.InstanceURL) {
		return nil, lc.badResponse("its instance_url is not a web address")
	}
	if !text.Printable(s.IdentityURL) || !text.Printable(s.TokenType) {
		return nil, lc.badResponse("its id or token_type holds control characters")
	}
	org, user, ok := parseIdentityURL(s.IdentityURL)
	if !ok {
		return nil, lc.badResponse("its id is not an identity URL ending in /<org ID>/<user ID>")
	}
	s.OrgID, s.UserID = org, user
	return s, nil
}

func extraString(tok *oauth2.Token, key string) string {
	s, _ := tok.Extra(key).(string)
	return strings.TrimSpace(s)
}

// parseIssuedAt reads issued_at, which Salesforce documents in seconds but
// sends in milliseconds, as a string.
func parseIssuedAt(v any) time.Time {
	var n int64
	switch x := v.(type) {
	case string:
		n, _ = strconv.ParseInt(strings.TrimSpace(x), 10, 64)
	case float64:
		n = int64(x)
	case int64:
		n = x
	}
	switch {
	case n <= 0:
		return time.Time{}
	case n > 1e11:
		return time.UnixMilli(n).UTC()
	default:
		return time.Unix(n, 0).UTC()
	}
}

// parseIdentityURL takes the org and user IDs from the last two segments of
// the identity URL, as the Salesforce CLI does, and checks their key prefixes.
func parseIdentityURL(raw string) (org, user string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", false
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) < 2 {
		return "", "", false
	}
	org, user = segs[len(segs)-2], segs[len(segs)-1]
	return org, user, isSalesforceID(org, "00D") && isSalesforceID(user, "005")
}

// isSalesforceID checks a 15- or 18-character record ID with a key prefix.
func isSalesforceID(id, prefix string) bool {
	return (len(id) == 15 || len(id) == 18) && strings.HasPrefix(id, prefix) && isIDChars(id)
}

// InstanceError says the org that answered the login is not at the My Domain
// entered.
type InstanceError struct {
	InstanceHost string // from the login's instance_url
	MyDomainHost string // as entered
	SameOrg      bool   // same My Domain and sandbox name: the org moved to another form of its address
}

func (e *InstanceError) Error() string {
	if e.SameOrg {
		return fmt.Sprintf("Salesforce reports this org's address as %s, not %s as entered: the org now uses another form of its My Domain. Use https://%s as the My Domain URL.", e.InstanceHost, e.MyDomainHost, e.InstanceHost)
	}
	return fmt.Sprintf("The login was accepted by the org at %s, but the My Domain entered is %s: either the credentials belong to another org, or the My Domain is wrong. Check the org in Setup → My Domain; if %s is the right org, use https://%s as the My Domain URL.", e.InstanceHost, e.MyDomainHost, e.InstanceHost, e.InstanceHost)
}

// CheckInstance checks that the login's instance_url is the My Domain
// entered. After a login, instance_url is authoritative: a mismatch means
// another org or a wrong My Domain, and the error (*InstanceError) names both.
func CheckInstance(s *Session, d MyDomain) error {
	if s == nil || d.Host == "" {
		return nil
	}
	u, err := url.Parse(s.InstanceURL)
	if err != nil {
		return &InstanceError{InstanceHost: s.InstanceURL, MyDomainHost: d.Host}
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == d.Host {
		return nil
	}
	e := &InstanceError{InstanceHost: host, MyDomainHost: d.Host}
	if got, err := ParseMyDomain(host); err == nil {
		e.SameOrg = got.Name == d.Name && got.SandboxName == d.SandboxName
	}
	return e
}
