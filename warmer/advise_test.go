package warmer

import (
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/jsontest"
)

// timesFromGaps turns idle times into invocation timestamps.
func timesFromGaps(gaps ...time.Duration) []time.Time {
	t := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	out := []time.Time{t}
	for _, g := range gaps {
		t = t.Add(g)
		out = append(out, t)
	}
	return out
}

func repeat(n int, d time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func TestAdvise(t *testing.T) {
	t.Parallel()
	m := time.Minute
	flat := make([]time.Duration, 0, 200)
	for i := 1; i <= 200; i++ {
		flat = append(flat, time.Duration(i)*m)
	}
	mixed := append(repeat(95, m), repeat(5, 60*m)...)
	tests := []struct {
		name      string
		gaps      []time.Duration
		cfg       AdviceConfig
		policy    string
		worth     bool
		interval  time.Duration
		preWarm   time.Duration
		keepAlive time.Duration
		without   float64
		with      float64
		pings     float64
	}{
		{
			// bins[30] = 47: head and tail are bin 30 → pre-warm 30m×0.9,
			// keep alive 31m×1.1; one ping at 27m covers every 30m gap.
			name: "periodic every 30 minutes", gaps: repeat(47, 30*m),
			policy: PolicyHistogram, worth: true, interval: 4 * m,
			preWarm: 27 * m, keepAlive: 34*m + 6*time.Second,
			without: 1, with: 0, pings: 1,
		},
		{
			// every gap is within Lambda's own 5-minute keep-alive
			name: "busy: every 2 minutes", gaps: repeat(30, 2*m),
			policy: PolicyHistogram, worth: false, without: 0, with: 0,
		},
		{
			// one gap in each bin 1…200: CV ≈ 0.45 < 2 → fixed 4 h window;
			// gaps of 6…200 min are cold without pings (195 of 200); a gap
			// of g min sees ceil((g−4)/4) pings: Σ over 1…196 of ceil(j/4)
			// = 4·(1+…+49) = 4900, per 200 gaps
			name: "flat histogram falls back to the fixed policy", gaps: flat,
			policy: PolicyFixed, worth: true, interval: 4 * m,
			preWarm: 0, keepAlive: 4 * time.Hour,
			without: 195.0 / 200, with: 0, pings: 24.5,
		},
		{
			// 95 gaps of 1 min, 5 of 60 min: head bin 1 → 0.9 min; tail
			// bin 60 → 61m×1.1; pings from 4m to 64m; each 60m gap sees
			// pings at 4, 8, …, 56 (14), the 1m gaps none: 70/100
			name: "mostly busy with hourly pauses", gaps: mixed,
			policy: PolicyHistogram, worth: true, interval: 4 * m,
			preWarm: 54 * time.Second, keepAlive: 67*m + 6*time.Second,
			without: 0.05, with: 0, pings: 0.7,
		},
		{
			name: "most gaps beyond 4 hours", gaps: append(repeat(20, 6*time.Hour), repeat(5, 10*m)...),
			policy: PolicyOutOfBounds, worth: false, without: 1,
		},
		{
			name: "a gap of exactly 4 hours is out of bounds", gaps: append(repeat(10, 4*time.Hour), repeat(9, 10*m)...),
			policy: PolicyOutOfBounds, worth: false, without: 1,
		},
		{
			name: "too few idle times", gaps: repeat(4, 30*m),
			policy: PolicyTooFew, worth: false,
		},
		{
			name: "MinIdleTimes lowered", gaps: repeat(4, 30*m), cfg: AdviceConfig{MinIdleTimes: 3},
			policy: PolicyHistogram, worth: true, interval: 4 * m,
			preWarm: 27 * m, keepAlive: 34*m + 6*time.Second, without: 1, with: 0, pings: 1,
		},
		{
			name: "a longer platform keep-alive covers 10-minute gaps", gaps: repeat(20, 10*m), cfg: AdviceConfig{PlatformKeepAlive: 15 * m},
			policy: PolicyHistogram, worth: false, without: 0,
		},
		{
			// pre-warm 27m is after the 5m keep-alive: the sandbox dies and
			// the ping at 27m brings it back before the 30m invocation
			name: "interval clamped below the keep-alive", gaps: repeat(20, 30*m), cfg: AdviceConfig{Interval: 10 * m},
			policy: PolicyHistogram, worth: true, interval: 4 * m,
			preWarm: 27 * m, keepAlive: 34*m + 6*time.Second, without: 1, with: 0, pings: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			times := timesFromGaps(tt.gaps...)
			rand.New(rand.NewPCG(1, 2)).Shuffle(len(times), func(i, j int) { times[i], times[j] = times[j], times[i] })
			a := Advise(times, tt.cfg)
			assert.Equal(t, tt.policy, a.Policy, a.Reason)
			assert.Equal(t, tt.worth, a.Worth, a.Reason)
			assert.Equal(t, len(tt.gaps), a.IdleTimes)
			assert.Equal(t, tt.interval, a.Interval)
			assert.Equal(t, tt.preWarm, a.PreWarm)
			assert.Equal(t, tt.keepAlive, a.KeepAlive)
			assert.InDelta(t, tt.without, a.ColdShareWithout, 1e-9)
			assert.InDelta(t, tt.with, a.ColdShareWith, 1e-9)
			assert.InDelta(t, tt.pings, a.PingsPerIdleTime, 1e-9)
			assert.NotEmpty(t, a.Reason)
			// Regression: the histogram sentence's "−10%" reached Sprintf
			// as a format and printed %!t(MISSING) and %!(NOVERB).
			assert.NotContains(t, a.Reason, "%!", a.Reason)
			assert.NotContains(t, a.Reason, "MISSING", a.Reason)
		})
	}
}

func TestAdviceJSON(t *testing.T) {
	t.Parallel()
	a := Advise(timesFromGaps(repeat(47, 30*time.Minute)...), AdviceConfig{})
	require.True(t, a.Worth, a.Reason)
	b, err := json.Marshal(a)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.InDelta(t, 240.0, m["interval_s"], 1e-9)
	assert.InDelta(t, 27*60.0, m["pre_warm_s"], 1e-9)
	assert.InDelta(t, 34*60+6.0, m["keep_alive_s"], 1e-9)
	for _, k := range []string{"interval", "pre_warm", "keep_alive", "Interval", "PreWarm", "KeepAlive"} {
		assert.NotContains(t, m, k, "durations are _s numbers, never nanoseconds")
	}
	assert.Equal(t, a.Reason, m["reason"])

	var back Advice
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, a, back)
}

func TestPlanJSON(t *testing.T) {
	t.Parallel()
	p := Plan{Targets: []Target{{Function: "f", Concurrency: 2}}, Timeout: 1500 * time.Millisecond, Every: 4 * time.Minute, Jitter: 24 * time.Second}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"targets":[{"function":"f","concurrency":2}],"timeout_s":1.5,"every_s":240,"jitter_s":24}`, string(b))
	var back Plan
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, p, back)

	tests := []struct {
		name string
		in   string
	}{
		{"negative", `{"every_s":-1}`},
		{"beyond a Duration", `{"timeout_s":1e300}`},
		{"not a number", `{"jitter_s":"4m"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got Plan
			assert.Error(t, json.Unmarshal([]byte(tt.in), &got))
		})
	}
}

func TestAdviseCV(t *testing.T) {
	t.Parallel()
	// 47 idle times in one bin of 240: mean 47/240, sample standard
	// deviation sqrt(((47−m)² + 239·m²)/239).
	a := Advise(timesFromGaps(repeat(47, 30*time.Minute)...), AdviceConfig{})
	assert.InDelta(t, 15.49, a.CV, 0.01)
	assert.Equal(t, 0.0, binCV(make([]int, 240), 0))
}

func TestAdviseAlwaysOnPings(t *testing.T) {
	t.Parallel()
	// A 30-minute gap under rate(4 minutes): pings at 4, 8, …, 28 → 7.
	a := Advise(timesFromGaps(repeat(12, 30*time.Minute)...), AdviceConfig{})
	assert.InDelta(t, 7.0, a.AlwaysOnPingsPerIdleTime, 1e-9)
}

func TestAdviseEmptyAndNil(t *testing.T) {
	t.Parallel()
	for _, in := range [][]time.Time{nil, {}, {time.Now()}} {
		a := Advise(in, AdviceConfig{})
		assert.Equal(t, PolicyTooFew, a.Policy)
		assert.False(t, a.Worth)
		assert.Zero(t, a.Interval)
	}
}

// FuzzAdvise: Advise never panics and its answer is consistent: shares in
// [0, 1], pings never add cold starts, an interval exactly when worth it,
// inside the platform's keep-alive, and a window that does not run
// backwards.
func FuzzAdvise(f *testing.F) {
	f.Add([]byte{0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0, 30}, int64(0), int64(0))
	f.Add([]byte{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 60, 0, 1, 0, 1}, int64(15*time.Minute), int64(time.Minute))
	f.Add([]byte{1, 104, 1, 104, 0, 5, 1, 104, 1, 104, 1, 104, 1, 104, 1, 104, 1, 104, 1, 104, 0, 2}, int64(-1), int64(-5))
	f.Fuzz(func(t *testing.T, b []byte, keep, interval int64) {
		var gaps []time.Duration
		for i := 0; i+1 < len(b); i += 2 {
			gaps = append(gaps, time.Duration(binary.BigEndian.Uint16(b[i:]))*time.Minute+time.Duration(b[i]%60)*time.Second)
		}
		cfg := AdviceConfig{PlatformKeepAlive: time.Duration(keep), Interval: time.Duration(interval)}
		a := Advise(timesFromGaps(gaps...), cfg)
		require.NotEmpty(t, a.Policy)
		require.NotEmpty(t, a.Reason)
		assert.Equal(t, len(gaps), a.IdleTimes)
		assert.LessOrEqual(t, a.OutOfBounds, a.IdleTimes)
		for _, s := range []float64{a.ColdShareWithout, a.ColdShareWith, a.OutOfBoundsShare} {
			assert.True(t, s >= 0 && s <= 1, "share %v", s)
		}
		assert.LessOrEqual(t, a.ColdShareWith, a.ColdShareWithout, "pings never add cold starts")
		assert.GreaterOrEqual(t, a.PingsPerIdleTime, 0.0)
		assert.LessOrEqual(t, a.PreWarm, a.KeepAlive)
		// warm-plan --json prints the advice: it marshals, reads back and
		// marshals to the same bytes.
		jsontest.RoundTrip(t, a)
		if a.Worth {
			assert.Less(t, a.ColdShareWith, a.ColdShareWithout)
			assert.GreaterOrEqual(t, a.Interval, time.Minute)
			assert.Zero(t, a.Interval%time.Minute, "EventBridge rates are whole minutes")
			effKeep := max(time.Duration(keep), 2*time.Minute)
			if keep == 0 {
				effKeep = 5 * time.Minute
			}
			assert.Less(t, a.Interval, effKeep)
			assert.Contains(t, []string{PolicyHistogram, PolicyFixed}, a.Policy)
		} else {
			assert.Zero(t, a.Interval)
			assert.Zero(t, a.PingsPerIdleTime)
		}
	})
}
