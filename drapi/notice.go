package drapi

import "context"

// Notices tell a caller, during a call, what it may want to show or
// record. Either may be nil.
type Notices struct {
	// Write is called right before each write request (create, update,
	// delete) is sent: the caller learns that a write may have reached
	// Digital River even when it is cancelled before any answer comes back.
	Write func()
	// AwaitingCreate is called when a create's answer was lost and the list
	// is watched for the webhook (for about 30 s): a wait worth saying.
	AwaitingCreate func()
	// AwaitingList is called when the list does not show a webhook just
	// created yet and is watched until it does (for about 30 s), so that
	// webhooks created at the same time by other runs show too.
	AwaitingList func()
}

type noticesKey struct{}

// WithNotices returns a context under which n is told what happens, as
// net/http/httptrace carries its hooks.
func WithNotices(ctx context.Context, n Notices) context.Context {
	return context.WithValue(ctx, noticesKey{}, n)
}

func notices(ctx context.Context) Notices {
	n, _ := ctx.Value(noticesKey{}).(Notices)
	return n
}

// noteWrite tells the context's notices that a write is about to be sent.
func noteWrite(ctx context.Context) {
	if n := notices(ctx); n.Write != nil && ctx.Err() == nil {
		n.Write()
	}
}

// noteAwaiting tells the context's notices that a lost create is awaited.
func noteAwaiting(ctx context.Context) {
	if n := notices(ctx); n.AwaitingCreate != nil {
		n.AwaitingCreate()
	}
}

// noteListing tells the context's notices that the list is awaited.
func noteListing(ctx context.Context) {
	if n := notices(ctx); n.AwaitingList != nil {
		n.AwaitingList()
	}
}
