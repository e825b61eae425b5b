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
	fix     bool // --fix: make the fixes drsetup can, then check again
	yes     bool // --yes: make them without asking
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

With --fix it then lists every fix it can make, one line each (which
webhook, what changes, why): a Lightning or wrong address moved to the My
Domain's endpoint, missing event types added, a disabled webhook enabled
once it can deliver, the duplicates of an org deleted (keeping the webhook
the profile names, else the oldest whose stored login works), the stored
login replaced by the run's once a login with it worked, a password-grant
webhook moved to client credentials with --auth client-credentials. It
never creates a webhook. It asks first (--yes makes them without asking;
without a terminal and without --yes it changes nothing and exits 2), makes
each through the same writes as setup, read back, then checks again and
exits with the result of that second run. What it cannot fix stays in the
report with its remedy.

Exit status: 0 when nothing failed (warnings allowed), 1 when a check failed
or the run was incomplete (a value it needed was missing: the report names
each and where to give it), 2 for bad usage, 130 when cancelled.`,
		Example: `  drsetup doctor
  drsetup doctor --profile acme-sandbox --json
  DRSETUP_DR_API_KEY=sk_test_… drsetup doctor
  drsetup doctor --fix
  DRSETUP_DR_API_KEY=sk_test_… drsetup doctor --fix --yes --json
  drsetup doctor --demo --fix`,
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
	cmd.Flags().BoolVar(&opts.fix, "fix", false, "make the fixes drsetup can (it lists them and asks first), then check again")
	cmd.Flags().BoolVar(&opts.yes, "yes", false, "with --fix: make the fixes without asking")
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
	if opts.yes && !opts.fix {
		fmt.Fprintln(f.IO.ErrOut, "Note: --yes does nothing without --fix; doctor alone changes nothing.")
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
	if opts.fix {
		return runDoctorFix(f, svc, rs, o, opts)
	}
	rep := doctorview.Check(f.IO, func(progress func(doctor.Event)) *doctor.Report {
		o.Progress = progress
		return doctor.Run(ctx, o)
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	return showDoctor(f, rs, rep, opts)
}
