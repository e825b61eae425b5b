package emulator

import (
	"fmt"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// serveEvents answers GET /events and GET /events/{id} as the API document
// and facts/diagnosis.md §6 describe: the key's mode, the last 30 days,
// newest first (inference: the docs do not say, and Digital River's lists
// behave like Stripe's), filtered by types (repeated or comma-separated,
// fewer than 20) or type (* as a wildcard) and createdTime[gt|gte|lt|lte],
// paged with limit (1–100, default 10), startingAfter and endingBefore.
// Any secret key may read events; a restricted key's webhook permission
// does not matter here (inference).
func (e *Emulator) serveEvents(w http.ResponseWriter, r *http.Request) {
	key, status, refusal := e.authenticate(r)
	if status != 0 {
		writeDRError(w, status, refusal)
		return
	}
	if r.Method != http.MethodGet {
		methodNotAllowed(w, r, "GET")
		return
	}
	now := e.now()
	visible := func(ev Event) bool {
		return ev.LiveMode == (key.Mode == modeLive) && !ev.CreatedTime.Before(now.Add(-eventsWindow))
	}
	if id, ok := strings.CutPrefix(r.URL.Path, "/events/"); ok {
		i := slices.IndexFunc(e.events, func(ev Event) bool { return ev.ID == id && visible(ev) })
		if i < 0 {
			writeDRError(w, http.StatusNotFound, drError{Code: "not_found", Parameter: "id", Message: fmt.Sprintf("Event '%s' not found.", id)})
			return
		}
		writeDRJSON(w, http.StatusOK, eventWire(e.events[i]))
		return
	}

	q := r.URL.Query()
	limit, after, before, bad := pageParams(q)
	if bad != nil {
		writeDRError(w, http.StatusBadRequest, *bad)
		return
	}
	match, bad := eventFilter(q)
	if bad != nil {
		writeDRError(w, http.StatusBadRequest, *bad)
		return
	}
	var all []Event
	for _, ev := range e.events {
		if visible(ev) && match(ev) {
			all = append(all, ev)
		}
	}
	slices.SortStableFunc(all, func(a, b Event) int { return b.CreatedTime.Compare(a.CreatedTime) })
	index := func(id string) int { return slices.IndexFunc(all, func(ev Event) bool { return ev.ID == id }) }
	start, end := 0, min(limit, len(all))
	switch {
	case after != "":
		i := index(after)
		if i < 0 {
			writeDRError(w, http.StatusBadRequest, invalidParam("startingAfter", "No event with id '%s' is in this list.", after))
			return
		}
		start, end = i+1, min(i+1+limit, len(all))
	case before != "":
		i := index(before)
		if i < 0 {
			writeDRError(w, http.StatusBadRequest, invalidParam("endingBefore", "No event with id '%s' is in this list.", before))
			return
		}
		start, end = max(0, i-limit), i
	}
	page := make([]map[string]any, 0, end-start)
	for _, ev := range all[start:end] {
		page = append(page, eventWire(ev))
	}
	hasMore := end < len(all)
	if before != "" {
		hasMore = start > 0
	}
	writeDRJSON(w, http.StatusOK, map[string]any{"hasMore": hasMore, "data": page})
}

// eventFilter reads types or type and createdTime[…] into a test of an event.
func eventFilter(q map[string][]string) (func(Event) bool, *drError) {
	types, hasTypes := q["types"]
	pattern, hasType := q["type"]
	var want []string
	for _, t := range types {
		want = append(want, strings.Split(t, ",")...)
	}
	switch {
	case hasTypes && hasType:
		e := invalidParam("types", "Pass either type or types, not both.")
		return nil, &e
	case len(want) >= maxTypesFilter:
		e := invalidParam("types", "Fewer than %d types may be given.", maxTypesFilter)
		return nil, &e
	}
	var bounds []func(time.Time) bool
	for k, vs := range q {
		op, ok := strings.CutPrefix(k, "createdTime")
		if !ok {
			continue
		}
		op = strings.TrimSuffix(strings.TrimPrefix(op, "["), "]")
		for _, v := range vs {
			at, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				e := invalidParam("createdTime", "'%s' is not an ISO-8601 UTC date-time.", v)
				return nil, &e
			}
			switch op {
			case "gt":
				bounds = append(bounds, func(t time.Time) bool { return t.After(at) })
			case "gte":
				bounds = append(bounds, func(t time.Time) bool { return !t.Before(at) })
			case "lt":
				bounds = append(bounds, func(t time.Time) bool { return t.Before(at) })
			case "lte":
				bounds = append(bounds, func(t time.Time) bool { return !t.After(at) })
			case "":
				bounds = append(bounds, func(t time.Time) bool { return t.Equal(at) })
			default:
				e := invalidParam("createdTime", "'%s' is not one of gt, gte, lt, lte.", op)
				return nil, &e
			}
		}
	}
	return func(ev Event) bool {
		switch {
		case hasTypes && !slices.Contains(want, ev.Type):
			return false
		case hasType:
			if ok, err := path.Match(pattern[0], ev.Type); err != nil || !ok {
				return false
			}
		}
		for _, b := range bounds {
			if !b(ev.CreatedTime) {
				return false
			}
		}
		return true
	}, nil
}

// eventWire is an event as Digital River sends it. The version field is
// spelt as the docs' example spells it, digitalriverVersion.
func eventWire(ev Event) map[string]any {
	obj := ev.Object
	if obj == nil {
		obj = map[string]any{}
	}
	ids := ev.WebhookIDs
	if ids == nil {
		ids = []string{}
	}
	m := map[string]any{
		"id":                  ev.ID,
		"type":                ev.Type,
		"createdTime":         ev.CreatedTime.UTC().Format(drTimeLayout),
		"liveMode":            ev.LiveMode,
		"digitalriverVersion": "2021-12-13",
		"webhookIds":          ids,
		"data":                map[string]any{"object": obj},
	}
	switch ev.Pending.Form {
	case PendingNumber:
		m["pendingWebhooks"] = ev.Pending.Count
	case PendingString:
		m["pendingWebhooks"] = strconv.Itoa(ev.Pending.Count)
	}
	return m
}
