package doctor

// The checks that need no network: drsetup's own records, the profile
// file and the keyring.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// local makes the checks that need no network: the profile and the keyring.
func (r *run) local() {
	r.record(CheckProfile, 0, "", r.profileResult())
	r.record(CheckKeyring, 0, "", r.keyringResult())
}

func (r *run) profileResult() Result {
	name := r.o.Profile
	if err := r.o.ProfileErr; err != nil {
		res := Result{Status: Fail}
		var fe *profile.FileError
		if errors.As(err, &fe) {
			switch fe.Kind {
			case profile.FileDamaged:
				res.Summary = fmt.Sprintf("The profile file %s is damaged: %s.", fe.Path, fe.Reason)
				res.Remedy = fmt.Sprintf("Fix the file, or write it again with drsetup setup%s, or delete it with drsetup profiles delete %s.", profileArg(name), name)
			case profile.FileNewerSchema:
				res.Summary = fmt.Sprintf("The profile file %s was written by a newer drsetup (%s).", fe.Path, fe.Reason)
				res.Remedy = fmt.Sprintf("Update drsetup, or replace the file with drsetup setup%s.", profileArg(name))
			default:
				res.Summary = fmt.Sprintf("The profile file %s could not be read: %s.", fe.Path, fe.Reason)
				res.Remedy = "Check the file's owner and permissions."
			}
		} else {
			res.Summary = text.Sentence(err.Error())
			res.Remedy = fmt.Sprintf("Fix the profile file, or delete it with drsetup profiles delete %s.", name)
		}
		res.Summary += " " + r.carryOn()
		return res
	}
	if r.o.Saved == nil {
		return Result{Status: Skip, Summary: fmt.Sprintf("There is no saved profile named %q. %s", name, r.carryOn())}
	}
	p := r.o.Saved
	sum := fmt.Sprintf("Profile %q", name)
	if r.o.ProfilePath != "" {
		sum += " (" + r.o.ProfilePath + ")"
	}
	if !p.LastSetup.IsZero() {
		sum += ", last set up " + p.LastSetup.UTC().Format("2006-01-02 15:04 UTC")
	}
	sum += "."
	if over := r.overridden(); len(over) > 0 {
		sum += " Given for this run, over the profile's: " + strings.Join(over, ", ") + "."
	}
	// drsetup setup saves these with every registration.
	var lacks []string
	for _, x := range []struct{ name, v string }{{"My Domain", p.Get(field.MyDomain)}, {"Client ID", p.Get(field.ClientID)}, {"webhook ID", p.WebhookID}} {
		if strings.TrimSpace(x.v) == "" {
			lacks = append(lacks, "the "+x.name)
		}
	}
	if len(lacks) > 0 {
		return Result{Status: Warn,
			Summary: sum + fmt.Sprintf(" It lacks %s, which drsetup setup always saves: it was written by hand, or by a setup that did not finish.", text.JoinAnd(lacks)),
			Remedy:  fmt.Sprintf("Run drsetup setup%s to complete it.", profileArg(name))}
	}
	return Result{Status: Pass, Summary: sum}
}

// carryOn says what the run checks instead of a profile.
func (r *run) carryOn() string {
	switch r.mode {
	case ModeValues:
		return "Checking the values given as flags and DRSETUP_* variables."
	case ModeKeyOnly:
		return "Checking the key's webhooks alone, with the login stored in each."
	}
	return "No values were given to check instead."
}

// overridden names the profile's values that flags or variables replace.
func (r *run) overridden() []string {
	var out []string
	for _, f := range field.All() {
		switch r.o.Settings.Source(f) {
		case profile.SourceFlag:
			out = append(out, f.Flag())
		case profile.SourceEnv:
			out = append(out, f.EnvVar())
		}
	}
	return out
}

func (r *run) keyringResult() Result {
	if r.o.Saved == nil {
		return Result{Status: Skip, Summary: "No profile, so the keyring is not read; secrets come from DRSETUP_* variables."}
	}
	var stored, missing, fromEnv []string
	var lacking []field.Field
	for _, f := range r.neededSecrets() {
		switch r.o.Settings.Source(f) {
		case profile.SourceKeyring:
			stored = append(stored, f.Label())
		case profile.SourceEnv:
			fromEnv = append(fromEnv, f.EnvVar())
		default:
			missing = append(missing, fmt.Sprintf("%s (%s)", f.Label(), f.EnvVar()))
			lacking = append(lacking, f)
		}
	}
	// The checks that would use a secret the run lacks are not made: the
	// run is incomplete, whether the keyring lacked it or could not be read.
	r.needs(lacking...)
	if err := r.o.KeyringErr; err != nil {
		sum, remedy := splitKeyringError(err)
		sum += " Doctor goes on with what flags and variables give."
		if len(missing) > 0 {
			sum += fmt.Sprintf(" Not given otherwise: %s, so the checks that need %s are skipped.", text.JoinAnd(missing), itThem(len(missing)))
		}
		return Result{Status: Warn, Summary: sum, Remedy: remedy, Brief: "the keyring could not be read"}
	}
	var b strings.Builder
	if len(stored) > 0 {
		fmt.Fprintf(&b, "The keyring holds the profile's %s.", text.JoinAnd(stored))
	} else {
		b.WriteString("The keyring holds no secret of this profile.")
	}
	if len(fromEnv) > 0 {
		fmt.Fprintf(&b, " Given for this run instead: %s.", strings.Join(fromEnv, ", "))
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, " Missing: %s, so the checks that need %s are skipped.", text.JoinAnd(missing), itThem(len(missing)))
		return Result{Status: Warn, Summary: b.String(),
			Remedy: fmt.Sprintf("Run drsetup setup%s to save them again, or set the DRSETUP_* variables for this run.", profileArg(r.o.Profile)),
			Brief:  "the profile's secrets are missing from the keyring"}
	}
	return Result{Status: Pass, Summary: b.String()}
}

func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// neededSecrets are the secrets the profile's setup uses.
func (r *run) neededSecrets() []field.Field {
	fs := []field.Field{field.ClientSecret}
	if r.setup.Auth != sfcheck.FlowClientCredentials {
		fs = append(fs, field.Password)
		// The security token may rightly be empty (trusted IP ranges).
		if given(r.o.Settings, field.SecurityToken) {
			fs = append(fs, field.SecurityToken)
		}
	}
	return append(fs, field.DRAPIKey)
}

// splitKeyringError cuts a keyring failure into a finding and a remedy.
func splitKeyringError(err error) (summary, remedy string) {
	var ke *profile.KeyringError
	if errors.As(err, &ke) {
		return text.FullStop(text.Sentence(ke.Problem())), text.Sentence(ke.Remedy())
	}
	return text.FullStop(text.Sentence(err.Error())), ""
}
