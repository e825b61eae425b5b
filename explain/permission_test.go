package explain

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/sfcheck"
)

// Each proof the reader can reach says what was read and what it shows; a
// user without the set is told how to assign it.
func TestPermissionFindingsSayWhatWasRead(t *testing.T) {
	for _, tc := range []struct {
		proof sfcheck.PermissionProof
		says  string
	}{
		{sfcheck.PermissionProof{Answer: sfcheck.PermissionHeld, Source: sfcheck.ProofAssignment}, "assignments include"},
		{sfcheck.PermissionProof{Answer: sfcheck.PermissionLacking, Source: sfcheck.ProofAssignment}, "do not include"},
		{sfcheck.PermissionProof{Answer: sfcheck.PermissionHeld, Source: sfcheck.ProofQuery}, "may read"},
		{sfcheck.PermissionProof{Answer: sfcheck.PermissionLacking, Source: sfcheck.ProofQuery}, "as if"},
		{sfcheck.PermissionProof{Answer: sfcheck.PermissionHeld, Source: sfcheck.ProofDescribe}, "may see"},
		{sfcheck.PermissionProof{Answer: sfcheck.PermissionLacking, Source: sfcheck.ProofDescribe}, "does not show"},
		{sfcheck.PermissionProof{Answer: sfcheck.PermissionUnknown}, "nothing it may read tells"},
	} {
		finding, remedy := Permission(tc.proof)
		name := fmt.Sprintf("%s from %q", tc.proof.Answer, tc.proof.Source)
		if !strings.Contains(finding, tc.says) || !strings.Contains(finding, sfcheck.PermissionSetLabel) {
			t.Errorf("%s: finding %q does not say %q", name, finding, tc.says)
		}
		switch tc.proof.Answer {
		case sfcheck.PermissionHeld:
			if remedy != "" {
				t.Errorf("%s: a remedy for a user who holds the set: %q", name, remedy)
			}
		case sfcheck.PermissionLacking:
			if !strings.Contains(remedy, "Permission Set Assignments") || !strings.Contains(remedy, "Edit Assignments") {
				t.Errorf("%s: remedy %q does not name the fix", name, remedy)
			}
		default:
			if !strings.Contains(remedy, "by hand") || !strings.Contains(remedy, "View Setup and Configuration") {
				t.Errorf("%s: remedy %q does not say what would answer it", name, remedy)
			}
		}
	}
}

// When nothing could tell, the finding says why, from the refusal that
// stopped the proof, and the remedy is that refusal's, and a check by hand.
func TestPermissionUnknownSaysWhyFromTheRefusal(t *testing.T) {
	refuse := func(w http.ResponseWriter, code string) {
		switch code {
		case "ok":
			writeJSON(w, 200, `{"totalSize":3,"done":true,"records":[]}`)
		case "INVALID_SESSION_ID":
			writeJSON(w, 401, sfRESTError(code, "Session expired or invalid"))
		case "proxy":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			fmt.Fprint(w, "<html><title>Bad Gateway</title></html>")
		default:
			writeJSON(w, 400, sfRESTError(code, "refused"))
		}
	}
	for _, tc := range []struct {
		name                         string
		assignments, count, describe string
		says                         string
	}{
		{"session refused", "INVALID_SESSION_ID", "", "", "no longer accepts"},
		{"proxy in the way", "INVALID_TYPE", "proxy", "", "Bad Gateway"},
		{"nothing answers", "INVALID_TYPE", "MALFORMED_QUERY", "UNKNOWN_EXCEPTION", "cannot tell"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := fakeSalesforce(t, func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query().Get("q")
				switch {
				case strings.Contains(q, "PermissionSetAssignment"):
					refuse(w, tc.assignments)
				case strings.Contains(q, "COUNT()"):
					refuse(w, tc.count)
				default:
					refuse(w, tc.describe)
				}
			})
			p, err := c.PermissionSet(context.Background(), testSession())
			if err != nil || p.Answer != sfcheck.PermissionUnknown {
				t.Fatalf("proof %+v, %v", p, err)
			}
			finding, remedy := Permission(p)
			if !strings.Contains(finding, tc.says) || !strings.HasPrefix(finding, "drsetup cannot tell whether the integration user holds") {
				t.Errorf("finding %q does not say %q", finding, tc.says)
			}
			if remedy == "" || !strings.Contains(remedy, "Permission Set Assignments") {
				t.Errorf("remedy %q", remedy)
			}
		})
	}
}

// Against the simulated orgs: a user without the set is told how to assign
// it, whichever order the org's Apex REST checks in; an org without the API
// says so.
func TestPermissionAgainstTheEmulator(t *testing.T) {
	w := evidenceWorld(t)
	c := w.Salesforce()
	ctx := context.Background()
	for _, tc := range []struct {
		host, user string
		answer     sfcheck.PermissionAnswer
		says       string
	}{
		{evAcme, "integration@acme.example", sfcheck.PermissionHeld, "assignments include"},
		{evAcme, "noclass@acme.example", sfcheck.PermissionLacking, "do not include"},
		{evGlobex, "integration@globex.example", sfcheck.PermissionHeld, "may read"},
		{evGlobex, "noclass@globex.example", sfcheck.PermissionLacking, "as if"},
		{evNope, "integration@nope.example", sfcheck.PermissionUnknown, "API access"},
	} {
		t.Run(tc.user, func(t *testing.T) {
			p, err := c.PermissionSet(ctx, evLogin(t, c, tc.host, tc.user))
			if err != nil || p.Answer != tc.answer {
				t.Fatalf("proof %+v, %v; want %s", p, err, tc.answer)
			}
			finding, remedy := Permission(p)
			if !strings.Contains(finding, tc.says) {
				t.Errorf("finding %q does not say %q", finding, tc.says)
			}
			if tc.answer == sfcheck.PermissionLacking && !strings.Contains(remedy, "Permission Set Assignments") {
				t.Errorf("remedy %q", remedy)
			}
		})
	}
}
