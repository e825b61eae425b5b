package ui

import (
	"context"
	"errors"

	"github.com/drsetup/drsetup/steps"
)

// explain splits an error from the services into what happened and what to
// do, in the admin's words (steps.Explain, which keeps Digital River's request
// id for support), saying a cancelled request was cancelled.
func explain(err error) (what, remedy string) {
	if errors.Is(err, context.Canceled) {
		return "Cancelled.", ""
	}
	f := steps.Explain(err)
	return f.Meaning, f.Remedy
}
