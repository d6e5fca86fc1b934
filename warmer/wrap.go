package warmer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/internal/detected"
	"github.com/faasprobe/faasprobe/internal/excerpt"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/internal/wrapped"
)

var (
	// errNilHandler is what a wrapper of a nil handler returns for non-pings.
	errNilHandler = errors.New("warmer: nil handler")
	// errNotWarmer: an answer to a ping was not a warmer reply.
	errNotWarmer = errors.New("not a warmer reply (is the target wrapped with warmer.Wrap?)")
)

// Wrap returns a handler that answers warm-up pings itself and passes every
// other payload to h unchanged, byte for byte. Recognised pings (see the
// package doc): our own (Ping), lambda-warmer's {"warmer":true,...},
// serverless-plugin-warmup's {"source":"serverless-plugin-warmup"} (payload
// or client context), and an EventBridge Scheduled Event from a rule whose
// name contains RuleMarker. h is never called for a ping.
//
// h is a lambda.Handler, or any handler lambda.Start accepts (made into one
// with lambda.NewHandler: its JSON options are aws-lambda-go's defaults; to
// keep lambda.StartWithOptions' options, use the root package's Start).
// Wrap works at the byte level so that a ping never reaches a typed
// handler's unmarshal:
//
//	lambda.Start(warmer.Wrap(coldstart.Wrap(handle)))
//
// Every invocation, ping or not, is counted once on one tracker (see
// WithTracker): a ping that meets a fresh sandbox is its first invocation
// and pays its cold start, so no user request after it is first or cold.
// Call Wrap at init, last: it marks init end on that tracker.
func Wrap(h any, opts ...Option) lambda.Handler {
	c := newConfig(opts)
	w := &wrapper{cfg: c, tracker: c.tracker}
	if w.tracker == nil {
		w.tracker, _ = wrapped.Latest().(*coldstart.Tracker)
	}
	if w.tracker == nil {
		w.tracker = coldstart.Default()
	}
	var next lambda.Handler
	switch h := h.(type) {
	case nil:
	case lambda.Handler:
		next = h
	default:
		next = lambda.NewHandler(h)
	}
	if next != nil {
		// User invocations are counted here, once: a coldstart wrapper
		// on the same tracker inside h sees them counted and passes them on.
		w.next = w.tracker.WrapHandler(next)
	} else {
		w.tracker.InitDone()
	}
	return w
}

type wrapper struct {
	next    lambda.Handler // nil: h was nil
	cfg     config
	tracker *coldstart.Tracker

	pings  atomic.Uint64
	passed atomic.Uint64

	idOnce  sync.Once
	id      string
	idScope string
}

// Invoke answers a ping or passes the payload on.
func (w *wrapper) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	p, ok := recognize(ctx, payload)
	if !ok {
		w.passed.Add(1)
		if w.next == nil {
			w.tracker.Observe()
			return nil, errNilHandler
		}
		return w.next.Invoke(ctx, payload)
	}
	return w.answer(ctx, p)
}

// answer builds the reply to a ping, fanning out and holding as asked.
func (w *wrapper) answer(ctx context.Context, p ping) ([]byte, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	start := time.Now()
	inv := w.tracker.Observe()
	n := w.pings.Add(1)
	id, scope := w.sandboxID()
	r := Reply{
		Warmer:          true,
		SandboxID:       id,
		SandboxIDScope:  scope,
		Cold:            inv.Cold,
		First:           inv.First,
		Reason:          inv.Reason,
		Seq:             inv.Seq,
		Pings:           n,
		UserInvocations: w.passed.Load(),
		SandboxAgeMs:    inv.SandboxAgeMs,
		SinceInitMs:     inv.SinceInitMs,
		Format:          p.format,
		Requested:       p.requested,
		Concurrency:     min(p.requested, w.cfg.max),
		Capped:          p.requested > w.cfg.max,
		CorrelationID:   p.correlation,
	}
	if r.Concurrency > 1 {
		if p.fanOut {
			r.FanOut, r.FanOutError = w.fanOut(ctx, r.Concurrency, p.correlation)
			r.FanOutSent, r.FanOutFailed = len(r.FanOut), countFailed(r.FanOut)
		}
		wait(ctx, w.cfg.hold-time.Since(start))
		r.HeldMs = float64(time.Since(start).Microseconds()) / 1000
	}
	w.log(ctx, inv, r)
	return json.Marshal(r)
}

// log writes the ping's invocation line: with WithLogger, every ping at
// Info; without, only a ping whose fan-out failed, at Warn, on slog's
// default logger, so that no failed fan-out goes unsaid.
func (w *wrapper) log(ctx context.Context, inv coldstart.Invocation, r Reply) {
	level, logger := slog.LevelInfo, w.cfg.logger
	if r.FanOutError != "" {
		level = slog.LevelWarn
		if logger == nil {
			logger = slog.Default()
		}
	}
	if logger != nil {
		logline.Invocation(ctx, logger, level, r.SandboxID, inv, slog.Any("ping", r))
	}
}

// wait waits d or until ctx ends.
func wait(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// sandboxID returns the id the replies carry, detecting it on first use.
func (w *wrapper) sandboxID() (id, scope string) {
	w.idOnce.Do(func() {
		if w.cfg.sandboxID != "" {
			w.id, w.idScope = w.cfg.sandboxID, w.cfg.idScope
			return
		}
		if w.cfg.sandboxFn != nil {
			if s := w.cfg.sandboxFn(); s.ID != "" {
				w.id, w.idScope = s.ID, s.IDScope
				return
			}
		}
		// Only the id is needed: hostinfo.Detect is not run.
		w.id, w.idScope = detected.SandboxID()
	})
	return w.id, w.idScope
}

// Fan-out bounds.
const (
	// fanOutLimit bounds the whole fan-out when the context has no
	// deadline.
	fanOutLimit = 10 * time.Second
	// fanOutMargin is kept free before the invocation's deadline so that
	// the receiver can still answer.
	fanOutMargin = 200 * time.Millisecond
)

// fanOut invokes the function's own ARN n−1 times concurrently with fanned
// pings (which hold, and never fan out again) and waits for all of them.
func (w *wrapper) fanOut(ctx context.Context, n int, correlation string) ([]FanOutResult, string) {
	if w.cfg.fanOut == nil {
		return nil, "no fan-out invoker configured (warmer.WithFanOut): only this sandbox was warmed"
	}
	lc, ok := lambdacontext.FromContext(ctx)
	if !ok || lc == nil || lc.InvokedFunctionArn == "" {
		return nil, "no invoked function ARN in the context: nothing fanned out"
	}
	limit := fanOutLimit
	if dl, ok := ctx.Deadline(); ok {
		limit = min(limit, time.Until(dl)-fanOutMargin)
	}
	if limit <= 0 {
		return nil, "too close to the invocation's deadline: nothing fanned out"
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	results := make([]FanOutResult, n-1)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			body, err := w.cfg.fanOut.Invoke(ctx, Request{
				Function: lc.InvokedFunctionArn,
				Payload:  fannedPing(i+2, n, correlation),
			})
			results[i] = fanOutResult(body, err)
		})
	}
	wg.Wait()
	return results, fanOutFailures(results)
}

// countFailed counts the fanned pings that failed.
func countFailed(results []FanOutResult) int {
	n := 0
	for _, r := range results {
		if r.Error != "" {
			n++
		}
	}
	return n
}

// fanOutFailures summarises the fanned pings that failed ("" if none did).
func fanOutFailures(results []FanOutResult) string {
	failed := countFailed(results)
	if failed == 0 {
		return ""
	}
	first := ""
	for _, r := range results {
		if r.Error != "" {
			first = r.Error
			break
		}
	}
	return fmt.Sprintf("%d of %d fanned pings failed; the first: %s", failed, len(results), excerpt.Clip(first))
}

// fannedPing is the payload of fanned ping number i of n: lambda-warmer's
// own fan-out shape, plus our marker.
func fannedPing(i, n int, correlation string) []byte {
	b := []byte(`{"warmer":true,"faasprobe_ping":1,"__WARMER_INVOCATION__":`)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `,"__WARMER_CONCURRENCY__":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	if correlation != "" {
		b = append(b, `,"__WARMER_CORRELATIONID__":`...)
		b = strconv.AppendQuote(b, correlation) // printable ASCII: Go quoting is JSON quoting here
	}
	return append(b, '}')
}

// fanOutResult reads a fanned ping's answer.
func fanOutResult(body []byte, err error) FanOutResult {
	if err != nil {
		return FanOutResult{Error: err.Error()}
	}
	r, err := parseReply(body)
	if err != nil {
		return FanOutResult{Error: err.Error()}
	}
	return FanOutResult{SandboxID: r.SandboxID, Cold: r.Cold}
}

// parseReply decodes a warmer reply; anything else is an error that says
// what came back.
func parseReply(body []byte) (Reply, error) {
	var r Reply
	if err := json.Unmarshal(body, &r); err != nil || !r.Warmer || r.SandboxID == "" {
		return Reply{}, fmt.Errorf("%w: %q", errNotWarmer, excerpt.Clip(string(body)))
	}
	return r, nil
}
