package emulator

import (
	"io"
	"net/http"
	"testing"
)

func BenchmarkPasswordLogin(b *testing.B) {
	e := New(testScenario())
	form := passwordForm(acmeClient, acmeSecret, apiUser, apiPass+apiToken)
	for b.Loop() {
		if rec := login(b, e, loginHost, form); rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkListPage lists the middle page of 100 of 250 webhooks.
func BenchmarkListPage(b *testing.B) {
	e := New(scenarioWith250())
	after := e.Webhooks(modeTest)[99].ID
	for b.Loop() {
		if rec := drCall(b, e, testKey, http.MethodGet, "/webhooks?limit=100&startingAfter="+after, ""); rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkTLSRoundTrip is one Digital River request through Start's TLS
// server and transport, on a kept-alive connection.
func BenchmarkTLSRoundTrip(b *testing.B) {
	srv, err := Start(testScenario())
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	c := &http.Client{Transport: srv.Transport()}
	req, _ := http.NewRequest(http.MethodGet, "https://api.digitalriver.com/webhooks", nil)
	req.Header.Set("Authorization", "Bearer "+testKey)
	for b.Loop() {
		resp, err := c.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(err, resp)
		}
		io.Copy(io.Discard, resp.Body) // read to the end, so the connection is reused
		resp.Body.Close()
	}
}
