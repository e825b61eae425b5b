package ui

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"runtime"
	"time"

	tea "charm.land/bubbletea/v2"
)

// clipboardTimeout bounds a clipboard tool that hangs (an X server that
// does not answer).
const clipboardTimeout = 3 * time.Second

// clipboardCommands are the tools that print the clipboard, in the order
// they are tried: those of the OS, and on Unix those of Wayland, X and
// Termux. They are looked up on PATH only when ctrl+v is pressed, never at
// start.
func clipboardCommands() [][]string {
	switch runtime.GOOS {
	case "darwin":
		return [][]string{{"pbpaste"}}
	case "windows":
		return [][]string{{"powershell.exe", "-NoProfile", "-NonInteractive", "-Command", "Get-Clipboard"}}
	}
	var cmds [][]string
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		cmds = append(cmds, []string{"wl-paste", "--no-newline"})
	}
	return append(cmds,
		[]string{"xclip", "-out", "-selection", "clipboard"},
		[]string{"xsel", "--output", "--clipboard"},
		[]string{"termux-clipboard-get"})
}

// readClipboard is the command ctrl+v runs: the clipboard as a paste, or
// nothing when no tool is there or it fails (most terminals paste by
// themselves, with bracketed paste, which needs none of this).
func readClipboard() tea.Msg {
	for _, c := range clipboardCommands() {
		path, err := exec.LookPath(c[0])
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), clipboardTimeout)
		out, err := exec.CommandContext(ctx, path, c[1:]...).Output()
		cancel()
		if err != nil {
			return nil
		}
		if len(out) > 4*maxInput {
			out = out[:4*maxInput]
		}
		return tea.PasteMsg{Content: string(bytes.TrimRight(out, "\r\n"))}
	}
	return nil
}
