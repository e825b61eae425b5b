// Package plain is drsetup's accessible mode: the setup as plain prompts, one
// question per line, in the wizard's order and with its checks and messages,
// numbered choices, hidden secret entry, and progress as text lines. No
// colour, no cursor movement, no spinner: usable through a screen reader and
// by a script that answers the prompts through a pipe.
package plain

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
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

	// Piped says the answers come from a script, not a person: an answer
	// a question refuses ends the run (AnswerError) instead of asking
	// again, since the script's next line was meant for the next question,
	// and a second failed Salesforce login ends it too.
	Piped bool
}

// ErrCancelled is returned when the admin answers "q" or the context ends.
var ErrCancelled = errors.New("setup cancelled")

// InputEndedError is returned when the answers run out before the setup is
// complete: a script gave too few lines.
type InputEndedError struct{ Question string }

func (e *InputEndedError) Error() string {
	return fmt.Sprintf("the answers ended before the setup was complete (at %q); give one line per question, or use --no-input with flags and DRSETUP_* variables", e.Question)
}

// AnswerError is returned when an answer from a script does not fit its
// question, or the same question has been asked too often: the answers and
// the questions are out of step, and asking again would only read the next
// question's answer. The answer itself is never repeated: out of step, it
// may be the password meant for a hidden prompt.
type AnswerError struct {
	Question string
	Why      string // what was wrong with it, after "the answer to … "
	ToDo     string // what to do instead; "" for the setup's
}

func (e *AnswerError) Error() string {
	todo := cmp.Or(e.ToDo, "give one line per question, in order (run drsetup --accessible on a terminal to see them), or use --no-input with flags and DRSETUP_* variables")
	return fmt.Sprintf("the answer to %q %s; the answers and the questions are out of step: %s", e.Question, e.Why, todo)
}

// maxAsks bounds how often a script is asked one question in a run, so
// that answers that never satisfy it (yes | drsetup --accessible) end.
const maxAsks = 3

type run struct {
	o   Options
	ctx context.Context
	// The line reader reads a line only when asked, so that nothing else
	// is reading stdin while ReadSecret reads a hidden line from the
	// terminal itself.
	ask1  chan struct{}
	lines chan lineOrErr
	// x holds the answers (s points into it) and what the services found
	// for them: another Salesforce check runs only when the values change.
	x *steps.Session
	s *steps.Setup
	// naming: the admin chose a new setup beside a saved profile, which
	// gets a name of its own before the review.
	naming bool
	asked  map[string]int // how often each question was asked, when piped
	todo   string         // AnswerError's ToDo
	// loginsFailed counts the Salesforce logins that failed in this run.
	loginsFailed int
}

// Run asks the questions and registers the webhook.
func Run(ctx context.Context, o Options) (*steps.Result, error) {
	return newRun(ctx, o).all()
}

// newRun starts reading answers from o.In.
func newRun(ctx context.Context, o Options) *run {
	r := &run{o: o, ctx: ctx, x: steps.NewSession(o.Initial), ask1: make(chan struct{}), lines: make(chan lineOrErr), asked: map[string]int{}}
	r.s = &r.x.Setup
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
	return r
}

func (r *run) all() (*steps.Result, error) {
	r.say("drsetup: connect the Digital River Salesforce Lightning app to Digital River webhooks.")
	for _, l := range r.o.Demo {
		r.say("%s", l)
	}
	r.say("Answer each question and press Enter. Enter alone keeps the value shown in brackets. Type q to quit; nothing is saved until the webhook is registered.")
	if p := r.o.Existing; p != nil {
		keep, err := r.yesNo(fmt.Sprintf("A saved setup %q exists for %s. Reconfigure it, keeping its values as defaults (no starts a new setup, saved under a profile name of its own)?", p.Name, text.Or(p.Get(field.MyDomain), "an unknown org")), true)
		if err != nil {
			return nil, err
		}
		if !keep {
			*r.s = steps.Defaults(r.s.Profile)
			r.naming = true
		}
	}
	step := map[steps.ID]func() (steps.ID, error){
		steps.Environment:      r.environment,
		steps.MyDomain:         r.myDomain,
		steps.Auth:             r.auth,
		steps.ConnectedApp:     func() (steps.ID, error) { return r.fields(steps.ConnectedApp) },
		steps.User:             func() (steps.ID, error) { return r.fields(steps.User) },
		steps.VerifySalesforce: r.verify,
		steps.DRKey:            r.key,
		steps.Events:           r.events,
	}
	for id := steps.Environment; id != steps.Review; {
		next, err := step[id]()
		if err != nil {
			return nil, err
		}
		id = next
	}
	return r.review()
}

func (r *run) heading(id steps.ID) {
	n, total := r.s.Numbered(id)
	r.say("")
	r.say("Step %d of %d: %s.", n, total, r.s.Title(id))
}

// chooseFrom asks for one of steps' choices and returns its value.
func (r *run) chooseFrom(question string, cs []steps.Choice, current string) (string, error) {
	opts := make([]string, len(cs))
	def := 0
	for i, c := range cs {
		opts[i] = c.Label + ": " + c.Detail
		if c.Value == current {
			def = i
		}
	}
	i, err := r.choose(question, opts, def)
	if err != nil {
		return "", err
	}
	return cs[i].Value, nil
}

func (r *run) environment() (steps.ID, error) {
	r.heading(steps.Environment)
	r.say("%s", field.Environment.Help())
	v, err := r.chooseFrom("Which token endpoint should Digital River log in at?", steps.TokenChoices(*r.s), string(r.s.TokenChosen()))
	if err != nil {
		return 0, err
	}
	r.s.ChooseToken(steps.TokenChoice(v))
	return steps.MyDomain, nil
}

func (r *run) myDomain() (steps.ID, error) {
	if err := r.askFields(steps.MyDomain); err != nil {
		return 0, err
	}
	r.say("The webhook's Endpoint URL will be %s", r.s.EndpointURL())
	return steps.Auth, nil
}

// askFields asks for each value of a step, each until nothing blocks it.
func (r *run) askFields(id steps.ID) error {
	r.heading(id)
	for _, f := range steps.FieldsOf(id) {
		r.say("%s", r.s.Help(f))
		for ok := false; !ok; {
			if err := r.askField(f); err != nil {
				return err
			}
			var err error
			if ok, err = r.settle(id, f); err != nil {
				return err
			}
			if !ok && r.o.Piped {
				return &AnswerError{Question: f.Label(), Why: "was refused (the problem is above)"}
			}
		}
	}
	return nil
}

// settle shows the step's problems (those of value f only, unless f is
// field.None), offers each suggestion, and reports whether the step may be
// left.
func (r *run) settle(id steps.ID, f field.Field) (bool, error) {
	for _, p := range steps.Check(*r.s, id) {
		if f != field.None && p.Field != f {
			continue
		}
		r.report([]steps.Problem{p})
		if !p.Blocking {
			continue
		}
		used, err := r.offer(p)
		if err != nil {
			return false, err
		}
		if used {
			return r.settle(id, f)
		}
		if p.Target() == field.Environment || p.Target() == field.TokenEndpoint {
			if _, err := r.environment(); err != nil {
				return false, err
			}
			return r.settle(id, f)
		}
		return false, nil
	}
	return true, nil
}

// offer asks whether to use a problem's suggestion, and applies it.
func (r *run) offer(p steps.Problem) (bool, error) {
	if p.Suggestion == "" {
		return false, nil
	}
	use, err := r.yesNo(fmt.Sprintf("Use %s for the %s instead?", p.Suggestion, p.Target().Noun()), true)
	if err != nil || !use {
		return false, err
	}
	return p.Apply(r.s), nil
}

func (r *run) auth() (steps.ID, error) {
	r.heading(steps.Auth)
	r.say("%s", field.Auth.Help())
	v, err := r.chooseFrom("Which app holds the consumer key, and how should Digital River log in to Salesforce?", steps.LoginChoices(), r.s.LoginChosen())
	if err != nil {
		return 0, err
	}
	r.s.ChooseLogin(v)
	if r.s.Auth == sfcheck.FlowClientCredentials {
		r.say("%s", r.s.App.ClientCredentialsSetup())
	}
	if r.s.UsesMyDomainTokenForFlow() {
		r.say("Note: the client credentials flow needs the org's own token endpoint, so Digital River will use %s.", r.s.TokenURL())
	}
	if ok, err := r.settle(steps.Auth, field.None); err != nil || !ok {
		return steps.Auth, err
	}
	return steps.ConnectedApp, nil
}

// fields asks for each value of a step (Connected App, Integration user).
func (r *run) fields(id steps.ID) (steps.ID, error) {
	return r.s.Next(id), r.askFields(id)
}

func (r *run) askField(f field.Field) error {
	cur := r.s.Value(f)
	var (
		v   string
		err error
	)
	if f.Secret() {
		keep := ""
		switch {
		case cur != "":
			keep = ", Enter keeps the saved one"
		case f == field.SecurityToken:
			keep = ", Enter for none"
		}
		v, err = r.askSecret(fmt.Sprintf("%s (typing is hidden%s):", f.Label(), keep))
	} else {
		v, err = r.ask(fmt.Sprintf("%s%s:", f.Label(), current(cur)))
		v = strings.TrimSpace(v)
	}
	if err == nil && v != "" {
		r.s.SetValue(f, v)
	}
	return err
}

// report says each problem on a line, as a note or a problem.
func (r *run) report(ps []steps.Problem) {
	for _, p := range ps {
		kind := "Note"
		if p.Blocking {
			kind = "Problem"
		}
		r.say("%s: %s", kind, r.unquoted(p.String(), p.Field))
	}
}

// unquoted is a problem's text without the answer it is about, when the
// answers come from a script: out of step, a value given for f may be the
// password meant for the next question, and the problem quotes it.
func (r *run) unquoted(msg string, f field.Field) string {
	if !r.o.Piped || f == field.None || f.Secret() {
		return msg
	}
	v := strings.TrimSpace(r.s.Value(f))
	if len(v) < 4 {
		return msg
	}
	return strings.NewReplacer(v, "(the answer given)", strings.ToLower(v), "(the answer given)").Replace(msg)
}

// explain says why a step's work failed, in the service's words first.
func (r *run) explain(err error) explain.Failure {
	f := explain.Of(err)
	r.say("failed.")
	if f.Said != "" {
		r.say("%s answered: %s", f.Service, f.Said)
	}
	r.say("%s", f.Meaning)
	if todo := f.ToDo(); todo != "" {
		r.say("What to do: %s", todo)
	}
	return f
}

// work runs one step's requests with each stage said as a line of its own.
func (r *run) work(fn func() error) error {
	r.o.Services.OnStage = func(s steps.Stage) { r.say("%s…", s) }
	err := fn()
	r.o.Services.OnStage = nil
	if r.ctx.Err() != nil {
		return ErrCancelled
	}
	return err
}

func (r *run) verify() (steps.ID, error) {
	r.heading(steps.VerifySalesforce)
	if r.x.Verified() != nil {
		r.say("The Salesforce login was already checked with these values.")
		return steps.DRKey, nil
	}
	r.say("drsetup will log in to Salesforce once, exactly as Digital River will, then read the user, probe the Apex endpoint without side effects and check the user's permission set.")
	var v *steps.Verified
	err := r.work(func() (err error) { v, err = r.o.Services.VerifySalesforce(r.ctx, *r.s); return err })
	switch {
	case errors.Is(err, ErrCancelled):
		return 0, err
	case err != nil:
		return r.failed(err, steps.VerifySalesforce)
	}
	r.say("done.")
	r.say("Logged in to org %s as user %s at %s.", v.OrgID(), v.UserID(), v.InstanceURL())
	if v.Probe.OK {
		finding, _ := explain.Probe(v.Probe)
		r.say("The Apex endpoint answered: %s", finding)
	}
	if v.PermissionHeld() {
		finding, _ := explain.Permission(v.Permission)
		r.say("%s", finding)
	}
	r.report(v.Problems)
	if i := slices.IndexFunc(v.Problems, func(p steps.Problem) bool { return p.Blocking }); i >= 0 {
		p := v.Problems[i]
		if used, err := r.offer(p); err != nil || used {
			return steps.VerifySalesforce, err
		}
		goOn, err := r.yesNo("Go on anyway? Events will not reach Salesforce until this is fixed", false)
		if err != nil {
			return 0, err
		}
		if !goOn {
			return r.fixStep(p.Field, steps.VerifySalesforce, false)
		}
	}
	if slices.ContainsFunc(v.Problems, func(p steps.Problem) bool { return p.Field == field.SecurityToken }) {
		enter, err := r.yesNo("Enter the security token now?", true)
		if err != nil {
			return 0, err
		}
		if enter {
			if err := r.askField(field.SecurityToken); err != nil {
				return 0, err
			}
			return steps.VerifySalesforce, nil
		}
	}
	r.x.SetVerified(v, r.s.LoginKey())
	return steps.DRKey, nil
}

// failed explains a failed check and asks what to change.
func (r *run) failed(err error, at steps.ID) (steps.ID, error) {
	f := r.explain(err)
	if at == steps.VerifySalesforce {
		r.loginsFailed++
		if steps.RefusedLogin(err) {
			r.x.LoginRefused(r.s.Username)
		}
	}
	if r.o.Piped && r.loginsFailed >= 2 {
		// A script answering "try again" would go on until Salesforce
		// locks the user out.
		why := ""
		if r.x.RefusedLogins(r.s.Username) > 0 {
			why = ", and each one Salesforce refused counts towards locking the user out"
		}
		r.say("Stopping: two Salesforce logins failed in this run%s. Correct the answers, then run drsetup setup again.", why)
		return 0, err
	}
	if n := r.x.RefusedLogins(r.s.Username); n >= steps.LockoutWarnAt && r.s.Auth == sfcheck.FlowPassword {
		r.say("Warning: Salesforce refused %d logins of %s in this run. Each counts toward locking the user out (Setup → Password Policies → Maximum invalid login attempts: 10 by default, 3 in strict orgs); the user's Login History in Setup says why they failed.", n, r.s.Username)
	}
	return r.fixStep(f.Field, at, steps.ClientCredentialsMayHelp(err))
}

// fixStep asks whether to go back to the step of the value most likely
// wrong, to try again, or to quit.
func (r *run) fixStep(f field.Field, at steps.ID, offerClientCredentials bool) (steps.ID, error) {
	const switchFlow steps.ID = -2
	var opts []string
	var targets []steps.ID
	if id := steps.Reopen(f, at); id != at {
		opts = append(opts, fmt.Sprintf("Change the %s (step %s)", strings.ToLower(f.Label()), r.s.Title(id)))
		targets = append(targets, id)
	}
	if offerClientCredentials {
		opts = append(opts, "Switch to client credentials, keeping what you typed: the way on when the org blocks the username-password flow, or the consumer key is an External Client App's (which offers no other)")
		targets = append(targets, switchFlow)
	}
	opts = append(opts, "Try again with the same values", "Quit")
	targets = append(targets, at, -1)
	i, err := r.choose("What now?", opts, 0)
	if err != nil {
		return 0, err
	}
	switch targets[i] {
	case -1:
		return 0, ErrCancelled
	case switchFlow:
		r.s.SwitchToClientCredentials()
		return steps.Auth, nil
	}
	if targets[i] == at && at == steps.VerifySalesforce {
		r.say("Note: repeated failed logins count towards locking the user out.")
	}
	return targets[i], nil
}

func (r *run) key() (steps.ID, error) {
	if err := r.askFields(steps.DRKey); err != nil {
		return 0, err
	}
	var kc *steps.KeyCheck
	err := r.work(func() (err error) { kc, err = r.o.Services.CheckKey(r.ctx, *r.s); return err })
	var dup *drapi.DuplicatesError
	switch {
	case errors.Is(err, ErrCancelled):
		return 0, err
	case errors.As(err, &dup):
		r.say("done.")
		r.say("Note: %s", explain.Of(dup).Text())
		return steps.Events, nil
	case err != nil:
		return r.failed(err, steps.DRKey)
	}
	r.x.SetKeyChecked(kc, r.s.DRAPIKey)
	r.say("done.")
	r.say("The key works (%s mode).", kc.Mode)
	if t := kc.Plan.Target; t != nil {
		r.say("This org already has webhook %s at %s; it will be updated, not duplicated.", text.Clean(t.ID), text.Clean(t.Address))
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
			r.s.SetValue(field.Events, v)
		}
		ps := steps.Check(*r.s, steps.Events)
		r.report(ps)
		if !steps.Blocking(ps) {
			return steps.Review, nil
		}
		if r.o.Piped {
			return 0, &AnswerError{Question: field.Events.Label(), Why: "was refused (the problem is above)"}
		}
	}
}

func (r *run) review() (*steps.Result, error) {
	if r.naming {
		if err := r.nameProfile(); err != nil {
			return nil, err
		}
	}
	for {
		r.heading(steps.Review)
		var plan drapi.Plan
		err := r.work(func() (err error) { plan, err = r.o.Services.Plan(r.ctx, *r.s); return err })
		switch {
		case errors.Is(err, ErrCancelled):
			return nil, err
		case err != nil:
			r.explain(err)
			if again, err := r.yesNo("Look again?", true); err != nil || !again {
				return nil, cmp.Or(err, ErrCancelled)
			}
			continue
		}
		r.say("done.")
		var mode drapi.Mode
		if kc := r.x.KeyChecked(); kc != nil {
			mode = kc.Mode
		}
		r.sayAll(r.o.Services.ReviewLines(*r.s, plan, mode))
		if plan.Action != drapi.ActionUnchanged && !r.o.Yes {
			if ok, err := r.yesNo("Register the webhook now?", false); err != nil || !ok {
				return nil, cmp.Or(err, ErrCancelled)
			}
		}
		var res *steps.Result
		err = r.work(func() (err error) { res, err = r.o.Services.Register(r.ctx, *r.s, plan, r.x.Verified()); return err })
		if err != nil {
			if !errors.Is(err, ErrCancelled) {
				r.explain(err)
			}
			return nil, err
		}
		r.say("done.")
		r.sayAll(res.Lines())
		return res, nil
	}
}

func (r *run) sayAll(ls []string) {
	for _, l := range ls {
		r.say("%s", l)
	}
}

// nameProfile asks the name of a new setup's profile, offering one from
// the org, so that it does not replace the saved one; a name that would
// replace another setup's profile is confirmed.
func (r *run) nameProfile() error {
	var mode drapi.Mode
	if kc := r.x.KeyChecked(); kc != nil {
		mode = kc.Mode
	}
	suggested := text.Or(r.o.Services.SuggestProfileName(*r.s, mode), r.s.Profile)
	r.say("")
	r.say("This new setup is saved as a profile of its own, so profile %q stays as it is.", r.s.Profile)
	for {
		a, err := r.ask(fmt.Sprintf("Profile name [%s]:", suggested))
		if err != nil {
			return err
		}
		name := strings.ToLower(text.Or(strings.TrimSpace(a), suggested))
		if err := profile.ValidName(name); err != nil {
			r.say("Problem: %s", text.Sentence(err.Error()))
			if r.o.Piped {
				return &AnswerError{Question: "Profile name", Why: "was refused (the problem is above)"}
			}
			continue
		}
		note, replaces := r.o.Services.NameNote(*r.s, name, mode)
		if note != "" {
			r.say("Note: %s", note)
		}
		if replaces {
			ok, err := r.yesNo(fmt.Sprintf("Replace profile %q?", name), false)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		r.s.Profile = name
		return nil
	}
}
