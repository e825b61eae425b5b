package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/iostreams"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
	"github.com/drsetup/drsetup/ui/doctorview"
	"github.com/drsetup/drsetup/ui/theme"
)

// doctorOptions are what doctor's flags set.
type doctorOptions struct {
	values  valueFlags
	jsonOut bool
}

func newDoctorCmd(f *factory) *cobra.Command {
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

Exit status: 0 when nothing failed (warnings allowed), 1 when a check failed,
2 for bad usage, 130 when cancelled.`,
		Example: `  drsetup doctor
  drsetup doctor --profile acme-sandbox --json
  DRSETUP_DR_API_KEY=sk_test_… drsetup doctor
  drsetup doctor --demo`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDoctor(cmd, f, opts)
		},
	}
	opts.values.register(cmd.Flags())
	cmd.Flags().BoolVar(&opts.jsonOut, "json", false, "print the report as JSON on stdout")
	return cmd
}

func runDoctor(cmd *cobra.Command, f *factory, opts *doctorOptions) error {
	if err := checkDoctorValues(cmd.Flags(), &opts.values, f.Getenv); err != nil {
		return err
	}
	svc, err := f.Services()
	if err != nil {
		return err
	}
	rs, err := svc.resolve(cmd, &opts.values, nil)
	if err != nil {
		return err
	}
	set := rs.Settings
	if svc.Demo() && set.Get(profile.FieldDRAPIKey) == "" {
		// `drsetup doctor --demo` works with nothing else given.
		set.Set(profile.FieldDRAPIKey, emulator.Demo.DRKey, profile.SourceDefault)
	}
	if note := unusedValuesNote(set); note != "" {
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
	}
	if svc.Demo() {
		fmt.Fprintln(f.IO.ErrOut, "Demo: simulated orgs and Digital River account, with broken setups; nothing leaves this machine.")
	}

	ctx := cmd.Context()
	dark := true
	if f.IO.ColorEnabled() || f.IO.StdoutColorEnabled() {
		dark = doctorview.DarkBackground(f.IO.In, f.IO.ErrOut)
	}
	var rep *doctor.Report
	if f.IO.IsStderrTTY() && !f.IO.Accessible() {
		color := f.IO.ColorEnabled()
		st := theme.New(dark, color)
		prof := theme.Profile(f.IO.ErrOut, os.Environ(), color)
		rep = doctorview.Run(f.IO.ErrOut, st, prof, f.IO.TerminalWidth(), func(progress func(doctor.Event)) *doctor.Report {
			o.Progress = progress
			return doctor.Run(ctx, o)
		})
	} else {
		if f.IO.IsStderrTTY() {
			fmt.Fprintln(f.IO.ErrOut, "Checking the setup…")
		}
		rep = doctor.Run(ctx, o)
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	if err := printDoctorReport(f.IO, rep, opts.jsonOut, dark); err != nil {
		return err
	}
	if !rep.OK() {
		return &silentError{code: exitFailed}
	}
	return nil
}

// printDoctorReport writes the report on stdout: JSON with --json; on a
// terminal the checklist in colour (bold only with NO_COLOR); piped, plain
// text without any escape code, to paste into a ticket.
func printDoctorReport(io *iostreams.IOStreams, rep *doctor.Report, jsonOut, dark bool) error {
	if jsonOut {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	if !io.IsStdoutTTY() {
		w := theme.Writer(io.Out, colorprofile.NoTTY)
		return doctorview.Render(w, rep, doctorview.Options{Styles: theme.New(dark, false), Width: doctorview.DefaultWidth, KeepLongWords: true})
	}
	color := io.StdoutColorEnabled()
	w := theme.Writer(io.Out, theme.Profile(io.Out, os.Environ(), color))
	return doctorview.Render(w, rep, doctorview.Options{Styles: theme.New(dark, color), Width: io.TerminalWidth()})
}

// unusedValuesNote names the values given on the command line or in
// variables that client credentials do not use, which doctor ignores.
func unusedValuesNote(set profile.Settings) string {
	if flow, err := sfcheck.ParseFlow(set.Get(profile.FieldAuth)); err != nil || flow != sfcheck.FlowClientCredentials {
		return ""
	}
	var unused []string
	for _, f := range []profile.Field{profile.FieldUsername, profile.FieldPassword, profile.FieldSecurityToken} {
		switch set.Source(f) {
		case profile.SourceFlag:
			unused = append(unused, steps.Flag(f))
		case profile.SourceEnv:
			unused = append(unused, profile.EnvVar(f))
		}
	}
	if len(unused) == 0 {
		return ""
	}
	return fmt.Sprintf("Note: %s ignored: with client credentials Digital River logs in as the connected app's Run As user.", strings.Join(unused, ", ")+pluralVerb(len(unused)))
}

func pluralVerb(n int) string {
	if n == 1 {
		return " is"
	}
	return " are"
}

// checkDoctorValues refuses, as invalid input, an environment or authentication
// method given on the command line or in a variable that is none of the
// known ones, and unknown event types: a support engineer's typo should not
// read as a broken setup. Values from a saved profile are checked as
// findings instead.
func checkDoctorValues(fs *pflag.FlagSet, v *valueFlags, getenv func(string) string) error {
	value := func(flag string, fl string, field profile.Field) (string, string, bool) {
		if fs.Changed(flag) {
			return fl, "--" + flag, true
		}
		if e := strings.TrimSpace(getenv(profile.EnvVar(field))); e != "" {
			return e, profile.EnvVar(field), true
		}
		return "", "", false
	}
	var bad []string
	if s, from, ok := value("environment", v.environment, profile.FieldEnvironment); ok {
		if _, err := sfcheck.ParseEnvironment(s); err != nil {
			bad = append(bad, fmt.Sprintf("%s: %s", from, err))
		}
	}
	if s, from, ok := value("auth", v.auth, profile.FieldAuth); ok {
		if _, err := sfcheck.ParseFlow(s); err != nil {
			bad = append(bad, fmt.Sprintf("%s: %s", from, err))
		}
	}
	if s, from, ok := value("events", v.events, profile.FieldEvents); ok {
		var unknown []string
		for _, e := range strings.Split(s, ",") {
			if e = strings.TrimSpace(e); e != "" && !drapi.IsKnownEvent(e) {
				unknown = append(unknown, e)
			}
		}
		if len(unknown) > 0 {
			bad = append(bad, fmt.Sprintf("%s: unknown event type %s; the app handles %s", from, strings.Join(unknown, ", "), strings.Join(drapi.AppEvents, ", ")))
		}
	}
	bad = append(bad, implausibleValues(value, v)...)
	if len(bad) > 0 {
		return invalidf("%s", strings.Join(bad, "\n"))
	}
	return nil
}

// implausibleValues refuses text values that no one typed: a Client ID over
// 255 bytes, and any value with bytes that are not UTF-8 or with control
// characters, which would reach a terminal or a request as they are.
func implausibleValues(value func(flag, fl string, field profile.Field) (string, string, bool), v *valueFlags) []string {
	var bad []string
	for _, c := range []struct {
		flag, fl string
		field    profile.Field
	}{
		{"client-id", v.clientID, profile.FieldClientID},
		{"username", v.username, profile.FieldUsername},
		{"my-domain", v.myDomain, profile.FieldMyDomain},
		{"token-endpoint", v.tokenEndpoint, profile.FieldTokenEndpoint},
	} {
		s, from, ok := value(c.flag, c.fl, c.field)
		switch {
		case !ok:
		case !utf8.ValidString(s):
			bad = append(bad, from+": holds bytes that are not text; type or paste the value again")
		case !text.Printable(strings.TrimSpace(s)):
			bad = append(bad, from+": holds control characters (a terminal escape, a tab or a line break); type or paste the value again")
		case c.field == profile.FieldClientID && len(s) > 255:
			bad = append(bad, fmt.Sprintf("%s: is %d bytes long, but a consumer key is under 100 characters; copy the Consumer Key again", from, len(s)))
		}
	}
	return bad
}
