//go:build darwin || dragonfly || freebsd || netbsd || openbsd || linux

package iostreams

import (
	"bytes"
	"errors"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// hideInput turns echo off on terminal fd, as term.ReadPassword does, but
// in the caller, before any read starts: a signal that ends the prompt can
// then restore echo knowing nothing will turn it off again afterwards
// (ReadPassword in a goroutine could still be about to). restore puts back
// the state from before, and with discard drops what was typed and not yet
// entered: the part of a secret typed when the prompt was cancelled would
// otherwise go to the shell, which echoes it. read reads one line without
// echo.
func hideInput(fd int) (read func() ([]byte, error), restore func(discard bool), err error) {
	old, err := unix.IoctlGetTermios(fd, ioctlReadTermios)
	if err != nil {
		return nil, nil, err
	}
	hidden := *old
	hidden.Lflag &^= unix.ECHO
	hidden.Lflag |= unix.ICANON | unix.ISIG
	hidden.Iflag |= unix.ICRNL
	if err := unix.IoctlSetTermios(fd, ioctlWriteTermios, &hidden); err != nil {
		return nil, nil, err
	}
	restore = func(discard bool) {
		req := uint(ioctlWriteTermios)
		if discard {
			req = ioctlWriteTermiosFlush
		}
		_ = unix.IoctlSetTermios(fd, req, old)
	}
	f := os.NewFile(uintptr(fd), "stdin")
	read = func() ([]byte, error) { return readLine(f) }
	return read, restore, nil
}

// readLine reads up to a line break, one byte at a time so nothing after
// the line is taken from the terminal. The terminal is in line mode, so its
// own line editing (backspace, ^U) has already applied.
func readLine(r io.Reader) ([]byte, error) {
	var line []byte
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n > 0 {
			if b[0] == '\n' {
				return bytes.TrimSuffix(line, []byte{'\r'}), nil
			}
			line = append(line, b[0])
			continue
		}
		if errors.Is(err, io.EOF) && len(line) > 0 {
			return line, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
