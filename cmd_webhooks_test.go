package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
)

func TestWebhooksListPipedIsTabSeparated(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.env["DRSETUP_DR_API_KEY"] = tKey
	r := w.exec(tty{}, "webhooks", "list").want(t, 0)
	lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want a header and two webhooks:\n%s", len(lines), r.out)
	}
	// Exactly one tab between values, no padding: cut -f and awk -F'\t' work.
	if got := strings.Split(lines[0], "\t"); !slices.Equal(got, []string{"ID", "ADDRESS", "ENABLED", "TRANSPORT", "GRANT", "TYPES", "CREATED"}) {
		t.Errorf("header %q", lines[0])
	}
	for i, want := range [][]string{
		{tHookID, tEndpoint, "yes", "OAUTH", "password", "8", "2024-05-01T09:00:00Z"},
		{"https://erp.acme.example/digitalriver/events", "no", "HTTP", "-", "1", "2024-05-01T09:01:00Z"},
	} {
		got := strings.Split(lines[i+1], "\t")
		if i == 1 {
			got = got[1:] // a generated id
		}
		if !slices.Equal(got, want) {
			t.Errorf("row %d: %q, want %q", i+1, got, want)
		}
	}
	if strings.Contains(r.out, "  ") || strings.Contains(r.out, "…") {
		t.Errorf("piped output is padded or cut:\n%s", r.out)
	}
	if r.errOut != "" {
		t.Errorf("stderr not empty when not a terminal: %q", r.errOut)
	}

	// With stderr on a terminal, stderr says what the wait is for; stdout,
	// still piped, is the same.
	rt := w.exec(tty{stderr: true}, "webhooks", "list").want(t, 0)
	if !strings.Contains(rt.errOut, "Listing the webhooks of the live key sk_live_********") || strings.Contains(rt.errOut, tKey) {
		t.Errorf("stderr on a terminal: %q", rt.errOut)
	}
	if rt.out != r.out {
		t.Errorf("stdout differs with stderr on a terminal:\n%s", rt.out)
	}
}

func TestWebhooksListFitsTheTerminal(t *testing.T) {
	sc := cmdScenario()
	long := "https://erp.acme.example/digitalriver/" + strings.Repeat("x", 150)
	sc.DigitalRiver.Webhooks = append(sc.DigitalRiver.Webhooks, emulator.Webhook{Address: long, Types: []string{"order.complete"}, Enabled: true, LiveMode: true})
	w := newCmdWorld(t, sc)
	w.env["DRSETUP_DR_API_KEY"] = tKey
	for _, width := range []int{60, 80, 100, 120, 200, 300} {
		r := w.exec(tty{stdout: true, stderr: true, width: width}, "webhooks", "list").want(t, 0)
		lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
		if len(lines) != 4 {
			t.Fatalf("at %d columns: %d lines:\n%s", width, len(lines), r.out)
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > width {
				t.Errorf("at %d columns a line is %d wide: %q", width, ansi.StringWidth(l), l)
			}
			if strings.Contains(l, "\t") || strings.HasSuffix(l, " ") {
				t.Errorf("at %d columns: tabs or trailing spaces in %q", width, l)
			}
		}
		if !strings.HasPrefix(lines[1], tHookID+"  ") {
			t.Errorf("at %d columns the id is not whole: %q", width, lines[1])
		}
		cut := !strings.Contains(r.out, long)
		if cut != strings.Contains(r.out, "…") {
			t.Errorf("at %d columns an address was cut without an ellipsis (or the reverse):\n%s", width, r.out)
		}
		if width >= 200 && !strings.Contains(r.out, tEndpoint) {
			t.Errorf("at %d columns the app's endpoint address should be whole:\n%s", width, r.out)
		}
		header := strings.Fields(lines[0])
		if width >= 300 && len(header) != 7 {
			t.Errorf("at %d columns every column fits: %q", width, header)
		}
		if len(header) < 7 {
			if said := strings.Join(strings.Fields(r.errOut), " "); !strings.Contains(said, "left out to fit") || !strings.Contains(said, "--json") {
				t.Errorf("at %d columns %q shown, and stderr does not say what was left out: %q", width, header, r.errOut)
			}
			for _, l := range strings.Split(r.errOut, "\n") {
				if utf8.RuneCountInString(l) > width {
					t.Errorf("at %d columns stderr's line is wider: %q", width, l)
				}
			}
		} else if strings.Contains(r.errOut, "left out") {
			t.Errorf("at %d columns nothing was left out, yet: %q", width, r.errOut)
		}
		if header[0] != "ID" || header[1] != "ADDRESS" {
			t.Errorf("at %d columns the id and address come first: %q", width, header)
		}
	}
}

// Whatever the width and the addresses, a fitted table never exceeds the
// width once it can hold the id and the shortest address, never cuts an
// id, and leaves out only the columns it says it did.
func TestWebhookTableLayoutProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 19))
	for i := 0; i < 500; i++ {
		var rows []webhookRow
		for range 1 + rng.IntN(6) {
			rows = append(rows, webhookRow{
				ID:            fmt.Sprintf("%08x-aaaa-4000-8000-%012x", rng.Uint32(), rng.Uint64()&0xffffffffffff),
				Address:       "https://" + strings.Repeat("ab.", rng.IntN(40)) + "example.com/" + strings.Repeat("日本", rng.IntN(5)),
				Enabled:       rng.IntN(2) == 0,
				TransportType: []string{"OAUTH", "HTTP"}[rng.IntN(2)],
				GrantType:     []string{"", "password", "client_credentials"}[rng.IntN(3)],
				TypeCount:     rng.IntN(12),
				CreatedTime:   time.Unix(int64(rng.IntN(2e9)), 0),
			})
		}
		width := 48 + rng.IntN(250) // an id, a gap and the shortest cut address
		var out strings.Builder
		dropped, err := webhookTable(rows, false).WriteFitted(&out, width)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
		for j, l := range lines {
			if ansi.StringWidth(l) > width {
				t.Fatalf("width %d: line %d is %d wide: %q", width, j, ansi.StringWidth(l), l)
			}
			if j > 0 && !strings.HasPrefix(l, rows[j-1].ID+"  ") {
				t.Fatalf("width %d: the id is not whole: %q", width, l)
			}
		}
		header := strings.Fields(lines[0])
		if len(header)+len(dropped) != 7 {
			t.Fatalf("width %d: shown %q, dropped %q", width, header, dropped)
		}
	}
}

func TestWebhooksListJSON(t *testing.T) {
	w := newCmdWorld(t, staleScenario())
	w.saveProfile("default") // the key comes from the profile's keyring entry
	r := w.exec(tty{}, "webhooks", "list", "--json").want(t, 0)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.out), &rows); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, r.out)
	}
	if len(rows) != 2 {
		t.Fatalf("%d webhooks, want 2", len(rows))
	}
	for _, row := range rows {
		var keys []string
		for k := range row {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"address", "createdTime", "enabled", "grantType", "id", "transportType", "typeCount"}) {
			t.Errorf("keys %v", keys)
		}
	}
	first := rows[0]
	if first["id"] != tHookID || first["address"] != tEndpoint || first["enabled"] != true ||
		first["transportType"] != "OAUTH" || first["grantType"] != "password" || first["typeCount"] != float64(8) ||
		first["createdTime"] != "2024-05-01T09:00:00Z" {
		t.Errorf("first webhook %v", first)
	}
	if rows[1]["grantType"] != "" || rows[1]["transportType"] != "HTTP" {
		t.Errorf("an HTTP webhook has grant %q, transport %q", rows[1]["grantType"], rows[1]["transportType"])
	}
	for _, s := range allSecrets {
		if strings.Contains(r.out+r.errOut, s) {
			t.Errorf("output contains the secret %q", s)
		}
	}
}

func TestWebhooksListErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		key    string
		want   int
		stderr string
	}{
		{name: "no key", key: "", want: 2, stderr: "DRSETUP_DR_API_KEY"},
		{name: "public key", key: "pk_live_cmdpublickey1", want: 2, stderr: "public key"},
		{name: "revoked key", key: "sk_live_cmdrevoked0001", want: 1, stderr: "did not accept the API key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newCmdWorld(t, cmdScenario())
			w.env["DRSETUP_DR_API_KEY"] = c.key
			r := w.exec(tty{}, "webhooks", "list").want(t, c.want)
			if !strings.Contains(r.errOut, c.stderr) || r.out != "" {
				t.Errorf("stdout %q, stderr %q; want %q on stderr only", r.out, r.errOut, c.stderr)
			}
			if strings.Contains(r.errOut, helpHint) {
				t.Errorf("a message that says what to do points at --help: %s", r.errOut)
			}
			if c.key != "" && strings.Contains(r.errOut, c.key) {
				t.Errorf("the key is in the message: %s", r.errOut)
			}
		})
	}
}

func TestWebhooksListEmpty(t *testing.T) {
	sc := cmdScenario()
	sc.DigitalRiver.Webhooks = nil
	w := newCmdWorld(t, sc)
	w.env["DRSETUP_DR_API_KEY"] = tKey
	r := w.exec(tty{}, "webhooks", "list").want(t, 0)
	if r.out != "" || !strings.Contains(r.errOut, "sees no webhooks") {
		t.Errorf("stdout %q, stderr %q", r.out, r.errOut)
	}
	r = w.exec(tty{}, "webhooks", "list", "--json").want(t, 0)
	if strings.TrimSpace(r.out) != "[]" {
		t.Errorf("--json with no webhooks: %q", r.out)
	}
}

// A webhook's fields are whatever its creator stored: list shows them without
// terminal control characters and without what an address may carry in its
// user name, password or query.
func TestWebhooksListRowsAreCleaned(t *testing.T) {
	r := rowOf(drapi.Webhook{
		ID:            "wh-1\x1b]0;owned\x07",
		Address:       "https://erp:Pw0rd@erp.example/hooks?token=abc123\x1b[2J",
		TransportType: "oauth\u009b31m",
		OAuth:         &drapi.OAuth{GrantType: "password\x07"},
	})
	if r.ID != "wh-1" || r.Address != "https://erp.example/hooks" || r.TransportType != "OAUTH" || r.GrantType != "password" {
		t.Fatalf("row %+v", r)
	}
}

// Ids come from a server and may hold anything: the nearest ids are found
// without a panic whatever they are, also where lowering one changes its
// length (a Kelvin sign lowers to a shorter k).
func TestCloseIDsTakesAnyID(t *testing.T) {
	ids := []string{"\u212a\u212a\u212a", "0B7C3A52-AAAA-4000-8000-000000000001", "", "é", strings.Repeat("\u212a", 40)}
	for _, typed := range []string{"0b7c3a52", "0b7c3a52-aaaa-4000-8000-000000000001", "kkk", "", "x"} {
		closeIDs(typed, ids)
	}
	if got := closeIDs("0b7c3a52-aaaa-4000-8000-000000000002", ids); len(got) != 1 || got[0] != ids[1] {
		t.Errorf("closeIDs = %q, want the id one character away", got)
	}
}

// A mistyped --profile is named with the nearest saved one, not told as a
// profile without a key; a key far too long is refused before any request.
func TestWebhooksListRefusesAMistypedProfileAndAnOverlongKey(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.saveProfile("acme-sandbox")
	r := w.exec(tty{}, "webhooks", "list", "--profile", "acme-sandbx").want(t, 2)
	if !strings.Contains(r.errOut, `no saved profile named "acme-sandbx"`) || !strings.Contains(r.errOut, "acme-sandbox") {
		t.Errorf("stderr:\n%s", r.errOut)
	}

	w = newCmdWorld(t, cmdScenario())
	key := "sk_test_" + strings.Repeat("k", 100_000)
	w.env["DRSETUP_DR_API_KEY"] = key
	before := len(w.srv.Received())
	r = w.exec(tty{}, "webhooks", "list").want(t, 2)
	if !strings.Contains(r.errOut, "far longer than any real one") || strings.Contains(r.errOut, "kkkkkk") {
		t.Errorf("stderr:\n%s", r.errOut)
	}
	if n := len(w.srv.Received()) - before; n != 0 {
		t.Errorf("%d requests sent with the overlong key", n)
	}
}
