package drapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/drsetup/drsetup/text"
)

// AppEvents are the event types the Digital River Salesforce Lightning app
// handles, as the app's guide lists them (Step 11) and its
// DR_Webhook_Configuration records confirm. A webhook for the app subscribes
// to all of them.
var AppEvents = []string{
	"order.accepted",
	"order.cancelled",
	"order.complete",
	"order.pending_payment",
	"order.review_opened",
	"order.blocked",
	"order.credit_memo.created",
	"order.invoice.created",
}

// OrderEvents are the other order.* event types Digital River documents
// (facts/digitalriver.md, section 6). The app maps order.created too; the
// rest it stores and reports as unhandled.
var OrderEvents = []string{
	"order.created",
	"order.fulfilled",
	"order.refunded",
	"order.submitted",
	"order.updated",
	"order.review_closed",
	"order.chargeback",
	"order.dispute",
	"order.dispute.resolved",
	"order.charge.pending",
	"order.charge.capturable",
	"order.charge.complete",
	"order.charge.failed",
	"order.charge.cancelled",
	"order.charge.reauth.failed",
	"order.charge.cancel.pending",
	"order.charge.cancel.pending_information",
	"order.charge.cancel.complete",
	"order.charge.cancel.failed",
	"order.charge.capture.pending",
	"order.charge.capture.complete",
	"order.charge.capture.failed",
	"order.charge.refund.pending",
	"order.charge.refund.complete",
	"order.charge.refund.failed",
}

// IsKnownEvent reports whether t is an order event type drsetup knows.
func IsKnownEvent(t string) bool {
	return slices.Contains(AppEvents, t) || slices.Contains(OrderEvents, t)
}

// MissingAppEvents returns the app's event types that types lacks, in the
// guide's order.
func MissingAppEvents(types []string) []string {
	var missing []string
	for _, e := range AppEvents {
		if !slices.Contains(types, e) {
			missing = append(missing, e)
		}
	}
	return missing
}

// OptionalAppEvents are event types the app also handles that its guide
// does not list: order.created writes the Salesforce order id back to
// Digital River, answering 400 until the Salesforce order exists, which
// Digital River retries.
var OptionalAppEvents = []string{"order.created"}

// Event is one Digital River event, without its data: data.object is the
// order or customer the event is about, customer data drsetup has no use
// for, so it is skipped while decoding and never kept.
type Event struct {
	ID          string
	Type        string
	CreatedTime time.Time // zero when the event gives none that can be read
	LiveMode    bool
	// PendingWebhooks is Digital River's pendingWebhooks, nil when the event
	// does not give it (or gives something that is not a count). The API
	// document lists it as required without defining it; an older Digital
	// River page calls it "the number of pending webhooks". Reading it as
	// "not yet delivered" is a guess, and reports must say so.
	PendingWebhooks *int
	WebhookIDs      []string // the webhooks the event is for, where the API gives them
}

// Bounds of the events list.
const (
	// MaxEventTypes is the most types one query may name: the API takes an
	// array of "less than 20" names.
	MaxEventTypes = 19
	// DefaultEventPages bounds one walk of the events list: 100 pages of 100
	// events. The list goes back 30 days; an account with more events of the
	// asked types than that is counted up to the bound, and the walk says
	// so with an *EventsPagingError.
	DefaultEventPages = 100
	maxPending        = 1 << 20
)

// EventsQuery selects events. Types and Type may not both be given.
type EventsQuery struct {
	Types []string  // at most MaxEventTypes exact names, e.g. AppEvents
	Type  string    // one name, with * as a wildcard: "order.*"
	Since time.Time // createdTime[gte]; zero for the API's whole 30 days
	// PageSize is the limit of each page, 1 to 100; 0 means 100.
	PageSize int
	// MaxPages bounds the pages read; 0 means DefaultEventPages.
	MaxPages int
}

// QueryError says why an events query was not sent.
type QueryError struct {
	Param  string // "types", "type", "limit", …
	Reason string // in the user's words
}

func (e *QueryError) Error() string { return e.Reason }

// eventName is the shape of an event type: dot-separated words of lower-case
// letters and underscores ("order.credit_memo.created"). A pattern may also
// use *.
var (
	eventName    = regexp.MustCompile(`^[a-z_]+(\.[a-z_]+)+$`)
	eventPattern = regexp.MustCompile(`^([a-z_]+|\*)(\.([a-z_]+|\*))*$`)
)

// values checks q and writes it as the list's query parameters. Types are
// sent as one types parameter each (the API document's form style with
// explode); the API's handling of the array is not documented further.
func (q EventsQuery) values() (url.Values, error) {
	bad := func(param, format string, args ...any) (url.Values, error) {
		return nil, &QueryError{Param: param, Reason: fmt.Sprintf(format, args...)}
	}
	v := url.Values{}
	switch {
	case len(q.Types) > 0 && q.Type != "":
		return bad("types", "The events query names both types and type; Digital River takes one or the other.")
	case len(q.Types) > MaxEventTypes:
		return bad("types", "The events query names %d event types; Digital River takes fewer than 20 at once.", len(q.Types))
	case q.Type != "":
		if len(q.Type) > 100 || !eventPattern.MatchString(q.Type) {
			return bad("type", "%s is not an event type or pattern (such as order.*).", strconv.Quote(clean(q.Type, 100, nil)))
		}
		v.Set("type", q.Type)
	}
	for _, t := range q.Types {
		if len(t) > 100 || !eventName.MatchString(t) {
			return bad("types", "%s is not an event type (such as order.accepted).", strconv.Quote(clean(t, 100, nil)))
		}
		v.Add("types", t)
	}
	size := q.PageSize
	if size == 0 {
		size = pageSize
	}
	if size < 1 || size > pageSize {
		return bad("limit", "An events page holds 1 to %d events, not %d.", pageSize, size)
	}
	v.Set("limit", strconv.Itoa(size))
	if !q.Since.IsZero() {
		v.Set("createdTime[gte]", q.Since.UTC().Format(time.RFC3339))
	}
	if q.MaxPages < 0 {
		return bad("", "An events walk reads at least one page.")
	}
	return v, nil
}

// EventsPagingError ends a walk of the events list that would not end by
// itself, or that reached its page bound. The events yielded before it are
// real: a caller counting them has a lower bound.
type EventsPagingError struct {
	Repeated bool   // the list came back to a page it had already sent
	Cursor   string // the event id the list came back to
	Pages    int    // pages read
	Events   int    // events read on them
}

func (e *EventsPagingError) Error() string {
	read := fmt.Sprintf("%s on %s", text.Count(e.Events, "event"), text.Count(e.Pages, "page"))
	if e.Repeated {
		return fmt.Sprintf("Digital River's events list went back to a page it had already sent (the one after event %s), so it would never end; drsetup stopped after reading %s. Check that --dr-api-url (if set) points at %s and that no proxy caches its answers, then try again.", e.Cursor, read, DefaultBaseURL)
	}
	return fmt.Sprintf("Digital River's events list still had more after %s, the most drsetup reads in one go, so it stopped there; counts are of those events only.", read)
}

// EventsService is the /events resource.
type EventsService struct {
	client *Client
}

// All walks the events q selects, newest first as Digital River lists them,
// one page at a time (startingAfter the last id, while hasMore), for at most
// q.MaxPages pages. Only the current page is held, and breaking out of the
// loop stops fetching. A failure is yielded once, as the last pair, with a
// zero Event: a *QueryError before anything is sent, an *Error for a failed
// request, an *EventsPagingError when the list would not end.
func (s *EventsService) All(ctx context.Context, q EventsQuery) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		v, err := q.values()
		if err != nil {
			yield(Event{}, err)
			return
		}
		maxPages := q.MaxPages
		if maxPages == 0 {
			maxPages = DefaultEventPages
		}
		seen := map[string]bool{}
		after, read := "", 0
		for pages := 1; ; pages++ {
			events, hasMore, err := s.page(ctx, v, after)
			if err != nil {
				yield(Event{}, err)
				return
			}
			for _, e := range events {
				read++
				if !yield(e, nil) {
					return
				}
			}
			if !hasMore || len(events) == 0 {
				return
			}
			next := events[len(events)-1].ID
			switch {
			case seen[next] || next == after:
				yield(Event{}, &EventsPagingError{Repeated: true, Cursor: next, Pages: pages, Events: read})
				return
			case pages >= maxPages:
				yield(Event{}, &EventsPagingError{Pages: pages, Events: read})
				return
			}
			seen[next] = true
			after = next
		}
	}
}

// page fetches one page of events.
func (s *EventsService) page(ctx context.Context, v url.Values, after string) ([]Event, bool, error) {
	c := s.client
	r := c.newRequest(http.MethodGet, "/events", nil)
	r.query = v
	if after != "" {
		r.query = cloneValues(v)
		r.query.Set("startingAfter", after)
	}
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, false, err
	}
	events, hasMore, derr := decodeEvents(resp.body)
	if derr == nil && hasMore && len(events) > 0 && events[len(events)-1].ID == "" {
		derr = errors.New("the last event of a page that says more follow has no id to continue after")
	}
	if derr != nil {
		return nil, false, c.decodeError(r, resp.status, resp.header, resp.body, derr)
	}
	return events, hasMore, nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+1)
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// wireEvent is an event as Digital River sends it, less data, which is not
// declared so that the decoder skips it.
type wireEvent struct {
	ID              string          `json:"id"`
	Type            string          `json:"type"`
	CreatedTime     string          `json:"createdTime"`
	LiveMode        bool            `json:"liveMode"`
	PendingWebhooks json.RawMessage `json:"pendingWebhooks"`
	WebhookIDs      []string        `json:"webhookIds"`
}

// decodeEvents reads a page of the events list: {"hasMore", "data": [...]}.
func decodeEvents(body []byte) ([]Event, bool, error) {
	var env struct {
		Data    *[]wireEvent `json:"data"`
		HasMore bool         `json:"hasMore"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, false, err
	}
	if env.Data == nil {
		return nil, false, errors.New(`the list has no "data" array`)
	}
	out := make([]Event, 0, len(*env.Data))
	for _, w := range *env.Data {
		e := Event{
			ID:              clean(w.ID, 100, nil),
			Type:            clean(w.Type, 100, nil),
			LiveMode:        w.LiveMode,
			PendingWebhooks: pendingCount(w.PendingWebhooks),
		}
		if t, err := time.Parse(time.RFC3339Nano, w.CreatedTime); err == nil {
			e.CreatedTime = t.UTC()
		}
		for i, id := range w.WebhookIDs {
			if i == 50 {
				break
			}
			e.WebhookIDs = append(e.WebhookIDs, clean(id, 100, nil))
		}
		out = append(out, e)
	}
	return out, env.HasMore, nil
}

// pendingCount reads pendingWebhooks as a number, as a numeric string, or
// as absent; anything else (null, a negative or fractional number, words)
// is not a count.
func pendingCount(raw json.RawMessage) *int {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 || n > maxPending {
			return nil
		}
		return &n
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil || f < 0 || f > maxPending || f != math.Trunc(f) {
		return nil
	}
	n := int(f)
	return &n
}
