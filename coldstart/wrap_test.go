package coldstart

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type ctxProbe struct{}

func TestWrapPutsFactsInContext(t *testing.T) {
	t.Parallel()
	tr, clock := newTest(t, time.Second, map[string]string{"AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand"})
	var seen []Invocation
	h := WrapWith(tr, func(ctx context.Context, in string) (string, error) {
		inv, ok := FromContext(ctx)
		require.True(t, ok)
		seen = append(seen, inv)
		// The caller's values and cancellation still come through.
		assert.Equal(t, "kept", ctx.Value(ctxProbe{}))
		assert.NoError(t, ctx.Err())
		return in + "!", nil
	})

	base := context.WithValue(context.Background(), ctxProbe{}, "kept")
	lc := &lambdacontext.LambdaContext{AwsRequestID: "req-1", InvokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:hello"}
	clock.Set(40 * time.Millisecond)
	out, err := h(lambdacontext.NewContext(base, lc), "a")
	require.NoError(t, err)
	assert.Equal(t, "a!", out)
	clock.Set(time.Second)
	_, err = h(base, "b")
	require.NoError(t, err)

	require.Len(t, seen, 2)
	assert.True(t, seen[0].Cold)
	assert.Equal(t, ReasonOnDemand, seen[0].Reason)
	assert.Equal(t, "req-1", seen[0].RequestID)
	assert.InDelta(t, 40.0, seen[0].SinceInitMs, 1e-9)
	assert.False(t, seen[1].Cold)
	assert.Equal(t, uint64(2), seen[1].Seq)
	assert.Empty(t, seen[1].RequestID, "no lambdacontext, no request id")
}

func TestWrapCancellationPropagates(t *testing.T) {
	t.Parallel()
	tr, _ := newTest(t, time.Second, nil)
	h := WrapWith(tr, func(ctx context.Context, _ int) (error, error) {
		child, cancel := context.WithCancel(ctx)
		defer cancel()
		<-child.Done() // the parent's cancellation reaches a child of our context
		return child.Err(), nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, err := h(ctx, 0)
	require.NoError(t, err)
	assert.ErrorIs(t, got, context.Canceled)
}

func TestWrapRecordsDurationAndErrors(t *testing.T) {
	t.Parallel()
	tr, clock := newTest(t, time.Second, nil)
	boom := errors.New("boom")
	h := WrapWith(tr, func(ctx context.Context, fail bool) (int, error) {
		clock.Advance(25 * time.Millisecond)
		if fail {
			return 0, boom
		}
		return 1, nil
	})
	for _, fail := range []bool{false, true, true, false} {
		_, err := h(context.Background(), fail)
		if fail {
			require.ErrorIs(t, err, boom, "the handler's error is returned unchanged")
		}
	}
	s := tr.Stats()
	assert.Equal(t, uint64(4), s.Invocations)
	assert.Equal(t, uint64(4), s.Timed)
	assert.Equal(t, uint64(2), s.Errors)
	assert.InDelta(t, 100.0, s.BusyMs, 1e-9)
}

func TestWrapPanicCountsAsErrorAndPropagates(t *testing.T) {
	t.Parallel()
	tr, clock := newTest(t, time.Second, nil)
	h := WrapWith(tr, func(ctx context.Context, _ int) (int, error) {
		clock.Advance(time.Millisecond)
		panic("handler bug")
	})
	assert.PanicsWithValue(t, "handler bug", func() { _, _ = h(context.Background(), 0) })
	s := tr.Stats()
	assert.Equal(t, uint64(1), s.Errors)
	assert.Equal(t, uint64(1), s.Timed)
	assert.InDelta(t, 1.0, s.BusyMs, 1e-9)
	assert.Zero(t, tr.inflight.Load(), "a panicking invocation is no longer in flight")
}

func TestWrapNilHandler(t *testing.T) {
	t.Parallel()
	tr, _ := newTest(t, time.Second, nil)
	h := WrapWith[int, int](tr, nil)
	_, err := h(context.Background(), 1)
	require.ErrorIs(t, err, errNilHandler)
	_, err = tr.WrapHandler(nil).Invoke(context.Background(), nil)
	require.ErrorIs(t, err, errNilHandler)
	assert.Zero(t, tr.Stats().Invocations, "nothing to observe")

	// A nil context from a careless caller is not a panic.
	h2 := WrapWith(tr, func(ctx context.Context, in int) (bool, error) { _, ok := FromContext(ctx); return ok, nil })
	ok, err := h2(nil, 1) //nolint:staticcheck // SA1012: the nil guard is what is tested
	require.NoError(t, err)
	assert.True(t, ok)
	_, ok = FromContext(NewContext(nil, Invocation{})) //nolint:staticcheck // SA1012
	assert.True(t, ok)
}

func TestWrapHandler(t *testing.T) {
	t.Parallel()
	tr, clock := newTest(t, time.Second, nil)
	inner := lambda.NewHandler(func(ctx context.Context, in map[string]string) (map[string]any, error) {
		inv, ok := FromContext(ctx)
		if !ok {
			return nil, errors.New("no facts")
		}
		clock.Advance(5 * time.Millisecond)
		return map[string]any{"seq": inv.Seq, "cold": inv.Cold, "name": in["name"]}, nil
	})
	h := tr.WrapHandler(inner)
	clock.Set(10 * time.Millisecond)
	out, err := h.Invoke(lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "r"}), []byte(`{"name":"x"}`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"seq":1,"cold":true,"name":"x"}`, string(out))

	_, err = h.Invoke(context.Background(), []byte(`not json`))
	require.Error(t, err, "the inner handler's unmarshal error")
	s := tr.Stats()
	assert.Equal(t, uint64(2), s.Invocations)
	assert.Equal(t, uint64(1), s.Errors)
	assert.InDelta(t, 5.0, s.BusyMs, 1e-9)
}

func TestFromContext(t *testing.T) {
	t.Parallel()
	_, ok := FromContext(context.Background())
	assert.False(t, ok)
	_, ok = FromContext(nil) //nolint:staticcheck // SA1012: the nil guard is what is tested
	assert.False(t, ok)
	want := Invocation{Seq: 7, Reason: ReasonWarm}
	got, ok := FromContext(NewContext(context.Background(), want))
	require.True(t, ok)
	assert.Equal(t, want, got)
	// A later Wrap'd invocation shadows an outer one.
	inner := NewContext(NewContext(context.Background(), want), Invocation{Seq: 8})
	got, _ = FromContext(inner)
	assert.Equal(t, uint64(8), got.Seq)
	// Not reachable by a plain struct{} key of another type.
	assert.Nil(t, inner.Value(struct{}{}))
}

func TestStatsLoggerLogsOnce(t *testing.T) {
	t.Parallel()
	tr, clock := newTest(t, time.Second, nil)
	h := WrapWith(tr, func(ctx context.Context, _ int) (int, error) { return 0, nil })
	clock.Set(time.Second)
	_, _ = h(context.Background(), 0)

	logger, buf := jsonLogger()
	cb := tr.statsLogger(logger)
	cb()
	cb()
	lines := splitLines(buf.String())
	require.Len(t, lines, 1, "logged once")
	rec := decode(t, lines[0])
	assert.Equal(t, "faasprobe.shutdown", rec["msg"])
	stats, ok := rec["stats"].(map[string]any)
	require.True(t, ok, "a group: %v", rec)
	assert.EqualValues(t, 1, stats["invocations"])
	assert.EqualValues(t, 1, stats["cold"])
	assert.Equal(t, "on-demand", stats["first_reason"])

	assert.NotNil(t, tr.LogStatsOnShutdown(nil), "a lambda.Option")
}
