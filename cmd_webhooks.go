package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/iostreams"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/steps"
	"github.com/drsetup/drsetup/text"
	"github.com/drsetup/drsetup/ui/doctorview"
	"github.com/drsetup/drsetup/ui/table"
)

// webhooksListOptions are what webhooks list's flags set.
type webhooksListOptions struct {
	ctx     context.Context
	jsonOut bool
	appOnly bool // only the webhooks addressed to the app's endpoint
}

// newWebhooksCmd builds the webhooks commands; listF, when set, runs
// instead of runWebhooksList.
func newWebhooksCmd(f *factory, listF func(*webhooksListOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "webhooks",
		Aliases: []string{"webhook"},
		Short:   "Inspect the Digital River webhooks of a key",
		Example: `  drsetup webhooks list
  DRSETUP_DR_API_KEY=sk_test_… drsetup webhooks list --json`,
		Args: cobra.NoArgs,
		// Runnable, so a mistyped subcommand is bad usage with the nearest
		// name (root.go) rather than help and exit 0.
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	o := &webhooksListOptions{}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the Digital River webhooks of the key (DRSETUP_DR_API_KEY or the profile's)",
		Long: `list shows every webhook the Digital River key sees: id, address, whether it
is enabled, transport, OAuth grant type, number of event types and when it was
created. It never shows a stored password or client secret.

The key is DRSETUP_DR_API_KEY, or else the one saved in the keyring for the
profile. Test keys (sk_test_…) and live keys see different webhooks.

On a terminal the table fits its width, shortening addresses with "…" (and
leaving out the last columns when even that is not enough); piped, it is one
tab-separated line per webhook, every value whole.`,
		Example: `  drsetup webhooks list
  drsetup webhooks list --profile acme-sandbox
  DRSETUP_DR_API_KEY=sk_test_… drsetup webhooks list --json
  drsetup webhooks list | cut -f1,2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ctx = cmd.Context()
			if listF != nil {
				return listF(o)
			}
			return runWebhooksList(f, o)
		},
	}
	list.Flags().BoolVar(&o.jsonOut, "json", false, "print the list as JSON on stdout")
	list.Flags().BoolVar(&o.appOnly, "app-only", false, "only the webhooks addressed to the Digital River app's endpoint, https://<My Domain>"+sfcheck.ApexPath)
	cmd.AddCommand(list, newWebhooksGetCmd(f, nil), newWebhooksDeleteCmd(f, nil))
	return cmd
}

// webhookRow is one webhook as list shows it: nothing secret, nothing that
// could carry a secret.
type webhookRow struct {
	ID            string    `json:"id"`
	Address       string    `json:"address"`
	Enabled       bool      `json:"enabled"`
	TransportType string    `json:"transportType"`
	GrantType     string    `json:"grantType"` // "" unless the transport is OAUTH
	TypeCount     int       `json:"typeCount"`
	CreatedTime   time.Time `json:"createdTime,omitzero"`
}

// rowOf takes what list shows from Digital River's answer; every text is
// cleaned for the terminal (text.Clean), since a webhook's fields are
// whatever its creator stored.
func rowOf(w drapi.Webhook) webhookRow {
	r := webhookRow{
		ID:            text.Clean(w.ID),
		Address:       text.Clean(httpx.Redact(text.Clean(w.Address))),
		Enabled:       w.Enabled,
		TransportType: text.Clean(strings.ToUpper(w.TransportType)),
		TypeCount:     len(w.Types),
		CreatedTime:   w.CreatedTime,
	}
	if r.TransportType == "" {
		r.TransportType = drapi.TransportHTTP
	}
	if w.OAuth != nil && r.TransportType == drapi.TransportOAuth {
		r.GrantType = text.Clean(w.OAuth.GrantType)
		if r.GrantType == "" {
			r.GrantType = drapi.GrantPassword
		}
	}
	return r
}

// drKey is the run's Digital River key, masked, and a client for it: the
// key is DRSETUP_DR_API_KEY, or else the profile's in the keyring (the
// demo's with --demo). No key is bad usage that says where to give one.
func (f *factory) drKey() (_ *services, _ *runSettings, _ *drapi.Client, masked string, _ error) {
	svc, err := f.Services()
	if err != nil {
		return nil, nil, nil, "", err
	}
	rs, err := svc.resolve(nil, nil)
	if err != nil {
		return nil, nil, nil, "", err
	}
	key := strings.TrimSpace(rs.Settings.Get(field.DRAPIKey))
	if key == "" && svc.Demo() {
		key = emulator.Demo.DRKey
	}
	if key == "" {
		if err := f.checkNamedProfile(rs); err != nil {
			// A mistyped --profile is named, with the nearest saved one,
			// rather than told as a profile without a key.
			return nil, nil, nil, "", err
		}
		msg := fmt.Sprintf("no Digital River API key: set DRSETUP_DR_API_KEY, or run \"drsetup setup\" to save one for profile %q", rs.Name)
		if rs.KeyringErr != nil {
			msg += "; the profile's key could not be read: " + rs.KeyringErr.Error()
		}
		return nil, nil, nil, "", invalidf("%s", msg)
	}
	if len(key) > steps.MaxValueLength {
		return nil, nil, nil, "", invalidf("the Digital River API key is %d characters long, far longer than any real one; copy only the key, from Digital River Dashboard → Developers → API keys", utf8.RuneCountInString(key))
	}
	c, err := svc.DigitalRiver()(key)
	if err != nil {
		var ke *drapi.KeyError
		if errors.As(err, &ke) {
			return nil, nil, nil, "", invalidf("%s", err)
		}
		return nil, nil, nil, "", err
	}
	return svc, rs, c, secret.Mask(key), nil
}

func runWebhooksList(f *factory, o *webhooksListOptions) error {
	jsonOut := o.jsonOut
	_, _, c, key, err := f.drKey()
	if err != nil {
		return err
	}
	if f.IO.IsStderrTTY() {
		// Every page is read, with retries: say what the wait is for.
		fmt.Fprintf(f.IO.ErrOut, "Listing the webhooks of the %s key %s…\n", c.Mode(), key)
	}
	var rows []webhookRow
	total := 0
	for w, err := range c.Webhooks.All(o.ctx) {
		if err != nil {
			return err
		}
		total++
		if o.appOnly && !sfcheck.AnalyzeEndpoint(w.Address).IsApexWebhook {
			continue
		}
		rows = append(rows, rowOf(w))
	}

	if jsonOut {
		if rows == nil {
			rows = []webhookRow{}
		}
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	switch {
	case len(rows) == 0 && total > 0:
		fmt.Fprintf(f.IO.ErrOut, "None of the %s webhooks the %s key %s sees is addressed to the app's endpoint, https://<My Domain>%s.\n", strconv.Itoa(total), c.Mode(), key, sfcheck.ApexPath)
		return nil
	case len(rows) == 0:
		fmt.Fprintf(f.IO.ErrOut, "The %s key %s sees no webhooks. Test and live keys see different ones.\n", c.Mode(), key)
		return nil
	}
	return writeWebhooks(f.IO, rows)
}

// webhookTable is the listing: on a terminal it fits the width, the
// address giving way first (an id must stay whole to be copied), then the
// columns least needed to tell webhooks apart; piped, every value whole.
func webhookTable(rows []webhookRow, piped bool) *table.Table {
	const (
		colID = iota
		colAddress
		colEnabled
		colTransport
		colGrant
		colTypes
		colCreated
	)
	t := &table.Table{
		Headers: []string{"ID", "ADDRESS", "ENABLED", "TRANSPORT", "GRANT", "TYPES", "CREATED"},
		Shrink:  colAddress,
		// Cut to fewer than 40 columns an address loses its path (whether
		// it is the app's endpoint): the details go first. Whether a
		// webhook is enabled matters more, and stays down to 20 (the host).
		Drops: []table.Drop{{Col: colCreated, KeepAbove: 40}, {Col: colGrant, KeepAbove: 40}, {Col: colTransport, KeepAbove: 40}, {Col: colTypes, KeepAbove: 40}, {Col: colEnabled, KeepAbove: 20}},
	}
	for _, r := range rows {
		enabled := "no"
		if r.Enabled {
			enabled = "yes"
		}
		created := "-"
		if !r.CreatedTime.IsZero() {
			// Piped: a time a script can parse; on a terminal, one to read.
			created = r.CreatedTime.UTC().Format("2006-01-02 15:04")
			if piped {
				created = r.CreatedTime.UTC().Format(time.RFC3339)
			}
		}
		t.Rows = append(t.Rows, []string{r.ID, text.Or(r.Address, "-"), enabled, r.TransportType, text.Or(r.GrantType, "-"), strconv.Itoa(r.TypeCount), created})
	}
	return t
}

// writeWebhooks prints the listing on stdout: fitted to the terminal, or
// tab-separated when stdout is not one.
func writeWebhooks(io *iostreams.IOStreams, rows []webhookRow) error {
	return writeTable(io, func(piped bool) *table.Table { return webhookTable(rows, piped) })
}

// writeTable prints the table build makes for the output: on a terminal
// fitted to its width, saying on stderr which columns it left out; piped,
// tab-separated.
func writeTable(io *iostreams.IOStreams, build func(piped bool) *table.Table) error {
	if !io.IsStdoutTTY() {
		return build(true).WriteTSV(io.Out)
	}
	width := io.TerminalWidth()
	dropped, err := build(false).WriteFitted(io.Out, width)
	if err == nil && len(dropped) > 0 {
		// Wrapped at spaces to the terminal, which would cut it anywhere.
		return doctorview.ShowNote(io, fmt.Sprintf("%s left out to fit %d columns; a wider terminal, a pipe or --json shows every field.", text.JoinAnd(dropped), width))
	}
	return err
}
