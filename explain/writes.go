package explain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/text"
)

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

// write explains the errors of a write that did not end as asked, or false
// when err is none of them. They wrap the *drapi.Error behind them, so
// Of asks here first.
func write(err error) (Failure, bool) {
	var (
		rb *drapi.ReadBackError
		lc *drapi.LostCreateError
		iw *drapi.IncompleteWriteError
		lk *profile.LockError
		de *drapi.Error
	)
	switch {
	case errors.As(err, &rb):
		return readBack(rb), true
	case errors.As(err, &lc):
		lost := Of(lc.Err)
		return Failure{
			Headline: "Digital River may have created the webhook.",
			Meaning: fmt.Sprintf("Digital River did not answer the request to create the webhook (%s), and the webhook had not appeared in its list after %s.",
				clause(text.Or(lost.Meaning, lost.Headline)), waited(lc.Waited)),
			Remedy:    LostCreateRemedy,
			RequestID: lost.RequestID,
		}, true
	case errors.As(err, &iw):
		f := interrupted(iw)
		f.Remedy = WriteUnfinishedRemedy
		return f, true
	case errors.As(err, &lk) && lk.Err == nil:
		who := "Another drsetup run on this machine"
		if lk.Holder.PID > 0 {
			who = fmt.Sprintf("Another drsetup run on this machine (process %d)", lk.Holder.PID)
		}
		return Failure{
			Headline: "Another run holds the profile.",
			Meaning:  fmt.Sprintf("%s is registering the webhook of profile %q; drsetup waited %s for it to finish.", who, lk.Name, waited(lk.Waited)),
			Remedy:   "Let the other run finish, or stop it, then run drsetup setup again.",
		}, true
	case errors.As(err, &de) && refusesClientCredentials(de):
		param := ""
		if p := de.Parameter(); p != "" {
			param = " (" + p + ")"
		}
		return Failure{
			Headline:  "Digital River could not " + operation(de) + ".",
			Said:      drSaid(de),
			Status:    de.Status,
			Service:   "Digital River",
			Meaning:   "Digital River refused the grant type client_credentials for the webhook's OAuth settings" + param + ": its API accepts only the password grant there.",
			Remedy:    `Set the webhook up in the Digital River Dashboard (Developers → Webhooks), choosing "Client credentials" as the grant type, which the Dashboard offers; or use the username-password flow (Username and password in the Authentication step, or --auth password).`,
			Field:     field.Auth,
			RequestID: de.RequestID,
		}, true
	}
	return Failure{}, false
}

// readBack names each field Digital River stored differently, never a
// value.
func readBack(e *drapi.ReadBackError) Failure {
	what := "created"
	if e.Action == drapi.ActionUpdated {
		what = "updated"
	}
	return Failure{
		Headline: "Digital River stored the webhook differently.",
		Meaning: fmt.Sprintf("Digital River %s webhook %s but stored it differently from what drsetup sent: %s. Events may not reach Salesforce as set up, so the profile was not saved.",
			what, text.Clean(e.WebhookID), differing(e.Fields)),
		Remedy: "Open the webhook in the Digital River Dashboard (Developers → Webhooks) to see what it holds, then run drsetup setup again; if Digital River keeps storing it differently, contact Digital River support with the webhook id.",
	}
}

// differing names the fields a read-back found different, never a value:
// "types differs, oauth.password differs".
func differing(fields []string) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = text.Clean(f) + " differs"
	}
	return strings.Join(parts, ", ")
}

// interrupted is a write stopped after it may have reached Digital River,
// told as what stopped it ("Cancelled." for a cancel), with no value to
// blame: the caller says what may have happened and what to do.
func interrupted(iw *drapi.IncompleteWriteError) Failure {
	var de *drapi.Error
	f := Failure{Headline: "Cancelled."}
	if !errors.Is(iw.Err, context.Canceled) && !(errors.As(iw.Err, &de) && de.Kind == drapi.KindCancelled) {
		f = Of(iw.Err)
	}
	f.Field = field.None
	return f
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
