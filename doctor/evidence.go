package doctor

// The delivery checks (DESIGN.md, Doctor, "Past the configuration"): did the
// events get through? They read, read-only, with the Digital River key and
// a Salesforce token the run already holds: the run's own login's, or in
// key-only mode each webhook's replayed one. They never log in, so the
// lockout budget is not touched. What one user's session reads is read
// once, however many webhooks log in as that user, and kept as tallies, not
// rows, so a key with thousands of webhooks holds no more than a few
// numbers per org.

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// DefaultWindow is how far back the delivery checks look when
// Options.Window is 0 (--since 7d); MaxWindow (--since 30d) is as far back
// as Digital River's events list reaches.
const (
	DefaultWindow = 7 * 24 * time.Hour
	MaxWindow     = 30 * 24 * time.Hour
)

// sessionChecks are the delivery checks made with a Salesforce session, in
// the report's order.
var sessionChecks = []ID{CheckSFPermissionSet, CheckListenerLatency, CheckSFLoginHistory, CheckSFFailedEvents}

// evidence is what the delivery checks of a run share.
type evidence struct {
	mu     sync.Mutex
	users  map[string]*userReads // by org and user
	order  []*userReads          // as first met, for the timeline
	speeds map[string]*speedRead // by endpoint probed
	unread map[string]bool       // orgs whose Salesforce side no check could read
	events *eventTally           // what dr_events read; nil when it read nothing
}

func newEvidence() *evidence {
	return &evidence{users: map[string]*userReads{}, speeds: map[string]*speedRead{}, unread: map[string]bool{}}
}

// userReads are the reads made with one user's session, each made once by
// the first check that needs it.
type userReads struct {
	org string // the org's name in the timeline: its My Domain's first label
	// red redacts what the reads quote from the org: the redactor of the
	// first check that read them, which knows the session's token.
	red *secret.Redactor

	permOnce sync.Once
	perm     sfcheck.PermissionProof
	permErr  error

	// histRead and failRead say that the read was made (the timeline
	// is made after every check has ended).
	histOnce sync.Once
	histRead bool
	hist     loginTally
	histErr  error

	failOnce sync.Once
	failRead bool
	failed   failedTally
	failErr  error
}

// user is the reads of s's user, made the first time they are asked for.
func (e *evidence) user(s *sfcheck.Session, red *secret.Redactor) *userReads {
	key := idKey(s.OrgID) + "/" + idKey(s.UserID)
	e.mu.Lock()
	defer e.mu.Unlock()
	if u, ok := e.users[key]; ok {
		return u
	}
	u := &userReads{org: orgLabel(httpx.Host(s.InstanceURL)), red: red}
	e.users[key] = u
	e.order = append(e.order, u)
	return u
}

// notRead records that no check could read the Salesforce side of the org
// at host, for the timeline's heading.
func (e *evidence) notRead(host string) {
	if host == "" {
		return
	}
	e.mu.Lock()
	e.unread[orgLabel(host)] = true
	e.mu.Unlock()
}

// idKey is a Salesforce ID in its 15-character form, case kept, so that
// both forms of one ID name one user.
func idKey(id string) string {
	if len(id) >= 15 {
		return id[:15]
	}
	return id
}

// orgLabel names an org in the timeline by its My Domain's first label
// ("acme", "acme--uat"), the part an admin knows it by.
func orgLabel(host string) string {
	label, _, _ := strings.Cut(host, ".")
	return label
}

// redactorOf is the redactor of group's checks.
func (r *run) redactorOf(group int) *secret.Redactor {
	if group > 0 && group <= len(r.redactors) {
		return r.redactors[group-1]
	}
	return r.red
}

// sessionEvidence makes the delivery checks that need a Salesforce session,
// with s, as group's checks: the user's permission set, the listener's
// speed, the user's Login History, the app's failed events. They run at
// once, each within its own time limit. first is the probe's measurement of
// the endpoint, listener_latency's first GET.
func (r *run) sessionEvidence(ctx context.Context, group int, webhookID string, sf *sfcheck.Client, s *sfcheck.Session, first func(context.Context) (probeSample, bool)) {
	red := r.redactorOf(group)
	// A read's answer may quote the token it was sent with.
	red.Add(s.AccessToken.Reveal())
	r.o.Redactor.Add(s.AccessToken.Reveal())
	u := r.ev.user(s, red)
	probedBy := CheckApexEndpoint
	if group > 0 {
		probedBy = CheckDRLoginReplay
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		r.check(ctx, CheckSFPermissionSet, group, webhookID, func(cctx context.Context) Result {
			u.permOnce.Do(func() { u.perm, u.permErr = sf.PermissionSet(cctx, s) })
			return permissionResult(u.perm, u.permErr)
		})
	})
	wg.Go(func() {
		r.check(ctx, CheckListenerLatency, group, webhookID, func(cctx context.Context) Result {
			sample, ok := first(cctx)
			return r.latencyResult(cctx, sf, s, sample, ok, probedBy)
		})
	})
	wg.Go(func() {
		r.check(ctx, CheckSFLoginHistory, group, webhookID, func(cctx context.Context) Result {
			u.histOnce.Do(func() {
				var recs []sfcheck.LoginRecord
				recs, u.histErr = sf.LoginHistory(cctx, s, r.since)
				u.hist, u.histRead = tallyLogins(recs), true
			})
			if u.histErr != nil {
				return notRead(u.histErr)
			}
			return loginHistoryResult(u.hist, r.window)
		})
	})
	wg.Go(func() {
		r.check(ctx, CheckSFFailedEvents, group, webhookID, func(cctx context.Context) Result {
			u.failOnce.Do(func() {
				var fe sfcheck.FailedEvents
				fe, u.failErr = sf.FailedEvents(cctx, s, r.since, sfcheck.MaxNewestFailedEvents)
				u.failed, u.failRead = failedTally{count: fe.Count, newest: fe.Newest}, true
			})
			if u.failErr != nil {
				return notRead(u.failErr)
			}
			return failedEventsResult(u.failed, r.window)
		})
	})
	wg.Wait()
}

// skipSession records the delivery checks that need a session as not made,
// for why.
func (r *run) skipSession(group int, webhookID, why string) {
	for _, id := range sessionChecks {
		r.skip(id, group, webhookID, why)
	}
}

// webhookEvidence makes the delivery checks of one webhook in key-only mode,
// with the session of its replayed login; without one they are not made,
// and the report says why and what would answer them.
func (r *run) webhookEvidence(ctx context.Context, e *examined, replayed loginOutcome) {
	if !replayed.works() {
		why := "Not checked: no login stored in this webhook was replayed (see dr_login_replay), so drsetup holds no token of its user to read with."
		switch {
		case replayed.err != nil && !replayed.tried():
			why = "Not checked: the login stored in this webhook was not tried (see dr_login_replay), so drsetup holds no token of its user to read with."
		case replayed.err != nil:
			why = "Not checked: Digital River's stored login for this webhook fails (see dr_login_replay), so drsetup holds no token of its user to read with. " +
				explain.NoSessionToRead()
		}
		r.skipSession(e.group, e.w.ID, why)
		r.ev.notRead(httpx.Host(e.w.Address))
		return
	}
	// The stored settings chose where the token went; the host rule holds
	// for these reads as it did for the replay.
	strict := *r.o.Salesforce
	strict.AllowAnyHost = r.o.ReplayAnyHost
	sample := replayed.probe
	r.sessionEvidence(ctx, e.group, e.w.ID, &strict, replayed.session, func(context.Context) (probeSample, bool) { return sample, true })
}

// notRead words a delivery check whose read Salesforce refused or did not
// answer: not checked, why, and what would answer it. A skip carries no
// remedy, so what to do is part of the finding.
func notRead(err error) Result {
	f := explain.Of(err)
	sum := "Not checked: " + text.FullStop(f.Summary())
	if f.Remedy != "" {
		sum += " " + text.FullStop(f.Remedy)
	}
	return Result{Status: Skip, Summary: sum}
}

// day is the UTC day t falls on.
func day(t time.Time) time.Time {
	return t.UTC().Truncate(24 * time.Hour)
}

// windowWords says the window as the findings do: "7 days".
func windowWords(w time.Duration) string {
	return text.Count(int(w/(24*time.Hour)), "day")
}

// stamp is a time as the findings write it.
func stamp(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
