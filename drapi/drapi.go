// Package drapi is drsetup's client for the Digital River REST API: the
// webhooks resource (list across pages, get, create, update, delete), an
// idempotent Ensure built on them, the events list, typed errors in the user's
// words, and retries that never repeat a create blindly.
package drapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
)

// DefaultBaseURL is the Digital River API, the only host that receives the key
// unless the caller allows any host.
const DefaultBaseURL = "https://api.digitalriver.com"

// Defaults for Options left at their zero value.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxAttempts    = 4
	DefaultRetryBudget    = 90 * time.Second
	// DefaultMaxPages bounds one walk of a list: 200 pages of 100 are 20,000
	// webhooks, far more than any account holds, so a server that keeps
	// saying more follow is stopped, with a *PagingError, long before it
	// costs minutes and memory.
	DefaultMaxPages = 200
)

// IsDigitalRiverHost reports whether host is the Digital River API host, the
// one host trusted with a secret key.
func IsDigitalRiverHost(host string) bool {
	return strings.TrimSuffix(strings.ToLower(host), ".") == "api.digitalriver.com"
}

// Options configure a Client. The zero value talks to DefaultBaseURL through
// httpx's proxy-aware transport.
type Options struct {
	// BaseURL is checked with httpx.CheckCredentialURL: HTTPS to
	// api.digitalriver.com, or any host with AllowAnyHost (plain http only to
	// loopback). A path prefix is kept, so an emulator may be mounted under one.
	BaseURL string
	// HTTPClient sends every request. Callers may wrap its transport (debug
	// log, demo dialler); it should not follow redirects, as httpx.NewClient's
	// does not, so a redirect is reported rather than followed with the key.
	HTTPClient   *http.Client
	AllowAnyHost bool
	// RequestTimeout bounds each try of a request.
	RequestTimeout time.Duration
	// MaxAttempts bounds the tries of one call, the first included.
	MaxAttempts int
	// RetryBudget bounds one call with all its tries and waits.
	RetryBudget time.Duration
	// MaxBody bounds every response body; default httpx.DefaultMaxBody.
	MaxBody int64
	// Redactor, when set, is the run's set of known secrets: every text of an
	// *Error is redacted with it as well as with the request's own secrets.
	Redactor *secret.Redactor
	// MaxPages bounds the pages one list walk reads; default
	// DefaultMaxPages.
	MaxPages int
	// Now and Sleep are the clock the client waits by (between tries, and
	// while it looks for a create whose answer was lost); nil means the real
	// one. Tests pass a fake clock so that no test waits for real.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client talks to the Digital River API with one secret key. It is safe for
// concurrent use.
type Client struct {
	Webhooks *WebhooksService
	Events   *EventsService

	key      string
	mode     Mode
	base     *url.URL
	http     *http.Client
	timeout  time.Duration
	attempts int
	budget   time.Duration
	maxBody  int64
	red      *secret.Redactor
	maxPages int

	// sleep waits between tries and polls, now tells the time; tests
	// replace them so they never wait for real.
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time
	// jitter returns a random duration in [0, d); tests make it deterministic.
	jitter func(d time.Duration) time.Duration
}

// New returns a client for key. It refuses public keys, malformed keys and base
// URLs that may not receive the key, before anything is sent.
func New(key string, o Options) (*Client, error) {
	key = strings.TrimSpace(key)
	mode, err := ClassifyKey(key)
	if err != nil {
		return nil, err
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	base, err := httpx.CheckCredentialURL(o.BaseURL, IsDigitalRiverHost, o.AllowAnyHost)
	if err != nil {
		return nil, err
	}
	base.Path = strings.TrimSuffix(base.Path, "/")
	base.RawPath = ""
	base.RawQuery = ""
	base.Fragment = ""

	c := &Client{
		key:      key,
		mode:     mode,
		base:     base,
		http:     o.HTTPClient,
		timeout:  o.RequestTimeout,
		attempts: o.MaxAttempts,
		budget:   o.RetryBudget,
		maxBody:  o.MaxBody,
		red:      o.Redactor,
		maxPages: o.MaxPages,
		sleep:    sleepContext,
		now:      time.Now,
		jitter:   randomJitter,
	}
	if o.Sleep != nil {
		c.sleep = o.Sleep
	}
	if o.Now != nil {
		c.now = o.Now
	}
	if c.http == nil {
		c.http = httpx.NewClient(nil)
	}
	if c.timeout <= 0 {
		c.timeout = DefaultRequestTimeout
	}
	if c.attempts <= 0 {
		c.attempts = DefaultMaxAttempts
	}
	if c.budget <= 0 {
		c.budget = DefaultRetryBudget
	}
	if c.maxBody <= 0 {
		c.maxBody = httpx.DefaultMaxBody
	}
	if c.maxPages <= 0 {
		c.maxPages = DefaultMaxPages
	}
	c.Webhooks = &WebhooksService{client: c}
	c.Events = &EventsService{client: c}
	return c, nil
}

// Mode says whether the client's key works on test or live data.
func (c *Client) Mode() Mode { return c.mode }

// BaseURL returns the API address the client sends its key to.
func (c *Client) BaseURL() string { return c.base.String() }
