package drapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Writes to one existing webhook, for doctor --fix and the delete commands:
// an edit that never creates a webhook (the one it meant may be gone), and a
// delete that is not taken as done until Digital River no longer has the
// webhook.

// GoneError is returned when the webhook an edit or a delete is about does
// not exist (any more): nothing was written. An edit never creates the
// webhook in its place, so that fixing one can never add a second one for
// an org.
type GoneError struct {
	WebhookID string
}

func (e *GoneError) Error() string {
	return fmt.Sprintf("drapi: webhook %s does not exist (any more)", e.WebhookID)
}

// DeleteUnconfirmedError is returned when Digital River answered a delete
// but still had the webhook, by its id and in its list, at the end of the
// wait: it may yet go, or the delete did not take.
type DeleteUnconfirmedError struct {
	WebhookID string
	Waited    time.Duration
}

func (e *DeleteUnconfirmedError) Error() string {
	return fmt.Sprintf("drapi: Digital River answered the delete of webhook %s but still had it %s later", e.WebhookID, e.Waited.Round(time.Second))
}

// SpecOf is w as a Spec: what Edit compares and sends when an edit leaves
// every field as it is. The stored OAuth settings are kept whole (the
// secrets Digital River returns included), so that a change of the event
// types, say, sends them back unchanged.
func SpecOf(w Webhook) Spec {
	sp := Spec{
		Address:       w.Address,
		Types:         slices.Clone(w.Types),
		Enabled:       w.Enabled,
		APIVersion:    w.APIVersion,
		TransportType: w.TransportType,
	}
	if w.OAuth != nil {
		o := *w.OAuth
		sp.OAuth = &o
	}
	return sp
}

// Edit changes webhook id into what edit makes of it. The webhook is read
// right before the write, so the edit applies to it as it is then (not as a
// list showed it minutes before, while the user read the plan); a webhook
// that is gone is a *GoneError, and nothing is created in its place. The
// whole desired webhook is sent, as Apply sends an update, and read back: a
// difference is a *ReadBackError. With nothing to change nothing is sent
// (Result.Action ActionUnchanged). A failure after the write may have gone
// out is an *IncompleteWriteError unless its own type says so (see
// MayHaveWritten).
func (s *WebhooksService) Edit(ctx context.Context, id string, edit func(current Webhook) (Spec, error)) (Result, error) {
	if id == "" {
		return Result{}, errNoID
	}
	current, err := s.Get(ctx, id)
	if isNotFound(err, http.MethodGet) {
		return Result{}, &GoneError{WebhookID: id}
	}
	if err != nil {
		return Result{}, err
	}
	desired, err := edit(current)
	if err != nil {
		return Result{}, err
	}
	if err := desired.Validate(); err != nil {
		return Result{}, err
	}
	a := &applier{s: s, match: func(w Webhook) bool { return w.ID == id }, desired: desired.normalized()}
	res, err := a.update(ctx, current)
	if isNotFound(err, http.MethodPatch) {
		// Deleted between the read and the write: the PATCH found nothing.
		return Result{}, &GoneError{WebhookID: id}
	}
	var rb *ReadBackError
	if errors.As(err, &rb) {
		rb.Edited = true
	}
	if err != nil && a.wrote && !MayHaveWritten(err) {
		err = &IncompleteWriteError{Err: err, WebhookID: id}
	}
	return res, err
}

// Remove deletes webhook id and makes sure it is gone: a 204 alone is not
// taken for it. A GET that answers 404 confirms the delete; while the GET
// still finds the webhook (a store that lags behind deletes), it is asked
// again with backoff for settleWait, and then the list is read: a list
// that no longer holds it confirms the delete too. A webhook still found
// both ways is a *DeleteUnconfirmedError; one that did not exist before the
// delete is a *GoneError.
func (s *WebhooksService) Remove(ctx context.Context, id string) error {
	if id == "" {
		return errNoID
	}
	err := s.Delete(ctx, id)
	if isNotFound(err, http.MethodDelete) {
		return &GoneError{WebhookID: id}
	}
	var e *Error
	if err != nil && errors.As(err, &e) && !e.mayHaveApplied() && e.Kind != KindCancelled {
		return err // refused outright, or never sent: nothing was deleted
	}
	if err != nil {
		return &IncompleteWriteError{Err: err, WebhookID: id, Deleting: true}
	}
	if err := s.confirmGone(ctx, id); err != nil {
		var du *DeleteUnconfirmedError
		if errors.As(err, &du) {
			return err
		}
		// The delete was answered; only the check of it failed.
		return &IncompleteWriteError{Err: err, WebhookID: id, Deleting: true}
	}
	return nil
}

// confirmGone waits until Digital River no longer has webhook id.
func (s *WebhooksService) confirmGone(ctx context.Context, id string) error {
	c := s.client
	start := c.now()
	deadline := start.Add(settleWait)
	for n := 1; ; n++ {
		_, err := s.Get(ctx, id)
		switch {
		case isNotFound(err, http.MethodGet):
			return nil
		case err != nil:
			return err
		}
		left := deadline.Sub(c.now())
		if left <= 0 {
			break
		}
		if err := c.sleep(ctx, min(pollWait(n), left)); err != nil {
			return err
		}
	}
	found, err := s.find(ctx, func(w Webhook) bool { return w.ID == id })
	if err != nil {
		return err
	}
	if len(found) == 0 {
		return nil
	}
	return &DeleteUnconfirmedError{WebhookID: id, Waited: c.now().Sub(start)}
}

// isNotFound reports whether err is Digital River's 404 to a request of
// method.
func isNotFound(err error, method string) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == KindNotFound && e.Method == method
}
