package drapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/drsetup/drsetup/buildinfo"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
)

// Retry timing. MaxRetryWait bounds one wait, Retry-After included: a server asking
// for longer is told back to the user rather than waited on.
const (
	baseBackoff  = 500 * time.Millisecond
	maxBackoff   = 8 * time.Second
	MaxRetryWait = 30 * time.Second
)

// request is one API call, possibly sent several times.
type request struct {
	method string
	path   string // API path, escaped, e.g. /webhooks/abc
	query  url.Values
	body   []byte // JSON; may hold secrets, so it is never logged or quoted
	redact func(string) string
}

func (c *Client) newRequest(method, path string, body []byte, secrets ...string) *request {
	var r secret.Redactor
	r.Add(c.key)
	r.Add(secrets...)
	redact := r.Redact
	if c.red != nil {
		// The run's redactor knows more: the stored secrets of the webhooks
		// it has read, the secrets typed so far.
		redact = func(s string) string { return c.red.Redact(r.Redact(s)) }
	}
	return &request{method: method, path: path, body: body, redact: redact}
}

// response is a 2xx answer, its body read in full within the size limit.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends r, retrying what is safe to retry, within the client's retry budget
// and attempt limit. Failures are *Error.
func (c *Client) do(ctx context.Context, r *request) (*response, error) {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.budget)
	defer cancel()
	for attempt := 1; ; attempt++ {
		resp, err := c.try(ctx, r, attempt-1)
		if err == nil {
			return resp, nil
		}
		err.Attempts = attempt
		wait, again := c.retryWait(ctx, r, err, attempt)
		if !again {
			return nil, err
		}
		if c.sleep(ctx, wait) != nil {
			if parent.Err() != nil {
				return nil, c.netError(parent, r, attempt, parent.Err())
			}
			return nil, err
		}
	}
}

// try sends r once, under the per-try timeout, and reads the whole answer
// within the size limit. The try number goes into the request context for the
// debug log.
func (c *Client) try(ctx context.Context, r *request, n int) (*response, *Error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ctx = httpx.WithAttempt(ctx, n)

	u := *c.base
	u.RawPath = c.base.EscapedPath() + r.path
	u.Path, _ = url.PathUnescape(u.RawPath)
	u.RawQuery = r.query.Encode()
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return nil, &Error{Kind: KindUnexpected, Method: r.method, Path: r.path, Err: err, Host: c.base.Host}
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", buildinfo.Get().UserAgent())
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.netError(ctx, r, 0, err)
	}
	defer resp.Body.Close()
	b, err := readBody(resp, c.maxBody)
	if err != nil && !errors.Is(err, httpx.ErrBodyTooLarge) {
		return nil, c.netError(ctx, r, 0, err)
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if ok && err == nil && !httpx.LooksLikeHTML(resp.Header.Get("Content-Type"), b) {
		return &response{status: resp.StatusCode, header: resp.Header, body: b}, nil
	}
	return nil, c.responseError(r, resp.StatusCode, resp.Header, b, err)
}

// readBody reads at most limit bytes, as httpx.ReadBody does, but sizes its
// buffer from Content-Length when the server gives one: a page of webhooks
// read by doubling a small buffer costs several times the page in garbage.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	switch n := resp.ContentLength; {
	case n > limit:
		return nil, httpx.ErrBodyTooLarge
	case n > 0:
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	b := buf.Bytes()
	if err == nil && int64(len(b)) > limit {
		return b[:limit], httpx.ErrBodyTooLarge
	}
	return b, err
}

func (c *Client) netError(ctx context.Context, r *request, attempts int, err error) *Error {
	ne := httpx.ClassifyNetError(ctx, c.base.Host, err)
	e := &Error{Kind: KindNetwork, Method: r.method, Path: r.path, Attempts: attempts, Err: ne, Host: c.base.Host}
	switch ne.Kind {
	case httpx.NetCancelled:
		e.Kind = KindCancelled
	case httpx.NetTimeout:
		e.Kind = KindTimeout
	}
	return e
}

// retryWait decides whether a failed try is tried again, and after how long.
// GET, PATCH and DELETE are repeated after a rate limit, a gateway error or a
// lost connection. A POST is repeated only when it certainly did nothing: a
// 429, or a connection that was refused before anything was sent.
func (c *Client) retryWait(ctx context.Context, r *request, e *Error, attempt int) (time.Duration, bool) {
	if attempt >= c.attempts || ctx.Err() != nil || !retryable(r.method, e) {
		return 0, false
	}
	wait := c.backoff(attempt)
	if e.Kind == KindRateLimited && e.RetryAfter > 0 {
		wait = e.RetryAfter
	}
	if wait > MaxRetryWait {
		return 0, false
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= wait {
		return 0, false
	}
	return wait, true
}

func retryable(method string, e *Error) bool {
	if e.Kind == KindCancelled || e.Kind == KindTooLarge {
		return false
	}
	if e.Status == http.StatusTooManyRequests {
		return true
	}
	var ne *httpx.NetError
	isNet := errors.As(e.Err, &ne)
	if method == http.MethodPost {
		return isNet && ne.Kind == httpx.NetRefused
	}
	switch e.Status {
	case http.StatusRequestTimeout, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return e.Kind == KindTimeout || (isNet && ne.Temporary())
}

// backoff is the wait after the given number of failed tries: exponential,
// capped, with half of it random so that clients sharing a key spread out.
func (c *Client) backoff(attempt int) time.Duration {
	d := baseBackoff << (attempt - 1)
	if d > maxBackoff || d <= 0 {
		d = maxBackoff
	}
	return d/2 + c.jitter(d/2)
}

func randomJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d)
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// parseRetryAfter reads a Retry-After header: Digital River sends whole
// seconds; an HTTP date is accepted too. Anything else is 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0
		}
		if n > 86400 {
			n = 86400
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}
