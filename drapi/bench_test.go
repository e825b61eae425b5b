package drapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
)

// pagedServer serves n webhooks, pre-encoded a page at a time, so that a
// benchmark measures the client rather than the server.
func pagedServer(tb testing.TB, n int) *httptest.Server {
	tb.Helper()
	pages := map[string][]byte{}
	after := ""
	for start := 0; start < n; start += pageSize {
		var data []map[string]any
		for i := start; i < min(start+pageSize, n); i++ {
			data = append(data, map[string]any{
				"id":            fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1),
				"address":       fmt.Sprintf("https://shop%d.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/", i+1),
				"types":         AppEvents,
				"apiVersion":    "default",
				"enabled":       true,
				"transportType": "OAUTH",
				"oauth": map[string]any{
					"tokenEndPoint": "https://login.salesforce.com/services/oauth2/token",
					"userName":      fmt.Sprintf("integration%d@example.com", i+1),
					"password":      fmt.Sprintf("password-%d-and-its-security-token", i+1),
					"clientID":      "3MVG9lKcPoNINVBIPJjdw1J9LLM82HnFVVX19KY1uA5mu0QqEWhqKpoW3svG3XnbVWE0XsTQ4Yr4ozl7dBYt",
					"clientSecret":  fmt.Sprintf("%064d", i+1),
					"grantType":     "password",
				},
				"liveMode":    false,
				"createdTime": "2023-01-02T03:04:05.678Z",
				"updatedTime": "2023-01-02T03:04:05.678Z",
			})
		}
		end := start + len(data)
		b, _ := json.Marshal(map[string]any{"data": data, "hasMore": end < n})
		pages[after] = b
		after = data[len(data)-1]["id"].(string)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(pages[r.URL.Query().Get("startingAfter")])))
		w.Write(pages[r.URL.Query().Get("startingAfter")])
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// BenchmarkFindByAddress finds one webhook among n, reading every page as
// FindByAddress must. Compare allocs/op across sizes: they grow by the same
// amount per page, since nothing of a page outlives it.
func BenchmarkFindByAddress(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("webhooks=%d", n), func(b *testing.B) {
			srv := pagedServer(b, n)
			c, err := New(testKey, Options{BaseURL: srv.URL, AllowAnyHost: true})
			if err != nil {
				b.Fatal(err)
			}
			want := fmt.Sprintf("https://SHOP%d.my.salesforce.com/services/apexrest/digitalriverv3/webhooks", n-7)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				found, err := c.Webhooks.FindByAddress(ctx, want)
				if err != nil || len(found) != 1 {
					b.Fatalf("found %d, %v", len(found), err)
				}
			}
			b.ReportMetric(float64(n/pageSize), "pages/op")
		})
	}
}

// TestAllHoldsOnePageAtATime checks that walking 5,000 webhooks keeps no more
// in memory late in the walk than early in it: the heap after a collection
// at page 46 is within a page's worth of the heap at page 6. Holding every
// decoded webhook would add several megabytes.
func TestAllHoldsOnePageAtATime(t *testing.T) {
	if testing.Short() {
		t.Skip("walks 5,000 webhooks")
	}
	srv := pagedServer(t, 5000)
	c, err := New(testKey, Options{BaseURL: srv.URL, AllowAnyHost: true})
	if err != nil {
		t.Fatal(err)
	}
	heap := func() int64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	var early, late int64
	i := 0
	for _, err := range c.Webhooks.All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		switch i {
		case 550:
			early = heap()
		case 4550:
			late = heap()
		}
		i++
	}
	if i != 5000 {
		t.Fatalf("walked %d webhooks, want 5000", i)
	}
	t.Logf("live heap at page 6: %d KiB, at page 46: %d KiB", early>>10, late>>10)
	if late-early > 512<<10 {
		t.Fatalf("live heap grew by %d KiB over 40 pages; All must not keep past pages", (late-early)>>10)
	}
}

// BenchmarkAllMemory walks every webhook of an account of n, as webhooks
// list and doctor do, and reports besides B/op and allocs/op the peak live
// heap the walk holds: in the middle of every page, after a collection,
// HeapAlloc less the heap before the walk (which holds the server's
// pre-encoded pages). Flat memory across pages means peak-live-heap-B is
// about one page, the same at 5,000 and 20,000.
func BenchmarkAllMemory(b *testing.B) {
	for _, n := range []int{5000, 20000} {
		b.Run(fmt.Sprintf("webhooks=%d", n), func(b *testing.B) {
			srv := pagedServer(b, n)
			c, err := New(testKey, Options{BaseURL: srv.URL, AllowAnyHost: true})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var peak uint64
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				base := m.HeapAlloc
				b.StartTimer()
				i := 0
				for _, err := range c.Webhooks.All(ctx) {
					if err != nil {
						b.Fatal(err)
					}
					if i++; i%pageSize == pageSize/2 {
						b.StopTimer()
						runtime.GC()
						runtime.ReadMemStats(&m)
						if m.HeapAlloc > base {
							peak = max(peak, m.HeapAlloc-base)
						}
						b.StartTimer()
					}
				}
				if i != n {
					b.Fatalf("walked %d webhooks, want %d", i, n)
				}
			}
			b.ReportMetric(float64(peak), "peak-live-heap-B")
		})
	}
}
