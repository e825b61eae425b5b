package doctor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/drsetup/drsetup/sfcheck"
)

// logins makes at most one Salesforce login per set of credentials in a run.
// Every failed password login counts towards locking the user out, and
// Digital River's stored login is often the profile's own: the profile's
// check and the replay of the webhook share one attempt.
type logins struct {
	sf      *sfcheck.Client
	timeout time.Duration // bounds each login, as a check is bounded

	mu    sync.Mutex
	calls map[string]*loginCall
}

type loginCall struct {
	done    chan struct{}
	session *sfcheck.Session
	err     error
	first   string // who asked first, for the others' findings
}

func newLogins(sf *sfcheck.Client, timeout time.Duration) *logins {
	return &logins{sf: sf, timeout: timeout, calls: map[string]*loginCall{}}
}

// login returns the outcome of the one login with cr, making it on the first
// call. The login runs apart from any caller, bounded by the Salesforce
// client's own timeout and by base, so one caller's timeout does not cancel
// it for the others. who names the caller; sharedWith is who made the
// attempt when it was an earlier caller, "" otherwise.
func (l *logins) login(ctx, base context.Context, cr sfcheck.Credentials, who string) (s *sfcheck.Session, sharedWith string, err error) {
	key := credentialKey(cr)
	l.mu.Lock()
	c, ok := l.calls[key]
	if ok {
		sharedWith = c.first
	} else {
		c = &loginCall{done: make(chan struct{}), first: who}
		l.calls[key] = c
		go func() {
			lctx, cancel := context.WithTimeout(base, l.timeout)
			defer cancel()
			c.session, c.err = l.sf.Login(lctx, cr)
			close(c.done)
		}()
	}
	l.mu.Unlock()

	select {
	case <-c.done:
		return c.session, sharedWith, c.err
	case <-ctx.Done():
		return nil, sharedWith, l.waitError(ctx, cr)
	}
}

// waitError says that a caller stopped waiting for a login, in the terms of
// the login itself: it was sent, once, and may yet reach Salesforce.
func (l *logins) waitError(ctx context.Context, cr sfcheck.Credentials) error {
	e := &sfcheck.LoginError{Op: sfcheck.OpLogin, Kind: sfcheck.KindCancelled, Host: hostOf(cr.TokenEndpoint), Err: ctx.Err(),
		Flow: cr.Flow, Timeout: l.timeout}
	if cr.Flow != sfcheck.FlowClientCredentials {
		e.Username = cr.Username
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		e.Kind, e.Sent = sfcheck.KindTimeout, true
	}
	return e
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
