package coldstart

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPackageLevelFunctions uses the process-wide tracker, whose state lives
// as long as the test binary (-count=N reruns this test in it, and
// BenchmarkObservePackage shares it): assertions are relative.
func TestPackageLevelFunctions(t *testing.T) {
	InitDone()
	before := Stats()
	h := Wrap(func(ctx context.Context, in string) (Invocation, error) {
		inv, ok := FromContext(ctx)
		require.True(t, ok)
		return inv, nil
	})
	first, err := h(context.Background(), "x")
	require.NoError(t, err)
	second := Observe()
	third, err := WrapHandler(handlerFunc(func(ctx context.Context, b []byte) ([]byte, error) {
		_, ok := FromContext(ctx)
		assert.True(t, ok)
		return b, nil
	})).Invoke(context.Background(), []byte("{}"))
	require.NoError(t, err)
	assert.Equal(t, "{}", string(third))

	assert.Equal(t, before.Invocations+1, first.Seq)
	assert.Equal(t, first.Seq == 1, first.First)
	assert.Equal(t, first.Seq+1, second.Seq)
	assert.Equal(t, InitFromInitDone, first.InitSource, "InitDone beats the later Wrap")
	after := Stats()
	assert.Equal(t, before.Invocations+3, after.Invocations)
	assert.Equal(t, before.Timed+2, after.Timed)
	assert.Equal(t, ReasonOnDemand, after.FirstReason, "not in Lambda: unset init type, prompt")
	assert.Same(t, defaultTracker(), defaultTracker())
	assert.NotNil(t, LogStatsOnShutdown(nil))
	assert.NotNil(t, PowertoolsAttrs(context.Background()))
	// Live-machine invariant: the process started before init ended.
	assert.GreaterOrEqual(t, second.SinceProcessStartMs, second.SinceInitMs)
}
