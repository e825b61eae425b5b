package doctor

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkFixPlan plans the fixes of a key-only run at 100, 1,000 and
// 5,000 app webhooks spread over 10 orgs (so each org holds hundreds of
// duplicates to delete): planning should grow linearly with the webhooks,
// and with the run's report already made it sends nothing.
func BenchmarkFixPlan(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		b.Run(fmt.Sprintf("webhooks=%d/orgs=10", n), func(b *testing.B) {
			w := start(b, scaleScenario(n, 10), nil)
			rep := Run(context.Background(), w.options(nil, nil, map[string]string{"DRSETUP_DR_API_KEY": liveKey}))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				plan := rep.FixPlan()
				if len(plan.Fixes) != n-10 {
					b.Fatalf("%d fixes for %d webhooks over 10 orgs, want %d deletes", len(plan.Fixes), n, n-10)
				}
			}
		})
	}
}
