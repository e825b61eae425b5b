package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/drsetup/drsetup/buildinfo"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/iostreams"
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
}

// factory hands each command what it depends on, so tests can build a command
// with fakes (cli/cli's cmdutil.Factory).
type factory struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	Global globalOptions

	// demoDoctor seeds the demo with broken setups for doctor to find.
	demoDoctor bool
	svc        *services
}

// run builds the command tree, runs it and returns the exit code.
func run(ctx context.Context, args []string, io *iostreams.IOStreams, getenv func(string) string) int {
	f := &factory{IO: io, Getenv: getenv}
	root := newRootCmd(f)
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	err := root.ExecuteContext(ctx)
	f.svc.Close()
	if err != nil && strings.HasPrefix(err.Error(), "unknown command") {
		err = usagef("%s", err)
	}
	code := exitCode(ctx, err)
	var se *silentError
	if err != nil && !errors.As(err, &se) {
		switch code {
		case exitCancelled:
			fmt.Fprintln(io.ErrOut, cancelMessage(err))
		case exitUsage:
			fmt.Fprintf(io.ErrOut, "drsetup: %s\n", err)
			if ue := (*usageError)(nil); errors.As(err, &ue) && ue.help {
				fmt.Fprintln(io.ErrOut, "Run 'drsetup --help' for usage.")
			}
		default:
			fmt.Fprintf(io.ErrOut, "drsetup: %s\n", err)
		}
	}
	return code
}

func newRootCmd(f *factory) *cobra.Command {
	g := &f.Global
	setup := newSetupCmd(f)
	var showVersion bool
	root := &cobra.Command{
		Use:   "drsetup",
		Short: "Connect a Salesforce org's Digital River Lightning app to Digital River webhooks",
		Long: `drsetup takes a Salesforce admin through connecting the Digital River
Salesforce Lightning app to Digital River webhooks, checking every value
against Salesforce and Digital River as it is given, and registers the
webhook through the Digital River API. Secrets are kept in the OS keyring.

Run 'drsetup --demo' to try it against a simulated org and account:
nothing leaves this machine.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			// doctor and webhooks list meet, in --demo, an account seeded
			// with the broken setups doctor exists to find.
			f.demoDoctor = cmd.Name() == "doctor" || cmd.Name() == "list"
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
	root.CompletionOptions.HiddenDefaultCmd = true
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
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usagef("%s", err)
	})
	root.AddCommand(setup, newDoctorCmd(f), newWebhooksCmd(f), newProfilesCmd(f), newVersionCmd(f))
	forEachCmd(root, func(c *cobra.Command) {
		c.SilenceErrors, c.SilenceUsage = true, true
		if c.Args != nil {
			args := c.Args
			c.Args = func(cmd *cobra.Command, a []string) error {
				if err := args(cmd, a); err != nil {
					return usagef("%s", err)
				}
				return nil
			}
		}
	})
	return root
}

// resolveGlobal applies the environment to the global flags, after parsing.
func (f *factory) resolveGlobal(cmd *cobra.Command) error {
	g := &f.Global
	g.profile = profile.NameFrom(g.profile, cmd.Flags().Changed("profile"), f.Getenv)
	if !cmd.Flags().Changed("dr-api-url") {
		g.drAPIURL = f.Getenv("DRSETUP_DR_API_URL")
	}
	f.IO.SetNoColor(g.noColor)
	f.IO.SetAccessible(g.accessible)
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
