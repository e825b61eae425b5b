package explain

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/httpx"
	"github.com/drsetup/drsetup/text"
)

// The command-line words a Digital River remedy may name.
const (
	apiURLFlag   = "--dr-api-url (or DRSETUP_DR_API_URL)"
	listCommand  = "drsetup webhooks list"
	setupCommand = "drsetup setup"
	webhookPage  = "Digital River Dashboard → Developers → Webhooks"
)

// digitalRiver explains a failed Digital River call.
func digitalRiver(e *drapi.Error) Failure {
	f := Failure{Headline: drHeadline(e), Said: drSaid(e), Status: e.Status, Service: "Digital River", Meaning: text.Sentence(drMeaning(e)), Remedy: text.Sentence(drRemedy(e)), RequestID: e.RequestID}
	if e.Kind == drapi.KindUnauthorized || e.Kind == drapi.KindForbidden {
		f.Field = field.DRAPIKey
	}
	return f
}

func drHeadline(e *drapi.Error) string {
	switch e.Kind {
	case drapi.KindNetwork, drapi.KindTimeout:
		return text.Capitalize(doing(e)) + " got no answer from Digital River."
	case drapi.KindCancelled:
		return text.Capitalize(doing(e)) + " was cancelled."
	}
	return "Digital River could not " + operation(e) + "."
}

// doing is operation as a gerund: "listing the webhooks".
func doing(e *drapi.Error) string {
	verb, rest, _ := strings.Cut(operation(e), " ")
	switch verb {
	case "answer":
		return "the request"
	case "list", "read":
		return verb + "ing " + rest
	}
	return strings.TrimSuffix(verb, "e") + "ing " + rest
}

// drSaid quotes Digital River's own messages, which name the problem better
// than a status code and carry no secrets of their own (the client cleaned
// and redacted them).
func drSaid(e *drapi.Error) string {
	var msgs []string
	for _, d := range e.Errors {
		msgs = append(msgs, text.Or(d.Message, d.Code))
	}
	return strings.Join(msgs, "; ")
}

// operation names what was being done, for "refused to …".
func operation(e *drapi.Error) string {
	id := e.WebhookID()
	switch {
	case e.IsEvents():
		return "list the events"
	case e.IsList():
		return "list the webhooks"
	case e.Method == http.MethodPost:
		return "create the webhook"
	case e.Method == http.MethodPatch:
		return "update webhook " + id
	case e.Method == http.MethodDelete:
		return "delete webhook " + id
	case id != "":
		return "read webhook " + id
	}
	return "answer"
}

// resource names what the request was about, for "the … list" and "… permission".
func resource(e *drapi.Error) string {
	if e.IsEvents() {
		return "event"
	}
	return "webhook"
}

// endless says why a list walk was stopped: it would not end by itself.
func endless(e *drapi.Error) string {
	var pe *drapi.PagingError
	if !errors.As(e.Err, &pe) {
		return fmt.Sprintf("The webhooks list from %s would not end, so drsetup stopped reading it.", hostName(e))
	}
	read := fmt.Sprintf("%s on %s", text.Count(pe.Webhooks, "webhook"), text.Count(pe.Pages, "page"))
	if pe.Reason == drapi.PagingRepeatedCursor {
		return fmt.Sprintf("The webhooks list from %s went back to a page it had already sent (the one after webhook %s), so it would never end; drsetup stopped after reading %s.",
			hostName(e), pe.Cursor, read)
	}
	return fmt.Sprintf("The webhooks list from %s still said more follow after %s, the most drsetup reads in one list, so it stopped there.",
		hostName(e), read)
}

func endlessRemedy(e *drapi.Error) string {
	var pe *drapi.PagingError
	if errors.As(e.Err, &pe) && pe.Reason == drapi.PagingTooManyPages {
		return "No account should hold that many webhooks: delete the unused ones in the Digital River Dashboard (Developers → Webhooks). If " + apiURLFlag + " is set, check it points at " + drapi.DefaultBaseURL + "; if the list keeps growing, contact Digital River support with the request id."
	}
	return "Check that " + apiURLFlag + " (if set) points at " + drapi.DefaultBaseURL + " and that no proxy caches or rewrites its answers, then try again; if it keeps happening, contact Digital River support with the request id."
}

func hostName(e *drapi.Error) string { return text.Or(e.Host, "the server") }

// drMeaning says in plain words what happened.
func drMeaning(e *drapi.Error) string {
	said := ""
	if s := drSaid(e); s != "" {
		said = " Digital River said: " + text.FullStop(s)
	}
	switch e.Kind {
	case drapi.KindUnauthorized:
		return "Digital River did not accept the API key: it is wrong, revoked or from another account."
	case drapi.KindForbidden:
		return "Digital River accepted the API key but it is not allowed to " + operation(e) + ": it is probably a restricted key without " + resource(e) + " permission." + said
	case drapi.KindNotFound:
		if e.IsList() {
			return fmt.Sprintf("%s answered 404 Not Found for the %ss list, so it is not the Digital River API.", hostName(e), resource(e))
		}
		return fmt.Sprintf("Digital River has no webhook %s: it was deleted, or it belongs to the other mode (test and live keys see different webhooks).", e.WebhookID())
	case drapi.KindConflict:
		return "Digital River refused to " + operation(e) + " because it conflicts with a webhook that exists already." + said
	case drapi.KindBadRequest:
		if p := e.Parameter(); p != "" {
			return fmt.Sprintf("Digital River refused to %s: the value of %s was not accepted.%s", operation(e), p, said)
		}
		return "Digital River refused to " + operation(e) + "." + said
	case drapi.KindRateLimited:
		if e.RetryAfter > drapi.MaxRetryWait {
			return fmt.Sprintf("Digital River is limiting how fast this API key may call it (HTTP 429) and asked to wait %s before trying again.", e.RetryAfter.Round(time.Second))
		}
		return fmt.Sprintf("Digital River is limiting how fast this API key may call it (HTTP 429), and it was still busy after %s.", tries(e.Attempts))
	case drapi.KindServer:
		return fmt.Sprintf("Digital River had a problem on its side (HTTP %d) while trying to %s%s.%s", e.Status, operation(e), afterTries(e.Attempts), said)
	case drapi.KindProxyHTML:
		page := "an HTML page"
		if e.Body != "" {
			page = fmt.Sprintf("an HTML page titled %q", e.Body)
		}
		return fmt.Sprintf("Instead of Digital River's answer, %s came back (HTTP %d): a proxy, firewall or network sign-in page between this machine and %s answered.", page, e.Status, hostName(e))
	case drapi.KindNotJSON:
		note := ""
		if e.Body != "" {
			note = ", " + e.Body
		}
		return fmt.Sprintf("The answer from %s (HTTP %d%s) was not the JSON the Digital River API sends.", hostName(e), e.Status, note)
	case drapi.KindTooLarge:
		return fmt.Sprintf("The answer from %s (HTTP %d) was larger than any Digital River webhook answer should be, so drsetup stopped reading it.", hostName(e), e.Status)
	case drapi.KindRedirect:
		to := ""
		if e.Location != "" {
			to = " to " + e.Location
		}
		return fmt.Sprintf("%s answered with a redirect (HTTP %d)%s; drsetup does not follow redirects with an API key.", hostName(e), e.Status, to)
	case drapi.KindEndlessList:
		return endless(e)
	case drapi.KindNetwork, drapi.KindTimeout, drapi.KindCancelled:
		if ne, ok := e.Err.(*httpx.NetError); ok {
			return ne.Error() + "."
		}
		return fmt.Sprintf("Could not reach %s.", hostName(e))
	}
	return fmt.Sprintf("Digital River answered HTTP %d %s when asked to %s.%s", e.Status, http.StatusText(e.Status), operation(e), said)
}

// drRemedy says what the user can do next, or "" when the meaning already
// says it.
func drRemedy(e *drapi.Error) string {
	const keys = "In the Digital River Dashboard, open Developers → API keys and copy the confidential (secret) key of the mode you want (sk_test_… for test, sk_… for live)."
	switch e.Kind {
	case drapi.KindUnauthorized:
		return keys
	case drapi.KindForbidden:
		if e.IsEvents() {
			return "Use the account's confidential (secret) key from Dashboard → Developers → API keys, or give this restricted key read permission for events."
		}
		return "Use the account's confidential (secret) key from Dashboard → Developers → API keys, or give this restricted key read and write permission for webhooks."
	case drapi.KindNotFound:
		if e.IsList() {
			return "Check " + apiURLFlag + "; the Digital River API is " + drapi.DefaultBaseURL + "."
		}
		return "List the webhooks again (" + listCommand + ") with the key of the right mode and use an id from that list."
	case drapi.KindConflict:
		return "List the webhooks (" + listCommand + ") to see which one is in the way, then run " + setupCommand + " again so it updates that webhook instead of adding one."
	case drapi.KindBadRequest:
		return badRequestRemedy(e)
	case drapi.KindRateLimited:
		return "Wait a minute and try again; if other programs or people use the same API key, pause them first (Digital River allows 25 requests a second in test mode, 250 in live)."
	case drapi.KindServer:
		return "Try again in a few minutes. If it keeps happening, contact Digital River support and give them the request id."
	case drapi.KindProxyHTML:
		return "Sign in to the network if it asks you to, check HTTPS_PROXY and NO_PROXY, or ask your network team to allow " + drapi.DefaultBaseURL + ". If --dr-api-url is set, check it points at the API, not a web site."
	case drapi.KindNotJSON, drapi.KindTooLarge:
		return "Check that --dr-api-url (if set) points at the Digital River API, " + drapi.DefaultBaseURL + ", and that no proxy rewrites the answer; then try again."
	case drapi.KindRedirect:
		return "Check " + apiURLFlag + "; the Digital River API is " + drapi.DefaultBaseURL + ", which does not redirect."
	case drapi.KindEndlessList:
		return endlessRemedy(e)
	case drapi.KindCancelled:
		return ""
	case drapi.KindNetwork, drapi.KindTimeout:
		return "Check this machine's connection to " + drapi.DefaultBaseURL + " (VPN, DNS, and HTTPS_PROXY and NO_PROXY behind a proxy), or --dr-api-url if set, then try again."
	}
	return "Check --dr-api-url (if set) points at " + drapi.DefaultBaseURL + ", and try again; if it keeps happening, contact Digital River support with the request id."
}

func badRequestRemedy(e *drapi.Error) string {
	p := strings.ToLower(e.Parameter())
	all := strings.ToLower(drSaid(e))
	switch {
	case strings.Contains(p, "granttype") || strings.Contains(all, "client_credentials") || strings.Contains(p, "audience"):
		return "Digital River's API may accept only the password grant for a webhook's OAuth settings: choose username-password authentication, or create the webhook with client credentials in the Dashboard (Developers → Webhooks), which offers that grant."
	case p == "address":
		return "The address must be the Endpoint URL, https://<My Domain>/services/apexrest/digitalriverv3/webhooks/, with the org's My Domain host."
	case strings.HasPrefix(p, "type"):
		return "Choose event types from the list the Digital River app supports (order.accepted, order.complete, …)."
	case strings.HasPrefix(p, "oauth"):
		return "Check the OAuth settings (token endpoint, Client ID, Client Secret, username and password) and try again."
	case p != "":
		return "Correct " + e.Parameter() + " and try again."
	}
	return "Check the values entered and try again; if they look right, contact Digital River support with the request id."
}

func tries(n int) string {
	if n <= 1 {
		return "one try"
	}
	return fmt.Sprintf("%d tries", n)
}

func afterTries(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (after %d tries)", n)
}

// duplicates explains that more than one webhook matches the one wanted.
func duplicates(e *drapi.DuplicatesError) Failure {
	ids := make([]string, len(e.Webhooks))
	for i, w := range e.Webhooks {
		ids[i] = fmt.Sprintf("%s (at %s)", text.Clean(w.ID), text.Clean(httpx.Redact(w.Address)))
	}
	return Failure{
		Headline: fmt.Sprintf("%d Digital River webhooks already exist for %s.", len(e.Webhooks), text.Clean(httpx.Redact(e.Address))),
		Meaning:  fmt.Sprintf("Webhooks %s all deliver to this org, so Digital River sends every event more than once; drsetup will not add another or choose between them.", text.JoinAnd(ids)),
		Remedy:   "Run drsetup doctor --fix, which keeps one and deletes the others after asking; or delete the extra ones with drsetup webhooks delete ID, or in the " + webhookPage + ". Then run drsetup setup again.",
	}
}

// uncertainCreate explains a create whose answer was lost while the check
// for it failed too.
func uncertainCreate(e *drapi.UncertainCreateError) Failure {
	lost, check := Of(e.Err), Of(e.CheckErr)
	return Failure{
		Headline: "Digital River may or may not have created the webhook.",
		Meaning: fmt.Sprintf("The answer to creating it was lost (%s), and checking whether Digital River stored it failed as well (%s).",
			strings.TrimSuffix(lost.Meaning, "."), strings.TrimSuffix(text.Or(check.Meaning, check.Headline), ".")),
		Remedy:    "Run " + setupCommand + " again: it finds a webhook created meanwhile and updates it rather than adding a second one.",
		RequestID: lost.RequestID,
	}
}
