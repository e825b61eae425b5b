package ui

import (
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/steps"
)

// newUser asks for the integration user's login (username-password flow
// only). The password and security token are kept apart: drsetup joins them
// as Digital River needs, so the admin never has to.
func newUser(c *common) *form {
	return newForm(c, steps.User,
		func() string {
			return "The user Digital River logs in as: the integration user with the permission set \"DigitalRiver Connector - Integration\"."
		},
		newField(field.Username, false, "integration@acme.com"),
		newField(field.Password, true, ""),
		newField(field.SecurityToken, true, ""))
}
