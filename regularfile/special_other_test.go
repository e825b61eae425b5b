//go:build !unix

package regularfile

import "testing"

// addUnixSpecials adds nothing: the folder is the special file here.
func addUnixSpecials(t *testing.T, dir string, paths map[string]string) {}
