//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package iostreams

import "golang.org/x/sys/unix"

const (
	ioctlReadTermios  = unix.TIOCGETA
	ioctlWriteTermios = unix.TIOCSETA
	// ioctlWriteTermiosFlush sets the state after dropping unread input.
	ioctlWriteTermiosFlush = unix.TIOCSETAF
)
