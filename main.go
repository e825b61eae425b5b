// Command drsetup connects a Salesforce org running the Digital River
// Salesforce Lightning app to Digital River webhooks, and diagnoses a setup
// that stopped working. This file is wiring only: it reads the command line,
// builds the streams and the signal context, runs the command and turns its
// outcome into an exit code.
package main

import (
	"context"
	"os"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/iostreams"
)

func main() {
	getenv := takeSecretsFromEnv(os.Getenv, os.Unsetenv)
	ctx, sigs := notifySignals(context.Background())
	code := guardPanic(sigs.restore, os.Stderr, func() int {
		return run(ctx, newFactory(iostreams.System(), getenv), os.Args[1:])
	})
	code = sigs.exitCode(code)
	sigs.stop()
	os.Exit(code)
}

// takeSecretsFromEnv reads the secrets' DRSETUP_* variables once and removes
// them from the process environment, so no child process inherits them: the
// keyring's D-Bus library starts dbus-launch with the whole environment when
// no session bus is set (SSH sessions, CI machines). The returned getenv
// serves the secrets from memory and everything else from getenv.
func takeSecretsFromEnv(getenv func(string) string, unsetenv func(string) error) func(string) string {
	taken := map[string]string{}
	for _, f := range field.All() {
		if !f.Secret() {
			continue
		}
		name := f.EnvVar()
		taken[name] = getenv(name)
		unsetenv(name)
	}
	return func(name string) string {
		if v, ok := taken[name]; ok {
			return v
		}
		return getenv(name)
	}
}
