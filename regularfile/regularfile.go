// Package regularfile opens files that must be plain files (a profile, a
// scenario) and refuses named pipes, devices, sockets and directories before
// anything can block on them: opening a FIFO for reading waits for a writer
// that may never come.
package regularfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrNotRegular matches every *NotRegularError.
var ErrNotRegular = errors.New("not a regular file")

// NotRegularError is a path that is not the kind of file it should be.
type NotRegularError struct {
	Path    string
	Mode    fs.FileMode // the type bits of what is there
	WantDir bool        // a folder was expected, not a file
}

func (e *NotRegularError) Error() string {
	want := "a regular file"
	if e.WantDir {
		want = "a folder"
	}
	return fmt.Sprintf("%s is %s, not %s", e.Path, Describe(e.Mode), want)
}

// Is makes errors.Is(err, ErrNotRegular) true.
func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// Describe names the kind of file mode m is, in words for a message.
func Describe(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file"
}

// Open opens path for reading when it is a regular file (a symbolic link to
// one is fine) and returns a *NotRegularError, without blocking, when it is
// anything else. Errors from the OS (not there, no permission) come back as
// os.Open's, so errors.Is(err, fs.ErrNotExist) still works.
func Open(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &NotRegularError{Path: path, Mode: fi.Mode().Type()}
	}
	// What was checked may be swapped for a FIFO before the open: the open
	// does not wait for a writer (openFlags), and the open file is checked
	// again.
	f, err := os.OpenFile(path, openFlags, 0)
	if err != nil {
		return nil, err
	}
	fi, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &NotRegularError{Path: path, Mode: fi.Mode().Type()}
	}
	return f, nil
}

// CheckDir returns a *NotRegularError when path exists and is not a folder
// (reading a FIFO as a folder would block), the OS's error when it cannot be
// looked at, and nil when it is a folder or does not exist.
func CheckDir(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !fi.IsDir():
		return &NotRegularError{Path: path, Mode: fi.Mode().Type(), WantDir: true}
	}
	return nil
}
