package hostinfo

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeTree writes files (path → content) below a new temp dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

func TestDetectMinimalTree(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"proc/cpuinfo":                     xen2017CPU,
		"proc/meminfo":                     "MemTotal:        3857864 kB\n",
		"proc/version":                     "Linux version 4.4.51-40.60.amzn1.x86_64 (mockbuild@gobi-build-60009) (gcc version 4.8.3) #1 SMP Wed Mar 29 19:17:24 UTC 2017\n",
		"proc/sys/kernel/random/boot_id":   "0d3f6d5e-7c2b-4a51-9a3e-2d1c0b9a8f7e\n",
		"sys/class/dmi/id/sys_vendor":      "Xen\n",
		"sys/class/dmi/id/product_name":    "HVM domU\n",
		"sys/class/dmi/id/bios_version":    "4.2.amazon\n",
		"sys/hypervisor/type":              "xen\n",
		"sys/class/net/eth0/device/uevent": "DRIVER=ixgbevf\n",
		"env":                              "AWS_LAMBDA_FUNCTION_NAME=fn\nAWS_REGION=eu-central-1\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=128\n",
	})
	h, err := Detect(WithRoot(dir))
	require.NoError(t, err)
	assert.Equal(t, []Problem{}, h.Problems)
	assert.Equal(t, "aws", h.Platform.Provider)
	assert.Equal(t, "lambda", h.Platform.Service)
	assert.Equal(t, HypervisorXen, h.Machine.Hypervisor.Kind)
	assert.Equal(t, uint64(3857864*1024), h.Machine.MemoryTotalBytes)
	assert.Equal(t, "4.4.51-40.60.amzn1.x86_64", h.Machine.Kernel.Release)
	assert.Equal(t, []string{"ixgbevf"}, h.Machine.NetDrivers)
	assert.Equal(t, "amd64", h.Machine.Arch)
	assert.False(t, h.Machine.Container.Detected)

	// JSON: lists are [] and never null.
	b, err := json.Marshal(h)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "null")
}

func TestDetectEmptyRoot(t *testing.T) {
	t.Parallel()
	h, err := Detect(WithRoot(t.TempDir()))
	require.NoError(t, err, "absent sources are unknown, not problems")
	assert.Equal(t, HypervisorUnknown, h.Machine.Hypervisor.Kind)
	assert.Equal(t, ConfidenceNone, h.Machine.Instance.Confidence)
	assert.Equal(t, "", h.Platform.Provider)
	b, err := json.Marshal(h)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "null")
}

// TestContainerCgroupKept: the /proc/self/cgroup read for the container
// signals is kept for package sandbox, and stays out of the JSON.
func TestContainerCgroupKept(t *testing.T) {
	t.Parallel()
	const cg = "12:memory:/docker/0123abcd\n0::/\n"
	h, err := Detect(WithRoot(writeTree(t, map[string]string{"proc/self/cgroup": cg})))
	require.NoError(t, err)
	assert.Equal(t, cg, cgroupText(h))
	assert.True(t, h.Machine.Container.Detected)
	b, err := json.Marshal(h.Machine.Container)
	require.NoError(t, err)
	var keys map[string]any
	require.NoError(t, json.Unmarshal(b, &keys))
	assert.Len(t, keys, 2, "only detected and evidence: %s", b)
	assert.NotContains(t, string(b), "0::/")

	h, err = Detect(WithRoot(t.TempDir()))
	require.NoError(t, err)
	assert.Empty(t, cgroupText(h), "absent file")
}

// TestKernelSources: a complete /proc/version banner gives the release
// and the version (the sysctl files, which cost more to open, are then not
// consulted); a banner without the version falls back to them.
func TestKernelSources(t *testing.T) {
	t.Parallel()
	const banner = "Linux version 6.1.0-fc (b@h) (gcc (GCC) 13.2.0) #1 SMP Tue Jan 2 00:00:00 UTC 2024\n"
	tests := []struct {
		name                 string
		files                map[string]string
		wantRelease, wantVer string
	}{
		{"banner alone", map[string]string{"proc/version": banner}, "6.1.0-fc", "#1 SMP Tue Jan 2 00:00:00 UTC 2024"},
		{"banner wins over sysctl files", map[string]string{"proc/version": banner,
			"proc/sys/kernel/osrelease": "9.9.9-other\n", "proc/sys/kernel/version": "#9 other\n"},
			"6.1.0-fc", "#1 SMP Tue Jan 2 00:00:00 UTC 2024"},
		{"banner without a version", map[string]string{"proc/version": "Linux version 6.1.0-fc (b@h) (gcc\n",
			"proc/sys/kernel/osrelease": "6.1.0-fc\n", "proc/sys/kernel/version": "#1 SMP\n"},
			"6.1.0-fc", "#1 SMP"},
		{"no banner", map[string]string{"proc/sys/kernel/osrelease": "5.10.0\n", "proc/sys/kernel/version": "#7 SMP\n"},
			"5.10.0", "#7 SMP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, err := Detect(WithRoot(writeTree(t, tt.files)))
			require.NoError(t, err)
			assert.Equal(t, tt.wantRelease, h.Machine.Kernel.Release)
			assert.Equal(t, tt.wantVer, h.Machine.Kernel.Version)
		})
	}
}

// TestDetectBadInput: truncated, empty, binary, garbage, oversized and
// unreadable sources give partial facts plus a problem naming each source,
// and never a panic or a hang.
func TestDetectBadInput(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"proc/cpuinfo":                   "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu MHz\t\t: 29", // truncated mid-value: parses as 29
		"proc/meminfo":                   "",
		"proc/version":                   "\x7fELF\x00\x01\x02garbage",
		"proc/uptime":                    "abc def",
		"proc/stat":                      "btime yesterday\n",
		"proc/sys/kernel/random/boot_id": "zzzz",
		"proc/sys/kernel/osrelease":      "6.1.0\n",
		"env":                            "AWS_LAMBDA_FUNCTION_NAME=fn\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=12x\nthis line is bad\n",
	})
	// Oversized file (> 1 MiB), a FIFO (would block a naive reader), and a
	// directory where a file should be. Permission bits cannot make a file
	// unreadable for root (CI runs as root), so "unreadable" is exercised
	// with the FIFO and the directory.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "proc/cmdline"), []byte(strings.Repeat("a ", 700_000)), 0o644))
	fifo := mkfifo(t, filepath.Join(dir, "proc/modules"))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sys/devices/system/clocksource/clocksource0/current_clocksource"), 0o755))

	done := make(chan struct{})
	var h Host
	var err error
	go func() { defer close(done); h, err = Detect(WithRoot(dir)) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Detect hung on a bad tree")
	}
	require.Error(t, err)
	sources := map[string]string{}
	for _, p := range h.Problems {
		sources[p.Source] = p.Error
	}
	for _, want := range []string{"proc/meminfo", "proc/version", "proc/uptime", "proc/stat",
		"proc/sys/kernel/random/boot_id", "proc/cmdline", "sys/devices/system/clocksource/clocksource0/current_clocksource",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "env"} {
		assert.Contains(t, sources, want)
	}
	if fifo {
		assert.Contains(t, sources, "proc/modules")
	}
	assert.Contains(t, sources["proc/cmdline"], "larger than 1 MiB")
	assert.NotContains(t, sources["env"], "this line is bad", "bad env lines are not echoed")
	// The facts that did work are still there.
	assert.Equal(t, "GenuineIntel", h.Machine.CPU.Vendor)
	assert.Equal(t, 1, h.Machine.CPU.Count)
	assert.Equal(t, "6.1.0", h.Machine.Kernel.Release)
	assert.Equal(t, "fn", h.Platform.FunctionName)
	assert.Equal(t, 0, h.Platform.MemoryLimitMB, "garbage memory is unknown, not a guess")
	assert.Equal(t, uint64(0), h.Machine.MemoryTotalBytes)
}

// Firmware often leaves DMI fields blank: unknown, not a problem.
// Binary junk in one still is.
func TestDetectBlankDMIFields(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"sys/class/dmi/id/sys_vendor":      "Amazon EC2\n",
		"sys/class/dmi/id/product_name":    "c5.large\n",
		"sys/class/dmi/id/product_version": " \n",
		"sys/class/dmi/id/board_asset_tag": "",
		"sys/class/dmi/id/bios_version":    "1.0\x00\x01junk",
	})
	h, err := Detect(WithRoot(dir))
	require.Error(t, err)
	require.Len(t, h.Problems, 1)
	assert.Equal(t, "sys/class/dmi/id/bios_version", h.Problems[0].Source)
	assert.Equal(t, "c5.large", h.Machine.DMI.ProductName)
	assert.Equal(t, "", h.Machine.DMI.ProductVersion)
	assert.Equal(t, HypervisorNitro, h.Machine.Hypervisor.Kind)
}
