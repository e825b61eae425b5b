package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// Stage is a piece of work against the services, named as a progress line.
type Stage string

const (
	StageLogin    Stage = "Logging in to Salesforce"
	StageIdentity Stage = "Reading the integration user"
	StageProbe    Stage = "Probing the Apex endpoint"
	StageKey      Stage = "Checking the Digital River key"
	StagePlan     Stage = "Looking for an existing webhook"
	StageRegister Stage = "Registering the webhook"
	StageSave     Stage = "Saving the profile"
)

// Services are what the setup talks to. Each method makes the requests of one
// step; none retries a Salesforce login.
type Services struct {
	SF *sfcheck.Client
	// DR builds a Digital River client for a key.
	DR func(key string) (*drapi.Client, error)
	// Store saves the profile after a registration; nil saves nothing.
	Store *profile.Store
	// Ephemeral marks a store that lives only for the run (--demo): the
	// result says the secrets were not saved.
	Ephemeral bool
	// OnStage, when set, is told each stage as it starts.
	OnStage func(Stage)
	// Trace, when set, is told how each step's work ended: "pass" or
	// "fail" and what failed (for the debug log).
	Trace func(step, status, summary string, d time.Duration)
	Now   func() time.Time
}

// traced reports the end of a step's work to Trace.
func (sv *Services) traced(step string, start time.Time, err *error) {
	if sv.Trace == nil {
		return
	}
	status, summary := "pass", ""
	if *err != nil {
		status, summary = "fail", explain.Of(*err).Summary()
	}
	sv.Trace(step, status, summary, time.Since(start))
}

func (sv *Services) stage(s Stage) {
	if sv.OnStage != nil {
		sv.OnStage(s)
	}
}

func (sv *Services) now() time.Time {
	if sv.Now != nil {
		return sv.Now()
	}
	return time.Now()
}

// Verified is what the Salesforce check found.
type Verified struct {
	Session  *sfcheck.Session
	Identity *sfcheck.Identity // nil when the identity URL could not be read
	Probe    sfcheck.ProbeResult
	Problems []Problem // after a successful login: instance, user and Apex findings
}

// OrgID, UserID and InstanceURL of the login, for the result.
func (v *Verified) OrgID() string {
	if v == nil || v.Session == nil {
		return ""
	}
	return v.Session.OrgID
}

func (v *Verified) UserID() string {
	if v == nil || v.Session == nil {
		return ""
	}
	return v.Session.UserID
}

func (v *Verified) InstanceURL() string {
	if v == nil || v.Session == nil {
		return ""
	}
	return v.Session.InstanceURL
}

// VerifySalesforce makes the one login Digital River will make, then reads
// the user's identity, checks the org is the My Domain entered, and probes the
// Apex endpoint without side effects. A refused login is the
// *sfcheck.LoginError itself; what is found after a login is in Problems.
func (sv *Services) VerifySalesforce(ctx context.Context, s Setup) (_ *Verified, err error) {
	defer sv.traced("verify_salesforce", time.Now(), &err)
	d, err := s.Domain()
	if err != nil {
		return nil, err
	}
	sv.stage(StageLogin)
	sess, err := sv.SF.Login(ctx, s.Credentials())
	if err != nil {
		return nil, err
	}
	v := &Verified{Session: sess}
	if p, ok := TokenFromHereOnly(s); ok {
		v.Problems = append(v.Problems, p)
	}
	if err := sfcheck.CheckInstance(sess, d); err != nil {
		p := Problem{Field: field.MyDomain, Message: err.Error(), Blocking: true}
		var ie *sfcheck.InstanceError
		if errors.As(err, &ie) {
			p.Suggestion = "https://" + ie.InstanceHost
		}
		v.Problems = append(v.Problems, p)
	}

	sv.stage(StageIdentity)
	id, err := sv.SF.Identity(ctx, sess)
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		v.Problems = append(v.Problems, Problem{Message: "The login worked, but the user's details could not be read: " + explain.Of(err).Summary()})
	case !id.Active:
		v.Problems = append(v.Problems, Problem{Field: field.Username, Blocking: true,
			Message: fmt.Sprintf("The user %s is inactive.", id.Username),
			Remedy:  "Activate the integration user in Setup → Users, or use another user."})
	default:
		v.Identity = id
	}

	sv.stage(StageProbe)
	probe, err := sv.SF.ProbeApex(ctx, sess, d.EndpointURL())
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		v.Problems = append(v.Problems, Problem{Field: field.MyDomain, Message: "The Apex endpoint could not be checked: " + explain.Of(err).Summary()})
	case !probe.OK:
		finding, remedy := explain.Probe(probe)
		v.Problems = append(v.Problems, Problem{Field: field.MyDomain, Message: finding, Remedy: remedy, Blocking: true})
	}
	v.Probe = probe
	return v, nil
}

// KeyCheck is what the Digital River key check found.
type KeyCheck struct {
	Mode     drapi.Mode
	Plan     drapi.Plan // what registering would do now
	Problems []Problem
}

// CheckKey proves the key works by listing the account's webhooks, and finds
// the webhook this org already has, under its right address or a wrong one.
func (sv *Services) CheckKey(ctx context.Context, s Setup) (_ *KeyCheck, err error) {
	defer sv.traced("check_key", time.Now(), &err)
	sv.stage(StageKey)
	c, err := sv.DR(strings.TrimSpace(s.DRAPIKey.Reveal()))
	if err != nil {
		return nil, err
	}
	plan, err := sv.plan(ctx, c, s)
	if err != nil {
		return nil, err
	}
	return &KeyCheck{Mode: c.Mode(), Plan: plan, Problems: keyModeCheck(s)}, nil
}

// Plan decides what registering does: create the webhook, update this org's
// existing one (fixing a wrong address), or nothing. Two webhooks for the
// org are a *drapi.DuplicatesError, and nothing is written.
func (sv *Services) Plan(ctx context.Context, s Setup) (_ drapi.Plan, err error) {
	defer sv.traced("plan", time.Now(), &err)
	sv.stage(StagePlan)
	c, err := sv.DR(strings.TrimSpace(s.DRAPIKey.Reveal()))
	if err != nil {
		return drapi.Plan{}, err
	}
	return sv.plan(ctx, c, s)
}

func (sv *Services) plan(ctx context.Context, c *drapi.Client, s Setup) (drapi.Plan, error) {
	d, err := s.Domain()
	if err != nil {
		return drapi.Plan{}, err
	}
	return c.Webhooks.Plan(ctx, s.Spec(), drapi.EnsureOptions{Match: OrgMatcher(d)})
}

// OrgMatcher recognises the webhooks addressed to this org's Digital River
// endpoint, also under a wrong address: its Lightning or Setup host, no
// trailing slash, another namespace of the app.
func OrgMatcher(d sfcheck.MyDomain) func(drapi.Webhook) bool {
	return func(w drapi.Webhook) bool {
		a := sfcheck.AnalyzeEndpoint(w.Address)
		return a.IsApexWebhook && a.MyDomain != nil && a.MyDomain.Host == d.Host
	}
}

// Result is the outcome of a registration.
type Result struct {
	Profile    string
	Action     drapi.Action // created, updated or unchanged
	Adopted    bool         // a create whose answer was lost was found and adopted
	Webhook    drapi.Webhook
	Changes    []drapi.Change
	Salesforce struct{ OrgID, UserID, InstanceURL string }

	SecretsSaved bool
	ProfilePath  string
	ProfileErr   error // the profile file could not be written
	SecretsErr   error // the keyring could not be reached: nothing secret was saved
	Ephemeral    bool  // --demo: nothing outlives the run
}

// Register carries out the plan, then saves the profile and its secrets:
// only after the webhook exists, so a cancelled setup saves nothing.
func (sv *Services) Register(ctx context.Context, s Setup, plan drapi.Plan, v *Verified) (_ *Result, err error) {
	defer sv.traced("register", time.Now(), &err)
	sv.stage(StageRegister)
	c, err := sv.DR(strings.TrimSpace(s.DRAPIKey.Reveal()))
	if err != nil {
		return nil, err
	}
	res, err := c.Webhooks.Apply(ctx, plan)
	if err != nil {
		return nil, err
	}
	r := &Result{
		Profile: s.Profile, Action: res.Action, Adopted: res.Adopted,
		Webhook: res.Webhook, Changes: res.Changes, Ephemeral: sv.Ephemeral,
	}
	r.Salesforce.OrgID, r.Salesforce.UserID, r.Salesforce.InstanceURL = v.OrgID(), v.UserID(), v.InstanceURL()
	if sv.Store == nil {
		return r, nil
	}
	sv.stage(StageSave)
	prev, err := sv.Store.Load(s.Profile)
	if err != nil && !errors.Is(err, profile.ErrNotFound) {
		// A damaged file is never overwritten silently: say so and keep it.
		r.ProfileErr = err
		return r, nil
	}
	p := s.ProfileAfter(prev, res.Webhook.ID, c.Mode(), v.OrgID(), sv.now())
	if err := sv.Store.Save(p); err != nil {
		r.ProfileErr = err
		return r, nil
	}
	r.ProfilePath = sv.Store.Path(s.Profile)
	if err := sv.Store.SaveSecrets(s.Profile, s.Secrets()); err != nil {
		r.SecretsErr = err
		return r, nil
	}
	r.SecretsSaved = !sv.Ephemeral
	return r, nil
}

// MarshalJSON is the `setup --json` object of the command-line contract.
func (r Result) MarshalJSON() ([]byte, error) {
	type webhook struct {
		ID            string   `json:"id"`
		Address       string   `json:"address"`
		Types         []string `json:"types"`
		Enabled       bool     `json:"enabled"`
		TransportType string   `json:"transportType"`
	}
	type sf struct {
		OrgID       string `json:"orgId"`
		UserID      string `json:"userId"`
		InstanceURL string `json:"instanceUrl"`
	}
	secrets := "not-saved"
	if r.SecretsSaved {
		secrets = "keyring"
	}
	types := r.Webhook.Types
	if types == nil {
		types = []string{}
	}
	return json.Marshal(struct {
		Profile    string  `json:"profile"`
		Action     string  `json:"action"`
		Webhook    webhook `json:"webhook"`
		Salesforce sf      `json:"salesforce"`
		Secrets    string  `json:"secrets"`
	}{
		Profile: r.Profile,
		Action:  string(r.Action),
		Webhook: webhook{ID: r.Webhook.ID, Address: r.Webhook.Address, Types: types,
			Enabled: r.Webhook.Enabled, TransportType: r.Webhook.TransportType},
		Salesforce: sf{OrgID: r.Salesforce.OrgID, UserID: r.Salesforce.UserID, InstanceURL: r.Salesforce.InstanceURL},
		Secrets:    secrets,
	})
}

// TokenFromHereOnly is the warning for a password login that worked
// without a security token: a login from this computer is not Digital
// River's. Digital River logs in from its own addresses, which the org
// most likely does not trust, so there the login needs the token, and
// every delivery fails with "Failed: API security token required".
func TokenFromHereOnly(s Setup) (Problem, bool) {
	if s.Auth == sfcheck.FlowClientCredentials || strings.TrimSpace(s.SecurityToken.Reveal()) != "" {
		return Problem{}, false
	}
	return Problem{Field: field.SecurityToken,
		Message: "The login worked from this computer without a security token, because Salesforce trusts this computer's address. Digital River logs in from its own addresses (" + drapi.SourceAddressList() + "): unless the org trusts those too (Setup → Network Access), Salesforce asks for the token there and every delivery fails with \"Failed: API security token required\".",
		Remedy:  "Enter the integration user's security token (the user's Settings → Reset My Security Token emails a new one), or add Digital River's addresses to Setup → Network Access.",
	}, true
}
