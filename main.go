// Command drsetup connects a Salesforce org running the Digital River
// Salesforce Lightning app to Digital River webhooks, and diagnoses a setup
// that stopped working. This file is wiring only: it reads the command line,
// builds the streams and the signal context, runs the command and turns its
// outcome into an exit code.
package main

import (
	"context"
	"os"

	"github.com/drsetup/drsetup/iostreams"
)

func main() {
	ctx, sigs := notifySignals(context.Background())
	code := guardPanic(sigs.restore, os.Stderr, func() int {
		return run(ctx, os.Args[1:], iostreams.System(), os.Getenv)
	})
	code = sigs.exitCode(code)
	sigs.stop()
	os.Exit(code)
}
