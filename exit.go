package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/drsetup/drsetup/regularfile"
	"github.com/drsetup/drsetup/ui/plain"
)

// Exit codes of the command-line contract (DESIGN.md).
const (
	exitOK        = 0
	exitFailed    = 1   // a check failed or the remote refused
	exitUsage     = 2   // bad usage or invalid input
	exitCancelled = 130 // Ctrl+C, SIGINT, SIGTERM, SIGQUIT; SIGHUP gives exitHangup
)

// usageError is bad usage or invalid input: exit 2. Its text is shown as is,
// followed, for mistakes in the command line itself, by a pointer to --help.
type usageError struct {
	msg  string
	help bool
}

func (e *usageError) Error() string { return e.msg }

// usagef is a mistake in the command line: unknown flags, wrong arguments.
func usagef(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...), help: true}
}

// invalidf is invalid or missing input whose message already says what to do.
func invalidf(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// silentError ends the command with a code after the command has already told
// the user everything (a doctor report with a failed check, say).
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// errCancelled is returned when the user cancelled (Ctrl+C, SIGINT, SIGTERM).
var errCancelled = errors.New("cancelled")

// exitCode maps the error a command returned to the contract's exit codes.
func exitCode(ctx context.Context, err error) int {
	var se *silentError
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &se):
		return se.code
	case errors.Is(err, errCancelled), ctx.Err() != nil:
		// Once a signal cancelled the run, whatever failed failed because of it.
		return exitCancelled
	case errors.As(err, &ue), errors.Is(err, regularfile.ErrNotRegular), errors.As(err, new(*plain.AnswerError)):
		// A FIFO or folder where a profile or scenario file belongs is bad
		// input, wherever it was met; so are a script's answers that do not
		// fit the questions.
		return exitUsage
	}
	return exitFailed
}
