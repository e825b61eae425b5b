// Package doctor runs every check a Digital River webhook setup depends on,
// the Salesforce chain and the Digital River chain concurrently, and reports
// each as pass, warn, fail or skip with a finding and a remedy. It knows
// nothing of terminals: ui/doctorview draws its report and progress.
package doctor

import (
	"encoding/json"
	"time"

	"github.com/drsetup/drsetup/buildinfo"
	"github.com/drsetup/drsetup/field"
)

// Status is a check's verdict.
type Status string

const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip" // not checked: what it needs is missing or failed
)

// severity orders statuses for "the worst of": skip < pass < warn < fail.
func (s Status) severity() int {
	switch s {
	case Pass:
		return 1
	case Warn:
		return 2
	case Fail:
		return 3
	}
	return 0
}

// ID names a check. The strings are the command-line contract's (DESIGN.md):
// scripts read them from --json.
type ID string

const (
	CheckProfile           ID = "profile"
	CheckKeyring           ID = "keyring"
	CheckMyDomain          ID = "my_domain"
	CheckTokenEndpoint     ID = "token_endpoint"
	CheckSFLogin           ID = "sf_login"
	CheckInstanceURL       ID = "instance_url"
	CheckApexEndpoint      ID = "apex_endpoint"
	CheckDRAPIKey          ID = "dr_api_key"
	CheckWebhookExists     ID = "webhook_exists"
	CheckWebhookAddress    ID = "webhook_address"
	CheckWebhookEnabled    ID = "webhook_enabled"
	CheckWebhookTransport  ID = "webhook_transport"
	CheckWebhookOAuth      ID = "webhook_oauth"
	CheckWebhookEvents     ID = "webhook_events"
	CheckWebhookDuplicates ID = "webhook_duplicates"
	CheckDRLoginReplay     ID = "dr_login_replay"

	// Past the configuration (evidence.go): did the events get through?
	CheckDREvents        ID = "dr_events"
	CheckSFLoginHistory  ID = "sf_login_history"
	CheckSFFailedEvents  ID = "sf_failed_events"
	CheckSFPermissionSet ID = "sf_permission_set"
	CheckListenerLatency ID = "listener_latency"
)

// checkOrder is the order of the report. The checks of one webhook follow
// webhook_exists, grouped by webhook.
var checkOrder = []ID{
	CheckProfile, CheckKeyring, CheckMyDomain, CheckTokenEndpoint, CheckSFLogin,
	CheckInstanceURL, CheckApexEndpoint, CheckDRAPIKey, CheckWebhookExists,
	CheckWebhookAddress, CheckWebhookEnabled, CheckWebhookTransport, CheckWebhookOAuth,
	CheckWebhookEvents, CheckWebhookDuplicates, CheckDRLoginReplay, CheckDREvents,
	CheckSFPermissionSet, CheckListenerLatency, CheckSFLoginHistory, CheckSFFailedEvents,
}

// webhookChecks are the checks made once per webhook examined.
var webhookChecks = []ID{
	CheckWebhookAddress, CheckWebhookEnabled, CheckWebhookTransport, CheckWebhookOAuth,
	CheckWebhookEvents, CheckWebhookDuplicates, CheckDRLoginReplay,
}

// Title is a check's name in a checklist.
func (id ID) Title() string {
	switch id {
	case CheckProfile:
		return "Profile"
	case CheckKeyring:
		return "Keyring"
	case CheckMyDomain:
		return "My Domain"
	case CheckTokenEndpoint:
		return "Token endpoint"
	case CheckSFLogin:
		return "Salesforce login"
	case CheckInstanceURL:
		return "Instance URL"
	case CheckApexEndpoint:
		return "Apex endpoint"
	case CheckDRAPIKey:
		return "Digital River key"
	case CheckWebhookExists:
		return "Webhook"
	case CheckWebhookAddress:
		return "Address"
	case CheckWebhookEnabled:
		return "Enabled"
	case CheckWebhookTransport:
		return "Transport"
	case CheckWebhookOAuth:
		return "Stored login settings"
	case CheckWebhookEvents:
		return "Event types"
	case CheckWebhookDuplicates:
		return "Duplicates"
	case CheckDRLoginReplay:
		return "Digital River's login, replayed"
	case CheckDREvents:
		return "Digital River's events"
	case CheckSFLoginHistory:
		return "Login History"
	case CheckSFFailedEvents:
		return "Failed events"
	case CheckSFPermissionSet:
		return "Permission set"
	case CheckListenerLatency:
		return "Listener speed"
	}
	return string(id)
}

// HopKind is the part of an order event's path a check is about: Digital
// River sending it, the login at the token endpoint, or the Apex endpoint
// receiving it.
type HopKind int

const (
	HopNone         HopKind = iota // the profile and keyring: drsetup's own records
	HopDigitalRiver                // Digital River sending the event
	HopToken                       // the login at the token endpoint
	HopApex                        // the Apex endpoint receiving the event
)

func (id ID) hop() HopKind {
	switch id {
	case CheckDRAPIKey, CheckWebhookExists, CheckWebhookEnabled, CheckWebhookEvents, CheckWebhookDuplicates:
		return HopDigitalRiver
	case CheckTokenEndpoint, CheckSFLogin, CheckWebhookTransport, CheckWebhookOAuth, CheckDRLoginReplay, CheckSFLoginHistory:
		return HopToken
	case CheckMyDomain, CheckInstanceURL, CheckApexEndpoint, CheckWebhookAddress,
		CheckSFFailedEvents, CheckSFPermissionSet, CheckListenerLatency:
		return HopApex
	}
	// dr_events is about no hop: no order events means nothing to deliver,
	// not a fault on the way, and events still pending do not say which
	// webhook owes them.
	return HopNone
}

// Result is one check's outcome. Summary and Remedy never hold a secret.
type Result struct {
	ID      ID
	Status  Status
	Summary string // one line: what was found
	Remedy  string // for warn and fail: what to do, naming the Setup page or Dashboard place
	// Brief is the finding in a few words, written the same way whichever
	// webhook it is about, so the report can say a finding met on several
	// webhooks once; "" when the summary says it briefly enough. Only the
	// text report reads it.
	Brief     string
	Duration  time.Duration
	WebhookID string // set for a check about one webhook
	// Hop is where on the event's path the finding lies; most checks have
	// one, but a replayed login can fail at the login or at the endpoint.
	Hop HopKind
}

// MarshalJSON writes the contract's check object: id, status, summary,
// remedy (when set), durationMs, webhookId (for a webhook's check).
func (r Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID         ID     `json:"id"`
		Status     Status `json:"status"`
		Summary    string `json:"summary"`
		Remedy     string `json:"remedy,omitempty"`
		DurationMs int64  `json:"durationMs"`
		WebhookID  string `json:"webhookId,omitempty"`
	}{r.ID, r.Status, r.Summary, r.Remedy, r.Duration.Milliseconds(), r.WebhookID})
}

// Mode is which setup doctor checks (DESIGN.md, "Which setup doctor checks").
type Mode string

const (
	ModeProfile Mode = "profile"  // a saved profile, with flags and variables over it
	ModeValues  Mode = "values"   // no profile: the values of flags and DRSETUP_* variables
	ModeKeyOnly Mode = "key-only" // only a Digital River key: the webhooks' stored settings
	// ModeNone: nothing but a profile file that could not be read. The
	// contract reports it as "profile", the setup the run was pointed at.
	ModeNone Mode = "none"
)

// Webhook is a webhook the report examined, with what was seen of it, for
// headings and the text report's list of webhooks.
type Webhook struct {
	ID      string
	Address string
	// The login Digital River makes for it, as stored ("" without one):
	// the username (empty for client credentials), token endpoint and
	// Client ID; OrgID is the org the replayed login reached, "" when it
	// did not log in.
	Username, TokenEndpoint, ClientID, Grant string
	OrgID                                    string
}

// Report is the outcome of a run.
type Report struct {
	Mode Mode
	// Profile is the profile checked; "" when none was (it does not exist).
	Profile   string
	StartedAt time.Time
	Build     buildinfo.Info // the drsetup that made the report
	Checks    []Result
	Webhooks  []Webhook // examined, in report order
	Paths     []Path
	// Timeline is what the delivery checks read, merged by day for the
	// text report; nil when none of them read anything. The JSON carries
	// it only through the checks' summaries.
	Timeline *Timeline
	// Missing are the values a check needed and the run did not have (the
	// Salesforce login or the Digital River key not tried, secrets not in
	// the keyring), in the order of the setup: such a run is incomplete.
	Missing []field.Field

	// Fixed is set on the report of doctor --fix (the run after the
	// fixes, or the only run when there was nothing to fix); Fixes are the
	// fixes applied before it, and Unfixed the ones that failed.
	Fixed   bool
	Fixes   []FixDone
	Unfixed []FixOutcome

	found *found // what the checks found, for the fix plan
}

// Incomplete reports whether the run could not check what it was pointed
// at for want of a value.
func (r *Report) Incomplete() bool { return len(r.Missing) > 0 }

// OK reports whether no check failed and the run was complete; warnings are
// allowed.
func (r *Report) OK() bool {
	if r.Incomplete() {
		return false
	}
	for _, c := range r.Checks {
		if c.Status == Fail {
			return false
		}
	}
	return true
}

// Count returns how many checks ended in s.
func (r *Report) Count(s Status) int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}

// MarshalJSON writes the contract's report (DESIGN.md, doctor --json):
// {"ok", "incomplete", "mode", "profile" (null when no profile was
// checked), "drsetup", "startedAt", "counts", "checks"}, and with --fix
// "fixes", the fixes applied before this run.
func (r *Report) MarshalJSON() ([]byte, error) {
	var prof *string
	if r.Profile != "" {
		prof = &r.Profile
	}
	checks := r.Checks
	if checks == nil {
		checks = []Result{}
	}
	mode := r.Mode
	if mode == ModeNone {
		mode = ModeProfile
	}
	type build struct {
		Version string `json:"version"`
		Commit  string `json:"commit"`
		OS      string `json:"os"`
		Arch    string `json:"arch"`
	}
	type counts struct {
		Pass int `json:"pass"`
		Warn int `json:"warn"`
		Fail int `json:"fail"`
		Skip int `json:"skip"`
	}
	return json.Marshal(struct {
		OK         bool       `json:"ok"`
		Incomplete bool       `json:"incomplete"`
		Mode       Mode       `json:"mode"`
		Profile    *string    `json:"profile"`
		Drsetup    build      `json:"drsetup"`
		StartedAt  string     `json:"startedAt"`
		Counts     counts     `json:"counts"`
		Checks     []Result   `json:"checks"`
		Fixes      *[]FixDone `json:"fixes,omitempty"`
	}{
		OK: r.OK(), Incomplete: r.Incomplete(), Mode: mode, Profile: prof,
		Drsetup:   build{r.Build.Version, r.Build.Commit, r.Build.OS, r.Build.Arch},
		StartedAt: r.StartedAt.UTC().Format(time.RFC3339),
		Counts:    counts{r.Count(Pass), r.Count(Warn), r.Count(Fail), r.Count(Skip)},
		Checks:    checks,
		Fixes:     r.fixesJSON(),
	})
}

// Hop is one stage of an order event's path, marked with the worst status of
// the checks about it.
type Hop struct {
	Kind   HopKind
	Host   string // api.digitalriver.com, the token endpoint's host, the endpoint's host; "" when unknown
	Status Status
}

// Name is the hop's name on the path map.
func (h Hop) Name() string {
	switch h.Kind {
	case HopDigitalRiver:
		return "Digital River"
	case HopToken:
		return "token endpoint"
	case HopApex:
		return "Apex endpoint"
	}
	return ""
}

// Path is the way an order event travels for one setup or webhook: Digital
// River, then the token endpoint it logs in at, then the Salesforce Apex
// endpoint it posts to.
type Path struct {
	WebhookID string // "" for the profile's (or given values') path
	Hops      [3]Hop
}
