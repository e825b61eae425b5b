package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/iostreams"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/text"
	"github.com/drsetup/drsetup/ui/doctorview"
	"github.com/drsetup/drsetup/ui/table"
)

// webhooksGetOptions are what webhooks get's flags and argument set.
type webhooksGetOptions struct {
	ctx     context.Context
	id      string
	jsonOut bool
}

// newWebhooksGetCmd builds webhooks get; runF, when set, runs instead of
// runWebhooksGet.
func newWebhooksGetCmd(f *factory, runF func(*webhooksGetOptions) error) *cobra.Command {
	o := &webhooksGetOptions{}
	cmd := &cobra.Command{
		Use:   "get ID",
		Short: "Show one Digital River webhook, every field, secrets masked",
		Long: `get shows one webhook of the key: its address, event types, state,
transport, the login Digital River makes (token endpoint, grant, username,
Client ID) and when it was made and changed, and the saved profiles that
name it. Stored passwords and client secrets are never shown: only whether
one is set.

ID is the webhook's id as drsetup webhooks list shows it, or its first 8 or
more characters as doctor's report shortens it. An id that is not one is bad
usage (exit 2); one the key does not see is exit 1, with the ids that look
close.`,
		Example: `  drsetup webhooks get 0b7c3a52-1111-4000-8000-000000000001
  drsetup webhooks get 0b7c3a52
  DRSETUP_DR_API_KEY=sk_test_… drsetup webhooks get 0b7c3a52 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ctx, o.id = cmd.Context(), args[0]
			if runF != nil {
				return runF(o)
			}
			return runWebhooksGet(f, o)
		},
	}
	cmd.Flags().BoolVar(&o.jsonOut, "json", false, "print the webhook as JSON on stdout")
	return cmd
}

func runWebhooksGet(f *factory, o *webhooksGetOptions) error {
	id, err := webhookIDArg(o.id)
	if err != nil {
		return err
	}
	svc, _, c, key, err := f.drKey()
	if err != nil {
		return err
	}
	w, err := findWebhook(o.ctx, c, key, id)
	if err != nil {
		return err
	}
	v := viewOf(w, svc.Redactor(), namedBy(f, w.ID))
	if o.jsonOut {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	return writeWebhookView(f.IO, v)
}

// uuidShape is what a Digital River webhook id looks like: a UUID ("id
// (uuid)" in its API document).
const uuidShape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"

// minIDPrefix is the shortest start of an id taken for the id: doctor's
// report names webhooks by their first 8 characters.
const minIDPrefix = 8

// webhookIDArg checks an id argument: a whole id, or its first 8 or more
// characters, in lower case. Anything else is bad usage that says what an
// id looks like.
func webhookIDArg(arg string) (string, error) {
	id := strings.ToLower(strings.TrimSpace(arg))
	ok := len(id) >= minIDPrefix && len(id) <= len(uuidShape)
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		if uuidShape[i] == '-' {
			ok = c == '-'
		} else {
			ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f'
		}
	}
	if !ok {
		if err := pastedKey([]string{arg}); err != nil {
			return "", err
		}
		return "", invalidf("%q is not a Digital River webhook id: ids look like 0b7c3a52-1111-4000-8000-000000000001 (the whole id, or its first 8 or more characters); drsetup webhooks list shows them", text.Clean(arg))
	}
	return id, nil
}

// notFoundError is a webhook id the key does not see.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string { return e.msg }

// findWebhook reads the webhook id names (a whole id, or the start of
// one), or says, as an error, that the key has none such, with the ids
// that look close.
func findWebhook(ctx context.Context, c *drapi.Client, key, id string) (drapi.Webhook, error) {
	if len(id) == len(uuidShape) {
		w, err := c.Webhooks.Get(ctx, id)
		var e *drapi.Error
		if !errors.As(err, &e) || e.Kind != drapi.KindNotFound {
			return w, err
		}
	}
	var ids []string
	for w, err := range c.Webhooks.All(ctx) {
		if err != nil {
			return drapi.Webhook{}, err
		}
		ids = append(ids, w.ID)
	}
	var starts []string
	for _, x := range ids {
		if strings.HasPrefix(strings.ToLower(x), id) {
			starts = append(starts, x)
		}
	}
	switch {
	case len(starts) == 1 && len(id) < len(uuidShape):
		return c.Webhooks.Get(ctx, starts[0])
	case len(starts) > 1:
		more := ""
		if len(starts) > maxSuggestions {
			more = fmt.Sprintf(" and %d more", len(starts)-maxSuggestions)
		}
		return drapi.Webhook{}, &notFoundError{fmt.Sprintf("%d webhooks of the %s key %s start with %s: %s%s; give more of the id",
			len(starts), c.Mode(), key, id, strings.Join(starts[:min(len(starts), maxSuggestions)], ", "), more)}
	}
	msg := fmt.Sprintf("the %s key %s sees no webhook %s", c.Mode(), key, id)
	if near := closeIDs(id, ids); len(near) > 0 {
		msg += "; ids that look close: " + strings.Join(near, ", ")
	} else {
		msg += fmt.Sprintf("; drsetup webhooks list shows the %s it sees", text.Count(len(ids), "webhook"))
	}
	return drapi.Webhook{}, &notFoundError{msg + ". Test and live keys see different webhooks."}
}

// closeIDs are the ids of ids that typed most likely meant, closest first:
// within two edits of it, compared over as much of each id as was typed.
func closeIDs(typed string, ids []string) []string {
	type scored struct {
		id string
		d  int
	}
	var found []scored
	for _, id := range ids {
		// Cut after lowering: lowering may change the length (an id from a
		// server may hold anything, a Kelvin sign included).
		low := strings.ToLower(id)
		start := low[:min(len(low), len(typed))]
		if d := editDistance(typed, start); d <= 2 {
			found = append(found, scored{id, d})
		}
	}
	slices.SortStableFunc(found, func(a, b scored) int { return cmp.Compare(a.d, b.d) })
	var out []string
	for _, s := range found[:min(len(found), maxSuggestions)] {
		out = append(out, s.id)
	}
	return out
}

// namedBy are the saved profiles whose webhook is id; none when the
// profiles cannot be read (that is said by drsetup profiles).
func namedBy(f *factory, id string) []string {
	store, err := f.store()
	if err != nil {
		return nil
	}
	return profilesByWebhook(store)[id]
}

// webhookView is one webhook as get shows it: every field Digital River
// stores, each secret as Masked when set and "" when not, every text
// cleaned for the terminal and without a secret the run knows or the
// webhook stores elsewhere.
type webhookView struct {
	ID             string     `json:"id"`
	Address        string     `json:"address"`
	Types          []string   `json:"types"`
	APIVersion     string     `json:"apiVersion"`
	Enabled        bool       `json:"enabled"`
	TransportType  string     `json:"transportType"`
	OAuth          *oauthView `json:"oauth,omitempty"`
	Authentication *authView  `json:"authentication,omitempty"`
	LiveMode       bool       `json:"liveMode"`
	CreatedTime    time.Time  `json:"createdTime,omitzero"`
	UpdatedTime    time.Time  `json:"updatedTime,omitzero"`
	// Profiles are the saved profiles that name it.
	Profiles []string `json:"profiles"`
}

type oauthView struct {
	TokenEndPoint string `json:"tokenEndPoint"`
	GrantType     string `json:"grantType"`
	UserName      string `json:"userName,omitempty"`
	Password      string `json:"password"`
	ClientID      string `json:"clientID"`
	ClientSecret  string `json:"clientSecret"`
	Audience      string `json:"audience,omitempty"`
}

type authView struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// viewOf is what get shows of w. Only the fields drsetup knows are shown,
// so a field Digital River adds later, secret or not, is not; the stored
// secrets are masked, and also redacted wherever else they were stored (a
// password pasted into the username).
func viewOf(w drapi.Webhook, run *secret.Redactor, profiles []string) webhookView {
	red := &secret.Redactor{}
	red.Add(w.StoredSecrets()...)
	clean := func(s string) string { return text.Clean(run.Redact(red.Redact(s))) }
	url := func(s string) string { return clean(httpx.Redact(s)) }
	masked := func(v secret.Value) string { return v.String() }
	v := webhookView{
		ID: clean(w.ID), Address: url(w.Address), APIVersion: clean(cmp.Or(w.APIVersion, drapi.DefaultAPIVersion)),
		Enabled: w.Enabled, TransportType: clean(cmp.Or(strings.ToUpper(w.TransportType), drapi.TransportHTTP)),
		LiveMode: w.LiveMode, CreatedTime: w.CreatedTime, UpdatedTime: w.UpdatedTime, Types: []string{}, Profiles: profiles,
	}
	if v.Profiles == nil {
		v.Profiles = []string{}
	}
	for _, t := range w.Types {
		v.Types = append(v.Types, clean(t))
	}
	if o := w.OAuth; o != nil {
		v.OAuth = &oauthView{TokenEndPoint: url(o.TokenEndPoint), GrantType: clean(cmp.Or(o.GrantType, drapi.GrantPassword)),
			UserName: clean(o.UserName), Password: masked(o.Password), ClientID: clean(o.ClientID), ClientSecret: masked(o.ClientSecret), Audience: clean(o.Audience)}
	}
	if a := w.Authentication; a != nil {
		v.Authentication = &authView{Username: clean(a.Username), Password: masked(a.Password)}
	}
	return v
}

// rows are the view as labelled lines: the label a person reads, and the
// key a script cuts on when piped.
func (v webhookView) rows() [][3]string {
	yesNo := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	set := func(masked string) string { return text.Or(masked, "(none)") }
	when := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format(time.RFC3339)
	}
	mode := "test"
	if v.LiveMode {
		mode = "live"
	}
	rows := [][3]string{
		{"id", "ID", v.ID},
		{"address", "Address", text.Or(v.Address, "-")},
		{"enabled", "Enabled", yesNo(v.Enabled)},
		{"types", "Event types", fmt.Sprintf("%d: %s", len(v.Types), strings.Join(v.Types, ", "))},
		{"apiVersion", "API version", v.APIVersion},
		{"transportType", "Transport", v.TransportType},
	}
	if o := v.OAuth; o != nil {
		rows = append(rows,
			[3]string{"oauth.tokenEndPoint", "Token endpoint", text.Or(o.TokenEndPoint, "-")},
			[3]string{"oauth.grantType", "Grant type", o.GrantType})
		if o.GrantType != drapi.GrantClientCredentials || o.UserName != "" {
			rows = append(rows,
				[3]string{"oauth.userName", "Username", text.Or(o.UserName, "-")},
				[3]string{"oauth.password", "Password", set(o.Password)})
		}
		rows = append(rows,
			[3]string{"oauth.clientID", "Client ID", text.Or(o.ClientID, "-")},
			[3]string{"oauth.clientSecret", "Client secret", set(o.ClientSecret)})
		if o.Audience != "" {
			rows = append(rows, [3]string{"oauth.audience", "Audience", o.Audience})
		}
	}
	if a := v.Authentication; a != nil {
		rows = append(rows,
			[3]string{"authentication.username", "Basic auth user", text.Or(a.Username, "-")},
			[3]string{"authentication.password", "Basic auth password", set(a.Password)})
	}
	rows = append(rows,
		[3]string{"mode", "Mode", mode},
		[3]string{"createdTime", "Created", when(v.CreatedTime)},
		[3]string{"updatedTime", "Updated", when(v.UpdatedTime)},
		[3]string{"profiles", "Named by profiles", text.Or(strings.Join(v.Profiles, ", "), "none")})
	return rows
}

// writeWebhookView prints the view on stdout: labelled and aligned on a
// terminal, values whole (the terminal wraps a long one); piped, one
// "key<TAB>value" line per field.
func writeWebhookView(io *iostreams.IOStreams, v webhookView) error {
	var b strings.Builder
	rows := v.rows()
	if !io.IsStdoutTTY() {
		for _, r := range rows {
			fmt.Fprintf(&b, "%s\t%s\n", r[0], table.Clean(r[2]))
		}
	} else {
		width := 0
		for _, r := range rows {
			width = max(width, len(r[1]))
		}
		indent := strings.Repeat(" ", width+2)
		for _, r := range rows {
			for _, line := range doctorview.Wrap(table.Clean(r[2]), io.TerminalWidth(), fmt.Sprintf("%-*s  ", width, r[1]), indent) {
				b.WriteString(line + "\n")
			}
		}
	}
	_, err := fmt.Fprint(io.Out, b.String())
	return err
}
