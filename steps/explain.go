package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// Failure is an error of a step told for the admin: what the service said,
// what it means, what to do, and which value to go back to.
type Failure struct {
	Said    string // the service's own words ("invalid_grant: authentication failure"), or ""
	Meaning string
	Remedy  string
	Field   field.Field // the value most likely wrong, "" when none
}

// Explain turns an error from Services into a Failure. Every error drsetup's
// packages return already reads in the admin's words; Explain separates its
// parts so each mode can lay them out.
func Explain(err error) Failure {
	var (
		le *sfcheck.LoginError
		de *drapi.Error
		ke *drapi.KeyError
		dd *sfcheck.DomainError
		rb *drapi.ReadBackError
		lc *drapi.LostCreateError
		iw *drapi.IncompleteWriteError
		lk *profile.LockError
	)
	// The write errors wrap the *drapi.Error behind them, so they come
	// first.
	switch {
	case errors.As(err, &rb):
		return readBackFailure(rb)
	case errors.As(err, &lc):
		return Failure{
			Meaning: fmt.Sprintf("Digital River did not answer the request to create the webhook (%s), and the webhook had not appeared in its list after %s.",
				clause(lc.Err.Explanation()), waited(lc.Waited)),
			Remedy: LostCreateRemedy,
		}
	case errors.As(err, &iw):
		f := Failure{Meaning: "Cancelled."}
		if !errors.Is(iw.Err, context.Canceled) && !(errors.As(iw.Err, &de) && de.Kind == drapi.KindCancelled) {
			f = Explain(iw.Err)
		}
		f.Remedy, f.Field = WriteUnfinishedRemedy, ""
		return f
	case errors.As(err, &lk) && lk.Err == nil:
		who := "Another drsetup run on this machine"
		if lk.Holder.PID > 0 {
			who = fmt.Sprintf("Another drsetup run on this machine (process %d)", lk.Holder.PID)
		}
		return Failure{
			Meaning: fmt.Sprintf("%s is registering the webhook of profile %q; drsetup waited %s for it to finish.", who, lk.Name, waited(lk.Waited)),
			Remedy:  "Let the other run finish, or stop it, then run drsetup setup again.",
		}
	case errors.As(err, &de) && refusesClientCredentials(de):
		f := Failure{
			Meaning: "Digital River refused the grant type client_credentials for the webhook's OAuth settings: its API accepts only the password grant there." + drSaid(de),
			Remedy:  `Set the webhook up in the Digital River Dashboard (Developers → Webhooks), choosing "Client credentials" as the grant type, which the Dashboard offers; or use the username-password flow (Username and password in the Authentication step, or --auth password).`,
			Field:   field.Auth,
		}
		if de.RequestID != "" {
			f.Remedy += " (Digital River request id " + de.RequestID + ")"
		}
		return f
	}
	switch {
	case errors.As(err, &le):
		f := Failure{Meaning: text.Sentence(le.Meaning), Remedy: text.Sentence(le.Remedy), Field: le.Field}
		switch {
		case le.Code != "" && le.Description != "":
			f.Said = le.Code + ": " + le.Description
		case le.Code != "":
			f.Said = le.Code
		}
		return f
	case errors.As(err, &de):
		f := Failure{Meaning: text.Sentence(de.Explanation()), Remedy: text.Sentence(de.Remedy()), Field: drField(de)}
		if de.RequestID != "" {
			// Digital River support finds the request by this id.
			f.Remedy = strings.TrimSpace(f.Remedy + " (Digital River request id " + de.RequestID + ")")
		}
		return f
	case errors.As(err, &ke):
		return Failure{Meaning: text.Sentence(ke.Error()), Field: field.DRAPIKey}
	case errors.As(err, &dd):
		return Failure{Meaning: text.Sentence(dd.Error()), Field: field.MyDomain}
	}
	return Failure{Meaning: text.Sentence(err.Error())}
}

// Remedies of the write errors, said the same way wherever a run stops.
const (
	// LostCreateRemedy follows a create whose answer was lost and that the
	// list had not shown by the end of the wait.
	LostCreateRemedy = "Digital River may have created it; run drsetup setup again in a minute: it will find it."
	// WriteUnfinished is what is known of a run stopped after a write may
	// have reached Digital River, as a clause ("Cancelled: …").
	WriteUnfinished = "the webhook may already exist at Digital River; run drsetup setup again to finish"
	// WriteUnfinishedRemedy is WriteUnfinished as a sentence.
	WriteUnfinishedRemedy = "The webhook may already exist at Digital River; run drsetup setup again to finish."
)

// readBackFailure names each field Digital River stored differently,
// never a value.
func readBackFailure(e *drapi.ReadBackError) Failure {
	what := "created"
	if e.Action == drapi.ActionUpdated {
		what = "updated"
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f + " differs"
	}
	return Failure{
		Meaning: fmt.Sprintf("Digital River %s webhook %s but stored it differently from what drsetup sent: %s. Events may not reach Salesforce as set up, so the profile was not saved.",
			what, e.WebhookID, strings.Join(parts, ", ")),
		Remedy: "Open the webhook in the Digital River Dashboard (Developers → Webhooks) to see what it holds, then run drsetup setup again; if Digital River keeps storing it differently, contact Digital River support with the webhook id.",
	}
}

// refusesClientCredentials reports whether Digital River refused the
// client_credentials grant: a 400 about oauth.grantType, or one whose
// message names the grant.
func refusesClientCredentials(e *drapi.Error) bool {
	if e.Kind != drapi.KindBadRequest {
		return false
	}
	for _, d := range e.Errors {
		if strings.Contains(strings.ToLower(d.Parameter), "granttype") || strings.Contains(d.Message, "client_credentials") {
			return true
		}
	}
	return false
}

// drSaid quotes Digital River's own messages, after a space; "" when it
// gave none.
func drSaid(e *drapi.Error) string {
	var msgs []string
	for _, d := range e.Errors {
		if d.Message != "" {
			msgs = append(msgs, text.FullStop(d.Message))
		}
	}
	if len(msgs) == 0 {
		return ""
	}
	return " Digital River said: " + strings.Join(msgs, " ")
}

// clause is the first clause of an explanation, to stand inside another
// sentence: "The connection … dropped; try again, …." gives "the
// connection … dropped".
func clause(s string) string {
	s, _, _ = strings.Cut(s, "; ")
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	// Only a plain opening word loses its capital; names keep theirs.
	switch first, _, _ := strings.Cut(s, " "); first {
	case "The", "A", "An", "No", "Could", "Instead":
		s = strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

// waited says a wait in whole seconds: "30 seconds".
func waited(d time.Duration) string {
	return text.Count(int(d.Round(time.Second)/time.Second), "second")
}

func drField(e *drapi.Error) field.Field {
	switch e.Kind {
	case drapi.KindUnauthorized, drapi.KindForbidden:
		return field.DRAPIKey
	}
	return ""
}
