package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/ui/theme"
)

// review shows everything that will be sent, secrets masked, and the plan:
// create a webhook, update this org's existing one (showing each change,
// a wrong address included), or nothing to change. Arriving here plans
// again, since the event types may have changed; Enter registers.
type review struct {
	c   *common
	err error // planning failed
}

type planResult struct {
	plan drapi.Plan
	err  error
}

func newReview(c *common) *review { return &review{c: c} }

func (r *review) enter() tea.Cmd {
	r.err = nil
	r.c.plan = nil
	return r.replan()
}

func (r *review) replan() tea.Cmd {
	r.err = nil
	return r.c.start(steps.StagePlan, func(ctx context.Context, sv *steps.Services, s steps.Setup) tea.Msg {
		p, err := sv.Plan(ctx, s)
		return planResult{plan: p, err: err}
	})
}

func (r *review) takesText() bool { return false }

func (r *review) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case planResult:
		if msg.err != nil {
			r.err = msg.err
			return nil
		}
		r.c.plan = &msg.plan
	case cancelledMsg:
		r.err = context.Canceled
	case tea.KeyPressMsg:
		switch msg.String() {
		case "enter":
			if r.c.plan == nil {
				return r.replan()
			}
			return goNext
		case "shift+tab":
			return goBack
		}
	}
	return nil
}

func (r *review) view() body {
	c := r.c
	st := c.styles
	w := c.contentWidth()
	s := c.setup
	spec := s.Spec()
	b := newBuilder()

	b.add(st.Label.Render("Webhook"))
	types := fmt.Sprintf("%d: %s", len(spec.Types), strings.Join(spec.Types, ", "))
	b.add(indent(rows(st, w-2, [][2]string{
		{"Endpoint URL", st.Code.Render(spec.Address)},
		{"Event types", types},
		{"Transport", "OAUTH, enabled"},
	}), 2))
	b.gap()
	b.add(st.Label.Render("How Digital River logs in to Salesforce"))
	o := spec.OAuth
	pairs := [][2]string{
		{"Token endpoint", st.Code.Render(o.TokenEndPoint)},
		{"Grant type", o.GrantType},
		{"Client ID", o.ClientID},
		{"Client Secret", o.ClientSecret.String()},
	}
	if s.Auth != sfcheck.FlowClientCredentials {
		pw := o.Password.String() + " (password and security token, joined)"
		pairs = append(pairs, [2]string{"Username", o.UserName}, [2]string{"Password", pw})
	}
	b.add(indent(rows(st, w-2, pairs), 2))
	b.gap()
	key := secret.Mask(strings.TrimSpace(s.DRAPIKey.Reveal()))
	if kc := c.keyCheck; kc != nil && c.keyCheckedNow() {
		key += fmt.Sprintf(" (%s mode)", kc.Mode)
	}
	b.add(rows(st, w, [][2]string{
		{"Digital River key", key},
		{"Saved afterwards", savedWhere(c)},
	}))
	b.gap()

	b.markFocus()
	switch {
	case c.busy():
		b.add(c.spinnerLine())
	case r.err != nil:
		what, remedy := explain(r.err)
		b.add(hang(st.Fail, w, theme.MarkFail+" ", what))
		if remedy != "" {
			b.add(hang(st.Text, w, "  ", remedy))
		}
		b.add(wrap(st.Text, w, "Press Enter to look again."))
	case c.plan != nil:
		b.add(planView(c, w, *c.plan))
	}
	return b.body()
}

// planView says what registering will do.
func planView(c *common, w int, p drapi.Plan) string {
	st := c.styles
	var lines []string
	switch p.Action {
	case drapi.ActionCreate:
		return hang(st.Text, w, "→ ", "Create a new webhook. Press Enter to register it.")
	case drapi.ActionUnchanged:
		lines = append(lines, hang(st.Pass, w, theme.MarkPass+" ", fmt.Sprintf("Nothing to change: webhook %s already matches. Press Enter to save the profile.", p.Target.ID)))
	default:
		lines = append(lines, hang(st.Text, w, "→ ", fmt.Sprintf("Update webhook %s:", p.Target.ID)))
		for _, ch := range p.Changes {
			lines = append(lines, hang(st.Text, w, "    ", changeText(st.Code.Render, ch)))
		}
		lines = append(lines, wrap(st.Text, w, "Press Enter to update it."))
	}
	return strings.Join(lines, "\n")
}

// changeText is one change in words: "address A → B"; event types as what
// is added and removed; secrets only as changed.
func changeText(code func(...string) string, ch drapi.Change) string {
	switch ch.Field {
	case "oauth.password", "oauth.clientSecret":
		if ch.To == "" {
			return ch.Field + " removed"
		}
		return ch.Field + " changed"
	case "types":
		from, to := strings.Split(ch.From, ","), strings.Split(ch.To, ",")
		var parts []string
		if add := minus(to, from); len(add) > 0 {
			parts = append(parts, "+ "+strings.Join(add, ", "))
		}
		if drop := minus(from, to); len(drop) > 0 {
			parts = append(parts, "− "+strings.Join(drop, ", "))
		}
		return "types " + strings.Join(parts, "; ")
	}
	from := ch.From
	if from == "" {
		from = "(none)"
	}
	to := ch.To
	if to == "" {
		to = "(none)"
	}
	return ch.Field + " " + code(from) + " → " + code(to)
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if x != "" && !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// savedWhere says where the profile and secrets go once registered.
func savedWhere(c *common) string {
	switch {
	case c.svc.Ephemeral:
		return "nothing (demo)"
	case c.svc.Store == nil:
		return "nothing"
	}
	return fmt.Sprintf("profile %q (%s); secrets in the OS keyring", c.setup.Profile, c.svc.Store.Path(c.setup.Profile))
}

func (r *review) ShortHelp() []key.Binding {
	k := r.c.keys
	if r.c.busy() {
		return []key.Binding{with(k.Back, "cancel"), k.Quit}
	}
	next := with(k.Next, "register")
	if r.c.plan == nil {
		next = with(k.Next, "look again")
	}
	return []key.Binding{next, k.BackTab, k.Back, k.Quit, k.Help}
}

func (r *review) FullHelp() [][]key.Binding {
	k := r.c.keys
	return [][]key.Binding{r.ShortHelp(), {k.PageUp, k.PageDown}}
}
