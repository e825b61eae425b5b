package sfcheck

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/text"
)

// RESTVersion is the REST API version drsetup reads with: 66.0 is Spring
// '26, which every org runs by the second half of 2026. An org that does not
// serve it (it answers 404 at the version's own path) is read with the
// highest version its versions list names, once, provided that is at least
// MinRESTVersion.
const RESTVersion = "66.0"

// MinRESTVersion is the oldest version drsetup reads with: from 37.0 on,
// every user may read their own Login History.
const MinRESTVersion = "37.0"

// Bounds of a REST read. A page of a query is at most 2,000 records; the
// widest drsetup reads (Login History) is under 1 KiB a record, so 4 MiB is a
// page with room to spare. 50 pages is 100,000 records, far more than any
// template's LIMIT lets through.
const (
	maxRESTBody   = 4 << 20
	maxQueryPages = 50
	// maxRecordText bounds each text field kept from a record.
	maxRecordText = 200
)

// Version is one entry of the org's API versions list.
type Version struct {
	Label   string `json:"label"`   // "Spring '26"
	URL     string `json:"url"`     // "/services/data/v66.0"
	Version string `json:"version"` // "66.0"
}

// Versions reads the API versions the org serves (GET /services/data/),
// oldest first, as Salesforce lists them. Failures are *RESTError.
func (c *Client) Versions(ctx context.Context, s *Session) ([]Version, error) {
	rc, base, err := c.restStart(s, OpVersions, "")
	if err != nil {
		return nil, err
	}
	body, rerr := c.restGet(ctx, rc, base.JoinPath("/services/data/"), s)
	if rerr != nil {
		return nil, rerr
	}
	var vs []Version
	if err := json.Unmarshal(body, &vs); err != nil {
		return nil, rc.badResponse(http.StatusOK, FlawNotVersions)
	}
	for i := range vs {
		vs[i].Label = text.Cut(text.Clean(vs[i].Label), 40)
		vs[i].URL = text.Cut(text.Clean(vs[i].URL), 80)
		vs[i].Version = text.Cut(text.Clean(vs[i].Version), 10)
	}
	return vs, nil
}

// ObjectDescription is what drsetup keeps of an object's describe: whether
// the user may query it, and its fields' names.
type ObjectDescription struct {
	Name, Label  string
	Queryable    bool
	Retrieveable bool
	Fields       []string
}

// Describe reads the description of the sObject named object, as the
// session's user sees it (GET …/sobjects/<object>/describe). An object the
// user may not see answers 404 (KindNotFound), like one that does not exist.
// Failures are *RESTError.
func (c *Client) Describe(ctx context.Context, s *Session, object string) (ObjectDescription, error) {
	if err := checkObjectName(object); err != nil {
		return ObjectDescription{}, err
	}
	rc, base, err := c.restStart(s, OpDescribe, object)
	if err != nil {
		return ObjectDescription{}, err
	}
	var body []byte
	rerr := c.withVersion(ctx, rc, base, s, func(version string) *RESTError {
		var e *RESTError
		body, e = c.restGet(ctx, rc, base.JoinPath("/services/data", "v"+version, "sobjects", object, "describe"), s)
		return e
	})
	if rerr != nil {
		return ObjectDescription{}, rerr
	}
	var d struct {
		Name         string `json:"name"`
		Label        string `json:"label"`
		Queryable    bool   `json:"queryable"`
		Retrieveable bool   `json:"retrieveable"`
		Fields       []struct {
			Name string `json:"name"`
		} `json:"fields"`
	}
	if err := json.Unmarshal(body, &d); err != nil || d.Name == "" {
		return ObjectDescription{}, rc.badResponse(http.StatusOK, FlawNotDescribe)
	}
	out := ObjectDescription{Name: text.Cut(text.Clean(d.Name), 80), Label: text.Cut(text.Clean(d.Label), 80), Queryable: d.Queryable, Retrieveable: d.Retrieveable}
	for _, f := range d.Fields {
		out.Fields = append(out.Fields, text.Cut(text.Clean(f.Name), 80))
	}
	return out, nil
}

// queryPage is one answer of the query resource.
type queryPage[T any] struct {
	TotalSize      int    `json:"totalSize"`
	Done           bool   `json:"done"`
	NextRecordsURL string `json:"nextRecordsUrl"`
	Records        *[]T   `json:"records"` // nil when absent: not a query result
}

// query runs q and hands each record to each, page after page, following
// nextRecordsUrl on the org's own host only, for at most maxQueryPages pages;
// a page is released before the next is read. It returns the query's
// totalSize (for SELECT COUNT(), the count). each stops the walk by returning
// false.
func query[T any](ctx context.Context, c *Client, s *Session, q soql, each func(T) bool) (int, error) {
	rc, base, err := c.restStart(s, OpQuery, q.object)
	if err != nil {
		return 0, err
	}
	var first []byte
	version := RESTVersion
	rerr := c.withVersion(ctx, rc, base, s, func(v string) *RESTError {
		u := base.JoinPath("/services/data", "v"+v, "query")
		u.RawQuery = url.Values{"q": {q.text}}.Encode()
		var e *RESTError
		first, e = c.restGet(ctx, rc, u, s)
		version = v
		return e
	})
	if rerr != nil {
		return 0, rerr
	}
	body := first
	seen := map[string]bool{}
	for pages := 1; ; pages++ {
		var p queryPage[T]
		if err := json.Unmarshal(body, &p); err != nil || p.Records == nil {
			return 0, rc.badResponse(http.StatusOK, FlawNotQuery)
		}
		for _, r := range *p.Records {
			if !each(r) {
				return p.TotalSize, nil
			}
		}
		if p.Done || p.NextRecordsURL == "" {
			if !p.Done {
				return 0, rc.badResponse(http.StatusOK, FlawNoNextPage)
			}
			return p.TotalSize, nil
		}
		next, flaw, host := nextPage(base, version, p.NextRecordsURL)
		switch {
		case flaw != "":
			e := rc.pagingError(flaw)
			e.ToHost = host
			return 0, e
		case seen[next.String()]:
			return 0, rc.pagingError(FlawNextRepeated)
		case pages >= maxQueryPages:
			e := rc.pagingError(FlawTooManyPages)
			e.Pages = pages
			return 0, e
		}
		seen[next.String()] = true
		body = nil // the last page goes before the next one comes
		var perr *RESTError
		if body, perr = c.restGet(ctx, rc, next, s); perr != nil {
			return 0, perr
		}
	}
}

// nextPage checks a nextRecordsUrl: a path under the query resource of the
// version asked for, on the org's own host, and nothing but a path. It
// returns the URL to ask, or why it may not be asked (and, for another
// host, which).
func nextPage(base *url.URL, version, raw string) (next *url.URL, flaw Flaw, host string) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, FlawNextNotURL, ""
	case u.User != nil || u.Opaque != "":
		return nil, FlawNextOddForm, ""
	case u.Host != "" && (!strings.EqualFold(u.Host, base.Host) || !strings.EqualFold(u.Scheme, base.Scheme)):
		return nil, FlawNextOffHost, text.Cut(text.Clean(u.Hostname()), 80)
	case !strings.HasPrefix(u.Path, "/services/data/v"+version+"/query/") || strings.Contains(u.Path, ".."):
		return nil, FlawNextOutside, ""
	}
	n := *base
	n.Path, n.RawPath, n.RawQuery, n.Fragment = u.Path, "", "", ""
	return &n, "", ""
}

// restStart checks that there is a session and that its instance URL may
// receive its token, before anything is sent.
func (c *Client) restStart(s *Session, op, object string) (restContext, *url.URL, error) {
	rc := restContext{op: op, object: object}
	if s == nil || s.AccessToken.IsZero() {
		return rc, nil, rc.base(KindMissingValue, 0)
	}
	rc.host = httpx.Host(s.InstanceURL)
	// The token goes with every read, so Salesforce's answer to one may
	// quote it: what is kept of the answer is redacted against it.
	rc.lc = loginContext{op: OpProbe, host: rc.host, timeout: c.timeout(), token: s.AccessToken}
	u, err := httpx.CheckCredentialURL(s.InstanceURL, IsSalesforceHost, c.AllowAnyHost)
	if err != nil {
		e := rc.base(KindHostRefused, 0)
		e.Err = err
		return rc, nil, e
	}
	base := &url.URL{Scheme: u.Scheme, Host: u.Host}
	return rc, base, nil
}

// withVersion runs read with RESTVersion and, when the org answers that it
// does not serve that version, once more with the highest version it lists.
func (c *Client) withVersion(ctx context.Context, rc restContext, base *url.URL, s *Session, read func(version string) *RESTError) error {
	err := read(RESTVersion)
	if err == nil || err.Status != http.StatusNotFound {
		return nilIfNone(err)
	}
	vs, verr := c.Versions(ctx, s)
	if verr != nil {
		return err
	}
	best := ""
	bestN := 0.0
	minN, _ := strconv.ParseFloat(MinRESTVersion, 64)
	for _, v := range vs {
		n, perr := strconv.ParseFloat(v.Version, 64)
		if perr != nil || n < minN || !isVersionNumber(v.Version) {
			continue
		}
		if v.Version == RESTVersion {
			return err // the version is served: the 404 is about what was asked
		}
		if n > bestN {
			best, bestN = v.Version, n
		}
	}
	if best == "" {
		e := rc.base(KindNotFound, http.StatusNotFound)
		e.Flaw, e.MinVersion = FlawNoVersion, MinRESTVersion
		return e
	}
	return nilIfNone(read(best))
}

// isVersionNumber accepts "66.0": digits, a dot, digits, so a version from
// the list can become part of a path.
func isVersionNumber(v string) bool {
	whole, frac, ok := strings.Cut(v, ".")
	digits := func(s string) bool {
		return s != "" && len(s) <= 4 && !slices.ContainsFunc([]byte(s), func(c byte) bool { return c < '0' || c > '9' })
	}
	return ok && digits(whole) && digits(frac)
}

// nilIfNone keeps a nil *RESTError from becoming a non-nil error.
func nilIfNone(e *RESTError) error {
	if e == nil {
		return nil
	}
	return e
}

// restGet sends one GET with the session's token and returns the body of a
// 2xx JSON answer; anything else is a *RESTError.
func (c *Client) restGet(ctx context.Context, rc restContext, u *url.URL, s *Session) ([]byte, *RESTError) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, rc.network(ctx, err)
	}
	req.Header.Set("Authorization", "Bearer "+s.AccessToken.Reveal())
	req.Header.Set("Accept", "application/json")
	ex := c.newExchange()
	ex.limit = maxRESTBody
	resp, err := ex.client.Do(req)
	if err != nil {
		return nil, rc.network(ctx, err)
	}
	resp.Body.Close()
	switch {
	case ex.tooLarge:
		return nil, rc.tooLarge(ex.status, maxRESTBody)
	case ex.status >= 300 && ex.status < 400:
		return nil, rc.redirect(ex.status, ex.header.Get("Location"))
	case ex.status >= 200 && ex.status < 300 && looksLikeJSON(ex.body) && !httpx.LooksLikeHTML(ex.header.Get("Content-Type"), ex.body):
		return ex.body, nil
	}
	if code, msg := apexError(ex.body); code != "" && !httpx.LooksLikeHTML(ex.header.Get("Content-Type"), ex.body) {
		return nil, rc.salesforce(ex.status, text.Cut(rc.lc.remote(code), 60), text.Cut(rc.lc.remote(msg), 300))
	}
	e := rc.unusable(ex.status, ex.header.Get("Content-Type"), ex.body)
	if ex.status == http.StatusNotFound && e.Kind == KindNotJSON {
		e.Kind = KindNotFound
	}
	return nil, e
}

// errStop reports whether a refused read means every other read with the
// same session would be refused too: no answer, the session or the API
// refused, the host refused. Then trying another object is pointless.
func errStop(err error) bool {
	var e *RESTError
	if !errors.As(err, &e) {
		return true
	}
	switch e.Kind {
	case KindInvalidType, KindInvalidField, KindNotFound, KindOther, KindMalformedQuery, KindNoRecord:
		return false
	}
	return true
}
