package ui

import (
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
)

// newConnectedApp asks for the app's consumer key and secret: the Connected
// App of step 10 of the guide, or the External Client App orgs get since
// Spring '26.
func newConnectedApp(c *common) *form {
	return newForm(c, steps.ConnectedApp, func() string {
		if c.setup.App == sfcheck.AppExternal {
			return "From the External Client App Digital River logs in with (Setup → External Client App Manager)."
		}
		return `From the Connected App "Salesforce DigitalRiver Integration" (step 10 of the guide).`
	},
		newField(field.ClientID, false, "3MVG9…"),
		newField(field.ClientSecret, true, ""))
}
