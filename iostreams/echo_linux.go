package iostreams

import "golang.org/x/sys/unix"

const (
	ioctlReadTermios  = unix.TCGETS
	ioctlWriteTermios = unix.TCSETS
	// ioctlWriteTermiosFlush sets the state after dropping unread input.
	ioctlWriteTermiosFlush = unix.TCSETSF
)
