package warmer

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStartPingsUntilStopped(t *testing.T) {
	t.Parallel()
	fleet := newFleet(t, 2, WithHold(5*time.Millisecond))
	reports := make(chan Report, 100)
	l, err := Start(context.Background(), fleet, Plan{
		Targets: []Target{{Function: "api", Concurrency: 2}},
		Every:   20 * time.Millisecond,
		Jitter:  5 * time.Millisecond,
	}, func(r Report, err error) {
		assert.NoError(t, err)
		reports <- r
	})
	require.NoError(t, err)
	first := <-reports
	assert.Equal(t, 2, first.Reached)
	assert.Equal(t, 2, first.Cold, "the first round pays the cold starts")
	second := <-reports
	assert.Equal(t, 2, second.Reached)
	assert.Zero(t, second.Cold)
	l.Stop()
	select {
	case <-l.Done():
	default:
		t.Fatal("Stop returned before the loop ended")
	}
	n := len(reports)
	time.Sleep(60 * time.Millisecond)
	assert.Equal(t, n, len(reports), "no round after Stop")
	l.Stop() // idempotent
}

// Stop cancels a round in flight and waits for it: the invoker's calls have
// all returned when Stop does.
func TestStopWaitsForTheRoundInFlight(t *testing.T) {
	t.Parallel()
	var inFlight atomic.Int32
	entered := make(chan struct{}, 4)
	inv := InvokerFunc(func(ctx context.Context, _ Request) ([]byte, error) {
		inFlight.Add(1)
		defer inFlight.Add(-1)
		entered <- struct{}{}
		<-ctx.Done()
		time.Sleep(20 * time.Millisecond) // a slow return after cancellation
		return nil, ctx.Err()
	})
	var reported atomic.Int32
	l, err := Start(context.Background(), inv, Plan{Targets: []Target{{Function: "api", Concurrency: 3}}, Timeout: time.Minute},
		func(Report, error) { reported.Add(1) })
	require.NoError(t, err)
	for range 3 {
		<-entered
	}
	start := time.Now()
	l.Stop()
	assert.Zero(t, inFlight.Load(), "Stop returned while pings were still running")
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Zero(t, reported.Load(), "a round cut short by Stop is not reported")
}

func TestStartEndsWithItsContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	l, err := Start(ctx, newFleet(t, 1), Plan{Targets: []Target{{Function: "api"}}, Every: time.Hour}, func(Report, error) {})
	require.NoError(t, err)
	cancel()
	select {
	case <-l.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the loop did not end with its context")
	}
	l.Stop()
}

func TestStartRejectsBadPlans(t *testing.T) {
	t.Parallel()
	l, err := Start(context.Background(), newFleet(t, 1), Plan{}, nil)
	assert.ErrorIs(t, err, errPlan)
	assert.Nil(t, l)
	l, err = Start(context.Background(), nil, Plan{Targets: []Target{{Function: "f"}}}, nil)
	assert.ErrorIs(t, err, errPlan)
	assert.Nil(t, l)
}

func TestPlanDefaults(t *testing.T) {
	t.Parallel()
	p, err := Plan{Targets: []Target{{Function: "f"}}}.check()
	require.NoError(t, err)
	assert.Equal(t, DefaultPingTimeout, p.Timeout)
	assert.Equal(t, DefaultEvery, p.Every)
	assert.Equal(t, DefaultEvery/10, p.Jitter)
	assert.Equal(t, 1, p.Targets[0].Concurrency)

	p, err = Plan{Targets: []Target{{Function: "f"}}, Every: time.Minute, Jitter: time.Hour}.check()
	require.NoError(t, err)
	assert.Equal(t, 30*time.Second, p.Jitter, "jitter is clamped to half the interval")
}

func TestNextWait(t *testing.T) {
	t.Parallel()
	every, jitter := 4*time.Minute, 24*time.Second
	assert.Equal(t, every-jitter, nextWait(every, jitter, 0))
	assert.Equal(t, every, nextWait(every, jitter, 0.5))
	assert.Less(t, nextWait(every, jitter, 0.999999), every+jitter)
	assert.Equal(t, time.Millisecond, nextWait(time.Millisecond, time.Millisecond, 0), "never below 1 ms")
	for u := 0.0; u < 1; u += 0.01 {
		w := nextWait(every, jitter, u)
		assert.GreaterOrEqual(t, w, every-jitter)
		assert.Less(t, w, every+jitter)
	}
}
