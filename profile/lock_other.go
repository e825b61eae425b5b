//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package profile

import (
	"errors"
	"os"
)

// errLockUnsupported is what tryLock says where the OS has no file locks
// drsetup knows how to take.
var errLockUnsupported = errors.New("file locks are not supported here")

// tryLock cannot lock here; Lock reports it and the caller goes on
// unlocked (Digital River's list keeps two runs from adding two webhooks).
func tryLock(*os.File) (bool, error) { return false, errLockUnsupported }

func unlockFile(*os.File) {}
