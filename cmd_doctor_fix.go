package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/text"
	"github.com/drsetup/drsetup/ui/doctorview"
	"github.com/drsetup/drsetup/ui/plain"
)

// runDoctorFix is doctor --fix: the checks, the plan of the fixes drsetup
// can make (on stderr), a confirmation, the fixes through steps' writes,
// then the checks again, whose report is the result and the exit status.
func runDoctorFix(f *factory, svc *services, rs *runSettings, o doctor.Options, opts *doctorOptions) error {
	ctx := opts.ctx
	// The second run makes no login the first made: together they stay
	// within one run's lockout budget.
	o.Logins = &doctor.Logins{}
	if store, err := svc.Store(); err == nil {
		o.SavedWebhooks = profilesByWebhook(store)
	}
	check := func() *doctor.Report {
		return doctorview.Check(f.IO, func(progress func(doctor.Event)) *doctor.Report {
			o.Progress = progress
			return doctor.Run(ctx, o)
		})
	}
	rep := check()
	if err := ctx.Err(); err != nil {
		return err
	}
	plan := rep.FixPlan()
	if err := doctorview.ShowPlan(f.IO, plan); err != nil {
		return err
	}
	if len(plan.Fixes) == 0 {
		rep.Record(nil)
		return showDoctor(f, rs, rep, opts)
	}
	n := text.Count(len(plan.Fixes), "change")
	if !opts.yes {
		if !f.IO.CanPrompt() {
			return invalidf("nothing was changed: add --yes to make these %s without a prompt (stdin or stderr is not a terminal, so drsetup cannot ask)", n)
		}
		ok, err := plain.NewPrompter(ctx, f.IO.In, f.IO.ErrOut, !f.IO.IsStdinTTY()).Confirm(fmt.Sprintf("Make these %s?", n), false)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, plain.ErrCancelled), err == nil && !ok:
			fmt.Fprintln(f.IO.ErrOut, "Nothing was changed.")
			rep.Record(nil)
			return showDoctor(f, rs, rep, opts)
		case err != nil:
			return err
		}
	}

	store, err := svc.Store()
	if err != nil {
		return err
	}
	sv := svc.stepServices(store)
	c, err := svc.DigitalRiver()(strings.TrimSpace(o.Settings.Get(field.DRAPIKey)))
	if err != nil {
		return err
	}
	outcomes := doctor.ApplyFixes(ctx, plan, sv, c, rs.Name, func(out doctor.FixOutcome) { doctorview.ShowOutcome(f.IO, out) })
	if err := ctx.Err(); err != nil {
		if sv.Writes.Unfinished() {
			return fmt.Errorf("%w: %w", errFixUnfinished, err)
		}
		return err
	}
	if svc.Demo() {
		doctorview.ShowNote(f.IO, "Demo: the fixes were made in the simulated account, which lives only as long as this run; the checks below see them, the next drsetup --demo does not.")
	}
	if f.IO.CanAnimate() {
		// Without the live view, Check says itself that it checks.
		fmt.Fprintln(f.IO.ErrOut, "Checking again…")
	}
	again := check()
	if err := ctx.Err(); err != nil {
		return err
	}
	again.Record(outcomes)
	return showDoctor(f, rs, again, opts)
}

// showDoctor prints a doctor report, notes a sound one in the profile,
// and ends with its exit status.
func showDoctor(f *factory, rs *runSettings, rep *doctor.Report, opts *doctorOptions) error {
	if err := doctorview.Show(f.IO, rep, opts.jsonOut); err != nil {
		return err
	}
	recordVerified(f, rs, rep)
	if !rep.OK() {
		return &silentError{code: exitFailed}
	}
	return nil
}

// errFixUnfinished marks a doctor --fix stopped while a fix may have been
// reaching Digital River.
var errFixUnfinished = errors.New("stopped while a fix may have been reaching Digital River")

// fixCancelMessage is what a cancelled doctor --fix says last, or "" for
// another command's cancellation.
func fixCancelMessage(err error) string {
	var iw *drapi.IncompleteWriteError
	switch {
	case errors.Is(err, errFixUnfinished):
		return "Cancelled while a fix was being made: the webhook it was changing may have changed at Digital River; run drsetup doctor to see where things stand."
	case errors.As(err, &iw) && iw.WebhookID != "":
		// A delete or an edit of one webhook: explain says which, and how
		// to look.
		return "Cancelled. " + explain.Of(err).Remedy
	}
	return ""
}
