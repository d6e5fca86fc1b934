package faasprobe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
)

// scenario is a recorded tree of a Firecracker Lambda sandbox.
const scenario = "testdata/scenarios/lambda-firecracker-2022-x86"

// lines is a concurrency-safe buffer of JSON log lines.
type lines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// decoded returns every line as a map, in order.
func (l *lines) decoded(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		out = append(out, m)
	}
	return out
}

// newProbe returns a probe over the scenario tree on a tracker of its own,
// logging into the returned buffer.
func newProbe(t *testing.T, opts ...Option) (*Probe, *lines) {
	t.Helper()
	var out lines
	opts = append([]Option{WithRoot(scenario), WithLogger(newTestLogger(&out))}, opts...)
	return New(opts...), &out
}

func newTestLogger(w *lines) *slog.Logger { return slogLogger(w) }

type order struct {
	ID    int    `json:"id"`
	Note  string `json:"note"`
	Count any    `json:"count"`
}

func handle(_ context.Context, o order) (order, error) {
	if o.ID == 0 {
		return order{}, errors.New("no id")
	}
	o.Note += " <ok>"
	return o, nil
}

// aws-lambda-go's JSON options given to Start behave exactly as they do
// with lambda.StartWithOptions and no wrapper: the same bytes or the same
// error for every payload.
func TestHandlerKeepsLambdaCodecOptions(t *testing.T) {
	t.Parallel()
	payloads := []string{
		`{"id":1,"note":"a&b","count":12345678901234567890}`,
		`{"id":2,"unknown":true}`,
		`{"id":3,"count":1.5}`,
		`{"id":0}`,
		`not json`,
	}
	options := map[string][]lambda.Option{
		"none":                  nil,
		"DisallowUnknownFields": {lambda.WithDisallowUnknownFields(true)},
		"UseNumber":             {lambda.WithUseNumber(true)},
		"SetEscapeHTML":         {lambda.WithSetEscapeHTML(true)},
		"SetIndent":             {lambda.WithSetIndent(">", "  ")},
		"all, and a context":    {lambda.WithDisallowUnknownFields(true), lambda.WithUseNumber(true), lambda.WithSetEscapeHTML(true), lambda.WithContextValue("k", "v")},
	}
	for name, opts := range options {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, _ := newProbe(t, WithLogger(nil))
			wrapped := p.Handler(handle, opts...)
			bare := lambda.NewHandlerWithOptions(handle, opts...)
			for _, payload := range payloads {
				want, wantErr := bare.Invoke(context.Background(), []byte(payload))
				got, err := wrapped.Invoke(context.Background(), []byte(payload))
				assert.Equal(t, string(want), string(got), payload)
				if wantErr == nil {
					assert.NoError(t, err, payload)
				} else {
					assert.EqualError(t, err, wantErr.Error(), payload)
				}
			}
		})
	}
}

// loopOptions leaves out exactly the options that turn SIGTERM on
// (Handler applies them, once); the rest reach the runtime loop.
func TestLoopOptions(t *testing.T) {
	t.Parallel()
	sigterm := []lambda.Option{lambda.WithEnableSIGTERM(), lambda.WithEnableSIGTERM(func() {})}
	rest := []lambda.Option{
		lambda.WithDisallowUnknownFields(true), lambda.WithUseNumber(false),
		lambda.WithSetEscapeHTML(true), lambda.WithSetIndent("", "\t"),
		lambda.WithContext(context.Background()), lambda.WithContextValue(1, 2),
	}
	for _, o := range sigterm {
		assert.True(t, enablesSIGTERM(o))
	}
	for _, o := range rest {
		assert.False(t, enablesSIGTERM(o))
	}
	got := loopOptions(append(append([]lambda.Option{nil}, sigterm...), rest...))
	assert.Len(t, got, len(rest))
}

// One tracker, one first invocation: a ping that meets the fresh sandbox is
// its first invocation and pays its cold start; no user request after it
// is first or cold. Every invocation writes one invocation line.
func TestPingThenRequests(t *testing.T) {
	t.Parallel()
	p, out := newProbe(t)
	h := p.Handler(func(ctx context.Context, o order) (order, error) {
		inv, ok := coldstart.FromContext(ctx)
		require.True(t, ok)
		assert.False(t, inv.First)
		assert.False(t, inv.Cold)
		return handle(ctx, o)
	})
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
	_, err := h.Invoke(ctx, []byte(`{"warmer":true}`))
	require.NoError(t, err)
	for range 3 {
		_, err := h.Invoke(ctx, []byte(`{"id":7}`))
		require.NoError(t, err)
	}
	got := out.decoded(t)
	require.Len(t, got, 5, "startup, then one line per invocation")
	assert.Equal(t, "faasprobe.startup", got[0]["message"])
	cold := 0
	for i, line := range got[1:] {
		assert.Equal(t, "faasprobe.invocation", line["message"])
		assert.Equal(t, "req-1", line["requestId"])
		assert.Equal(t, p.Facts().Sandbox.ID, line["sandbox_id"])
		inv := line["invocation"].(map[string]any)
		assert.EqualValues(t, i+1, inv["seq"])
		if inv["cold"] == true {
			cold++
		}
		_, isPing := line["ping"]
		assert.Equal(t, i == 0, isPing, "only the first line is a ping's")
	}
	assert.Equal(t, 1, cold, "the ping's")
	assert.Equal(t, uint64(4), p.tracker.Stats().Invocations)
}

// TestWithoutPings: a ping payload reaches the handler as any other, and
// is counted and logged as a user invocation (cold, the first).
func TestWithoutPings(t *testing.T) {
	t.Parallel()
	p, out := newProbe(t, WithoutPings())
	var got []string
	h := p.Handler(func(ctx context.Context, payload json.RawMessage) (string, error) {
		inv, ok := coldstart.FromContext(ctx)
		require.True(t, ok)
		got = append(got, fmt.Sprintf("%s first=%v cold=%v", payload, inv.First, inv.Cold))
		return "handled", nil
	})
	for _, payload := range []string{`{"warmer":true}`, `{"source":"serverless-plugin-warmup"}`} {
		reply, err := h.Invoke(context.Background(), []byte(payload))
		require.NoError(t, err)
		assert.JSONEq(t, `"handled"`, string(reply))
	}
	assert.Equal(t, []string{`{"warmer":true} first=true cold=true`, `{"source":"serverless-plugin-warmup"} first=false cold=false`}, got)
	lines := out.decoded(t)
	require.Len(t, lines, 3)
	for _, l := range lines[1:] {
		assert.Equal(t, "faasprobe.invocation", l["message"])
		assert.NotContains(t, l, "ping")
	}
}

// A concurrency ping with no fan-out invoker says so in its reply and in
// one Warn line.
func TestConcurrencyPingWithoutInvokerSaysSo(t *testing.T) {
	t.Parallel()
	p, out := newProbe(t, WithWarmer())
	h := p.Handler(handle)
	reply, err := h.Invoke(context.Background(), []byte(`{"warmer":true,"concurrency":3}`))
	require.NoError(t, err)
	var r struct {
		FanOutError string `json:"fanout_error"`
	}
	require.NoError(t, json.Unmarshal(reply, &r))
	assert.Contains(t, r.FanOutError, "no fan-out invoker")
	got := out.decoded(t)
	require.Len(t, got, 2)
	assert.Equal(t, "WARN", got[1]["level"])
	assert.Contains(t, got[1]["ping"].(map[string]any)["fanout_error"], "no fan-out invoker")
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// A logger that fails to write never fails the invocation.
func TestFailingLoggerNeverFailsTheInvocation(t *testing.T) {
	t.Parallel()
	p := New(WithRoot(scenario), WithLogger(slogLogger(failingWriter{})))
	out, err := p.Handler(handle).Invoke(context.Background(), []byte(`{"id":1}`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":1,"note":" <ok>","count":null}`, string(out))
}

// Detect returns the facts of the tree with every problem once, and logs
// nothing.
func TestDetectScenario(t *testing.T) {
	t.Parallel()
	f, err := Detect(WithRoot(scenario), WithLogger(nil))
	assert.Equal(t, "aws", f.Platform.Provider)
	assert.Equal(t, "lambda", f.Platform.Service)
	assert.NotEmpty(t, f.Sandbox.ID)
	assert.NotNil(t, f.Problems)
	if len(f.Problems) == 0 {
		assert.NoError(t, err)
	} else {
		assert.Error(t, err)
	}
}

// WithEnv and WithRoot give the same facts in either order.
func TestOptionOrder(t *testing.T) {
	t.Parallel()
	env := func(k string) (string, bool) {
		if k == "AWS_LAMBDA_FUNCTION_NAME" {
			return "given", true
		}
		return "", false
	}
	a, _ := Detect(WithRoot(scenario), WithEnv(env))
	b, _ := Detect(WithEnv(env), WithRoot(scenario))
	assert.Equal(t, "given", a.Platform.FunctionName)
	a.Sandbox.ID, b.Sandbox.ID = "", "" // a random id where the env gives none
	assert.Equal(t, a, b)
}

// The environment switches: unset, empty or 0 is off; 1 or true is on; any
// other value is off and a problem that names the variable, never its value.
func TestEnvSwitches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		value       string
		want        bool
		wantProblem bool
	}{
		{name: "unset"},
		{name: "empty", value: ""},
		{name: "1", value: "1", want: true},
		{name: "true", value: "true", want: true},
		{name: "0", value: "0"},
		{name: "garbage is off, with a problem", value: "yes-please", wantProblem: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := func(k string) (string, bool) {
				if k == EnvShutdownStats && tt.name != "unset" {
					return tt.value, true
				}
				return "", false
			}
			c := newConfig([]Option{WithRoot(t.TempDir()), WithEnv(env), WithLogger(nil)})
			assert.Equal(t, tt.want, c.shutdown)
			if !tt.wantProblem {
				assert.Empty(t, c.problems)
				return
			}
			require.Len(t, c.problems, 1)
			assert.Equal(t, EnvShutdownStats, c.problems[0].Source)
			assert.NotContains(t, c.problems[0].Error, "yes-please", "the value is not repeated")
		})
	}
}

// Detection waits for the function's init to end: New and Handler read
// nothing; the first invocation starts it and runs the handler beside it;
// that invocation's line follows the startup line, stamped at the
// invocation's start, which comes after the startup line's time (New's).
func TestFirstInvocationStartsDetection(t *testing.T) {
	t.Parallel()
	p, out := newProbe(t)
	var seen []int // invocation lines written when the handler ran
	h := p.Handler(func(ctx context.Context, o order) (order, error) {
		n := 0
		for _, l := range out.decoded(t) {
			if l["message"] == "faasprobe.invocation" {
				n++
			}
		}
		seen = append(seen, n)
		return handle(ctx, o)
	})
	assert.Empty(t, out.decoded(t), "nothing logged at init")
	_, err := h.Invoke(context.Background(), []byte(`{"id":1}`))
	require.NoError(t, err)
	_, err = h.Invoke(context.Background(), []byte(`{"id":2}`))
	require.NoError(t, err)
	got := out.decoded(t)
	require.Len(t, got, 3)
	assert.Equal(t, "faasprobe.startup", got[0]["message"])
	var times []time.Time
	for _, l := range got {
		at, err := time.Parse(time.RFC3339Nano, l["timestamp"].(string))
		require.NoError(t, err)
		times = append(times, at)
	}
	assert.True(t, slices.IsSortedFunc(times, time.Time.Compare), "times in line order: %v", times)
	assert.Equal(t, p.created.UTC().Format(time.RFC3339Nano), got[0]["timestamp"])
	for i, l := range got[1:] {
		assert.EqualValues(t, i+1, l["invocation"].(map[string]any)["seq"])
	}
	assert.Equal(t, []int{0, 2}, seen, "the first line is written after its handler, the second before")
}

// A first invocation whose handler panics still gets its line, after the
// startup line; the panic goes on.
func TestFirstInvocationPanicStillLogged(t *testing.T) {
	t.Parallel()
	p, out := newProbe(t)
	h := p.Handler(func(context.Context, order) (order, error) { panic("boom") })
	assert.PanicsWithValue(t, "boom", func() { _, _ = h.Invoke(context.Background(), []byte(`{"id":1}`)) })
	got := out.decoded(t)
	require.Len(t, got, 2)
	assert.Equal(t, "faasprobe.startup", got[0]["message"])
	assert.Equal(t, "faasprobe.invocation", got[1]["message"])
}

// Without an invocation, detection starts when init has been over for
// quietStart (a sandbox initialised ahead of its traffic), or at Facts.
func TestDetectionStartsWithoutInvocation(t *testing.T) {
	t.Parallel()
	t.Run("quiet", func(t *testing.T) {
		t.Parallel()
		p, out := newProbe(t)
		p.Handler(handle)
		assert.Eventually(t, func() bool { return len(out.decoded(t)) == 1 }, 10*time.Second, 5*time.Millisecond)
		assert.Equal(t, "faasprobe.startup", out.decoded(t)[0]["message"])
		assert.NotEmpty(t, p.Facts().Sandbox.ID)
	})
	t.Run("facts", func(t *testing.T) {
		t.Parallel()
		p, out := newProbe(t)
		assert.NotEmpty(t, p.Facts().Sandbox.ID)
		got := out.decoded(t)
		require.Len(t, got, 1)
		assert.Equal(t, "faasprobe.startup", got[0]["message"])
	})
}
