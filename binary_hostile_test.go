package main

// Binary tests of hostile conditions: servers that never stop paging,
// special files where drsetup expects regular ones, signals that end the
// program on a terminal.

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/drsetup/drsetup/drapi"
)

// A Digital River URL that keeps answering hasMore with new ids: the run
// ends after the page bound with the message, exit 1, at bounded memory.
func TestWebhooksListEndsAnEndlessList(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		var b strings.Builder
		b.WriteString(`{"hasMore":true,"data":[`)
		for i := range 100 {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id":"wh-%d-%d","address":"https://shop%d.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/","types":["order.accepted","order.complete"],"enabled":true,"transportType":"OAUTH","oauth":{"tokenEndPoint":"https://login.salesforce.com/services/oauth2/token","userName":"u%d@example.com","password":"pw-%d","clientID":"3MVG9","clientSecret":"cs-%d","grantType":"password"},"createdTime":"2024-05-01T09:00:00Z"}`, n, i, i, i, n, n)
		}
		b.WriteString("]}")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, b.String())
	}))
	defer srv.Close()
	for _, args := range [][]string{{"webhooks", "list"}, {"webhooks", "list", "--json"}} {
		requests.Store(0)
		c := newCLI(t).setenv("DRSETUP_DR_API_KEY=sk_test_abcdefgh12", "DRSETUP_DR_API_URL="+srv.URL)
		c.run(append([]string{"--allow-any-host"}, args...)...).want(1)
		msg := c.stderr.String()
		for _, want := range []string{"still said more follow after 20000 webhooks on 200 pages", "Developers → Webhooks"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%v: stderr lacks %q:\n%s", args, want, msg)
			}
		}
		if got := requests.Load(); got != drapi.DefaultMaxPages {
			t.Errorf("%v: %d requests, want %d", args, got, drapi.DefaultMaxPages)
		}
		if c.stdout.Len() != 0 {
			t.Errorf("%v: a list cut short is no result, yet stdout has %d bytes", args, c.stdout.Len())
		}
		if rss, ok := peakRSS(c.state); ok {
			// Without the bound the run never ends and passes 280 MB within
			// minutes.
			t.Logf("%v: peak RSS %d MiB", args, rss>>20)
			if rss > 150<<20 {
				t.Errorf("%v: peak RSS %d MiB; the rows of 200 pages need far less", args, rss>>20)
			}
		}
	}
}
