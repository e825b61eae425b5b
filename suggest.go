package main

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/text"
)

// maxSuggestions bounds a "did you mean": past a few, the list stops helping.
const maxSuggestions = 3

// nearest returns the candidates a typo of typed most likely meant, closest
// first: those within two edits of it (one for a name of up to four
// letters, where two edits reach nearly anything), ignoring case, and those
// it is the start of. Every "did you mean" uses it: commands, flags, help
// topics, shells, profiles.
func nearest(typed string, candidates []string) []string {
	typed = strings.ToLower(typed)
	if typed == "" {
		return nil
	}
	maxEdits := 2
	if len([]rune(typed)) <= 4 {
		maxEdits = 1
	}
	type scored struct {
		name string
		d    int
	}
	var found []scored
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := editDistance(typed, lc)
		switch {
		case d <= maxEdits:
		case strings.HasPrefix(lc, typed):
			d = maxEdits + 1 // a prefix is a weaker guess than a near miss
		default:
			continue
		}
		if !slices.ContainsFunc(found, func(s scored) bool { return s.name == c }) {
			found = append(found, scored{c, d})
		}
	}
	slices.SortStableFunc(found, func(a, b scored) int { return a.d - b.d })
	var out []string
	for _, s := range found[:min(len(found), maxSuggestions)] {
		out = append(out, s.name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// didYouMean is cobra's "Did you mean this?" block for a usage message, or
// "" without suggestions.
func didYouMean(suggestions []string) string {
	if len(suggestions) == 0 {
		return ""
	}
	return "\n\nDid you mean this?\n\t" + strings.Join(suggestions, "\n\t") + "\n"
}

// pastedKey is the usage error for a Digital River API key given as an
// argument, nil when args hold none: the message shows it masked, not
// whole as an unknown command would, and says where keys go.
func pastedKey(args []string) error {
	for _, a := range args {
		// Anything that starts as a key does is taken for one, mistyped
		// or not, so it is never repeated whole.
		k := strings.TrimSpace(a)
		if _, err := drapi.ClassifyKey(k); err == nil || strings.HasPrefix(k, "pk_") || strings.HasPrefix(k, "sk_") || strings.HasPrefix(k, "rk_") {
			return usagef("%s is a Digital River API key, and keys are never arguments (arguments stay in the shell's history and the process list): set DRSETUP_DR_API_KEY, or save it in a profile with drsetup setup", secret.Mask(k))
		}
	}
	return nil
}

// unknownCommand is the usage error for a name that is none of cmd's
// subcommands, suggesting the nearest (aliases and help topics count).
func unknownCommand(cmd *cobra.Command, name string) error {
	if err := pastedKey([]string{name}); err != nil {
		return err
	}
	byName := map[string]string{}
	var names []string
	for _, c := range cmd.Commands() {
		if c.Hidden || (!c.IsAvailableCommand() && !c.IsAdditionalHelpTopicCommand() && c.Name() != "help") {
			continue
		}
		for _, n := range append([]string{c.Name()}, c.Aliases...) {
			byName[n] = c.Name()
			names = append(names, n)
		}
	}
	var suggest []string
	for _, n := range nearest(name, names) {
		if canonical := byName[n]; !slices.Contains(suggest, canonical) {
			suggest = append(suggest, canonical)
		}
	}
	return usagef("unknown command %q for %q%s", name, cmd.CommandPath(), didYouMean(suggest))
}

// flagError is the usage error for a flag cobra could not parse: an unknown
// flag names the nearest that exists, and a secret given as a flag says
// where secrets go instead.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if ive := (*pflag.InvalidValueError)(nil); errors.As(err, &ive) {
		fl := ive.GetFlag()
		if fl.Value.Type() == "bool" {
			return usagef("--%s takes no value (or =true, =false), not %q", fl.Name, ive.GetValue())
		}
		why := fmt.Sprint(errors.Unwrap(err))
		if ne := (*strconv.NumError)(nil); errors.As(err, &ne) || strings.HasPrefix(why, "time:") {
			// The parsers' own words name no flag: the flag's usage does.
			why = fl.Usage
		}
		return usagef("--%s: %q is not a valid value: %s", fl.Name, ive.GetValue(), why)
	}
	typed, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		// "-json" is read as the shorthands -j -s -o -n: the long name was meant.
		_, single, found := strings.Cut(msg, "unknown shorthand flag: ")
		if !found {
			return usagef("%s", msg)
		}
		_, typed, ok = strings.Cut(single, " in -")
		if !ok {
			return usagef("%s", msg)
		}
	}
	typed, _, _ = strings.Cut(typed, "=")
	for _, f := range field.All() {
		if f.Secret() && typed == strings.ReplaceAll(string(f), "_", "-") {
			return usagef("%s: secrets are never flags (flags stay in the shell's history and the process list); set %s, or let drsetup ask for it", msg, f.EnvVar())
		}
	}
	var names []string
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if !fl.Hidden {
			names = append(names, fl.Name)
		}
	})
	suggest := nearest(typed, names)
	for i, s := range suggest {
		suggest[i] = "--" + s
	}
	return usagef("%s%s", msg, didYouMean(suggest))
}

// unknownProfile is the usage error for a profile named on the command line
// or in DRSETUP_PROFILE that is not saved, naming the nearest saved ones.
func unknownProfile(name string, store *profile.Store) error {
	saved, _ := store.List() // damaged files are reported elsewhere
	var names []string
	for _, p := range saved {
		names = append(names, p.Name)
	}
	msg := fmt.Sprintf("there is no saved profile named %q", name)
	switch near := nearest(name, names); {
	case len(near) > 0:
		msg += fmt.Sprintf("; did you mean %s? (\"drsetup profiles\" lists the saved ones)", quoteJoin(near))
	case len(names) > 0 && len(names) <= maxSuggestions:
		msg += fmt.Sprintf("; the saved ones are %s", quoteJoin(names))
	case len(names) > 0:
		msg += fmt.Sprintf("; \"drsetup profiles\" lists the %d saved ones", len(names))
	default:
		msg += "; none is saved yet: run \"drsetup setup\" to make one"
	}
	return invalidf("%s", msg)
}

// quoteJoin quotes each name and joins them as "a", "b" or "c".
func quoteJoin(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// checkNamedProfile refuses, as bad usage, a profile the user named (with
// --profile or DRSETUP_PROFILE) that is not saved: a typo must not quietly
// check something else. The default profile may be missing: then the
// values given are checked instead.
func (f *factory) checkNamedProfile(rs *runSettings) error {
	if !f.Global.profileNamed || rs.Profile != nil || rs.ProfileErr != nil {
		return nil
	}
	store, err := f.store()
	if err != nil {
		return err
	}
	return unknownProfile(rs.Name, store)
}

// argCounts are cobra's words for a wrong number of arguments.
var argCounts = regexp.MustCompile(`^(?:accepts (\d+) arg\(s\), received (\d+)|requires at least (\d+) arg\(s\), only received (\d+))$`)

// argsError words cobra's refusal of a command's arguments as a usage error
// that shows the command's usage line; any other error is returned as it is.
func argsError(cmd *cobra.Command, err error) error {
	m := argCounts.FindStringSubmatch(fmt.Sprint(err))
	if cmd == nil || err == nil || m == nil {
		return err
	}
	what := "an argument is missing"
	if m[1] != "" && m[2] != "0" {
		what = fmt.Sprintf("it takes %s, not %s", text.Count(atoi(m[1]), "argument"), m[2])
	}
	return usagef("%s: %s; usage: %s", cmd.CommandPath(), what, cmd.UseLine())
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
