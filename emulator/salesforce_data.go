package emulator

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Salesforce's REST data API as far as doctor reads it ([REST] in
// facts/diagnosis.md §2): GET /services/data/ (the versions), and under
// /services/data/vNN.0/ the query resource (with its nextRecordsUrl pages)
// and sObject describes, for the objects doctor reads: LoginHistory, User,
// PermissionSetAssignment and the app's failed-event records. SOQL is parsed
// just enough to answer SELECT fields (or COUNT()) FROM object, WHERE
// conditions joined by AND, ORDER BY one field and LIMIT; anything else is
// MALFORMED_QUERY.

const (
	newestAPIVersion = 66 // Spring '26
	oldestAPIVersion = 31 // versions 21–30 were retired in Summer '25
	defaultBatchSize = 2000
	maxCursors       = 64
	sfTimeLayout     = "2006-01-02T15:04:05.000+0000"
)

// queryCursor is what a nextRecordsUrl continues: the rest of a result.
type queryCursor struct {
	org, user int
	version   string
	object    string
	rows      []map[string]any // rendered records
}

// serveData answers /services/data/… on an org's My Domain.
func (e *Emulator) serveData(w http.ResponseWriter, r *http.Request, org int) {
	s, ok := e.sessionOf(r)
	if !ok || s.org != org {
		writeSFRESTError(w, http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
		return
	}
	o := &e.orgs[org]
	if o.APIDisabled {
		writeSFRESTError(w, http.StatusForbidden, "API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization.")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, HEAD")
		writeSFRESTError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '"+r.Method+"' not allowed. Allowed are GET,HEAD")
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, "/services/data")
	if rest == "" || rest == "/" {
		e.versions(w)
		return
	}
	v, rest, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	version, ok := servedVersion(v)
	if !ok {
		writeSFRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	switch parts := strings.Split(rest, "/"); {
	case rest == "query" || rest == "query/":
		e.runQuery(w, r, s, version)
	case len(parts) == 2 && parts[0] == "query":
		e.nextPage(w, s, version, parts[1])
	case len(parts) == 3 && parts[0] == "sobjects" && parts[2] == "describe":
		e.describe(w, s, parts[1])
	default:
		writeSFRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
	}
}

// servedVersion reads "v66.0" as a version the org serves.
func servedVersion(v string) (string, bool) {
	n, ok := strings.CutPrefix(v, "v")
	whole, frac, _ := strings.Cut(n, ".")
	major, err := strconv.Atoi(whole)
	if !ok || err != nil || frac != "0" || major < oldestAPIVersion || major > newestAPIVersion {
		return "", false
	}
	return n, true
}

// versions answers GET /services/data/: every version served, oldest first,
// with its release's name.
func (e *Emulator) versions(w http.ResponseWriter) {
	type version struct {
		Label   string `json:"label"`
		URL     string `json:"url"`
		Version string `json:"version"`
	}
	var out []version
	for v := oldestAPIVersion; v <= newestAPIVersion; v++ {
		n := fmt.Sprintf("%d.0", v)
		out = append(out, version{releaseName(v), "/services/data/v" + n, n})
	}
	writeJSON(w, http.StatusOK, out)
}

// releaseName names the release of API version v: three a year, 66.0 being
// Spring '26.
func releaseName(v int) string {
	idx := v - newestAPIVersion
	season := []string{"Spring", "Summer", "Winter"}[((idx%3)+3)%3]
	year := 26 + floorDiv(idx, 3)
	if season == "Winter" {
		year++
	}
	return fmt.Sprintf("%s '%02d", season, year)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// sfField is a field of a simulated sObject.
type sfField struct {
	name       string
	typ        string // "id", "string", "datetime", "boolean", "textarea"
	filterable bool
}

// sfObject is an sObject the emulator serves, with the fields Salesforce
// documents for it (LoginHistory's filterable fields as [OBJ] lists them).
type sfObject struct {
	name, label string
	fields      []sfField
}

var sfObjects = []sfObject{
	{"LoginHistory", "Login History", []sfField{
		{"Id", "id", true}, {"UserId", "id", true}, {"LoginTime", "datetime", true}, {"LoginType", "string", true},
		{"LoginUrl", "string", true}, {"CountryIso", "string", true}, {"TlsProtocol", "string", true},
		{"SourceIp", "string", false}, {"Status", "string", false}, {"LoginSubType", "string", false},
		{"Application", "string", false}, {"ApiType", "string", false}, {"ApiVersion", "string", false},
		{"Platform", "string", false}, {"Browser", "string", false},
	}},
	{"User", "User", []sfField{
		{"Id", "id", true}, {"Username", "string", true}, {"IsActive", "boolean", true},
		{"LastPasswordChangeDate", "datetime", true}, {"ProfileId", "id", true},
	}},
	{"PermissionSetAssignment", "Permission Set Assignment", []sfField{
		{"Id", "id", true}, {"AssigneeId", "id", true}, {"PermissionSetId", "id", true},
		{"PermissionSet.Name", "string", true}, {"PermissionSet.NamespacePrefix", "string", true},
	}},
	{failedEventObject, "DR Failed Event", []sfField{
		{"Id", "id", true}, {"CreatedDate", "datetime", true}, {"Name", "string", true},
		{appNS + "Event_Id__c", "string", true}, {appNS + "Event_Type__c", "string", true},
		{appNS + "Processed__c", "boolean", true}, {appNS + "Event_Capture_Reason__c", "textarea", false},
		{appNS + "Event_Payload__c", "textarea", false},
	}},
}

const (
	appNS             = "digitalriverv3__"
	failedEventObject = appNS + "DR_Failed_Event__c"
	permissionSetName = "DigitalRiver_Connector_Integration"
)

// visibleObject returns the sObject named name (in any case) if the user
// of s may see it: the failed-event object only with the package installed
// and the app's permission set (class access), PermissionSetAssignment only
// where the org lets its users read Setup.
func (e *Emulator) visibleObject(s session, name string) (sfObject, bool) {
	i := slices.IndexFunc(sfObjects, func(o sfObject) bool { return strings.EqualFold(o.name, name) })
	if i < 0 {
		return sfObject{}, false
	}
	org := &e.orgs[s.org]
	switch sfObjects[i].name {
	case failedEventObject:
		if !org.PackageInstalled || !org.Users[s.user].ClassAccess {
			return sfObject{}, false
		}
	case "PermissionSetAssignment":
		if org.HidePermissionSetAssignments {
			return sfObject{}, false
		}
	}
	return sfObjects[i], true
}

func (o sfObject) field(name string) (sfField, bool) {
	i := slices.IndexFunc(o.fields, func(f sfField) bool { return strings.EqualFold(f.name, name) })
	if i < 0 {
		return sfField{}, false
	}
	return o.fields[i], true
}

func invalidType(w http.ResponseWriter, name string) {
	writeSFRESTError(w, http.StatusBadRequest, "INVALID_TYPE", fmt.Sprintf("sObject type '%s' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", name))
}

func invalidField(w http.ResponseWriter, msg string) {
	writeSFRESTError(w, http.StatusBadRequest, "INVALID_FIELD", msg)
}

func malformed(w http.ResponseWriter, format string, args ...any) {
	writeSFRESTError(w, http.StatusBadRequest, "MALFORMED_QUERY", fmt.Sprintf(format, args...))
}

// runQuery answers GET …/query?q=<SOQL>.
func (e *Emulator) runQuery(w http.ResponseWriter, r *http.Request, s session, version string) {
	text := r.URL.Query().Get("q")
	q, err := parseSOQL(text)
	if err != "" {
		malformed(w, "%s", err)
		return
	}
	obj, ok := e.visibleObject(s, q.object)
	if !ok {
		invalidType(w, q.object)
		return
	}
	var fields []sfField
	for _, name := range q.fields {
		f, ok := obj.field(name)
		if !ok {
			invalidField(w, fmt.Sprintf("No such column '%s' on entity '%s'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.", name, obj.name))
			return
		}
		fields = append(fields, f)
	}
	var conds []func(map[string]any) bool
	for _, c := range q.where {
		f, ok := obj.field(c.field)
		if !ok {
			invalidField(w, fmt.Sprintf("No such column '%s' on entity '%s'.", c.field, obj.name))
			return
		}
		if !f.filterable {
			invalidField(w, fmt.Sprintf("field '%s' can not be filtered in a query call", f.name))
			return
		}
		match, problem := c.matcher(f)
		if problem != "" {
			invalidField(w, problem)
			return
		}
		conds = append(conds, match)
	}
	var order sfField
	if q.order != "" {
		if order, ok = obj.field(q.order); !ok {
			invalidField(w, fmt.Sprintf("No such column '%s' on entity '%s'.", q.order, obj.name))
			return
		}
	}

	e.mu.Lock()
	rows := e.rows(s, obj.name)
	e.mu.Unlock()
	rows = slices.DeleteFunc(rows, func(row map[string]any) bool {
		return slices.ContainsFunc(conds, func(c func(map[string]any) bool) bool { return !c(row) })
	})
	if order.name != "" {
		slices.SortStableFunc(rows, func(a, b map[string]any) int {
			c := compareValues(a[order.name], b[order.name])
			if q.desc {
				return -c
			}
			return c
		})
	}
	if q.limit >= 0 && len(rows) > q.limit {
		rows = rows[:q.limit]
	}
	if q.count {
		writeJSON(w, http.StatusOK, map[string]any{"totalSize": len(rows), "done": true, "records": []any{}})
		return
	}
	rendered := make([]map[string]any, len(rows))
	for i, row := range rows {
		rendered[i] = render(obj, version, fields, row)
	}
	e.writePage(w, s, version, obj.name, rendered, len(rendered))
}

// writePage answers the first batch of rows, keeping the rest behind a
// nextRecordsUrl.
func (e *Emulator) writePage(w http.ResponseWriter, s session, version, object string, rows []map[string]any, total int) {
	batch := e.orgs[s.org].QueryBatchSize
	if batch == 0 {
		batch = defaultBatchSize
	}
	page := map[string]any{"totalSize": total, "done": len(rows) <= batch, "records": rows[:min(batch, len(rows))]}
	if len(rows) > batch {
		b := make([]byte, 8)
		rand.Read(b)
		loc := fmt.Sprintf("01g%x", b)[:15]
		e.mu.Lock()
		if len(e.cursors) >= maxCursors {
			for k := range e.cursors { // any one: a client that left a query unfinished
				delete(e.cursors, k)
				break
			}
		}
		e.cursors[loc] = &queryCursor{org: s.org, user: s.user, version: version, object: object, rows: rows}
		e.mu.Unlock()
		page["nextRecordsUrl"] = fmt.Sprintf("/services/data/v%s/query/%s-%d", version, loc, batch)
	}
	writeJSON(w, http.StatusOK, page)
}

// nextPage answers a nextRecordsUrl: …/query/<locator>-<offset>.
func (e *Emulator) nextPage(w http.ResponseWriter, s session, version, locator string) {
	loc, off, _ := strings.Cut(locator, "-")
	start, err := strconv.Atoi(off)
	e.mu.Lock()
	c := e.cursors[loc]
	e.mu.Unlock()
	if c == nil || err != nil || start <= 0 || start > len(c.rows) || c.org != s.org || c.user != s.user || c.version != version {
		writeSFRESTError(w, http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator")
		return
	}
	batch := e.orgs[s.org].QueryBatchSize
	if batch == 0 {
		batch = defaultBatchSize
	}
	end := min(start+batch, len(c.rows))
	page := map[string]any{"totalSize": len(c.rows), "done": end >= len(c.rows), "records": c.rows[start:end]}
	if end < len(c.rows) {
		page["nextRecordsUrl"] = fmt.Sprintf("/services/data/v%s/query/%s-%d", version, loc, end)
	} else {
		e.mu.Lock()
		delete(e.cursors, loc)
		e.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, page)
}

// describe answers …/sobjects/<name>/describe for an object the user sees;
// others are 404, as Salesforce answers for an object the user may not see
// (inference, facts/diagnosis.md §4).
func (e *Emulator) describe(w http.ResponseWriter, s session, name string) {
	obj, ok := e.visibleObject(s, name)
	if !ok || strings.Contains(obj.name, ".") {
		writeSFRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	var fields []map[string]any
	for _, f := range obj.fields {
		if strings.Contains(f.name, ".") {
			continue // a relationship's field, not the object's
		}
		fields = append(fields, map[string]any{"name": f.name, "type": f.typ, "filterable": f.filterable})
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": obj.name, "label": obj.label, "queryable": true, "retrieveable": true, "custom": strings.HasSuffix(obj.name, "__c"), "fields": fields})
}

// rows returns the records of object that the user of s may read, as
// field → value (time.Time for date-times). The caller holds e.mu.
func (e *Emulator) rows(s session, object string) []map[string]any {
	o := &e.orgs[s.org]
	u := o.Users[s.user]
	var out []map[string]any
	switch object {
	case "LoginHistory":
		// A user without Manage Users sees only their own rows.
		for i, l := range e.logins[u.UserID] {
			out = append(out, map[string]any{
				"Id": derivedID("0Ya", shortHash(u.UserID, strconv.Itoa(i), l.Time.String())), "UserId": u.UserID,
				"LoginTime": l.Time, "LoginType": l.LoginType, "LoginUrl": l.LoginURL, "SourceIp": l.SourceIP,
				"Status": l.Status, "LoginSubType": l.LoginSubType, "Application": l.Application,
				"ApiType": "N/A", "ApiVersion": "N/A", "Platform": "Unknown", "Browser": "Unknown",
				"CountryIso": nil, "TlsProtocol": "TLS 1.3",
			})
		}
	case "User":
		// Inference: a user can read their own record; others are left out.
		var changed any
		if !u.LastPasswordChange.IsZero() {
			changed = u.LastPasswordChange.UTC()
		}
		out = append(out, map[string]any{
			"Id": u.UserID, "Username": u.Username, "IsActive": u.Active,
			"LastPasswordChangeDate": changed, "ProfileId": derivedID("00e", o.MyDomain+" profile"),
		})
	case "PermissionSetAssignment":
		for _, other := range o.Users {
			// Every user holds the permission set its profile owns.
			profile := "X00e" + shortHash(o.MyDomain, "profile")[:11]
			out = append(out, map[string]any{
				"Id": derivedID("0Pa", other.UserID+" profile"), "AssigneeId": other.UserID,
				"PermissionSetId":    derivedID("0PS", o.MyDomain+" profile"),
				"PermissionSet.Name": profile, "PermissionSet.NamespacePrefix": nil,
			})
			if other.ClassAccess {
				out = append(out, map[string]any{
					"Id": derivedID("0Pa", other.UserID+" app"), "AssigneeId": other.UserID,
					"PermissionSetId":    derivedID("0PS", o.MyDomain+" app"),
					"PermissionSet.Name": permissionSetName, "PermissionSet.NamespacePrefix": strings.TrimSuffix(appNS, "__"),
				})
			}
		}
	case failedEventObject:
		for i, f := range o.FailedEvents {
			out = append(out, map[string]any{
				"Id": f.ID, "CreatedDate": f.Time, "Name": fmt.Sprintf("FE-%06d", i+1),
				appNS + "Event_Id__c": f.EventID, appNS + "Event_Type__c": f.EventType,
				appNS + "Processed__c": f.Processed, appNS + "Event_Capture_Reason__c": f.Reason,
				appNS + "Event_Payload__c": f.Payload,
			})
		}
	}
	return out
}

// render writes a row as a query record: attributes, then the fields asked
// for under their own names, a relationship's fields nested under it.
func render(obj sfObject, version string, fields []sfField, row map[string]any) map[string]any {
	rec := map[string]any{"attributes": map[string]any{"type": obj.name, "url": fmt.Sprintf("/services/data/v%s/sobjects/%s/%v", version, obj.name, row["Id"])}}
	for _, f := range fields {
		v := row[f.name]
		if t, ok := v.(time.Time); ok {
			v = t.UTC().Format(sfTimeLayout)
		}
		rel, name, nested := strings.Cut(f.name, ".")
		if !nested {
			rec[f.name] = v
			continue
		}
		m, _ := rec[rel].(map[string]any)
		if m == nil {
			m = map[string]any{"attributes": map[string]any{"type": rel}}
			rec[rel] = m
		}
		m[name] = v
	}
	return rec
}

func compareValues(a, b any) int {
	switch x := a.(type) {
	case time.Time:
		y, _ := b.(time.Time)
		return x.Compare(y)
	case string:
		y, _ := b.(string)
		return strings.Compare(strings.ToLower(x), strings.ToLower(y))
	case bool:
		y, _ := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	}
	if b == nil && a == nil {
		return 0
	}
	if a == nil {
		return -1 // nulls first, as SOQL sorts them ascending
	}
	return 1
}

// soqlQuery is a parsed SELECT.
type soqlQuery struct {
	count  bool
	fields []string
	object string
	where  []soqlCond
	order  string
	desc   bool
	limit  int // -1 for none
}

type soqlCond struct {
	field, op string
	lit       soqlLit
}

type soqlLit struct {
	kind string // "string", "datetime", "number", "boolean", "null"
	s    string
	t    time.Time
	b    bool
}

// matcher checks the literal against the field's type, as Salesforce does
// before it runs a query, and returns the condition as a test of a row.
func (c soqlCond) matcher(f sfField) (func(map[string]any) bool, string) {
	want := map[string]string{"id": "string", "string": "string", "textarea": "string", "datetime": "datetime", "boolean": "boolean"}[f.typ]
	if c.lit.kind != want && c.lit.kind != "null" {
		quoted := "should not be enclosed in quotes"
		if want == "string" {
			quoted = "should be enclosed in quotes"
		}
		return nil, fmt.Sprintf("value of filter criterion for field '%s' must be of type %s and %s", f.name, f.typ, quoted)
	}
	return func(row map[string]any) bool {
		v := row[f.name]
		var cmp int
		switch {
		case c.lit.kind == "null":
			if c.op == "=" {
				return v == nil
			}
			return v != nil
		case v == nil:
			return c.op == "!="
		case want == "datetime":
			t, _ := v.(time.Time)
			cmp = t.Compare(c.lit.t)
		case want == "boolean":
			if c.op != "=" && c.op != "!=" {
				return false
			}
			b, _ := v.(bool)
			if (b == c.lit.b) == (c.op == "=") {
				return true
			}
			return false
		case f.typ == "id":
			s, _ := v.(string)
			// An ID matches in its 15- and 18-character forms.
			a, b := s, c.lit.s
			if len(a) == 18 && len(b) == 15 {
				a = a[:15]
			}
			cmp = strings.Compare(a, b)
		default:
			s, _ := v.(string)
			cmp = strings.Compare(strings.ToLower(s), strings.ToLower(c.lit.s))
		}
		switch c.op {
		case "=":
			return cmp == 0
		case "!=":
			return cmp != 0
		case "<":
			return cmp < 0
		case "<=":
			return cmp <= 0
		case ">":
			return cmp > 0
		case ">=":
			return cmp >= 0
		}
		return false
	}, ""
}

// parseSOQL reads the SELECT statements the emulator answers; a problem is
// returned in Salesforce's MALFORMED_QUERY words.
func parseSOQL(text string) (soqlQuery, string) {
	toks, problem := soqlTokens(text)
	if problem != "" {
		return soqlQuery{}, problem
	}
	q := soqlQuery{limit: -1}
	p := &tokenStream{toks: toks}
	if !p.keyword("SELECT") {
		return q, p.unexpected()
	}
	if p.keyword("COUNT") {
		if !p.take("(") || !p.take(")") {
			return q, p.unexpected()
		}
		q.count = true
	} else {
		for {
			f, ok := p.ident()
			if !ok {
				return q, p.unexpected()
			}
			q.fields = append(q.fields, f)
			if !p.take(",") {
				break
			}
		}
	}
	if !p.keyword("FROM") {
		return q, p.unexpected()
	}
	obj, ok := p.ident()
	if !ok || strings.Contains(obj, ".") {
		return q, p.unexpected()
	}
	q.object = obj
	if p.keyword("WHERE") {
		for {
			f, ok := p.ident()
			if !ok {
				return q, p.unexpected()
			}
			op := p.next()
			if !slices.Contains([]string{"=", "!=", "<", "<=", ">", ">="}, op) {
				p.back()
				return q, p.unexpected()
			}
			lit, ok := p.literal()
			if !ok {
				return q, p.unexpected()
			}
			q.where = append(q.where, soqlCond{field: f, op: op, lit: lit})
			if !p.keyword("AND") {
				break
			}
		}
	}
	if p.keyword("ORDER") {
		if !p.keyword("BY") {
			return q, p.unexpected()
		}
		f, ok := p.ident()
		if !ok {
			return q, p.unexpected()
		}
		q.order = f
		if p.keyword("DESC") {
			q.desc = true
		} else {
			p.keyword("ASC")
		}
	}
	if p.keyword("LIMIT") {
		n, err := strconv.Atoi(p.next())
		if err != nil || n < 0 {
			p.back()
			return q, p.unexpected()
		}
		q.limit = n
	}
	if !p.done() {
		return q, p.unexpected()
	}
	return q, ""
}

type tokenStream struct {
	toks []string
	i    int
}

func (p *tokenStream) next() string {
	if p.i >= len(p.toks) {
		p.i++
		return ""
	}
	p.i++
	return p.toks[p.i-1]
}

func (p *tokenStream) back() { p.i-- }

func (p *tokenStream) done() bool { return p.i >= len(p.toks) }

func (p *tokenStream) take(tok string) bool {
	if p.i < len(p.toks) && p.toks[p.i] == tok {
		p.i++
		return true
	}
	return false
}

func (p *tokenStream) keyword(k string) bool {
	if p.i < len(p.toks) && strings.EqualFold(p.toks[p.i], k) {
		p.i++
		return true
	}
	return false
}

var soqlKeywords = []string{"SELECT", "FROM", "WHERE", "AND", "OR", "ORDER", "BY", "LIMIT", "ASC", "DESC", "NOT", "IN", "LIKE", "NULL", "TRUE", "FALSE"}

func (p *tokenStream) ident() (string, bool) {
	if p.i >= len(p.toks) {
		return "", false
	}
	t := p.toks[p.i]
	if t == "" || !(unicode.IsLetter(rune(t[0]))) || slices.ContainsFunc(soqlKeywords, func(k string) bool { return strings.EqualFold(k, t) }) {
		return "", false
	}
	for _, r := range t {
		if !(r == '_' || r == '.' || r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return "", false
		}
	}
	p.i++
	return t, true
}

func (p *tokenStream) literal() (soqlLit, bool) {
	t := p.next()
	switch {
	case len(t) >= 2 && t[0] == '\'':
		return soqlLit{kind: "string", s: t[1 : len(t)-1]}, true
	case strings.EqualFold(t, "null"):
		return soqlLit{kind: "null"}, true
	case strings.EqualFold(t, "true"), strings.EqualFold(t, "false"):
		return soqlLit{kind: "boolean", b: strings.EqualFold(t, "true")}, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05Z", "2006-01-02T15:04:05.000Z", "2006-01-02T15:04:05-07:00", "2006-01-02T15:04:05.000-07:00"} {
		if at, err := time.Parse(layout, t); err == nil {
			return soqlLit{kind: "datetime", t: at}, true
		}
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil && t != "" {
		return soqlLit{kind: "number", s: t}, true
	}
	p.back()
	return soqlLit{}, false
}

// unexpected is Salesforce's complaint about the token at the cursor.
func (p *tokenStream) unexpected() string {
	if p.i >= len(p.toks) {
		return "unexpected end of query"
	}
	return fmt.Sprintf("unexpected token: '%s'", p.toks[p.i])
}

// soqlTokens splits a query into words, quoted strings (kept with their
// quotes, \' unescaped), operators and punctuation.
func soqlTokens(s string) ([]string, string) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == ',' || c == '(' || c == ')':
			toks = append(toks, string(c))
			i++
		case c == '=':
			toks = append(toks, "=")
			i++
		case c == '!' || c == '<' || c == '>':
			if i+1 < len(s) && s[i+1] == '=' {
				toks = append(toks, s[i:i+2])
				i += 2
			} else if c == '<' && i+1 < len(s) && s[i+1] == '>' {
				toks = append(toks, "!=")
				i += 2
			} else if c == '!' {
				return nil, fmt.Sprintf("unexpected token: '%c'", c)
			} else {
				toks = append(toks, string(c))
				i++
			}
		case c == '\'':
			var b strings.Builder
			b.WriteByte('\'')
			j := i + 1
			for ; j < len(s) && s[j] != '\''; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, "unterminated string: " + s[i:]
			}
			b.WriteByte('\'')
			toks = append(toks, b.String())
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r,()=!<>'", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, ""
}
