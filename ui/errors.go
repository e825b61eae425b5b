package ui

import (
	"context"
	"errors"
	"strings"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/steps"
)

// explain splits an error from the services into what happened and what to
// do, in the admin's words (steps.Explain), keeping Digital River's request
// id for support and saying a cancelled request was cancelled.
func explain(err error) (what, remedy string) {
	if errors.Is(err, context.Canceled) {
		return "Cancelled.", ""
	}
	f := steps.Explain(err)
	var de *drapi.Error
	if errors.As(err, &de) && de.RequestID != "" {
		f.Remedy = strings.TrimSpace(f.Remedy + " (Digital River request id " + de.RequestID + ")")
	}
	return f.Meaning, f.Remedy
}
