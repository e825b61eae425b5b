package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/drsetup/drsetup/doctor"
)

// sinceFlag is doctor's --since: how far back the delivery checks look.
// Only the two windows of the contract are taken, 7d (the default) and 30d
// (as far back as Digital River's events list reaches).
type sinceFlag struct{ window time.Duration }

var sinceWindows = map[string]time.Duration{"7d": doctor.DefaultWindow, "30d": doctor.MaxWindow}

func (s *sinceFlag) String() string {
	for name, w := range sinceWindows {
		if w == s.window {
			return name
		}
	}
	return "7d"
}

// Set takes 7d or 30d; anything else is bad usage, which cobra reports
// with the flag's name (exit 2).
func (s *sinceFlag) Set(v string) error {
	w, ok := sinceWindows[strings.ToLower(strings.TrimSpace(v))]
	if !ok {
		return fmt.Errorf("doctor looks back 7d or 30d, not %q", v)
	}
	s.window = w
	return nil
}

func (s *sinceFlag) Type() string { return "7d|30d" }
