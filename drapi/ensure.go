package drapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
}

// EnsureOptions tune Plan and Ensure.
type EnsureOptions struct {
	// Match says which existing webhooks count as the desired one. Nil means
	// SameAddress(w.Address, desired.Address). The setup wizard passes a
	// broader matcher (this org's webhook under a wrong host or path) so that
	// it fixes that webhook instead of adding a second one.
	Match func(Webhook) bool
}

// Result is what Apply or Ensure did.
type Result struct {
	Action  Action // ActionCreated, ActionUpdated or ActionUnchanged
	Webhook Webhook
	Changes []Change
	// Adopted is set when a create's answer was lost and the webhook it had
	// made was found and taken instead of creating another.
	Adopted bool
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

// Plan lists the webhooks and decides what Apply must do for desired to
// exist. It writes nothing. More than one match is a *DuplicatesError.
func (s *WebhooksService) Plan(ctx context.Context, desired Spec, o EnsureOptions) (Plan, error) {
	if err := desired.Validate(); err != nil {
		return Plan{}, err
	}
	desired = desired.normalized()
	match := o.Match
	if match == nil {
		match = func(w Webhook) bool { return SameAddress(w.Address, desired.Address) }
	}
	found, err := s.find(ctx, match)
	if err != nil {
		return Plan{}, err
	}
	switch len(found) {
	case 0:
		return Plan{Action: ActionCreate, Changes: Diff(Webhook{}, desired), Desired: desired}, nil
	case 1:
		p := Plan{Action: ActionUnchanged, Target: &found[0], Desired: desired}
		if p.Changes = Diff(found[0], desired); len(p.Changes) > 0 {
			p.Action = ActionUpdate
		}
		return p, nil
	}
	return Plan{}, &DuplicatesError{Address: desired.Address, Webhooks: found}
}

// Apply carries out p. An update first reads the target again, since time may
// have passed since the plan and the PATCH carries only what differs. A create
// whose answer was lost is adopted when found (Result.Adopted).
func (s *WebhooksService) Apply(ctx context.Context, p Plan) (Result, error) {
	switch p.Action {
	case ActionCreate:
		w, adopted, err := s.create(ctx, p.Desired)
		if err != nil {
			return Result{}, err
		}
		return Result{Action: ActionCreated, Webhook: w, Changes: p.Changes, Adopted: adopted}, nil
	case ActionUnchanged:
		if p.Target == nil {
			return Result{}, errNoTarget
		}
		return Result{Action: ActionUnchanged, Webhook: *p.Target}, nil
	case ActionUpdate:
		if p.Target == nil {
			return Result{}, errNoTarget
		}
		current, err := s.Get(ctx, p.Target.ID)
		if err != nil {
			return Result{}, err
		}
		changes := Diff(current, p.Desired)
		if len(changes) == 0 {
			return Result{Action: ActionUnchanged, Webhook: current}, nil
		}
		w, err := s.Update(ctx, current.ID, current, p.Desired)
		if err != nil {
			return Result{}, err
		}
		return Result{Action: ActionUpdated, Webhook: w, Changes: changes}, nil
	}
	return Result{}, fmt.Errorf("drapi: unknown plan action %q", p.Action)
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
