package drapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Action is what Ensure plans or did.
type Action string

const (
	// Planned.
	ActionCreate Action = "create"
	ActionUpdate Action = "update"
	// Done. ActionUnchanged is also the plan when nothing needs to change.
	ActionCreated   Action = "created"
	ActionUpdated   Action = "updated"
	ActionUnchanged Action = "unchanged"
)

// Plan is what Apply will do to make the desired webhook exist.
type Plan struct {
	Action  Action   // ActionCreate, ActionUpdate or ActionUnchanged
	Target  *Webhook // the existing webhook to update; nil to create
	Changes []Change // for a create, every field that will be set
	Desired Spec

	// match and prefer are the EnsureOptions the plan was made with, so
	// that Apply looks again the same way right before it writes.
	match  func(Webhook) bool
	prefer string
}

// EnsureOptions tune Plan and Ensure.
type EnsureOptions struct {
	// Match says which existing webhooks count as the desired one. Nil means
	// SameAddress(w.Address, desired.Address). The setup wizard passes a
	// broader matcher (this org's webhook under a wrong host or path) so that
	// it fixes that webhook instead of adding a second one.
	Match func(Webhook) bool
	// Prefer is the id of the webhook to keep when a create meets another
	// one made meanwhile (the one a saved profile names); without it, or
	// when it is not among them, the oldest is kept.
	Prefer string
}

// Result is what Apply or Ensure did.
type Result struct {
	Action Action // ActionCreated, ActionUpdated or ActionUnchanged
	// Webhook is the webhook as Digital River stored it: read back after
	// any write.
	Webhook Webhook
	Changes []Change
	// Adopted is set when a create's answer was lost and the webhook it had
	// made was found and taken instead of creating another.
	Adopted bool
	// Appeared is set when a create was planned but, looking again right
	// before writing, a webhook for the address had appeared meanwhile
	// (another run made it), so that one was used instead.
	Appeared bool
	// Deleted are the webhooks removed so that one remains for the address
	// after a create met another made at the same time: this run's own when
	// the other is older, or the other's when this run's is.
	Deleted []string
}

// DuplicatesError is returned when more than one webhook matches the desired
// one. Nothing is written: which to keep is the user's decision.
type DuplicatesError struct {
	Address  string
	Webhooks []Webhook
}

func (e *DuplicatesError) Error() string {
	ids := make([]string, len(e.Webhooks))
	for i, w := range e.Webhooks {
		ids[i] = w.ID
	}
	return fmt.Sprintf("%d Digital River webhooks exist for %s: %s", len(e.Webhooks), e.Address, strings.Join(ids, ", "))
}

// UncertainCreateError is returned when a create's answer was lost and looking
// for the webhook it may have made failed too: the webhook may or may not
// exist.
type UncertainCreateError struct {
	Err      *Error // why the create's answer was lost
	CheckErr error  // why the check failed
}

func (e *UncertainCreateError) Error() string {
	return fmt.Sprintf("the answer to creating the webhook was lost (%s), and checking whether Digital River stored it failed (%s)", e.Err, e.CheckErr)
}

func (e *UncertainCreateError) Unwrap() []error { return []error{e.Err, e.CheckErr} }

// LostCreateError is returned when a create's answer was lost and the webhook
// had not appeared in the list by the end of the wait. The create was not
// sent again: Digital River may have stored it, and lists it later.
type LostCreateError struct {
	Err    *Error        // why the create's answer was lost
	Waited time.Duration // how long the list was watched for it
}

func (e *LostCreateError) Error() string {
	return fmt.Sprintf("drapi: the answer to creating the webhook was lost (%s) and no new webhook for the address was listed within %s",
		e.Err, e.Waited.Round(time.Second))
}

func (e *LostCreateError) Unwrap() error { return e.Err }

// ReadBackError is returned when a webhook read back after a create or an
// update differs from what was sent: Digital River stored something else.
// Fields names each field that differs, as Change.Field does; no value.
type ReadBackError struct {
	WebhookID string
	Action    Action // ActionCreated or ActionUpdated: the write that was read back
	Fields    []string
	Stored    Webhook // as Digital River stored it (secrets masked in every printed form)
	// Edited: the write was an edit of one existing webhook (Edit: doctor
	// --fix), not a setup's, so no profile waits on it.
	Edited bool
}

func (e *ReadBackError) Error() string {
	return fmt.Sprintf("drapi: webhook %s as read back after it was %s differs from what was sent: %s",
		e.WebhookID, e.Action, strings.Join(e.Fields, ", "))
}

// IncompleteWriteError is returned when Apply stopped, cancelled or failed,
// after a write may have reached Digital River: the webhook may exist (or
// have changed) although no result came back.
type IncompleteWriteError struct {
	Err error
	// WebhookID is the webhook an Edit or a Remove was writing; "" for
	// Apply, which may have been creating one. Deleting says it was a
	// Remove.
	WebhookID string
	Deleting  bool
}

func (e *IncompleteWriteError) Error() string {
	return "drapi: stopped after a write may have reached Digital River: " + e.Err.Error()
}

func (e *IncompleteWriteError) Unwrap() error { return e.Err }

// MayHaveWritten reports whether err says a write may have reached Digital
// River although it did not end as asked: a lost create, an interrupted
// apply, a write stored differently, a delete answered but not seen to
// take.
func MayHaveWritten(err error) bool {
	var (
		iw *IncompleteWriteError
		lc *LostCreateError
		uc *UncertainCreateError
		rb *ReadBackError
		du *DeleteUnconfirmedError
	)
	return errors.As(err, &iw) || errors.As(err, &lc) || errors.As(err, &uc) || errors.As(err, &rb) || errors.As(err, &du)
}

// Plan lists the webhooks and decides what Apply must do for desired to
// exist. It writes nothing. More than one match is a *DuplicatesError.
func (s *WebhooksService) Plan(ctx context.Context, desired Spec, o EnsureOptions) (Plan, error) {
	if err := desired.Validate(); err != nil {
		return Plan{}, err
	}
	desired = desired.normalized()
	p := Plan{Desired: desired, match: o.Match, prefer: o.Prefer}
	found, err := s.find(ctx, p.matcher())
	if err != nil {
		return Plan{}, err
	}
	switch len(found) {
	case 0:
		p.Action, p.Changes = ActionCreate, Diff(Webhook{}, desired)
		return p, nil
	case 1:
		p.Action, p.Target = ActionUnchanged, &found[0]
		if p.Changes = Diff(found[0], desired); len(p.Changes) > 0 {
			p.Action = ActionUpdate
		}
		return p, nil
	}
	return Plan{}, &DuplicatesError{Address: desired.Address, Webhooks: found}
}

func (p Plan) matcher() func(Webhook) bool {
	if p.match != nil {
		return p.match
	}
	address := p.Desired.Address
	return func(w Webhook) bool { return SameAddress(w.Address, address) }
}

// Timing of Apply's looks at the list. A concurrent run's duplicate lives
// for a few requests (its create, a list, a delete), so settleWait is long
// enough for it to go; lostCreateWait is how long a list that lags behind
// creates is watched for a create whose answer was lost.
const (
	settleWait     = 10 * time.Second
	lostCreateWait = 30 * time.Second
	firstPoll      = time.Second
	maxPoll        = 8 * time.Second
)

// Apply carries out p, checking first that it still holds, since time may
// have passed since the plan (the wizard plans at Review and writes after
// it):
//   - a create lists again right before it is sent, and updates a webhook
//     that appeared meanwhile instead of adding a second one;
//   - a create whose answer is lost is never sent again: the list is
//     watched for the webhook, which is adopted when it appears
//     (Result.Adopted), else a *LostCreateError;
//   - after a create the list is read again, and when another webhook for
//     the address was made at the same time, one is kept (the one
//     EnsureOptions.Prefer names, else the oldest by createdTime, then id,
//     so that racing runs agree) and the others are deleted (Result.Deleted);
//   - an update reads the target again and sends the whole desired webhook
//     (a PATCH may keep or clear the fields it omits: Digital River does not
//     say);
//   - every write is read back with a GET and compared with what was sent
//     (ReadBack); a difference is a *ReadBackError.
//
// A failure after a write may have gone out is an *IncompleteWriteError
// unless its own type says so already (see MayHaveWritten).
func (s *WebhooksService) Apply(ctx context.Context, p Plan) (Result, error) {
	if err := p.Desired.Validate(); err != nil {
		return Result{}, err
	}
	a := &applier{s: s, match: p.matcher(), prefer: p.prefer, desired: p.Desired.normalized()}
	res, err := a.apply(ctx, p)
	if err != nil && a.wrote && !MayHaveWritten(err) {
		err = &IncompleteWriteError{Err: err}
	}
	return res, err
}

// AwaitLost is Apply for a run whose create of p's webhook was sent before
// and lost (lost: why its answer was lost, as in LostCreateError): the
// create is never sent again in the same run. A plan to create watches the
// list for the webhook as after a lost create, and adopts it; if it still
// does not appear, the error is a *LostCreateError again. A plan made once
// the webhook was listed is applied as Apply does, and its webhook is taken
// as the lost create's: Adopted, and created when nothing else changed.
func (s *WebhooksService) AwaitLost(ctx context.Context, p Plan, lost *Error) (Result, error) {
	if lost == nil {
		return s.Apply(ctx, p)
	}
	if p.Action != ActionCreate {
		r, err := s.Apply(ctx, p)
		if err == nil {
			r.Adopted = true
			if r.Action == ActionUnchanged {
				r.Action = ActionCreated
			}
		}
		return r, err
	}
	if err := p.Desired.Validate(); err != nil {
		return Result{}, err
	}
	a := &applier{s: s, match: p.matcher(), prefer: p.prefer, desired: p.Desired.normalized()}
	res, err := a.awaitLost(ctx, lost)
	if err != nil && !MayHaveWritten(err) {
		// The lost create went out before: the webhook may exist.
		err = &IncompleteWriteError{Err: err}
	}
	return res, err
}

func (a *applier) awaitLost(ctx context.Context, lost *Error) (Result, error) {
	found, err := a.settle(ctx)
	if err != nil {
		return Result{}, err
	}
	if len(found) == 1 {
		r, err := a.update(ctx, found[0])
		r.Adopted = true
		return r, err
	}
	r := a.s.client.newRequest(http.MethodPost, "/webhooks", nil)
	ours, err := a.s.awaitCreated(ctx, r, lost, a.match)
	if err != nil {
		return Result{}, err
	}
	return a.converge(ctx, ours, true)
}

// applier is one Apply: what it wants and whether it has written yet.
type applier struct {
	s       *WebhooksService
	match   func(Webhook) bool
	prefer  string
	desired Spec
	wrote   bool
}

func (a *applier) apply(ctx context.Context, p Plan) (Result, error) {
	switch p.Action {
	case ActionCreate:
		return a.createOrUse(ctx)
	case ActionUpdate, ActionUnchanged:
		if p.Target == nil {
			return Result{}, errNoTarget
		}
		current, err := a.s.Get(ctx, p.Target.ID)
		var e *Error
		if errors.As(err, &e) && e.Kind == KindNotFound {
			// Deleted since the plan: plan again from the list.
			return a.createOrUse(ctx)
		}
		if err != nil {
			return Result{}, err
		}
		return a.update(ctx, current)
	}
	return Result{}, fmt.Errorf("drapi: unknown plan action %q", p.Action)
}

// createOrUse lists again and creates the webhook only if none matches;
// one that appeared meanwhile is updated instead.
func (a *applier) createOrUse(ctx context.Context) (Result, error) {
	found, err := a.settle(ctx)
	if err != nil {
		return Result{}, err
	}
	if len(found) == 1 {
		r, err := a.update(ctx, found[0])
		r.Appeared = true
		return r, err
	}
	ours, adopted, err := a.s.create(ctx, a.desired, a.match)
	if a.sent(err) != nil {
		return Result{}, err
	}
	return a.converge(ctx, ours, adopted)
}

// settle lists the matching webhooks. Several are given a moment to become
// one, since a concurrent run deletes the duplicate it made; if they stay
// several, that is a *DuplicatesError.
func (a *applier) settle(ctx context.Context) ([]Webhook, error) {
	c := a.s.client
	deadline := c.now().Add(settleWait)
	for n := 1; ; n++ {
		found, err := a.s.find(ctx, a.match)
		if err != nil || len(found) <= 1 {
			return found, err
		}
		left := deadline.Sub(c.now())
		if left <= 0 {
			return nil, &DuplicatesError{Address: a.desired.Address, Webhooks: found}
		}
		if err := c.sleep(ctx, min(pollWait(n), left)); err != nil {
			return nil, err
		}
	}
}

// converge makes sure one webhook remains after this run's create (ours;
// adopted when its answer was lost and it was found in the list). The
// others that match are deleted and the kept one is brought to what is
// desired, then read back.
//
// Every run that sees the oldest webhook (by createdTime, then id) keeps
// it, and none deletes it. Any other webhook is deleted by its own run,
// which sees an older one, or else (created first but dated later, on a tie)
// by the run of the oldest, which sees it. So racing runs end with exactly
// one webhook whatever the order of their requests.
func (a *applier) converge(ctx context.Context, ours Webhook, adopted bool) (Result, error) {
	found, err := a.listed(ctx, ours.ID)
	if err != nil {
		return Result{}, err
	}
	if !slices.ContainsFunc(found, func(w Webhook) bool { return w.ID == ours.ID }) {
		// The list never caught up: decide with what it shows.
		found = append(found, ours)
	}
	keep := keeper(found, a.prefer)
	kept := keep.ID == ours.ID || adopted
	var deleted []string
	for _, w := range found {
		// The run whose webhook is kept deletes the others; any other run
		// deletes only its own (the kept one's run deletes the rest).
		if w.ID == keep.ID || !kept && w.ID != ours.ID {
			continue
		}
		if err := a.s.deleteGone(ctx, w.ID); a.sent(err) != nil {
			return Result{}, err
		}
		deleted = append(deleted, w.ID)
	}
	if !kept {
		r, err := a.update(ctx, keep)
		r.Deleted = deleted
		return r, err
	}
	stored, err := a.readBack(ctx, keep.ID, ActionCreated)
	if err != nil {
		return Result{}, err
	}
	return Result{Action: ActionCreated, Webhook: stored, Changes: Diff(Webhook{}, a.desired), Adopted: adopted, Deleted: deleted}, nil
}

// listed lists the matching webhooks once the list shows webhook id,
// waiting for it (with backoff, for lostCreateWait at most) on a list that
// lags behind creates. Once this run's create shows, so does any made
// before it, which is what lets racing runs agree on the oldest.
func (a *applier) listed(ctx context.Context, id string) ([]Webhook, error) {
	c := a.s.client
	deadline := c.now().Add(lostCreateWait)
	for n := 1; ; n++ {
		found, err := a.s.find(ctx, a.match)
		if err != nil || slices.ContainsFunc(found, func(w Webhook) bool { return w.ID == id }) {
			return found, err
		}
		left := deadline.Sub(c.now())
		if left <= 0 {
			return found, nil
		}
		if n == 1 {
			noteListing(ctx)
		}
		if err := c.sleep(ctx, min(pollWait(n), left)); err != nil {
			return nil, err
		}
	}
}

// keeper is the webhook to keep among several for one address: the
// preferred one when present, else the oldest by createdTime, then id.
func keeper(ws []Webhook, prefer string) Webhook {
	if prefer != "" {
		if i := slices.IndexFunc(ws, func(w Webhook) bool { return w.ID == prefer }); i >= 0 {
			return ws[i]
		}
	}
	return slices.MinFunc(ws, func(x, y Webhook) int {
		return cmp.Or(x.CreatedTime.Compare(y.CreatedTime), strings.Compare(x.ID, y.ID))
	})
}

// update brings current to what is desired, when it differs, and reads it
// back.
func (a *applier) update(ctx context.Context, current Webhook) (Result, error) {
	changes := Diff(current, a.desired)
	if len(changes) == 0 {
		return Result{Action: ActionUnchanged, Webhook: current}, nil
	}
	if _, err := a.s.patch(ctx, current.ID, a.desired); a.sent(err) != nil {
		return Result{}, err
	}
	stored, err := a.readBack(ctx, current.ID, ActionUpdated)
	if err != nil {
		return Result{}, err
	}
	return Result{Action: ActionUpdated, Webhook: stored, Changes: changes}, nil
}

// sent records the outcome err of a write request: unless Digital River
// refused it outright, or it never left (a connection refused, a spec that
// did not validate), it may have taken effect.
func (a *applier) sent(err error) error {
	var e *Error
	switch {
	case err == nil:
		a.wrote = true
	case errors.As(err, &e):
		a.wrote = a.wrote || e.mayHaveApplied() || e.Kind == KindCancelled
	default:
		a.wrote = a.wrote || MayHaveWritten(err)
	}
	return err
}

// readBack GETs webhook id after a write and compares it with what was
// sent.
func (a *applier) readBack(ctx context.Context, id string, action Action) (Webhook, error) {
	w, err := a.s.Get(ctx, id)
	if err != nil {
		return Webhook{}, err
	}
	if fields := ReadBack(w, a.desired); len(fields) > 0 {
		return Webhook{}, &ReadBackError{WebhookID: id, Action: action, Fields: fields, Stored: w}
	}
	return w, nil
}

// deleteGone deletes webhook id for convergence: one already gone (another
// run deleted it first) is fine.
func (s *WebhooksService) deleteGone(ctx context.Context, id string) error {
	err := s.Delete(ctx, id)
	var e *Error
	if errors.As(err, &e) && e.Kind == KindNotFound && e.Method == http.MethodDelete {
		return nil
	}
	return err
}

// pollWait is the wait before the nth look at the list: 1 s, doubling, at
// most 8 s.
func pollWait(n int) time.Duration {
	d := firstPoll << (n - 1)
	if d > maxPoll || d <= 0 {
		d = maxPoll
	}
	return d
}

var errNoTarget = errors.New("drapi: the plan has no webhook to update")

// Ensure makes the desired webhook exist: it creates it, updates the one
// matching it, or reports that nothing needs to change.
func (s *WebhooksService) Ensure(ctx context.Context, desired Spec, o EnsureOptions) (Result, error) {
	p, err := s.Plan(ctx, desired, o)
	if err != nil {
		return Result{}, err
	}
	return s.Apply(ctx, p)
}
