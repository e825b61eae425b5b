package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/ui/theme"
)

// drKey asks for the Digital River secret API key: its kind is checked as
// typed (a public key is refused; a test key with a production org is
// flagged), and Enter proves it works by listing the account's webhooks,
// which also finds the webhook this org may already have.
type drKey struct {
	*form
	err    error
	status string // after Esc: cancelled
}

type keyResult struct {
	kc  *steps.KeyCheck
	err error
	key secret.Value // the key checked
}

func newDRKey(c *common) *drKey {
	d := &drKey{form: newForm(c, steps.DRKey, nil,
		newField(field.DRAPIKey, true, "sk_test_… or sk_…"))}
	d.onSubmit = d.check
	return d
}

func (d *drKey) enter() tea.Cmd {
	d.err, d.status = nil, ""
	return d.form.enter()
}

// check proves the key, unless it was proved as it is now.
func (d *drKey) check() tea.Cmd {
	c := d.c
	if c.session.KeyChecked() != nil {
		return goNext
	}
	d.err, d.status = nil, ""
	key := c.setup.DRAPIKey
	return c.start(steps.StageKey, func(ctx context.Context, sv *steps.Services, s steps.Setup) tea.Msg {
		kc, err := sv.CheckKey(ctx, s)
		return keyResult{kc: kc, err: err, key: key}
	})
}

func (d *drKey) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case keyResult:
		if msg.err != nil {
			d.err = msg.err
			return nil
		}
		d.c.session.SetKeyChecked(msg.kc, msg.key)
		return goNext
	case cancelledMsg:
		d.status = "Cancelled; the key was not checked."
		return nil
	case tea.PasteMsg:
		d.err, d.status = nil, ""
	case tea.KeyPressMsg:
		if msg.String() != "enter" {
			d.err, d.status = nil, ""
		}
	}
	return d.form.update(msg)
}

func (d *drKey) view() body {
	c := d.c
	st := c.styles
	w := c.contentWidth()
	bd := d.form.view()
	b := newBuilder()
	b.add(bd.content)
	b.cursor, b.focus, b.focusEnd = bd.cursor, bd.focus, bd.focusEnd
	switch {
	case c.busy():
		b.gap()
		b.add(c.spinnerLine())
	case d.err != nil:
		b.gap()
		what, remedy := explainErr(d.err)
		b.markFocus()
		b.add(hang(st.Fail, w, theme.MarkFail+" ", what))
		if remedy != "" {
			b.add(hang(st.Text, w, "  ", remedy))
		}
	case d.status != "":
		b.gap()
		b.add(wrap(st.Subtle, w, d.status))
	}
	return b.body()
}

func (d *drKey) ShortHelp() []key.Binding {
	if d.c.busy() {
		return []key.Binding{with(d.c.keys.Back, "cancel"), d.c.keys.Quit}
	}
	bs := d.form.ShortHelp()
	bs[0] = with(bs[0], "check the key")
	return bs
}
