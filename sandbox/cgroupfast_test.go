package sandbox

import (
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/cgroupfs"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// fakeFS answers statfs f_type for the paths it holds (below root), and
// ENOENT for the rest.
func fakeFS(root string, types map[string]int64) func(string) (int64, error) {
	return func(p string) (int64, error) {
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return 0, err
		}
		if t, ok := types[filepath.ToSlash(rel)]; ok {
			return t, nil
		}
		return 0, fs.ErrNotExist
	}
}

// hybridFS is this build machine's layout (testdata this-build-vm-firecracker):
// v1 hierarchies on a tmpfs, cgroup2 at unified.
var hybridFS = map[string]int64{
	"sys/fs/cgroup":        tmpfsMagic,
	"sys/fs/cgroup/memory": cgroupMagic,
	"sys/fs/cgroup/memory/process_api/871b95f5b3e662886e2e63d278b5cb48": cgroupMagic,
	"sys/fs/cgroup/cpu":     cgroupMagic,
	"sys/fs/cgroup/pids":    cgroupMagic,
	"sys/fs/cgroup/unified": cgroup2Magic,
}

const hybridCgroup = "9:name=systemd:/\n8:pids:/\n7:blkio:/\n6:freezer:/\n5:devices:/\n" +
	"4:memory:/process_api/871b95f5b3e662886e2e63d278b5cb48\n3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n"

func TestConventionalMounts(t *testing.T) {
	t.Parallel()
	const lambda2022 = "11:freezer:/sandbox-7f63be\n10:cpuset:/\n7:memory:/sandbox-service-9ac6cf/sandbox-672d8a\n" +
		"3:pids:/\n2:cpu,cpuacct:/sandbox-root-uPxa7U/sandbox-service-252528\n1:name=systemd:/system.slice/sandbox.service\n"
	lambdaFS := map[string]int64{
		"sys/fs/cgroup": tmpfsMagic,
		"sys/fs/cgroup/memory/sandbox-service-9ac6cf/sandbox-672d8a": cgroupMagic,
		"sys/fs/cgroup/pids": cgroupMagic,
		"sys/fs/cgroup/cpu,cpuacct/sandbox-root-uPxa7U/sandbox-service-252528": cgroupMagic,
	}
	with := func(m map[string]int64, k string, v int64) map[string]int64 {
		out := map[string]int64{}
		for kk, vv := range m {
			out[kk] = vv
		}
		if v == 0 {
			delete(out, k)
		} else {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		name        string
		cgroup      string
		fs          map[string]int64
		wantOK      bool
		wantVersion string
		wantPoints  []string
	}{
		{"hybrid, this build machine", hybridCgroup, hybridFS, true, "hybrid",
			[]string{"/sys/fs/cgroup/pids", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/cpu", "/sys/fs/cgroup/unified"}},
		{"v1, Lambda 2022: co-mounted cpu,cpuacct", lambda2022, lambdaFS, true, "v1",
			[]string{"/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids", "/sys/fs/cgroup/cpu,cpuacct"}},
		{"v2", "0::/sandbox\n", map[string]int64{"sys/fs/cgroup": cgroup2Magic, "sys/fs/cgroup/sandbox": cgroup2Magic}, true, "v2",
			[]string{"/sys/fs/cgroup"}},
		{"v2 root with v1 lines: other mounts may exist", "1:name=systemd:/\n0::/sandbox\n",
			map[string]int64{"sys/fs/cgroup": cgroup2Magic, "sys/fs/cgroup/sandbox": cgroup2Magic}, false, "", nil},
		{"v2, our directory not below the mount (no cgroup namespace)", "0::/system.slice/docker-1.scope\n",
			map[string]int64{"sys/fs/cgroup": cgroup2Magic}, false, "", nil},
		{"v1, memory subtree mounted alone (no cgroup namespace)", hybridCgroup,
			with(hybridFS, "sys/fs/cgroup/memory/process_api/871b95f5b3e662886e2e63d278b5cb48", 0), false, "", nil},
		{"hybrid without cgroup2 at unified", hybridCgroup, with(hybridFS, "sys/fs/cgroup/unified", 0), false, "", nil},
		{"hybrid with something else at unified", hybridCgroup, with(hybridFS, "sys/fs/cgroup/unified", tmpfsMagic), false, "", nil},
		{"a hierarchy directory of another type", hybridCgroup, with(hybridFS, "sys/fs/cgroup/cpu", tmpfsMagic), false, "", nil},
		{"no /sys/fs/cgroup", hybridCgroup, map[string]int64{}, false, "", nil},
		{"another file system at /sys/fs/cgroup", "0::/\n", map[string]int64{"sys/fs/cgroup": 0xef53}, false, "", nil},
		{"only named hierarchies in v1", "1:name=systemd:/\n", map[string]int64{"sys/fs/cgroup": tmpfsMagic}, false, "", nil},
		{"dot-dot path", "4:memory:/../x\n", with(hybridFS, "sys/fs/cgroup/x", cgroupMagic), false, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lines, err := cgroupfs.ParseCgroup([]byte(tt.cgroup))
			require.NoError(t, err)
			dir := t.TempDir()
			mounts, ok := conventionalMounts(sysroot.FromEnv(dir, nil), lines, fakeFS(dir, tt.fs))
			require.Equal(t, tt.wantOK, ok)
			if !ok {
				assert.Nil(t, mounts)
				return
			}
			assert.Equal(t, tt.wantVersion, cgroupfs.Version(mounts))
			var points []string
			for _, m := range mounts {
				points = append(points, m.MountPoint)
				assert.Equal(t, "/", m.Root)
			}
			assert.Equal(t, tt.wantPoints, points)
		})
	}
}

// TestConventionalMountsMatchMountinfo: on the build machine's recorded
// cgroup and mountinfo, the limits resolved through the synthesized mounts
// are those resolved through mountinfo.
func TestConventionalMountsMatchMountinfo(t *testing.T) {
	t.Parallel()
	tree := filepath.Join("..", "testdata", "scenarios", "this-build-vm-firecracker")
	root := sysroot.FromEnv(tree, nil)
	cg, err := root.ReadFile("proc/self/cgroup")
	require.NoError(t, err)
	mi, err := root.ReadFile("proc/self/mountinfo")
	require.NoError(t, err)
	lines, err := cgroupfs.ParseCgroup(cg)
	require.NoError(t, err)
	byMountinfo, err := cgroupfs.ParseMountInfo(mi)
	require.NoError(t, err)
	types := map[string]int64{"sys/fs/cgroup": tmpfsMagic, "sys/fs/cgroup/unified": cgroup2Magic}
	for _, m := range byMountinfo { // what statfs would say in that tree
		magic := int64(cgroupMagic)
		if m.FSType == "cgroup2" {
			magic = cgroup2Magic
		}
		for _, l := range lines {
			if leaf, ok := cgroupfs.Join(m, l.Path); ok {
				rel, _ := filepath.Rel("/", leaf)
				types[filepath.ToSlash(rel)] = magic
			}
		}
	}
	synth, ok := conventionalMounts(root, lines, fakeFS(tree, types))
	require.True(t, ok, "the recorded layout is the conventional one")
	assert.Equal(t, cgroupfs.Version(byMountinfo), cgroupfs.Version(synth))

	var a, b Limits
	var pa, pb problems
	read := bufferedReader(root, nil)
	cgroupLimits(read, lines, byMountinfo, &a, &pa)
	cgroupLimits(read, lines, synth, &b, &pb)
	require.NotEmpty(t, a.CgroupMemoryFile, "the tree has limits to resolve")
	assert.Equal(t, a, b)
	assert.Empty(t, pa.list)
	assert.Empty(t, pb.list)
}

// TestConventionalMountsLive: on this machine, Detect's limits are the same
// whether the cgroup layout comes from statfs or from /proc/self/mountinfo.
func TestConventionalMountsLive(t *testing.T) {
	t.Parallel()
	fast := newConfig([]Option{WithHost(hostinfo.Host{})})
	var read []string
	fast.trace = func(name string) { read = append(read, name) }
	slow := newConfig([]Option{WithHost(hostinfo.Host{})})
	slow.fsType = func(string) (int64, error) { return 0, errors.ErrUnsupported }
	a, _ := detect(fast)
	b, _ := detect(slow)
	a.Limits.Tmp, b.Limits.Tmp = Filesystem{}, Filesystem{} // /tmp's free space moves
	assert.Equal(t, b.Limits, a.Limits)
	if _, ok := conventionalMounts(sysroot.Live(), mustLines(t), fsType); ok {
		assert.NotContains(t, read, "proc/self/mountinfo", "the conventional layout spares mountinfo")
	} else {
		t.Log("this machine's cgroup layout is not the conventional one: mountinfo was read")
	}
}

func mustLines(t *testing.T) []cgroupfs.Line {
	t.Helper()
	b, err := sysroot.Live().ReadFile("proc/self/cgroup")
	if err != nil {
		t.Skip("no /proc/self/cgroup here")
	}
	lines, err := cgroupfs.ParseCgroup(b)
	require.NoError(t, err)
	return lines
}

// FuzzConventionalMounts: whatever /proc/self/cgroup holds, on a file
// system where every directory exists, the synthesized mounts stay below
// /sys/fs/cgroup, mount the whole hierarchy, and carry no "..".
func FuzzConventionalMounts(f *testing.F) {
	f.Add([]byte(hybridCgroup), false)
	f.Add([]byte("0::/sandbox\n"), true)
	f.Add([]byte("2:cpu,cpuacct:/sandbox-root-uPxa7U/sandbox-service-252528\n7:memory:/a/../b\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, v2 bool) {
		lines, _ := cgroupfs.ParseCgroup(data)
		root := sysroot.FromEnv("/fuzz", nil)
		all := func(p string) (int64, error) {
			switch {
			case p == root.Path(cgroupFSRoot) && v2:
				return cgroup2Magic, nil
			case p == root.Path(cgroupFSRoot):
				return tmpfsMagic, nil
			case v2 || filepath.Base(filepath.Dir(p)) == "unified" || filepath.Base(p) == "unified":
				return cgroup2Magic, nil
			}
			return cgroupMagic, nil
		}
		mounts, ok := conventionalMounts(root, lines, all)
		if !ok {
			return
		}
		for _, m := range mounts {
			if m.Root != "/" || !strings.HasPrefix(m.MountPoint, "/sys/fs/cgroup") || slices.Contains(strings.Split(m.MountPoint, "/"), "..") {
				t.Fatalf("mount %+v from %q", m, data)
			}
		}
		if v := cgroupfs.Version(mounts); v == "" {
			t.Fatalf("mounts without a version: %+v", mounts)
		}
	})
}
