package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// envGroup is one part of `drsetup help environment`.
type envGroup struct {
	title string
	vars  [][2]string // name, what it does
}

// environment is every variable drsetup reads, as `drsetup help environment`
// lists them. A test fails when the code reads a variable missing here.
var environment = []envGroup{
	{"Setup and doctor values (a flag wins over its variable, the variable over the saved profile)", [][2]string{
		{"DRSETUP_PROFILE", `the saved profile to use, as --profile (default "default")`},
		{"DRSETUP_ENVIRONMENT", "production or sandbox, as --environment"},
		{"DRSETUP_TOKEN_ENDPOINT", "the Salesforce token endpoint URL, as --token-endpoint"},
		{"DRSETUP_MY_DOMAIN", "the org's My Domain URL, as --my-domain"},
		{"DRSETUP_AUTH", "password or client-credentials, as --auth"},
		{"DRSETUP_APP", "connected-app or external-client-app (client credentials only), as --app"},
		{"DRSETUP_CLIENT_ID", "the Connected App's consumer key, as --client-id"},
		{"DRSETUP_USERNAME", "the integration user's username, as --username"},
		{"DRSETUP_EVENTS", "comma-separated event types, as --events"},
	}},
	{"Secrets (never flags: flags stay in the shell's history and the process list)", [][2]string{
		{"DRSETUP_CLIENT_SECRET", "the Connected App's consumer secret"},
		{"DRSETUP_PASSWORD", "the integration user's password"},
		{"DRSETUP_SECURITY_TOKEN", "the integration user's security token (empty from a trusted IP range)"},
		{"DRSETUP_DR_API_KEY", "the Digital River secret API key (sk_test_… or sk_live_…)"},
	}},
	{"drsetup itself", [][2]string{
		{"DRSETUP_DR_API_URL", "the Digital River API base URL, as --dr-api-url (default https://api.digitalriver.com)"},
		{"DRSETUP_KEYRING_TIMEOUT", "how long a keyring call may take, a duration such as 15s (default 5s); raise it when the keyring asks to be unlocked"},
		{"DRSETUP_DEMO_SCENARIO", "with --demo, a scenario file describing the simulated org and account to use instead of the built-in one"},
	}},
	{"Terminal", [][2]string{
		{"NO_COLOR", "any value: no colour, as --no-color"},
		{"ACCESSIBLE", "any value: plain prompts, one question per line, as --accessible"},
		{"TERM", "dumb: plain prompts and no colour, never the full-screen UI"},
		{"WAYLAND_DISPLAY", "Linux: set under Wayland, where Ctrl+V in the wizard pastes with wl-paste (elsewhere xclip, xsel or termux-clipboard-get; pbpaste on macOS, PowerShell's Get-Clipboard on Windows)"},
	}},
	{"Network (read by Go's HTTP client)", [][2]string{
		{"HTTPS_PROXY", "the proxy for HTTPS requests, e.g. http://proxy.example.com:8080 (every request drsetup makes is HTTPS)"},
		{"HTTP_PROXY", "the proxy for plain HTTP requests (only the local --demo and tests make any)"},
		{"NO_PROXY", "comma-separated hosts, domains and networks reached without the proxy"},
		{"SSL_CERT_FILE", "Linux: a file of certificate authorities to trust instead of the system's, e.g. a corporate proxy's (macOS and Windows use the system's store, where such a proxy's authority is usually installed already)"},
		{"SSL_CERT_DIR", "Linux: directories of certificate authorities to trust instead of the system's"},
	}},
}

func newEnvironmentTopic() *cobra.Command {
	var b strings.Builder
	b.WriteString("The environment variables drsetup reads.\n")
	width := 0
	for _, g := range environment {
		for _, v := range g.vars {
			width = max(width, len(v[0]))
		}
	}
	for _, g := range environment {
		fmt.Fprintf(&b, "\n%s:\n", strings.Join(wrapWords(g.title, 78), "\n"))
		for _, v := range g.vars {
			lines := wrapWords(v[1], 78-width-4)
			for i, l := range lines {
				name := ""
				if i == 0 {
					name = v[0]
				}
				fmt.Fprintf(&b, "  %-*s  %s\n", width, name, l)
			}
		}
	}
	b.WriteString(`
Profiles are saved in drsetup/profiles under the user's configuration
directory (~/.config, or XDG_CONFIG_HOME, on Linux; ~/Library/Application
Support on macOS; %AppData% on Windows); their secrets only in the OS keyring.
drsetup sends no telemetry and checks for no updates.`)
	return &cobra.Command{
		Use:   "environment",
		Short: "The environment variables drsetup reads",
		Long:  b.String(),
	}
}

// wrapWords breaks text at spaces into lines of at most width columns.
func wrapWords(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// newHelpCmd is `drsetup help [command]`: cobra's, except that a name that
// is neither a command nor a topic is bad usage with the nearest names, not
// "Unknown help topic" and exit 0.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command, or a topic such as environment",
		Long: `help shows the help of a command ("drsetup help doctor" is "drsetup doctor
--help"), or of a topic: "drsetup help environment" lists every environment
variable drsetup reads.`,
		Example: `  drsetup help doctor
  drsetup help webhooks list
  drsetup help environment`,
		Args: cobra.ArbitraryArgs,
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			parent, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, sub := range parent.Commands() {
				if (sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand()) && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil {
				return usagef("%s", err)
			}
			if len(rest) > 0 {
				return unknownCommand(target, rest[0])
			}
			target.InitDefaultHelpFlag()
			return target.Help()
		},
	}
}
