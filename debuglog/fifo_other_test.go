//go:build !unix

package debuglog

import "errors"

func syscallMkfifo(string) error { return errors.New("no named pipes here") }
