package explain

import (
	"strings"
	"testing"
)

// The delivery checks' words follow the key's mode and the listener's band.
func TestEvidenceWords(t *testing.T) {
	if m, _ := PendingEvents("live"); !strings.Contains(m, "for up to 72 hours") || !strings.Contains(m, "loosely") {
		t.Errorf("live: %q", m)
	}
	if m, _ := PendingEvents("test"); !strings.Contains(m, "3 or 4 times over a few hours") {
		t.Errorf("test: %q", m)
	}
	if _, r := NoOrderEvents("test"); !strings.Contains(r, "live mode") {
		t.Errorf("a test key's remedy: %q", r)
	}
	if _, r := NoOrderEvents("live"); !strings.Contains(r, "test mode") {
		t.Errorf("a live key's remedy: %q", r)
	}
	for _, tc := range []struct {
		slow, late bool
		meaning    string
		remedy     bool
	}{
		{false, false, "there is room for it", false},
		{false, true, "some deliveries may take longer", true},
		{true, false, "counts a slower answer as failed", true},
	} {
		m, r := Latency(tc.slow, tc.late)
		if !strings.Contains(m, tc.meaning) || (r != "") != tc.remedy {
			t.Errorf("slow %v late %v: %q / %q", tc.slow, tc.late, m, r)
		}
	}
	if _, r := FailedEvents(); !strings.Contains(r, "digitalriverv3__DR_Failed_Event__c") || !strings.Contains(r, "never reads their payloads") {
		t.Errorf("failed events' remedy: %q", r)
	}
}
