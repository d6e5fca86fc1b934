//go:build linux

package hostinfo

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/faasprobe/faasprobe/internal/procfile"
	"github.com/prometheus/procfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDetectLive checks invariants on the machine the tests run on.
func TestDetectLive(t *testing.T) {
	h, err := Detect()
	for _, p := range h.Problems {
		t.Logf("problem: %s: %s", p.Source, p.Error)
	}
	_ = err
	fs, ferr := procfs.NewDefaultFS()
	require.NoError(t, ferr)
	mi, merr := fs.Meminfo()
	require.NoError(t, merr)
	require.NotNil(t, mi.MemTotal)
	assert.Equal(t, *mi.MemTotal*1024, h.Machine.MemoryTotalBytes, "memory = MemTotal (procfs as the oracle)")
	ci, cerr := fs.CPUInfo()
	require.NoError(t, cerr)
	assert.Equal(t, len(ci), h.Machine.CPU.Count, "count = processor entries")
	assert.GreaterOrEqual(t, h.Machine.CPU.Count, runtime.NumCPU(), "count >= CPUs usable by this process (nproc)")
	assert.Equal(t, runtime.GOARCH, h.Machine.Arch)
	assert.NotEmpty(t, h.Machine.Kernel.Release)
	// The release and version come from /proc/version when it has the
	// kernel's shape: they must be what uname -r and -v (the sysctl
	// files) say.
	if rel, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		assert.Equal(t, strings.TrimSpace(string(rel)), h.Machine.Kernel.Release)
	}
	if ver, err := os.ReadFile("/proc/sys/kernel/version"); err == nil {
		assert.Equal(t, strings.TrimSpace(string(ver)), h.Machine.Kernel.Version)
	}
	// The drivers come from the device/driver links on the live machine:
	// every DRIVER= of a device/uevent must be among them.
	uevents, _ := filepath.Glob("/sys/class/net/*/device/uevent")
	for _, p := range uevents {
		if b, err := os.ReadFile(p); err == nil {
			if drv, err := parseUevent(b); err == nil {
				assert.Contains(t, h.Machine.NetDrivers, drv, "%s", p)
			}
		}
	}
	assert.True(t, procfile.IsUUID(h.Machine.BootID), "boot id %q", h.Machine.BootID)
	assert.Positive(t, h.Machine.UptimeSeconds)
	assert.LessOrEqual(t, h.Machine.MemoryFreeBytes, h.Machine.MemoryTotalBytes)
	assert.LessOrEqual(t, h.Machine.MemoryAvailableBytes, h.Machine.MemoryTotalBytes)
	assert.Positive(t, h.Machine.MemoryAvailableBytes, "MemAvailable exists since Linux 3.14")
	// The idle time is summed over CPUs: at most uptime × CPUs (both are
	// read within a moment of each other; allow a second of slack).
	assert.LessOrEqual(t, h.Machine.IdleSeconds, (h.Machine.UptimeSeconds+1)*float64(h.Machine.CPU.Count))
	// The host name is what the Go runtime reads for os.Hostname (the same
	// file, or uname(2) where it is unreadable); the id is 32 hex digits or
	// unknown.
	if name, err := os.Hostname(); err == nil && name != "(none)" {
		assert.Equal(t, name, h.Machine.Name)
	}
	assert.Regexp(t, `^([0-9a-f]{32})?$`, h.Machine.ID)
	assert.WithinDuration(t, time.Now().Add(-time.Duration(h.Machine.UptimeSeconds*float64(time.Second))), h.Machine.BootTime, 5*time.Second)
	assert.NotEmpty(t, h.Machine.Hypervisor.Kind)
	assert.NotEmpty(t, h.Machine.Hypervisor.Evidence)
	// This build machine (and CI's) is a Firecracker microVM: say so when
	// the environment says it is ours (FAASPROBE_EXPECT_HYPERVISOR is set by
	// .ci/run), so the test stays true on a developer's laptop.
	if want := os.Getenv("FAASPROBE_EXPECT_HYPERVISOR"); want != "" {
		assert.Equal(t, HypervisorKind(want), h.Machine.Hypervisor.Kind, "evidence: %v", h.Machine.Hypervisor.Evidence)
	}
}
