package drapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// seededID is the first webhook seed stores.
const seededID = "00000000-0000-4000-8000-000000000001"

func addTypes(types ...string) func(Webhook) (Spec, error) {
	return func(w Webhook) (Spec, error) {
		sp := SpecOf(w)
		sp.Types = append(sp.Types, types...)
		return sp, nil
	}
}

func TestEditChangesOnlyWhatTheEditChangesAndReadsItBack(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	c, _ := f.client(t, Options{})
	r, err := c.Webhooks.Edit(context.Background(), seededID, addTypes("order.blocked"))
	if err != nil || r.Action != ActionUpdated {
		t.Fatalf("edit: %+v, %v", r, err)
	}
	if len(r.Changes) != 1 || r.Changes[0].Field != "types" {
		t.Errorf("changes %v, want the event types alone", r.Changes)
	}
	if !slices.Contains(r.Webhook.Types, "order.blocked") || r.Webhook.OAuth.Password.Reveal() != "pw-1-TOKEN" || r.Webhook.OAuth.ClientSecret.Reveal() != "cs-1" {
		t.Errorf("stored %#v: the types added, the stored secrets sent back unchanged", r.Webhook)
	}
	if n := len(f.seenMethod(http.MethodPatch)); n != 1 {
		t.Errorf("%d PATCHes, want 1", n)
	}
	if n := len(f.seenMethod(http.MethodGet)); n != 2 {
		t.Errorf("%d GETs, want the read before the write and the read-back", n)
	}
}

func TestEditWithNothingToChangeSendsNothing(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	c, _ := f.client(t, Options{})
	r, err := c.Webhooks.Edit(context.Background(), seededID, func(w Webhook) (Spec, error) { return SpecOf(w), nil })
	if err != nil || r.Action != ActionUnchanged {
		t.Fatalf("edit: %+v, %v", r, err)
	}
	if n := len(f.seenMethod(http.MethodPatch)); n != 0 {
		t.Errorf("%d PATCHes for nothing to change", n)
	}
}

func TestEditOfAGoneWebhookCreatesNothing(t *testing.T) {
	for _, when := range []string{"before the read", "between the read and the write"} {
		t.Run(when, func(t *testing.T) {
			f := newFake(t)
			f.seed(1)
			c, _ := f.client(t, Options{})
			ctx := context.Background()
			if when == "before the read" {
				if err := c.Webhooks.Delete(ctx, seededID); err != nil {
					t.Fatal(err)
				}
			} else {
				f.on(http.MethodPatch, func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
					f.mu.Lock()
					f.webhooks = nil
					f.mu.Unlock()
					serve(w, r)
				})
			}
			_, err := c.Webhooks.Edit(ctx, seededID, addTypes("order.blocked"))
			var g *GoneError
			if !errors.As(err, &g) || g.WebhookID != seededID {
				t.Fatalf("got %v, want a *GoneError", err)
			}
			if n := len(f.seenMethod(http.MethodPost)); n != 0 || f.count() != 0 {
				t.Errorf("%d creates, %d webhooks: an edit must never create one", n, f.count())
			}
		})
	}
}

func TestEditStoredDifferentlyIsAReadBackError(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	c, _ := f.client(t, Options{})
	// The PATCH is answered as sent, but the types are not stored.
	f.on(http.MethodPatch, func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		f.mu.Lock()
		old := slices.Clone(f.webhooks[0]["types"].([]any))
		f.mu.Unlock()
		serve(w, r)
		f.mu.Lock()
		f.webhooks[0]["types"] = old
		f.mu.Unlock()
	})
	_, err := c.Webhooks.Edit(context.Background(), seededID, addTypes("order.blocked"))
	var rb *ReadBackError
	if !errors.As(err, &rb) || !slices.Equal(rb.Fields, []string{"types"}) || !MayHaveWritten(err) || !rb.Edited {
		t.Fatalf("got %v, want a read-back error naming the types", err)
	}
}

func TestEditRefusesASpecThatCannotBeSent(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	c, _ := f.client(t, Options{})
	_, err := c.Webhooks.Edit(context.Background(), seededID, func(w Webhook) (Spec, error) {
		sp := SpecOf(w)
		sp.Types = nil
		return sp, nil
	})
	var se *SpecError
	if !errors.As(err, &se) || len(f.seenMethod(http.MethodPatch)) != 0 {
		t.Fatalf("got %v; want a *SpecError and nothing sent", err)
	}
}

func TestRemoveIsConfirmedByAGetAnswering404(t *testing.T) {
	f := newFake(t)
	f.seed(2)
	c, sleeps := f.client(t, Options{})
	if err := c.Webhooks.Remove(context.Background(), seededID); err != nil {
		t.Fatal(err)
	}
	if ids := f.ids(); len(ids) != 1 || ids[0] == seededID {
		t.Errorf("left %v: only the one named goes", ids)
	}
	gets := f.seenMethod(http.MethodGet)
	if len(gets) != 1 || gets[0].Path != "/webhooks/"+seededID || len(*sleeps) != 0 {
		t.Errorf("GETs %v, waits %v: one GET confirms it at once", gets, *sleeps)
	}
}

func TestRemoveOfAWebhookThatIsNotThereIsAGoneError(t *testing.T) {
	f := newFake(t)
	c, _ := f.client(t, Options{})
	err := c.Webhooks.Remove(context.Background(), seededID)
	var g *GoneError
	if !errors.As(err, &g) || MayHaveWritten(err) {
		t.Fatalf("got %v, want a *GoneError that wrote nothing", err)
	}
}

// stale answers a GET with the webhook as it was before the delete, as a
// store that lags behind its deletes.
func stale(body map[string]any) hook {
	return func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		if r.URL.Path == "/webhooks" {
			serve(w, r) // the list is not behind
			return
		}
		writeJSON(w, 200, body)
	}
}

func TestRemoveWaitsForAStoreThatLagsBehindDeletes(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	c, sleeps := f.client(t, Options{})
	before := f.find(seededID)
	f.on(http.MethodGet, stale(before), stale(before))
	if err := c.Webhooks.Remove(context.Background(), seededID); err != nil {
		t.Fatal(err)
	}
	if n := len(f.seenMethod(http.MethodGet)); n != 3 || len(*sleeps) != 2 {
		t.Errorf("%d GETs and waits %v; want two stale answers waited out, then the 404", n, *sleeps)
	}
}

func TestRemoveStillFoundAfterTheWaitIsUnconfirmed(t *testing.T) {
	for _, listed := range []bool{true, false} {
		name := map[bool]string{true: "still listed", false: "gone from the list"}[listed]
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.seed(1)
			c, sleeps := f.client(t, Options{})
			before := f.find(seededID)
			var hooks []hook
			for range 50 {
				hooks = append(hooks, stale(before))
			}
			f.on(http.MethodGet, hooks...)
			if listed {
				// The delete is answered but does not take.
				f.on(http.MethodDelete, func(w http.ResponseWriter, r *http.Request, _ http.HandlerFunc) { w.WriteHeader(http.StatusNoContent) })
			}
			err := c.Webhooks.Remove(context.Background(), seededID)
			var total float64
			for _, d := range *sleeps {
				total += d.Seconds()
			}
			if total > settleWait.Seconds() {
				t.Errorf("waited %.0f s, more than %s", total, settleWait)
			}
			if !listed {
				if err != nil {
					t.Fatalf("got %v; a list without it confirms the delete", err)
				}
				return
			}
			var du *DeleteUnconfirmedError
			if !errors.As(err, &du) || du.WebhookID != seededID || !MayHaveWritten(err) || !strings.Contains(err.Error(), "still had it") {
				t.Fatalf("got %v, want a *DeleteUnconfirmedError", err)
			}
		})
	}
}

func TestRemoveRefusedOutrightDeletedNothing(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	c, _ := f.client(t, Options{})
	f.on(http.MethodDelete, status(409, "conflict"))
	err := c.Webhooks.Remove(context.Background(), seededID)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindConflict || MayHaveWritten(err) || f.count() != 1 {
		t.Fatalf("got %v; a refused delete is the refusal, and the webhook stays", err)
	}
}

func TestAnInterruptedRemoveNamesTheWebhookItWasDeleting(t *testing.T) {
	f := newFake(t)
	f.seed(1)
	c, _ := f.client(t, Options{MaxAttempts: 1})
	// The delete takes effect, but its answer is lost.
	f.on(http.MethodDelete, loseAnswer(true))
	f.on(http.MethodGet, status(500, "internal_server_error"))
	err := c.Webhooks.Remove(context.Background(), seededID)
	var iw *IncompleteWriteError
	if !errors.As(err, &iw) || iw.WebhookID != seededID || !iw.Deleting || !MayHaveWritten(err) {
		t.Fatalf("got %#v, want an incomplete write naming the delete", err)
	}
}
