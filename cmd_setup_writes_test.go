package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/sfcheck"
)

// setupEnv is every value of an unattended setup of the cmd world's org.
func setupEnv(w *cmdWorld) {
	for k, v := range map[string]string{
		"DRSETUP_MY_DOMAIN": "https://" + tHost, "DRSETUP_CLIENT_ID": tClientID, "DRSETUP_USERNAME": tUsername,
		"DRSETUP_CLIENT_SECRET": tClientSecret, "DRSETUP_PASSWORD": tPassword, "DRSETUP_SECURITY_TOKEN": tToken, "DRSETUP_DR_API_KEY": tKey,
	} {
		w.env[k] = v
	}
}

// ccScenarioFor is the cmd world whose app also serves client credentials,
// with Digital River treating a PATCH's omitted fields as patch says.
func ccScenarioFor(patch string) emulator.Scenario {
	sc := cmdScenario()
	sc.Orgs[0].Apps[0].ClientCredentials = true
	sc.Orgs[0].Apps[0].RunAsUser = tUsername
	sc.DigitalRiver.PatchOmitted = patch
	return sc
}

func setupAction(t *testing.T, r cmdRun) string {
	t.Helper()
	var res struct{ Action string }
	if err := json.Unmarshal([]byte(r.out), &res); err != nil {
		t.Fatalf("stdout is not the result object: %v\n%s", err, r.out)
	}
	return res.Action
}

// The move the issue names: a password-flow webhook moved to client
// credentials converges (a second run changes nothing) and doctor passes,
// whether Digital River keeps or clears what a PATCH leaves out.
func TestMoveToClientCredentialsThenUnchangedThenDoctorPasses(t *testing.T) {
	for _, patch := range []string{emulator.PatchKeep, emulator.PatchClear, emulator.PatchReplaceOAuth} {
		t.Run("patch "+patch, func(t *testing.T) {
			w := newCmdWorld(t, ccScenarioFor(patch))
			setupEnv(w)
			first := w.exec(tty{}, "setup", "--no-input", "--yes", "--json").want(t, 0)
			if a := setupAction(t, first); a != "unchanged" {
				t.Fatalf("the existing password-flow webhook: %s, want unchanged\n%s", a, first.errOut)
			}
			move := w.exec(tty{}, "setup", "--no-input", "--yes", "--json", "--auth", "client-credentials").want(t, 0)
			if a := setupAction(t, move); a != "updated" {
				t.Fatalf("the move: %s\n%s", a, move.errOut)
			}
			if strings.Contains(move.errOut, "oauth.userName") || strings.Contains(move.errOut, "oauth.password") {
				t.Errorf("the plan names the username or password, which the move does not send:\n%s", move.errOut)
			}
			again := w.exec(tty{}, "setup", "--no-input", "--yes", "--json", "--auth", "client-credentials").want(t, 0)
			if a := setupAction(t, again); a != "unchanged" {
				t.Fatalf("the run after the move: %s, want unchanged\n%s", a, again.errOut)
			}
			hooks := w.srv.Webhooks("live")
			if len(hooks) != 2 || hooks[0].OAuth.GrantType != "client_credentials" || hooks[0].OAuth.TokenEndPoint != "https://"+tHost+"/services/oauth2/token" {
				t.Fatalf("webhooks %+v", hooks)
			}
			delete(w.env, "DRSETUP_USERNAME")
			delete(w.env, "DRSETUP_PASSWORD")
			delete(w.env, "DRSETUP_SECURITY_TOKEN")
			doc := w.exec(tty{}, "doctor", "--json")
			var rep struct {
				OK     bool
				Checks []struct{ ID, Status, Summary string }
			}
			if err := json.Unmarshal([]byte(doc.out), &rep); err != nil {
				t.Fatalf("doctor: %v\n%s", err, doc.out)
			}
			for _, c := range rep.Checks {
				if c.Status == "fail" {
					t.Errorf("doctor fails %s: %s", c.ID, c.Summary)
				}
			}
			if doc.code != 0 || !rep.OK {
				t.Fatalf("doctor exit %d ok %v after a converged move\n%s", doc.code, rep.OK, doc.out)
			}
		})
	}
}

func TestAnExplicitTokenEndpointTheFlowOverridesIsANote(t *testing.T) {
	w := newCmdWorld(t, ccScenarioFor(""))
	setupEnv(w)
	r := w.exec(tty{}, "setup", "--no-input", "--yes", "--auth", "client-credentials", "--token-endpoint", sfcheck.ProductionTokenURL).want(t, 0)
	want := "Note: --token-endpoint " + sfcheck.ProductionTokenURL + " is not used: the client credentials flow is served only by the org's own token endpoint, so Digital River will use https://" + tHost + "/services/oauth2/token."
	if strings.Count(r.errOut, want) != 1 {
		t.Fatalf("stderr should say once that the endpoint given is overridden:\n%s", r.errOut)
	}
	w.env["DRSETUP_TOKEN_ENDPOINT"] = sfcheck.SandboxTokenURL
	r = w.exec(tty{}, "setup", "--no-input", "--yes", "--auth", "client-credentials").want(t, 0)
	if !strings.Contains(r.errOut, "Note: DRSETUP_TOKEN_ENDPOINT "+sfcheck.SandboxTokenURL+" is not used") {
		t.Fatalf("a variable is named as the flag is:\n%s", r.errOut)
	}
}

func TestACreateStoredDifferentlyExits1NamingTheFields(t *testing.T) {
	sc := cmdScenario()
	sc.DigitalRiver.Webhooks = sc.DigitalRiver.Webhooks[1:] // none for the org yet
	sc.Faults.StoreCreatesDifferently = 1
	w := newCmdWorld(t, sc)
	setupEnv(w)
	r := w.exec(tty{}, "setup", "--no-input", "--yes", "--json").want(t, 1)
	for _, want := range []string{"stored it differently", "types differs", "transportType differs", "oauth.password differs", "profile was not saved"} {
		if !strings.Contains(r.errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.errOut)
		}
	}
	if r.out != "" {
		t.Errorf("no result object for a failed setup: %q", r.out)
	}
	for _, s := range allSecrets {
		if strings.Contains(r.out+r.errOut, s) {
			t.Errorf("output holds a secret")
		}
	}
	if _, err := w.store.Load("default"); err == nil {
		t.Error("the profile was saved as if the setup worked")
	}
}

func TestARefusedClientCredentialsGrantExits1WithWhatToDo(t *testing.T) {
	sc := ccScenarioFor("")
	sc.DigitalRiver.Webhooks = sc.DigitalRiver.Webhooks[1:]
	sc.DigitalRiver.RefuseClientCredentials = true
	w := newCmdWorld(t, sc)
	setupEnv(w)
	r := w.exec(tty{}, "setup", "--no-input", "--yes", "--auth", "client-credentials").want(t, 1)
	for _, want := range []string{"refused the grant type client_credentials", `"Client credentials"`, "Developers → Webhooks", "--auth password"} {
		if !strings.Contains(r.errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.errOut)
		}
	}
}

func TestCancelMessageSaysWhatIsKnown(t *testing.T) {
	if got := cancelMessage(errCancelled, "drsetup setup"); got != "Cancelled; nothing was saved." {
		t.Errorf("nothing written: %q", got)
	}
	got := cancelMessage(wrapUnfinished(errCancelled), "drsetup setup")
	if got != "Cancelled: the webhook may already exist at Digital River; run drsetup setup again to finish." {
		t.Errorf("after a write: %q", got)
	}
	if exitCode(t.Context(), wrapUnfinished(errCancelled)) != exitCancelled {
		t.Error("a cancel after a write is still exit 130")
	}
}

func wrapUnfinished(err error) error { return &wrapped{errWriteUnfinished, err} }

type wrapped struct{ a, b error }

func (w *wrapped) Error() string   { return w.a.Error() + ": " + w.b.Error() }
func (w *wrapped) Unwrap() []error { return []error{w.a, w.b} }
