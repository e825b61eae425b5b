package plain

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPrompterReadsEachAnswerOnce(t *testing.T) {
	var out bytes.Buffer
	p := NewPrompter(context.Background(), strings.NewReader("maybe\ny\n\nacme-uat\n"), &out, false)
	ok, err := p.Confirm("Apply these 3 changes?", false)
	if err != nil || !ok {
		t.Fatalf("first answer: %v %v", ok, err)
	}
	ok, err = p.Confirm("Also delete the webhook?", false)
	if err != nil || ok {
		t.Fatalf("an empty line takes the default (no): %v %v", ok, err)
	}
	name, err := p.Ask("Profile name:")
	if err != nil || name != "acme-uat" {
		t.Fatalf("third answer %q %v: a line was lost between questions", name, err)
	}
	if !strings.Contains(out.String(), "Please answer y or n.") || !strings.Contains(out.String(), "(y or n, Enter for no):") {
		t.Errorf("questions:\n%s", out.String())
	}
}

func TestPrompterWithoutAnAnswerChangesNothing(t *testing.T) {
	for _, in := range []string{"", "q\n"} {
		p := NewPrompter(context.Background(), strings.NewReader(in), &bytes.Buffer{}, true)
		if ok, err := p.Confirm("Delete it?", true); ok || !errors.Is(err, ErrCancelled) {
			t.Errorf("input %q: %v %v, want a cancellation", in, ok, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := NewPrompter(ctx, silentInput{}, &bytes.Buffer{}, true)
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := p.Confirm("Delete it?", false); !errors.Is(err, ErrCancelled) {
		t.Errorf("cancelled while waiting: %v", err)
	}
}

// silentInput never answers, as a terminal nobody types at.
type silentInput struct{}

func (silentInput) Read([]byte) (int, error) { select {} }

// A script's answer that is neither y nor n ends with exit 2's error instead
// of asking for ever ("yes maybe | drsetup doctor --fix --accessible").
func TestPrompterRefusesAScriptsWrongAnswer(t *testing.T) {
	var out bytes.Buffer
	p := NewPrompter(context.Background(), &endless{[]byte("maybe\n")}, &out, true)
	_, err := p.Confirm("Make these 3 changes?", false)
	var ae *AnswerError
	if !errors.As(err, &ae) || ae.Question != "Make these 3 changes?" || !strings.Contains(err.Error(), "--yes") {
		t.Fatalf("err = %v", err)
	}
	if strings.Count(out.String(), "Make these") != 1 {
		t.Errorf("asked more than once:\n%s", out.String())
	}
}
