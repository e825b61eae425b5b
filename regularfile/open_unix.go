//go:build unix

package regularfile

import (
	"os"
	"syscall"
)

// O_NONBLOCK makes opening a FIFO return at once instead of waiting for a
// writer; on a regular file it changes nothing.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK
