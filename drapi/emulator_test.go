package drapi_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/emulator/emulatortest"
)

const (
	testKey = "sk_test_events_0000000000000000"
	liveKey = "sk_live_events_0000000000000000"
	canary  = "canary-order-customer-3b7e@example.com"
)

// TestEventsAgainstTheEmulator walks the emulator's events as doctor will:
// the app's types over the last week, pendingWebhooks in each of its forms.
func TestEventsAgainstTheEmulator(t *testing.T) {
	var events []emulator.Event
	forms := []string{emulator.PendingNumber, emulator.PendingString, emulator.PendingMissing}
	types := append(slices.Clone(drapi.AppEvents), "order.created", "order.charge.complete")
	for i := range 450 {
		events = append(events, emulator.Event{
			Type: types[i%len(types)], Age: time.Duration(i)*30*time.Minute + time.Minute,
			// 1 as a number, 2 as a string, 3 left out.
			Pending: emulator.EventPending{Count: i%3 + 1, Form: forms[i%3]},
			Object:  map[string]any{"id": fmt.Sprint(i), "email": canary},
		})
	}
	events = append(events, emulator.Event{Type: "order.accepted", Age: time.Hour, LiveMode: true})
	w := emulatortest.New(t, emulator.Scenario{DigitalRiver: emulator.Account{
		Keys:   []emulator.Key{{Key: testKey, CanWebhooks: true}, {Key: liveKey, CanWebhooks: true}},
		Events: events,
	}})
	c, err := w.DigitalRiver()(testKey)
	if err != nil {
		t.Fatal(err)
	}
	week := time.Now().Add(-7 * 24 * time.Hour)
	var got []drapi.Event
	for e, err := range c.Events.All(context.Background(), drapi.EventsQuery{Types: drapi.AppEvents, Since: week}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	// A week is 336 half hours: 336 events, 8 in 10 of the app's types.
	want := 0
	for i := range 336 {
		if i%10 < 8 {
			want++
		}
	}
	if len(got) != want {
		t.Fatalf("walked %d events, want %d", len(got), want)
	}
	seen := map[string]int{}
	for i, e := range got {
		if !slices.Contains(drapi.AppEvents, e.Type) || e.LiveMode || e.CreatedTime.Before(week) || len(e.ID) != 36 {
			t.Fatalf("event %d: %+v", i, e)
		}
		if i > 0 && e.CreatedTime.After(got[i-1].CreatedTime) {
			t.Fatalf("event %d is newer than the one before", i)
		}
		switch {
		case e.PendingWebhooks == nil:
			seen["unknown"]++
		case *e.PendingWebhooks == 1:
			seen["number"]++
		case *e.PendingWebhooks == 2:
			seen["string"]++
		default:
			t.Errorf("pendingWebhooks %d", *e.PendingWebhooks)
		}
	}
	// Each form about a third of the time; a missing count is unknown,
	// never 0.
	for _, form := range []string{"number", "string", "unknown"} {
		if n := seen[form]; n < want/3-3 || n > want/3+3 {
			t.Errorf("%d events with pendingWebhooks as %s, want about a third of %d", n, form, want)
		}
	}
	if strings.Contains(fmt.Sprintf("%#v", got), canary) {
		t.Error("an Event keeps data.object")
	}
	// Each key sees its own mode.
	live, _ := w.DigitalRiver()(liveKey)
	n := 0
	for e, err := range live.Events.All(context.Background(), drapi.EventsQuery{Type: "order.*"}) {
		if err != nil || !e.LiveMode {
			t.Fatalf("%+v, %v", e, err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("the live key saw %d events", n)
	}
}
