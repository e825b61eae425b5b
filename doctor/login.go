package doctor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/sfcheck"
)

// maxFailedLogins is how many token requests of one Salesforce username may
// fail in a run (DESIGN.md, Doctor). Salesforce locks a user out after 10
// failed logins by default, support engineers run doctor often, and Digital
// River's own retries count too.
const maxFailedLogins = 2

// budgetSkip is why a login was not tried: its username's failures in this
// run used up the budget.
const budgetSkip = "Not tried: two logins for this user already failed in this run; more would count toward locking the user out."

// errBudget is the outcome of a login not tried for the lockout budget;
// the check that meets it says budgetSkip.
var errBudget = errors.New("login not tried: the lockout budget of its user is spent")

// logins makes at most one Salesforce login per set of credentials in a run,
// and no more than maxFailedLogins failed ones per username. Every failed
// password login counts towards locking the user out, and Digital River's
// stored login is often the profile's own: the profile's check and the
// replay of the webhook share one attempt.
type logins struct {
	sf      *sfcheck.Client
	timeout time.Duration // bounds each login, as a check is bounded

	mu    sync.Mutex
	calls map[string]*loginCall
	users map[string]*userLogins
}

type loginCall struct {
	done    chan struct{}
	session *sfcheck.Session
	err     error
	first   string // who asked first, for the others' findings
}

// userLogins are one username's logins in the run: those that failed and
// those in flight, which may yet fail. changed is closed, and replaced,
// whenever one ends.
type userLogins struct {
	failed, inFlight int
	changed          chan struct{}
}

// loginOutcome is how a login ended: a session, an error, or neither when it
// was not made.
type loginOutcome struct {
	session *sfcheck.Session
	err     error
	probe   probeSample // a replay's probe of the webhook's address, when it made one
}

// tried reports whether the login was sent (or counted against the budget).
func (o loginOutcome) tried() bool {
	return o.session != nil || (o.err != nil && !errors.Is(o.err, errBudget))
}

func (o loginOutcome) works() bool { return o.session != nil }

func newLogins(sf *sfcheck.Client, timeout time.Duration) *logins {
	return &logins{sf: sf, timeout: timeout, calls: map[string]*loginCall{}, users: map[string]*userLogins{}}
}

// login returns the outcome of the one login with cr, making it on the first
// call, or errBudget when the username's failures used up the run's budget.
// While the failed and in-flight logins of a username could reach the
// budget, a new one waits for one of them to end. The login runs apart from
// any caller, bounded by the Salesforce client's own timeout and by ctx,
// the run's. who names the caller; sharedWith is who made the attempt when
// it was an earlier caller, "" otherwise.
func (l *logins) login(ctx context.Context, cr sfcheck.Credentials, who string) (s *sfcheck.Session, sharedWith string, err error) {
	key, user := credentialKey(cr), budgetKey(cr)
	l.mu.Lock()
	var c *loginCall
	for {
		if call, ok := l.calls[key]; ok {
			c, sharedWith = call, call.first
			break
		}
		u := l.user(user)
		if u == nil || u.failed+u.inFlight < maxFailedLogins {
			if u != nil {
				u.inFlight++
			}
			c = &loginCall{done: make(chan struct{}), first: who}
			l.calls[key] = c
			go l.send(ctx, c, cr, u)
			break
		}
		if u.failed >= maxFailedLogins {
			l.mu.Unlock()
			return nil, "", errBudget
		}
		changed := u.changed
		l.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, "", l.waitError(ctx, cr)
		}
		l.mu.Lock()
	}
	l.mu.Unlock()

	select {
	case <-c.done:
		return c.session, sharedWith, c.err
	case <-ctx.Done():
		return nil, sharedWith, l.waitError(ctx, cr)
	}
}

// user is the budget of a username, nil for a login that has none (client
// credentials). The caller holds l.mu.
func (l *logins) user(name string) *userLogins {
	if name == "" {
		return nil
	}
	u, ok := l.users[name]
	if !ok {
		u = &userLogins{changed: make(chan struct{})}
		l.users[name] = u
	}
	return u
}

// send makes the login of c and counts its failure against u's budget.
func (l *logins) send(ctx context.Context, c *loginCall, cr sfcheck.Credentials, u *userLogins) {
	lctx, cancel := context.WithTimeout(ctx, l.timeout)
	c.session, c.err = l.sf.Login(lctx, cr)
	cancel()
	if u != nil {
		l.mu.Lock()
		u.inFlight--
		if c.err != nil && mayHaveReached(c.err) {
			u.failed++
		}
		close(u.changed)
		u.changed = make(chan struct{})
		l.mu.Unlock()
	}
	close(c.done)
}

// mayHaveReached reports whether a failed login may have reached a token
// endpoint, and so may count toward the user's lockout: not one drsetup
// refused to send, nor one cancelled, nor one whose connection was never
// made.
func mayHaveReached(err error) bool {
	var le *sfcheck.LoginError
	if !errors.As(err, &le) {
		return true
	}
	switch le.Kind {
	case sfcheck.KindMissingValue, sfcheck.KindHostRefused, sfcheck.KindCancelled:
		return false
	}
	var ne *httpx.NetError
	if errors.As(err, &ne) {
		switch ne.Kind {
		case httpx.NetDNS, httpx.NetRefused, httpx.NetTLS, httpx.NetProxy:
			return false
		}
	}
	return true
}

// waitError says that a caller stopped waiting for a login, in the terms of
// the login itself: it was sent, once, and may yet reach Salesforce.
func (l *logins) waitError(ctx context.Context, cr sfcheck.Credentials) error {
	e := &sfcheck.LoginError{Op: sfcheck.OpLogin, Kind: sfcheck.KindCancelled, Host: httpx.Host(cr.TokenEndpoint), Err: ctx.Err(),
		Flow: cr.Flow, Timeout: l.timeout}
	if cr.Flow != sfcheck.FlowClientCredentials {
		e.Username = cr.Username
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		e.Kind, e.Sent = sfcheck.KindTimeout, true
	}
	return e
}

// budgetKey is the username whose lockout a login risks, "" for client
// credentials, which log in as no user by password.
func budgetKey(cr sfcheck.Credentials) string {
	if cr.Flow == sfcheck.FlowClientCredentials {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(cr.Username))
}

// credentialKey identifies a set of credentials as Salesforce sees them: the
// normalised token endpoint, the grant, and what is sent with it (the
// password and security token joined, as sent). It is a hash, so the map
// holds no secret in the clear.
func credentialKey(cr sfcheck.Credentials) string {
	endpoint := strings.TrimSpace(cr.TokenEndpoint)
	if norm, _, err := sfcheck.CheckTokenEndpoint(endpoint, true); err == nil {
		endpoint = norm
	}
	flow := cr.Flow
	if flow == "" {
		flow = sfcheck.FlowPassword
	}
	parts := []string{endpoint, string(flow), strings.TrimSpace(cr.ClientID), strings.TrimSpace(cr.ClientSecret.Reveal())}
	if flow == sfcheck.FlowPassword {
		parts = append(parts, strings.ToLower(strings.TrimSpace(cr.Username)),
			cr.Password.Reveal()+strings.TrimSpace(cr.SecurityToken.Reveal()))
	}
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
