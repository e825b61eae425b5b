//go:build !unix

package debuglog

// noFollow is 0 where the OS has no O_NOFOLLOW: O_EXCL already refuses any
// existing path, a symbolic link included.
const noFollow = 0
