package sfcheck

import (
	"context"
	"net/http"
	"strconv"
	"testing"
)

// BenchmarkLoginHistory reads LoginHistoryLimit rows over five pages of 40,
// as an org with a small batch size answers: the cost of one
// sf_login_history read, TLS and JSON included.
func BenchmarkLoginHistory(b *testing.B) {
	f := sfPages{records: loginRows(LoginHistoryLimit, func(i int) string { return "Failed: API security token required" }), size: 40, version: "66.0"}
	pages := map[string]string{}
	for start := 0; start < LoginHistoryLimit; start += f.size {
		pages[f.pageURL(start)] = f.page(start)
	}
	c, _ := fakeSalesforce(b, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, pages[r.URL.Path])
	})
	s := restSession()
	b.ReportAllocs()
	for b.Loop() {
		rows, err := c.LoginHistory(context.Background(), s, since)
		if err != nil || len(rows) != LoginHistoryLimit {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}

// BenchmarkClassifyLoginStatus sorts one Status, as done for every row.
func BenchmarkClassifyLoginStatus(b *testing.B) {
	statuses := []string{"Success", "Failed: API security token required", "Username-Password Flow Disabled", "Failed: Computer activation required"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ClassifyLoginStatus(statuses[i%len(statuses)])
		i++
	}
}

// pageURL is the path a page is asked for at.
func (f sfPages) pageURL(start int) string {
	if start == 0 {
		return "/services/data/v" + f.version + "/query"
	}
	return "/services/data/v" + f.version + "/query/01gx0000004Cur1AAC-" + strconv.Itoa(start)
}
