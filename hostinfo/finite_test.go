package hostinfo

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/jsontest"
)

// TestNonFiniteNumbersRejected: Go's ParseFloat accepts "NaN", "Inf",
// "infinity" and turns "1e400" into +Inf; a tree holding them once made
// Detect store a value json.Marshal refuses ("json: unsupported value:
// +Inf"), so `faasprobe --json` printed nothing. Each is now a problem and
// the field stays unknown.
func TestNonFiniteNumbersRejected(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"NaN", "nan", "Inf", "+Inf", "-Inf", "infinity", "-infinity", "1e400", "-1"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, map[string]string{
				"proc/cpuinfo": "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu MHz\t\t: " + v + "\n",
				"proc/uptime":  v + " 12.5\n",
				"proc/stat":    "btime 1e400\n",
			})
			h, err := Detect(WithRoot(dir))
			require.Error(t, err)
			assert.Zero(t, h.Machine.CPU.MHz)
			assert.Zero(t, h.Machine.UptimeSeconds)
			assert.True(t, h.Machine.BootTime.IsZero())
			sources := map[string]bool{}
			for _, p := range h.Problems {
				sources[strings.TrimPrefix(p.Source, "/")] = true
			}
			assert.True(t, sources["proc/cpuinfo"], "problems %v", h.Problems)
			assert.True(t, sources["proc/uptime"], "problems %v", h.Problems)
			assert.True(t, sources["proc/stat"], "problems %v", h.Problems)
			requireRoundTrip(t, h)
		})
	}
}

// requireRoundTrip: h marshals, and the JSON reads back into a Host that
// marshals to the same bytes.
func requireRoundTrip(t *testing.T, h Host) {
	t.Helper()
	jsontest.RoundTrip(t, h)
	for _, f := range []float64{h.Machine.CPU.MHz, h.Machine.UptimeSeconds} {
		assert.False(t, math.IsNaN(f) || math.IsInf(f, 0))
	}
}

// FuzzDetectTree writes fuzzed bytes into the files of a scenario tree (one
// file each run, chosen by which) and runs Detect on it: whatever the bytes,
// the Host marshals to JSON and reads back.
func FuzzDetectTree(f *testing.F) {
	files := []string{
		"proc/cpuinfo", "proc/meminfo", "proc/uptime", "proc/stat", "proc/version",
		"proc/sys/kernel/random/boot_id", "proc/modules", "proc/cmdline", "proc/self/cgroup",
		"sys/class/dmi/id/sys_vendor", "sys/class/dmi/id/product_name", "sys/hypervisor/type",
		"sys/class/net/eth0/device/uevent", "env",
		"proc/net/fib_trie", "proc/net/if_inet6", "proc/net/dev",
	}
	f.Add(uint8(0), []byte("processor\t: 0\ncpu MHz\t\t: NaN\n"))
	f.Add(uint8(0), []byte("processor\t: 0\ncpu MHz\t\t: infinity\nmodel name\t: \x1b[2JXeon\n"))
	f.Add(uint8(2), []byte("1e400 1\n"))
	f.Add(uint8(3), []byte("btime 99999999999999\n"))
	f.Add(uint8(13), []byte("AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1e400\nAWS_LAMBDA_FUNCTION_NAME=\xff\n"))
	f.Add(uint8(14), []byte("Local:\n  |-- 169.254.76.1\n     /32 host LOCAL\n  |-- 169.254.76.0\n     /23 link UNICAST\n"))
	f.Add(uint8(15), []byte("fd000000000000000000000000000002 04 40 00 82 \x1b[2Jeth0\n"))
	f.Add(uint8(16), []byte("Inter-|\n face |\nvinternal_1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		tree := map[string]string{
			"proc/cpuinfo":                   xen2017CPU,
			"proc/meminfo":                   "MemTotal:        3857864 kB\n",
			"proc/uptime":                    "303.68 542.61\n",
			"proc/stat":                      "btime 1795627794\n",
			"proc/sys/kernel/random/boot_id": "0d3f6d5e-7c2b-4a51-9a3e-2d1c0b9a8f7e\n",
			"sys/hypervisor/type":            "xen\n",
			"env":                            "AWS_LAMBDA_FUNCTION_NAME=fn\nAWS_REGION=eu-central-1\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=128\n",
		}
		tree[files[int(which)%len(files)]] = string(data)
		h, err := Detect(WithRoot(writeTree(t, tree)))
		assert.Equal(t, err != nil, len(h.Problems) > 0)
		requireRoundTrip(t, h)
	})
}
