package doctor

import (
	"context"
	"slices"

	"github.com/drsetup/drsetup/drapi"
)

// buildPaths marks the hops of each path an order event takes with the
// worst status of the checks about that hop. With a profile or given values
// there is one path, the org's; in key-only mode one per webhook examined.
func (r *run) buildPaths(checks []Result) []Path {
	dr := r.drHost
	if dr == "" {
		dr = hostOf(drapi.DefaultBaseURL)
	}
	if r.mode != ModeKeyOnly {
		hosts := [3]string{dr, hostOf(r.setup.TokenURL()), ""}
		if d, _ := r.domain.wait(context.Background()); d != nil {
			hosts[2] = d.Host
		} else if s, _ := r.sfSession.wait(context.Background()); s != nil {
			hosts[2] = hostOf(s.InstanceURL)
		}
		return []Path{pathOf("", hosts, checks)}
	}
	if len(r.paths) == 0 {
		return []Path{pathOf("", [3]string{dr}, checks)}
	}
	var out []Path
	for _, p := range r.paths {
		p.hosts[0] = dr
		var mine []Result
		for _, c := range checks {
			if c.WebhookID == "" || c.WebhookID == p.webhookID {
				mine = append(mine, c)
			}
		}
		out = append(out, pathOf(p.webhookID, p.hosts, mine))
	}
	return out
}

// live are the checks that exercise a hop against the real service. Only
// they can mark a hop passed; the others, which read settings, can only mark
// it warn or fail. A hop nothing exercised stays skip: not reached.
var live = []ID{CheckDRAPIKey, CheckWebhookExists, CheckSFLogin, CheckInstanceURL, CheckApexEndpoint, CheckDRLoginReplay}

func pathOf(webhookID string, hosts [3]string, checks []Result) Path {
	p := Path{WebhookID: webhookID}
	for i, kind := range []HopKind{HopDigitalRiver, HopToken, HopApex} {
		p.Hops[i] = Hop{Kind: kind, Host: hosts[i], Status: Skip}
	}
	mark := func(kind HopKind, s Status) {
		h := &p.Hops[kind-HopDigitalRiver]
		if s == Pass && h.Status == Skip {
			h.Status = Pass
		} else if s == Warn || s == Fail {
			h.Status = worse(h.Status, s)
		}
	}
	for _, c := range checks {
		if c.Hop == HopNone || c.Status == Skip {
			continue
		}
		if c.ID == CheckDRLoginReplay && c.Hop == HopApex {
			// The replay reached the endpoint, so its login passed.
			mark(HopToken, Pass)
		}
		if slices.Contains(live, c.ID) || c.Status != Pass {
			mark(c.Hop, c.Status)
		}
	}
	return p
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
	p := pathPlan{webhookID: w.ID, hosts: [3]string{"", hostOf(w.Address), hostOf(w.Address)}}
	if w.OAuth != nil {
		p.hosts[1] = hostOf(w.OAuth.TokenEndPoint)
	}
	return p
}
