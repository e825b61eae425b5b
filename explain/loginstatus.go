package explain

import (
	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/sfcheck"
)

// LoginStatus says what a failed login of kind k in the integration user's
// Login History means for Digital River's deliveries, and what to change.
// Both are "" for a success; the remedy is "" where nothing about the
// webhook needs changing.
func LoginStatus(k sfcheck.LoginStatusKind) (meaning, remedy string) {
	switch k {
	case sfcheck.LoginSucceeded:
		return "", ""
	case sfcheck.LoginBadPassword:
		return "Salesforce refused the password: the one stored in the webhook is not the user's (it was changed, or it expired).",
			"Update the password stored in the webhook (run drsetup setup with the current password and security token), or move the webhook to client credentials."
	case sfcheck.LoginTokenRequired:
		return "Salesforce wanted the security token after the password: the login came from an address the org does not trust, as Digital River's always do unless the org lists them.",
			"Append the user's security token to the password stored in the webhook (drsetup setup asks for it; the user's Settings → Reset My Security Token sends a new one), or add Digital River's addresses (" + drapi.SourceAddressList() + ") to Setup → Network Access."
	case sfcheck.LoginRestrictedIP:
		return "The login came from an address outside the Login IP Ranges of the user's profile (or the org's trusted ranges).",
			"Add Digital River's addresses (" + drapi.SourceAddressList() + ") to the Login IP Ranges of the integration user's profile (Setup → Profiles), or set the app's IP Relaxation to \"Relax IP restrictions\" (" + setupAnyAppPolicies + ")."
	case sfcheck.LoginRestrictedTime:
		return "The login came outside the Login Hours of the user's profile; Digital River delivers around the clock.",
			"Clear the Login Hours of the integration user's profile (Setup → Profiles → the profile → Login Hours)."
	case sfcheck.LoginLockedOut:
		return "The user is locked out after too many failed logins: every login fails until it is unlocked, whatever the password.",
			"Unlock the user (" + setupUsers + " → the user → Unlock), then correct the password stored in the webhook, or Digital River's retries will lock it again."
	case sfcheck.LoginInactive:
		return "The user is deactivated.",
			"Activate the user (" + setupUsers + " → the user → Edit → Active), or set up the webhook with another integration user."
	case sfcheck.LoginFrozen:
		return "The user is frozen.", "Unfreeze the user (" + setupUsers + " → the user → Unfreeze)."
	case sfcheck.LoginFlowDisabled:
		return "The org does not allow the OAuth username-password flow (the default for orgs created in Summer '23 or later, and never offered by an External Client App).",
			"Turn on " + setupUnPwFlow + ", or move the webhook to client credentials (drsetup setup --auth client-credentials)."
	case sfcheck.LoginOAuthDisabled:
		return "The user may not use the API through OAuth: the profile lacks API Enabled, or the app's policies refuse the user.",
			"Tick " + setupProfileAPI + ", and check the app's Permitted Users (" + setupAnyAppPolicies + ")."
	case sfcheck.LoginRateExceeded:
		return "The user logged in more often than Salesforce allows in an hour.",
			"Wait up to an hour; find what else logs in as this user (" + setupUsers + " → the user → Login History) and stop it."
	case sfcheck.LoginAPIOnly:
		return "An API-only user tried to log in to Salesforce's pages; that is not a login Digital River makes.", ""
	case sfcheck.LoginMFARequired:
		return "Salesforce asked for multi-factor authentication, which a login by an app cannot give.",
			"Give the integration user the permission \"Waive Multi-Factor Authentication for Exempt Users\" (it logs in only through the API), or move the webhook to client credentials."
	}
	return "Salesforce refused the login for a reason drsetup does not know.",
		"Read the Status in " + setupUsers + " → the integration user → Login History."
}
