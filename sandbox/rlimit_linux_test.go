//go:build linux

package sandbox

import (
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/procfile"
)

// TestLiveSyscallsMatchProcFiles: on the live machine the ids and the
// limits come from system calls instead of /proc/self/status and
// /proc/self/limits; the files are the oracle they must agree with.
func TestLiveSyscallsMatchProcFiles(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("/proc/self/limits")
	require.NoError(t, err)
	want, err := procfile.ParseLimits(b)
	require.NoError(t, err)
	files, procs, ok := liveRlimits()
	require.True(t, ok, "getrlimit on %s", "linux")
	assert.Equal(t, want.OpenFiles, files, "Max open files")
	assert.Equal(t, want.Processes, procs, "Max processes")

	b, err = os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	uid, gid, err := parseStatusIDs(b)
	require.NoError(t, err)
	s, _ := Detect(WithHost(hostinfo.Host{}))
	assert.Equal(t, uid, s.UID)
	assert.Equal(t, gid, s.GID)
	assert.Equal(t, files, s.Limits.MaxOpenFiles)
	assert.Equal(t, procs, s.Limits.MaxProcesses)
}

func TestRlimitValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     uint64
		want   int64
		wantOK bool
	}{
		{math.MaxUint64, -1, true}, // RLIM_INFINITY: "unlimited"
		{1024, 1024, true},
		{0, 0, true},
		{math.MaxInt64, math.MaxInt64, true},
		{math.MaxInt64 + 1, 0, false},
	}
	for _, tt := range tests {
		got, ok := rlimitValue(tt.in)
		assert.Equal(t, tt.wantOK, ok, "%d", tt.in)
		assert.Equal(t, tt.want, got, "%d", tt.in)
	}
}
