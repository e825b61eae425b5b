package ui

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
)

// Each keystroke benchmark measures one Update plus one View, what the
// program does per key, on the busiest screens.

func benchKeys(b *testing.B, d *driver, msgs ...tea.Msg) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		d.w.Update(msgs[i%len(msgs)])
		_ = d.w.View()
	}
}

func BenchmarkKeystrokeMyDomain(b *testing.B) {
	d := newDriver(b, WizardOptions{})
	d.keys("enter", "enter")
	d.typ(demo.LightningURL) // a problem with a suggestion on screen
	benchKeys(b, d, keyMsg("x"), keyMsg("backspace"))
}

func BenchmarkKeystrokeIntegrationUser(b *testing.B) {
	d := newDriver(b, WizardOptions{})
	d.send(gotoMsg{to: steps.User})
	d.typ(demo.Username)
	d.keys("enter")
	d.typ(demo.Password)
	benchKeys(b, d, keyMsg("x"), keyMsg("backspace"))
}

func BenchmarkKeystrokeEvents(b *testing.B) {
	d := newDriver(b, WizardOptions{})
	d.send(gotoMsg{to: steps.Events})
	benchKeys(b, d, keyMsg("space"), keyMsg("down"), keyMsg("space"), keyMsg("up"))
}

func BenchmarkKeystrokeVerifyFailed(b *testing.B) {
	s := steps.Defaults("default")
	s.MyDomain, s.ClientID, s.Username = demo.MyDomain, demo.ClientID, demo.Username
	d := newDriver(b, WizardOptions{Initial: s})
	d.send(gotoMsg{to: steps.VerifySalesforce})
	v := d.w.screens[steps.VerifySalesforce].(*verify)
	v.finish(verifyResult{err: &sfcheck.LoginError{Op: sfcheck.OpLogin, Status: 400, Code: "invalid_grant",
		Description: "authentication failure", Kind: sfcheck.KindAuthFailure, Field: field.Password, Flow: sfcheck.FlowPassword,
		Username: demo.Username}})
	benchKeys(b, d, keyMsg("pgdown"), keyMsg("pgup"))
}

func BenchmarkKeystrokeReview(b *testing.B) {
	s := steps.Defaults("default")
	s.MyDomain, s.ClientID, s.Username = demo.MyDomain, demo.ClientID, demo.Username
	d := newDriver(b, WizardOptions{Initial: s})
	d.send(gotoMsg{to: steps.Review}) // plans against the offline services: fails at once
	d.w.screens[steps.Review].(*review).err = nil
	d.w.c.plan = &drapi.Plan{Action: drapi.ActionUpdate, Target: &drapi.Webhook{ID: "wh-1"}, Desired: s.Spec(),
		Changes: []drapi.Change{{Field: "address", From: demo.LightningURL + sfcheck.ApexPath, To: demo.MyDomain + sfcheck.ApexPath},
			{Field: "types", From: "order.accepted", To: "order.accepted,order.complete"}}}
	benchKeys(b, d, keyMsg("pgdown"), keyMsg("pgup"))
}

// firstFrame signals when the first frame (the welcome screen's title) has
// been written.
type firstFrame struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	seen chan struct{}
	once sync.Once
}

func (f *firstFrame) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.buf.Write(p)
	if bytes.Contains(f.buf.Bytes(), []byte("Connect Salesforce")) {
		f.once.Do(func() { close(f.seen) })
	}
	return len(p), nil
}

// BenchmarkStartToFirstFrame is the time from RunWizard to the first frame
// on the output.
func BenchmarkStartToFirstFrame(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		out := &firstFrame{seen: make(chan struct{})}
		r, w := io.Pipe()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			RunWizard(ctx, WizardOptions{In: r, Out: out, Services: offline(), Initial: steps.Defaults("default"),
				ProgramOptions: []tea.ProgramOption{tea.WithWindowSize(100, 40)}})
		}()
		<-out.seen
		b.StopTimer()
		cancel()
		w.Close()
		<-done
		b.StartTimer()
	}
}
