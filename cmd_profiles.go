package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/iostreams"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/text"
	"github.com/drsetup/drsetup/ui/doctorview"
	"github.com/drsetup/drsetup/ui/plain"
	"github.com/drsetup/drsetup/ui/table"
)

// profilesListOptions are what profiles (profiles list) takes.
type profilesListOptions struct {
	jsonOut bool
}

// profilesDeleteOptions are what profiles delete takes.
type profilesDeleteOptions struct {
	ctx         context.Context
	name        string
	withWebhook bool // also delete the profile's webhook at Digital River
	yes         bool
}

// newProfilesCmd builds the profiles commands; listF and deleteF, when set,
// run instead of runProfilesList and runProfilesDelete.
func newProfilesCmd(f *factory, listF func(*profilesListOptions) error, deleteF func(*profilesDeleteOptions) error) *cobra.Command {
	if listF == nil {
		listF = func(o *profilesListOptions) error { return runProfilesList(f, o) }
	}
	if deleteF == nil {
		deleteF = func(o *profilesDeleteOptions) error { return runProfilesDelete(f, o) }
	}
	lo := &profilesListOptions{}
	long := `profiles lists the saved profiles: name, the org (its My Domain and org
ID), environment, the Digital River key's mode (test or live), the webhook the
profile registered, and when the setup was last seen to work (its setup, or a
later doctor run that found nothing wrong). On a terminal, the profile in
use (--profile or DRSETUP_PROFILE, "default" otherwise) is marked with *.
Piped, it is one tab-separated line per profile, unmarked; --json gives every
field, the one in use as "current" (see README).`
	cmd := &cobra.Command{
		Use:     "profiles",
		Aliases: []string{"profile"},
		Short:   "List saved profiles",
		Long:    long,
		Example: `  drsetup profiles
  drsetup profiles --json
  drsetup profiles delete acme-sandbox
  drsetup profiles delete acme-sandbox --with-webhook --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return listF(lo) },
	}
	cmd.Flags().BoolVar(&lo.jsonOut, "json", false, "print the profiles as JSON on stdout")
	list := &cobra.Command{
		Use:   "list",
		Short: "List saved profiles (as drsetup profiles does)",
		Long:  long,
		Example: `  drsetup profiles list
  drsetup profiles list --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return listF(lo) },
	}
	list.Flags().BoolVar(&lo.jsonOut, "json", false, "print the profiles as JSON on stdout")
	do := &profilesDeleteOptions{}
	del := &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a saved profile and its secrets (and, asked, its webhook)",
		Long: `delete removes the profile's settings file and every secret drsetup keeps for
it in the keyring.

The profile's webhook at Digital River keeps sending events to the org
after the profile is gone. With --with-webhook it is deleted too (first,
confirmed gone at Digital River, with the profile's key or DRSETUP_DR_API_KEY;
if it cannot be, the profile is kept). Without it, on a terminal delete asks
whether to delete the webhook as well. --with-webhook asks first on a
terminal; without one it needs --yes, and without --yes nothing is deleted
(exit 2).`,
		Example: `  drsetup profiles delete acme-sandbox
  drsetup profiles delete acme-sandbox --with-webhook
  drsetup profiles delete acme-sandbox --with-webhook --yes`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			do.ctx, do.name = cmd.Context(), args[0]
			return deleteF(do)
		},
	}
	del.Flags().BoolVar(&do.withWebhook, "with-webhook", false, "also delete the profile's webhook at Digital River")
	del.Flags().BoolVar(&do.yes, "yes", false, "with --with-webhook: delete the webhook without asking")
	cmd.AddCommand(list, del)
	return cmd
}

// profileJSON is one profile as profiles --json prints it (README,
// "drsetup profiles --json").
type profileJSON struct {
	Name         string     `json:"name"`
	Current      bool       `json:"current"`
	MyDomain     string     `json:"myDomain"`
	OrgID        string     `json:"orgId"`
	Environment  string     `json:"environment"`
	Auth         string     `json:"auth"`
	KeyMode      string     `json:"keyMode"`
	WebhookID    string     `json:"webhookId"`
	LastSetup    *time.Time `json:"lastSetup"`
	LastVerified *time.Time `json:"lastVerified"`
}

func jsonOf(p profile.Profile, current string) profileJSON {
	at := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		u := t.UTC()
		return &u
	}
	return profileJSON{
		Name: p.Name, Current: p.Name == current, MyDomain: p.Get(field.MyDomain), OrgID: p.OrgID,
		Environment: p.Get(field.Environment), Auth: p.Get(field.Auth), KeyMode: p.DRMode, WebhookID: p.WebhookID,
		LastSetup: at(p.LastSetup), LastVerified: at(p.LastVerified),
	}
}

func runProfilesList(f *factory, o *profilesListOptions) error {
	store, err := f.store()
	if err != nil {
		return err
	}
	profiles, listErr := store.List()
	var le *profile.ListError
	if listErr != nil && !errors.As(listErr, &le) {
		return listErr
	}
	if o.jsonOut {
		out := []profileJSON{}
		for _, p := range profiles {
			out = append(out, jsonOf(p, f.Global.profile))
		}
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
		return listErr
	}
	if len(profiles) == 0 && listErr == nil {
		fmt.Fprintln(f.IO.ErrOut, `No saved profiles. Run "drsetup setup" to make one.`)
		return nil
	}
	if len(profiles) > 0 {
		if err := writeProfiles(f.IO, profiles, f.Global.profile); err != nil {
			return err
		}
	}
	// The profiles that could be read are listed; the damaged files are
	// named, and the exit status says something is wrong.
	return listErr
}

// profilesTable is the listing: on a terminal fitted to its width (the My
// Domain giving way first, then the columns least needed), the webhook by
// the first 8 characters of its id as doctor names it; piped, every value
// whole, times as RFC 3339.
func profilesTable(profiles []profile.Profile, current string, piped bool) *table.Table {
	const (
		colName = iota
		colDomain
		colOrg
		colEnv
		colKey
		colWebhook
		colVerified
	)
	t := &table.Table{
		Headers: []string{"NAME", "MY DOMAIN", "ORG ID", "ENVIRONMENT", "KEY", "WEBHOOK", "LAST VERIFIED"},
		Shrink:  colDomain,
		// The environment shows in a sandbox's My Domain: it goes first.
		Drops: []table.Drop{{Col: colEnv, KeepAbove: 30}, {Col: colOrg, KeepAbove: 30}, {Col: colVerified, KeepAbove: 24}},
	}
	if !piped {
		t.Headers[colName] = "  NAME"
	}
	for _, p := range profiles {
		name := p.Name
		if !piped {
			mark := "  "
			if p.Name == current {
				mark = "* "
			}
			name = mark + name
		}
		hook := text.Or(p.WebhookID, "-")
		if !piped && len(hook) > 8 {
			hook = hook[:8]
		}
		verified := "-"
		if v := p.Verified(); !v.IsZero() {
			// On a terminal it says which of the two it was; a script
			// reads that from --json.
			verified = v.Local().Format("2006-01-02 15:04")
			switch {
			case piped:
				verified = v.UTC().Format(time.RFC3339)
			case p.LastVerified.After(p.LastSetup):
				verified += " doctor"
			default:
				verified += " setup"
			}
		}
		t.Rows = append(t.Rows, []string{name, text.Or(httpx.Host(p.Get(field.MyDomain)), "-"), text.Or(p.OrgID, "-"),
			text.Or(p.Get(field.Environment), "-"), text.Or(p.DRMode, "-"), hook, verified})
	}
	return t
}

func writeProfiles(ios *iostreams.IOStreams, profiles []profile.Profile, current string) error {
	return writeTable(ios, func(piped bool) *table.Table { return profilesTable(profiles, current, piped) })
}

func runProfilesDelete(f *factory, o *profilesDeleteOptions) error {
	name := o.name
	if err := profile.ValidName(name); err != nil {
		return invalidf("%s", err)
	}
	store, err := f.store()
	if err != nil {
		return err
	}
	// What exists, to say what was removed.
	p, loadErr := store.Load(name)
	hadFile := !errors.Is(loadErr, profile.ErrNotFound)
	secrets, secErr := store.LoadSecrets(name)
	switch {
	case loadErr == nil && p.WebhookID != "":
		if err := profileWebhook(f, o, p, secrets, secErr); err != nil {
			return err
		}
	case o.withWebhook && errors.Is(loadErr, profile.ErrNotFound):
		return unknownProfile(name, store)
	case o.withWebhook && loadErr == nil:
		fmt.Fprintf(f.IO.ErrOut, "Profile %q names no webhook, so none is deleted at Digital River.\n", name)
	}

	err = store.Delete(name)
	path := store.Path(name)
	var ke *profile.KeyringError
	switch {
	case errors.Is(err, profile.ErrNotFound):
		return unknownProfile(name, store)
	case errors.As(err, &ke) && !hadFile:
		// Without a file, and with a keyring that cannot say whether it
		// holds anything under the name, the name is unknown: most likely a
		// typo. Say what could not be checked, then what is saved.
		return invalidf("%s\nThe keyring could not be checked for secrets saved under %q either: %s", unknownProfile(name, store), name, f.redact(explain.Of(err).Text()))
	case errors.As(err, &ke):
		fmt.Fprintf(f.IO.ErrOut, "Removed the profile file %s.\n", path)
		return err
	case err != nil:
		return err
	}
	var msg string
	if hadFile {
		msg = fmt.Sprintf("Deleted profile %q: removed %s", name, path)
	} else {
		msg = fmt.Sprintf("Deleted profile %q: it had no settings file", name)
	}
	if held := secretNames(secrets); secErr == nil && len(held) > 0 {
		msg += fmt.Sprintf(" and its %s from the keyring (service %q).", text.JoinAnd(held), profile.KeyringService)
	} else {
		msg += fmt.Sprintf("; the keyring held no secret for it (service %q).", profile.KeyringService)
	}
	fmt.Fprintln(f.IO.ErrOut, msg)
	return nil
}

// profileWebhook says what becomes of the webhook of profile p when the
// profile goes, and deletes it first when asked to (--with-webhook, or yes
// at the prompt). An error keeps the profile: nothing is deleted then.
func profileWebhook(f *factory, o *profilesDeleteOptions, p profile.Profile, secrets profile.Secrets, secErr error) error {
	id := p.WebhookID
	mode := text.Or(p.DRMode, "test or live")
	doctorview.ShowNote(f.IO, fmt.Sprintf("Profile %q names webhook %s (%s mode, for %s). Digital River keeps sending it the org's events after the profile is deleted.",
		p.Name, id, mode, text.Or(httpx.Host(p.Get(field.MyDomain)), "an unknown org")))
	deleteIt := o.withWebhook
	switch {
	case o.withWebhook && !o.yes && !f.IO.CanPrompt():
		return invalidf("nothing was deleted: --with-webhook deletes webhook %s at Digital River; add --yes to do so without a prompt (stdin or stderr is not a terminal, so drsetup cannot ask)", id)
	case o.withWebhook && !o.yes:
		ok, err := plain.NewPrompter(o.ctx, f.IO.In, f.IO.ErrOut, !f.IO.IsStdinTTY()).Confirm(fmt.Sprintf("Delete webhook %s, then profile %q?", id, p.Name), false)
		if o.ctx.Err() != nil {
			return o.ctx.Err()
		}
		if err != nil && !errors.Is(err, plain.ErrCancelled) {
			return err
		}
		if !ok {
			fmt.Fprintln(f.IO.ErrOut, "Nothing was deleted.")
			return &silentError{code: exitOK}
		}
	case !o.withWebhook && !o.yes && f.IO.CanPrompt():
		ok, err := plain.NewPrompter(o.ctx, f.IO.In, f.IO.ErrOut, !f.IO.IsStdinTTY()).Confirm(fmt.Sprintf("Delete webhook %s too?", id), false)
		if o.ctx.Err() != nil {
			return o.ctx.Err()
		}
		if err != nil && !errors.Is(err, plain.ErrCancelled) {
			return err
		}
		deleteIt = ok
	}
	if !deleteIt {
		doctorview.ShowNote(f.IO, fmt.Sprintf("The webhook stays; to delete it later: drsetup webhooks delete %s (with the profile's %s key in DRSETUP_DR_API_KEY).", id, mode))
		return nil
	}
	keep := "answer no to keep the webhook"
	if o.withWebhook {
		keep = "leave out --with-webhook"
	}
	return deleteProfileWebhook(f, o.ctx, p, secrets, secErr, keep)
}

// deleteProfileWebhook deletes profile p's webhook, with DRSETUP_DR_API_KEY
// or else the profile's own key, which must be of the profile's mode (the
// other mode's key does not see it).
// secErr is why the keyring could not be read, if it could not; keep says
// how to delete the profile and keep the webhook.
func deleteProfileWebhook(f *factory, ctx context.Context, p profile.Profile, secrets profile.Secrets, secErr error, keep string) error {
	id := p.WebhookID
	key := strings.TrimSpace(f.Getenv(field.DRAPIKey.EnvVar()))
	if key == "" {
		key = strings.TrimSpace(secrets.Get(field.DRAPIKey).Reveal())
	}
	if key == "" {
		why := fmt.Sprintf("the keyring holds no Digital River key for profile %q", p.Name)
		if secErr != nil {
			why = fmt.Sprintf("the keyring could not be read (%s)", strings.TrimSuffix(f.redact(explain.Of(secErr).Summary()), "."))
		}
		return invalidf("nothing was deleted: %s, so webhook %s cannot be deleted; set DRSETUP_DR_API_KEY to the profile's %s key, or %s", why, id, text.Or(p.DRMode, "secret"), keep)
	}
	svc, err := f.Services()
	if err != nil {
		return err
	}
	svc.Redactor().Add(key)
	c, err := svc.DigitalRiver()(key)
	if err != nil {
		var ke *drapi.KeyError
		if errors.As(err, &ke) {
			return invalidf("nothing was deleted: %s", err)
		}
		return err
	}
	if p.DRMode != "" && string(c.Mode()) != p.DRMode {
		return invalidf("nothing was deleted: the Digital River key given is a %s key, and profile %q's webhook is a %s one, which only a %s key sees; set DRSETUP_DR_API_KEY to the profile's %s key", c.Mode(), p.Name, p.DRMode, p.DRMode, p.DRMode)
	}
	store, err := svc.Store()
	if err != nil {
		return err
	}
	sv := svc.stepServices(store)
	err = sv.RemoveWebhook(ctx, c, p.Name, id)
	var gone *drapi.GoneError
	switch {
	case errors.As(err, &gone):
		doctorview.ShowNote(f.IO, fmt.Sprintf("Webhook %s was already gone.", id))
	case err != nil && ctx.Err() != nil:
		return err
	case err != nil:
		return fmt.Errorf("profile %q was kept, so the webhook can be deleted with it later: %s", p.Name, svc.Redactor().Redact(explain.Of(err).Text()))
	default:
		doctorview.ShowNote(f.IO, fmt.Sprintf("Deleted webhook %s; Digital River no longer has it.", id))
	}
	return nil
}

// secretNames names the secrets present.
func secretNames(s profile.Secrets) []string {
	var out []string
	for _, f := range field.All() {
		if !s.Get(f).IsZero() {
			out = append(out, f.Noun())
		}
	}
	return out
}

// recordVerified notes in the saved profile that doctor found its setup
// sound (profiles shows it as LAST VERIFIED): only for a run of the profile
// as saved (no value given over it) that is OK, and only when the file is
// still what was checked. A profile that another run holds is left alone,
// as is one that cannot be written: this is a note, not a result.
func recordVerified(f *factory, rs *runSettings, rep *doctor.Report) {
	if rep.Mode != doctor.ModeProfile || !rep.OK() || rs.Profile == nil {
		return
	}
	for _, fl := range field.All() {
		if src := rs.Settings.Source(fl); src == profile.SourceFlag || src == profile.SourceEnv {
			return
		}
	}
	store, err := f.store()
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	unlock, err := store.Lock(ctx, rs.Name, time.Second, nil)
	if err != nil {
		return
	}
	defer unlock()
	p, err := store.Load(rs.Name)
	if err != nil || p.WebhookID != rs.Profile.WebhookID || !p.LastSetup.Equal(rs.Profile.LastSetup) || !maps.Equal(p.Values, rs.Profile.Values) {
		return
	}
	p.LastVerified = rep.StartedAt.UTC()
	_ = store.Save(p)
}
