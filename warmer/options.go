package warmer

import (
	"log/slog"
	"time"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/sandbox"
)

// Option changes how Wrap answers pings.
type Option interface{ apply(*config) }

type config struct {
	hold      time.Duration
	max       int
	fanOut    Invoker
	tracker   *coldstart.Tracker // nil: the latest coldstart wrapper's, else coldstart.Default
	sandboxID string             // "": sandboxFn, else sandbox.Detect on the first ping
	idScope   string
	sandboxFn func() sandbox.Sandbox // WithSandboxFunc
	logger    *slog.Logger           // nil: silent
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Defaults of the target side.
const (
	// DefaultHold is how long a ping that asks for more than one sandbox is
	// held before its reply, so that N concurrent pings cannot all be served
	// by one sandbox (lambda-warmer's delay).
	DefaultHold = 75 * time.Millisecond
	// DefaultMaxConcurrency caps the concurrency a ping may ask of this
	// target: the hold is applied and the fan-out sized from the capped
	// value, never from the payload alone.
	DefaultMaxConcurrency = 10
	// maxHold bounds WithHold: a longer hold is a billing mistake.
	maxHold = 10 * time.Second
	// maxConcurrencyLimit bounds WithMaxConcurrency (Lambda's default
	// account concurrency).
	maxConcurrencyLimit = 1000
)

func newConfig(opts []Option) config {
	c := config{hold: DefaultHold, max: DefaultMaxConcurrency}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

// WithHold sets how long a ping that asks for more than one sandbox (after
// the cap) is held before it is answered. Each held ping is billed for the
// hold. 0 turns holding off; values are clamped to [0, 10s]; the hold also
// ends early when the invocation's context does. Default: 75ms.
func WithHold(d time.Duration) Option {
	return optionFunc(func(c *config) { c.hold = min(max(d, 0), maxHold) })
}

// WithMaxConcurrency caps the concurrency a ping may request: a ping asking
// for more (a forged {"warmer":true,"concurrency":10000} through a public
// trigger, say) is treated as asking for n, and the reply says it was capped.
// Values are clamped to [1, 1000]. Default: 10.
func WithMaxConcurrency(n int) Option {
	return optionFunc(func(c *config) { c.max = min(max(n, 1), maxConcurrencyLimit) })
}

// WithFanOut lets the first receiver of a lambda-warmer style ping
// ({"warmer":true,"concurrency":N}) invoke its own function N−1 more times
// through inv, concurrently, while it holds its own reply (N after the cap).
// The fanned pings are marked so that they never fan out again. The function
// invoked is the invocation's own ARN (lambdacontext InvokedFunctionArn,
// alias included); without one, nothing is fanned out and the reply says
// so. Default: no fan-out (N concurrent pings must come from the sender).
func WithFanOut(inv Invoker) Option {
	return optionFunc(func(c *config) { c.fanOut = inv })
}

// WithTracker sets the tracker that counts this sandbox's invocations,
// pings and user invocations alike, once each (the reply's first, cold, seq
// and sandbox_age_ms come from it). A coldstart wrapper on the same tracker
// inside the wrapped handler sees each user invocation already counted and
// does not count it again. Default: the tracker of the latest coldstart
// wrapper made in this process (coldstart.Wrap, WrapWith, WrapHandler),
// else coldstart's process-wide tracker.
func WithTracker(t *coldstart.Tracker) Option {
	return optionFunc(func(c *config) { c.tracker = t })
}

// WithSandbox sets the sandbox identity the replies carry (s.ID and
// s.IDScope), for a caller that has run sandbox.Detect already; a Sandbox
// without an ID is ignored. Default: sandbox.Detect's, run once on the first
// ping (without the host facts: only the id is needed).
func WithSandbox(s sandbox.Sandbox) Option {
	return optionFunc(func(c *config) {
		if s.ID != "" {
			c.sandboxID, c.idScope = s.ID, s.IDScope
		}
	})
}

// WithSandboxFunc is WithSandbox for an identity known later: f is called
// once, on the first ping, and its result used as WithSandbox's (an ID of
// "" falls back to sandbox.Detect's). For a caller that detects in the
// background, such as faasprobe.New. WithSandbox wins over it.
func WithSandboxFunc(f func() sandbox.Sandbox) Option {
	return optionFunc(func(c *config) { c.sandboxFn = f })
}

// WithLogger logs one Info line per ping answered: the invocation line
// ("faasprobe.invocation") with the reply under "ping"; a ping whose
// fan-out failed is logged at Warn. Default: nil: only pings whose fan-out
// failed are logged, at Warn, on slog.Default().
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) { c.logger = l })
}
