package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// lockoutThreshold is Salesforce's default "Maximum invalid login attempts":
// the fifth consecutive wrong password locks the user, and every later login
// fails, right password or not. Tests use it to prove drsetup never retries
// a refused login.
const lockoutThreshold = 5

// listenerPath is where the Lightning app's DRB2B_WebhookListener answers:
// namespace digitalriverv3, @RestResource(urlMapping='/webhooks/*').
const listenerPath = "/digitalriverv3/webhooks"

const (
	maxFormSize  = 64 << 10
	maxEventSize = 6 << 20 // Apex's synchronous heap limit bounds a real request
)

// session is whose an access token is.
type session struct{ org, user int }

// oauthError is a token-endpoint refusal: always HTTP 400 with the OAuth
// error JSON, the status every report of these errors shows.
type oauthError struct{ code, description string }

var (
	errAuthFailure  = &oauthError{"invalid_grant", "authentication failure"}
	errClientID     = &oauthError{"invalid_client_id", "client identifier invalid"}
	errClientSecret = &oauthError{"invalid_client", "invalid client credentials"}
	errIPRestricted = &oauthError{"invalid_grant", "ip restricted or invalid login hours"}
	errNotApproved  = &oauthError{"invalid_grant", "user hasn't approved this consumer"}
	errWrongDomain  = &oauthError{"invalid_grant", "request not supported on this domain"}
	errNoRunAsUser  = &oauthError{"invalid_grant", "no client credentials user enabled"} // inference: names the missing client-credentials user
	errGrantType    = &oauthError{"unsupported_grant_type", "grant type not supported"}
	errMustPost     = &oauthError{"invalid_request", "must use HTTP POST"}
	errUnknown      = &oauthError{"unknown_error", "retry your request"}
	// Of the two forms reported for a deactivated user (inactive_user / "User
	// is inactive" in Salesforce's list, invalid_grant / "inactive user" seen
	// by a client), we answer the one a real client met.
	errInactive = &oauthError{"invalid_grant", "inactive user"}
)

// tokenResponse is a successful token answer, fields in Salesforce's order.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	Signature   string `json:"signature"`
	Scope       string `json:"scope,omitempty"`
	InstanceURL string `json:"instance_url"`
	ID          string `json:"id"`
	TokenType   string `json:"token_type"`
	IssuedAt    string `json:"issued_at"`
}

// serveSalesforce answers for login.salesforce.com and test.salesforce.com
// (org < 0) and for the My Domain host of e.orgs[org].
func (e *Emulator) serveSalesforce(w http.ResponseWriter, r *http.Request, host string, org int, x *Exchange) {
	p := r.URL.Path
	switch {
	case p == "/services/oauth2/token":
		e.token(w, r, host, org, x)
	case strings.HasPrefix(p, "/id/"):
		e.identity(w, r, host, org)
	case org >= 0 && strings.HasPrefix(p, "/services/apexrest/"):
		e.apex(w, r, org)
	case org >= 0 && (p == "/services/data" || strings.HasPrefix(p, "/services/data/")):
		e.serveData(w, r, org)
	case org >= 0 && strings.HasPrefix(p, "/services/"):
		writeSFRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
	default:
		notServed(w)
	}
}

// serves reports whether a request to host (the My Domain of e.orgs[myOrg],
// or a generic login host when myOrg < 0) reaches org i: login.salesforce.com
// serves production orgs, test.salesforce.com sandboxes, a My Domain its own.
func (e *Emulator) serves(host string, myOrg, i int) bool {
	switch host {
	case loginHost:
		return !e.orgs[i].Sandbox
	case testHost:
		return e.orgs[i].Sandbox
	}
	return i == myOrg
}

func (e *Emulator) token(w http.ResponseWriter, r *http.Request, host string, org int, x *Exchange) {
	if r.Method != http.MethodPost {
		writeOAuthError(w, errMustPost)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormSize)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" || r.ParseForm() != nil {
		// Only a form body is read: a JSON body, or parameters in the query
		// string, leave no grant_type.
		writeOAuthError(w, errGrantType)
		return
	}
	f := r.PostForm
	x.GrantType, x.ClientID = f.Get("grant_type"), f.Get("client_id")
	if x.GrantType == grantPassword {
		x.Username = f.Get("username")
	}

	e.mu.Lock()
	var (
		resp tokenResponse
		err  *oauthError
	)
	if _, ok := takeFault(e.faults.UnknownError, host, func(n *int) *int { return n }); ok {
		// The status of unknown_error was never seen; like every other OAuth
		// error here it is 400, so clients must decide on the error code.
		x.Fault, err = FaultUnknownError, errUnknown
	} else {
		switch x.GrantType {
		case grantPassword:
			resp, err = e.passwordGrant(r, host, org, f)
		case grantClientCredentials:
			resp, err = e.clientCredentialsGrant(r, host, org, f)
		default:
			err = errGrantType
		}
	}
	e.mu.Unlock()

	if err != nil {
		writeOAuthError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// checkClient refuses a consumer key no org has installed, and a secret that
// matches no installation of it. Consumer keys are global in Salesforce, so
// this runs before the user is known. The caller holds e.mu.
func (e *Emulator) checkClient(clientID, secret string) *oauthError {
	found := false
	for _, o := range e.orgs {
		if a, ok := o.app(clientID); ok {
			found = true
			if a.ClientSecret == secret {
				return nil
			}
		}
	}
	if !found {
		return errClientID
	}
	return errClientSecret
}

// passwordGrant checks a username-password login in the order Salesforce
// does as far as the facts show: the client, then the user and password, then
// the policies that apply only to a correct password. Every login that
// reaches a known user through an app of its org leaves a row in the user's
// Login History. The caller holds e.mu.
func (e *Emulator) passwordGrant(r *http.Request, host string, org int, f url.Values) (tokenResponse, *oauthError) {
	clientID, secret := f.Get("client_id"), f.Get("client_secret")
	if err := e.checkClient(clientID, secret); err != nil {
		return tokenResponse{}, err
	}
	username := f.Get("username")
	oi, ui := e.findUser(username)
	if oi < 0 || !e.serves(host, org, oi) {
		// Unknown here: a typo, or a sandbox user at login.salesforce.com.
		return tokenResponse{}, errAuthFailure
	}
	key := strings.ToLower(username)
	o := &e.orgs[oi]
	u := o.Users[ui]
	app, ok := o.app(clientID)
	refuse := func(status string, err *oauthError) (tokenResponse, *oauthError) {
		e.recordLogin(r, host, oi, ui, app, "OAuth Username-Password", status)
		return tokenResponse{}, err
	}
	switch {
	case e.failures[key] >= lockoutThreshold:
		return refuse(statusLockout, errAuthFailure)
	case !ok:
		return tokenResponse{}, errClientID // inference: an app not installed in the user's org
	case app.ClientSecret != secret:
		return tokenResponse{}, errClientSecret
	case o.UsernamePasswordBlocked, app.External:
		// Refused before the password is checked, so it does not count
		// toward the lockout (inference; Salesforce gives no distinct text).
		return refuse(statusFlowDisabled, errAuthFailure)
	case !passwordMatches(u, f.Get("password")):
		e.failures[key]++
		if f.Get("password") == u.Password && u.SecurityToken != "" {
			return refuse(statusTokenRequired, errAuthFailure)
		}
		return refuse(statusBadPassword, errAuthFailure)
	case !u.Active:
		return refuse(statusInactive, errInactive)
	case u.IPRestricted:
		return refuse(statusRestrictedIP, errIPRestricted)
	case app.AdminApprovedOnly && !u.Approved:
		return refuse(statusNotApproved, errNotApproved)
	}
	e.failures[key] = 0
	e.recordLogin(r, host, oi, ui, app, "OAuth Username-Password", statusSuccess)
	return e.issue(host, oi, ui, app.ClientSecret, ""), nil
}

// passwordMatches: the password field is the password with the security
// token appended; from a trusted IP range the password alone also works.
func passwordMatches(u User, given string) bool {
	return given == u.Password+u.SecurityToken || (u.TrustedIP && given == u.Password)
}

// clientCredentialsGrant logs in as the app's Run As user; Salesforce serves
// this grant only on the org's own My Domain. The caller holds e.mu.
func (e *Emulator) clientCredentialsGrant(r *http.Request, host string, org int, f url.Values) (tokenResponse, *oauthError) {
	if org < 0 {
		return tokenResponse{}, errWrongDomain
	}
	clientID, secret := f.Get("client_id"), f.Get("client_secret")
	if err := e.checkClient(clientID, secret); err != nil {
		return tokenResponse{}, err
	}
	o := &e.orgs[org]
	app, ok := o.app(clientID)
	switch {
	case !ok:
		return tokenResponse{}, errClientID
	case app.ClientSecret != secret:
		return tokenResponse{}, errClientSecret
	case !app.ClientCredentials || app.RunAsUser == "":
		return tokenResponse{}, errNoRunAsUser
	}
	ui := o.user(app.RunAsUser)
	if !o.Users[ui].Active {
		e.recordLogin(r, host, org, ui, app, "OAuth Client Credentials", statusInactive)
		return tokenResponse{}, errInactive
	}
	e.recordLogin(r, host, org, ui, app, "OAuth Client Credentials", statusSuccess)
	return e.issue(host, org, ui, app.ClientSecret, "api"), nil
}

// findUser returns the org and user index of username, or -1, -1.
func (e *Emulator) findUser(username string) (int, int) {
	for oi := range e.orgs {
		if ui := e.orgs[oi].user(username); ui >= 0 {
			return oi, ui
		}
	}
	return -1, -1
}

// issue makes an access token for a user, as Salesforce's 200 answer. The
// caller holds e.mu.
func (e *Emulator) issue(host string, oi, ui int, clientSecret, scope string) tokenResponse {
	o := &e.orgs[oi]
	token := o.OrgID[:15] + "!" + randomToken()
	e.sessions[token] = session{org: oi, user: ui}
	id := "https://" + host + "/id/" + o.OrgID + "/" + o.Users[ui].UserID
	issuedAt := strconv.FormatInt(time.Now().UnixMilli(), 10)
	// Salesforce signs id+issued_at with the consumer secret, so a client can
	// check the answer came from the org that knows the secret.
	mac := hmac.New(sha256.New, []byte(clientSecret))
	mac.Write([]byte(id + issuedAt))
	return tokenResponse{
		AccessToken: token,
		Signature:   base64.StdEncoding.EncodeToString(mac.Sum(nil)),
		Scope:       scope,
		InstanceURL: "https://" + o.MyDomain,
		ID:          id,
		TokenType:   "Bearer",
		IssuedAt:    issuedAt,
	}
}

func randomToken() string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._"
	b := make([]byte, 96)
	rand.Read(b)
	for i, c := range b {
		b[i] = chars[int(c)%len(chars)]
	}
	return string(b)
}

// sessionOf returns whose the request's access token is. Salesforce takes the
// token as "Bearer <token>" or the older "OAuth <token>".
func (e *Emulator) sessionOf(r *http.Request) (session, bool) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "OAuth") {
		return session{}, false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.sessions[strings.TrimSpace(token)]
	return s, ok
}

// identity answers the identity URL returned as "id" by the token endpoint.
// Answers to a bad token (401 Bad_OAuth_Token) and to another user's URL
// (403 Bad_Id) are plain text, as the identity service answers (inference).
func (e *Emulator) identity(w http.ResponseWriter, r *http.Request, host string, org int) {
	s, ok := e.sessionOf(r)
	if !ok || !e.serves(host, org, s.org) {
		writeText(w, http.StatusUnauthorized, "Bad_OAuth_Token")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		writeText(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	o := &e.orgs[s.org]
	u := o.Users[s.user]
	orgID, userID, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/id/"), "/")
	if !sameID(orgID, o.OrgID) || !sameID(userID, u.UserID) {
		writeText(w, http.StatusForbidden, "Bad_Id")
		return
	}
	name, _, _ := strings.Cut(u.Username, "@")
	writeJSON(w, http.StatusOK, map[string]any{
		"id":               "https://" + host + "/id/" + o.OrgID + "/" + u.UserID,
		"asserted_user":    true,
		"user_id":          u.UserID,
		"organization_id":  o.OrgID,
		"username":         u.Username,
		"nick_name":        name,
		"display_name":     name,
		"email":            u.Username,
		"active":           u.Active,
		"user_type":        "STANDARD",
		"language":         "en_US",
		"locale":           "en_US",
		"utcOffset":        0,
		"is_app_installed": true,
	})
}

// sameID compares an ID from a URL, in its 15- or 18-character form, with an
// 18-character ID.
func sameID(given, id18 string) bool { return given == id18 || given == id18[:15] }

// apex answers /services/apexrest/… on an org's My Domain as the Lightning
// app's DRB2B_WebhookListener would. Checks run in the order Apex REST
// dispatch makes them: the session, the URL mapping, class access, then the
// method. Whether class access (403) is checked before the method (405) is
// not verified; we check it first, so a GET probe answers 405 only when the
// user could also POST, unless the org's MethodCheckedFirst says otherwise.
// An org's ListenerLatency delays every answer, as a slow listener would.
func (e *Emulator) apex(w http.ResponseWriter, r *http.Request, org int) {
	if d := e.orgs[org].ListenerLatency; d > 0 {
		e.slowly(r.Context(), d)
	}
	rest := strings.TrimPrefix(r.URL.Path, "/services/apexrest")
	s, ok := e.sessionOf(r)
	if !ok || s.org != org {
		writeSFRESTError(w, http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
		return
	}
	o := &e.orgs[org]
	if !o.PackageInstalled || (rest != listenerPath && !strings.HasPrefix(rest, listenerPath+"/")) {
		writeSFRESTError(w, http.StatusNotFound, "NOT_FOUND", "Could not find a match for URL "+rest)
		return
	}
	u := o.Users[s.user]
	if o.MethodCheckedFirst && r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeSFRESTError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '"+r.Method+"' not allowed. Allowed are POST")
		return
	}
	if !u.ClassAccess {
		writeSFRESTError(w, http.StatusForbidden, "FORBIDDEN", "You do not have access to the Apex class named: DRB2B_WebhookListener")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeSFRESTError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '"+r.Method+"' not allowed. Allowed are POST")
		return
	}

	d := Delivery{Time: time.Now(), MyDomain: o.MyDomain, Username: u.Username, Status: http.StatusOK}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEventSize))
	if err != nil || len(bytes.TrimSpace(body)) == 0 {
		// The listener answers 400 to an empty body, so Digital River retries.
		d.Status = http.StatusBadRequest
	} else {
		// Anything else is 200: the listener stores what it cannot handle and
		// emails the admin rather than have Digital River retry it.
		var ev struct{ ID, Type string }
		json.Unmarshal(body, &ev)
		d.EventID, d.EventType = ev.ID, ev.Type
	}
	e.mu.Lock()
	e.deliveries = append(e.deliveries, d)
	e.mu.Unlock()
	w.WriteHeader(d.Status)
}

func writeOAuthError(w http.ResponseWriter, err *oauthError) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.code, "error_description": err.description})
}

// writeSFRESTError writes Salesforce REST's error shape, a one-element array.
func writeSFRESTError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, []struct {
		Message   string `json:"message"`
		ErrorCode string `json:"errorCode"`
	}{{message, code}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("emulator: " + err.Error()) // every value written here is marshallable
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(b)
}

func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.WriteHeader(status)
	w.Write([]byte(text))
}
