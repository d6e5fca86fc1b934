package coldstart

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/lambda"
)

// std is the process-wide tracker, made on first use of a package-level
// function (nothing happens at import).
var std struct {
	once sync.Once
	t    atomic.Pointer[Tracker]
}

// defaultTracker returns the process-wide tracker; the fast path is one
// atomic load, inlined.
func defaultTracker() *Tracker {
	if t := std.t.Load(); t != nil {
		return t
	}
	return makeDefaultTracker()
}

func makeDefaultTracker() *Tracker {
	std.once.Do(func() { std.t.Store(New()) })
	return std.t.Load()
}

// Observe records one invocation of this process and returns its facts.
// Safe for concurrent use; after the first call it does not allocate and
// makes no system call. The first use of any package-level function sets the
// process-wide tracker up (it reads /proc once): call Wrap or InitDone during
// init so that this happens before the first invocation.
func Observe() (inv Invocation) {
	defaultTracker().observeInto(&inv)
	return inv
}

// InitDone marks the end of this process's initialisation now (see
// Tracker.InitDone for the rules and fallbacks).
func InitDone() { defaultTracker().InitDone() }

// Default returns the process-wide tracker that the package-level functions
// use (made on first use; it reads /proc once).
func Default() *Tracker { return defaultTracker() }

// Stats returns this process's lifetime figures so far.
func Stats() SandboxStats { return defaultTracker().Stats() }

// Wrap returns a handler that observes each invocation (as Observe), puts
// its facts in the context (FromContext), calls h, and records the duration
// and whether h returned an error or panicked. Calling Wrap marks init end
// (see InitDone). The handler shape is aws-lambda-go's
// lambda.HandlerFunc; pass the result to lambda.Start.
func Wrap[TIn, TOut any](h func(context.Context, TIn) (TOut, error)) func(context.Context, TIn) (TOut, error) {
	return WrapWith(defaultTracker(), h)
}

// WrapHandler is Wrap for aws-lambda-go's byte-level lambda.Handler
// (Invoke(ctx, payload)), for handlers that must see the raw payload.
func WrapHandler(h lambda.Handler) lambda.Handler { return defaultTracker().WrapHandler(h) }

// LogStatsOnShutdown returns the aws-lambda-go option that enables SIGTERM
// (lambda.WithEnableSIGTERM: Lambda then sends SIGTERM ~500 ms before
// shutting the sandbox down) with a callback that logs Stats once, at Info
// level, as the shutdown line ("message":"faasprobe.shutdown", the stats
// under "stats"; docs/schema.md). A nil logger means slog.Default.
// Use with lambda.StartWithOptions.
func LogStatsOnShutdown(logger *slog.Logger) lambda.Option {
	return defaultTracker().LogStatsOnShutdown(logger)
}

// PowertoolsAttrs returns the AWS Lambda Powertools logger keys that this
// package can fill: cold_start (from the Invocation in ctx, if any),
// function_name and function_memory_size (MB, from the environment),
// function_arn and function_request_id (from lambdacontext). Keys whose
// value is unknown are left out.
func PowertoolsAttrs(ctx context.Context) []slog.Attr { return defaultTracker().PowertoolsAttrs(ctx) }
