package doctor

// The delivery timeline: Digital River's events of the app's types, the
// integration users' failed logins and the app's failed events, merged by
// day, so that "since when" is one glance. doctor builds it from what the
// delivery checks read; ui/doctorview writes it.

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/drsetup/drsetup/text"
)

// EntryKind is what a timeline entry counts.
type EntryKind int

const (
	EntryEvents       EntryKind = iota // Digital River's events of the app's types
	EntryDRLogins                      // failed logins from Digital River's addresses
	EntryOtherLogins                   // failed logins from any other address
	EntryFailedEvents                  // events the app stored as failed
)

// Timeline is the window's days, newest first, each with what happened.
type Timeline struct {
	Window time.Duration // how far back it goes (--since)
	Days   []TimelineDay
	// ByOrg: the entries about Salesforce name their org, as the run read
	// several. Digital River's events are the account's, for every org.
	ByOrg bool
	// Unread are the orgs whose Salesforce side nothing could read (their
	// stored login fails), by name.
	Unread []string
	// What was read; what was not is not "none".
	Events, Logins, FailedEvents bool
	// Unlisted is how many failed events were counted but not read one by
	// one (beyond the newest sfcheck.MaxNewestFailedEvents of an org), so
	// are in no day.
	Unlisted int
}

// TimelineDay is one day, or a run of days that read alike folded into
// one: From and To are UTC midnights, equal for one day.
type TimelineDay struct {
	From, To time.Time
	Entries  []TimelineEntry
}

// TimelineEntry is one kind of thing on a day.
type TimelineEntry struct {
	Kind EntryKind
	// Orgs are the orgs it is about: none for Digital River's events, or
	// when the run read one org.
	Orgs    []string
	Count   int
	Pending int // events: how many are still pending delivery
	// What says what failed: the logins' Statuses as Salesforce wrote
	// them (without a leading "Failed:"), the newest failed event's type
	// and reason.
	What []TimelineWhat
	// FirstSeen is the day the first failed event of this org in the
	// window was stored, when it is in this entry; zero otherwise. A
	// login's Status carries its own.
	FirstSeen time.Time
}

// TimelineWhat is one thing that failed, and the day it was first seen in
// the window when that is in its entry.
type TimelineWhat struct {
	Text      string
	FirstSeen time.Time
}

// maxOrgsNamed is how many orgs one entry names before it counts them.
const maxOrgsNamed = 3

// maxWhat bounds what an entry says failed: the failures first seen on it,
// then the others, most first.
const maxWhat = 3

// timeline builds the report's timeline from what the delivery checks read;
// nil when they read nothing.
func (r *run) timeline() *Timeline {
	e := r.ev
	e.mu.Lock()
	defer e.mu.Unlock()
	t := &Timeline{Window: r.window}
	days := map[time.Time][]TimelineEntry{}
	if ev := e.events; ev != nil {
		t.Events = true
		for d, n := range ev.days {
			days[d] = append(days[d], TimelineEntry{Kind: EntryEvents, Count: n.n, Pending: n.pending})
		}
	}
	orgs := map[string]bool{}
	for _, u := range e.order {
		clean := func(s string) string { return text.Clean(u.red.Redact(s)) }
		if u.histRead && u.histErr == nil {
			t.Logins = true
			orgs[u.org] = true
			for d, ld := range u.hist.days {
				if len(ld.dr) > 0 {
					days[d] = append(days[d], loginEntry(EntryDRLogins, u.org, ld.dr, clean))
				}
				if len(ld.other) > 0 {
					days[d] = append(days[d], loginEntry(EntryOtherLogins, u.org, ld.other, clean))
				}
			}
		}
		if u.failRead && u.failErr == nil {
			t.FailedEvents = true
			orgs[u.org] = true
			t.Unlisted += max(0, u.failed.count-len(u.failed.newest))
			for _, f := range u.failed.newest {
				if f.Created.IsZero() {
					t.Unlisted++
					continue
				}
				d := day(f.Created)
				entries := days[d]
				i := slices.IndexFunc(entries, func(x TimelineEntry) bool { return x.Kind == EntryFailedEvents && x.Orgs[0] == u.org })
				if i < 0 {
					what := text.Or(f.EventType, "no type")
					if f.Reason != "" {
						what += ": " + excerpt(f.Reason)
					}
					entries = append(entries, TimelineEntry{Kind: EntryFailedEvents, Orgs: []string{u.org}, What: []TimelineWhat{{Text: clean(what)}}})
					i = len(entries) - 1
				}
				entries[i].Count++
				days[d] = entries
			}
		}
	}
	for org := range e.unread {
		if !orgs[org] {
			t.Unread = append(t.Unread, org)
		}
	}
	slices.Sort(t.Unread)
	if !t.Events && !t.Logins && !t.FailedEvents {
		return nil
	}
	t.ByOrg = r.mode == ModeKeyOnly && len(orgs)+len(t.Unread) > 1
	for d, entries := range days {
		if d.Before(day(r.since)) || d.After(day(r.started)) {
			delete(days, d)
			continue
		}
		if !t.ByOrg {
			for i := range entries {
				entries[i].Orgs = nil
			}
		}
		days[d] = entries
	}
	markFirstSeen(days)
	for d, entries := range days {
		days[d] = mergeOrgs(entries)
	}
	order := make([]time.Time, 0, len(days))
	for d := range days {
		order = append(order, d)
	}
	slices.SortFunc(order, func(a, b time.Time) int { return b.Compare(a) })
	for _, d := range order {
		t.Days = append(t.Days, TimelineDay{From: d, To: d, Entries: sortEntries(days[d])})
	}
	t.Days = fold(t.Days)
	for _, d := range t.Days {
		for i := range d.Entries {
			d.Entries[i].What = trimWhat(d.Entries[i].What)
		}
	}
	return t
}

// loginEntry is a day's failed logins of one side for org.
func loginEntry(kind EntryKind, org string, cs []statusCount, clean func(string) string) TimelineEntry {
	e := TimelineEntry{Kind: kind, Orgs: []string{org}}
	for _, c := range cs {
		e.Count += c.n
		e.What = append(e.What, TimelineWhat{Text: clean(withoutFailed(c.status))})
	}
	return e
}

// trimWhat keeps at most maxWhat of what an entry says failed, those first
// seen on it among them, in their order.
func trimWhat(ws []TimelineWhat) []TimelineWhat {
	if len(ws) <= maxWhat {
		return ws
	}
	firsts := 0
	for _, w := range ws {
		if !w.FirstSeen.IsZero() {
			firsts++
		}
	}
	others := max(0, maxWhat-firsts)
	var out []TimelineWhat
	for _, w := range ws {
		switch {
		case !w.FirstSeen.IsZero() && len(out) < maxWhat:
			out = append(out, w)
		case w.FirstSeen.IsZero() && others > 0:
			out = append(out, w)
			others--
		}
	}
	return out
}

// withoutFailed drops the "Failed: " many Statuses start with: the entry
// already says the logins failed.
func withoutFailed(status string) string {
	if len(status) > 7 && strings.EqualFold(status[:7], "failed:") {
		return strings.TrimSpace(status[7:])
	}
	return status
}

// markFirstSeen marks the oldest day in the window of each failure: of each
// Status of the failed logins, by side and org, and of the failed events,
// by org.
func markFirstSeen(days map[time.Time][]TimelineEntry) {
	type key struct {
		kind      EntryKind
		org, what string
	}
	keys := func(e TimelineEntry) []key {
		org := strings.Join(e.Orgs, ",")
		if e.Kind == EntryFailedEvents {
			return []key{{e.Kind, org, ""}}
		}
		var ks []key
		for _, w := range e.What {
			ks = append(ks, key{e.Kind, org, strings.ToLower(w.Text)})
		}
		return ks
	}
	first := map[key]time.Time{}
	for d, entries := range days {
		for _, e := range entries {
			if e.Kind == EntryEvents {
				continue
			}
			for _, k := range keys(e) {
				if f, ok := first[k]; !ok || d.Before(f) {
					first[k] = d
				}
			}
		}
	}
	for d, entries := range days {
		for i, e := range entries {
			switch e.Kind {
			case EntryEvents:
			case EntryFailedEvents:
				if first[keys(e)[0]].Equal(d) {
					entries[i].FirstSeen = d
				}
			default:
				for j, k := range keys(e) {
					if first[k].Equal(d) {
						entries[i].What[j].FirstSeen = d
					}
				}
			}
		}
	}
}

// addWhat adds w to ws unless it is there (by its text), keeping the day
// it was first seen.
func addWhat(ws []TimelineWhat, w TimelineWhat) []TimelineWhat {
	for i := range ws {
		if strings.EqualFold(ws[i].Text, w.Text) {
			if !w.FirstSeen.IsZero() {
				ws[i].FirstSeen = w.FirstSeen
			}
			return ws
		}
	}
	return append(ws, w)
}

// mergeOrgs makes one entry of a kind met at more than maxOrgsNamed orgs on
// one day, so a partner's key with dozens of failing orgs keeps a day to a
// line or two.
func mergeOrgs(entries []TimelineEntry) []TimelineEntry {
	byKind := map[EntryKind]int{}
	for _, e := range entries {
		byKind[e.Kind]++
	}
	var out []TimelineEntry
	merged := map[EntryKind]int{}
	for _, e := range entries {
		if e.Kind == EntryEvents || byKind[e.Kind] <= maxOrgsNamed {
			out = append(out, e)
			continue
		}
		i, ok := merged[e.Kind]
		if !ok {
			out = append(out, TimelineEntry{Kind: e.Kind})
			i = len(out) - 1
			merged[e.Kind] = i
		}
		m := &out[i]
		m.Orgs = append(m.Orgs, e.Orgs...)
		m.Count += e.Count
		for _, w := range e.What {
			m.What = addWhat(m.What, w)
		}
		if !e.FirstSeen.IsZero() {
			m.FirstSeen = e.FirstSeen
		}
	}
	return out
}

// sortEntries orders a day's entries: events, Digital River's failed
// logins, the others', failed events; by org within a kind.
func sortEntries(entries []TimelineEntry) []TimelineEntry {
	for i := range entries {
		slices.Sort(entries[i].Orgs)
	}
	slices.SortStableFunc(entries, func(a, b TimelineEntry) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(strings.Join(a.Orgs, ","), strings.Join(b.Orgs, ",")))
	})
	return entries
}

// minFold is the shortest run of days folded into one line.
const minFold = 3

// fold joins runs of at least minFold days (newest first) whose entries
// read alike (the same kinds, orgs, Statuses and whether events are
// pending) into one day from the oldest to the newest, with the counts
// added: a quiet week is one line, and so is a week of the same failure.
func fold(days []TimelineDay) []TimelineDay {
	var out []TimelineDay
	for i := 0; i < len(days); {
		j := i + 1
		for j < len(days) && alike(days[i], days[j]) {
			j++
		}
		if j-i < minFold {
			out = append(out, days[i])
			i++
			continue
		}
		run := TimelineDay{From: days[j-1].From, To: days[i].To, Entries: slices.Clone(days[i].Entries)}
		for k := range run.Entries {
			run.Entries[k].What = slices.Clone(run.Entries[k].What)
		}
		for _, d := range days[i+1 : j] {
			for k, e := range d.Entries {
				m := &run.Entries[k]
				m.Count += e.Count
				m.Pending += e.Pending
				if !e.FirstSeen.IsZero() {
					m.FirstSeen = e.FirstSeen
				}
				if e.Kind == EntryFailedEvents {
					continue // the newest's reason stands for the run
				}
				for _, w := range e.What {
					m.What = addWhat(m.What, w)
				}
			}
		}
		out = append(out, run)
		i = j
	}
	return out
}

// alike reports whether two days read alike: the same entries but for
// their counts and the failed events' reasons.
func alike(a, b TimelineDay) bool {
	if len(a.Entries) != len(b.Entries) {
		return false
	}
	for i := range a.Entries {
		x, y := a.Entries[i], b.Entries[i]
		if x.Kind != y.Kind || !slices.Equal(x.Orgs, y.Orgs) || (x.Pending > 0) != (y.Pending > 0) {
			return false
		}
		if x.Kind != EntryFailedEvents && !sameWhat(x.What, y.What) {
			return false
		}
	}
	return true
}

// sameWhat reports whether two entries name the same failures, whenever
// each was first seen.
func sameWhat(a, b []TimelineWhat) bool {
	return slices.EqualFunc(a, b, func(x, y TimelineWhat) bool { return strings.EqualFold(x.Text, y.Text) })
}

// maxExcerpt bounds a failed event's reason on a timeline line; the finding
// of sf_failed_events has it whole.
const maxExcerpt = 48

// excerpt is the start of a reason for a timeline line: its first clause
// ("System.DmlException: Insert failed"), cut at a space when longer.
func excerpt(reason string) string {
	for _, end := range []string{". ", "; "} {
		if i := strings.Index(reason, end); i > 0 && i <= maxExcerpt {
			return reason[:i] + "…"
		}
	}
	r := []rune(reason)
	if len(r) <= maxExcerpt {
		return reason
	}
	cut := string(r[:maxExcerpt])
	if i := strings.LastIndex(cut, " "); i > maxExcerpt/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,:;.") + "…"
}
