//go:build unix

package debuglog

import "syscall"

// noFollow makes the open fail on a symbolic link even if one appears
// between the check and the open.
const noFollow = syscall.O_NOFOLLOW
