package steps

import (
	"errors"
	"strings"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
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
	)
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

func drField(e *drapi.Error) field.Field {
	switch e.Kind {
	case drapi.KindUnauthorized, drapi.KindForbidden:
		return field.DRAPIKey
	}
	return ""
}
