package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/drsetup/drsetup/buildinfo"
)

func newVersionCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the drsetup version, commit and build",
		Long: `version prints "drsetup VERSION" on its first line, then the commit it was
built from, the build date where known, and the Go version with the OS and
architecture. "drsetup --version" prints the same.`,
		Example: `  drsetup version
  drsetup version | head -n 1   # only "drsetup VERSION", for a script`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeVersion(f.IO.Out, buildinfo.Get())
		},
	}
}

// writeVersion is the contract's version text: "drsetup VERSION" first.
func writeVersion(w io.Writer, in buildinfo.Info) error {
	date := in.Date
	if date == "" {
		date = "unknown"
	}
	_, err := fmt.Fprintf(w, "drsetup %s\ncommit: %s\nbuilt: %s\ngo: %s %s/%s\n", in.Version, in.ShortCommit(), date, in.Go, in.OS, in.Arch)
	return err
}
