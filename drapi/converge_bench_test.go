package drapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/httpx"
)

// handlerTransport serves each request with h in memory.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	in := r.Clone(r.Context())
	in.Host = r.URL.Host
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	return rec.Result(), nil
}

// BenchmarkEnsureCreateAmongWebhooks is a create that converges (the plan's
// list, the list right before the POST, the POST, the list after it and the
// read-back GET) in an account of n other webhooks, then the delete that
// leaves the account as it was. Its cost is three walks of the list: it
// should grow linearly with n.
func BenchmarkEnsureCreateAmongWebhooks(b *testing.B) {
	const key = "sk_test_bench00000"
	for _, n := range []int{100, 1000, 4000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			acct := emulator.Account{Keys: []emulator.Key{{Key: key, CanWebhooks: true}}}
			for i := range n {
				acct.Webhooks = append(acct.Webhooks, emulator.Webhook{
					Address: fmt.Sprintf("https://shop%d.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/", i),
					Types:   AppEvents, Enabled: true,
				})
			}
			e := emulator.New(emulator.Scenario{DigitalRiver: acct})
			c, err := New(key, Options{HTTPClient: httpx.NewClient(handlerTransport{e})})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				r, err := c.Webhooks.Ensure(ctx, desiredSpec(), EnsureOptions{})
				if err != nil || r.Action != ActionCreated {
					b.Fatalf("%+v, %v", r, err)
				}
				if err := c.Webhooks.Delete(ctx, r.Webhook.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
