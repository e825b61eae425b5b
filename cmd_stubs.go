package main

import (
	"errors"

	"github.com/spf13/cobra"
)

var errNotBuilt = errors.New("this command is not built yet")

func newSetupCmd(f *factory) *cobra.Command {
	var v valueFlags
	var noInput, yes, jsonOut bool
	cmd := &cobra.Command{
		Use:   "setup",
		Short: "Set up the Digital River webhook for a Salesforce org (the wizard)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errNotBuilt
		},
	}
	v.register(cmd.Flags())
	cmd.Flags().BoolVar(&noInput, "no-input", false, "never prompt: take every value from flags and DRSETUP_* variables")
	cmd.Flags().BoolVar(&yes, "yes", false, "register without asking for confirmation")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the result as JSON on stdout")
	return cmd
}

func newDoctorCmd(f *factory) *cobra.Command {
	var v valueFlags
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check a setup and say what is wrong",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errNotBuilt
		},
	}
	v.register(cmd.Flags())
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the report as JSON on stdout")
	return cmd
}

func newWebhooksCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{Use: "webhooks", Short: "Inspect the Digital River webhooks of a key", Args: cobra.NoArgs}
	var jsonOut bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the Digital River webhooks of the key (DRSETUP_DR_API_KEY or the profile's)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errNotBuilt
		},
	}
	list.Flags().BoolVar(&jsonOut, "json", false, "print the list as JSON on stdout")
	cmd.AddCommand(list)
	return cmd
}

func newProfilesCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List saved profiles",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errNotBuilt
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a saved profile and its secrets",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return errNotBuilt
		},
	})
	return cmd
}
