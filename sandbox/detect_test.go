package sandbox

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
)

// writeTree builds a recorded tree in a temp dir: name → content.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

func mapEnv(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func problemSources(s Sandbox) []string {
	var out []string
	for _, p := range s.Problems {
		out = append(out, p.Source)
	}
	return out
}

const (
	guid2022 = "adc8ffa31b144205a859666534d566cd" // BenjiTrapp env.txt
	// memTotalC4Large is MemTotal of the 2017 Xen-era Lambda VM (c4.large).
	memTotalC4Large = 3857664 << 10
)

// lambdaV1Mounts is a cgroup v1 mountinfo shaped like Lambda's 2022 layout
// (one hierarchy per controller group, as /proc/1/cgroup lists them).
const lambdaV1Mounts = `25 20 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec - tmpfs tmpfs ro,mode=755
26 25 0:23 / /sys/fs/cgroup/systemd rw,nosuid - cgroup cgroup rw,name=systemd
27 25 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct
28 25 0:25 / /sys/fs/cgroup/pids rw,nosuid - cgroup cgroup rw,pids
29 25 0:26 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory
`

func TestDetectXenLambda(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"proc/self/status":               "Name:\tnode\nUid:\t486\t486\t486\t486\nGid:\t485\t485\t485\t485\n",
		"etc/passwd":                     string(capture(t, "lambda2018_etc_passwd.txt")),
		"etc/group":                      "sbx_user1061:x:485:\n",
		"proc/self/cgroup":               "2:cpu,cpuacct:/sandbox-root-uPxa7U/sandbox-service-252528\n7:memory:/sandbox-service-9ac6cf/sandbox-672d8a\n",
		"proc/sys/kernel/random/boot_id": "f4930f3c-2b3d-4b60-85da-0010617c15a1\n",
		"env": "AWS_LAMBDA_FUNCTION_NAME=exec\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=128\n" +
			"AWS_LAMBDA_LOG_STREAM_NAME=2017/03/11/[$LATEST]" + guid2022 + "\n",
	})
	host := hostinfo.Host{Machine: hostinfo.Machine{
		Hypervisor:       hostinfo.Hypervisor{Kind: hostinfo.HypervisorXen},
		MemoryTotalBytes: memTotalC4Large,
	}}
	s, err := Detect(WithRoot(dir), WithHost(host))
	require.NoError(t, err)
	assert.Equal(t, guid2022, s.ID)
	assert.Equal(t, "AWS_LAMBDA_LOG_STREAM_NAME", s.IDSource)
	assert.Equal(t, ScopeSandbox, s.IDScope)
	assert.Equal(t, "2017/03/11/[$LATEST]"+guid2022, s.LogStream)
	assert.Equal(t, "sbx_user1061", s.User)
	assert.Equal(t, 486, s.UID)
	assert.Equal(t, "sbx_user1061", s.Group)
	assert.Equal(t, 485, s.GID)
	assert.Equal(t, IsolationSharedVM, s.Isolation)
	assert.Contains(t, s.IsolationEvidence, "cgroup: sandbox-root-uPxa7U")
	assert.Contains(t, s.IsolationEvidence, "user: sbx_user1061 (sandbox slot 10)")
	assert.Equal(t, 29, s.CoTenants.PerVM)
	assert.Equal(t, hostinfo.ConfidenceMedium, s.CoTenants.Confidence)
	assert.Contains(t, s.CoTenants.Basis, "3857664 kB")
	assert.Equal(t, 128, s.Limits.MemoryLimitMB)
	assert.Equal(t, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", s.Limits.MemoryLimitSource)
	assert.InDelta(t, 0.072, s.Limits.VCPUEntitlement, 1e-9)
	assert.Equal(t, "f4930f3c-2b3d-4b60-85da-0010617c15a1", s.BootID)
	// A recorded tree has no live-only facts.
	assert.Zero(t, s.Limits.NumCPU)
	assert.Zero(t, s.Limits.Tmp)
}

func TestDetectFirecrackerLambdaCgroupV1(t *testing.T) {
	t.Parallel()
	cg := "/sys/fs/cgroup"
	dir := writeTree(t, map[string]string{
		"proc/self/status":    "Uid:\t993\t993\t993\t993\nGid:\t990\t990\t990\t990\n",
		"etc/passwd":          "root:x:0:0:root:/root:/bin/bash\nsbx_user1051:x:993:990::/home/sbx_user1051:/sbin/nologin\n",
		"proc/self/cgroup":    string(capture(t, "lambda2022_proc_1_cgroup.txt")),
		"proc/self/mountinfo": lambdaV1Mounts,
		// Limits: the leaf is unlimited, its parent sets 128 MiB.
		cg[1:] + "/memory/sandbox-service-9ac6cf/sandbox-672d8a/memory.limit_in_bytes":      "9223372036854771712\n",
		cg[1:] + "/memory/sandbox-service-9ac6cf/memory.limit_in_bytes":                     "134217728\n",
		cg[1:] + "/memory/memory.limit_in_bytes":                                            "9223372036854771712\n",
		cg[1:] + "/cpu,cpuacct/sandbox-root-uPxa7U/sandbox-service-252528/cpu.cfs_quota_us": "-1\n",
		cg[1:] + "/cpu,cpuacct/sandbox-root-uPxa7U/cpu.cfs_quota_us":                        "200000\n",
		cg[1:] + "/cpu,cpuacct/sandbox-root-uPxa7U/cpu.cfs_period_us":                       "100000\n",
		cg[1:] + "/pids/pids.max":       "max\n",
		"proc/self/limits":              "Max processes             1024                 1024                 processes\nMax open files            1024                 1024                 files\n",
		"sys/devices/system/cpu/online": "0-1\n",
		"env":                           "AWS_LAMBDA_FUNCTION_NAME=exec\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=128\nAWS_LAMBDA_LOG_STREAM_NAME=2022/02/24/[$LATEST]" + guid2022 + "\n",
	})
	host := hostinfo.Host{Machine: hostinfo.Machine{Hypervisor: hostinfo.Hypervisor{Kind: hostinfo.HypervisorFirecracker}}}
	s, err := Detect(WithRoot(dir), WithHost(host))
	require.NoError(t, err)
	assert.Equal(t, "sbx_user1051", s.User)
	assert.Equal(t, 993, s.UID)
	assert.Equal(t, guid2022, s.ID)
	assert.Equal(t, IsolationMicroVM, s.Isolation)
	assert.Equal(t, CoTenants{PerVM: 1, Confidence: hostinfo.ConfidenceHigh,
		Basis: "one sandbox per microVM; the host under it is shared by many microVMs and is not observable from inside"}, s.CoTenants)
	l := s.Limits
	assert.Equal(t, "v1", l.CgroupVersion)
	assert.Equal(t, int64(128<<20), l.CgroupMemoryLimitBytes)
	assert.Equal(t, "sys/fs/cgroup/memory/sandbox-service-9ac6cf/memory.limit_in_bytes", l.CgroupMemoryFile)
	assert.InDelta(t, 2.0, l.CgroupCPULimit, 1e-9)
	assert.Equal(t, "sys/fs/cgroup/cpu,cpuacct/sandbox-root-uPxa7U/cpu.cfs_quota_us", l.CgroupCPUFile)
	assert.Equal(t, int64(-1), l.CgroupPidsLimit)
	assert.Equal(t, 2, l.VisibleCPUs)
	assert.Equal(t, int64(1024), l.MaxOpenFiles)
	assert.Equal(t, int64(1024), l.MaxProcesses)
}

func TestDetectCgroupV2(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"proc/self/cgroup":                           "0::/kubepods/pod1/ctr\n",
		"proc/self/mountinfo":                        "30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n",
		"sys/fs/cgroup/kubepods/pod1/ctr/memory.max": "max\n",
		"sys/fs/cgroup/kubepods/pod1/memory.max":     "536870912\n",
		"sys/fs/cgroup/kubepods/memory.max":          "1073741824\n",
		"sys/fs/cgroup/kubepods/pod1/ctr/cpu.max":    "50000 100000\n",
		"sys/fs/cgroup/kubepods/cpu.max":             "max 100000\n",
		"sys/fs/cgroup/kubepods/pod1/ctr/pids.max":   "100\n",
		"sys/fs/cgroup/kubepods/pod1/pids.max":       "4096\n",
	})
	host := hostinfo.Host{Machine: hostinfo.Machine{Hypervisor: hostinfo.Hypervisor{Kind: hostinfo.HypervisorKVM},
		Container: hostinfo.Container{Detected: true, Evidence: []string{"cgroup /kubepods"}}}}
	s, err := Detect(WithRoot(dir), WithHost(host))
	require.NoError(t, err)
	l := s.Limits
	assert.Equal(t, "v2", l.CgroupVersion)
	assert.Equal(t, int64(512<<20), l.CgroupMemoryLimitBytes)
	assert.Equal(t, "sys/fs/cgroup/kubepods/pod1/memory.max", l.CgroupMemoryFile)
	assert.InDelta(t, 0.5, l.CgroupCPULimit, 1e-9)
	assert.Equal(t, int64(100), l.CgroupPidsLimit)
	assert.Equal(t, IsolationContainer, s.Isolation)
	assert.Equal(t, 0, s.CoTenants.PerVM)
	assert.Equal(t, hostinfo.ConfidenceNone, s.CoTenants.Confidence)
	assert.Equal(t, ScopeProcess, s.IDScope)
	assert.Zero(t, l.VCPUEntitlement, "not Lambda")
}

func TestDetectIDSources(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		env        map[string]string
		cgroup     string
		wantID     string
		wantSource string
		wantScope  string
		wantNote   string
		wantProbs  []string
	}{
		{"lambda prefixed form", map[string]string{"AWS_LAMBDA_LOG_STREAM_NAME": "2022/02/24/fn[12]" + guid2022},
			"", guid2022, "AWS_LAMBDA_LOG_STREAM_NAME", ScopeSandbox, "", nil},
		{"emulator $LATEST: process id, no problem", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "function", "AWS_LAMBDA_LOG_STREAM_NAME": "$LATEST"},
			"", processID(), "crypto/rand", ScopeProcess, "emulator", nil},
		{"malformed log stream falls through to cgroup", map[string]string{"AWS_LAMBDA_LOG_STREAM_NAME": "2022/02/24/[$LATEST]nothex"},
			"2:cpu,cpuacct:/sandbox-root-uPxa7U/x\n", "uPxa7U", "proc/self/cgroup", ScopeSandbox, "", []string{"AWS_LAMBDA_LOG_STREAM_NAME"}},
		{"azure container name", map[string]string{"WEBSITE_SITE_NAME": "abc123", "CONTAINER_NAME": "E9A1A5B2-638637", "WEBSITE_INSTANCE_ID": "2120174d"},
			"", "E9A1A5B2-638637", "CONTAINER_NAME", ScopeSandbox, "", nil},
		{"azure instance id when no container name", map[string]string{"FUNCTIONS_WORKER_RUNTIME": "custom", "WEBSITE_INSTANCE_ID": "2120174d611510bdf6ad494d55d9c98484f6a813d5b363a6244556f9f3045668"},
			"", "2120174d611510bdf6ad494d55d9c98484f6a813d5b363a6244556f9f3045668", "WEBSITE_INSTANCE_ID", ScopeSandbox, "", nil},
		{"stray CONTAINER_NAME without Azure is ignored (this build machine)", map[string]string{"CONTAINER_NAME": "also-whale-hvbqqn-hgnkth"},
			"", processID(), "crypto/rand", ScopeProcess, "", nil},
		{"azure id with spaces is a problem", map[string]string{"WEBSITE_SITE_NAME": "x", "CONTAINER_NAME": "a b"},
			"", processID(), "crypto/rand", ScopeProcess, "", []string{"CONTAINER_NAME"}},
		{"fly machine", map[string]string{"FLY_MACHINE_ID": "148ed726c10e89", "FLY_APP_NAME": "a"},
			"", "148ed726c10e89", "FLY_MACHINE_ID", ScopeSandbox, "", nil},
		{"cloud run says why there is no id", map[string]string{"CLOUD_RUN_JOB": "j", "CLOUD_RUN_EXECUTION": "j-1"},
			"", processID(), "crypto/rand", ScopeProcess, "metadata server", nil},
		// K_SERVICE alone is Knative's (Cloud Run sets it too, but only the
		// machine facts tell them apart): no Google metadata server to name.
		{"K_SERVICE alone is knative", map[string]string{"K_SERVICE": "svc", "K_REVISION": "svc-1"},
			"", processID(), "crypto/rand", ScopeProcess, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{}
			if tt.cgroup != "" {
				files["proc/self/cgroup"] = tt.cgroup
			}
			s, err := Detect(WithRoot(writeTree(t, files)), WithEnv(mapEnv(tt.env)), WithHost(hostinfo.Host{}))
			assert.Equal(t, tt.wantID, s.ID)
			assert.Equal(t, tt.wantSource, s.IDSource)
			assert.Equal(t, tt.wantScope, s.IDScope)
			if tt.wantNote == "" {
				assert.Empty(t, s.IDNote)
			} else {
				assert.Contains(t, s.IDNote, tt.wantNote)
			}
			assert.Equal(t, tt.wantProbs, problemSources(s))
			assert.Equal(t, len(tt.wantProbs) > 0, err != nil)
		})
	}
}

func TestProcessIDIsStable(t *testing.T) {
	t.Parallel()
	a, _ := Detect(WithRoot(t.TempDir()), WithEnv(mapEnv(nil)), WithHost(hostinfo.Host{}))
	b, _ := Detect(WithRoot(t.TempDir()), WithEnv(mapEnv(nil)), WithHost(hostinfo.Host{}))
	assert.Equal(t, a.ID, b.ID)
	assert.Len(t, a.ID, 32)
	assert.True(t, isLowerHex(a.ID))
}

// TestDetectBadInput: every garbage source gives a clear problem naming it,
// the rest of the facts survive, nothing panics.
func TestDetectBadInput(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"proc/self/status":    "Uid:\t0\nGid:\tnobody\n",
		"etc/passwd":          "\x00\x01garbage\nroot:x:0:0:root:/root:/bin/bash\n",
		"proc/self/cgroup":    "\xff\xfe binary\n4:memory:/a\n",
		"proc/self/mountinfo": "this is not mountinfo\n1 0 0:1 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
		"sys/fs/cgroup/memory/a/memory.limit_in_bytes": "lots\n",
		"sys/fs/cgroup/memory/memory.limit_in_bytes":   "268435456\n",
		"proc/self/limits":                             "nothing here\n",
		"sys/devices/system/cpu/online":                "3-1\n",
		"proc/sys/kernel/random/boot_id":               "not-a-uuid\n",
		"env":                                          "AWS_LAMBDA_FUNCTION_NAME=f\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=12x\nAWS_LAMBDA_LOG_STREAM_NAME=2022/02/24/[$LATEST]short\n",
	})
	s, err := Detect(WithRoot(dir), WithHost(hostinfo.Host{}))
	require.Error(t, err)
	want := []string{
		"proc/self/status", "etc/passwd", "proc/self/cgroup", "AWS_LAMBDA_LOG_STREAM_NAME",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "proc/self/mountinfo",
		"sys/fs/cgroup/memory/a/memory.limit_in_bytes", "sys/devices/system/cpu/online",
		"proc/self/limits", "proc/sys/kernel/random/boot_id",
	}
	assert.ElementsMatch(t, want, problemSources(s))
	for _, p := range s.Problems {
		assert.True(t, strings.HasPrefix(p.Error, "sandbox: "+p.Source+": "), p.Error)
		assert.Contains(t, err.Error(), p.Error, "the joined error carries every problem")
	}
	// What was good survives.
	assert.Equal(t, "root", s.User, "the good passwd line is still used")
	assert.Equal(t, 0, s.UID)
	assert.Equal(t, -1, s.GID)
	assert.Equal(t, int64(256<<20), s.Limits.CgroupMemoryLimitBytes, "the parent's limit still counts")
	assert.Zero(t, s.Limits.MemoryLimitMB)
	assert.Zero(t, s.Limits.VCPUEntitlement)
	assert.Empty(t, s.BootID)
	assert.Equal(t, ScopeProcess, s.IDScope)
}

func TestDetectMissingRoot(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "nope")
	s, err := Detect(WithRoot(missing), WithHost(hostinfo.Host{}))
	require.Error(t, err)
	assert.Equal(t, []string{"."}, problemSources(s), "the tree itself, not its real path")
	assert.Equal(t, -1, s.UID, "no live fallback for a recorded tree")
	assert.NotEmpty(t, s.ID)
	assert.Equal(t, IsolationUnknown, s.Isolation)
}

func TestDetectAbsentIsNotAProblem(t *testing.T) {
	t.Parallel()
	s, err := Detect(WithRoot(t.TempDir()), WithHost(hostinfo.Host{}))
	require.NoError(t, err)
	assert.Empty(t, s.Problems)
	assert.Equal(t, -1, s.UID)
	assert.Equal(t, -1, s.GID)
	assert.Equal(t, IsolationUnknown, s.Isolation)
	assert.Equal(t, CoTenants{Basis: "isolation unknown", Confidence: hostinfo.ConfidenceNone}, s.CoTenants)
}

func TestWithEnvWinsOverTreeEnvInAnyOrder(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"env": "AWS_LAMBDA_FUNCTION_NAME=fn\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=128\n"})
	env := mapEnv(map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512"})
	for _, opts := range [][]Option{
		{WithRoot(dir), WithEnv(env), WithHost(hostinfo.Host{})},
		{WithEnv(env), WithRoot(dir), WithHost(hostinfo.Host{})},
	} {
		s, err := Detect(opts...)
		require.NoError(t, err)
		assert.Equal(t, 512, s.Limits.MemoryLimitMB)
	}
}

// TestMemoryIsThePlatformsVariable: the configured memory is read from
// the variable of the platform the environment names (one decoder for
// hostinfo and sandbox), with one white-space rule; a memory variable
// without its platform's variables is not read.
func TestMemoryIsThePlatformsVariable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		env        map[string]string
		want       int
		wantSource string
		wantProbs  []string
	}{
		{"lambda", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"}, 128, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", nil},
		{"white space around the value is dropped, as in hostinfo", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": " 2048"}, 2048, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", nil},
		{"above 1 TiB is a problem", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "16777216"}, 0, "", []string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE"}},
		{"alibaba's documented variable", map[string]string{"FC_FUNCTION_NAME": "f", "FC_FUNCTION_MEMORY_SIZE": "512", "FC_MEMORY_SIZE": "256"}, 512, "FC_FUNCTION_MEMORY_SIZE", nil},
		{"fly", map[string]string{"FLY_MACHINE_ID": "148ed726c10e89", "FLY_VM_MEMORY_MB": "256"}, 256, "FLY_VM_MEMORY_MB", nil},
		{"a memory variable without its platform is not read", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"}, 0, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Detect(WithRoot(t.TempDir()), WithEnv(mapEnv(tt.env)), WithHost(hostinfo.Host{}))
			assert.Equal(t, tt.want, s.Limits.MemoryLimitMB)
			assert.Equal(t, tt.wantSource, s.Limits.MemoryLimitSource)
			assert.Equal(t, tt.wantProbs, problemSources(s))
			if tt.wantProbs == nil {
				assert.NoError(t, err)
			}
		})
	}
}

func TestMemoryFromHostWhenEnvSilent(t *testing.T) {
	t.Parallel()
	host := hostinfo.Host{Platform: hostinfo.Platform{Provider: "aws", Service: "lambda", MemoryLimitMB: 1769}}
	s, err := Detect(WithRoot(t.TempDir()), WithHost(host))
	require.NoError(t, err)
	assert.Equal(t, 1769, s.Limits.MemoryLimitMB)
	assert.Equal(t, "host", s.Limits.MemoryLimitSource)
	assert.InDelta(t, 1.0, s.Limits.VCPUEntitlement, 1e-9)
}

// TestJSONContract pins the keys the CLI schema promises and that
// lists are [] rather than null.
func TestJSONContract(t *testing.T) {
	t.Parallel()
	s, err := Detect(WithRoot(t.TempDir()), WithHost(hostinfo.Host{}))
	require.NoError(t, err)
	b, err := json.Marshal(s)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"id", "id_source", "id_scope", "user", "uid", "isolation", "isolation_evidence",
		"limits", "co_tenants", "boot_id", "availability_zone_id", "problems"} {
		assert.Contains(t, m, k)
	}
	assert.Equal(t, []any{}, m["problems"])
	assert.Equal(t, []any{}, m["isolation_evidence"])
	ct, ok := m["co_tenants"].(map[string]any)
	require.True(t, ok)
	for _, k := range []string{"per_vm", "basis", "confidence"} {
		assert.Contains(t, ct, k)
	}
	lim, ok := m["limits"].(map[string]any)
	require.True(t, ok)
	assert.Contains(t, lim, "memory_limit_mb")
	assert.NotContains(t, lim, "tmp", "omitted when unknown")
	assert.Equal(t, float64(-1), m["uid"])
}

// TestDetectReadsOnlyItsFiles pins the file list (docs/sources.md) so that no read
// creeps in unnoticed: the trace sees every read below the root.
func TestDetectReadsOnlyItsFiles(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"proc/self/status":    "Uid:\t0\nGid:\t0\n",
		"proc/self/cgroup":    "4:memory:/a\n",
		"proc/self/mountinfo": "1 0 0:1 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
	})
	var read []string
	c := newConfig([]Option{WithRoot(dir), WithHost(hostinfo.Host{})})
	c.trace = func(name string) { read = append(read, name) }
	_, err := detect(c)
	require.NoError(t, err)
	want := []string{"proc/self/status", "etc/passwd", "etc/group", "proc/self/cgroup", "proc/self/mountinfo",
		"sys/fs/cgroup/memory/a/memory.limit_in_bytes", "sys/fs/cgroup/memory/memory.limit_in_bytes",
		"sys/devices/system/cpu/online", "proc/self/limits", "proc/sys/kernel/random/boot_id"}
	assert.Equal(t, want, read)
	// The host's boot id spares a read.
	read = nil
	c = newConfig([]Option{WithRoot(dir), WithHost(hostinfo.Host{Machine: hostinfo.Machine{BootID: "x"}})})
	c.trace = func(name string) { read = append(read, name) }
	_, _ = detect(c)
	assert.False(t, slices.Contains(read, "proc/sys/kernel/random/boot_id"))

	// So does the host's /proc/self/cgroup: the limits are still resolved
	// through it (the tree's own file says otherwise).
	read = nil
	host, err := hostinfo.Detect(hostinfo.WithRoot(writeTree(t, map[string]string{"proc/self/cgroup": "4:memory:/b\n"})))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sys/fs/cgroup/memory/b"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sys/fs/cgroup/memory/b/memory.limit_in_bytes"), []byte("134217728\n"), 0o644))
	c = newConfig([]Option{WithRoot(dir), WithHost(host)})
	c.trace = func(name string) { read = append(read, name) }
	s, err := detect(c)
	require.NoError(t, err)
	assert.False(t, slices.Contains(read, "proc/self/cgroup"), "the host's text is reused through internal/detected")
	assert.Contains(t, read, "sys/fs/cgroup/memory/b/memory.limit_in_bytes")
	assert.Equal(t, int64(134217728), s.Limits.CgroupMemoryLimitBytes)
}

func TestTmpStatfsOnLiveOnly(t *testing.T) {
	t.Parallel()
	calls := 0
	fake := func(string) (Filesystem, error) {
		calls++
		return Filesystem{SizeBytes: 512 << 20, FreeBytes: 500 << 20}, nil
	}
	c := newConfig([]Option{WithHost(hostinfo.Host{})})
	c.statfs = fake
	s, _ := detect(c)
	assert.Equal(t, Filesystem{Path: "/tmp", SizeBytes: 512 << 20, FreeBytes: 500 << 20}, s.Limits.Tmp)

	c = newConfig([]Option{WithRoot(t.TempDir()), WithHost(hostinfo.Host{})})
	c.statfs = fake
	s, err := detect(c)
	require.NoError(t, err)
	assert.Zero(t, s.Limits.Tmp)
	assert.Equal(t, 1, calls, "statfs only for the live root")

	c = newConfig([]Option{WithHost(hostinfo.Host{})})
	c.statfs = func(string) (Filesystem, error) { return Filesystem{}, errors.New("input/output error") }
	s, _ = detect(c)
	assert.Contains(t, problemSources(s), "tmp")
}
