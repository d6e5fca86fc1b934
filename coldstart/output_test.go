package coldstart

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func jsonLogger() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewJSONHandler(&buf, nil)), &buf
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

func decode(t *testing.T, line string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(line), &m), "line: %s", line)
	return m
}

// sample returns a cold first invocation observed through Wrap with a
// request id.
func sample(t *testing.T) (Invocation, *Tracker) {
	t.Helper()
	tr, clock := newTest(t, time.Second, map[string]string{"AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand"})
	var inv Invocation
	h := WrapWith(tr, func(ctx context.Context, _ int) (int, error) { inv, _ = FromContext(ctx); return 0, nil })
	clock.Set(1500 * time.Microsecond)
	_, _ = h(lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "abc-123"}), 0)
	return inv, tr
}

var invocationKeys = []string{"first", "cold", "reason", "seq", "init_type", "since_process_start_ms",
	"process_start_source", "since_init_ms", "init_source", "since_previous_ms", "sandbox_age_ms", "time", "request_id"}

func TestInvocationJSON(t *testing.T) {
	t.Parallel()
	inv, _ := sample(t)
	b, err := json.Marshal(inv)
	require.NoError(t, err)
	m := decode(t, string(b))
	for _, k := range invocationKeys {
		assert.Contains(t, m, k)
	}
	assert.NotContains(t, m, "clamped", "omitted when false")
	assert.Equal(t, true, m["first"])
	assert.Equal(t, true, m["cold"])
	assert.Equal(t, "on-demand", m["reason"])
	assert.EqualValues(t, 1, m["seq"])
	assert.InDelta(t, 1.5, m["since_init_ms"], 1e-9)
	assert.Equal(t, "abc-123", m["request_id"])
	assert.Equal(t, "2026-01-02T03:04:05.0015Z", m["time"])

	var back Invocation
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, inv, back, "round trip")

	// Embedding keeps the caller's own keys (no MarshalJSON to swallow them).
	wrapped, err := json.Marshal(struct {
		Invocation
		SandboxID string `json:"sandbox_id"`
	}{inv, "0123"})
	require.NoError(t, err)
	m = decode(t, string(wrapped))
	assert.Equal(t, "0123", m["sandbox_id"])
	assert.Equal(t, true, m["cold"])
}

func TestInvocationSlog(t *testing.T) {
	t.Parallel()
	inv, _ := sample(t)
	logger, buf := jsonLogger()
	logger.Info("invoked", "coldstart", inv)
	rec := decode(t, strings.TrimSpace(buf.String()))
	g, ok := rec["coldstart"].(map[string]any)
	require.True(t, ok, "rendered as a group: %v", rec)
	for _, k := range invocationKeys {
		assert.Contains(t, g, k)
	}
	assert.Equal(t, true, g["cold"])
	assert.Equal(t, "on-demand", g["reason"])

	// The same keys as JSON: one schema.
	b, _ := json.Marshal(inv)
	assert.Len(t, g, len(decode(t, string(b))))
}

func TestAttributes(t *testing.T) {
	t.Parallel()
	inv, _ := sample(t)
	attrs := inv.Attributes()
	got := map[string]slog.Value{}
	for _, a := range attrs {
		got[a.Key] = a.Value
	}
	require.Contains(t, got, "faas.coldstart")
	assert.Equal(t, slog.KindBool, got["faas.coldstart"].Kind())
	assert.True(t, got["faas.coldstart"].Bool())
	assert.Equal(t, "abc-123", got["faas.invocation_id"].String())
	assert.Equal(t, "on-demand", got["faasprobe.coldstart.reason"].String())
	for k := range got {
		switch {
		case k == "faas.coldstart" || k == "faas.invocation_id":
		case strings.HasPrefix(k, "faasprobe.coldstart."):
		default:
			t.Errorf("attribute %q outside the semconv keys and our prefix", k)
		}
		assert.False(t, strings.HasPrefix(k, "cloud.") || strings.HasPrefix(k, "host."), k)
	}
	// Without a request id there is no faas.invocation_id.
	for _, a := range (Invocation{}).Attributes() {
		assert.NotEqual(t, "faas.invocation_id", a.Key)
	}
}

func TestPowertoolsAttrs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		ctx  func(context.Context) context.Context
		want map[string]any
	}{
		{
			name: "in Lambda",
			env:  map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "hello", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"},
			ctx: func(ctx context.Context) context.Context {
				ctx = NewContext(ctx, Invocation{Cold: true})
				return lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: "r-1", InvokedFunctionArn: "arn:x"})
			},
			want: map[string]any{"cold_start": true, "function_name": "hello", "function_memory_size": int64(128), "function_request_id": "r-1", "function_arn": "arn:x"},
		},
		{
			name: "garbage memory size is left out",
			env:  map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "hello", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "lots"},
			ctx:  func(ctx context.Context) context.Context { return NewContext(ctx, Invocation{}) },
			want: map[string]any{"cold_start": false, "function_name": "hello"},
		},
		{
			name: "nothing known",
			env:  nil,
			ctx:  func(ctx context.Context) context.Context { return ctx },
			want: map[string]any{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr, _ := newTest(t, time.Second, tt.env)
			got := map[string]any{}
			for _, a := range tr.PowertoolsAttrs(tt.ctx(context.Background())) {
				got[a.Key] = a.Value.Any()
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestEMFRecord(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	tr, clock := newTest(t, time.Second,
		map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "hello", "POWERTOOLS_SERVICE_NAME": "orders"},
		WithEMF(&buf), WithMetricsNamespace("shop"))
	clock.Set(20 * time.Millisecond)
	require.True(t, tr.Observe().Cold)
	tr.Observe()
	tr.Observe()

	lines := splitLines(buf.String())
	require.Len(t, lines, 1, "one record, on the cold invocation only")
	assert.True(t, strings.HasSuffix(buf.String(), "}\n"))
	rec := decode(t, lines[0])
	assert.Equal(t, "hello", rec["function_name"])
	assert.Equal(t, "orders", rec["service"])
	assert.EqualValues(t, 1, rec["ColdStart"])
	aws, ok := rec["_aws"].(map[string]any)
	require.True(t, ok)
	assert.EqualValues(t, t0.Add(20*time.Millisecond).UnixMilli(), aws["Timestamp"])
	directives, ok := aws["CloudWatchMetrics"].([]any)
	require.True(t, ok)
	require.Len(t, directives, 1)
	d := directives[0].(map[string]any)
	assert.Equal(t, "shop", d["Namespace"])
	assert.Equal(t, []any{[]any{"function_name", "service"}}, d["Dimensions"])
	assert.Equal(t, []any{map[string]any{"Name": "ColdStart", "Unit": "Count"}}, d["Metrics"])
	// Every dimension and metric named in the directive is a top-level key.
	for _, dim := range d["Dimensions"].([]any)[0].([]any) {
		assert.Contains(t, rec, dim)
	}
	assert.Len(t, rec, 4, "_aws, function_name, service, ColdStart: nothing else")
}

func TestEMFDefaultsAndSkips(t *testing.T) {
	t.Parallel()
	t.Run("Powertools defaults, no function name", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		tr, _ := newTest(t, time.Second, nil, WithEMF(&buf))
		tr.Observe()
		rec := decode(t, strings.TrimSpace(buf.String()))
		assert.Equal(t, "service_undefined", rec["service"])
		assert.NotContains(t, rec, "function_name")
		d := rec["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)[0].(map[string]any)
		assert.Equal(t, "default_namespace", d["Namespace"])
		assert.Equal(t, []any{[]any{"service"}}, d["Dimensions"])
	})
	t.Run("env names, option service wins", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		tr, _ := newTest(t, time.Second, map[string]string{
			"POWERTOOLS_METRICS_NAMESPACE": "ns", "POWERTOOLS_SERVICE_NAME": "env-svc",
			"POWERTOOLS_METRICS_FUNCTION_NAME": "fn-override", "AWS_LAMBDA_FUNCTION_NAME": "fn",
		}, WithEMF(&buf), WithServiceName("opt-svc"))
		tr.Observe()
		rec := decode(t, strings.TrimSpace(buf.String()))
		assert.Equal(t, "opt-svc", rec["service"])
		assert.Equal(t, "fn-override", rec["function_name"])
		assert.Equal(t, "ns", rec["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)[0].(map[string]any)["Namespace"])
	})
	for _, tc := range []struct{ name, initType string }{
		{"provisioned concurrency is not cold", "provisioned-concurrency"},
		{"managed instances are not cold", "lambda-managed-instances"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			tr, _ := newTest(t, time.Second, map[string]string{"AWS_LAMBDA_INITIALIZATION_TYPE": tc.initType}, WithEMF(&buf))
			tr.Observe()
			assert.Empty(t, buf.String())
		})
	}
	t.Run("proactive init is not cold", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		tr, clock := newTest(t, time.Second, nil, WithEMF(&buf))
		tr.InitDone()
		clock.Set(time.Minute)
		assert.Equal(t, ReasonProactiveInit, tr.Observe().Reason)
		assert.Empty(t, buf.String())
	})
	t.Run("write error is a problem, not a failure", func(t *testing.T) {
		t.Parallel()
		tr, _ := newTest(t, time.Second, nil, WithEMF(failWriter{}))
		inv := tr.Observe()
		assert.True(t, inv.Cold)
		s := tr.Stats()
		require.Len(t, s.Problems, 1)
		assert.Contains(t, s.Problems[0], "write EMF record: disk full")
	})
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestStatsJSONAndSlog(t *testing.T) {
	t.Parallel()
	_, tr := sample(t)
	s := tr.Stats()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	m := decode(t, string(b))
	for _, k := range []string{"invocations", "errors", "cold", "warm", "timed", "first_reason", "busy_ms", "idle_ms",
		"first_invocation", "last_invocation", "process_start", "process_start_source", "init_done", "init_source", "problems"} {
		assert.Contains(t, m, k)
	}
	assert.Equal(t, []any{}, m["problems"], "never null")

	logger, buf := jsonLogger()
	logger.Info("stats", "s", s)
	g := decode(t, strings.TrimSpace(buf.String()))["s"].(map[string]any)
	assert.EqualValues(t, 1, g["invocations"])
	assert.NotContains(t, g, "problems", "left out when empty")
}

// TestNoCredentialInAnyOutput sets canary values in the credential
// variables (and a garbage init type carrying one) and checks every output
// of the package.
func TestNoCredentialInAnyOutput(t *testing.T) {
	t.Parallel()
	canaries := map[string]string{
		"AWS_SECRET_ACCESS_KEY":     "canary-secret-3f1e9a",
		"AWS_SESSION_TOKEN":         "canary-session-77b2c0",
		"AWS_LAMBDA_METADATA_TOKEN": "canary-metadata-91d4aa",
		"AWS_ACCESS_KEY_ID":         "AKIACANARY0000000000",
	}
	env := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        "hello",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "weird-canary-secret-3f1e9a",
	}
	for k, v := range canaries {
		env[k] = v
	}
	var out bytes.Buffer
	tr, clock := newTest(t, time.Second, env, WithEMF(&out))
	logger := slog.New(slog.NewJSONHandler(&out, nil))
	h := WrapWith(tr, func(ctx context.Context, _ int) (int, error) {
		inv, _ := FromContext(ctx)
		logger.Info("inv", "coldstart", inv)
		logger.LogAttrs(ctx, slog.LevelInfo, "attrs", inv.Attributes()...)
		logger.LogAttrs(ctx, slog.LevelInfo, "powertools", tr.PowertoolsAttrs(ctx)...)
		b, _ := json.Marshal(inv)
		out.Write(b)
		return 0, nil
	})
	clock.Set(time.Millisecond)
	_, _ = h(lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "r"}), 0)
	_, _ = h(context.Background(), 0)
	tr.statsLogger(logger)()
	b, _ := json.Marshal(tr.Stats())
	out.Write(b)

	text := out.String()
	require.Contains(t, text, `"ColdStart":1`, "the EMF record was written (unknown type, prompt: cold)")
	require.Contains(t, text, "hello")
	for name, v := range canaries {
		assert.NotContains(t, text, v, "%s leaked", name)
	}
	assert.NotContains(t, text, "canary")
}
