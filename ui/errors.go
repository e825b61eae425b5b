package ui

import (
	"context"
	"errors"

	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/text"
)

// explainErr splits an error from the services into what happened and what
// to do, in the admin's words (explain.Of), with Digital River's request id
// for support, saying a cancelled request was cancelled.
func explainErr(err error) (what, remedy string) {
	if errors.Is(err, context.Canceled) {
		return "Cancelled.", ""
	}
	f := explain.Of(err)
	return text.Or(f.Meaning, f.Headline), f.ToDo()
}
