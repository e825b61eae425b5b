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

// Create registers a new webhook. The POST is never repeated blindly: when its
// answer is lost after it was sent, the webhooks are listed and one that
// matches sp in every field is adopted; only when none exists is it sent once
// more.
func (s *WebhooksService) Create(ctx context.Context, sp Spec) (Webhook, error) {
	w, _, err := s.create(ctx, sp)
	return w, err
}

func (s *WebhooksService) create(ctx context.Context, sp Spec) (Webhook, bool, error) {
	if err := sp.Validate(); err != nil {
		return Webhook{}, false, err
	}
	sp = sp.normalized()
	body, secrets, err := encodeCreate(sp)
	if err != nil {
		return Webhook{}, false, err
	}
	c := s.client
	for try := 1; ; try++ {
		r := c.newRequest(http.MethodPost, "/webhooks", body, secrets...)
		resp, err := c.do(ctx, r)
		if err == nil {
			w, err := c.decodeWebhook(r, resp)
			return w, false, err
		}
		var e *Error
		if !errors.As(err, &e) || !e.mayHaveApplied() {
			return Webhook{}, false, err
		}
		// Give a create that outlived our timeout a moment to land before
		// looking for it.
		if serr := c.sleep(ctx, c.backoff(2)); serr != nil {
			return Webhook{}, false, &UncertainCreateError{Err: e, CheckErr: c.netError(ctx, r, 0, serr)}
		}
		w, found, ferr := s.findCreated(ctx, sp)
		switch {
		case ferr != nil:
			var dup *DuplicatesError
			if errors.As(ferr, &dup) {
				return Webhook{}, false, ferr
			}
			return Webhook{}, false, &UncertainCreateError{Err: e, CheckErr: ferr}
		case found:
			return w, true, nil
		case try == 2:
			return Webhook{}, false, e
		}
	}
}

// findCreated looks for the webhook a lost create would have made: one that
// differs from sp in nothing, address included. Digital River returns the
// secrets, so they are compared too.
func (s *WebhooksService) findCreated(ctx context.Context, sp Spec) (Webhook, bool, error) {
	found, err := s.find(ctx, func(w Webhook) bool { return len(Diff(w, sp)) == 0 })
	switch {
	case err != nil:
		return Webhook{}, false, err
	case len(found) > 1:
		return Webhook{}, false, &DuplicatesError{Address: sp.Address, Webhooks: found}
	case len(found) == 1:
		return found[0], true, nil
	}
	return Webhook{}, false, nil
}

// Update changes webhook id from current to desired with a PATCH carrying only
// the fields that differ; when any OAuth field differs, the whole oauth block
// goes, since Digital River stores it as one object. With nothing to change it
// sends nothing and returns current.
func (s *WebhooksService) Update(ctx context.Context, id string, current Webhook, desired Spec) (Webhook, error) {
	if id == "" {
		return Webhook{}, errNoID
	}
	if err := desired.Validate(); err != nil {
		return Webhook{}, err
	}
	desired = desired.normalized()
	changes := Diff(current, desired)
	if len(changes) == 0 {
		return current, nil
	}
	body, secrets, err := encodeUpdate(desired, changes)
	if err != nil {
		return Webhook{}, err
	}
	c := s.client
	r := c.newRequest(http.MethodPatch, webhookPath(id), body, secrets...)
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

// encodeUpdate is the WebhookUpdateRequest body with only the changed fields
// of desired (normalized).
func encodeUpdate(desired Spec, changes []Change) ([]byte, []string, error) {
	var body struct {
		Address       *string    `json:"address,omitempty"`
		Types         []string   `json:"types,omitempty"`
		APIVersion    *string    `json:"apiVersion,omitempty"`
		Enabled       *bool      `json:"enabled,omitempty"`
		TransportType *string    `json:"transportType,omitempty"`
		OAuth         *oauthBody `json:"oauth,omitempty"`
	}
	var secrets []string
	for _, ch := range changes {
		switch ch.Field {
		case "address":
			body.Address = &desired.Address
		case "types":
			body.Types = desired.Types
		case "apiVersion":
			body.APIVersion = &desired.APIVersion
		case "enabled":
			body.Enabled = &desired.Enabled
		case "transportType":
			body.TransportType = &desired.TransportType
		default:
			if body.OAuth == nil && desired.TransportType == TransportOAuth {
				body.OAuth, secrets = newOAuthBody(desired.OAuth)
			}
		}
	}
	b, err := json.Marshal(body)
	return b, secrets, err
}
