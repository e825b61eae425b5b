package theme

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
)

func TestNoColorStylesRenderNoColourEscapes(t *testing.T) {
	s := New(true, false)
	for name, out := range map[string]string{
		"title": s.Title.Render("Step 3"), "fail": s.Fail.Render("failed"), "code": s.Code.Render("https://x"),
		"warn": s.Warn.Render("careful"), "pass": s.Pass.Render("ok"),
	} {
		if strings.Contains(out, "38;") || strings.Contains(out, "48;") {
			t.Errorf("%s renders a colour escape without colour: %q", name, out)
		}
	}
	if s.Color || s.Cursor != nil {
		t.Error("colourless styles must say so and have no cursor colour")
	}
}

func TestProfileWithoutColourIsAscii(t *testing.T) {
	if p := Profile(&bytes.Buffer{}, []string{"TERM=xterm-256color", "NO_COLOR=yes"}, false); p != colorprofile.Ascii {
		t.Fatalf("profile %v, want Ascii", p)
	}
}

func TestWriterStripsColourForAscii(t *testing.T) {
	var buf bytes.Buffer
	w := Writer(&buf, colorprofile.Ascii)
	w.Write([]byte(New(true, true).Fail.Render("failed")))
	if strings.Contains(buf.String(), "38;") || !strings.Contains(buf.String(), "failed") {
		t.Fatalf("Ascii writer output %q", buf.String())
	}
	buf.Reset()
	Writer(&buf, colorprofile.NoTTY).Write([]byte(New(true, true).Fail.Render("failed")))
	if buf.String() != "failed" {
		t.Fatalf("NoTTY writer output %q, want plain text", buf.String())
	}
}

func TestLightAndDarkDiffer(t *testing.T) {
	if New(true, true).Title.GetForeground() == New(false, true).Title.GetForeground() {
		t.Fatal("the accent should adapt to the background")
	}
}
