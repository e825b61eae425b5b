package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/text"
	"github.com/drsetup/drsetup/ui/doctorview"
	"github.com/drsetup/drsetup/ui/plain"
)

// webhooksDeleteOptions are what webhooks delete's flags and arguments set.
type webhooksDeleteOptions struct {
	ctx context.Context
	ids []string
	yes bool
}

// newWebhooksDeleteCmd builds webhooks delete; runF, when set, runs
// instead of runWebhooksDelete.
func newWebhooksDeleteCmd(f *factory, runF func(*webhooksDeleteOptions) error) *cobra.Command {
	o := &webhooksDeleteOptions{}
	cmd := &cobra.Command{
		Use:   "delete ID...",
		Short: "Delete Digital River webhooks (asks first; --yes without a terminal)",
		Long: `delete shows each webhook (address, event types, state, when it was
made, the profiles that name it), asks, and deletes them, each confirmed gone
at Digital River before it is said to be. Nothing is deleted unless every
id is found. A webhook that a saved profile names is said so, and the profile
can forget it (it asks; --yes forgets it).

On a terminal (or with --accessible) it asks before deleting; without one,
--yes is needed, and without it nothing is deleted (exit 2).`,
		Example: `  drsetup webhooks delete 0b7c3a52-1111-4000-8000-000000000001
  drsetup webhooks delete 0b7c3a52 6feea5f1
  DRSETUP_DR_API_KEY=sk_test_… drsetup webhooks delete --yes 0b7c3a52-1111-4000-8000-000000000001`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ctx, o.ids = cmd.Context(), args
			if runF != nil {
				return runF(o)
			}
			return runWebhooksDelete(f, o)
		},
	}
	cmd.Flags().BoolVar(&o.yes, "yes", false, "delete without asking, and forget a deleted webhook in the profiles that name it")
	return cmd
}

func runWebhooksDelete(f *factory, o *webhooksDeleteOptions) error {
	ctx := o.ctx
	var ids []string
	for _, a := range o.ids {
		id, err := webhookIDArg(a)
		if err != nil {
			return err
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	svc, rs, c, key, err := f.drKey()
	if err != nil {
		return err
	}
	var hooks []drapi.Webhook
	for _, id := range ids {
		w, err := findWebhook(ctx, c, key, id)
		if err != nil {
			return fmt.Errorf("nothing was deleted: %w", err)
		}
		if !slices.ContainsFunc(hooks, func(x drapi.Webhook) bool { return x.ID == w.ID }) {
			hooks = append(hooks, w)
		}
	}
	store, err := svc.Store()
	if err != nil {
		return err
	}
	names := profilesByWebhook(store)
	for _, w := range hooks {
		doctorview.ShowNote(f.IO, describeForDelete(viewOf(w, svc.Redactor(), names[w.ID]))...)
	}

	var ask *plain.Prompter
	if !o.yes {
		if !f.IO.CanPrompt() {
			return invalidf("nothing was deleted: add --yes to delete %s without a prompt (stdin or stderr is not a terminal, so drsetup cannot ask)", them(len(hooks)))
		}
		ask = plain.NewPrompter(ctx, f.IO.In, f.IO.ErrOut, !f.IO.IsStdinTTY())
		ok, err := ask.Confirm(fmt.Sprintf("Delete %s?", them(len(hooks))), false)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && !errors.Is(err, plain.ErrCancelled) {
			return err
		}
		if !ok {
			fmt.Fprintln(f.IO.ErrOut, "Nothing was deleted.")
			return nil
		}
	}

	sv := svc.stepServices(store)
	failed := 0
	for _, w := range hooks {
		lock := rs.Name
		if ns := names[w.ID]; len(ns) > 0 {
			lock = ns[0] // a setup of the profile that names it waits
		}
		err := sv.RemoveWebhook(ctx, c, lock, w.ID)
		var gone *drapi.GoneError
		switch {
		case errors.As(err, &gone):
			doctorview.ShowNote(f.IO, fmt.Sprintf("Webhook %s was already gone.", w.ID))
		case err != nil && ctx.Err() != nil:
			return err
		case err != nil:
			failed++
			doctorview.ShowNote(f.IO, fmt.Sprintf("Could not delete webhook %s: %s", w.ID, svc.Redactor().Redact(explain.Of(err).Text())))
			continue
		default:
			doctorview.ShowNote(f.IO, fmt.Sprintf("Deleted webhook %s; Digital River no longer has it.", w.ID))
		}
		if err := forgetWebhook(ctx, f, store, w.ID, names[w.ID], o.yes, &ask); err != nil {
			return err
		}
	}
	if svc.Demo() {
		doctorview.ShowNote(f.IO, "Demo: deleted from the simulated account, which lives only as long as this run.")
	}
	if failed > 0 {
		return &silentError{code: exitFailed}
	}
	return nil
}

// them names n webhooks as the object of a verb: "this webhook", "these 3
// webhooks".
func them(n int) string {
	if n == 1 {
		return "this webhook"
	}
	return fmt.Sprintf("these %d webhooks", n)
}

// describeForDelete shows a webhook before it is deleted: its id, then
// one paragraph each for its address, event types, state and age, and the
// profiles that name it.
func describeForDelete(v webhookView) []string {
	state := "disabled"
	if v.Enabled {
		state = "enabled"
	}
	if !v.CreatedTime.IsZero() {
		state += ", made " + v.CreatedTime.UTC().Format("2006-01-02 15:04 UTC")
	}
	lines := []string{
		"Webhook " + v.ID,
		"\taddress " + text.Or(v.Address, "none"),
		fmt.Sprintf("\ttypes %d: %s", len(v.Types), strings.Join(v.Types, ", ")),
		"\tstate " + state,
	}
	if len(v.Profiles) > 0 {
		lines = append(lines, fmt.Sprintf("\tnamed by %s %s, whose setup registered it", "profile"+text.S(len(v.Profiles)), quotedAnd(v.Profiles)))
	}
	return lines
}

// quotedAnd quotes each name and joins them: "a", "b" and "c".
func quotedAnd(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return text.JoinAnd(q)
}

// profilesByWebhook maps each webhook id to the saved profiles that name
// it. Profiles that cannot be read are left out (drsetup profiles names
// them).
func profilesByWebhook(store *profile.Store) map[string][]string {
	ps, _ := store.List()
	out := map[string][]string{}
	for _, p := range ps {
		if p.WebhookID != "" {
			out[p.WebhookID] = append(out[p.WebhookID], p.Name)
		}
	}
	return out
}

// forgetWebhook offers, for each profile that named a webhook now gone, to
// forget it there, so that the profile does not point at a webhook that no
// longer exists; yes forgets without asking. Without an answer the profile
// keeps it, and doctor will say it is gone.
func forgetWebhook(ctx context.Context, f *factory, store *profile.Store, id string, profiles []string, yes bool, ask **plain.Prompter) error {
	for _, name := range profiles {
		if !yes {
			if *ask == nil {
				*ask = plain.NewPrompter(ctx, f.IO.In, f.IO.ErrOut, !f.IO.IsStdinTTY())
			}
			ok, err := (*ask).Confirm(fmt.Sprintf("Profile %q named webhook %s. Forget it in the profile (drsetup setup --profile %s registers a new one)?", name, id, name), true)
			if err != nil && !errors.Is(err, plain.ErrCancelled) {
				return err
			}
			if !ok {
				fmt.Fprintf(f.IO.ErrOut, "Profile %q still names webhook %s; drsetup doctor --profile %s will say it is gone.\n", name, id, name)
				continue
			}
		}
		p, err := store.Load(name)
		if err != nil {
			fmt.Fprintf(f.IO.ErrOut, "Could not forget webhook %s in profile %q: %s\n", id, name, f.redact(explain.Of(err).Text()))
			continue
		}
		if p.WebhookID != id {
			continue // changed meanwhile: it names another one now
		}
		p.WebhookID = ""
		if err := store.Save(p); err != nil {
			fmt.Fprintf(f.IO.ErrOut, "Could not forget webhook %s in profile %q: %s\n", id, name, f.redact(explain.Of(err).Text()))
			continue
		}
		fmt.Fprintf(f.IO.ErrOut, "Profile %q no longer names a webhook; drsetup setup --profile %s registers one again.\n", name, name)
	}
	return nil
}
