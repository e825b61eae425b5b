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
		Host:      c.base.Host,
	}
}

func countOf(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
