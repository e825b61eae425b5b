package explain

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/drsetup/drsetup/drapi"
)

const someID = "0b7c3a52-1111-4000-8000-000000000001"

func TestEditFailuresSayWhatHappenedToTheWebhook(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want []string
		not  []string
	}{
		{"gone", &drapi.GoneError{WebhookID: someID}, []string{"Webhook " + someID + " is not there", "no webhook was created", "drsetup webhooks list", "other mode"}, nil},
		{"delete not seen to take", &drapi.DeleteUnconfirmedError{WebhookID: someID, Waited: 10 * time.Second}, []string{"still has webhook " + someID, "10 seconds later", "drsetup webhooks get " + someID}, nil},
		{"delete interrupted", &drapi.IncompleteWriteError{Err: context.Canceled, WebhookID: someID, Deleting: true}, []string{"Cancelled.", "may have deleted webhook " + someID, "drsetup webhooks get " + someID}, []string{"drsetup setup"}},
		{"update interrupted", &drapi.IncompleteWriteError{Err: &drapi.Error{Kind: drapi.KindTimeout, Method: "PATCH", Path: "/webhooks/" + someID}, WebhookID: someID},
			[]string{"Updating webhook " + someID + " got no answer", "may have changed webhook " + someID, "drsetup doctor"}, []string{"drsetup setup again"}},
		{"a fix stored differently", &drapi.ReadBackError{WebhookID: someID, Action: drapi.ActionUpdated, Fields: []string{"types"}, Edited: true},
			[]string{"updated webhook " + someID, "types differs", "drsetup webhooks get " + someID}, []string{"profile", "drsetup setup"}},
		// A setup's write keeps the setup's words.
		{"setup's write", &drapi.IncompleteWriteError{Err: context.Canceled}, []string{"run drsetup setup again"}, nil},
		{"setup's write stored differently", &drapi.ReadBackError{WebhookID: someID, Action: drapi.ActionUpdated, Fields: []string{"types"}}, []string{"profile was not saved"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Of(c.err).Text()
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(got, w) {
					t.Errorf("%q says %q", got, w)
				}
			}
		})
	}
}
