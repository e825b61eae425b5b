//go:build !(darwin || dragonfly || freebsd || netbsd || openbsd || linux)

package iostreams

import "golang.org/x/term"

// hideInput, where termios is not at hand (Windows), leaves echo to
// term.ReadPassword, which turns it off and back on around the read.
func hideInput(fd int) (read func() ([]byte, error), restore func(discard bool), err error) {
	state, err := term.GetState(fd)
	if err != nil {
		return nil, nil, err
	}
	return func() ([]byte, error) { return term.ReadPassword(fd) }, func(bool) { _ = term.Restore(fd, state) }, nil
}
