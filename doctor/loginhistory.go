package doctor

// sf_login_history: the integration user's own Login History, where
// Salesforce wrote why each of Digital River's logins failed, as its servers
// met it and not as this computer does.

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// loginTally is what the checks keep of a user's Login History: counts,
// the newest failure, and the failed logins by day, not the rows.
type loginTally struct {
	capped    bool // the read stopped at its limit: older logins were not read
	dr, other loginSide
	days      map[time.Time]*loginDay // failed logins by UTC day
}

// loginSide are the logins from one side: Digital River's published
// addresses, or any other (this computer's among them).
type loginSide struct {
	total    int
	counts   []statusCount // by kind, in the order met (newest first)
	newest   time.Time
	newestOK bool
	failures int
	fail     sfcheck.LoginRecord // the newest failure, when failures > 0
}

// statusCount is how many logins of one kind, under the Status Salesforce
// wrote for the newest of them.
type statusCount struct {
	kind   sfcheck.LoginStatusKind
	status string
	n      int
}

// loginDay is one day's failed logins.
type loginDay struct {
	dr, other []statusCount
}

func addStatus(cs []statusCount, kind sfcheck.LoginStatusKind, status string) []statusCount {
	for i := range cs {
		if cs[i].kind == kind {
			cs[i].n++
			return cs
		}
	}
	return append(cs, statusCount{kind: kind, status: status, n: 1})
}

// byApp reports whether a login was made by an app through OAuth, as
// Digital River's are: Login History also holds the user's other logins.
func byApp(rec sfcheck.LoginRecord) bool {
	return strings.Contains(strings.ToLower(rec.LoginType), "remote access") ||
		strings.HasPrefix(strings.ToLower(rec.LoginSubType), "oauth")
}

// tallyLogins counts recs, newest first, by side and Status.
func tallyLogins(recs []sfcheck.LoginRecord) loginTally {
	t := loginTally{capped: len(recs) >= sfcheck.LoginHistoryLimit, days: map[time.Time]*loginDay{}}
	for _, rec := range recs {
		if !byApp(rec) {
			continue
		}
		fromDR := rec.Addr.IsValid() && drapi.IsSourceAddress(rec.Addr)
		side := &t.other
		if fromDR {
			side = &t.dr
		}
		kind := rec.Kind()
		side.total++
		side.counts = addStatus(side.counts, kind, rec.Status)
		if side.total == 1 {
			side.newest, side.newestOK = rec.Time, kind == sfcheck.LoginSucceeded
		}
		if kind == sfcheck.LoginSucceeded {
			continue
		}
		side.failures++
		if side.failures == 1 {
			side.fail = rec
		}
		if rec.Time.IsZero() {
			continue
		}
		d := t.days[day(rec.Time)]
		if d == nil {
			d = &loginDay{}
			t.days[day(rec.Time)] = d
		}
		if fromDR {
			d.dr = addStatus(d.dr, kind, rec.Status)
		} else {
			d.other = addStatus(d.other, kind, rec.Status)
		}
	}
	return t
}

// countsWords writes counts as "Success 34, Invalid Password 6", most
// first.
func countsWords(cs []statusCount) string {
	sorted := slices.Clone(cs)
	slices.SortStableFunc(sorted, func(a, b statusCount) int { return cmp.Compare(b.n, a.n) })
	parts := make([]string, len(sorted))
	for i, c := range sorted {
		parts[i] = fmt.Sprintf("%s %d", c.status, c.n)
	}
	return strings.Join(parts, ", ")
}

// loginHistoryResult words what the user's Login History says of Digital
// River's logins in the window: fail when its newest login failed (its
// deliveries fail now), warn when some failed and the newest worked.
func loginHistoryResult(t loginTally, window time.Duration) Result {
	in := "in the last " + windowWords(window)
	if t.capped {
		in += fmt.Sprintf(" (the newest %d logins)", sfcheck.LoginHistoryLimit)
	}
	others := ""
	if n := t.other.total; n > 0 {
		others = fmt.Sprintf(" From other addresses (this computer's among them): %s (%s).", text.Count(n, "login"), countsWords(t.other.counts))
	}
	dr := t.dr
	switch {
	case dr.total == 0:
		return Result{Status: Pass, Summary: fmt.Sprintf("Salesforce recorded no login as this user from Digital River's addresses %s: Digital River logs in when it has an event to deliver.%s", in, others)}
	case dr.failures == 0:
		return Result{Status: Pass, Summary: fmt.Sprintf("Salesforce recorded %s as this user from Digital River's addresses %s, all successful, the newest at %s.%s",
			text.Count(dr.total, "login"), in, stamp(dr.newest), others)}
	}
	meaning, remedy := explain.LoginStatus(dr.fail.Kind())
	from := ""
	if dr.fail.SourceIP != "" {
		from = " from " + dr.fail.SourceIP
	}
	counts := fmt.Sprintf("%s %s from its published addresses: %s.", text.Capitalize(text.Count(dr.total, "login")), in, countsWords(dr.counts))
	if !dr.newestOK {
		return Result{Status: Fail, Hop: HopToken, Brief: "Digital River's logins fail: " + withoutFailed(dr.fail.Status), Remedy: remedy,
			Summary: fmt.Sprintf("Digital River's logins as this user fail: Salesforce refused the newest, at %s%s, with %q. %s %s%s",
				stamp(dr.fail.Time), from, dr.fail.Status, counts, meaning, others)}
	}
	if remedy != "" {
		remedy = "The newest login works, so the cause may be fixed; if the failures come back: " + remedy
	}
	return Result{Status: Warn, Hop: HopToken, Brief: "some of Digital River's logins failed (" + withoutFailed(dr.fail.Status) + "); the newest worked", Remedy: remedy,
		Summary: fmt.Sprintf("%d of Digital River's logins as this user failed, the newest failure at %s%s with %q; its newest login, at %s, worked. %s %s%s",
			dr.failures, stamp(dr.fail.Time), from, dr.fail.Status, stamp(dr.newest), counts, meaning, others)}
}
