package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
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
	// StagePermission: what the integration user may read proves whether it
	// holds the app's permission set (a 405 from the probe does not).
	StagePermission Stage = "Checking the integration user's permission set"
	StageKey        Stage = "Checking the Digital River key"
	StagePlan       Stage = "Looking for an existing webhook"
	StageRegister   Stage = "Registering the webhook"
	// StageWaitLock: another run on this machine is registering the same
	// profile.
	StageWaitLock Stage = "Waiting for another drsetup run to finish"
	// StageAwaitCreate: the answer to the create was lost, and the list is
	// watched for the webhook for about 30 s rather than creating another.
	StageAwaitCreate Stage = "Answer lost; waiting for the webhook to be listed"
	// StageAwaitList: Digital River's list does not show the new webhook
	// yet; it is watched so that another run's create shows too.
	StageAwaitList Stage = "Waiting for Digital River to list the webhook"
	StageSave      Stage = "Saving the profile"
)

// DefaultLockWait bounds how long Register waits for another run on this
// machine that is registering the same profile: long enough for one
// registration, a lost create's wait for the list included.
const DefaultLockWait = 2 * time.Minute

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
	// LockWait bounds the wait for the profile's lock; 0 is
	// DefaultLockWait.
	LockWait time.Duration
	// Writes, when set, records the session's writes (see Writes); it is a
	// pointer so that copies of Services (one per request in the wizard)
	// share it.
	Writes *Writes
}

// Writes records two things about a session's writes to Digital River:
// whether one may have reached it without a registration completing since
// (a run stopped then may leave a webhook behind that no profile names),
// and a create whose answer was lost, which is then never sent again in
// the session, only looked for. The zero value is ready to use; a nil
// *Writes records nothing.
type Writes struct {
	unfinished atomic.Bool

	mu sync.Mutex
	// lost is a create of this session whose answer was lost and whose
	// webhook had not appeared: it is never sent again in the session.
	lost struct {
		address string
		err     *drapi.Error
	}
}

// lostCreate is why the create of a webhook for address was lost earlier
// in the session, or nil.
func (w *Writes) lostCreate(address string) *drapi.Error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lost.err == nil || !drapi.SameAddress(w.lost.address, address) {
		return nil
	}
	return w.lost.err
}

// noteLost records, after a registration for address ended with err,
// whether a create whose answer was lost is still unaccounted for.
func (w *Writes) noteLost(address string, err error) {
	if w == nil {
		return
	}
	var (
		lc *drapi.LostCreateError
		uc *drapi.UncertainCreateError
	)
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case errors.As(err, &lc):
		w.lost.address, w.lost.err = address, lc.Err
	case errors.As(err, &uc):
		w.lost.address, w.lost.err = address, uc.Err
	case err == nil && drapi.SameAddress(w.lost.address, address):
		w.lost.address, w.lost.err = "", nil
	}
}

// Unfinished reports whether a write may have reached Digital River with no
// registration completed since.
func (w *Writes) Unfinished() bool { return w != nil && w.unfinished.Load() }

func (w *Writes) set(unfinished bool) {
	if w != nil {
		w.unfinished.Store(unfinished)
	}
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
	// Permission is what the user's reads proved about the app's permission
	// set, after a probe that passed; its Answer is "" when it was not read.
	Permission sfcheck.PermissionProof
	Problems   []Problem // after a successful login: instance, user, Apex and permission findings
}

// PermissionHeld reports whether the permission set was proven held.
func (v *Verified) PermissionHeld() bool {
	return v != nil && v.Permission.Answer == sfcheck.PermissionHeld
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
	if probe.OK {
		if err := sv.checkPermission(ctx, v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// checkPermission proves, with the login's token, whether the integration
// user holds the app's permission set: Salesforce may refuse a wrong method
// (the probe's 405) before it checks class access, so a probe that passed
// does not prove it, and every delivery would get 403. A user who provably
// lacks it blocks the registration; one nothing tells about is a warning.
func (sv *Services) checkPermission(ctx context.Context, v *Verified) error {
	sv.stage(StagePermission)
	proof, err := sv.SF.PermissionSet(ctx, v.Session)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		v.Problems = append(v.Problems, Problem{Message: "The integration user's permission set could not be checked: " + explain.Of(err).Summary()})
		return nil
	}
	v.Permission = proof
	finding, remedy := explain.Permission(proof)
	switch proof.Answer {
	case sfcheck.PermissionLacking:
		v.Problems = append(v.Problems, Problem{Field: field.Username, Message: finding, Remedy: remedy, Blocking: true})
	case sfcheck.PermissionUnknown:
		v.Problems = append(v.Problems, Problem{Message: finding, Remedy: remedy})
	}
	return nil
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
	return c.Webhooks.Plan(ctx, s.Spec(), drapi.EnsureOptions{Match: OrgMatcher(d), Prefer: sv.savedWebhookID(s.Profile)})
}

// savedWebhookID is the webhook the saved profile names, kept should a
// concurrent create leave two; "" without one.
func (sv *Services) savedWebhookID(name string) string {
	if sv.Store == nil {
		return ""
	}
	p, err := sv.Store.Load(name)
	if err != nil {
		return ""
	}
	return p.WebhookID
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
	Profile  string
	Action   drapi.Action // created, updated or unchanged
	Adopted  bool         // a create whose answer was lost was found and adopted
	Appeared bool         // a create was planned, but a webhook for the org appeared first and was used
	Deleted  []string     // webhooks deleted so that one remains after a concurrent create
	// Webhook is as Digital River stored it, read back after any write.
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
// only after the webhook exists and reads back as sent, so a cancelled or
// failed setup saves nothing as if it worked. The plan is checked again
// right before anything is written (drapi's Apply), since the wizard made
// it at Review. Two runs on this machine for the same profile take turns
// (the profile's lock); runs on other machines are kept from leaving two
// webhooks by Apply itself.
func (sv *Services) Register(ctx context.Context, s Setup, plan drapi.Plan, v *Verified) (_ *Result, err error) {
	defer sv.traced("register", time.Now(), &err)
	sv.stage(StageRegister)
	c, err := sv.DR(strings.TrimSpace(s.DRAPIKey.Reveal()))
	if err != nil {
		return nil, err
	}
	unlock, err := sv.lock(ctx, s.Profile)
	if err != nil {
		return nil, err
	}
	defer unlock()
	before := sv.Writes.Unfinished()
	ctx = drapi.WithNotices(ctx, drapi.Notices{
		Write:          func() { sv.Writes.set(true) },
		AwaitingCreate: func() { sv.stage(StageAwaitCreate) },
		AwaitingList:   func() { sv.stage(StageAwaitList) },
	})
	var res drapi.Result
	if lost := sv.Writes.lostCreate(plan.Desired.Address); lost != nil {
		// A create of this session was lost: look for it again rather
		// than send it a second time.
		res, err = c.Webhooks.AwaitLost(ctx, plan, lost)
	} else {
		res, err = c.Webhooks.Apply(ctx, plan)
	}
	sv.Writes.noteLost(plan.Desired.Address, err)
	if err != nil {
		// The notice came before the write was sent; a write refused
		// outright left nothing behind.
		sv.Writes.set(before || drapi.MayHaveWritten(err))
		return nil, err
	}
	sv.Writes.set(false)
	r := &Result{
		Profile: s.Profile, Action: res.Action, Adopted: res.Adopted, Appeared: res.Appeared, Deleted: res.Deleted,
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

// lock takes the profile's lock for a registration, saying so when it has
// to wait. Where no lock file can be used (a read-only or unusual file
// system) it goes on unlocked: the lock only makes runs on one machine take
// turns, and Apply keeps them from leaving two webhooks without it.
func (sv *Services) lock(ctx context.Context, name string) (func(), error) {
	return sv.lockThen(ctx, name, StageRegister)
}

// lockThen is lock for a write other than a registration: after a wait
// for the lock, the progress goes back to stage then.
func (sv *Services) lockThen(ctx context.Context, name string, then Stage) (func(), error) {
	if sv.Store == nil {
		return func() {}, nil
	}
	wait := sv.LockWait
	if wait <= 0 {
		wait = DefaultLockWait
	}
	waited := false
	unlock, err := sv.Store.Lock(ctx, name, wait, func(profile.LockHolder) { waited = true; sv.stage(StageWaitLock) })
	if waited && err == nil {
		sv.stage(then)
	}
	var le *profile.LockError
	switch {
	case errors.As(err, &le) && le.Err != nil:
		if sv.Trace != nil {
			sv.Trace("profile_lock", "skip", le.Error(), 0)
		}
		return func() {}, nil
	case err != nil:
		return nil, err
	}
	return unlock, nil
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
