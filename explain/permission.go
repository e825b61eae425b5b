package explain

import (
	"fmt"

	"github.com/drsetup/drsetup/sfcheck"
)

// assignPermissionSet is the fix for a user who lacks the app's permission
// set.
const assignPermissionSet = "Assign the permission set \"" + sfcheck.PermissionSetLabel + "\" to the integration user: " + setupAssignments + " → Edit Assignments → add it."

// checkPermissionByHand is what answers the question when nothing the
// integration user may read does.
const checkPermissionByHand = "Check it by hand in " + setupAssignments + "; or give the integration user's profile View Setup and Configuration, so its assignments can be read."

// Permission says what a permission-set proof shows (a finding) and what to
// do: the fix for a user who lacks the set, what would answer the question
// when nothing the user may read does; "" when the user holds it.
func Permission(p sfcheck.PermissionProof) (finding, remedy string) {
	const set = sfcheck.PermissionSetLabel
	switch p.Answer {
	case sfcheck.PermissionHeld:
		switch p.Source {
		case sfcheck.ProofAssignment:
			return fmt.Sprintf("The integration user's permission set assignments include %q.", set), ""
		case sfcheck.ProofQuery:
			return fmt.Sprintf("The integration user may read the app's failed-event records, which only %q grants (the user's assignments themselves are not readable to it).", set), ""
		case sfcheck.ProofDescribe:
			return fmt.Sprintf("The integration user may see the app's failed-event object, which only %q grants.", set), ""
		}
		return fmt.Sprintf("The integration user holds %q.", set), ""
	case sfcheck.PermissionLacking:
		switch p.Source {
		case sfcheck.ProofAssignment:
			return fmt.Sprintf("The integration user's permission set assignments do not include %q, which gives access to the app's listener.", set), assignPermissionSet
		case sfcheck.ProofQuery:
			return fmt.Sprintf("Salesforce answers the integration user as if the app's failed-event records did not exist: with the app installed, the user lacks %q, which grants them.", set), assignPermissionSet
		case sfcheck.ProofDescribe:
			return fmt.Sprintf("Salesforce does not show the integration user the app's failed-event object: with the app installed, the user lacks %q, which grants it.", set), assignPermissionSet
		}
		return fmt.Sprintf("The integration user lacks %q.", set), assignPermissionSet
	}
	why := p.Why()
	if why == nil {
		return fmt.Sprintf("drsetup cannot tell whether the integration user holds %q: nothing it may read tells.", set), checkPermissionByHand
	}
	f := Of(why)
	finding = fmt.Sprintf("drsetup cannot tell whether the integration user holds %q. %s", set, f.Meaning)
	if f.Remedy == "" {
		return finding, checkPermissionByHand
	}
	return finding, f.Remedy + " Meanwhile, check the assignment by hand in " + setupAssignments + "."
}
