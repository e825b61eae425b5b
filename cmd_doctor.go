package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/ui/doctorview"
)

// doctorOptions are what doctor's flags set.
type doctorOptions struct {
	values  valueFlags
	jsonOut bool
	since   sinceFlag
	ctx     context.Context
	given   map[field.Field]string // the value flags given
}

// newDoctorCmd builds the doctor command; runF, when set, runs instead of
// runDoctor (tests check the flags apart from the run).
func newDoctorCmd(f *factory, runF func(*doctorOptions) error) *cobra.Command {
	opts := &doctorOptions{}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check a setup and say what is wrong",
		Long: `doctor runs every check a Digital River webhook setup depends on and prints
a checklist: pass, warn, fail or skip, each with its finding and, for warn and
fail, what to do.

It checks the profile named by --profile (default "default"), with flags and
DRSETUP_* variables over its values; without a saved profile, the values given
as flags and variables; with only DRSETUP_DR_API_KEY, every webhook of the key
addressed to the app's endpoint, replaying the login Digital River makes with
the settings stored in each. It makes at most one Salesforce login per set of
credentials.

Exit status: 0 when nothing failed (warnings allowed), 1 when a check failed
or the run was incomplete (a value it needed was missing: the report names
each and where to give it), 2 for bad usage, 130 when cancelled.`,
		Example: `  drsetup doctor
  drsetup doctor --profile acme-sandbox --json
  DRSETUP_DR_API_KEY=sk_test_… drsetup doctor
  drsetup doctor --demo`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx, opts.given = cmd.Context(), opts.values.given(cmd.Flags())
			if runF != nil {
				return runF(opts)
			}
			return runDoctor(f, opts)
		},
	}
	opts.values = newValueFlags(cmd.Flags())
	cmd.Flags().BoolVar(&opts.jsonOut, "json", false, "print the report as JSON on stdout")
	cmd.Flags().Var(&opts.since, "since", "how far back the delivery checks look: 7d or 30d")
	return cmd
}

func runDoctor(f *factory, opts *doctorOptions) error {
	svc, err := f.Services()
	if err != nil {
		return err
	}
	rs, err := svc.resolve(opts.given, nil)
	if err != nil {
		return err
	}
	if err := f.checkNamedProfile(rs); err != nil {
		return err
	}
	set := rs.Settings
	if bad := steps.CheckGiven(set); len(bad) > 0 {
		return invalidf("%s", strings.Join(bad, "\n"))
	}
	if svc.Demo() && set.Get(field.DRAPIKey) == "" {
		// `drsetup doctor --demo` works with nothing else given.
		set.Set(field.DRAPIKey, emulator.Demo.DRKey, profile.SourceDefault)
	}
	if note := steps.IgnoredNote(set); note != "" {
		fmt.Fprintln(f.IO.ErrOut, note)
	}
	mode := doctor.ModeOf(rs.Profile, set)
	if mode == doctor.ModeNone && rs.ProfileErr == nil {
		return invalidf("nothing to check: there is no saved profile named %q, and no values were given.\n"+
			"Run \"drsetup setup\" to make one; or give the setup's values (--my-domain, --client-id, --username,\n"+
			"DRSETUP_CLIENT_SECRET, DRSETUP_PASSWORD, DRSETUP_DR_API_KEY, …); or only DRSETUP_DR_API_KEY to check the key's webhooks", rs.Name)
	}

	store, err := svc.Store()
	if err != nil {
		return err
	}
	o := doctor.Options{
		Profile:      rs.Name,
		Saved:        rs.Profile,
		ProfilePath:  store.Path(rs.Name),
		ProfileErr:   rs.ProfileErr,
		KeyringErr:   rs.KeyringErr,
		Settings:     set,
		Salesforce:   svc.Salesforce(),
		DigitalRiver: svc.DigitalRiver(),
		AllowAnyHost: f.Global.allowAnyHost,
		Redactor:     svc.Redactor(),
		Log:          svc.Log(),
		Window:       opts.since.window,
	}
	if svc.Demo() {
		fmt.Fprintln(f.IO.ErrOut, "Demo: simulated orgs and Digital River account, with broken setups; nothing leaves this machine.")
	}

	ctx := opts.ctx
	rep := doctorview.Check(f.IO, func(progress func(doctor.Event)) *doctor.Report {
		o.Progress = progress
		return doctor.Run(ctx, o)
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := doctorview.Show(f.IO, rep, opts.jsonOut); err != nil {
		return err
	}
	if !rep.OK() {
		return &silentError{code: exitFailed}
	}
	return nil
}
