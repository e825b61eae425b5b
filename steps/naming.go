package steps

import (
	"fmt"
	"strings"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/text"
)

// A new setup beside a saved one gets a profile of its own, named after its
// org, so that a second org, or a live key beside a test key, does not
// silently replace the profile there is.

// maxNameTries bounds the numbered names tried for a suggestion.
const maxNameTries = 99

// SuggestProfileName is the name a new setup's profile is offered under:
// the org's name from its My Domain ("acme"; "acme-uat" for the sandbox
// acme--uat), with the key's mode added when that name is taken by another
// org's or another mode's profile ("acme-live"), then a number ("acme-2").
// A saved profile of the same org and mode keeps its name: the setup
// updates it. "" while the My Domain is not valid.
func (sv *Services) SuggestProfileName(s Setup, mode drapi.Mode) string {
	d, err := s.Domain()
	if err != nil {
		return ""
	}
	base := d.Name
	switch {
	case d.SandboxName != "":
		base += "-" + d.SandboxName
	case d.Sandbox:
		base += "-sandbox"
	}
	base = nameOf(base)
	fits := func(name string) bool {
		if profile.ValidName(name) != nil {
			return false
		}
		p, ok := sv.saved(name)
		return !ok || sameOrg(p, s) && (p.DRMode == "" || mode == "" || p.DRMode == string(mode))
	}
	if fits(base) {
		return base
	}
	if mode != "" && fits(base+"-"+string(mode)) {
		return base + "-" + string(mode)
	}
	for n := 2; n <= maxNameTries; n++ {
		if name := fmt.Sprintf("%s-%d", base, n); fits(name) {
			return name
		}
	}
	return base
}

// nameOf makes an org's name a profile name: lower case, what ValidName
// allows, at most its length.
func nameOf(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		}
	}
	name := b.String()
	const room = 60 // a few characters left for "-live" or "-12"
	if len(name) > room {
		name = name[:room]
	}
	return text.Or(name, profile.DefaultName)
}

// saved is the saved profile name, when there is one.
func (sv *Services) saved(name string) (profile.Profile, bool) {
	if sv.Store == nil {
		return profile.Profile{}, false
	}
	p, err := sv.Store.Load(name)
	return p, err == nil
}

// sameOrg reports whether profile p is a setup of s's org.
func sameOrg(p profile.Profile, s Setup) bool {
	d, err := s.Domain()
	if err != nil {
		return false
	}
	return strings.EqualFold(strings.TrimSuffix(strings.TrimPrefix(p.Get(field.MyDomain), "https://"), "/"), d.Host)
}

// NameNote says what registering under profile name will do to a profile
// saved under it: "" when none is, else that it is updated (the same org)
// or replaced (another org's, or the other mode's, whose webhook stays at
// Digital River). replaces is set for the latter, which a careful caller
// confirms.
func (sv *Services) NameNote(s Setup, name string, mode drapi.Mode) (note string, replaces bool) {
	p, ok := sv.saved(name)
	if !ok {
		return "", false
	}
	if sameOrg(p, s) && (p.DRMode == "" || mode == "" || p.DRMode == string(mode)) {
		return fmt.Sprintf("Profile %q is already this org's setup; registering updates it.", p.Name), false
	}
	what := "the setup of " + text.Or(httpx.Host(p.Get(field.MyDomain)), "another org")
	if sameOrg(p, s) {
		what = fmt.Sprintf("this org's setup with a %s key", p.DRMode)
	}
	note = fmt.Sprintf("Profile %q is %s; registering under this name replaces it", p.Name, what)
	if p.WebhookID != "" {
		note += fmt.Sprintf(", and its webhook %s stays at Digital River, sending events, with no profile naming it", p.WebhookID)
	}
	return note + ". Choose another name to keep both.", true
}

// ModeSwitchNote says, when the saved profile of s was set up with the
// other mode's key (a test key, and now a live one), what happens to the
// webhook it names: it stays at Digital River in its mode, still sending
// events, and the profile names the new mode's webhook from now on. ""
// otherwise.
func (sv *Services) ModeSwitchNote(s Setup, mode drapi.Mode) string {
	p, ok := sv.saved(s.Profile)
	if !ok || mode == "" || p.DRMode == "" || p.DRMode == string(mode) {
		return ""
	}
	note := fmt.Sprintf("Profile %q was set up with a %s key; with this %s key it will name the %s webhook instead.", p.Name, p.DRMode, mode, mode)
	if p.WebhookID == "" {
		return note
	}
	return note + fmt.Sprintf(" Its %s webhook %s stays at Digital River and keeps sending %s events to the org, with no profile naming it. To keep %q for the %s setup, quit and run drsetup setup --profile %s with the %s key instead; to remove the %s webhook, run DRSETUP_DR_API_KEY=<the %s key> drsetup webhooks delete %s.",
		p.DRMode, p.WebhookID, p.DRMode, p.Name, p.DRMode, nameOf(p.Name+"-"+string(mode)), mode, p.DRMode, p.DRMode, p.WebhookID)
}
