package steps

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
)

// registered is a world with the demo setup's webhook registered.
func registered(t *testing.T) (*world, *drapi.Client, string) {
	t.Helper()
	w := newWorld(t, emulator.DemoScenario())
	res := w.register(t, demoSetup())
	c, err := w.sv.DR(demo.DRKey)
	if err != nil {
		t.Fatal(err)
	}
	w.sv.Writes = &Writes{}
	return w, c, res.Webhook.ID
}

func TestEditWebhookWaitsForASetupOfTheSameProfile(t *testing.T) {
	w, c, id := registered(t)
	ctx := context.Background()
	unlock, err := w.store.Lock(ctx, "default", time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	var stages []Stage
	w.sv.OnStage = func(s Stage) { stages = append(stages, s) }
	done := make(chan error, 1)
	go func() {
		_, err := w.sv.EditWebhook(ctx, c, "default", id, func(cur drapi.Webhook) (drapi.Spec, error) {
			sp := drapi.SpecOf(cur)
			sp.Enabled = false
			return sp, nil
		})
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	if n := countRequests(w.srv, "PATCH", "/webhooks/"+id); n != 0 {
		t.Fatalf("%d PATCHes while another run held the profile's lock", n)
	}
	unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if hooks := w.orgHooks("acme.my.salesforce.com"); len(hooks) != 1 || hooks[0].Enabled {
		t.Fatalf("webhooks %+v, want the one disabled", hooks)
	}
	if !slices.Contains(stages, StageWaitLock) || stages[len(stages)-1] != StageEdit || slices.Contains(stages, StageRegister) {
		t.Errorf("stages %v: the wait said, then the edit (not a registration)", stages)
	}
	if w.sv.Writes.Unfinished() {
		t.Error("a finished edit left the session's writes unfinished")
	}
}

func TestRemoveWebhookLeavesTheOthersAndRecordsAnInterruptedDelete(t *testing.T) {
	w, c, id := registered(t)
	before := len(w.srv.Webhooks("test"))
	if err := w.sv.RemoveWebhook(context.Background(), c, "default", id); err != nil {
		t.Fatal(err)
	}
	after := w.srv.Webhooks("test")
	if len(after) != before-1 || slices.ContainsFunc(after, func(h emulator.Webhook) bool { return h.ID == id }) {
		t.Fatalf("%d webhooks before, %d after: only the one named goes", before, len(after))
	}
	if w.sv.Writes.Unfinished() {
		t.Error("a confirmed delete left the writes unfinished")
	}

	// Gone already: nothing written, and said so.
	err := w.sv.RemoveWebhook(context.Background(), c, "default", id)
	var gone *drapi.GoneError
	if !errors.As(err, &gone) || w.sv.Writes.Unfinished() {
		t.Fatalf("got %v (unfinished %v), want a *GoneError that wrote nothing", err, w.sv.Writes.Unfinished())
	}

	// Cancelled with the delete sent: the write may have gone out.
	other := after[0].ID
	ctx, cancel := context.WithCancel(context.Background())
	w.srv.SetFaults(emulator.Faults{Latency: map[string]time.Duration{"api.digitalriver.com": time.Minute}})
	go func() {
		for countRequests(w.srv, "DELETE", "/webhooks/"+other) == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	err = w.sv.RemoveWebhook(ctx, c, "default", other)
	if err == nil || !drapi.MayHaveWritten(err) || !w.sv.Writes.Unfinished() {
		t.Fatalf("cancelled delete: %v, unfinished %v; want both to say the delete may have gone out", err, w.sv.Writes.Unfinished())
	}
}
