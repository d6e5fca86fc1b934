package coldstart

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/jsontest"
)

// FuzzObserveTree writes fuzzed bytes into one file of the recorded Lambda
// tree (proc/self/stat, proc/uptime, proc/stat or env) and observes two
// invocations: whatever the tree holds, Invocation and SandboxStats marshal
// to JSON and read back.
func FuzzObserveTree(f *testing.F) {
	names := []string{"proc/self/stat", "proc/uptime", "proc/stat", "env"}
	files := map[string]string{}
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(lambdaTree, filepath.FromSlash(name)))
		require.NoError(f, err)
		files[name] = string(b)
	}
	f.Add(uint8(0), []byte("1 (x) S 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 18446744073709551615 0\n"))
	f.Add(uint8(1), []byte("9223372036.854775807 1\n"))
	f.Add(uint8(2), []byte("btime 9223372036854775807\n"))
	f.Add(uint8(2), []byte("btime 1\n"))
	f.Add(uint8(3), []byte("AWS_LAMBDA_INITIALIZATION_TYPE=\x1b[2J\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=1e400\n"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		tree := map[string]string{}
		for k, v := range files {
			tree[k] = v
		}
		tree[names[int(which)%len(names)]] = string(data)
		if which >= 128 { // and without /proc/uptime: the btime path
			delete(tree, "proc/uptime")
		}
		clock := &fakeClock{}
		tr := New(WithRoot(writeTree(t, tree)), WithClock(clock.Now))
		clock.Set(100 * time.Millisecond)
		jsontest.RoundTrip(t, tr.Observe())
		clock.Advance(time.Second)
		jsontest.RoundTrip(t, tr.Observe())
		jsontest.RoundTrip(t, tr.Stats())
	})
}
