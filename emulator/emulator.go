// Package emulator simulates the Salesforce orgs and the Digital River account
// drsetup talks to, answering exactly as the facts files describe, so the demo
// and the tests run the real code paths with nothing leaving the machine.
package emulator

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	loginHost = "login.salesforce.com"
	testHost  = "test.salesforce.com"
	drHost    = "api.digitalriver.com"
)

// Fault names, as recorded in Exchange.Fault.
const (
	FaultLatency      = "latency"       // the request's context ended while the answer was delayed
	FaultRateLimit    = "rate_limit"    // answered 429
	FaultServerError  = "server_error"  // answered 5xx
	FaultDropResponse = "drop_response" // a create was stored and its connection dropped
	FaultHoldResponse = "hold_response" // a create was stored and its answer held until the client gave up
	FaultSilent       = "silent"        // never answered
	FaultUnknownError = "unknown_error" // a Salesforce login answered unknown_error
)

// Exchange is one request the emulator received. It never holds a password,
// secret, token or key: query values that could carry one are redacted.
type Exchange struct {
	Time      time.Time
	Host      string // lower case, without port
	Method    string
	Path      string
	Query     string // encoded; values of credential parameters replaced by "[redacted]"
	Status    int    // 0 when no answer was sent
	Username  string // token requests: the username sent
	GrantType string // token requests: the grant_type sent
	ClientID  string // token requests: the client_id sent
	Fault     string // the injected fault that decided the answer, if any
}

// Delivery is an event POSTed to an org's Apex webhook listener.
type Delivery struct {
	Time      time.Time
	MyDomain  string
	Username  string // the user whose token was used
	EventID   string
	EventType string
	Status    int
}

// Emulator is an http.Handler serving the simulated Salesforce and Digital
// River hosts, chosen by the request's Host. It is safe for concurrent use.
type Emulator struct {
	// Read-only after New.
	orgs      []Org
	keys      map[string]Key
	bareArray bool
	account   Account // the options of the Digital River account (its webhooks are in webhooks)
	clock     func() time.Time
	sleep     func(context.Context, time.Duration) error

	mu         sync.Mutex
	webhooks   []Webhook            // every mode, in creation order
	listedFrom map[string]time.Time // id → when a lagging list first shows a webhook created here
	lastCreate time.Time            // the createdTime of the newest create
	faults     Faults
	sessions   map[string]session // access token → whose it is
	failures   map[string]int     // lower-cased username → consecutive failed logins
	received   []Exchange
	deliveries []Delivery

	// Evidence (evidence.go): what doctor reads past the configuration.
	logins  map[string][]LoginEvent // user ID → Login History, appended by the token endpoint
	events  []Event                 // Digital River's events, every mode; read-only after New
	cursors map[string]*queryCursor // query locator → the rest of a query's result

	closed    chan struct{} // closed by Server.Close, to release silent requests
	closeOnce sync.Once
}

// New returns an emulator for s. It panics if s is invalid (a scenario is
// program text, like a regular expression); LoadScenario and Start return the
// same problems as errors.
func New(s Scenario) *Emulator {
	e, err := newEmulator(s)
	if err != nil {
		panic("emulator.New: " + err.Error())
	}
	return e
}

func newEmulator(s Scenario) (*Emulator, error) {
	n, err := s.normalized()
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		orgs:       n.Orgs,
		keys:       map[string]Key{},
		bareArray:  n.DigitalRiver.BareArrayList,
		account:    n.DigitalRiver,
		clock:      n.Clock,
		sleep:      n.Sleep,
		webhooks:   n.DigitalRiver.Webhooks,
		listedFrom: map[string]time.Time{},
		faults:     n.Faults,
		sessions:   map[string]session{},
		failures:   map[string]int{},
		closed:     make(chan struct{}),
	}
	for _, k := range n.DigitalRiver.Keys {
		e.keys[k.Key] = k
	}
	e.startEvidence(n.DigitalRiver.Events, e.now())
	return e, nil
}

// SetFaults replaces the faults in force, counts included. Like New, it
// panics on an invalid fault (a status outside 5xx, a negative latency).
func (e *Emulator) SetFaults(f Faults) {
	n, err := f.normalized()
	if err != nil {
		panic("emulator.SetFaults: " + err.Error())
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = n
}

// Received returns every request received so far, oldest first.
func (e *Emulator) Received() []Exchange {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.received)
}

// LoginAttempts counts the password-grant token requests sent for username,
// whatever their outcome.
func (e *Emulator) LoginAttempts(username string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, x := range e.received {
		if x.GrantType == grantPassword && strings.EqualFold(x.Username, username) {
			n++
		}
	}
	return n
}

// Webhooks returns copies of the account's webhooks of mode ("test" or
// "live"; "" for both), in creation order.
func (e *Emulator) Webhooks(mode string) []Webhook {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Webhook
	for _, w := range e.webhooks {
		if mode == "" || w.LiveMode == (mode == modeLive) {
			out = append(out, w.clone())
		}
	}
	return out
}

// Deliveries returns the events POSTed to the orgs' Apex listeners.
func (e *Emulator) Deliveries() []Delivery {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.deliveries)
}

func (e *Emulator) close() { e.closeOnce.Do(func() { close(e.closed) }) }

// now is the emulator's clock (Scenario.Clock).
func (e *Emulator) now() time.Time {
	if e.clock != nil {
		return e.clock()
	}
	return time.Now()
}

// ServeHTTP answers as the host in r.Host would, after any fault in force.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := normalHost(r.Host)
	x := Exchange{
		Time:   e.now(),
		Host:   host,
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  redactQuery(r.URL.RawQuery),
	}
	e.mu.Lock()
	idx := len(e.received)
	e.received = append(e.received, x) // at once, so a silent request shows while it waits
	e.mu.Unlock()

	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		x.Status = sw.status
		e.mu.Lock()
		e.received[idx] = x
		e.mu.Unlock()
		// Dropped only after recording, so a client that sees the drop also
		// sees it in Received.
		if x.Fault == FaultDropResponse {
			dropConnection(w)
		}
	}()

	if host == drHost {
		// Every Digital River answer carries a request id, errors and faults too.
		w.Header().Set("x-dr-requestid", newUUID())
	}
	if e.injectFault(sw, r, host, &x) {
		return
	}
	switch {
	case host == drHost:
		e.serveDigitalRiver(sw, r, &x)
	case host == loginHost || host == testHost:
		e.serveSalesforce(sw, r, host, -1, &x)
	default:
		if i := e.orgByHost(host); i >= 0 {
			e.serveSalesforce(sw, r, host, i, &x)
			return
		}
		notServed(sw)
	}
}

func (e *Emulator) orgByHost(host string) int {
	return slices.IndexFunc(e.orgs, func(o Org) bool { return o.MyDomain == host })
}

// notServed answers for a host the emulator does not simulate: a Lightning
// or Setup host, an instance URL, any other name. Our choice: a 404 HTML page,
// which is what a client meets when it posts to a host that serves the
// Salesforce UI rather than the API, and what a proxy's error looks like.
func notServed(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte("<!DOCTYPE html>\n<html><head><title>URL No Longer Exists</title></head>" +
		"<body><p>You have attempted to reach a URL that no longer exists on salesforce.com.</p></body></html>\n"))
}

// injectFault applies the faults in force for host and reports whether one of
// them answered the request. A fault that withholds the answer aborts the
// handler with http.ErrAbortHandler instead of returning.
func (e *Emulator) injectFault(w http.ResponseWriter, r *http.Request, host string, x *Exchange) bool {
	e.mu.Lock()
	silent := e.faults.Silent[host] || e.faults.Silent["*"]
	latency, ok := e.faults.Latency[host]
	if !ok {
		latency = e.faults.Latency["*"]
	}
	e.mu.Unlock()

	if silent {
		x.Fault = FaultSilent
		e.hold(r.Context(), -1) // never returns
	}
	if latency > 0 {
		x.Fault = FaultLatency // kept only if the wait is cut short
		e.hold(r.Context(), latency)
		x.Fault = ""
	}

	e.mu.Lock()
	limit, limited := takeFault(e.faults.RateLimit, host, func(f *RateLimitFault) *int { return &f.Count })
	var failure StatusFault
	var failed bool
	if !limited {
		failure, failed = takeFault(e.faults.ServerErrors, host, func(f *StatusFault) *int { return &f.Count })
	}
	e.mu.Unlock()
	switch {
	case limited:
		x.Fault = FaultRateLimit
		w.Header().Set("Retry-After", strconv.Itoa(limit.RetryAfter))
		if host == drHost {
			writeDRError(w, http.StatusTooManyRequests, drError{Code: "too_many_requests", Message: "Too many requests. Please try again later."})
		} else {
			// Salesforce documents no 429 for these endpoints; the fault exists
			// to test clients, so it answers in Salesforce REST's error shape.
			writeSFRESTError(w, http.StatusTooManyRequests, "REQUEST_LIMIT_EXCEEDED", "Too many requests. Try again later.")
		}
		return true
	case failed:
		x.Fault = FaultServerError
		if host == drHost {
			writeDRError(w, failure.Status, drError{Code: drErrorType(failure.Status), Message: "An unexpected error occurred. Please try again."})
		} else {
			// Salesforce's outages and maintenance answer with HTML pages.
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			w.WriteHeader(failure.Status)
			w.Write([]byte("<!DOCTYPE html>\n<html><head><title>Salesforce - Service Unavailable</title></head>" +
				"<body><p>The service is temporarily unavailable. Please try again later.</p></body></html>\n"))
		}
		return true
	}
	return false
}

// slowly waits d before answering, as a slow listener does: on the
// scenario's Sleep when it has one (a fake clock's), else as hold does.
func (e *Emulator) slowly(ctx context.Context, d time.Duration) {
	if e.sleep == nil {
		e.hold(ctx, d)
		return
	}
	if e.sleep(ctx, d) != nil {
		panic(http.ErrAbortHandler)
	}
}

// hold waits d, or forever if d < 0. If the request's context ends or the
// server closes first, it aborts the handler, so the client gets no answer at
// all: returning would let net/http send an empty 200.
func (e *Emulator) hold(ctx context.Context, d time.Duration) {
	var elapsed <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		elapsed = t.C
	}
	select {
	case <-elapsed:
	case <-ctx.Done():
		panic(http.ErrAbortHandler)
	case <-e.closed:
		panic(http.ErrAbortHandler)
	}
}

// takeFault uses up one of the next-N requests a per-host fault applies to;
// the host's own entry wins over "*", and a negative count never runs out.
// The caller holds e.mu.
func takeFault[F any](m map[string]F, host string, count func(*F) *int) (F, bool) {
	for _, h := range [...]string{host, "*"} {
		f, ok := m[h]
		if !ok {
			continue
		}
		n := count(&f)
		if *n == 0 {
			continue
		}
		if *n > 0 {
			*n--
			m[h] = f
		}
		return f, true
	}
	var zero F
	return zero, false
}

// credentialParams are query parameters whose values Received must not keep,
// in case a client wrongly sends credentials in the URL.
var credentialParams = map[string]bool{
	"password": true, "client_secret": true, "access_token": true, "oauth_token": true,
	"token": true, "key": true, "api_key": true,
}

func redactQuery(raw string) string {
	if raw == "" {
		return ""
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "[unparsable query redacted]"
	}
	for k, vs := range q {
		if credentialParams[strings.ToLower(k)] {
			for i := range vs {
				vs[i] = "[redacted]"
			}
		}
	}
	return q.Encode()
}

// statusWriter remembers the status a handler sent.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (to drop it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func newUUID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return formatUUID(b)
}
