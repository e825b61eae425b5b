//go:build unix

package doctor

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used so far (user and system),
// for benchmarks on a shared machine where wall time also counts others'
// work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
