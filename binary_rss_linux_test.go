package main

import (
	"os"
	"syscall"
)

// peakRSS is the most memory a finished run held, in bytes (Linux reports
// ru_maxrss in KiB).
func peakRSS(ps *os.ProcessState) (int64, bool) {
	if ps == nil {
		return 0, false
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	return ru.Maxrss << 10, true
}
