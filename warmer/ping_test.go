package warmer

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With the hold, N concurrent pings reach N sandboxes of an idle-first
// fleet; one ping reaches one.
func TestPingReachesDistinctSandboxes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fleet   int
		n       int
		reached int
	}{
		{name: "N=1", fleet: 3, n: 1, reached: 1},
		{name: "N=3 of 3", fleet: 3, n: 3, reached: 3},
		{name: "N=3 of 5", fleet: 5, n: 3, reached: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fleet := newFleet(t, tt.fleet, WithHold(60*time.Millisecond))
			plan := Plan{Targets: []Target{{Function: "api", Qualifier: "live", Concurrency: tt.n}}}
			for round := 1; round <= 2; round++ {
				rep, err := Ping(context.Background(), fleet, plan)
				require.NoError(t, err)
				require.Len(t, rep.Targets, 1)
				tr := rep.Targets[0]
				assert.Equal(t, tt.reached, tr.Reached, "round %d", round)
				assert.Len(t, tr.SandboxIDs, tt.reached)
				assert.Equal(t, tt.n, tr.Sent)
				assert.Equal(t, tt.n, tr.Replies)
				assert.Zero(t, tr.Errors)
				assert.Equal(t, "api", tr.Function)
				assert.Equal(t, "live", tr.Qualifier)
				assert.LessOrEqual(t, tr.LatencyP50Ms, tr.LatencyMaxMs)
				if round == 1 {
					assert.Equal(t, tt.reached, tr.Cold, "the first round pays each sandbox's cold start")
				} else {
					assert.Zero(t, tr.Cold, "the second round finds them warm")
				}
				assert.Contains(t, rep.Summary, "best-effort: reached")
				assert.Equal(t, tr.Reached, rep.Reached)
			}
		})
	}
}

// Without the hold, Lambda-like routing reuses an idle sandbox and N
// concurrent pings may reach fewer than N: the report says so.
func TestPingReportsWhatWasReachedNotWhatWasAsked(t *testing.T) {
	t.Parallel()
	fleet := newFleet(t, 3, WithHold(0))
	// Serialise the pings so that each finds sandbox 0 idle again.
	gate := make(chan struct{}, 1)
	inv := InvokerFunc(func(ctx context.Context, req Request) ([]byte, error) {
		gate <- struct{}{}
		defer func() { <-gate }()
		return fleet.Invoke(ctx, req)
	})
	rep, err := Ping(context.Background(), inv, Plan{Targets: []Target{{Function: "api", Concurrency: 3}}})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Targets[0].Reached)
	assert.Equal(t, 3, rep.Targets[0].Replies)
	assert.Equal(t, "best-effort: reached 1 of 3 requested sandboxes (1 cold start paid by the pings, 0 errors) of api", rep.Targets[0].Summary)
}

func TestPingFanOut(t *testing.T) {
	t.Parallel()
	fleet := newFleet(t, 3, WithHold(50*time.Millisecond))
	fleet.withFanOut()
	rep, err := Ping(context.Background(), fleet, Plan{Targets: []Target{{Function: "arn:aws:lambda:us-east-1:123456789012:function:api", Concurrency: 3, FanOut: true}}})
	require.NoError(t, err)
	tr := rep.Targets[0]
	assert.Equal(t, 3, tr.Reached)
	assert.Equal(t, 3, tr.Sent, "one ping sent, two fanned out")
	assert.Equal(t, int64(3), fleet.invoked.Load())
	assert.Equal(t, 3, tr.Cold)
}

func TestPingFanOutToATargetWithoutFanOut(t *testing.T) {
	t.Parallel()
	fleet := newFleet(t, 3, WithHold(time.Millisecond))
	rep, err := Ping(context.Background(), fleet, Plan{Targets: []Target{{Function: "api", Concurrency: 3, FanOut: true}}})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Targets[0].Reached, "the target cannot fan out: one sandbox")
	assert.Equal(t, "best-effort: reached 1 of 3 requested sandboxes (1 cold start paid by the pings, 0 errors) of api", rep.Targets[0].Summary)
}

func TestPingErrors(t *testing.T) {
	t.Parallel()
	throttled := errors.New("TooManyRequestsException: Rate Exceeded")
	var n atomic.Int32
	inv := InvokerFunc(func(_ context.Context, req Request) ([]byte, error) {
		switch i := n.Add(1); {
		case req.Function == "not-wrapped":
			return []byte(`{"statusCode":200,"body":"hello"}`), nil
		case i%2 == 0:
			return nil, throttled
		default:
			return []byte(`{"warmer":true,"sandbox_id":"sb-` + string(rune('0'+i)) + `"}`), nil
		}
	})
	rep, err := Ping(context.Background(), inv, Plan{Targets: []Target{
		{Function: "api", Concurrency: 4},
		{Function: "not-wrapped", Concurrency: 2},
	}})
	require.Error(t, err)
	assert.ErrorIs(t, err, throttled)
	assert.ErrorIs(t, err, errNotWarmer)

	api, plain := rep.Targets[0], rep.Targets[1]
	assert.Equal(t, 4, api.Sent)
	assert.Equal(t, api.Sent, api.Replies+api.Errors)
	assert.Positive(t, api.Errors)
	assert.Equal(t, api.Replies, api.Reached, "every reply came from a different sandbox id")
	assert.NotEmpty(t, api.ErrorSamples)
	assert.LessOrEqual(t, len(api.ErrorSamples), maxSamples)

	assert.Equal(t, 2, plain.Errors)
	assert.Equal(t, 2, plain.NotWarmer)
	assert.Zero(t, plain.Reached)
	assert.Contains(t, plain.Summary, "is the target wrapped with warmer.Wrap?")
	assert.Equal(t, api.Errors+plain.Errors, rep.Errors)
}

func TestPingTimeouts(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	hang := InvokerFunc(func(ctx context.Context, _ Request) ([]byte, error) {
		calls.Add(1)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	start := time.Now()
	rep, err := Ping(context.Background(), hang, Plan{Timeout: 30 * time.Millisecond, Targets: []Target{{Function: "api", Concurrency: 5}}})
	assert.Less(t, time.Since(start), 5*time.Second)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, int32(5), calls.Load())
	assert.Equal(t, 5, rep.Targets[0].Errors)
	assert.Zero(t, rep.Targets[0].Reached)
	assert.GreaterOrEqual(t, rep.Targets[0].LatencyMaxMs, 30.0)
	assert.Len(t, strings.Split(err.Error(), "\n"), 3, "errors are sampled, three per target")
}

func TestPingCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{}, 10)
	inv := InvokerFunc(func(ctx context.Context, _ Request) ([]byte, error) {
		started <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	})
	done := make(chan struct{})
	var rep Report
	var err error
	go func() {
		defer close(done)
		rep, err = Ping(ctx, inv, Plan{Targets: []Target{{Function: "api", Concurrency: 3}}})
	}()
	for range 3 {
		<-started
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Ping did not return after cancellation")
	}
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "cut short")
	assert.Equal(t, 3, rep.Targets[0].Errors)
}

func TestPingInvalidPlans(t *testing.T) {
	t.Parallel()
	ok := InvokerFunc(func(context.Context, Request) ([]byte, error) { return nil, nil })
	tests := []struct {
		name string
		plan Plan
		inv  Invoker
		want string
	}{
		{name: "no targets", plan: Plan{}, inv: ok, want: "no targets"},
		{name: "nil invoker", plan: Plan{Targets: []Target{{Function: "f"}}}, want: "nil Invoker"},
		{name: "bad name", plan: Plan{Targets: []Target{{Function: "my function"}}}, inv: ok, want: "only letters"},
		{name: "empty name", plan: Plan{Targets: []Target{{Function: ""}}}, inv: ok, want: "function name"},
		{name: "negative concurrency", plan: Plan{Targets: []Target{{Function: "f", Concurrency: -1}}}, inv: ok, want: "concurrency -1"},
		{name: "too many pings", plan: Plan{Targets: []Target{{Function: "f", Concurrency: 600}, {Function: "g", Concurrency: 600}}}, inv: ok, want: "1200 pings"},
		{name: "qualifier twice", plan: Plan{Targets: []Target{{Function: "f:live", Qualifier: "v2"}}}, inv: ok, want: "qualifier given twice"},
		{name: "bad qualifier", plan: Plan{Targets: []Target{{Function: "f", Qualifier: "a/b"}}}, inv: ok, want: "qualifier"},
		{name: "negative timeout", plan: Plan{Timeout: -1, Targets: []Target{{Function: "f"}}}, inv: ok, want: "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep, err := Ping(context.Background(), tt.inv, tt.plan)
			require.Error(t, err)
			assert.ErrorIs(t, err, errPlan)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, rep.Targets)
		})
	}
}

func TestPingSendsWhatTheTargetExpects(t *testing.T) {
	t.Parallel()
	var got []Request
	inv := InvokerFunc(func(_ context.Context, req Request) ([]byte, error) {
		got = append(got, req) // one ping: no race
		return []byte(`{"warmer":true,"sandbox_id":"x"}`), nil
	})
	_, err := Ping(context.Background(), inv, Plan{Targets: []Target{{Function: "arn:aws:lambda:eu-west-1:123456789012:function:api:live"}}})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "arn:aws:lambda:eu-west-1:123456789012:function:api", got[0].Function)
	assert.Equal(t, "live", got[0].Qualifier)
	p, ok := recognize(context.Background(), got[0].Payload)
	require.True(t, ok)
	assert.Equal(t, FormatFaasprobe, p.format)
	assert.Equal(t, 1, p.requested)
	assert.False(t, p.fanOut)
}

func TestP50Max(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	tests := []struct {
		in       []time.Duration
		p50, max float64
	}{
		{in: nil},
		{in: []time.Duration{5 * ms}, p50: 5, max: 5},
		{in: []time.Duration{9 * ms, 1 * ms, 5 * ms}, p50: 5, max: 9},
		{in: []time.Duration{4 * ms, 1 * ms, 3 * ms, 2 * ms}, p50: 2, max: 4},
	}
	for _, tt := range tests {
		p50, mx := p50Max(tt.in)
		assert.Equal(t, tt.p50, p50)
		assert.Equal(t, tt.max, mx)
	}
}
