package doctorview

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/iostreams"
	"github.com/drsetup/drsetup/ui/theme"
)

func TestThePlanSaysEachFixOnceAndWhatIsLeft(t *testing.T) {
	plan := runDoctor(t, emulator.DoctorDemoScenario(), emulator.Demo.DRKey).FixPlan()
	for _, c := range []struct {
		name  string
		width int
		words bool
	}{{"terminal, 60 columns", 60, false}, {"terminal, 100 columns", 100, false}, {"accessible", 100, true}} {
		t.Run(c.name, func(t *testing.T) {
			ios, _, _, errOut := iostreams.Test()
			ios.SetTTY(true, true, true)
			ios.SetWidth(c.width)
			ios.SetAccessible(c.words)
			if err := ShowPlan(ios, plan); err != nil {
				t.Fatal(err)
			}
			out := errOut.String()
			for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
				if w := ansi.StringWidth(line); w > c.width && !strings.Contains(line, "https://") {
					t.Errorf("a line %d wide: %q", w, line)
				}
			}
			fl := strings.Join(strings.Fields(out), " ")
			for i, f := range plan.Fixes {
				// The fix's line opens with what it does to which webhook
				// ("Update webhook <id>:"); the webhook itself may also be
				// named among what is left as it is.
				if head := strings.Join(strings.Fields(f.Line()), " ")[:40]; strings.Count(fl, head) != 1 || !strings.Contains(head, f.WebhookID[:8]) {
					t.Errorf("fix %d is not said once:\n%s", i+1, out)
				}
			}
			for _, want := range []string{"drsetup can make 3 changes:", "Left as they are", "Not fixed:"} {
				if !strings.Contains(fl, want) {
					t.Errorf("the plan lacks %q:\n%s", want, out)
				}
			}
			if got := strings.Contains(out, "fail Digital River's login"); got != c.words {
				t.Errorf("statuses as words %v in accessible mode %v:\n%s", got, c.words, out)
			}
		})
	}
}

func TestTheReportOfAFixRunSaysWhatWasMade(t *testing.T) {
	rep := runDoctor(t, emulator.DoctorDemoScenario(), emulator.Demo.DRKey)
	plan := rep.FixPlan()
	outs := []doctor.FixOutcome{
		{Fix: plan.Fixes[0], Changes: []drapi.Change{{Field: "address"}}},
		{Fix: plan.Fixes[1], Err: &drapi.GoneError{WebhookID: plan.Fixes[1].WebhookID}},
		{Fix: plan.Fixes[2], Err: errors.New("x"), Gone: false},
	}
	outs[1].Err, outs[1].Gone = nil, true // gone meanwhile: neither made nor failed
	rep.Record(outs)
	var b bytes.Buffer
	if err := Render(&b, rep, Options{Styles: theme.New(true, false), Width: 80}); err != nil {
		t.Fatal(err)
	}
	fl := strings.Join(strings.Fields(b.String()), " ")
	if !strings.Contains(fl, "Fixes made before these checks: Updated webhook "+plan.Fixes[0].WebhookID+": address") {
		t.Errorf("the made fix is not listed:\n%s", b.String())
	}
	if strings.Contains(fl, "Updated webhook "+plan.Fixes[1].WebhookID) || !strings.Contains(fl, "Not made: Delete webhook "+plan.Fixes[2].WebhookID) {
		t.Errorf("a fix not made is listed as made, or the failed one is not said:\n%s", b.String())
	}
	if len(rep.Fixes) != 1 || rep.Fixes[0].Action != "updated" {
		t.Errorf("fixes %+v", rep.Fixes)
	}
	// Without --fix there is no such section.
	rep = runDoctor(t, emulator.DoctorDemoScenario(), emulator.Demo.DRKey)
	b.Reset()
	Render(&b, rep, Options{Styles: theme.New(true, false), Width: 80})
	if strings.Contains(b.String(), "Fixes") {
		t.Errorf("a report without --fix speaks of fixes:\n%s", b.String())
	}
}
