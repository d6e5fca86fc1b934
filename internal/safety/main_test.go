package safety

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain: these tests start processes and goroutines (per-case timeouts,
// the emulator's output readers); none may outlive its test.
// The binaries built for the canary tests are removed at exit.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(int) {
		if built.dir != "" {
			_ = os.RemoveAll(built.dir)
		}
	}))
}

// writeFile writes a test fixture, creating its directory.
func writeFile(t testing.TB, name, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
	require.NoError(t, os.WriteFile(name, []byte(content), 0o644))
}
