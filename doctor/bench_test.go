package doctor

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drsetup/drsetup/emulator"
)

// scaleScenario is a key with n app webhooks spread over orgs orgs (one org
// per webhook when orgs is 0), each webhook storing the login of its own
// user with a password found nowhere else: no two replays share a login,
// and the run learns two secrets per webhook, as a partner's key with many
// customers does.
func scaleScenario(n, orgs int) emulator.Scenario {
	if orgs <= 0 || orgs > n {
		orgs = n
	}
	sc := healthyScenario()
	sc.Orgs, sc.DigitalRiver.Webhooks = make([]emulator.Org, orgs), make([]emulator.Webhook, 0, n)
	for i := range orgs {
		o := acmeOrg()
		o.MyDomain = fmt.Sprintf("org%d.my.salesforce.com", i)
		o.Users = nil
		sc.Orgs[i] = o
	}
	for i := range n {
		o := &sc.Orgs[i%orgs]
		user := fmt.Sprintf("integration%d@org%d.example", i, i%orgs)
		pw := fmt.Sprintf("Pw-%d&scale", i)
		u := acmeOrg().Users[0]
		u.Username, u.Password = user, pw
		o.Users = append(o.Users, u)
		h := acmeHook()
		h.ID = fmt.Sprintf("0b7c3a52-3333-4000-8000-%012d", i)
		h.Address = "https://" + o.MyDomain + "/services/apexrest/digitalriverv3/webhooks/"
		h.OAuth.UserName, h.OAuth.Password = user, pw+u.SecurityToken
		sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, h)
	}
	return sc
}

// peakHeap samples the heap in use while it runs, for a figure a benchmark
// reports: what one run holds at its largest, the simulator's state included.
type peakHeap struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

func samplePeakHeap() *peakHeap {
	p := &peakHeap{stop: make(chan struct{})}
	p.done.Go(func() {
		var m runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			p.peak = max(p.peak, m.HeapAlloc)
			select {
			case <-p.stop:
				return
			case <-tick.C:
			}
		}
	})
	return p
}

func (p *peakHeap) end() uint64 {
	close(p.stop)
	p.done.Wait()
	return p.peak
}

// BenchmarkKeyOnlyDoctor runs key-only doctor over the simulator at 100,
// 1,000 and 5,000 app webhooks, one org each and spread over 10 orgs. Time,
// allocations and peak heap should grow linearly with the webhooks, and no
// check may fail for want of time. cpu-ms/op is the process's CPU time per
// run, the simulator's included, which other work on a shared machine does
// not inflate as it does ns/op.
func BenchmarkKeyOnlyDoctor(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		for _, orgs := range []int{0, 10} {
			name := fmt.Sprintf("webhooks=%d/orgs=%d", n, orgs)
			if orgs == 0 {
				name = fmt.Sprintf("webhooks=%d/orgs=%d", n, n)
			}
			b.Run(name, func(b *testing.B) {
				w := start(b, scaleScenario(n, orgs), nil)
				o := w.options(nil, nil, map[string]string{"DRSETUP_DR_API_KEY": liveKey})
				var peak uint64
				var cpu time.Duration
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					runtime.GC()
					p := samplePeakHeap()
					before := cpuTime()
					rep := Run(context.Background(), o)
					cpu += cpuTime() - before
					peak = max(peak, p.end())
					b.StopTimer()
					checkScaleReport(b, rep, n, orgs)
					b.StartTimer()
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				// The simulator's share included: it runs in this process.
				b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// checkScaleReport fails the benchmark when a check of a healthy setup
// failed: the duplicates of webhooks sharing an org are the only failures
// the scenario has.
func checkScaleReport(b *testing.B, rep *Report, n, orgs int) {
	b.Helper()
	if len(rep.Webhooks) != n {
		b.Fatalf("%d webhooks examined, want %d", len(rep.Webhooks), n)
	}
	for _, c := range rep.Checks {
		if c.Status != Fail || (c.ID == CheckWebhookDuplicates && orgs > 0) {
			continue
		}
		b.Fatalf("%s %s failed: %s", c.ID, c.WebhookID, c.Summary)
	}
	for _, c := range rep.Checks {
		if strings.Contains(c.Summary, "in time") {
			b.Fatalf("%s %s ran out of time: %s", c.ID, c.WebhookID, c.Summary)
		}
	}
}
