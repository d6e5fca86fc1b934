package otel

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// clock is a settable clock for coldstart trackers.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// newTracker returns a tracker on a settable clock with
// AWS_LAMBDA_INITIALIZATION_TYPE=initType.
func newTracker(initType string) (*coldstart.Tracker, *clock) {
	c := &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	env := func(k string) (string, bool) {
		if k == "AWS_LAMBDA_INITIALIZATION_TYPE" {
			return initType, true
		}
		return "", false
	}
	return coldstart.New(coldstart.WithClock(c.Now), coldstart.WithEnv(env)), c
}

// telemetry is an SDK pipeline with in-memory exporters.
type telemetry struct {
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newTelemetry() telemetry {
	sr, reader := tracetest.NewSpanRecorder(), sdkmetric.NewManualReader()
	return telemetry{
		spans: sr, tp: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr)),
		reader: reader, mp: sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)),
	}
}

func (tm telemetry) metrics(t *testing.T) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, tm.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		assert.Equal(t, scope, sm.Scope.Name)
		assert.Equal(t, semconv.SchemaURL, sm.Scope.SchemaURL)
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// lambdaInvoke calls h as otellambda does: a server span named after the
// function, with faas.invocation_id, around a context that carries the
// Lambda context.
func lambdaInvoke[TIn, TOut any](tp trace.TracerProvider, h func(context.Context, TIn) (TOut, error), requestID string, in TIn) (TOut, error) {
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: requestID})
	ctx, span := tp.Tracer("otellambda").Start(ctx, "greeter",
		trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(semconv.FaaSInvocationID(requestID)))
	defer span.End()
	return h(ctx, in)
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func TestWrapUnderOtellambda(t *testing.T) {
	t.Parallel()
	tm := newTelemetry()
	tracker, clk := newTracker(coldstart.InitTypeOnDemand)
	h := Wrap(func(ctx context.Context, name string) (string, error) {
		inv, ok := coldstart.FromContext(ctx)
		require.True(t, ok)
		return fmt.Sprintf("hello %s #%d", name, inv.Seq), nil
	}, WithTracker(tracker), WithMeterProvider(tm.mp), WithTracerProvider(tm.tp))

	clk.Advance(250 * time.Millisecond) // from init end (Wrap) to the first request
	for i := range 3 {
		out, err := lambdaInvoke(tm.tp, h, fmt.Sprintf("req-%d", i+1), "ada")
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("hello ada #%d", i+1), out)
		clk.Advance(time.Second)
	}

	spans := tm.spans.Ended()
	require.Len(t, spans, 3, "Wrap starts no span of its own under otellambda")
	cold := 0
	for i, s := range spans {
		a := attrs(s)
		assert.Equal(t, "otellambda", s.InstrumentationScope().Name)
		assert.Equal(t, fmt.Sprintf("req-%d", i+1), a[semconv.FaaSInvocationIDKey].AsString())
		if a[semconv.FaaSColdstartKey].AsBool() {
			cold++
			assert.Equal(t, string(coldstart.ReasonOnDemand), a[reasonKey].AsString())
			assert.Equal(t, 250.0, a["faasprobe.coldstart.since_init_ms"].AsFloat64())
		} else {
			assert.Equal(t, string(coldstart.ReasonWarm), a[reasonKey].AsString())
		}
	}
	assert.Equal(t, 1, cold, "exactly one cold span")
	assert.True(t, attrs(spans[0])[semconv.FaaSColdstartKey].AsBool(), "the first")

	m := tm.metrics(t)
	cs, ok := m["faas.coldstarts"]
	require.True(t, ok)
	assert.Equal(t, "{coldstart}", cs.Unit)
	sum := cs.Data.(metricdata.Sum[int64])
	assert.True(t, sum.IsMonotonic)
	require.Len(t, sum.DataPoints, 1)
	assert.Equal(t, int64(1), sum.DataPoints[0].Value)
	assert.Equal(t, attribute.NewSet(reasonKey.String("on-demand")), sum.DataPoints[0].Attributes)

	gap, ok := m["faasprobe.coldstart.init_gap"]
	require.True(t, ok)
	assert.Equal(t, "s", gap.Unit)
	hist := gap.Data.(metricdata.Histogram[float64])
	require.Len(t, hist.DataPoints, 1)
	assert.Equal(t, uint64(1), hist.DataPoints[0].Count, "only the first invocation")
	assert.InDelta(t, 0.25, hist.DataPoints[0].Sum, 1e-9)
	assert.Equal(t, initGapBounds, hist.DataPoints[0].Bounds)
}

// TestWrapCountsPerReason runs one sandbox per initialisation type through
// one meter provider: faas.coldstarts counts the cold ones by reason, the
// init-gap histogram has every first invocation.
func TestWrapCountsPerReason(t *testing.T) {
	t.Parallel()
	tm := newTelemetry()
	for _, tt := range []struct {
		initType string
		gap      time.Duration
	}{
		{coldstart.InitTypeOnDemand, 100 * time.Millisecond},
		{coldstart.InitTypeOnDemand, 300 * time.Millisecond},
		{coldstart.InitTypeOnDemand, 30 * time.Second}, // proactive-init: not cold
		{coldstart.InitTypeSnapStart, 50 * time.Millisecond},
		{coldstart.InitTypeProvisioned, time.Minute}, // not cold
	} {
		tracker, clk := newTracker(tt.initType)
		h := Wrap(func(context.Context, int) (int, error) { return 0, nil },
			WithTracker(tracker), WithMeterProvider(tm.mp), WithTracerProvider(tm.tp))
		clk.Advance(tt.gap)
		for range 2 {
			_, err := h(context.Background(), 0)
			require.NoError(t, err)
		}
	}

	m := tm.metrics(t)
	counts := map[string]int64{}
	for _, dp := range m["faas.coldstarts"].Data.(metricdata.Sum[int64]).DataPoints {
		v, _ := dp.Attributes.Value(reasonKey)
		counts[v.AsString()] += dp.Value
	}
	assert.Equal(t, map[string]int64{"on-demand": 2, "snap-start": 1}, counts)

	type gapPoint struct {
		count uint64
		sum   float64
	}
	gaps := map[string]gapPoint{}
	for _, dp := range m["faasprobe.coldstart.init_gap"].Data.(metricdata.Histogram[float64]).DataPoints {
		v, _ := dp.Attributes.Value(reasonKey)
		gaps[v.AsString()] = gapPoint{dp.Count, dp.Sum}
	}
	assert.Len(t, gaps, 4)
	assert.Equal(t, uint64(2), gaps["on-demand"].count)
	assert.InDelta(t, 0.4, gaps["on-demand"].sum, 1e-9)
	assert.InDelta(t, 30.0, gaps["proactive-init"].sum, 1e-9)
	assert.InDelta(t, 0.05, gaps["snap-start"].sum, 1e-9)
	assert.InDelta(t, 60.0, gaps["provisioned-concurrency"].sum, 1e-9)
}

// TestWrapStartsASpanWhenNoneIsThere: without otellambda, Wrap makes the
// invocation span itself, ends it, and marks a failed invocation.
func TestWrapStartsASpanWhenNoneIsThere(t *testing.T) {
	t.Parallel()
	tm := newTelemetry()
	tracker, _ := newTracker(coldstart.InitTypeOnDemand)
	errBoom := errors.New("boom")
	h := Wrap(func(ctx context.Context, fail bool) (bool, error) {
		assert.True(t, trace.SpanFromContext(ctx).IsRecording(), "the handler sees the span")
		if fail {
			return false, errBoom
		}
		return true, nil
	}, WithTracker(tracker), WithMeterProvider(tm.mp), WithTracerProvider(tm.tp))

	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
	_, err := h(ctx, false)
	require.NoError(t, err)
	_, err = h(context.Background(), true)
	require.ErrorIs(t, err, errBoom)

	spans := tm.spans.Ended()
	require.Len(t, spans, 2)
	for _, s := range spans {
		assert.Equal(t, trace.SpanKindServer, s.SpanKind())
		assert.Equal(t, scope, s.InstrumentationScope().Name)
	}
	first, second := attrs(spans[0]), attrs(spans[1])
	assert.True(t, first[semconv.FaaSColdstartKey].AsBool())
	assert.Equal(t, "req-1", first[semconv.FaaSInvocationIDKey].AsString(), "coldstart's request id")
	assert.Equal(t, codes.Unset, spans[0].Status().Code)
	assert.False(t, second[semconv.FaaSColdstartKey].AsBool())
	_, ok := second[semconv.FaaSInvocationIDKey]
	assert.False(t, ok, "no Lambda context, no invocation id")
	assert.Equal(t, codes.Error, spans[1].Status().Code)
	assert.Equal(t, "boom", spans[1].Status().Description)
}

func TestWrapEndsItsSpanWhenTheHandlerPanics(t *testing.T) {
	t.Parallel()
	tm := newTelemetry()
	tracker, _ := newTracker(coldstart.InitTypeOnDemand)
	h := Wrap(func(context.Context, int) (int, error) { panic("handler bug") },
		WithTracker(tracker), WithMeterProvider(tm.mp), WithTracerProvider(tm.tp))
	assert.PanicsWithValue(t, "handler bug", func() { _, _ = h(context.Background(), 0) })
	assert.Len(t, tm.spans.Ended(), 1)
	assert.Equal(t, uint64(1), tracker.Stats().Invocations)
}

func TestWrapNilHandler(t *testing.T) {
	t.Parallel()
	tracker, _ := newTracker(coldstart.InitTypeOnDemand)
	h := Wrap[int, int](nil, WithTracker(tracker))
	_, err := h(context.Background(), 0)
	assert.ErrorContains(t, err, "nil handler")
}

// TestWrapWithGlobalProviders: with no provider set anywhere (the global
// ones are no-ops), Wrap still observes and calls the handler.
func TestWrapWithGlobalProviders(t *testing.T) {
	t.Parallel()
	tracker, _ := newTracker(coldstart.InitTypeOnDemand)
	h := Wrap(func(ctx context.Context, in int) (int, error) {
		inv, _ := coldstart.FromContext(ctx)
		return in + int(inv.Seq), nil
	}, WithTracker(tracker))
	out, err := h(context.Background(), 10)
	require.NoError(t, err)
	assert.Equal(t, 11, out)
}

func TestSetSpanAttributes(t *testing.T) {
	t.Parallel()
	t.Run("recording span", func(t *testing.T) {
		t.Parallel()
		tm := newTelemetry()
		ctx, span := tm.tp.Tracer("t").Start(context.Background(), "s")
		SetSpanAttributes(ctx, coldstart.Invocation{First: true, Cold: true, Reason: coldstart.ReasonSnapStart, Seq: 1, RequestID: "r"})
		span.End()
		a := attrs(tm.spans.Ended()[0])
		assert.True(t, a[semconv.FaaSColdstartKey].AsBool())
		assert.Equal(t, "r", a[semconv.FaaSInvocationIDKey].AsString())
		assert.Equal(t, "snap-start", a[reasonKey].AsString())
		assert.Equal(t, int64(1), a["faasprobe.coldstart.seq"].AsInt64())
	})
	t.Run("no span", func(t *testing.T) {
		t.Parallel()
		assert.NotPanics(t, func() { SetSpanAttributes(context.Background(), coldstart.Invocation{}) })
	})
}

// TestReasonKeyIsColdstarts keeps the metrics' reason attribute the name
// Invocation.Attributes uses.
func TestReasonKeyIsColdstarts(t *testing.T) {
	t.Parallel()
	inv := coldstart.Invocation{Reason: coldstart.ReasonOnDemand}
	for _, kv := range appendAttributes(nil, inv.Attributes()) {
		if kv.Value.Type() == attribute.STRING && kv.Value.AsString() == string(coldstart.ReasonOnDemand) {
			assert.Equal(t, reasonKey, kv.Key)
			return
		}
	}
	t.Fatal("Invocation.Attributes has no reason")
}
