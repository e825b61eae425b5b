package doctor

// dr_events: the events of the app's types at Digital River over the
// window, how many, the newest, and any still waiting for delivery.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/text"
)

// eventTypes are the types dr_events reads: the eight the app's guide
// lists and order.created, which the app also handles.
func eventTypes() []string {
	return append(slices.Clone(drapi.AppEvents), drapi.OptionalAppEvents...)
}

// eventTally is what dr_events keeps of the events: counts, not events, so
// a month of a busy account costs a few numbers.
type eventTally struct {
	mode    string // the key's: "test" or "live"
	total   int
	byType  map[string]int
	newest  time.Time
	pending int // events whose pendingWebhooks is above 0
	// oldestPending is the oldest of them: how long deliveries have been
	// owed.
	oldestPending time.Time
	unknown       int // events that give no pendingWebhooks count
	days          map[time.Time]*eventDay
	// partial: the walk stopped at its bound, so the counts are of the
	// newest events only.
	partial bool
}

// eventDay is one day's events and how many of them are pending.
type eventDay struct{ n, pending int }

func (t *eventTally) add(e drapi.Event) {
	t.total++
	t.byType[e.Type]++
	if e.CreatedTime.After(t.newest) {
		t.newest = e.CreatedTime
	}
	pending := e.PendingWebhooks != nil && *e.PendingWebhooks > 0
	switch {
	case e.PendingWebhooks == nil:
		t.unknown++
	case pending:
		t.pending++
		if t.oldestPending.IsZero() || e.CreatedTime.Before(t.oldestPending) {
			t.oldestPending = e.CreatedTime
		}
	}
	if e.CreatedTime.IsZero() {
		return
	}
	d := t.days[day(e.CreatedTime)]
	if d == nil {
		d = &eventDay{}
		t.days[day(e.CreatedTime)] = d
	}
	d.n++
	if pending {
		d.pending++
	}
}

// events is dr_events: it reads once the key is known to work.
func (r *run) events(ctx context.Context) {
	works, _ := r.keyWorks.wait(ctx)
	key := strings.TrimSpace(r.o.Settings.Get(field.DRAPIKey))
	switch {
	case key == "":
		r.skip(CheckDREvents, 0, "", "Not checked: no Digital River API key was given (see dr_api_key).")
		return
	case !works:
		r.skip(CheckDREvents, 0, "", "Not checked: the Digital River key could not be used (see dr_api_key).")
		return
	}
	r.check(ctx, CheckDREvents, 0, "", func(cctx context.Context) Result {
		c, err := r.o.DigitalRiver(key)
		if err != nil {
			return notRead(err)
		}
		t := &eventTally{mode: string(c.Mode()), byType: map[string]int{}, days: map[time.Time]*eventDay{}}
		for e, err := range c.Events.All(cctx, drapi.EventsQuery{Types: eventTypes(), Since: r.since}) {
			if err != nil {
				var pe *drapi.EventsPagingError
				if errors.As(err, &pe) && !pe.Repeated {
					t.partial = true
					break
				}
				return notRead(err)
			}
			t.add(e)
		}
		r.ev.mu.Lock()
		r.ev.events = t
		r.ev.mu.Unlock()
		return eventsResult(t, r.window)
	})
}

// eventsResult words the events of the window. No events is a finding of
// its own, and not a fault on the way: there was nothing to deliver.
func eventsResult(t *eventTally, window time.Duration) Result {
	in := "in the last " + windowWords(window)
	if t.total == 0 {
		meaning, remedy := explain.NoOrderEvents(t.mode)
		return Result{Status: Warn, Brief: "no order events in " + windowWords(window), Remedy: remedy,
			Summary: fmt.Sprintf("Digital River created no event of the app's types for this %s key %s: there was nothing to deliver, which is not a failed delivery. %s", t.mode, in, meaning)}
	}
	types := make([]string, 0, len(t.byType))
	for ty := range t.byType {
		types = append(types, ty)
	}
	slices.SortFunc(types, func(a, b string) int { return cmp.Or(cmp.Compare(t.byType[b], t.byType[a]), cmp.Compare(a, b)) })
	counts := make([]string, len(types))
	for i, ty := range types {
		counts[i] = fmt.Sprintf("%s %d", ty, t.byType[ty])
	}
	many := text.Count(t.total, "event")
	if t.partial {
		many = "at least " + many + " (drsetup reads no more than " + fmt.Sprint(drapi.DefaultEventPages*100) + ")"
	}
	sum := fmt.Sprintf("Digital River created %s of the app's types %s (%s), the newest at %s.", many, in, strings.Join(counts, ", "), stamp(t.newest))
	switch {
	case t.pending > 0:
		meaning, remedy := explain.PendingEvents(t.mode)
		// No hop is marked: which webhook still owes them, the events do
		// not say.
		return Result{Status: Warn, Brief: fmt.Sprintf("%s still pending delivery", text.Count(t.pending, "event")), Remedy: remedy,
			Summary: fmt.Sprintf("%s %d of them %s still pending delivery, the oldest since %s. %s", sum, t.pending, text.IsAre(t.pending), stamp(t.oldestPending), meaning)}
	case t.unknown == t.total:
		return Result{Status: Pass, Summary: sum + " They do not say whether any is pending delivery (they carry no pendingWebhooks count)."}
	}
	return Result{Status: Pass, Summary: sum + " None is pending delivery, by their pendingWebhooks counts. " + explain.PendingNote()}
}
