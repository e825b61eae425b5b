// Package plain is drsetup's accessible mode: the setup as plain prompts, one
// question per line, in the wizard's order and with its checks and messages,
// numbered choices, hidden secret entry, and progress as text lines. No
// colour, no cursor movement, no spinner: usable through a screen reader and
// by a script that answers the prompts through a pipe.
package plain

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/text"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
)

// Options configure a run.
type Options struct {
	In  io.Reader // answers, one per line
	Out io.Writer // questions and progress: stderr

	// ReadSecret reads one secret without echoing it. Nil reads a line from
	// In, as when a script answers through a pipe.
	ReadSecret func(ctx context.Context) (string, error)

	Services *steps.Services
	Initial  steps.Setup
	Existing *profile.Profile // the saved profile of this name, if any
	Demo     []string         // lines about the demo, shown first
	Redactor *secret.Redactor // learns every secret typed
	Yes      bool             // register without asking
}

// ErrCancelled is returned when the admin answers "q" or the context ends.
var ErrCancelled = errors.New("setup cancelled")

// InputEndedError is returned when the answers run out before the setup is
// complete: a script gave too few lines.
type InputEndedError struct{ Question string }

func (e *InputEndedError) Error() string {
	return fmt.Sprintf("the answers ended before the setup was complete (at %q); give one line per question, or use --no-input with flags and DRSETUP_* variables", e.Question)
}

type run struct {
	o   Options
	ctx context.Context
	// The line reader reads a line only when asked, so that nothing else
	// is reading stdin while ReadSecret reads a hidden line from the
	// terminal itself.
	ask1  chan struct{}
	lines chan lineOrErr
	s     steps.Setup
	// verified is the Salesforce check's result for the credentials in
	// verifiedFor; another check runs only when they change.
	verified    *steps.Verified
	verifiedFor sfcheck.Credentials
}

type lineOrErr struct {
	line string
	err  error
}

// Run asks the questions and registers the webhook.
func Run(ctx context.Context, o Options) (*steps.Result, error) {
	r := &run{o: o, ctx: ctx, s: o.Initial, ask1: make(chan struct{}), lines: make(chan lineOrErr)}
	// Lines are read on their own goroutine so that a signal can end a run
	// that is waiting for an answer.
	go func() {
		br := bufio.NewReader(o.In)
		for {
			select {
			case <-r.ask1:
			case <-ctx.Done():
				return
			}
			l, err := br.ReadString('\n')
			msg := lineOrErr{line: strings.TrimRight(l, "\r\n")}
			if l == "" && err != nil {
				msg = lineOrErr{err: err}
			}
			select {
			case r.lines <- msg:
			case <-ctx.Done():
				return
			}
		}
	}()
	return r.all()
}

func (r *run) say(format string, a ...any) { fmt.Fprintf(r.o.Out, format+"\n", a...) }

// ask prints a question and returns the answer; "" keeps the default.
func (r *run) ask(question string) (string, error) {
	fmt.Fprintf(r.o.Out, "%s ", question)
	select {
	case <-r.ctx.Done():
		r.say("")
		return "", ErrCancelled
	case r.ask1 <- struct{}{}:
	}
	select {
	case <-r.ctx.Done():
		r.say("")
		return "", ErrCancelled
	case l := <-r.lines:
		if l.err != nil {
			r.say("")
			return "", &InputEndedError{Question: question}
		}
		if strings.EqualFold(strings.TrimSpace(l.line), "q") {
			return "", ErrCancelled
		}
		return l.line, nil
	}
}

func (r *run) askSecret(question string) (string, error) {
	if r.o.ReadSecret == nil {
		v, err := r.ask(question)
		r.o.Redactor.Add(v)
		return v, err
	}
	fmt.Fprintf(r.o.Out, "%s ", question)
	v, err := r.o.ReadSecret(r.ctx)
	r.say("")
	if err != nil {
		if r.ctx.Err() != nil {
			return "", ErrCancelled
		}
		return "", err
	}
	r.o.Redactor.Add(v)
	return v, nil
}

// yesNo asks a yes-or-no question; def is the answer to an empty line.
func (r *run) yesNo(question string, def bool) (bool, error) {
	hint := "y or n, Enter for no"
	if def {
		hint = "y or n, Enter for yes"
	}
	for {
		a, err := r.ask(fmt.Sprintf("%s (%s):", question, hint))
		if err != nil {
			return false, err
		}
		switch strings.ToLower(strings.TrimSpace(a)) {
		case "":
			return def, nil
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		r.say("Please answer y or n.")
	}
}

// choose asks for one of numbered options and returns its index.
func (r *run) choose(question string, options []string, def int) (int, error) {
	r.say("%s", question)
	for i, o := range options {
		r.say("  %d. %s", i+1, o)
	}
	for {
		a, err := r.ask(fmt.Sprintf("Choose 1 to %d (Enter keeps %d):", len(options), def+1))
		if err != nil {
			return 0, err
		}
		a = strings.TrimSpace(a)
		if a == "" {
			return def, nil
		}
		if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(options) {
			return n - 1, nil
		}
		r.say("%q is not one of the choices; type a number from 1 to %d.", a, len(options))
	}
}

func (r *run) all() (*steps.Result, error) {
	r.say("drsetup: connect the Digital River Salesforce Lightning app to Digital River webhooks.")
	for _, l := range r.o.Demo {
		r.say("%s", l)
	}
	r.say("Answer each question and press Enter. Enter alone keeps the value shown in brackets. Type q to quit; nothing is saved until the webhook is registered.")
	if p := r.o.Existing; p != nil {
		keep, err := r.yesNo(fmt.Sprintf("A saved setup %q exists for %s. Reconfigure it, keeping its values as defaults?", p.Name, text.Or(p.Get(field.MyDomain), "an unknown org")), true)
		if err != nil {
			return nil, err
		}
		if !keep {
			r.s = steps.Defaults(r.s.Profile)
		}
	}
	id := steps.Environment
	for {
		var (
			next steps.ID
			err  error
		)
		switch id {
		case steps.Environment:
			next, err = r.environment()
		case steps.MyDomain:
			next, err = r.myDomain()
		case steps.Auth:
			next, err = r.auth()
		case steps.ConnectedApp, steps.User:
			next, err = r.fields(id)
		case steps.VerifySalesforce:
			next, err = r.verify()
		case steps.DRKey:
			next, err = r.key()
		case steps.Events:
			next, err = r.events()
		case steps.Review:
			return r.review()
		default:
			next = r.s.Next(id)
		}
		if err != nil {
			return nil, err
		}
		id = next
	}
}

func (r *run) heading(id steps.ID) {
	n, total := r.s.Numbered(id)
	r.say("")
	r.say("Step %d of %d: %s.", n, total, id.Title())
}

func (r *run) environment() (steps.ID, error) {
	r.heading(steps.Environment)
	r.say("%s", field.Environment.Help())
	opts := []string{
		"Production (" + sfcheck.ProductionTokenURL + ")",
		"Sandbox (" + sfcheck.SandboxTokenURL + ")",
		"The org's own My Domain token endpoint (https://<My Domain>/services/oauth2/token)",
	}
	choices := []steps.TokenChoice{steps.TokenProduction, steps.TokenSandbox, steps.TokenMyDomain}
	def := slices.Index(choices, r.s.Token)
	if def < 0 {
		def = 0
	}
	i, err := r.choose("Which token endpoint should Digital River log in at?", opts, def)
	if err != nil {
		return 0, err
	}
	r.s.Token = choices[i]
	if r.s.Token != steps.TokenMyDomain {
		r.s.Environment = sfcheck.Environment(r.s.Token)
	}
	return steps.MyDomain, nil
}

func (r *run) myDomain() (steps.ID, error) {
	r.heading(steps.MyDomain)
	r.say("%s", field.MyDomain.Help())
	for {
		v, err := r.ask(fmt.Sprintf("My Domain URL%s:", current(r.s.MyDomain)))
		if err != nil {
			return 0, err
		}
		if strings.TrimSpace(v) != "" {
			r.s.MyDomain = v
		}
		ok, err := r.settle(steps.MyDomain)
		if err != nil {
			return 0, err
		}
		if ok {
			r.say("The webhook's Endpoint URL will be %s", r.s.EndpointURL())
			return steps.Auth, nil
		}
	}
}

// settle shows the step's problems, offers each suggestion, and reports
// whether the step may be left.
func (r *run) settle(id steps.ID) (bool, error) {
	for _, p := range steps.Check(r.s, id) {
		if !p.Blocking {
			r.say("Note: %s", p)
			continue
		}
		r.say("Problem: %s", p)
		if p.Suggestion != "" {
			use, err := r.yesNo(fmt.Sprintf("Use %s for %s instead?", p.Suggestion, strings.ToLower(p.Target().Label())), true)
			if err != nil {
				return false, err
			}
			if use && p.Apply(&r.s) {
				return r.settle(id)
			}
		}
		if p.Target() == field.Environment || p.Target() == field.TokenEndpoint {
			if _, err := r.environment(); err != nil {
				return false, err
			}
			return r.settle(id)
		}
		return false, nil
	}
	return true, nil
}

func (r *run) auth() (steps.ID, error) {
	r.heading(steps.Auth)
	r.say("%s", field.Auth.Help())
	flows := []sfcheck.Flow{sfcheck.FlowPassword, sfcheck.FlowClientCredentials}
	def := max(slices.Index(flows, r.s.Auth), 0)
	i, err := r.choose("How should Digital River log in to Salesforce?", []string{
		"Username and password (what the guide describes)",
		"Client credentials (the Connected App's Run As user)",
	}, def)
	if err != nil {
		return 0, err
	}
	r.s.Auth = flows[i]
	if r.s.UsesMyDomainTokenForFlow() {
		r.say("Note: the client credentials flow needs the org's own token endpoint, so Digital River will use %s.", r.s.TokenURL())
	}
	ok, err := r.settle(steps.Auth)
	if err != nil || !ok {
		return steps.Auth, err
	}
	return steps.ConnectedApp, nil
}

// fields asks for each value of a step (Connected App, Integration user).
func (r *run) fields(id steps.ID) (steps.ID, error) {
	r.heading(id)
	for _, f := range steps.FieldsOf(id) {
		r.say("%s", f.Help())
		for {
			if err := r.askField(f); err != nil {
				return 0, err
			}
			ps := steps.CheckField(r.s, f)
			r.report(ps)
			if !steps.Blocking(ps) {
				break
			}
		}
	}
	return r.s.Next(id), nil
}

func (r *run) askField(f field.Field) error {
	label := f.Label()
	cur := r.s.Value(f)
	if f.Secret() {
		keep := ""
		if cur != "" {
			keep = ", Enter keeps the saved one"
		}
		if f == field.SecurityToken && cur == "" {
			keep = ", Enter for none"
		}
		v, err := r.askSecret(fmt.Sprintf("%s (typing is hidden%s):", label, keep))
		if err != nil {
			return err
		}
		if v != "" {
			r.s.SetValue(f, v)
		}
		return nil
	}
	v, err := r.ask(fmt.Sprintf("%s%s:", label, current(cur)))
	if err != nil {
		return err
	}
	if v = strings.TrimSpace(v); v != "" {
		r.s.SetValue(f, v)
	}
	return nil
}

// report says each problem on a line, as a note or a problem.
func (r *run) report(ps []steps.Problem) {
	for _, p := range ps {
		kind := "Note"
		if p.Blocking {
			kind = "Problem"
		}
		r.say("%s: %s", kind, p)
	}
}

// explain says why a step's work failed, in the service's words first.
func (r *run) explain(err error) steps.Failure {
	f := steps.Explain(err)
	r.say("failed.")
	if f.Said != "" {
		r.say("Salesforce answered: %s", f.Said)
	}
	r.say("%s", f.Meaning)
	if f.Remedy != "" {
		r.say("What to do: %s", f.Remedy)
	}
	return f
}

// progress prints a stage as a line of its own, then "done" or the failure.
func (r *run) progress() func(steps.Stage) {
	return func(s steps.Stage) { r.say("%s…", s) }
}

func (r *run) verify() (steps.ID, error) {
	r.heading(steps.VerifySalesforce)
	if r.verified != nil && r.verifiedFor == r.s.Credentials() {
		r.say("The Salesforce login was already checked with these values.")
		return steps.DRKey, nil
	}
	r.say("drsetup will log in to Salesforce once, exactly as Digital River will, then read the user and probe the Apex endpoint without side effects.")
	r.o.Services.OnStage = r.progress()
	v, err := r.o.Services.VerifySalesforce(r.ctx, r.s)
	r.o.Services.OnStage = nil
	if r.ctx.Err() != nil {
		return 0, ErrCancelled
	}
	if err != nil {
		return r.failed(err, steps.VerifySalesforce)
	}
	r.say("done.")
	r.say("Logged in to org %s as user %s at %s.", v.OrgID(), v.UserID(), v.InstanceURL())
	if v.Probe.OK {
		r.say("The Apex endpoint answered: %s", v.Probe.Finding)
	}
	for _, p := range v.Problems {
		if !p.Blocking {
			r.say("Note: %s", p)
			continue
		}
		r.say("Problem: %s", p)
	}
	if steps.Blocking(v.Problems) {
		p := v.Problems[slices.IndexFunc(v.Problems, func(p steps.Problem) bool { return p.Blocking })]
		if p.Suggestion != "" {
			use, err := r.yesNo(fmt.Sprintf("Use %s for %s instead?", p.Suggestion, strings.ToLower(p.Target().Label())), true)
			if err != nil {
				return 0, err
			}
			if use && p.Apply(&r.s) {
				return steps.VerifySalesforce, nil
			}
		}
		goOn, err := r.yesNo("Go on anyway? Events will not reach Salesforce until this is fixed", false)
		if err != nil || !goOn {
			return r.fixStep(p.Field, steps.VerifySalesforce, err)
		}
	}
	r.verified, r.verifiedFor = v, r.s.Credentials()
	return steps.DRKey, nil
}

// failed explains a failed check and asks what to change.
func (r *run) failed(err error, at steps.ID) (steps.ID, error) {
	f := r.explain(err)
	return r.fixStep(f.Field, at, nil)
}

// fixStep asks whether to go back to the step of the value most likely
// wrong, to try again, or to quit.
func (r *run) fixStep(f field.Field, at steps.ID, err error) (steps.ID, error) {
	if err != nil {
		return 0, err
	}
	opts := []string{"Try again with the same values", "Quit"}
	targets := []steps.ID{at, -1}
	if f != "" {
		id := steps.StepOf(f)
		opts = append([]string{fmt.Sprintf("Change the %s (step %s)", strings.ToLower(f.Label()), id.Title())}, opts...)
		targets = append([]steps.ID{id}, targets...)
	}
	i, err := r.choose("What now?", opts, 0)
	if err != nil {
		return 0, err
	}
	if targets[i] < 0 {
		return 0, ErrCancelled
	}
	if targets[i] == at && at == steps.VerifySalesforce {
		r.say("Note: repeated failed logins count towards locking the user out.")
	}
	return targets[i], nil
}

func (r *run) key() (steps.ID, error) {
	r.heading(steps.DRKey)
	r.say("%s", field.DRAPIKey.Help())
	for {
		if err := r.askField(field.DRAPIKey); err != nil {
			return 0, err
		}
		ps := steps.Check(r.s, steps.DRKey)
		r.report(ps)
		if !steps.Blocking(ps) {
			break
		}
	}
	r.o.Services.OnStage = r.progress()
	kc, err := r.o.Services.CheckKey(r.ctx, r.s)
	r.o.Services.OnStage = nil
	if r.ctx.Err() != nil {
		return 0, ErrCancelled
	}
	var dup *drapi.DuplicatesError
	if err != nil && !errors.As(err, &dup) {
		return r.failed(err, steps.DRKey)
	}
	r.say("done.")
	if dup != nil {
		r.say("Note: %s", dup.Error())
		return steps.Events, nil
	}
	r.say("The key works (%s mode).", kc.Mode)
	if t := kc.Plan.Target; t != nil {
		r.say("This org already has webhook %s at %s; it will be updated, not duplicated.", t.ID, t.Address)
	}
	return steps.Events, nil
}

func (r *run) events() (steps.ID, error) {
	r.heading(steps.Events)
	r.say("%s", field.Events.Help())
	r.say("Selected: %s.", strings.Join(r.s.Events, ", "))
	for {
		keep, err := r.yesNo("Keep these event types?", true)
		if err != nil {
			return 0, err
		}
		if !keep {
			v, err := r.ask("Type the event types to send, separated by commas:")
			if err != nil {
				return 0, err
			}
			var ev []string
			for _, e := range strings.Split(v, ",") {
				if e = strings.TrimSpace(e); e != "" && !slices.Contains(ev, e) {
					ev = append(ev, e)
				}
			}
			r.s.Events = ev
		}
		ps := steps.Check(r.s, steps.Events)
		r.report(ps)
		if !steps.Blocking(ps) {
			return steps.Review, nil
		}
	}
}

func (r *run) review() (*steps.Result, error) {
	for {
		r.heading(steps.Review)
		r.o.Services.OnStage = r.progress()
		plan, err := r.o.Services.Plan(r.ctx, r.s)
		r.o.Services.OnStage = nil
		if r.ctx.Err() != nil {
			return nil, ErrCancelled
		}
		if err != nil {
			r.explain(err)
			again, err := r.yesNo("Look again?", true)
			if err != nil {
				return nil, err
			}
			if !again {
				return nil, ErrCancelled
			}
			continue
		}
		r.say("done.")
		for _, l := range ReviewLines(r.s, plan) {
			r.say("%s", l)
		}
		if plan.Action != drapi.ActionUnchanged && !r.o.Yes {
			ok, err := r.yesNo("Register the webhook now?", false)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, ErrCancelled
			}
		}
		r.o.Services.OnStage = r.progress()
		res, err := r.o.Services.Register(r.ctx, r.s, plan, r.verified)
		r.o.Services.OnStage = nil
		if r.ctx.Err() != nil {
			return nil, ErrCancelled
		}
		if err != nil {
			r.explain(err)
			return nil, err
		}
		r.say("done.")
		for _, l := range ResultLines(res) {
			r.say("%s", l)
		}
		return res, nil
	}
}

// ReviewLines is everything that will be sent, secrets masked, and the plan.
func ReviewLines(s steps.Setup, plan drapi.Plan) []string {
	spec := s.Spec()
	lines := []string{
		"Endpoint URL: " + spec.Address,
		"Token endpoint: " + spec.OAuth.TokenEndPoint,
		"Authentication: " + authName(s.Auth),
		"Client ID: " + spec.OAuth.ClientID,
		"Client Secret: " + secret.Masked,
	}
	if s.Auth != sfcheck.FlowClientCredentials {
		lines = append(lines, "Username: "+spec.OAuth.UserName, "Password and security token: "+secret.Masked)
	}
	lines = append(lines,
		"Digital River key: "+secret.Mask(s.DRAPIKey.Reveal()),
		"Event types: "+strings.Join(spec.Types, ", "),
	)
	switch plan.Action {
	case drapi.ActionCreate:
		lines = append(lines, "Plan: create a new webhook.")
	case drapi.ActionUnchanged:
		lines = append(lines, fmt.Sprintf("Plan: nothing to change; webhook %s already matches.", plan.Target.ID))
	case drapi.ActionUpdate:
		lines = append(lines, fmt.Sprintf("Plan: update webhook %s:", plan.Target.ID))
		for _, c := range plan.Changes {
			lines = append(lines, "  "+ChangeLine(c))
		}
	}
	return lines
}

// ChangeLine describes one change without a secret value.
func ChangeLine(c drapi.Change) string {
	switch {
	case c.From == "" || c.From == "-":
		return fmt.Sprintf("%s: set to %s", c.Field, c.To)
	case c.To == "" || c.To == "-":
		return fmt.Sprintf("%s: cleared (was %s)", c.Field, c.From)
	}
	return fmt.Sprintf("%s: %s → %s", c.Field, c.From, c.To)
}

// ResultLines say what was done and saved.
func ResultLines(r *steps.Result) []string {
	var what string
	switch r.Action {
	case drapi.ActionCreated:
		what = "Created webhook " + r.Webhook.ID
		if r.Adopted {
			what += " (the answer to the create was lost; drsetup found the webhook and kept it instead of creating another)"
		}
	case drapi.ActionUpdated:
		what = "Updated webhook " + r.Webhook.ID
	default:
		what = "Nothing to change: webhook " + r.Webhook.ID + " already matches"
	}
	lines := []string{what + ".", "It sends " + strconv.Itoa(len(r.Webhook.Types)) + " event types to " + r.Webhook.Address}
	switch {
	case r.Ephemeral:
		lines = append(lines, "Demo: nothing was saved; the simulated services end with this run.")
	case r.ProfileErr != nil:
		lines = append(lines, "The profile was not saved: "+text.Sentence(r.ProfileErr.Error()))
	case r.SecretsErr != nil:
		lines = append(lines, "Settings saved in "+r.ProfilePath+".", "Secrets were not saved: "+text.Sentence(r.SecretsErr.Error()))
	case r.ProfilePath != "":
		lines = append(lines, "Settings saved in "+r.ProfilePath+"; secrets in the OS keyring.")
	}
	lines = append(lines, "Run drsetup doctor at any time to check this setup.")
	return lines
}

func authName(f sfcheck.Flow) string {
	if f == sfcheck.FlowClientCredentials {
		return "client credentials"
	}
	return "username and password"
}

func current(v string) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	return " [" + v + "]"
}
