// Command drsetup connects a Salesforce org running the Digital River
// Salesforce Lightning app to Digital River webhooks, and diagnoses a setup
// that stopped working. This file is wiring only: it reads the command line,
// builds the streams and the signal context, runs the command and turns its
// outcome into an exit code.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/drsetup/drsetup/iostreams"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, newFactory(iostreams.System(), os.Getenv), os.Args[1:])
	stop()
	os.Exit(code)
}
