package ui

import (
	"context"
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/ui/theme"
)

// register carries out the plan (create or update the webhook), then saves
// the profile and its secrets: only once the webhook exists. The done screen
// is the Summary.
type register struct {
	c   *common
	err error
}

type registerResult struct {
	res *steps.Result
	err error
}

// errStale guards against registering values that were not verified; the
// navigation makes it unreachable, and the text says what to do if not.
var errStale = errors.New("the Salesforce values changed after they were checked: go back to Verify Salesforce and check them again")

func newRegister(c *common) *register { return &register{c: c} }

func (r *register) enter() tea.Cmd {
	c := r.c
	r.err = nil
	if c.result != nil {
		return nil
	}
	if c.plan == nil || c.session.Verified() == nil {
		r.err = errStale
		return nil
	}
	plan, verified := *c.plan, c.session.Verified()
	return c.start(steps.StageRegister, func(ctx context.Context, sv *steps.Services, s steps.Setup) tea.Msg {
		res, err := sv.Register(ctx, s, plan, verified)
		return registerResult{res: res, err: err}
	})
}

func (r *register) takesText() bool { return false }

func (r *register) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case registerResult:
		if msg.err != nil {
			r.err = msg.err
			return nil
		}
		r.c.result = msg.res
	case cancelledMsg:
		r.err = context.Canceled
	case tea.KeyPressMsg:
		if r.c.result == nil && (msg.String() == "enter" || msg.String() == "shift+tab") {
			// Back to the review, which looks again before anything is sent:
			// a create whose answer was lost is found there, not repeated.
			return goBack
		}
	}
	return nil
}

func (r *register) view() body {
	c := r.c
	st := c.styles
	w := c.contentWidth()
	b := newBuilder()
	switch {
	case c.result != nil:
		b.add(Summary(c.result, st, w))
	case c.busy():
		b.add(c.spinnerLine())
	case r.err != nil:
		b.markFocus()
		what, remedy := explainErr(r.err)
		if errors.Is(r.err, context.Canceled) {
			switch {
			case c.svc.Writes == nil: // not recorded: say what may be
				what = "Cancelled. The webhook may or may not have been registered; the review looks again, and nothing was saved."
			case c.svc.Writes.Unfinished():
				what = "Cancelled. The webhook may already exist at Digital River; the review looks for it again, and nothing was saved."
			default:
				what = "Cancelled before anything was sent to Digital River; nothing was registered or saved."
			}
		}
		b.add(hang(st.Fail, w, theme.MarkFail+" ", what))
		if remedy != "" {
			b.add(hang(st.Text, w, "  ", remedy))
		}
		b.gap()
		b.add(wrap(st.Text, w, "Press Enter to go back to the review, which looks for the webhook again before registering."))
	}
	return b.body()
}

func (r *register) ShortHelp() []key.Binding {
	k := r.c.keys
	switch {
	case r.c.result != nil:
		return []key.Binding{k.Done}
	case r.c.busy():
		return []key.Binding{with(k.Back, "cancel"), k.Quit}
	}
	return []key.Binding{with(k.Next, "back to the review"), k.Back, k.Quit}
}

func (r *register) FullHelp() [][]key.Binding { return [][]key.Binding{r.ShortHelp()} }
