package warmer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
)

func TestWrapPassesNonPingsThroughByteForByte(t *testing.T) {
	t.Parallel()
	payloads := map[string][]byte{
		"API Gateway event": readFixture(t, "apigw-http-v2.json"),
		"100 KiB batch":     event100KB(t),
		"warmer false":      []byte(`{"warmer":false}`),
		"wrapped ping":      []byte(`{"body":"{\"warmer\":true}"}`),
		"not JSON":          []byte("\x00\xffwarmer\""),
		"empty":             {},
	}
	for name, payload := range payloads {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := bytes.Clone(payload)
			user := &recorder{reply: []byte(`{"user":"answer"}`), err: nil}
			h := Wrap(user, WithTracker(quietTracker(t)), WithSandbox(sb("sb")))
			out, err := h.Invoke(lambdaCtx("", nil), payload)
			require.NoError(t, err)
			assert.Equal(t, `{"user":"answer"}`, string(out), "the user's answer comes back unchanged")
			require.Equal(t, 1, user.count())
			got := user.calls[0]
			assert.Equal(t, want, got, "the payload reaches the handler unchanged")
			assert.Equal(t, want, payload, "the caller's payload is not modified")
			if len(payload) > 0 {
				assert.Equal(t, unsafe.SliceData(payload), unsafe.SliceData(got), "the same slice, not a copy")
			}
		})
	}
}

func TestWrapPassesUserErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("user failure")
	h := Wrap(&recorder{err: boom}, WithTracker(quietTracker(t)))
	_, err := h.Invoke(context.Background(), []byte(`{}`))
	assert.ErrorIs(t, err, boom)
}

func TestWrapAnswersPingsWithoutTheHandler(t *testing.T) {
	t.Parallel()
	pings := map[string]struct {
		payload string
		custom  map[string]string
		format  string
	}{
		"ours":                       {payload: string(concurrentPing(1, 1, "id1")), format: FormatFaasprobe},
		"lambda-warmer":              {payload: `{"warmer":true}`, format: FormatLambdaWarmer},
		"plugin payload":             {payload: `{"source":"serverless-plugin-warmup"}`, format: FormatPluginWarmup},
		"plugin client context":      {payload: `{"anything":1}`, custom: map[string]string{"source": "serverless-plugin-warmup"}, format: FormatPluginWarmup},
		"EventBridge scheduled rule": {payload: string(readFixture(t, "eventbridge-scheduled.json")), format: FormatScheduledEvent},
	}
	for name, tt := range pings {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			user := &recorder{}
			h := Wrap(user, WithTracker(quietTracker(t)), WithSandbox(sb("sb-7")))
			out, err := h.Invoke(lambdaCtx("", tt.custom), []byte(tt.payload))
			require.NoError(t, err)
			assert.Zero(t, user.count(), "the handler is never called for a ping")
			r := decodeReply(t, out)
			assert.True(t, r.Warmer)
			assert.Equal(t, "sb-7", r.SandboxID)
			assert.Equal(t, "sandbox", r.SandboxIDScope)
			assert.Equal(t, tt.format, r.Format)
			assert.Equal(t, 1, r.Concurrency)
			assert.Zero(t, r.HeldMs, "a single ping is not held")
			assert.True(t, r.First)
			assert.Equal(t, uint64(1), r.Seq)
			assert.Equal(t, uint64(1), r.Pings)
			assert.Zero(t, r.UserInvocations)
		})
	}
}

// A typed handler (lambda.NewHandler) would fail to decode a ping into its
// event type; wrapped, it never sees one.
func TestWrapProtectsTypedHandlers(t *testing.T) {
	t.Parallel()
	type order struct {
		ID int `json:"id"`
	}
	var calls atomic.Int32
	typed := lambda.NewHandler(func(_ context.Context, o order) (string, error) {
		calls.Add(1)
		if o.ID == 0 {
			return "", errors.New("no order id")
		}
		return "ok", nil
	})
	h := Wrap(typed, WithTracker(quietTracker(t)), WithSandbox(sb("sb")))
	_, err := h.Invoke(context.Background(), []byte(`{"warmer":true,"concurrency":1}`))
	require.NoError(t, err)
	out, err := h.Invoke(context.Background(), []byte(`{"id":7}`))
	require.NoError(t, err)
	assert.Equal(t, `"ok"`, string(out))
	assert.Equal(t, int32(1), calls.Load())
}

// One tracker counts pings and user invocations alike, once each, whether
// it is named with WithTracker or found as the latest coldstart wrapper's
// (the user forgot WithTracker): the ping that met the fresh sandbox is its
// only first invocation, so no user request is first or cold after it, and
// no EMF ColdStart record is written for a user request.
func TestWrapOneTrackerOneFirstInvocation(t *testing.T) {
	for _, named := range []bool{true, false} {
		name := map[bool]string{true: "WithTracker", false: "latest coldstart wrapper"}[named]
		t.Run(name, func(t *testing.T) {
			// Not parallel: "latest wrapper" is process-wide.
			var emf strings.Builder
			userTracker := coldstart.New(coldstart.WithRoot(t.TempDir()), coldstart.WithEMF(&emf))
			type answer struct {
				Seq    uint64 `json:"seq"`
				First  bool   `json:"first"`
				Cold   bool   `json:"cold"`
				Reason string `json:"reason"`
			}
			user := coldstart.WrapWith(userTracker, func(ctx context.Context, _ json.RawMessage) (answer, error) {
				inv, ok := coldstart.FromContext(ctx)
				if !ok {
					return answer{}, errors.New("no invocation in context")
				}
				return answer{Seq: inv.Seq, First: inv.First, Cold: inv.Cold, Reason: string(inv.Reason)}, nil
			})
			opts := []Option{WithSandbox(sb("sb"))}
			if named {
				opts = append(opts, WithTracker(userTracker))
			}
			h := Wrap(user, opts...) // a typed handler: Wrap makes it a lambda.Handler
			ping := func() Reply {
				out, err := h.Invoke(context.Background(), []byte(`{"warmer":true}`))
				require.NoError(t, err)
				return decodeReply(t, out)
			}
			event := func() answer {
				out, err := h.Invoke(context.Background(), []byte(`{"order":1}`))
				require.NoError(t, err)
				var a answer
				require.NoError(t, json.Unmarshal(out, &a), "%s", out)
				return a
			}

			r := ping()
			assert.True(t, r.First, "the ping was the sandbox's first invocation")
			assert.True(t, r.Cold, "and paid its cold start")
			assert.Equal(t, uint64(1), r.Seq)
			r = ping()
			assert.False(t, r.First)
			assert.Equal(t, uint64(2), r.Seq)
			assert.Equal(t, uint64(2), r.Pings)
			assert.Zero(t, r.UserInvocations)
			emfAfterPing := emf.String()

			assert.Equal(t, answer{Seq: 3, Reason: "warm"}, event(),
				"the user's first request is neither first nor cold: the first ping paid the init")
			r = ping()
			assert.Equal(t, uint64(4), r.Seq, "one count per invocation")
			assert.Equal(t, uint64(3), r.Pings)
			assert.Equal(t, uint64(1), r.UserInvocations)
			assert.Equal(t, answer{Seq: 5, Reason: "warm"}, event())

			st := userTracker.Stats()
			assert.Equal(t, uint64(5), st.Invocations)
			assert.Equal(t, uint64(1), st.Cold, "one cold start in the sandbox: the ping's")
			assert.Equal(t, emfAfterPing, emf.String(), "no ColdStart record for a user request")
		})
	}
}

// A ping that is its sandbox's first invocation reports the cold start it
// paid, judged by coldstart's rules on Wrap's tracker.
func TestWrapReportsTheColdStartThePingPaid(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		after    time.Duration // from init end to the first ping
		initType string
		cold     bool
		reason   coldstart.Reason
	}{
		{name: "on demand", after: 300 * time.Millisecond, cold: true, reason: coldstart.ReasonOnDemand},
		{name: "proactive init", after: 30 * time.Second, cold: false, reason: coldstart.ReasonProactiveInit},
		{name: "provisioned concurrency", after: 100 * time.Millisecond, initType: "provisioned-concurrency", cold: false, reason: coldstart.ReasonProvisioned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			now := t0
			clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			env := func(k string) (string, bool) {
				if k == "AWS_LAMBDA_INITIALIZATION_TYPE" && tt.initType != "" {
					return tt.initType, true
				}
				return "", false
			}
			tr := coldstart.New(coldstart.WithRoot(t.TempDir()), coldstart.WithEnv(env), coldstart.WithClock(clock), coldstart.WithInitDone(t0))
			h := Wrap(&recorder{}, WithTracker(tr), WithSandbox(sb("sb")))
			mu.Lock()
			now = t0.Add(tt.after)
			mu.Unlock()
			out, err := h.Invoke(context.Background(), []byte(`{"warmer":true}`))
			require.NoError(t, err)
			r := decodeReply(t, out)
			assert.True(t, r.First)
			assert.Equal(t, tt.cold, r.Cold)
			assert.Equal(t, tt.reason, r.Reason)
			assert.InDelta(t, float64(tt.after.Milliseconds()), r.SinceInitMs, 0.001)

			out, err = h.Invoke(context.Background(), []byte(`{"warmer":true}`))
			require.NoError(t, err)
			r = decodeReply(t, out)
			assert.False(t, r.First)
			assert.False(t, r.Cold, "only the first invocation can be cold")
		})
	}
}

func TestWrapHoldsConcurrentPings(t *testing.T) {
	t.Parallel()
	const hold = 40 * time.Millisecond
	h := Wrap(&recorder{}, WithTracker(quietTracker(t)), WithSandbox(sb("sb")), WithHold(hold))

	start := time.Now()
	out, err := h.Invoke(context.Background(), concurrentPing(2, 3, "x"))
	require.NoError(t, err)
	r := decodeReply(t, out)
	assert.GreaterOrEqual(t, time.Since(start), hold)
	assert.GreaterOrEqual(t, r.HeldMs, float64(hold.Milliseconds()))
	assert.Equal(t, 3, r.Concurrency)

	// The hold ends with the invocation's context.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	long := Wrap(&recorder{}, WithTracker(quietTracker(t)), WithSandbox(sb("sb")), WithHold(5*time.Second))
	start = time.Now()
	_, err = long.Invoke(ctx, concurrentPing(2, 2, "x"))
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestWrapOptionsClamp(t *testing.T) {
	t.Parallel()
	assert.Equal(t, DefaultHold, newConfig(nil).hold)
	assert.Equal(t, DefaultMaxConcurrency, newConfig(nil).max)
	assert.Equal(t, time.Duration(0), newConfig([]Option{WithHold(-time.Second)}).hold)
	assert.Equal(t, maxHold, newConfig([]Option{WithHold(time.Hour)}).hold)
	assert.Equal(t, 1, newConfig([]Option{WithMaxConcurrency(0)}).max)
	assert.Equal(t, maxConcurrencyLimit, newConfig([]Option{WithMaxConcurrency(1 << 30)}).max)
	assert.NotPanics(t, func() { newConfig([]Option{nil}) })
}

// countingInvoker counts fan-out invocations and answers as a sandbox
// would, recording the payloads it was sent.
type countingInvoker struct {
	mu       sync.Mutex
	payloads [][]byte
	fns      []string
	fail     bool
}

func (c *countingInvoker) Invoke(_ context.Context, req Request) ([]byte, error) {
	c.mu.Lock()
	c.payloads = append(c.payloads, req.Payload)
	c.fns = append(c.fns, req.Function)
	n := len(c.payloads)
	c.mu.Unlock()
	if c.fail {
		return nil, errors.New("throttled")
	}
	return json.Marshal(Reply{Warmer: true, SandboxID: "fanned-" + string(rune('a'+n%26)), Cold: n%2 == 0})
}

// The cap holds against a forged concurrency: one forged ping costs at most
// the cap's worth of invocations, and fanned pings never fan out again.
func TestWrapCapsForgedConcurrency(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:api:live"
	forged := []byte(`{"warmer":true,"concurrency":10000}`)
	tests := []struct {
		name    string
		opts    []Option
		fanned  int
		concur  int
		fanOut  bool
		payload []byte
	}{
		{name: "default cap", fanOut: true, fanned: DefaultMaxConcurrency - 1, concur: DefaultMaxConcurrency, payload: forged},
		{name: "cap 3", opts: []Option{WithMaxConcurrency(3)}, fanOut: true, fanned: 2, concur: 3, payload: forged},
		{name: "cap 1: no fan-out at all", opts: []Option{WithMaxConcurrency(1)}, fanOut: true, fanned: 0, concur: 1, payload: forged},
		{name: "without WithFanOut nothing is invoked", fanOut: false, fanned: 0, concur: DefaultMaxConcurrency, payload: forged},
		{name: "numeric string", fanOut: true, fanned: DefaultMaxConcurrency - 1, concur: DefaultMaxConcurrency, payload: []byte(`{"warmer":true,"concurrency":"10000"}`)},
		{name: "fanned shape never fans out", fanOut: true, fanned: 0, concur: DefaultMaxConcurrency, payload: []byte(`{"warmer":true,"__WARMER_INVOCATION__":2,"__WARMER_CONCURRENCY__":10000}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &countingInvoker{}
			opts := append([]Option{WithTracker(quietTracker(t)), WithSandbox(sb("first")), WithHold(time.Millisecond)}, tt.opts...)
			if tt.fanOut {
				opts = append(opts, WithFanOut(inv))
			}
			h := Wrap(&recorder{}, opts...)
			out, err := h.Invoke(lambdaCtx(arn, nil), tt.payload)
			require.NoError(t, err)
			r := decodeReply(t, out)
			assert.Equal(t, 10000, r.Requested)
			assert.Equal(t, tt.concur, r.Concurrency)
			assert.Equal(t, tt.concur < 10000, r.Capped)
			assert.Len(t, inv.payloads, tt.fanned, "invocations caused by one forged ping")
			assert.Len(t, r.FanOut, tt.fanned)

			// Every fanned ping, delivered to a wrapped handler, fans out no further.
			second := &countingInvoker{}
			target := Wrap(&recorder{}, WithTracker(quietTracker(t)), WithSandbox(sb("second")), WithHold(time.Millisecond), WithFanOut(second))
			for i, p := range inv.payloads {
				assert.Equal(t, arn, inv.fns[i], "fan-out goes to the invoked ARN, alias included")
				out, err := target.Invoke(lambdaCtx(arn, nil), p)
				require.NoError(t, err)
				fr := decodeReply(t, out)
				assert.Equal(t, tt.concur, fr.Requested, "fanned pings carry the capped N")
				assert.Empty(t, fr.FanOut)
			}
			assert.Empty(t, second.payloads)
		})
	}
}

func TestWrapFanOutResults(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:api"
	t.Run("replies are collected", func(t *testing.T) {
		t.Parallel()
		inv := &countingInvoker{}
		h := Wrap(&recorder{}, WithTracker(quietTracker(t)), WithSandbox(sb("first")), WithHold(time.Millisecond), WithFanOut(inv))
		out, err := h.Invoke(lambdaCtx(arn, nil), []byte(`{"warmer":true,"concurrency":3,"__WARMER_CORRELATIONID__":"corr"}`))
		require.NoError(t, err)
		r := decodeReply(t, out)
		require.Len(t, r.FanOut, 2)
		for _, f := range r.FanOut {
			assert.NotEmpty(t, f.SandboxID)
			assert.Empty(t, f.Error)
		}
		assert.Equal(t, "corr", r.CorrelationID)
		for _, p := range inv.payloads {
			assert.Contains(t, string(p), `"__WARMER_CORRELATIONID__":"corr"`)
		}
	})
	t.Run("errors are reported", func(t *testing.T) {
		t.Parallel()
		h := Wrap(&recorder{}, WithTracker(quietTracker(t)), WithSandbox(sb("first")), WithHold(time.Millisecond), WithFanOut(&countingInvoker{fail: true}))
		out, err := h.Invoke(lambdaCtx(arn, nil), []byte(`{"warmer":true,"concurrency":3}`))
		require.NoError(t, err)
		r := decodeReply(t, out)
		require.Len(t, r.FanOut, 2)
		assert.Contains(t, r.FanOut[0].Error, "throttled")
	})
	t.Run("no ARN in the context", func(t *testing.T) {
		t.Parallel()
		inv := &countingInvoker{}
		h := Wrap(&recorder{}, WithTracker(quietTracker(t)), WithSandbox(sb("first")), WithHold(time.Millisecond), WithFanOut(inv))
		out, err := h.Invoke(context.Background(), []byte(`{"warmer":true,"concurrency":3}`))
		require.NoError(t, err)
		r := decodeReply(t, out)
		assert.Empty(t, inv.payloads)
		assert.Contains(t, r.FanOutError, "no invoked function ARN")
	})
	t.Run("too close to the deadline", func(t *testing.T) {
		t.Parallel()
		inv := &countingInvoker{}
		h := Wrap(&recorder{}, WithTracker(quietTracker(t)), WithSandbox(sb("first")), WithHold(time.Millisecond), WithFanOut(inv))
		ctx, cancel := context.WithTimeout(lambdaCtx(arn, nil), fanOutMargin/2)
		defer cancel()
		out, err := h.Invoke(ctx, []byte(`{"warmer":true,"concurrency":3}`))
		require.NoError(t, err)
		assert.Empty(t, inv.payloads)
		assert.Contains(t, decodeReply(t, out).FanOutError, "deadline")
	})
}

func TestWrapNilHandler(t *testing.T) {
	t.Parallel()
	h := Wrap(nil, WithTracker(quietTracker(t)), WithSandbox(sb("sb")))
	_, err := h.Invoke(context.Background(), []byte(`{"order":1}`))
	assert.ErrorIs(t, err, errNilHandler)
	out, err := h.Invoke(context.Background(), []byte(`{"warmer":true}`))
	require.NoError(t, err)
	assert.True(t, decodeReply(t, out).Warmer, "pings are still answered")
}

func TestWrapDetectsTheSandboxID(t *testing.T) {
	t.Parallel()
	h := Wrap(&recorder{}, WithTracker(quietTracker(t)))
	var ids []string
	for range 2 {
		out, err := h.Invoke(context.Background(), []byte(`{"warmer":true}`))
		require.NoError(t, err)
		r := decodeReply(t, out)
		assert.NotEmpty(t, r.SandboxID)
		assert.Contains(t, []string{"sandbox", "process"}, r.SandboxIDScope)
		ids = append(ids, r.SandboxID)
	}
	assert.Equal(t, ids[0], ids[1], "one sandbox, one id")
}

func TestWrapLogsPings(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), nil))
	h := Wrap(&recorder{}, WithTracker(quietTracker(t)), WithSandbox(sb("sb-log")), WithLogger(logger))
	_, err := h.Invoke(context.Background(), []byte(`{"warmer":true}`))
	require.NoError(t, err)
	_, err = h.Invoke(context.Background(), []byte(`{"order":1}`))
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 1, "one line per ping, none for user invocations")
	var line struct {
		Msg        string `json:"msg"`
		SandboxID  string `json:"sandbox_id"`
		Invocation struct {
			First bool   `json:"first"`
			Seq   uint64 `json:"seq"`
		} `json:"invocation"`
		Ping struct {
			SandboxID string `json:"sandbox_id"`
			Format    string `json:"format"`
		} `json:"ping"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &line))
	assert.Equal(t, "faasprobe.invocation", line.Msg, "a ping's line is an invocation line with a ping object")
	assert.Equal(t, "sb-log", line.SandboxID)
	assert.Equal(t, "sb-log", line.Ping.SandboxID)
	assert.True(t, line.Invocation.First)
	assert.Equal(t, uint64(1), line.Invocation.Seq)
	assert.Equal(t, FormatLambdaWarmer, line.Ping.Format)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// FuzzWrap: Wrap never panics, never changes a payload it passes on, and
// answers every ping with a reply whose concurrency respects the cap.
func FuzzWrap(f *testing.F) {
	for _, s := range []string{
		`{"warmer":true,"concurrency":10000}`,
		`{"warmer":true,"__WARMER_INVOCATION__":2,"__WARMER_CONCURRENCY__":3}`,
		`{"source":"serverless-plugin-warmup","concurrency":"7"}`,
		`{"body":"{\"warmer\":true}"}`,
		`{"warmer":false}`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Add(readFixture(f, "apigw-http-v2.json"))
	f.Add(readFixture(f, "eventbridge-scheduled.json"))
	tracker := coldstart.New(coldstart.WithRoot(f.TempDir()))
	f.Fuzz(func(t *testing.T, payload []byte) {
		user := &recorder{reply: []byte("user")}
		fan := &countingInvoker{}
		h := Wrap(user, WithTracker(tracker), WithSandbox(sb("sb")), WithHold(0), WithMaxConcurrency(4), WithFanOut(fan))
		want := bytes.Clone(payload)
		out, err := h.Invoke(lambdaCtx("arn:aws:lambda:us-east-1:123456789012:function:f", nil), payload)
		require.NoError(t, err)
		assert.Equal(t, want, payload, "the caller's payload is untouched")
		if user.count() == 1 {
			assert.Equal(t, want, user.calls[0], "passed through byte for byte")
			assert.Equal(t, "user", string(out))
			assert.Empty(t, fan.payloads)
			return
		}
		require.Zero(t, user.count())
		r := decodeReply(t, out)
		assert.LessOrEqual(t, r.Concurrency, 4)
		assert.GreaterOrEqual(t, r.Concurrency, 1)
		assert.LessOrEqual(t, len(fan.payloads), 3, "fan-out bounded by the cap")
	})
}
