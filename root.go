package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/drsetup/drsetup/buildinfo"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
)

// globalOptions are the flags every command takes.
type globalOptions struct {
	profile      string
	demo         bool
	noColor      bool
	accessible   bool
	debugLog     string
	drAPIURL     string
	allowAnyHost bool
	// profileNamed: the profile was named (--profile or DRSETUP_PROFILE),
	// so a missing one is a mistake rather than a first run.
	profileNamed bool
}

// helpHint follows only a mistake in the command line itself; a message
// that says what to do stands alone. It names the command the mistake was
// made in (hintFor).
const helpHint = "--help' for usage."

// hintFor is helpHint for the command at path ("drsetup webhooks get").
func hintFor(path string) string { return "Run '" + path + " " + helpHint }

// run builds the command tree over f, runs it and returns the exit code,
// after telling the user what failed (once, here, for every command).
func run(ctx context.Context, f *factory, args []string) int {
	io := f.IO
	root := newRootCmd(f)
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	hintPath := root.CommandPath()
	err := topicArgs(root, args)
	if err == nil {
		var cmd *cobra.Command
		cmd, err = root.ExecuteContextC(ctx)
		if cmd != nil {
			hintPath = cmd.CommandPath()
		}
		err = argsError(cmd, err)
	}
	f.close()
	if err != nil && strings.HasPrefix(err.Error(), "unknown command") {
		err = usagef("%s", err)
	}
	code := exitCode(ctx, err)
	var se *silentError
	if err != nil && !errors.As(err, &se) {
		switch code {
		case exitCancelled:
			fmt.Fprintln(io.ErrOut, cancelMessage(err, hintPath))
		case exitUsage:
			fmt.Fprintf(io.ErrOut, "drsetup: %s\n", err)
			if ue := (*usageError)(nil); errors.As(err, &ue) && ue.help {
				fmt.Fprintln(io.ErrOut, hintFor(hintPath))
			}
		default:
			// Every other failure is told once, here, in the user's words.
			fmt.Fprintf(io.ErrOut, "drsetup: %s\n", f.redact(explain.Of(err).Text()))
		}
	}
	return code
}

func newRootCmd(f *factory) *cobra.Command {
	g := &f.Global
	setup := newSetupCmd(f, nil)
	var showVersion bool
	root := &cobra.Command{
		Use:   "drsetup",
		Short: "Connect a Salesforce org's Digital River Lightning app to Digital River webhooks",
		Long: `drsetup takes a Salesforce admin through connecting the Digital River
Salesforce Lightning app to Digital River webhooks, checking every value
against Salesforce and Digital River as it is given, and registers the
webhook through the Digital River API. Secrets are kept in the OS keyring.

Run 'drsetup --demo' to try it against a simulated org and account:
nothing leaves this machine. 'drsetup help environment' lists the variables
it reads. It sends no telemetry and checks for no updates.

Exit codes: 0 done or all checks pass, 1 a check failed or a service
refused, 2 bad usage or invalid input, 130 cancelled (Ctrl+C, SIGINT,
SIGTERM or SIGQUIT), 129 ended by SIGHUP.`,
		Example: `  drsetup --demo                 # the wizard, against the simulator
  drsetup                        # the wizard (drsetup setup)
  drsetup doctor                 # check the saved setup
  drsetup webhooks list --json   # the key's webhooks, for a script
  drsetup --version`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			// doctor and the webhooks commands meet, in --demo, an account
			// seeded with the broken setups doctor exists to find.
			f.demoDoctor = cmd.Name() == "doctor" || cmd.HasParent() && cmd.Parent().Name() == "webhooks"
			return f.resolveGlobal(cmd)
		},
		// `drsetup` alone is `drsetup setup`, with setup's flags.
		RunE: func(cmd *cobra.Command, args []string) error {
			if showVersion {
				return writeVersion(f.IO.Out, buildinfo.Get())
			}
			return setup.RunE(cmd, args)
		},
	}
	root.Flags().AddFlagSet(setup.LocalFlags())
	// --version prints what `drsetup version` prints.
	root.Flags().BoolVar(&showVersion, "version", false, "print the drsetup version, commit and build (as drsetup version does)")
	// drsetup's own completion command (completion.go): one with examples,
	// listed in help, whose typos are usage errors like every command's.
	root.CompletionOptions.DisableDefaultCmd = true
	pf := root.PersistentFlags()
	pf.StringVar(&g.profile, "profile", "", "saved profile `NAME` to use (env DRSETUP_PROFILE; default \"default\")")
	pf.BoolVar(&g.demo, "demo", false, "run against the built-in simulated Salesforce org and Digital River account; nothing leaves the machine")
	pf.BoolVar(&g.noColor, "no-color", false, "no colour in the output (also NO_COLOR set to any value)")
	pf.BoolVar(&g.accessible, "accessible", false, "plain prompts, one question per line, for screen readers (also ACCESSIBLE set to any value)")
	pf.StringVar(&g.debugLog, "debug-log", "", "write a redacted trace of every HTTP exchange and check to `FILE`")
	pf.StringVar(&g.drAPIURL, "dr-api-url", "", "Digital River API base `URL` (env DRSETUP_DR_API_URL; default https://api.digitalriver.com)")
	pf.BoolVar(&g.allowAnyHost, "allow-any-host", false, "let credentials go to hosts outside the Salesforce and Digital River domains (special clouds, tests)")

	// With --demo, help ends with the demo's values and traps.
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(cmd *cobra.Command, args []string) {
		defaultHelp(cmd, args)
		if demo, _ := cmd.Flags().GetBool("demo"); demo {
			fmt.Fprintln(cmd.OutOrStdout(), demoHelp())
		}
	})
	root.SetFlagErrorFunc(flagError)
	root.SetHelpCommand(newHelpCmd())
	root.AddCommand(setup, newDoctorCmd(f, nil), newWebhooksCmd(f, nil), newProfilesCmd(f, nil, nil), newVersionCmd(f),
		newCompletionCmd(), newEnvironmentTopic())
	forEachCmd(root, func(c *cobra.Command) {
		c.SilenceErrors, c.SilenceUsage = true, true
		if c.Args != nil {
			args := c.Args
			c.Args = func(cmd *cobra.Command, a []string) error {
				if err := args(cmd, a); err != nil {
					if err := pastedKey(a); err != nil {
						return err
					}
					// An argument where a subcommand goes is a typo of one.
					if cmd.HasAvailableSubCommands() && len(a) > 0 {
						return unknownCommand(cmd, a[0])
					}
					return usagef("%s", err)
				}
				return nil
			}
		}
	})
	registerCompletions(root, f)
	return root
}

// resolveGlobal applies the environment to the global flags, after parsing.
func (f *factory) resolveGlobal(cmd *cobra.Command) error {
	g := &f.Global
	g.profileNamed = cmd.Flags().Changed("profile") || f.Getenv("DRSETUP_PROFILE") != ""
	g.profile = profile.NameFrom(g.profile, cmd.Flags().Changed("profile"), f.Getenv)
	if !cmd.Flags().Changed("dr-api-url") {
		g.drAPIURL = f.Getenv("DRSETUP_DR_API_URL")
	}
	f.IO.SetNoColor(g.noColor)
	f.IO.SetAccessible(g.accessible)
	if cmd.Flags().Changed("debug-log") && strings.TrimSpace(g.debugLog) == "" {
		// An empty variable in a script: a trace asked for and not written.
		return usagef("--debug-log needs a file name (a new file: drsetup will not overwrite one)")
	}
	return nil
}

// valueFlags are the setup values setup and doctor both take as flags: one
// per field of the registry that is not a secret. Secrets are deliberately
// absent: flags land in shell history and the process list.
type valueFlags map[field.Field]*string

func newValueFlags(fs *pflag.FlagSet) valueFlags {
	v := valueFlags{}
	for _, f := range field.All() {
		if name := f.FlagName(); name != "" {
			v[f] = fs.String(name, "", f.Usage())
		}
	}
	return v
}

// given returns the values whose flags were set.
func (v valueFlags) given(fs *pflag.FlagSet) map[field.Field]string {
	m := map[field.Field]string{}
	for f, val := range v {
		if fs.Changed(f.FlagName()) {
			m[f] = *val
		}
	}
	return m
}

func forEachCmd(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		forEachCmd(sub, fn)
	}
}
