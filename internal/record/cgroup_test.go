package record

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCgroup(t *testing.T) {
	t.Parallel()
	got := parseCgroup([]byte("12:cpu,cpuacct:/sandbox-root-abc/x\r\n0::/\nbad\n-1::/x\n3:memory:relative\n4:pids:/a:b\n"))
	assert.Equal(t, []cgroupLine{
		{hierarchy: 12, controllers: []string{"cpu", "cpuacct"}, path: "/sandbox-root-abc/x"},
		{hierarchy: 0, path: "/"},
		{hierarchy: 4, controllers: []string{"pids"}, path: "/a:b"},
	}, got)
}

func TestParseMountInfo(t *testing.T) {
	t.Parallel()
	got := parseMountInfo([]byte(
		"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n" +
			"32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:7 - cgroup cgroup rw,cpu,cpuacct\n" +
			"41 31 0:38 /docker/a\\040b /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n" +
			"short line\n"))
	assert.Equal(t, []cgroupMount{
		{root: "/", mountPoint: "/sys/fs/cgroup/cpu,cpuacct", fsType: "cgroup", superOpts: []string{"rw", "cpu", "cpuacct"}},
		{root: "/docker/a b", mountPoint: "/sys/fs/cgroup/unified", fsType: "cgroup2", superOpts: []string{"rw"}},
	}, got)
}

func TestResolveCgroupLevels(t *testing.T) {
	t.Parallel()
	mounts := []cgroupMount{
		{root: "/", mountPoint: "/sys/fs/cgroup/memory", fsType: "cgroup", superOpts: []string{"rw", "memory"}},
		{root: "/", mountPoint: "/sys/fs/cgroup", fsType: "cgroup2"},
	}
	lines := []cgroupLine{{hierarchy: 4, controllers: []string{"memory"}, path: "/a/b"}, {path: "/c"}}
	d, ok := resolveCgroup(lines, mounts, "memory")
	require.True(t, ok)
	assert.True(t, d.v1)
	assert.Equal(t, []string{"/sys/fs/cgroup/memory/a/b", "/sys/fs/cgroup/memory/a", "/sys/fs/cgroup/memory"}, d.levels())
	d, ok = resolveCgroup(lines, mounts, "cpu")
	require.True(t, ok, "no v1 cpu hierarchy: the unified one")
	assert.False(t, d.v1)
	assert.Equal(t, []string{"/sys/fs/cgroup/c", "/sys/fs/cgroup"}, d.levels())
	_, ok = resolveCgroup([]cgroupLine{{path: "/../x"}}, mounts, "cpu")
	assert.False(t, ok)
}

func FuzzParseCgroupMounts(f *testing.F) {
	for _, p := range []string{"this-build-vm-firecracker", "lambda-firecracker-2022-x86", "bad-input"} {
		dir := filepath.Join("..", "..", "testdata", "scenarios", p, "proc", "self")
		cg, _ := os.ReadFile(filepath.Join(dir, "cgroup"))
		mi, _ := os.ReadFile(filepath.Join(dir, "mountinfo"))
		f.Add(cg, mi)
	}
	f.Add([]byte("0::/a/../b\n"), []byte("1 0 0:1 / /x rw - cgroup2 c rw\n"))
	f.Add([]byte("1:memory:/a\n"), []byte("1 0 0:1 /a /m rw - cgroup c rw,memory\n"))
	f.Fuzz(func(t *testing.T, cg, mi []byte) {
		lines, mounts := parseCgroup(cg), parseMountInfo(mi)
		for _, l := range lines {
			if l.hierarchy < 0 || !strings.HasPrefix(l.path, "/") {
				t.Fatalf("bad line accepted: %+v", l)
			}
		}
		for _, m := range mounts {
			if m.fsType != "cgroup" && m.fsType != "cgroup2" {
				t.Fatalf("not a cgroup mount: %+v", m)
			}
		}
		for _, ctrl := range []string{"memory", "cpu", "pids"} {
			d, ok := resolveCgroup(lines, mounts, ctrl)
			if !ok {
				continue
			}
			lv := d.levels()
			if len(lv) == 0 || len(lv) > maxCgroupDepth {
				t.Fatalf("%d levels", len(lv))
			}
			for _, p := range lv {
				if !strings.HasPrefix(p, "/") || strings.Contains(p+"/", "/../") {
					t.Fatalf("level %q escapes", p)
				}
				if !strings.HasPrefix(p+"/", d.mount+"/") && d.mount != "/" {
					t.Fatalf("level %q outside the mount %q", p, d.mount)
				}
			}
		}
	})
}
