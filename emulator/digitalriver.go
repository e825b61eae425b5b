package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	defaultListLimit = 10  // as /events documents; /webhooks documents none
	maxListLimit     = 100 // the spec's maxItems
	maxTypesFilter   = 20
	maxRequestBody   = 1 << 20
)

// drError is one entry of Digital River's error list.
type drError struct {
	Code      string `json:"code"`
	Parameter string `json:"parameter,omitempty"`
	Message   string `json:"message"`
}

func missingParam(p string) drError {
	return drError{Code: "missing_parameter", Parameter: p, Message: fmt.Sprintf("'%s' is required.", p)}
}

func invalidParam(p, format string, args ...any) drError {
	return drError{Code: "invalid_parameter", Parameter: p, Message: fmt.Sprintf(format, args...)}
}

// drErrorType is the error body's "type" for a status, from the spec's enum.
func drErrorType(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "bad_request"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusNotAcceptable:
		return "not_acceptable"
	case http.StatusRequestTimeout:
		return "request_timeout"
	case http.StatusConflict:
		return "conflict"
	case http.StatusTooManyRequests:
		return "too_many_requests"
	case http.StatusBadGateway:
		return "bad_gateway"
	case http.StatusServiceUnavailable:
		return "service_unavailable"
	case http.StatusGatewayTimeout:
		return "gateway_timeout"
	}
	return "internal_server_error"
}

func writeDRError(w http.ResponseWriter, status int, errs ...drError) {
	writeDRJSON(w, status, struct {
		Type   string    `json:"type"`
		Errors []drError `json:"errors"`
	}{drErrorType(status), errs})
}

func writeDRJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("emulator: " + err.Error()) // every value written here is marshallable
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func (e *Emulator) serveDigitalRiver(w http.ResponseWriter, r *http.Request, x *Exchange) {
	if r.URL.Path == "/events" || strings.HasPrefix(r.URL.Path, "/events/") {
		e.serveEvents(w, r)
		return
	}
	key, status, refusal := e.authorize(r)
	if status != 0 {
		writeDRError(w, status, refusal)
		return
	}
	id, item := strings.CutPrefix(r.URL.Path, "/webhooks/")
	switch {
	case r.URL.Path == "/webhooks":
		switch r.Method {
		case http.MethodGet:
			e.listWebhooks(w, r, key)
		case http.MethodPost:
			e.createWebhook(w, r, key, x)
		default:
			methodNotAllowed(w, r, "GET, POST")
		}
	case item && id != "" && !strings.Contains(id, "/"):
		switch r.Method {
		case http.MethodGet:
			e.getWebhook(w, key, id)
		case http.MethodPatch:
			e.updateWebhook(w, r, key, id)
		case http.MethodDelete:
			e.deleteWebhook(w, key, id)
		default:
			methodNotAllowed(w, r, "GET, PATCH, DELETE")
		}
	default:
		writeDRError(w, http.StatusNotFound, drError{Code: "not_found", Message: "The requested resource was not found."})
	}
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	writeDRError(w, http.StatusMethodNotAllowed, drError{Code: "method_not_allowed", Message: fmt.Sprintf("The %s method is not allowed for this resource.", r.Method)})
}

// authorize finds the request's API key, as authenticate does, and refuses a
// key without webhook permission.
func (e *Emulator) authorize(r *http.Request) (Key, int, drError) {
	k, status, refusal := e.authenticate(r)
	if status == 0 && !k.CanWebhooks {
		return Key{}, http.StatusForbidden, drError{Code: "forbidden", Message: "This API key does not have permission to access webhooks."}
	}
	return k, status, refusal
}

// authenticate finds the request's API key, sent as a Bearer token or, as the
// docs' curl examples do, as the basic-auth user. The messages are ours (the
// facts give none) and never repeat the key.
func (e *Emulator) authenticate(r *http.Request) (Key, int, drError) {
	var given string
	if user, _, ok := r.BasicAuth(); ok {
		given = user
	} else if scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		given = strings.TrimSpace(token)
	}
	unauthorized := func(msg string) (Key, int, drError) {
		return Key{}, http.StatusUnauthorized, drError{Code: "unauthorized", Message: msg}
	}
	k, ok := e.keys[given]
	switch {
	case given == "":
		return unauthorized("No API key was provided. Send your secret key in the Authorization header as a Bearer token.")
	case !ok:
		return unauthorized("The API key provided is not valid.")
	case k.Public:
		// Inference: a public key authorises only client-side calls such as
		// sources; the webhooks API refuses it as it refuses a bad key.
		return unauthorized("A public API key cannot be used for this request; use a secret key.")
	}
	return k, 0, drError{}
}

// visible reports whether a key sees a webhook: each mode's keys see only
// that mode's webhooks.
func visible(k Key, w Webhook) bool { return w.LiveMode == (k.Mode == modeLive) }

// pageParams reads a list's paging parameters, as every Digital River list
// takes them: limit (1 to maxListLimit), and startingAfter or endingBefore,
// not both.
func pageParams(q url.Values) (limit int, after, before string, refusal *drError) {
	limit = defaultListLimit
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 1 || n > maxListLimit {
			bad := invalidParam("limit", "'limit' must be a whole number from 1 to %d.", maxListLimit)
			return 0, "", "", &bad
		}
		limit = n
	}
	after, before = q.Get("startingAfter"), q.Get("endingBefore")
	if after != "" && before != "" {
		bad := invalidParam("endingBefore", "Use either startingAfter or endingBefore, not both.")
		return 0, "", "", &bad
	}
	return limit, after, before, nil
}

// listWebhooks answers GET /webhooks with the {data, hasMore} envelope of the
// general docs, paged with limit, startingAfter and endingBefore, in creation
// order. A startingAfter or endingBefore id the list does not hold is 400
// (inference, as other cursor APIs answer).
func (e *Emulator) listWebhooks(w http.ResponseWriter, r *http.Request, k Key) {
	q := r.URL.Query()
	limit, after, before, refusal := pageParams(q)
	if refusal != nil {
		writeDRError(w, http.StatusBadRequest, *refusal)
		return
	}
	match, refusal := typeFilter(q)
	if refusal != nil {
		writeDRError(w, http.StatusBadRequest, *refusal)
		return
	}

	// Only the page is copied: a walk of thousands of webhooks a page at a
	// time should cost the emulator a pass over ids per page, not a copy
	// of the whole account.
	e.mu.Lock()
	now := e.now()
	var all []int // indexes into e.webhooks of the webhooks listed, in order
	for i, h := range e.webhooks {
		if from, lagging := e.listedFrom[h.ID]; lagging && now.Before(from) {
			continue // not in the list's index yet (Account.ListLag)
		}
		if visible(k, h) && match(h) {
			all = append(all, i)
		}
	}
	index := func(id string) int { return slices.IndexFunc(all, func(i int) bool { return e.webhooks[i].ID == id }) }
	start, end := 0, min(limit, len(all))
	refused := ""
	switch {
	case after != "":
		i := index(after)
		if i < 0 {
			refused = "startingAfter"
		}
		start, end = i+1, min(i+1+limit, len(all))
	case before != "":
		i := index(before)
		if i < 0 {
			refused = "endingBefore"
		}
		start, end = max(0, i-limit), max(i, 0)
	}
	page := []Webhook{}
	if refused == "" {
		for _, i := range all[start:end] {
			page = append(page, e.webhooks[i].clone())
		}
	}
	e.mu.Unlock()
	if refused != "" {
		id := after
		if refused == "endingBefore" {
			id = before
		}
		writeDRError(w, http.StatusBadRequest, invalidParam(refused, "No webhook with id '%s' is in this list.", id))
		return
	}
	if e.bareArray {
		writeDRJSON(w, http.StatusOK, page)
		return
	}
	hasMore := end < len(all)
	if before != "" {
		hasMore = start > 0
	}
	writeDRJSON(w, http.StatusOK, struct {
		Data    []Webhook `json:"data"`
		HasMore bool      `json:"hasMore"`
	}{page, hasMore})
}

// typeFilter reads ?types= (repeated or comma-separated, up to 20; a webhook
// matches if it has any) or ?type= (one type, * as a wildcard); not both.
func typeFilter(q map[string][]string) (func(Webhook) bool, *drError) {
	types, hasTypes := q["types"]
	pattern, hasType := q["type"]
	switch {
	case hasTypes && hasType:
		e := invalidParam("types", "Pass either type or types, not both.")
		return nil, &e
	case hasTypes:
		var want []string
		for _, t := range types {
			want = append(want, strings.Split(t, ",")...)
		}
		if len(want) > maxTypesFilter {
			e := invalidParam("types", "At most %d types may be given.", maxTypesFilter)
			return nil, &e
		}
		return func(h Webhook) bool {
			return slices.ContainsFunc(h.Types, func(t string) bool { return slices.Contains(want, t) })
		}, nil
	case hasType:
		return func(h Webhook) bool {
			return slices.ContainsFunc(h.Types, func(t string) bool {
				ok, err := path.Match(pattern[0], t)
				return err == nil && ok
			})
		}, nil
	}
	return func(Webhook) bool { return true }, nil
}

// createWebhook answers POST /webhooks. Two webhooks may share an address:
// neither the spec nor the docs forbid it (inference), which is why drsetup
// must look before it creates.
func (e *Emulator) createWebhook(w http.ResponseWriter, r *http.Request, k Key, x *Exchange) {
	body, refusal := readBody(w, r)
	if refusal != nil {
		writeDRError(w, http.StatusBadRequest, *refusal)
		return
	}
	h := newWebhook()
	if errs := e.applyWebhookRequest(body, &h, false); len(errs) > 0 {
		writeDRError(w, http.StatusBadRequest, errs...)
		return
	}

	e.mu.Lock()
	// Inference: createdTime follows the order of creates, as one server's
	// clock does; milliseconds are what Digital River shows.
	now := e.now().UTC().Truncate(time.Millisecond)
	if !now.After(e.lastCreate) {
		now = e.lastCreate.Add(time.Millisecond)
	}
	e.lastCreate = now
	h.ID, h.CreatedTime, h.UpdatedTime, h.LiveMode = newUUID(), now, now, k.Mode == modeLive
	stored := h
	if takeCount(&e.faults.StoreCreatesDifferently) {
		stored = h.clone()
		stored.TransportType, stored.OAuth, stored.Types = transportHTTP, nil, h.Types[:1]
	}
	e.webhooks = append(e.webhooks, stored)
	if lag := e.account.ListLag; lag > 0 {
		e.listedFrom[h.ID] = now.Add(lag)
	}
	drop := takeCount(&e.faults.DropCreateResponse)
	hold := !drop && takeCount(&e.faults.HoldCreateResponse)
	e.mu.Unlock()

	switch {
	case drop:
		x.Fault = FaultDropResponse // ServeHTTP drops the connection
		return
	case hold:
		x.Fault = FaultHoldResponse
		e.hold(r.Context(), -1) // never returns
	}
	writeDRJSON(w, http.StatusCreated, h)
}

// newWebhook is a webhook with the defaults a create fills in.
func newWebhook() Webhook {
	return Webhook{APIVersion: apiVersionDefault, Enabled: true, TransportType: transportHTTP}
}

// takeCount uses up one of the next-N requests a count fault applies to; a
// negative count never runs out. The caller holds e.mu.
func takeCount(n *int) bool {
	if *n == 0 {
		return false
	}
	if *n > 0 {
		*n--
	}
	return true
}

// dropConnection closes the connection without a byte of answer, as a load
// balancer that times out does, so the client cannot know the create worked.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 cannot hand over its connection; aborting resets the stream.
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

func (e *Emulator) find(k Key, id string) int {
	return slices.IndexFunc(e.webhooks, func(h Webhook) bool { return h.ID == id && visible(k, h) })
}

func notFound(w http.ResponseWriter, id string) {
	writeDRError(w, http.StatusNotFound, drError{Code: "not_found", Parameter: "id", Message: fmt.Sprintf("Webhook '%s' not found.", id)})
}

func (e *Emulator) getWebhook(w http.ResponseWriter, k Key, id string) {
	e.mu.Lock()
	i := e.find(k, id)
	var h Webhook
	if i >= 0 {
		h = e.webhooks[i].clone()
	}
	e.mu.Unlock()
	if i < 0 {
		notFound(w, id)
		return
	}
	writeDRJSON(w, http.StatusOK, h)
}

// updateWebhook answers PATCH /webhooks/{id}. By default fields given
// replace those stored and others stay, and an oauth block given replaces
// the stored one whole (inference: the spec requires its clientID,
// clientSecret and tokenEndPoint in an update too); Account.PatchOmitted
// makes omitted fields stay inside oauth as well, or be cleared everywhere.
func (e *Emulator) updateWebhook(w http.ResponseWriter, r *http.Request, k Key, id string) {
	body, refusal := readBody(w, r)
	if refusal != nil {
		writeDRError(w, http.StatusBadRequest, *refusal)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	i := e.find(k, id)
	if i < 0 {
		notFound(w, id)
		return
	}
	h := e.webhooks[i].clone()
	if e.account.PatchOmitted == PatchClear {
		cur := h
		h = newWebhook()
		h.ID, h.CreatedTime, h.LiveMode = cur.ID, cur.CreatedTime, cur.LiveMode
	}
	if errs := e.applyWebhookRequest(body, &h, e.account.PatchOmitted == PatchKeep); len(errs) > 0 {
		writeDRError(w, http.StatusBadRequest, errs...)
		return
	}
	h.UpdatedTime = e.now().UTC().Truncate(time.Millisecond)
	e.webhooks[i] = h
	writeDRJSON(w, http.StatusOK, h)
}

func (e *Emulator) deleteWebhook(w http.ResponseWriter, k Key, id string) {
	e.mu.Lock()
	i := e.find(k, id)
	if i >= 0 {
		e.webhooks = slices.Delete(e.webhooks, i, i+1)
		delete(e.listedFrom, id)
	}
	e.mu.Unlock()
	if i < 0 {
		notFound(w, id)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *drError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		return nil, &drError{Code: "invalid_request", Message: "The request body could not be read or is too large."}
	}
	return body, nil
}

// applyWebhookRequest applies a WebhookRequest or WebhookUpdateRequest body to
// h and checks the result as Digital River's create rules say. Keys are
// matched exactly, as Digital River's JSON binding does: "clientId" is not
// "clientID". Unknown keys are ignored (inference). An oauth block given
// replaces h's, or with mergeOAuth only the fields it gives. Every problem
// found is returned, each naming its parameter.
func (e *Emulator) applyWebhookRequest(body []byte, h *Webhook, mergeOAuth bool) []drError {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		// The code for an unreadable body is not documented; invalid_request
		// is our choice.
		return []drError{{Code: "invalid_request", Message: "The request body must be a JSON object."}}
	}
	f := fieldReader{obj: obj}
	f.get("address", &h.Address, "a string")
	f.get("types", &h.Types, "an array of strings")
	f.get("apiVersion", &h.APIVersion, "a string")
	f.get("enabled", &h.Enabled, "true or false")
	newTransport := f.get("transportType", &h.TransportType, "a string")

	var oauth map[string]json.RawMessage
	newOAuth := f.get("oauth", &oauth, "an object")
	refused := false
	if newOAuth {
		o := OAuth{}
		if mergeOAuth && h.OAuth != nil {
			o = *h.OAuth
		}
		of := fieldReader{obj: oauth, at: "oauth."}
		of.get("tokenEndPoint", &o.TokenEndPoint, "a string")
		of.get("userName", &o.UserName, "a string")
		of.get("password", &o.Password, "a string")
		of.get("clientID", &o.ClientID, "a string")
		of.get("clientSecret", &o.ClientSecret, "a string")
		if of.get("grantType", &o.GrantType, "a string") {
			refused = e.account.RefuseClientCredentials && o.GrantType == grantClientCredentials
		} else if o.GrantType == "" {
			o.GrantType = grantPassword
		}
		f.errs = append(f.errs, of.errs...)
		h.OAuth = &o
	}
	var auth map[string]json.RawMessage
	newAuth := f.get("authentication", &auth, "an object")
	if newAuth {
		a := BasicAuth{}
		af := fieldReader{obj: auth, at: "authentication."}
		af.get("username", &a.Username, "a string")
		af.get("password", &a.Password, "a string")
		f.errs = append(f.errs, af.errs...)
		h.Authentication = &a
	}
	if len(f.errs) > 0 {
		return f.errs
	}
	// Changing the transport drops the other transport's settings, since
	// oauth is returned only for OAUTH and authentication only for HTTP.
	if newTransport && h.TransportType == transportHTTP && !newOAuth {
		h.OAuth = nil
	}
	if newTransport && h.TransportType == transportOAuth && !newAuth {
		h.Authentication = nil
	}
	if refused {
		// As the API document reads: its grantType enum is only "password".
		return []drError{invalidParam("oauth.grantType", "'%s' is not a valid grant type; use password.", grantClientCredentials)}
	}
	return validateWebhook(*h)
}

// fieldReader decodes the fields of one JSON object, collecting type errors.
type fieldReader struct {
	obj  map[string]json.RawMessage
	at   string // prefix for parameter names, e.g. "oauth."
	errs []drError
}

// get decodes field name into dst and reports whether it was given; null
// counts as not given.
func (f *fieldReader) get(name string, dst any, want string) bool {
	v, ok := f.obj[name]
	if !ok || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		return false
	}
	if err := json.Unmarshal(v, dst); err != nil {
		f.errs = append(f.errs, invalidParam(f.at+name, "'%s' must be %s.", f.at+name, want))
		return false
	}
	return true
}
