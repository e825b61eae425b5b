package steps

import (
	"context"
	"time"

	"github.com/drsetup/drsetup/drapi"
)

// Stages of the writes to one existing webhook.
const (
	StageEdit   Stage = "Updating the webhook"
	StageDelete Stage = "Deleting the webhook"
)

// EditWebhook changes webhook id of c's account into what edit makes of it
// (drapi's Edit: read right before the write, never created in its place,
// read back). It holds profile lockName's lock meanwhile, so that a setup of
// that profile on this machine does not write the same webhook at the same
// moment, and records in Writes whether a write may have gone out.
func (sv *Services) EditWebhook(ctx context.Context, c *drapi.Client, lockName, id string, edit func(drapi.Webhook) (drapi.Spec, error)) (_ drapi.Result, err error) {
	defer sv.traced("edit_webhook", time.Now(), &err)
	sv.stage(StageEdit)
	var res drapi.Result
	err = sv.writing(ctx, lockName, StageEdit, func(ctx context.Context) (err error) {
		res, err = c.Webhooks.Edit(ctx, id, edit)
		return err
	})
	return res, err
}

// RemoveWebhook deletes webhook id of c's account and confirms it is gone
// (drapi's Remove), under profile lockName's lock, recording the write.
func (sv *Services) RemoveWebhook(ctx context.Context, c *drapi.Client, lockName, id string) (err error) {
	defer sv.traced("delete_webhook", time.Now(), &err)
	sv.stage(StageDelete)
	return sv.writing(ctx, lockName, StageDelete, func(ctx context.Context) error {
		return c.Webhooks.Remove(ctx, id)
	})
}

// writing runs one write under the profile's lock, telling Writes when a
// request that may change Digital River is sent and whether it ended as
// asked.
func (sv *Services) writing(ctx context.Context, lockName string, st Stage, write func(context.Context) error) error {
	unlock, err := sv.lockThen(ctx, lockName, st)
	if err != nil {
		return err
	}
	defer unlock()
	before := sv.Writes.Unfinished()
	ctx = drapi.WithNotices(ctx, drapi.Notices{Write: func() { sv.Writes.set(true) }})
	err = write(ctx)
	sv.Writes.set(before || err != nil && drapi.MayHaveWritten(err))
	return err
}
