package drapi

import (
	"fmt"
	"net/http"
)

// PagingReason says why a list walk was stopped before the server said the
// list had ended.
type PagingReason string

const (
	// PagingRepeatedCursor: a page said more follow, but the page after it
	// would start after a webhook already used to ask for a page, so the walk
	// would go round for ever.
	PagingRepeatedCursor PagingReason = "repeated_cursor"
	// PagingTooManyPages: the server still said more follow after the
	// client's MaxPages pages.
	PagingTooManyPages PagingReason = "too_many_pages"
)

// PagingError is a list walk that was stopped because it would not end by
// itself. It is the Err of an *Error of KindEndlessList.
type PagingError struct {
	Reason   PagingReason
	Pages    int    // pages read, the last one included
	Webhooks int    // webhooks read on those pages
	Cursor   string // the id the walk came back to (PagingRepeatedCursor)
}

func (e *PagingError) Error() string {
	if e.Reason == PagingRepeatedCursor {
		return fmt.Sprintf("drapi: the list came back to webhook %s after %s and %s", e.Cursor, countOf(e.Pages, "page"), countOf(e.Webhooks, "webhook"))
	}
	return fmt.Sprintf("drapi: the list had more after %s and %s", countOf(e.Pages, "page"), countOf(e.Webhooks, "webhook"))
}

// pagingError is the *Error that ends a walk after the page r fetched.
func (c *Client) pagingError(r *request, header http.Header, pe *PagingError) *Error {
	return &Error{
		Status:    http.StatusOK,
		RequestID: clean(header.Get("x-dr-requestid"), 100, r.redact),
		Kind:      KindEndlessList,
		Method:    r.method,
		Path:      r.path,
		Err:       pe,
		host:      c.base.Host,
	}
}

func (e *Error) endlessExplanation() string {
	pe, _ := e.Err.(*PagingError)
	if pe == nil {
		return fmt.Sprintf("The webhooks list from %s would not end, so drsetup stopped reading it.", e.hostName())
	}
	read := fmt.Sprintf("%s on %s", countOf(pe.Webhooks, "webhook"), countOf(pe.Pages, "page"))
	if pe.Reason == PagingRepeatedCursor {
		return fmt.Sprintf("The webhooks list from %s went back to a page it had already sent (the one after webhook %s), so it would never end; drsetup stopped after reading %s.",
			e.hostName(), pe.Cursor, read)
	}
	return fmt.Sprintf("The webhooks list from %s still said more follow after %s, the most drsetup reads in one list, so it stopped there.",
		e.hostName(), read)
}

func (e *Error) endlessRemedy() string {
	pe, _ := e.Err.(*PagingError)
	if pe != nil && pe.Reason == PagingTooManyPages {
		return "No account should hold that many webhooks: delete the unused ones in the Digital River Dashboard (Developers → Webhooks). If --dr-api-url is set, check it points at " + DefaultBaseURL + "; if the list keeps growing, contact Digital River support with the request id."
	}
	return "Check that --dr-api-url (if set) points at " + DefaultBaseURL + " and that no proxy caches or rewrites its answers, then try again; if it keeps happening, contact Digital River support with the request id."
}

func countOf(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
