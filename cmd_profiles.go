package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/text"
)

// newProfilesCmd builds the profiles commands; listF and deleteF, when set,
// run instead of runProfilesList and runProfilesDelete.
func newProfilesCmd(f *factory, listF func() error, deleteF func(name string) error) *cobra.Command {
	if listF == nil {
		listF = func() error { return runProfilesList(f) }
	}
	if deleteF == nil {
		deleteF = func(name string) error { return runProfilesDelete(f, name) }
	}
	cmd := &cobra.Command{
		Use:     "profiles",
		Aliases: []string{"profile"},
		Short:   "List saved profiles",
		Long: `profiles lists the saved profiles: name, org (its My Domain), environment and
when it was last set up. The profile in use (--profile or DRSETUP_PROFILE,
"default" otherwise) is marked with *.`,
		Example: `  drsetup profiles
  drsetup profiles delete acme-sandbox`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return listF()
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a saved profile and its secrets",
		Long: `delete removes the profile's settings file and every secret drsetup keeps for
it in the keyring. The Digital River webhook itself is left alone.`,
		Example: `  drsetup profiles delete acme-sandbox`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return deleteF(args[0])
		},
	})
	return cmd
}

func runProfilesList(f *factory) error {
	store, err := f.store()
	if err != nil {
		return err
	}
	profiles, listErr := store.List()
	var le *profile.ListError
	if listErr != nil && !errors.As(listErr, &le) {
		return listErr
	}
	if len(profiles) == 0 && listErr == nil {
		fmt.Fprintln(f.IO.ErrOut, `No saved profiles. Run "drsetup setup" to make one.`)
		return nil
	}
	if len(profiles) > 0 {
		tw := tabwriter.NewWriter(f.IO.Out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  NAME\tORG\tENVIRONMENT\tLAST SET UP")
		for _, p := range profiles {
			current := " "
			if p.Name == f.Global.profile {
				current = "*"
			}
			org := text.Or(profileHost(p.Get(field.MyDomain)), "-")
			if p.OrgID != "" {
				org += " (" + p.OrgID + ")"
			}
			last := "-"
			if !p.LastSetup.IsZero() {
				last = p.LastSetup.Local().Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\n", current, p.Name, org, text.Or(p.Get(field.Environment), "-"), last)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	// The profiles that could be read are listed; the damaged files are
	// named, and the exit status says something is wrong.
	return listErr
}

func runProfilesDelete(f *factory, name string) error {
	if err := profile.ValidName(name); err != nil {
		return invalidf("%s", err)
	}
	store, err := f.store()
	if err != nil {
		return err
	}
	// What exists, to say what was removed.
	_, loadErr := store.Load(name)
	hadFile := !errors.Is(loadErr, profile.ErrNotFound)
	secrets, secErr := store.LoadSecrets(name)

	err = store.Delete(name)
	path := store.Path(name)
	var ke *profile.KeyringError
	switch {
	case errors.Is(err, profile.ErrNotFound):
		return unknownProfile(name, store)
	case errors.As(err, &ke) && !hadFile:
		// Without a file the name may be a typo: say so first, since the
		// keyring cannot tell whether it held anything under that name.
		return errors.Join(loadErr, err)
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

// profileHost is the host of a saved My Domain URL.
func profileHost(myDomain string) string {
	u, err := url.Parse(strings.TrimSpace(myDomain))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(myDomain)
	}
	return u.Hostname()
}
