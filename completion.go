package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/sfcheck"
)

// shells are the shells drsetup writes completion scripts for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

func newCompletionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script for bash, zsh, fish or PowerShell",
		Long: `completion prints a script that lets the shell complete drsetup's commands,
flags and values: --environment, --auth, --events (one event type after
another, comma-separated), and --profile with the names of the saved profiles.
Completing never reads the keyring and never goes on the network.

Load it once in the current shell, or install it for every new one:

  bash        source <(drsetup completion bash)
              drsetup completion bash > /etc/bash_completion.d/drsetup
              (Homebrew: > "$(brew --prefix)/etc/bash_completion.d/drsetup")
  zsh         drsetup completion zsh > "${fpath[1]}/_drsetup"
              (Homebrew: > "$(brew --prefix)/share/zsh/site-functions/_drsetup";
              completion must be on: autoload -U compinit; compinit)
  fish        drsetup completion fish > ~/.config/fish/completions/drsetup.fish
  PowerShell  drsetup completion powershell | Out-String | Invoke-Expression
              (add that line to $PROFILE to keep it)

Start a new shell afterwards.`,
		Example: `  source <(drsetup completion bash)
  drsetup completion zsh > "${fpath[1]}/_drsetup"
  drsetup completion fish > ~/.config/fish/completions/drsetup.fish
  drsetup completion powershell | Out-String | Invoke-Expression`,
		ValidArgs:             shells,
		DisableFlagsInUseLine: true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("name one shell: drsetup completion bash, zsh, fish or powershell")
			}
			if !slices.Contains(shells, args[0]) {
				return usagef("no completion script for the shell %q: drsetup has them for bash, zsh, fish and powershell%s", args[0], didYouMean(nearest(args[0], shells)))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, out := cmd.Root(), cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			default:
				return root.GenPowerShellCompletionWithDesc(out)
			}
		},
	}
}

// flagValues are the completions of the flags whose values are a fixed set:
// each the value and what it means. A flag is completed on every command
// that has it, so a flag added later (--app) is completed once it exists.
var flagValues = map[string][]cobra.Completion{
	"environment": {
		cobra.CompletionWithDesc(string(sfcheck.Production), "a production org: login.salesforce.com"),
		cobra.CompletionWithDesc(string(sfcheck.Sandbox), "a sandbox: test.salesforce.com"),
	},
	"auth": {
		cobra.CompletionWithDesc(string(sfcheck.FlowPassword), "the integration user's username and password (the guide's way)"),
		cobra.CompletionWithDesc(string(sfcheck.FlowClientCredentials), "the app's Run As user, through the org's My Domain"),
	},
	"app": {
		cobra.CompletionWithDesc("connected-app", "a Connected App holds the consumer key (step 10 of the guide)"),
		cobra.CompletionWithDesc("external-client-app", "an External Client App holds it (new orgs since Spring '26)"),
	},
}

// registerCompletions gives the value flags of every command in the tree
// their completions.
func registerCompletions(root *cobra.Command, f *factory) {
	funcs := map[string]cobra.CompletionFunc{
		"profile": func(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return savedProfileNames(cmd, f), cobra.ShellCompDirectiveNoFileComp
		},
		"events": completeEvents,
	}
	for name, values := range flagValues {
		funcs[name] = cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
	}
	registerArgCompletions(root, f)
	forEachCmd(root, func(c *cobra.Command) {
		for name, fn := range funcs {
			if c.Flag(name) == nil {
				continue
			}
			// Commands share flags (the root takes setup's, every command
			// the persistent ones): one registration serves them all.
			if _, done := c.GetFlagCompletionFunc(name); !done {
				c.RegisterFlagCompletionFunc(name, fn)
			}
		}
	})
}

// completeEvents completes a comma-separated list of the app's event types:
// the types already given stay, and the last one is completed from those
// not given yet.
func completeEvents(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	given, last := "", toComplete
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		given, last = toComplete[:i+1], toComplete[i+1:]
	}
	chosen := strings.Split(given, ",")
	var out []cobra.Completion
	for _, e := range drapi.AppEvents {
		if strings.HasPrefix(e, last) && !slices.Contains(chosen, e) {
			out = append(out, given+e)
		}
	}
	// No space after a type: another may follow the comma.
	return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

// savedProfileNames are the names of the saved profiles, read from their
// files only: completing never starts the demo or the debug log, and never
// asks the keyring (which may pop up an unlock prompt at a Tab press).
func savedProfileNames(cmd *cobra.Command, f *factory) []cobra.Completion {
	if demo, _ := cmd.Flags().GetBool("demo"); demo {
		return nil // the demo's profiles live only as long as one run
	}
	store := f.ProfileNames()
	if store == nil {
		return nil
	}
	saved, _ := store.List()
	var names []cobra.Completion
	for _, p := range saved {
		desc := httpx.Host(p.Get(field.MyDomain))
		if env := p.Get(field.Environment); env != "" {
			desc = strings.TrimSpace(fmt.Sprintf("%s (%s)", desc, env))
		}
		names = append(names, cobra.CompletionWithDesc(p.Name, desc))
	}
	return names
}

// profileNamesStore is the profile store completion reads names from: the
// settings directory with an in-memory keyring behind it, which the OS
// keyring never sees.
func profileNamesStore() *profile.Store {
	dir, err := profile.DefaultDir()
	if err != nil {
		return nil
	}
	return profile.NewStore(dir, profile.MemoryKeyring())
}

// registerArgCompletions completes the arguments that name something
// saved: profiles delete NAME from the saved profiles, and webhooks get and
// delete ID from the webhooks the saved profiles name. Completing reads
// files only: it never asks Digital River (a Tab press must not send the
// key anywhere) or the keyring.
func registerArgCompletions(root *cobra.Command, f *factory) {
	forEachCmd(root, func(c *cobra.Command) {
		if !c.HasParent() {
			return
		}
		switch parent := c.Parent().Name(); {
		case parent == "profiles" && c.Name() == "delete":
			c.ValidArgsFunction = func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return savedProfileNames(cmd, f), cobra.ShellCompDirectiveNoFileComp
			}
		case parent == "webhooks" && (c.Name() == "get" || c.Name() == "delete"):
			c.ValidArgsFunction = func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
				return savedWebhookIDs(cmd, f, args), cobra.ShellCompDirectiveNoFileComp
			}
		}
	})
}

// savedWebhookIDs are the webhooks the saved profiles name, each described
// by its profile, leaving out those already given.
func savedWebhookIDs(cmd *cobra.Command, f *factory, given []string) []cobra.Completion {
	if demo, _ := cmd.Flags().GetBool("demo"); demo {
		return nil
	}
	store := f.ProfileNames()
	if store == nil {
		return nil
	}
	saved, _ := store.List()
	var ids []string
	names := map[string][]string{}
	for _, p := range saved {
		if id := p.WebhookID; id != "" && !slices.Contains(given, id) {
			if names[id] == nil {
				ids = append(ids, id)
			}
			names[id] = append(names[id], p.Name)
		}
	}
	var out []cobra.Completion
	for _, id := range ids {
		out = append(out, cobra.CompletionWithDesc(id, "profile "+strings.Join(names[id], ", ")))
	}
	return out
}
