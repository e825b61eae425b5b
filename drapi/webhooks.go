package drapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// pageSize is the largest page Digital River's list endpoints serve.
const pageSize = 100

// WebhooksService is the /webhooks resource.
type WebhooksService struct {
	client *Client
}

// All walks every webhook of the key's mode, one page at a time (limit 100,
// startingAfter the last id, while hasMore). Only the current page is held in
// memory, and breaking out of the loop stops fetching. A failure is yielded
// once, as the last pair, with a zero Webhook.
//
// The walk always ends: a page that would start after an id already used as
// a cursor (a server going round in circles, not only one stuck on a page),
// or more than the client's MaxPages pages, ends it with an *Error of
// KindEndlessList wrapping a *PagingError that says how much was read.
func (s *WebhooksService) All(ctx context.Context) iter.Seq2[Webhook, error] {
	return func(yield func(Webhook, error) bool) {
		after := ""
		// The cursors used so far: at most maxPages ids, so the walk's memory
		// stays one page plus a few kilobytes whatever the server says.
		seen := map[string]bool{}
		read := 0
		for pages := 1; ; pages++ {
			p, err := s.listPage(ctx, after)
			if err != nil {
				yield(Webhook{}, err)
				return
			}
			for i := range p.data {
				if !yield(p.data[i].webhook(), nil) {
					return
				}
			}
			read += len(p.data)
			if !p.hasMore || len(p.data) == 0 {
				return
			}
			next := p.data[len(p.data)-1].ID
			if next == "" {
				yield(Webhook{}, p.fail(errors.New("the last webhook of a page that says more follow has no id")))
				return
			}
			switch {
			case seen[next]:
				yield(Webhook{}, p.endless(&PagingError{Reason: PagingRepeatedCursor, Pages: pages, Webhooks: read, Cursor: next}))
				return
			case pages >= s.client.maxPages:
				yield(Webhook{}, p.endless(&PagingError{Reason: PagingTooManyPages, Pages: pages, Webhooks: read}))
				return
			}
			seen[next] = true
			after = next
		}
	}
}

type page struct {
	data    []wireWebhook
	hasMore bool
	fail    func(error) error        // an *Error about this page's answer
	endless func(*PagingError) error // an *Error ending a walk after this page
}

// listPage fetches one page. Digital River's API document gives the list as a
// bare array while its docs describe {data, hasMore}; both are read, and a
// bare array is taken as the whole list. Pages decode straight into the wire
// form: a Webhook's own UnmarshalJSON would scan each one twice.
func (s *WebhooksService) listPage(ctx context.Context, after string) (page, error) {
	c := s.client
	r := c.newRequest(http.MethodGet, "/webhooks", nil)
	r.query = url.Values{"limit": {strconv.Itoa(pageSize)}}
	if after != "" {
		r.query.Set("startingAfter", after)
	}
	resp, err := c.do(ctx, r)
	if err != nil {
		return page{}, err
	}
	fail := func(err error) error { return c.decodeError(r, resp.status, resp.header, resp.body, err) }
	endless := func(pe *PagingError) error { return c.pagingError(r, resp.header, pe) }
	if b := bytes.TrimLeft(resp.body, " \t\r\n"); len(b) > 0 && b[0] == '[' {
		var ws []wireWebhook
		if err := json.Unmarshal(resp.body, &ws); err != nil {
			return page{}, fail(err)
		}
		return page{data: ws, fail: fail, endless: endless}, nil
	}
	var env struct {
		Data    *[]wireWebhook `json:"data"`
		HasMore bool           `json:"hasMore"`
	}
	if err := json.Unmarshal(resp.body, &env); err != nil {
		return page{}, fail(err)
	}
	if env.Data == nil {
		return page{}, fail(errors.New(`the list has no "data" array`))
	}
	return page{data: *env.Data, hasMore: env.HasMore, fail: fail, endless: endless}, nil
}

// FindByAddress returns every webhook whose address is address, as
// SameAddress compares them. It reads all pages: more than one match is a
// finding in itself.
func (s *WebhooksService) FindByAddress(ctx context.Context, address string) ([]Webhook, error) {
	want := canonicalAddress(address)
	return s.find(ctx, func(w Webhook) bool { return canonicalAddress(w.Address) == want })
}

func (s *WebhooksService) find(ctx context.Context, match func(Webhook) bool) ([]Webhook, error) {
	var found []Webhook
	for w, err := range s.All(ctx) {
		if err != nil {
			return nil, err
		}
		if match(w) {
			found = append(found, w)
		}
	}
	return found, nil
}

// Get reads one webhook, secrets included (masked in every printed form).
func (s *WebhooksService) Get(ctx context.Context, id string) (Webhook, error) {
	if id == "" {
		return Webhook{}, errNoID
	}
	c := s.client
	r := c.newRequest(http.MethodGet, webhookPath(id), nil)
	resp, err := c.do(ctx, r)
	if err != nil {
		return Webhook{}, err
	}
	return c.decodeWebhook(r, resp)
}

// Create registers a new webhook. The POST is sent once and never again:
// when its answer is lost after it may have been applied, the list is
// watched (about 30 s, with backoff) for a webhook that matches sp in every
// field, and that one is adopted; if none appears, the error is a
// *LostCreateError. Create does not read the webhook back; Apply does.
func (s *WebhooksService) Create(ctx context.Context, sp Spec) (Webhook, error) {
	norm := sp.normalized()
	w, _, err := s.create(ctx, sp, func(w Webhook) bool { return len(Diff(w, norm)) == 0 })
	return w, err
}

// create POSTs sp once. When the answer is lost after the request may have
// been applied, it looks for the webhook with candidate (a webhook that was
// not there before the POST) until one is listed or lostCreateWait has
// passed, and reports whether the one returned was adopted that way.
func (s *WebhooksService) create(ctx context.Context, sp Spec, candidate func(Webhook) bool) (Webhook, bool, error) {
	if err := sp.Validate(); err != nil {
		return Webhook{}, false, err
	}
	sp = sp.normalized()
	body, secrets, err := encodeCreate(sp)
	if err != nil {
		return Webhook{}, false, err
	}
	c := s.client
	r := c.newRequest(http.MethodPost, "/webhooks", body, secrets...)
	noteWrite(ctx)
	resp, err := c.do(ctx, r)
	if err == nil {
		w, err := c.decodeWebhook(r, resp)
		return w, false, err
	}
	var e *Error
	if !errors.As(err, &e) || !e.mayHaveApplied() {
		return Webhook{}, false, err
	}
	w, err := s.awaitCreated(ctx, r, e, candidate)
	return w, err == nil, err
}

// awaitCreated watches the list for the webhook a create whose answer was
// lost (e) may have made, with backoff, for lostCreateWait: a list may lag
// behind creates by seconds. Several candidates (another run created one
// too) give the oldest; Apply's convergence sorts out the rest.
func (s *WebhooksService) awaitCreated(ctx context.Context, r *request, e *Error, candidate func(Webhook) bool) (Webhook, error) {
	c := s.client
	noteAwaiting(ctx)
	start := c.now()
	deadline := start.Add(lostCreateWait)
	for n := 1; ; n++ {
		if left := deadline.Sub(c.now()); left > 0 {
			if err := c.sleep(ctx, min(pollWait(n), left)); err != nil {
				return Webhook{}, c.netError(ctx, r, e.Attempts, err)
			}
		}
		found, err := s.find(ctx, candidate)
		switch {
		case err != nil && ctx.Err() != nil:
			return Webhook{}, err
		case err != nil:
			return Webhook{}, &UncertainCreateError{Err: e, CheckErr: err}
		case len(found) > 0:
			return keeper(found, ""), nil
		case !c.now().Before(deadline):
			return Webhook{}, &LostCreateError{Err: e, Waited: c.now().Sub(start)}
		}
	}
}

// Update changes webhook id from current to desired with one PATCH that
// carries the whole desired webhook, so that the result is the same whether
// Digital River keeps the fields a PATCH omits or clears them (its API
// document does not say). With nothing to change it sends nothing and
// returns current. It does not read the webhook back; Apply does.
func (s *WebhooksService) Update(ctx context.Context, id string, current Webhook, desired Spec) (Webhook, error) {
	if id == "" {
		return Webhook{}, errNoID
	}
	if err := desired.Validate(); err != nil {
		return Webhook{}, err
	}
	if len(Diff(current, desired)) == 0 {
		return current, nil
	}
	return s.patch(ctx, id, desired)
}

// patch sends the PATCH of Update.
func (s *WebhooksService) patch(ctx context.Context, id string, desired Spec) (Webhook, error) {
	body, secrets, err := encodeUpdate(desired.normalized())
	if err != nil {
		return Webhook{}, err
	}
	c := s.client
	r := c.newRequest(http.MethodPatch, webhookPath(id), body, secrets...)
	noteWrite(ctx)
	resp, err := c.do(ctx, r)
	if err != nil {
		return Webhook{}, err
	}
	return c.decodeWebhook(r, resp)
}

// Delete removes webhook id. A 404 on a repeated try means the first try
// deleted it, and counts as success.
func (s *WebhooksService) Delete(ctx context.Context, id string) error {
	if id == "" {
		return errNoID
	}
	c := s.client
	noteWrite(ctx)
	_, err := c.do(ctx, c.newRequest(http.MethodDelete, webhookPath(id), nil))
	var e *Error
	if errors.As(err, &e) && e.Kind == KindNotFound && e.Attempts > 1 {
		return nil
	}
	return err
}

var errNoID = errors.New("drapi: no webhook id given")

func webhookPath(id string) string { return "/webhooks/" + url.PathEscape(id) }

func (c *Client) decodeWebhook(r *request, resp *response) (Webhook, error) {
	var w Webhook
	err := json.Unmarshal(resp.body, &w)
	if err == nil && w.ID == "" {
		err = errors.New("the webhook has no id")
	}
	if err != nil {
		return Webhook{}, c.decodeError(r, resp.status, resp.header, resp.body, err)
	}
	return w, nil
}

// Request bodies. These structs hold revealed secrets, so they live only long
// enough to be encoded.

type oauthBody struct {
	TokenEndPoint string `json:"tokenEndPoint"`
	UserName      string `json:"userName,omitempty"`
	Password      string `json:"password,omitempty"`
	ClientID      string `json:"clientID"`
	ClientSecret  string `json:"clientSecret"`
	GrantType     string `json:"grantType,omitempty"`
	Audience      string `json:"audience,omitempty"`
}

func newOAuthBody(o *OAuth) (*oauthBody, []string) {
	if o == nil {
		return nil, nil
	}
	return &oauthBody{
		TokenEndPoint: o.TokenEndPoint,
		UserName:      o.UserName,
		Password:      o.Password.Reveal(),
		ClientID:      o.ClientID,
		ClientSecret:  o.ClientSecret.Reveal(),
		GrantType:     o.GrantType,
		Audience:      o.Audience,
	}, []string{o.Password.Reveal(), o.ClientSecret.Reveal()}
}

// encodeCreate is the WebhookRequest body for sp (normalized), and the secrets
// in it, which error texts must never repeat.
func encodeCreate(sp Spec) ([]byte, []string, error) {
	body := struct {
		Address       string     `json:"address"`
		Types         []string   `json:"types"`
		APIVersion    string     `json:"apiVersion"`
		Enabled       bool       `json:"enabled"`
		TransportType string     `json:"transportType"`
		OAuth         *oauthBody `json:"oauth,omitempty"`
	}{Address: sp.Address, Types: sp.Types, APIVersion: sp.APIVersion, Enabled: sp.Enabled, TransportType: sp.TransportType}
	var secrets []string
	if sp.TransportType == TransportOAuth {
		body.OAuth, secrets = newOAuthBody(sp.OAuth)
	}
	b, err := json.Marshal(body)
	return b, secrets, err
}

// encodeUpdate is the WebhookUpdateRequest body for desired (normalized):
// every field drsetup sets, the same as a create's. Sending only what
// differs would leave the result to what Digital River does with omitted
// fields, which it does not document.
func encodeUpdate(desired Spec) ([]byte, []string, error) {
	return encodeCreate(desired)
}
