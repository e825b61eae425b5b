package doctorview

import (
	"fmt"
	"strings"
	"time"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/text"
)

// timeline writes the delivery timeline after the summary: a line per day
// (or per run of days that read alike), newest first, so that when the
// trouble began is one glance: "Nov 29: 14 order events, 3 pending · 2
// failed logins from Digital River (API security token required), first
// seen".
func (r *renderer) timeline() {
	t := r.rep.Timeline
	if t == nil {
		return
	}
	r.blank()
	head := fmt.Sprintf("Delivery timeline, last %s, newest first (UTC)", text.Count(int(t.Window/(24*time.Hour)), "day"))
	if len(t.Unread) > 0 {
		head += "; Salesforce's side not read for " + text.JoinAnd(t.Unread) + " (no working login)"
	}
	r.para(head+":", "", "  ", r.st.Label.Render)
	if len(t.Days) == 0 {
		r.para(text.Sentence(strings.Join(r.nothing(t), ", ")), "", "  ", nil)
		return
	}
	sep := " · "
	if r.o.Words {
		sep = "; "
	}
	for _, d := range t.Days {
		parts := make([]string, len(d.Entries))
		for i, e := range d.Entries {
			parts[i] = r.entry(e, d, t.ByOrg)
		}
		r.para(r.dayLabel(d)+": "+strings.Join(parts, sep), "", "  ", nil)
	}
	if t.Unlisted > 0 {
		r.para(fmt.Sprintf("And %s the app stored as failed that are not listed by day (the checks above count them).", text.Count(t.Unlisted, "older event")), "", "  ", r.st.Subtle.Render)
	}
}

// nothing says what the window held none of, of what was read.
func (r *renderer) nothing(t *doctor.Timeline) []string {
	var none []string
	if t.Events {
		none = append(none, "no order events")
	}
	if t.Logins {
		none = append(none, "no failed logins")
	}
	if t.FailedEvents {
		none = append(none, "no failed events")
	}
	return none
}

// dayLabel names a day, or a run of days: "Nov 29", "Nov 24–27".
func (r *renderer) dayLabel(d doctor.TimelineDay) string {
	from := d.From.UTC().Format("Jan 2")
	if d.To.Equal(d.From) {
		return from
	}
	to := d.To.UTC().Format("Jan 2")
	if d.To.Month() == d.From.Month() {
		to = d.To.UTC().Format("2")
	}
	if r.o.Words {
		return from + " to " + d.To.UTC().Format("Jan 2")
	}
	return from + "–" + to
}

// entry writes one entry of a day.
func (r *renderer) entry(e doctor.TimelineEntry, d doctor.TimelineDay, byOrg bool) string {
	var s string
	switch e.Kind {
	case doctor.EntryEvents:
		s = text.Count(e.Count, "order event")
		if e.Pending > 0 {
			s += fmt.Sprintf(", %d pending", e.Pending)
		}
		return s
	case doctor.EntryDRLogins:
		s = text.Count(e.Count, "failed login") + " from Digital River"
	case doctor.EntryOtherLogins:
		s = text.Count(e.Count, "failed login") + " from elsewhere"
	case doctor.EntryFailedEvents:
		s = text.Count(e.Count, "failed event")
	}
	if byOrg && len(e.Orgs) > 0 {
		s += " at " + orgs(e.Orgs)
	}
	if e.Kind == doctor.EntryFailedEvents {
		if len(e.What) > 0 {
			what := e.What[0].Text
			if e.Count > 1 {
				what = "newest " + what
			}
			s += " (" + what + ")"
		}
		return s + r.firstSeen(e.FirstSeen, d, ", ")
	}
	whats := make([]string, len(e.What))
	for i, w := range e.What {
		whats[i] = w.Text + r.firstSeen(w.FirstSeen, d, " ")
	}
	if len(whats) > 0 {
		s += ": " + strings.Join(whats, ", ")
	}
	return s
}

// firstSeen marks the first failure of its kind in the window: "(first
// seen)" on its day's line, with the day in a folded run of days.
func (r *renderer) firstSeen(at time.Time, d doctor.TimelineDay, lead string) string {
	if at.IsZero() {
		return ""
	}
	mark := "first seen"
	if !d.To.Equal(d.From) {
		mark += " " + at.UTC().Format("Jan 2")
	}
	if lead == " " {
		return " (" + mark + ")"
	}
	return lead + mark
}

// orgs names the orgs of an entry, or counts them past a few.
func orgs(names []string) string {
	if len(names) > 3 {
		return fmt.Sprintf("%d orgs", len(names))
	}
	return text.JoinAnd(names)
}
