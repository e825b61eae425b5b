package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// topicArgs refuses words after a help topic (drsetup environment extra):
// cobra shows a topic without looking at what follows it, so a mistyped
// command line would otherwise print the topic and exit 0.
func topicArgs(root *cobra.Command, args []string) error {
	c, rest, err := root.Find(args)
	if err != nil || c == root || c.Runnable() || c.HasSubCommands() {
		return nil
	}
	for _, a := range rest {
		if !strings.HasPrefix(a, "-") {
			return usagef("%q is a help topic and takes no arguments, but was given %q; run drsetup %s alone", c.Name(), a, c.Name())
		}
	}
	return nil
}
