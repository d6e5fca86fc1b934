package coldstart

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newTest returns a tracker on a fake clock (at t0) over a tree in which the
// process started procAge before t0 and the kernel booted 5 s before t0
// (procAge < 0: no /proc at all), with the given environment.
func newTest(t *testing.T, procAge time.Duration, env map[string]string, opts ...Option) (*Tracker, *fakeClock) {
	t.Helper()
	files := map[string]string{}
	if procAge >= 0 {
		files = procTree(5*time.Second, procAge)
	}
	clock := &fakeClock{}
	opts = append([]Option{WithRoot(writeTree(t, files)), WithEnv(envOf(env)), WithClock(clock.Now)}, opts...)
	return New(opts...), clock
}

func TestFirstInvocation(t *testing.T) {
	t.Parallel()
	const noProc = -1
	tests := []struct {
		name      string
		initType  string        // AWS_LAMBDA_INITIALIZATION_TYPE; "-" unset
		procAge   time.Duration // at t0; noProc: no /proc
		wrapAt    time.Duration // Wrap call; -1: none
		invokeAt  time.Duration
		opts      []Option
		want      Reason
		wantCold  bool
		initSrc   string
		sinceInit time.Duration
	}{
		{name: "on-demand, prompt", initType: "on-demand", procAge: time.Second, wrapAt: 0, invokeAt: 50 * time.Millisecond,
			want: ReasonOnDemand, wantCold: true, initSrc: InitFromWrap, sinceInit: 50 * time.Millisecond},
		{name: "on-demand, 11 s after init: proactive", initType: "on-demand", procAge: time.Second, wrapAt: 0, invokeAt: 11 * time.Second,
			want: ReasonProactiveInit, wantCold: false, initSrc: InitFromWrap, sinceInit: 11 * time.Second},
		{name: "exactly the threshold is not proactive", initType: "on-demand", procAge: time.Second, wrapAt: 0, invokeAt: 10 * time.Second,
			want: ReasonOnDemand, wantCold: true, initSrc: InitFromWrap, sinceInit: 10 * time.Second},
		{name: "custom threshold", initType: "on-demand", procAge: time.Second, wrapAt: 0, invokeAt: 3 * time.Second,
			opts: []Option{WithProactiveThreshold(2 * time.Second)},
			want: ReasonProactiveInit, wantCold: false, initSrc: InitFromWrap, sinceInit: 3 * time.Second},
		{name: "threshold 0 turns the rule off", initType: "on-demand", procAge: time.Second, wrapAt: 0, invokeAt: time.Hour,
			opts: []Option{WithProactiveThreshold(0)},
			want: ReasonOnDemand, wantCold: true, initSrc: InitFromWrap, sinceInit: time.Hour},
		{name: "provisioned concurrency, prompt", initType: "provisioned-concurrency", procAge: time.Second, wrapAt: 0, invokeAt: 5 * time.Millisecond,
			want: ReasonProvisioned, wantCold: false, initSrc: InitFromWrap, sinceInit: 5 * time.Millisecond},
		{name: "managed instances", initType: "lambda-managed-instances", procAge: time.Second, wrapAt: 0, invokeAt: time.Minute,
			want: ReasonManagedInstances, wantCold: false, initSrc: InitFromWrap, sinceInit: time.Minute},
		{name: "snap-start restore long after init is cold", initType: "snap-start", procAge: time.Second, wrapAt: 0, invokeAt: 48 * time.Hour,
			want: ReasonSnapStart, wantCold: true, initSrc: InitFromWrap, sinceInit: 48 * time.Hour},
		{name: "unset (not Lambda)", initType: "-", procAge: time.Second, wrapAt: 0, invokeAt: time.Second,
			want: ReasonOnDemand, wantCold: true, initSrc: InitFromWrap, sinceInit: time.Second},
		{name: "value with case and space", initType: " Provisioned-Concurrency\n", procAge: time.Second, wrapAt: 0, invokeAt: time.Second,
			want: ReasonProvisioned, wantCold: false, initSrc: InitFromWrap, sinceInit: time.Second},
		{name: "garbage type, prompt", initType: "banana", procAge: time.Second, wrapAt: 0, invokeAt: time.Second,
			want: ReasonUnknown, wantCold: true, initSrc: InitFromWrap, sinceInit: time.Second},
		{name: "garbage type, late", initType: "banana", procAge: time.Second, wrapAt: 0, invokeAt: time.Minute,
			want: ReasonUnknown, wantCold: false, initSrc: InitFromWrap, sinceInit: time.Minute},
		{name: "no Wrap: process start stands in for init end", initType: "on-demand", procAge: 2 * time.Second, wrapAt: -1, invokeAt: time.Second,
			want: ReasonOnDemand, wantCold: true, initSrc: InitFromProcess, sinceInit: 3 * time.Second},
		{name: "no Wrap, process started long ago: proactive", initType: "on-demand", procAge: 2 * time.Second, wrapAt: -1, invokeAt: 9 * time.Second,
			want: ReasonProactiveInit, wantCold: false, initSrc: InitFromProcess, sinceInit: 11 * time.Second},
		{name: "no Wrap, no /proc: the invocation itself", initType: "on-demand", procAge: noProc, wrapAt: -1, invokeAt: time.Hour,
			want: ReasonOnDemand, wantCold: true, initSrc: InitFromInvocation, sinceInit: 0},
		{name: "Wrap later than process start wins", initType: "on-demand", procAge: 4 * time.Second, wrapAt: 500 * time.Millisecond, invokeAt: time.Second,
			want: ReasonOnDemand, wantCold: true, initSrc: InitFromWrap, sinceInit: 500 * time.Millisecond},
		{name: "WithInitDone beats Wrap", initType: "on-demand", procAge: time.Second, wrapAt: 0, invokeAt: 30 * time.Second,
			opts: []Option{WithInitDone(t0.Add(25 * time.Second))},
			want: ReasonOnDemand, wantCold: true, initSrc: InitFromInitDone, sinceInit: 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{}
			if tt.initType != "-" {
				env["AWS_LAMBDA_INITIALIZATION_TYPE"] = tt.initType
			}
			tr, clock := newTest(t, tt.procAge, env, tt.opts...)
			if tt.wrapAt >= 0 {
				clock.Set(tt.wrapAt)
				WrapWith(tr, func(ctx context.Context, _ int) (int, error) { return 0, nil })
			}
			clock.Set(tt.invokeAt)
			inv := tr.Observe()

			assert.True(t, inv.First)
			assert.Equal(t, uint64(1), inv.Seq)
			assert.Equal(t, tt.want, inv.Reason)
			assert.Equal(t, tt.wantCold, inv.Cold)
			assert.Equal(t, tt.initSrc, inv.InitSource)
			assert.InDelta(t, ms1(tt.sinceInit), inv.SinceInitMs, 1e-9)
			assert.Zero(t, inv.SincePreviousMs)
			assert.False(t, inv.Clamped)
			assert.Equal(t, t0.Add(tt.invokeAt), inv.Time)
			if tt.procAge >= 0 {
				assert.Equal(t, StartFromUptime, inv.ProcessStartSource)
				assert.InDelta(t, ms1(tt.procAge+tt.invokeAt), inv.SinceProcessStartMs, 1e-9)
				assert.InDelta(t, ms1(5*time.Second+tt.invokeAt), inv.SandboxAgeMs, 1e-9)
			} else {
				assert.Equal(t, StartFromTracker, inv.ProcessStartSource)
				assert.InDelta(t, ms1(tt.invokeAt), inv.SinceProcessStartMs, 1e-9)
				assert.Zero(t, inv.SandboxAgeMs, "unknown without /proc")
			}

			s := tr.Stats()
			assert.Equal(t, tt.want, s.FirstReason)
			if tt.wantCold {
				assert.Equal(t, uint64(1), s.Cold)
			} else {
				assert.Zero(t, s.Cold)
			}
			if tt.want == ReasonUnknown {
				require.Len(t, s.Problems, 1)
				assert.Contains(t, s.Problems[0], "AWS_LAMBDA_INITIALIZATION_TYPE")
				assert.NotContains(t, s.Problems[0], tt.initType, "the raw value is not repeated")
			} else {
				assert.Empty(t, s.Problems)
			}
		})
	}
}

func ms1(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func TestWarmInvocations(t *testing.T) {
	t.Parallel()
	tr, clock := newTest(t, time.Second, map[string]string{"AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand"})
	tr.InitDone()
	clock.Set(100 * time.Millisecond)
	first := tr.Observe()
	require.True(t, first.Cold)

	for i, at := range []time.Duration{250 * time.Millisecond, 2 * time.Second, 2 * time.Second, time.Minute} {
		prev := clock.Now()
		clock.Set(at)
		inv := tr.Observe()
		assert.Equal(t, uint64(i+2), inv.Seq)
		assert.False(t, inv.First)
		assert.False(t, inv.Cold)
		assert.Equal(t, ReasonWarm, inv.Reason)
		assert.Equal(t, InitTypeOnDemand, inv.InitType)
		assert.Equal(t, InitFromInitDone, inv.InitSource)
		assert.InDelta(t, ms1(at), inv.SinceInitMs, 1e-9)
		assert.InDelta(t, ms1(clock.Now().Sub(prev)), inv.SincePreviousMs, 1e-9)
		assert.InDelta(t, ms1(time.Second+at), inv.SinceProcessStartMs, 1e-9)
		assert.False(t, inv.Clamped)
	}
	s := tr.Stats()
	assert.Equal(t, uint64(5), s.Invocations)
	assert.Equal(t, uint64(1), s.Cold)
	assert.Equal(t, uint64(4), s.Warm)
	assert.Equal(t, t0.Add(100*time.Millisecond), s.FirstInvocation)
	assert.Equal(t, t0.Add(time.Minute), s.LastInvocation)
	assert.Equal(t, t0.Add(-time.Second), s.ProcessStart)
	assert.Equal(t, t0, s.InitDone)
	assert.Zero(t, s.IdleMs, "Observe alone measures no idle time")
}

func TestInitEndPrecedence(t *testing.T) {
	t.Parallel()
	h := func(ctx context.Context, _ string) (string, error) { return "", nil }

	t.Run("InitDone beats a later Wrap; the latest InitDone counts", func(t *testing.T) {
		t.Parallel()
		tr, clock := newTest(t, time.Second, nil)
		clock.Set(1 * time.Second)
		WrapWith(tr, h)
		clock.Set(2 * time.Second)
		tr.InitDone()
		clock.Set(3 * time.Second)
		tr.InitDone()
		clock.Set(4 * time.Second)
		WrapWith(tr, h)
		clock.Set(5 * time.Second)
		inv := tr.Observe()
		assert.Equal(t, InitFromInitDone, inv.InitSource)
		assert.InDelta(t, 2000.0, inv.SinceInitMs, 1e-9)
	})
	t.Run("the latest Wrap counts", func(t *testing.T) {
		t.Parallel()
		tr, clock := newTest(t, time.Second, nil)
		clock.Set(1 * time.Second)
		WrapWith(tr, h)
		clock.Set(4 * time.Second)
		tr.WrapHandler(handlerFunc(func(context.Context, []byte) ([]byte, error) { return nil, nil }))
		clock.Set(5 * time.Second)
		inv := tr.Observe()
		assert.Equal(t, InitFromWrap, inv.InitSource)
		assert.InDelta(t, 1000.0, inv.SinceInitMs, 1e-9)
	})
	t.Run("marks after the first invocation are ignored", func(t *testing.T) {
		t.Parallel()
		tr, clock := newTest(t, time.Second, nil)
		WrapWith(tr, h)
		clock.Set(time.Second)
		first := tr.Observe()
		clock.Set(2 * time.Second)
		tr.InitDone()
		WrapWith(tr, h)
		clock.Set(3 * time.Second)
		second := tr.Observe()
		assert.Equal(t, InitFromWrap, first.InitSource)
		assert.Equal(t, InitFromWrap, second.InitSource)
		assert.InDelta(t, 3000.0, second.SinceInitMs, 1e-9)
		assert.Equal(t, t0, tr.Stats().InitDone)
	})
}

func TestClockSteppingBack(t *testing.T) {
	t.Parallel()
	tr, clock := newTest(t, time.Second, nil)
	WrapWith(tr, func(ctx context.Context, _ int) (int, error) { return 0, nil })
	clock.Set(5 * time.Second)
	tr.Observe()

	clock.Set(3 * time.Second) // back 2 s
	back := tr.Observe()
	assert.True(t, back.Clamped)
	assert.Zero(t, back.SincePreviousMs)
	assert.GreaterOrEqual(t, back.SinceInitMs, 0.0)

	clock.Set(-2 * time.Second) // before the tracker, the Wrap and the process start
	before := tr.Observe()
	assert.True(t, before.Clamped)
	for _, v := range []float64{before.SinceInitMs, before.SincePreviousMs, before.SinceProcessStartMs} {
		assert.Zero(t, v, "clamped to 0, never negative")
	}
	assert.InDelta(t, 3000.0, before.SandboxAgeMs, 1e-9, "the kernel booted 5 s before t0, still before -2 s")

	clock.Set(6 * time.Second) // forward again: measured from the newest instant seen (5 s)
	fwd := tr.Observe()
	assert.False(t, fwd.Clamped)
	assert.InDelta(t, 1000.0, fwd.SincePreviousMs, 1e-9)
	assert.Equal(t, uint64(4), fwd.Seq)
}

func TestInitDoneInTheFuture(t *testing.T) {
	t.Parallel()
	tr, clock := newTest(t, time.Second, nil, WithInitDone(t0.Add(time.Hour)))
	clock.Set(time.Second)
	inv := tr.Observe()
	assert.True(t, inv.Clamped)
	assert.Zero(t, inv.SinceInitMs)
	assert.True(t, inv.Cold, "a gap clamped to 0 is prompt")
}

func TestStatsWithWrap(t *testing.T) {
	t.Parallel()
	tr, clock := newTest(t, time.Second, map[string]string{"AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand"})
	fail := errors.New("boom")
	h := WrapWith(tr, func(ctx context.Context, d time.Duration) (string, error) {
		clock.Advance(d)
		if d == 200*time.Millisecond {
			return "", fail
		}
		return "ok", nil
	})
	s := tr.Stats()
	assert.Zero(t, s.Invocations)
	assert.Empty(t, s.FirstReason)
	assert.True(t, s.FirstInvocation.IsZero())
	assert.NotNil(t, s.Problems)

	clock.Set(time.Second)
	_, err := h(context.Background(), 200*time.Millisecond) // 1.0 → 1.2, fails
	require.ErrorIs(t, err, fail)
	clock.Set(2 * time.Second)
	_, err = h(context.Background(), 100*time.Millisecond) // 2.0 → 2.1
	require.NoError(t, err)
	clock.Set(3 * time.Second)

	s = tr.Stats()
	assert.Equal(t, uint64(2), s.Invocations)
	assert.Equal(t, uint64(1), s.Errors)
	assert.Equal(t, uint64(2), s.Timed)
	assert.Equal(t, uint64(1), s.Cold)
	assert.Equal(t, uint64(1), s.Warm)
	assert.InDelta(t, 300.0, s.BusyMs, 1e-9)
	// Idle: init end → first (1 s) + 1.2 → 2.0 (0.8 s) + 2.1 → 3.0 (0.9 s).
	assert.InDelta(t, 2700.0, s.IdleMs, 1e-9)
	assert.Equal(t, ReasonOnDemand, s.FirstReason)
	assert.Equal(t, t0.Add(time.Second), s.FirstInvocation)
	assert.Equal(t, t0.Add(2*time.Second), s.LastInvocation)
	assert.Equal(t, InitFromWrap, s.InitSource)
	assert.Equal(t, StartFromUptime, s.ProcessStartSource)
}

func TestStatsBeforeAnyInvocationCountsIdle(t *testing.T) {
	t.Parallel()
	tr, clock := newTest(t, time.Second, nil)
	tr.InitDone()
	clock.Set(90 * time.Second)
	s := tr.Stats()
	assert.Zero(t, s.Invocations)
	assert.InDelta(t, 90000.0, s.IdleMs, 1e-9, "a pre-initialised sandbox that never served is idle since init")
}

func TestNoProcFallsBackToTracker(t *testing.T) {
	t.Parallel()
	tr, clock := newTest(t, -1, nil)
	clock.Set(2 * time.Second)
	inv := tr.Observe()
	assert.Equal(t, StartFromTracker, inv.ProcessStartSource)
	assert.InDelta(t, 2000.0, inv.SinceProcessStartMs, 1e-9)
	assert.Zero(t, inv.SandboxAgeMs)
	s := tr.Stats()
	assert.Equal(t, t0, s.ProcessStart)
	assert.Empty(t, s.Problems, "a missing /proc is not a problem")
}

func TestGarbageProcIsAProblem(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{}
	dir := writeTree(t, map[string]string{"proc/self/stat": "1 (x) R", "proc/uptime": "nope"})
	tr := New(WithRoot(dir), WithClock(clock.Now))
	s := tr.Stats()
	assert.Equal(t, StartFromTracker, s.ProcessStartSource)
	require.Len(t, s.Problems, 2)
	assert.Contains(t, s.Problems[0], "/proc/uptime")
	assert.Contains(t, s.Problems[1], "/proc/self/stat")
}

func TestMissingRoot(t *testing.T) {
	t.Parallel()
	tr := New(WithRoot("/nonexistent/faasprobe-tree"), WithClock((&fakeClock{}).Now))
	s := tr.Stats()
	require.NotEmpty(t, s.Problems)
	assert.Contains(t, s.Problems[0], "coldstart: root")
	assert.Equal(t, StartFromTracker, s.ProcessStartSource)
	assert.NotPanics(t, func() { tr.Observe() })
}

func TestNilOptionIsIgnored(t *testing.T) {
	t.Parallel()
	assert.NotPanics(t, func() { New(nil, WithClock((&fakeClock{}).Now)).Observe() })
}

func TestClassifyFirst(t *testing.T) {
	t.Parallel()
	// Every init type, both sides of the threshold: cold is true only where
	// the caller waited.
	types := []string{"", InitTypeOnDemand, InitTypeProvisioned, InitTypeSnapStart, InitTypeManagedInstances, InitTypeUnknown}
	for _, it := range types {
		for _, gap := range []time.Duration{0, 10 * time.Second, 10*time.Second + 1} {
			r, cold := classifyFirst(it, gap, 10*time.Second)
			assert.NotEqual(t, ReasonWarm, r)
			if r == ReasonProvisioned || r == ReasonManagedInstances || r == ReasonProactiveInit {
				assert.False(t, cold, "%s %v", it, gap)
			}
			if r == ReasonOnDemand || r == ReasonSnapStart {
				assert.True(t, cold, "%s %v", it, gap)
			}
			if gap > 10*time.Second && (it == "" || it == InitTypeOnDemand) {
				assert.Equal(t, ReasonProactiveInit, r)
			}
		}
	}
}

// TestObserveIntoOverwritesEveryField: Wrap fills a fresh struct, but the
// in-place writer must not leave a stale field behind in any case.
func TestObserveIntoOverwritesEveryField(t *testing.T) {
	t.Parallel()
	a, clockA := newTest(t, time.Second, map[string]string{"AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand"})
	b, clockB := newTest(t, time.Second, map[string]string{"AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand"})
	for _, at := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second} {
		clockA.Set(at)
		clockB.Set(at)
		stale := Invocation{First: true, Cold: true, Reason: ReasonSnapStart, Seq: 99, InitType: "x",
			SinceProcessStartMs: -1, ProcessStartSource: "x", SinceInitMs: -1, InitSource: "x",
			SincePreviousMs: -1, SandboxAgeMs: -1, Time: t0.Add(time.Hour), RequestID: "stale", Clamped: true}
		a.observeInto(&stale)
		assert.Equal(t, b.Observe(), stale, "at %v", at)
	}
}

// WithDefinition(DefinitionPowertools) gives Powertools' cold_start: the
// first invocation is cold unless provisioned concurrency initialised the
// sandbox, whatever the gap from init end; the reason still says what
// faasprobe's own rule found.
func TestDefinitionPowertools(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		initType   string
		gap        time.Duration
		want       bool
		wantReason Reason
		ownRule    bool
	}{
		{"on-demand, caller waited", "on-demand", time.Second, true, ReasonOnDemand, true},
		{"proactive init counts as cold", "on-demand", time.Minute, true, ReasonProactiveInit, false},
		{"provisioned concurrency is not cold", "provisioned-concurrency", time.Second, false, ReasonProvisioned, false},
		{"managed instances count as cold", "lambda-managed-instances", time.Second, true, ReasonManagedInstances, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"AWS_LAMBDA_INITIALIZATION_TYPE": tt.initType}
			pt, clock := newTest(t, time.Second, env, WithDefinition(DefinitionPowertools))
			own, ownClock := newTest(t, time.Second, env, WithDefinition("no such definition"))
			pt.InitDone()
			own.InitDone()
			clock.Advance(tt.gap)
			ownClock.Advance(tt.gap)
			inv, ownInv := pt.Observe(), own.Observe()
			assert.Equal(t, tt.want, inv.Cold)
			assert.Equal(t, tt.wantReason, inv.Reason)
			assert.Equal(t, tt.ownRule, ownInv.Cold, "an unknown definition is faasprobe's")
			assert.False(t, pt.Observe().Cold, "only the first")
		})
	}
}

// An invocation an outer wrapper on the same tracker observed (warmer.Wrap
// around coldstart.Wrap) is counted once; a wrapper on another tracker
// counts it on its own.
func TestNestedWrappersCountOnce(t *testing.T) {
	t.Parallel()
	tr, _ := newTest(t, time.Second, nil)
	other, _ := newTest(t, time.Second, nil)
	var seen []Invocation
	inner := WrapWith(tr, func(ctx context.Context, _ int) (int, error) {
		inv, _ := FromContext(ctx)
		seen = append(seen, inv)
		return 0, nil
	})
	outer := WrapWith(tr, inner)
	foreign := WrapWith(other, inner)
	for range 3 {
		_, err := outer(context.Background(), 0)
		require.NoError(t, err)
	}
	_, err := foreign(context.Background(), 0)
	require.NoError(t, err)
	require.Len(t, seen, 4)
	assert.Equal(t, []uint64{1, 2, 3, 4}, []uint64{seen[0].Seq, seen[1].Seq, seen[2].Seq, seen[3].Seq})
	assert.Equal(t, uint64(4), tr.Stats().Invocations, "three through outer, one through inner alone")
	assert.Equal(t, uint64(1), other.Stats().Invocations)
}
