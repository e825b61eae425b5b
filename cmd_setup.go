package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
	"github.com/drsetup/drsetup/ui"
	"github.com/drsetup/drsetup/ui/plain"
	"github.com/drsetup/drsetup/ui/theme"
)

// setupOptions are what setup's flags set, and the run's context.
type setupOptions struct {
	ctx     context.Context
	values  valueFlags
	given   map[field.Field]string // the value flags given
	noInput bool
	yes     bool
	json    bool
}

// newSetupCmd builds the setup command; runF, when set, runs instead of
// runSetup (tests check the flags apart from the run).
func newSetupCmd(f *factory, runF func(*setupOptions) error) *cobra.Command {
	o := &setupOptions{}
	cmd := &cobra.Command{
		Use:   "setup",
		Short: "Set up the Digital River webhook for a Salesforce org (the wizard)",
		Long: `Set up the Digital River webhook for a Salesforce org.

On a terminal this is a full-screen wizard; with --accessible (or ACCESSIBLE
set) plain prompts, one question per line; with --no-input, or when stdin or
stderr is not a terminal, no prompts: every value comes from flags and
DRSETUP_* variables (secrets only from variables: DRSETUP_CLIENT_SECRET,
DRSETUP_PASSWORD, DRSETUP_SECURITY_TOKEN, DRSETUP_DR_API_KEY).`,
		Example: `  drsetup setup
  drsetup setup --profile acme-sandbox --environment sandbox
  drsetup setup --accessible
  DRSETUP_CLIENT_SECRET=… DRSETUP_PASSWORD=… DRSETUP_DR_API_KEY=sk_test_… drsetup setup --no-input --yes --json --my-domain https://acme.my.salesforce.com --client-id 3MVG9… --username integration@acme.com`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ctx, o.given = cmd.Context(), o.values.given(cmd.Flags())
			if runF != nil {
				return runF(o)
			}
			return runSetup(f, o)
		},
	}
	o.values = newValueFlags(cmd.Flags())
	cmd.Flags().BoolVar(&o.noInput, "no-input", false, "never prompt: take every value from flags and DRSETUP_* variables")
	cmd.Flags().BoolVar(&o.yes, "yes", false, "register without asking for confirmation")
	cmd.Flags().BoolVar(&o.json, "json", false, "print the result as JSON on stdout")
	return cmd
}

// demoHelp lists the demo's values and traps for `drsetup --demo --help`
// (and every command's help with --demo).
func demoHelp() string {
	var b strings.Builder
	b.WriteString("\n\nWith --demo, type these values (the simulated org and account accept them):\n")
	for _, kv := range demoValues() {
		fmt.Fprintf(&b, "  %-28s %s\n", kv[0], kv[1])
	}
	b.WriteString("Traps to try:\n")
	for _, t := range emulator.Demo.Traps() {
		fmt.Fprintf(&b, "  - %s\n", t)
	}
	return strings.TrimRight(b.String(), "\n")
}

func demoValues() [][2]string {
	d := emulator.Demo
	return [][2]string{
		{"Environment", "Production"},
		{"My Domain URL", d.MyDomain},
		{"Client ID", d.ClientID},
		{"Client Secret", d.ClientSecret},
		{"Username", d.Username},
		{"Password", d.Password},
		{"Security token", d.SecurityToken},
		{"Digital River key", d.DRKey},
	}
}

func runSetup(f *factory, o *setupOptions) error {
	ctx := o.ctx
	svc, err := f.Services()
	if err != nil {
		return err
	}
	rs, err := svc.resolve(o.given, nil)
	if err != nil {
		return err
	}
	if rs.ProfileErr != nil {
		return fmt.Errorf("%w; drsetup will not overwrite it: fix the file, or remove the profile with drsetup profiles delete %s", rs.ProfileErr, rs.Name)
	}
	var notes []string // told on stderr, and on the wizard's first screen
	if rs.KeyringErr != nil {
		notes = append(notes, fmt.Sprintf("The saved secrets could not be read, so they must be typed again: %s", text.Sentence(rs.KeyringErr.Error())))
	}
	s := steps.FromSettings(rs.Name, rs.Settings)
	s.AllowAnyHost = f.Global.allowAnyHost
	if note := steps.IgnoredNote(rs.Settings); note != "" {
		notes = append(notes, strings.TrimPrefix(note, "Note: "))
	}
	if note := steps.TokenNote(rs.Settings, s); note != "" {
		notes = append(notes, strings.TrimPrefix(note, "Note: "))
	}
	for _, n := range notes {
		fmt.Fprintln(f.IO.ErrOut, "Note: "+n)
	}

	store, err := svc.Store()
	if err != nil {
		return err
	}
	sv := svc.stepServices(store)
	sv.SF = svc.Salesforce()
	if svc.Demo() && f.Global.drAPIURL != "" {
		fmt.Fprintln(f.IO.ErrOut, "Note: --demo ignores --dr-api-url; the simulated Digital River account answers instead.")
	}

	if !o.noInput && (f.IO.CanDrawUI() || f.IO.Accessible()) {
		// Unattended setup names these with every other bad value; the
		// wizard and the prompts would quietly pick something else.
		if bad := steps.CheckGiven(rs.Settings); len(bad) > 0 {
			return invalidf("%s", strings.Join(bad, "\n"))
		}
	}
	var res *steps.Result
	switch {
	case o.noInput:
		res, err = unattended(ctx, f, sv, s, o)
	case f.IO.CanDrawUI():
		res, err = wizard(ctx, f, svc, sv, s, rs, notes)
	case f.IO.Accessible():
		res, err = accessible(ctx, f, svc, sv, s, rs, o)
	default:
		fmt.Fprintln(f.IO.ErrOut, "stdin or stderr is not a terminal, so drsetup runs without prompts (as with --no-input); use --accessible for plain prompts.")
		res, err = unattended(ctx, f, sv, s, o)
	}
	if err != nil && (errors.Is(err, errCancelled) || ctx.Err() != nil) && sv.Writes.Unfinished() {
		// Stopped with a write perhaps at Digital River already: say so,
		// not that nothing was saved.
		err = fmt.Errorf("%w: %w", errWriteUnfinished, err)
	}
	if err != nil {
		return err
	}
	if o.json {
		b, err := json.Marshal(res)
		if err != nil {
			return err
		}
		fmt.Fprintln(f.IO.Out, string(b))
	}
	return nil
}

func wizard(ctx context.Context, f *factory, svc *services, sv *steps.Services, s steps.Setup, rs *runSettings, notes []string) (*steps.Result, error) {
	var demo *ui.DemoInfo
	if svc.Demo() {
		demo = &ui.DemoInfo{Values: demoValues(), Traps: emulator.Demo.Traps()}
	}
	res, err := ui.RunWizard(ctx, ui.WizardOptions{
		In: f.IO.In, Out: f.IO.ErrOut, Color: f.IO.ColorEnabled(),
		Services: sv, Initial: s, Existing: rs.Profile, Demo: demo, Redactor: svc.Redactor(), Notes: notes,
	})
	if errors.Is(err, ui.ErrCancelled) {
		return nil, errCancelled
	}
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(theme.Writer(f.IO.ErrOut, theme.Profile(f.IO.ErrOut, os.Environ(), f.IO.ColorEnabled())),
		ui.Summary(res, theme.New(true, f.IO.ColorEnabled()), f.IO.TerminalWidth()-1))
	return res, nil
}

func accessible(ctx context.Context, f *factory, svc *services, sv *steps.Services, s steps.Setup, rs *runSettings, o *setupOptions) (*steps.Result, error) {
	var demo []string
	if svc.Demo() {
		demo = append(demo, "Demo: a simulated Salesforce org and Digital River account; nothing leaves this machine. Values to type:")
		for _, kv := range demoValues() {
			demo = append(demo, kv[0]+": "+kv[1])
		}
	}
	res, err := plain.Run(ctx, plain.Options{
		In: f.IO.In, Out: f.IO.ErrOut, ReadSecret: f.IO.SecretReader(),
		Services: sv, Initial: s, Existing: rs.Profile, Demo: demo, Redactor: svc.Redactor(), Yes: o.yes,
		Piped: !f.IO.IsStdinTTY(),
	})
	var ended *plain.InputEndedError
	switch {
	case errors.Is(err, plain.ErrCancelled):
		return nil, errCancelled
	case errors.As(err, &ended):
		return nil, invalidf("%s", err)
	}
	return res, err
}

// unattended runs the setup with no prompt: the same checks as the wizard in
// the same order, then the same plan and registration.
func unattended(ctx context.Context, f *factory, sv *steps.Services, s steps.Setup, o *setupOptions) (*steps.Result, error) {
	w := f.IO.ErrOut
	noted := map[string]bool{}
	note := func(p steps.Problem) {
		if !noted[p.String()] {
			noted[p.String()] = true
			fmt.Fprintf(w, "Note: %s\n", p)
		}
	}
	var bad []string
	for _, p := range steps.Validate(s) {
		if !p.Blocking {
			note(p)
			continue
		}
		line := fmt.Sprintf("  %s (%s): %s", p.Field.Label(), p.Field.Where(), p)
		switch {
		case p.Suggestion == "" || strings.Contains(p.String(), p.Suggestion):
		case p.Field.Flag() != "":
			// As it is given here: the flag and its value.
			line += fmt.Sprintf(" Give %s %s.", p.Field.Flag(), p.Suggestion)
		default:
			line += fmt.Sprintf(" Use %s.", p.Suggestion)
		}
		bad = append(bad, line)
	}
	if len(bad) > 0 {
		return nil, invalidf("these values are missing or invalid:\n%s", strings.Join(bad, "\n"))
	}

	sv.OnStage = func(st steps.Stage) { fmt.Fprintf(w, "%s…\n", st) }
	v, err := sv.VerifySalesforce(ctx, s)
	if err != nil {
		return nil, err
	}
	var blocking []string
	for _, p := range v.Problems {
		if p.Blocking {
			blocking = append(blocking, "  "+p.String())
		} else {
			if p.Field == field.SecurityToken {
				p.Remedy += " For this run, set " + field.SecurityToken.EnvVar() + "."
			}
			note(p)
		}
	}
	if len(blocking) > 0 {
		return nil, fmt.Errorf("the Salesforce check found what would stop events from arriving:\n%s", strings.Join(blocking, "\n"))
	}
	kc, err := sv.CheckKey(ctx, s)
	if err != nil {
		return nil, err
	}
	for _, p := range kc.Problems {
		note(p)
	}
	plan := kc.Plan
	for _, l := range sv.ReviewLines(s, plan, kc.Mode) {
		fmt.Fprintln(w, l)
	}
	if plan.Action != drapi.ActionUnchanged && !o.yes {
		return nil, invalidf("nothing was changed: add --yes to register the webhook without a prompt")
	}
	res, err := sv.Register(ctx, s, plan, v)
	if err != nil {
		return nil, err
	}
	for _, l := range res.Lines() {
		fmt.Fprintln(w, l)
	}
	return res, nil
}

// errWriteUnfinished marks a setup stopped after a write may have reached
// Digital River.
var errWriteUnfinished = errors.New("stopped after a write may have reached Digital River")

// cancelMessage is what a cancelled run of the command at path says last:
// what is known of what it wrote. A setup saves; the other commands change
// Digital River or the profiles, or nothing.
func cancelMessage(err error, path string) string {
	if msg := fixCancelMessage(err); msg != "" {
		return msg
	}
	if errors.Is(err, errWriteUnfinished) {
		return "Cancelled: " + explain.WriteUnfinished + "."
	}
	switch path {
	case "drsetup", "drsetup setup":
		return "Cancelled; nothing was saved."
	case "drsetup webhooks delete", "drsetup profiles delete":
		// Deletions go one by one, each said as it is made.
		return "Cancelled; each deletion made is said above, and one under way may have been made too: drsetup webhooks list shows what is left."
	}
	return "Cancelled; nothing was changed."
}
