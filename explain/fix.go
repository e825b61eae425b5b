package explain

import (
	"errors"
	"fmt"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/text"
)

// What to run to see a webhook as Digital River has it now.
const getCommand = "drsetup webhooks get"

// edit explains the failures of a write to one existing webhook (doctor
// --fix, webhooks delete, profiles delete --with-webhook), or false when err
// is none of them. They are asked before write's, which word a setup's
// writes: "run drsetup setup again" is not the way on after a delete.
func edit(err error) (Failure, bool) {
	var (
		gone *drapi.GoneError
		du   *drapi.DeleteUnconfirmedError
		iw   *drapi.IncompleteWriteError
		rb   *drapi.ReadBackError
	)
	switch {
	case errors.As(err, &rb) && rb.Edited:
		id := text.Clean(rb.WebhookID)
		return Failure{
			Headline: "Digital River stored the webhook differently.",
			Meaning: fmt.Sprintf("Digital River updated webhook %s but stored it differently from what drsetup sent: %s. Events may not reach Salesforce as the fix meant.",
				id, differing(rb.Fields)),
			Remedy: fmt.Sprintf("Run %s %s to see what it holds, then drsetup doctor; if Digital River keeps storing it differently, contact Digital River support with the webhook id.", getCommand, id),
		}, true
	case errors.As(err, &gone):
		id := text.Clean(gone.WebhookID)
		return Failure{
			Headline: fmt.Sprintf("Webhook %s is not there.", id),
			Meaning:  fmt.Sprintf("Digital River has no webhook %s for this key: it was deleted, or it belongs to the other mode (test and live keys see different webhooks). Nothing was changed, and no webhook was created in its place.", id),
			Remedy:   fmt.Sprintf("Run %s to see the webhooks of this key, or use the other mode's key.", listCommand),
		}, true
	case errors.As(err, &du):
		id := text.Clean(du.WebhookID)
		return Failure{
			Headline: fmt.Sprintf("Digital River still has webhook %s.", id),
			Meaning:  fmt.Sprintf("Digital River answered that it deleted webhook %s, but %s later it still returned and listed it: the delete may yet take, or it did not.", id, waited(du.Waited)),
			Remedy:   fmt.Sprintf("Run %s %s in a minute: if it is still there, delete it again, or in the %s.", getCommand, id, webhookPage),
		}, true
	case errors.As(err, &iw) && iw.WebhookID != "":
		id := text.Clean(iw.WebhookID)
		f := interrupted(iw)
		if iw.Deleting {
			f.Remedy = fmt.Sprintf("Digital River may have deleted webhook %s. Run %s %s to see whether it is still there.", id, getCommand, id)
		} else {
			f.Remedy = fmt.Sprintf("Digital River may have changed webhook %s. Run %s %s to see it as it is now, and drsetup doctor to check it.", id, getCommand, id)
		}
		return f, true
	}
	return Failure{}, false
}
