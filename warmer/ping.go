package warmer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// Plan says what to keep warm and how.
type Plan struct {
	// Targets to ping. At least one; MaxPlanPings pings in all.
	Targets []Target `json:"targets"`
	// Timeout bounds each ping (a ping that meets a cold start waits for
	// the init). JSON: "timeout_s", seconds. Default: 10s.
	Timeout time.Duration `json:"-"`
	// Every is the interval of Start's loop (unused by Ping). Default: 4m,
	// inside Lambda's shortest observed idle reclaim (~5 min). JSON:
	// "every_s", seconds.
	Every time.Duration `json:"-"`
	// Jitter spreads Start's pings uniformly over Every ± Jitter, so that
	// many loops do not ping in step. Clamped to Every/2. JSON: "jitter_s",
	// seconds. Default: Every/10.
	Jitter time.Duration `json:"-"`
}

// Defaults of the sender side.
const (
	DefaultPingTimeout = 10 * time.Second
	DefaultEvery       = 4 * time.Minute
)

// errPlan marks an invalid plan.
var errPlan = errors.New("warmer: invalid plan")

// check validates the plan and returns it with the defaults filled in.
func (p Plan) check() (Plan, error) {
	if len(p.Targets) == 0 {
		return p, fmt.Errorf("%w: no targets", errPlan)
	}
	if p.Timeout < 0 || p.Every < 0 || p.Jitter < 0 {
		return p, fmt.Errorf("%w: negative Timeout, Every or Jitter", errPlan)
	}
	if p.Timeout == 0 {
		p.Timeout = DefaultPingTimeout
	}
	if p.Every == 0 {
		p.Every = DefaultEvery
	}
	if p.Jitter == 0 {
		p.Jitter = p.Every / 10
	}
	p.Jitter = min(p.Jitter, p.Every/2)
	targets := make([]Target, len(p.Targets))
	total := 0
	for i, t := range p.Targets {
		if t.Concurrency == 0 {
			t.Concurrency = 1
		}
		if t.Concurrency < 0 || t.Concurrency > MaxTargetConcurrency {
			return p, fmt.Errorf("%w: target %d (%s): concurrency %d: want 1 to %d", errPlan, i, excerpt.Clip(t.Function), t.Concurrency, MaxTargetConcurrency)
		}
		fn, q, err := splitFunction(t.Function)
		if err != nil {
			return p, fmt.Errorf("%w: target %d: %w", errPlan, i, err)
		}
		if q != "" && t.Qualifier != "" {
			return p, fmt.Errorf("%w: target %d: qualifier given twice (%q in Function and %q)", errPlan, i, q, t.Qualifier)
		}
		if t.Qualifier != "" {
			if err := checkQualifier(t.Qualifier); err != nil {
				return p, fmt.Errorf("%w: target %d: %w", errPlan, i, err)
			}
			q = t.Qualifier
		}
		t.Function, t.Qualifier = fn, q
		if t.FanOut {
			total++
		} else {
			total += t.Concurrency
		}
		targets[i] = t
	}
	if total > MaxPlanPings {
		return p, fmt.Errorf("%w: %d pings in one round; at most %d", errPlan, total, MaxPlanPings)
	}
	p.Targets = targets
	return p, nil
}

// outcome is one ping's result.
type outcome struct {
	target  int
	reply   Reply
	err     error
	latency time.Duration
}

// Ping sends one round of pings: for each target, Concurrency concurrent
// pings (or one fan-out ping, Target.FanOut), each bounded by
// Plan.Timeout, and waits for all of them. The Report says, per target,
// how many distinct sandboxes answered, how many of them paid a cold start
// for the ping, the errors and the latency. Warming N is best-effort: Lambda
// may route two concurrent pings to one sandbox, or keep a third busy with
// user traffic; the Report counts what was reached, not what was asked.
//
// The error is non-nil when the plan is invalid (the Report is then empty),
// when ctx ended, or when some pings failed (it joins up to three errors
// per target; the Report counts them all). inv must honour ctx: Ping waits
// for every call to return.
func Ping(ctx context.Context, inv Invoker, plan Plan) (Report, error) {
	if inv == nil {
		return Report{}, fmt.Errorf("%w: nil Invoker", errPlan)
	}
	plan, err := plan.check()
	if err != nil {
		return Report{}, err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	start := time.Now()
	correlation := newCorrelationID()

	var pings []func() outcome
	for ti, t := range plan.Targets {
		send := func(payload []byte) func() outcome {
			return func() outcome {
				pctx, cancel := context.WithTimeout(ctx, plan.Timeout)
				defer cancel()
				t0 := time.Now()
				body, err := inv.Invoke(pctx, Request{Function: t.Function, Qualifier: t.Qualifier, Payload: payload})
				o := outcome{target: ti, latency: time.Since(t0)}
				if err == nil {
					o.reply, err = parseReply(body)
				}
				if err != nil {
					o.err = fmt.Errorf("warmer: ping %s: %w", t.label(), err)
				}
				return o
			}
		}
		if t.FanOut {
			pings = append(pings, send(fanOutPing(t.Concurrency, correlation)))
			continue
		}
		for i := 1; i <= t.Concurrency; i++ {
			pings = append(pings, send(concurrentPing(i, t.Concurrency, correlation)))
		}
	}

	outcomes := make([]outcome, len(pings))
	var wg sync.WaitGroup
	for i, p := range pings {
		wg.Go(func() { outcomes[i] = p() })
	}
	wg.Wait()

	rep := summarise(plan.Targets, outcomes, start, time.Now())
	var errs []error
	perTarget := make([]int, len(plan.Targets))
	for _, o := range outcomes {
		if o.err != nil && perTarget[o.target] < 3 {
			perTarget[o.target]++
			errs = append(errs, o.err)
		}
	}
	if err := ctx.Err(); err != nil {
		errs = append([]error{fmt.Errorf("warmer: ping round cut short: %w", err)}, errs...)
	}
	return rep, errors.Join(errs...)
}

// label is function[:qualifier].
func (t Target) label() string {
	if t.Qualifier == "" {
		return t.Function
	}
	return t.Function + ":" + t.Qualifier
}

// concurrentPing is ping i of n sent by Ping itself: the lambda-warmer
// fanned shape (so a lambda-warmer target holds and does not fan out again)
// plus our marker. A single ping carries no concurrency at all.
func concurrentPing(i, n int, correlation string) []byte {
	if n == 1 {
		return []byte(`{"warmer":true,"faasprobe_ping":1,"__WARMER_CORRELATIONID__":"` + correlation + `"}`)
	}
	return fannedPing(i, n, correlation)
}

// fanOutPing asks the first receiver to fan out to n: lambda-warmer's
// scheduled shape plus our marker.
func fanOutPing(n int, correlation string) []byte {
	return []byte(`{"warmer":true,"faasprobe_ping":1,"concurrency":` + strconv.Itoa(n) +
		`,"__WARMER_CORRELATIONID__":"` + correlation + `"}`)
}

// newCorrelationID is 16 random hex digits.
func newCorrelationID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b[:])
}
