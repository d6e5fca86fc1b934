//go:build linux

package rietest

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadOwnProcess reads this test process's stat and environment the
// way the harness reads the runtime's.
func TestReadOwnProcess(t *testing.T) {
	t.Setenv("RIETEST_PROBE", "a=b")
	st, err := readStat(os.Getpid())
	require.NoError(t, err)
	assert.Equal(t, os.Getpid(), st.PID)
	assert.Equal(t, os.Getppid(), st.PPID)
	assert.True(t, st.alive())
	assert.Positive(t, st.StartTime)
	assert.True(t, stillRunning(st))
	assert.False(t, stillRunning(procStat{PID: st.PID, StartTime: st.StartTime + 1}), "same pid, other start: another process")

	// /proc/<pid>/environ is the environment at exec: the variable set
	// above is not in it, PATH (from the go command) is.
	env, err := readEnviron(os.Getpid())
	require.NoError(t, err)
	assert.NotContains(t, env, "RIETEST_PROBE")
	if path, ok := os.LookupEnv("PATH"); ok {
		assert.Equal(t, path, env["PATH"])
	}
}
