package plain

import (
	"fmt"
	"strconv"
	"strings"
)

// The prompts themselves: one question per line, answers read one line at
// a time, hidden secrets, yes-or-no and numbered choices.

type lineOrErr struct {
	line string
	err  error
}

func (r *run) say(format string, a ...any) { fmt.Fprintf(r.o.Out, format+"\n", a...) }

// ask prints a question and returns the answer; "" keeps the default.
func (r *run) ask(question string) (string, error) { return r.askAs(question, question) }

// askAs prints prompt, the line that asks question, and returns the answer.
func (r *run) askAs(question, prompt string) (string, error) {
	if r.o.Piped {
		if r.asked[question]++; r.asked[question] > maxAsks {
			return "", &AnswerError{Question: question, Why: fmt.Sprintf("did not get past it in %d tries", maxAsks), ToDo: r.todo}
		}
	}
	fmt.Fprintf(r.o.Out, "%s ", prompt)
	select {
	case <-r.ctx.Done():
		r.say("")
		return "", ErrCancelled
	case r.ask1 <- struct{}{}:
	}
	select {
	case <-r.ctx.Done():
		r.say("")
		return "", ErrCancelled
	case l := <-r.lines:
		if l.err != nil {
			r.say("")
			return "", &InputEndedError{Question: question}
		}
		if strings.EqualFold(strings.TrimSpace(l.line), "q") {
			return "", ErrCancelled
		}
		return l.line, nil
	}
}

func (r *run) askSecret(question string) (string, error) {
	if r.o.ReadSecret == nil {
		v, err := r.ask(question)
		r.o.Redactor.Add(v)
		return v, err
	}
	fmt.Fprintf(r.o.Out, "%s ", question)
	v, err := r.o.ReadSecret(r.ctx)
	r.say("")
	if err != nil {
		if r.ctx.Err() != nil {
			return "", ErrCancelled
		}
		return "", err
	}
	r.o.Redactor.Add(v)
	return v, nil
}

// yesNo asks a yes-or-no question; def is the answer to an empty line.
func (r *run) yesNo(question string, def bool) (bool, error) {
	hint := "y or n, Enter for no"
	if def {
		hint = "y or n, Enter for yes"
	}
	for {
		a, err := r.ask(fmt.Sprintf("%s (%s):", question, hint))
		if err != nil {
			return false, err
		}
		switch strings.ToLower(strings.TrimSpace(a)) {
		case "":
			return def, nil
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		if r.o.Piped {
			r.say("")
			return false, &AnswerError{Question: question, Why: "is neither y nor n", ToDo: r.todo}
		}
		r.say("Please answer y or n.")
	}
}

// choose asks for one of numbered options and returns its index.
func (r *run) choose(question string, options []string, def int) (int, error) {
	r.say("%s", question)
	for i, o := range options {
		r.say("  %d. %s", i+1, o)
	}
	for {
		a, err := r.askAs(question, fmt.Sprintf("Choose 1 to %d (Enter keeps %d):", len(options), def+1))
		if err != nil {
			return 0, err
		}
		a = strings.TrimSpace(a)
		if a == "" {
			return def, nil
		}
		if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(options) {
			return n - 1, nil
		}
		if r.o.Piped {
			r.say("")
			return 0, &AnswerError{Question: question, Why: fmt.Sprintf("is not a number from 1 to %d", len(options)), ToDo: r.todo}
		}
		r.say("%q is not one of the choices; type a number from 1 to %d.", a, len(options))
	}
}

func current(v string) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	return " [" + v + "]"
}
