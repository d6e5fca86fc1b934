package coldstart

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/faasprobe/faasprobe/internal/wrapped"
)

// errNilHandler is returned by a wrapper whose handler was nil.
var errNilHandler = errors.New("coldstart: nil handler")

// ctxKey is the context key of an Invocation.
type ctxKey struct{}

// invocationContext carries an Invocation (one allocation per invocation,
// where context.WithValue would need two).
type invocationContext struct {
	context.Context
	inv     Invocation
	start   int64    // on the tracker's clock
	tracker *Tracker // that observed inv; nil from NewContext
}

// observerKey is the context key of the invocationContext itself, which
// says which tracker observed the invocation.
type observerKey struct{}

func (c *invocationContext) Value(key any) any {
	switch key.(type) {
	case ctxKey:
		return &c.inv
	case observerKey:
		return c
	}
	return c.Context.Value(key)
}

// observedBy returns the invocation context of ctx when tracker t observed
// it already (an outer wrapper on the same tracker: warmer.Wrap, or a
// second coldstart wrapper), so that no invocation is counted twice.
func observedBy(ctx context.Context, t *Tracker) (*invocationContext, bool) {
	if ctx == nil {
		return nil, false
	}
	c, ok := ctx.Value(observerKey{}).(*invocationContext)
	return c, ok && c.tracker == t
}

// NewContext returns a copy of parent that carries inv (for tests of
// handlers that read FromContext).
func NewContext(parent context.Context, inv Invocation) context.Context {
	if parent == nil {
		parent = context.Background()
	}
	return &invocationContext{Context: parent, inv: inv}
}

// FromContext returns the Invocation that Wrap or WrapHandler put in ctx.
func FromContext(ctx context.Context) (Invocation, bool) {
	if ctx == nil {
		return Invocation{}, false
	}
	if p, ok := ctx.Value(ctxKey{}).(*Invocation); ok && p != nil {
		return *p, true
	}
	return Invocation{}, false
}

// start observes an invocation for a wrapper and returns the context that
// carries its facts.
func (t *Tracker) start(ctx context.Context) *invocationContext {
	if ctx == nil {
		ctx = context.Background()
	}
	c := &invocationContext{Context: ctx, tracker: t}
	t.observeInto(&c.inv)
	c.start = t.sinceEpoch(c.inv.Time)
	t.begin(c.start)
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc != nil {
		c.inv.RequestID = lc.AwsRequestID
	}
	return c
}

// WrapWith is Wrap on tracker t (Go methods cannot take type parameters). A
// nil t means the process-wide tracker.
func WrapWith[TIn, TOut any](t *Tracker, h func(context.Context, TIn) (TOut, error)) func(context.Context, TIn) (TOut, error) {
	if t == nil {
		t = defaultTracker()
	}
	if h == nil {
		return func(context.Context, TIn) (TOut, error) {
			var zero TOut
			return zero, errNilHandler
		}
	}
	t.setMark(t.now(), InitFromWrap, 2)
	wrapped.Set(t)
	return func(ctx context.Context, in TIn) (TOut, error) {
		if _, ok := observedBy(ctx, t); ok { // an outer wrapper on t counts it
			return h(ctx, in)
		}
		c := t.start(ctx)
		finished := false
		defer func() {
			if !finished { // h panicked: count it, let the panic go on
				t.end(c.start, true)
			}
		}()
		out, err := h(c, in)
		finished = true
		t.end(c.start, err != nil)
		return out, err
	}
}

// handlerFunc adapts a function to lambda.Handler.
type handlerFunc func(ctx context.Context, payload []byte) ([]byte, error)

func (f handlerFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

// WrapHandler is WrapHandler (the package function) on tracker t.
func (t *Tracker) WrapHandler(h lambda.Handler) lambda.Handler {
	if h == nil {
		return handlerFunc(func(context.Context, []byte) ([]byte, error) { return nil, errNilHandler })
	}
	return handlerFunc(WrapWith(t, h.Invoke))
}

// LogStatsOnShutdown is LogStatsOnShutdown (the package function) on
// tracker t.
func (t *Tracker) LogStatsOnShutdown(logger *slog.Logger) lambda.Option {
	return lambda.WithEnableSIGTERM(t.statsLogger(logger))
}

// statsLogger returns a callback that logs Stats once, however often it runs.
func (t *Tracker) statsLogger(logger *slog.Logger) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			l := logger
			if l == nil {
				l = slog.Default()
			}
			l.LogAttrs(context.Background(), slog.LevelInfo, "faasprobe.shutdown",
				slog.Any("stats", t.Stats()))
		})
	}
}
