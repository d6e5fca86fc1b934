//go:build unix

package safety

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/sources"
	"github.com/faasprobe/faasprobe/internal/sysroot"
	"github.com/faasprobe/faasprobe/internal/vmstat"
	"github.com/faasprobe/faasprobe/sandbox"
)

// The fault matrix: every file the library reads (internal/sources, the
// canonical list), one at a time, in every damaged form; the readers
// (hostinfo.Detect, sandbox.Detect, coldstart.New, all WithRoot, and the
// per-invocation VM sample of internal/vmstat) must never
// panic nor hang, must keep every fact that does not depend on the damaged
// file, and must name the file in a problem — unless the file's documented
// behaviour says otherwise (behaviours below).

// caseTimeout bounds one case: the readers take a few ms; a FIFO read that
// blocked would take forever.
const caseTimeout = 20 * time.Second

// overlayV1 completes the build machine's tree so that every source of
// internal/sources is present and actually read: files this machine lacks
// (DMI, Xen, /proc/modules, a device tree, /proc/self/stat) and cgroup
// values that make every limit file matter (a CPU quota, so that the
// period is read; a memory and a pids limit). Contents are in the kernel's
// formats, taken from the other scenario trees where one has the file.
var overlayV1 = map[string]string{
	"sys/class/dmi/id/sys_vendor":             "Amazon EC2\n", // ec2-nitro-c5
	"sys/class/dmi/id/product_name":           "c5.large\n",   // ec2-nitro-c5
	"sys/class/dmi/id/product_version":        "1.0\n",
	"sys/class/dmi/id/bios_vendor":            "Amazon EC2\n", // ec2-nitro-c5
	"sys/class/dmi/id/bios_version":           "1.0\n",
	"sys/class/dmi/id/board_vendor":           "Amazon EC2\n",          // ec2-nitro-c5
	"sys/class/dmi/id/board_asset_tag":        "i-0123456789abcdef0\n", // ec2-nitro-c5
	"sys/class/dmi/id/chassis_asset_tag":      "Amazon EC2\n",
	"sys/hypervisor/type":                     "xen\n", // lambda-xen-2017-c4
	"sys/hypervisor/uuid":                     "ec2a1b2c-3d4e-5f60-7182-93a4b5c6d7e8\n",
	"sys/firmware/devicetree/base/compatible": "linux,dummy-virt\x00",
	"proc/modules":                            "ena 172032 0 - Live 0xffffffffc0400000\nixgbevf 81920 0 - Live 0xffffffffc03e0000\n",
	"proc/self/stat":                          "4242 (bootstrap) S 1 4242 4242 0 -1 4194560 512 0 0 0 3 1 0 0 20 0 4 0 41500 1234567168 2100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
	"proc/sys/kernel/hostname":                "169.254.76.1\n", // Lambda names the VM by its address
	"etc/machine-id":                          "3d1219c7c4c5404aaa1f6d2a48adfda4\n",
	"var/lib/dbus/machine-id":                 "3d1219c7c4c5404aaa1f6d2a48adfda4\n",
	"proc/self/sessionid":                     "3", // a login session: set, so the fact is known
	"sys/fs/cgroup/cpu/cpu.cfs_quota_us":      "50000\n",
	"sys/fs/cgroup/pids/pids.max":             "1024\n",
	"sys/fs/cgroup/memory/process_api/bc346ccce156a222d3599ad17e8df6ca/memory.limit_in_bytes": "536870912\n",
	"env": "HOME=/root\nPATH=/usr/bin:/bin\nAWS_LAMBDA_FUNCTION_NAME=fault-matrix\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=512\nAWS_REGION=us-east-1\n",
}

// overlayV2 turns the completed tree into a pure cgroup v2 one, so that the
// v2 limit files are read.
var overlayV2 = map[string]string{
	"proc/self/cgroup":                 "0::/sandbox\n",
	"sys/fs/cgroup/sandbox/memory.max": "536870912\n",
	"sys/fs/cgroup/sandbox/cpu.max":    "50000 100000\n",
	"sys/fs/cgroup/sandbox/pids.max":   "1024\n",
}

// v2Mountinfo replaces the v1 cgroup mounts of proc/self/mountinfo.
const v2Mountinfo = "31 23 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw\n"

// The fault bases: the completed build machine (cgroup v1), its cgroup v2
// variant, a variant without /proc/version, where hostinfo falls back to
// /proc/sys/kernel/osrelease and version (read only when the banner lacks
// the release and version), and one without /etc/machine-id, where it
// falls back to /var/lib/dbus/machine-id.
type bases struct{ v1, v2, noBanner, noMachineID string }

// baseFor says which base a source is damaged in: the one where it is read.
func (b bases) baseFor(s sources.Source) string {
	switch {
	case s.Kind == sources.Cgroup && !s.CgroupV1:
		return b.v2
	case s.Path == "proc/sys/kernel/osrelease" || s.Path == "proc/sys/kernel/version":
		return b.noBanner
	case s.Path == "var/lib/dbus/machine-id":
		return b.noMachineID
	}
	return b.v1
}

func (b bases) all() []string { return []string{b.v1, b.v2, b.noBanner, b.noMachineID} }

// buildBases writes the fault base trees below dir.
func buildBases(t testing.TB, dir string) bases {
	t.Helper()
	v1, v2 := buildBase(t, dir)
	noBanner := filepath.Join(dir, "no-banner")
	require.NoError(t, os.CopyFS(noBanner, os.DirFS(v1)))
	require.NoError(t, os.Remove(filepath.Join(noBanner, "proc", "version")))
	noMachineID := filepath.Join(dir, "no-machine-id")
	require.NoError(t, os.CopyFS(noMachineID, os.DirFS(v1)))
	require.NoError(t, os.Remove(filepath.Join(noMachineID, "etc", "machine-id")))
	return bases{v1: v1, v2: v2, noBanner: noBanner, noMachineID: noMachineID}
}

// buildBase writes the cgroup v1 and v2 fault bases below dir.
func buildBase(t testing.TB, dir string) (v1, v2 string) {
	t.Helper()
	v1, v2 = filepath.Join(dir, "v1"), filepath.Join(dir, "v2")
	require.NoError(t, os.CopyFS(v1, os.DirFS(scenarioDir(t, "this-build-vm-firecracker"))))
	for name, content := range overlayV1 {
		writeFile(t, filepath.Join(v1, name), content)
	}
	require.NoError(t, os.CopyFS(v2, os.DirFS(v1)))
	require.NoError(t, os.RemoveAll(filepath.Join(v2, "sys", "fs", "cgroup")))
	for name, content := range overlayV2 {
		writeFile(t, filepath.Join(v2, name), content)
	}
	mi, err := os.ReadFile(filepath.Join(v1, "proc", "self", "mountinfo"))
	require.NoError(t, err)
	var kept []string
	for _, line := range strings.SplitAfter(string(mi), "\n") {
		if !strings.Contains(line, " /sys/fs/cgroup") && line != "" {
			kept = append(kept, line)
		}
	}
	writeFile(t, filepath.Join(v2, "proc", "self", "mountinfo"), strings.Join(kept, "")+v2Mountinfo)
	return v1, v2
}

// behaviour is a source's documented reaction to damage, beyond the rule
// (a damaged file is a problem naming it; a missing one is not).
type behaviour struct {
	// emptyOK: an empty file is a legal value (no kernel arguments, no
	// modules, a blank DMI string, no cgroup, an empty environment…): no
	// problem is required, but nothing may break.
	emptyOK bool
	// silent: read for a hint only (docs/sources.md: the ACPI DSDT and the
	// device tree are read by their first bytes and "silently skipped when
	// unreadable"): no damage is reported.
	silent bool
	// quietPerm: permission denied is silently "unknown" (root-only on some
	// kernels: DMI strings, the Xen uuid).
	quietPerm bool
}

// behaviours maps a source (by Path) to its documented behaviour; a source
// not listed follows the rule.
var behaviours = map[string]behaviour{
	"env":                                {emptyOK: true},
	"proc/cmdline":                       {emptyOK: true},
	"proc/modules":                       {emptyOK: true},
	"proc/net/if_inet6":                  {emptyOK: true},
	"proc/self/cgroup":                   {emptyOK: true},
	"proc/self/mountinfo":                {emptyOK: true},
	"etc/passwd":                         {emptyOK: true},
	"etc/group":                          {emptyOK: true},
	"sys/class/net/*/device/uevent":      {emptyOK: true},
	"sys/class/dmi/id/sys_vendor":        {emptyOK: true, quietPerm: true},
	"sys/class/dmi/id/product_name":      {emptyOK: true, quietPerm: true},
	"sys/class/dmi/id/product_version":   {emptyOK: true, quietPerm: true},
	"sys/class/dmi/id/bios_vendor":       {emptyOK: true, quietPerm: true},
	"sys/class/dmi/id/bios_version":      {emptyOK: true, quietPerm: true},
	"sys/class/dmi/id/board_vendor":      {emptyOK: true, quietPerm: true},
	"sys/class/dmi/id/board_asset_tag":   {emptyOK: true, quietPerm: true},
	"sys/class/dmi/id/chassis_asset_tag": {emptyOK: true, quietPerm: true},
	"sys/hypervisor/uuid":                {emptyOK: true, quietPerm: true},
	// A host name set empty, and a machine-id file an image ships empty
	// (machine-id(5)), are unknown, not damage.
	"proc/sys/kernel/hostname":                {emptyOK: true},
	"etc/machine-id":                          {emptyOK: true},
	"var/lib/dbus/machine-id":                 {emptyOK: true},
	"sys/firmware/acpi/tables/DSDT":           {silent: true},
	"sys/firmware/devicetree/base/compatible": {silent: true},
}

// fact is one fact of the readers' answers and the sources it depends on
// (by Path; cgroup files by name). Damage to any other source must leave it
// as it was.
type fact struct {
	name string
	deps []string
	get  func(r answers) any
	// unknown is the fact's documented "unknown" value when it is not the
	// zero value (sandbox UID: -1; 0 is root).
	unknown any
}

var facts = []fact{
	{"cpu.model_name", []string{"proc/cpuinfo"}, func(r answers) any { return r.host.Machine.CPU.ModelName }, nil},
	{"cpu.count", []string{"proc/cpuinfo"}, func(r answers) any { return r.host.Machine.CPU.Count }, nil},
	{"memory_total_bytes", []string{"proc/meminfo"}, func(r answers) any { return r.host.Machine.MemoryTotalBytes }, nil},
	{"kernel.version", []string{"proc/sys/kernel/version", "proc/version"}, func(r answers) any { return r.host.Machine.Kernel.Version }, nil},
	{"kernel.release", []string{"proc/sys/kernel/osrelease", "proc/version"}, func(r answers) any { return r.host.Machine.Kernel.Release }, nil},
	{"boot_id", []string{"proc/sys/kernel/random/boot_id"}, func(r answers) any { return r.host.Machine.BootID }, nil},
	{"boot_time", []string{"proc/stat"}, func(r answers) any { return r.host.Machine.BootTime.Unix() }, nil},
	{"uptime_seconds", []string{"proc/uptime"}, func(r answers) any { return r.host.Machine.UptimeSeconds }, nil},
	{"idle_seconds", []string{"proc/uptime"}, func(r answers) any { return r.host.Machine.IdleSeconds }, nil},
	{"memory_free_bytes", []string{"proc/meminfo"}, func(r answers) any { return r.host.Machine.MemoryFreeBytes }, nil},
	{"memory_available_bytes", []string{"proc/meminfo"}, func(r answers) any { return r.host.Machine.MemoryAvailableBytes }, nil},
	{"vm.memory_available_bytes", []string{"proc/meminfo"}, func(r answers) any { return r.vm.MemoryAvailableBytes }, nil},
	{"vm.interval_known", []string{"proc/stat"}, func(r answers) any { return r.vm.Reset == "" && !strings.Contains(r.vm.Problem, "proc/stat") }, false},
	{"host.name", []string{"proc/sys/kernel/hostname"}, func(r answers) any { return r.host.Machine.Name }, nil},
	{"host.id", []string{"etc/machine-id", "var/lib/dbus/machine-id"}, func(r answers) any { return r.host.Machine.ID }, nil},
	{"audit_session_id", []string{"proc/self/sessionid"}, func(r answers) any { return r.host.Machine.AuditSessionID }, nil},
	{"dmi.product_name", []string{"sys/class/dmi/id/product_name"}, func(r answers) any { return r.host.Machine.DMI.ProductName }, nil},
	{"dmi.board_asset_tag", []string{"sys/class/dmi/id/board_asset_tag"}, func(r answers) any { return r.host.Machine.DMI.BoardAssetTag }, nil},
	{"net_drivers", []string{"sys/class/net/*/device/uevent", "proc/modules"}, func(r answers) any { return strings.Join(r.host.Machine.NetDrivers, ",") }, nil},
	{"network.addresses", []string{"proc/net/fib_trie", "proc/net/if_inet6"}, func(r answers) any { return strings.Join(r.host.Machine.Network.Addresses, ",") }, nil},
	{"network.interfaces", []string{"proc/net/if_inet6", "proc/net/dev"}, func(r answers) any { return strings.Join(r.host.Machine.Network.Interfaces, ",") }, nil},
	{"platform.function_name", []string{"env"}, func(r answers) any { return r.host.Platform.FunctionName }, nil},
	{"sandbox.uid", []string{"proc/self/status"}, func(r answers) any { return r.sb.UID }, -1},
	{"sandbox.user", []string{"proc/self/status", "etc/passwd"}, func(r answers) any { return r.sb.User }, nil},
	{"sandbox.group", []string{"proc/self/status", "etc/group"}, func(r answers) any { return r.sb.Group }, nil},
	{"sandbox.memory_limit_mb", []string{"env"}, func(r answers) any { return r.sb.Limits.MemoryLimitMB }, nil},
	{"limits.visible_cpus", []string{"sys/devices/system/cpu/online"}, func(r answers) any { return r.sb.Limits.VisibleCPUs }, nil},
	{"limits.max_open_files", []string{"proc/self/limits"}, func(r answers) any { return r.sb.Limits.MaxOpenFiles }, nil},
	{"limits.cgroup_memory", []string{"proc/self/cgroup", "proc/self/mountinfo", "memory.limit_in_bytes", "memory.max"},
		func(r answers) any { return r.sb.Limits.CgroupMemoryLimitBytes }, nil},
	{"limits.cgroup_cpu", []string{"proc/self/cgroup", "proc/self/mountinfo", "cpu.cfs_quota_us", "cpu.cfs_period_us", "cpu.max"},
		func(r answers) any { return r.sb.Limits.CgroupCPULimit }, nil},
	{"limits.cgroup_pids", []string{"proc/self/cgroup", "proc/self/mountinfo", "pids.max"},
		func(r answers) any { return r.sb.Limits.CgroupPidsLimit }, nil},
	{"coldstart.process_start_source", []string{"proc/self/stat", "proc/uptime", "proc/stat"},
		func(r answers) any { return r.cs.ProcessStartSource }, nil},
}

// answers is what the three readers said about one tree.
type answers struct {
	host     hostinfo.Host
	sb       sandbox.Sandbox
	cs       coldstart.SandboxStats
	vm       vmstat.Sample // internal/vmstat's sample: New, then one Sample
	panicked string        // the recovered value and stack, if a reader panicked
}

// problems lists every problem of the three readers as "source: error".
func (a answers) problems() []string {
	var out []string
	for _, p := range a.host.Problems {
		out = append(out, "hostinfo: "+p.Source+": "+p.Error)
	}
	for _, p := range a.sb.Problems {
		out = append(out, "sandbox: "+p.Source+": "+p.Error)
	}
	for _, p := range a.cs.Problems {
		out = append(out, "coldstart: "+p)
	}
	if a.vm.Problem != "" {
		for _, p := range strings.Split(a.vm.Problem, "; ") {
			out = append(out, "vmstat: "+p)
		}
	}
	return out
}

// json renders every answer (the facts as a function would print them).
func (a answers) json(t testing.TB) []byte {
	t.Helper()
	b, err := json.Marshal(struct {
		Host    hostinfo.Host
		Sandbox sandbox.Sandbox
		Stats   coldstart.SandboxStats
		VM      vmstat.Sample
	}{a.host, a.sb, a.cs, a.vm})
	require.NoError(t, err)
	return b
}

// detect runs the three readers on the tree at dir, failing the test if
// they do not return within caseTimeout.
func detect(t testing.TB, dir string) answers {
	t.Helper()
	done := make(chan answers, 1)
	go func() {
		var a answers
		defer func() {
			if r := recover(); r != nil {
				a.panicked = fmt.Sprintf("%v\n%s", r, debug.Stack())
			}
			done <- a
		}()
		a.host, _ = hostinfo.Detect(hostinfo.WithRoot(dir))
		a.sb, _ = sandbox.Detect(sandbox.WithRoot(dir))
		a.cs = coldstart.New(coldstart.WithRoot(dir)).Stats()
		root, _ := sysroot.Recorded(dir)
		a.vm = vmstat.New(root).Sample()
	}()
	select {
	case a := <-done:
		return a
	case <-time.After(caseTimeout):
		t.Fatalf("the readers did not return within %v on %s (a blocking read?)", caseTimeout, dir)
		return answers{}
	}
}

// variant is one way to damage a file; apply replaces the file at p (its
// original content given) and says whether the variant applies here.
type variant struct {
	name  string
	apply func(t testing.TB, p string, orig []byte) bool
}

// garbageMarker is in every garbage file: a fact that carries it is a
// garbage value passed on as if it were true.
const garbageMarker = "GaRbAgE"

// garbage is binary junk: NULs, invalid UTF-8, control characters, the
// marker, no line structure.
func garbage() []byte {
	b := []byte("\x00\xff\xfe\x01\x02" + garbageMarker + "\x00\x80\x81\xc3\x28\x1b[31m\x7f")
	x := uint32(2463534242) // xorshift32: the same junk on every run
	for range 2048 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b = append(b, byte(x))
	}
	return b
}

// huge repeats the file's content (or a line, for an empty one) past
// sysroot.MaxFileSize: plausible content, too much of it.
func huge(orig []byte) []byte {
	unit := orig
	if len(unit) == 0 {
		unit = []byte("0\n")
	}
	var b bytes.Buffer
	for b.Len() <= sysroot.MaxFileSize {
		b.Write(unit)
	}
	return b.Bytes()
}

func replace(t testing.TB, p string, content []byte) {
	t.Helper()
	require.NoError(t, os.Remove(p))
	require.NoError(t, os.WriteFile(p, content, 0o644))
}

var variants = []variant{
	{"missing", func(t testing.TB, p string, _ []byte) bool {
		require.NoError(t, os.Remove(p))
		return true
	}},
	{"empty", func(t testing.TB, p string, _ []byte) bool { replace(t, p, nil); return true }},
	{"truncated", func(t testing.TB, p string, orig []byte) bool {
		if len(orig) < 2 {
			return false
		}
		replace(t, p, orig[:len(orig)/2]) // mid-line for all but one-character lines
		return true
	}},
	{"garbage", func(t testing.TB, p string, _ []byte) bool { replace(t, p, garbage()); return true }},
	{"directory", func(t testing.TB, p string, _ []byte) bool {
		require.NoError(t, os.Remove(p))
		require.NoError(t, os.Mkdir(p, 0o755))
		return true
	}},
	{"fifo", func(t testing.TB, p string, _ []byte) bool {
		require.NoError(t, os.Remove(p))
		require.NoError(t, syscall.Mkfifo(p, 0o644))
		return true
	}},
	{"chmod000", func(t testing.TB, p string, _ []byte) bool {
		if os.Geteuid() == 0 {
			return false // root reads anything; the directory and FIFO cases stand in
		}
		require.NoError(t, os.Chmod(p, 0))
		return true
	}},
	{"huge", func(t testing.TB, p string, orig []byte) bool { replace(t, p, huge(orig)); return true }},
}

// faultTarget is one file of one source in one base tree.
type faultTarget struct {
	src  sources.Source
	base string // the base tree
	file string // below the base, slash-separated
}

// targets resolves every source to the files it stands for in the base
// trees. Existence-only sources (markers, directories) and live-only ones
// have nothing to damage and are returned as skipped.
func targets(t testing.TB, b bases) (out []faultTarget, skipped []string) {
	t.Helper()
	for _, s := range sources.All() {
		switch s.Kind {
		case sources.Marker, sources.Dir, sources.LiveOnly:
			skipped = append(skipped, fmt.Sprintf("%s (%s)", s.Path, s.Kind))
			continue
		}
		base := b.baseFor(s)
		var files []string
		switch s.Kind {
		case sources.Glob:
			m, err := fs.Glob(os.DirFS(base), s.Path)
			require.NoError(t, err)
			files = m
		case sources.Cgroup:
			require.NoError(t, fs.WalkDir(os.DirFS(base), "sys/fs/cgroup", func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && path.Base(p) == s.Path && strings.Contains(p, "/"+s.Controller+"/") == s.CgroupV1 {
					files = append(files, p)
				}
				return err
			}))
		default:
			files = []string{s.Path}
		}
		require.NotEmpty(t, files, "source %s (%s) has no file in the fault base: add it to overlayV1/overlayV2", s.Path, s.Kind)
		for _, f := range files {
			_, err := os.Stat(filepath.Join(base, filepath.FromSlash(f)))
			require.NoError(t, err, "source %s: the fault base lacks %s: add it to overlayV1/overlayV2", s.Path, f)
			out = append(out, faultTarget{src: s, base: base, file: f})
		}
	}
	return out, skipped
}

// names reports whether a problem line names the damaged file: the path
// below the root, as a whole path (after a separator, never as the tail of
// a longer name).
func names(problem, file string) bool {
	for i := 0; ; {
		j := strings.Index(problem[i:], file)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || strings.ContainsRune("/ :\"'", rune(problem[at-1])) {
			return true
		}
		i = at + 1
	}
}

// TestFaultMatrix runs every variant on every file, one file at a time.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	b := buildBases(t, t.TempDir())
	baseline := map[string]answers{}
	for _, base := range b.all() {
		baseline[base] = detect(t, base)
	}

	// Preconditions: the bases are complete, so that a damaged file is
	// really read, and every fact is known to begin with.
	for _, base := range b.all() {
		a := baseline[base]
		require.Empty(t, a.panicked)
		require.Empty(t, a.problems(), "the fault base %s must read cleanly", base)
		for _, f := range facts {
			unknown := f.unknown
			if unknown == nil {
				unknown = reflect.Zero(reflect.TypeOf(f.get(a))).Interface()
			}
			require.NotEqual(t, unknown, f.get(a), "fact %s is unknown in the fault base %s", f.name, base)
		}
	}
	require.Contains(t, []string{"v1", "hybrid"}, baseline[b.v1].sb.Limits.CgroupVersion)
	require.Equal(t, "v2", baseline[b.v2].sb.Limits.CgroupVersion)

	tgts, skipped := targets(t, b)
	t.Logf("%d files from %d sources; existence-only or live-only, not damaged: %v", len(tgts), len(sources.All()), skipped)
	for _, tg := range tgts {
		bh := behaviours[tg.src.Path]
		for _, v := range variants {
			t.Run(tg.file+"/"+v.name, func(t *testing.T) {
				t.Parallel()
				dir := filepath.Join(t.TempDir(), "root")
				require.NoError(t, os.CopyFS(dir, os.DirFS(tg.base)))
				p := filepath.Join(dir, filepath.FromSlash(tg.file))
				orig, err := os.ReadFile(p)
				require.NoError(t, err)
				if !v.apply(t, p, orig) {
					t.Skipf("%s does not apply here", v.name)
				}
				got := detect(t, dir)
				require.Empty(t, got.panicked, "a reader panicked")
				checkFault(t, tg, v.name, bh, baseline[tg.base], got)
			})
		}
	}
}

// checkFault asserts the invariants for one damaged file.
func checkFault(t *testing.T, tg faultTarget, variant string, b behaviour, base, got answers) {
	t.Helper()
	// Partial facts: whatever does not depend on the damaged source is
	// unchanged.
	for _, f := range facts {
		if slices.Contains(f.deps, tg.src.Path) {
			continue
		}
		assert.Equal(t, f.get(base), f.get(got), "fact %s changed although it does not depend on %s", f.name, tg.file)
	}
	// Every new problem names the damaged file.
	var naming []string
	for _, p := range got.problems() {
		if names(p, tg.file) {
			naming = append(naming, p)
		} else if !slices.Contains(base.problems(), p) {
			t.Errorf("a problem that does not name %s: %s", tg.file, p)
		}
	}
	reported := len(naming) > 0
	t.Logf("problems naming %s: %q", tg.file, naming)
	var want bool // a problem naming the file is required
	switch variant {
	case "missing":
		assert.False(t, reported, "a missing file is unknown, not a problem: %v", naming)
		return
	case "empty":
		want = !b.emptyOK && !b.silent
	case "truncated":
		// A cut file can still be well-formed (fewer CPUs, a shorter
		// list): no problem is required; the facts above still hold.
	case "garbage", "directory", "fifo", "huge":
		want = !b.silent
		if tg.src.Kind == sources.Head && variant == "huge" {
			want = false // only the first bytes are read
		}
	case "chmod000":
		want = !b.silent && !b.quietPerm
	}
	if want {
		assert.True(t, reported, "no problem names %s (%s); problems: %v", tg.file, variant, got.problems())
	}
	if variant == "garbage" && !reported {
		// Unreported garbage must not surface as a fact.
		out := got.json(t)
		assert.NotContains(t, string(out), garbageMarker, "garbage from %s passed on as a fact", tg.file)
		assert.NotContains(t, string(out), `\u0000`, "a NUL from %s passed on as a fact", tg.file)
		assert.NotContains(t, string(out), `\ufffd`, "invalid UTF-8 from %s passed on as a fact", tg.file)
	}
}

// TestFaultTargetsCoverEverySource: every source of internal/sources that
// has content is damaged by the matrix (the list cannot grow unseen).
func TestFaultTargetsCoverEverySource(t *testing.T) {
	t.Parallel()
	tgts, skipped := targets(t, buildBases(t, t.TempDir()))
	covered := map[string]bool{}
	for _, tg := range tgts {
		covered[tg.src.Path+"/"+tg.src.Kind.String()] = true
	}
	for _, s := range sources.All() {
		switch s.Kind {
		case sources.Marker, sources.Dir, sources.LiveOnly:
			continue
		}
		assert.True(t, covered[s.Path+"/"+s.Kind.String()], "source %s (%s) is not in the matrix", s.Path, s.Kind)
	}
	for path := range behaviours {
		assert.True(t, slices.ContainsFunc(sources.All(), func(s sources.Source) bool { return s.Path == path }),
			"behaviour for %s, which internal/sources no longer lists", path)
	}
	for _, f := range facts {
		for _, d := range f.deps {
			assert.True(t, slices.ContainsFunc(sources.All(), func(s sources.Source) bool { return s.Path == d }),
				"fact %s depends on %s, which internal/sources does not list", f.name, d)
		}
	}
	t.Logf("skipped (nothing to damage): %v", skipped)
}
