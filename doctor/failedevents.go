package doctor

// sf_failed_events: the events the app received and stored as failed. The
// app answers Digital River 200 even then, so Digital River counts them as
// delivered and never sends them again. Only their id, type, time and the
// reason the app gives are read; never the payload, which holds the
// customer's data (sfcheck does not select it).

import (
	"fmt"
	"strings"
	"time"

	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// shownFailed is how many of the newest failed events a finding names.
const shownFailed = 3

// failedTally is what the checks keep of the app's failed events: how many
// in the window, and the newest (at most sfcheck.MaxNewestFailedEvents),
// for the finding and the timeline.
type failedTally struct {
	count  int
	newest []sfcheck.FailedEvent
}

// failedEventsResult words the failed events of the window: a warning when
// there are any. The delivery itself worked (Digital River got its 200) and
// a record may have been dealt with since (whether it was is not read, as
// older versions of the app lack the field), so they are a lead, not proof
// that deliveries fail.
func failedEventsResult(t failedTally, window time.Duration) Result {
	in := "in the last " + windowWords(window)
	if t.count == 0 {
		return Result{Status: Pass, Summary: fmt.Sprintf("The app stored no event as failed %s.", in)}
	}
	few := t.newest[:min(shownFailed, len(t.newest))]
	// Events stored one after the other for one reason share it: the
	// reason is said once for them.
	var shown []string
	for i := 0; i < len(few); {
		j := i + 1
		for j < len(few) && few[j].Reason == few[i].Reason {
			j++
		}
		events := make([]string, j-i)
		for k, f := range few[i:j] {
			events[k] = failedEventWords(f)
		}
		reason := ", no reason given"
		switch {
		case few[i].Reason != "" && j-i > 1:
			reason = ", each with the reason: " + strings.TrimSuffix(few[i].Reason, ".")
		case few[i].Reason != "":
			reason = ", reason: " + strings.TrimSuffix(few[i].Reason, ".")
		}
		shown = append(shown, text.JoinAnd(events)+reason)
		i = j
	}
	which := ":"
	if len(few) < t.count {
		which = fmt.Sprintf("; the newest %d:", len(few))
	}
	meaning, remedy := explain.FailedEvents()
	return Result{Status: Warn, Hop: HopApex, Brief: fmt.Sprintf("the app stored %s as failed", text.Count(t.count, "event")), Remedy: remedy,
		Summary: fmt.Sprintf("The app stored %s as failed %s%s %s. %s",
			text.Count(t.count, "event"), in, which, strings.Join(shown, "; "), meaning)}
}

// failedEventWords is one failed event as a finding names it: when, its
// type and Digital River's event id. Its reason (already cut to 200
// characters and cleaned by sfcheck) follows.
func failedEventWords(f sfcheck.FailedEvent) string {
	var b strings.Builder
	if !f.Created.IsZero() {
		b.WriteString(stamp(f.Created) + " ")
	}
	b.WriteString(text.Or(f.EventType, "an event of no type"))
	if f.EventID != "" {
		b.WriteString(" " + f.EventID)
	}
	return b.String()
}
