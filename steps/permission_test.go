package steps

import (
	"context"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/sfcheck"
)

// Setup proves the permission set by what the user may read, whichever
// order the org's Apex REST checks in: a user who provably lacks it blocks
// the registration, also where the probe's GET passed.
func TestSetupProvesThePermissionSet(t *testing.T) {
	sc := emulator.DemoScenario()
	// An org where nothing the user may read tells: the API is off for the
	// REST reads (the Apex listener still answers).
	unknown := sc.Orgs[0]
	for i := range sc.Orgs {
		if sc.Orgs[i].MyDomain == strings.TrimPrefix(demo.MethodFirstMyDomain, "https://") {
			unknown = sc.Orgs[i]
		}
	}
	unknown.MyDomain, unknown.OrgID = "nope.my.salesforce.com", ""
	unknown.MethodCheckedFirst, unknown.HidePermissionSetAssignments, unknown.APIDisabled = false, false, true
	unknown.Users = []emulator.User{sc.Orgs[0].Users[0]}
	unknown.Users[0].Username, unknown.Users[0].UserID = "integration@nope.example", ""
	sc.Orgs = append(sc.Orgs, unknown)
	w := newWorld(t, sc)

	for _, tc := range []struct {
		name, myDomain, user string
		probeOK              bool
		answer               sfcheck.PermissionAnswer
		blocking             bool
		says                 string
	}{
		{"held", demo.MyDomain, demo.Username, true, sfcheck.PermissionHeld, false, ""},
		{"lacking, class access checked first", demo.MyDomain, demo.NoAccessUsername, false, "", true, "Permission Set Assignments"},
		{"lacking, the method checked first", demo.MethodFirstMyDomain, demo.MethodFirstUsername, true, sfcheck.PermissionLacking, true, "Permission Set Assignments"},
		{"nothing tells", "https://nope.my.salesforce.com", "integration@nope.example", true, sfcheck.PermissionUnknown, false, "cannot tell"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := demoSetup()
			s.MyDomain, s.Username = tc.myDomain, tc.user
			v, err := w.sv.VerifySalesforce(context.Background(), s)
			if err != nil {
				t.Fatalf("VerifySalesforce: %v", err)
			}
			if v.Probe.OK != tc.probeOK || v.Permission.Answer != tc.answer {
				t.Fatalf("probe ok %v, permission %q; want %v, %q (problems %v)", v.Probe.OK, v.Permission.Answer, tc.probeOK, tc.answer, v.Problems)
			}
			if Blocking(v.Problems) != tc.blocking {
				t.Fatalf("blocking %v, want %v: %v", Blocking(v.Problems), tc.blocking, v.Problems)
			}
			if v.PermissionHeld() != (tc.answer == sfcheck.PermissionHeld) {
				t.Errorf("PermissionHeld %v for %q", v.PermissionHeld(), tc.answer)
			}
			if tc.says == "" {
				return
			}
			var all []string
			for _, p := range v.Problems {
				all = append(all, p.String())
				if tc.answer == sfcheck.PermissionLacking && p.Blocking && p.Field != field.Username {
					t.Errorf("the lacking permission set blames %q, not the integration user", p.Field)
				}
			}
			if !strings.Contains(strings.Join(all, " "), tc.says) {
				t.Errorf("problems do not say %q: %v", tc.says, all)
			}
		})
	}
}
