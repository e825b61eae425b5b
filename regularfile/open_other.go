//go:build !unix

package regularfile

import "os"

// Without FIFOs in the file system (Windows' named pipes live under
// \\.\pipe\ and Stat reports them as not regular), the check before the
// open is the guard.
const openFlags = os.O_RDONLY
