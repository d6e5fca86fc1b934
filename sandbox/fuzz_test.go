package sandbox

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/cgroupfs"
	"github.com/faasprobe/faasprobe/internal/jsontest"
)

// The fuzz targets assert properties, not values: no panic, results within
// their documented ranges, and errors exactly when the result says unknown.

func FuzzParseStatusIDs(f *testing.F) {
	f.Add(capture(f, "buildvm_proc_self_status.txt"))
	f.Add([]byte("Uid:\t496\t496\t496\t496\nGid:\t495\t495\t495\t495\n"))
	f.Add([]byte("Uid:\t4294967295\nGid:\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		uid, gid, err := parseStatusIDs(data)
		assert.GreaterOrEqual(t, uid, -1)
		assert.GreaterOrEqual(t, gid, -1)
		if err == nil {
			assert.True(t, uid >= 0 || gid >= 0, "no error means some id was read")
		}
		if uid >= 0 {
			assert.Contains(t, string(data), "Uid:")
		}
	})
}

func FuzzLookupName(f *testing.F) {
	f.Add(capture(f, "lambda2018_etc_passwd.txt"), 496)
	f.Add(capture(f, "buildvm_etc_passwd.txt"), 0)
	f.Add(capture(f, "buildvm_etc_group.txt"), 0)
	f.Add([]byte("+::::::\nu:x:7\n:x:1:1::/:/bin/sh\n"), 1)
	f.Fuzz(func(t *testing.T, data []byte, id int) {
		for _, fields := range []int{passwdFields, groupFields} {
			name, found, _ := lookupName(data, id, fields)
			if !found {
				assert.Empty(t, name)
				continue
			}
			assert.NotEmpty(t, name)
			assert.NotContains(t, name, ":")
			assert.NotContains(t, name, "\n")
			assert.Contains(t, string(data), name+":")
		}
	})
}

func FuzzParseLogStream(f *testing.F) {
	f.Add("2022/02/24/[$LATEST]adc8ffa31b144205a859666534d566cd")
	f.Add("2022/02/24/fn[12]adc8ffa31b144205a859666534d566cd")
	f.Add("$LATEST")
	f.Add("2022/13/24/[1]adc8ffa31b144205a859666534d566cd")
	f.Fuzz(func(t *testing.T, s string) {
		ls, err := parseLogStream(s)
		if err != nil {
			assert.ErrorIs(t, err, errNoGUID)
			assert.Equal(t, logStream{}, ls)
			return
		}
		if ls.Emulator {
			assert.Equal(t, emulatorLogStream, s)
			assert.Empty(t, ls.GUID)
			return
		}
		require.Len(t, ls.GUID, 32)
		assert.True(t, isLowerHex(ls.GUID))
		assert.True(t, strings.HasSuffix(s, "]"+ls.GUID))
		assert.True(t, strings.HasPrefix(s, ls.Date+"/"+ls.Prefix+"["+ls.Version+"]"))
		assert.True(t, validDate(ls.Date))
		assert.NotEmpty(t, ls.Version)
	})
}

// FuzzSandboxRootID: whatever /proc/self/cgroup holds, the id is
// alphanumeric and taken from a "sandbox-root-" component of the file.
func FuzzSandboxRootID(f *testing.F) {
	f.Add(capture(f, "lambda2022_proc_1_cgroup.txt"))
	f.Add(capture(f, "buildvm_proc_self_cgroup.txt"))
	f.Add([]byte("0::/sandbox-root-pQEzKi/x\n"))
	f.Add([]byte("2:cpu:/sandbox-root-/sandbox-root-a.b/sandbox-root-ok\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, _ := cgroupfs.ParseCgroup(data)
		id := sandboxRootID(lines)
		if id == "" {
			return
		}
		assert.True(t, isAlnum(id))
		assert.LessOrEqual(t, len(id), 64)
		assert.Contains(t, string(data), "/sandbox-root-"+id)
	})
}

func FuzzParseLimitValue(f *testing.F) {
	for _, s := range []string{"max\n", "-1", "134217728\n", "9223372036854771712\n", "12x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseLimitValue(s)
		assert.GreaterOrEqual(t, v, int64(-1))
		if err != nil {
			assert.Zero(t, v)
		}
	})
}

func FuzzParseCPULimits(f *testing.F) {
	f.Add("max 100000\n", "-1\n", "100000\n")
	f.Add("50000 100000", "50000", "100000")
	f.Add("x", "0", "0")
	f.Fuzz(func(t *testing.T, cpuMax, quota, period string) {
		for _, r := range []func() (float64, error){
			func() (float64, error) { return parseCPUMax(cpuMax) },
			func() (float64, error) { return parseCFS(quota, period) },
		} {
			v, err := r()
			if err != nil {
				assert.Zero(t, v)
				continue
			}
			assert.True(t, v == -1 || v > 0, "%v", v)
		}
	})
}

func FuzzParseCPUList(f *testing.F) {
	f.Add(string(capture(f, "buildvm_cpu_online.txt")))
	f.Add("0,2-5,7")
	f.Add("0-3,2")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseCPUList(s)
		if err != nil {
			assert.Zero(t, n)
			return
		}
		assert.GreaterOrEqual(t, n, 1)
		assert.LessOrEqual(t, n, maxCPUIndex+1)
	})
}

// FuzzDetect writes fuzzed bytes into every file of a small tree plus
// fuzzed env values and runs the whole Detect: no panic, a usable result
// that marshals, and problems exactly when an error is returned.
func FuzzDetect(f *testing.F) {
	f.Add(capture(f, "buildvm_proc_self_status.txt"), capture(f, "lambda2018_etc_passwd.txt"),
		capture(f, "lambda2022_proc_1_cgroup.txt"), capture(f, "buildvm_proc_self_mountinfo.txt"),
		capture(f, "buildvm_proc_self_limits.txt"), "2022/02/24/[$LATEST]adc8ffa31b144205a859666534d566cd", "128", "xen")
	f.Add([]byte("\x00"), []byte(":::"), []byte("0::/../x"), []byte("- - -"), []byte("Max open files"), "$LATEST", "12x", "firecracker")
	f.Fuzz(func(t *testing.T, status, passwd, cgroup, mountinfo, limits []byte, logStream, mem, hv string) {
		dir := writeTree(t, map[string]string{
			"proc/self/status":    string(status),
			"etc/passwd":          string(passwd),
			"proc/self/cgroup":    string(cgroup),
			"proc/self/mountinfo": string(mountinfo),
			"proc/self/limits":    string(limits),
			"sys/fs/cgroup/memory/memory.limit_in_bytes": string(limits),
		})
		env := map[string]string{
			"AWS_LAMBDA_FUNCTION_NAME":        "f",
			"AWS_LAMBDA_LOG_STREAM_NAME":      logStream,
			"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": mem,
		}
		host := hostinfo.Host{Machine: hostinfo.Machine{Hypervisor: hostinfo.Hypervisor{Kind: hostinfo.HypervisorKind(hv)}, MemoryTotalBytes: 3857664 << 10}}
		s, err := Detect(WithRoot(dir), WithEnv(mapEnv(env)), WithHost(host))
		assert.NotEmpty(t, s.ID)
		assert.Contains(t, []string{ScopeSandbox, ScopeProcess}, s.IDScope)
		assert.Equal(t, err != nil, len(s.Problems) > 0)
		assert.GreaterOrEqual(t, s.CoTenants.PerVM, 0)
		if s.CoTenants.PerVM == 0 {
			assert.Equal(t, hostinfo.ConfidenceNone, s.CoTenants.Confidence)
		}
		jsontest.RoundTrip(t, s) // the JSON reads back
	})
}
