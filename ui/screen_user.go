package ui

import (
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/steps"
)

// newUser asks for the integration user's login (username-password flow
// only). The password and security token are kept apart: drsetup joins them
// as Digital River needs, so the admin never has to.
func newUser(c *common) *form {
	return newForm(c, steps.User,
		"The user Digital River logs in as: the integration user with the permission set \"DigitalRiver Connector - Integration\".",
		newField(profile.FieldUsername, false, "integration@acme.com"),
		newField(profile.FieldPassword, true, ""),
		newField(profile.FieldSecurityToken, true, ""))
}
