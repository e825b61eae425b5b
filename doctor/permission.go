package doctor

// sf_permission_set: whether the integration user holds the app's
// permission set, proven by what the user can read rather than by the
// probe's status (a 405 does not prove class access).

import (
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

func permissionResult(p sfcheck.PermissionProof, err error) Result {
	if err != nil {
		return notRead(err)
	}
	finding, remedy := explain.Permission(p)
	switch p.Answer {
	case sfcheck.PermissionHeld:
		return Result{Status: Pass, Summary: finding}
	case sfcheck.PermissionLacking:
		return Result{Status: Fail, Summary: finding, Remedy: remedy, Brief: "the integration user lacks the app's permission set"}
	}
	// Nothing the user may read tells: what would is part of the finding,
	// as a skip carries no remedy.
	return Result{Status: Skip, Summary: text.FullStop(finding) + " " + text.FullStop(remedy)}
}
