package steps

import (
	"fmt"
	"unicode/utf8"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/sfcheck"
)

// MaxValueLength bounds, in bytes, a value of a text field: far longer than
// any real one (a browser address of a Salesforce page included), so only a
// paste of something else reaches it. Such a value is reported as too long
// without being parsed, so checking it on every keystroke costs the same as
// checking a short one, and its problem text does not quote it.
const MaxValueLength = sfcheck.MaxAddressLength

// tooLong is the problem of a text value over MaxValueLength, or nil.
func tooLong(s Setup, f field.Field) []Problem {
	v := s.Value(f)
	if len(v) <= MaxValueLength {
		return nil
	}
	label := f.Noun()
	is, itself, one := "is", "itself", "one"
	if f.List() {
		is, itself, one = "are", "themselves", "list"
	}
	return []Problem{{
		Field:    f,
		Message:  fmt.Sprintf("The %s entered %s %d characters long, far longer than any real %s.", label, is, utf8.RuneCountInString(v), one),
		Remedy:   "Enter only the " + label + " " + itself + ".",
		Blocking: true,
	}}
}
