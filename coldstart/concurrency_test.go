package coldstart

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentObserve runs many handler goroutines in one process, as
// Lambda Managed Instances do: every seq is used once, exactly one
// invocation is first, no duration is negative. Run under -race.
func TestConcurrentObserve(t *testing.T) {
	t.Parallel()
	const goroutines, each = 32, 200
	tr := New(WithRoot(t.TempDir()), WithEnv(envOf(map[string]string{"AWS_LAMBDA_INITIALIZATION_TYPE": "lambda-managed-instances"})))
	boom := errors.New("boom")
	wrapped := WrapWith(tr, func(ctx context.Context, i int) (Invocation, error) {
		inv, ok := FromContext(ctx)
		if !ok {
			return inv, errors.New("no facts in context")
		}
		if i%10 == 0 {
			return inv, boom
		}
		return inv, nil
	})

	results := make([][]Invocation, goroutines)
	var start, wg sync.WaitGroup
	start.Add(1)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start.Wait()
			local := make([]Invocation, 0, each)
			for i := range each {
				if g%2 == 0 {
					local = append(local, tr.Observe())
					continue
				}
				inv, err := wrapped(context.Background(), i)
				if err != nil && !errors.Is(err, boom) {
					t.Error(err)
				}
				local = append(local, inv)
				if i%50 == 0 {
					tr.InitDone() // ignored once invocations started; must not race
					_ = tr.Stats()
				}
			}
			results[g] = local
		}()
	}
	start.Done()
	wg.Wait()

	seen := map[uint64]bool{}
	firsts := 0
	for _, local := range results {
		for _, inv := range local {
			require.False(t, seen[inv.Seq], "seq %d twice", inv.Seq)
			seen[inv.Seq] = true
			if inv.First {
				firsts++
				assert.Equal(t, ReasonManagedInstances, inv.Reason)
			} else {
				assert.Equal(t, ReasonWarm, inv.Reason)
			}
			assert.False(t, inv.Cold)
			assert.False(t, inv.Clamped, "a monotonic clock never steps back")
			for _, v := range []float64{inv.SinceInitMs, inv.SincePreviousMs, inv.SinceProcessStartMs, inv.SandboxAgeMs} {
				assert.GreaterOrEqual(t, v, 0.0)
			}
		}
	}
	const total = goroutines * each
	s := tr.Stats()
	assert.Equal(t, uint64(total), s.Invocations)
	assert.Equal(t, uint64(total/2), s.Timed)
	assert.Equal(t, uint64(total/2/10), s.Errors)
	assert.Zero(t, s.Cold)
	assert.Equal(t, ReasonManagedInstances, s.FirstReason)
	assert.Zero(t, tr.inflight.Load())
	assert.GreaterOrEqual(t, s.IdleMs, 0.0)
	assert.GreaterOrEqual(t, s.BusyMs, 0.0)
	assert.Equal(t, 1, firsts)
	assert.Len(t, seen, total)
	for seq := range seen {
		assert.True(t, seq >= 1 && seq <= total, "seq %d", seq)
	}
}

// TestConcurrentFirst: many goroutines race for the very first invocation.
func TestConcurrentFirst(t *testing.T) {
	t.Parallel()
	for range 20 {
		tr := New(WithRoot(t.TempDir()), WithEnv(envOf(nil)))
		const n = 16
		invs := make([]Invocation, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() { defer wg.Done(); invs[i] = tr.Observe() }()
		}
		wg.Wait()
		firsts, colds := 0, 0
		seqs := map[uint64]bool{}
		for _, inv := range invs {
			seqs[inv.Seq] = true
			if inv.First {
				firsts++
			}
			if inv.Cold {
				colds++
			}
		}
		assert.Equal(t, 1, firsts)
		assert.Equal(t, 1, colds, "on-demand, prompt: the first is cold")
		assert.Len(t, seqs, n)
		assert.Equal(t, uint64(n), tr.Stats().Invocations)
	}
}

// TestIdleNeverNegativeUnderConcurrency: overlapping Wrap'd invocations on a
// real clock keep busy and idle time consistent with the wall time.
func TestIdleNeverNegativeUnderConcurrency(t *testing.T) {
	t.Parallel()
	tr := New(WithRoot(t.TempDir()), WithEnv(envOf(nil)))
	h := WrapWith(tr, func(ctx context.Context, d time.Duration) (int, error) {
		time.Sleep(d)
		return 0, nil
	})
	began := time.Now()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = h(context.Background(), time.Duration(i%3)*time.Millisecond) }()
	}
	wg.Wait()
	s := tr.Stats()
	elapsed := float64(time.Since(began)) / 1e6
	assert.GreaterOrEqual(t, s.IdleMs, 0.0)
	assert.LessOrEqual(t, s.IdleMs, elapsed+1, "idle cannot exceed the time since init")
}

// TestStampConcurrentNewer pins stamp's rare path on the default clock: an
// invocation whose Swap finds a newer instant (a concurrent invocation read
// the clock later but recorded first) reports a gap of 0, unclamped, and
// puts the newer instant back so that the next gap is measured from it.
func TestStampConcurrentNewer(t *testing.T) {
	t.Parallel()
	tr := New(WithRoot(t.TempDir()), WithEnv(envOf(nil)))
	tr.Observe()
	future := tr.now() + int64(time.Hour)
	tr.last.Store(future) // as if a concurrent invocation had stamped later
	inv := tr.Observe()
	assert.Zero(t, inv.SincePreviousMs)
	assert.False(t, inv.Clamped, "a monotonic clock did not step back")
	assert.Equal(t, future, tr.last.Load(), "the newer instant is kept")

	tr.last.Store(tr.now() - int64(time.Millisecond))
	inv = tr.Observe()
	assert.GreaterOrEqual(t, inv.SincePreviousMs, 1.0, "a normal gap")
	assert.Less(t, inv.SincePreviousMs, 60_000.0)
}

// TestAtMatchesAdd: at builds the same time.Time as Add on the epoch
// (its cheaper construction must not change a value or its location).
func TestAtMatchesAdd(t *testing.T) {
	t.Parallel()
	for _, loc := range []*time.Location{time.UTC, time.Local, time.FixedZone("x", -7*3600)} {
		epoch := time.Date(2026, 11, 25, 18, 0, 0, 999_999_999, loc)
		tr := New(WithRoot(t.TempDir()), WithEnv(envOf(nil)), WithClock(func() time.Time { return epoch }))
		for _, ns := range []int64{0, 1, 999_999_999, 1_000_000_000, -1, -1_000_000_001, int64(72 * time.Hour), -int64(400 * 24 * time.Hour)} {
			want := tr.epochWall.Add(time.Duration(ns))
			got := tr.at(ns)
			assert.Equal(t, want, got, "%s %d", loc, ns)
			assert.Equal(t, ns, tr.sinceEpoch(got))
		}
	}
}
