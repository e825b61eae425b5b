package ui

import (
	"context"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/drsetup/drsetup/drapi"
)

// explain splits an error from the services into what happened and what to
// do, in the admin's words. The packages below write those words; this only
// picks the parts apart for display.
func explain(err error) (what, remedy string) {
	var de *drapi.Error
	switch {
	case err == nil:
		return "", ""
	case errors.Is(err, context.Canceled):
		return "Cancelled.", ""
	case errors.As(err, &de):
		what, remedy = de.Explanation(), de.Remedy()
		if de.RequestID != "" {
			remedy = strings.TrimSpace(remedy + " (Digital River request id " + de.RequestID + ")")
		}
		return what, remedy
	}
	return sentence(err), ""
}

// sentence is an error's text as a sentence: capitalised, with a full stop.
func sentence(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, context.Canceled) {
		return "Cancelled."
	}
	s := strings.TrimSpace(err.Error())
	if s == "" {
		return "Something failed without saying why."
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, ")") {
		s += "."
	}
	return s
}
