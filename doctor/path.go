package doctor

import (
	"context"
	"slices"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/httpx"
)

// buildPaths marks the hops of each path an order event takes with the
// worst status of the checks about that hop. With a profile or given values
// there is one path, the org's; in key-only mode one per webhook examined.
// Marking does not depend on the order of the checks, so each check is read
// once: the run's own onto a base every path starts from, a webhook's onto
// that webhook's path.
func (r *run) buildPaths(checks []Result) []Path {
	dr := r.drHost
	if dr == "" {
		dr = httpx.Host(drapi.DefaultBaseURL)
	}
	if r.mode != ModeKeyOnly {
		hosts := [3]string{dr, httpx.Host(r.setup.TokenURL()), ""}
		if d, _ := r.domain.wait(context.Background()); d != nil {
			hosts[2] = d.Host
		} else if p, _ := r.profileLogin.wait(context.Background()); p.works() {
			hosts[2] = httpx.Host(p.session.InstanceURL)
		}
		p := newPath("", hosts)
		for _, c := range checks {
			p.mark(c)
		}
		return []Path{p}
	}
	base := newPath("", [3]string{dr})
	for _, c := range checks {
		if c.WebhookID == "" {
			base.mark(c)
		}
	}
	if len(r.paths) == 0 {
		return []Path{base}
	}
	out := make([]Path, len(r.paths))
	byID := make(map[string]*Path, len(r.paths))
	for i, plan := range r.paths {
		p := base
		p.WebhookID = plan.webhookID
		for k := range p.Hops {
			if k > 0 {
				p.Hops[k].Host = plan.hosts[k]
			}
		}
		out[i] = p
		byID[plan.webhookID] = &out[i]
	}
	for _, c := range checks {
		if p := byID[c.WebhookID]; p != nil && c.WebhookID != "" {
			p.mark(c)
		}
	}
	return out
}

// live are the checks that exercise a hop against the real service. Only
// they can mark a hop passed; the others, which read settings, can only mark
// it warn or fail. A hop nothing exercised stays skip: not reached.
var live = []ID{CheckDRAPIKey, CheckWebhookExists, CheckSFLogin, CheckInstanceURL, CheckApexEndpoint, CheckDRLoginReplay}

func newPath(webhookID string, hosts [3]string) Path {
	p := Path{WebhookID: webhookID}
	for i, kind := range []HopKind{HopDigitalRiver, HopToken, HopApex} {
		p.Hops[i] = Hop{Kind: kind, Host: hosts[i], Status: Skip}
	}
	return p
}

// mark applies one check to the hops it is about.
func (p *Path) mark(c Result) {
	if c.Hop == HopNone || c.Status == Skip {
		return
	}
	set := func(kind HopKind, s Status) {
		h := &p.Hops[kind-HopDigitalRiver]
		if s == Pass && h.Status == Skip {
			h.Status = Pass
		} else if s == Warn || s == Fail {
			h.Status = worse(h.Status, s)
		}
	}
	if c.ID == CheckDRLoginReplay && c.Hop == HopApex {
		// The replay reached the endpoint, so its login passed.
		set(HopToken, Pass)
	}
	if slices.Contains(live, c.ID) || c.Status != Pass {
		set(c.Hop, c.Status)
	}
}

// pathPlan is the path an order event takes for one webhook in key-only
// mode: the hosts of its hops.
type pathPlan struct {
	webhookID string
	hosts     [3]string
}

// pathPlanOf is w's path: Digital River (its host is filled in with the
// report), the token endpoint stored in w, and w's address.
func pathPlanOf(w drapi.Webhook) pathPlan {
	p := pathPlan{webhookID: w.ID, hosts: [3]string{"", httpx.Host(w.Address), httpx.Host(w.Address)}}
	if w.OAuth != nil {
		p.hosts[1] = httpx.Host(w.OAuth.TokenEndPoint)
	}
	return p
}
