package plain

import (
	"context"
	"errors"
	"io"
)

// Prompter asks the questions of the commands that change Digital River
// or the saved profiles (doctor --fix, webhooks delete, profiles delete):
// plain lines on out, answers read from in one line at a time, as the
// setup's plain prompts read them, so a screen reader and a script answering
// through a pipe can use it too. One Prompter reads all of a command's
// answers: a second reader of the same input could take lines meant for
// the first.
type Prompter struct{ r *run }

// NewPrompter asks on out and reads answers from in until ctx ends; piped
// says in is a script's answers, not a person's (Options.Piped).
func NewPrompter(ctx context.Context, in io.Reader, out io.Writer, piped bool) *Prompter {
	r := newRun(ctx, Options{In: in, Out: out, Piped: piped})
	r.todo = "answer each question with y or n, or give --yes to go on without questions"
	return &Prompter{r: r}
}

// Confirm asks a yes-or-no question; def is the answer to an empty line.
// "q", the end of the answers or the end of ctx is ErrCancelled.
func (p *Prompter) Confirm(question string, def bool) (bool, error) {
	ok, err := p.r.yesNo(question, def)
	return ok, ended(err)
}

// Ask asks for a line; "" is an empty answer (the caller's default).
func (p *Prompter) Ask(question string) (string, error) {
	a, err := p.r.ask(question)
	return a, ended(err)
}

// Say writes a line of its own.
func (p *Prompter) Say(line string) { p.r.say("%s", line) }

// ended makes the end of the answers a cancellation: a question nobody
// answers changes nothing.
func ended(err error) error {
	if errors.As(err, new(*InputEndedError)) {
		return ErrCancelled
	}
	return err
}
