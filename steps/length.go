package steps

import (
	"fmt"
	"unicode/utf8"

	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// MaxValueLength bounds, in bytes, a value of a text field: far longer than
// any real one (a browser address of a Salesforce page included), so only a
// paste of something else reaches it. Such a value is reported as too long
// without being parsed, so checking it on every keystroke costs the same as
// checking a short one, and its problem text does not quote it.
const MaxValueLength = sfcheck.MaxAddressLength

// tooLong is the problem of a text value over MaxValueLength, or nil.
func tooLong(s Setup, f Field) []Problem {
	var v string
	switch f {
	case profile.FieldMyDomain:
		v = s.MyDomain
	case profile.FieldTokenEndpoint:
		v = s.TokenEndpoint
	case profile.FieldClientID:
		v = s.ClientID
	case profile.FieldClientSecret:
		v = s.ClientSecret.Reveal()
	case profile.FieldUsername:
		v = s.Username
	case profile.FieldPassword:
		v = s.Password.Reveal()
	case profile.FieldSecurityToken:
		v = s.SecurityToken.Reveal()
	case profile.FieldDRAPIKey:
		v = s.DRAPIKey.Reveal()
	}
	if len(v) <= MaxValueLength {
		return nil
	}
	label := Label(f)
	return []Problem{{
		Field:    f,
		Message:  fmt.Sprintf("The %s entered is %d characters long, far longer than any real one.", label, utf8.RuneCountInString(v)),
		Remedy:   "Enter only the " + label + " itself.",
		Blocking: true,
	}}
}
