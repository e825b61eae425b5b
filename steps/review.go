package steps

import (
	"fmt"
	"slices"
	"strings"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/profile"
	"github.com/drsetup/drsetup/secret"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// Row is one label and value of a review or a summary, the same in every
// mode. Code marks a value shown as a literal (an address, an id); Mark says
// the row reports something that went wrong.
type Row struct {
	Label, Value string
	Code         bool
	Mark         Mark
}

// Mark is how a row's value went.
type Mark int

const (
	MarkNone Mark = iota
	MarkWarn
	MarkFail
)

// Section is a titled group of rows ("" for none).
type Section struct {
	Title string
	Rows  []Row
}

// Review is everything registering will send, secrets masked, with the
// Digital River key's mode when it was checked and where the profile goes.
func (sv *Services) Review(s Setup, mode drapi.Mode) []Section {
	spec := s.Spec()
	o := spec.OAuth
	webhook := Section{Title: "Webhook", Rows: []Row{
		{Label: "Endpoint URL", Value: spec.Address, Code: true},
		{Label: "Event types", Value: fmt.Sprintf("%d: %s", len(spec.Types), strings.Join(spec.Types, ", "))},
		{Label: "Transport", Value: "OAUTH, enabled"},
	}}
	login := Section{Title: "How Digital River logs in to Salesforce", Rows: []Row{
		{Label: "Token endpoint", Value: o.TokenEndPoint, Code: true},
		{Label: "Grant type", Value: o.GrantType},
		{Label: "Client ID", Value: o.ClientID},
		{Label: "Client Secret", Value: o.ClientSecret.String()},
	}}
	if s.Auth != sfcheck.FlowClientCredentials {
		login.Rows = append(login.Rows,
			Row{Label: "Username", Value: o.UserName},
			Row{Label: "Password", Value: o.Password.String() + " (password and security token, joined)"})
	}
	key := secret.Mask(strings.TrimSpace(s.DRAPIKey.Reveal()))
	if mode != "" {
		key += fmt.Sprintf(" (%s mode)", mode)
	}
	rest := Section{Rows: []Row{{Label: "Digital River key", Value: key}, {Label: "Saved afterwards", Value: sv.savedWhere(s)}}}
	if note := sv.ModeSwitchNote(s, mode); note != "" {
		rest.Rows = append(rest.Rows, Row{Label: "Key mode", Value: note, Mark: MarkWarn})
	}
	return []Section{webhook, login, rest}
}

func (sv *Services) savedWhere(s Setup) string {
	switch {
	case sv.Ephemeral:
		return "nothing (demo)"
	case sv.Store == nil:
		return "nothing"
	}
	return fmt.Sprintf("profile %q (%s); secrets in the OS keyring", s.Profile, sv.Store.Path(s.Profile))
}

// PlanText says what registering will do: "create a new webhook", "update
// webhook X", "nothing to change: webhook X already matches"; the changes
// of an update come from Changes.
func PlanText(p drapi.Plan) string {
	switch p.Action {
	case drapi.ActionCreate:
		return "create a new webhook"
	case drapi.ActionUpdate:
		return "update webhook " + text.Clean(p.Target.ID)
	}
	id := ""
	if p.Target != nil {
		id = text.Clean(p.Target.ID)
	}
	return fmt.Sprintf("nothing to change: webhook %s already matches", id)
}

// ChangeText is one change in words, values passed through code (for
// styling; nil leaves them as they are): "address A → B"; event types as
// what is added and removed; secrets only as changed or removed, never a
// value; "(none)" for an empty value.
func ChangeText(ch drapi.Change, code func(...string) string) string {
	if code == nil {
		code = func(s ...string) string { return strings.Join(s, " ") }
	}
	switch ch.Field {
	case "oauth.password", "oauth.clientSecret":
		if ch.To == "" {
			return ch.Field + " removed"
		}
		return ch.Field + " changed"
	case "types":
		from, to := strings.Split(ch.From, ","), strings.Split(ch.To, ",")
		var parts []string
		if add := minus(to, from); len(add) > 0 {
			parts = append(parts, "+ "+strings.Join(add, ", "))
		}
		if drop := minus(from, to); len(drop) > 0 {
			parts = append(parts, "− "+strings.Join(drop, ", "))
		}
		return "types " + strings.Join(parts, "; ")
	}
	return ch.Field + " " + code(text.Or(text.Clean(ch.From), "(none)")) + " → " + code(text.Or(text.Clean(ch.To), "(none)"))
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if x != "" && !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// Notes say how the registration met other writes, when it did: a lost
// answer whose webhook was adopted, a webhook that appeared since the plan,
// duplicates of a concurrent create removed.
func (r *Result) Notes() []string {
	var out []string
	if r.Adopted {
		out = append(out, "Digital River's answer to the create was lost; drsetup found the webhook it made and kept it instead of creating another.")
	}
	if r.Appeared {
		out = append(out, "A webhook for this org appeared at Digital River after the plan was made (another drsetup run, or the Dashboard); drsetup used it instead of creating a second one.")
	}
	if len(r.Deleted) > 0 {
		out = append(out, fmt.Sprintf("Another run created a webhook for this org at the same time; drsetup kept %s and deleted %s, so Digital River sends each event once.",
			text.Clean(r.Webhook.ID), text.Clean(text.JoinAnd(r.Deleted))))
	}
	return out
}

// Done is what the registration did, as a verb: "created", "updated", or
// "unchanged".
func (r *Result) Done() string { return string(r.Action) }

// Rows are the webhook as registered: its address, event types, transport,
// what changed, and the org the login reached.
func (r *Result) Rows() []Row {
	w := r.Webhook
	state := "disabled"
	if w.Enabled {
		state = "enabled"
	}
	// What Digital River stored is shown without control characters.
	rows := []Row{
		{Label: "Address", Value: text.Clean(w.Address), Code: true},
		{Label: "Event types", Value: fmt.Sprintf("%d (%s)", len(w.Types), text.Clean(strings.Join(w.Types, ", ")))},
		{Label: "Transport", Value: strings.TrimSpace(text.Clean(w.TransportType) + ", " + state)},
	}
	if r.Action == drapi.ActionUpdated {
		for i, ch := range r.Changes {
			label := ""
			if i == 0 {
				label = "Changed"
			}
			rows = append(rows, Row{Label: label, Value: ChangeText(ch, nil)})
		}
	}
	if sf := r.Salesforce; sf.OrgID != "" {
		rows = append(rows, Row{Label: "Salesforce", Value: fmt.Sprintf("org %s, user %s, %s", sf.OrgID, sf.UserID, sf.InstanceURL)})
	}
	return rows
}

// Saved says what was saved where, or why not.
func (r *Result) Saved() []Row {
	switch {
	case r.Ephemeral:
		return []Row{{Label: "Nothing", Value: "this was the demo: no profile and no secret outlives the run."}}
	case r.ProfileErr != nil:
		return []Row{
			{Label: "Profile", Value: "not saved: " + text.Sentence(r.ProfileErr.Error()), Mark: MarkFail},
			{Value: "The webhook is registered all the same; run drsetup setup again to save the profile."},
		}
	case r.ProfilePath == "":
		return []Row{{Label: "Nothing", Value: "no profile store was given."}}
	}
	rows := []Row{{Label: "Profile", Value: fmt.Sprintf("%q in %s", r.Profile, r.ProfilePath)}}
	switch {
	case r.SecretsErr != nil:
		rows = append(rows,
			Row{Label: "Secrets", Value: "not saved: " + text.Sentence(r.SecretsErr.Error()), Mark: MarkWarn},
			Row{Value: "The webhook is registered and keeps its own copy of the credentials; drsetup asks for the secrets again next time, or reads the DRSETUP_* variables."})
	case r.SecretsSaved:
		rows = append(rows, Row{Label: "Secrets", Value: "in the OS keyring (service " + profile.KeyringService + "), nowhere else"})
	}
	return rows
}

// Doctor is the doctor command that checks this setup later.
func (r *Result) Doctor() string {
	if r.Profile != "" && r.Profile != profile.DefaultName {
		return "drsetup doctor --profile " + r.Profile
	}
	return "drsetup doctor"
}

// ReviewLines are Review and the plan as plain lines, for the plain
// prompts and unattended setup.
func (sv *Services) ReviewLines(s Setup, plan drapi.Plan, mode drapi.Mode) []string {
	var lines []string
	for _, sec := range sv.Review(s, mode) {
		if sec.Title != "" {
			lines = append(lines, sec.Title+":")
		}
		lines = append(lines, rowLines(sec.Rows)...)
	}
	if plan.Action != drapi.ActionUpdate {
		return append(lines, "Plan: "+PlanText(plan)+".")
	}
	lines = append(lines, "Plan: "+PlanText(plan)+":")
	for _, c := range plan.Changes {
		lines = append(lines, "  "+ChangeText(c, nil))
	}
	return lines
}

// rowLines are rows as "Label: value" lines; a row without a label
// continues the one before.
func rowLines(rows []Row) []string {
	var out []string
	for _, r := range rows {
		v := r.Value
		switch r.Mark {
		case MarkFail:
			v = "problem: " + v
		case MarkWarn:
			v = "note: " + v
		}
		if r.Label == "" {
			out = append(out, "  "+v)
			continue
		}
		out = append(out, r.Label+": "+v)
	}
	return out
}

// Lines say what was done and saved, as plain lines.
func (r *Result) Lines() []string {
	what := map[drapi.Action]string{
		drapi.ActionCreated: "Created webhook ",
		drapi.ActionUpdated: "Updated webhook ",
	}[r.Action]
	if what == "" {
		what = "Nothing to change: webhook " + r.Webhook.ID + " already matches"
	} else {
		what += r.Webhook.ID
	}
	lines := append([]string{text.Clean(what) + "."}, r.Notes()...)
	lines = append(lines, rowLines(r.Rows())...)
	lines = append(lines, "Saved:")
	lines = append(lines, rowLines(r.Saved())...)
	return append(lines, "Run "+r.Doctor()+" at any time to check this setup.")
}
