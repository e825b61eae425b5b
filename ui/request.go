package ui

import (
	"context"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/steps"
)

// request is work against the services in flight. Only one runs at a time:
// starting another, leaving the screen, Esc and Ctrl+C cancel it.
type request struct {
	id     int
	cancel context.CancelFunc
	stage  steps.Stage
}

// doneMsg carries a request's result to the screen that started it. The root
// drops it unless id is the request still in flight, so an answer that comes
// after the admin moved on or pressed Esc changes nothing.
type doneMsg struct {
	id  int
	msg tea.Msg
}

// stageMsg reports a request's progress (steps.Services.OnStage).
type stageMsg struct {
	id    int
	stage steps.Stage
	next  <-chan steps.Stage
}

// cancelledMsg tells the current screen that Esc cancelled its request.
type cancelledMsg struct{}

// work is a request's body. It gets a copy of the answers, taken when the
// request starts, so the admin can type on while it runs.
type work func(ctx context.Context, sv *steps.Services, s steps.Setup) tea.Msg

// start cancels any request in flight and starts w, showing first as the
// spinner's line until the services name their first stage.
func (c *common) start(first steps.Stage, w work) tea.Cmd {
	c.cancelRequest()
	c.redact()
	c.lastID++
	id := c.lastID
	ctx, cancel := context.WithCancel(c.ctx)
	c.req = &request{id: id, cancel: cancel, stage: first}

	stages := make(chan steps.Stage, 16)
	sv := *c.svc
	outer := c.svc.OnStage
	sv.OnStage = func(s steps.Stage) {
		if outer != nil {
			outer(s)
		}
		select {
		case stages <- s:
		default: // the line shows the latest stage; a missed one is harmless
		}
	}
	s := *c.setup
	s.Events = slices.Clone(s.Events)

	run := func() tea.Msg {
		defer cancel()
		defer close(stages)
		return doneMsg{id: id, msg: w(ctx, &sv, s)}
	}
	return tea.Batch(run, listen(id, stages), c.spinner.Tick)
}

func listen(id int, ch <-chan steps.Stage) tea.Cmd {
	return func() tea.Msg {
		s, ok := <-ch
		if !ok {
			return nil
		}
		return stageMsg{id: id, stage: s, next: ch}
	}
}

// cancelRequest stops the request in flight, if any. Its late answer is
// dropped by id.
func (c *common) cancelRequest() {
	if c.req != nil {
		c.req.cancel()
		c.req = nil
	}
}

// busy reports whether a request is in flight.
func (c *common) busy() bool { return c.req != nil }

// spinnerLine is the line shown while a request runs.
func (c *common) spinnerLine() string {
	if c.req == nil {
		return ""
	}
	return c.spinner.View() + " " + c.styles.Text.Render(string(c.req.stage)+"…") + "  " +
		c.styles.Help.Render("esc cancels")
}
