package main

import (
	"context"
	"io"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/iostreams"
)

func testFactory() *factory {
	ios, _, _, _ := iostreams.Test()
	return newFactory(ios, func(string) string { return "" })
}

func execute(t *testing.T, cmd *cobra.Command, args ...string) error {
	t.Helper()
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	return cmd.Execute()
}

func TestDoctorFlagsParseApartFromTheRun(t *testing.T) {
	var got *doctorOptions
	cmd := newDoctorCmd(testFactory(), func(o *doctorOptions) error { got = o; return nil })
	if err := execute(t, cmd, "--json", "--my-domain", "https://acme.my.salesforce.com", "--events", "order.accepted", "--username", ""); err != nil {
		t.Fatal(err)
	}
	want := map[field.Field]string{field.MyDomain: "https://acme.my.salesforce.com", field.Events: "order.accepted", field.Username: ""}
	if got == nil || !got.jsonOut || !maps.Equal(got.given, want) {
		t.Fatalf("options %+v, want --json and given %v", got, want)
	}
}

func TestDoctorFixFlagsParseApartFromTheRun(t *testing.T) {
	var got *doctorOptions
	cmd := newDoctorCmd(testFactory(), func(o *doctorOptions) error { got = o; return nil })
	if err := execute(t, cmd, "--fix", "--yes"); err != nil {
		t.Fatal(err)
	}
	if got == nil || !got.fix || !got.yes || got.jsonOut {
		t.Fatalf("options %+v, want --fix and --yes", got)
	}
	got = nil
	if err := execute(t, newDoctorCmd(testFactory(), func(o *doctorOptions) error { got = o; return nil })); err != nil || got.fix || got.yes {
		t.Fatalf("without flags: %+v %v", got, err)
	}
}

func TestSetupFlagsParseApartFromTheRun(t *testing.T) {
	var got *setupOptions
	cmd := newSetupCmd(testFactory(), func(o *setupOptions) error { got = o; return nil })
	if err := execute(t, cmd, "--no-input", "--yes", "--json", "--client-id", "3MVG9abc", "--auth", "client-credentials"); err != nil {
		t.Fatal(err)
	}
	if got == nil || !got.noInput || !got.yes || !got.json || got.given[field.ClientID] != "3MVG9abc" || got.given[field.Auth] != "client-credentials" || len(got.given) != 2 {
		t.Fatalf("options %+v", got)
	}
}

// Secrets are never flags: they land in shell history and the process list.
func TestNoCommandTakesASecretAsAFlag(t *testing.T) {
	for _, cmd := range []*cobra.Command{
		newSetupCmd(testFactory(), func(*setupOptions) error { return nil }),
		newDoctorCmd(testFactory(), func(*doctorOptions) error { return nil }),
	} {
		for _, f := range field.All() {
			name := strings.ReplaceAll(string(f), "_", "-")
			if fl := cmd.Flags().Lookup(name); (fl != nil) == f.Secret() {
				t.Errorf("%s: flag --%s present = %v, but secret = %v", cmd.Name(), name, fl != nil, f.Secret())
			}
		}
		if err := execute(t, cmd, "--password", "hunter2"); err == nil {
			t.Errorf("%s accepted --password", cmd.Name())
		}
	}
}

func TestWebhooksListFlagsParseApartFromTheRun(t *testing.T) {
	var got *webhooksListOptions
	cmd := newWebhooksCmd(testFactory(), func(o *webhooksListOptions) error { got = o; return nil })
	if err := execute(t, cmd, "list", "--json"); err != nil {
		t.Fatal(err)
	}
	if got == nil || !got.jsonOut || got.ctx == nil {
		t.Fatalf("options %+v", got)
	}
}

func TestWebhooksGetAndDeleteFlagsParseApartFromTheRun(t *testing.T) {
	var got *webhooksGetOptions
	if err := execute(t, newWebhooksGetCmd(testFactory(), func(o *webhooksGetOptions) error { got = o; return nil }), "0b7c3a52", "--json"); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.id != "0b7c3a52" || !got.jsonOut {
		t.Fatalf("get options %+v", got)
	}
	if err := execute(t, newWebhooksGetCmd(testFactory(), func(*webhooksGetOptions) error { return nil })); err == nil {
		t.Error("get without an id was accepted")
	}
	var del *webhooksDeleteOptions
	if err := execute(t, newWebhooksDeleteCmd(testFactory(), func(o *webhooksDeleteOptions) error { del = o; return nil }), "a1b2c3d4", "--yes", "e5f6a7b8"); err != nil {
		t.Fatal(err)
	}
	if del == nil || !del.yes || len(del.ids) != 2 {
		t.Fatalf("delete options %+v", del)
	}
	if err := execute(t, newWebhooksDeleteCmd(testFactory(), func(*webhooksDeleteOptions) error { return nil })); err == nil {
		t.Error("delete without an id was accepted")
	}
	var list *webhooksListOptions
	if err := execute(t, newWebhooksCmd(testFactory(), func(o *webhooksListOptions) error { list = o; return nil }), "list", "--app-only"); err != nil || !list.appOnly {
		t.Fatalf("list --app-only: %+v %v", list, err)
	}
}

func TestProfilesDeleteTakesOneName(t *testing.T) {
	var deleted []string
	cmd := newProfilesCmd(testFactory(), func(*profilesListOptions) error { return nil }, func(o *profilesDeleteOptions) error { deleted = append(deleted, o.name); return nil })
	if err := execute(t, cmd, "delete", "acme"); err != nil || len(deleted) != 1 || deleted[0] != "acme" {
		t.Fatalf("deleted %v, %v", deleted, err)
	}
	if err := execute(t, cmd, "delete"); err == nil {
		t.Fatal("delete without a name was accepted")
	}
}

func TestDoctorSinceTakesSevenOrThirtyDays(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want time.Duration
	}{
		{nil, 0}, // doctor's default, 7 days
		{[]string{"--since", "7d"}, 7 * 24 * time.Hour},
		{[]string{"--since", "30d"}, 30 * 24 * time.Hour},
		{[]string{"--since=30D"}, 30 * 24 * time.Hour},
		{[]string{"--since", "30d", "--since", "7d"}, 7 * 24 * time.Hour}, // the last one wins
	} {
		var got *doctorOptions
		cmd := newDoctorCmd(testFactory(), func(o *doctorOptions) error { got = o; return nil })
		if err := execute(t, cmd, tc.args...); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if got.since.window != tc.want {
			t.Errorf("%v: window %v, want %v", tc.args, got.since.window, tc.want)
		}
	}
	for _, bad := range []string{"14d", "7", "1w", "", "-7d", "30d ago", "720h"} {
		cmd := newDoctorCmd(testFactory(), func(*doctorOptions) error { t.Errorf("--since %q ran the command", bad); return nil })
		err := execute(t, cmd, "--since", bad)
		if err == nil {
			t.Errorf("--since %q was accepted", bad)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "7d") || !strings.Contains(msg, "30d") || !strings.Contains(msg, "--since") {
			t.Errorf("--since %q: %q does not name the flag and the windows it takes", bad, msg)
		}
	}
}

// A bad --since is bad usage: exit 2, before anything is checked.
func TestDoctorBadSinceIsBadUsage(t *testing.T) {
	f := testFactory()
	if code := run(context.Background(), f, []string{"doctor", "--demo", "--since", "14d"}); code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
}
