package ui

import (
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/steps"
)

// newConnectedApp asks for the Connected App's consumer key and secret.
func newConnectedApp(c *common) *form {
	return newForm(c, steps.ConnectedApp,
		`From the Connected App "Salesforce DigitalRiver Integration" (step 10 of the guide).`,
		newField(field.ClientID, false, "3MVG9…"),
		newField(field.ClientSecret, true, ""))
}
