package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/drsetup/drsetup/drapi"
)

func TestWebhooksListTable(t *testing.T) {
	w := newCmdWorld(t, cmdScenario())
	w.env["DRSETUP_DR_API_KEY"] = tKey
	r := w.exec(tty{}, "webhooks", "list").want(t, 0)
	lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want a header and two webhooks:\n%s", len(lines), r.out)
	}
	if got := strings.Fields(lines[0]); !slices.Equal(got, []string{"ID", "ADDRESS", "ENABLED", "TRANSPORT", "GRANT", "TYPES", "CREATED"}) {
		t.Errorf("header %q", lines[0])
	}
	for i, want := range [][]string{
		{tHookID, tEndpoint, "yes", "OAUTH", "password", "8", "2024-05-01", "09:00"},
		{"https://erp.acme.example/digitalriver/events", "no", "HTTP", "-", "1", "2024-05-01", "09:01"},
	} {
		got := strings.Fields(lines[i+1])
		if i == 1 {
			got = got[1:] // a generated id
		}
		if !slices.Equal(got, want) {
			t.Errorf("row %d: %q, want %q", i+1, got, want)
		}
	}
	if r.errOut != "" {
		t.Errorf("stderr not empty when not a terminal: %q", r.errOut)
	}

	// On a terminal, stderr says what the wait is for; stdout is the same.
	rt := w.exec(tty{stderr: true}, "webhooks", "list").want(t, 0)
	if !strings.Contains(rt.errOut, "Listing the webhooks of the live key sk_live_********") || strings.Contains(rt.errOut, tKey) {
		t.Errorf("stderr on a terminal: %q", rt.errOut)
	}
	if rt.out != r.out {
		t.Errorf("stdout differs with stderr on a terminal:\n%s", rt.out)
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
