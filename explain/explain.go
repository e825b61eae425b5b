// Package explain turns what failed into the user's words, once for every
// mode: the wizard, the plain prompts, unattended setup, doctor and the
// commands' own error line all lay out the same Failure. The clients keep
// the facts (sfcheck.LoginError, sfcheck.RESTError, sfcheck.ProbeResult,
// drapi.Error: the kind, the service's own words, the request id); the
// headline, what it means and what to do are written here, with the
// commands and flags they name.
package explain

import (
	"context"
	"errors"
	"strings"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// Failure is an error told for the user.
type Failure struct {
	// Headline says what failed, as a sentence: "Salesforce refused the
	// login."
	Headline string
	// Said is the service's own answer, as received: "invalid_grant:
	// authentication failure"; "" when it gave none.
	Said string
	// Status is the HTTP status of the answer, 0 when none came.
	Status int
	// Service is who said it: "Salesforce" or "Digital River".
	Service string
	// Meaning is what the failure means, in the admin's words.
	Meaning string
	// Remedy is what to do; "" when Meaning already says it.
	Remedy string
	// Field is the value most likely wrong, field.None when none.
	Field field.Field
	// RequestID is Digital River's id of the request, for its support.
	RequestID string
}

// Summary is the headline with the service's words in it, then the
// meaning: one paragraph for a report line.
func (f Failure) Summary() string {
	head := strings.TrimSuffix(f.Headline, ".")
	if f.Said != "" {
		head += " (" + f.Said + ")"
	}
	return strings.TrimSpace(text.FullStop(head) + " " + f.Meaning)
}

// ToDo is the remedy with Digital River's request id, which its support
// finds the request by.
func (f Failure) ToDo() string {
	if f.RequestID == "" {
		return f.Remedy
	}
	return strings.TrimSpace(f.Remedy + " (Digital River request id " + f.RequestID + ")")
}

// Text is the whole failure as one paragraph: summary, remedy and request
// id, for an error line.
func (f Failure) Text() string {
	return strings.TrimSpace(f.Summary() + " " + f.ToDo())
}

// Of explains err. Errors of drsetup's own packages are told from their
// facts; anything else keeps its text as a sentence.
func Of(err error) Failure {
	var (
		le  *sfcheck.LoginError
		re  *sfcheck.RESTError
		de  *drapi.Error
		ke  *drapi.KeyError
		dd  *sfcheck.DomainError
		dup *drapi.DuplicatesError
		uce *drapi.UncertainCreateError
		kre *profile.KeyringError
		ne  *httpx.NetError
	)
	if f, ok := edit(err); ok {
		return f
	}
	if f, ok := write(err); ok {
		return f
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok && !errors.As(err, &uce) {
		return joined(j.Unwrap())
	}
	switch {
	case err == nil:
		return Failure{}
	case errors.As(err, &uce):
		return uncertainCreate(uce)
	case errors.As(err, &dup):
		return duplicates(dup)
	case errors.As(err, &le):
		return login(le)
	case errors.As(err, &re):
		return rest(re)
	case errors.As(err, &de):
		return digitalRiver(de)
	case errors.As(err, &ke):
		return Failure{Headline: "The Digital River API key cannot be used.", Meaning: text.Sentence(ke.Error()), Field: field.DRAPIKey}
	case errors.As(err, &dd):
		return Failure{Headline: "The My Domain URL cannot be used.", Meaning: text.Sentence(dd.Error()), Field: field.MyDomain}
	case errors.As(err, &kre):
		return Failure{Headline: "The keyring could not be used.", Meaning: text.Sentence(kre.Problem()), Remedy: text.Sentence(kre.Remedy())}
	case errors.As(err, &ne):
		return Failure{Headline: "No answer came back.", Meaning: text.Sentence(ne.Error())}
	case errors.Is(err, context.Canceled):
		return Failure{Headline: "Cancelled."}
	case errors.Is(err, context.DeadlineExceeded):
		return Failure{Headline: "No answer came in time.", Remedy: "Check the network connection, or HTTPS_PROXY behind a corporate proxy, and try again."}
	}
	return Failure{Meaning: text.Sentence(err.Error())}
}

// joined explains several failures at once (errors.Join) as one: each
// one's text in turn, the first one's value to blame.
func joined(errs []error) Failure {
	var f Failure
	var texts []string
	for _, err := range errs {
		if err == nil {
			continue
		}
		g := Of(err)
		if f.Field == field.None {
			f.Field = g.Field
		}
		texts = append(texts, g.Text())
	}
	f.Meaning = strings.Join(texts, " ")
	return f
}
