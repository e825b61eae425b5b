package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/steps"
)

// longValue is a My Domain value of n characters as a careless paste makes
// one: a Lightning URL with a long path and query.
func longValue(n int) string {
	const head = "https://acme.lightning.force.com/lightning/setup/"
	if n <= len(head) {
		return head[:n]
	}
	var b strings.Builder
	b.WriteString(head)
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "seg%d/", i)
	}
	return b.String()[:n]
}

// BenchmarkKeystrokeLongField types one character (and takes it back) in a
// field already holding n characters, Update plus View of the screen as
// the program does per key: the My Domain field, checked as typed, and a
// masked Password field.
func BenchmarkKeystrokeLongField(b *testing.B) {
	for _, n := range []int{10, 1000, 4000} {
		b.Run(fmt.Sprintf("mydomain/len=%d", n), func(b *testing.B) {
			d := newDriver(b, WizardOptions{})
			d.keys("enter", "enter")
			d.requireScreen(steps.MyDomain)
			d.paste(longValue(n))
			benchKeys(b, d, keyMsg("x"), keyMsg("backspace"))
		})
		b.Run(fmt.Sprintf("password/len=%d", n), func(b *testing.B) {
			d := newDriver(b, WizardOptions{})
			d.send(gotoMsg{to: steps.User})
			d.keys("enter")
			d.paste(strings.Repeat("p", n))
			benchKeys(b, d, keyMsg("x"), keyMsg("backspace"))
		})
	}
}

// BenchmarkTypedWithoutPaste sends 2,000 characters as separate key
// messages into the My Domain field, as a terminal without bracketed paste
// delivers a paste, and draws once at the end (Bubble Tea draws at its frame
// rate, not per message). ns/op is the whole 2,000; first-ns/key and
// last-ns/key are the mean cost of the first and the last 200 keys, equal
// when a key's cost does not grow with the value.
func BenchmarkTypedWithoutPaste(b *testing.B) {
	const n, part = 2000, 200
	v := longValue(n)
	keys := make([]tea.KeyPressMsg, 0, n)
	for _, r := range v {
		keys = append(keys, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	var first, last time.Duration
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		d := newDriver(b, WizardOptions{})
		d.keys("enter", "enter")
		b.StartTimer()
		t0 := time.Now()
		for i, k := range keys {
			switch i {
			case part:
				first += time.Since(t0)
			case n - part:
				t0 = time.Now()
			}
			d.w.Update(k)
		}
		last += time.Since(t0)
		_ = d.w.View()
	}
	b.ReportMetric(float64(first.Nanoseconds())/float64(b.N*part), "first-ns/key")
	b.ReportMetric(float64(last.Nanoseconds())/float64(b.N*part), "last-ns/key")
}
