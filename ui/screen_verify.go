package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
	"github.com/drsetup/drsetup/ui/theme"
)

// verify makes the one login Digital River will make, then reads the user
// and probes the Apex endpoint (steps.Services.VerifySalesforce). Arriving
// here never logs in; each Enter sends at most one login, and none is ever
// repeated on its own: failed logins count toward locking the user.
type verify struct {
	c *common

	state    verifyState
	err      error               // why the last attempt failed
	loginErr *sfcheck.LoginError // err, when Salesforce (or the way to it) refused
	note     string              // a line about the last attempt: cancelled, values changed

	lastKey    steps.LoginKey // the values of the last attempt
	refused    bool           // Salesforce refused them with invalid_grant
	warnRepeat bool           // the next Enter sends the refused values again, knowingly

	// blocked is an earlier screen's problem found before logging in.
	blocked *steps.Problem
}

type verifyState int

const (
	verifyIdle verifyState = iota
	verifyRunning
	verifyOK
	verifyFailed
)

// verifyResult is VerifySalesforce's answer.
type verifyResult struct {
	v   *steps.Verified
	err error
	key steps.LoginKey // the values the login was made with
}

func newVerify(c *common) *verify { return &verify{c: c} }

func (v *verify) enter() tea.Cmd {
	c := v.c
	v.warnRepeat, v.blocked = false, nil
	switch {
	case c.session.Verified() != nil:
		v.state = verifyOK
	case v.state == verifyOK:
		v.state, v.note = verifyIdle, "The values changed since Salesforce accepted them: check them again."
	case v.state == verifyFailed && c.setup.LoginKey() != v.lastKey:
		v.state, v.note = verifyIdle, "The values changed since the last attempt."
	case v.state == verifyRunning: // its request was cancelled when the screen was left
		v.state = verifyIdle
	}
	return nil
}

func (v *verify) takesText() bool { return false }

func (v *verify) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case verifyResult:
		v.finish(msg)
	case cancelledMsg:
		v.state = verifyIdle
		v.note = "Cancelled. If the login had already reached Salesforce, it is listed in the user's Login History like any other."
	case tea.KeyPressMsg:
		return v.key(msg)
	}
	return nil
}

func (v *verify) key(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "enter":
		switch v.state {
		case verifyOK:
			if p, ok := v.blocking(); ok {
				return goTo(p.Field)
			}
			return goNext
		case verifyFailed:
			if f := v.field(); f != "" && !v.warnRepeat {
				return goTo(f)
			}
		}
		return v.login()
	case "r":
		if v.state == verifyFailed {
			return v.login()
		}
		if _, ok := v.blocking(); ok && v.state == verifyOK {
			// Fixed in Salesforce Setup (a permission set, the package):
			// the same values, checked again.
			v.c.session.Recheck()
			v.state = verifyIdle
			return v.login()
		}
	case "e":
		if f := v.field(); f != "" {
			return goTo(f)
		}
	case "c":
		if v.state == verifyFailed && steps.ClientCredentialsMayHelp(v.err) {
			v.c.setup.SwitchToClientCredentials()
			v.state, v.note = verifyIdle, ""
			return func() tea.Msg { return gotoMsg{to: steps.Auth} }
		}
	case "tab":
		if v.state == verifyOK {
			if p, ok := suggestion(v.c.session.Verified().Problems); ok && p.Apply(v.c.setup) {
				v.state, v.note = verifyIdle, "Changed to "+p.Suggestion+"; check again."
			}
		}
	case "shift+tab":
		return goBack
	}
	return nil
}

// field is the input to change after the last attempt, if one is known.
func (v *verify) field() field.Field {
	switch {
	case v.blocked != nil:
		return v.blocked.Field
	case v.state == verifyFailed && v.loginErr != nil:
		return field.Field(v.loginErr.Field)
	case v.state == verifyOK:
		if p, ok := v.blocking(); ok {
			return p.Field
		}
		if v.tokenMissing() {
			return field.SecurityToken
		}
	}
	return ""
}

// tokenMissing reports whether the login worked without a security token,
// which Digital River's own logins most likely need.
func (v *verify) tokenMissing() bool {
	vf := v.c.session.Verified()
	return vf != nil && slices.ContainsFunc(vf.Problems, func(p steps.Problem) bool { return p.Field == field.SecurityToken })
}

// blocking is the first finding after a login that stops the setup.
func (v *verify) blocking() (steps.Problem, bool) {
	vf := v.c.session.Verified()
	if vf == nil {
		return steps.Problem{}, false
	}
	for _, p := range vf.Problems {
		if p.Blocking {
			return p, true
		}
	}
	return steps.Problem{}, false
}

// login starts one login, unless an earlier answer blocks it or Salesforce
// refused these very values a moment ago and the admin has not been told.
func (v *verify) login() tea.Cmd {
	c := v.c
	v.note, v.blocked = "", nil
	for _, id := range c.setup.Steps() {
		if id == steps.VerifySalesforce {
			break
		}
		for _, p := range steps.Check(*c.setup, id) {
			if p.Blocking {
				v.blocked = &p
				v.state = verifyFailed
				v.err, v.loginErr = nil, nil
				return nil
			}
		}
	}
	key := c.setup.LoginKey()
	if (v.refused && key == v.lastKey || v.nearLockout()) && !v.warnRepeat {
		v.warnRepeat = true
		return nil
	}
	v.warnRepeat = false
	v.state = verifyRunning
	return c.start(steps.StageLogin, func(ctx context.Context, sv *steps.Services, s steps.Setup) tea.Msg {
		res, err := sv.VerifySalesforce(ctx, s)
		return verifyResult{v: res, err: err, key: key}
	})
}

// nearLockout reports whether Salesforce refused enough logins of this user
// in this run that another one should wait for the admin's say-so.
func (v *verify) nearLockout() bool {
	s := v.c.setup
	return s.Auth == sfcheck.FlowPassword && v.c.session.RefusedLogins(s.Username) >= steps.LockoutWarnAt
}

func (v *verify) finish(r verifyResult) {
	c := v.c
	if steps.RefusedLogin(r.err) {
		c.session.LoginRefused(c.setup.Username)
	}
	v.lastKey, v.refused = r.key, false
	if r.err == nil {
		v.state, v.err, v.loginErr = verifyOK, nil, nil
		c.session.SetVerified(r.v, r.key)
		return
	}
	v.state, v.err, v.loginErr = verifyFailed, r.err, nil
	var le *sfcheck.LoginError
	if errors.As(r.err, &le) {
		v.loginErr = le
		v.refused = le.Code == "invalid_grant"
	}
}

func (v *verify) view() body {
	c := v.c
	st := c.styles
	w := c.contentWidth()
	b := newBuilder()
	b.add(wrap(st.Text, w, "Digital River will log in to Salesforce with these values before each event. Enter makes that one login now; drsetup never repeats a failed one on its own, because failed logins count toward locking the user out."))
	b.gap()
	b.add(rows(st, w, v.sent()))
	b.gap()
	if v.note != "" {
		b.add(wrap(st.Subtle, w, v.note))
		b.gap()
	}
	switch {
	case c.busy():
		b.add(c.spinnerLine())
	case v.warnRepeat:
		b.markFocus()
		warning := "Salesforce refused these same values a moment ago. Each failed login counts toward locking the user out (Setup → Password Policies → Maximum invalid login attempts)."
		if v.nearLockout() {
			warning = fmt.Sprintf("Salesforce refused %d logins of %s in this run. Each counts toward locking the user out (Setup → Password Policies → Maximum invalid login attempts: 10 by default, 3 in strict orgs); the user's Login History in Setup says why they failed.",
				c.session.RefusedLogins(c.setup.Username), c.setup.Username)
		}
		b.add(hang(st.Warn, w, theme.MarkWarn+" ", warning))
		change := "them"
		if f := v.field(); f != "" {
			change = "the " + shortLabel(f)
		}
		b.add(wrap(st.Text, w, "Press Enter to send them once more anyway, or e to change "+change+"."))
	case v.blocked != nil:
		b.markFocus()
		b.add(problemBlock(c, w, []steps.Problem{*v.blocked}, false))
		b.add(wrap(st.Text, w, fmt.Sprintf("Nothing was sent. Press Enter to change the %s.", shortLabel(v.blocked.Field))))
	case v.state == verifyOK:
		v.viewOK(b, w)
	case v.state == verifyFailed:
		v.viewFailed(b, w)
	default:
		b.add(wrap(st.Text, w, "Press Enter to log in."))
	}
	return b.body()
}

// sent lists the login's values, secrets masked.
func (v *verify) sent() [][2]string {
	st := v.c.styles
	cr := v.c.setup.Credentials()
	flow := "Username and password"
	if cr.Flow == sfcheck.FlowClientCredentials {
		flow = "Client credentials"
	}
	pairs := [][2]string{
		{"Token endpoint", st.Code.Render(cr.TokenEndpoint)},
		{"Flow", flow},
		{"Client ID", cr.ClientID},
		{"Client Secret", cr.ClientSecret.String()},
	}
	if cr.Flow != sfcheck.FlowClientCredentials {
		pw := cr.Password.String() + " + security token " + cr.SecurityToken.String()
		if cr.SecurityToken.IsZero() {
			pw = cr.Password.String() + " (no security token)"
		}
		pairs = append(pairs, [2]string{"Username", cr.Username}, [2]string{"Password", pw})
	}
	return pairs
}

func (v *verify) viewOK(b *builder, w int) {
	c := v.c
	st := c.styles
	r := c.session.Verified()
	b.add(hang(st.Pass, w, theme.MarkPass+" ", "Salesforce accepted the login."))
	pairs := [][2]string{
		{"Org ID", r.OrgID()},
		{"User ID", r.UserID()},
		{"Instance URL", st.Code.Render(r.InstanceURL())},
	}
	if id := r.Identity; id != nil {
		pairs = append(pairs, [2]string{"User", strings.TrimSpace(id.Username + " " + paren(id.DisplayName))})
	}
	b.add(indent(rows(st, w-2, pairs), 2))
	if r.Probe.OK {
		finding, _ := explain.Probe(r.Probe)
		b.add(hang(st.Pass, w, theme.MarkPass+" ", finding))
	}
	if r.PermissionHeld() {
		finding, _ := explain.Permission(r.Permission)
		b.add(hang(st.Pass, w, theme.MarkPass+" ", finding))
	}
	b.markFocus()
	if len(r.Problems) > 0 {
		b.add(problemBlock(c, w, r.Problems, true))
	}
	b.gap()
	if p, ok := v.blocking(); ok {
		again := "press r to check again once it is fixed in Salesforce"
		if p.Field != "" {
			b.add(wrap(st.Text, w, fmt.Sprintf("Press Enter to change the %s, or %s.", shortLabel(p.Field), again)))
		} else {
			b.add(wrap(st.Text, w, text.Capitalize(again)+"."))
		}
		return
	}
	if v.tokenMissing() {
		b.add(wrap(st.Text, w, "Press e to enter the security token, or Enter to continue with the Digital River key without it."))
		return
	}
	b.add(wrap(st.Text, w, "Press Enter to continue with the Digital River key."))
}

func (v *verify) viewFailed(b *builder, w int) {
	c := v.c
	st := c.styles
	b.markFocus()
	f := explain.Of(v.err)
	if v.loginErr == nil {
		b.add(hang(st.Error, w, theme.MarkFail+" ", f.Summary()))
		b.add(wrap(st.Text, w, "Press Enter to try again."))
		return
	}
	b.add(hang(st.Fail, w, theme.MarkFail+" ", f.Headline))
	// Paragraphs rather than two columns: these texts are long, and at 60
	// columns a label column would leave them half the width.
	if f.Said != "" {
		said := f.Said
		if f.Status != 0 {
			said += fmt.Sprintf(" (HTTP %d)", f.Status)
		}
		b.add(hang(st.Text, w, "  ", st.Label.Render("Salesforce said: ")+st.Code.Render(said)))
	}
	b.add(hang(st.Text, w, "  ", st.Label.Render("What it means: ")+f.Meaning))
	if f.Remedy != "" {
		b.add(hang(st.Text, w, "  ", st.Label.Render("What to do: ")+f.Remedy))
	}
	b.gap()
	if steps.ClientCredentialsMayHelp(v.err) {
		b.add(wrap(st.Text, w, "If the org blocks the username-password flow, or the consumer key is an External Client App's (which offers no other), press c to switch to client credentials: what you typed is kept."))
	}
	if f := v.field(); f != "" {
		b.add(wrap(st.Text, w, fmt.Sprintf("Press Enter to change the %s (what you typed is kept), or r to try again as is.", shortLabel(f))))
		return
	}
	b.add(wrap(st.Text, w, "Press Enter to try again."))
}

func (v *verify) ShortHelp() []key.Binding {
	k := v.c.keys
	var bs []key.Binding
	switch {
	case v.c.busy():
		return []key.Binding{with(k.Back, "cancel"), k.Quit}
	case v.state == verifyOK && v.tokenMissing():
		if _, blocked := v.blocking(); !blocked {
			bs = append(bs, k.Next, with(k.Edit, "enter the security token"))
			break
		}
		bs = append(bs, with(k.Next, "change it"), with(k.Retry, "check again"))
	case v.state == verifyOK && v.field() == "":
		bs = append(bs, k.Next)
		if _, blocked := v.blocking(); blocked {
			bs = append(bs, with(k.Retry, "check again"))
		}
	case v.state == verifyOK:
		bs = append(bs, with(k.Next, "change it"), with(k.Retry, "check again"))
	case v.blocked != nil:
		bs = append(bs, with(k.Next, "change it"))
	case v.state == verifyFailed && v.field() != "" && !v.warnRepeat:
		bs = append(bs, with(k.Next, "change "+strings.ToLower(shortLabel(v.field()))), k.Retry)
		if steps.ClientCredentialsMayHelp(v.err) {
			bs = append(bs, k.ClientCredentials)
		}
	case v.warnRepeat:
		bs = append(bs, with(k.Next, "send anyway"))
		if v.field() != "" {
			bs = append(bs, with(k.Edit, "change "+strings.ToLower(shortLabel(v.field()))))
		}
	default:
		bs = append(bs, with(k.Next, "log in"))
	}
	if v.state == verifyOK {
		if _, ok := suggestion(v.c.session.Verified().Problems); ok {
			bs = append(bs, k.Accept)
		}
	}
	return append(bs, k.BackTab, k.Back, k.Quit, k.Help)
}

func (v *verify) FullHelp() [][]key.Binding {
	k := v.c.keys
	return [][]key.Binding{v.ShortHelp(), {k.Edit, k.PageUp, k.PageDown}}
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// shortLabel is a field's label without its explanation in parentheses:
// "Client Secret" for "Client Secret (consumer secret)".
func shortLabel(f field.Field) string {
	l, _, _ := strings.Cut(f.Label(), " (")
	return l
}
