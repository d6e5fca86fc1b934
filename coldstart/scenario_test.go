package coldstart

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const lambdaTree = "testdata/lambda-on-demand"

// TestRecordedLambdaTree replays the recorded sandbox, then the same sandbox
// without /proc/uptime (the btime fallback, up to 1 s early).
func TestRecordedLambdaTree(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{}
	tr := New(WithRoot(lambdaTree), WithClock(clock.Now))
	clock.Set(100 * time.Millisecond)
	inv := tr.Observe()
	assert.Equal(t, InitTypeOnDemand, inv.InitType, "from the tree's env file")
	assert.Equal(t, StartFromUptime, inv.ProcessStartSource)
	assert.InDelta(t, 370.0, inv.SinceProcessStartMs, 1e-9) // 270 ms old at t0
	assert.InDelta(t, 550.0, inv.SandboxAgeMs, 1e-9)        // booted 450 ms before t0
	assert.Equal(t, InitFromProcess, inv.InitSource)
	assert.True(t, inv.Cold)
	assert.Empty(t, tr.Stats().Problems)

	files := map[string]string{}
	for _, name := range []string{"env", "proc/self/stat", "proc/stat"} {
		b, err := os.ReadFile(filepath.Join(lambdaTree, filepath.FromSlash(name)))
		require.NoError(t, err)
		files[name] = string(b)
	}
	clock2 := &fakeClock{}
	tr2 := New(WithRoot(writeTree(t, files)), WithClock(clock2.Now))
	inv2 := tr2.Observe()
	assert.Equal(t, StartFromBtime, inv2.ProcessStartSource)
	// True age 270 ms; btime is whole seconds, so the start may be up to 1 s early.
	assert.GreaterOrEqual(t, inv2.SinceProcessStartMs, 270.0)
	assert.Less(t, inv2.SinceProcessStartMs, 1270.0)
	assert.GreaterOrEqual(t, inv2.SandboxAgeMs, 450.0)
	assert.Less(t, inv2.SandboxAgeMs, 1450.0)
}
