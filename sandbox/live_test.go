package sandbox

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memTotal reads MemTotal from the live /proc/meminfo (0 if unavailable).
func memTotal(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	return 0
}

// TestLiveInvariants runs Detect on this machine (hostinfo included) and
// checks what must hold anywhere, not values.
func TestLiveInvariants(t *testing.T) {
	s, err := Detect()
	if err != nil {
		t.Logf("problems on this machine: %v", err) // allowed; listed below too
	}
	assert.Equal(t, err != nil, len(s.Problems) > 0)
	assert.NotEmpty(t, s.ID)
	assert.Contains(t, []string{ScopeSandbox, ScopeProcess}, s.IDScope)
	if runtime.GOOS != "windows" {
		assert.Equal(t, os.Getuid(), s.UID, "uid is ours")
		assert.Equal(t, os.Getgid(), s.GID)
	}
	assert.GreaterOrEqual(t, s.Limits.NumCPU, 1)
	assert.Equal(t, runtime.NumCPU(), s.Limits.NumCPU)
	if runtime.GOOS == "linux" {
		assert.GreaterOrEqual(t, s.Limits.VisibleCPUs, 1)
		assert.GreaterOrEqual(t, s.Limits.VisibleCPUs, s.Limits.NumCPU, "we cannot run on more CPUs than are online")
		assert.NotZero(t, s.Limits.MaxOpenFiles)
		if s.Limits.Tmp != (Filesystem{}) {
			assert.LessOrEqual(t, s.Limits.Tmp.FreeBytes, s.Limits.Tmp.SizeBytes)
		}
		assert.Len(t, s.BootID, 36)
	}
	if mt := memTotal(t); mt > 0 && s.Limits.CgroupMemoryLimitBytes > 0 {
		// The kernel accepts a larger limit, but no sandbox we target sets
		// one; a failure here means a misread file or a misconfigured box.
		assert.LessOrEqual(t, s.Limits.CgroupMemoryLimitBytes, mt, "cgroup memory limit ≤ MemTotal")
	}
	assert.Contains(t, []Isolation{IsolationSharedVM, IsolationMicroVM, IsolationGVisor, IsolationContainer, IsolationProcess, IsolationUnknown}, s.Isolation)
	assert.GreaterOrEqual(t, s.CoTenants.PerVM, 0)
	if s.Isolation == IsolationMicroVM {
		assert.Equal(t, 1, s.CoTenants.PerVM)
	}
}
