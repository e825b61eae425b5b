package ui

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/drsetup/drsetup/field"
)

// ctrl+v pastes what the OS's clipboard tool prints, found on PATH only
// when the key is pressed.
func TestCtrlVPastesWhatTheClipboardToolPrints(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("fakes xclip, the Linux tool")
	}
	dir := t.TempDir()
	tool := filepath.Join(dir, "xclip")
	if err := os.WriteFile(tool, []byte("#!/bin/sh\nprintf 'https://acme.my.salesforce.com\\n'\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	t.Setenv("WAYLAND_DISPLAY", "")
	f := newField(field.MyDomain, false, "")
	f.focus()
	changed, cmd := f.update(editKey("ctrl+v"))
	if changed || cmd == nil {
		t.Fatalf("ctrl+v: changed %v, command %v; want a command that reads the clipboard", changed, cmd)
	}
	msg, ok := cmd().(tea.PasteMsg)
	if !ok || msg.Content != "https://acme.my.salesforce.com" {
		t.Fatalf("the command gave %#v", cmd())
	}
	if changed, _ := f.update(msg); !changed || f.value() != "https://acme.my.salesforce.com" {
		t.Fatalf("after the paste the value is %q", f.value())
	}

	// No tool at all: nothing happens.
	t.Setenv("PATH", t.TempDir())
	if got := readClipboard(); got != nil {
		t.Fatalf("without a clipboard tool: %#v", got)
	}
}
