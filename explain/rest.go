package explain

// Setup pages named in the words for the evidence reads (REST errors, Login
// History statuses, the permission set). They name no Connected App, unlike
// the login errors' setupApp: the integration user's app may be either kind.
const (
	setupUsers          = "Setup → Users"
	setupProfileAPI     = "Setup → Profiles → the integration user's profile → System Permissions → API Enabled"
	setupAssignments    = setupUsers + " → the integration user → Permission Set Assignments"
	setupAnyAppPolicies = "Setup → App Manager → the app → Manage → Edit Policies, or for an External Client App, External Client App Manager → the app → Policies"
)
