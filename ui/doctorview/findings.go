package doctorview

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/drsetup/drsetup/doctor"
	"github.com/drsetup/drsetup/text"
)

// finding is one finding of the report: a check's verdict met on one or
// several webhooks, or a check of the setup itself.
type finding struct {
	id     doctor.ID
	status doctor.Status
	checks []doctor.Result // in report order
	first  int             // the first check's place in the report
}

// brief is the finding in a few words: its Brief, else the first sentence
// of its first summary.
func (f *finding) brief() string {
	c := f.checks[0]
	if c.Brief != "" {
		return text.FullStop(text.Capitalize(c.Brief))
	}
	s := sentences(c.Summary)
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func (f *finding) aboutWebhooks() bool { return f.checks[0].WebhookID != "" }

// groupFindings gathers the checks into findings: a webhook's check joins
// the other webhooks' of the same id, status and finding (its Brief, or its
// summary when it has none); a check of the setup stands alone. One pass,
// so a report of thousands of webhooks groups as fast as a short one.
func groupFindings(rep *doctor.Report) []*finding {
	type key struct {
		id     doctor.ID
		status doctor.Status
		what   string
	}
	var out []*finding
	byKey := map[key]*finding{}
	for i, c := range rep.Checks {
		if c.WebhookID == "" {
			out = append(out, &finding{id: c.ID, status: c.Status, checks: []doctor.Result{c}, first: i})
			continue
		}
		k := key{c.ID, c.Status, cmp.Or(c.Brief, c.Summary)}
		if f, ok := byKey[k]; ok {
			f.checks = append(f.checks, c)
			continue
		}
		f := &finding{id: c.ID, status: c.Status, checks: []doctor.Result{c}, first: i}
		byKey[k] = f
		out = append(out, f)
	}
	return out
}

// severity orders the summary: failures first.
func severity(s doctor.Status) int {
	if s == doctor.Fail {
		return 1
	}
	return 0
}

// checkRank is a check's place in doctor's report order.
func checkRank(id doctor.ID) int {
	return slices.Index([]doctor.ID{
		doctor.CheckProfile, doctor.CheckKeyring, doctor.CheckMyDomain, doctor.CheckTokenEndpoint, doctor.CheckSFLogin,
		doctor.CheckInstanceURL, doctor.CheckApexEndpoint, doctor.CheckDRAPIKey, doctor.CheckWebhookExists,
		doctor.CheckWebhookAddress, doctor.CheckWebhookEnabled, doctor.CheckWebhookTransport, doctor.CheckWebhookOAuth,
		doctor.CheckWebhookEvents, doctor.CheckWebhookDuplicates, doctor.CheckDRLoginReplay, doctor.CheckDREvents,
		doctor.CheckSFPermissionSet, doctor.CheckListenerLatency, doctor.CheckSFLoginHistory, doctor.CheckSFFailedEvents,
	}, id)
}

// summary writes one line per failed or warned finding, failures first.
func (r *renderer) summary() {
	var fs []*finding
	for _, f := range r.findings {
		if f.status == doctor.Fail || f.status == doctor.Warn {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return
	}
	slices.SortStableFunc(fs, func(a, b *finding) int {
		return cmp.Or(cmp.Compare(severity(b.status), severity(a.status)), cmp.Compare(checkRank(a.id), checkRank(b.id)), cmp.Compare(a.first, b.first))
	})
	r.blank()
	r.para("Summary (details below):", "", "", r.st.Label.Render)
	for _, f := range fs {
		plain, styled := r.mark(f.status)
		head := plain + "  " + f.id.Title() + r.who(f, true) + ": "
		r.styledPara(head+f.brief(), plain, styled, "", "  ")
	}
}

// styledPara writes text wrapped, the first line indented by first and the
// rest by rest, its leading mark (plain) drawn styled.
func (r *renderer) styledPara(s, plain, styled, first, rest string) {
	for i, line := range wrapText(r.say(s), r.width, first, rest, !r.o.KeepLongWords) {
		if i == 0 && plain != "" {
			line = strings.Replace(line, plain, styled, 1)
		}
		r.b.WriteString(line + "\n")
	}
}

// who names the webhooks a finding is about: "" for the setup's own, "all
// 7 webhooks" when it is every one, else each by its short id.
func (r *renderer) who(f *finding, paren bool) string {
	if !f.aboutWebhooks() {
		return ""
	}
	ids := make([]string, len(f.checks))
	for i, c := range f.checks {
		ids[i] = r.name(c.WebhookID)
	}
	var s string
	switch n, all := len(ids), len(r.rep.Webhooks); {
	case n == 1:
		s = "webhook " + ids[0]
	case n == all && n > 2:
		s = fmt.Sprintf("all %d webhooks", n)
	case n <= 3:
		s = "webhooks " + text.JoinAnd(ids)
	default:
		s = fmt.Sprintf("%d webhooks: %s", n, strings.Join(ids, ", "))
	}
	if paren {
		return " (" + s + ")"
	}
	return ", " + s
}

func (r *renderer) name(webhookID string) string {
	if s, ok := r.short[webhookID]; ok {
		return s
	}
	return shortID(webhookID)
}

// details writes every check: the setup's by section, then each webhook
// finding once with the webhooks it concerns.
func (r *renderer) details() {
	r.blank()
	r.para("Details:", "", "", r.st.Label.Render)
	// In key-only mode the setup's own checks are skipped by design: what
	// was not checked, and why, is one paragraph.
	byDesign := r.rep.Mode == doctor.ModeKeyOnly
	var skipped []string
	for _, sec := range setupSections(r.rep) {
		for _, c := range collapseSkips(sec.checks) {
			if c.Status == doctor.Skip && byDesign {
				skipped = append(skipped, strings.Join(c.titles, ", ")+": "+strings.Join(r.explain(sentences(c.Summary), c.titles[0]), " "))
			}
		}
	}
	if len(skipped) > 0 {
		plain, styled := r.mark(doctor.Skip)
		r.block(plain, plain, styled, []piece{{text: skipped}}, "")
	}
	for _, sec := range setupSections(r.rep) {
		for _, c := range collapseSkips(sec.checks) {
			if c.Status != doctor.Skip || !byDesign {
				r.check(c)
			}
		}
	}
	var hooks []*finding
	for _, f := range r.findings {
		if f.aboutWebhooks() {
			hooks = append(hooks, f)
		}
	}
	if len(hooks) == 0 {
		return
	}
	slices.SortStableFunc(hooks, func(a, b *finding) int {
		return cmp.Or(cmp.Compare(checkRank(a.id), checkRank(b.id)), cmp.Compare(a.first, b.first))
	})
	few := len(r.rep.Webhooks) <= 1
	for _, fs := range foldSkips(hooks) {
		if fs[0].status != doctor.Pass || few {
			r.group(fs...)
		}
	}
	if !few {
		r.passes(hooks)
	}
}

// check writes one check of the setup: mark, title and finding, then the
// remedy.
func (r *renderer) check(c collapsed) {
	plain, styled := r.mark(c.Status)
	title := strings.Join(c.titles, ", ")
	r.block(plain+" "+title+":", plain, styled, []piece{{text: r.explain(sentences(c.Summary), title)}}, "")
	r.remedy(c.Status, []piece{{text: r.explain(sentences(c.Remedy), title)}})
}

// piece is a run of sentences of a finding, labelled with the webhook it
// is about when the others do not share it.
type piece struct {
	label string
	text  []string
}

// block writes head, indented by first, and then the pieces: the first on
// head's line when it has no label, each labelled piece on a line of its
// own indented by two more. Each paragraph's lines after its first are
// indented two more again.
func (r *renderer) block(head, plain, styled string, pieces []piece, first string) {
	r.blockLabelled(head, plain, styled, pieces, first, false)
}

// blockLabelled is block; with labelHead a first labelled piece goes on
// head's line, its label in parentheses.
func (r *renderer) blockLabelled(head, plain, styled string, pieces []piece, first string, labelHead bool) {
	inner := first + "  "
	line, at := head, first
	started := false
	for _, p := range pieces {
		if len(p.text) == 0 {
			continue
		}
		body := strings.Join(p.text, " ")
		if p.label != "" {
			body = p.label + ": " + body
		}
		if !started && p.label == "" {
			line = strings.TrimSpace(line + " " + body)
			started = true
			continue
		}
		if !started && labelHead {
			// "To fix (80f4ceca): …": the webhook's own remedy comes first.
			line = strings.TrimSuffix(line, ":") + " (" + p.label + "): " + strings.Join(p.text, " ")
			started = true
			continue
		}
		r.styledPara(line, plain, styled, at, at+"  ")
		line, at, plain, styled = body, inner, "", ""
		started = true
	}
	r.styledPara(line, plain, styled, at, at+"  ")
}

// remedy writes what to do, after an arrow (in words, "To fix:").
func (r *renderer) remedy(s doctor.Status, pieces []piece) {
	empty := true
	for _, p := range pieces {
		empty = empty && len(p.text) == 0
	}
	if empty {
		return
	}
	lead := "→"
	if r.o.Words {
		lead = "To fix:"
	}
	r.blockLabelled(lead, lead, statusStyle(r.st, s, lead), pieces, "  ", true)
}

// foldSkips puts together the webhook findings that are the same skip on
// the same webhooks (the delivery checks of a webhook whose login fails all
// give one reason), to write them as one; every other finding stands alone.
func foldSkips(hooks []*finding) [][]*finding {
	var out [][]*finding
	at := map[string]int{}
	for _, f := range hooks {
		if f.status != doctor.Skip {
			out = append(out, []*finding{f})
			continue
		}
		ids := make([]string, len(f.checks))
		for i, c := range f.checks {
			ids[i] = c.WebhookID
		}
		key := strings.Join(ids, ",") + "\x00" + f.checks[0].Summary
		if i, ok := at[key]; ok {
			out[i] = append(out[i], f)
			continue
		}
		at[key] = len(out)
		out = append(out, []*finding{f})
	}
	return out
}

// group writes one webhook finding: what the webhooks share said once, and
// what differs webhook by webhook, in the order the findings say it. More
// findings after the first are skips of the same webhooks for the same
// reason, named in its title.
func (r *renderer) group(fs ...*finding) {
	f := fs[0]
	plain, styled := r.mark(f.status)
	titles := make([]string, len(fs))
	for i, g := range fs {
		titles[i] = g.id.Title()
	}
	title := strings.Join(titles, ", ")
	sums := make([]string, len(f.checks))
	rems := make([]string, len(f.checks))
	for i, c := range f.checks {
		sums[i], rems[i] = c.Summary, c.Remedy
	}
	r.block(plain+" "+title+r.who(f, false)+":", plain, styled, r.pieces(f, sums, title), "")
	r.remedy(f.status, r.pieces(f, rems, title))
}

// pieces factors the texts of a finding's webhooks: what each says before
// the sentences they share, the shared ones once, and what each says after.
func (r *renderer) pieces(f *finding, texts []string, title string) []piece {
	pre, common, post := factor(texts)
	var out []piece
	add := func(rest [][]string) {
		for i, s := range rest {
			if len(s) > 0 {
				out = append(out, piece{label: r.name(f.checks[i].WebhookID), text: r.explain(s, title)})
			}
		}
	}
	add(pre)
	out = append(out, piece{text: r.explain(common, title)})
	add(post)
	return out
}

// passes writes, for webhook checks that passed, on how many webhooks: the
// webhooks a finding above names did not pass it, the others did; what was
// seen of each is in the list of paths.
func (r *renderer) passes(hooks []*finding) {
	n := map[doctor.ID]int{}
	var ids []doctor.ID
	for _, f := range hooks {
		if f.status != doctor.Pass {
			continue
		}
		if n[f.id] == 0 {
			ids = append(ids, f.id)
		}
		n[f.id] += len(f.checks)
	}
	if len(ids) == 0 {
		return
	}
	all := len(r.rep.Webhooks)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%s %d of %d", id.Title(), n[id], all)
	}
	plain, styled := r.mark(doctor.Pass)
	r.block(plain+" All other checks passed:", plain, styled, []piece{{text: []string{strings.Join(parts, "; ") + "."}}}, "")
}

// explain returns sentences with each long one (an explanation) that the
// report already wrote replaced by a pointer to where.
func (r *renderer) explain(ss []string, title string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if len(s) < minExplanation {
			out = append(out, s)
			continue
		}
		if where, ok := r.explained[s]; ok {
			ref := fmt.Sprintf("(Explained above, under %s.)", where)
			if len(out) == 0 || out[len(out)-1] != ref {
				out = append(out, ref)
			}
			continue
		}
		r.explained[s] = title
		out = append(out, s)
	}
	return out
}

// minExplanation is how long a sentence must be to count as an
// explanation, written once and pointed to after that.
const minExplanation = 120

// factor splits texts into the sentences all of them share, in the order
// of the first, and what each says besides: before the first shared
// sentence (pre) and after it (post). With nothing shared, all is pre.
func factor(texts []string) (pre [][]string, common []string, post [][]string) {
	if len(texts) == 0 {
		return nil, nil, nil
	}
	split := make([][]string, len(texts))
	for i, t := range texts {
		split[i] = sentences(t)
	}
	for _, s := range split[0] {
		shared := !slices.Contains(common, s)
		for _, other := range split[1:] {
			if !shared {
				break
			}
			shared = slices.Contains(other, s)
		}
		if shared {
			common = append(common, s)
		}
	}
	pre, post = make([][]string, len(texts)), make([][]string, len(texts))
	for i, ss := range split {
		seen := false
		for _, s := range ss {
			switch {
			case slices.Contains(common, s):
				seen = true
			case seen:
				post[i] = append(post[i], s)
			default:
				pre[i] = append(pre[i], s)
			}
		}
	}
	return pre, common, post
}

// sentences splits a finding into its sentences: at a full stop, question
// mark or closing parenthesis after one, followed by a space and a capital
// letter, a digit or an opening parenthesis. "e.g. https://…" and hosts stay
// whole.
func sentences(s string) []string {
	s = strings.Join(strings.Fields(s), " ")
	var out []string
	start := 0
	for i := 0; i+2 < len(s); i++ {
		if s[i+1] != ' ' || (s[i] != '.' && s[i] != '?' && s[i] != '!') {
			continue
		}
		next := rune(s[i+2])
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && next != '(' {
			continue
		}
		out = append(out, s[start:i+1])
		start = i + 2
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

var starRun = regexp.MustCompile(`\*{3,}`)

// Spoken is text as a screen reader should meet it: no arrows in Setup
// paths ("Setup, then Users"), and "(hidden)" for a masked value.
func Spoken(s string) string {
	s = strings.ReplaceAll(s, " → ", ", then ")
	s = strings.ReplaceAll(s, "→", "then")
	return starRun.ReplaceAllStringFunc(s, func(string) string { return " (hidden)" })
}

// section is the checks of one part of the setup, in the report's order.
type section struct {
	checks []doctor.Result
}

var groupOf = map[doctor.ID]int{
	doctor.CheckProfile: 0, doctor.CheckKeyring: 0,
	doctor.CheckMyDomain: 1, doctor.CheckTokenEndpoint: 1, doctor.CheckSFLogin: 1,
	doctor.CheckInstanceURL: 1, doctor.CheckApexEndpoint: 1,
	doctor.CheckSFPermissionSet: 1, doctor.CheckListenerLatency: 1, doctor.CheckSFLoginHistory: 1, doctor.CheckSFFailedEvents: 1,
}

// setupSections are the checks about no one webhook, by what they check.
func setupSections(rep *doctor.Report) []section {
	out := make([]section, 3) // the profile, Salesforce, Digital River
	for _, c := range rep.Checks {
		if c.WebhookID != "" {
			continue
		}
		i, ok := groupOf[c.ID]
		if !ok {
			i = 2
		}
		out[i].checks = append(out[i].checks, c)
	}
	var kept []section
	for _, s := range out {
		if len(s.checks) > 0 {
			kept = append(kept, s)
		}
	}
	return kept
}

// collapsed is a check, or several skipped for the same reason.
type collapsed struct {
	doctor.Result
	titles []string
}

// collapseSkips folds checks skipped for one reason into one line: in
// key-only mode the Salesforce checks all share theirs.
func collapseSkips(cs []doctor.Result) []collapsed {
	var out []collapsed
	for _, c := range cs {
		if n := len(out); n > 0 && c.Status == doctor.Skip && out[n-1].Status == doctor.Skip && out[n-1].Summary == c.Summary {
			out[n-1].titles = append(out[n-1].titles, c.ID.Title())
			continue
		}
		out = append(out, collapsed{Result: c, titles: []string{c.ID.Title()}})
	}
	return out
}
