package drapi

import "context"

type writeNoticeKey struct{}

// WithWriteNotice returns a context under which notice is called right
// before each write request (create, update, delete) is sent, as
// net/http/httptrace carries its hooks. The caller thereby learns that a
// write may have reached Digital River even when it is cancelled before any
// answer comes back.
func WithWriteNotice(ctx context.Context, notice func()) context.Context {
	return context.WithValue(ctx, writeNoticeKey{}, notice)
}

// noteWrite tells the context's write notice, if any, that a write is about
// to be sent.
func noteWrite(ctx context.Context) {
	if f, ok := ctx.Value(writeNoticeKey{}).(func()); ok && f != nil && ctx.Err() == nil {
		f()
	}
}
